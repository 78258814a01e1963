#![doc = include_str!("../README.md")]
// PyO3's macros expand to items the workspace lints cannot see documented.
#![allow(missing_docs, unreachable_pub)]

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};
use zhengwu_core::{Catalogue, CatalogueFile, OfficialDocument, ScheduleFile};
use zhengwu_supervision::{Dimension, Period, ScoringScheme, SupervisionConfig};

mod args;
use args::{Count, Day, Instant, Object, Rows, Text};

create_exception!(_zhengwu, ZhengwuError, PyException, "Base class of every zhengwu error.");
create_exception!(
    _zhengwu,
    CalendarError,
    ZhengwuError,
    "A date outside the published calendar, or a bad schedule file."
);
create_exception!(_zhengwu, CreditError, ZhengwuError, "Credit data that could not be evaluated.");
create_exception!(_zhengwu, DocumentError, ZhengwuError, "A 公文 that could not be read.");
create_exception!(
    _zhengwu,
    SupervisionError,
    ZhengwuError,
    "A catalogue, configuration or event log that could not be read."
);

fn calendar_error(error: impl std::fmt::Display) -> PyErr {
    CalendarError::new_err(error.to_string())
}

fn supervision_error(error: impl std::fmt::Display) -> PyErr {
    SupervisionError::new_err(error.to_string())
}

create_exception!(_zhengwu, WorkflowError, ZhengwuError, "A process that is not valid, or a command the case refuses.");

fn workflow_error(error: impl std::fmt::Display) -> PyErr {
    WorkflowError::new_err(error.to_string())
}

create_exception!(
    _zhengwu,
    CaseRejected,
    WorkflowError,
    "A command the case refuses: `kind` names why (`case_closed`, `step_not_open`, `handed_to_another`, ...), `case` the case."
);

/// A case's refusal as a `CaseRejected` carrying its kind; any other error as a `WorkflowError`.
fn case_error(py: Python<'_>, error: zhengwu_workflow::Error) -> PyErr {
    let zhengwu_workflow::Error::Rejected { case, rejection } = &error else { return workflow_error(error) };
    let raised = CaseRejected::new_err(error.to_string());
    let value = raised.value(py);
    if value.setattr("kind", rejection.kind()).is_err() || value.setattr("case", case.as_str()).is_err() {
        return workflow_error(error);
    }
    raised
}

/// 流程: a validated process definition.
#[pyclass(module = "zhengwu._zhengwu", frozen)]
struct Process {
    inner: std::sync::Arc<zhengwu_workflow::Process>,
}

#[pymethods]
impl Process {
    /// Reads a process: `format` is `bpmn`, `json` or `toml`, or the name of the file the text
    /// came from (its extension decides); every problem is in the error.
    #[new]
    fn new(text: Text<'_>, format: Text<'_>) -> PyResult<Self> {
        let format = zhengwu_workflow::ProcessFormat::parse(format.0).map_err(workflow_error)?;
        let definition = zhengwu_workflow::ProcessDefinition::read(text.0, format).map_err(workflow_error)?;
        let process = zhengwu_workflow::Process::new(definition).map_err(workflow_error)?;
        Ok(Process { inner: std::sync::Arc::new(process) })
    }

    fn id(&self) -> String {
        self.inner.definition().id.clone()
    }

    /// The task steps' ids, in definition order.
    fn tasks(&self) -> Vec<String> {
        self.inner.tasks().map(|node| node.id.clone()).collect()
    }
}

/// 办件: a case run by commands on the engine.
#[pyclass(module = "zhengwu._zhengwu")]
struct Case {
    inner: zhengwu_workflow::Case,
}

#[pymethods]
impl Case {
    #[new]
    fn new(
        process: Object<'_, Process>,
        case_id: Text<'_>,
        item: Text<'_>,
        department: Text<'_>,
        region: Text<'_>,
    ) -> PyResult<Self> {
        let (case_id, item, department) = (case_id.0, item.0, department.0);
        let process = process.0.get();
        let region = zhengwu_core::RegionCode::new(region.0).map_err(workflow_error)?;
        Ok(Case {
            inner: zhengwu_workflow::Case::new(
                process.inner.clone(),
                case_id.into(),
                item.into(),
                department.into(),
                region,
            ),
        })
    }

    /// Runs one command (JSON text, `{"type": "complete", "step": ...}`) as `actor` (JSON text,
    /// `{"id": ..., "role": ...}`) of `department` at `at`; the events it produced as JSON text.
    fn execute(
        &mut self,
        py: Python<'_>,
        command: Text<'_>,
        actor: Text<'_>,
        department: Text<'_>,
        at: Instant,
    ) -> PyResult<String> {
        let (command, actor, department, at) = (command.0, actor.0, department.0, at.0);
        let command: zhengwu_workflow::Command =
            serde_json::from_str(command).map_err(|e| WorkflowError::new_err(format!("bad command: {e}")))?;
        let actor: zhengwu_core::Actor =
            serde_json::from_str(actor).map_err(|e| WorkflowError::new_err(format!("bad actor: {e}")))?;
        let context = zhengwu_workflow::Context { actor, department: department.into(), at };
        let events = self.inner.execute(command, &context).map_err(|error| case_error(py, error))?;
        Ok(format!("[{}]", events.iter().map(|e| e.to_json()).collect::<Vec<_>>().join(",")))
    }

    /// The status as the engine serialises it.
    fn status(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.status()).map_err(workflow_error)
    }

    /// The open tasks' steps.
    fn open_tasks(&self) -> Vec<String> {
        self.inner.open_tasks().iter().map(|task| task.step.to_string()).collect()
    }

    /// Every event so far as JSON text.
    fn events(&self) -> String {
        format!("[{}]", self.inner.events().iter().map(|e| e.to_json()).collect::<Vec<_>>().join(","))
    }

    /// Where the case stands as JSON: the statutory clock against `limit_days` working days of
    /// the regime (`single` or `joint`), and each open task's due dates.
    fn progress(
        &self,
        calendar: Object<'_, Calendar>,
        limit_days: Count,
        regime: Text<'_>,
        as_of: Day,
    ) -> PyResult<String> {
        let (calendar, limit_days, regime, as_of) = (calendar.0.get(), limit_days.0, regime.0, as_of.0);
        // The regime is the kind of item the limit belongs to: single handling (Art. 42 ¶1) or
        // joint handling (¶2).
        let kind = match regime {
            "single" => zhengwu_core::ItemKind::Promised,
            "joint" => zhengwu_core::ItemKind::Joint,
            other => return Err(WorkflowError::new_err(format!("unknown regime `{other}` (single or joint)"))),
        };
        let limit = zhengwu_core::TimeLimit::working_days(limit_days);
        let item = zhengwu_core::ServiceItem::new("-".into(), "-", "-".into(), kind, limit, limit);
        let progress = self
            .inner
            .progress(&calendar.inner, &item, zhengwu_core::LimitReference::Legal, as_of)
            .map_err(workflow_error)?;
        serde_json::to_string(&progress).map_err(workflow_error)
    }
}

/// 统计分项: statistics of one partition, to be merged with others (Dask, Spark).
#[pyclass(module = "zhengwu._zhengwu", frozen)]
struct Statistics {
    inner: zhengwu_supervision::Statistics,
}

#[pymethods]
impl Statistics {
    /// Reads what [`Statistics::to_json`] wrote.
    #[staticmethod]
    fn from_json(text: Text<'_>) -> PyResult<Self> {
        let text = text.0;
        #[derive(serde::Deserialize)]
        struct Stored {
            dimension: Dimension,
            period: Period,
            rows: Vec<(String, String, zhengwu_supervision::Counters)>,
        }
        let stored: Stored = serde_json::from_str(text).map_err(supervision_error)?;
        let rows = stored.rows.into_iter().map(|(group, period, counters)| ((group, period), counters)).collect();
        Ok(Statistics {
            inner: zhengwu_supervision::Statistics { dimension: stored.dimension, period: stored.period, rows },
        })
    }

    /// The partial as JSON (rows as `[group, period, counters]`, since JSON keys are strings).
    fn to_json(&self) -> PyResult<String> {
        let rows: Vec<(&String, &String, &zhengwu_supervision::Counters)> =
            self.inner.rows.iter().map(|((group, period), counters)| (group, period, counters)).collect();
        serde_json::to_string(&serde_json::json!({
            "dimension": self.inner.dimension,
            "period": self.inner.period,
            "rows": rows,
        }))
        .map_err(supervision_error)
    }

    /// The sum of two partitions' statistics (same grouping and period).
    fn merge(&self, other: Object<'_, Statistics>) -> PyResult<Statistics> {
        let mut merged = self.inner.clone();
        merged.merge(&other.0.get().inner).map_err(SupervisionError::new_err)?;
        Ok(Statistics { inner: merged })
    }

    /// The rows as JSON, as `Supervisor.statistics` gives them.
    fn rows(&self) -> PyResult<String> {
        rows_json(&self.inner)
    }
}

fn rows_json(statistics: &zhengwu_supervision::Statistics) -> PyResult<String> {
    #[derive(serde::Serialize)]
    struct Row<'a> {
        group: &'a str,
        period: &'a str,
        #[serde(flatten)]
        counters: &'a zhengwu_supervision::Counters,
        #[serde(flatten)]
        rates: zhengwu_supervision::Rates,
    }
    let rows: Vec<Row<'_>> = statistics
        .rows
        .iter()
        .map(|((group, period), counters)| Row { group, period, counters, rates: counters.rates() })
        .collect();
    serde_json::to_string(&rows).map_err(supervision_error)
}

/// 工作日历: the statutory working-day calendar (State Council notices 2004–2026 embedded).
#[pyclass(module = "zhengwu._zhengwu", frozen)]
struct Calendar {
    inner: zhengwu_core::Calendar,
}

#[pymethods]
impl Calendar {
    #[new]
    fn new() -> Self {
        Calendar { inner: zhengwu_core::Calendar::china() }
    }

    /// A calendar with a schedule file (TOML or JSON text) added: a new year's notice.
    fn with_schedule(&self, text: Text<'_>, format: Text<'_>) -> PyResult<Calendar> {
        let text = text.0;
        let file = match format.0 {
            "toml" => ScheduleFile::from_toml(text),
            "json" => ScheduleFile::from_json(text),
            other => return Err(CalendarError::new_err(format!("unknown schedule format `{other}` (toml or json)"))),
        }
        .map_err(calendar_error)?;
        Ok(Calendar { inner: self.inner.with_schedules(file).map_err(calendar_error)? })
    }

    fn years(&self) -> (i32, i32) {
        let years = self.inner.years();
        (*years.start(), *years.end())
    }

    fn is_workday(&self, day: Day) -> PyResult<bool> {
        self.inner.is_workday(day.0).map_err(calendar_error)
    }

    fn add_working_days(&self, start: Day, days: Count) -> PyResult<NaiveDate> {
        self.inner.add_working_days(start.0, days.0).map_err(calendar_error)
    }

    fn add_calendar_days(&self, start: Day, days: Count) -> PyResult<NaiveDate> {
        self.inner.add_calendar_days(start.0, days.0).map_err(calendar_error)
    }

    fn working_days_between(&self, start: Day, end: Day) -> PyResult<i64> {
        self.inner.working_days_between(start.0, end.0).map_err(calendar_error)
    }
}

/// Checks one 统一社会信用代码: `{"code", "valid", "reason", "registration_authority", "warnings"}`.
#[pyfunction]
fn check_credit_code<'py>(py: Python<'py>, code: Text<'_>) -> PyResult<Bound<'py, PyDict>> {
    let code = code.0;
    let result = PyDict::new(py);
    result.set_item("code", code)?;
    match zhengwu_credit::CreditCode::new(code) {
        Ok(valid) => {
            result.set_item("valid", true)?;
            result.set_item("reason", py.None())?;
            result.set_item("registration_authority", valid.registration_authority().chinese())?;
            result.set_item("warnings", valid.warnings())?;
        }
        Err(error) => {
            result.set_item("valid", false)?;
            result.set_item("reason", error.to_string())?;
            result.set_item("registration_authority", py.None())?;
            result.set_item("warnings", Vec::<String>::new())?;
        }
    }
    Ok(result)
}

/// Validates a 公文 given as JSON text; the violations as JSON text.
#[pyfunction]
fn validate_document(json: Text<'_>) -> PyResult<String> {
    let document = OfficialDocument::from_json(json.0).map_err(|e| DocumentError::new_err(e.to_string()))?;
    serde_json::to_string(&document.validate()).map_err(|e| DocumentError::new_err(e.to_string()))
}

/// 电子监察: a supervisor over a catalogue, fed JSON events.
#[pyclass(module = "zhengwu._zhengwu")]
struct Supervisor {
    inner: zhengwu_supervision::Supervisor,
    /// Rows read from Arrow streams so far: row numbers continue across calls.
    rows: usize,
}

fn dimension(by: &str) -> PyResult<Dimension> {
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

fn period(period: &str) -> PyResult<Period> {
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
    /// `rows`, when known, lets the supervisor make room for the events at once.
    #[pyo3(signature = (source, rows=None))]
    fn ingest_arrow(
        &mut self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        rows: Option<Rows>,
    ) -> PyResult<(u64, u64, u64)> {
        let rows = rows.map(|r| r.0);
        let capsule = source
            .call_method0("__arrow_c_stream__")
            .map_err(|e| SupervisionError::new_err(format!("the events do not export an Arrow C stream: {e}")))?;
        let capsule = capsule.cast::<PyCapsule>().map_err(supervision_error)?;
        let pointer = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
        // SAFETY: a capsule named `arrow_array_stream` holds an `ArrowArrayStream` struct
        // (the Arrow PyCapsule interface); `from_raw` moves the stream out and marks the
        // capsule's copy released, so the capsule's destructor does not release it again.
        #[allow(unsafe_code)]
        let reader = unsafe {
            arrow_array::ffi_stream::RecordBatchStreamReader::from_raw(
                pointer.as_ptr().cast::<arrow_array::ffi_stream::FFI_ArrowArrayStream>(),
            )
        }
        .map_err(|e| SupervisionError::new_err(format!("the Arrow C stream could not be opened: {e}")))?;
        if let Some(rows) = rows {
            // Cases have several events each: room for a case per two rows is enough (room
            // reserved and never written costs address space only).
            self.inner.reserve(rows / 2);
        }
        let offset = self.rows;
        let inner = &mut self.inner;
        let zhengwu_arrow::IngestReport { summary, rows } =
            py.detach(|| zhengwu_arrow::ingest(inner, reader, offset)).map_err(supervision_error)?;
        self.rows += rows;
        Ok((summary.applied, summary.duplicates, summary.rejected))
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

    /// The statistics as a mergeable partial.
    fn partial(&self, as_of: Instant, by: Text<'_>, period_name: Text<'_>) -> PyResult<Statistics> {
        Ok(Statistics { inner: self.inner.statistics(as_of.0, dimension(by.0)?, period(period_name.0)?, None) })
    }

    /// Every alert as JSON.
    fn alerts(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.alerts().collect::<Vec<_>>()).map_err(supervision_error)
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

/// A column read from Python objects into Arrow, for pyarrow to import: pandas' object column of
/// flat dicts of text (the `actor` column `read_json` makes). pyarrow converts such a column
/// generically, inferring its type first; reading it here, where the shape is known, takes a
/// fraction of that. (For plain strings pyarrow is as fast as reading them here: measured.)
#[pyclass(module = "zhengwu._zhengwu", frozen)]
struct ArrowColumn {
    array: arrow_array::ArrayRef,
}

#[pymethods]
impl ArrowColumn {
    /// The Arrow PyCapsule interface: `pyarrow.array(column)` imports the array.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)> {
        let _ = requested_schema; // the array is given in its own type
        let data = self.array.to_data();
        let (array, schema) = arrow_array::ffi::to_ffi(&data).map_err(supervision_error)?;
        Ok((
            PyCapsule::new_with_value(py, schema, c"arrow_schema")?,
            PyCapsule::new_with_value(py, array, c"arrow_array")?,
        ))
    }

    fn __len__(&self) -> usize {
        self.array.len()
    }
}

/// Whether an item is an empty cell: None, or pandas' NaN.
fn empty_cell(item: &Bound<'_, PyAny>) -> bool {
    item.is_none() || item.cast::<pyo3::types::PyFloat>().is_ok_and(|f| f.value().is_nan())
}

/// Reads a list whose items are dicts of text (or None) keyed by text, or None / NaN (an empty
/// cell), into a struct array with a text field per key. None when an item is of another shape:
/// the caller lets pyarrow convert the column instead.
#[pyfunction]
fn text_dicts(items: &Bound<'_, pyo3::types::PyList>) -> PyResult<Option<ArrowColumn>> {
    use arrow_array::builder::StringBuilder;
    use pyo3::types::PyString;

    /// One key's column: its name (as the Python string, for lookups) and values so far.
    struct Field<'py> {
        key: Bound<'py, PyString>,
        name: String,
        values: StringBuilder,
    }
    /// A value as text: a str, or None for an empty one; anything else is not this shape.
    fn text<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<Option<Option<&'a str>>> {
        if value.is_none() {
            return Ok(Some(None));
        }
        match value.cast::<PyString>() {
            Ok(text) => match text.to_str() {
                Ok(text) => Ok(Some(Some(text))),
                Err(_) => Err(args::argument_error(
                    value.py(),
                    "a cell is not valid Unicode text (it holds a lone surrogate)".into(),
                )),
            },
            Err(_) => Ok(None),
        }
    }

    let rows = items.len();
    let mut fields: Vec<Field<'_>> = Vec::new();
    let mut valid = Vec::with_capacity(rows);
    for (row, item) in items.iter().enumerate() {
        let dict = match item.cast::<PyDict>() {
            Ok(dict) => dict,
            Err(_) if empty_cell(&item) => {
                valid.push(false);
                fields.iter_mut().for_each(|field| field.values.append_null());
                continue;
            }
            Err(_) => return Ok(None),
        };
        valid.push(true);
        // The keys seen so far are looked up directly; only a dict with a key not seen before
        // is walked.
        let mut found = 0;
        for field in &mut fields {
            match dict.get_item(&field.key)? {
                Some(value) => {
                    let Some(value) = text(&value)? else { return Ok(None) };
                    field.values.append_option(value);
                    found += 1;
                }
                None => field.values.append_null(),
            }
        }
        if found < dict.len() {
            for (key, value) in dict.iter() {
                let Ok(key) = key.cast_into::<PyString>() else { return Ok(None) };
                let name = key.to_str()?.to_owned();
                if fields.iter().any(|field| field.name == name) {
                    continue;
                }
                let Some(value) = text(&value)? else { return Ok(None) };
                let mut values = StringBuilder::with_capacity(rows, rows * 8);
                values.append_nulls(row);
                values.append_option(value);
                fields.push(Field { key, name, values });
            }
        }
    }
    let mut names = Vec::with_capacity(fields.len());
    let mut columns: Vec<arrow_array::ArrayRef> = Vec::with_capacity(fields.len());
    for mut field in fields {
        names.push(std::sync::Arc::new(arrow_schema::Field::new(field.name, arrow_schema::DataType::Utf8, true)));
        columns.push(std::sync::Arc::new(field.values.finish()));
    }
    let nulls = arrow_buffer::NullBuffer::from(valid);
    let array = arrow_array::StructArray::try_new_with_length(names.into(), columns, Some(nulls), rows)
        .map_err(supervision_error)?;
    Ok(Some(ArrowColumn { array: std::sync::Arc::new(array) }))
}

#[pymodule]
fn _zhengwu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Calendar>()?;
    m.add_class::<Supervisor>()?;
    m.add_class::<Statistics>()?;
    m.add_class::<Process>()?;
    m.add_class::<Case>()?;
    m.add_function(wrap_pyfunction!(check_credit_code, m)?)?;
    m.add_function(wrap_pyfunction!(validate_document, m)?)?;
    m.add_function(wrap_pyfunction!(text_dicts, m)?)?;
    m.add_class::<ArrowColumn>()?;
    let py = m.py();
    m.add("ZhengwuError", py.get_type::<ZhengwuError>())?;
    m.add("CalendarError", py.get_type::<CalendarError>())?;
    m.add("CreditError", py.get_type::<CreditError>())?;
    m.add("DocumentError", py.get_type::<DocumentError>())?;
    m.add("SupervisionError", py.get_type::<SupervisionError>())?;
    m.add("WorkflowError", py.get_type::<WorkflowError>())?;
    m.add("CaseRejected", py.get_type::<CaseRejected>())?;
    m.add("ArgumentError", args::argument_error_type(py, py.get_type::<ZhengwuError>())?)?;
    Ok(())
}
