//! `Calendar`: the statutory working-day calendar.

use chrono::NaiveDate;
use pyo3::prelude::*;
use zhengwu_core::ScheduleFile;

use crate::args::{Count, Day, Text};
use crate::errors::{CalendarError, calendar_error};

/// 工作日历: the statutory working-day calendar (State Council notices 2004–2026 embedded).
#[pyclass(module = "zhengwu._zhengwu", frozen)]
pub(crate) struct Calendar {
    pub(crate) inner: zhengwu_core::Calendar,
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
