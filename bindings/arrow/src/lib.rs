//! Case events from Arrow record batches: a pyarrow `Table` or `RecordBatchReader`, a pandas
//! DataFrame converted by pyarrow, a polars DataFrame — anything that exports the Arrow C stream
//! interface (`__arrow_c_stream__`) — and from Parquet files ([`ingest_parquet`]), whoever wrote
//! them (pyarrow, pandas, polars, Spark), read a batch at a time.
//!
//! A table holds one event per row, its columns named as the event's JSON members (the union of
//! every event kind's members; a row leaves the columns of other kinds empty). Columns are read
//! in place, without going through JSON:
//! - text members accept string columns (`string`, `large_string`, `string_view`, dictionary-
//!   encoded strings as pandas categoricals give), and integer columns where pandas read a code
//!   as a number (a region `530102`);
//! - numbers accept integer columns, and float columns holding whole numbers (pandas turns an
//!   integer column with gaps into floats);
//! - times accept RFC 3339 strings or timestamps with a time zone (a fixed offset or an IANA
//!   name); a timestamp column without a zone (pyarrow's JSON reader makes one of RFC 3339
//!   text, dropping the offset) is refused unless [`NaiveTimestamps`] says how to read it, as
//!   UTC instants or wall-clock times of a zone;
//! - the actor is a struct column `actor` (`id`, `name`, `role`) or flat columns `actor.id` /
//!   `actor_id` (as `pandas.json_normalize` writes them);
//! - composite members (lists, `data`, `measures`, `signature`) accept Arrow lists, structs and
//!   maps, or strings of the canonical `arrow.json` extension type.
//!
//! A column of the wrong type is an error naming the column, before any row is read; a row that
//! cannot be an event (an unknown `type`, a malformed time, a member its kind needs left empty)
//! is rejected with its row number and the reason, and the other rows go on — as a malformed
//! line of a JSON-lines file is.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{RecordBatch, RecordBatchIterator, StringArray, Int64Array, StructArray, ArrayRef};
//! use arrow_schema::{DataType, Field};
//! use zhengwu_arrow::EventBatch;
//!
//! let text = |v: &str| Arc::new(StringArray::from(vec![v])) as ArrayRef;
//! let actor = StructArray::from(vec![(Arc::new(Field::new("id", DataType::Utf8, false)), text("w01"))]);
//! let batch = RecordBatch::try_from_iter([
//!     ("schema", Arc::new(Int64Array::from(vec![1])) as ArrayRef),
//!     ("idempotency_key", text("C1#1")),
//!     ("case_id", text("C1")),
//!     ("sequence", Arc::new(Int64Array::from(vec![1]))),
//!     ("item_code", text("SCJG-001")),
//!     ("department", text("scjg")),
//!     ("region", Arc::new(Int64Array::from(vec![530102]))), // a code pandas read as a number
//!     ("occurred_at", text("2025-03-03T09:12:00+08:00")),
//!     ("recorded_at", text("2025-03-03T09:12:04+08:00")),
//!     ("actor", Arc::new(actor)),
//!     ("type", text("received")),
//!     ("channel", text("window")),
//! ])?;
//! let events = EventBatch::new(&batch)?;
//! let event = events.event(0).expect("row 1 is an event");
//! assert_eq!(event.region.as_str(), "530102");
//! assert_eq!(event.kind.type_name(), "received");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod column;
mod error;
mod parquet;

use std::sync::mpsc;

use arrow_array::RecordBatchReader;
use chrono::{DateTime, FixedOffset};
use zhengwu_core::CaseEvent;
use zhengwu_supervision::{IngestSummary, Supervisor};

pub use batch::{EventBatch, check_schema};
pub use column::NaiveTimestamps;
pub use error::ShapeError;
pub use parquet::{ParquetEvents, is_parquet};

/// Rows converted per slice: the converting thread stays a slice ahead of the supervisor.
const SLICE_ROWS: usize = 1_024;

/// What [`ingest`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestReport {
    /// Applied, duplicate and rejected events.
    pub summary: IngestSummary,
    /// Rows read.
    pub rows: usize,
}

/// Reads every batch of `reader` into `supervisor`: one thread converts rows to events while the
/// calling thread ingests them. Row numbers in rejections count from 1 across the whole stream,
/// after the `offset` rows of earlier calls. Zone-less timestamp columns are read as `naive`
/// says.
///
/// The schema is checked before any row is read: a [`ShapeError`] leaves the supervisor as it
/// was. A stream that fails part-way keeps the rows ingested before the failure.
pub fn ingest(
    supervisor: &mut Supervisor,
    reader: impl RecordBatchReader + Send,
    offset: usize,
    naive: NaiveTimestamps,
) -> Result<IngestReport, ShapeError> {
    let before = supervisor.ingest_summary();
    let mut rows = 0;
    let schema = reader.schema();
    // The shape is checked once, before any row is read, so a wrong table changes nothing.
    check_schema(&schema, naive)?;
    type Slice = Vec<(usize, Result<CaseEvent, String>)>;
    let (sender, receiver) = mpsc::sync_channel::<Result<Slice, ShapeError>>(4);
    // Emptied slices go back to the converting thread to be filled again: a slice is a few
    // megabytes, and fresh ones would be fresh pages to fault in.
    let (recycle, recycled) = mpsc::channel::<Slice>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut row = offset;
            let mut reader = reader;
            loop {
                // A reader that panics on a damaged input (the parquet crate does on some
                // malformed pages) ends the stream with an error, not the process.
                let batch = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.next())) {
                    Ok(None) => break,
                    Ok(Some(Ok(batch))) => batch,
                    Ok(Some(Err(error))) => {
                        let _ = sender.send(Err(ShapeError(format!("reading the Arrow stream failed: {error}"))));
                        return;
                    }
                    Err(panic) => {
                        let _ = sender.send(Err(ShapeError(format!(
                            "reading the Arrow stream failed after row {row}: the data is damaged ({})",
                            error::panic_message(panic.as_ref())
                        ))));
                        return;
                    }
                };
                let mut start = 0;
                while start < batch.num_rows() {
                    let length = SLICE_ROWS.min(batch.num_rows() - start);
                    let slice = batch.slice(start, length);
                    let converted = EventBatch::with_options(&slice, naive).map(|columns| {
                        let mut events = recycled.try_recv().unwrap_or_else(|_| Vec::with_capacity(SLICE_ROWS));
                        events.extend((0..length).map(|index| (row + index + 1, columns.event(index))));
                        events
                    });
                    let failed = converted.is_err();
                    if sender.send(converted).is_err() || failed {
                        return;
                    }
                    row += length;
                    start += length;
                }
            }
        });
        for converted in receiver {
            let mut converted = converted?;
            rows += converted.len();
            for (line, event) in converted.drain(..) {
                match event {
                    Ok(event) => {
                        supervisor.ingest_from(event, line);
                    }
                    Err(reason) => supervisor.reject_unreadable(line, reason),
                }
            }
            // The converting thread may have finished; then the slice is simply dropped.
            let _ = recycle.send(converted);
        }
        Ok(())
    })?;
    Ok(IngestReport { summary: supervisor.ingest_summary().since(before), rows })
}

/// Reads the Parquet file at `path` into `supervisor` as [`ingest`] reads a stream: a batch at
/// a time, rejections numbered by row from 1.
///
/// ```no_run
/// use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
/// use zhengwu_supervision::{SupervisionConfig, Supervisor};
///
/// let file = CatalogueFile::from_toml(&std::fs::read_to_string("catalogue.toml")?)?;
/// let departments = file.departments();
/// let catalogue = Catalogue::new(file, &departments)?;
/// let mut supervisor = Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
/// // pyarrow.json read the RFC 3339 times as zone-less UTC instants.
/// let report = zhengwu_arrow::ingest_parquet(&mut supervisor, "events.parquet".as_ref(), "utc".parse()?)?;
/// let summary = report.summary;
/// assert_eq!(report.rows as u64, summary.applied + summary.duplicates + summary.rejected);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ingest_parquet(
    supervisor: &mut Supervisor,
    path: &std::path::Path,
    naive: NaiveTimestamps,
) -> Result<IngestReport, ShapeError> {
    let events = ParquetEvents::open(path)?;
    let rows = events.rows();
    // A case has four events or more (received, accepted, concluded, delivered): room for a case
    // per four rows. The index's slots are spread over the whole table as cases come, so room
    // reserved and not needed is memory touched, not only address space.
    supervisor.reserve(usize::try_from(rows / 4).unwrap_or(0));
    ingest(supervisor, events.into_reader(), 0, naive)
        .map_err(|ShapeError(reason)| ShapeError(format!("`{}`: {reason}", path.display())))
}

/// Replays the Parquet file at `path` into a supervisor `new` makes, for one evaluation as of the
/// instant `as_of` gives for the latest entry time (`recorded_at`) of the log (the caller's rule:
/// that time itself, capped at now, or a fixed instant whatever the log).
///
/// The instant is worked out first from the `recorded_at` column alone, and complete cases are
/// folded away as the file moves on from them ([`Supervisor::fold_complete_cases`]): a file
/// sorted by case (as `scripts/scale/province.py` writes, as Spark's `sortWithinPartitions`
/// leaves) replays in memory for its open cases. The result is the same as an ingest without
/// folding: when an event comes for a case already folded (the file is not in case order), or
/// the instant read ahead was not the one the applied events give (the latest row was rejected),
/// the file is read again, the second time without folding or with the right instant.
///
/// Returns the supervisor, not yet evaluated, the instant to evaluate it as of (`None` when
/// `as_of` gives none: no event was applied, say), and what was read.
pub fn replay_parquet(
    new: impl Fn() -> Supervisor,
    path: &std::path::Path,
    naive: NaiveTimestamps,
    as_of: impl Fn(Option<DateTime<FixedOffset>>) -> Option<DateTime<FixedOffset>>,
) -> Result<(Supervisor, Option<DateTime<FixedOffset>>, IngestReport), ShapeError> {
    let presumed = as_of(ParquetEvents::latest_recorded_at(path, naive));
    let mut supervisor = new();
    if let Some(at) = presumed {
        supervisor.fold_complete_cases(at);
    }
    let mut report = ingest_parquet(&mut supervisor, path, naive)?;
    let mut actual = as_of(supervisor.latest_recorded_at());
    let broken = supervisor.fold_broken().is_some();
    if broken || (supervisor.folded_cases() > 0 && actual != presumed) {
        supervisor = new();
        if let Some(at) = actual.filter(|_| !broken) {
            supervisor.fold_complete_cases(at);
        }
        report = ingest_parquet(&mut supervisor, path, naive)?;
        actual = as_of(supervisor.latest_recorded_at());
    }
    Ok((supervisor, actual, report))
}

#[cfg(test)]
mod tests;
