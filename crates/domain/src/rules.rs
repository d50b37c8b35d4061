//! What a device may write, checked by the relay before it keeps a change: the
//! rules of the commands in this crate, stated once more as a check of their
//! result (the idea of Couchbase Sync Gateway's sync function, for automerge).
//!
//! [`check_write`] looks at the changes a document gained since `before` and
//! at every entity (task, report, survey) they touch, before and after:
//! - **every role**: the result is a document of its kind this build can read —
//!   a known `schema` that never goes down, known fields at the top, each touched
//!   entity readable and within the sizes the commands enforce
//!   ([`crate::text::limits`], [`crate::feedback::MAX_PHOTO_BYTES`]);
//! - **staff** (and a department manager outside their departments) only make
//!   progress: the status (legal transitions, completion signed with their own
//!   person), checklist ticks and new items, new comments — on tasks they, their
//!   positions or their department hold; new problem reports of their own (with a
//!   photo), answers to open surveys. No task created or deleted, no field of a
//!   task's definition changed, no one else's tick, comment or completion
//!   rewritten, and each change's message starts with their name (the task
//!   history is built from messages).
//!
//! Honest commands never break a rule (a property test runs random command
//! sequences through it). A device running an older build whose command a newer
//! relay refuses gets the `error`, is disconnected, and keeps the change locally
//! unconfirmed; it is dropped when the app is updated and the device resyncs.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::Hydrate;

use crate::access::Actor;
use crate::documents::{SCHEMA_VERSION, Task, kind};
use crate::feedback::{MAX_PHOTO_BYTES, Report, ReportStatus, Survey};
use crate::text::limits;
use crate::{DomainError, OrgDoc};

/// Why a write was refused: the rule and what broke it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{rule}: {detail}")]
pub struct Refusal {
    /// A short name of the rule, e.g. `task-definition`.
    pub rule: &'static str,
    pub detail: String,
}

fn refuse<T>(rule: &'static str, detail: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal {
        rule,
        detail: detail.into(),
    })
}

/// Who wrote a change, as the relay authenticated them.
#[derive(Debug, Clone)]
pub struct Writer {
    /// Role, person and (with the org chart) positions and departments.
    pub actor: Actor,
    /// Names the writer's change messages may start with: the person's and the
    /// device's.
    pub names: Vec<String>,
}

impl Writer {
    /// The writer of a device with `role`, linked to `person`, named `device_name`.
    pub fn new(
        org: Option<&OrgDoc>,
        role: crate::Role,
        person: Option<&str>,
        device_name: &str,
    ) -> Self {
        let actor = person
            .zip(org)
            .and_then(|(p, org)| Actor::for_person(org, p, role).ok())
            .unwrap_or_else(|| Actor {
                name: device_name.to_owned(),
                role,
                person: person.map(str::to_owned),
                positions: vec![],
                departments: vec![],
            });
        let mut names = vec![device_name.to_owned()];
        if actor.name != device_name {
            names.push(actor.name.clone());
        }
        Self { actor, names }
    }

    fn signs(&self, name: Option<&str>) -> bool {
        name.is_none_or(|n| self.names.iter().any(|m| m == n))
    }
}

/// Checks the changes `am` gained since `before` (a document of `kind`) against
/// the rules for `writer`. `org`: the store's org chart, for positions and
/// departments.
pub fn check_write(
    kind: &str,
    am: &Automerge,
    before: &[ChangeHash],
    writer: &Writer,
    org: Option<&OrgDoc>,
) -> Result<(), Refusal> {
    let changes = am.get_changes(before);
    if changes.is_empty() {
        return Ok(());
    }
    check_schema(am, before)?;
    let staff_like = !writer.actor.is_manager();
    if staff_like {
        for change in &changes {
            check_message(change.message(), writer)?;
        }
    }
    let touched = Touched::of(am, &changes);
    let shape = match kind {
        kind::TASKS => &TASKS,
        kind::FEEDBACK => &FEEDBACK,
        // Only managers write the other kinds (the relay checks kinds first).
        _ => return Ok(()),
    };
    for key in &touched.root_keys {
        shape.check_root_key(am, before, key, writer)?;
    }
    let at = At { am, heads: before };
    let hashes: BTreeSet<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
    let mut seen: Vec<ChangeHash> = changes
        .iter()
        .flat_map(|c| c.deps().iter().copied())
        .filter(|h| !hashes.contains(h))
        .collect();
    seen.sort();
    seen.dedup();
    let ctx = Ctx {
        writer,
        org,
        am,
        seen,
        touched: &touched,
        new_ops: changes
            .iter()
            .map(|c| (c.actor_id().to_hex_string(), c.start_op().get(), c.max_op()))
            .collect(),
    };
    for (collection, ids) in &touched.entities {
        let (Some(now_obj), then_obj) = (
            collection_obj(am, collection),
            collection_obj(&at, collection),
        ) else {
            return refuse("document-shape", format!("`{collection}` is not a map"));
        };
        for id in ids {
            let fields = match (kind, collection.as_str()) {
                (kind::TASKS, "tasks") => TASK_FIELDS,
                (kind::FEEDBACK, "reports") => REPORT_FIELDS,
                _ => SURVEY_FIELDS,
            };
            new_fields_known(am, &now_obj, before, id, fields)?;
            match (kind, collection.as_str()) {
                (kind::TASKS, "tasks") => {
                    let then = then_obj.as_ref().and_then(|o| entity(&at, o, id));
                    check_task(&ctx, id, then, entity(am, &now_obj, id))?
                }
                (kind::FEEDBACK, "reports") => {
                    let then = then_obj.as_ref().and_then(|o| entity(&at, o, id));
                    check_report(&ctx, id, then, entity(am, &now_obj, id))?
                }
                (kind::FEEDBACK, "surveys") => {
                    let then = then_obj.as_ref().and_then(|o| entity(&at, o, id));
                    check_survey(&ctx, id, then, entity(am, &now_obj, id))?
                }
                _ => {
                    return refuse(
                        "document-shape",
                        format!("unknown collection `{collection}`"),
                    );
                }
            }
        }
    }
    // A report's photo comes with the report, from its reporter.
    if kind == kind::FEEDBACK {
        for key in &touched.root_keys {
            if let Some(report) = key.strip_prefix(PHOTO_PREFIX) {
                check_photo(am, before, report, writer)?;
            }
        }
    }
    Ok(())
}

const PHOTO_PREFIX: &str = "photo:";

const TASK_FIELDS: &[&str] = &[
    "title",
    "description",
    "source_duty",
    "assignee",
    "due",
    "priority",
    "checklist",
    "comments",
    "status",
    "created_at",
    "created_by",
    "completed_at",
    "completed_by",
    "completed_by_person",
    "department",
    "due_time",
    "origin",
    "unassigned_reason",
];
const REPORT_FIELDS: &[&str] = &[
    "reporter",
    "reporter_person",
    "category",
    "text",
    "department",
    "status",
    "resolution",
    "resolved_by",
    "resolved_at",
    "created_at",
];
const SURVEY_FIELDS: &[&str] = &["title", "created_by", "created_at", "answers"];

/// Fields a write adds to an entity are ones this build knows (fields an older
/// build left are tolerated).
fn new_fields_known(
    am: &Automerge,
    collection: &ObjId,
    before: &[ChangeHash],
    id: &str,
    known: &[&str],
) -> Result<(), Refusal> {
    let Ok(Some((Value::Object(ObjType::Map), obj))) = am.get(collection, id) else {
        return Ok(()); // absent, or not a map: the hydration says so
    };
    let existed = am
        .get_at(collection, id, before)
        .ok()
        .flatten()
        .map(|(_, o)| o);
    for key in am.keys(&obj) {
        if known.contains(&key.as_str()) {
            continue;
        }
        let was_there = existed.as_ref() == Some(&obj)
            && am
                .get_at(&obj, key.as_str(), before)
                .ok()
                .flatten()
                .is_some();
        if !was_there {
            return refuse("document-shape", format!("unknown field `{key}` in {id}"));
        }
    }
    Ok(())
}

fn check_schema(am: &Automerge, before: &[ChangeHash]) -> Result<(), Refusal> {
    let now = crate::schema::schema_of(am).ok().flatten();
    let then = schema_at(am, before);
    match (then, now) {
        (_, None) => refuse("schema", "the document must keep a schema number"),
        (_, Some(n)) if n > SCHEMA_VERSION => refuse(
            "schema",
            format!("schema {n} is newer than this relay knows ({SCHEMA_VERSION})"),
        ),
        (Some(t), Some(n)) if n < t => {
            refuse("schema", format!("schema may not go from {t} to {n}"))
        }
        _ => Ok(()),
    }
}

fn schema_at(am: &Automerge, heads: &[ChangeHash]) -> Option<u64> {
    match am.get_at(ROOT, "schema", heads).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            automerge::ScalarValue::Uint(u) => Some(*u),
            automerge::ScalarValue::Int(i) => u64::try_from(*i).ok(),
            _ => None,
        },
        _ => None,
    }
}

fn check_message(message: Option<&str>, writer: &Writer) -> Result<(), Refusal> {
    let message = message.unwrap_or_default();
    let signed = writer.names.iter().any(|n| {
        message
            .strip_prefix(n.as_str())
            .is_some_and(|rest| rest.starts_with(' '))
    });
    // Survey answers are anonymous: their message names no one.
    if signed || message.starts_with("Someone answered survey ") {
        Ok(())
    } else {
        refuse(
            "change-message",
            format!(
                "a change's message must start with the writer's name ({})",
                writer.names.join(" or ")
            ),
        )
    }
}

/// What a document kind may hold at its root.
struct Shape {
    /// Maps of entities keyed by id.
    collections: &'static [&'static str],
    /// Other root keys, written when the document is created.
    fields: &'static [&'static str],
    /// Whether `photo:<report>` keys are allowed.
    photos: bool,
}

const TASKS: Shape = Shape {
    collections: &["tasks"],
    fields: &["schema", "period"],
    photos: false,
};

const FEEDBACK: Shape = Shape {
    collections: &["reports", "surveys"],
    fields: &["schema", "period"],
    photos: true,
};

impl Shape {
    fn check_root_key(
        &self,
        am: &Automerge,
        before: &[ChangeHash],
        key: &str,
        writer: &Writer,
    ) -> Result<(), Refusal> {
        let existed = am.get_at(ROOT, key, before).ok().flatten().is_some();
        if self.collections.contains(&key) {
            // Created once, with the document; never replaced.
            if existed {
                return refuse("document-shape", format!("`{key}` may not be replaced"));
            }
            return match am.get(ROOT, key) {
                Ok(Some((Value::Object(ObjType::Map), _))) => Ok(()),
                _ => refuse("document-shape", format!("`{key}` must be a map")),
            };
        }
        if key == "schema" {
            return Ok(()); // see `check_schema`
        }
        if self.fields.contains(&key) {
            if writer.actor.is_manager() || !existed {
                return Ok(());
            }
            return refuse("document-shape", format!("only managers change `{key}`"));
        }
        if self.photos && key.starts_with(PHOTO_PREFIX) {
            return Ok(()); // see `check_photo`
        }
        refuse("document-shape", format!("unknown field `{key}`"))
    }
}

/// The touched parts of a document: keys at its root and entities in its
/// collections.
#[derive(Debug, Default)]
struct Touched {
    root_keys: BTreeSet<String>,
    /// Collection → entity ids.
    entities: BTreeMap<String, BTreeSet<String>>,
    /// (entity id, field) written on an entity's own map.
    fields: BTreeSet<(String, String)>,
}

impl Touched {
    fn of(am: &Automerge, changes: &[automerge::Change]) -> Self {
        let mut touched = Self::default();
        let mut paths: BTreeMap<String, Option<Top>> = BTreeMap::new();
        for change in changes {
            for op in change.decode().operations {
                let key = match &op.key {
                    automerge::legacy::Key::Map(k) => Some(k.to_string()),
                    automerge::legacy::Key::Seq(_) => None,
                };
                let obj = op.obj.to_string();
                if obj == "_root" {
                    if let Some(k) = key {
                        touched.root_keys.insert(k);
                    }
                    continue;
                }
                let path = paths
                    .entry(obj.clone())
                    .or_insert_with(|| top_of(am, &obj))
                    .clone();
                match path {
                    // An op on a collection map itself: the key is the entity.
                    Some((collection, None)) => {
                        if let Some(k) = key {
                            touched.entities.entry(collection).or_default().insert(k);
                        }
                    }
                    Some((collection, Some((id, own)))) => {
                        if own && let Some(k) = key {
                            touched.fields.insert((id.clone(), k));
                        }
                        touched.entities.entry(collection).or_default().insert(id);
                    }
                    // An object not reachable from the root (e.g. overwritten):
                    // counted at the root so the shape check sees it.
                    None => {
                        touched.root_keys.insert(format!("object {obj}"));
                    }
                }
            }
        }
        touched
    }
}

/// Where an object hangs: the root key and, below it, the entity id (and whether
/// the object is the entity's own map); `None` for the collection map itself.
type Top = (String, Option<(String, bool)>);

fn top_of(am: &Automerge, obj: &str) -> Option<Top> {
    let (id, _) = am.import(obj).ok()?;
    let mut path: Vec<automerge::Prop> = am.parents(&id).ok()?.map(|p| p.prop).collect::<Vec<_>>();
    path.reverse();
    let mut props = path.into_iter().map(|p| match p {
        automerge::Prop::Map(k) => Some(k),
        automerge::Prop::Seq(_) => None,
    });
    let top = props.next()??;
    match props.next() {
        None => Some((top, None)),
        Some(entity) => Some((top, Some((entity?, props.next().is_none())))),
    }
}

fn collection_obj<D: autosurgeon::ReadDoc>(doc: &D, collection: &str) -> Option<ObjId> {
    match autosurgeon::ReadDoc::get(doc, &ROOT, collection) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

/// An entity as written: `None` when absent, `Some(Err)` when unreadable.
type Entity<T> = Option<Result<T, String>>;

fn entity<D: autosurgeon::ReadDoc, T: Hydrate>(doc: &D, obj: &ObjId, id: &str) -> Entity<T> {
    match autosurgeon::ReadDoc::get(doc, obj, id) {
        Ok(None) => None,
        Ok(Some(_)) => Some(autosurgeon::hydrate_prop(doc, obj, id).map_err(|e| e.to_string())),
        Err(e) => Some(Err(e.to_string())),
    }
}

struct Ctx<'a> {
    writer: &'a Writer,
    org: Option<&'a OrgDoc>,
    am: &'a Automerge,
    /// The document as the writer saw it: the dependencies of its changes.
    seen: Vec<ChangeHash>,
    touched: &'a Touched,
    /// (actor, first op, last op) of each new change.
    new_ops: Vec<(String, u64, u64)>,
}

impl Ctx<'_> {
    fn wrote(&self, id: &str, field: &str) -> bool {
        self.touched
            .fields
            .contains(&(id.to_owned(), field.to_owned()))
    }

    /// Whether the value `obj[field]` shows now was written by the new changes.
    fn winning_value_is_new(&self, obj: &ObjId, field: &str) -> bool {
        let Ok(Some((_, op))) = self.am.get(obj, field) else {
            return false;
        };
        let op = op.to_string();
        let Some((counter, actor)) = op.split_once('@') else {
            return false;
        };
        let Ok(counter) = counter.parse::<u64>() else {
            return false;
        };
        self.new_ops
            .iter()
            .any(|(a, first, last)| a == actor && (*first..=*last).contains(&counter))
    }
}

/// The entity as written now, readable and within the sizes (any role).
fn readable<T>(what: &str, id: &str, now: Entity<T>) -> Result<Option<T>, Refusal> {
    match now {
        None => Ok(None),
        Some(Ok(t)) => Ok(Some(t)),
        Some(Err(e)) => refuse(
            "readable",
            format!("{what} {id} would not be readable: {e}"),
        ),
    }
}

fn sized(what: &str, text: &str, max: usize) -> Result<(), Refusal> {
    limits::at_most(what, text, max)
        .map(|_| ())
        .map_err(|e| Refusal {
            rule: "size",
            detail: e.to_string(),
        })
}

fn check_task(
    ctx: &Ctx<'_>,
    id: &str,
    then: Entity<Task>,
    now: Entity<Task>,
) -> Result<(), Refusal> {
    let now = readable("task", id, now)?;
    if let Some(t) = &now {
        sized("a title", &t.title, limits::TITLE)?;
        sized("a description", &t.description, limits::DESCRIPTION)?;
        if t.checklist.len() > limits::CHECKLIST_ITEMS {
            return refuse(
                "size",
                format!(
                    "a task has at most {} checklist items",
                    limits::CHECKLIST_ITEMS
                ),
            );
        }
        for item in &t.checklist {
            sized("a checklist item", &item.text, limits::CHECKLIST_ITEM)?;
        }
        for c in &t.comments {
            sized("a comment", &c.text, limits::COMMENT)?;
        }
    }
    let actor = &ctx.writer.actor;
    let then = match then {
        Some(Ok(t)) => Some(t),
        // A manager may repair an unreadable task; no one else may touch it.
        Some(Err(_)) if actor.is_manager() => None,
        Some(Err(_)) => {
            return refuse(
                "task-scope",
                format!("task {id} is unreadable; ask a manager"),
            );
        }
        None => None,
    };
    let manages = |t: &Task| actor.manages_task(ctx.org, t);
    if then.as_ref().is_none_or(manages) && now.as_ref().is_none_or(manages) {
        return Ok(());
    }
    // Progress only.
    let (Some(then), Some(now)) = (then, now) else {
        return refuse(
            "task-scope",
            format!("only a manager of its department creates or deletes a task ({id})"),
        );
    };
    // Judged as the writer saw the task (a manager's concurrent reassignment
    // does not make an honest tick a forgery), or as the relay has it.
    let seen: Option<Task> = collection_obj(
        &At {
            am: ctx.am,
            heads: &ctx.seen,
        },
        "tasks",
    )
    .and_then(|o| {
        entity(
            &At {
                am: ctx.am,
                heads: &ctx.seen,
            },
            &o,
            id,
        )
    })
    .and_then(Result::ok);
    let may = |t: &Task| actor.may_progress_task(ctx.org, t);
    if !may(&then) && !seen.as_ref().is_some_and(may) {
        return refuse(
            "task-scope",
            format!("task {id} belongs to someone else; ask your manager to reassign it"),
        );
    }
    for field in TASK_FIELDS {
        let progress = matches!(
            *field,
            "status"
                | "completed_at"
                | "completed_by"
                | "completed_by_person"
                | "checklist"
                | "comments"
        );
        // An upgrade may rewrite a field's form, not its meaning.
        if !progress && ctx.wrote(id, field) && !same_field(&then, &now, field) {
            return refuse(
                "task-definition",
                format!(
                    "only a manager changes what task {id} is, who holds it and when it is due"
                ),
            );
        }
    }
    check_completion(ctx, id, seen.as_ref().unwrap_or(&then), &now)?;
    check_checklist(ctx.writer, id, &then, &now)?;
    check_comments(ctx.writer, id, &then, &now)
}

/// Whether a definition field reads the same in both.
fn same_field(a: &Task, b: &Task, field: &str) -> bool {
    match field {
        "title" => a.title == b.title,
        "description" => a.description == b.description,
        "source_duty" => a.source_duty == b.source_duty,
        "assignee" => a.assignee == b.assignee,
        "due" => a.due == b.due,
        "priority" => a.priority == b.priority,
        "created_at" => a.created_at == b.created_at,
        "created_by" => a.created_by == b.created_by,
        "department" => a.department == b.department,
        "due_time" => a.due_time == b.due_time,
        "origin" => a.origin == b.origin,
        "unassigned_reason" => a.unassigned_reason == b.unassigned_reason,
        _ => false,
    }
}

/// The status and completion a write leaves, if it is the one that wins: a legal
/// move from the status the writer saw, completed in their own name.
fn check_completion(ctx: &Ctx<'_>, id: &str, seen: &Task, now: &Task) -> Result<(), Refusal> {
    let completion = ["completed_at", "completed_by", "completed_by_person"];
    let wrote_status = ctx.wrote(id, "status");
    if !wrote_status && completion.iter().any(|f| ctx.wrote(id, f)) {
        return refuse(
            "task-completion",
            format!("who completed task {id} changes only with its status"),
        );
    }
    let Some(task) = collection_obj(ctx.am, "tasks").and_then(|o| match ctx.am.get(&o, id) {
        Ok(Some((Value::Object(ObjType::Map), t))) => Some(t),
        _ => None,
    }) else {
        return Ok(());
    };
    if !wrote_status || !ctx.winning_value_is_new(&task, "status") {
        return Ok(()); // nothing written, or a concurrent write won
    }
    let writer = ctx.writer;
    crate::tasks::check_transition(&writer.actor, seen.status, now.status).map_err(|e| {
        Refusal {
            rule: "task-status",
            detail: e.to_string(),
        }
    })?;
    // Only the completion values this write put (and that won) are the
    // writer's: a put of a value already there is not recorded, so a concurrent
    // completion may show beside an honest status change.
    let mine = |field: &str| ctx.winning_value_is_new(&task, field);
    let done = now.status == crate::TaskStatus::Done;
    let signed = if done {
        (!mine("completed_at") || now.completed_at.is_some())
            && (!mine("completed_by") || writer.signs(now.completed_by.as_deref()))
            && (!mine("completed_by_person") || now.completed_by_person == writer.actor.person)
    } else {
        (!mine("completed_at") || now.completed_at.is_none())
            && (!mine("completed_by") || now.completed_by.is_none())
            && (!mine("completed_by_person") || now.completed_by_person.is_none())
    };
    if signed {
        Ok(())
    } else {
        refuse(
            "task-completion",
            format!("task {id} may be completed only in the writer's own name"),
        )
    }
}

fn check_checklist(writer: &Writer, id: &str, then: &Task, now: &Task) -> Result<(), Refusal> {
    for old in &then.checklist {
        let Some(new) = now.checklist.iter().find(|i| i.id == old.id) else {
            return refuse(
                "task-checklist",
                format!("only a manager removes checklist items ({id})"),
            );
        };
        if new.text != old.text {
            return refuse(
                "task-checklist",
                format!("only a manager rewords checklist items ({id})"),
            );
        }
        let ticked = (new.done, &new.done_by, new.done_at) != (old.done, &old.done_by, old.done_at);
        if ticked && !tick_signed(writer, new) {
            return refuse(
                "task-checklist",
                format!(
                    "a checklist item of task {id} may be ticked only in the writer's own name"
                ),
            );
        }
    }
    for new in &now.checklist {
        if !then.checklist.iter().any(|i| i.id == new.id) && !tick_signed(writer, new) {
            return refuse(
                "task-checklist",
                format!(
                    "a checklist item of task {id} may be ticked only in the writer's own name"
                ),
            );
        }
    }
    Ok(())
}

fn tick_signed(writer: &Writer, item: &crate::ChecklistItem) -> bool {
    if item.done {
        item.done_at.is_some() && item.done_by.is_some() && writer.signs(item.done_by.as_deref())
    } else {
        item.done_by.is_none() && item.done_at.is_none()
    }
}

fn check_comments(writer: &Writer, id: &str, then: &Task, now: &Task) -> Result<(), Refusal> {
    for old in &then.comments {
        if !now.comments.contains(old) {
            return refuse(
                "task-comments",
                format!("comments on task {id} are never changed or removed"),
            );
        }
    }
    for new in &now.comments {
        if !then.comments.iter().any(|c| c.id == new.id) && !writer.signs(Some(&new.author)) {
            return refuse(
                "task-comments",
                format!("a comment on task {id} is signed with the writer's own name"),
            );
        }
    }
    Ok(())
}

fn check_report(
    ctx: &Ctx<'_>,
    id: &str,
    then: Entity<Report>,
    now: Entity<Report>,
) -> Result<(), Refusal> {
    let now = readable("problem report", id, now)?;
    if let Some(r) = &now {
        sized("a problem report", &r.text, limits::DESCRIPTION)?;
        sized("a category", &r.category, limits::TITLE)?;
        if let Some(res) = &r.resolution {
            sized("a resolution", res, limits::DESCRIPTION)?;
        }
    }
    let actor = &ctx.writer.actor;
    if actor.is_store_level() {
        return Ok(());
    }
    match (then, now) {
        // A new report of one's own.
        (None, Some(r)) => {
            let own = ctx.writer.signs(Some(&r.reporter))
                && r.reporter_person == actor.person
                && r.status == ReportStatus::Open
                && r.resolution.is_none()
                && r.resolved_by.is_none()
                && r.resolved_at.is_none();
            if own {
                Ok(())
            } else {
                refuse(
                    "report-own",
                    format!("a new problem report ({id}) is open and in the writer's own name"),
                )
            }
        }
        // Handling one: the department managers it is routed to (before and after).
        (Some(Ok(then)), Some(now)) => {
            let handles = |d: Option<&String>| {
                ctx.org.is_some_and(|org| {
                    crate::feedback::may_handle(org, actor, d.map(String::as_str))
                })
            };
            if handles(then.department.as_ref()) && handles(now.department.as_ref()) {
                Ok(())
            } else {
                refuse(
                    "report-handling",
                    format!("only the managers it is routed to handle problem report {id}"),
                )
            }
        }
        _ => refuse(
            "report-handling",
            format!("only a store manager removes or repairs problem report {id}"),
        ),
    }
}

fn check_survey(
    ctx: &Ctx<'_>,
    id: &str,
    then: Entity<Survey>,
    now: Entity<Survey>,
) -> Result<(), Refusal> {
    let now = readable("survey", id, now)?;
    if let Some(s) = &now {
        sized("a survey title", &s.title, limits::TITLE)?;
        for a in s.answers.values() {
            if !(1..=5).contains(&a.score) {
                return refuse("survey-answer", "a score is 1 to 5");
            }
            sized("a survey comment", &a.comment, limits::COMMENT)?;
        }
    }
    if ctx.writer.actor.is_manager() {
        return Ok(());
    }
    // Staff answer: the survey stays as it was, with answers added.
    let (Some(Ok(then)), Some(now)) = (then, now) else {
        return refuse(
            "survey-answer",
            format!("only managers open or remove surveys ({id})"),
        );
    };
    let same = then.title == now.title
        && then.created_by == now.created_by
        && then.created_at == now.created_at
        && then
            .answers
            .iter()
            .all(|(k, a)| now.answers.get(k) == Some(a));
    if same {
        Ok(())
    } else {
        refuse(
            "survey-answer",
            format!("survey {id} takes new answers only; nothing else changes"),
        )
    }
}

fn check_photo(
    am: &Automerge,
    before: &[ChangeHash],
    report: &str,
    writer: &Writer,
) -> Result<(), Refusal> {
    let key = format!("{PHOTO_PREFIX}{report}");
    let bytes = match am.get(ROOT, key.as_str()) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            automerge::ScalarValue::Bytes(b) => Some(b.len()),
            _ => None,
        },
        Ok(None) => {
            return if writer.actor.is_store_level() {
                Ok(())
            } else {
                refuse("report-photo", "only a store manager removes a photo")
            };
        }
        _ => None,
    };
    match bytes {
        Some(n) if n <= MAX_PHOTO_BYTES => {}
        Some(n) => {
            return refuse(
                "size",
                format!(
                    "a photo is at most {} KB; this one is {} KB",
                    MAX_PHOTO_BYTES / 1024,
                    n / 1024
                ),
            );
        }
        None => {
            return refuse(
                "readable",
                format!("the photo of report {report} is not bytes"),
            );
        }
    }
    if writer.actor.is_store_level() {
        return Ok(());
    }
    // With a new report of one's own (checked with the report).
    let had_photo = am
        .get_at(ROOT, key.as_str(), before)
        .ok()
        .flatten()
        .is_some();
    let reports = collection_obj(&At { am, heads: before }, "reports");
    let report_existed = reports
        .as_ref()
        .is_some_and(|r| am.get_at(r, report, before).ok().flatten().is_some());
    let report_now =
        collection_obj(am, "reports").is_some_and(|r| am.get(&r, report).ok().flatten().is_some());
    if had_photo || report_existed || !report_now {
        return refuse(
            "report-photo",
            format!("a photo is added with its new report ({report}), once"),
        );
    }
    Ok(())
}

/// A document as it was at `heads`, for autosurgeon.
struct At<'a> {
    am: &'a Automerge,
    heads: &'a [ChangeHash],
}

impl autosurgeon::ReadDoc for At<'_> {
    type Parents<'b>
        = automerge::Parents<'b>
    where
        Self: 'b;

    fn get_heads(&self) -> Vec<ChangeHash> {
        self.heads.to_vec()
    }

    fn get<P: Into<automerge::Prop>>(
        &self,
        obj: &ObjId,
        prop: P,
    ) -> Result<Option<(Value<'_>, ObjId)>, automerge::AutomergeError> {
        self.am.get_at(obj, prop, self.heads)
    }

    fn object_type<O: AsRef<ObjId>>(&self, obj: O) -> Option<ObjType> {
        automerge::ReadDoc::object_type(self.am, obj).ok()
    }

    fn map_range<'b, O, R>(&'b self, obj: O, range: R) -> automerge::iter::MapRange<'b>
    where
        R: std::ops::RangeBounds<String> + 'b,
        O: AsRef<ObjId>,
    {
        self.am.map_range_at(obj, range, self.heads)
    }

    fn list_range<O: AsRef<ObjId>, R: std::ops::RangeBounds<usize>>(
        &self,
        obj: O,
        range: R,
    ) -> automerge::iter::ListRange<'_> {
        self.am.list_range_at(obj, range, self.heads)
    }

    fn length<O: AsRef<ObjId>>(&self, obj: O) -> usize {
        self.am.length_at(obj, self.heads)
    }

    fn text<O: AsRef<ObjId>>(&self, obj: O) -> Result<String, automerge::AutomergeError> {
        self.am.text_at(obj, self.heads)
    }

    fn parents<O: AsRef<ObjId>>(
        &self,
        obj: O,
    ) -> Result<Self::Parents<'_>, automerge::AutomergeError> {
        self.am.parents_at(obj, self.heads)
    }

    fn is_empty(&self) -> bool {
        self.am.keys_at(ROOT, self.heads).next().is_none()
    }
}

impl From<DomainError> for Refusal {
    fn from(e: DomainError) -> Self {
        Refusal {
            rule: "readable",
            detail: e.to_string(),
        }
    }
}
