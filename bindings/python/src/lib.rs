#![doc = include_str!("../README.md")]
// PyO3's macros expand to items the workspace lints cannot see documented.
#![allow(missing_docs, unreachable_pub)]

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use zhengwu_core::{Catalogue, CatalogueFile, OfficialDocument, ScheduleFile};
use zhengwu_supervision::{Dimension, Period, ScoringScheme, SupervisionConfig};

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
    fn with_schedule(&self, text: &str, format: &str) -> PyResult<Calendar> {
        let file = match format {
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

    fn is_workday(&self, day: NaiveDate) -> PyResult<bool> {
        self.inner.is_workday(day).map_err(calendar_error)
    }

    fn add_working_days(&self, start: NaiveDate, days: u32) -> PyResult<NaiveDate> {
        self.inner.add_working_days(start, days).map_err(calendar_error)
    }

    fn add_calendar_days(&self, start: NaiveDate, days: u32) -> PyResult<NaiveDate> {
        self.inner.add_calendar_days(start, days).map_err(calendar_error)
    }

    fn working_days_between(&self, start: NaiveDate, end: NaiveDate) -> PyResult<i64> {
        self.inner.working_days_between(start, end).map_err(calendar_error)
    }
}

/// Checks one 统一社会信用代码: `{"code", "valid", "reason", "registration_authority", "warnings"}`.
#[pyfunction]
fn check_credit_code<'py>(py: Python<'py>, code: &str) -> PyResult<Bound<'py, PyDict>> {
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
fn validate_document(json: &str) -> PyResult<String> {
    let document = OfficialDocument::from_json(json).map_err(|e| DocumentError::new_err(e.to_string()))?;
    serde_json::to_string(&document.validate()).map_err(|e| DocumentError::new_err(e.to_string()))
}

/// 电子监察: a supervisor over a catalogue, fed JSON events.
#[pyclass(module = "zhengwu._zhengwu")]
struct Supervisor {
    inner: zhengwu_supervision::Supervisor,
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
    fn new(catalogue: &str, format: &str, rules: Option<&str>, calendar: Option<&Calendar>) -> PyResult<Self> {
        let file = match format {
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
            Some(text) => SupervisionConfig::from_toml(text).map_err(supervision_error)?,
            None => SupervisionConfig::default(),
        };
        let calendar = calendar.map_or_else(zhengwu_core::Calendar::china, |c| c.inner.clone());
        Ok(Supervisor { inner: zhengwu_supervision::Supervisor::new(calendar, catalogue, config) })
    }

    /// Ingests JSON-lines text; returns the counts (applied, duplicates, rejected).
    fn ingest_json_lines(&mut self, text: &str) -> (u64, u64, u64) {
        let summary = self.inner.ingest_json_lines(text);
        (summary.applied, summary.duplicates, summary.rejected)
    }

    /// Evaluates every rule as of an instant; the number of alerts raised.
    fn evaluate(&mut self, as_of: DateTime<FixedOffset>) -> usize {
        self.inner.evaluate(as_of).raised.len()
    }

    /// Statistics rows as JSON: one object per group and period, counters and rates.
    fn statistics(&self, as_of: DateTime<FixedOffset>, by: &str, period_name: &str) -> PyResult<String> {
        let statistics = self.inner.statistics(as_of, dimension(by)?, period(period_name)?, None);
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

    /// Every alert as JSON.
    fn alerts(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.alerts().collect::<Vec<_>>()).map_err(supervision_error)
    }

    /// The department ranking (default scheme) as JSON.
    fn ranking(&self, as_of: DateTime<FixedOffset>) -> PyResult<String> {
        let ranking = self.inner.rank(as_of, Period::All, "all", &ScoringScheme::default(), &BTreeMap::new());
        serde_json::to_string(&ranking).map_err(supervision_error)
    }

    /// The rejected events as JSON (line and reason).
    fn rejections(&self) -> PyResult<String> {
        serde_json::to_string(self.inner.rejections()).map_err(supervision_error)
    }
}

#[pymodule]
fn _zhengwu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Calendar>()?;
    m.add_class::<Supervisor>()?;
    m.add_function(wrap_pyfunction!(check_credit_code, m)?)?;
    m.add_function(wrap_pyfunction!(validate_document, m)?)?;
    let py = m.py();
    m.add("ZhengwuError", py.get_type::<ZhengwuError>())?;
    m.add("CalendarError", py.get_type::<CalendarError>())?;
    m.add("CreditError", py.get_type::<CreditError>())?;
    m.add("DocumentError", py.get_type::<DocumentError>())?;
    m.add("SupervisionError", py.get_type::<SupervisionError>())?;
    Ok(())
}
