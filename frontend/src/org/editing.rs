//! Editing the org chart and the duty register: what the forms hold, and the checks a
//! form makes before it sends anything. Pure, so it is tested without a browser.

use std::collections::BTreeSet;

use storeops_api::Cadence;
use storeops_api::org::{OrgDepartment, OrgPosition, RaciInput};

use crate::i18n::Key;

/// The most people one position can be for.
pub const MAX_HEADCOUNT: u32 = 50;

/// A department as its form submits it; `id` is `None` for a new one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentDraft {
    pub id: Option<String>,
    pub name: String,
    pub parent: Option<String>,
    /// The position that heads it (only an existing department has positions).
    pub head: Option<String>,
}

impl DepartmentDraft {
    /// Trims the name; refuses an empty name or a parent that is the department itself
    /// or one below it.
    pub fn checked(mut self, departments: &[OrgDepartment]) -> Result<Self, Key> {
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() {
            return Err(Key::NameNeeded);
        }
        if let (Some(id), Some(parent)) = (&self.id, &self.parent)
            && department_and_below(departments, id).contains(parent)
        {
            return Err(Key::ParentLoop);
        }
        Ok(self)
    }
}

/// A position as its form submits it; `id` is `None` for a new one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PositionDraft {
    pub id: Option<String>,
    pub title: String,
    pub department: String,
    pub reports_to: Option<String>,
    /// As typed.
    pub headcount: String,
}

/// A checked [`PositionDraft`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PositionEdit {
    pub id: Option<String>,
    pub title: String,
    pub department: String,
    pub reports_to: Option<String>,
    pub headcount: u32,
}

impl PositionDraft {
    pub fn checked(self, positions: &[(&OrgPosition, &str)]) -> Result<PositionEdit, Key> {
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            return Err(Key::TitleNeeded);
        }
        if self.department.is_empty() {
            return Err(Key::DepartmentNeeded);
        }
        let headcount = parse_headcount(&self.headcount)?;
        if let (Some(id), Some(boss)) = (&self.id, &self.reports_to)
            && position_and_below(positions.iter().map(|(p, _)| *p), id).contains(boss)
        {
            return Err(Key::ReportsToLoop);
        }
        Ok(PositionEdit {
            id: self.id,
            title,
            department: self.department,
            reports_to: self.reports_to,
            headcount,
        })
    }
}

/// A headcount as typed: a whole number from 1 to [`MAX_HEADCOUNT`].
pub fn parse_headcount(s: &str) -> Result<u32, Key> {
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_HEADCOUNT).contains(&n) => Ok(n),
        _ => Err(Key::HeadcountRange),
    }
}

/// A duty as its form submits it; `id` is `None` for a new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DutyDraft {
    pub id: Option<String>,
    pub text: String,
    /// An owner id (`position:…`, `department:…`, `person:…`), or none yet.
    pub owner: Option<String>,
    /// The cadence's wire name, as the form's `<select>` holds it.
    pub cadence: String,
    pub raci: RaciInput,
}

/// A checked [`DutyDraft`]: the RACI is `None` when nothing in it is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DutyEdit {
    pub id: Option<String>,
    pub text: String,
    pub owner: Option<String>,
    pub cadence: Cadence,
    pub raci: Option<RaciInput>,
}

impl DutyDraft {
    pub fn checked(self) -> Result<DutyEdit, Key> {
        let text = self.text.trim().to_owned();
        if text.is_empty() {
            return Err(Key::DutyTextNeeded);
        }
        let cadence = crate::ui::wire::parse(&self.cadence).ok_or(Key::CadenceNeeded)?;
        let mut raci = self.raci;
        // One name in one list: informed is the weakest, so it gives way.
        raci.consulted.sort();
        raci.consulted.dedup();
        raci.informed.sort();
        raci.informed.dedup();
        let consulted = raci.consulted.clone();
        raci.informed.retain(|id| !consulted.contains(id));
        Ok(DutyEdit {
            id: self.id,
            text,
            owner: self.owner.filter(|o| !o.is_empty()),
            cadence,
            raci: (!raci.is_empty()).then_some(raci),
        })
    }
}

/// The department `id` and every department below it: none of them can be its parent.
pub fn department_and_below(departments: &[OrgDepartment], id: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::from([id.to_owned()]);
    loop {
        let before = found.len();
        for d in departments {
            if d.parent.as_ref().is_some_and(|p| found.contains(p)) {
                found.insert(d.id.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// The position `id` and every position reporting to it, directly or not: none of them
/// can be the one it reports to.
pub fn position_and_below<'a>(
    positions: impl Iterator<Item = &'a OrgPosition> + Clone,
    id: &str,
) -> BTreeSet<String> {
    let mut found = BTreeSet::from([id.to_owned()]);
    loop {
        let before = found.len();
        for p in positions.clone() {
            if p.reports_to.as_ref().is_some_and(|r| found.contains(r)) {
                found.insert(p.id.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// Every position of the chart with its department's name.
pub fn all_positions(departments: &[OrgDepartment]) -> Vec<(&OrgPosition, &str)> {
    departments
        .iter()
        .flat_map(|d| d.positions.iter().map(move |p| (p, d.name.as_str())))
        .collect()
}

/// Departments in tree order (parents first) with their depth, leaving out `except` and
/// everything below it: the choices for a department's parent.
pub fn department_choices<'a>(
    departments: &'a [OrgDepartment],
    except: Option<&str>,
) -> Vec<(&'a OrgDepartment, usize)> {
    let hidden = except
        .map(|id| department_and_below(departments, id))
        .unwrap_or_default();
    let known: BTreeSet<&str> = departments.iter().map(|d| d.id.as_str()).collect();
    let mut out = Vec::with_capacity(departments.len());
    let mut seen = BTreeSet::new();
    let roots = departments
        .iter()
        .filter(|d| d.parent.as_deref().is_none_or(|p| !known.contains(p)));
    let mut stack: Vec<(&OrgDepartment, usize)> = roots.rev().map(|d| (d, 0)).collect();
    while let Some((d, depth)) = stack.pop() {
        if !seen.insert(d.id.as_str()) {
            continue;
        }
        if !hidden.contains(&d.id) {
            out.push((d, depth));
        }
        let children = departments
            .iter()
            .filter(|c| c.parent.as_deref() == Some(d.id.as_str()));
        stack.extend(children.rev().map(|c| (c, depth + 1)));
    }
    // Departments in a loop of parents are reached from no root: offer them at the top.
    for d in departments {
        if !seen.contains(d.id.as_str()) && !hidden.contains(&d.id) {
            out.push((d, 0));
        }
    }
    out
}

/// A department's name indented by its depth, for a `<select>`.
pub fn indented(name: &str, depth: usize) -> String {
    format!("{}{name}", "\u{2003}".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dept(id: &str, parent: Option<&str>) -> OrgDepartment {
        OrgDepartment {
            id: id.into(),
            name: id.into(),
            parent: parent.map(Into::into),
            head: None,
            positions: Vec::new(),
            uncovered_duties: 0,
        }
    }

    fn pos(id: &str, reports_to: Option<&str>) -> OrgPosition {
        OrgPosition {
            id: id.into(),
            title: id.into(),
            reports_to: reports_to.map(Into::into),
            headcount: 1,
            holders: Vec::new(),
            holder_ids: Vec::new(),
            vacant: 0,
            uncovered_duties: 0,
        }
    }

    fn tree() -> Vec<OrgDepartment> {
        vec![
            dept("dept:top", None),
            dept("dept:ops", Some("dept:top")),
            dept("dept:stock", Some("dept:ops")),
            dept("dept:sales", Some("dept:top")),
        ]
    }

    #[test]
    fn a_department_cannot_move_under_itself_or_below_itself() {
        let depts = tree();
        let below = department_and_below(&depts, "dept:ops");
        assert_eq!(
            below,
            BTreeSet::from(["dept:ops".to_owned(), "dept:stock".to_owned()])
        );
        let choices: Vec<_> = department_choices(&depts, Some("dept:ops"))
            .into_iter()
            .map(|(d, depth)| (d.id.as_str(), depth))
            .collect();
        assert_eq!(choices, [("dept:top", 0), ("dept:sales", 1)]);

        let draft = DepartmentDraft {
            id: Some("dept:ops".into()),
            name: " Operations ".into(),
            parent: Some("dept:stock".into()),
            head: None,
        };
        assert_eq!(draft.checked(&depts), Err(Key::ParentLoop));
    }

    #[test]
    fn every_department_is_a_choice_for_a_new_one_in_tree_order() {
        let depts = tree();
        let choices: Vec<_> = department_choices(&depts, None)
            .into_iter()
            .map(|(d, depth)| (d.id.as_str(), depth))
            .collect();
        assert_eq!(
            choices,
            [
                ("dept:top", 0),
                ("dept:ops", 1),
                ("dept:stock", 2),
                ("dept:sales", 1)
            ]
        );
    }

    #[test]
    fn departments_in_a_loop_are_still_offered() {
        let depts = vec![
            dept("dept:a", Some("dept:b")),
            dept("dept:b", Some("dept:a")),
        ];
        assert_eq!(department_choices(&depts, None).len(), 2);
    }

    #[test]
    fn a_department_needs_a_name() {
        let draft = DepartmentDraft {
            name: "   ".into(),
            ..DepartmentDraft::default()
        };
        assert_eq!(draft.checked(&tree()), Err(Key::NameNeeded));
        let draft = DepartmentDraft {
            name: " 客服部 ".into(),
            parent: Some("dept:top".into()),
            ..DepartmentDraft::default()
        };
        assert_eq!(draft.checked(&tree()).map(|d| d.name), Ok("客服部".into()));
    }

    #[test]
    fn headcount_is_one_to_fifty() {
        assert_eq!(parse_headcount("1"), Ok(1));
        assert_eq!(parse_headcount(" 50 "), Ok(50));
        assert_eq!(parse_headcount("0"), Err(Key::HeadcountRange));
        assert_eq!(parse_headcount("51"), Err(Key::HeadcountRange));
        assert_eq!(parse_headcount("two"), Err(Key::HeadcountRange));
        assert_eq!(parse_headcount(""), Err(Key::HeadcountRange));
    }

    #[test]
    fn a_position_needs_a_title_a_department_and_no_reporting_loop() {
        let positions = [
            pos("pos:boss", None),
            pos("pos:lead", Some("pos:boss")),
            pos("pos:clerk", Some("pos:lead")),
        ];
        let listed: Vec<_> = positions.iter().map(|p| (p, "Ops")).collect();
        let draft = |title: &str, dept: &str, boss: Option<&str>, n: &str| PositionDraft {
            id: Some("pos:lead".into()),
            title: title.into(),
            department: dept.into(),
            reports_to: boss.map(Into::into),
            headcount: n.into(),
        };
        assert_eq!(
            draft("", "dept:ops", None, "1").checked(&listed),
            Err(Key::TitleNeeded)
        );
        assert_eq!(
            draft("Lead", "", None, "1").checked(&listed),
            Err(Key::DepartmentNeeded)
        );
        assert_eq!(
            draft("Lead", "dept:ops", None, "0").checked(&listed),
            Err(Key::HeadcountRange)
        );
        assert_eq!(
            draft("Lead", "dept:ops", Some("pos:clerk"), "1").checked(&listed),
            Err(Key::ReportsToLoop)
        );
        let ok = draft(" Lead ", "dept:ops", Some("pos:boss"), "3").checked(&listed);
        assert_eq!(ok.map(|p| (p.title, p.headcount)), Ok(("Lead".into(), 3)));
    }

    #[test]
    fn a_duty_needs_text_and_a_cadence_and_an_empty_raci_is_none() {
        let draft = |text: &str, cadence: &str, raci: RaciInput| DutyDraft {
            id: None,
            text: text.into(),
            owner: Some(String::new()),
            cadence: cadence.into(),
            raci,
        };
        assert_eq!(
            draft(" ", "daily", RaciInput::default()).checked(),
            Err(Key::DutyTextNeeded)
        );
        assert_eq!(
            draft("Count", "hourly", RaciInput::default()).checked(),
            Err(Key::CadenceNeeded)
        );
        let ok = draft("Count stock", "monthly", RaciInput::default()).checked();
        assert_eq!(
            ok,
            Ok(DutyEdit {
                id: None,
                text: "Count stock".into(),
                owner: None,
                cadence: Cadence::Monthly,
                raci: None,
            })
        );
    }

    #[test]
    fn someone_consulted_is_not_also_informed() {
        let raci = RaciInput {
            responsible: Some("position:pos:a".into()),
            accountable: None,
            consulted: vec!["person:p1".into(), "person:p1".into()],
            informed: vec!["person:p1".into(), "department:dept:x".into()],
        };
        let edit = DutyDraft {
            id: Some("duty:x".into()),
            text: "x".into(),
            owner: None,
            cadence: "weekly".into(),
            raci,
        }
        .checked();
        let raci = edit.ok().and_then(|e| e.raci).unwrap_or_default();
        assert_eq!(raci.consulted, ["person:p1"]);
        assert_eq!(raci.informed, ["department:dept:x"]);
    }
}
