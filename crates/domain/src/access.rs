//! Who may do what: roles, and the departments a role reaches (its scope).
//!
//! | role | scope | may |
//! |---|---|---|
//! | [`Role::Staff`] | their own tasks (assigned to them, to a position they hold, or unassigned) | progress, tick, comment, report problems |
//! | [`Role::DepartmentManager`] | [`Actor::departments`] and the departments below them | tasks, duties, positions, people and plans of those departments |
//! | [`Role::Manager`] (store manager), [`Role::OperationsManager`], [`Role::Director`] | the whole store | everything |
//!
//! Every command checks the role and the scope and answers
//! [`DomainError::NotPermitted`] or [`DomainError::OutOfScope`], whose message
//! says whom to ask.

use std::collections::BTreeSet;

use crate::documents::{OrgDoc, Owner, Task};
use crate::problem::{Action, Hint, Needed, Noun};
use crate::{DomainError, Role};

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Display name, for change messages.
    pub name: String,
    pub role: Role,
    /// The person record, when the device is linked to one.
    pub person: Option<String>,
    /// Positions the person holds.
    pub positions: Vec<String>,
    /// For a department manager: the departments they manage (their scope also
    /// covers the departments below these). Ignored for other roles.
    pub departments: Vec<String>,
}

impl Actor {
    /// A store manager (everything in scope).
    pub fn manager(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            role: Role::Manager,
            person: None,
            positions: vec![],
            departments: vec![],
        }
    }

    pub fn staff(name: impl Into<String>) -> Self {
        Self {
            role: Role::Staff,
            ..Self::manager(name)
        }
    }

    /// A department manager whose scope is `departments` (and those below them).
    pub fn department_manager(name: impl Into<String>, departments: Vec<String>) -> Self {
        Self {
            role: Role::DepartmentManager,
            departments,
            ..Self::manager(name)
        }
    }

    /// Any role, without a person record.
    pub fn with_role(name: impl Into<String>, role: Role) -> Self {
        Self {
            role,
            ..Self::manager(name)
        }
    }

    /// The actor for a person of the org chart: their name and positions, and for a
    /// department manager the departments headed by a position they hold.
    pub fn for_person(org: &OrgDoc, person: &str, role: Role) -> Result<Self, DomainError> {
        let p = org
            .people
            .get(person)
            .ok_or_else(|| DomainError::NotFound {
                what: Noun::Person,
                id: person.into(),
            })?;
        let positions: Vec<String> = p.held_positions().into_iter().map(String::from).collect();
        let departments = org
            .departments
            .iter()
            .filter(|(_, d)| d.head.as_ref().is_some_and(|h| positions.contains(h)))
            .map(|(id, _)| id.clone())
            .collect();
        Ok(Self {
            name: p.name.clone(),
            role,
            person: Some(person.into()),
            positions,
            departments,
        })
    }

    /// The actor for a person, acting with the role their positions give
    /// ([`role_of`]); `fallback` for someone the chart does not hold (yet).
    pub fn of_person(org: &OrgDoc, person: &str, fallback: Role) -> Result<Self, DomainError> {
        let role = match org.people.get(person) {
            Some(p) => role_of(org, person).ok_or_else(|| {
                DomainError::from(crate::problem::Invalid::LeftStore {
                    name: p.name.clone(),
                })
            })?,
            None => fallback,
        };
        Self::for_person(org, person, role)
    }

    /// Store manager, operations manager or director.
    pub fn is_store_level(&self) -> bool {
        self.role.is_store_level()
    }

    pub fn is_manager(&self) -> bool {
        self.role.is_manager()
    }

    /// The departments a department manager reaches: theirs and every one below.
    pub fn scope_departments(&self, org: &OrgDoc) -> BTreeSet<String> {
        let mut scope: BTreeSet<String> = self.departments.iter().cloned().collect();
        // Walk down the tree until nothing new is added (parents may form no cycle,
        // but a damaged document must not loop forever: at most one pass per department).
        for _ in 0..=org.departments.len() {
            let before = scope.len();
            for (id, d) in &org.departments {
                if d.parent.as_ref().is_some_and(|p| scope.contains(p)) {
                    scope.insert(id.clone());
                }
            }
            if scope.len() == before {
                break;
            }
        }
        scope
    }

    /// Whether this actor manages `department`.
    pub fn manages_department(&self, org: &OrgDoc, department: &str) -> bool {
        match self.role {
            r if r.is_store_level() => true,
            Role::DepartmentManager => self.scope_departments(org).contains(department),
            _ => false,
        }
    }

    /// Requires a manager role; `action` completes "only managers may …".
    pub fn require_manager(&self, action: Action) -> Result<(), DomainError> {
        if self.is_manager() {
            Ok(())
        } else {
            Err(DomainError::NotPermitted {
                action,
                needed: Needed::Manager,
                hint: Hint::AskYourManager,
            })
        }
    }

    /// Requires a store-level role (store manager, operations manager, director).
    pub fn require_store_level(&self, action: Action) -> Result<(), DomainError> {
        if self.is_store_level() {
            Ok(())
        } else {
            Err(DomainError::NotPermitted {
                action,
                needed: Needed::StoreLevel,
                hint: Hint::AskStoreManager,
            })
        }
    }

    /// Requires that this actor manages `department` (store-level roles manage all).
    pub fn require_department(
        &self,
        org: &OrgDoc,
        department: &str,
        action: Action,
    ) -> Result<(), DomainError> {
        self.require_manager(action)?;
        if self.manages_department(org, department) {
            return Ok(());
        }
        let name = org
            .departments
            .get(department)
            .map_or(department, |d| d.name.as_str());
        Err(DomainError::OutOfScope {
            action,
            department: name.into(),
            hint: Hint::AskDepartmentManager,
        })
    }

    /// Requires that this actor manages every department `owner` belongs to
    /// (a department manager needs at least one of a person's departments).
    pub fn require_owner_in_scope(
        &self,
        org: &OrgDoc,
        owner: &Owner,
        action: Action,
    ) -> Result<(), DomainError> {
        self.require_manager(action)?;
        if self.is_store_level() {
            return Ok(());
        }
        let departments = departments_of(org, owner);
        if departments.iter().any(|d| self.manages_department(org, d)) {
            return Ok(());
        }
        Err(DomainError::OutOfScope {
            action,
            department: departments
                .first()
                .and_then(|d| org.departments.get(d))
                .map_or_else(|| owner.to_string(), |d| d.name.clone()),
            hint: Hint::AskDepartmentManager,
        })
    }

    /// Whether this actor is (or holds) `owner`.
    pub fn holds(&self, owner: &Owner) -> bool {
        match owner {
            Owner::Person(p) => self.person.as_ref() == Some(p),
            Owner::Position(p) => self.positions.contains(p),
            Owner::Department(_) => false,
        }
    }

    /// Whether this actor may progress `task` (status, checklist, comments):
    /// staff their own, their positions' and unassigned tasks, and with `org`
    /// their departments'; managers the tasks in their scope.
    pub fn may_progress_task(&self, org: Option<&OrgDoc>, task: &Task) -> bool {
        if self.is_store_level() {
            return true;
        }
        let own = match &task.assignee {
            None => true,
            Some(Owner::Department(d)) => org.is_some_and(|org| {
                self.positions
                    .iter()
                    .any(|p| org.positions.get(p).is_some_and(|p| &p.department == d))
            }),
            Some(o) => self.holds(o),
        };
        own || (self.role == Role::DepartmentManager && self.manages_task(org, task))
    }

    /// Whether this actor manages `task` (edit, reassign, cancel).
    pub fn manages_task(&self, org: Option<&OrgDoc>, task: &Task) -> bool {
        match self.role {
            r if r.is_store_level() => true,
            Role::DepartmentManager => {
                let empty = OrgDoc::default();
                let org = org.unwrap_or(&empty);
                task_departments(org, task)
                    .iter()
                    .any(|d| self.departments.contains(d) || self.manages_department(org, d))
            }
            _ => false,
        }
    }

    /// Requires [`Actor::manages_task`].
    pub fn require_task(
        &self,
        org: Option<&OrgDoc>,
        task: &Task,
        action: Action,
    ) -> Result<(), DomainError> {
        self.require_manager(action)?;
        if self.manages_task(org, task) {
            return Ok(());
        }
        let department = task
            .department
            .clone()
            .or_else(|| task.assignee.as_ref().map(Owner::to_string))
            .unwrap_or_default();
        let department = org
            .and_then(|o| o.departments.get(&department))
            .map_or(department, |d| d.name.clone());
        Err(DomainError::OutOfScope {
            action,
            department,
            hint: Hint::AskDepartmentManager,
        })
    }
}

/// The departments an owner belongs to: a position's department, a person's
/// positions' departments, a department itself.
pub fn departments_of(org: &OrgDoc, owner: &Owner) -> Vec<String> {
    let of_position = |p: &str| org.positions.get(p).map(|p| p.department.clone());
    let mut out: Vec<String> = match owner {
        Owner::Department(d) => vec![d.clone()],
        Owner::Position(p) => of_position(p).into_iter().collect(),
        Owner::Person(p) => org
            .people
            .get(p)
            .map(|person| {
                person
                    .held_positions()
                    .into_iter()
                    .filter_map(of_position)
                    .collect()
            })
            .unwrap_or_default(),
    };
    out.dedup();
    out
}

/// The departments a task counts for: its recorded department, else its assignee's.
pub fn task_departments(org: &OrgDoc, task: &Task) -> Vec<String> {
    match (&task.department, &task.assignee) {
        (Some(d), _) => vec![d.clone()],
        (None, Some(owner)) => departments_of(org, owner),
        (None, None) => vec![],
    }
}

/// The role a person acts with, from the positions they hold: the highest
/// that any of them gives. A position gives the role it names
/// ([`crate::documents::Position::role`]); else heading the top department (one
/// with no parent) gives store manager, heading another department manager, and
/// anything else staff. None: the chart holds no such person, or they have left.
pub fn role_of(org: &OrgDoc, person: &str) -> Option<Role> {
    let p = org.people.get(person)?;
    if !p.active {
        return None;
    }
    let given = |id: &str| {
        let position = org.positions.get(id)?;
        if let Some(role) = position.role {
            return Some(role);
        }
        let headed = org
            .departments
            .values()
            .filter(|d| d.head.as_deref() == Some(id));
        headed
            .map(|d| match d.parent {
                None => Role::Manager,
                Some(_) => Role::DepartmentManager,
            })
            .max_by_key(|r| r.rank())
    };
    let held = p.held_positions().into_iter().filter_map(given);
    Some(held.max_by_key(|r| r.rank()).unwrap_or(Role::Staff))
}

/// Whether `actor` may invite a device with `role`, for `person` (a person id of
/// the org chart, or no one): the store's managers (store manager, operations
/// manager, director) any role, for anyone; a department manager staff devices
/// for people of their departments (known to `org`); staff no one. The relay holds every invite
/// to this; the app offers only what it allows.
pub fn may_invite(
    org: &OrgDoc,
    actor: &Actor,
    role: Role,
    person: Option<&str>,
) -> Result<(), DomainError> {
    // The store's managers may name someone the org chart (as the relay has
    // it) does not hold yet: a person they have just added, still on its way.
    if actor.is_store_level() {
        return Ok(());
    }
    if let Some(p) = person
        && !org.people.contains_key(p)
    {
        return Err(DomainError::NotFound {
            what: Noun::Person,
            id: p.into(),
        });
    }
    actor.require_manager(Action::InviteDevices)?;
    if role != Role::Staff {
        return Err(DomainError::MayNotInviteRole { role });
    }
    let Some(p) = person else {
        return Err(crate::problem::Invalid::InviteNeedsPerson.into());
    };
    actor.require_owner_in_scope(org, &Owner::Person(p.into()), Action::InviteDeviceFor)
}
