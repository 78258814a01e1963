//! Verifying a package, member by member.

use std::collections::BTreeSet;
use std::io::{Cursor, Read as _};

use chrono::Utc;
use serde::Serialize;
use zhengwu_core::{CaseEvent, DetachedSignature};
use zhengwu_identity::{Certificate, KeyPurpose, TrustStore};

use crate::error::{Error, Result};
use crate::layout::{
    CERTIFICATES, EVENTS, FORMAT, HashAlgorithm, MANIFEST, MANIFEST_SIGNATURE, MEDIA_TYPE, METADATA, MIMETYPE,
    Manifest, Metadata,
};
use crate::pack::check_signature;

/// The largest manifest or manifest signature read, in bytes.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// What a package that verified holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// The case's archival description.
    pub metadata: Metadata,
    /// The manifest's hash.
    pub hash: HashAlgorithm,
    /// How many members the manifest lists (all of them were found with their bytes).
    pub members: usize,
    /// How many events the package holds.
    pub events: usize,
    /// How many of them carry a signature (each verified).
    pub signed_events: usize,
    /// The subject of the archiving unit's certificate, when the package is signed.
    pub package_signer: Option<String>,
    /// Whether the signers' certificates were checked against trust anchors (a trust store was
    /// given); without one the signatures are checked against the certificates they carry only.
    pub chains_checked: bool,
}

/// Verifies a package: the manifest, the package's signature when there is one, then every
/// member's bytes in manifest order, members the manifest does not list, and last what the
/// members say (the events parse, belong to one closed case in sequence, their signatures verify,
/// the metadata agrees with them). With `trust`, every signer's certificate must chain to its
/// anchors: an event's signer at the event's `recorded_at`, the archiving unit at `packed_at`.
///
/// The first failure is the error, naming the member or the signature.
pub fn verify(bytes: &[u8], trust: Option<&TrustStore>) -> Result<Verification> {
    let not_a_package = |reason: String| Error::NotAPackage { reason };
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_a_package(format!("not a readable ZIP ({e})")))?;
    let mut names = BTreeSet::new();
    for index in 0..zip.len() {
        let name = zip.name_for_index(index).unwrap_or_default().to_owned();
        if !names.insert(name.clone()) {
            return Err(not_a_package(format!("member `{name}` appears twice")));
        }
    }
    if !names.contains(MANIFEST) {
        return Err(Error::MissingMember { member: MANIFEST.to_owned() });
    }
    let manifest_bytes = read_member(&mut zip, MANIFEST, MAX_MANIFEST_BYTES)?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| not_a_package(format!("`{MANIFEST}` does not parse ({e})")))?;
    if manifest.format != FORMAT {
        return Err(not_a_package(format!("format `{}`, this reader knows `{FORMAT}`", manifest.format)));
    }

    let package_signature = if names.contains(MANIFEST_SIGNATURE) {
        Some(check_package_signature(&read_member(&mut zip, MANIFEST_SIGNATURE, MAX_MANIFEST_BYTES)?, &manifest_bytes)?)
    } else {
        None
    };

    let mut listed = BTreeSet::new();
    let mut contents = std::collections::BTreeMap::new();
    for entry in &manifest.members {
        if entry.path == MANIFEST || entry.path == MANIFEST_SIGNATURE || !listed.insert(entry.path.clone()) {
            return Err(not_a_package(format!("the manifest lists `{}` where it may not", entry.path)));
        }
        if !names.contains(&entry.path) {
            return Err(Error::MissingMember { member: entry.path.clone() });
        }
        let member = read_member(&mut zip, &entry.path, entry.size)?;
        let hash = manifest.hash.hex(&member);
        if member.len() as u64 != entry.size || hash != entry.hash {
            return Err(Error::ChangedMember {
                member: entry.path.clone(),
                detail: format!(
                    "its {} is {hash} over {} bytes, the manifest says {} over {} bytes",
                    manifest.hash.name(),
                    member.len(),
                    entry.hash,
                    entry.size
                ),
            });
        }
        if [MIMETYPE, METADATA, EVENTS].contains(&entry.path.as_str()) {
            contents.insert(entry.path.clone(), member);
        }
    }
    if let Some(unlisted) = names.iter().find(|n| !listed.contains(*n) && *n != MANIFEST && *n != MANIFEST_SIGNATURE) {
        return Err(Error::UnlistedMember { member: unlisted.clone() });
    }
    for required in [MIMETYPE, METADATA, EVENTS] {
        if !contents.contains_key(required) {
            return Err(not_a_package(format!("the manifest does not list `{required}`")));
        }
    }
    if contents[MIMETYPE] != MEDIA_TYPE.as_bytes() {
        return Err(Error::Invalid { member: MIMETYPE.to_owned(), reason: format!("it does not say `{MEDIA_TYPE}`") });
    }

    let invalid = |member: &str, reason: String| Error::Invalid { member: member.to_owned(), reason };
    let metadata: Metadata = serde_json::from_slice(&contents[METADATA])
        .map_err(|e| invalid(METADATA, format!("it does not parse ({e})")))?;
    let text = std::str::from_utf8(&contents[EVENTS]).map_err(|e| invalid(EVENTS, format!("not UTF-8 ({e})")))?;
    let mut events = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let event = CaseEvent::from_json_line(line, index + 1).map_err(|e| invalid(EVENTS, e.to_string()))?;
        if let Some(signature) = &event.signature {
            check_signature(&event, signature).map_err(|reason| Error::BrokenSignature {
                what: format!("event `{}` ({EVENTS} line {})", event.idempotency_key, index + 1),
                reason,
            })?;
        }
        events.push(event);
    }
    crate::pack::check_case(&events).map_err(|e| invalid(EVENTS, e.to_string()))?;
    check_metadata(&metadata, &events, &listed)?;

    if let Some(trust) = trust {
        for (index, event) in events.iter().enumerate() {
            if event.signature.is_some() {
                zhengwu_identity::verify_event(event, trust).map_err(|e| Error::Untrusted {
                    what: format!("event `{}` ({EVENTS} line {})", event.idempotency_key, index + 1),
                    reason: e.to_string(),
                })?;
            }
        }
        if let Some((certificate, _)) = &package_signature {
            trust.verify(certificate, metadata.packed_at.with_timezone(&Utc), KeyPurpose::Signing).map_err(|e| {
                Error::Untrusted { what: format!("the package ({MANIFEST_SIGNATURE})"), reason: e.to_string() }
            })?;
        }
    }
    Ok(Verification {
        hash: manifest.hash,
        members: manifest.members.len(),
        events: events.len(),
        signed_events: events.iter().filter(|e| e.signature.is_some()).count(),
        package_signer: package_signature.map(|(_, subject)| subject),
        chains_checked: trust.is_some(),
        metadata,
    })
}

/// Reads a member, at most `expected + 1` bytes (a longer member is changed; a ZIP bomb is not
/// inflated). A member whose bytes cannot be read back is reported as changed.
fn read_member(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, expected: u64) -> Result<Vec<u8>> {
    let mut file = zip.by_name(name).map_err(|_| Error::MissingMember { member: name.to_owned() })?;
    let mut bytes = Vec::new();
    let read = (&mut file).take(expected.saturating_add(1)).read_to_end(&mut bytes);
    match read {
        Ok(_) => Ok(bytes),
        // Every byte came back but the ZIP's CRC-32 disagrees (a byte changed in the file
        // itself): the manifest's hash, checked next, says more than the checksum.
        Err(_) if bytes.len() as u64 == expected => Ok(bytes),
        Err(error) => Err(Error::ChangedMember {
            member: name.to_owned(),
            detail: format!("its bytes cannot be read back ({error})"),
        }),
    }
}

/// Checks the archiving unit's signature over the manifest's bytes; returns its certificate and
/// subject.
fn check_package_signature(signature: &[u8], manifest: &[u8]) -> Result<(Certificate, String)> {
    let what = format!("the package ({MANIFEST_SIGNATURE})");
    let broken = |reason: String| Error::BrokenSignature { what: what.clone(), reason };
    let signature: DetachedSignature =
        serde_json::from_slice(signature).map_err(|e| broken(format!("it does not parse ({e})")))?;
    let certificate =
        zhengwu_identity::verify_detached_signature(manifest, &signature, &what).map_err(|e| broken(e.to_string()))?;
    let subject = certificate.subject().to_owned();
    Ok((certificate, subject))
}

/// The metadata must describe the events and list exactly the certificates and documents the
/// package holds.
fn check_metadata(metadata: &Metadata, events: &[CaseEvent], listed: &BTreeSet<String>) -> Result<()> {
    let invalid = |reason: String| Error::Invalid { member: METADATA.to_owned(), reason };
    let first = &events[0];
    if metadata.format != FORMAT {
        return Err(invalid(format!("format `{}`, expected `{FORMAT}`", metadata.format)));
    }
    let pairs = [
        ("case_id", metadata.case_id.as_str(), first.case_id.as_str()),
        ("item_code", metadata.item_code.as_str(), first.item_code.as_str()),
        ("department", metadata.department.as_str(), first.department.as_str()),
        ("region", metadata.region.as_str(), first.region.as_str()),
    ];
    for (field, said, found) in pairs {
        if said != found {
            return Err(invalid(format!("{field} `{said}`, but the events say `{found}`")));
        }
    }
    if metadata.events != events.len() as u64 {
        return Err(invalid(format!("{} events, but {EVENTS} holds {}", metadata.events, events.len())));
    }
    if metadata.retention_term != metadata.retention.chinese() {
        return Err(invalid(format!(
            "retention term `{}` is not `{}`",
            metadata.retention_term,
            metadata.retention.chinese()
        )));
    }
    let mut described: BTreeSet<String> = metadata.certificates.iter().cloned().collect();
    described.extend(metadata.documents.iter().map(|d| d.path.clone()));
    let held: BTreeSet<String> = listed
        .iter()
        .filter(|p| p.starts_with(CERTIFICATES) || p.starts_with(crate::layout::DOCUMENTS))
        .cloned()
        .collect();
    if let Some(path) = described.symmetric_difference(&held).next() {
        return Err(invalid(format!("`{path}` is described but not held, or held but not described")));
    }
    Ok(())
}
