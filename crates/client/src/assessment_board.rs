//! Assessment: KPIs against targets, periodic assessments, awards, training plans
//! with attendance, and the anonymous satisfaction survey (`docs/design/app-api.md`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use storeops_domain::assessment::{self, Award, Kpi, KpiMetric, TrainingPlan, TrainingSession};
use storeops_domain::calendar::Date;
use storeops_domain::feedback;
use storeops_domain::{self as domain, DomainError, OrgDoc, kind};

use crate::boards::{check_date, not_found};
use crate::views::Named;
use crate::{ClientError, Device, Replica, parse_owner, random_id};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentBoard {
    pub year: String,
    pub can_manage: bool,
    pub kpis: Vec<KpiRow>,
    pub assessments: Vec<AssessmentRow>,
    pub awards: Vec<AwardRow>,
    pub training: Vec<TrainingRow>,
    pub surveys: Vec<SurveyRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiRow {
    pub id: String,
    pub name: String,
    pub subject: String,
    pub subject_id: String,
    pub metric: &'static str,
    pub target: f64,
    /// This month's value: computed from the tasks for the rate metrics, else recorded.
    pub current: Option<f64>,
    /// Recorded values by period, oldest first.
    pub values: Vec<PeriodValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodValue {
    pub period: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentRow {
    pub id: String,
    pub subject: String,
    pub subject_id: String,
    pub period: String,
    pub score: u64,
    pub comment: String,
    pub by: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardRow {
    pub id: String,
    pub title: String,
    pub person: Named,
    pub period: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingRow {
    pub id: String,
    pub title: String,
    pub department: Option<String>,
    pub sessions: Vec<SessionRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRow {
    pub id: String,
    pub date: String,
    pub topic: String,
    pub attendees: Vec<Named>,
    pub held: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyRow {
    pub id: String,
    pub title: String,
    pub answers: usize,
    /// Shown only from [`feedback::MIN_SURVEY_ANSWERS`] answers on.
    pub results: Option<SurveyResultsView>,
    /// This device has answered it (remembered here only; answers carry no name).
    pub answered_here: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyResultsView {
    pub answers: usize,
    pub mean: f64,
    pub distribution: [usize; 5],
    pub comments: Vec<String>,
}

/// A training session as the UI sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SessionInput {
    pub date: String,
    pub topic: String,
    #[serde(default)]
    pub attendees: Vec<String>,
}

fn metric_code(m: KpiMetric) -> &'static str {
    match m {
        KpiMetric::CompletionRate => "completion_rate",
        KpiMetric::OnTimeRate => "on_time_rate",
        KpiMetric::Manual => "manual",
    }
}

fn invalid(message: String) -> ClientError {
    ClientError::Domain(DomainError::Invalid(message))
}

fn person_named(org: &OrgDoc, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: org.people.get(id).map_or(id.to_owned(), |p| p.name.clone()),
    }
}

/// The device setting that remembers a survey was answered here.
fn answered_key(survey: &str) -> String {
    format!("survey-answered:{survey}")
}

impl Replica {
    fn assessment_board(&self, year: &str) -> Result<AssessmentBoard, ClientError> {
        let org = self.org()?;
        let actor = self.actor()?;
        let today = self.today_date();
        let month = format!("{}-{:02}", today.year, today.month);
        let tasks = self.all_tasks()?;
        let offset = self.utc_offset();
        let report = assessment::task_kpis(
            &tasks,
            &org,
            Date::new(today.year, today.month, 1).unwrap_or(today),
            today,
            offset,
        );
        let mut board = AssessmentBoard {
            year: year.to_owned(),
            can_manage: actor.is_manager(),
            kpis: vec![],
            assessments: vec![],
            awards: vec![],
            training: vec![],
            surveys: vec![],
        };
        for (_, doc) in self.kind_docs(kind::ASSESSMENT, |p| p == year) {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            let a = assessment::read_assessment(am)?;
            for (id, k) in a.kpis {
                board.kpis.push(KpiRow {
                    current: assessment::kpi_value(&k, &report, &month),
                    subject: domain::owner_name(&org, &k.subject),
                    subject_id: k.subject.to_string(),
                    metric: metric_code(k.metric),
                    target: k.target,
                    values: k
                        .values
                        .iter()
                        .map(|(period, value)| PeriodValue {
                            period: period.clone(),
                            value: *value,
                        })
                        .collect(),
                    name: k.name,
                    id,
                });
            }
            for (id, x) in a.assessments {
                board.assessments.push(AssessmentRow {
                    subject: domain::owner_name(&org, &x.subject),
                    subject_id: x.subject.to_string(),
                    period: x.period,
                    score: x.score,
                    comment: x.comment,
                    by: x.by,
                    at: x.at,
                    id,
                });
            }
            for (id, w) in a.awards {
                board.awards.push(AwardRow {
                    person: person_named(&org, &w.person),
                    title: w.title,
                    period: w.period,
                    reason: w.reason,
                    by: w.by,
                    id,
                });
            }
            for (id, t) in a.training {
                board.training.push(TrainingRow {
                    department: t
                        .department
                        .as_ref()
                        .map(|d| org.departments.get(d).map_or(d.clone(), |x| x.name.clone())),
                    sessions: t
                        .sessions
                        .iter()
                        .map(|(sid, s)| SessionRow {
                            id: sid.clone(),
                            date: s.date.clone(),
                            topic: s.topic.clone(),
                            attendees: s.attendees.iter().map(|p| person_named(&org, p)).collect(),
                            held: s.held,
                        })
                        .collect(),
                    title: t.title,
                    id,
                });
            }
        }
        for (_, doc) in self.kind_docs(kind::FEEDBACK, |p| p.starts_with(year)) {
            let Some(am) = self.arrived(&doc) else {
                continue;
            };
            let fb = feedback::read_feedback(am)?;
            for (id, s) in &fb.surveys {
                board.surveys.push(SurveyRow {
                    answers: s.answers.len(),
                    results: feedback::survey_results(&fb, id)
                        .ok()
                        .map(|r| SurveyResultsView {
                            answers: r.answers,
                            mean: r.mean,
                            distribution: r.distribution,
                            comments: r.comments,
                        }),
                    answered_here: self.setting(&answered_key(id))?.is_some(),
                    title: s.title.clone(),
                    id: id.clone(),
                });
            }
        }
        board.assessments.sort_by_key(|a| std::cmp::Reverse(a.at));
        Ok(board)
    }

    fn training_plan(&self, id: &str) -> Result<TrainingPlan, ClientError> {
        let doc = self
            .locate(kind::ASSESSMENT, "training", id)
            .ok_or_else(|| not_found("training plan", id))?;
        let am = self.arrived(&doc).ok_or(ClientError::NotSyncedYet)?;
        assessment::read_assessment(am)?
            .training
            .remove(id)
            .ok_or_else(|| not_found("training plan", id))
    }
}

impl Device {
    /// KPIs, assessments, awards, training and surveys of a year (`None`: this year).
    pub fn assessment(&self, year: Option<&str>) -> Result<AssessmentBoard, ClientError> {
        let r = self.replica();
        let year = year.map_or_else(|| r.today_date().year.to_string(), str::to_owned);
        r.assessment_board(&year)
    }

    fn change_assessment(
        &self,
        f: impl FnOnce(
            &mut automerge::Automerge,
            &OrgDoc,
            &domain::Actor,
            i64,
        ) -> Result<(), DomainError>,
    ) -> Result<AssessmentBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        let year = r.today_date().year.to_string();
        r.change_period(kind::ASSESSMENT, &year, |am, actor, now| {
            f(am, &org, actor, now)
        })?;
        r.assessment_board(&year)
    }

    fn change_kpi(
        &self,
        kpi: &str,
        f: impl FnOnce(
            &mut automerge::Automerge,
            &OrgDoc,
            &domain::Actor,
            i64,
        ) -> Result<(), DomainError>,
    ) -> Result<AssessmentBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        r.change_holding(kind::ASSESSMENT, "kpis", kpi, |am, actor, now| {
            f(am, &org, actor, now)
        })?;
        let year = r.today_date().year.to_string();
        r.assessment_board(&year)
    }

    /// Defines a KPI for a department or a person.
    pub fn define_kpi(
        &self,
        name: &str,
        subject: &str,
        metric: &str,
        target: f64,
    ) -> Result<AssessmentBoard, ClientError> {
        let metric = match metric {
            "completion_rate" => KpiMetric::CompletionRate,
            "on_time_rate" => KpiMetric::OnTimeRate,
            "manual" => KpiMetric::Manual,
            other => {
                return Err(invalid(format!(
                    "{other:?} is not a KPI metric; use completion_rate, on_time_rate or manual"
                )));
            }
        };
        let kpi = Kpi {
            name: name.trim().to_owned(),
            subject: parse_owner(subject)?,
            metric,
            target,
            values: BTreeMap::new(),
        };
        let id = format!("kpi-{}", random_id()?);
        self.change_assessment(|am, org, actor, now| {
            assessment::define_kpi(am, org, actor, &id, kpi, now)
        })
    }

    /// Records a hand-entered KPI value (e.g. stock-count accuracy) for a period.
    pub fn record_kpi_value(
        &self,
        kpi: &str,
        period: &str,
        value: f64,
    ) -> Result<AssessmentBoard, ClientError> {
        let period = period.trim();
        if period.is_empty() {
            return Err(invalid("say which period the value is for".into()));
        }
        self.change_kpi(kpi, |am, org, actor, now| {
            assessment::record_kpi_value(am, org, actor, kpi, period, value, now)
        })
    }

    /// Records an assessment (score 0 to 100) of a department or person.
    pub fn assess(
        &self,
        subject: &str,
        period: &str,
        score: u64,
        comment: &str,
    ) -> Result<AssessmentBoard, ClientError> {
        let subject = parse_owner(subject)?;
        let id = format!("assessment-{}", random_id()?);
        self.change_assessment(|am, org, actor, now| {
            assessment::assess(
                am,
                org,
                actor,
                &id,
                subject,
                period.trim(),
                score,
                comment,
                now,
            )
            .map(|_| ())
        })
    }

    /// Gives an outstanding-employee award.
    pub fn give_award(
        &self,
        title: &str,
        person: &str,
        period: &str,
        reason: &str,
    ) -> Result<AssessmentBoard, ClientError> {
        let id = format!("award-{}", random_id()?);
        let now = crate::now_ms();
        let by = self.replica().actor()?.name;
        let award = Award {
            title: title.trim().to_owned(),
            person: person.to_owned(),
            period: period.trim().to_owned(),
            reason: reason.trim().to_owned(),
            by,
            at: now,
        };
        self.change_assessment(|am, org, actor, now| {
            assessment::give_award(am, org, actor, &id, award, now)
        })
    }

    /// Plans training: sessions with a date, a topic and who should attend.
    pub fn plan_training(
        &self,
        title: &str,
        department: Option<&str>,
        sessions: &[SessionInput],
    ) -> Result<AssessmentBoard, ClientError> {
        let mut planned = BTreeMap::new();
        for (i, s) in sessions.iter().enumerate() {
            if s.topic.trim().is_empty() {
                return Err(invalid("each session needs a topic".into()));
            }
            planned.insert(
                format!("s{}", i + 1),
                TrainingSession {
                    date: check_date(&s.date)?,
                    topic: s.topic.trim().to_owned(),
                    attendees: s.attendees.clone(),
                    held: false,
                },
            );
        }
        let plan = TrainingPlan {
            title: title.trim().to_owned(),
            department: department.map(str::to_owned),
            sessions: planned,
        };
        let id = format!("training-{}", random_id()?);
        self.change_assessment(|am, org, actor, now| {
            assessment::plan_training(am, org, actor, &id, plan, now)
        })
    }

    /// Records that a session was held and who attended.
    pub fn record_attendance(
        &self,
        training: &str,
        session: &str,
        attendees: &[String],
    ) -> Result<AssessmentBoard, ClientError> {
        let mut r = self.replica();
        let org = r.org()?;
        let mut plan = r.training_plan(training)?;
        let s = plan
            .sessions
            .get_mut(session)
            .ok_or_else(|| not_found("training session", session))?;
        s.held = true;
        s.attendees = attendees.to_vec();
        r.change_holding(kind::ASSESSMENT, "training", training, |am, actor, now| {
            assessment::plan_training(am, &org, actor, training, plan, now)
        })?;
        let year = r.today_date().year.to_string();
        r.assessment_board(&year)
    }

    /// Opens an anonymous satisfaction survey (managers), in this month's feedback.
    pub fn open_survey(&self, title: &str) -> Result<AssessmentBoard, ClientError> {
        let id = format!("survey-{}", random_id()?);
        let mut r = self.replica();
        let month = domain::split::period_of(kind::FEEDBACK, r.today_date())?;
        r.change_period(kind::FEEDBACK, &month, |am, actor, now| {
            feedback::open_survey(am, actor, &id, title, now)
        })?;
        let year = r.today_date().year.to_string();
        r.assessment_board(&year)
    }

    /// Answers a survey (anyone, once per device); the answer carries no name.
    pub fn answer_survey(
        &self,
        survey: &str,
        score: u64,
        comment: &str,
    ) -> Result<AssessmentBoard, ClientError> {
        let answer = format!("answer-{}", random_id()?);
        let mut r = self.replica();
        if r.setting(&answered_key(survey))?.is_some() {
            return Err(invalid(
                "this device has answered that survey already".into(),
            ));
        }
        r.change_holding(kind::FEEDBACK, "surveys", survey, |am, _actor, now| {
            feedback::answer_survey(am, survey, &answer, score, comment, now)
        })?;
        r.set_setting(&answered_key(survey), "1")?;
        let year = r.today_date().year.to_string();
        r.assessment_board(&year)
    }
}
