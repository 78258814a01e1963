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

/// The catalogue items of a statutory application (`petition`, `disclosure`, `suggestion`,
/// `proposal`), as catalogue JSON (`{"item": [...]}`).
#[pyfunction]
#[pyo3(signature = (kind, code, department, office=None, review=None, recheck=None))]
pub(crate) fn catalogue_template(
    kind: Text<'_>,
    code: Text<'_>,
    department: Text<'_>,
    office: Option<String>,
    review: Option<String>,
    recheck: Option<String>,
) -> PyResult<String> {
    let application = zhengwu_workflow::templates::Application::parse(kind.0).ok_or_else(|| {
        crate::errors::supervision_error(format!(
            "unknown application `{}`: petition, disclosure, suggestion or proposal",
            kind.0
        ))
    })?;
    let file = zhengwu_workflow::templates::application_items(
        application,
        code.0,
        department.0,
        [office.as_deref(), review.as_deref(), recheck.as_deref()],
    );
    serde_json::to_string(&file).map_err(crate::errors::supervision_error)
}
