//! The desktop's way to the relay's HTTP API: ureq over rustls, trusting the public
//! web roots plus a self-hosted relay's CA.

use std::time::Duration;

use super::RelayHttp;
use crate::ClientError;

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

/// Blocking HTTP through ureq, 15 s per request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ureq;

impl RelayHttp for Ureq {
    fn post_json(
        &self,
        url: &str,
        token: Option<&str>,
        body: &str,
        ca_pem: Option<&str>,
    ) -> Result<(u16, String), ClientError> {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(15))
            .tls_config(tls_config(ca_pem)?)
            .build();
        let mut request = agent.post(url).set("content-type", "application/json");
        if let Some(token) = token {
            request = request.set("authorization", &format!("Bearer {token}"));
        }
        let read = |r: ureq::Response| (r.status(), r.into_string().unwrap_or_default());
        match request.send_string(body) {
            Ok(r) => Ok(read(r)),
            Err(ureq::Error::Status(_, r)) => Ok(read(r)),
            Err(e) => {
                let relay = url.split("/v1/").next().unwrap_or(url).to_owned();
                Err(ClientError::Unreachable(relay, e.to_string()))
            }
        }
    }
}
