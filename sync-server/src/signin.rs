//! Token look-ups for WebSocket sign-in, on a thread of their own with a
//! database connection of their own.
//!
//! Enrolment, new stores and invites write the registry behind one mutex and
//! run on the runtime's few blocking threads; a flood of them used to hold both
//! the mutex and every blocking thread, so an honest device's sign-in waited
//! behind it. Sign-in now shares neither: the look-up is one indexed read (and,
//! for a device linked to a person, a read of the store's org chart, whose
//! positions give its role), and the database is in WAL mode, so a writer does
//! not block it. Nothing is cached: a device revoked a moment ago is refused at
//! its next sign-in, and its open connections are cut by the engine thread's
//! revocation check.

use std::sync::mpsc;

use tokio::sync::oneshot;

use crate::backend::Backend;
use crate::registry::{Device, Registry, RegistryError};

type Answer = Result<Option<Device>, RegistryError>;

/// The sign-in thread's handle; the thread ends when every handle is gone.
#[derive(Debug, Clone)]
pub(crate) struct SignIn {
    lookups: mpsc::Sender<(String, oneshot::Sender<Answer>)>,
}

impl SignIn {
    /// Opens a connection to the registry on `backend` and starts the thread.
    pub fn start(backend: &Backend) -> Result<Self, RegistryError> {
        let mut registry = Registry::open(backend)?;
        let (lookups, rx) = mpsc::channel::<(String, oneshot::Sender<Answer>)>();
        std::thread::Builder::new()
            .name("sign-in".into())
            .spawn(move || {
                for (token, reply) in rx {
                    let _ = reply.send(registry.sign_in(&token, crate::now_ms()));
                }
            })
            .map_err(|e| RegistryError::Invalid(format!("cannot start the sign-in thread: {e}")))?;
        Ok(Self { lookups })
    }

    /// The device holding `token`, if any (revoked ones included, flagged).
    pub async fn device(&self, token: String) -> Answer {
        let gone = || RegistryError::Invalid("the sign-in thread stopped".into());
        let (reply, answer) = oneshot::channel();
        self.lookups.send((token, reply)).map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::registry::database_path;
    use std::time::Duration;
    use storeops_domain::Role;
    use storeops_domain::calendar::Date;

    #[tokio::test]
    async fn sign_in_answers_while_another_connection_holds_a_write_and_sees_revocations_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut reg = Registry::open(dir.path()).unwrap();
        let store = reg
            .create_store(
                "Demo",
                "plan1",
                "en",
                "UTC",
                Date::new(2026, 11, 28).unwrap(),
                0,
            )
            .unwrap();
        let code = reg
            .create_invite(&store.id, Role::Staff, None, 0, 1000)
            .unwrap();
        let phone = reg.enrol(&code, "Phone", 1).unwrap();
        let sign_in = SignIn::start(&dir.path().into()).unwrap();

        // Enrolment's writer mid-transaction, holding SQLite's write lock.
        let writer = rusqlite::Connection::open(database_path(dir.path())).unwrap();
        writer
            .execute_batch(
                "BEGIN IMMEDIATE;
                 INSERT INTO stores (id, name, root_doc, created_at) VALUES ('s', 'S', 'r', 0);",
            )
            .unwrap();
        let device =
            tokio::time::timeout(Duration::from_secs(2), sign_in.device(phone.token.clone()))
                .await
                .expect("sign-in did not wait for the writer")
                .unwrap()
                .unwrap();
        assert_eq!(device.id, phone.device_id);
        assert!(!device.revoked);
        writer.execute_batch("ROLLBACK").unwrap();

        // No cache: a revocation is seen by the next sign-in.
        reg.revoke(&phone.device_id, 2).unwrap();
        let device = sign_in.device(phone.token.clone()).await.unwrap().unwrap();
        assert!(device.revoked);
        assert!(sign_in.device("forged".into()).await.unwrap().is_none());
    }
}
