//! The relay's check of every device's write: the domain's rules
//! ([`storeops_domain::rules`]) for the device's role and person, with the org
//! chart of its store (for positions and departments).

use std::collections::HashMap;
use std::sync::Arc;

use automerge::{Automerge, ChangeHash};
use storeops_domain::rules::{Writer, check_write};
use storeops_domain::{Actor, OrgDoc, Role, kind};
use storeops_storage::DocumentStore;
use storeops_sync::{DocumentId, Read, Validator, Write};

use crate::backend::Backend;
use crate::registry::{Registry, Roots};

/// [`Validator`] of the relay's engine.
pub struct StoreRules {
    registry: Registry,
    /// Documents not in the engine's memory are read from here.
    store: Box<dyn DocumentStore + Send>,
    /// Each store's root document.
    roots: Roots,
    /// Each store's org document, as its root (at these heads) lists it.
    org_ids: HashMap<String, (Vec<ChangeHash>, DocumentId)>,
    /// Each store's org chart as last read: its document, heads and content.
    orgs: HashMap<String, (DocumentId, Vec<ChangeHash>, Arc<OrgDoc>)>,
    /// Each device's writer, for the org chart at these heads.
    writers: HashMap<String, (Vec<ChangeHash>, Arc<Writer>)>,
}

impl StoreRules {
    pub fn open(backend: &Backend) -> anyhow::Result<Self> {
        Ok(Self {
            registry: Registry::open(backend)?,
            store: backend.documents("validator")?,
            roots: Roots::default(),
            org_ids: HashMap::new(),
            orgs: HashMap::new(),
            writers: HashMap::new(),
        })
    }

    /// The store's org chart and its heads: from memory when the engine has
    /// it, else storage; read again only when it changed.
    fn org<'a>(
        &mut self,
        scope: &str,
        loaded: &dyn Fn(&DocumentId) -> Option<&'a Automerge>,
    ) -> Option<(Vec<ChangeHash>, Arc<OrgDoc>)> {
        let root = self.roots.of(&self.registry, scope)?;
        let org_id = match loaded(&root) {
            Some(am) => {
                let heads = am.get_heads();
                match self.org_ids.get(scope) {
                    Some((h, id)) if *h == heads => *id,
                    _ => {
                        let id = org_of(am)?;
                        self.org_ids.insert(scope.to_owned(), (heads, id));
                        id
                    }
                }
            }
            None => match self.org_ids.get(scope) {
                Some((_, id)) => *id,
                None => org_of(&self.read(&root)?)?,
            },
        };
        let live = loaded(&org_id);
        if let (Some(am), Some((id, h, org))) = (live, self.orgs.get(scope))
            && *id == org_id
            && *h == am.get_heads()
        {
            return Some((h.clone(), org.clone()));
        }
        let stored;
        let am = match live {
            Some(am) => am,
            None => {
                stored = self.read(&org_id)?;
                &stored
            }
        };
        let heads = am.get_heads();
        let org = Arc::new(storeops_domain::read_org(am).ok()?);
        self.orgs
            .insert(scope.to_owned(), (org_id, heads.clone(), org.clone()));
        Some((heads, org))
    }

    /// Scores about a subject are written by the managers whose scope holds it.
    fn check_scores_writer(
        &mut self,
        principal: &storeops_sync::Principal,
        write: &Write<'_>,
    ) -> Result<(), String> {
        let role: Role = principal.role.parse().unwrap_or(Role::Staff);
        if role.is_store_level() {
            return Ok(());
        }
        let refused = |why: &str| format!("scores-scope: {why}; ask the store manager");
        let subject: storeops_domain::Owner = write
            .meta
            .subject
            .as_deref()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| refused("these scores are about no one"))?;
        let (_, org) = self
            .org(&write.meta.scope, write.loaded)
            .ok_or_else(|| refused("the store's org chart is not readable"))?;
        let actor = actor_of(principal, &org, role).map_err(|e| refused(&e.to_string()))?;
        storeops_domain::assessment::may_write_scores(&org, &actor, &subject)
            .map_err(|e| refused(&e.to_string()))
    }

    fn read(&self, doc: &DocumentId) -> Option<Automerge> {
        let stored = self.store.load(doc).ok()??;
        storeops_sync::load_chunks(&stored.chunks).ok()
    }
}

impl Validator for StoreRules {
    fn check(&mut self, write: &Write<'_>) -> Result<(), String> {
        let Some(principal) = write.principal else {
            return Ok(()); // full access: not a device
        };
        let kind = write.meta.kind.as_str();
        if kind == kind::SCORES {
            self.check_scores_writer(principal, write)?;
        }
        if !kind::STAFF_WRITABLE.contains(&kind) {
            // The other kinds only managers write: a readable schema is all.
            return check_write(
                kind,
                write.doc,
                write.before,
                &writer(principal, None),
                None,
            )
            .map_err(|r| r.to_string());
        }
        let enrolled: Role = principal
            .role
            .parse()
            .map_err(|_| format!("unknown role {:?}", principal.role))?;
        let org = if enrolled.is_store_level() && principal.person.is_none() {
            None
        } else {
            self.org(&write.meta.scope, write.loaded)
        };
        // A device linked to a person acts with the role their positions give
        // now (a promotion counts from the change that made it, not from the
        // device's next sign-in); the principal's is the one it signed in with.
        let role = match (principal.person.as_deref(), org.as_ref()) {
            (Some(person), Some((_, org))) if org.people.contains_key(person) => {
                storeops_domain::access::role_of(org, person)
                    .ok_or_else(|| format!("person-left: {person} has left the store"))?
            }
            _ => enrolled,
        };
        let heads = org.as_ref().map(|(h, _)| h.clone()).unwrap_or_default();
        let writer = match self.writers.get(&principal.device) {
            Some((h, w)) if *h == heads => w.clone(),
            _ => {
                let w = Arc::new(Writer::new(
                    org.as_ref().map(|(_, o)| o.as_ref()),
                    role,
                    principal.person.as_deref(),
                    &principal.name,
                ));
                self.writers
                    .insert(principal.device.clone(), (heads, w.clone()));
                w
            }
        };
        check_write(
            kind,
            write.doc,
            write.before,
            &writer,
            org.as_ref().map(|(_, o)| o.as_ref()),
        )
        .map_err(|r| r.to_string())
    }

    /// Scores documents: the person assessed and the managers above them
    /// ([`storeops_domain::assessment::may_read_scores`], the rule devices
    /// follow when they choose what to ask for).
    fn may_read(&mut self, read: &Read<'_>) -> bool {
        let (Some(subject), Ok(role)) = (&read.meta.subject, read.principal.role.parse::<Role>())
        else {
            return false;
        };
        if read.meta.kind != kind::SCORES {
            return false;
        }
        if role.is_store_level() {
            return true;
        }
        let Some((_, org)) = self.org(&read.meta.scope, read.loaded) else {
            return false;
        };
        let Ok(actor) = actor_of(read.principal, &org, role) else {
            return false;
        };
        storeops_domain::assessment::may_read_scores(&org, &actor, subject)
    }
}

/// Who a device acts as: its person, with their positions and departments,
/// or (linked to no one) its role alone.
fn actor_of(
    principal: &storeops_sync::Principal,
    org: &OrgDoc,
    role: Role,
) -> Result<Actor, storeops_domain::DomainError> {
    match principal.person.as_deref() {
        Some(person) => Actor::for_person(org, person, role),
        None => Ok(Actor::with_role(principal.name.clone(), role)),
    }
}

/// The org document a store's root lists.
fn org_of(root: &Automerge) -> Option<DocumentId> {
    storeops_domain::read_store(root)
        .ok()?
        .documents
        .org
        .parse()
        .ok()
}

fn writer(principal: &storeops_sync::Principal, org: Option<&OrgDoc>) -> Writer {
    let role = principal.role.parse().unwrap_or(Role::Staff);
    Writer::new(org, role, principal.person.as_deref(), &principal.name)
}
