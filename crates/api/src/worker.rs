//! What crosses between the page and the device in its Web Worker (the phone web app),
//! as JSON strings through `postMessage`: the page sends [`ToWorker`], the worker
//! answers with [`FromWorker`]. One tab's worker owns the device's database at a time
//! (a Web Lock); the others say so and can take it over.

use serde::{Deserialize, Serialize};

use crate::status::SyncStatus;
use crate::{ApiError, Reply, Request};

/// The page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWorker {
    /// Run one command; answered by [`FromWorker::Answer`] with the same `id`.
    Call { id: u64, request: Request },
    /// This tab takes the database from the tab that holds it.
    TakeOver,
}

/// The worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromWorker {
    /// The device is open: commands are answered from now on.
    Ready,
    /// The answer to [`ToWorker::Call`] `id`.
    Answer {
        id: u64,
        result: Result<Reply, ApiError>,
        /// How long the device took over it, in milliseconds (for the page's timing
        /// marks: the rest of the wait is the queue and the messages).
        #[serde(default)]
        took_ms: f64,
    },
    /// Documents changed through sync: what is shown should be fetched again.
    Changed,
    /// The sync state changed.
    Sync { status: SyncStatus },
    /// Another tab holds the device's database; this one waits (or takes over).
    Elsewhere,
    /// Another tab took the database over: this one no longer runs commands.
    TakenOver,
    /// The device could not be opened (no private file system, a damaged database…).
    Failed { error: ApiError },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::ListTasks;

    #[test]
    fn messages_round_trip_as_json() {
        let call = ToWorker::Call {
            id: 7,
            request: ListTasks {}.into(),
        };
        let json = serde_json::to_string(&call).unwrap();
        assert_eq!(serde_json::from_str::<ToWorker>(&json).unwrap(), call);
        let answer = FromWorker::Answer {
            id: 7,
            result: Err(ApiError::new(crate::ErrorCode::NotEnrolled, "enrol first")),
            took_ms: 1.5,
        };
        let json = serde_json::to_string(&answer).unwrap();
        assert_eq!(serde_json::from_str::<FromWorker>(&json).unwrap(), answer);
    }
}
