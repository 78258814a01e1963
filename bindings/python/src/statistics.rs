//! `Statistics`: statistics of one partition, mergeable with others.

use pyo3::prelude::*;
use zhengwu_supervision::{Dimension, Period};

use crate::args::{Object, Text};
use crate::errors::{SupervisionError, supervision_error};

/// 统计分项: statistics of one partition, to be merged with others (Dask, Spark).
#[pyclass(module = "zhengwu._zhengwu", frozen)]
pub(crate) struct Statistics {
    pub(crate) inner: zhengwu_supervision::Statistics,
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

pub(crate) fn rows_json(statistics: &zhengwu_supervision::Statistics) -> PyResult<String> {
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
