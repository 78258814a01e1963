//! `ArrowColumn` and `text_dicts`: object columns read into Arrow where their shape is known.

use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};

use crate::args;
use crate::errors::supervision_error;

/// A column read from Python objects into Arrow, for pyarrow to import: pandas' object column of
/// flat dicts of text (the `actor` column `read_json` makes). pyarrow converts such a column
/// generically, inferring its type first; reading it here, where the shape is known, takes a
/// fraction of that. (For plain strings pyarrow is as fast as reading them here: measured.)
#[pyclass(module = "zhengwu._zhengwu", frozen)]
pub(crate) struct ArrowColumn {
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
pub(crate) fn empty_cell(item: &Bound<'_, PyAny>) -> bool {
    item.is_none() || item.cast::<pyo3::types::PyFloat>().is_ok_and(|f| f.value().is_nan())
}

/// Reads a list whose items are dicts of text (or None) keyed by text, or None / NaN (an empty
/// cell), into a struct array with a text field per key. None when an item is of another shape:
/// the caller lets pyarrow convert the column instead.
#[pyfunction]
pub(crate) fn text_dicts(items: &Bound<'_, pyo3::types::PyList>) -> PyResult<Option<ArrowColumn>> {
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

/// The alerts' columns for a DataFrame, in the order of their JSON fields: the flat text fields as
/// one struct array (pyarrow hands it to pandas without a Python string per cell), the nested
/// ones (`evidence`, `deadline`, `history`) as lists of the Python objects `json.loads` would
/// make. Returned as `(names, flat, nested)`; `supervision._alerts_frame` puts them together.
/// A frame made from a dict per alert took 0.8 s for a hundred thousand alerts.
pub(crate) fn alert_columns<'a, 'py>(
    py: Python<'py>,
    alerts: impl ExactSizeIterator<Item = &'a zhengwu_supervision::Alert>,
) -> PyResult<Bound<'py, PyAny>> {
    use arrow_array::builder::StringBuilder;
    use pyo3::types::{PyList, PyTuple};

    /// The serde (JSON) text of values serialized as a string (an enum's name, an instant), each
    /// made once: most alerts share their level, status and evaluation instant.
    struct Texts<T> {
        known: std::collections::HashMap<T, usize>,
        texts: Vec<String>,
    }
    impl<T: Eq + std::hash::Hash + Clone + serde::Serialize> Texts<T> {
        fn new() -> Self {
            Texts { known: std::collections::HashMap::new(), texts: Vec::new() }
        }
        /// The position of `value`'s text, serialized on first sight.
        fn index(&mut self, value: &T) -> PyResult<usize> {
            if let Some(&position) = self.known.get(value) {
                return Ok(position);
            }
            match serde_json::to_value(value).map_err(supervision_error)? {
                serde_json::Value::String(text) => {
                    self.texts.push(text);
                    self.known.insert(value.clone(), self.texts.len() - 1);
                    Ok(self.texts.len() - 1)
                }
                other => Err(supervision_error(format!("an alert field serializes as {other}, not text"))),
            }
        }
    }

    /// The columns in the order of the JSON's members; the nested ones go through Python.
    const NAMES: [&str; 15] = [
        "id",
        "rule",
        "code",
        "level",
        "raised_level",
        "case_id",
        "item_code",
        "department",
        "region",
        "raised_at",
        "evidence",
        "message",
        "status",
        "deadline",
        "history",
    ];
    const NESTED: [&str; 3] = ["evidence", "deadline", "history"];
    let flat_names: Vec<&str> = NAMES.into_iter().filter(|name| !NESTED.contains(name)).collect();
    debug_assert_eq!(flat_names.len(), 12, "a text per flat column below");
    let rows = alerts.len();
    let mut flat: Vec<StringBuilder> =
        flat_names.iter().map(|_| StringBuilder::with_capacity(rows, rows * 16)).collect();
    let (mut rules, mut levels, mut statuses, mut instants) = (Texts::new(), Texts::new(), Texts::new(), Texts::new());
    let (evidence, deadline, history) = (PyList::empty(py), PyList::empty(py), PyList::empty(py));
    let into = |error: pythonize::PythonizeError| supervision_error(error);
    for alert in alerts {
        let rule = rules.index(&alert.rule)?;
        let (level, raised_level) = (levels.index(&alert.level)?, levels.index(&alert.raised_level)?);
        let (raised_at, status) = (instants.index(&alert.raised_at)?, statuses.index(&alert.status)?);
        // In the order of `flat_names`.
        let texts: [&str; 12] = [
            &alert.id,
            &rules.texts[rule],
            &alert.code,
            &levels.texts[level],
            &levels.texts[raised_level],
            alert.case_id.as_str(),
            alert.item_code.as_str(),
            alert.department.as_str(),
            alert.region.as_str(),
            &instants.texts[raised_at],
            &alert.message,
            &statuses.texts[status],
        ];
        for (column, text) in flat.iter_mut().zip(texts) {
            column.append_value(text);
        }
        evidence.append(pythonize::pythonize(py, &alert.evidence).map_err(into)?)?;
        deadline.append(pythonize::pythonize(py, &alert.deadline).map_err(into)?)?;
        history.append(pythonize::pythonize(py, &alert.history).map_err(into)?)?;
    }
    let fields: Vec<arrow_schema::FieldRef> = flat_names
        .iter()
        .map(|name| std::sync::Arc::new(arrow_schema::Field::new(*name, arrow_schema::DataType::Utf8, false)))
        .collect();
    let columns: Vec<arrow_array::ArrayRef> =
        flat.iter_mut().map(|column| std::sync::Arc::new(column.finish()) as _).collect();
    let array =
        arrow_array::StructArray::try_new_with_length(fields.into(), columns, None, rows).map_err(supervision_error)?;
    let nested = pyo3::types::PyDict::new(py);
    nested.set_item("evidence", evidence)?;
    nested.set_item("deadline", deadline)?;
    nested.set_item("history", history)?;
    let flat = Bound::new(py, ArrowColumn { array: std::sync::Arc::new(array) })?;
    Ok(PyTuple::new(py, [PyList::new(py, NAMES)?.into_any(), flat.into_any(), nested.into_any()])?.into_any())
}
