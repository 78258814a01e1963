//! Record batches into a supervisor: one thread converts rows to events while the calling
//! thread ingests them.

use std::sync::mpsc;

use arrow_array::RecordBatchReader;
use zhengwu_core::CaseEvent;
use zhengwu_supervision::{IngestSummary, Supervisor};

use crate::batch::{EventBatch, check_schema};
use crate::column::NaiveTimestamps;
use crate::error::{self, ShapeError};
use crate::parquet::ParquetEvents;

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
