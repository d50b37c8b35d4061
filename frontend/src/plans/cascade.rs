//! The planning cascade as a tree: annual plans at the top, the monthly plans that break
//! each down under it, their weekly plans under those. Built from each plan's `parent`.

use std::collections::{BTreeMap, BTreeSet};

use storeops_api::PlanLevel;
use storeops_api::plans::PlanView;

/// One row of the tree: the plan's index in the board and how deep it sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub index: usize,
    pub depth: usize,
}

/// The order plans are shown in among their siblings: by level, then period, then title.
fn sort_key(plan: &PlanView) -> (u8, &str, &str, &str) {
    let level = match plan.level {
        PlanLevel::Annual => 0,
        PlanLevel::Monthly => 1,
        PlanLevel::Weekly => 2,
    };
    (
        level,
        plan.period.as_str(),
        plan.title.as_str(),
        plan.id.as_str(),
    )
}

/// The plans in tree order, depth first. A plan whose parent is not on the board (another
/// year's, or not synced yet) is shown at the top, so nothing is ever hidden; a cycle in
/// bad data is broken rather than followed.
pub fn rows(plans: &[PlanView]) -> Vec<Row> {
    let ids: BTreeMap<&str, usize> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut roots = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        match plan.parent.as_deref().and_then(|p| ids.get(p)) {
            Some(&parent) if parent != i => children.entry(parent).or_default().push(i),
            _ => roots.push(i),
        }
    }
    let by_key = |list: &mut Vec<usize>| {
        list.sort_by(|a, b| sort_key(&plans[*a]).cmp(&sort_key(&plans[*b])))
    };
    by_key(&mut roots);
    for list in children.values_mut() {
        by_key(list);
    }

    let mut out = Vec::with_capacity(plans.len());
    let mut seen = BTreeSet::new();
    let mut stack: Vec<Row> = roots
        .iter()
        .rev()
        .map(|&index| Row { index, depth: 0 })
        .collect();
    while let Some(row) = stack.pop() {
        if !seen.insert(row.index) {
            continue;
        }
        out.push(row);
        if let Some(kids) = children.get(&row.index) {
            stack.extend(kids.iter().rev().map(|&index| Row {
                index,
                depth: row.depth + 1,
            }));
        }
    }
    // Plans caught in a parent cycle were never reached from a root: show them at the top.
    for index in 0..plans.len() {
        if seen.insert(index) {
            out.push(Row { index, depth: 0 });
        }
    }
    out
}

/// The plans a new plan of `level` can break down: those one level up.
pub fn parent_choices(plans: &[PlanView], level: PlanLevel) -> Vec<&PlanView> {
    let Some(parent_level) = level.parent_level() else {
        return Vec::new();
    };
    let mut choices: Vec<&PlanView> = plans.iter().filter(|p| p.level == parent_level).collect();
    choices.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    choices
}

/// Share of a plan's tasks done, 0 to 1 (0 when it has none yet).
pub fn share(done: usize, tasks: usize) -> f64 {
    if tasks == 0 {
        0.0
    } else {
        (done as f64 / tasks as f64).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use storeops_api::PlanStatus;

    fn plan(id: &str, level: &str, period: &str, parent: Option<&str>) -> PlanView {
        PlanView {
            id: id.into(),
            level: crate::ui::wire::parse(level).unwrap_or(PlanLevel::Annual),
            period: period.into(),
            title: id.into(),
            owner: String::new(),
            owner_title: String::new(),
            department: None,
            parent: parent.map(str::to_owned),
            status: PlanStatus::Draft,
            approver: String::new(),
            items: Vec::new(),
            reviews: Vec::new(),
            progress: Default::default(),
            can_edit: false,
            can_review: false,
            can_schedule: false,
            can_reopen: false,
            can_comment: false,
        }
    }

    fn shown(plans: &[PlanView]) -> Vec<(String, usize)> {
        rows(plans)
            .into_iter()
            .map(|r| (plans[r.index].id.clone(), r.depth))
            .collect()
    }

    #[test]
    fn plans_nest_under_their_parents_in_period_order() {
        let plans = vec![
            plan("w2", "weekly", "2026-W48", Some("m11")),
            plan("m12", "monthly", "2026-12", Some("y")),
            plan("w1", "weekly", "2026-W47", Some("m11")),
            plan("m11", "monthly", "2026-11", Some("y")),
            plan("y", "annual", "2026", None),
        ];
        let expected = [("y", 0), ("m11", 1), ("w1", 2), ("w2", 2), ("m12", 1)];
        let expected: Vec<(String, usize)> = expected
            .iter()
            .map(|(id, d)| ((*id).to_owned(), *d))
            .collect();
        assert_eq!(shown(&plans), expected);
    }

    #[test]
    fn orphans_and_cycles_still_show() {
        let plans = vec![
            plan("w", "weekly", "2026-W48", Some("gone")),
            plan("a", "monthly", "2026-11", Some("b")),
            plan("b", "monthly", "2026-12", Some("a")),
            plan("self", "annual", "2026", Some("self")),
        ];
        let mut ids: Vec<String> = shown(&plans).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), 4);
        ids.sort();
        assert_eq!(ids, ["a", "b", "self", "w"]);
    }

    #[test]
    fn a_new_plan_picks_its_parent_one_level_up() {
        let plans = vec![
            plan("y", "annual", "2026", None),
            plan("m", "monthly", "2026-11", Some("y")),
        ];
        assert!(parent_choices(&plans, PlanLevel::Annual).is_empty());
        assert_eq!(parent_choices(&plans, PlanLevel::Monthly)[0].id, "y");
        assert_eq!(parent_choices(&plans, PlanLevel::Weekly)[0].id, "m");
    }

    #[test]
    fn shares_stay_between_zero_and_one() {
        assert_eq!(share(0, 0), 0.0);
        assert_eq!(share(1, 4), 0.25);
        assert_eq!(share(5, 4), 1.0);
    }
}
