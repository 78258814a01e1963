//! The module's plain functions: a credit code checked, a 公文 validated.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use zhengwu_core::OfficialDocument;

use crate::args::Text;
use crate::errors::DocumentError;

/// Checks one 统一社会信用代码: `{"code", "valid", "reason", "registration_authority", "warnings"}`.
#[pyfunction]
pub(crate) fn check_credit_code<'py>(py: Python<'py>, code: Text<'_>) -> PyResult<Bound<'py, PyDict>> {
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
pub(crate) fn validate_document(json: Text<'_>) -> PyResult<String> {
    let document = OfficialDocument::from_json(json.0).map_err(|e| DocumentError::new_err(e.to_string()))?;
    serde_json::to_string(&document.validate()).map_err(|e| DocumentError::new_err(e.to_string()))
}
