//! The relay's HTTP API from the device: enrolling with an invite code, opening a new
//! store, asking for invites and sending survey answers (blocking HTTP through the
//! shell's [`RelayHttp`]), and the relay's addresses. The request and answer types are
//! `storeops_api::relay`'s.

use serde::Serialize;
use serde::de::DeserializeOwned;
use storeops_api::relay::{
    EnrolRequest, Enrolled, Invite, InviteRequest, NewStore, RelayError, RevokeRequest, StoreDevice,
};

use crate::{ClientError, Enrolment};

/// Normalises a relay address typed by a person: `http(s)://host:port`.
pub fn normalise_relay_url(raw: &str) -> Result<String, ClientError> {
    let raw = raw.trim();
    let (scheme, rest) = if let Some(r) = raw.strip_prefix("https://") {
        ("https", r)
    } else if let Some(r) = raw.strip_prefix("http://") {
        ("http", r)
    } else {
        ("http", raw)
    };
    let host = rest.trim_end_matches('/');
    let bad = host.is_empty()
        || host.contains(char::is_whitespace)
        || host.contains('/')
        || host.starts_with(':')
        || host.ends_with(':');
    if bad {
        return Err(ClientError::BadRelayUrl(raw.to_owned()));
    }
    Ok(format!("{scheme}://{host}"))
}

/// The relay's WebSocket address for a relay address and the store the
/// connection syncs. The relay goes by the token; `?store=` is for a load
/// balancer in front of several relay nodes, to keep each store's devices on
/// one node (`docs/operators.md`).
pub fn websocket_url(relay_url: &str, store_id: &str) -> String {
    let base = if let Some(rest) = relay_url.strip_prefix("https://") {
        format!("wss://{rest}/sync")
    } else {
        format!(
            "ws://{}/sync",
            relay_url.strip_prefix("http://").unwrap_or(relay_url)
        )
    };
    // Store ids are the relay's own (`store-` and hex): nothing to escape.
    let store: String = store_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    format!("{base}?store={store}")
}

/// How the device reaches the relay's HTTP API. Each shell brings its own: ureq on the
/// desktop ([`Ureq`]), a synchronous `XMLHttpRequest` in the browser's worker.
pub trait RelayHttp: Send + Sync + std::fmt::Debug {
    /// POSTs `body` (JSON) to `url`, with the device token as a bearer token when given,
    /// trusting `ca_pem` besides the usual roots where the shell decides trust. The
    /// answer's status and body; [`ClientError::Unreachable`] (or a certificate error)
    /// when there was no answer.
    fn post_json(
        &self,
        url: &str,
        token: Option<&str>,
        body: &str,
        ca_pem: Option<&str>,
    ) -> Result<(u16, String), ClientError>;
}

/// The relay's error body's message, or `fallback`.
fn relay_message(body: &str, fallback: impl FnOnce() -> String) -> String {
    serde_json::from_str::<RelayError>(body)
        .map(|e| e.message)
        .unwrap_or_else(|_| fallback())
}

/// The relay's error body, or a refusal with the answer's status as its code.
fn relay_refusal(status: u16, body: &str) -> ClientError {
    serde_json::from_str::<RelayError>(body).map_or_else(
        |_| ClientError::refused(&format!("http_{status}"), "the relay refused"),
        ClientError::Refused,
    )
}

/// Posts `body` as JSON to the relay and reads the answer; a refusal becomes
/// [`ClientError::Refused`] with the relay's message.
fn post<B: Serialize, R: DeserializeOwned>(
    http: &dyn RelayHttp,
    relay_url: &str,
    path: &str,
    token: Option<&str>,
    body: &B,
    ca_pem: Option<&str>,
) -> Result<R, ClientError> {
    let body = serde_json::to_string(body).map_err(|e| ClientError::Internal(e.to_string()))?;
    let (status, answer) = http.post_json(&format!("{relay_url}{path}"), token, &body, ca_pem)?;
    if (200..300).contains(&status) {
        serde_json::from_str(&answer).map_err(|e| ClientError::BadAnswer(e.to_string()))
    } else {
        Err(relay_refusal(status, &answer))
    }
}

/// What became of a survey answer sent to the relay.
#[derive(Debug)]
pub(crate) enum Sent {
    Accepted,
    /// Refused for good (e.g. answered already), with the relay's message.
    Refused(String),
    /// Not taken this time (unreachable, busy, failing): keep it and retry.
    Retry(String),
}

/// Sends an anonymous survey answer (`POST /v1/surveys/answer`).
pub(crate) fn send_survey_answer(
    http: &dyn RelayHttp,
    relay_url: &str,
    token: &str,
    answer: &storeops_api::relay::SurveyAnswerRequest,
    ca_pem: Option<&str>,
) -> Sent {
    let body = match serde_json::to_string(answer) {
        Ok(b) => b,
        Err(e) => return Sent::Retry(e.to_string()),
    };
    let url = format!("{relay_url}/v1/surveys/answer");
    match http.post_json(&url, Some(token), &body, ca_pem) {
        Ok((status, _)) if (200..300).contains(&status) => Sent::Accepted,
        Ok((status, answer)) => {
            let message = relay_message(&answer, || format!("the relay answered {status}"));
            if matches!(status, 400 | 403 | 404 | 409) {
                Sent::Refused(message)
            } else {
                Sent::Retry(message)
            }
        }
        Err(e) => Sent::Retry(e.to_string()),
    }
}

/// Redeems an invite code at the relay. Returns the enrolment and token.
pub fn enrol(
    http: &dyn RelayHttp,
    relay_url: &str,
    code: &str,
    device_name: &str,
    ca_pem: Option<&str>,
) -> Result<(Enrolment, String), ClientError> {
    let relay_url = normalise_relay_url(relay_url)?;
    let code = code.trim();
    if code.is_empty() {
        return Err(ClientError::NeedsInviteCode);
    }
    let request = EnrolRequest {
        code: code.to_owned(),
        device_name: device_name.trim().to_owned(),
    };
    let answer = post(http, &relay_url, "/v1/enrol", None, &request, ca_pem)?;
    Ok(enrolment(&relay_url, answer, device_name, ca_pem))
}

/// Opens a new store on the relay; this device becomes its director.
pub fn open_store(
    http: &dyn RelayHttp,
    relay_url: &str,
    new: &NewStore,
    ca_pem: Option<&str>,
) -> Result<(Enrolment, String), ClientError> {
    let relay_url = normalise_relay_url(relay_url)?;
    if new.code.trim().is_empty() {
        return Err(ClientError::NeedsStoreCode);
    }
    if new.name.trim().is_empty() {
        return Err(ClientError::NeedsStoreName);
    }
    if storeops_domain::template::template(&new.template).is_none() {
        return Err(ClientError::Domain(
            storeops_domain::DomainError::UnknownTemplate(new.template.clone()),
        ));
    }
    let request = NewStore {
        code: new.code.trim().to_owned(),
        name: new.name.trim().to_owned(),
        device_name: new.device_name.trim().to_owned(),
        person_name: new
            .person_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        ..new.clone()
    };
    let answer = post(http, &relay_url, "/v1/stores", None, &request, ca_pem)?;
    Ok(enrolment(&relay_url, answer, &new.device_name, ca_pem))
}

/// Asks the relay for a one-time invite code for another device of the store.
pub fn create_invite(
    http: &dyn RelayHttp,
    relay_url: &str,
    token: &str,
    request: &InviteRequest,
    ca_pem: Option<&str>,
) -> Result<Invite, ClientError> {
    post(http, relay_url, "/v1/invites", Some(token), request, ca_pem)
}

/// The store's devices the asking device could have invited.
pub fn list_devices(
    http: &dyn RelayHttp,
    relay_url: &str,
    token: &str,
    ca_pem: Option<&str>,
) -> Result<Vec<StoreDevice>, ClientError> {
    post(
        http,
        relay_url,
        "/v1/devices",
        Some(token),
        &serde_json::json!({}),
        ca_pem,
    )
}

/// Revokes a device of the store; the relay answers the list as it is now.
pub fn revoke_device(
    http: &dyn RelayHttp,
    relay_url: &str,
    token: &str,
    request: &RevokeRequest,
    ca_pem: Option<&str>,
) -> Result<Vec<StoreDevice>, ClientError> {
    post(
        http,
        relay_url,
        "/v1/devices/revoke",
        Some(token),
        request,
        ca_pem,
    )
}

fn enrolment(
    relay_url: &str,
    answer: Enrolled,
    device_name: &str,
    ca_pem: Option<&str>,
) -> (Enrolment, String) {
    (
        Enrolment {
            relay_url: relay_url.to_owned(),
            device_id: answer.device_id,
            device_name: device_name.trim().to_owned(),
            store_id: answer.store_id,
            store_name: answer.store_name,
            root_document_id: answer.root_document_id,
            role: answer.role.as_str().to_owned(),
            person: answer.person,
            relay_ca_pem: ca_pem.map(str::to_owned),
        },
        answer.token,
    )
}

#[cfg(not(target_family = "wasm"))]
mod native;
#[cfg(not(target_family = "wasm"))]
pub use native::{Ureq, tls_config};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_addresses_are_normalised_or_refused() {
        assert_eq!(
            normalise_relay_url("127.0.0.1:8787/").unwrap(),
            "http://127.0.0.1:8787"
        );
        assert_eq!(
            normalise_relay_url(" https://relay.example ").unwrap(),
            "https://relay.example"
        );
        for bad in ["", "http://", "a b", "http://x/y"] {
            assert!(normalise_relay_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            websocket_url("https://r.example", "store-1a"),
            "wss://r.example/sync?store=store-1a"
        );
        assert_eq!(
            websocket_url("http://127.0.0.1:1", "store-1a&x=<y>"),
            "ws://127.0.0.1:1/sync?store=store-1axy"
        );
    }
}
