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

/// How a reading spreads over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Threads {
    /// A second thread converts rows to events while the calling thread ingests them: the
    /// quickest reading of one stream when a core is free beside the caller.
    #[default]
    Two,
    /// The calling thread converts and ingests: some 12 % less work in all (no hand-over of
    /// events between threads), for a worker that already runs one task per core (a Dask or
    /// Spark worker).
    One,
}

/// Events converted from rows, each with its row number.
type Slice = Vec<(usize, Result<CaseEvent, String>)>;

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
    ingest_on(supervisor, reader, offset, naive, Threads::Two)
}

/// [`ingest`] on the threads `threads` says: [`Threads::One`] for a task that has its core alone
/// (a Spark task's batches handed over by `mapInArrow`).
pub fn ingest_on(
    supervisor: &mut Supervisor,
    reader: impl RecordBatchReader + Send,
    offset: usize,
    naive: NaiveTimestamps,
    threads: Threads,
) -> Result<IngestReport, ShapeError> {
    let before = supervisor.ingest_summary();
    let mut rows = 0;
    // The shape is checked once, before any row is read, so a wrong table changes nothing.
    check_schema(&reader.schema(), naive)?;
    let mut take = |converted: &mut Slice| {
        rows += converted.len();
        for (line, event) in converted.drain(..) {
            match event {
                Ok(event) => {
                    supervisor.ingest_from(event, line);
                }
                Err(reason) => supervisor.reject_unreadable(line, reason),
            }
        }
    };
    match threads {
        Threads::One => convert(reader, offset, naive, |converted| {
            let mut converted = converted.map_err(Some)?;
            take(&mut converted);
            Ok(converted)
        })?,
        Threads::Two => {
            let (sender, receiver) = mpsc::sync_channel::<Result<Slice, ShapeError>>(4);
            // Emptied slices go back to the converting thread to be filled again: a slice is a
            // few megabytes, and fresh ones would be fresh pages to fault in.
            let (recycle, recycled) = mpsc::channel::<Slice>();
            std::thread::scope(|scope| {
                scope.spawn(move || {
                    // A closed channel: the ingesting side failed and says why.
                    let _ = convert(reader, offset, naive, |converted| {
                        sender.send(converted).map_err(|_| None)?;
                        Ok(recycled.try_recv().unwrap_or_default())
                    });
                });
                for converted in receiver {
                    let mut converted = converted?;
                    take(&mut converted);
                    // The converting thread may have finished; then the slice is simply dropped.
                    let _ = recycle.send(converted);
                }
                Ok::<_, ShapeError>(())
            })?;
        }
    }
    Ok(IngestReport { summary: supervisor.ingest_summary().since(before), rows })
}

/// Converts the rows of `reader` a slice at a time, numbered from `offset + 1`, and hands each
/// to `emit`, which gives back an empty vector for the next slice (a slice that cannot be
/// converted goes to `emit` as an error, and the reading stops); stops when `emit` refuses, with
/// its error if it has one.
fn convert(
    mut reader: impl RecordBatchReader,
    offset: usize,
    naive: NaiveTimestamps,
    mut emit: impl FnMut(Result<Slice, ShapeError>) -> Result<Slice, Option<ShapeError>>,
) -> Result<(), ShapeError> {
    let mut row = offset;
    let mut events = Vec::with_capacity(SLICE_ROWS);
    loop {
        // A reader that panics on a damaged input (the parquet crate does on some malformed
        // pages) ends the stream with an error, not the process.
        let batch = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.next())) {
            Ok(None) => return Ok(()),
            Ok(Some(Ok(batch))) => batch,
            Ok(Some(Err(error))) => {
                return refused(emit(Err(ShapeError(format!("reading the Arrow stream failed: {error}")))));
            }
            Err(panic) => {
                return refused(emit(Err(ShapeError(format!(
                    "reading the Arrow stream failed after row {row}: the data is damaged ({})",
                    error::panic_message(panic.as_ref())
                )))));
            }
        };
        let mut start = 0;
        while start < batch.num_rows() {
            let length = SLICE_ROWS.min(batch.num_rows() - start);
            let slice = batch.slice(start, length);
            let columns = match EventBatch::with_options(&slice, naive) {
                Ok(columns) => columns,
                Err(error) => return refused(emit(Err(error))),
            };
            events.extend((0..length).map(|index| (row + index + 1, columns.event(index))));
            events = match emit(Ok(events)) {
                Ok(empty) => empty,
                Err(error) => return refused(Err(error)),
            };
            row += length;
            start += length;
        }
    }
}

/// The end of a reading after an error was handed on: the error `emit` gave back, if any.
fn refused(emitted: Result<Slice, Option<ShapeError>>) -> Result<(), ShapeError> {
    match emitted {
        Err(Some(error)) => Err(error),
        _ => Ok(()),
    }
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
    ingest_parquet_on(supervisor, path, naive, Threads::Two)
}

/// [`ingest_parquet`] on the threads `threads` says.
pub fn ingest_parquet_on(
    supervisor: &mut Supervisor,
    path: &std::path::Path,
    naive: NaiveTimestamps,
    threads: Threads,
) -> Result<IngestReport, ShapeError> {
    let events = ParquetEvents::open(path)?;
    let rows = events.rows();
    // A case has four events or more (received, accepted, concluded, delivered): room for a case
    // per four rows. The index's slots are spread over the whole table as cases come, so room
    // reserved and not needed is memory touched, not only address space.
    supervisor.reserve(usize::try_from(rows / 4).unwrap_or(0));
    ingest_on(supervisor, events.into_reader(), 0, naive, threads)
        .map_err(|ShapeError(reason)| ShapeError(format!("`{}`: {reason}", path.display())))
}
