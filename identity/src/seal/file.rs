//! Verifying whatever a file holds: a signed OFD document, a signature or a seal.

use super::error::SealError;
use super::ofd::verify_ofd;
use super::read::{Seal, SealSignature};
use super::verify::{SealCheck, SealVerification, verify_seal, verify_seal_signature};
use crate::certificate::Certificate;

/// One thing verified in a file: a seal, a signature, or one signature of an OFD document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealFileCheck {
    /// What it is: `seal `…` (name)`, `signature with seal `…` (name)`, or the OFD
    /// `Signature.xml`'s path with its count of protected files.
    pub what: String,
    /// Verified, or the part that failed.
    pub result: Result<SealVerification, SealError>,
}

/// Verifies whatever a file holds: a signed OFD document (every signature), an `SES_Signature`
/// or an `SES_Seal` (tried in that order; bytes that are neither name both reasons). For a seal
/// alone `check.at` must be given (the library reads no clock). `signer` is for OFD signatures
/// without a seal.
pub fn verify_file(bytes: &[u8], check: &SealCheck<'_>, signer: Option<&Certificate>) -> Vec<SealFileCheck> {
    if bytes.starts_with(b"PK") {
        return match verify_ofd(bytes, check.trust, check.at, signer) {
            Ok(checks) => checks
                .into_iter()
                .map(|c| SealFileCheck {
                    what: format!("{} ({} protected files)", c.signature, c.references),
                    result: c.result,
                })
                .collect(),
            Err(error) => vec![SealFileCheck { what: "OFD document".into(), result: Err(error) }],
        };
    }
    match SealSignature::from_der(bytes) {
        Ok(signature) => vec![SealFileCheck {
            what: format!("signature with seal `{}` ({})", signature.seal.id, signature.seal.name),
            result: verify_seal_signature(&signature, check),
        }],
        Err(as_signature) => match Seal::from_der(bytes) {
            Ok(seal) => vec![SealFileCheck {
                what: format!("seal `{}` ({})", seal.id, seal.name),
                result: verify_seal(&seal, check),
            }],
            Err(as_seal) => vec![SealFileCheck {
                what: "file".into(),
                result: Err(SealError {
                    part: as_seal.part,
                    reason: format!(
                        "neither an SES_Signature ({}) nor an SES_Seal ({})",
                        as_signature.reason, as_seal.reason
                    ),
                }),
            }],
        },
    }
}
