//! Assessment (考核): KPI definitions and values, KPIs computed from tasks,
//! periodic assessments, outstanding-employee awards and training plans.
//! One document per year (`assessment/2026`); managers write it.

use crate::problem::{Action, Hint, Invalid, Needed, Noun};
use std::collections::BTreeMap;

use automerge::{Automerge, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile_prop};

use crate::access::{Actor, task_departments};
use crate::calendar::Date;
use crate::documents::{OrgDoc, Owner, SCHEMA_VERSION, Task, TaskStatus};
use crate::tasks::{check_owner, child_map};
use crate::unreadable::{Entities, Entity};
use crate::{DomainError, transact};

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct AssessmentDoc {
    pub schema: u64,
    pub period: String,
    pub kpis: Entities<Kpi>,
    pub assessments: Entities<Assessment>,
    pub awards: Entities<Award>,
    pub training: Entities<TrainingPlan>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum KpiMetric {
    /// Share of the tasks due in the period that were done.
    #[autosurgeon(rename = "completion_rate")]
    CompletionRate,
    /// Share of the done tasks finished by their due date.
    #[autosurgeon(rename = "on_time_rate")]
    OnTimeRate,
    /// Entered by hand (e.g. stock-count accuracy).
    #[autosurgeon(rename = "manual")]
    Manual,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Kpi {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub name: String,
    /// A department or a person.
    pub subject: Owner,
    pub metric: KpiMetric,
    /// The target, e.g. 0.95.
    pub target: f64,
    /// Period (`2026-11`) → value entered by hand.
    pub values: BTreeMap<String, f64>,
}

impl Entity for Kpi {
    const KIND: &'static str = "kpi";
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Assessment {
    pub subject: Owner,
    pub period: String,
    /// 0–100.
    pub score: u64,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub comment: String,
    pub by: String,
    pub at: i64,
}

impl Entity for Assessment {
    const KIND: &'static str = "assessment";
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Award {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    pub person: String,
    pub period: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub reason: String,
    pub by: String,
    pub at: i64,
}

impl Entity for Award {
    const KIND: &'static str = "award";
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct TrainingPlan {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    pub department: Option<String>,
    pub sessions: BTreeMap<String, TrainingSession>,
}

impl Entity for TrainingPlan {
    const KIND: &'static str = "training plan";
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct TrainingSession {
    /// `YYYY-MM-DD`.
    pub date: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub topic: String,
    /// Person ids.
    pub attendees: Vec<String>,
    pub held: bool,
}

pub fn new_assessment_doc(year: &str, now_ms: i64) -> Result<Automerge, DomainError> {
    let mut am = Automerge::new();
    let doc = AssessmentDoc {
        schema: SCHEMA_VERSION,
        period: year.into(),
        ..AssessmentDoc::default()
    };
    transact(
        &mut am,
        format!("Create the assessment of {year}"),
        now_ms,
        |tx| Ok(autosurgeon::reconcile(tx, &doc)?),
    )?;
    Ok(am)
}

pub fn read_assessment(am: &Automerge) -> Result<AssessmentDoc, DomainError> {
    hydrate(am).map_err(|e| DomainError::Malformed("assessment", e.to_string()))
}

fn map_of<D: ReadDoc>(doc: &D, key: &str) -> Result<automerge::ObjId, DomainError> {
    match doc.get(automerge::ROOT, key)? {
        Some((automerge::Value::Object(automerge::ObjType::Map), id)) => Ok(id),
        _ => Err(DomainError::Malformed(
            "assessment",
            format!("no {key} map"),
        )),
    }
}

fn require_subject(
    org: &OrgDoc,
    actor: &Actor,
    subject: &Owner,
    action: Action,
) -> Result<(), DomainError> {
    check_owner(org, subject).or_else(|e| match (subject, &e) {
        // People who left can still be assessed and awarded for the past.
        (Owner::Person(p), DomainError::Invalid(Invalid::PersonLeft { .. }))
            if org.people.contains_key(p) =>
        {
            Ok(())
        }
        _ => Err(e),
    })?;
    actor.require_owner_in_scope(org, subject, action)
}

fn put<T: Reconcile>(
    am: &mut Automerge,
    collection: &str,
    id: &str,
    value: &T,
    message: String,
    now_ms: i64,
) -> Result<(), DomainError> {
    transact(am, message, now_ms, |tx| {
        let m = map_of(tx, collection)?;
        Ok(reconcile_prop(tx, &m, id, value)?)
    })
}

/// Defines (or redefines) a KPI for a department or person (managers of it).
pub fn define_kpi(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    kpi: Kpi,
    now_ms: i64,
) -> Result<(), DomainError> {
    require_subject(org, actor, &kpi.subject, Action::SetKpis)?;
    if !matches!(kpi.subject, Owner::Department(_) | Owner::Person(_)) {
        return Err(Invalid::KpiSubject.into());
    }
    if kpi.name.trim().is_empty() || !kpi.target.is_finite() {
        return Err(Invalid::KpiNeedsTarget.into());
    }
    let message = format!("{} defined KPI \"{}\"", actor.name, kpi.name);
    put(am, "kpis", id, &kpi, message, now_ms)
}

/// Records a manual KPI value for a period.
pub fn record_kpi_value(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    period: &str,
    value: f64,
    now_ms: i64,
) -> Result<(), DomainError> {
    let doc = read_assessment(am)?;
    let kpi = doc.kpis.get(id).ok_or_else(|| DomainError::NotFound {
        what: Noun::Kpi,
        id: id.into(),
    })?;
    require_subject(org, actor, &kpi.subject, Action::RecordKpis)?;
    if !value.is_finite() {
        return Err(Invalid::KpiValue.into());
    }
    let message = format!(
        "{} recorded {value} for \"{}\" in {period}",
        actor.name, kpi.name
    );
    transact(am, message, now_ms, |tx| {
        let kpis = map_of(tx, "kpis")?;
        let k = child_map(tx, &kpis, id, Noun::Kpi)?;
        let values = child_map(tx, &k, "values", Noun::Kpi)?;
        Ok(reconcile_prop(tx, &values, period, value)?)
    })
}

/// The period of the scores document about `subject` in `year`
/// (`2026/person:p-3`, see [`kind::SCORES`](crate::kind::SCORES)).
pub fn scores_period(year: &str, subject: &Owner) -> String {
    format!("{year}/{subject}")
}

/// Whether `actor` may read the scores and comments about `subject` (an
/// [`Owner`] as a string): the person assessed (or a holder of the position
/// assessed), and the managers whose scope holds the subject — the store's
/// managers all of them, a department manager those of their departments. The
/// relay serves a scores document only to these; devices ask only for these.
pub fn may_read_scores(org: &OrgDoc, actor: &Actor, subject: &str) -> bool {
    if actor.is_store_level() {
        return true;
    }
    let Ok(owner) = subject.parse::<Owner>() else {
        return false;
    };
    about_themselves(actor, &owner)
        || (actor.is_manager()
            && actor
                .require_owner_in_scope(org, &owner, Action::ReadScores)
                .is_ok())
}

/// Whether `subject` is `actor` (their person, or a position they hold).
fn about_themselves(actor: &Actor, subject: &Owner) -> bool {
    match subject {
        Owner::Person(p) => actor.person.as_deref() == Some(p.as_str()),
        Owner::Position(p) => actor.positions.iter().any(|x| x == p),
        Owner::Department(_) => false,
    }
}

/// Whether `actor` may write the scores about `subject`: the managers whose
/// scope holds it, and below the store's managers not about themselves. The
/// relay holds every write to a scores document to this.
pub fn may_write_scores(org: &OrgDoc, actor: &Actor, subject: &Owner) -> Result<(), DomainError> {
    actor.require_owner_in_scope(org, subject, Action::Assess)?;
    if !actor.is_store_level() && about_themselves(actor, subject) {
        return Err(DomainError::NotPermitted {
            action: Action::AssessYourself,
            needed: Needed::ManagersAbove,
            hint: Hint::AskStoreManager,
        });
    }
    Ok(())
}

/// Whether `actor` may assess `subject` with `score` (before a scores
/// document is opened for it).
pub fn check_assessment(
    org: &OrgDoc,
    actor: &Actor,
    subject: &Owner,
    score: u64,
) -> Result<(), DomainError> {
    require_subject(org, actor, subject, Action::Assess)?;
    may_write_scores(org, actor, subject)?;
    if score > 100 {
        return Err(Invalid::AssessmentScore.into());
    }
    Ok(())
}

/// Records a periodic assessment (managers of the subject), into the scores
/// document about the subject ([`scores_period`]).
#[allow(clippy::too_many_arguments)]
pub fn assess(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    subject: Owner,
    period: &str,
    score: u64,
    comment: &str,
    now_ms: i64,
) -> Result<Assessment, DomainError> {
    check_assessment(org, actor, &subject, score)?;
    let a = Assessment {
        subject,
        period: period.into(),
        score,
        comment: comment.trim().into(),
        by: actor.name.clone(),
        at: now_ms,
    };
    let message = format!(
        "{} assessed {} for {period}",
        actor.name,
        crate::tasks::owner_name(org, &a.subject)
    );
    put(am, "assessments", id, &a, message, now_ms)?;
    Ok(a)
}

/// Gives an outstanding-employee award (managers of the person).
pub fn give_award(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    award: Award,
    now_ms: i64,
) -> Result<(), DomainError> {
    require_subject(
        org,
        actor,
        &Owner::Person(award.person.clone()),
        Action::GiveAwards,
    )?;
    if award.title.trim().is_empty() {
        return Err(Invalid::NeedsTitle { what: Noun::Award }.into());
    }
    let message = format!(
        "{} gave \"{}\" to {}",
        actor.name,
        award.title,
        crate::tasks::owner_name(org, &Owner::Person(award.person.clone()))
    );
    put(am, "awards", id, &award, message, now_ms)
}

/// Creates or replaces a training plan (managers of its department; store-level
/// for a store-wide one).
pub fn plan_training(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    plan: TrainingPlan,
    now_ms: i64,
) -> Result<(), DomainError> {
    match &plan.department {
        Some(d) => actor.require_department(org, d, Action::PlanDepartmentTraining)?,
        None => actor.require_store_level(Action::PlanStoreTraining)?,
    }
    for s in plan.sessions.values() {
        s.date.parse::<Date>().map_err(|_| Invalid::NotADate {
            text: s.date.clone(),
        })?;
        for p in &s.attendees {
            check_owner(org, &Owner::Person(p.clone()))?;
        }
    }
    let message = format!("{} planned training \"{}\"", actor.name, plan.title);
    put(am, "training", id, &plan, message, now_ms)
}

/// Task counts over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rates {
    /// Tasks due in the period (cancelled ones excluded).
    pub due: usize,
    pub done: usize,
    /// Done by the end of their due date (in the store's time zone).
    pub on_time: usize,
}

impl Rates {
    /// Done / due (`None` without tasks).
    pub fn completion_rate(&self) -> Option<f64> {
        (self.due > 0).then(|| self.done as f64 / self.due as f64)
    }

    /// On time / done (`None` without done tasks).
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.done > 0).then(|| self.on_time as f64 / self.done as f64)
    }

    fn add(&mut self, done: bool, on_time: bool) {
        self.due += 1;
        self.done += usize::from(done);
        self.on_time += usize::from(done && on_time);
    }
}

/// Completion and on-time rates for the store, by department and by person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KpiReport {
    pub store: Rates,
    pub by_department: BTreeMap<String, Rates>,
    pub by_person: BTreeMap<String, Rates>,
}

/// The task KPIs of the tasks due in `from..=to`, and of those done in it that
/// were due later or never (work finished early counts when it is done, not only
/// when it falls due). A task counts for its department and for its person: the
/// assignee when a person, else whoever completed it. `zone` turns completion
/// times into store dates.
pub fn task_kpis(
    tasks: &[(String, Task)],
    org: &OrgDoc,
    from: Date,
    to: Date,
    zone: &crate::calendar::Zone,
) -> KpiReport {
    let mut r = KpiReport::default();
    let within = |d: Date| d >= from && d <= to;
    for (_, t) in tasks {
        if t.status == TaskStatus::Cancelled {
            continue;
        }
        let done = t.status == TaskStatus::Done;
        let done_on = t.completed_at.map(|ms| zone.date_of(ms));
        let counts = match t.due_date() {
            Some(due) if within(due) => true,
            Some(due) if due < from => false,
            _ => done && done_on.is_some_and(within),
        };
        if !counts {
            continue;
        }
        let on_time = match (t.due_date(), done_on) {
            (Some(due), Some(on)) => on <= due,
            (None, Some(_)) => true,
            _ => false,
        };
        r.store.add(done, on_time);
        for d in task_departments(org, t) {
            r.by_department.entry(d).or_default().add(done, on_time);
        }
        let person = match &t.assignee {
            Some(Owner::Person(p)) => Some(p.clone()),
            _ => t.completed_by_person.clone(),
        };
        if let Some(p) = person {
            r.by_person.entry(p).or_default().add(done, on_time);
        }
    }
    r
}

/// A KPI's value: computed from `report` for the rate metrics, else the value
/// recorded for `period`.
pub fn kpi_value(kpi: &Kpi, report: &KpiReport, period: &str) -> Option<f64> {
    let rates = match &kpi.subject {
        Owner::Department(d) => report.by_department.get(d),
        Owner::Person(p) => report.by_person.get(p),
        Owner::Position(_) => None,
    };
    match kpi.metric {
        KpiMetric::CompletionRate => rates.and_then(Rates::completion_rate),
        KpiMetric::OnTimeRate => rates.and_then(Rates::on_time_rate),
        KpiMetric::Manual => kpi.values.get(period).copied(),
    }
}
