//! 数字证书: verifying an official's certificate chain to the provincial CA at an instant (with
//! CRLs and OCSP responses), reading who it names, and signing and verifying events and
//! documents with it.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use zhengwu_identity::{Certificate, KeyPurpose, OcspResponse, RevocationList, RevocationStatus, VerifyOptions};

use crate::error::{ZhengwuError, invalid, lock};
use crate::event::CaseEventRecord;
use crate::time::Instant;

/// 证书类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HolderKind {
    /// 个人证书: an official, identified by 公民身份号码.
    Person,
    /// 单位证书: a unit, identified by 统一社会信用代码.
    LegalPerson,
    /// Neither number in the subject (a CA, a server).
    Other,
}

/// 证书身份: who a certificate names.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CertificateIdentity {
    pub kind: HolderKind,
    /// CN.
    pub name: Option<String>,
    /// 公民身份号码, checked.
    pub id_number: Option<String>,
    /// 统一社会信用代码, checked.
    pub credit_code: Option<String>,
    /// O.
    pub organization: Option<String>,
    /// OU.
    pub department: Option<String>,
    /// Serial, hex.
    pub serial: String,
    /// Issuer, RFC 4514.
    pub issuer: String,
}

/// How a certificate of a verified chain was checked for revocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RevocationCheck {
    /// An OCSP response or its issuer's CRL says it is not revoked.
    NotRevoked,
    /// No CRL or response of its issuer was given.
    Unchecked,
    /// A trust anchor, trusted by configuration.
    Anchor,
}

/// One certificate of a verified chain.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ChainLinkRecord {
    pub subject: String,
    pub serial: String,
    pub not_after: Instant,
    pub revocation: RevocationCheck,
}

/// The answer about a certificate: valid with who it names and its chain (leaf first), or not
/// with the reason (a certificate that cannot be parsed is a refusal too).
#[derive(Debug, Clone, uniffi::Record)]
pub struct CertificateVerdict {
    pub valid: bool,
    pub reason: Option<String>,
    pub identity: Option<CertificateIdentity>,
    pub chain: Vec<ChainLinkRecord>,
}

fn identity(identity: &zhengwu_identity::Identity) -> CertificateIdentity {
    CertificateIdentity {
        kind: match identity.kind {
            zhengwu_identity::HolderKind::Person => HolderKind::Person,
            zhengwu_identity::HolderKind::LegalPerson => HolderKind::LegalPerson,
            _ => HolderKind::Other,
        },
        name: identity.name.clone(),
        id_number: identity.id_number.clone(),
        credit_code: identity.credit_code.clone(),
        organization: identity.organization.clone(),
        department: identity.department.clone(),
        serial: identity.serial.clone(),
        issuer: identity.issuer.clone(),
    }
}

fn verdict(result: zhengwu_identity::Result<zhengwu_identity::VerifiedChain>) -> CertificateVerdict {
    match result {
        Ok(verified) => CertificateVerdict {
            valid: true,
            reason: None,
            identity: Some(identity(&verified.identity)),
            chain: verified
                .chain
                .iter()
                .map(|link| ChainLinkRecord {
                    subject: link.subject.clone(),
                    serial: link.serial.clone(),
                    not_after: link.not_after.fixed_offset(),
                    revocation: match link.revocation {
                        RevocationStatus::NotRevoked => RevocationCheck::NotRevoked,
                        RevocationStatus::Anchor => RevocationCheck::Anchor,
                        _ => RevocationCheck::Unchecked,
                    },
                })
                .collect(),
        },
        Err(error) => {
            CertificateVerdict { valid: false, reason: Some(error.to_string()), identity: None, chain: Vec::new() }
        }
    }
}

fn certificates(bytes: &[u8]) -> Result<Vec<Certificate>, ZhengwuError> {
    Certificate::all_from_bytes(bytes).map_err(|e| invalid(e.to_string()))
}

/// Who a certificate (PEM or DER) names, without verifying it.
#[uniffi::export]
pub fn read_certificate_identity(certificate: Vec<u8>) -> Result<CertificateIdentity, ZhengwuError> {
    let certificate = Certificate::from_bytes(&certificate).map_err(|e| invalid(e.to_string()))?;
    Ok(identity(&certificate.identity()))
}

/// 信任库: the provincial CA's roots, the issuing CAs below them, their CRLs and OCSP responses.
#[derive(Debug, uniffi::Object)]
pub struct TrustStore {
    inner: Mutex<zhengwu_identity::TrustStore>,
}

#[uniffi::export]
impl TrustStore {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(TrustStore { inner: Mutex::new(zhengwu_identity::TrustStore::new()) })
    }

    /// Trusts the roots a PEM bundle (or one DER certificate) holds; how many.
    pub fn add_anchors(&self, certificates_pem_or_der: Vec<u8>) -> Result<i32, ZhengwuError> {
        let certificates = certificates(&certificates_pem_or_der)?;
        let mut store = lock(&self.inner, "trust store")?;
        for certificate in &certificates {
            store.add_anchor(certificate.clone());
        }
        Ok(i32::try_from(certificates.len()).unwrap_or(i32::MAX))
    }

    /// Adds the issuing CAs a PEM bundle (or one DER certificate) holds; how many.
    pub fn add_intermediates(&self, certificates_pem_or_der: Vec<u8>) -> Result<i32, ZhengwuError> {
        let certificates = certificates(&certificates_pem_or_der)?;
        let mut store = lock(&self.inner, "trust store")?;
        for certificate in &certificates {
            store.add_intermediate(certificate.clone());
        }
        Ok(i32::try_from(certificates.len()).unwrap_or(i32::MAX))
    }

    /// Adds a CRL (PEM or DER).
    pub fn add_crl(&self, crl: Vec<u8>) -> Result<(), ZhengwuError> {
        let crl = RevocationList::from_bytes(&crl).map_err(|e| invalid(e.to_string()))?;
        lock(&self.inner, "trust store")?.add_crl(crl);
        Ok(())
    }

    /// Adds an OCSP response (DER or PEM), as the CA's responder sent it.
    pub fn add_ocsp_response(&self, response: Vec<u8>) -> Result<(), ZhengwuError> {
        let response = OcspResponse::from_bytes(&response).map_err(|e| invalid(e.to_string()))?;
        lock(&self.inner, "trust store")?.add_ocsp_response(response);
        Ok(())
    }

    /// Verifies a certificate (PEM or DER) at `at` for `purpose` (`signing`, `any`, `serverAuth`,
    /// `clientAuth`, … or a dotted OID): RFC 5280 path validation with the CRLs and OCSP
    /// responses added.
    pub fn verify(
        &self,
        certificate: Vec<u8>,
        at: Instant,
        purpose: String,
    ) -> Result<CertificateVerdict, ZhengwuError> {
        let purpose = KeyPurpose::parse(&purpose).map_err(|e| invalid(e.to_string()))?;
        let leaf = match Certificate::from_bytes(&certificate) {
            Ok(leaf) => leaf,
            Err(error) => return Ok(verdict(Err(error))),
        };
        let store = lock(&self.inner, "trust store")?;
        Ok(verdict(store.verify_with(&leaf, at.with_timezone(&Utc), &VerifyOptions::for_purpose(purpose))))
    }

    /// Verifies a signed event: its signature, and its signer's chain at the event's time.
    pub fn verify_event(&self, event: CaseEventRecord) -> Result<CertificateVerdict, ZhengwuError> {
        let event = zhengwu_core::CaseEvent::from_json(&event.json).map_err(|e| invalid(e.to_string()))?;
        let store = lock(&self.inner, "trust store")?;
        Ok(verdict(zhengwu_identity::verify_event(&event, &store)))
    }

    /// Verifies a signed 公文 (JSON, as `OfficialDocument` writes it) at `at`.
    pub fn verify_document(&self, document_json: String, at: Instant) -> Result<CertificateVerdict, ZhengwuError> {
        let document = zhengwu_core::OfficialDocument::from_json(&document_json).map_err(|e| invalid(e.to_string()))?;
        let store = lock(&self.inner, "trust store")?;
        Ok(verdict(zhengwu_identity::verify_document(&document, &store, at.with_timezone(&Utc))))
    }
}

/// 签名密钥: an official's private key (PKCS#8 PEM) with the certificate that names it.
#[derive(Debug, uniffi::Object)]
pub struct Signer {
    inner: zhengwu_identity::SigningKey,
}

impl Signer {
    pub(crate) fn key(&self) -> &zhengwu_identity::SigningKey {
        &self.inner
    }
}

impl TrustStore {
    pub(crate) fn inner(&self) -> &Mutex<zhengwu_identity::TrustStore> {
        &self.inner
    }
}

#[uniffi::export]
impl Signer {
    #[uniffi::constructor]
    pub fn new(key_pkcs8_pem: String, certificate: Vec<u8>) -> Result<Arc<Self>, ZhengwuError> {
        let certificate = Certificate::from_bytes(&certificate).map_err(|e| invalid(e.to_string()))?;
        let inner = zhengwu_identity::SigningKey::from_pkcs8_pem(&key_pkcs8_pem, certificate)
            .map_err(|e| invalid(e.to_string()))?;
        Ok(Arc::new(Signer { inner }))
    }

    /// The signature algorithm (`SM2-with-SM3`, `ECDSA-with-SHA256`, …).
    pub fn algorithm(&self) -> String {
        self.inner.algorithm().name().to_owned()
    }

    /// Who the signing certificate names.
    pub fn identity(&self) -> CertificateIdentity {
        identity(&self.inner.certificate().identity())
    }

    /// Signs bytes.
    pub fn sign(&self, message: Vec<u8>) -> Vec<u8> {
        self.inner.sign(&message)
    }

    /// The event, signed (its `json` carries the signature and the signer's certificate).
    pub fn sign_event(&self, event: CaseEventRecord) -> Result<CaseEventRecord, ZhengwuError> {
        let mut parsed = zhengwu_core::CaseEvent::from_json(&event.json).map_err(|e| invalid(e.to_string()))?;
        self.inner.sign_event(&mut parsed);
        Ok(CaseEventRecord::from(&parsed))
    }

    /// The 公文 (JSON), signed.
    pub fn sign_document(&self, document_json: String) -> Result<String, ZhengwuError> {
        let mut document =
            zhengwu_core::OfficialDocument::from_json(&document_json).map_err(|e| invalid(e.to_string()))?;
        self.inner.sign_document(&mut document);
        Ok(document.to_json())
    }
}
