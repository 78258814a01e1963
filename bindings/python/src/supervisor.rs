//! `Supervisor`: 电子监察 over a catalogue, fed JSON events or Arrow tables.

use pyo3::prelude::*;
use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use pyo3::types::PyCapsule;
use zhengwu_core::{Catalogue, CatalogueFile};
use zhengwu_supervision::{Dimension, Period, ScoringScheme, SupervisionConfig};

use crate::args::{Instant, Object, Rows, Text};
use crate::calendar::Calendar;
use crate::errors::{SupervisionError, supervision_error};
use crate::statistics::{Partial, rows_json};

/// Events (applied, duplicates, rejected).
type Counts = (u64, u64, u64);

/// 电子监察: a supervisor over a catalogue, fed JSON events.
#[pyclass(module = "zhengwu._zhengwu")]
pub(crate) struct Supervisor {
    inner: zhengwu_supervision::Supervisor,
    /// Rows read from Arrow streams so far: row numbers continue across calls.
    rows: usize,
}

pub(crate) fn dimension(by: &str) -> PyResult<Dimension> {
    Ok(match by {
        "total" => Dimension::Total,
        "department" => Dimension::Department,
        "item" => Dimension::Item,
        "region" => Dimension::Region,
        "window" => Dimension::Window,
        other => {
            return Err(SupervisionError::new_err(format!(
                "unknown grouping `{other}` (total, department, item, region, window)"
            )));
        }
    })
}

pub(crate) fn period(period: &str) -> PyResult<Period> {
    Ok(match period {
        "all" => Period::All,
        "year" => Period::Year,
        "quarter" => Period::Quarter,
        "month" => Period::Month,
        other => {
            return Err(SupervisionError::new_err(format!("unknown period `{other}` (all, year, quarter, month)")));
        }
    })
}

#[pymethods]
impl Supervisor {
    /// `catalogue`: the catalogue's text, `format` `toml` or `json`; `rules`: a rule
    /// configuration's TOML text.
    #[new]
    #[pyo3(signature = (catalogue, format, rules=None, calendar=None))]
    fn new(
        catalogue: Text<'_>,
        format: Text<'_>,
        rules: Option<Text<'_>>,
        calendar: Option<Object<'_, Calendar>>,
    ) -> PyResult<Self> {
        let catalogue = catalogue.0;
        let file = match format.0 {
            "toml" => CatalogueFile::from_toml(catalogue),
            "json" => CatalogueFile::from_json(catalogue),
            other => {
                return Err(SupervisionError::new_err(format!("unknown catalogue format `{other}` (toml or json)")));
            }
        }
        .map_err(supervision_error)?;
        let departments = file.departments();
        let catalogue = Catalogue::new(file, &departments).map_err(supervision_error)?;
        let config = match rules {
            Some(text) => SupervisionConfig::from_toml(text.0).map_err(supervision_error)?,
            None => SupervisionConfig::default(),
        };
        let calendar = calendar.map_or_else(zhengwu_core::Calendar::china, |c| c.0.get().inner.clone());
        Ok(Supervisor { inner: zhengwu_supervision::Supervisor::new(calendar, catalogue, config), rows: 0 })
    }

    /// A supervisor over the same catalogue, rules and calendar: the catalogue is not parsed
    /// again (for a province's some 40 ms a replay). Only a supervisor without events is copied.
    fn __copy__(&self) -> PyResult<Self> {
        let summary = self.inner.ingest_summary();
        if summary.applied + summary.duplicates + summary.rejected > 0 || self.rows > 0 {
            return Err(SupervisionError::new_err("only a supervisor without events is copied"));
        }
        Ok(Supervisor { inner: self.inner.clone(), rows: 0 })
    }

    /// Ingests JSON-lines text; returns the counts (applied, duplicates, rejected).
    fn ingest_json_lines(&mut self, text: Text<'_>) -> (u64, u64, u64) {
        let summary = self.inner.ingest_json_lines(text.0);
        (summary.applied, summary.duplicates, summary.rejected)
    }

    /// Ingests a JSON-lines file a line at a time (memory stays within one line, however large
    /// the file): returns the counts (applied, duplicates, rejected). A line that is not an
    /// event is rejected by number; a line longer than 1 MiB stops the reading with an error.
    fn ingest_json_lines_file(&mut self, py: Python<'_>, path: Text<'_>) -> PyResult<(u64, u64, u64)> {
        let path = std::path::Path::new(path.0);
        let file = std::fs::File::open(path)
            .map_err(|e| SupervisionError::new_err(format!("cannot read the events `{}`: {e}", path.display())))?;
        let inner = &mut self.inner;
        let before = inner.ingest_summary();
        py.detach(|| {
            zhengwu_core::each_line(std::io::BufReader::with_capacity(1 << 16, file), |number, line| {
                inner.ingest_json_line(number, line);
                Ok::<(), zhengwu_core::LineFailure>(())
            })
        })
        .map_err(|e| SupervisionError::new_err(format!("in `{}`: {e}", path.display())))?;
        let summary = inner.ingest_summary().since(before);
        Ok((summary.applied, summary.duplicates, summary.rejected))
    }

    /// Ingests an Arrow C stream: `source` is any object with `__arrow_c_stream__` (a pyarrow
    /// Table or RecordBatchReader, a polars DataFrame …), one event per row. Returns the counts
    /// (applied, duplicates, rejected); a column of the wrong shape raises SupervisionError
    /// before any row is ingested.
    /// `rows`, when known, lets the supervisor make room for the events at once;
    /// `naive_timestamps` (`"utc"` or a zone) says how to read zone-less timestamp columns;
    /// `threads` (1 or 2) how many threads read the stream.
    #[pyo3(signature = (source, rows=None, naive_timestamps=None, threads=2))]
    fn ingest_arrow(
        &mut self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        rows: Option<Rows>,
        naive_timestamps: Option<Text<'_>>,
        threads: u32,
    ) -> PyResult<(u64, u64, u64)> {
        let naive = naive(naive_timestamps)?;
        let threads = self::threads(threads)?;
        let rows = rows.map(|r| r.0);
        let reader = stream(source)?;
        if let Some(rows) = rows {
            // A case has four events or more: room for a case per four rows (the index's slots
            // spread over its whole table, so room not needed is memory touched).
            self.inner.reserve(rows / 4);
        }
        let offset = self.rows;
        let inner = &mut self.inner;
        let zhengwu_arrow::IngestReport { summary, rows } =
            py.detach(|| zhengwu_arrow::ingest_on(inner, reader, offset, naive, threads)).map_err(supervision_error)?;
        self.rows += rows;
        Ok((summary.applied, summary.duplicates, summary.rejected))
    }

    /// Ingests a Parquet file a batch at a time (its event columns only): returns the counts
    /// (applied, duplicates, rejected). Rejections are numbered by row from 1.
    #[pyo3(signature = (path, naive_timestamps=None))]
    fn ingest_parquet(
        &mut self,
        py: Python<'_>,
        path: Text<'_>,
        naive_timestamps: Option<Text<'_>>,
    ) -> PyResult<(u64, u64, u64)> {
        let naive = naive(naive_timestamps)?;
        let events = zhengwu_arrow::ParquetEvents::open(std::path::Path::new(path.0)).map_err(supervision_error)?;
        self.inner.reserve(usize::try_from(events.rows() / 4).unwrap_or(0));
        let offset = self.rows;
        let inner = &mut self.inner;
        let zhengwu_arrow::IngestReport { summary, rows } = py
            .detach(|| zhengwu_arrow::ingest(inner, events.into_reader(), offset, naive))
            .map_err(|e| SupervisionError::new_err(format!("`{}`: {e}", path.0)))?;
        self.rows += rows;
        Ok((summary.applied, summary.duplicates, summary.rejected))
    }

    /// Replays a Parquet file into this supervisor, which must hold no event yet, for one
    /// evaluation as of `as_of` or (without it) as of the file's latest entry time capped at
    /// `now`: complete cases are folded away as a file in case order moves on from them
    /// (`zhengwu_arrow::replay_parquet`). The counts and the instant to evaluate as of.
    #[pyo3(signature = (path, naive_timestamps, as_of, now, threads=2))]
    fn replay_parquet(
        &mut self,
        py: Python<'_>,
        path: Text<'_>,
        naive_timestamps: Option<Text<'_>>,
        as_of: Option<Instant>,
        now: Instant,
        threads: u32,
    ) -> PyResult<(Counts, Option<DateTime<FixedOffset>>)> {
        let path = std::path::Path::new(path.0);
        self.replay(py, (naive_timestamps, as_of, now, threads), |new, naive, as_of, threads| {
            zhengwu_arrow::replay_parquet(new, path, naive, as_of, threads)
        })
    }

    /// Replays a table held in memory (`source` exports the Arrow C stream interface: a pyarrow
    /// Table, a polars DataFrame) into this supervisor, which must hold no event yet, as
    /// `replay_parquet` replays a file: its batches are collected (zero-copy), complete cases
    /// folded away as rows in case order move on from them, and the batches read again when
    /// they are not in case order (`zhengwu_arrow::replay_batches`).
    #[pyo3(signature = (source, naive_timestamps, as_of, now, threads=2))]
    fn replay_arrow(
        &mut self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        naive_timestamps: Option<Text<'_>>,
        as_of: Option<Instant>,
        now: Instant,
        threads: u32,
    ) -> PyResult<(Counts, Option<DateTime<FixedOffset>>)> {
        use arrow_array::RecordBatchReader;
        let reader = stream(source)?;
        let schema = reader.schema();
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| SupervisionError::new_err(format!("reading the Arrow stream failed: {e}")))?;
        self.replay(py, (naive_timestamps, as_of, now, threads), |new, naive, as_of, threads| {
            zhengwu_arrow::replay_batches(new, schema, &batches, naive, as_of, threads)
        })
    }

    /// Replays a stream that can be opened again (a `pyarrow.dataset` scan) into this
    /// supervisor, which must hold no event yet, as `replay_parquet` replays a file:
    /// `open_events()` returns an object exporting the Arrow C stream of the events, opened
    /// again when the rows are not in case order; `open_recorded_at()` a stream of their
    /// `recorded_at` column alone, read first when the instant is the latest entry time. `rows`,
    /// when known, makes room for the cases at once (`zhengwu_arrow::replay_reader`).
    #[pyo3(signature = (open_events, open_recorded_at, rows, naive_timestamps, as_of, now, threads=2))]
    // The Python call's own arguments: two openers, the row hint and the replay's four options.
    #[allow(clippy::too_many_arguments)]
    fn replay_stream(
        &mut self,
        py: Python<'_>,
        open_events: Py<PyAny>,
        open_recorded_at: Py<PyAny>,
        rows: Option<Rows>,
        naive_timestamps: Option<Text<'_>>,
        as_of: Option<Instant>,
        now: Instant,
        threads: u32,
    ) -> PyResult<(Counts, Option<DateTime<FixedOffset>>)> {
        let rows = rows.map(|r| r.0);
        // Called with the GIL released: each opening takes it back for the Python call.
        let open = |callable: &Py<PyAny>| {
            Python::attach(|py| {
                let source = callable
                    .call0(py)
                    .map_err(|e| zhengwu_arrow::ShapeError(format!("opening the events failed: {e}")))?;
                stream(source.bind(py)).map_err(|e| zhengwu_arrow::ShapeError(e.to_string()))
            })
        };
        self.replay(py, (naive_timestamps, as_of, now, threads), |new, naive, as_of, threads| {
            let latest = || open(&open_recorded_at).ok().and_then(|r| zhengwu_arrow::latest_recorded_at(r, naive));
            zhengwu_arrow::replay_reader(new, latest, || open(&open_events), rows, naive, as_of, threads)
        })
    }

    /// The latest business time among the applied events, if any.
    fn latest_occurred_at(&self) -> Option<DateTime<FixedOffset>> {
        self.inner.latest_occurred_at()
    }

    /// The latest entry time (`recorded_at`) among the applied events.
    fn latest_recorded_at(&self) -> Option<DateTime<FixedOffset>> {
        self.inner.latest_recorded_at()
    }

    /// Evaluates every rule as of an instant; the number of alerts raised.
    fn evaluate(&mut self, as_of: Instant) -> usize {
        self.inner.evaluate(as_of.0).raised.len()
    }

    /// Statistics rows as JSON: one object per group and period, counters and rates.
    fn statistics(&self, as_of: Instant, by: Text<'_>, period_name: Text<'_>) -> PyResult<String> {
        let statistics = self.inner.statistics(as_of.0, dimension(by.0)?, period(period_name.0)?, None);
        rows_json(&statistics)
    }

    /// The replay as a mergeable partial: statistics grouped and cut as asked, alerts, the
    /// ranking's counters, the cases seen.
    fn partial(&self, as_of: Instant, by: Text<'_>, period_name: Text<'_>) -> PyResult<Partial> {
        Ok(Partial { inner: self.inner.partial(as_of.0, dimension(by.0)?, period(period_name.0)?) })
    }

    /// Every alert, ordered by id, as the columns `supervision._alerts_frame` makes a DataFrame of
    /// (`arrow_column::alert_columns`).
    fn alerts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::arrow_column::alert_columns(py, self.inner.alerts().collect::<Vec<_>>().into_iter())
    }

    /// The department ranking (default scheme) as JSON.
    fn ranking(&self, as_of: Instant) -> PyResult<String> {
        let ranking = self.inner.rank(as_of.0, Period::All, "all", &ScoringScheme::default(), &BTreeMap::new());
        serde_json::to_string(&ranking).map_err(supervision_error)
    }

    /// The rejected events as JSON (line and reason).
    fn rejections(&self) -> PyResult<String> {
        serde_json::to_string(self.inner.rejections()).map_err(supervision_error)
    }
}

impl Supervisor {
    /// One replay for one evaluation into this supervisor, which must hold no event yet: `run`
    /// reads the events into supervisors made like this one, with the Python call's options
    /// (zone-less timestamps, `as_of`, `now`, threads) read: as of the instant `as_of` or the
    /// latest entry time capped at `now`.
    fn replay(
        &mut self,
        py: Python<'_>,
        (naive_timestamps, as_of, now, threads): (Option<Text<'_>>, Option<Instant>, Instant, u32),
        run: impl FnOnce(
            &dyn Fn() -> zhengwu_supervision::Supervisor,
            zhengwu_arrow::NaiveTimestamps,
            zhengwu_arrow::AsOf,
            zhengwu_arrow::Threads,
        ) -> Replayed
        + Send,
    ) -> PyResult<(Counts, Option<DateTime<FixedOffset>>)> {
        let (naive, threads) = (naive(naive_timestamps)?, self::threads(threads)?);
        let before = self.inner.ingest_summary();
        if before.applied + before.duplicates + before.rejected > 0 || self.rows > 0 {
            return Err(SupervisionError::new_err("a replay needs a supervisor without events"));
        }
        let template = self.inner.clone();
        let as_of = as_of.map_or(zhengwu_arrow::AsOf::Latest { now: now.0 }, |at| zhengwu_arrow::AsOf::At(at.0));
        let (inner, instant, report) = py
            .detach(|| run(&|| template.clone(), naive, as_of, threads))
            .map_err(|e| SupervisionError::new_err(e.to_string()))?;
        self.inner = inner;
        self.rows = report.rows;
        let summary = report.summary;
        Ok(((summary.applied, summary.duplicates, summary.rejected), instant))
    }
}

/// What a replay gives: the supervisor, the instant to evaluate it as of, what was read.
type Replayed = Result<
    (zhengwu_supervision::Supervisor, Option<DateTime<FixedOffset>>, zhengwu_arrow::IngestReport),
    zhengwu_arrow::ShapeError,
>;

/// The Arrow C stream `source` exports (`__arrow_c_stream__`).
fn stream(source: &Bound<'_, PyAny>) -> PyResult<arrow_array::ffi_stream::RecordBatchStreamReader> {
    let capsule = source
        .call_method0("__arrow_c_stream__")
        .map_err(|e| SupervisionError::new_err(format!("the events do not export an Arrow C stream: {e}")))?;
    let capsule = capsule.cast::<PyCapsule>().map_err(supervision_error)?;
    let pointer = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
    // SAFETY: a capsule named `arrow_array_stream` holds an `ArrowArrayStream` struct (the Arrow
    // PyCapsule interface); `from_raw` moves the stream out and marks the capsule's copy
    // released, so the capsule's destructor does not release it again.
    #[allow(unsafe_code)]
    unsafe {
        arrow_array::ffi_stream::RecordBatchStreamReader::from_raw(
            pointer.as_ptr().cast::<arrow_array::ffi_stream::FFI_ArrowArrayStream>(),
        )
    }
    .map_err(|e| SupervisionError::new_err(format!("the Arrow C stream could not be opened: {e}")))
}

/// How zone-less timestamp columns are read: refused unless `"utc"` or a zone is given.
fn naive(text: Option<Text<'_>>) -> PyResult<zhengwu_arrow::NaiveTimestamps> {
    text.map_or(Ok(zhengwu_arrow::NaiveTimestamps::Refuse), |text| text.0.parse().map_err(supervision_error))
}

/// The threads a replay reads on: 2 (a second thread converts rows while the calling one
/// ingests) or 1 (the calling thread alone: in a Dask or Spark worker that runs a task per core).
fn threads(threads: u32) -> PyResult<zhengwu_arrow::Threads> {
    match threads {
        1 => Ok(zhengwu_arrow::Threads::One),
        2 => Ok(zhengwu_arrow::Threads::Two),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!("threads must be 1 or 2, not {other}"))),
    }
}
