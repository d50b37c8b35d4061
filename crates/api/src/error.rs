//! How every command fails: a stable code the UI words, and the device's message.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What went wrong, by kind. The wire spelling is the code (`not_enrolled`, …);
/// `docs/design/app-api.md` lists them all (a test checks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The device has no store yet.
    NotEnrolled,
    /// The store's documents have not reached the device yet.
    NotSyncedYet,
    /// The device's person may not do this.
    Forbidden,
    /// No such task, plan, person, … (perhaps removed on another device).
    NotFound,
    /// The entity is not in a state that allows this (e.g. approving a draft plan).
    IllegalTransition,
    /// The input is not valid (empty, too long, a bad date, …).
    Invalid,
    /// The data was written by a newer Storeops: it is read-only until the app is updated.
    UpdateApp,
    /// The relay said no (a used invite, a revoked device, …).
    Refused,
    /// The relay cannot be reached.
    Unreachable,
    /// What was typed is not a relay address.
    BadRelayUrl,
    /// The device's own storage failed.
    Storage,
    /// The relay's CA certificate file cannot be used.
    BadCertificate,
    /// A bug.
    Internal,
    /// The UI cannot reach its backend at all.
    #[serde(rename = "ui.unavailable")]
    Unavailable,
    /// The backend's answer did not have the shape this UI expects.
    #[serde(rename = "ui.bad_reply")]
    BadReply,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 15] = [
        Self::NotEnrolled,
        Self::NotSyncedYet,
        Self::Forbidden,
        Self::NotFound,
        Self::IllegalTransition,
        Self::Invalid,
        Self::UpdateApp,
        Self::Refused,
        Self::Unreachable,
        Self::BadRelayUrl,
        Self::Storage,
        Self::BadCertificate,
        Self::Internal,
        Self::Unavailable,
        Self::BadReply,
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotEnrolled => "not_enrolled",
            Self::NotSyncedYet => "not_synced_yet",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::IllegalTransition => "illegal_transition",
            Self::Invalid => "invalid",
            Self::UpdateApp => "update_app",
            Self::Refused => "refused",
            Self::Unreachable => "unreachable",
            Self::BadRelayUrl => "bad_relay_url",
            Self::Storage => "storage",
            Self::BadCertificate => "bad_certificate",
            Self::Internal => "internal",
            Self::Unavailable => "ui.unavailable",
            Self::BadReply => "ui.bad_reply",
        }
    }
}

/// A failed command: the promise rejects with this, the worker posts it back.
///
/// The UI words it by `key` and `params` (`docs/design/app-api.md`, "Errors"); `message`
/// is the device's English, shown only when the UI does not know the key (a newer
/// device) and for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// What exactly went wrong, stable and kebab-case (`too-long`, `not-permitted`,
    /// `unreachable`, …); empty from a device older than keys.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// The key's named values: data (ids, numbers, names people typed) or keys
    /// themselves (`what = title`, `action = reassign-task`, `role = staff`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl ApiError {
    /// An error with no key: the UI words it by its code, or shows `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            key: String::new(),
            params: BTreeMap::new(),
        }
    }

    /// The same with its key and parameters.
    pub fn with_problem(
        mut self,
        key: impl Into<String>,
        params: impl IntoIterator<Item = (impl Into<String>, String)>,
    ) -> Self {
        self.key = key.into();
        self.params = params.into_iter().map(|(k, v)| (k.into(), v)).collect();
        self
    }

    /// A parameter, or "" when it is missing.
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_spelled_on_the_wire_as_as_str_says() {
        for code in ErrorCode::ALL {
            let wire = serde_json::to_value(code).expect("serialise");
            assert_eq!(wire, serde_json::json!(code.as_str()));
            let back: ErrorCode = serde_json::from_value(wire).expect("read back");
            assert_eq!(back, code);
        }
    }

    #[test]
    fn an_error_without_a_key_still_reads_and_one_with_a_key_keeps_it() {
        let old: ApiError =
            serde_json::from_str(r#"{"code":"invalid","message":"bad"}"#).expect("older payload");
        assert_eq!(old, ApiError::new(ErrorCode::Invalid, "bad"));
        let new = ApiError::new(ErrorCode::Invalid, "a title is at most 200 characters")
            .with_problem(
                "too-long",
                [("what", "title".to_owned()), ("max", "200".to_owned())],
            );
        let wire = serde_json::to_string(&new).expect("serialise");
        let back: ApiError = serde_json::from_str(&wire).expect("read back");
        assert_eq!(back, new);
        assert_eq!(back.param("what"), "title");
        assert_eq!(back.param("missing"), "");
        let newer: ApiError = serde_json::from_str(
            r#"{"code":"invalid","message":"m","key":"k","params":{},"extra":1}"#,
        )
        .expect("a newer payload with a field this build does not know");
        assert_eq!(newer.key, "k");
    }
}
