#![doc = include_str!("../README.md")]

mod algorithm;
mod certificate;
mod constraints;
mod crl;
mod encoding;
mod error;
mod ocsp;
mod profile;
mod seal;
mod sign;
mod trust;

pub use algorithm::{DEFAULT_MINIMUM_RSA_BITS, SM2_DEFAULT_DISTINGUISHING_ID, SignatureAlgorithm};
pub use certificate::{Certificate, HolderKind, Identity};
pub use crl::{RevocationList, RevokedCertificate};
pub use error::{Error, Result};
pub use ocsp::{MAX_AGE_WITHOUT_NEXT_UPDATE_DAYS, OcspResponse};
pub use seal::{
    OfdSignatureCheck, Seal, SealCheck, SealError, SealFileCheck, SealFormat, SealPart, SealPicture, SealSignature,
    SealUsers, SealVerification, verify_file, verify_ofd, verify_seal, verify_seal_signature,
};
pub use sign::{
    SigningKey, verify_detached, verify_detached_signature, verify_document, verify_event, verify_event_at,
};
pub use trust::{ChainLink, KeyPurpose, RevocationPolicy, RevocationStatus, TrustStore, VerifiedChain, VerifyOptions};
