//! The org chart and the duty register: commands and the coverage check.
//!
//! Nothing in the org chart is ever deleted: people leave (`active = false`),
//! departments and positions move or are renamed. So tasks, duties and plans
//! never point at an id that no longer exists, whatever order changes merge in.

use crate::problem::{Action, Invalid, Noun};
use automerge::{Automerge, ReadDoc};
use autosurgeon::reconcile_prop;

use crate::access::Actor;
use crate::documents::*;
use crate::tasks::{check_owner, child_map, owner_name};
use crate::{DomainError, read_org, transact};

fn collection<D: automerge::ReadDoc>(doc: &D, key: &str) -> Result<automerge::ObjId, DomainError> {
    match doc.get(automerge::ROOT, key)? {
        Some((automerge::Value::Object(automerge::ObjType::Map), id)) => Ok(id),
        _ => Err(DomainError::Malformed("org", format!("no {key} map"))),
    }
}

fn fresh(org: &OrgDoc, what: Noun, id: &str) -> Result<(), DomainError> {
    let taken = match what {
        Noun::Department => org.departments.contains_key(id),
        Noun::Position => org.positions.contains_key(id),
        Noun::Person => org.people.contains_key(id),
        _ => org.duties.contains_key(id),
    };
    if id.trim().is_empty() || taken {
        Err(Invalid::IdTaken {
            what,
            id: id.into(),
        }
        .into())
    } else {
        Ok(())
    }
}

fn non_empty(text: &str, what: Noun) -> Result<String, DomainError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Invalid::NeedsName { what }.into());
    }
    // Duties become task titles: one limit for names and titles.
    crate::text::limits::at_most(Noun::Name, t, crate::text::limits::TITLE)?;
    Ok(t.into())
}

fn department_exists(org: &OrgDoc, id: &str) -> Result<(), DomainError> {
    if org.departments.contains_key(id) {
        Ok(())
    } else {
        Err(DomainError::NotFound {
            what: Noun::Department,
            id: id.into(),
        })
    }
}

fn position_exists(org: &OrgDoc, id: &str) -> Result<(), DomainError> {
    if org.positions.contains_key(id) {
        Ok(())
    } else {
        Err(DomainError::NotFound {
            what: Noun::Position,
            id: id.into(),
        })
    }
}

/// Writes one field of one entity as one change.
fn write_field<T: autosurgeon::Reconcile>(
    am: &mut Automerge,
    message: String,
    now_ms: i64,
    coll: &str,
    id: &str,
    what: Noun,
    fields: &[(&str, &T)],
) -> Result<(), DomainError> {
    transact(am, message, now_ms, |tx| {
        let c = collection(tx, coll)?;
        let obj = child_map(tx, &c, id, what)?;
        for (field, value) in fields {
            reconcile_prop(tx, &obj, *field, *value)?;
        }
        Ok(())
    })
}

/// Adds a department: store-level roles anywhere, department managers below
/// their own departments.
pub fn add_department(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    name: &str,
    parent: Option<&str>,
    now_ms: i64,
) -> Result<Department, DomainError> {
    let org = read_org(am)?;
    fresh(&org, Noun::Department, id)?;
    match parent {
        Some(p) => {
            department_exists(&org, p)?;
            actor.require_department(&org, p, Action::AddSubDepartment)?;
        }
        None => actor.require_store_level(Action::AddTopDepartment)?,
    }
    let dept = Department {
        name: non_empty(name, Noun::Department)?,
        head: None,
        parent: parent.map(String::from),
    };
    let message = format!("{} added department {}", actor.name, dept.name);
    transact(am, message, now_ms, |tx| {
        let c = collection(tx, "departments")?;
        Ok(reconcile_prop(tx, &c, id, &dept)?)
    })?;
    Ok(dept)
}

/// Renames a department (managers of it).
pub fn rename_department(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    name: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    let org = read_org(am)?;
    department_exists(&org, id)?;
    actor.require_department(&org, id, Action::RenameDepartment)?;
    let name = non_empty(name, Noun::Department)?;
    let old = &org.departments[id].name;
    let message = format!("{} renamed department {old} to {name}", actor.name);
    write_field(
        am,
        message,
        now_ms,
        "departments",
        id,
        Noun::Department,
        &[("name", &name)],
    )
}

/// Moves a department below another one (or to the top): store-level roles.
pub fn move_department(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    parent: Option<&str>,
    now_ms: i64,
) -> Result<(), DomainError> {
    let org = read_org(am)?;
    department_exists(&org, id)?;
    actor.require_store_level(Action::MoveDepartments)?;
    if let Some(p) = parent {
        department_exists(&org, p)?;
        // No cycles: the new parent may not be the department or below it.
        let mut at = Some(p.to_owned());
        let mut steps = 0;
        while let Some(a) = at {
            if a == id {
                return Err(Invalid::DepartmentCycle {
                    name: org.departments[id].name.clone(),
                }
                .into());
            }
            steps += 1;
            if steps > org.departments.len() {
                break;
            }
            at = org.departments.get(&a).and_then(|d| d.parent.clone());
        }
    }
    let parent = parent.map(String::from);
    let message = format!(
        "{} moved department {} below {}",
        actor.name,
        org.departments[id].name,
        parent
            .as_ref()
            .and_then(|p| org.departments.get(p))
            .map_or("the store", |d| d.name.as_str())
    );
    write_field(
        am,
        message,
        now_ms,
        "departments",
        id,
        Noun::Department,
        &[("parent", &parent)],
    )
}

/// Sets the position heading a department (managers of it).
pub fn set_department_head(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    head: Option<&str>,
    now_ms: i64,
) -> Result<(), DomainError> {
    let org = read_org(am)?;
    department_exists(&org, id)?;
    actor.require_department(&org, id, Action::ChooseHead)?;
    if let Some(h) = head {
        position_exists(&org, h)?;
    }
    let head = head.map(String::from);
    let message = format!(
        "{} made {} head of {}",
        actor.name,
        head.as_ref().map_or("nobody".into(), |h| owner_name(
            &org,
            &Owner::Position(h.clone())
        )),
        org.departments[id].name
    );
    write_field(
        am,
        message,
        now_ms,
        "departments",
        id,
        Noun::Department,
        &[("head", &head)],
    )
}

/// Adds a position to a department (managers of it).
pub fn add_position(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    position: Position,
    now_ms: i64,
) -> Result<Position, DomainError> {
    let org = read_org(am)?;
    fresh(&org, Noun::Position, id)?;
    department_exists(&org, &position.department)?;
    actor.require_department(&org, &position.department, Action::AddPositions)?;
    if position.role.is_some() {
        actor.require_store_level(Action::GiveRoles)?;
    }
    if let Some(r) = &position.reports_to {
        position_exists(&org, r)?;
    }
    if position.headcount == 0 {
        return Err(Invalid::HeadcountAtLeastOne.into());
    }
    let position = Position {
        title: non_empty(&position.title, Noun::Position)?,
        ..position
    };
    let message = format!("{} added position {}", actor.name, position.title);
    transact(am, message, now_ms, |tx| {
        let c = collection(tx, "positions")?;
        Ok(reconcile_prop(tx, &c, id, &position)?)
    })?;
    Ok(position)
}

/// Changes to a position; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PositionEdit {
    pub title: Option<String>,
    /// Moves the position to another department.
    pub department: Option<String>,
    /// `Some(None)`: reports to nobody.
    pub reports_to: Option<Option<String>>,
    pub headcount: Option<u64>,
}

/// Renames, moves, re-parents or resizes a position (managers of its department,
/// and of the department it moves to).
pub fn edit_position(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    edit: PositionEdit,
    now_ms: i64,
) -> Result<Position, DomainError> {
    let org = read_org(am)?;
    position_exists(&org, id)?;
    let mut p = org.positions[id].clone();
    actor.require_department(&org, &p.department, Action::ChangePositions)?;
    let mut changed: Vec<&str> = vec![];
    if let Some(t) = edit.title {
        let t = non_empty(&t, Noun::Position)?;
        if t != p.title {
            p.title = t;
            changed.push("title");
        }
    }
    if let Some(d) = edit.department
        && d != p.department
    {
        department_exists(&org, &d)?;
        actor.require_department(&org, &d, Action::MovePositionsInto)?;
        p.department = d;
        changed.push("department");
    }
    if let Some(r) = edit.reports_to
        && r != p.reports_to
    {
        if let Some(r) = &r {
            position_exists(&org, r)?;
            // No reporting cycles.
            let mut at = Some(r.clone());
            let mut steps = 0;
            while let Some(a) = at {
                if a == id {
                    return Err(Invalid::ReportingCycle {
                        name: p.title.clone(),
                    }
                    .into());
                }
                steps += 1;
                if steps > org.positions.len() {
                    break;
                }
                at = org.positions.get(&a).and_then(|p| p.reports_to.clone());
            }
        }
        p.reports_to = r;
        changed.push("reports_to");
    }
    if let Some(h) = edit.headcount
        && h != p.headcount
    {
        if h == 0 {
            return Err(Invalid::HeadcountAtLeastOne.into());
        }
        p.headcount = h;
        changed.push("headcount");
    }
    if changed.is_empty() {
        return Ok(p);
    }
    let message = format!(
        "{} changed position {}: {}",
        actor.name,
        p.title,
        changed.join(", ")
    );
    transact(am, message, now_ms, |tx| {
        let c = collection(tx, "positions")?;
        let obj = child_map(tx, &c, id, Noun::Position)?;
        for field in &changed {
            match *field {
                "title" => reconcile_prop(tx, &obj, "title", &p.title)?,
                "department" => reconcile_prop(tx, &obj, "department", &p.department)?,
                "reports_to" => reconcile_prop(tx, &obj, "reports_to", &p.reports_to)?,
                _ => reconcile_prop(tx, &obj, "headcount", p.headcount)?,
            }
        }
        Ok(())
    })?;
    Ok(p)
}

/// Adds a person holding `positions` (managers of those positions' departments;
/// store-level roles for a person without a position).
pub fn add_person(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    name: &str,
    contact: &str,
    positions: &[&str],
    now_ms: i64,
) -> Result<Person, DomainError> {
    let org = read_org(am)?;
    fresh(&org, Noun::Person, id)?;
    check_positions(&org, actor, positions)?;
    let person = Person {
        name: non_empty(name, Noun::Person)?,
        contact: contact.trim().into(),
        positions: positions.iter().map(|p| (*p).to_owned()).collect(),
        active: true,
    };
    let message = format!("{} added {} to the staff", actor.name, person.name);
    transact(am, message, now_ms, |tx| {
        let c = collection(tx, "people")?;
        Ok(reconcile_prop(tx, &c, id, &person)?)
    })?;
    Ok(person)
}

fn check_positions(org: &OrgDoc, actor: &Actor, positions: &[&str]) -> Result<(), DomainError> {
    if positions.is_empty() {
        actor.require_store_level(Action::AddUnplacedStaff)?;
    }
    for p in positions {
        position_exists(org, p)?;
        actor.require_department(org, &org.positions[*p].department, Action::StaffPositions)?;
    }
    Ok(())
}

fn person<'a>(org: &'a OrgDoc, id: &str) -> Result<&'a Person, DomainError> {
    org.people.get(id).ok_or_else(|| DomainError::NotFound {
        what: Noun::Person,
        id: id.into(),
    })
}

/// Sets the positions a person holds (managers of the positions removed and added).
pub fn set_person_positions(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    positions: &[&str],
    now_ms: i64,
) -> Result<(), DomainError> {
    let org = read_org(am)?;
    let p = person(&org, id)?;
    actor.require_owner_in_scope(
        &org,
        &Owner::Person(id.into()),
        Action::ChangePersonPositions,
    )?;
    check_positions(&org, actor, positions)?;
    let list: Vec<String> = positions.iter().map(|p| (*p).to_owned()).collect();
    let names: Vec<String> = list
        .iter()
        .map(|p| owner_name(&org, &Owner::Position(p.clone())))
        .collect();
    let message = format!(
        "{} set {}'s positions to {}",
        actor.name,
        p.name,
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    );
    write_field(
        am,
        message,
        now_ms,
        "people",
        id,
        Noun::Person,
        &[("positions", &list)],
    )
}

/// Renames a person or changes their contact.
pub fn edit_person(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    name: &str,
    contact: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    let org = read_org(am)?;
    let p = person(&org, id)?;
    actor.require_owner_in_scope(&org, &Owner::Person(id.into()), Action::EditPerson)?;
    let name = non_empty(name, Noun::Person)?;
    let contact = contact.trim().to_owned();
    let message = format!("{} edited the details of {}", actor.name, p.name);
    write_field(
        am,
        message,
        now_ms,
        "people",
        id,
        Noun::Person,
        &[("name", &name), ("contact", &contact)],
    )
}

/// Marks a person as having left (`active = false`) or back. Their positions are
/// kept on record so their open tasks can fall back to them
/// ([`crate::release_tasks_of`]); they no longer count as holders.
pub fn set_person_active(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    active: bool,
    now_ms: i64,
) -> Result<(), DomainError> {
    let org = read_org(am)?;
    let p = person(&org, id)?;
    actor.require_owner_in_scope(&org, &Owner::Person(id.into()), Action::RecordLeaving)?;
    if p.active == active {
        return Ok(());
    }
    let message = if active {
        format!("{} recorded that {} is back", actor.name, p.name)
    } else {
        format!("{} recorded that {} left", actor.name, p.name)
    };
    write_field(
        am,
        message,
        now_ms,
        "people",
        id,
        Noun::Person,
        &[("active", &active)],
    )
}

/// What a new duty needs.
#[derive(Debug, Clone)]
pub struct NewDuty {
    pub text: String,
    pub owner: Option<Owner>,
    pub cadence: Cadence,
    pub raci: Option<Raci>,
}

fn check_raci(org: &OrgDoc, raci: &Raci) -> Result<(), DomainError> {
    for o in raci
        .responsible
        .iter()
        .chain(raci.accountable.iter())
        .chain(raci.consulted.iter())
        .chain(raci.informed.iter())
    {
        check_owner(org, o)?;
    }
    Ok(())
}

fn require_duty_scope(
    org: &OrgDoc,
    actor: &Actor,
    owner: Option<&Owner>,
) -> Result<(), DomainError> {
    match owner {
        Some(o) => actor.require_owner_in_scope(org, o, Action::ChangeDuties),
        None => actor.require_store_level(Action::KeepUnownedDuties),
    }
}

/// Adds a duty to the register (managers of its owner's department).
pub fn add_duty(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    new: NewDuty,
    now_ms: i64,
) -> Result<Duty, DomainError> {
    let org = read_org(am)?;
    fresh(&org, Noun::Duty, id)?;
    if let Some(o) = &new.owner {
        check_owner(&org, o)?;
    }
    if let Some(r) = &new.raci {
        check_raci(&org, r)?;
    }
    require_duty_scope(&org, actor, new.owner.as_ref())?;
    let duty = Duty {
        text: non_empty(&new.text, Noun::Duty)?,
        owner: new.owner,
        cadence: new.cadence,
        raci: new.raci,
    };
    let message = format!("{} added duty \"{}\"", actor.name, duty.text);
    transact(am, message, now_ms, |tx| {
        let c = collection(tx, "duties")?;
        Ok(reconcile_prop(tx, &c, id, &duty)?)
    })?;
    Ok(duty)
}

/// Changes to a duty; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct DutyEdit {
    pub text: Option<String>,
    /// `Some(None)` leaves the duty without an owner (the coverage check flags it).
    pub owner: Option<Option<Owner>>,
    pub cadence: Option<Cadence>,
    pub raci: Option<Option<Raci>>,
}

/// Edits a duty (managers of its current and new owner's department).
pub fn edit_duty(
    am: &mut Automerge,
    actor: &Actor,
    id: &str,
    edit: DutyEdit,
    now_ms: i64,
) -> Result<Duty, DomainError> {
    let org = read_org(am)?;
    let mut duty = org
        .duties
        .get(id)
        .cloned()
        .ok_or_else(|| DomainError::NotFound {
            what: Noun::Duty,
            id: id.into(),
        })?;
    require_duty_scope(&org, actor, duty.owner.as_ref())?;
    let mut changed: Vec<&str> = vec![];
    if let Some(t) = edit.text {
        let t = non_empty(&t, Noun::Duty)?;
        if t != duty.text {
            duty.text = t;
            changed.push("text");
        }
    }
    if let Some(o) = edit.owner
        && o != duty.owner
    {
        if let Some(o) = &o {
            check_owner(&org, o)?;
        }
        require_duty_scope(&org, actor, o.as_ref())?;
        duty.owner = o;
        changed.push("owner");
    }
    if let Some(c) = edit.cadence
        && c != duty.cadence
    {
        duty.cadence = c;
        changed.push("cadence");
    }
    if let Some(r) = edit.raci
        && r != duty.raci
    {
        if let Some(r) = &r {
            check_raci(&org, r)?;
        }
        duty.raci = r;
        changed.push("raci");
    }
    if changed.is_empty() {
        return Ok(duty);
    }
    let message = format!(
        "{} changed duty \"{}\": {}",
        actor.name,
        duty.text,
        changed.join(", ")
    );
    transact(am, message, now_ms, |tx| {
        let c = collection(tx, "duties")?;
        let obj = child_map(tx, &c, id, Noun::Duty)?;
        for field in &changed {
            match *field {
                "text" => reconcile_prop(tx, &obj, "text", &duty.text)?,
                "owner" => reconcile_prop(tx, &obj, "owner", &duty.owner)?,
                "cadence" => reconcile_prop(tx, &obj, "cadence", duty.cadence)?,
                _ => reconcile_prop(tx, &obj, "raci", &duty.raci)?,
            }
        }
        Ok(())
    })?;
    Ok(duty)
}

/// Routes a problem-report category to a department (store-level roles).
pub fn set_feedback_route(
    am: &mut Automerge,
    actor: &Actor,
    category: &str,
    department: &str,
    now_ms: i64,
) -> Result<(), DomainError> {
    let org = read_org(am)?;
    actor.require_store_level(Action::RouteReports)?;
    department_exists(&org, department)?;
    let message = format!(
        "{} routed {category} problems to {}",
        actor.name, org.departments[department].name
    );
    transact(am, message, now_ms, |tx| {
        let routing = match tx.get(automerge::ROOT, "routing")? {
            Some((automerge::Value::Object(automerge::ObjType::Map), id)) => id,
            _ => automerge::transaction::Transactable::put_object(
                tx,
                automerge::ROOT,
                "routing",
                automerge::ObjType::Map,
            )?,
        };
        Ok(reconcile_prop(tx, &routing, category, department)?)
    })
}

/// The active people holding a position.
pub fn holders<'a>(org: &'a OrgDoc, position: &str) -> Vec<(&'a String, &'a Person)> {
    org.people
        .iter()
        .filter(|(_, p)| p.active && p.held_positions().contains(&position))
        .collect()
}

/// The duties that are `actor`'s: owned by them, a position they hold or its
/// department, or naming them responsible (RACI).
pub fn my_duties(org: &OrgDoc, actor: &Actor) -> Vec<(String, Duty)> {
    let departments: Vec<&str> = actor
        .positions
        .iter()
        .filter_map(|p| org.positions.get(p))
        .map(|p| p.department.as_str())
        .collect();
    let mine = |o: &Owner| match o {
        Owner::Department(d) => departments.contains(&d.as_str()),
        o => actor.holds(o),
    };
    org.duties
        .iter()
        .filter(|(_, d)| {
            d.owner.as_ref().is_some_and(mine)
                || d.raci
                    .as_ref()
                    .and_then(|r| r.responsible.as_ref())
                    .is_some_and(mine)
        })
        .map(|(id, d)| (id.clone(), d.clone()))
        .collect()
}

/// A position with fewer holders than its headcount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vacancy {
    pub position: String,
    pub headcount: u64,
    pub holders: u64,
}

/// What the coverage check found; empty lists mean everything is covered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Duties with no owner, or an owner that no longer exists.
    pub duties_without_owner: Vec<String>,
    /// Duties whose owner has nobody to do them: a position without an active
    /// holder, a department whose positions are all empty, a person who left.
    pub duties_without_holder: Vec<String>,
    /// Positions nobody active holds.
    pub positions_without_holder: Vec<String>,
    /// Positions with fewer holders than their headcount (including empty ones).
    pub vacancies: Vec<Vacancy>,
    /// Open tasks with no assignee.
    pub tasks_unassigned: Vec<String>,
    /// Open tasks held by a person who left (or is not in the org chart).
    pub tasks_of_departed: Vec<String>,
    /// Open tasks held by a position nobody holds.
    pub tasks_of_empty_positions: Vec<String>,
}

impl Coverage {
    pub fn is_covered(&self) -> bool {
        self == &Self::default()
    }
}

/// The duty coverage check over the org chart and any tasks.
pub fn coverage(org: &OrgDoc, tasks: &[(String, Task)]) -> Coverage {
    let mut c = Coverage::default();
    let staffed = |pos: &str| !holders(org, pos).is_empty();
    let has_someone = |o: &Owner| match o {
        Owner::Position(p) => staffed(p),
        Owner::Person(p) => org.people.get(p).is_some_and(|p| p.active),
        Owner::Department(d) => org
            .positions
            .iter()
            .any(|(id, p)| &p.department == d && staffed(id)),
    };
    for (id, duty) in &org.duties {
        match &duty.owner {
            Some(o) if check_exists(org, o) => {
                if !has_someone(o) {
                    c.duties_without_holder.push(id.clone());
                }
            }
            _ => c.duties_without_owner.push(id.clone()),
        }
    }
    for (id, p) in &org.positions {
        let n = holders(org, id).len() as u64;
        if n == 0 {
            c.positions_without_holder.push(id.clone());
        }
        if n < p.headcount {
            c.vacancies.push(Vacancy {
                position: id.clone(),
                headcount: p.headcount,
                holders: n,
            });
        }
    }
    for (id, t) in tasks.iter().filter(|(_, t)| t.status.is_open()) {
        match &t.assignee {
            None => c.tasks_unassigned.push(id.clone()),
            Some(Owner::Person(p)) if !org.people.get(p).is_some_and(|p| p.active) => {
                c.tasks_of_departed.push(id.clone());
            }
            Some(Owner::Position(p)) if !staffed(p) => {
                c.tasks_of_empty_positions.push(id.clone());
            }
            _ => {}
        }
    }
    c
}

fn check_exists(org: &OrgDoc, o: &Owner) -> bool {
    match o {
        Owner::Position(p) => org.positions.contains_key(p),
        Owner::Department(d) => org.departments.contains_key(d),
        Owner::Person(p) => org.people.contains_key(p),
    }
}
