//! X.509 certificates (GB/T 20518, RFC 5280) and the identity they carry.

use chrono::{DateTime, Utc};
use der::asn1::ObjectIdentifier;
use der::{Decode, DecodePem};
use serde::{Deserialize, Serialize};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
use x509_cert::name::Name;

use crate::algorithm::{PublicKey, SignatureAlgorithm, to_der};
use crate::error::{Error, Result};

const SERIAL_NUMBER_ATTRIBUTE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.5");

/// Extensions whose meaning the verifier takes into account (or which do not restrict use):
/// subject key id, key usage, subject alt name, basic constraints, authority key id, extended key
/// usage, certificate policies (any policy accepted).
const UNDERSTOOD_EXTENSIONS: [ObjectIdentifier; 7] = [
    ObjectIdentifier::new_unwrap("2.5.29.14"),
    ObjectIdentifier::new_unwrap("2.5.29.15"),
    ObjectIdentifier::new_unwrap("2.5.29.17"),
    ObjectIdentifier::new_unwrap("2.5.29.19"),
    ObjectIdentifier::new_unwrap("2.5.29.35"),
    ObjectIdentifier::new_unwrap("2.5.29.37"),
    ObjectIdentifier::new_unwrap("2.5.29.32"),
];

/// 数字证书: a parsed X.509 certificate with its public key ready to verify signatures.
///
/// ```
/// use zhengwu_identity::Certificate;
/// let pem = include_str!("../tests/data/pki/sm2/official.pem");
/// let certificate = Certificate::from_pem(pem)?;
/// assert_eq!(certificate.identity().name.as_deref(), Some("张伟"));
/// assert_eq!(certificate.serial(), "1001");
/// # Ok::<(), zhengwu_identity::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Certificate {
    inner: x509_cert::Certificate,
    der: Vec<u8>,
    key: std::result::Result<PublicKey, Error>,
    subject: String,
    issuer: String,
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

impl Certificate {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let inner = x509_cert::Certificate::from_der(der)
            .map_err(|e| Error::Parse { what: "certificate", reason: e.to_string() })?;
        Ok(Self::wrap(inner, der.to_vec()))
    }

    /// Parses one PEM certificate (`-----BEGIN CERTIFICATE-----`).
    pub fn from_pem(pem: &str) -> Result<Self> {
        let inner = x509_cert::Certificate::from_pem(pem.trim())
            .map_err(|e| Error::Parse { what: "certificate", reason: e.to_string() })?;
        let der = to_der(&inner, "certificate")?;
        Ok(Self::wrap(inner, der))
    }

    /// Parses PEM or DER, whichever the bytes are (a file read from disk).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match std::str::from_utf8(bytes) {
            Ok(text) if text.trim_start().starts_with("-----BEGIN") => Self::from_pem(text),
            _ => Self::from_der(bytes),
        }
    }

    /// Parses every certificate of a PEM bundle (a chain file).
    pub fn from_pem_bundle(pem: &str) -> Result<Vec<Self>> {
        let list = x509_cert::Certificate::load_pem_chain(pem.as_bytes())
            .map_err(|e| Error::Parse { what: "certificate bundle", reason: e.to_string() })?;
        list.into_iter()
            .map(|inner| {
                let der = to_der(&inner, "certificate")?;
                Ok(Self::wrap(inner, der))
            })
            .collect()
    }

    fn wrap(inner: x509_cert::Certificate, der: Vec<u8>) -> Self {
        let key = to_der(inner.tbs_certificate().subject_public_key_info(), "public key")
            .and_then(|spki| PublicKey::from_spki_der(&spki));
        let subject = inner.tbs_certificate().subject().to_string();
        let issuer = inner.tbs_certificate().issuer().to_string();
        Self { inner, der, key, subject, issuer }
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject, as an RFC 4514 string.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The issuer, as an RFC 4514 string.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The serial number, upper-case hex without leading zero bytes (as `openssl x509 -serial`).
    pub fn serial(&self) -> String {
        serial_hex(self.inner.tbs_certificate().serial_number().as_bytes())
    }

    /// notBefore.
    pub fn not_before(&self) -> DateTime<Utc> {
        to_chrono(self.inner.tbs_certificate().validity().not_before.to_unix_duration())
    }

    /// notAfter.
    pub fn not_after(&self) -> DateTime<Utc> {
        to_chrono(self.inner.tbs_certificate().validity().not_after.to_unix_duration())
    }

    /// The algorithm the certificate's key signs with; an error for keys zhengwu does not verify.
    pub fn key_algorithm(&self) -> Result<SignatureAlgorithm> {
        Ok(self.public_key()?.algorithm())
    }

    /// The SHA-256 fingerprint of the DER, lower-case hex.
    pub fn fingerprint_sha256(&self) -> String {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&self.der))
    }

    /// Verifies a detached signature made by this certificate's key over `message`.
    pub fn verify_signature(&self, algorithm: SignatureAlgorithm, message: &[u8], signature: &[u8]) -> Result<()> {
        self.public_key()?.verify(algorithm, message, signature, || format!("a message signed by `{}`", self.subject))
    }

    /// 身份: what the subject says about its holder.
    pub fn identity(&self) -> Identity {
        Identity::from_name(self.inner.tbs_certificate().subject(), self.serial(), self.issuer.clone())
    }

    pub(crate) fn public_key(&self) -> Result<&PublicKey> {
        self.key.as_ref().map_err(Clone::clone)
    }

    pub(crate) fn subject_name(&self) -> &Name {
        self.inner.tbs_certificate().subject()
    }

    pub(crate) fn issuer_name(&self) -> &Name {
        self.inner.tbs_certificate().issuer()
    }

    pub(crate) fn serial_bytes(&self) -> &[u8] {
        self.inner.tbs_certificate().serial_number().as_bytes()
    }

    /// Checks that `issuer` signed this certificate.
    pub(crate) fn verify_issued_by(&self, issuer: &Certificate) -> Result<()> {
        let algorithm = SignatureAlgorithm::from_oid(&self.inner.signature_algorithm().oid)?;
        let tbs = to_der(self.inner.tbs_certificate(), "certificate")?;
        let signature = self.inner.signature().as_bytes().ok_or_else(|| Error::Parse {
            what: "certificate",
            reason: "signature bit string has unused bits".into(),
        })?;
        issuer.public_key()?.verify(algorithm, &tbs, signature, || format!("certificate `{}`", self.subject))
    }

    pub(crate) fn key_usage(&self) -> Result<Option<KeyUsage>> {
        self.inner
            .tbs_certificate()
            .get_extension::<KeyUsage>()
            .map(|found| found.map(|(_, usage)| usage))
            .map_err(|e| Error::Parse { what: "key usage extension", reason: e.to_string() })
    }

    /// Whether the certificate is a CA, and its path length constraint.
    pub(crate) fn ca_constraints(&self) -> Result<(bool, Option<u8>)> {
        let constraints = self
            .inner
            .tbs_certificate()
            .get_extension::<BasicConstraints>()
            .map_err(|e| Error::Parse { what: "basic constraints extension", reason: e.to_string() })?;
        Ok(constraints.map_or((false, None), |(_, c)| (c.ca, c.path_len_constraint)))
    }

    /// RFC 5280 §4.2: a certificate with a critical extension the verifier does not process must
    /// be refused.
    pub(crate) fn check_critical_extensions(&self) -> Result<()> {
        for extension in self.inner.tbs_certificate().extensions().into_iter().flatten() {
            if extension.critical && !UNDERSTOOD_EXTENSIONS.contains(&extension.extn_id) {
                return Err(Error::UnsupportedAlgorithm {
                    what: "critical extension",
                    oid: extension.extn_id.to_string(),
                    name: None,
                });
            }
        }
        Ok(())
    }

    /// Checks validity at `at`.
    pub(crate) fn check_validity(&self, at: DateTime<Utc>) -> Result<()> {
        if at < self.not_before() {
            return Err(Error::NotYetValid { subject: self.subject.clone(), not_before: self.not_before(), at });
        }
        if at > self.not_after() {
            return Err(Error::Expired { subject: self.subject.clone(), not_after: self.not_after(), at });
        }
        Ok(())
    }
}

pub(crate) fn serial_hex(bytes: &[u8]) -> String {
    let trimmed = match bytes.iter().position(|&b| b != 0) {
        Some(first) => &bytes[first..],
        None => &bytes[bytes.len().saturating_sub(1)..],
    };
    hex::encode_upper(trimmed)
}

pub(crate) fn to_chrono(since_epoch: std::time::Duration) -> DateTime<Utc> {
    let seconds = i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX);
    DateTime::from_timestamp(seconds, since_epoch.subsec_nanos()).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// What kind of holder a certificate names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HolderKind {
    /// 个人证书: an official, identified by 公民身份号码.
    Person,
    /// 单位证书: a legal person or unit, identified by 统一社会信用代码.
    LegalPerson,
    /// Neither number found in the subject (a CA, a server).
    Other,
}

/// 证书身份: who a certificate names, as provincial CAs write it into the subject: the holder's
/// name (CN), the 公民身份号码 or 统一社会信用代码 (serialNumber, or OU where a CA puts it there), the
/// unit (O) and department (OU), with the certificate's serial and issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Person, legal person or other.
    pub kind: HolderKind,
    /// CN: the official's or the unit's name.
    pub name: Option<String>,
    /// 公民身份号码 (GB 11643), checked, for a personal certificate.
    pub id_number: Option<String>,
    /// 统一社会信用代码 (GB 32100), checked, for a unit certificate.
    pub credit_code: Option<String>,
    /// O: the unit.
    pub organization: Option<String>,
    /// OU: the department.
    pub department: Option<String>,
    /// Certificate serial, hex.
    pub serial: String,
    /// Certificate issuer (RFC 4514).
    pub issuer: String,
}

impl Identity {
    fn from_name(name: &Name, serial: String, issuer: String) -> Self {
        let text = |value: Option<x509_cert::ext::pkix::name::DirectoryString>| value.map(String::from);
        let common_name = text(name.common_name().ok().flatten());
        let organization = text(name.organization().ok().flatten());
        let department = text(name.organization_unit().ok().flatten());
        let serial_attribute = name
            .iter()
            .find(|attribute| attribute.oid == SERIAL_NUMBER_ATTRIBUTE)
            .and_then(|attribute| directory_string(&attribute.value));
        let mut identity = Identity {
            kind: HolderKind::Other,
            name: common_name,
            id_number: None,
            credit_code: None,
            organization,
            department: department.clone(),
            serial,
            issuer,
        };
        for candidate in [serial_attribute, department].into_iter().flatten() {
            let candidate = candidate.trim().to_ascii_uppercase();
            if zhengwu_credit::validate_resident_id(&candidate).is_ok() {
                identity.kind = HolderKind::Person;
                identity.id_number = Some(candidate);
                break;
            }
            if zhengwu_credit::CreditCode::new(&candidate).is_ok() {
                identity.kind = HolderKind::LegalPerson;
                identity.credit_code = Some(candidate);
                break;
            }
        }
        if identity.credit_code.is_some() && identity.department == identity.credit_code {
            identity.department = None;
        }
        identity
    }
}

fn directory_string(value: &der::Any) -> Option<String> {
    value.decode_as::<x509_cert::ext::pkix::name::DirectoryString>().ok().map(String::from)
}
