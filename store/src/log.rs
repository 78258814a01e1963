//! The log's vocabulary, whichever database holds it: a stored event, the chain hash and its
//! digest of a row, the result of an append, a verification and the checks that make it, and a
//! checkpoint. `sqlite.rs` and `postgres.rs` both build on it.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use zhengwu_core::CaseEvent;

use crate::error::{Error, Result};

/// An event as stored: its position in the log and its chain hash.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// 1-based position in the log.
    pub position: i64,
    /// The event.
    pub event: CaseEvent,
    /// The chain hash (SHA-256 or SM3) of the previous hash, this event's canonical JSON and its
    /// append time, hex.
    pub hash: String,
    /// When the store appended it, by the store's own clock (covered by the chain): the time to
    /// check a signer's certificate at ([`zhengwu_core`] events carry only the times their
    /// sender claims). `None` for events appended before stores kept it (store version 1).
    pub appended_at: Option<DateTime<Utc>>,
}

/// What an append did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    /// Events written.
    pub written: usize,
    /// Events already in the log under the same key (a retried append): not written again.
    pub duplicates: usize,
}

/// The result of [`crate::EventStore::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Events checked.
    pub events: u64,
    /// Cases seen.
    pub cases: u64,
    /// The first break: its position and what is wrong. `None`: the log is intact.
    pub first_break: Option<(i64, String)>,
}

pub(crate) const GENESIS: [u8; 32] = [0; 32];

/// The hash of the chain: SHA-256, or the national SM3 (GB/T 32905) where the deployment's
/// cryptography rules ask for it. Chosen when a log is created and kept with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChainHash {
    /// SHA-256.
    Sha256,
    /// SM3.
    Sm3,
}

impl ChainHash {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ChainHash::Sha256 => "sha256",
            ChainHash::Sm3 => "sm3",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(ChainHash::Sha256),
            "sm3" => Some(ChainHash::Sm3),
            _ => None,
        }
    }

    /// The hash of a log: the one `stored` with it, which must be the one `requested` if any;
    /// for a new log (`stored` is `None`) the requested one or SHA-256, with `true`: record it.
    pub(crate) fn resolve(stored: Option<&str>, requested: Option<ChainHash>) -> Result<(ChainHash, bool)> {
        match (stored.map(|name| (name, ChainHash::parse(name))), requested) {
            (Some((_, Some(stored))), Some(requested)) if stored != requested => {
                Err(Error::HashMismatch { stored: stored.name(), requested: requested.name() })
            }
            (Some((_, Some(stored))), _) => Ok((stored, false)),
            (Some((name, None)), _) => {
                Err(Error::Corrupt { position: 0, message: format!("unknown chain hash `{name}`") })
            }
            (None, requested) => Ok((requested.unwrap_or(ChainHash::Sha256), true)),
        }
    }

    /// The digest of `parts`, concatenated.
    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        match self {
            ChainHash::Sha256 => {
                let mut hasher = Sha256::new();
                for part in parts {
                    hasher.update(part);
                }
                hasher.finalize().to_vec()
            }
            ChainHash::Sm3 => {
                let mut hasher = sm3::Sm3::new();
                for part in parts {
                    hasher.update(part);
                }
                hasher.finalize().to_vec()
            }
        }
    }
}

/// The chain digest of one row: the previous row's hash, the event's canonical JSON and, for rows
/// that carry it, the store's append time in microseconds since 1970 (after a newline, which
/// compact JSON never holds). Rows of version-1 stores carry no append time.
pub(crate) fn row_digest(hash: ChainHash, previous: &[u8], body: &str, appended_at_us: Option<i64>) -> Vec<u8> {
    match appended_at_us {
        None => hash.digest(&[previous, body.as_bytes()]),
        Some(micros) => hash.digest(&[previous, body.as_bytes(), b"\n", micros.to_string().as_bytes()]),
    }
}

/// The store's clock: microseconds since 1970. The one place a library crate reads the clock
/// itself: an append time the caller supplied would let the caller backdate an event, which is
/// what the append time is kept to rule out.
#[allow(clippy::disallowed_methods)]
pub(crate) fn now_micros() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_micros()).unwrap_or(i64::MAX)
}

pub(crate) fn appended_at(micros: Option<i64>) -> Option<DateTime<Utc>> {
    micros.and_then(DateTime::from_timestamp_micros)
}

/// 检查点: what a log held at one moment, kept outside the database so that a later
/// verification detects events removed from its end or a log rewritten with its chain recomputed
/// (the idea of Certificate Transparency's signed tree heads, RFC 9162, for a hash chain).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The checkpoint format ([`CHECKPOINT_VERSION`]).
    pub version: u32,
    /// The chain hash (`sha256` or `sm3`).
    pub chain_hash: String,
    /// How many events the log held.
    pub events: u64,
    /// The position of the last of them (0 for an empty log).
    pub last_position: i64,
    /// The chain hash of that event, hex (the genesis value for an empty log).
    pub head: String,
}

/// The version of the checkpoint format stores write.
pub const CHECKPOINT_VERSION: u32 = 1;

impl Checkpoint {
    /// Reads a checkpoint's JSON; a checkpoint of another version is refused by name.
    pub fn from_json(text: &str) -> Result<Self, zhengwu_core::Error> {
        let checkpoint: Checkpoint = serde_json::from_str(text)
            .map_err(|e| zhengwu_core::Error::Parse { what: "store checkpoint", message: e.to_string() })?;
        checkpoint.check_version()?;
        Ok(checkpoint)
    }

    /// Refuses a checkpoint of a version this crate does not read.
    pub fn check_version(&self) -> Result<(), zhengwu_core::Error> {
        zhengwu_core::check_format_version("store checkpoint", Some(self.version.into()), CHECKPOINT_VERSION, true)
    }

    /// The bytes a signature over the checkpoint covers: its JSON, members in a fixed order.
    pub fn signed_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A stored column holding the event's business time: text (SQLite) or microseconds (PostgreSQL).
pub(crate) enum Occurred<'a> {
    Text(&'a str),
    #[cfg(feature = "postgres")]
    Micros(i64),
}

/// One stored row, as both backends read it for verification.
pub(crate) struct StoredRow<'a> {
    pub(crate) position: i64,
    pub(crate) case_id: &'a str,
    pub(crate) sequence: i64,
    pub(crate) idempotency_key: &'a str,
    pub(crate) department: &'a str,
    pub(crate) occurred_at: Occurred<'a>,
    pub(crate) body: &'a str,
    pub(crate) hash: &'a [u8],
    pub(crate) appended_at_us: Option<i64>,
}

/// The chain and sequence check both backends run over their rows in log order.
pub(crate) struct ChainCheck<'c> {
    hash: ChainHash,
    previous: Vec<u8>,
    last: std::collections::HashMap<String, u64>,
    verification: Verification,
    checkpoint: Option<&'c Checkpoint>,
    /// Whether the row the checkpoint names was seen, with its hash.
    checkpoint_seen: bool,
    /// The first row seen with an append time: every row after it must have one too.
    first_timed: Option<i64>,
}

impl<'c> ChainCheck<'c> {
    pub(crate) fn new(hash: ChainHash, checkpoint: Option<&'c Checkpoint>) -> Self {
        ChainCheck {
            hash,
            previous: GENESIS.to_vec(),
            last: std::collections::HashMap::new(),
            verification: Verification { events: 0, cases: 0, first_break: None },
            checkpoint,
            checkpoint_seen: false,
            first_timed: None,
        }
    }

    fn broken(&mut self, position: i64, reason: String) -> bool {
        self.verification.first_break = Some((position, reason));
        false
    }

    /// Checks one row; `false` once the first break is found (stop reading). The hash covers the
    /// event's JSON and the append time; every other column (case, sequence, key, department, business time) must
    /// say what the hashed event says, so that none can be edited unseen.
    pub(crate) fn row(&mut self, row: StoredRow<'_>) -> bool {
        let position = row.position;
        self.verification.events += 1;
        match (row.appended_at_us, self.first_timed) {
            (Some(_), None) => self.first_timed = Some(position),
            (None, Some(first)) => {
                return self.broken(
                    position,
                    format!("the row has no append time, which every row from position {first} on carries"),
                );
            }
            _ => {}
        }
        let expected = row_digest(self.hash, &self.previous, row.body, row.appended_at_us);
        if expected != row.hash {
            return self.broken(position, "the hash does not match the event and the one before it".to_owned());
        }
        let event = match CaseEvent::from_json(row.body) {
            Ok(event) => event,
            Err(error) => return self.broken(position, format!("unreadable event: {error}")),
        };
        let occurred_matches = match row.occurred_at {
            Occurred::Text(text) => text == event.occurred_at.to_rfc3339(),
            #[cfg(feature = "postgres")]
            Occurred::Micros(micros) => micros == event.occurred_at.timestamp_micros(),
        };
        let columns = [
            ("case_id", row.case_id == event.case_id.as_str(), row.case_id.to_owned(), event.case_id.to_string()),
            ("sequence", row.sequence == event.sequence as i64, row.sequence.to_string(), event.sequence.to_string()),
            (
                "idempotency_key",
                row.idempotency_key == event.idempotency_key.as_str(),
                row.idempotency_key.to_owned(),
                event.idempotency_key.to_string(),
            ),
            (
                "department",
                row.department == event.department.as_str(),
                row.department.to_owned(),
                event.department.to_string(),
            ),
        ];
        for (column, matches, stored, hashed) in columns {
            if !matches {
                return self
                    .broken(position, format!("column `{column}` says `{stored}`, the hashed event `{hashed}`"));
            }
        }
        if !occurred_matches {
            return self.broken(
                position,
                format!("column `occurred_at` differs from the hashed event's `{}`", event.occurred_at.to_rfc3339()),
            );
        }
        let case = row.case_id;
        let before = self.last.get(case).copied().unwrap_or(0);
        if row.sequence as u64 != before + 1 {
            return self.broken(position, format!("case `{case}` sequence {} follows {before}", row.sequence));
        }
        if let Some(checkpoint) = self.checkpoint
            && position == checkpoint.last_position
        {
            if hex::encode(row.hash) != checkpoint.head {
                return self.broken(
                    position,
                    "the event's hash is not the one the checkpoint recorded: the log was rewritten".to_owned(),
                );
            }
            self.checkpoint_seen = true;
        }
        self.last.insert(case.to_owned(), row.sequence as u64);
        self.previous = row.hash.to_vec();
        true
    }

    pub(crate) fn finish(mut self) -> Verification {
        self.verification.cases = self.last.len() as u64;
        if let Some(checkpoint) = self.checkpoint
            && self.verification.first_break.is_none()
        {
            if checkpoint.chain_hash != self.hash.name() {
                self.verification.first_break = Some((
                    0,
                    format!(
                        "the checkpoint is of a {} chain, the log's is {}",
                        checkpoint.chain_hash,
                        self.hash.name()
                    ),
                ));
            } else if self.verification.events < checkpoint.events
                || (checkpoint.last_position > 0 && !self.checkpoint_seen)
            {
                self.verification.first_break = Some((
                    checkpoint.last_position,
                    format!(
                        "the log holds {} events; the checkpoint recorded {}, the last at position {}: events were \
                         removed",
                        self.verification.events, checkpoint.events, checkpoint.last_position
                    ),
                ));
            }
        }
        self.verification
    }
}
