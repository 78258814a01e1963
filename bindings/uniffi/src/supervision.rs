//! 电子监察: a supervisor over a catalogue, fed events.

use std::sync::{Arc, Mutex};

use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
use zhengwu_supervision::{Dimension, Period, SupervisionConfig};

use crate::error::{ZhengwuError, supervision_error};
use crate::time::Instant;

/// Counts of an ingest.
#[derive(Debug, uniffi::Record)]
pub struct IngestCounts {
    pub applied: i64,
    pub duplicates: i64,
    pub rejected: i64,
}

/// The headline statistics.
#[derive(Debug, uniffi::Record)]
pub struct Totals {
    pub received: i64,
    pub concluded: i64,
    pub early: i64,
    pub overdue: i64,
    pub warnings: i64,
    pub yellow_cards: i64,
    pub red_cards: i64,
    pub conclusion_rate: Option<f64>,
    pub early_rate: Option<f64>,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// 电子监察: a supervisor over a catalogue, fed JSON-lines events.
#[derive(Debug, uniffi::Object)]
pub struct Supervision {
    inner: Mutex<zhengwu_supervision::Supervisor>,
}

#[uniffi::export]
impl Supervision {
    /// A supervisor over a catalogue given as TOML text, with the default rules.
    #[uniffi::constructor]
    pub fn new(catalogue_toml: String) -> Result<Arc<Self>, ZhengwuError> {
        let file = CatalogueFile::from_toml(&catalogue_toml).map_err(supervision_error)?;
        let departments = file.departments();
        let catalogue = Catalogue::new(file, &departments).map_err(supervision_error)?;
        let supervisor =
            zhengwu_supervision::Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
        Ok(Arc::new(Supervision { inner: Mutex::new(supervisor) }))
    }

    /// Ingests JSON-lines events (the wire format).
    pub fn ingest_json_lines(&self, text: String) -> Result<IngestCounts, ZhengwuError> {
        let mut supervisor = self.inner.lock().map_err(|_| supervision_error("the supervisor's lock is poisoned"))?;
        let summary = supervisor.ingest_json_lines(&text);
        Ok(IngestCounts {
            applied: count(summary.applied),
            duplicates: count(summary.duplicates),
            rejected: count(summary.rejected),
        })
    }

    /// Evaluates every rule as of `as_of`; the number of alerts raised.
    pub fn evaluate(&self, as_of: Instant) -> Result<i64, ZhengwuError> {
        let mut supervisor = self.inner.lock().map_err(|_| supervision_error("the supervisor's lock is poisoned"))?;
        Ok(count(supervisor.evaluate(as_of).raised.len() as u64))
    }

    /// The totals as of `as_of`.
    pub fn totals(&self, as_of: Instant) -> Result<Totals, ZhengwuError> {
        let supervisor = self.inner.lock().map_err(|_| supervision_error("the supervisor's lock is poisoned"))?;
        let statistics = supervisor.statistics(as_of, Dimension::Total, Period::All, None);
        let counters = statistics.rows.values().copied().next().unwrap_or_default();
        let rates = counters.rates();
        Ok(Totals {
            received: count(counters.received),
            concluded: count(counters.concluded),
            early: count(counters.early),
            overdue: count(counters.overdue),
            warnings: count(counters.warnings),
            yellow_cards: count(counters.yellow_cards),
            red_cards: count(counters.red_cards),
            conclusion_rate: rates.conclusion_rate,
            early_rate: rates.early_rate,
        })
    }
}
