//! The problem feedback channel: reports, their routing to a department, resolution.

use std::collections::BTreeSet;

use storeops_api::Named;
use storeops_api::command::{
    GetFeedback, GetReportPhoto, ReportProblem, RerouteReport, SetFeedbackRoute, SetReportStatus,
};
use storeops_api::feedback::{FeedbackBoard, FeedbackRoute, ReportView};
use storeops_domain::feedback::{self, ReportStatus};
use storeops_domain::problem::Invalid;
use storeops_domain::{self as domain, kind};

use crate::device::{Run, not_found, random_id};
use crate::{ClientError, Device, Replica};

impl Replica {
    /// Every report this device's person may see, with the document holding it.
    pub(crate) fn reports(&self) -> Result<Vec<(feedback::Report, ReportView)>, ClientError> {
        let org = self.org()?;
        let actor = self.actor()?;
        let my_departments: BTreeSet<String> = actor
            .positions
            .iter()
            .filter_map(|p| org.positions.get(p).map(|x| x.department.clone()))
            .collect();
        let mut out: Vec<(feedback::Report, ReportView)> = Vec::new();
        for (_, doc) in self.kind_docs(kind::FEEDBACK, |_| true) {
            let (Some(am), Some(fb)) = (
                self.arrived(&doc),
                self.read_noted(doc, feedback::read_feedback)?,
            ) else {
                continue;
            };
            for (id, rep) in fb.reports {
                let mine = rep.reporter_person.is_some() && rep.reporter_person == actor.person
                    || rep.reporter_person.is_none() && rep.reporter == actor.name;
                let handle = feedback::may_handle(&org, &actor, rep.department.as_deref());
                let visible = mine
                    || handle
                    || actor.is_store_level()
                    || rep
                        .department
                        .as_ref()
                        .is_some_and(|d| my_departments.contains(d));
                if !visible || out.iter().any(|(_, v)| v.id == id) {
                    continue;
                }
                let view = ReportView {
                    has_photo: feedback::has_photo(am, &id),
                    id,
                    category: rep.category.clone(),
                    text: rep.text.clone(),
                    reporter: rep.reporter.clone(),
                    mine,
                    department: rep
                        .department
                        .as_ref()
                        .map(|d| org.departments.get(d).map_or(d.clone(), |x| x.name.clone())),
                    status: rep.status,
                    resolution: rep.resolution.clone(),
                    resolved_by: rep.resolved_by.clone(),
                    resolved_at: rep.resolved_at,
                    created_at: rep.created_at,
                    can_handle: handle,
                    department_id: rep.department.clone(),
                };
                out.push((rep, view));
            }
        }
        Ok(out)
    }

    fn feedback_board(&self) -> Result<FeedbackBoard, ClientError> {
        let mut reports: Vec<ReportView> = self.reports()?.into_iter().map(|(_, v)| v).collect();
        reports.sort_by_key(|r| {
            (
                r.status == ReportStatus::Resolved,
                std::cmp::Reverse(r.created_at),
            )
        });
        let org = self.org()?;
        let named = |id: &str| Named {
            id: id.to_owned(),
            name: org
                .departments
                .get(id)
                .map_or(id.to_owned(), |d| d.name.clone()),
        };
        Ok(FeedbackBoard {
            categories: feedback::CATEGORIES
                .iter()
                .map(|c| (*c).to_owned())
                .collect(),
            routes: feedback::CATEGORIES
                .iter()
                .map(|c| FeedbackRoute {
                    category: (*c).to_owned(),
                    department: feedback::route(&org, c).as_deref().map(named),
                    chosen: org.routing.contains_key(*c),
                })
                .collect(),
            can_route: self.actor()?.is_store_level(),
            departments: org.departments.keys().map(|d| named(d)).collect(),
            reports,
        })
    }
}

/// `data:image/jpeg;base64,...` → bytes.
fn decode_data_url(url: &str) -> Result<Vec<u8>, ClientError> {
    use base64::Engine as _;
    let bad = || ClientError::Domain(Invalid::PhotoNotAPicture.into());
    let (head, data) = url.split_once(',').ok_or_else(bad)?;
    if !head.starts_with("data:image/") || !head.ends_with(";base64") {
        return Err(bad());
    }
    // Refuse before decoding what could never fit.
    if data.len() > feedback::MAX_PHOTO_BYTES / 3 * 4 + 8 {
        return Err(ClientError::Domain(
            Invalid::PhotoTooBig {
                kb: data.len() / 4 * 3 / 1024,
                max_kb: feedback::MAX_PHOTO_BYTES / 1024,
            }
            .into(),
        ));
    }
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| bad())
}

impl Device {
    fn feedback(&self) -> Result<FeedbackBoard, ClientError> {
        self.replica().feedback_board()
    }

    /// Reports a problem (anyone), with an optional photo as a data URL.
    fn report_problem(
        &self,
        category: &str,
        text: &str,
        photo: Option<&str>,
    ) -> Result<FeedbackBoard, ClientError> {
        let photo = photo.map(decode_data_url).transpose()?;
        let id = format!("report-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        let month = domain::split::period_of(kind::FEEDBACK, r.today_date())?;
        r.change_period(kind::FEEDBACK, &month, |am, actor, now| {
            feedback::report_problem_with_photo(
                am,
                &org,
                actor,
                &id,
                category,
                text,
                photo.as_deref(),
                now,
            )
        })?;
        r.feedback_board()
    }

    fn set_report_status(
        &self,
        report: &str,
        status: ReportStatus,
        resolution: Option<&str>,
    ) -> Result<FeedbackBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::FEEDBACK, "reports", report, |am, actor, now| {
            feedback::set_report_status(am, &org, actor, report, status, resolution, now)
        })?;
        r.feedback_board()
    }

    /// A report's photo as a data URL.
    fn report_photo(&self, report: &str) -> Result<String, ClientError> {
        use base64::Engine as _;
        let r = self.replica();
        if !r.feedback_board()?.reports.iter().any(|v| v.id == report) {
            return Err(not_found(storeops_domain::problem::Noun::Report, report));
        }
        let doc = r
            .locate(kind::FEEDBACK, "reports", report)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Report, report))?;
        let am = r.arrived(&doc).ok_or(ClientError::NotSyncedYet)?;
        let bytes = feedback::report_photo(am, report)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Photo, report))?;
        let mime = if bytes.starts_with(b"\x89PNG") {
            "image/png"
        } else {
            "image/jpeg"
        };
        Ok(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }
}

impl Run<GetFeedback> for Device {
    fn run(&self, _: GetFeedback) -> Result<FeedbackBoard, ClientError> {
        self.feedback()
    }
}

impl Run<ReportProblem> for Device {
    fn run(&self, c: ReportProblem) -> Result<FeedbackBoard, ClientError> {
        self.report_problem(&c.category, &c.text, c.photo.as_deref())
    }
}

impl Run<SetReportStatus> for Device {
    fn run(&self, c: SetReportStatus) -> Result<FeedbackBoard, ClientError> {
        self.set_report_status(&c.report_id, c.status, c.resolution.as_deref())
    }
}

impl Run<SetFeedbackRoute> for Device {
    fn run(&self, c: SetFeedbackRoute) -> Result<FeedbackBoard, ClientError> {
        if !feedback::CATEGORIES.contains(&c.category.as_str()) {
            return Err(ClientError::Domain(
                Invalid::UnknownCategory {
                    category: c.category.clone(),
                }
                .into(),
            ));
        }
        let mut r = self.replica();
        r.change_org(|am, actor, now| {
            domain::org::set_feedback_route(am, actor, &c.category, &c.department, now)
        })?;
        r.feedback_board()
    }
}

impl Run<RerouteReport> for Device {
    fn run(&self, c: RerouteReport) -> Result<FeedbackBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        let id = c.report_id.as_str();
        r.change_holding(kind::FEEDBACK, "reports", id, |am, actor, now| {
            feedback::reroute_report(am, &org, actor, id, &c.department, now)
        })?;
        r.feedback_board()
    }
}

impl Run<GetReportPhoto> for Device {
    fn run(&self, c: GetReportPhoto) -> Result<String, ClientError> {
        self.report_photo(&c.report_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_must_be_a_base64_image_data_url() {
        assert_eq!(
            decode_data_url("data:image/jpeg;base64,/9j/").unwrap(),
            vec![0xff, 0xd8, 0xff]
        );
        for bad in [
            "",
            "data:text/plain;base64,AAAA",
            "data:image/png,AAAA",
            "data:image/png;base64,***",
        ] {
            assert!(decode_data_url(bad).is_err(), "{bad}");
        }
        let huge = format!("data:image/jpeg;base64,{}", "A".repeat(500_000));
        assert!(decode_data_url(&huge).is_err());
    }
}
