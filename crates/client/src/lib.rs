//! The device side of Storeops. The one way in is a `storeops_api` command:
//! [`Device`] handles every one of them (`storeops_api::Request::dispatch`), and the
//! shells (Tauri today, the browser worker next) only carry requests and answers.
//!
//! - [`device`]: the [`Device`] handle and [`device::Run`], how a module answers a command.
//! - [`replica`]: the store's documents in a local SQLite file, the sync engine,
//!   period documents; [`vault`](crate) keeps the device token.
//! - `stores`: the stores one device holds, one replica each in its own directory
//!   (a director's chain), and the one the screens show.
//! - `sync_loop` (desktop): the WebSocket connection to the relay, reconnecting with
//!   backoff; in the browser, `storeops-web` runs its own over the browser's WebSocket.
//! - [`relay`]: the relay's HTTP API (enrol, open a store, invites) over the shell's
//!   [`RelayHttp`].
//! - the features, each with its views and commands: [`account`] (status, enrolment,
//!   invites, sign-out), [`tasks`], [`org`] (org chart, duties, people), [`plans`],
//!   [`meetings`], [`feedback`], [`dashboard`], [`assessment`], [`chain`] (the stores
//!   held, side by side).
//! - [`error`]: [`ClientError`] and its codes.

pub mod account;
pub mod assessment;
pub mod chain;
pub mod dashboard;
pub mod device;
pub mod error;
pub mod feedback;
pub mod meetings;
pub mod org;
pub mod plans;
pub mod relay;
pub mod replica;
mod stores;
#[cfg(not(target_family = "wasm"))]
pub mod sync_loop;
pub mod tasks;
#[cfg(not(target_family = "wasm"))]
mod vault;

pub use device::Device;
pub use error::ClientError;
pub use relay::RelayHttp;
pub use replica::{ClientEvent, Enrolment, Replica};
#[cfg(not(target_family = "wasm"))]
pub use sync_loop::sync_loop;

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use storeops_api::command::{AddTask, Enrol, ListTasks};
    use storeops_api::{ErrorCode, Handles};

    use super::*;

    #[test]
    fn an_unenrolled_device_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::open(dir.path()).unwrap();
        assert_eq!(device.handle(ListTasks {}).unwrap(), vec![]);
        let err = device.handle(AddTask::titled("x")).unwrap_err();
        assert_eq!(err.code, ErrorCode::NotEnrolled);
    }

    #[test]
    fn enrolling_against_nothing_reports_unreachable() {
        let dir = tempfile::tempdir().unwrap();
        let device = Device::open(dir.path()).unwrap();
        let err = device
            .handle(Enrol {
                relay_url: "127.0.0.1:9".into(),
                code: "abcd".into(),
                device_name: "Phone".into(),
            })
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Unreachable);
        assert!(device.replica().enrolment().is_none());
    }
}
