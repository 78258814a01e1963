//! 签名: signing with a private key (tests, servers that sign as a unit, tools) and verifying
//! signed events.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use zhengwu_core::{CaseEvent, DetachedSignature, OfficialDocument};

use crate::algorithm::{SM2_DEFAULT_DISTINGUISHING_ID, SignatureAlgorithm};
use crate::certificate::Certificate;
use crate::error::{Error, Result};
use crate::trust::{KeyPurpose, TrustStore, VerifiedChain};

enum Key {
    Rsa(Box<rsa::pkcs1v15::SigningKey<sha2::Sha256>>),
    P256(p256::ecdsa::SigningKey),
    Sm2(Box<sm2::dsa::SigningKey>),
}

/// 签名私钥: a private key with the certificate that vouches for it.
///
/// In the field an official's signing key never leaves the USB key; this type is for servers that
/// sign as a unit (电子印章 servers), for tools and for tests. Signing is deterministic (RFC 6979 for
/// ECDSA, SM2 per GB/T 32918 with deterministic nonces, PKCS#1 v1.5 for RSA).
pub struct SigningKey {
    key: Key,
    certificate: Certificate,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("certificate", &self.certificate.subject())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`, as `openssl genpkey` writes
    /// it) of RSA, EC P-256 or SM2, and checks that it belongs to `certificate`.
    pub fn from_pkcs8_pem(pem: &str, certificate: Certificate) -> Result<Self> {
        let key = Self::read_key(pem)?;
        let signing = SigningKey { key, certificate };
        let probe = b"zhengwu key check";
        let signature = signing.sign(probe);
        signing.certificate.verify_signature(signing.algorithm(), probe, &signature).map_err(|_| Error::Parse {
            what: "private key",
            reason: "the key does not belong to the certificate".into(),
        })?;
        Ok(signing)
    }

    fn read_key(pem: &str) -> Result<Key> {
        use p256::pkcs8::DecodePrivateKey as _;
        if let Ok(key) = <rsa::PrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_pem(pem) {
            return Ok(Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key))));
        }
        if let Ok(key) = p256::SecretKey::from_pkcs8_pem(pem) {
            return Ok(Key::P256(p256::ecdsa::SigningKey::from(key)));
        }
        match <sm2::SecretKey as sm2::pkcs8::DecodePrivateKey>::from_pkcs8_pem(pem) {
            Ok(key) => Ok(Key::Sm2(Box::new(
                sm2::dsa::SigningKey::new(SM2_DEFAULT_DISTINGUISHING_ID, &key)
                    .map_err(|e| Error::Parse { what: "private key", reason: e.to_string() })?,
            ))),
            Err(error) => Err(Error::Parse {
                what: "private key",
                reason: format!("not a PKCS#8 RSA, EC P-256 or SM2 key ({error})"),
            }),
        }
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match self.key {
            Key::Rsa(_) => SignatureAlgorithm::RsaSha256,
            Key::P256(_) => SignatureAlgorithm::EcdsaSha256,
            Key::Sm2(_) => SignatureAlgorithm::Sm2Sm3,
        }
    }

    /// The signer's certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// Signs `message`: PKCS#1 v1.5 bytes for RSA, DER `SEQUENCE { r, s }` for ECDSA and SM2.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        use signature::{SignatureEncoding, Signer};
        match &self.key {
            Key::Rsa(key) => key.sign(message).to_vec(),
            Key::P256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_der().to_vec()
            }
            Key::Sm2(key) => {
                let signature: sm2::dsa::Signature = key.sign(message);
                signature.to_der().to_vec()
            }
        }
    }

    /// A detached signature over `message`, carrying this key's certificate.
    pub fn sign_detached(&self, message: &[u8]) -> DetachedSignature {
        DetachedSignature {
            algorithm: self.algorithm().name().to_owned(),
            certificate: BASE64.encode(self.certificate.der()),
            value: BASE64.encode(self.sign(message)),
        }
    }

    /// Signs an event: sets its `signature` over [`CaseEvent::canonical_bytes`].
    pub fn sign_event(&self, event: &mut CaseEvent) {
        event.signature = Some(Box::new(self.sign_detached(&event.canonical_bytes())));
    }

    /// Signs a 公文: sets its `signature` over [`OfficialDocument::canonical_bytes`].
    pub fn sign_document(&self, document: &mut OfficialDocument) {
        document.signature = Some(Box::new(self.sign_detached(&document.canonical_bytes())));
    }
}

/// Verifies a detached signature over `message` against the certificate it carries, without
/// judging that certificate (its chain is the caller's: [`verify_detached`] does both); returns
/// the certificate. `what` names the signed thing in errors.
pub fn verify_detached_signature(message: &[u8], signature: &DetachedSignature, what: &str) -> Result<Certificate> {
    let certificate = Certificate::from_der(&decode(&signature.certificate, "signature certificate")?)?;
    let algorithm = SignatureAlgorithm::parse(&signature.algorithm)?;
    let value = decode(&signature.value, "signature value")?;
    certificate.public_key()?.verify(algorithm, message, &value, || what.to_owned())?;
    Ok(certificate)
}

/// Verifies a detached signature over `message` and the signer's chain at `at`; returns who
/// signed. `what` names the signed thing in errors.
pub fn verify_detached(
    message: &[u8],
    signature: &DetachedSignature,
    trust: &TrustStore,
    at: DateTime<Utc>,
    what: &str,
) -> Result<VerifiedChain> {
    let certificate = verify_detached_signature(message, signature, what)?;
    trust.verify(&certificate, at, KeyPurpose::Signing)
}

/// Verifies a signed 公文 (its signature over the canonical bytes) and the signer's chain at `at`
/// (the signing time the platform recorded). Returns who signed.
pub fn verify_document(document: &OfficialDocument, trust: &TrustStore, at: DateTime<Utc>) -> Result<VerifiedChain> {
    let what = format!("document `{}`", document.id);
    let signature = document.signature.as_deref().ok_or_else(|| Error::Unsigned { what: what.clone() })?;
    verify_detached(&document.canonical_bytes(), signature, trust, at, &what)
}

/// Verifies a signed event: its signature over the canonical bytes, and the signer's certificate
/// chain at the event's `recorded_at` (when it says it was signed). Returns who signed.
///
/// `recorded_at` is the sender's claim: a key revoked today can sign an event dated last week.
/// For an event from the log, use [`verify_event_at`] with the store's own append time
/// (`StoredEvent::appended_at` in `zhengwu-store`).
pub fn verify_event(event: &CaseEvent, trust: &TrustStore) -> Result<VerifiedChain> {
    verify_event_at(event, trust, event.recorded_at.with_timezone(&Utc))
}

/// Verifies a signed event's signature and the signer's certificate chain at `at`: the time a
/// party that does not depend on the signer saw the event, such as the store's append time. A
/// certificate revoked or expired by then is refused, whatever the event's own dates say.
///
/// ```no_run
/// # fn check(event: &zhengwu_core::CaseEvent, trust: &zhengwu_identity::TrustStore,
/// #          appended_at: chrono::DateTime<chrono::Utc>) -> zhengwu_identity::Result<()> {
/// let verified = zhengwu_identity::verify_event_at(event, trust, appended_at)?;
/// println!("signed by {}", verified.identity.serial);
/// # Ok(()) }
/// ```
pub fn verify_event_at(event: &CaseEvent, trust: &TrustStore, at: DateTime<Utc>) -> Result<VerifiedChain> {
    let what = format!("event `{}`", event.idempotency_key);
    let signature = event.signature.as_deref().ok_or_else(|| Error::Unsigned { what: what.clone() })?;
    let certificate = verify_detached_signature(&event.canonical_bytes(), signature, &what)?;
    trust.verify(&certificate, at, KeyPurpose::Signing)
}

fn decode(text: &str, what: &'static str) -> Result<Vec<u8>> {
    BASE64.decode(text.trim()).map_err(|e| Error::Parse { what, reason: e.to_string() })
}
