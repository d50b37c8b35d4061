//! Who changed what, when: read from the automerge change history.
//!
//! Every command writes one change whose message says what it did as structure,
//! a [`Change`]: who (the actor's name) and what ([`ChangeKind`]: created,
//! reassigned from whom to whom, status from and to, …), worded by the UI in the
//! reader's language. The message is `<who> [storeops/1] <JSON of the kind>`:
//! it still starts with the writer's name (the relay's rule for staff changes,
//! [`crate::rules`]), and the version in the marker lets a later build change
//! the JSON. Changes written before (English sentences) and any message that is
//! not this build's read as plain text, capped ([`Said::Text`]).
//!
//! A task's history is every change with an operation on the task or on
//! anything inside it (checklist, comments), including writes later overwritten
//! (e.g. a concurrent reassignment that lost), in causal order.

use std::collections::HashSet;

use automerge::{Automerge, ObjId, ObjType, ReadDoc, Value};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::documents::{Priority, TaskStatus};
use crate::tasks::tasks_obj;

/// What one change did, and who did it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The person's name as the writing device's actor has it.
    pub who: String,
    pub what: ChangeKind,
}

/// What a change did to a task (or, for changes of many tasks at once, to
/// them all). Names of owners are display names, as the writer's org chart had
/// them; `None` for an owner is nobody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    /// The task was created (by hand or from a duty).
    Created { title: String },
    /// Fields of the task's definition changed, in this order.
    Edited { fields: Vec<FieldChange> },
    /// One task was given to someone else.
    Reassigned {
        from: Option<String>,
        to: Option<String>,
    },
    /// Every open task of `from` was given to `to`.
    ReassignedOpen {
        count: u32,
        from: String,
        to: Option<String>,
    },
    /// The open tasks of `person`, who left, went to their position `to`.
    HandedOver {
        count: u32,
        person: String,
        to: String,
    },
    /// The open tasks of `person`, who left and held no position, are unassigned.
    UnassignedLeft { count: u32, person: String },
    /// A checklist item was added.
    ChecklistItemAdded { item: String },
    /// A checklist item was ticked (`done`) or unticked.
    Ticked { item: String, done: bool },
    /// A comment was added (its text is in the task).
    Commented,
    /// The status changed.
    Status { from: TaskStatus, to: TaskStatus },
    /// Duties' tasks were made for the days `first` to `last` (`YYYY-MM-DD`).
    Generated {
        count: u32,
        first: String,
        last: String,
    },
    /// Tasks were made from the action items of the meeting titled `meeting`.
    FromMeeting { count: u32, meeting: String },
    /// Tasks were scheduled from the items of the plan titled `plan`.
    FromPlan { count: u32, plan: String },
    /// A kind this build does not know (a newer build's), or one it cannot read.
    #[serde(other)]
    Other,
}

/// One field of a task edit, with its old and new values where they are short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum FieldChange {
    Title {
        from: String,
        to: String,
    },
    /// The description changed (its text is in the task).
    Description,
    /// `YYYY-MM-DD`; `None`: no due date.
    Due {
        from: Option<String>,
        to: Option<String>,
    },
    /// `HH:MM`; `None`: no time.
    DueTime {
        from: Option<String>,
        to: Option<String>,
    },
    Priority {
        from: Priority,
        to: Priority,
    },
    /// A field this build does not know.
    #[serde(other)]
    Other,
}

/// The version marker between the name and the JSON: ` [storeops/<n>] `.
const MARKER_START: &str = " [storeops/";
/// The version of the JSON this build writes and reads.
const VERSION: &str = "1";
/// Longer messages are not parsed (no honest command writes one).
const MAX_PARSED: usize = 64 * 1024;
/// Plain-text messages are shown at most this many characters long.
pub const MAX_TEXT_CHARS: usize = 500;
/// A name is shown at most this many characters long.
const MAX_NAME_CHARS: usize = 200;

impl Change {
    pub fn new(who: impl Into<String>, what: ChangeKind) -> Self {
        Self {
            who: who.into(),
            what,
        }
    }

    /// The change message: `<who> [storeops/1] <JSON>`.
    pub fn message(&self) -> String {
        // Serialising an enum of strings, numbers and unit variants cannot fail.
        let json = serde_json::to_string(&self.what).unwrap_or_else(|_| "{}".into());
        format!("{}{MARKER_START}{VERSION}] {json}", self.who)
    }

    /// The change a message describes, if it is a structured one: `None` for any
    /// other text (an older build's English sentence, a hostile message). A
    /// structured message of another version, or whose JSON this build cannot
    /// read, is [`ChangeKind::Other`] by its writer. Never panics.
    pub fn parse(message: &str) -> Option<Self> {
        if message.len() > MAX_PARSED {
            return None;
        }
        let (who, rest) = message.split_once(MARKER_START)?;
        let (version, json) = rest.split_once("] ")?;
        if who.is_empty() || version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let what = if version == VERSION {
            serde_json::from_str(json).unwrap_or(ChangeKind::Other)
        } else {
            ChangeKind::Other
        };
        Some(Self {
            who: who.to_owned(),
            what,
        })
    }
}

/// What a change's message says: a structured change, or plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Said {
    Change(Change),
    /// A message that is not structured (an older build's English), capped at
    /// [`MAX_TEXT_CHARS`].
    Text(String),
}

impl Said {
    /// Reads any message; never panics.
    pub fn of(message: &str) -> Self {
        match Change::parse(message) {
            Some(c) => Self::Change(Change {
                who: capped(&c.who, MAX_NAME_CHARS),
                what: c.what,
            }),
            None => Self::Text(capped(message, MAX_TEXT_CHARS)),
        }
    }

    pub fn change(&self) -> Option<&Change> {
        match self {
            Self::Change(c) => Some(c),
            Self::Text(_) => None,
        }
    }
}

/// `text` cut to at most `max` characters, with `…` when cut.
fn capped(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// One change in a history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The change hash (hex).
    pub hash: String,
    /// The automerge actor (device) that made it (hex).
    pub actor: String,
    /// When, in Unix milliseconds (changes carry seconds).
    pub at_ms: i64,
    /// What, as structure (or an older change's text).
    pub said: Said,
}

/// The history of one task, oldest first.
pub fn task_history(am: &Automerge, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
    let tasks = tasks_obj(am)?;
    let Some((Value::Object(ObjType::Map), task)) = am.get(&tasks, id)? else {
        return Err(DomainError::NotFound {
            what: crate::problem::Noun::Task,
            id: id.into(),
        });
    };
    object_history(am, &tasks, id, &task)
}

/// The history of the entity `parent[key]` (whose object is `obj`) and
/// everything inside it.
pub(crate) fn object_history(
    am: &Automerge,
    parent: &ObjId,
    key: &str,
    obj: &ObjId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let mut inside = HashSet::new();
    collect(am, obj, &mut inside)?;
    let parent = parent.to_string();
    let mut out = Vec::new();
    for change in am.get_changes(&[]) {
        let expanded = change.decode();
        let touches = expanded.operations.iter().any(|op| {
            let target = op.obj.to_string();
            inside.contains(&target)
                || (target == parent
                    && matches!(&op.key, automerge::legacy::Key::Map(k) if k.as_str() == key))
        });
        if touches {
            out.push(HistoryEntry {
                hash: change.hash().to_string(),
                actor: change.actor_id().to_hex_string(),
                at_ms: change.timestamp() * 1000,
                said: Said::of(change.message().unwrap_or_default()),
            });
        }
    }
    Ok(out)
}

fn collect(am: &Automerge, obj: &ObjId, into: &mut HashSet<String>) -> Result<(), DomainError> {
    into.insert(obj.to_string());
    let children: Vec<ObjId> = match am.object_type(obj)? {
        ObjType::Map | ObjType::Table => am
            .map_range(obj, ..)
            .filter_map(|item| match item.value {
                automerge::ValueRef::Object(_) => Some(item.id()),
                _ => None,
            })
            .collect(),
        ObjType::List => (0..am.length(obj))
            .filter_map(|i| match am.get(obj, i) {
                Ok(Some((Value::Object(_), id))) => Some(id),
                _ => None,
            })
            .collect(),
        ObjType::Text => vec![],
    };
    for child in children {
        collect(am, &child, into)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<ChangeKind> {
        let s = |t: &str| t.to_owned();
        vec![
            ChangeKind::Created { title: s("Count") },
            ChangeKind::Edited {
                fields: vec![
                    FieldChange::Title {
                        from: s("a"),
                        to: s("b \"quoted\" ] [storeops/1] "),
                    },
                    FieldChange::Description,
                    FieldChange::Due {
                        from: None,
                        to: Some(s("2026-12-01")),
                    },
                    FieldChange::DueTime {
                        from: Some(s("09:00")),
                        to: None,
                    },
                    FieldChange::Priority {
                        from: Priority::Low,
                        to: Priority::Urgent,
                    },
                ],
            },
            ChangeKind::Reassigned {
                from: None,
                to: Some(s("Qian")),
            },
            ChangeKind::ReassignedOpen {
                count: 3,
                from: s("Warehouse specialist"),
                to: None,
            },
            ChangeKind::HandedOver {
                count: 2,
                person: s("Zhao"),
                to: s("Cashier"),
            },
            ChangeKind::UnassignedLeft {
                count: 1,
                person: s("Temp"),
            },
            ChangeKind::ChecklistItemAdded { item: s("盘点") },
            ChangeKind::Ticked {
                item: s("Shelves"),
                done: false,
            },
            ChangeKind::Commented,
            ChangeKind::Status {
                from: TaskStatus::Blocked,
                to: TaskStatus::InProgress,
            },
            ChangeKind::Generated {
                count: 7,
                first: s("2026-12-01"),
                last: s("2026-12-07"),
            },
            ChangeKind::FromMeeting {
                count: 2,
                meeting: s("周会"),
            },
            ChangeKind::FromPlan {
                count: 4,
                plan: s("Week 48"),
            },
            ChangeKind::Other,
        ]
    }

    #[test]
    fn every_kind_reads_back_as_written_and_starts_with_the_name() {
        for what in every_kind() {
            let change = Change::new("Li Wei", what);
            let message = change.message();
            assert!(message.starts_with("Li Wei [storeops/1] {"), "{message}");
            assert_eq!(Change::parse(&message), Some(change.clone()));
            assert_eq!(Said::of(&message), Said::Change(change));
        }
    }

    #[test]
    fn an_older_english_message_is_plain_text() {
        let old = "Zhang reassigned \"Count\" from Warehouse specialist to Zhao";
        assert_eq!(Said::of(old), Said::Text(old.into()));
        assert_eq!(Said::of(""), Said::Text(String::new()));
    }

    #[test]
    fn a_newer_kind_or_version_is_other_by_its_writer() {
        let other = |m: &str| {
            Said::of(m)
                .change()
                .map(|c| (c.who.clone(), c.what.clone()))
        };
        let li = Some(("Li".to_owned(), ChangeKind::Other));
        assert_eq!(
            other(r#"Li [storeops/1] {"kind":"teleported","to":"Mars"}"#),
            li
        );
        assert_eq!(other(r#"Li [storeops/2] {"whatever":true}"#), li);
        assert_eq!(
            other(r#"Li [storeops/1] {"kind":"edited","fields":[{"field":"colour"}]}"#),
            Some((
                "Li".to_owned(),
                ChangeKind::Edited {
                    fields: vec![FieldChange::Other]
                }
            ))
        );
        // An unknown status is not this build's: Other, not a panic.
        assert_eq!(
            other(r#"Li [storeops/1] {"kind":"status","from":"todo","to":"vanished"}"#),
            li
        );
    }

    #[test]
    fn hostile_messages_never_panic_and_fall_back_capped() {
        let huge = "x".repeat(1_000_000);
        let nested = format!(
            "Li [storeops/1] {}{}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let long_json = format!(
            "Li [storeops/1] {{\"kind\":\"created\",\"title\":\"{}\"}}",
            "y".repeat(MAX_PARSED)
        );
        let cases = [
            huge.as_str(),
            nested.as_str(),
            long_json.as_str(),
            "Li [storeops/1] {not json",
            "Li [storeops/1] ",
            "Li [storeops/1]",
            " [storeops/1] {\"kind\":\"commented\"}",
            "Li [storeops/x] {\"kind\":\"commented\"}",
            "Li [storeops/] {}",
            "Li [storeops/1] null",
            "Li [storeops/1] {\"kind\":\"created\"}",
            "Li [storeops/1] {\"kind\":\"reassigned_open\",\"count\":-1,\"from\":\"a\"}",
            "\u{0}\u{ffff}[storeops/1 ]",
        ];
        for m in cases {
            match Said::of(m) {
                Said::Text(t) => assert!(t.chars().count() <= MAX_TEXT_CHARS + 1, "{}", t.len()),
                Said::Change(c) => {
                    assert!(c.who.chars().count() <= MAX_NAME_CHARS + 1);
                    assert!(!c.who.is_empty());
                }
            }
        }
        let Said::Text(t) = Said::of(&huge) else {
            panic!("a huge message is text")
        };
        assert_eq!(t.chars().count(), MAX_TEXT_CHARS + 1);
        assert!(t.ends_with('…'));
        // Cut on a character, not inside one.
        let Said::Text(t) = Said::of(&"盘".repeat(600)) else {
            panic!("text")
        };
        assert_eq!(t, format!("{}…", "盘".repeat(MAX_TEXT_CHARS)));
        let name = format!(
            "{} [storeops/1] {{\"kind\":\"commented\"}}",
            "名".repeat(300)
        );
        let Said::Change(c) = Said::of(&name) else {
            panic!("structured")
        };
        assert_eq!(c.who.chars().count(), MAX_NAME_CHARS + 1);
        assert_eq!(c.what, ChangeKind::Commented);
    }
}
