//! X.509 certificates (GB/T 20518, RFC 5280) and the identity they carry.

use chrono::{DateTime, Timelike, Utc};
use der::Decode;
use der::asn1::ObjectIdentifier;
use serde::{Deserialize, Serialize};
use x509_cert::ext::pkix::KeyUsage;
use x509_cert::name::Name;

use crate::algorithm::{PublicKey, SignatureAlgorithm, to_der};
use crate::encoding::Encoded;
use crate::error::{Error, Result};

const SERIAL_NUMBER_ATTRIBUTE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.5");
const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");

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
    spki: Vec<u8>,
    /// Where the signed part (TBSCertificate) lies in `der`.
    tbs_range: Option<std::ops::Range<usize>>,
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

    /// Parses one PEM certificate (`-----BEGIN CERTIFICATE-----`). The certificate keeps the
    /// DER bytes the PEM carried, so that signatures are checked over what the CA signed.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let (label, der) = der::pem::decode_vec(pem.trim().as_bytes())
            .map_err(|e| Error::Parse { what: "certificate", reason: e.to_string() })?;
        if label != "CERTIFICATE" {
            return Err(Error::Parse {
                what: "certificate",
                reason: format!("PEM label `{label}`, expected `CERTIFICATE`"),
            });
        }
        Self::from_der(&der)
    }

    /// Parses PEM or DER, whichever the bytes are (a file read from disk).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match crate::encoding::encoded("certificate", bytes)? {
            Encoded::Pem(text) => Self::from_pem(text),
            Encoded::Der(der) => Self::from_der(der),
        }
    }

    /// Parses every certificate of a PEM bundle (a chain file).
    pub fn from_pem_bundle(pem: &str) -> Result<Vec<Self>> {
        const END: &str = "-----END CERTIFICATE-----";
        let mut certificates = Vec::new();
        let mut rest = pem;
        while let Some(end) = rest.find(END) {
            let block = &rest[..end + END.len()];
            let start = block.find("-----BEGIN").ok_or_else(|| Error::Parse {
                what: "certificate bundle",
                reason: "an END line without its BEGIN line".into(),
            })?;
            certificates.push(Self::from_pem(&block[start..])?);
            rest = &rest[end + END.len()..];
        }
        if certificates.is_empty() {
            return Err(Error::Parse { what: "certificate bundle", reason: "no PEM certificate found".into() });
        }
        Ok(certificates)
    }

    /// Parses every certificate the bytes hold: a PEM bundle, or one DER certificate (a file of
    /// roots or intermediates read from disk).
    ///
    /// ```
    /// use zhengwu_identity::Certificate;
    /// let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pki/sm2/root.pem")).unwrap();
    /// let roots = Certificate::all_from_bytes(&pem)?;
    /// assert_eq!(roots.len(), 1);
    /// let again = Certificate::all_from_bytes(roots[0].der())?;
    /// assert_eq!(again[0].subject(), roots[0].subject());
    /// assert!(Certificate::all_from_bytes(b"not a certificate").is_err());
    /// # Ok::<(), zhengwu_identity::Error>(())
    /// ```
    pub fn all_from_bytes(bytes: &[u8]) -> Result<Vec<Self>> {
        match crate::encoding::encoded("certificate", bytes)? {
            Encoded::Pem(text) => Self::from_pem_bundle(text),
            Encoded::Der(der) => Self::from_der(der).map(|certificate| vec![certificate]),
        }
    }

    fn wrap(inner: x509_cert::Certificate, der: Vec<u8>) -> Self {
        let spki = to_der(inner.tbs_certificate().subject_public_key_info(), "public key");
        let key = spki.as_ref().map_err(Clone::clone).and_then(|spki| PublicKey::from_spki_der(spki));
        let spki = spki.unwrap_or_default();
        let subject = inner.tbs_certificate().subject().to_string();
        let issuer = inner.tbs_certificate().issuer().to_string();
        let tbs_range = signed_part(&der);
        Self { inner, der, key, spki, tbs_range, subject, issuer }
    }

    /// Checks that `issuer` signed this certificate, over the bytes the issuer signed.
    pub(crate) fn verify_issued_by(&self, issuer: &Certificate) -> Result<()> {
        let algorithm = SignatureAlgorithm::from_algorithm(self.inner.signature_algorithm())?;
        let tbs = self.tbs_range.clone().and_then(|range| self.der.get(range)).ok_or_else(|| Error::Parse {
            what: "certificate",
            reason: format!("`{}`: the signed part cannot be delimited", self.subject),
        })?;
        let signature = self.inner.signature().as_bytes().ok_or_else(|| Error::Parse {
            what: "certificate",
            reason: "signature bit string has unused bits".into(),
        })?;
        issuer.public_key()?.verify(algorithm, tbs, signature, || format!("certificate `{}`", self.subject))
    }

    /// The keyIdentifier of the authority key identifier extension, if any.
    pub(crate) fn authority_key_id(&self) -> Option<Vec<u8>> {
        let (_, authority) =
            self.inner.tbs_certificate().get_extension::<x509_cert::ext::pkix::AuthorityKeyIdentifier>().ok()??;
        authority.key_identifier.map(|id| id.as_bytes().to_vec())
    }

    /// The subject key identifier, if any.
    pub(crate) fn subject_key_id(&self) -> Option<Vec<u8>> {
        let (_, id) =
            self.inner.tbs_certificate().get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>().ok()??;
        Some(id.0.as_bytes().to_vec())
    }

    /// The path length constraint of a CA (`None`: none, or not a CA).
    pub(crate) fn path_length_constraint(&self) -> Result<Option<usize>> {
        let constraints = self
            .inner
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::BasicConstraints>()
            .map_err(|e| Error::Parse { what: "basic constraints extension", reason: e.to_string() })?;
        Ok(constraints.and_then(|(_, c)| if c.ca { c.path_len_constraint.map(usize::from) } else { None }))
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub(crate) fn spki_der(&self) -> &[u8] {
        &self.spki
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

    pub(crate) fn key_usage(&self) -> Result<Option<KeyUsage>> {
        self.inner
            .tbs_certificate()
            .get_extension::<KeyUsage>()
            .map(|found| found.map(|(_, usage)| usage))
            .map_err(|e| Error::Parse { what: "key usage extension", reason: e.to_string() })
    }

    /// Every common name (CN) of the subject, as text.
    pub(crate) fn common_names(&self) -> Vec<String> {
        const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
        self.inner
            .tbs_certificate()
            .subject()
            .iter()
            .filter(|attribute| attribute.oid == COMMON_NAME)
            .map(|attribute| directory_string(&attribute.value).unwrap_or_default())
            .collect()
    }

    /// Whether basic constraints say cA=TRUE.
    pub(crate) fn is_ca(&self) -> Result<bool> {
        let constraints = self
            .inner
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::BasicConstraints>()
            .map_err(|e| Error::Parse { what: "basic constraints extension", reason: e.to_string() })?;
        Ok(constraints.is_some_and(|(_, c)| c.ca))
    }

    /// The parsed certificate.
    pub(crate) fn inner(&self) -> &x509_cert::Certificate {
        &self.inner
    }

    /// The extended key usages (as OID arcs) and whether the extension is critical; `None`
    /// when the certificate has no such extension.
    pub(crate) fn extended_key_usage(&self) -> Result<Option<(Vec<Vec<usize>>, bool)>> {
        let Some(extension) =
            self.inner.tbs_certificate().extensions().into_iter().flatten().find(|e| e.extn_id == EXTENDED_KEY_USAGE)
        else {
            return Ok(None);
        };
        let usages = x509_cert::ext::pkix::ExtendedKeyUsage::from_der(extension.extn_value.as_bytes())
            .map_err(|e| Error::Parse { what: "extended key usage extension", reason: e.to_string() })?;
        let arcs = usages.0.iter().map(|oid| oid.arcs().map(|arc| arc as usize).collect()).collect();
        Ok(Some((arcs, extension.critical)))
    }

    /// Checks validity at `at`.
    /// Validity is in whole seconds (RFC 5280 §4.1.2.5): the instant is compared by its second.
    pub(crate) fn check_validity(&self, at: DateTime<Utc>) -> Result<()> {
        let at = at.with_nanosecond(0).unwrap_or(at);
        if at < self.not_before() {
            return Err(Error::NotYetValid { subject: self.subject.clone(), not_before: self.not_before(), at });
        }
        if at > self.not_after() {
            return Err(Error::Expired { subject: self.subject.clone(), not_after: self.not_after(), at });
        }
        Ok(())
    }
}

/// Where the first element (the signed part) of a DER SEQUENCE lies.
fn signed_part(der: &[u8]) -> Option<std::ops::Range<usize>> {
    use der::Reader;
    let mut reader = der::SliceReader::new(der).ok()?;
    let header = der::Header::decode(&mut reader).ok()?;
    if header.tag() != der::Tag::Sequence {
        return None;
    }
    let start = usize::try_from(u32::from(reader.position())).ok()?;
    let tbs = reader.tlv_bytes().ok()?;
    Some(start..start + tbs.len())
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
