//! One replay for one evaluation: a Parquet file or a table in memory read into a fresh
//! supervisor, complete cases folded away as the events move on from them.

use std::path::Path;

use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::SchemaRef;
use chrono::{DateTime, FixedOffset};
use zhengwu_supervision::Supervisor;

use crate::batch;
use crate::column::NaiveTimestamps;
use crate::error::ShapeError;
use crate::ingest::{IngestReport, Threads, ingest_on, ingest_parquet_on};
use crate::parquet::ParquetEvents;

/// The instant a replay is evaluated as of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// This instant, whatever the events.
    At(DateTime<FixedOffset>),
    /// The latest entry time (`recorded_at`) among the applied events (a business time may not
    /// lie after its entry time, so one far-dated event cannot move it), never later than
    /// `now`.
    Latest {
        /// The caller's clock.
        now: DateTime<FixedOffset>,
    },
}

impl AsOf {
    /// The instant for a log whose latest applied entry time is `latest`: `None` when the
    /// instant is the latest one and no event was applied.
    ///
    /// ```
    /// use chrono::DateTime;
    /// use zhengwu_arrow::AsOf;
    ///
    /// let at = |text| DateTime::parse_from_rfc3339(text).unwrap();
    /// let now = at("2025-06-30T12:00:00+08:00");
    /// assert_eq!(AsOf::Latest { now }.resolve(Some(at("2025-05-01T09:00:00+08:00"))), Some(at("2025-05-01T09:00:00+08:00")));
    /// assert_eq!(AsOf::Latest { now }.resolve(Some(at("2031-01-01T09:00:00+08:00"))), Some(now));
    /// assert_eq!(AsOf::Latest { now }.resolve(None), None);
    /// assert_eq!(AsOf::At(now).resolve(None), Some(now));
    /// ```
    pub fn resolve(self, latest: Option<DateTime<FixedOffset>>) -> Option<DateTime<FixedOffset>> {
        match self {
            AsOf::At(at) => Some(at),
            AsOf::Latest { now } => latest.map(|latest| latest.min(now.with_timezone(latest.offset()))),
        }
    }
}

/// Replays the Parquet file at `path` into a supervisor `new` makes, for one evaluation as of
/// `as_of`.
///
/// Complete cases are folded away as the file moves on from them
/// ([`Supervisor::fold_complete_cases`]): a file sorted by case (as
/// `scripts/scale/province.py` writes, as Spark's `sortWithinPartitions` leaves) replays in
/// memory for its open cases. For [`AsOf::Latest`] the instant is worked out first from the
/// `recorded_at` column alone. The result is the same as an ingest without folding: when an
/// event comes for a case already folded (the file is not in case order), or the instant read
/// ahead was not the one the applied events give (the latest row was rejected), the file is read
/// again, the second time without folding or with the right instant.
///
/// Returns the supervisor, not yet evaluated, the instant to evaluate it as of (`None`: the
/// instant is the latest one and no event was applied), and what was read. `threads` says
/// whether a second thread converts rows while the calling one ingests ([`Threads::Two`]) or the
/// calling thread does both ([`Threads::One`]: in a Dask or Spark worker).
pub fn replay_parquet(
    new: impl Fn() -> Supervisor,
    path: &Path,
    naive: NaiveTimestamps,
    as_of: AsOf,
    threads: Threads,
) -> Result<(Supervisor, Option<DateTime<FixedOffset>>, IngestReport), ShapeError> {
    replay(
        new,
        || ParquetEvents::latest_recorded_at(path, naive),
        as_of,
        |supervisor| ingest_parquet_on(supervisor, path, naive, threads),
    )
}

/// Replays record batches held in memory (a table: `schema` and its `batches`) into a
/// supervisor `new` makes, for one evaluation as of `as_of`, as [`replay_parquet`] replays a
/// file: complete cases folded away as the rows move on from them, the batches read again when
/// the rows turn out not to be in case order. Rows are numbered from 1 across the batches.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, StructArray};
/// use arrow_schema::{DataType, Field};
/// use chrono::DateTime;
/// use zhengwu_arrow::{AsOf, replay_batches};
/// use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
/// use zhengwu_supervision::{SupervisionConfig, Supervisor};
///
/// let file = CatalogueFile::from_toml(r#"
/// [[items]]
/// code = "SCJG-001"
/// name = "食品经营许可"
/// department = "scjg"
/// kind = "promised"
/// legal_limit = { days = 20 }
/// promised_limit = { days = 10 }
/// "#)?;
/// let departments = file.departments();
/// let catalogue = Catalogue::new(file, &departments)?;
/// let new = || Supervisor::new(Calendar::china(), catalogue.clone(), SupervisionConfig::default());
/// let text = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// let actor = StructArray::from(vec![(Arc::new(Field::new("id", DataType::Utf8, false)), text(vec!["w01", "w01"]))]);
/// let batch = RecordBatch::try_from_iter([
///     ("schema", Arc::new(Int64Array::from(vec![1, 1])) as ArrayRef),
///     ("idempotency_key", text(vec!["C1#1", "C1#2"])),
///     ("case_id", text(vec!["C1", "C1"])),
///     ("sequence", Arc::new(Int64Array::from(vec![1, 2]))),
///     ("item_code", text(vec!["SCJG-001", "SCJG-001"])),
///     ("department", text(vec!["scjg", "scjg"])),
///     ("region", text(vec!["530102", "530102"])),
///     ("occurred_at", text(vec!["2025-03-03T09:12:00+08:00", "2025-03-03T09:30:00+08:00"])),
///     ("recorded_at", text(vec!["2025-03-03T09:12:04+08:00", "2025-03-03T09:30:02+08:00"])),
///     ("actor", Arc::new(actor)),
///     ("type", text(vec!["received", "accepted"])),
///     ("channel", text(vec!["window", "window"])),
/// ])?;
/// let now = DateTime::parse_from_rfc3339("2025-12-31T12:00:00+08:00")?;
/// let (supervisor, as_of, report) =
///     replay_batches(new, batch.schema(), &[batch], Default::default(), AsOf::Latest { now }, Default::default())?;
/// assert_eq!(as_of, Some(DateTime::parse_from_rfc3339("2025-03-03T09:30:02+08:00")?));
/// assert_eq!((report.rows, report.summary.applied), (2, 2));
/// assert_eq!(supervisor.cases().count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn replay_batches(
    new: impl Fn() -> Supervisor,
    schema: SchemaRef,
    batches: &[RecordBatch],
    naive: NaiveTimestamps,
    as_of: AsOf,
    threads: Threads,
) -> Result<(Supervisor, Option<DateTime<FixedOffset>>, IngestReport), ShapeError> {
    let rows = batches.iter().map(RecordBatch::num_rows).sum();
    let reader = || RecordBatchIterator::new(batches.iter().cloned().map(Ok), schema.clone());
    replay_reader(new, || latest_recorded_at(reader(), naive), || Ok(reader()), Some(rows), naive, as_of, threads)
}

/// Replays the record batches `open` streams (a dataset scan, say: anything that can be read
/// again from the start) into a supervisor `new` makes, for one evaluation as of `as_of`, as
/// [`replay_parquet`] replays a file: complete cases folded away as the rows move on from them,
/// the stream opened again when the rows turn out not to be in case order. For
/// [`AsOf::Latest`], `latest` gives the log's latest entry time first (read from the
/// `recorded_at` column alone where the source can: see [`latest_recorded_at`]). `rows`, when
/// known, is room made for a case per four rows.
pub fn replay_reader<R: RecordBatchReader + Send>(
    new: impl Fn() -> Supervisor,
    latest: impl FnOnce() -> Option<DateTime<FixedOffset>>,
    mut open: impl FnMut() -> Result<R, ShapeError>,
    rows: Option<usize>,
    naive: NaiveTimestamps,
    as_of: AsOf,
    threads: Threads,
) -> Result<(Supervisor, Option<DateTime<FixedOffset>>, IngestReport), ShapeError> {
    replay(new, latest, as_of, |supervisor| {
        if let Some(rows) = rows {
            supervisor.reserve(rows / 4);
        }
        ingest_on(supervisor, open()?, 0, naive, threads)
    })
}

/// The latest `recorded_at` among the rows `reader` streams that have one readable as `naive`
/// says: where a log ends, read from a stream of that column alone (other columns are ignored).
/// `None` when no row has one, or the column or stream cannot be read (reading the events says
/// why).
pub fn latest_recorded_at(reader: impl RecordBatchReader, naive: NaiveTimestamps) -> Option<DateTime<FixedOffset>> {
    let mut latest = None;
    for batch in reader {
        latest = latest.max(batch::latest_recorded_at(&batch.ok()?, naive).ok()?);
    }
    latest
}

/// One replay: folded as of the instant `as_of` gives (the log's latest entry time read ahead
/// by `latest` when it needs it), read again without folding, or as of the right instant, when
/// the first reading shows that folding changed the result.
fn replay(
    new: impl Fn() -> Supervisor,
    latest: impl FnOnce() -> Option<DateTime<FixedOffset>>,
    as_of: AsOf,
    mut read: impl FnMut(&mut Supervisor) -> Result<IngestReport, ShapeError>,
) -> Result<(Supervisor, Option<DateTime<FixedOffset>>, IngestReport), ShapeError> {
    let presumed = match as_of {
        AsOf::At(at) => Some(at),
        AsOf::Latest { .. } => as_of.resolve(latest()),
    };
    let mut supervisor = new();
    if let Some(at) = presumed {
        supervisor.fold_complete_cases(at);
    }
    let mut report = read(&mut supervisor)?;
    let mut actual = as_of.resolve(supervisor.latest_recorded_at());
    let broken = supervisor.fold_broken().is_some();
    if broken || (supervisor.folded_cases() > 0 && actual != presumed) {
        supervisor = new();
        if let Some(at) = actual.filter(|_| !broken) {
            supervisor.fold_complete_cases(at);
        }
        report = read(&mut supervisor)?;
        actual = as_of.resolve(supervisor.latest_recorded_at());
    }
    Ok((supervisor, actual, report))
}
