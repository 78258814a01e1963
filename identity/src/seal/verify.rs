//! Verifying seals and signatures in GB/T 38540's order (§6.3 for the seal, §7.3 for the
//! signature): the seal maker's signature and certificate, the seal's validity, the signer's
//! authorisation, the signer's certificate, the signer's signature, the signed data.

use chrono::{DateTime, Utc};
use sha2::Digest as _;

use super::error::{SealError, SealPart};
use super::read::{Seal, SealSignature, SealUsers};
use crate::algorithm::SignatureAlgorithm;
use crate::certificate::Certificate;
use crate::trust::{KeyPurpose, TrustStore};

/// What to check against: trust anchors for the certificates' chains, the instant, the data.
#[derive(Debug, Clone, Copy, Default)]
pub struct SealCheck<'a> {
    /// Anchors (and intermediates, CRLs) the maker's and the signer's certificates must chain
    /// to. Without, the signatures are checked against the certificates the seal carries and
    /// their validity periods, not their issuers.
    pub trust: Option<&'a TrustStore>,
    /// The instant the certificates are judged at; for a signature by default its own time
    /// (签章时间).
    pub at: Option<DateTime<Utc>>,
    /// When a seal alone was used (its validity period is judged at it); a signature's own time
    /// is its time of use and this is not read.
    pub used_at: Option<DateTime<Utc>>,
    /// The protected data (in OFD, the bytes of the `Signature.xml` the signature names), whose
    /// hash must be the signature's `dataHash`.
    pub data: Option<&'a [u8]>,
}

/// What a verified seal or signature says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SealVerification {
    /// 印章编码.
    pub seal_id: String,
    /// 印章名称.
    pub seal_name: String,
    /// The seal maker's certificate subject.
    pub maker: String,
    /// The signer's certificate subject (for a signature).
    pub signer: Option<String>,
    /// The instant the certificates were judged at.
    pub at: DateTime<Utc>,
    /// The seal's validity period.
    pub valid_from: DateTime<Utc>,
    /// Its end.
    pub valid_until: DateTime<Utc>,
    /// When the seal was used, at which its validity period was judged (`None`: not judged).
    pub used_at: Option<DateTime<Utc>>,
    /// Whether the certificates' chains were checked against trust anchors.
    pub chains_checked: bool,
    /// Whether the protected data was hashed and compared.
    pub data_checked: bool,
}

fn fail(part: SealPart, reason: impl Into<String>) -> SealError {
    SealError { part, reason: reason.into() }
}

/// Reads a certificate, checks it was valid at `at` and, with trust anchors, its chain.
fn certificate(
    der: &[u8],
    at: DateTime<Utc>,
    trust: Option<&TrustStore>,
    part: SealPart,
) -> Result<Certificate, SealError> {
    let certificate = Certificate::from_der(der).map_err(|e| fail(part.clone(), e.to_string()))?;
    if at < certificate.not_before() || at > certificate.not_after() {
        return Err(fail(
            part,
            format!(
                "`{}` is valid from {} to {}, not at {at}",
                certificate.subject(),
                certificate.not_before(),
                certificate.not_after()
            ),
        ));
    }
    if let Some(trust) = trust {
        trust.verify(&certificate, at, KeyPurpose::Signing).map_err(|e| fail(part, e.to_string()))?;
    }
    Ok(certificate)
}

fn algorithm(oid: &str, part: SealPart) -> Result<SignatureAlgorithm, SealError> {
    SignatureAlgorithm::parse(oid).map_err(|e| fail(part, e.to_string()))
}

/// Verifies a seal (GB/T 38540 §6.3): the maker's signature over what it signed, the maker's
/// certificate (valid at `check.at`, default now is the caller's to pass; chained with trust
/// anchors), and when `check.used_at` names when the seal was used, its validity period at that
/// instant (for a seal alone there is no time of use unless the caller gives one; for a signature
/// it is the signature's time).
pub fn verify_seal(seal: &Seal, check: &SealCheck<'_>) -> Result<SealVerification, SealError> {
    let at = check.at.ok_or_else(|| fail(SealPart::Structure, "give the instant to judge the certificates at"))?;
    check_seal(seal, check.trust, at, check.used_at)
}

/// The seal's checks, its certificates judged at `at` and its own validity at `used_at`.
fn check_seal(
    seal: &Seal,
    trust: Option<&TrustStore>,
    at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
) -> Result<SealVerification, SealError> {
    let maker =
        Certificate::from_der(&seal.maker_certificate).map_err(|e| fail(SealPart::MakerCertificate, e.to_string()))?;
    let signature_algorithm = algorithm(&seal.algorithm, SealPart::MakerSignature)?;
    maker
        .verify_signature(signature_algorithm, &seal.info_der, &seal.signed_value)
        .map_err(|e| fail(SealPart::MakerSignature, format!("{e} (seal `{}`)", seal.id)))?;
    certificate(&seal.maker_certificate, at, trust, SealPart::MakerCertificate)?;
    if let Some(used_at) = used_at
        && (used_at < seal.valid_from || used_at > seal.valid_until)
    {
        return Err(fail(
            SealPart::SealValidity,
            format!("seal `{}` is valid from {} to {}, not at {used_at}", seal.id, seal.valid_from, seal.valid_until),
        ));
    }
    Ok(SealVerification {
        seal_id: seal.id.clone(),
        seal_name: seal.name.clone(),
        maker: maker.subject().to_owned(),
        signer: None,
        at,
        valid_from: seal.valid_from,
        valid_until: seal.valid_until,
        used_at,
        chains_checked: trust.is_some(),
        data_checked: false,
    })
}

/// Verifies a signature (GB/T 38540 §7.3), in this order: its seal (as [`verify_seal`], the
/// seal's own validity judged at the signature's time), the
/// signer among the seal's users, the signer's certificate (valid at the instant; chained with
/// trust anchors; its key of the signature's algorithm), the signature over `TBS_Sign`, and with
/// the protected data, its hash (SM3 for SM2) against `dataHash`. The instant is
/// `check.at`, else the signature's time.
pub fn verify_seal_signature(signature: &SealSignature, check: &SealCheck<'_>) -> Result<SealVerification, SealError> {
    let at = check.at.or(signature.time).ok_or_else(|| {
        fail(
            SealPart::Structure,
            "the signature's time is a time-stamp token, not a time: give the instant to check at",
        )
    })?;
    // The seal must have been in force when it was used (签章时间); the certificates are judged
    // at the instant asked for.
    let mut verified = check_seal(&signature.seal, check.trust, at, Some(signature.time.unwrap_or(at)))?;
    let authorised = match &signature.seal.users {
        SealUsers::Certificates(list) => list.contains(&signature.signer_certificate),
        SealUsers::Digests(list) => list.iter().any(|(kind, value)| {
            digest(kind, &signature.signer_certificate).is_some_and(|computed| computed == *value)
        }),
    };
    if !authorised {
        return Err(fail(
            SealPart::SignerAuthorisation,
            format!("the signer's certificate is not among the users of seal `{}`", signature.seal.id),
        ));
    }
    let signer = certificate(&signature.signer_certificate, at, check.trust, SealPart::SignerCertificate)?;
    let signature_algorithm = algorithm(&signature.algorithm, SealPart::SignerSignature)?;
    signer
        .verify_signature(signature_algorithm, &signature.to_sign_der, &signature.signature)
        .map_err(|e| fail(SealPart::SignerSignature, e.to_string()))?;
    if let Some(data) = check.data {
        let hashed = match signature_algorithm {
            SignatureAlgorithm::Sm2Sm3 => sm3::Sm3::digest(data).to_vec(),
            _ => sha2::Sha256::digest(data).to_vec(),
        };
        if hashed != signature.data_hash {
            return Err(fail(
                SealPart::DataHash,
                format!(
                    "the data hashes to {}, the signature says {} (`{}`)",
                    hex::encode(&hashed),
                    hex::encode(&signature.data_hash),
                    signature.property
                ),
            ));
        }
        verified.data_checked = true;
    }
    verified.signer = Some(signer.subject().to_owned());
    Ok(verified)
}

/// A hash by the algorithm a `CertDigestObj` or an OFD `CheckMethod` names (SM3, SHA-256, SHA-1,
/// by name or OID); `None` for another.
pub(super) fn digest(kind: &str, der: &[u8]) -> Option<Vec<u8>> {
    match kind.trim().to_ascii_lowercase().as_str() {
        "sm3" | "1.2.156.10197.1.401" => Some(sm3::Sm3::digest(der).to_vec()),
        "sha256" | "sha-256" | "2.16.840.1.101.3.4.2.1" => Some(sha2::Sha256::digest(der).to_vec()),
        "sha1" | "sha-1" | "1.3.14.3.2.26" => Some(sha1::Sha1::digest(der).to_vec()),
        _ => None,
    }
}
