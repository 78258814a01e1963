//! Signature algorithms and public keys: RSA PKCS#1 v1.5 and RSA-PSS with SHA-256/384/512, ECDSA
//! on P-256 and P-384 with SHA-256/384, and SM2 with SM3 (GB/T 32918, GB/T 35276 default
//! distinguishing ID), all by RustCrypto crates.
//!
//! An algorithm is recognised by the DER of its `AlgorithmIdentifier` (the OID and its
//! parameters), compared whole with the encodings of [`rustls_pki_types::alg_id`]: one table serves
//! certificates, CRLs and the path builder, so that what one accepts the others accept.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use rustls_pki_types::{AlgorithmIdentifier, alg_id};
use serde::{Deserialize, Serialize};
use spki::SubjectPublicKeyInfoRef;

use crate::error::{Error, Result};

/// The distinguishing ID CAs and devices use with SM2 when none is agreed (GM/T 0009, GB/T 35276).
pub const SM2_DEFAULT_DISTINGUISHING_ID: &str = "1234567812345678";

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");

/// `SM2-with-SM3` (1.2.156.10197.1.501) without parameters, as GB/T 20518 writes it.
const SM2_SM3_ID: AlgorithmIdentifier =
    AlgorithmIdentifier::from_slice(&[0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75]);
/// `SM2-with-SM3` with NULL parameters, as some CAs write it.
const SM2_SM3_NULL_ID: AlgorithmIdentifier =
    AlgorithmIdentifier::from_slice(&[0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75, 0x05, 0x00]);

/// Names of algorithms zhengwu recognises but does not verify, for error messages.
fn known_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    Some(match oid.to_string().as_str() {
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10045.3.1.1" => "P-192 (prime192v1)",
        "1.3.132.0.33" => "P-224 (secp224r1)",
        "1.3.132.0.35" => "P-521 (secp521r1)",
        "1.3.132.0.10" => "secp256k1",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa-with-SHA256",
        "1.2.156.10197.1.501" => "SM2-with-SM3",
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
    /// RSA PKCS#1 v1.5 with SHA-384 (`sha384WithRSAEncryption`, 1.2.840.113549.1.1.12).
    RsaSha384,
    /// RSA PKCS#1 v1.5 with SHA-512 (`sha512WithRSAEncryption`, 1.2.840.113549.1.1.13).
    RsaSha512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 4055).
    RsaPssSha256,
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt (RFC 4055).
    RsaPssSha384,
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt (RFC 4055).
    RsaPssSha512,
    /// ECDSA with SHA-256 (`ecdsa-with-SHA256`, 1.2.840.10045.4.3.2) on a P-256 or P-384 key, DER
    /// signature.
    #[serde(alias = "ecdsa-p256-sha256")]
    EcdsaSha256,
    /// ECDSA with SHA-384 (`ecdsa-with-SHA384`, 1.2.840.10045.4.3.3) on a P-256 or P-384 key, DER
    /// signature.
    EcdsaSha384,
    /// SM2 with SM3 (1.2.156.10197.1.501), DER signature, default distinguishing ID.
    Sm2Sm3,
}

/// Every algorithm, in the order names are looked up.
pub(crate) const ALL: [SignatureAlgorithm; 9] = [
    SignatureAlgorithm::RsaSha256,
    SignatureAlgorithm::RsaSha384,
    SignatureAlgorithm::RsaSha512,
    SignatureAlgorithm::RsaPssSha256,
    SignatureAlgorithm::RsaPssSha384,
    SignatureAlgorithm::RsaPssSha512,
    SignatureAlgorithm::EcdsaSha256,
    SignatureAlgorithm::EcdsaSha384,
    SignatureAlgorithm::Sm2Sm3,
];

/// The hash a signature algorithm digests with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
    Sm3,
}

impl SignatureAlgorithm {
    /// The algorithm's OID, dotted.
    pub fn oid(self) -> &'static str {
        match self {
            SignatureAlgorithm::RsaSha256 => "1.2.840.113549.1.1.11",
            SignatureAlgorithm::RsaSha384 => "1.2.840.113549.1.1.12",
            SignatureAlgorithm::RsaSha512 => "1.2.840.113549.1.1.13",
            SignatureAlgorithm::RsaPssSha256 | SignatureAlgorithm::RsaPssSha384 | SignatureAlgorithm::RsaPssSha512 => {
                "1.2.840.113549.1.1.10"
            }
            SignatureAlgorithm::EcdsaSha256 => "1.2.840.10045.4.3.2",
            SignatureAlgorithm::EcdsaSha384 => "1.2.840.10045.4.3.3",
            SignatureAlgorithm::Sm2Sm3 => "1.2.156.10197.1.501",
        }
    }

    /// The usual name.
    pub fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::RsaSha256 => "sha256WithRSAEncryption",
            SignatureAlgorithm::RsaSha384 => "sha384WithRSAEncryption",
            SignatureAlgorithm::RsaSha512 => "sha512WithRSAEncryption",
            SignatureAlgorithm::RsaPssSha256 => "RSASSA-PSS-SHA256",
            SignatureAlgorithm::RsaPssSha384 => "RSASSA-PSS-SHA384",
            SignatureAlgorithm::RsaPssSha512 => "RSASSA-PSS-SHA512",
            SignatureAlgorithm::EcdsaSha256 => "ecdsa-with-SHA256",
            SignatureAlgorithm::EcdsaSha384 => "ecdsa-with-SHA384",
            SignatureAlgorithm::Sm2Sm3 => "SM2-with-SM3",
        }
    }

    /// The DER encodings (contents of the `AlgorithmIdentifier` SEQUENCE) this algorithm is
    /// recognised by.
    pub(crate) fn identifiers(self) -> &'static [AlgorithmIdentifier] {
        match self {
            SignatureAlgorithm::RsaSha256 => &[alg_id::RSA_PKCS1_SHA256],
            SignatureAlgorithm::RsaSha384 => &[alg_id::RSA_PKCS1_SHA384],
            SignatureAlgorithm::RsaSha512 => &[alg_id::RSA_PKCS1_SHA512],
            SignatureAlgorithm::RsaPssSha256 => &[alg_id::RSA_PSS_SHA256],
            SignatureAlgorithm::RsaPssSha384 => &[alg_id::RSA_PSS_SHA384],
            SignatureAlgorithm::RsaPssSha512 => &[alg_id::RSA_PSS_SHA512],
            SignatureAlgorithm::EcdsaSha256 => &[alg_id::ECDSA_SHA256],
            SignatureAlgorithm::EcdsaSha384 => &[alg_id::ECDSA_SHA384],
            SignatureAlgorithm::Sm2Sm3 => &[SM2_SM3_ID, SM2_SM3_NULL_ID],
        }
    }

    fn hash(self) -> Hash {
        match self {
            SignatureAlgorithm::RsaSha256 | SignatureAlgorithm::RsaPssSha256 | SignatureAlgorithm::EcdsaSha256 => {
                Hash::Sha256
            }
            SignatureAlgorithm::RsaSha384 | SignatureAlgorithm::RsaPssSha384 | SignatureAlgorithm::EcdsaSha384 => {
                Hash::Sha384
            }
            SignatureAlgorithm::RsaSha512 | SignatureAlgorithm::RsaPssSha512 => Hash::Sha512,
            SignatureAlgorithm::Sm2Sm3 => Hash::Sm3,
        }
    }

    /// The kinds of key this algorithm verifies with.
    pub(crate) fn key_kinds(self) -> &'static [KeyKind] {
        match self {
            SignatureAlgorithm::RsaSha256
            | SignatureAlgorithm::RsaSha384
            | SignatureAlgorithm::RsaSha512
            | SignatureAlgorithm::RsaPssSha256
            | SignatureAlgorithm::RsaPssSha384
            | SignatureAlgorithm::RsaPssSha512 => &[KeyKind::Rsa],
            SignatureAlgorithm::EcdsaSha256 | SignatureAlgorithm::EcdsaSha384 => &[KeyKind::P256, KeyKind::P384],
            SignatureAlgorithm::Sm2Sm3 => &[KeyKind::Sm2],
        }
    }

    /// The algorithm an `AlgorithmIdentifier` names (the DER of the SEQUENCE's contents: OID and
    /// parameters); an error naming the OID for any other, or for parameters other than the
    /// standard ones.
    pub(crate) fn from_identifier(contents: &[u8]) -> Result<Self> {
        ALL.into_iter().find(|algorithm| algorithm.identifiers().iter().any(|id| id.as_ref() == contents)).ok_or_else(
            || {
                let oid = leading_oid(contents);
                match oid {
                    Some(oid) => Error::UnsupportedAlgorithm {
                        what: "signature algorithm",
                        oid: oid.to_string(),
                        name: known_name(&oid),
                    },
                    None => Error::Parse { what: "algorithm identifier", reason: "not an OBJECT IDENTIFIER".into() },
                }
            },
        )
    }

    /// The algorithm of an `AlgorithmIdentifier` as x509-cert parsed it.
    pub(crate) fn from_algorithm(identifier: &spki::AlgorithmIdentifierOwned) -> Result<Self> {
        let der = to_der(identifier, "algorithm identifier")?;
        Self::from_identifier(sequence_contents(&der))
    }

    /// Parses a dotted OID or a name (`sm2-sm3`, `SM2-with-SM3`, `rsa-sha256`, ...).
    pub fn parse(text: &str) -> Result<Self> {
        for algorithm in ALL {
            let kebab = serde_json::to_value(algorithm).ok();
            if text.eq_ignore_ascii_case(algorithm.name()) || kebab.as_ref().and_then(|v| v.as_str()) == Some(text) {
                return Ok(algorithm);
            }
        }
        if text == "ecdsa-p256-sha256" {
            return Ok(SignatureAlgorithm::EcdsaSha256);
        }
        // A dotted OID names one algorithm, except RSASSA-PSS, whose hash is in its parameters.
        let by_oid: Vec<_> = ALL.into_iter().filter(|algorithm| algorithm.oid() == text).collect();
        if let [algorithm] = by_oid[..] {
            return Ok(algorithm);
        }
        match text.parse::<ObjectIdentifier>() {
            Ok(oid) => Err(Error::UnsupportedAlgorithm {
                what: "signature algorithm",
                oid: oid.to_string(),
                name: known_name(&oid),
            }),
            Err(_) => {
                Err(Error::UnsupportedAlgorithm { what: "signature algorithm", oid: text.to_owned(), name: None })
            }
        }
    }
}

/// The contents of a DER SEQUENCE (its header skipped); the input itself if it is not one.
pub(crate) fn sequence_contents(der: &[u8]) -> &[u8] {
    if der.first() != Some(&0x30) || der.len() < 2 {
        return der;
    }
    let header = match der[1] {
        length if length < 0x80 => 2,
        0x81 => 3,
        0x82 => 4,
        0x83 => 5,
        _ => return der,
    };
    der.get(header..).unwrap_or(der)
}

/// The OID at the start of an `AlgorithmIdentifier`'s contents.
fn leading_oid(contents: &[u8]) -> Option<ObjectIdentifier> {
    let length = usize::from(*contents.get(1)?);
    if contents.first() != Some(&0x06) || length >= 0x80 {
        return None;
    }
    ObjectIdentifier::from_der(contents.get(..2 + length)?).ok()
}

/// The kinds of public key zhengwu verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa,
    P256,
    P384,
    Sm2,
}

impl KeyKind {
    fn name(self) -> &'static str {
        match self {
            KeyKind::Rsa => "RSA",
            KeyKind::P256 => "EC P-256",
            KeyKind::P384 => "EC P-384",
            KeyKind::Sm2 => "SM2",
        }
    }
}

/// An RSA modulus is accepted when it has at least `minimum` bits, a whole number of bytes, and
/// at most 8,192 bits.
pub(crate) fn rsa_size_acceptable(bits: usize, minimum: usize) -> bool {
    bits >= minimum && bits.is_multiple_of(8) && bits <= 8192
}

/// The smallest RSA modulus accepted by default, in bits.
pub const DEFAULT_MINIMUM_RSA_BITS: usize = 2048;

/// A public key zhengwu can verify signatures with.
#[derive(Clone)]
pub(crate) enum PublicKey {
    Rsa(Box<rsa::PublicKey>),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Sm2(Box<sm2::dsa::VerifyingKey>),
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind().name())
    }
}

impl PublicKey {
    /// Reads a SubjectPublicKeyInfo (DER).
    pub(crate) fn from_spki_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| Error::Parse { what: "public key", reason: e.to_string() })?;
        let algorithm = spki.algorithm.oid;
        let bytes = spki.subject_public_key.as_bytes().ok_or_else(|| Error::Parse {
            what: "public key algorithm",
            reason: "the key's BIT STRING has unused bits".into(),
        })?;
        let curve = spki.algorithm.parameters.as_ref().map(|any| any.decode_as::<ObjectIdentifier>());
        match (algorithm, curve) {
            (RSA_ENCRYPTION, _) => Self::from_raw(KeyKind::Rsa, bytes),
            (EC_PUBLIC_KEY, Some(Ok(PRIME256V1))) => Self::from_raw(KeyKind::P256, bytes),
            (EC_PUBLIC_KEY, Some(Ok(SECP384R1))) => Self::from_raw(KeyKind::P384, bytes),
            (EC_PUBLIC_KEY, Some(Ok(SM2_CURVE))) | (SM2_CURVE, _) => Self::from_raw(KeyKind::Sm2, bytes),
            (EC_PUBLIC_KEY, Some(Ok(curve))) => Err(Error::UnsupportedAlgorithm {
                what: "elliptic curve",
                oid: curve.to_string(),
                name: known_name(&curve),
            }),
            (EC_PUBLIC_KEY, _) => Err(Error::UnsupportedAlgorithm {
                what: "public key algorithm",
                oid: "1.2.840.10045.2.1".into(),
                name: Some("EC key with explicit or absent curve parameters (only named curves are accepted)"),
            }),
            (other, _) => Err(Error::UnsupportedAlgorithm {
                what: "public key algorithm",
                oid: other.to_string(),
                name: known_name(&other),
            }),
        }
    }

    /// Reads the contents of a SubjectPublicKeyInfo's BIT STRING for a kind of key: PKCS#1
    /// `RSAPublicKey` for RSA, a SEC 1 point for the curves.
    pub(crate) fn from_raw(kind: KeyKind, bytes: &[u8]) -> Result<Self> {
        let bad_key = |e: String| Error::Parse { what: "public key", reason: format!("{}: {e}", kind.name()) };
        Ok(match kind {
            KeyKind::Rsa => {
                use rsa::pkcs1::DecodeRsaPublicKey;
                PublicKey::Rsa(Box::new(rsa::PublicKey::from_pkcs1_der(bytes).map_err(|e| bad_key(e.to_string()))?))
            }
            KeyKind::P256 => {
                PublicKey::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(|e| bad_key(e.to_string()))?)
            }
            KeyKind::P384 => {
                PublicKey::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(|e| bad_key(e.to_string()))?)
            }
            KeyKind::Sm2 => PublicKey::Sm2(Box::new(
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DEFAULT_DISTINGUISHING_ID, bytes)
                    .map_err(|e| bad_key(e.to_string()))?,
            )),
        })
    }

    pub(crate) fn kind(&self) -> KeyKind {
        match self {
            PublicKey::Rsa(_) => KeyKind::Rsa,
            PublicKey::P256(_) => KeyKind::P256,
            PublicKey::P384(_) => KeyKind::P384,
            PublicKey::Sm2(_) => KeyKind::Sm2,
        }
    }

    pub(crate) fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The size of an RSA modulus in bits (`None` for the curves, whose size is fixed).
    pub(crate) fn rsa_bits(&self) -> Option<usize> {
        match self {
            PublicKey::Rsa(key) => {
                use rsa::traits::PublicKeyParts;
                Some(key.n().bit_width() as usize)
            }
            _ => None,
        }
    }

    /// The algorithm this key signs with by default.
    pub(crate) fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            PublicKey::Rsa(_) => SignatureAlgorithm::RsaSha256,
            PublicKey::P256(_) => SignatureAlgorithm::EcdsaSha256,
            PublicKey::P384(_) => SignatureAlgorithm::EcdsaSha384,
            PublicKey::Sm2(_) => SignatureAlgorithm::Sm2Sm3,
        }
    }

    /// Whether `signature` over `message` verifies with `algorithm` (false when the algorithm
    /// does not fit the key).
    pub(crate) fn verifies(&self, algorithm: SignatureAlgorithm, message: &[u8], signature: &[u8]) -> bool {
        use signature::Verifier;
        use signature::hazmat::PrehashVerifier;
        if !algorithm.key_kinds().contains(&self.kind()) {
            return false;
        }
        let digest = || -> Vec<u8> {
            use sha2::Digest;
            match algorithm.hash() {
                Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
                Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
                Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
                Hash::Sm3 => Vec::new(),
            }
        };
        match self {
            PublicKey::Rsa(key) => rsa_verifies(key, algorithm, message, signature),
            PublicKey::P256(key) => p256::ecdsa::DerSignature::try_from(signature)
                .ok()
                .is_some_and(|signature| key.verify_prehash(&digest(), &signature).is_ok()),
            PublicKey::P384(key) => p384::ecdsa::DerSignature::try_from(signature)
                .ok()
                .is_some_and(|signature| key.verify_prehash(&digest(), &signature).is_ok()),
            PublicKey::Sm2(key) => sm2::dsa::Signature::from_der(signature)
                .ok()
                .is_some_and(|signature| key.verify(message, &signature).is_ok()),
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
        if !algorithm.key_kinds().contains(&self.kind()) {
            return Err(Error::AlgorithmMismatch { algorithm: algorithm.name(), key: self.name() });
        }
        if self.verifies(algorithm, message, signature) { Ok(()) } else { Err(Error::BadSignature { what: what() }) }
    }
}

fn rsa_verifies(key: &rsa::PublicKey, algorithm: SignatureAlgorithm, message: &[u8], signature: &[u8]) -> bool {
    use signature::Verifier;
    macro_rules! with {
        ($scheme:ident, $hash:ty) => {
            rsa::$scheme::Signature::try_from(signature)
                .ok()
                .is_some_and(|s| rsa::$scheme::VerifyingKey::<$hash>::new(key.clone()).verify(message, &s).is_ok())
        };
    }
    match algorithm {
        SignatureAlgorithm::RsaSha256 => with!(pkcs1v15, sha2::Sha256),
        SignatureAlgorithm::RsaSha384 => with!(pkcs1v15, sha2::Sha384),
        SignatureAlgorithm::RsaSha512 => with!(pkcs1v15, sha2::Sha512),
        SignatureAlgorithm::RsaPssSha256 => with!(pss, sha2::Sha256),
        SignatureAlgorithm::RsaPssSha384 => with!(pss, sha2::Sha384),
        SignatureAlgorithm::RsaPssSha512 => with!(pss, sha2::Sha512),
        _ => false,
    }
}

/// Encodes a DER value, for re-encoding parsed structures (TBS parts) to verify them.
pub(crate) fn to_der(value: &impl Encode, what: &'static str) -> Result<Vec<u8>> {
    value.to_der().map_err(|e| Error::Parse { what, reason: e.to_string() })
}
