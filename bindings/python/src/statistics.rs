//! `Statistics`: statistics of one partition, mergeable with others.

use crate::args::{Object, Text};
use crate::errors::{SupervisionError, supervision_error};
use pyo3::prelude::*;

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
        Ok(Statistics { inner: zhengwu_supervision::Statistics::from_json(text.0).map_err(supervision_error)? })
    }

    /// The partial as JSON (`{"version": 1, "dimension", "period", "rows": [[group, period,
    /// counters], ...]}`), to be merged after a distributed run.
    fn to_json(&self) -> String {
        self.inner.to_json()
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
