//! TLS with client certificates: rustls for the protocol, `zhengwu-identity` for the question
//! that matters, whether a client's chain leads to the provincial CA at the moment it connects
//! and asks (RFC 5280 path validation, the CRL read again whenever its file changes).

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, UnixTime, pem::PemObject};
use zhengwu_identity::{Certificate, KeyPurpose, RevocationList, TrustStore, VerifiedChain, VerifyOptions};

use crate::error::{Error, Result};

/// The client CA and its CRL, as files: the CRL is read again when its modification time
/// changes, so a revocation published while the centre runs refuses the next request.
#[derive(Debug)]
pub struct ClientTrust {
    /// The anchors and issuing CAs, without CRLs.
    authorities: TrustStore,
    crl_path: Option<PathBuf>,
    loaded: RwLock<Loaded>,
}

#[derive(Debug, Clone)]
struct Loaded {
    store: Arc<TrustStore>,
    crl_modified: Option<SystemTime>,
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Config(format!("cannot read `{}`: {e}", path.display())))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl ClientTrust {
    /// Reads the CA bundle (self-signed certificates are anchors, the others issuing CAs) and the
    /// CRL file (PEM CRLs one after another, or one DER).
    pub fn load(ca: &Path, crl: Option<&Path>) -> Result<Self> {
        let certificates =
            Certificate::all_from_bytes(&read(ca)?).map_err(|e| Error::Config(format!("`{}`: {e}", ca.display())))?;
        let mut authorities = TrustStore::new();
        for certificate in certificates {
            if certificate.subject() == certificate.issuer() {
                authorities.add_anchor(certificate);
            } else {
                authorities.add_intermediate(certificate);
            }
        }
        let loaded = match crl {
            Some(path) => with_crls(&authorities, path)?,
            None => Loaded { store: Arc::new(authorities.clone()), crl_modified: None },
        };
        Ok(ClientTrust { authorities, crl_path: crl.map(Path::to_path_buf), loaded: RwLock::new(loaded) })
    }

    /// Trusts no one (every client refused): for tests of what lies behind the handshake.
    #[cfg(test)]
    pub(crate) fn empty() -> Self {
        let authorities = TrustStore::new();
        let loaded = Loaded { store: Arc::new(authorities.clone()), crl_modified: None };
        ClientTrust { authorities, crl_path: None, loaded: RwLock::new(loaded) }
    }

    /// The trust store as of now: the CRL file read again if it changed since. A CRL file that
    /// no longer reads refuses every client until it is fixed (failing closed), naming the file.
    fn current(&self) -> std::result::Result<Arc<TrustStore>, String> {
        fn poisoned<T>(_: T) -> String {
            "the trust store lock is poisoned".to_owned()
        }
        let loaded = self.loaded.read().map_err(poisoned)?.clone();
        let Some(path) = &self.crl_path else { return Ok(loaded.store) };
        if modified(path) == loaded.crl_modified {
            return Ok(loaded.store);
        }
        let fresh = with_crls(&self.authorities, path).map_err(|e| e.to_string())?;
        let store = fresh.store.clone();
        *self.loaded.write().map_err(poisoned)? = fresh;
        Ok(store)
    }

    /// Verifies a client's chain (leaf first, then the intermediates it sent) at `at`, for a
    /// government client login ([`KeyPurpose::ClientLogin`]: extended key usage clientAuth, or
    /// a signing certificate without extended key usage): the chain to the CA, validity, the
    /// CRL, the key usage.
    pub fn verify(
        &self,
        chain: &[CertificateDer<'_>],
        at: DateTime<Utc>,
    ) -> std::result::Result<VerifiedChain, String> {
        let (leaf, intermediates) = chain.split_first().ok_or("no client certificate")?;
        let leaf = Certificate::from_der(leaf.as_ref()).map_err(|e| e.to_string())?;
        let mut store = TrustStore::clone(&*self.current()?);
        for intermediate in intermediates {
            store.add_intermediate(Certificate::from_der(intermediate.as_ref()).map_err(|e| e.to_string())?);
        }
        store.verify_with(&leaf, at, &VerifyOptions::for_purpose(KeyPurpose::ClientLogin)).map_err(|e| e.to_string())
    }
}

fn with_crls(authorities: &TrustStore, path: &Path) -> Result<Loaded> {
    let crl_modified = modified(path);
    let crls = RevocationList::all_from_bytes(&read(path)?)
        .map_err(|e| Error::Config(format!("`{}`: {e}", path.display())))?;
    let mut store = authorities.clone();
    for crl in crls {
        store.add_crl(crl);
    }
    Ok(Loaded { store: Arc::new(store), crl_modified })
}

/// The instant rustls hands a verifier, as chrono's.
fn instant(now: UnixTime) -> DateTime<Utc> {
    DateTime::from_timestamp(now.as_secs() as i64, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// rustls' client verifier over [`ClientTrust`]: a client without a certificate, or whose chain
/// does not verify, fails the handshake.
#[derive(Debug)]
pub(crate) struct Verifier {
    trust: Arc<ClientTrust>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for Verifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> std::result::Result<ClientCertVerified, rustls::Error> {
        let mut chain = vec![end_entity.clone()];
        chain.extend(intermediates.iter().cloned());
        match self.trust.verify(&chain, instant(now)) {
            Ok(_) => Ok(ClientCertVerified::assertion()),
            Err(reason) => Err(rustls::Error::InvalidCertificate(CertificateError::Other(rustls::OtherError(
                Arc::new(Refusal(reason)),
            )))),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Why a client's certificate was refused, as rustls carries it.
#[derive(Debug)]
struct Refusal(String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// The server's TLS configuration: its certificate chain and key (PEM), client certificates
/// required and verified by `trust`.
pub(crate) fn server_config(cert: &Path, key: &Path, trust: Arc<ClientTrust>) -> Result<rustls::ServerConfig> {
    // ring, not aws-lc-rs: it builds with a C compiler alone, as the whole workspace does. rustls
    // deprecates its default provider for lacking post-quantum key exchange, which the Java and
    // curl clients of a provincial network do not offer either; revisit when they do.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&read(cert)?)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::Config(format!("`{}`: {e}", cert.display())))?;
    if chain.is_empty() {
        return Err(Error::Config(format!("`{}` holds no certificate", cert.display())));
    }
    let key = PrivateKeyDer::from_pem_slice(&read(key)?)
        .map_err(|e| Error::Config(format!("`{}`: no private key: {e}", key.display())))?;
    let verifier = Arc::new(Verifier { trust, algorithms: provider.signature_verification_algorithms });
    let mut config = rustls::ServerConfig::builder_with_provider(provider.clone() as Arc<CryptoProvider>)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| Error::Config(format!("`{}` and its key: {e}", cert.display())))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
