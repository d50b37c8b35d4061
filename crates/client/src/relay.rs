//! The relay's HTTP API from the device: enrolling with an invite code, opening a new
//! store, asking for invites (blocking HTTP through `ureq`), and the relay's addresses.
//! The request and answer types are `storeops_api::relay`'s.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use storeops_api::relay::{EnrolRequest, Enrolled, Invite, InviteRequest, NewStore, RelayError};

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

/// The relay's WebSocket address for a relay address.
pub(crate) fn websocket_url(relay_url: &str) -> String {
    if let Some(rest) = relay_url.strip_prefix("https://") {
        format!("wss://{rest}/sync")
    } else {
        format!(
            "ws://{}/sync",
            relay_url.strip_prefix("http://").unwrap_or(relay_url)
        )
    }
}

/// The TLS configuration for talking to a relay: the public web roots, plus the
/// self-hosted relay's own CA when one is given (PEM).
pub fn tls_config(
    ca_pem: Option<&str>,
) -> Result<std::sync::Arc<rustls::ClientConfig>, ClientError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = ca_pem {
        let bad = ClientError::BadCertificate;
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            roots
                .add(cert.map_err(|e| bad(e.to_string()))?)
                .map_err(|e| bad(e.to_string()))?;
            added += 1;
        }
        if added == 0 {
            return Err(bad("no certificate in it".into()));
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Internal(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(std::sync::Arc::new(config))
}

/// Posts `body` as JSON to the relay and reads the answer; a refusal becomes
/// [`ClientError::Refused`] with the relay's message.
fn post<B: Serialize, R: DeserializeOwned>(
    relay_url: &str,
    path: &str,
    token: Option<&str>,
    body: &B,
    ca_pem: Option<&str>,
) -> Result<R, ClientError> {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(15))
        .tls_config(tls_config(ca_pem)?)
        .build();
    let mut request = agent.post(&format!("{relay_url}{path}"));
    if let Some(token) = token {
        request = request.set("authorization", &format!("Bearer {token}"));
    }
    match request.send_json(body) {
        Ok(r) => r
            .into_json()
            .map_err(|e| ClientError::Refused(format!("unexpected answer from the relay: {e}"))),
        Err(ureq::Error::Status(_, r)) => {
            let message = r
                .into_json::<RelayError>()
                .map(|e| e.message)
                .unwrap_or_else(|_| "the relay refused".to_owned());
            Err(ClientError::Refused(message))
        }
        Err(e) => Err(ClientError::Unreachable(
            relay_url.to_owned(),
            e.to_string(),
        )),
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
    relay_url: &str,
    token: &str,
    answer: &storeops_api::relay::SurveyAnswerRequest,
    ca_pem: Option<&str>,
) -> Sent {
    let agent = match tls_config(ca_pem) {
        Ok(tls) => ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(15))
            .tls_config(tls)
            .build(),
        Err(e) => return Sent::Retry(e.to_string()),
    };
    let request = agent
        .post(&format!("{relay_url}/v1/surveys/answer"))
        .set("authorization", &format!("Bearer {token}"));
    match request.send_json(answer) {
        Ok(_) => Sent::Accepted,
        Err(ureq::Error::Status(status, r)) => {
            let message = r
                .into_json::<RelayError>()
                .map(|e| e.message)
                .unwrap_or_else(|_| format!("the relay answered {status}"));
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
    relay_url: &str,
    code: &str,
    device_name: &str,
    ca_pem: Option<&str>,
) -> Result<(Enrolment, String), ClientError> {
    let relay_url = normalise_relay_url(relay_url)?;
    let code = code.trim();
    if code.is_empty() {
        return Err(ClientError::Refused(
            "enter the invite code a manager gave you".into(),
        ));
    }
    let request = EnrolRequest {
        code: code.to_owned(),
        device_name: device_name.trim().to_owned(),
    };
    let answer = post(&relay_url, "/v1/enrol", None, &request, ca_pem)?;
    Ok(enrolment(&relay_url, answer, device_name, ca_pem))
}

/// Opens a new store on the relay; this device becomes its director.
pub fn open_store(
    relay_url: &str,
    new: &NewStore,
    ca_pem: Option<&str>,
) -> Result<(Enrolment, String), ClientError> {
    let relay_url = normalise_relay_url(relay_url)?;
    if new.code.trim().is_empty() {
        return Err(ClientError::Refused(
            "enter the new-store code from whoever runs the relay".into(),
        ));
    }
    if new.name.trim().is_empty() {
        return Err(ClientError::Refused("give the store a name".into()));
    }
    if storeops_domain::template::template(&new.template).is_none() {
        return Err(ClientError::Refused(format!(
            "{:?} is not a template; choose plan1, plan2 or plan3",
            new.template
        )));
    }
    let request = NewStore {
        code: new.code.trim().to_owned(),
        name: new.name.trim().to_owned(),
        device_name: new.device_name.trim().to_owned(),
        ..new.clone()
    };
    let answer = post(&relay_url, "/v1/stores", None, &request, ca_pem)?;
    Ok(enrolment(&relay_url, answer, &new.device_name, ca_pem))
}

/// Asks the relay for a one-time invite code for another device of the store.
pub fn create_invite(
    relay_url: &str,
    token: &str,
    request: &InviteRequest,
    ca_pem: Option<&str>,
) -> Result<Invite, ClientError> {
    post(relay_url, "/v1/invites", Some(token), request, ca_pem)
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
        assert_eq!(websocket_url("https://r.example"), "wss://r.example/sync");
        assert_eq!(websocket_url("http://127.0.0.1:1"), "ws://127.0.0.1:1/sync");
    }
}
