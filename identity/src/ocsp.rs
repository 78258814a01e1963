//! 在线证书状态: OCSP responses (RFC 6960) given as files, as the provincial CAs' responders send
//! them, and verified offline at the instant of validation.
//!
//! A response is relied on for a certificate when its `CertID` names the certificate (the hash
//! of its issuer's name and key, SHA-1, SHA-256 or SM3, and its serial), it was signed by the issuer
//! itself or by a responder the issuer certified for OCSP signing (`id-kp-OCSPSigning`, valid at
//! the instant, RFC 6960 §4.2.2.2), and it is current at the instant: `thisUpdate` not after it,
//! `nextUpdate` not before it (a response without `nextUpdate` is current for
//! [`MAX_AGE_WITHOUT_NEXT_UPDATE_DAYS`] days).

use chrono::{DateTime, Utc};
use der::asn1::{BitString, GeneralizedTime, Null, ObjectIdentifier, OctetString};
use der::{Choice, Decode, Enumerated, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use crate::algorithm::SignatureAlgorithm;
use crate::certificate::{Certificate, serial_hex, to_chrono};
use crate::encoding::Encoded;
use crate::error::{Error, Result};

/// How long a response without `nextUpdate` is taken as current after its `thisUpdate`.
pub const MAX_AGE_WITHOUT_NEXT_UPDATE_DAYS: i64 = 7;

const BASIC_RESPONSE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
const OCSP_SIGNING: [usize; 9] = [1, 3, 6, 1, 5, 5, 7, 3, 9];
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.401");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[repr(u32)]
enum ResponseStatus {
    Successful = 0,
    MalformedRequest = 1,
    InternalError = 2,
    TryLater = 3,
    SigRequired = 5,
    Unauthorized = 6,
}

#[derive(Clone, Debug, Sequence)]
struct OcspResponseDer {
    status: ResponseStatus,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    bytes: Option<ResponseBytes>,
}

#[derive(Clone, Debug, Sequence)]
struct ResponseBytes {
    response_type: ObjectIdentifier,
    response: OctetString,
}

#[derive(Clone, Debug, Sequence)]
struct BasicResponse {
    tbs: der::asn1::Any,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    certs: Option<Vec<x509_cert::Certificate>>,
}

#[derive(Clone, Debug, Sequence)]
struct ResponseData {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", default = "Default::default")]
    version: u8,
    responder: ResponderId,
    produced_at: GeneralizedTime,
    responses: Vec<SingleResponse>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

#[derive(Clone, Debug, Choice)]
enum ResponderId {
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    ByName(Name),
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", constructed = "true")]
    ByKey(OctetString),
}

#[derive(Clone, Debug, Sequence)]
struct SingleResponse {
    cert_id: CertId,
    status: CertStatus,
    this_update: GeneralizedTime,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    next_update: Option<GeneralizedTime>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

#[derive(Clone, Debug, Sequence)]
struct CertId {
    hash_algorithm: AlgorithmIdentifierOwned,
    issuer_name_hash: OctetString,
    issuer_key_hash: OctetString,
    serial_number: SerialNumber,
}

#[derive(Clone, Debug, Choice)]
enum CertStatus {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

#[derive(Clone, Debug, Sequence)]
struct RevokedInfo {
    revocation_time: GeneralizedTime,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    reason: Option<x509_cert::ext::pkix::CrlReason>,
}

/// What a response says of one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OcspStatus {
    /// Not revoked (as of the instant checked).
    Good,
    /// Revoked at this instant (not after the instant checked).
    Revoked(DateTime<Utc>),
}

/// 在线证书状态响应: an OCSP response (RFC 6960), as a responder sent it.
#[derive(Debug, Clone)]
pub struct OcspResponse {
    basic: BasicResponse,
    data: ResponseData,
    tbs_der: Vec<u8>,
    certs: Vec<Certificate>,
}

impl OcspResponse {
    /// Parses a DER `OCSPResponse`. A response whose status is not `successful` carries no
    /// answer and is an error naming the status.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let parse = |e: der::Error| Error::Parse { what: "OCSP response", reason: e.to_string() };
        let outer = OcspResponseDer::from_der(der).map_err(parse)?;
        if outer.status != ResponseStatus::Successful {
            return Err(Error::Parse {
                what: "OCSP response",
                reason: format!("the responder answered {:?}, not successful", outer.status),
            });
        }
        let bytes = outer.bytes.ok_or_else(|| Error::Parse {
            what: "OCSP response",
            reason: "a successful response without a body".into(),
        })?;
        if bytes.response_type != BASIC_RESPONSE {
            return Err(Error::UnsupportedAlgorithm {
                what: "OCSP response type",
                oid: bytes.response_type.to_string(),
                name: None,
            });
        }
        let basic = BasicResponse::from_der(bytes.response.as_bytes()).map_err(parse)?;
        let tbs_der = der::Encode::to_der(&basic.tbs).map_err(parse)?;
        let data = ResponseData::from_der(&tbs_der).map_err(parse)?;
        if data.version != 0 {
            return Err(Error::Parse {
                what: "OCSP response",
                reason: format!("version {} is not v1", data.version + 1),
            });
        }
        let certs = basic
            .certs
            .iter()
            .flatten()
            .map(|certificate| Certificate::from_der(&der::Encode::to_der(certificate).map_err(parse)?))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { basic, data, tbs_der, certs })
    }

    /// Parses PEM (`-----BEGIN OCSP RESPONSE-----`) or DER.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match crate::encoding::encoded("OCSP response", bytes)? {
            Encoded::Pem(text) => {
                let (_, der) = der::pem::decode_vec(text.trim().as_bytes())
                    .map_err(|e| Error::Parse { what: "OCSP response", reason: e.to_string() })?;
                Self::from_der(&der)
            }
            Encoded::Der(der) => Self::from_der(der),
        }
    }

    /// When the responder signed the response.
    pub fn produced_at(&self) -> DateTime<Utc> {
        to_chrono(self.data.produced_at.to_unix_duration())
    }

    /// How many certificates the response speaks of.
    pub fn len(&self) -> usize {
        self.data.responses.len()
    }

    /// Whether the response speaks of no certificate.
    pub fn is_empty(&self) -> bool {
        self.data.responses.is_empty()
    }

    /// What this response says of `certificate` issued by `issuer` at `at`: `Ok(None)` when it
    /// does not speak of it (or says `unknown`), an error when it speaks of it but cannot be
    /// relied on (signature, responder, age).
    pub(crate) fn status(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        at: DateTime<Utc>,
    ) -> Result<Option<OcspStatus>> {
        let Some(single) = self.data.responses.iter().find(|single| names(&single.cert_id, certificate, issuer)) else {
            return Ok(None);
        };
        self.verify_responder(issuer, at)?;
        let subject = certificate.subject().to_owned();
        let this_update = to_chrono(single.this_update.to_unix_duration());
        let next_update = single.next_update.map(|time| to_chrono(time.to_unix_duration()));
        let stale = |until: DateTime<Utc>| Error::StaleOcsp { subject: subject.clone(), this_update, until, at };
        if this_update > at {
            return Err(Error::StaleOcsp { subject, this_update, until: this_update, at });
        }
        let until = next_update.unwrap_or(this_update + chrono::Duration::days(MAX_AGE_WITHOUT_NEXT_UPDATE_DAYS));
        match &single.status {
            CertStatus::Revoked(info) => {
                let revoked_at = to_chrono(info.revocation_time.to_unix_duration());
                // A revocation before the instant stays true however old the response is.
                if revoked_at <= at {
                    return Ok(Some(OcspStatus::Revoked(revoked_at)));
                }
                if at > until {
                    return Err(stale(until));
                }
                Ok(Some(OcspStatus::Good))
            }
            CertStatus::Good(_) => {
                if at > until {
                    return Err(stale(until));
                }
                Ok(Some(OcspStatus::Good))
            }
            CertStatus::Unknown(_) => Ok(None),
        }
    }

    /// The response is signed by the issuer, or by a responder certificate the issuer issued for
    /// OCSP signing, valid at `at` (RFC 6960 §4.2.2.2).
    fn verify_responder(&self, issuer: &Certificate, at: DateTime<Utc>) -> Result<()> {
        let algorithm = SignatureAlgorithm::from_algorithm(&self.basic.signature_algorithm)?;
        let signature = self.basic.signature.as_bytes().ok_or_else(|| Error::Parse {
            what: "OCSP response",
            reason: "signature bit string has unused bits".into(),
        })?;
        let what = || format!("OCSP response for certificates of `{}`", issuer.subject());
        if self.responder_is(issuer) {
            return issuer.public_key()?.verify(algorithm, &self.tbs_der, signature, what);
        }
        let delegated = self.certs.iter().find(|responder| self.responder_is(responder)).ok_or_else(|| {
            Error::UntrustedResponder {
                issuer: issuer.subject().to_owned(),
                reason: "the responder is neither the issuer nor a certificate in the response".into(),
            }
        })?;
        let untrusted = |reason: String| Error::UntrustedResponder { issuer: issuer.subject().to_owned(), reason };
        delegated.verify_issued_by(issuer).map_err(|e| {
            untrusted(format!("the responder certificate `{}` is not the issuer's: {e}", delegated.subject()))
        })?;
        delegated.check_validity(at).map_err(|e| untrusted(e.to_string()))?;
        match delegated.extended_key_usage()? {
            Some((usages, _)) if usages.iter().any(|usage| usage[..] == OCSP_SIGNING) => {}
            _ => {
                return Err(untrusted(format!(
                    "the responder certificate `{}` is not for OCSP signing (id-kp-OCSPSigning)",
                    delegated.subject()
                )));
            }
        }
        delegated.public_key()?.verify(algorithm, &self.tbs_der, signature, what)
    }

    fn responder_is(&self, certificate: &Certificate) -> bool {
        match &self.data.responder {
            ResponderId::ByName(name) => crate::constraints::same_name(name, certificate.subject_name()),
            ResponderId::ByKey(hash) => {
                use sha1::Digest;
                key_bits(certificate).is_some_and(|bits| sha1::Sha1::digest(bits).as_slice() == hash.as_bytes())
            }
        }
    }
}

/// The bits of a certificate's public key (the SubjectPublicKeyInfo's BIT STRING contents).
fn key_bits(certificate: &Certificate) -> Option<&[u8]> {
    certificate.inner().tbs_certificate().subject_public_key_info().subject_public_key.as_bytes()
}

/// Whether a `CertID` names `certificate` issued by `issuer`.
fn names(id: &CertId, certificate: &Certificate, issuer: &Certificate) -> bool {
    if serial_hex(id.serial_number.as_bytes()) != serial_hex(certificate.serial_bytes()) {
        return false;
    }
    let Ok(issuer_name) = der::Encode::to_der(issuer.subject_name()) else { return false };
    let Some(key) = key_bits(issuer) else { return false };
    let digest = |data: &[u8]| -> Option<Vec<u8>> {
        use sha2::Digest;
        Some(match id.hash_algorithm.oid {
            SHA1 => sha1::Sha1::digest(data).to_vec(),
            SHA256 => sha2::Sha256::digest(data).to_vec(),
            SM3 => sm3::Sm3::digest(data).to_vec(),
            _ => return None,
        })
    };
    digest(&issuer_name).is_some_and(|hash| hash == id.issuer_name_hash.as_bytes())
        && digest(key).is_some_and(|hash| hash == id.issuer_key_hash.as_bytes())
}
