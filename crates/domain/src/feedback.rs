//! The problem feedback channel (问题反馈) and anonymous satisfaction surveys.
//! One document per month (`feedback/2026-11`); everyone may write it.
//!
//! Anyone reports a problem; it is routed to a department by its category
//! ([`route`]): the org chart's rule for the category, else a default by the
//! department's id, else the top department. The department's managers move it
//! to in progress and resolved (with a resolution).
//!
//! Survey answers carry no person: a device sends its answer to the relay, which
//! writes answers in shuffled batches under an actor of its own
//! ([`record_survey_answers`]; `docs/design/surveys.md`), so neither a key, a
//! message, an actor id nor a time ties an answer to a device. (Answers written
//! by devices before that are still read.) Results show only once at least
//! [`MIN_SURVEY_ANSWERS`] people have answered.

use crate::problem::{Action, Invalid, Noun};
use automerge::{Automerge, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile_prop};

use crate::access::Actor;
use crate::documents::{OrgDoc, SCHEMA_VERSION};
use crate::tasks::child_map;
use crate::unreadable::{Entities, Entity};
use crate::{DomainError, transact};

/// Results of a survey show from this many answers on.
pub const MIN_SURVEY_ANSWERS: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct FeedbackDoc {
    pub schema: u64,
    pub period: String,
    pub reports: Entities<Report>,
    pub surveys: Entities<Survey>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    #[autosurgeon(rename = "open")]
    Open,
    #[autosurgeon(rename = "in_progress")]
    InProgress,
    #[autosurgeon(rename = "resolved")]
    Resolved,
}

impl ReportStatus {
    /// In words, for the English change messages the task history shows (the wire
    /// spelling is serde's: `in_progress`).
    pub fn words(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::InProgress => "in progress",
            Self::Resolved => "resolved",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Report {
    /// Display name of who reported it.
    pub reporter: String,
    pub reporter_person: Option<String>,
    /// `stock`, `customer`, `equipment`, `system`, `staffing`, `money`,
    /// `marketing`, `safety` or `other` (free text is accepted).
    pub category: String,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub text: String,
    /// The department it is routed to.
    pub department: Option<String>,
    pub status: ReportStatus,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub created_at: i64,
}

impl Entity for Report {
    const KIND: &'static str = "report";
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Survey {
    #[autosurgeon(hydrate = "crate::text::string")]
    pub title: String,
    pub created_by: String,
    pub created_at: i64,
    /// Random answer id → answer; no person.
    pub answers: Entities<SurveyAnswer>,
}

impl Entity for Survey {
    const KIND: &'static str = "survey";
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct SurveyAnswer {
    /// 1 (very unhappy) to 5 (very happy).
    pub score: u64,
    #[autosurgeon(hydrate = "crate::text::string")]
    pub comment: String,
}

impl Entity for SurveyAnswer {
    const KIND: &'static str = "survey answer";
}

pub fn new_feedback_doc(month: &str, now_ms: i64) -> Result<Automerge, DomainError> {
    let mut am = Automerge::new();
    let doc = FeedbackDoc {
        schema: SCHEMA_VERSION,
        period: month.into(),
        ..FeedbackDoc::default()
    };
    transact(
        &mut am,
        format!("Create the feedback of {month}"),
        now_ms,
        |tx| Ok(autosurgeon::reconcile(tx, &doc)?),
    )?;
    Ok(am)
}

pub fn read_feedback(am: &Automerge) -> Result<FeedbackDoc, DomainError> {
    hydrate(am).map_err(|e| DomainError::Malformed("feedback", e.to_string()))
}

fn map_of<D: ReadDoc>(doc: &D, key: &str) -> Result<automerge::ObjId, DomainError> {
    match doc.get(automerge::ROOT, key)? {
        Some((automerge::Value::Object(automerge::ObjType::Map), id)) => Ok(id),
        _ => Err(DomainError::Malformed("feedback", format!("no {key} map"))),
    }
}

/// The department a category goes to: the org chart's rule, else the first
/// department whose id names the usual handler, else the top department.
pub fn route(org: &OrgDoc, category: &str) -> Option<String> {
    if let Some(d) = org.routing.get(category)
        && org.departments.contains_key(d)
    {
        return Some(d.clone());
    }
    let keys: &[&str] = match category {
        "stock" => &["warehouse", "merch", "purchasing"],
        "customer" => &["service"],
        "equipment" | "system" => &["tech", "ops"],
        "staffing" => &["hr"],
        "money" => &["finance"],
        "marketing" => &["marketing"],
        _ => &[],
    };
    for k in keys {
        if let Some(id) = org.departments.keys().find(|id| id.contains(k)) {
            return Some(id.clone());
        }
    }
    org.departments
        .iter()
        .find(|(_, d)| d.parent.is_none())
        .map(|(id, _)| id.clone())
}

/// The largest photo a report may carry (the app scales photos down first).
pub const MAX_PHOTO_BYTES: usize = 300 * 1024;

/// The root key of a report's photo. Photos are flat root keys holding bytes, not
/// entries of a nested map: two devices creating that map offline would conflict.
fn photo_key(report: &str) -> String {
    format!("photo:{report}")
}

/// Reports a problem (anyone), routed by its category.
pub fn report_problem(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    category: &str,
    text: &str,
    now_ms: i64,
) -> Result<Report, DomainError> {
    report_problem_with_photo(am, org, actor, id, category, text, None, now_ms)
}

/// Whether a report has a photo.
pub fn has_photo(am: &Automerge, report: &str) -> bool {
    am.get(automerge::ROOT, photo_key(report).as_str())
        .ok()
        .flatten()
        .is_some()
}

/// A report's photo (JPEG or PNG bytes), if it has one.
pub fn report_photo(am: &Automerge, report: &str) -> Option<Vec<u8>> {
    match am.get(automerge::ROOT, photo_key(report).as_str()).ok()?? {
        (automerge::Value::Scalar(s), _) => match s.as_ref() {
            automerge::ScalarValue::Bytes(b) => Some(b.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// [`report_problem`] with an optional photo (JPEG or PNG, at most
/// [`MAX_PHOTO_BYTES`]), all in one change.
#[allow(clippy::too_many_arguments)]
pub fn report_problem_with_photo(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    category: &str,
    text: &str,
    photo: Option<&[u8]>,
    now_ms: i64,
) -> Result<Report, DomainError> {
    if let Some(p) = photo {
        if p.len() > MAX_PHOTO_BYTES {
            return Err(Invalid::PhotoTooBig {
                kb: p.len() / 1024,
                max_kb: MAX_PHOTO_BYTES / 1024,
            }
            .into());
        }
        let jpeg = p.starts_with(&[0xff, 0xd8, 0xff]);
        let png = p.starts_with(b"\x89PNG\r\n\x1a\n");
        if !jpeg && !png {
            return Err(Invalid::PhotoNotAPicture.into());
        }
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(Invalid::DescribeProblem.into());
    }
    if read_feedback(am)?.reports.contains_key(id) {
        return Err(Invalid::IdTaken {
            what: Noun::Report,
            id: id.into(),
        }
        .into());
    }
    let report = Report {
        reporter: actor.name.clone(),
        reporter_person: actor.person.clone(),
        category: category.trim().to_lowercase(),
        text: text.into(),
        department: route(org, category.trim()),
        status: ReportStatus::Open,
        resolution: None,
        resolved_by: None,
        resolved_at: None,
        created_at: now_ms,
    };
    let to = report
        .department
        .as_ref()
        .and_then(|d| org.departments.get(d))
        .map_or("the store".to_owned(), |d| d.name.clone());
    let message = format!(
        "{} reported a {} problem for {to}",
        actor.name, report.category
    );
    transact(am, message, now_ms, |tx| {
        let reports = map_of(tx, "reports")?;
        reconcile_prop(tx, &reports, id, &report)?;
        if let Some(p) = photo {
            use automerge::transaction::Transactable;
            tx.put(
                automerge::ROOT,
                photo_key(id),
                automerge::ScalarValue::Bytes(p.to_vec()),
            )?;
        }
        Ok(())
    })?;
    Ok(report)
}

fn report_of(am: &Automerge, id: &str) -> Result<Report, DomainError> {
    read_feedback(am)?
        .reports
        .remove(id)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Report,
            id: id.into(),
        })
}

/// The categories a problem can be reported under (the UI translates their names).
pub const CATEGORIES: &[&str] = &[
    "stock",
    "customer",
    "equipment",
    "system",
    "staffing",
    "money",
    "marketing",
    "safety",
    "other",
];

/// Whether `actor` may handle (move, resolve, reopen) reports routed to `department`
/// (`None`: the store's).
pub fn may_handle(org: &OrgDoc, actor: &Actor, department: Option<&str>) -> bool {
    match department {
        Some(d) => actor
            .require_department(org, d, Action::HandleDepartmentReports)
            .is_ok(),
        None => actor.require_store_level(Action::HandleReports).is_ok(),
    }
}

fn require_handler(org: &OrgDoc, actor: &Actor, report: &Report) -> Result<(), DomainError> {
    match &report.department {
        Some(d) => actor.require_department(org, d, Action::HandleDepartmentReports),
        None => actor.require_store_level(Action::HandleReports),
    }
}

/// Moves a report to `status` (managers of its department). Resolving needs a
/// resolution; a resolved report may be reopened.
pub fn set_report_status(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    status: ReportStatus,
    resolution: Option<&str>,
    now_ms: i64,
) -> Result<Report, DomainError> {
    let mut report = report_of(am, id)?;
    require_handler(org, actor, &report)?;
    if report.status == status {
        return Ok(report);
    }
    if status == ReportStatus::Resolved {
        let r = resolution.map(str::trim).unwrap_or_default();
        if r.is_empty() {
            return Err(Invalid::SayResolution.into());
        }
        report.resolution = Some(r.into());
        report.resolved_by = Some(actor.name.clone());
        report.resolved_at = Some(now_ms);
    } else {
        report.resolved_by = None;
        report.resolved_at = None;
    }
    report.status = status;
    let message = format!(
        "{} set a {} problem report to {}",
        actor.name,
        report.category,
        status.words()
    );
    transact(am, message, now_ms, |tx| {
        let reports = map_of(tx, "reports")?;
        let obj = child_map(tx, &reports, id, Noun::Report)?;
        reconcile_prop(tx, &obj, "status", report.status)?;
        reconcile_prop(tx, &obj, "resolution", &report.resolution)?;
        reconcile_prop(tx, &obj, "resolved_by", &report.resolved_by)?;
        reconcile_prop(tx, &obj, "resolved_at", report.resolved_at)?;
        Ok(())
    })?;
    Ok(report)
}

/// Sends a report to another department (managers of its current department).
pub fn reroute_report(
    am: &mut Automerge,
    org: &OrgDoc,
    actor: &Actor,
    id: &str,
    department: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    let report = report_of(am, id)?;
    require_handler(org, actor, &report)?;
    let d = org
        .departments
        .get(department)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Department,
            id: department.into(),
        })?;
    let message = format!(
        "{} sent a {} problem report to {}",
        actor.name, report.category, d.name
    );
    transact(am, message, now_ms, |tx| {
        let reports = map_of(tx, "reports")?;
        let obj = child_map(tx, &reports, id, Noun::Report)?;
        Ok(reconcile_prop(tx, &obj, "department", Some(department))?)
    })
}

/// Opens a satisfaction survey (managers).
pub fn open_survey(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    title: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    actor.require_manager(Action::OpenSurveys)?;
    let survey = Survey {
        title: title.trim().into(),
        created_by: actor.name.clone(),
        created_at: now_ms,
        answers: Entities::default(),
    };
    let message = format!("{} opened survey \"{}\"", actor.name, survey.title);
    transact(am, message, now_ms, |tx| {
        let surveys = map_of(tx, "surveys")?;
        Ok(reconcile_prop(tx, &surveys, id, &survey)?)
    })
}

/// Checks an answer as a person gives it: a score of 1 to 5 and a comment
/// within the size a comment may have.
pub fn check_answer(score: u64, comment: &str) -> Result<SurveyAnswer, DomainError> {
    if !(1..=5).contains(&score) {
        return Err(Invalid::SurveyScore.into());
    }
    let comment =
        crate::text::limits::at_most(Noun::Comment, comment.trim(), crate::text::limits::COMMENT)?;
    Ok(SurveyAnswer {
        score,
        comment: comment.into(),
    })
}

/// Writes a batch of answers to a survey, in the given order, in one change.
/// Only the relay calls this, under an actor of its own, with answers it has
/// gathered and shuffled (`docs/design/surveys.md`): a device never writes an
/// answer, so no answer carries a device's actor id. Each answer's key is
/// random; one already there is skipped (a batch written twice is written
/// once). Returns how many were added.
pub fn record_survey_answers(
    am: &mut Automerge,
    survey_id: &str,
    answers: &[(String, SurveyAnswer)],
    now_ms: i64,
) -> Result<usize, DomainError> {
    let doc = read_feedback(am)?;
    let survey = doc
        .surveys
        .get(survey_id)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Survey,
            id: survey_id.into(),
        })?;
    let new: Vec<&(String, SurveyAnswer)> = answers
        .iter()
        .filter(|(id, _)| !survey.answers.contains_key(id))
        .collect();
    for (_, a) in &new {
        check_answer(a.score, &a.comment)?;
    }
    if new.is_empty() {
        return Ok(0);
    }
    let message = format!(
        "{} answer{} to survey \"{}\"",
        new.len(),
        if new.len() == 1 { "" } else { "s" },
        survey.title
    );
    transact(am, message, now_ms, |tx| {
        let surveys = map_of(tx, "surveys")?;
        let s = child_map(tx, &surveys, survey_id, Noun::Survey)?;
        let answers = child_map(tx, &s, "answers", Noun::Survey)?;
        for (id, a) in &new {
            reconcile_prop(tx, &answers, id.as_str(), a)?;
        }
        Ok(())
    })?;
    Ok(new.len())
}

/// A survey's results.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyResults {
    pub answers: usize,
    pub mean: f64,
    /// How many answered 1, 2, 3, 4, 5.
    pub distribution: [usize; 5],
    /// The comments, in no particular order.
    pub comments: Vec<String>,
}

/// The results, once at least [`MIN_SURVEY_ANSWERS`] people have answered.
pub fn survey_results(doc: &FeedbackDoc, survey_id: &str) -> Result<SurveyResults, DomainError> {
    let survey = doc
        .surveys
        .get(survey_id)
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Survey,
            id: survey_id.into(),
        })?;
    let n = survey.answers.len();
    if n < MIN_SURVEY_ANSWERS {
        return Err(Invalid::TooFewAnswers {
            min: MIN_SURVEY_ANSWERS,
            got: n,
        }
        .into());
    }
    let mut distribution = [0usize; 5];
    let mut total = 0u64;
    let mut comments = Vec::new();
    for a in survey.answers.values() {
        let s = a.score.clamp(1, 5);
        distribution[(s - 1) as usize] += 1;
        total += s;
        if !a.comment.is_empty() {
            comments.push(a.comment.clone());
        }
    }
    comments.sort();
    Ok(SurveyResults {
        answers: n,
        mean: total as f64 / n as f64,
        distribution,
        comments,
    })
}
