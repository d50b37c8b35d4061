//! Finding tasks: by words in their title, description, checklist and comments,
//! by status, owner, department, due dates, or overdue only.
//!
//! ```
//! use storeops_domain::search::TaskQuery;
//! use storeops_domain::calendar::Date;
//! use storeops_domain::{OrgDoc, Task};
//!
//! let mut t = Task::new("Count stock in aisle 3", "Li", 0);
//! t.description = "Use the blue scanner".into();
//! let query = TaskQuery::words("BLUE aisle");
//! let today = Date::new(2026, 12, 7).unwrap();
//! assert!(query.matches(&t, &OrgDoc::default(), today));
//! assert!(!TaskQuery::words("red").matches(&t, &OrgDoc::default(), today));
//! ```

use crate::access::task_departments;
use crate::calendar::Date;
use crate::documents::{OrgDoc, Owner, Task, TaskStatus};

/// What to look for; every part given must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskQuery {
    /// Lower-case words, each of which must appear somewhere in the task's text.
    pub words: Vec<String>,
    pub status: Option<TaskStatus>,
    /// The task's owner; for a person, also the positions they hold.
    pub assignee: Option<Owner>,
    /// A department the task counts for.
    pub department: Option<String>,
    /// Due on or after / on or before.
    pub due_from: Option<Date>,
    pub due_to: Option<Date>,
    /// Open and due before today.
    pub overdue: bool,
}

impl TaskQuery {
    /// A query of words only (split on whitespace, case-insensitive).
    pub fn words(text: &str) -> Self {
        Self {
            words: text.split_whitespace().map(str::to_lowercase).collect(),
            ..Self::default()
        }
    }

    /// Whether `task` answers the query, with `today` in the store's zone.
    pub fn matches(&self, task: &Task, org: &OrgDoc, today: Date) -> bool {
        if self.status.is_some_and(|s| s != task.status) {
            return false;
        }
        let due: Option<Date> = task.due.as_deref().and_then(|d| d.parse().ok());
        if self
            .due_from
            .is_some_and(|from| due.is_none_or(|d| d < from))
            || self.due_to.is_some_and(|to| due.is_none_or(|d| d > to))
        {
            return false;
        }
        if self.overdue && (!task.status.is_open() || due.is_none_or(|d| d >= today)) {
            return false;
        }
        if let Some(owner) = &self.assignee
            && !owned_by(task, owner, org)
        {
            return false;
        }
        if let Some(dept) = &self.department
            && !task_departments(org, task).contains(dept)
        {
            return false;
        }
        self.words.iter().all(|w| mentions(task, w))
    }
}

/// Whether `owner` holds `task`: it is theirs, or a person's position's.
fn owned_by(task: &Task, owner: &Owner, org: &OrgDoc) -> bool {
    match (&task.assignee, owner) {
        (Some(a), o) if a == o => true,
        (Some(Owner::Position(pos)), Owner::Person(p)) => org
            .people
            .get(p)
            .is_some_and(|person| person.held_positions().contains(&pos.as_str())),
        _ => false,
    }
}

/// Whether the lower-case `word` appears in the task's text.
fn mentions(task: &Task, word: &str) -> bool {
    let has = |text: &str| text.to_lowercase().contains(word);
    has(&task.title)
        || has(&task.description)
        || task.checklist.iter().any(|i| has(&i.text))
        || task.comments.iter().any(|c| has(&c.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::{ChecklistItem, Comment, Person};

    fn day(d: u32) -> Date {
        Date::new(2026, 12, d).unwrap()
    }

    #[test]
    fn each_part_of_a_query_must_hold() {
        let mut org = OrgDoc::default();
        org.people.insert(
            "p-lin".into(),
            Person {
                name: "Lin".into(),
                contact: String::new(),
                positions: vec!["pos:baker".into()],
                active: true,
            },
        );
        let mut t = Task::new("Bake", "Li", 0);
        t.assignee = Some(Owner::Position("pos:baker".into()));
        t.due = Some("2026-12-05".into());
        t.checklist.push(ChecklistItem {
            id: "c1".into(),
            text: "Preheat the OVEN".into(),
            done: false,
            done_by: None,
            done_at: None,
        });
        t.comments.push(Comment {
            id: "m1".into(),
            author: "Li".into(),
            at: 0,
            text: "Rye today".into(),
        });
        let today = day(7);
        let q = |t: &Task, f: fn(&mut TaskQuery)| {
            let mut q = TaskQuery::default();
            f(&mut q);
            q.matches(t, &org, today)
        };
        assert!(
            TaskQuery::words("oven rye").matches(&t, &org, today),
            "checklist and comments"
        );
        assert!(
            !TaskQuery::words("oven wheat").matches(&t, &org, today),
            "every word"
        );
        assert!(q(&t, |q| q.overdue = true), "open and due before today");
        assert!(q(&t, |q| q.status = Some(TaskStatus::Todo)));
        assert!(!q(&t, |q| q.status = Some(TaskStatus::Done)));
        assert!(
            q(&t, |q| q.assignee = Some(Owner::Person("p-lin".into()))),
            "her position's"
        );
        assert!(!q(&t, |q| q.assignee = Some(Owner::Person("p-wang".into()))));
        assert!(q(&t, |q| q.due_from = Some(day(5))));
        assert!(!q(&t, |q| q.due_from = Some(day(6))));
        assert!(!q(&t, |q| q.due_to = Some(day(4))));
        t.status = TaskStatus::Done;
        assert!(!q(&t, |q| q.overdue = true), "done is not overdue");
    }
}
