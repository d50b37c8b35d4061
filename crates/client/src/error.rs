//! What goes wrong on the device, and how it reaches the UI as an [`ApiError`].

use storeops_api::{ApiError, ErrorCode};
use storeops_domain::DomainError;

/// What went wrong, for the UI: a stable `code` and a message that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("this device is not enrolled yet; enter the relay address and an invite code")]
    NotEnrolled,
    #[error("the store's data has not arrived yet; connect to the relay once")]
    NotSyncedYet,
    #[error("{0}")]
    Domain(#[from] DomainError),
    #[error("the relay refused: {0}")]
    Refused(String),
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
    /// The stable code the UI words this error by.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::NotEnrolled => ErrorCode::NotEnrolled,
            ClientError::NotSyncedYet => ErrorCode::NotSyncedYet,
            ClientError::Domain(d) if d.is_permission() => ErrorCode::Forbidden,
            ClientError::Domain(DomainError::NotFound { .. }) => ErrorCode::NotFound,
            ClientError::Domain(DomainError::IllegalTransition { .. }) => {
                ErrorCode::IllegalTransition
            }
            ClientError::Domain(DomainError::SchemaTooNew(_)) => ErrorCode::UpdateApp,
            ClientError::Domain(_) => ErrorCode::Invalid,
            ClientError::Refused(_) => ErrorCode::Refused,
            ClientError::Unreachable(..) => ErrorCode::Unreachable,
            ClientError::BadRelayUrl(_) => ErrorCode::BadRelayUrl,
            ClientError::Storage(_) => ErrorCode::Storage,
            ClientError::BadCertificate(_) => ErrorCode::BadCertificate,
            ClientError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<ClientError> for ApiError {
    fn from(e: ClientError) -> Self {
        ApiError::new(e.code(), e.to_string())
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

    #[test]
    fn each_kind_of_domain_refusal_has_its_own_code() {
        let code = |e: DomainError| ClientError::Domain(e).code();
        assert_eq!(
            code(DomainError::IllegalTransition {
                what: "plan",
                from: "draft".into(),
                to: "approved".into(),
                hint: String::new(),
            }),
            ErrorCode::IllegalTransition
        );
        assert_eq!(
            code(DomainError::NotFound {
                what: "task",
                id: "t".into()
            }),
            ErrorCode::NotFound
        );
        assert_eq!(
            code(DomainError::Forbidden("no".into())),
            ErrorCode::Forbidden
        );
        assert_eq!(code(DomainError::Invalid("bad".into())), ErrorCode::Invalid);
        assert_eq!(code(DomainError::SchemaTooNew(99)), ErrorCode::UpdateApp);
        let api: ApiError = ClientError::NotEnrolled.into();
        assert_eq!(api.code, ErrorCode::NotEnrolled);
        assert!(api.message.contains("not enrolled"));
    }
}
