//! 证书吊销列表: X.509 CRLs (RFC 5280 §5), version 1 and version 2, parsed with the RustCrypto
//! stack and checked against the profile before one is relied on.

use chrono::{DateTime, Utc};
use der::asn1::{BitString, ObjectIdentifier};
use der::{Decode, Encode, Reader, SliceReader};
use spki::AlgorithmIdentifierOwned;
use x509_cert::certificate::Version;
use x509_cert::crl::TbsCertList;
use x509_cert::ext::pkix::{CrlReason, IssuingDistributionPoint};

use crate::algorithm::SignatureAlgorithm;
use crate::certificate::{Certificate, serial_hex, to_chrono};
use crate::encoding::Encoded;
use crate::error::{Error, Result};

const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const CRL_REASON: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");
const DELTA_CRL_INDICATOR: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.27");
const ISSUING_DISTRIBUTION_POINT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.28");
const CERTIFICATE_ISSUER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.29");
const AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const ISSUER_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.18");
const FRESHEST_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.46");
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");

/// 证书吊销列表 (CRL): which certificates an issuer has revoked, and since when.
#[derive(Debug, Clone)]
pub struct RevocationList {
    tbs: TbsCertList,
    /// The signed bytes as they were received (the signature is checked over these, never over a
    /// re-encoding).
    tbs_der: Vec<u8>,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    /// Version 2 (the version field present); version 1 CRLs carry no extensions.
    version_2: bool,
    issuer: String,
}

/// One revoked certificate on a CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedCertificate {
    /// Serial, upper-case hex.
    pub serial: String,
    /// Revocation date.
    pub revoked_at: DateTime<Utc>,
    /// Reason code's name (`keyCompromise`, ...), when given.
    pub reason: Option<String>,
}

impl RevocationList {
    /// Parses a DER CRL, version 1 (no version field, as `openssl ca -gencrl` writes one without
    /// extensions) or version 2.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let parse = |e: der::Error| Error::Parse { what: "CRL", reason: e.to_string() };
        let mut reader = SliceReader::new(der).map_err(parse)?;
        let (tbs_der, signature_algorithm, signature) = reader
            .sequence(|outer| {
                let tbs = outer.tlv_bytes()?;
                let algorithm: AlgorithmIdentifierOwned = outer.decode()?;
                let signature: BitString = outer.decode()?;
                Ok::<_, der::Error>((tbs.to_vec(), algorithm, signature))
            })
            .map_err(parse)?;
        reader.finish().map_err(parse)?;
        let (tbs, version_2) = match TbsCertList::from_der(&tbs_der) {
            Ok(tbs) => (tbs, true),
            // Version 1: the version field is absent; read the list as if it said v1.
            Err(first) => {
                let with_version = insert_v1_version(&tbs_der).ok_or_else(|| parse(first))?;
                let tbs = TbsCertList::from_der(&with_version).map_err(|_| parse(first))?;
                (tbs, false)
            }
        };
        if version_2 && tbs.version != Version::V2 {
            return Err(Error::Parse {
                what: "CRL",
                reason: "the version field is present but is not v2 (RFC 5280 §5.1.2.1)".into(),
            });
        }
        if !version_2
            && (tbs.crl_extensions.is_some()
                || tbs.revoked_certificates.iter().flatten().any(|r| r.crl_entry_extensions.is_some()))
        {
            return Err(Error::Parse {
                what: "CRL",
                reason: "a version 1 CRL carries extensions (RFC 5280 §5.1.2.1)".into(),
            });
        }
        let issuer = tbs.issuer.to_string();
        Ok(Self { tbs, tbs_der, signature_algorithm, signature, version_2, issuer })
    }

    /// Parses a PEM CRL (`-----BEGIN X509 CRL-----`).
    pub fn from_pem(pem: &str) -> Result<Self> {
        let (label, der) = pem_decode(pem.trim())?;
        if label != "X509 CRL" {
            return Err(Error::Parse { what: "CRL", reason: format!("PEM label `{label}`, expected `X509 CRL`") });
        }
        Self::from_der(&der)
    }

    /// Parses PEM or DER, whichever the bytes are.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match crate::encoding::encoded("CRL", bytes)? {
            Encoded::Pem(text) => Self::from_pem(text),
            Encoded::Der(der) => Self::from_der(der),
        }
    }

    /// Parses every CRL the bytes hold: PEM blocks one after another (a file with the CRLs of
    /// several CAs), or one DER CRL.
    ///
    /// ```
    /// use zhengwu_identity::RevocationList;
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pki/");
    /// let mut both = std::fs::read_to_string(format!("{dir}rsa/ca.crl.pem")).unwrap();
    /// both.push_str(&std::fs::read_to_string(format!("{dir}ec/ca.crl.pem")).unwrap());
    /// assert_eq!(RevocationList::all_from_bytes(both.as_bytes())?.len(), 2);
    /// assert!(RevocationList::all_from_bytes(b"").is_err());
    /// # Ok::<(), zhengwu_identity::Error>(())
    /// ```
    pub fn all_from_bytes(bytes: &[u8]) -> Result<Vec<Self>> {
        const END: &str = "-----END X509 CRL-----";
        let text = match crate::encoding::encoded("CRL", bytes)? {
            Encoded::Pem(text) => text,
            Encoded::Der(der) => return Self::from_der(der).map(|crl| vec![crl]),
        };
        let mut crls = Vec::new();
        let mut rest = text;
        while let Some(end) = rest.find(END) {
            let block = &rest[..end + END.len()];
            let start = block.find("-----BEGIN").ok_or_else(|| Error::Parse {
                what: "CRL file",
                reason: "an END line without its BEGIN line".into(),
            })?;
            crls.push(Self::from_pem(&block[start..])?);
            rest = &rest[end + END.len()..];
        }
        if crls.is_empty() {
            return Err(Error::Parse { what: "CRL file", reason: "no PEM CRL found".into() });
        }
        Ok(crls)
    }

    /// The issuer, RFC 4514.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Whether this is a version 2 CRL (with the version field, and extensions allowed).
    pub fn is_version_2(&self) -> bool {
        self.version_2
    }

    /// thisUpdate.
    pub fn this_update(&self) -> DateTime<Utc> {
        to_chrono(self.tbs.this_update.to_unix_duration())
    }

    /// nextUpdate, when given.
    pub fn next_update(&self) -> Option<DateTime<Utc>> {
        self.tbs.next_update.map(|time| to_chrono(time.to_unix_duration()))
    }

    /// Every revoked certificate.
    pub fn revoked(&self) -> Vec<RevokedCertificate> {
        self.tbs.revoked_certificates.iter().flatten().map(Self::entry).collect()
    }

    fn entry(revoked: &x509_cert::crl::RevokedCert) -> RevokedCertificate {
        let reason = revoked
            .crl_entry_extensions
            .iter()
            .flatten()
            .find(|extension| extension.extn_id == CRL_REASON)
            .and_then(|extension| CrlReason::from_der(extension.extn_value.as_bytes()).ok())
            .map(|reason| reason_name(reason).to_owned());
        RevokedCertificate {
            serial: serial_hex(revoked.serial_number.as_bytes()),
            revoked_at: to_chrono(revoked.revocation_date.to_unix_duration()),
            reason,
        }
    }

    /// The entry for a serial, if the CRL lists it.
    pub(crate) fn lookup(&self, serial: &[u8]) -> Option<RevokedCertificate> {
        let wanted = serial_hex(serial);
        self.tbs
            .revoked_certificates
            .iter()
            .flatten()
            .find(|revoked| serial_hex(revoked.serial_number.as_bytes()) == wanted)
            .map(Self::entry)
    }

    pub(crate) fn issuer_name(&self) -> &x509_cert::name::Name {
        &self.tbs.issuer
    }

    fn invalid(&self, section: &'static str, problem: impl Into<String>) -> Error {
        Error::InvalidCrl { issuer: self.issuer.clone(), section, problem: problem.into() }
    }

    /// Decides whether this CRL may be relied on for `certificate`, issued by `issuer`, at `at`:
    /// `Ok(true)` if it covers the certificate, `Ok(false)` if its scope leaves the certificate
    /// out, an error when the CRL itself is not to be relied on: its profile (RFC 5280 §5), an
    /// issuer without cRLSign (§6.3.3 (f)), its signature, or its age.
    pub(crate) fn check_usable(
        &self,
        issuer: &Certificate,
        certificate: &Certificate,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        // §5.1.1.2: the algorithm is written twice and must be the same.
        if self.signature_algorithm != self.tbs.signature {
            return Err(
                self.invalid("§5.1.1.2", "signatureAlgorithm differs from the signature field of the signed list")
            );
        }
        let mut covers = true;
        if self.version_2 {
            let extensions = self.tbs.crl_extensions.as_deref().unwrap_or_default();
            for (index, extension) in extensions.iter().enumerate() {
                if extensions[..index].iter().any(|earlier| earlier.extn_id == extension.extn_id) {
                    return Err(self.invalid("§5.2", format!("extension {} appears twice", extension.extn_id)));
                }
                match extension.extn_id {
                    CRL_NUMBER => {
                        if extension.critical {
                            return Err(self.invalid("§5.2.3", "the CRL number is marked critical"));
                        }
                        let number = der::asn1::Int::from_der(extension.extn_value.as_bytes())
                            .map_err(|_| self.invalid("§5.2.3", "the CRL number is not an INTEGER"))?;
                        let bytes = number.as_bytes();
                        if bytes.first().is_some_and(|b| b & 0x80 != 0)
                            || bytes.len() > 21
                            || (bytes.len() == 21 && bytes[0] != 0)
                        {
                            return Err(self.invalid("§5.2.3", "the CRL number is negative or longer than 20 octets"));
                        }
                    }
                    DELTA_CRL_INDICATOR => {
                        return Err(self.invalid("§5.2.4", "delta CRLs are not supported; give the complete CRL"));
                    }
                    ISSUING_DISTRIBUTION_POINT => {
                        let point = IssuingDistributionPoint::from_der(extension.extn_value.as_bytes())
                            .map_err(|_| self.invalid("§5.2.5", "the issuing distribution point cannot be parsed"))?;
                        if point.indirect_crl {
                            return Err(self.invalid("§5.2.5", "indirect CRLs are not supported"));
                        }
                        if point.only_some_reasons.is_some() || point.only_contains_attribute_certs {
                            // Partitioned by reason or for attribute certificates: it does not
                            // cover a public-key certificate completely.
                            covers = false;
                        }
                        let is_ca = certificate.is_ca()?;
                        if (point.only_contains_user_certs && is_ca) || (point.only_contains_ca_certs && !is_ca) {
                            covers = false;
                        }
                    }
                    AUTHORITY_KEY_ID | ISSUER_ALT_NAME | FRESHEST_CRL | AUTHORITY_INFO_ACCESS => {}
                    _ if extension.critical => {
                        return Err(
                            self.invalid("§5.2", format!("critical extension {} is not processed", extension.extn_id))
                        );
                    }
                    _ => {}
                }
            }
            // §5.2.3: conforming issuers include the CRL number in every (version 2) CRL.
            if !extensions.iter().any(|extension| extension.extn_id == CRL_NUMBER) {
                return Err(self.invalid("§5.2.3", "the CRL number is missing"));
            }
            // §5.1.2.5: conforming issuers include nextUpdate.
            if self.tbs.next_update.is_none() {
                return Err(self.invalid("§5.1.2.5", "nextUpdate is missing"));
            }
            for revoked in self.tbs.revoked_certificates.iter().flatten() {
                for extension in revoked.crl_entry_extensions.iter().flatten() {
                    match extension.extn_id {
                        CERTIFICATE_ISSUER => {
                            return Err(
                                self.invalid("§5.3.3", "entries of another issuer (indirect CRL) are not supported")
                            );
                        }
                        CRL_REASON | INVALIDITY_DATE => {}
                        _ if extension.critical => {
                            return Err(self.invalid(
                                "§5.3",
                                format!("critical entry extension {} is not processed", extension.extn_id),
                            ));
                        }
                        _ => {}
                    }
                }
            }
        }
        // §6.3.3 (f): the issuer's key may sign CRLs.
        if let Some(usage) = issuer.key_usage()?
            && !usage.crl_sign()
        {
            return Err(Error::WrongKeyUsage { subject: issuer.subject().to_owned(), needed: "cRLSign" });
        }
        self.verify_signed_by(issuer)?;
        if let Some(next_update) = self.next_update()
            && at > next_update
        {
            return Err(Error::StaleCrl { issuer: self.issuer.clone(), next_update, at });
        }
        Ok(covers)
    }

    /// Checks that `issuer` signed this CRL (over the bytes received).
    pub(crate) fn verify_signed_by(&self, issuer: &Certificate) -> Result<()> {
        let algorithm = SignatureAlgorithm::from_algorithm(&self.signature_algorithm)?;
        let signature = self
            .signature
            .as_bytes()
            .ok_or_else(|| Error::Parse { what: "CRL", reason: "signature bit string has unused bits".into() })?;
        issuer.public_key()?.verify(algorithm, &self.tbs_der, signature, || format!("CRL of `{}`", self.issuer))
    }
}

/// A TBSCertList without its version field given one saying v1 (INTEGER 0), re-framed.
fn insert_v1_version(tbs: &[u8]) -> Option<Vec<u8>> {
    let any = der::asn1::AnyRef::from_der(tbs).ok()?;
    // Only a list whose first field is the signature AlgorithmIdentifier (a SEQUENCE) lacks it.
    if any.value().first() != Some(&0x30) {
        return None;
    }
    let mut value = vec![0x02, 0x01, 0x00];
    value.extend_from_slice(any.value());
    let framed = der::asn1::AnyRef::new(der::Tag::Sequence, &value).ok()?;
    framed.to_der().ok()
}

fn pem_decode(pem: &str) -> Result<(String, Vec<u8>)> {
    let (label, der) =
        der::pem::decode_vec(pem.as_bytes()).map_err(|e| Error::Parse { what: "CRL", reason: e.to_string() })?;
    Ok((label.to_owned(), der))
}

fn reason_name(reason: CrlReason) -> &'static str {
    match reason {
        CrlReason::Unspecified => "unspecified",
        CrlReason::KeyCompromise => "keyCompromise",
        CrlReason::CaCompromise => "cACompromise",
        CrlReason::AffiliationChanged => "affiliationChanged",
        CrlReason::Superseded => "superseded",
        CrlReason::CessationOfOperation => "cessationOfOperation",
        CrlReason::CertificateHold => "certificateHold",
        CrlReason::RemoveFromCRL => "removeFromCRL",
        CrlReason::PrivilegeWithdrawn => "privilegeWithdrawn",
        CrlReason::AaCompromise => "aACompromise",
    }
}
