//! Every refusal leaves the store as it was.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zhengwu_serve::Limits;

use crate::{Centre, events_of};

/// Whether a post with `name`'s certificate was refused: in the handshake (or the first read,
/// where TLS 1.3 reports it) or by a 401.
async fn refused(centre: &Centre, name: Option<&str>) -> bool {
    match centre.client(name).await {
        Err(_) => true,
        Ok(mut client) => match client.post_events(events_of("km-scjg")).await {
            Err(_) => true,
            Ok(answer) => answer.status == 401,
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificates_without_a_path_to_the_ca_now_store_nothing() {
    let mut centre = Centre::start(Limits::default()).await;
    for name in [None, Some("foreign"), Some("revoked"), Some("expired")] {
        assert!(refused(&centre, name).await, "{name:?} was not refused");
    }
    // The same batch from the listed system is taken, so the refusals were the certificates'.
    let mut client = centre.client(Some("scjg")).await.unwrap();
    let answer = client.post_events(b"\n".to_vec()).await.unwrap();
    assert_eq!((answer.status, answer.body.as_str()), (200, r#"{"accepted":0,"duplicates":0,"rejected":[]}"#));
    let store = centre.stop().await;
    assert_eq!(store.read_all().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_of_another_department_refuses_the_whole_batch() {
    let mut centre = Centre::start(Limits::default()).await;
    let mut client = centre.client(Some("zjj")).await.unwrap();
    let mut body = events_of("km-zjj");
    body.extend(events_of("km-scjg"));
    let answer = client.post_events(body).await.unwrap();
    assert_eq!(answer.status, 403);
    assert!(answer.body.contains("may not report for department `km-scjg`"), "{}", answer.body);
    assert!(answer.body.contains("nothing of this batch was stored"), "{}", answer.body);
    // An official reads and works alerts but reports nothing.
    let mut official = centre.client(Some("official")).await.unwrap();
    assert_eq!(official.post_events(events_of("km-zjj")).await.unwrap().status, 403);
    let store = centre.stop().await;
    assert_eq!(store.read_all().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_lines_are_refused_by_number_and_the_rest_kept() {
    let mut centre = Centre::start(Limits::default()).await;
    let mut client = centre.client(Some("zjj")).await.unwrap();
    let good = String::from_utf8(events_of("km-zjj")).unwrap();
    let first = good.lines().next().unwrap();
    let bad_region = first.replace(r#""case_id": "K"#, r#""case_id": "X"#).replace("\"530102\"", "\"5301\"");
    let mut body = format!("{first}\n{{not json\n{bad_region}\n").into_bytes();
    body.extend(b"\xff\xfe\n");
    body.extend(b"\n");
    let answer = client.post_events(body).await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let reply: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(reply["accepted"], 1);
    let lines: Vec<u64> = reply["rejected"].as_array().unwrap().iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3, 4]);
    assert!(reply["rejected"][1]["reason"].as_str().unwrap().contains("region"), "{}", answer.body);
    assert!(reply["rejected"][2]["reason"].as_str().unwrap().contains("UTF-8"), "{}", answer.body);
    let store = centre.stop().await;
    assert_eq!(store.read_all().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversize_body_is_refused_unread() {
    let limits = Limits { max_body_bytes: 1_000, ..Limits::default() };
    let mut centre = Centre::start(limits).await;
    let mut client = centre.client(Some("scjg")).await.unwrap();
    let answer = client.post_events(events_of("km-scjg")).await.unwrap();
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert!(answer.body.contains("over 1000 bytes"), "{}", answer.body);
    let store = centre.stop().await;
    assert_eq!(store.read_all().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_client_is_cut_off() {
    let limits = Limits { request_timeout_secs: 1, ..Limits::default() };
    let mut centre = Centre::start(limits).await;
    // Headers that never end: the connection is closed after the header timeout.
    let tls = raw_tls(&centre, "scjg").await;
    let (mut reader, mut writer) = tokio::io::split(tls);
    writer.write_all(b"POST /v1/events HTTP/1.1\r\nHost: localhost\r\n").await.unwrap();
    let mut buffer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), reader.read_to_end(&mut buffer)).await;
    assert!(read.is_ok(), "the connection stayed open past the header timeout");
    // A body that stops coming: 408, nothing stored.
    let tls = raw_tls(&centre, "scjg").await;
    let (mut reader, mut writer) = tokio::io::split(tls);
    writer
        .write_all(b"POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n{\"schema\":")
        .await
        .unwrap();
    let mut buffer = vec![0; 4096];
    let count = tokio::time::timeout(Duration::from_secs(5), reader.read(&mut buffer)).await.unwrap().unwrap();
    let head = String::from_utf8_lossy(&buffer[..count]);
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    drop(writer);
    let store = centre.stop().await;
    assert_eq!(store.read_all().unwrap().len(), 0);
}

/// A TLS connection with `name`'s certificate, for writing HTTP by hand.
async fn raw_tls(centre: &Centre, name: &str) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    use rustls_pki_types::pem::PemObject;
    let pki = crate::pki();
    let mut roots = rustls::RootCertStore::empty();
    for certificate in rustls_pki_types::CertificateDer::pem_file_iter(pki.join("root.pem")).unwrap() {
        roots.add(certificate.unwrap()).unwrap();
    }
    let chain = rustls_pki_types::CertificateDer::pem_file_iter(pki.join(format!("{name}.pem")))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls_pki_types::PrivateKeyDer::from_pem_file(pki.join(format!("{name}.key"))).unwrap();
    #[allow(deprecated)]
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .unwrap();
    let tcp = tokio::net::TcpStream::connect(centre.address()).await.unwrap();
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    tokio_rustls::TlsConnector::from(std::sync::Arc::new(config)).connect(name, tcp).await.unwrap()
}
