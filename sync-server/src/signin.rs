//! Token look-ups for WebSocket sign-in, on a thread of their own with a
//! database connection of their own.
//!
//! Enrolment, new stores and invites write the registry behind one mutex and
//! run on the runtime's few blocking threads; a flood of them used to hold both
//! the mutex and every blocking thread, so an honest device's sign-in waited
//! behind it. Sign-in now shares neither: the look-up is one indexed read, and
//! the database is in WAL mode, so a writer does not block it. Nothing is
//! cached: a device revoked a moment ago is refused at its next sign-in, and
//! its open connections are cut by the engine thread's revocation check.

use std::path::Path;
use std::sync::mpsc;

use tokio::sync::oneshot;

use crate::registry::{Device, Registry, RegistryError};

type Answer = Result<Option<Device>, RegistryError>;

/// The sign-in thread's handle; the thread ends when every handle is gone.
#[derive(Debug, Clone)]
pub(crate) struct SignIn {
    lookups: mpsc::Sender<(String, oneshot::Sender<Answer>)>,
}

impl SignIn {
    /// Opens a connection to the registry in `data_dir` and starts the thread.
    pub fn start(data_dir: &Path) -> Result<Self, RegistryError> {
        let registry = Registry::open(data_dir)?;
        let (lookups, rx) = mpsc::channel::<(String, oneshot::Sender<Answer>)>();
        std::thread::Builder::new()
            .name("sign-in".into())
            .spawn(move || {
                for (token, reply) in rx {
                    let _ = reply.send(registry.device_by_token(&token));
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
