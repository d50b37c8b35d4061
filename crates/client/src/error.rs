//! What goes wrong on the device, and how it reaches the UI as an [`ApiError`]:
//! a code, a key with parameters the UI words (the domain's [`DomainError::problem`]
//! for a refusal by the domain), and the English message for logs.

use storeops_api::relay::RelayError;
use storeops_api::{ApiError, ErrorCode};
use storeops_domain::DomainError;
use storeops_domain::problem::Problem;

/// What went wrong, for the UI: a stable `code` and a message that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("this device is not enrolled yet; enter the relay address and an invite code")]
    NotEnrolled,
    #[error("the store's data has not arrived yet; connect to the relay once")]
    NotSyncedYet,
    #[error("{0}")]
    Domain(#[from] DomainError),
    /// The relay's refusal, as it answered it.
    #[error("the relay refused: {}", .0.message)]
    Refused(RelayError),
    #[error("unexpected answer from the relay: {0}")]
    BadAnswer(String),
    #[error("enter the invite code a manager gave you")]
    NeedsInviteCode,
    #[error("enter the new-store code from whoever runs the relay")]
    NeedsStoreCode,
    #[error("give the store a name")]
    NeedsStoreName,
    #[error("give this device a name")]
    NeedsDeviceName,
    #[error("this device belongs to a store already; sign out first")]
    AlreadyEnrolled,
    #[error(
        "this device does not hold store {0}; add it with an invite (Settings, Add another store)"
    )]
    StoreNotHeld(String),
    #[error(
        "{0} changes on this device are not on the relay yet; sync first, or confirm that they are lost"
    )]
    UnsyncedChanges(u64),
    #[error("no manager has opened {kind} for {period} yet; ask a manager to open the app once")]
    PeriodNotOpened { kind: String, period: String },
    #[error("{0:?} is not an owner; write position:<id>, department:<id> or person:<id>")]
    BadOwner(String),
    #[error("cannot reach the relay at {0}: {1}; check the address and the network")]
    Unreachable(String, String),
    #[error("{0:?} is not a relay address; write it like http://192.168.1.10:8787")]
    BadRelayUrl(String),
    #[error("local storage failed: {0}")]
    Storage(String),
    #[error(
        "the relay's certificate file is not usable ({0}); ask whoever runs the relay for its CA certificate"
    )]
    BadCertificate(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ClientError {
    /// A refusal of the relay's with no key (before it answered one).
    pub fn refused(code: &str, message: impl Into<String>) -> Self {
        ClientError::Refused(RelayError {
            code: code.into(),
            message: message.into(),
            key: String::new(),
            params: Default::default(),
        })
    }

    /// The stable code the UI words this error by.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::NotEnrolled => ErrorCode::NotEnrolled,
            ClientError::NotSyncedYet => ErrorCode::NotSyncedYet,
            ClientError::Domain(d) if d.is_permission() => ErrorCode::Forbidden,
            ClientError::Domain(DomainError::NotFound { .. }) | ClientError::StoreNotHeld(_) => {
                ErrorCode::NotFound
            }
            ClientError::Domain(DomainError::IllegalTransition { .. }) => {
                ErrorCode::IllegalTransition
            }
            ClientError::Domain(DomainError::SchemaTooNew(_)) => ErrorCode::UpdateApp,
            ClientError::Domain(_) => ErrorCode::Invalid,
            ClientError::Refused(_)
            | ClientError::BadAnswer(_)
            | ClientError::NeedsInviteCode
            | ClientError::NeedsStoreCode
            | ClientError::NeedsStoreName
            | ClientError::NeedsDeviceName
            | ClientError::AlreadyEnrolled
            | ClientError::UnsyncedChanges(_)
            | ClientError::PeriodNotOpened { .. }
            | ClientError::BadOwner(_) => ErrorCode::Refused,
            ClientError::Unreachable(..) => ErrorCode::Unreachable,
            ClientError::BadRelayUrl(_) => ErrorCode::BadRelayUrl,
            ClientError::Storage(_) => ErrorCode::Storage,
            ClientError::BadCertificate(_) => ErrorCode::BadCertificate,
            ClientError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The key and parameters the UI words this error by.
    pub fn problem(&self) -> Problem {
        let p = Problem::new;
        let one = |key, name, value: &String| Problem::new(key, vec![(name, value.clone())]);
        match self {
            ClientError::NotEnrolled => p("not-enrolled", vec![]),
            ClientError::NotSyncedYet => p("not-synced-yet", vec![]),
            ClientError::Domain(d) => d.problem(),
            // A relay's key is passed on as it came, by `From<ClientError> for ApiError`.
            ClientError::Refused(r) => p(
                "relay-refused",
                vec![("code", r.code.clone()), ("reason", r.message.clone())],
            ),
            ClientError::BadAnswer(detail) => one("bad-answer", "detail", detail),
            ClientError::NeedsInviteCode => p("needs-invite-code", vec![]),
            ClientError::NeedsStoreCode => p("needs-store-code", vec![]),
            ClientError::NeedsStoreName => p("needs-store-name", vec![]),
            ClientError::NeedsDeviceName => p("needs-device-name", vec![]),
            ClientError::AlreadyEnrolled => p("already-enrolled", vec![]),
            ClientError::StoreNotHeld(store) => one("store-not-held", "store", store),
            ClientError::UnsyncedChanges(n) => {
                p("unsynced-changes", vec![("count", n.to_string())])
            }
            ClientError::PeriodNotOpened { kind, period } => p(
                "period-not-opened",
                vec![("kind", kind.clone()), ("period", period.clone())],
            ),
            ClientError::BadOwner(text) => one("bad-owner", "text", text),
            ClientError::Unreachable(relay, detail) => p(
                "unreachable",
                vec![("relay", relay.clone()), ("detail", detail.clone())],
            ),
            ClientError::BadRelayUrl(text) => one("bad-relay-url", "text", text),
            ClientError::Storage(detail) => one("storage", "detail", detail),
            ClientError::BadCertificate(detail) => one("bad-certificate", "detail", detail),
            ClientError::Internal(detail) => one("internal", "detail", detail),
        }
    }

    /// One of every error the device makes besides the domain's
    /// ([`DomainError::samples`]), with example parameters: what the UI's wording
    /// is tested against.
    pub fn samples() -> Vec<ClientError> {
        let x = || "x".to_owned();
        vec![
            ClientError::NotEnrolled,
            ClientError::NotSyncedYet,
            ClientError::refused("invalid_invite", x()),
            ClientError::BadAnswer(x()),
            ClientError::NeedsInviteCode,
            ClientError::NeedsStoreCode,
            ClientError::NeedsStoreName,
            ClientError::NeedsDeviceName,
            ClientError::AlreadyEnrolled,
            ClientError::StoreNotHeld(x()),
            ClientError::UnsyncedChanges(3),
            ClientError::PeriodNotOpened {
                kind: "tasks".into(),
                period: "2026-W48".into(),
            },
            ClientError::BadOwner(x()),
            ClientError::Unreachable("http://192.168.1.10:8787".into(), x()),
            ClientError::BadRelayUrl(x()),
            ClientError::Storage(x()),
            ClientError::BadCertificate(x()),
            ClientError::Internal(x()),
        ]
    }
}

impl From<ClientError> for ApiError {
    fn from(e: ClientError) -> Self {
        let api = ApiError::new(e.code(), e.to_string());
        match e {
            // The relay worded a domain refusal: pass its key on.
            ClientError::Refused(r) if !r.key.is_empty() => ApiError {
                key: r.key,
                params: r.params,
                ..api
            },
            e => {
                let Problem { key, params } = e.problem();
                api.with_problem(key, params)
            }
        }
    }
}

impl From<storeops_storage::StorageError> for ClientError {
    fn from(e: storeops_storage::StorageError) -> Self {
        ClientError::Storage(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storeops_domain::problem::{Action, Hint, Invalid, Needed, Noun};

    #[test]
    fn each_kind_of_domain_refusal_has_its_own_code() {
        let code = |e: DomainError| ClientError::Domain(e).code();
        assert_eq!(
            code(DomainError::IllegalTransition {
                what: Noun::Plan,
                from: "draft".into(),
                to: "approved".into(),
                hint: Hint::OnlySubmittedReviewed,
            }),
            ErrorCode::IllegalTransition
        );
        assert_eq!(
            code(DomainError::NotFound {
                what: Noun::Task,
                id: "t".into()
            }),
            ErrorCode::NotFound
        );
        assert_eq!(code(DomainError::NotYourTask), ErrorCode::Forbidden);
        assert_eq!(
            code(DomainError::NotPermitted {
                action: Action::ReassignTask,
                needed: Needed::Manager,
                hint: Hint::AskYourManager
            }),
            ErrorCode::Forbidden
        );
        assert_eq!(code(Invalid::DescribeProblem.into()), ErrorCode::Invalid);
        assert_eq!(code(DomainError::SchemaTooNew(99)), ErrorCode::UpdateApp);
        let api: ApiError = ClientError::NotEnrolled.into();
        assert_eq!(api.code, ErrorCode::NotEnrolled);
        assert!(api.message.contains("not enrolled"));
    }

    #[test]
    fn an_api_error_carries_the_key_and_parameters_of_the_refusal() {
        let e = ClientError::Domain(
            Invalid::TooLong {
                what: Noun::Title,
                max: 200,
                got: 201,
            }
            .into(),
        );
        let api: ApiError = e.into();
        assert_eq!(api.code, ErrorCode::Invalid);
        assert_eq!(api.key, "too-long");
        assert_eq!(api.param("what"), "title");
        assert_eq!(api.param("max"), "200");
        assert_eq!(api.param("got"), "201");
        assert_eq!(
            api.message,
            "a title is at most 200 characters; this one has 201"
        );

        let api: ApiError = ClientError::UnsyncedChanges(4).into();
        assert_eq!(
            (api.key.as_str(), api.param("count")),
            ("unsynced-changes", "4")
        );
    }

    #[test]
    fn a_relay_refusal_with_a_key_passes_the_key_on_and_one_without_is_worded_by_its_code() {
        let mut keyed = RelayError {
            code: "forbidden".into(),
            message: "only the store manager, …".into(),
            key: "may-not-invite-role".into(),
            params: Default::default(),
        };
        keyed.params.insert("role".into(), "director".into());
        let api: ApiError = ClientError::Refused(keyed).into();
        assert_eq!(
            (api.key.as_str(), api.param("role")),
            ("may-not-invite-role", "director")
        );
        let api: ApiError =
            ClientError::refused("invalid_invite", "that invite code is used").into();
        assert_eq!(
            (api.key.as_str(), api.param("code")),
            ("relay-refused", "invalid_invite")
        );
    }

    #[test]
    fn every_client_key_is_distinct_from_the_others_and_from_the_domains() {
        let mut keys: Vec<&str> = ClientError::samples()
            .iter()
            .map(|e| e.problem().key)
            .chain(DomainError::samples().iter().map(|e| e.problem().key))
            .collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
