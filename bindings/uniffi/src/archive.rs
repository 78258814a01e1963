//! 电子档案: a closed case packed into one archival package (zhengwu-archive's layout), and a
//! package verified member by member.

use std::sync::Arc;

use zhengwu_archive::{HashAlgorithm, Package, Retention};

use crate::error::{ZhengwuError, invalid, lock};
use crate::event::CaseEventRecord;
use crate::identity::{Signer, TrustStore};
use crate::time::Instant;

/// A document of the case: stored as `documents/{name}`, bytes untouched.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ArchiveDocument {
    /// A plain file name (no folders).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The answer about a package: valid with what it holds, or the first failure with its kind
/// (`changed_member`, `missing_member`, `unlisted_member`, `broken_signature`, `untrusted`,
/// `invalid`, `not_a_package`) and the member it names.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ArchiveVerdict {
    pub valid: bool,
    pub kind: Option<String>,
    pub member: Option<String>,
    pub reason: Option<String>,
    pub case_id: Option<String>,
    /// 保管期限 as written on the catalogue (`永久`, `定期30年`, `定期10年`).
    pub retention_term: Option<String>,
    /// `SM3` or `SHA-256`.
    pub hash: Option<String>,
    pub members: u32,
    pub events: u32,
    pub signed_events: u32,
    /// The archiving unit's certificate subject, when the package is signed.
    pub package_signer: Option<String>,
    /// Whether the signers' chains were checked (a trust store was given).
    pub chains_checked: bool,
    /// `metadata.json` as read, for everything else it says.
    pub metadata_json: Option<String>,
}

/// Packs a closed case: all its events in sequence, its documents; `retention` `permanent` /
/// `30y` / `10y` (or 永久 / 定期30年 / 定期10年), `hash` `sm3` or `sha256`; signed by the
/// archiving unit when a signer is given. The package's bytes.
#[uniffi::export]
pub fn pack_archive(
    events: Vec<CaseEventRecord>,
    retention: String,
    documents: Vec<ArchiveDocument>,
    hash: String,
    packed_at: Instant,
    packed_by: Option<String>,
    signer: Option<Arc<Signer>>,
) -> Result<Vec<u8>, ZhengwuError> {
    let events = events
        .iter()
        .map(|record| zhengwu_core::CaseEvent::from_json(&record.json))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(e.to_string()))?;
    let archive = |error: zhengwu_archive::Error| invalid(error.to_string());
    let mut package = Package::new(&events, Retention::parse(&retention).map_err(archive)?, packed_at)
        .map_err(archive)?
        .hash(HashAlgorithm::parse(&hash).map_err(archive)?);
    if let Some(unit) = packed_by {
        package = package.packed_by(unit);
    }
    for document in documents {
        package = package.document(&document.name, document.bytes).map_err(archive)?;
    }
    if let Some(signer) = &signer {
        package = package.sign_with(signer.key());
    }
    package.to_bytes().map_err(archive)
}

/// Verifies a package; with a trust store, every signer's chain too.
#[uniffi::export]
pub fn verify_archive(package: Vec<u8>, trust: Option<Arc<TrustStore>>) -> Result<ArchiveVerdict, ZhengwuError> {
    let result = match &trust {
        Some(trust) => zhengwu_archive::verify(&package, Some(&*lock(trust.inner(), "trust store")?)),
        None => zhengwu_archive::verify(&package, None),
    };
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(match result {
        Ok(verified) => ArchiveVerdict {
            valid: true,
            kind: None,
            member: None,
            reason: None,
            case_id: Some(verified.metadata.case_id.clone()),
            retention_term: Some(verified.metadata.retention_term.clone()),
            hash: Some(verified.hash.name().to_owned()),
            members: count(verified.members),
            events: count(verified.events),
            signed_events: count(verified.signed_events),
            package_signer: verified.package_signer.clone(),
            chains_checked: verified.chains_checked,
            metadata_json: serde_json::to_string(&verified.metadata).ok(),
        },
        Err(error) => ArchiveVerdict {
            valid: false,
            kind: Some(error.kind().to_owned()),
            member: error.member().map(str::to_owned),
            reason: Some(error.to_string()),
            case_id: None,
            retention_term: None,
            hash: None,
            members: 0,
            events: 0,
            signed_events: 0,
            package_signer: None,
            chains_checked: false,
            metadata_json: None,
        },
    })
}
