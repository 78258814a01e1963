//! The idempotency keys seen, per case, with the fingerprints of their events.

use rustc_hash::FxHashMap;
use zhengwu_core::CaseEvent;

/// The content of an event as a number: equal events give equal numbers (FxHash over every
/// member, `CaseEvent`'s `Hash`).
pub(super) fn fingerprint(event: &CaseEvent) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    event.hash(&mut hasher);
    hasher.finish()
}

/// The idempotency keys of one case with their events' fingerprints: up to four kept inline (no
/// allocation for most cases), then a map.
#[derive(Debug, Clone)]
pub(super) enum CaseKeys {
    Few(usize, [(compact_str::CompactString, u64); 4]),
    Many(FxHashMap<compact_str::CompactString, u64>),
}

impl Default for CaseKeys {
    fn default() -> Self {
        CaseKeys::Few(0, Default::default())
    }
}

impl CaseKeys {
    /// The fingerprint of the event stored under `key`.
    pub(super) fn get(&self, key: &compact_str::CompactString) -> Option<u64> {
        match self {
            CaseKeys::Few(len, keys) => keys[..*len].iter().find(|(k, _)| k == key).map(|(_, f)| *f),
            CaseKeys::Many(keys) => keys.get(key).copied(),
        }
    }

    pub(super) fn insert(&mut self, key: compact_str::CompactString, fingerprint: u64) {
        match self {
            CaseKeys::Few(len, keys) if *len < keys.len() => {
                keys[*len] = (key, fingerprint);
                *len += 1;
            }
            CaseKeys::Few(_, keys) => {
                let mut map: FxHashMap<_, _> = keys.iter_mut().map(std::mem::take).collect();
                map.insert(key, fingerprint);
                *self = CaseKeys::Many(map);
            }
            CaseKeys::Many(keys) => {
                keys.insert(key, fingerprint);
            }
        }
    }
}
