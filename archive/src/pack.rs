//! Packing a concluded case.

use std::collections::BTreeMap;
use std::io::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, FixedOffset};
use zhengwu_core::{CaseEvent, EventKind};
use zhengwu_identity::SigningKey;

use crate::error::{Error, Result};
use crate::layout::{
    CERTIFICATES, DOCUMENTS, DocumentEntry, EVENTS, FORMAT, HashAlgorithm, MANIFEST, MANIFEST_SIGNATURE, MEDIA_TYPE,
    METADATA, MIMETYPE, Manifest, ManifestEntry, Metadata, Retention, media_type,
};

/// A member's path and bytes.
type Member = (String, Vec<u8>);

/// The longest document name taken, in bytes.
const MAX_NAME_BYTES: usize = 200;

/// A concluded case, about to become an archival package.
///
/// See the crate's documentation for an example.
#[derive(Debug)]
pub struct Package<'a> {
    events: &'a [CaseEvent],
    retention: Retention,
    packed_at: DateTime<FixedOffset>,
    hash: HashAlgorithm,
    item_name: Option<String>,
    packed_by: Option<String>,
    documents: BTreeMap<String, Vec<u8>>,
    signer: Option<&'a SigningKey>,
}

impl<'a> Package<'a> {
    /// Takes a case's events (all of them, in sequence from 1) and checks that they can be
    /// archived: one case, no gap, signatures that verify, and a concluding event (办结, 不予受理,
    /// 撤回, or 交办异议 for a 信访 matter): only a closed case is archived.
    pub fn new(events: &'a [CaseEvent], retention: Retention, packed_at: DateTime<FixedOffset>) -> Result<Self> {
        check_case(events)?;
        Ok(Package {
            events,
            retention,
            packed_at,
            hash: HashAlgorithm::default(),
            item_name: None,
            packed_by: None,
            documents: BTreeMap::new(),
            signer: None,
        })
    }

    /// The manifest's hash (SM3 unless told).
    pub fn hash(mut self, hash: HashAlgorithm) -> Self {
        self.hash = hash;
        self
    }

    /// The item's name, for the metadata.
    pub fn item_name(mut self, name: impl Into<String>) -> Self {
        self.item_name = Some(name.into());
        self
    }

    /// The archiving unit, for the metadata.
    pub fn packed_by(mut self, unit: impl Into<String>) -> Self {
        self.packed_by = Some(unit.into());
        self
    }

    /// Adds a document the case references (the decision, a licence, a material), stored as
    /// `documents/{name}` with its bytes untouched. Names are plain file names: no folders, no
    /// control characters, at most 200 bytes, each once.
    pub fn document(mut self, name: &str, bytes: Vec<u8>) -> Result<Self> {
        let refuse = |reason: &str| Error::Document { name: name.to_owned(), reason: reason.to_owned() };
        if name.is_empty() || name == "." || name == ".." {
            return Err(refuse("a document needs a file name"));
        }
        if name.len() > MAX_NAME_BYTES {
            return Err(refuse("the name is longer than 200 bytes"));
        }
        if name.chars().any(|c| c == '/' || c == '\\' || c.is_control()) {
            return Err(refuse("the name may not hold `/`, `\\` or control characters"));
        }
        if self.documents.insert(name.to_owned(), bytes).is_some() {
            return Err(refuse("a document of that name is already in the package"));
        }
        Ok(self)
    }

    /// Signs the package as the archiving unit: a detached signature over `manifest.json`.
    pub fn sign_with(mut self, key: &'a SigningKey) -> Self {
        self.signer = Some(key);
        self
    }

    /// Writes the package: a ZIP whose members are stored uncompressed (an archive keeps bytes
    /// as they were; any tool can list and extract them), in a fixed order with fixed times, so
    /// that the same case packed twice gives the same bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut members: Vec<Member> = vec![(MIMETYPE.to_owned(), MEDIA_TYPE.as_bytes().to_vec())];
        let (metadata, certificates) = self.metadata()?;
        let metadata = serde_json::to_vec_pretty(&metadata).map_err(|e| Error::Write(e.to_string()))?;
        members.push((METADATA.to_owned(), metadata));
        let mut events = Vec::new();
        for event in self.events {
            events.extend_from_slice(event.to_json().as_bytes());
            events.push(b'\n');
        }
        members.push((EVENTS.to_owned(), events));
        members.extend(certificates);
        for (name, bytes) in &self.documents {
            members.push((format!("{DOCUMENTS}{name}"), bytes.clone()));
        }
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            hash: self.hash,
            members: members
                .iter()
                .map(|(path, bytes)| ManifestEntry {
                    path: path.clone(),
                    size: bytes.len() as u64,
                    hash: self.hash.hex(bytes),
                })
                .collect(),
        };
        let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Write(e.to_string()))?;
        if let Some(key) = self.signer {
            let signature = key.sign_detached(&manifest);
            let signature = serde_json::to_vec_pretty(&signature).map_err(|e| Error::Write(e.to_string()))?;
            members.push((MANIFEST.to_owned(), manifest));
            members.push((MANIFEST_SIGNATURE.to_owned(), signature));
        } else {
            members.push((MANIFEST.to_owned(), manifest));
        }
        write_zip(&members)
    }

    fn metadata(&self) -> Result<(Metadata, Vec<Member>)> {
        let first = &self.events[0];
        let closing = self.events.iter().rev().find(|e| closes(&e.kind)).expect("check_case found a concluding event");
        let (decision, document_number) = match &closing.kind {
            EventKind::Concluded { decision, document_number, .. } => (
                Some(serde_json::to_value(decision).ok().and_then(|v| v.as_str().map(str::to_owned))),
                document_number.clone(),
            ),
            _ => (None, None),
        };
        let mut certificates = BTreeMap::new();
        for event in self.events {
            if let Some(signature) = &event.signature {
                let der = BASE64.decode(signature.certificate.trim()).map_err(|e| Error::Case {
                    reason: format!(
                        "event `{}`: its signature's certificate is not base64 ({e})",
                        event.idempotency_key
                    ),
                })?;
                certificates.insert(format!("{CERTIFICATES}{}.der", HashAlgorithm::Sha256.hex(&der)), der);
            }
        }
        let metadata = Metadata {
            format: FORMAT.to_owned(),
            case_id: first.case_id.as_str().to_owned(),
            item_code: first.item_code.as_str().to_owned(),
            item_name: self.item_name.clone(),
            department: first.department.as_str().to_owned(),
            region: first.region.as_str().to_owned(),
            retention: self.retention,
            retention_term: self.retention.chinese().to_owned(),
            opened_at: first.occurred_at,
            closed_at: closing.occurred_at,
            outcome: closing.kind.type_name().to_owned(),
            decision: decision.flatten(),
            document_number,
            events: self.events.len() as u64,
            signed_events: self.events.iter().filter(|e| e.signature.is_some()).count() as u64,
            certificates: certificates.keys().cloned().collect(),
            documents: self
                .documents
                .iter()
                .map(|(name, bytes)| DocumentEntry {
                    path: format!("{DOCUMENTS}{name}"),
                    media_type: media_type(name).to_owned(),
                    size: bytes.len() as u64,
                })
                .collect(),
            packed_at: self.packed_at,
            packed_by: self.packed_by.clone(),
        };
        Ok((metadata, certificates.into_iter().collect()))
    }
}

/// Whether an event closes its case.
pub(crate) fn closes(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Concluded { .. }
            | EventKind::RefusedAtIntake { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::AssignmentObjected { .. }
    )
}

/// The checks a case's events pass before packing, and again when a package is verified.
pub(crate) fn check_case(events: &[CaseEvent]) -> Result<()> {
    let refuse = |reason: String| Error::Case { reason };
    let Some(first) = events.first() else {
        return Err(refuse("no events: there is nothing to archive".into()));
    };
    for (index, event) in events.iter().enumerate() {
        event.validate().map_err(|e| refuse(format!("event `{}`: {e}", event.idempotency_key)))?;
        if event.case_id != first.case_id {
            return Err(refuse(format!(
                "event `{}` belongs to case `{}`, not `{}`",
                event.idempotency_key, event.case_id, first.case_id
            )));
        }
        let expected = index as u64 + 1;
        if event.sequence != expected {
            return Err(refuse(format!(
                "case `{}`: event {} has sequence {}, expected {expected} (events must be whole and in order)",
                first.case_id,
                index + 1,
                event.sequence
            )));
        }
        if let Some(signature) = &event.signature {
            check_signature(event, signature).map_err(|reason| {
                refuse(format!("event `{}`: its signature does not verify ({reason})", event.idempotency_key))
            })?;
        }
    }
    if !events.iter().any(|e| closes(&e.kind)) {
        return Err(refuse(format!(
            "case `{}` is not concluded: only a closed case (concluded, refused at intake, withdrawn) is archived",
            first.case_id
        )));
    }
    Ok(())
}

/// Verifies an event's signature against the certificate it carries (the chain is the
/// verifier's: [`crate::verify`] with a trust store).
pub(crate) fn check_signature(event: &CaseEvent, signature: &zhengwu_core::DetachedSignature) -> Result<(), String> {
    let what = format!("event `{}`", event.idempotency_key);
    zhengwu_identity::verify_detached_signature(&event.canonical_bytes(), signature, &what)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn write_zip(members: &[Member]) -> Result<Vec<u8>> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .large_file(members.iter().any(|(_, bytes)| bytes.len() as u64 >= u32::MAX as u64));
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, bytes) in members {
        writer.start_file(path.as_str(), options).map_err(|e| Error::Write(e.to_string()))?;
        writer.write_all(bytes).map_err(|e| Error::Write(e.to_string()))?;
    }
    Ok(writer.finish().map_err(|e| Error::Write(e.to_string()))?.into_inner())
}
