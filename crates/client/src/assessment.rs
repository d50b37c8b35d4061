//! Assessment: KPIs against targets, periodic assessments, awards, training plans
//! with attendance, and the anonymous satisfaction survey (`docs/design/app-api.md`).

use std::collections::BTreeMap;

use storeops_api::Named;
use storeops_api::assessment::{
    AnswerDelivery, AssessmentBoard, AssessmentRow, AwardRow, KpiRow, PeriodValue, SessionInput,
    SessionRow, SurveyResultsView, SurveyRow, TrainingRow,
};
use storeops_api::command::{
    AnswerSurvey, Assess, DefineKpi, GetAssessment, GiveAward, OpenSurvey, PlanTraining,
    RecordAttendance, RecordKpiValue,
};
use storeops_api::relay::SurveyAnswerRequest;
use storeops_domain::assessment::{self, Award, Kpi, KpiMetric, TrainingPlan, TrainingSession};
use storeops_domain::calendar::Date;
use storeops_domain::feedback;
use storeops_domain::problem::Invalid;
use storeops_domain::{self as domain, DomainError, OrgDoc, kind};

use crate::device::{Run, check_date, not_found, parse_owner, random_id};
use crate::{ClientError, Device, Replica};

fn invalid(problem: Invalid) -> ClientError {
    ClientError::Domain(problem.into())
}

fn person_named(org: &OrgDoc, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: org.people.get(id).map_or(id.to_owned(), |p| p.name.clone()),
    }
}

fn assessment_row(org: &OrgDoc, id: String, x: assessment::Assessment) -> AssessmentRow {
    AssessmentRow {
        subject: domain::owner_name(org, &x.subject),
        subject_id: x.subject.to_string(),
        period: x.period,
        score: x.score,
        comment: x.comment,
        by: x.by,
        at: x.at,
        id,
    }
}

/// The device setting that remembers a survey was answered here and what the
/// relay said: `sent` or `refused:<message>` (`1`: answered by an older build,
/// which wrote answers itself).
fn answered_key(survey: &str) -> String {
    format!("survey-answered:{survey}")
}

/// The durable outbox of survey answers: one device setting per answer waiting
/// to be sent, holding the request as JSON; removed once the relay has it.
const OUTBOX_PREFIX: &str = "survey-outbox:";

fn outbox_key(survey: &str) -> String {
    format!("{OUTBOX_PREFIX}{survey}")
}

/// One delivery at a time (the command's and the sync loop's).
static DELIVERING: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Replica {
    fn assessment_board(&self, year: &str) -> Result<AssessmentBoard, ClientError> {
        let org = self.org()?;
        let actor = self.actor()?;
        let today = self.today_date();
        let month = format!("{}-{:02}", today.year, today.month);
        let tasks = self.all_tasks()?;
        let zone = self.zone();
        let report = assessment::task_kpis(
            &tasks,
            &org,
            Date::new(today.year, today.month, 1).unwrap_or(today),
            today,
            &zone,
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
            let Some(a) = self.read_noted(doc, assessment::read_assessment)? else {
                continue;
            };
            for (id, k) in a.kpis {
                board.kpis.push(KpiRow {
                    current: assessment::kpi_value(&k, &report, &month),
                    subject: domain::owner_name(&org, &k.subject),
                    subject_id: k.subject.to_string(),
                    metric: k.metric,
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
                board.assessments.push(assessment_row(&org, id, x));
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
        // Scores and comments, from the documents about each subject this
        // device may read (older ones from the year's assessment document).
        let scores_of_year = format!("{year}/");
        for (_, doc) in self.kind_docs(kind::SCORES, |p| p.starts_with(&scores_of_year)) {
            let Some(a) = self.read_noted(doc, assessment::read_assessment)? else {
                continue;
            };
            for (id, x) in a.assessments {
                board.assessments.push(assessment_row(&org, id, x));
            }
        }
        for (_, doc) in self.kind_docs(kind::FEEDBACK, |p| p.starts_with(year)) {
            let Some(fb) = self.read_noted(doc, feedback::read_feedback)? else {
                continue;
            };
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
                    delivery: self.delivery(id)?,
                    answered_here: self.setting(&answered_key(id))?.is_some()
                        || self.setting(&outbox_key(id))?.is_some(),
                    title: s.title.clone(),
                    id: id.clone(),
                });
            }
        }
        board.assessments.sort_by_key(|a| std::cmp::Reverse(a.at));
        Ok(board)
    }

    /// Where this device's answer to `survey` is.
    fn delivery(&self, survey: &str) -> Result<Option<AnswerDelivery>, ClientError> {
        if self.setting(&outbox_key(survey))?.is_some() {
            return Ok(Some(AnswerDelivery::WaitingToSend));
        }
        Ok(self
            .setting(&answered_key(survey))?
            .map(|v| match v.strip_prefix("refused:") {
                Some(why) => AnswerDelivery::Refused(why.to_owned()),
                None => AnswerDelivery::Sent,
            }))
    }

    /// Survey answers waiting to be sent.
    pub(crate) fn survey_outbox(&self) -> Result<Vec<(String, SurveyAnswerRequest)>, ClientError> {
        Ok(self
            .settings_with_prefix(OUTBOX_PREFIX)?
            .into_iter()
            .filter_map(|(key, json)| {
                let survey = key.strip_prefix(OUTBOX_PREFIX)?.to_owned();
                Some((survey, serde_json::from_str(&json).ok()?))
            })
            .collect())
    }

    fn training_plan(&self, id: &str) -> Result<TrainingPlan, ClientError> {
        let doc = self
            .locate(kind::ASSESSMENT, "training", id)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::TrainingPlan, id))?;
        let am = self.arrived(&doc).ok_or(ClientError::NotSyncedYet)?;
        assessment::read_assessment(am)?
            .training
            .remove(id)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::TrainingPlan, id))
    }
}

impl Device {
    /// KPIs, assessments, awards, training and surveys of a year (`None`: this year).
    fn assessment(&self, year: Option<&str>) -> Result<AssessmentBoard, ClientError> {
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
    fn define_kpi(
        &self,
        name: &str,
        subject: &str,
        metric: KpiMetric,
        target: f64,
    ) -> Result<AssessmentBoard, ClientError> {
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
    fn record_kpi_value(
        &self,
        kpi: &str,
        period: &str,
        value: f64,
    ) -> Result<AssessmentBoard, ClientError> {
        let period = period.trim();
        if period.is_empty() {
            return Err(invalid(Invalid::KpiNeedsPeriod));
        }
        self.change_kpi(kpi, |am, org, actor, now| {
            assessment::record_kpi_value(am, org, actor, kpi, period, value, now)
        })
    }

    /// Records an assessment (score 0 to 100) of a department or person, in
    /// the scores document about them (read only by them and the managers
    /// above them).
    fn assess(
        &self,
        subject: &str,
        period: &str,
        score: u64,
        comment: &str,
    ) -> Result<AssessmentBoard, ClientError> {
        let subject = parse_owner(subject)?;
        let id = format!("assessment-{}", random_id()?);
        let mut r = self.replica();
        let org = r.org()?;
        assessment::check_assessment(&org, &r.actor()?, &subject, score)?;
        let year = r.today_date().year.to_string();
        let scores = assessment::scores_period(&year, &subject);
        r.change_period(kind::SCORES, &scores, |am, actor, now| {
            assessment::assess(
                am,
                &org,
                actor,
                &id,
                subject,
                period.trim(),
                score,
                comment,
                now,
            )
            .map(|_| ())
        })?;
        r.assessment_board(&year)
    }

    /// Gives an outstanding-employee award.
    fn give_award(
        &self,
        title: &str,
        person: &str,
        period: &str,
        reason: &str,
    ) -> Result<AssessmentBoard, ClientError> {
        let id = format!("award-{}", random_id()?);
        let now = crate::device::now_ms();
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
    fn plan_training(
        &self,
        title: &str,
        department: Option<&str>,
        sessions: &[SessionInput],
    ) -> Result<AssessmentBoard, ClientError> {
        let mut planned = BTreeMap::new();
        for (i, s) in sessions.iter().enumerate() {
            if s.topic.trim().is_empty() {
                return Err(invalid(Invalid::SessionNeedsTopic));
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
    fn record_attendance(
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
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::TrainingSession, session))?;
        s.held = true;
        s.attendees = attendees.to_vec();
        r.change_holding(kind::ASSESSMENT, "training", training, |am, actor, now| {
            assessment::plan_training(am, &org, actor, training, plan, now)
        })?;
        let year = r.today_date().year.to_string();
        r.assessment_board(&year)
    }

    /// Opens an anonymous satisfaction survey (managers), in this month's feedback.
    fn open_survey(&self, title: &str) -> Result<AssessmentBoard, ClientError> {
        let id = format!("survey-{}", random_id()?);
        let mut r = self.replica();
        let month = domain::split::period_of(kind::FEEDBACK, r.today_date())?;
        r.change_period(kind::FEEDBACK, &month, |am, actor, now| {
            feedback::open_survey(am, actor, &id, title, now)
        })?;
        let year = r.today_date().year.to_string();
        r.assessment_board(&year)
    }

    /// Answers a survey (anyone, once per person): the answer is queued on this
    /// device and sent to the relay, which writes it with others under its own
    /// actor, so nothing stored or synced ties it to this device
    /// (`docs/design/surveys.md`). Offline, it waits and is sent once online.
    fn answer_survey(
        &self,
        survey: &str,
        score: u64,
        comment: &str,
    ) -> Result<AssessmentBoard, ClientError> {
        let answer = feedback::check_answer(score, comment)?;
        let r = self.replica();
        if r.setting(&answered_key(survey))?.is_some() || r.setting(&outbox_key(survey))?.is_some()
        {
            return Err(invalid(Invalid::AnsweredAlready));
        }
        let document = r
            .locate(kind::FEEDBACK, "surveys", survey)
            .ok_or_else(|| not_found(storeops_domain::problem::Noun::Survey, survey))?;
        let request = SurveyAnswerRequest {
            document: document.to_string(),
            survey: survey.to_owned(),
            score: answer.score,
            comment: answer.comment,
            receipt: format!("{}{}", random_id()?, random_id()?),
        };
        let json =
            serde_json::to_string(&request).map_err(|e| ClientError::Internal(e.to_string()))?;
        r.set_setting(&outbox_key(survey), &json)?;
        let year = r.today_date().year.to_string();
        let board = r.assessment_board(&year)?;
        drop(r);
        // In the browser the worker's upkeep sends it (it has no threads).
        #[cfg(not(target_family = "wasm"))]
        {
            let device = self.clone();
            std::thread::spawn(move || device.send_survey_answers());
        }
        Ok(board)
    }

    /// Whether survey answers wait to be sent.
    pub fn has_survey_answers_to_send(&self) -> bool {
        self.replica().survey_outbox().is_ok_and(|o| !o.is_empty())
    }

    /// Sends the survey answers waiting on this device; those the relay takes or
    /// refuses for good leave the outbox (their content leaves the device), the
    /// others wait for the next try. Blocking (HTTP).
    pub fn send_survey_answers(&self) {
        let Ok(_one) = DELIVERING.try_lock() else {
            return;
        };
        let (target, outbox) = {
            let r = self.replica();
            let target = r
                .enrolment()
                .map(|e| (e.relay_url.clone(), e.relay_ca_pem.clone()))
                .zip(r.token().ok());
            (target, r.survey_outbox().unwrap_or_default())
        };
        let Some(((relay_url, ca), token)) = target else {
            return;
        };
        for (survey, request) in outbox {
            let state = match crate::relay::send_survey_answer(
                self.http(),
                &relay_url,
                &token,
                &request,
                ca.as_deref(),
            ) {
                crate::relay::Sent::Accepted => "sent".to_owned(),
                crate::relay::Sent::Refused(why) => format!("refused:{why}"),
                crate::relay::Sent::Retry(why) => {
                    tracing::info!(error = %why, "a survey answer waits to be sent");
                    return;
                }
            };
            let r = self.replica();
            let done = r
                .set_setting(&answered_key(&survey), &state)
                .and_then(|()| r.remove_setting(&outbox_key(&survey)));
            if let Err(e) = done {
                tracing::warn!(error = %e, "could not note a sent survey answer");
                return;
            }
            r.notify_changed();
        }
    }
}

impl Run<GetAssessment> for Device {
    fn run(&self, c: GetAssessment) -> Result<AssessmentBoard, ClientError> {
        self.assessment(c.year.as_deref())
    }
}

impl Run<DefineKpi> for Device {
    fn run(&self, c: DefineKpi) -> Result<AssessmentBoard, ClientError> {
        self.define_kpi(&c.name, &c.subject, c.metric, c.target)
    }
}

impl Run<RecordKpiValue> for Device {
    fn run(&self, c: RecordKpiValue) -> Result<AssessmentBoard, ClientError> {
        self.record_kpi_value(&c.kpi_id, &c.period, c.value)
    }
}

impl Run<Assess> for Device {
    fn run(&self, c: Assess) -> Result<AssessmentBoard, ClientError> {
        self.assess(&c.subject, &c.period, c.score, &c.comment)
    }
}

impl Run<GiveAward> for Device {
    fn run(&self, c: GiveAward) -> Result<AssessmentBoard, ClientError> {
        self.give_award(&c.title, &c.person_id, &c.period, &c.reason)
    }
}

impl Run<PlanTraining> for Device {
    fn run(&self, c: PlanTraining) -> Result<AssessmentBoard, ClientError> {
        self.plan_training(&c.title, c.department.as_deref(), &c.sessions)
    }
}

impl Run<RecordAttendance> for Device {
    fn run(&self, c: RecordAttendance) -> Result<AssessmentBoard, ClientError> {
        self.record_attendance(&c.training_id, &c.session_id, &c.attendees)
    }
}

impl Run<OpenSurvey> for Device {
    fn run(&self, c: OpenSurvey) -> Result<AssessmentBoard, ClientError> {
        self.open_survey(&c.title)
    }
}

impl Run<AnswerSurvey> for Device {
    fn run(&self, c: AnswerSurvey) -> Result<AssessmentBoard, ClientError> {
        self.answer_survey(&c.survey_id, c.score, &c.comment)
    }
}
