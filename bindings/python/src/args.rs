//! Arguments as Python hands them over, read so that a value of the wrong type or out of range is
//! an `ArgumentError` (a `ZhengwuError` that is also a `TypeError` and a `ValueError`) naming
//! what was given, never a bare `TypeError`, `OverflowError` or `UnicodeEncodeError` from the
//! conversion.

use chrono::{DateTime, FixedOffset, NaiveDate};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyString, PyTuple, PyType};
use pyo3::{Borrowed, PyClass};

static ARGUMENT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Creates `ArgumentError(ZhengwuError, TypeError, ValueError)`; called once, from the module's
/// initialisation.
pub(crate) fn argument_error_type<'py>(py: Python<'py>, base: Bound<'py, PyType>) -> PyResult<Bound<'py, PyType>> {
    let ty = ARGUMENT_ERROR.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        let bases = PyTuple::new(
            py,
            [base.into_any(), py.get_type::<pyo3::exceptions::PyTypeError>().into_any(), {
                py.get_type::<pyo3::exceptions::PyValueError>().into_any()
            }],
        )?;
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "zhengwu._zhengwu")?;
        namespace
            .set_item("__doc__", "An argument of the wrong type or out of range: also a TypeError and a ValueError.")?;
        let ty = py.get_type::<PyType>().call1(("ArgumentError", bases, namespace))?;
        Ok(ty.cast_into::<PyType>()?.unbind())
    })?;
    Ok(ty.bind(py).clone())
}

/// An `ArgumentError` with `message`.
pub(crate) fn argument_error(py: Python<'_>, message: String) -> PyErr {
    match ARGUMENT_ERROR.get(py) {
        Some(ty) => PyErr::from_type(ty.bind(py).clone(), message),
        None => pyo3::exceptions::PyTypeError::new_err(message),
    }
}

/// `type (repr)` of what was given, the repr cut to 60 characters.
fn given(obj: &Bound<'_, PyAny>) -> String {
    let type_name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    let repr = obj.repr().map(|r| r.to_string_lossy().into_owned()).unwrap_or_default();
    let repr =
        if repr.chars().count() > 60 { format!("{}…", repr.chars().take(60).collect::<String>()) } else { repr };
    format!("{type_name} {repr}")
}

/// Text: a `str` that is valid Unicode (no lone surrogates), borrowed from the Python string.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text<'a>(pub(crate) &'a str);

impl<'a, 'py> FromPyObject<'a, 'py> for Text<'a> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        let Ok(text) = obj.cast::<PyString>() else {
            return Err(argument_error(py, format!("expected a str, got {}", given(&obj.to_owned()))));
        };
        match <&'a str as FromPyObject<'a, 'py>>::extract(obj) {
            Ok(text) => Ok(Text(text)),
            Err(_) => {
                let position = text.to_string_lossy().chars().position(|c| c == char::REPLACEMENT_CHARACTER);
                let at = position.map(|p| format!(" at character {p}")).unwrap_or_default();
                Err(argument_error(py, format!("the text is not valid Unicode: a lone surrogate{at}")))
            }
        }
    }
}

/// A count: an `int` from 0 to 2³² − 1 (not a `bool`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Count(pub(crate) u32);

impl<'a, 'py> FromPyObject<'a, 'py> for Count {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        whole(&obj.to_owned(), u64::from(u32::MAX)).map(|n| Count(n as u32))
    }
}

/// A number of rows: an `int` from 0 to 2⁶³ − 1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows(pub(crate) usize);

impl<'a, 'py> FromPyObject<'a, 'py> for Rows {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let n = whole(&obj.to_owned(), i64::MAX as u64)?;
        Ok(Rows(usize::try_from(n).unwrap_or(usize::MAX)))
    }
}

fn whole(obj: &Bound<'_, PyAny>, max: u64) -> PyResult<u64> {
    let py = obj.py();
    let out_of_range = || argument_error(py, format!("expected a whole number from 0 to {max}, got {}", given(obj)));
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(out_of_range());
    }
    match obj.extract::<u64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(out_of_range()),
    }
}

/// A day: a `datetime.date` (a `datetime.datetime` gives its date).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Day(pub(crate) NaiveDate);

impl<'a, 'py> FromPyObject<'a, 'py> for Day {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let obj = obj.to_owned();
        if let Ok(instant) = obj.extract::<chrono::NaiveDateTime>() {
            return Ok(Day(instant.date()));
        }
        obj.extract::<NaiveDate>()
            .map(Day)
            .map_err(|_| argument_error(obj.py(), format!("expected a datetime.date, got {}", given(&obj))))
    }
}

/// An instant: a time-zone-aware `datetime.datetime`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Instant(pub(crate) DateTime<FixedOffset>);

impl<'a, 'py> FromPyObject<'a, 'py> for Instant {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let obj = obj.to_owned();
        obj.extract::<DateTime<FixedOffset>>().map(Instant).map_err(|_| {
            argument_error(obj.py(), format!("expected a time-zone-aware datetime.datetime, got {}", given(&obj)))
        })
    }
}

/// An object of one of the module's classes.
#[derive(Debug)]
pub(crate) struct Object<'py, T: PyClass>(pub(crate) Bound<'py, T>);

impl<'a, 'py, T: PyClass> FromPyObject<'a, 'py> for Object<'py, T> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let obj = obj.to_owned();
        match obj.cast::<T>() {
            Ok(value) => Ok(Object(value.clone())),
            Err(_) => {
                let expected = T::NAME;
                Err(argument_error(obj.py(), format!("expected a {expected}, got {}", given(&obj))))
            }
        }
    }
}
