//! The contract between the UI and the device side, and between the device and the
//! relay's HTTP API. One definition of each thing that crosses either boundary:
//!
//! - [`command`]: one request struct per command, the [`Request`] enum that carries
//!   any of them, the [`Command`] trait that ties a request to the view it returns, and
//!   the [`Handler`] a device side implements (one [`Handles`] impl per command).
//! - [`error`]: [`ApiError`] with its stable [`ErrorCode`]s.
//! - the views, by feature: [`status`], [`tasks`], [`org`], [`plans`], [`meetings`],
//!   [`feedback`], [`dashboard`], [`assessment`], [`chain`] (the stores of one device
//!   side by side).
//! - [`relay`]: the relay's HTTP requests and answers (enrol, open a store, invites).
//! - [`worker`]: the messages between the page and the device in its Web Worker.
//!
//! The domain's enums travel as they are, with one snake_case wire spelling each.

pub mod assessment;
pub mod chain;
pub mod command;
pub mod dashboard;
pub mod error;
pub mod feedback;
pub mod meetings;
pub mod org;
pub mod plans;
pub mod relay;
pub mod status;
pub mod tasks;
pub mod worker;

pub use command::{COMMANDS, Command, Handler, Handles, Reply, Request};
pub use error::{ApiError, ErrorCode};
pub use storeops_domain::assessment::KpiMetric;
pub use storeops_domain::feedback::ReportStatus;
pub use storeops_domain::plans::{PlanAction, PlanLevel, PlanStatus, ReviewKind};
pub use storeops_domain::{Cadence, Priority, Role, TaskStatus};

/// A person, position or department by id and display name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}
