//! The package's layout: its members, the manifest and the metadata, as written and as read.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::error::{Error, Result};

/// The format's name, in `metadata.json` and `manifest.json`.
pub const FORMAT: &str = "zhengwu-archive/1";
/// The package's media type: the first member, `mimetype`, holds it uncompressed (as OFD, ODF and
/// EPUB packages do), so that a file-type probe can tell a package from any ZIP.
pub const MEDIA_TYPE: &str = "application/vnd.zhengwu.archive+zip";

/// The `mimetype` member.
pub const MIMETYPE: &str = "mimetype";
/// The `metadata.json` member: the case's archival description.
pub const METADATA: &str = "metadata.json";
/// The `events.jsonl` member: the case's events, one JSON object per line, in sequence.
pub const EVENTS: &str = "events.jsonl";
/// The folder of the signers' certificates, `certificates/{SHA-256 of the DER}.der`.
pub const CERTIFICATES: &str = "certificates/";
/// The folder of the case's documents, `documents/{name}`, bytes as handed in.
pub const DOCUMENTS: &str = "documents/";
/// The `manifest.json` member: every other member's path, size and hash.
pub const MANIFEST: &str = "manifest.json";
/// The `manifest.sig.json` member: the archiving unit's detached signature over the bytes of
/// `manifest.json`, when the package is signed.
pub const MANIFEST_SIGNATURE: &str = "manifest.sig.json";

/// 保管期限: how long the archive keeps the case (国家档案局令第8号, 2006: 永久, 定期30年, 定期10年).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retention {
    /// 永久.
    Permanent,
    /// 定期30年.
    #[serde(rename = "30_years")]
    ThirtyYears,
    /// 定期10年.
    #[serde(rename = "10_years")]
    TenYears,
}

impl Retention {
    /// Reads `permanent` / `30y` / `10y`, the serialized names (`30_years`) or the Chinese terms
    /// (`永久`, `定期30年`, `30年`, ...).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "permanent" | "永久" => Ok(Retention::Permanent),
            "30y" | "30_years" | "30年" | "定期30年" => Ok(Retention::ThirtyYears),
            "10y" | "10_years" | "10年" | "定期10年" => Ok(Retention::TenYears),
            other => Err(Error::Case {
                reason: format!(
                    "unknown retention period `{other}`: one of permanent (永久), 30y (定期30年), 10y (定期10年)"
                ),
            }),
        }
    }

    /// The term on the archive's catalogue: `永久`, `定期30年`, `定期10年`.
    pub fn chinese(self) -> &'static str {
        match self {
            Retention::Permanent => "永久",
            Retention::ThirtyYears => "定期30年",
            Retention::TenYears => "定期10年",
        }
    }
}

/// The manifest's hash: SM3 (GB/T 32905, where the 商用密码 rules apply: the default) or SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum HashAlgorithm {
    /// SM3, 256 bits.
    #[default]
    #[serde(rename = "SM3")]
    Sm3,
    /// SHA-256.
    #[serde(rename = "SHA-256")]
    Sha256,
}

impl HashAlgorithm {
    /// Reads `sm3` or `sha256` (any case; `SHA-256` too).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sm3" => Ok(HashAlgorithm::Sm3),
            "sha256" | "sha-256" => Ok(HashAlgorithm::Sha256),
            other => Err(Error::Case { reason: format!("unknown hash `{other}`: sm3 or sha256") }),
        }
    }

    /// The name in the manifest: `SM3` or `SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sm3 => "SM3",
            HashAlgorithm::Sha256 => "SHA-256",
        }
    }

    /// The lowercase hex hash of `bytes`.
    pub fn hex(self, bytes: &[u8]) -> String {
        match self {
            HashAlgorithm::Sm3 => hex::encode(sm3::Sm3::digest(bytes)),
            HashAlgorithm::Sha256 => hex::encode(sha2::Sha256::digest(bytes)),
        }
    }
}

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    /// The member's path in the package.
    pub path: String,
    /// Its length in bytes.
    pub size: u64,
    /// Its hash, lowercase hex, by the manifest's algorithm.
    pub hash: String,
}

/// `manifest.json`: every member but the manifest and its signature, in package order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The hash of every entry.
    pub hash: HashAlgorithm,
    /// The members.
    pub members: Vec<ManifestEntry>,
}

/// A document's line in the metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    /// Its path in the package (`documents/{name}`).
    pub path: String,
    /// Its media type, from the name's extension.
    pub media_type: String,
    /// Its length in bytes.
    pub size: u64,
}

/// `metadata.json`: the case's archival description (the 归档 catalogue line, GB/T 18894's
/// 元数据 for a case file): what, whose, when, how long kept, and what the package holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// [`FORMAT`].
    pub format: String,
    /// The case (办件编号).
    pub case_id: String,
    /// The catalogue item (事项编码).
    pub item_code: String,
    /// The item's name, when the packer knew it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_name: Option<String>,
    /// The department that handled the case.
    pub department: String,
    /// The region code of the case.
    pub region: String,
    /// 保管期限.
    pub retention: Retention,
    /// The same, as written on the catalogue (`永久`, `定期30年`, `定期10年`).
    pub retention_term: String,
    /// The first event's business time (收件).
    pub opened_at: DateTime<FixedOffset>,
    /// The concluding event's business time (办结, 不予受理, 撤回).
    pub closed_at: DateTime<FixedOffset>,
    /// How the case ended: the concluding event's type (`concluded`, `withdrawn`, ...).
    pub outcome: String,
    /// The decision, for a concluded case (`approved`, `denied`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The decision's document number (文号), when the case concluded with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// How many events `events.jsonl` holds.
    pub events: u64,
    /// How many of them carry a signature.
    pub signed_events: u64,
    /// The certificates' paths.
    pub certificates: Vec<String>,
    /// The documents.
    pub documents: Vec<DocumentEntry>,
    /// When the package was made.
    pub packed_at: DateTime<FixedOffset>,
    /// The archiving unit, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packed_by: Option<String>,
}

/// The media type of a document, from its name's extension.
pub(crate) fn media_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "ofd" => "application/ofd",
        "json" => "application/json",
        "jsonl" => "application/jsonl",
        "xml" => "application/xml",
        "txt" => "text/plain",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "tif" | "tiff" => "image/tiff",
        "der" | "cer" => "application/pkix-cert",
        _ => "application/octet-stream",
    }
}
