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
//!   photo). Survey answers come from the relay alone: no device writes one.
//!   No task created or deleted, no field of a task's definition changed, no
//!   one else's tick, comment or completion rewritten, and each change's message starts with their name (the task
//!   history is built from messages; a structured one names exactly them).
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

mod org;

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
    let touched = Touched::of(am, &changes);
    check_schema(am, before, touched.root_keys.contains("schema"))?;
    let staff_like = !writer.actor.is_manager();
    if staff_like {
        for change in &changes {
            check_message(change.message(), writer)?;
        }
    }
    // The chart: judged by the role the writer's positions gave before the
    // write (never by what the write makes of them).
    if kind == kind::ORG && !(writer.actor.person.is_none() && writer.actor.is_store_level()) {
        let then = am
            .fork_at(before)
            .ok()
            .and_then(|then| crate::read_org(&then).ok());
        let (Some(then), Ok(now)) = (then, crate::read_org(am)) else {
            return refuse("document-shape", "the org chart is not readable");
        };
        return org::check_org(&then, &now, writer);
    }
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
                (kind::TASKS, "tasks") => check_task(&ctx, &now_obj, before, id)?,
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

/// The schema is known and never goes down (`written`: the write put it; else
/// it is what it was).
fn check_schema(am: &Automerge, before: &[ChangeHash], written: bool) -> Result<(), Refusal> {
    let now = crate::schema::schema_of(am).ok().flatten();
    let then = if written { schema_at(am, before) } else { now };
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
    // A structured message names its writer exactly (not just starting with
    // their name: "Li Wang" is not "Li").
    let exact =
        crate::history::Change::parse(message).is_none_or(|c| writer.names.contains(&c.who));
    if signed && exact {
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

/// The touched parts of a document: keys at its root, entities in its
/// collections, and where in an entity each operation landed.
#[derive(Debug, Default)]
struct Touched {
    root_keys: BTreeSet<String>,
    /// Collection → entity ids.
    entities: BTreeMap<String, BTreeSet<String>>,
    /// (entity id, field) written on an entity's own map.
    fields: BTreeSet<(String, String)>,
    /// Entity id → what each operation inside it did.
    ops: BTreeMap<String, Vec<EntityOp>>,
}

/// One operation inside an entity.
#[derive(Debug, Clone)]
struct EntityOp {
    /// How deep: `Slot` (the entity's place in its collection), `Field` (a key
    /// of the entity's map), `InField` (inside a field's object, e.g. a list),
    /// `InElement` (inside an element of a field's list, or deeper).
    at: Depth,
    field: Option<String>,
    /// The list element's object, for `InElement`.
    element: Option<String>,
    key: Option<String>,
    insert: bool,
    delete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    Slot,
    Field,
    InField,
    InElement,
}

/// Where an object hangs: (object, key in its parent) from the root down.
type Path = Vec<(String, automerge::Prop)>;

impl Touched {
    fn of(am: &Automerge, changes: &[automerge::Change]) -> Self {
        let mut touched = Self::default();
        let mut paths: BTreeMap<String, Option<Path>> = BTreeMap::new();
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
                    .or_insert_with(|| path_of(am, &obj))
                    .clone();
                let prop = |i: usize| match path.as_ref().and_then(|p| p.get(i)) {
                    Some((_, automerge::Prop::Map(k))) => Some(k.clone()),
                    _ => None,
                };
                let (Some(p), Some(collection)) = (path.as_ref(), prop(0)) else {
                    // An object not reachable from the root (e.g. overwritten):
                    // counted at the root so the shape check sees it.
                    touched.root_keys.insert(format!("object {obj}"));
                    continue;
                };
                let (entity, at, field, element) = match p.len() {
                    1 => (key.clone(), Depth::Slot, None, None),
                    2 => (prop(1), Depth::Field, key.clone(), None),
                    3 => (prop(1), Depth::InField, prop(2), None),
                    4 => (prop(1), Depth::InElement, prop(2), Some(obj.clone())),
                    _ => (prop(1), Depth::InElement, prop(2), Some(p[4].0.clone())),
                };
                let Some(entity) = entity else {
                    touched.root_keys.insert(format!("object {obj}"));
                    continue;
                };
                if at == Depth::Field
                    && let Some(k) = &key
                {
                    touched.fields.insert((entity.clone(), k.clone()));
                }
                touched
                    .entities
                    .entry(collection)
                    .or_default()
                    .insert(entity.clone());
                let delete = matches!(op.action, automerge::legacy::OpType::Delete);
                touched.ops.entry(entity).or_default().push(EntityOp {
                    at,
                    field,
                    element,
                    key,
                    insert: op.insert,
                    delete,
                });
            }
        }
        touched
    }
}

fn path_of(am: &Automerge, obj: &str) -> Option<Path> {
    let (id, _) = am.import(obj).ok()?;
    let mut path: Path = am
        .parents(&id)
        .ok()?
        .map(|p| (p.obj.to_string(), p.prop))
        .collect();
    path.reverse();
    Some(path)
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

    /// Whether the object or operation `id` (`counter@actor`) is one of the new
    /// changes'.
    fn is_new_object(&self, id: &str) -> bool {
        let Some((counter, actor)) = id.split_once('@') else {
            return false;
        };
        let Ok(counter) = counter.parse::<u64>() else {
            return false;
        };
        self.new_ops
            .iter()
            .any(|(a, first, last)| a == actor && (*first..=*last).contains(&counter))
    }

    /// Whether the value `obj[field]` shows now was written by the new changes.
    fn winning_value_is_new(&self, obj: &ObjId, field: &str) -> bool {
        let Ok(Some((_, op))) = self.am.get(obj, field) else {
            return false;
        };
        self.is_new_object(&op.to_string())
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
    let n = text.chars().count();
    if n > max {
        return refuse(
            "size",
            format!("{what} is at most {max} characters; this one has {n}"),
        );
    }
    Ok(())
}

/// A task's fields the writer may change without managing it.
const PROGRESS_FIELDS: &[&str] = &[
    "status",
    "completed_at",
    "completed_by",
    "completed_by_person",
];

/// Checks what a write did to task `id`, from its operations: only what they
/// wrote is read (a task takes ~70 µs to read whole; a status change reads four
/// fields), the task as it was only where a rule needs it.
fn check_task(
    ctx: &Ctx<'_>,
    tasks: &ObjId,
    before: &[ChangeHash],
    id: &str,
) -> Result<(), Refusal> {
    let am = ctx.am;
    let ops = ctx.touched.ops.get(id).map(Vec::as_slice).unwrap_or(&[]);
    let slot = ops.iter().any(|o| o.at == Depth::Slot);
    let task = match am.get(tasks, id) {
        Ok(Some((Value::Object(ObjType::Map), t))) => Some(t),
        Ok(None) => None,
        _ => {
            return refuse(
                "readable",
                format!("task {id} would not be readable: not a map"),
            );
        }
    };
    let actor = &ctx.writer.actor;
    let existed = || am.get_at(tasks, id, before).ok().flatten().is_some();
    // Created, replaced or deleted: the whole task is read (once).
    if slot {
        if task.is_some() {
            let whole: Task = autosurgeon::hydrate_prop(am, tasks, id).map_err(|e| Refusal {
                rule: "readable",
                detail: format!("task {id} would not be readable: {e}"),
            })?;
            check_task_sizes(&whole)?;
            if actor.is_store_level() || (actor.is_manager() && actor.manages_task(ctx.org, &whole))
            {
                return Ok(());
            }
            // The task a duty owes, made by a device that holds the duty.
            if !existed()
                && ctx.org.is_some_and(|org| {
                    crate::recurring::is_generated(org, id, &whole)
                        && crate::recurring::holds_task(actor, org, &whole)
                })
            {
                return Ok(());
            }
        } else if actor.is_store_level() {
            return Ok(());
        }
        return refuse(
            "task-scope",
            if existed() {
                format!("only a manager of its department replaces or deletes a task ({id})")
            } else {
                format!("only a manager of its department creates a task ({id})")
            },
        );
    }
    let Some(task) = task else {
        return Ok(()); // a write inside a task deleted meanwhile: nothing to read
    };
    // Every field written reads as its type, within its size.
    let written: BTreeSet<&str> = ops.iter().filter_map(|o| o.field.as_deref()).collect();
    for field in &written {
        check_task_field(am, &task, id, field)?;
    }
    if actor.is_store_level() {
        return Ok(());
    }
    // Who holds the task: all `may_progress_task` and `manages_task` look at.
    let holder = |heads: Option<&[ChangeHash]>| -> Task {
        let mut t = Task::new("", "", 0);
        match heads {
            None => {
                t.assignee = autosurgeon::hydrate_prop(am, &task, "assignee")
                    .ok()
                    .flatten();
                t.department = autosurgeon::hydrate_prop(am, &task, "department")
                    .ok()
                    .flatten();
            }
            Some(h) => {
                let at = At { am, heads: h };
                t.assignee = autosurgeon::hydrate_prop(&at, &task, "assignee")
                    .ok()
                    .flatten();
                t.department = autosurgeon::hydrate_prop(&at, &task, "department")
                    .ok()
                    .flatten();
            }
        }
        t
    };
    let now_holder = holder(None);
    if actor.is_manager() && actor.manages_task(ctx.org, &now_holder) {
        let then_holder = holder(Some(before));
        if actor.manages_task(ctx.org, &then_holder) {
            return Ok(());
        }
    }
    // Progress only, on a task the writer holds (as they saw it, or as it is).
    if !actor.may_progress_task(ctx.org, &now_holder)
        && !actor.may_progress_task(ctx.org, &holder(Some(&ctx.seen)))
    {
        return refuse(
            "task-scope",
            format!("task {id} belongs to someone else; ask your manager to reassign it"),
        );
    }
    for field in &written {
        let progress =
            PROGRESS_FIELDS.contains(field) || matches!(*field, "checklist" | "comments");
        // An upgrade may rewrite a field's form, not its meaning.
        if !progress && !same_field_at(am, &task, field, before) {
            return refuse(
                "task-definition",
                format!(
                    "only a manager changes what task {id} is, who holds it and when it is due"
                ),
            );
        }
    }
    check_task_lists(ctx, &task, id, ops)?;
    check_completion(ctx, &task, id)
}

fn check_task_sizes(t: &Task) -> Result<(), Refusal> {
    sized("a title", &t.title, limits::TITLE)?;
    sized("a description", &t.description, limits::DESCRIPTION)?;
    check_checklist_size(&t.checklist)?;
    for c in &t.comments {
        sized("a comment", &c.text, limits::COMMENT)?;
    }
    Ok(())
}

fn check_checklist_size(items: &[crate::ChecklistItem]) -> Result<(), Refusal> {
    if items.len() > limits::CHECKLIST_ITEMS {
        return refuse(
            "size",
            format!(
                "a task has at most {} checklist items",
                limits::CHECKLIST_ITEMS
            ),
        );
    }
    for item in items {
        sized("a checklist item", &item.text, limits::CHECKLIST_ITEM)?;
    }
    Ok(())
}

/// `task[field]` as written reads as the field's type, within its size.
fn check_task_field(am: &Automerge, task: &ObjId, id: &str, field: &str) -> Result<(), Refusal> {
    use autosurgeon::hydrate_prop as read;
    let bad = |e: autosurgeon::HydrateError| Refusal {
        rule: "readable",
        detail: format!("field `{field}` of task {id} would not be readable: {e}"),
    };
    let short = |v: Option<String>| match v {
        Some(v) => sized(field, &v, limits::TITLE),
        None => Ok(()),
    };
    match field {
        "title" => sized(
            "a title",
            &crate::text::string(am, task, field.into()).map_err(bad)?,
            limits::TITLE,
        ),
        "description" => sized(
            "a description",
            &crate::text::string(am, task, field.into()).map_err(bad)?,
            limits::DESCRIPTION,
        ),
        "status" => read::<_, crate::TaskStatus, _, _>(am, task, field)
            .map(|_| ())
            .map_err(bad),
        "priority" => read::<_, crate::Priority, _, _>(am, task, field)
            .map(|_| ())
            .map_err(bad),
        "assignee" => read::<_, Option<crate::documents::Owner>, _, _>(am, task, field)
            .map(|_| ())
            .map_err(bad),
        "created_at" => read::<_, i64, _, _>(am, task, field)
            .map(|_| ())
            .map_err(bad),
        "completed_at" => read::<_, Option<i64>, _, _>(am, task, field)
            .map(|_| ())
            .map_err(bad),
        "created_by" => sized(
            field,
            &read::<_, String, _, _>(am, task, field).map_err(bad)?,
            limits::TITLE,
        ),
        "source_duty"
        | "due"
        | "completed_by"
        | "completed_by_person"
        | "department"
        | "due_time"
        | "origin"
        | "unassigned_reason" => {
            short(read::<_, Option<String>, _, _>(am, task, field).map_err(bad)?)
        }
        "checklist" => check_checklist_size(
            &read::<_, Vec<crate::ChecklistItem>, _, _>(am, task, field).map_err(bad)?,
        ),
        "comments" => {
            for c in read::<_, Vec<crate::Comment>, _, _>(am, task, field).map_err(bad)? {
                sized("a comment", &c.text, limits::COMMENT)?;
            }
            Ok(())
        }
        _ => Ok(()), // unknown fields: see `new_fields_known`
    }
}

/// Whether `task[field]` reads the same now as at `before`.
fn same_field_at(am: &Automerge, task: &ObjId, field: &str, before: &[ChangeHash]) -> bool {
    let at = At { am, heads: before };
    match field {
        "title" | "description" => {
            crate::text::string(am, task, field.into()).ok()
                == crate::text::string(&at, task, field.into()).ok()
        }
        "assignee" => {
            autosurgeon::hydrate_prop::<_, Option<crate::documents::Owner>, _, _>(am, task, field)
                .ok()
                == autosurgeon::hydrate_prop(&at, task, field).ok()
        }
        "priority" => {
            autosurgeon::hydrate_prop::<_, crate::Priority, _, _>(am, task, field).ok()
                == autosurgeon::hydrate_prop(&at, task, field).ok()
        }
        "created_at" => {
            autosurgeon::hydrate_prop::<_, i64, _, _>(am, task, field).ok()
                == autosurgeon::hydrate_prop(&at, task, field).ok()
        }
        _ => {
            autosurgeon::hydrate_prop::<_, Option<String>, _, _>(am, task, field).ok()
                == autosurgeon::hydrate_prop(&at, task, field).ok()
        }
    }
}

/// Checklist and comments, from the operations on them: items are added, ticked
/// and unticked (`done`, `done_by`, `done_at`) in the writer's own name;
/// comments are added in the writer's own name; nothing is removed or reworded.
fn check_task_lists(
    ctx: &Ctx<'_>,
    task: &ObjId,
    id: &str,
    ops: &[EntityOp],
) -> Result<(), Refusal> {
    let mut ticked: BTreeSet<&str> = BTreeSet::new();
    let mut added = false;
    for op in ops {
        let Some(list @ ("checklist" | "comments")) = op.field.as_deref() else {
            continue;
        };
        match op.at {
            Depth::Field => {
                return refuse(
                    "task-lists",
                    format!("the {list} of task {id} are never replaced"),
                );
            }
            Depth::InField if op.insert && !op.delete => added = true,
            Depth::InField => {
                return refuse(
                    "task-lists",
                    format!("only a manager removes or replaces {list} entries ({id})"),
                );
            }
            Depth::InElement => {
                let element = op.element.as_deref().unwrap_or_default();
                if ctx.is_new_object(element) {
                    added = true;
                    continue;
                }
                let tick = list == "checklist"
                    && matches!(op.key.as_deref(), Some("done" | "done_by" | "done_at"));
                if !tick {
                    return refuse(
                        "task-lists",
                        format!("only a manager rewords {list} entries ({id})"),
                    );
                }
                ticked.insert(element);
            }
            Depth::Slot => {}
        }
    }
    if ticked.is_empty() && !added {
        return Ok(());
    }
    let am = ctx.am;
    let writer = ctx.writer;
    if let Ok(Some((_, list))) = am.get(task, "checklist") {
        for i in 0..am.length(&list) {
            let Ok(Some((_, item))) = am.get(&list, i) else {
                continue;
            };
            let item_id = item.to_string();
            let new = added && ctx.is_new_object(&item_id);
            if !new && !ticked.contains(item_id.as_str()) {
                continue;
            }
            let read: crate::ChecklistItem =
                autosurgeon::hydrate_prop(am, &list, i).map_err(|e| Refusal {
                    rule: "readable",
                    detail: format!("a checklist item of task {id} would not be readable: {e}"),
                })?;
            if !tick_signed(writer, &read) {
                return refuse(
                    "task-checklist",
                    format!(
                        "a checklist item of task {id} may be ticked only in the writer's own name"
                    ),
                );
            }
        }
    }
    if added && let Ok(Some((_, list))) = am.get(task, "comments") {
        for i in 0..am.length(&list) {
            let Ok(Some((_, c))) = am.get(&list, i) else {
                continue;
            };
            if !ctx.is_new_object(&c.to_string()) {
                continue;
            }
            let read: crate::Comment =
                autosurgeon::hydrate_prop(am, &list, i).map_err(|e| Refusal {
                    rule: "readable",
                    detail: format!("a comment on task {id} would not be readable: {e}"),
                })?;
            if !writer.signs(Some(&read.author)) {
                return refuse(
                    "task-comments",
                    format!("a comment on task {id} is signed with the writer's own name"),
                );
            }
        }
    }
    Ok(())
}

/// The status and completion a write leaves, if it is the one that wins: a legal
/// move from the status the writer saw, completed in their own name. Only the
/// completion values this write put (and that won) are the writer's: a put of a
/// value already there is not recorded, so a concurrent completion may show
/// beside an honest status change.
fn check_completion(ctx: &Ctx<'_>, task: &ObjId, id: &str) -> Result<(), Refusal> {
    let completion = ["completed_at", "completed_by", "completed_by_person"];
    let wrote_status = ctx.wrote(id, "status");
    if !wrote_status && completion.iter().any(|f| ctx.wrote(id, f)) {
        return refuse(
            "task-completion",
            format!("who completed task {id} changes only with its status"),
        );
    }
    if !wrote_status || !ctx.winning_value_is_new(task, "status") {
        return Ok(()); // nothing written, or a concurrent write won
    }
    let am = ctx.am;
    let writer = ctx.writer;
    let status: crate::TaskStatus =
        autosurgeon::hydrate_prop(am, task, "status").map_err(|e| Refusal {
            rule: "readable",
            detail: e.to_string(),
        })?;
    let seen: Option<crate::TaskStatus> = autosurgeon::hydrate_prop(
        &At {
            am,
            heads: &ctx.seen,
        },
        task,
        "status",
    )
    .ok();
    if let Some(seen) = seen {
        crate::tasks::check_transition(&writer.actor, seen, status).map_err(|e| Refusal {
            rule: "task-status",
            detail: e.to_string(),
        })?;
    }
    let mine = |field: &str| ctx.winning_value_is_new(task, field);
    let text = |field: &str| -> Option<String> {
        autosurgeon::hydrate_prop(am, task, field).ok().flatten()
    };
    let at: Option<i64> = autosurgeon::hydrate_prop(am, task, "completed_at")
        .ok()
        .flatten();
    let signed = if status == crate::TaskStatus::Done {
        (!mine("completed_at") || at.is_some())
            && (!mine("completed_by") || writer.signs(text("completed_by").as_deref()))
            && (!mine("completed_by_person") || text("completed_by_person") == writer.actor.person)
    } else {
        (!mine("completed_at") || at.is_none())
            && (!mine("completed_by") || text("completed_by").is_none())
            && (!mine("completed_by_person") || text("completed_by_person").is_none())
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

fn tick_signed(writer: &Writer, item: &crate::ChecklistItem) -> bool {
    if item.done {
        item.done_at.is_some() && item.done_by.is_some() && writer.signs(item.done_by.as_deref())
    } else {
        item.done_by.is_none() && item.done_at.is_none()
    }
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
    // Answers are written by the relay alone, under its own actor, and it does not
    // go through these rules (`docs/design/surveys.md`): no device adds, changes or
    // removes one, so none carries a device's actor id.
    let answers_before = match &then {
        Some(Ok(s)) => Some(&s.answers),
        _ => None,
    };
    if let Some(s) = &now {
        let unchanged = match answers_before {
            Some(before) => before == &s.answers,
            None => s.answers.is_empty(),
        };
        if !unchanged {
            return refuse(
                "survey-answer",
                format!(
                    "survey {id}: answers are sent to the relay, which writes them; a device writes none"
                ),
            );
        }
    }
    if ctx.writer.actor.is_manager() {
        return Ok(());
    }
    // Staff change no survey.
    let (Some(Ok(then)), Some(now)) = (then, now) else {
        return refuse(
            "survey-answer",
            format!("only managers open or remove surveys ({id})"),
        );
    };
    if then == now {
        Ok(())
    } else {
        refuse(
            "survey-answer",
            format!("survey {id}: only managers change a survey"),
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
