//! The relay's HTTP API, as both the relay and the device use it.
//!
//! - `POST /v1/enrol` [`EnrolRequest`] → [`Enrolled`]
//! - `POST /v1/stores` [`NewStore`] → [`Enrolled`]
//! - `POST /v1/invites` (bearer token) [`InviteRequest`] → [`Invite`]
//! - `POST /v1/devices` (bearer token) `{}` → `Vec<`[`StoreDevice`]`>`: the
//!   devices of the caller's store it could have invited
//! - `POST /v1/devices/revoke` (bearer token) [`RevokeRequest`] → `Vec<`[`StoreDevice`]`>`
//!
//! A refusal is [`RelayError`] with a 4xx/5xx status.

use serde::{Deserialize, Serialize};
use storeops_domain::Role;

/// Redeems a one-time invite code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub code: String,
    pub device_name: String,
}

/// Opens a new store from a seed template with a one-time code from whoever runs the
/// relay (`storeops-relay store grant`); the caller becomes its director.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStore {
    pub code: String,
    pub name: String,
    /// `plan1`, `plan2` or `plan3`.
    pub template: String,
    /// `zh-CN` or `en`.
    pub locale: String,
    /// IANA name.
    pub time_zone: String,
    pub device_name: String,
    /// The opener's own name: they become the person holding the template's top
    /// position, and the device is theirs. (Absent from older builds: the device
    /// name stands in.)
    #[serde(default)]
    pub person_name: Option<String>,
}

/// What enrolling or opening a store gives the device. The token is shown only here.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    pub device_id: String,
    pub token: String,
    pub store_id: String,
    pub store_name: String,
    pub root_document_id: String,
    pub role: Role,
    /// The person of the org chart this device is for, if the invite named one.
    pub person: Option<String>,
}

impl std::fmt::Debug for Enrolled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrolled")
            .field("device_id", &self.device_id)
            .field("token", &"<redacted>")
            .field("store_id", &self.store_id)
            .field("store_name", &self.store_name)
            .field("root_document_id", &self.root_document_id)
            .field("role", &self.role)
            .field("person", &self.person)
            .finish()
    }
}

/// Asks for a one-time invite code for another device of the caller's store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRequest {
    /// The person it is for; the role follows from their positions.
    #[serde(default)]
    pub person: Option<String>,
    /// Used only when the relay's org chart does not hold the person yet (just
    /// added on the inviting device) or the invite is for no one.
    #[serde(default)]
    pub role: Option<Role>,
    /// 1 to 720; 72 when absent.
    #[serde(default)]
    pub valid_hours: Option<i64>,
}

/// A device of the store, as a manager who could have invited it sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreDevice {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The person it is for (an id of the org chart).
    pub person: Option<String>,
    /// That person's name, as this device's org chart has it (filled by the
    /// device, not the relay).
    #[serde(default)]
    pub person_name: Option<String>,
    pub revoked: bool,
    /// The device asking (filled by the device).
    #[serde(default)]
    pub this_device: bool,
}

/// Revokes a device of the caller's store: its connections are cut within a
/// second and its token no longer signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeRequest {
    pub device_id: String,
}

/// A one-time invite code another device enrols with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub code: String,
    pub role: Role,
    /// Unix ms.
    pub expires_at: i64,
}

/// The body of every refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayError {
    /// `bad_request`, `unauthorized`, `forbidden`, `invalid_invite`, `invalid_grant`,
    /// `invalid`, `internal`, …
    pub code: String,
    pub message: String,
    /// For a refusal by the domain's rules (who may invite, see or revoke devices):
    /// its key and parameters, as in [`crate::ApiError`]; empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
}

/// `POST /v1/surveys/answer` (with the device's bearer token): an anonymous
/// survey answer. The relay checks one answer per person, then writes it with
/// others in a shuffled batch under its own actor (`docs/design/surveys.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswerRequest {
    /// The feedback document holding the survey.
    pub document: String,
    pub survey: String,
    /// 1 to 5.
    pub score: u64,
    pub comment: String,
    /// A random value the device made for this answer: sending the same answer
    /// again (an answer lost on the way back) is accepted once, not refused.
    pub receipt: String,
}

/// The relay took the answer; it appears in the survey with the next batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswerAccepted {
    /// Answers waiting for that survey's next batch, this one included.
    pub waiting: usize,
}
