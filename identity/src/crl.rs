//! 证书吊销列表: X.509 CRLs (RFC 5280 §5), parsed with the RustCrypto stack.

use chrono::{DateTime, Utc};
use der::asn1::ObjectIdentifier;
use der::{Decode, DecodePem};
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::CrlReason;

use crate::algorithm::{SignatureAlgorithm, to_der};
use crate::certificate::{Certificate, serial_hex, to_chrono};
use crate::error::{Error, Result};

const CRL_REASON: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");

/// 证书吊销列表 (CRL): which certificates an issuer has revoked, and since when.
#[derive(Debug, Clone)]
pub struct RevocationList {
    inner: CertificateList,
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
    /// Parses a DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let inner = CertificateList::from_der(der).map_err(|e| Error::Parse { what: "CRL", reason: e.to_string() })?;
        Ok(Self::wrap(inner))
    }

    /// Parses a PEM CRL (`-----BEGIN X509 CRL-----`).
    pub fn from_pem(pem: &str) -> Result<Self> {
        let inner =
            CertificateList::from_pem(pem.trim()).map_err(|e| Error::Parse { what: "CRL", reason: e.to_string() })?;
        Ok(Self::wrap(inner))
    }

    /// Parses PEM or DER, whichever the bytes are.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match std::str::from_utf8(bytes) {
            Ok(text) if text.trim_start().starts_with("-----BEGIN") => Self::from_pem(text),
            _ => Self::from_der(bytes),
        }
    }

    fn wrap(inner: CertificateList) -> Self {
        let issuer = inner.tbs_cert_list.issuer.to_string();
        Self { inner, issuer }
    }

    /// The issuer, RFC 4514.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// thisUpdate.
    pub fn this_update(&self) -> DateTime<Utc> {
        to_chrono(self.inner.tbs_cert_list.this_update.to_unix_duration())
    }

    /// nextUpdate, when given.
    pub fn next_update(&self) -> Option<DateTime<Utc>> {
        self.inner.tbs_cert_list.next_update.map(|time| to_chrono(time.to_unix_duration()))
    }

    /// Every revoked certificate.
    pub fn revoked(&self) -> Vec<RevokedCertificate> {
        self.inner.tbs_cert_list.revoked_certificates.iter().flatten().map(Self::entry).collect()
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
        self.inner
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|revoked| serial_hex(revoked.serial_number.as_bytes()) == wanted)
            .map(Self::entry)
    }

    pub(crate) fn issuer_name(&self) -> &x509_cert::name::Name {
        &self.inner.tbs_cert_list.issuer
    }

    /// Checks that `issuer` signed this CRL.
    pub(crate) fn verify_signed_by(&self, issuer: &Certificate) -> Result<()> {
        let algorithm = SignatureAlgorithm::from_oid(&self.inner.signature_algorithm.oid)?;
        let tbs = to_der(&self.inner.tbs_cert_list, "CRL")?;
        let signature = self
            .inner
            .signature
            .as_bytes()
            .ok_or_else(|| Error::Parse { what: "CRL", reason: "signature bit string has unused bits".into() })?;
        issuer.public_key()?.verify(algorithm, &tbs, signature, || format!("CRL of `{}`", self.issuer))
    }
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
