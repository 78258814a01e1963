//! `Partial`: the replay of one partition, mergeable with the others'.

use std::collections::BTreeMap;

use crate::args::{Object, Text};
use crate::errors::{SupervisionError, supervision_error};
use pyo3::prelude::*;
use zhengwu_supervision::ScoringScheme;

/// 分区结果: the replay of one partition (statistics, alerts, the ranking's counters, the cases
/// seen), to be merged with the other partitions' (Dask, Spark).
#[pyclass(module = "zhengwu._zhengwu", frozen)]
pub(crate) struct Partial {
    pub(crate) inner: zhengwu_supervision::Partial,
}

#[pymethods]
impl Partial {
    /// Reads what [`Partial::to_json`] wrote.
    #[staticmethod]
    fn from_json(text: Text<'_>) -> PyResult<Self> {
        Ok(Partial { inner: zhengwu_supervision::Partial::from_json(text.0).map_err(supervision_error)? })
    }

    /// The partial as JSON, to travel between processes.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Both partitions together: as of the same instant, the same grouping and period, and no
    /// case in both (else SupervisionError naming the cases).
    fn merge(&self, other: Object<'_, Partial>) -> PyResult<Partial> {
        let mut merged = self.inner.clone();
        merged.merge(&other.0.get().inner).map_err(supervision_error)?;
        Ok(Partial { inner: merged })
    }

    /// Every partial of `parts` merged at once, each list sorted once
    /// (`zhengwu_supervision::Partial::merge_all`); an empty list is refused.
    #[staticmethod]
    fn merge_all(parts: Vec<Object<'_, Partial>>) -> PyResult<Partial> {
        let parts: Vec<&zhengwu_supervision::Partial> = parts.iter().map(|part| &part.0.get().inner).collect();
        zhengwu_supervision::Partial::merge_all(&parts)
            .map_err(supervision_error)?
            .map(|inner| Partial { inner })
            .ok_or_else(|| SupervisionError::new_err("no partial to merge"))
    }

    /// The statistics rows as JSON, as `Supervisor.statistics` gives them.
    fn rows(&self) -> PyResult<String> {
        rows_json(self.inner.statistics())
    }

    /// Every alert, by id, as the columns `supervision._alerts_frame` makes a DataFrame of.
    fn alerts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::arrow_column::alert_columns(py, self.inner.alerts().iter())
    }

    /// The department ranking (default scheme) as JSON.
    fn ranking(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.rank(&ScoringScheme::default(), &BTreeMap::new())).map_err(supervision_error)
    }

    /// The rejected events as JSON.
    fn rejections(&self) -> PyResult<String> {
        serde_json::to_string(self.inner.rejections()).map_err(supervision_error)
    }

    /// (applied, duplicates, rejected).
    fn ingest(&self) -> (u64, u64, u64) {
        let summary = self.inner.ingest();
        (summary.applied, summary.duplicates, summary.rejected)
    }

    /// How many cases the partition held.
    fn cases(&self) -> usize {
        self.inner.cases()
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
