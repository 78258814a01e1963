//! A client of a centre: a reporting system's (or a county centre's) side of `POST /v1/events`,
//! over one kept-alive TLS connection with its client certificate.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, pem::PemObject};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::error::{Error, Result};

/// Who a client is and whom it trusts: its certificate chain and key, the CA of the centre's
/// certificate.
#[derive(Debug, Clone)]
pub struct ClientIdentity {
    config: Arc<rustls::ClientConfig>,
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Config(format!("cannot read `{}`: {e}", path.display())))
}

impl ClientIdentity {
    /// Reads the client's certificate chain and key (PEM) and the CA certificates (PEM) that the
    /// centre's certificate chains to. Without `cert` the client presents no certificate (a
    /// centre refuses it; tests use that).
    pub fn load(ca: &Path, cert_and_key: Option<(&Path, &Path)>) -> Result<Self> {
        let mut roots = rustls::RootCertStore::empty();
        for certificate in CertificateDer::pem_slice_iter(&read(ca)?) {
            let certificate = certificate.map_err(|e| Error::Config(format!("`{}`: {e}", ca.display())))?;
            roots.add(certificate).map_err(|e| Error::Config(format!("`{}`: {e}", ca.display())))?;
        }
        #[allow(deprecated)] // ring's provider: see `tls::server_config`.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(format!("TLS: {e}")))?
            .with_root_certificates(roots);
        let config = match cert_and_key {
            Some((cert, key)) => {
                let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&read(cert)?)
                    .collect::<std::result::Result<_, _>>()
                    .map_err(|e| Error::Config(format!("`{}`: {e}", cert.display())))?;
                let key = PrivateKeyDer::from_pem_slice(&read(key)?)
                    .map_err(|e| Error::Config(format!("`{}`: no private key: {e}", key.display())))?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| Error::Config(format!("`{}` and its key: {e}", cert.display())))?
            }
            None => builder.with_no_client_auth(),
        };
        Ok(ClientIdentity { config: Arc::new(config) })
    }
}

/// One connection to a centre.
#[derive(Debug)]
pub struct Client {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

/// A centre's answer: the status and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// `Retry-After`, in seconds, when the centre sent one.
    pub retry_after: Option<u64>,
    /// The body.
    pub body: String,
}

impl Client {
    /// Connects (TCP, then the TLS handshake in which the centre checks the certificate).
    /// `server_name` is the name the centre's certificate carries (`localhost`).
    pub async fn connect(address: SocketAddr, server_name: &str, identity: &ClientIdentity) -> Result<Self> {
        let name = ServerName::try_from(server_name.to_owned())
            .map_err(|e| Error::Config(format!("server name `{server_name}`: {e}")))?;
        let tcp = TcpStream::connect(address).await?;
        tcp.set_nodelay(true)?;
        let tls = TlsConnector::from(identity.config.clone()).connect(name, tcp).await?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e)))?;
        tokio::spawn(connection);
        Ok(Client { sender, host: server_name.to_owned() })
    }

    /// Sends a request and reads the whole answer. A centre that refused the certificate after
    /// the handshake (TLS 1.3 sends the refusal with the first read) shows as an `Err`.
    pub async fn send(&mut self, method: &str, path: &str, body: Vec<u8>) -> Result<Answer> {
        let request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, &self.host)
            .header(hyper::header::CONTENT_TYPE, "application/x-ndjson")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| Error::Config(format!("request: {e}")))?;
        self.sender.ready().await.map_err(|e| Error::Io(std::io::Error::other(e)))?;
        let response = self.sender.send_request(request).await.map_err(|e| Error::Io(std::io::Error::other(e)))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(hyper::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let bytes = response.into_body().collect().await.map_err(|e| Error::Io(std::io::Error::other(e)))?.to_bytes();
        Ok(Answer { status, retry_after, body: String::from_utf8_lossy(&bytes).into_owned() })
    }

    /// `POST /v1/events` with JSON lines.
    pub async fn post_events(&mut self, lines: Vec<u8>) -> Result<Answer> {
        self.send("POST", "/v1/events", lines).await
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str) -> Result<Answer> {
        self.send("GET", path, Vec::new()).await
    }

    /// Opens a server-sent-event stream (`/v1/events/stream`): `Err` unless the centre answers
    /// 200.
    pub async fn events(mut self, path: &str) -> Result<EventStream> {
        let request = hyper::Request::builder()
            .method("GET")
            .uri(path)
            .header(hyper::header::HOST, &self.host)
            .header(hyper::header::ACCEPT, "text/event-stream")
            .body(Full::new(Bytes::new()))
            .map_err(|e| Error::Config(format!("request: {e}")))?;
        self.sender.ready().await.map_err(|e| Error::Io(std::io::Error::other(e)))?;
        let response = self.sender.send_request(request).await.map_err(|e| Error::Io(std::io::Error::other(e)))?;
        if response.status() != hyper::StatusCode::OK {
            return Err(Error::Config(format!("`{path}` answered {}", response.status())));
        }
        Ok(EventStream { body: response.into_body(), buffer: String::new() })
    }
}

/// A server-sent-event stream being read.
#[derive(Debug)]
pub struct EventStream {
    body: hyper::body::Incoming,
    buffer: String,
}

/// One server-sent event: its `event:` name and its `data:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEvent {
    /// The event's name (`alert`, `lagged`).
    pub event: String,
    /// Its data (an alert as JSON).
    pub data: String,
}

impl EventStream {
    /// The next event (comments and keep-alives skipped); `None` when the stream ended.
    pub async fn next(&mut self) -> Result<Option<ServerEvent>> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = ServerEvent { event: "message".to_owned(), data: String::new() };
                let mut any = false;
                for line in block.lines() {
                    if let Some(name) = line.strip_prefix("event:") {
                        event.event = name.trim().to_owned();
                        any = true;
                    } else if let Some(data) = line.strip_prefix("data:") {
                        if !event.data.is_empty() {
                            event.data.push('\n');
                        }
                        event.data.push_str(data.strip_prefix(' ').unwrap_or(data));
                        any = true;
                    }
                }
                if any {
                    return Ok(Some(event));
                }
                continue;
            }
            match self.body.frame().await {
                None => return Ok(None),
                Some(Err(e)) => return Err(Error::Io(std::io::Error::other(e))),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        self.buffer.push_str(&String::from_utf8_lossy(&data));
                    }
                }
            }
        }
    }
}
