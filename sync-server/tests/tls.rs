//! `https`/`wss` with a certificate made in the test: a device that trusts the
//! relay's CA enrols and syncs; one that does not is refused with a clear error.

#![allow(clippy::unwrap_used)] // test helpers may panic: that is how a test fails

use std::time::Duration;

use storeops_api::command::Enrol;
use storeops_api::{ErrorCode, Handles};
use storeops_client::{Device, sync_loop};
use storeops_domain::Role;
use storeops_domain::calendar::Date;
use storeops_relay::registry::Registry;
use storeops_relay::{Settings, serve};

struct Pki {
    ca_pem: String,
    cert_pem: String,
    key_pem: String,
}

fn pki() -> Pki {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Storeops test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_params =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).unwrap();
    Pki {
        ca_pem: ca.pem(),
        cert_pem: leaf.pem(),
        key_pem: leaf_key.serialize_pem(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_trusting_the_relays_ca_enrols_and_syncs_over_wss_and_others_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pki = pki();
    let (cert, key) = (dir.path().join("relay.crt"), dir.path().join("relay.key"));
    std::fs::write(&cert, &pki.cert_pem).unwrap();
    std::fs::write(&key, &pki.key_pem).unwrap();
    let data = dir.path().join("data");
    let (code, other_code) = {
        let mut reg = Registry::open(&data).unwrap();
        let s = reg
            .create_store(
                "Secure",
                "plan1",
                "en",
                "UTC",
                Date::new(2026, 11, 28).unwrap(),
                0,
            )
            .unwrap();
        (
            reg.create_invite(&s.id, Role::Manager, None, 0, i64::MAX / 2)
                .unwrap(),
            reg.create_invite(&s.id, Role::Staff, None, 0, i64::MAX / 2)
                .unwrap(),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let settings = Settings {
        listen: addr,
        data_dir: data,
        tls_cert_file: Some(cert.clone()),
        tls_key_file: Some(key),
        ..Settings::default()
    };
    tokio::spawn(serve(settings, listener, std::future::pending()));
    let url = format!("https://127.0.0.1:{}", addr.port());

    // Without the CA, TLS refuses the self-signed relay.
    let untrusting = Device::open(&dir.path().join("untrusting")).unwrap();
    let (u, url2) = (untrusting.clone(), url.clone());
    let enrol = |url: &str, code: &str, device_name: &str| Enrol {
        relay_url: url.to_owned(),
        code: code.to_owned(),
        device_name: device_name.to_owned(),
    };
    let request = enrol(&url, &other_code, "Phone");
    let err = tokio::task::spawn_blocking(move || u.handle(request))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Unreachable, "{err}");
    // A garbage CA file is refused before anything is sent.
    let u = Device::open(&dir.path().join("garbage-ca"))
        .unwrap()
        .trusting(Some("not a certificate".into()));
    let request = enrol(&url2, "x", "Phone");
    let err = tokio::task::spawn_blocking(move || u.handle(request))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::BadCertificate, "{err}");

    // With the CA: enrol over https, sync over wss.
    let device = Device::open(&dir.path().join("trusting"))
        .unwrap()
        .trusting(Some(pki.ca_pem.clone()));
    let (d, request) = (device.clone(), enrol(&url, &code, "Laptop"));
    tokio::task::spawn_blocking(move || d.handle(request))
        .await
        .unwrap()
        .unwrap();
    tokio::spawn(sync_loop(device.clone()));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while device
        .replica()
        .tasks()
        .map(|t| t.is_empty())
        .unwrap_or(true)
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no sync over wss: {:?}",
            device.app_status()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(device.app_status().sync.online);
}

#[tokio::test]
async fn a_certificate_without_a_key_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let settings = Settings {
        data_dir: dir.path().to_owned(),
        tls_cert_file: Some(dir.path().join("relay.crt")),
        ..Settings::default()
    };
    let err = serve(settings, listener, std::future::pending())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("both"), "{err}");
}
