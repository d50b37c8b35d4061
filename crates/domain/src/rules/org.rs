//! The org chart, written by someone below the store level. Roles follow from
//! positions ([`crate::access::role_of`]), so the chart is where privilege
//! lives: a department manager's write may touch only departments, positions,
//! people and duties of their departments — as the chart stood before the
//! write, so no write widens its own scope — and no one below the store level
//! gives a position a role or sets where problem reports go. (Staff write no
//! org chart at all: the relay's kinds refuse it first.)

use std::collections::BTreeSet;

use crate::OrgDoc;
use crate::access::{Actor, departments_of, role_of};
use crate::documents::{Department, Duty, Person, Position};

use super::{Refusal, Writer, refuse};

/// Checks the chart `after` a write against `before` for `writer`.
pub(super) fn check_org(before: &OrgDoc, after: &OrgDoc, writer: &Writer) -> Result<(), Refusal> {
    // Their role and scope as the chart stood before the write.
    let actor = match &writer.actor.person {
        Some(person) if before.people.contains_key(person) => {
            let Some(role) = role_of(before, person) else {
                return refuse("org-left", format!("{person} has left the store"));
            };
            Actor::for_person(before, person, role).unwrap_or_else(|_| writer.actor.clone())
        }
        _ => writer.actor.clone(),
    };
    if actor.is_store_level() {
        return Ok(());
    }
    let scope = actor.scope_departments(before);
    let ours = |d: &str| scope.contains(d);
    let out_of_scope = |what: &str, id: &str| {
        refuse(
            "org-scope",
            format!("{what} {id} is outside the writer's departments"),
        )
    };

    for id in changed(&before.departments, &after.departments) {
        let (then, now): (Option<&Department>, _) =
            (before.departments.get(id), after.departments.get(id));
        // An existing department must be ours; a new one must go under ours.
        let placed_in_scope = match (then, now) {
            (Some(_), Some(now)) => {
                ours(id)
                    && (now.parent == then.and_then(|t| t.parent.clone())
                        || now.parent.as_deref().is_some_and(ours))
            }
            (Some(_), None) => ours(id),
            (None, Some(now)) => now.parent.as_deref().is_some_and(ours),
            (None, None) => true,
        };
        if !placed_in_scope {
            return out_of_scope("department", id);
        }
        if let Some(head) = now.and_then(|d| d.head.as_deref())
            && then.and_then(|d| d.head.as_deref()) != Some(head)
            && !position_in(before, after, head, &ours)
        {
            return out_of_scope("head position", head);
        }
    }

    for id in changed(&before.positions, &after.positions) {
        let (then, now): (Option<&Position>, _) =
            (before.positions.get(id), after.positions.get(id));
        let departments = then.iter().chain(now.iter()).map(|p| p.department.as_str());
        if !departments.into_iter().all(ours) {
            return out_of_scope("position", id);
        }
        if then.and_then(|p| p.role) != now.and_then(|p| p.role) {
            return refuse(
                "org-role",
                format!("only the store's managers give position {id} a role"),
            );
        }
    }

    for id in changed(&before.people, &after.people) {
        let (then, now): (Option<&Person>, _) = (before.people.get(id), after.people.get(id));
        let held = |p: Option<&Person>| -> BTreeSet<String> {
            p.map(|p| p.held_positions().into_iter().map(String::from).collect())
                .unwrap_or_default()
        };
        let (held_then, held_now) = (held(then), held(now));
        // Every position given or taken is ours.
        for position in held_then.symmetric_difference(&held_now) {
            if !position_in(before, after, position, &ours) {
                return out_of_scope("position", position);
            }
        }
        // Anything else about someone already there: they work in our departments.
        let rest_changed = match (then, now) {
            (Some(t), Some(n)) => {
                t.name != n.name || t.contact != n.contact || t.active != n.active
            }
            (Some(_), None) => true,
            _ => false,
        };
        if rest_changed
            && !held_then
                .iter()
                .any(|p| position_in(before, before, p, &ours))
        {
            return out_of_scope("person", id);
        }
    }

    for id in changed(&before.duties, &after.duties) {
        let (then, now): (Option<&Duty>, _) = (before.duties.get(id), after.duties.get(id));
        for (org, duty) in [(before, then), (after, now)] {
            let Some(duty) = duty else { continue };
            let in_scope = duty.owner.as_ref().is_some_and(|owner| {
                let departments = departments_of(org, owner);
                !departments.is_empty() && departments.iter().all(|d| ours(d))
            });
            if !in_scope {
                return out_of_scope("duty", id);
            }
        }
    }

    if before.routing != after.routing {
        return refuse(
            "org-routing",
            "only the store's managers set where problem reports go",
        );
    }
    Ok(())
}

/// Whether `position` (as `before` or `after` has it) is in a department of ours.
fn position_in(
    before: &OrgDoc,
    after: &OrgDoc,
    position: &str,
    ours: &impl Fn(&str) -> bool,
) -> bool {
    [before, after]
        .iter()
        .filter_map(|org| org.positions.get(position))
        .all(|p| ours(&p.department))
        && (before.positions.contains_key(position) || after.positions.contains_key(position))
}

/// Ids whose entity differs between the two (added, removed or changed).
fn changed<'a, T: PartialEq>(
    before: &'a std::collections::BTreeMap<String, T>,
    after: &'a std::collections::BTreeMap<String, T>,
) -> Vec<&'a str> {
    let mut ids: Vec<&str> = before
        .iter()
        .filter(|(id, t)| after.get(*id) != Some(*t))
        .map(|(id, _)| id.as_str())
        .collect();
    ids.extend(
        after
            .keys()
            .filter(|id| !before.contains_key(*id))
            .map(String::as_str),
    );
    ids
}
