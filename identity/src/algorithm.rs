//! Signature algorithms and public keys: RSA PKCS#1 v1.5 with SHA-256, ECDSA P-256 with SHA-256,
//! and SM2 with SM3 (GB/T 32918, GB/T 35276 default distinguishing ID), all by RustCrypto crates.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use serde::{Deserialize, Serialize};
use spki::SubjectPublicKeyInfoRef;

use crate::error::{Error, Result};

/// The distinguishing ID CAs and devices use with SM2 when none is agreed (GM/T 0009, GB/T 35276).
pub const SM2_DEFAULT_DISTINGUISHING_ID: &str = "1234567812345678";

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");
const SM2_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");

/// Names of algorithms zhengwu recognises but does not verify, for error messages.
fn known_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    Some(match oid.to_string().as_str() {
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.132.0.34" => "secp384r1",
        "1.3.132.0.35" => "secp521r1",
        "1.2.840.10040.4.1" => "DSA",
        _ => return None,
    })
}

/// 签名算法: the signature algorithms zhengwu verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSA PKCS#1 v1.5 with SHA-256 (`sha256WithRSAEncryption`, 1.2.840.113549.1.1.11).
    RsaSha256,
    /// ECDSA on P-256 with SHA-256 (`ecdsa-with-SHA256`, 1.2.840.10045.4.3.2), DER signature.
    EcdsaP256Sha256,
    /// SM2 with SM3 (1.2.156.10197.1.501), DER signature, default distinguishing ID.
    Sm2Sm3,
}

impl SignatureAlgorithm {
    /// The algorithm's OID, dotted.
    pub fn oid(self) -> &'static str {
        match self {
            SignatureAlgorithm::RsaSha256 => "1.2.840.113549.1.1.11",
            SignatureAlgorithm::EcdsaP256Sha256 => "1.2.840.10045.4.3.2",
            SignatureAlgorithm::Sm2Sm3 => "1.2.156.10197.1.501",
        }
    }

    /// The usual name.
    pub fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::RsaSha256 => "sha256WithRSAEncryption",
            SignatureAlgorithm::EcdsaP256Sha256 => "ecdsa-with-SHA256",
            SignatureAlgorithm::Sm2Sm3 => "SM2-with-SM3",
        }
    }

    /// The algorithm an OID names; an error naming the OID for any other.
    pub fn from_oid(oid: &ObjectIdentifier) -> Result<Self> {
        match *oid {
            SHA256_WITH_RSA => Ok(SignatureAlgorithm::RsaSha256),
            ECDSA_WITH_SHA256 => Ok(SignatureAlgorithm::EcdsaP256Sha256),
            SM2_WITH_SM3 => Ok(SignatureAlgorithm::Sm2Sm3),
            _ => Err(Error::UnsupportedAlgorithm { what: "signature", oid: oid.to_string(), name: known_name(oid) }),
        }
    }

    /// Parses a dotted OID or a name (`sm2-sm3`, `SM2-with-SM3`, `rsa-sha256`, ...).
    pub fn parse(text: &str) -> Result<Self> {
        for algorithm in
            [SignatureAlgorithm::RsaSha256, SignatureAlgorithm::EcdsaP256Sha256, SignatureAlgorithm::Sm2Sm3]
        {
            let kebab = serde_json::to_value(algorithm).ok();
            if text == algorithm.oid()
                || text.eq_ignore_ascii_case(algorithm.name())
                || kebab.as_ref().and_then(|v| v.as_str()) == Some(text)
            {
                return Ok(algorithm);
            }
        }
        match text.parse::<ObjectIdentifier>() {
            Ok(oid) => Self::from_oid(&oid),
            Err(_) => Err(Error::UnsupportedAlgorithm { what: "signature", oid: text.to_owned(), name: None }),
        }
    }
}

/// A public key zhengwu can verify signatures with.
#[derive(Clone)]
pub(crate) enum PublicKey {
    Rsa(Box<rsa::pkcs1v15::VerifyingKey<sha2::Sha256>>),
    P256(p256::ecdsa::VerifyingKey),
    Sm2(Box<sm2::dsa::VerifyingKey>),
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PublicKey {
    /// Reads a SubjectPublicKeyInfo (DER).
    pub(crate) fn from_spki_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| Error::Parse { what: "public key", reason: e.to_string() })?;
        let algorithm = spki.algorithm.oid;
        let bytes = spki.subject_public_key.raw_bytes();
        let curve = spki.algorithm.parameters.as_ref().and_then(|any| any.decode_as::<ObjectIdentifier>().ok());
        let bad_key = |e: String| Error::Parse { what: "public key", reason: e };
        match (algorithm, curve) {
            (RSA_ENCRYPTION, _) => {
                use rsa::pkcs1::DecodeRsaPublicKey;
                let key = rsa::PublicKey::from_pkcs1_der(bytes).map_err(|e| bad_key(e.to_string()))?;
                Ok(PublicKey::Rsa(Box::new(rsa::pkcs1v15::VerifyingKey::new(key))))
            }
            (EC_PUBLIC_KEY, Some(PRIME256V1)) => Ok(PublicKey::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(|e| bad_key(e.to_string()))?,
            )),
            (EC_PUBLIC_KEY, Some(SM2_CURVE)) | (SM2_CURVE, _) => Ok(PublicKey::Sm2(Box::new(
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DEFAULT_DISTINGUISHING_ID, bytes)
                    .map_err(|e| bad_key(e.to_string()))?,
            ))),
            (EC_PUBLIC_KEY, Some(curve)) => Err(Error::UnsupportedAlgorithm {
                what: "public key",
                oid: curve.to_string(),
                name: known_name(&curve),
            }),
            (EC_PUBLIC_KEY, None) => Err(bad_key("EC key without a named curve".into())),
            (other, _) => Err(Error::UnsupportedAlgorithm {
                what: "public key",
                oid: other.to_string(),
                name: known_name(&other),
            }),
        }
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            PublicKey::Rsa(_) => "RSA",
            PublicKey::P256(_) => "EC P-256",
            PublicKey::Sm2(_) => "SM2",
        }
    }

    /// The algorithm this key signs with.
    pub(crate) fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            PublicKey::Rsa(_) => SignatureAlgorithm::RsaSha256,
            PublicKey::P256(_) => SignatureAlgorithm::EcdsaP256Sha256,
            PublicKey::Sm2(_) => SignatureAlgorithm::Sm2Sm3,
        }
    }

    /// Verifies `signature` over `message`; `what` names the signed thing in the error.
    pub(crate) fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
        what: impl FnOnce() -> String,
    ) -> Result<()> {
        use signature::Verifier;
        if algorithm != self.algorithm() {
            return Err(Error::AlgorithmMismatch { algorithm: algorithm.name(), key: self.name() });
        }
        let verified = match self {
            PublicKey::Rsa(key) => rsa::pkcs1v15::Signature::try_from(signature)
                .ok()
                .is_some_and(|signature| key.verify(message, &signature).is_ok()),
            PublicKey::P256(key) => p256::ecdsa::DerSignature::try_from(signature)
                .ok()
                .is_some_and(|signature| key.verify(message, &signature).is_ok()),
            PublicKey::Sm2(key) => sm2::dsa::Signature::from_der(signature)
                .ok()
                .is_some_and(|signature| key.verify(message, &signature).is_ok()),
        };
        if verified { Ok(()) } else { Err(Error::BadSignature { what: what() }) }
    }
}

/// Encodes a DER value, for re-encoding parsed structures (TBS parts) to verify them.
pub(crate) fn to_der(value: &impl Encode, what: &'static str) -> Result<Vec<u8>> {
    value.to_der().map_err(|e| Error::Parse { what, reason: e.to_string() })
}
