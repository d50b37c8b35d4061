//! The assessment screen's pure side: what its forms submit, how typed percentages,
//! scores and months are read and checked, and how shares are shown.

pub mod calls;
pub mod view;

pub use view::AssessmentView;

use storeops_api::KpiMetric;
use storeops_api::assessment::SessionInput;
use storeops_api::command as api;
use storeops_api::org::OrgChart;
use storeops_api::tasks::Staffing;

use crate::i18n::Key;
use crate::shell::state::Op;
use crate::ui::period::Day;

/// The metrics a KPI can follow, in the order the form offers them.
pub const METRICS: [KpiMetric; 3] = [
    KpiMetric::CompletionRate,
    KpiMetric::OnTimeRate,
    KpiMetric::Manual,
];

/// Whether a metric is a share computed from the tasks (rather than entered by hand).
pub fn is_rate(metric: KpiMetric) -> bool {
    matches!(metric, KpiMetric::CompletionRate | KpiMetric::OnTimeRate)
}

/// Reads a percentage as typed ("95", "95%", "97.5") into a share (0.95); `None` for
/// anything that is not a number from 0 to 100.
pub fn parse_percent(text: &str) -> Option<f64> {
    let text = text.trim();
    let text = text.strip_suffix('%').unwrap_or(text).trim();
    let number: f64 = text.replace(',', ".").parse().ok()?;
    (number.is_finite() && (0.0..=100.0).contains(&number)).then(|| number / 100.0)
}

/// Reads a score from 0 to 100.
pub fn parse_score(text: &str) -> Option<u64> {
    text.trim().parse().ok().filter(|n| *n <= 100)
}

/// The month (`YYYY-MM`) of a `YYYY-MM-DD` day; empty if `today` is not one.
pub fn this_month(today: &str) -> String {
    Day::parse(today)
        .map(|d| format!("{:04}-{:02}", d.year, d.month))
        .unwrap_or_default()
}

/// Whether `period` is a month, `YYYY-MM`.
pub fn is_month(period: &str) -> bool {
    period.len() == 7 && Day::parse(&format!("{period}-01")).is_some()
}

/// A share as a percentage, to one decimal at most: 0.95 → "95%", 0.975 → "97.5%".
pub fn percent(share: f64) -> String {
    let tenths = (share * 1000.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

/// What a KPI, assessment or award can be about: departments, then the active people,
/// as `(department:<id> | person:<id>, name)`.
pub fn subjects(org: Option<&OrgChart>, staffing: Option<&Staffing>) -> Vec<(String, String)> {
    let departments = org.into_iter().flat_map(|o| &o.departments);
    let people = staffing
        .into_iter()
        .flat_map(|s| &s.people)
        .filter(|p| p.active);
    departments
        .map(|d| (format!("department:{}", d.id), d.name.clone()))
        .chain(people.map(|p| (format!("person:{}", p.id), p.name.clone())))
        .collect()
}

/// The active people, as `(id, name)`.
pub fn people(staffing: Option<&Staffing>) -> Vec<(String, String)> {
    staffing
        .into_iter()
        .flat_map(|s| &s.people)
        .filter(|p| p.active)
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect()
}

/// The bars of a 1–5 distribution, each as a share of the tallest (all 0 when empty).
pub fn bar_shares(distribution: &[usize; 5]) -> [f64; 5] {
    let max = distribution.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return [0.0; 5];
    }
    #[allow(clippy::cast_precision_loss)]
    distribution.map(|n| n as f64 / max as f64)
}

/// What a form of the assessment screen submits, as typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    DefineKpi {
        name: String,
        subject: String,
        /// The metric's wire name, as the form's `<select>` holds it.
        metric: String,
        /// A percentage, as typed.
        target: String,
    },
    RecordKpiValue {
        kpi_id: String,
        period: String,
        /// A percentage, as typed.
        value: String,
    },
    Assess {
        subject: String,
        period: String,
        score: String,
        comment: String,
    },
    GiveAward {
        title: String,
        person: String,
        period: String,
        reason: String,
    },
    PlanTraining {
        title: String,
        department: Option<String>,
        sessions: Vec<SessionInput>,
    },
    RecordAttendance {
        training_id: String,
        session_id: String,
        attendees: Vec<String>,
    },
    OpenSurvey {
        title: String,
    },
    AnswerSurvey {
        survey_id: String,
        score: u64,
        comment: String,
    },
}

/// A [`Command`] once checked (trimmed, numbers read): the command to send.
#[derive(Clone, Debug, PartialEq)]
pub enum Checked {
    DefineKpi(api::DefineKpi),
    RecordKpiValue(api::RecordKpiValue),
    Assess(api::Assess),
    GiveAward(api::GiveAward),
    PlanTraining(api::PlanTraining),
    RecordAttendance(api::RecordAttendance),
    OpenSurvey(api::OpenSurvey),
    AnswerSurvey(api::AnswerSurvey),
}

fn needed(text: &str, key: Key) -> Result<String, Key> {
    let text = text.trim();
    if text.is_empty() {
        Err(key)
    } else {
        Ok(text.to_owned())
    }
}

fn month(period: &str) -> Result<String, Key> {
    let period = period.trim();
    if is_month(period) {
        Ok(period.to_owned())
    } else {
        Err(Key::MonthInvalid)
    }
}

impl Command {
    /// The control disabled while this command runs.
    pub fn op(&self) -> Op {
        match self {
            Self::DefineKpi { .. } => Op::DefineKpi,
            Self::RecordKpiValue { kpi_id, .. } => Op::KpiValue(kpi_id.clone()),
            Self::Assess { .. } => Op::Assess,
            Self::GiveAward { .. } => Op::GiveAward,
            Self::PlanTraining { .. } => Op::PlanTraining,
            Self::RecordAttendance { session_id, .. } => Op::Attendance(session_id.clone()),
            Self::OpenSurvey { .. } => Op::OpenSurvey,
            Self::AnswerSurvey { survey_id, .. } => Op::AnswerSurvey(survey_id.clone()),
        }
    }

    /// Checks what was typed; the error says what to fix.
    pub fn check(self) -> Result<Checked, Key> {
        Ok(match self {
            Self::DefineKpi {
                name,
                subject,
                metric,
                target,
            } => Checked::DefineKpi(api::DefineKpi {
                name: needed(&name, Key::KpiNameNeeded)?,
                subject: needed(&subject, Key::SubjectNeeded)?,
                metric: crate::ui::wire::parse(&metric).unwrap_or(KpiMetric::Manual),
                target: parse_percent(&target).ok_or(Key::TargetInvalid)?,
            }),
            Self::RecordKpiValue {
                kpi_id,
                period,
                value,
            } => Checked::RecordKpiValue(api::RecordKpiValue {
                kpi_id,
                period: month(&period)?,
                value: parse_percent(&value).ok_or(Key::KpiValueInvalid)?,
            }),
            Self::Assess {
                subject,
                period,
                score,
                comment,
            } => Checked::Assess(api::Assess {
                subject: needed(&subject, Key::SubjectNeeded)?,
                period: month(&period)?,
                score: parse_score(&score).ok_or(Key::ScoreInvalid)?,
                comment: comment.trim().to_owned(),
            }),
            Self::GiveAward {
                title,
                person,
                period,
                reason,
            } => Checked::GiveAward(api::GiveAward {
                title: needed(&title, Key::AwardTitleNeeded)?,
                person_id: needed(&person, Key::AwardPersonNeeded)?,
                period: month(&period)?,
                reason: reason.trim().to_owned(),
            }),
            Self::PlanTraining {
                title,
                department,
                sessions,
            } => {
                let title = needed(&title, Key::TrainingTitleNeeded)?;
                let sessions: Vec<SessionInput> = sessions
                    .into_iter()
                    .map(|s| SessionInput {
                        date: s.date.trim().to_owned(),
                        topic: s.topic.trim().to_owned(),
                        attendees: s.attendees,
                    })
                    .collect();
                let complete =
                    |s: &SessionInput| Day::parse(&s.date).is_some() && !s.topic.is_empty();
                if sessions.is_empty() || !sessions.iter().all(complete) {
                    return Err(Key::TrainingSessionNeeded);
                }
                Checked::PlanTraining(api::PlanTraining {
                    title,
                    department: department.filter(|d| !d.trim().is_empty()),
                    sessions,
                })
            }
            Self::RecordAttendance {
                training_id,
                session_id,
                attendees,
            } => Checked::RecordAttendance(api::RecordAttendance {
                training_id,
                session_id,
                attendees,
            }),
            Self::OpenSurvey { title } => Checked::OpenSurvey(api::OpenSurvey {
                title: needed(&title, Key::SurveyTitleNeeded)?,
            }),
            Self::AnswerSurvey {
                survey_id,
                score,
                comment,
            } => Checked::AnswerSurvey(api::AnswerSurvey {
                survey_id,
                score: score.clamp(1, 5),
                comment: comment.trim().to_owned(),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use storeops_api::org::OrgDepartment;
    use storeops_api::tasks::StaffingPerson;

    use super::*;

    #[test]
    fn percentages_are_read_as_shares() {
        assert_eq!(parse_percent("95"), Some(0.95));
        assert_eq!(parse_percent(" 95 % "), Some(0.95));
        assert_eq!(parse_percent("97.5"), Some(0.975));
        assert_eq!(parse_percent("0"), Some(0.0));
        assert_eq!(parse_percent("100"), Some(1.0));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("-1"), None);
        assert_eq!(parse_percent(""), None);
        assert_eq!(parse_percent("abc"), None);
        assert_eq!(parse_percent("NaN"), None);
    }

    #[test]
    fn shares_are_shown_as_percentages() {
        assert_eq!(percent(0.95), "95%");
        assert_eq!(percent(0.975), "97.5%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
    }

    #[test]
    fn scores_go_from_0_to_100() {
        assert_eq!(parse_score("88"), Some(88));
        assert_eq!(parse_score(" 0 "), Some(0));
        assert_eq!(parse_score("100"), Some(100));
        assert_eq!(parse_score("101"), None);
        assert_eq!(parse_score("8.5"), None);
    }

    #[test]
    fn the_period_defaults_to_this_month() {
        assert_eq!(this_month("2026-11-28"), "2026-11");
        assert_eq!(this_month("2027-01-01"), "2027-01");
        assert_eq!(this_month(""), "");
        assert!(is_month("2026-11"));
        assert!(!is_month("2026-13"));
        assert!(!is_month("2026-11-01"));
        assert!(!is_month("2026"));
    }

    #[test]
    fn subjects_are_departments_then_active_people() {
        let org = OrgChart {
            departments: vec![OrgDepartment {
                id: "dept:a".into(),
                name: "Ops".into(),
                parent: None,
                head: None,
                positions: Vec::new(),
                uncovered_duties: 0,
            }],
            ..OrgChart::default()
        };
        let person = |id: &str, name: &str, active: bool| StaffingPerson {
            id: id.into(),
            name: name.into(),
            positions: Vec::new(),
            active,
            role: None,
        };
        let staffing = Staffing {
            positions: Vec::new(),
            people: vec![person("p1", "Li", true), person("p2", "Gone", false)],
        };
        assert_eq!(
            subjects(Some(&org), Some(&staffing)),
            vec![
                ("department:dept:a".to_owned(), "Ops".to_owned()),
                ("person:p1".to_owned(), "Li".to_owned()),
            ]
        );
        assert_eq!(people(Some(&staffing)).len(), 1);
        assert!(subjects(None, None).is_empty());
    }

    #[test]
    fn bars_are_scaled_to_the_tallest() {
        assert_eq!(bar_shares(&[0, 0, 1, 2, 4]), [0.0, 0.0, 0.25, 0.5, 1.0]);
        assert_eq!(bar_shares(&[0; 5]), [0.0; 5]);
    }

    #[test]
    fn commands_are_checked_before_they_are_sent() {
        let kpi = Command::DefineKpi {
            name: " Sales ".into(),
            subject: "department:d".into(),
            metric: "completion_rate".into(),
            target: "95".into(),
        };
        assert_eq!(kpi.op(), Op::DefineKpi);
        assert_eq!(
            kpi.check(),
            Ok(Checked::DefineKpi(api::DefineKpi {
                name: "Sales".into(),
                subject: "department:d".into(),
                metric: KpiMetric::CompletionRate,
                target: 0.95,
            }))
        );
        let no_target = Command::DefineKpi {
            name: "Sales".into(),
            subject: "person:p".into(),
            metric: "manual".into(),
            target: "lots".into(),
        };
        assert_eq!(no_target.check(), Err(Key::TargetInvalid));
        let assess = Command::Assess {
            subject: "person:p".into(),
            period: "2026-11".into(),
            score: "120".into(),
            comment: String::new(),
        };
        assert_eq!(assess.check(), Err(Key::ScoreInvalid));
        let award = Command::GiveAward {
            title: "Star".into(),
            person: String::new(),
            period: "2026-11".into(),
            reason: String::new(),
        };
        assert_eq!(award.check(), Err(Key::AwardPersonNeeded));
        let value = Command::RecordKpiValue {
            kpi_id: "k".into(),
            period: "November".into(),
            value: "90".into(),
        };
        assert_eq!(value.check(), Err(Key::MonthInvalid));
        let training = Command::PlanTraining {
            title: "Safety".into(),
            department: Some(String::new()),
            sessions: vec![SessionInput {
                date: "2026-12-01".into(),
                topic: " Fire drill ".into(),
                attendees: vec![],
            }],
        };
        assert_eq!(
            training.check(),
            Ok(Checked::PlanTraining(api::PlanTraining {
                title: "Safety".into(),
                department: None,
                sessions: vec![SessionInput {
                    date: "2026-12-01".into(),
                    topic: "Fire drill".into(),
                    attendees: vec![],
                }],
            }))
        );
        let empty = Command::PlanTraining {
            title: "Safety".into(),
            department: None,
            sessions: vec![],
        };
        assert_eq!(empty.check(), Err(Key::TrainingSessionNeeded));
        let answer = Command::AnswerSurvey {
            survey_id: "s".into(),
            score: 9,
            comment: " fine ".into(),
        };
        assert_eq!(answer.op(), Op::AnswerSurvey("s".into()));
        assert_eq!(
            answer.check(),
            Ok(Checked::AnswerSurvey(api::AnswerSurvey {
                survey_id: "s".into(),
                score: 5,
                comment: "fine".into(),
            }))
        );
    }
}
