//! The exception hierarchy: every error raised is a `ZhengwuError`.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(_zhengwu, ZhengwuError, PyException, "Base class of every zhengwu error.");
create_exception!(
    _zhengwu,
    CalendarError,
    ZhengwuError,
    "A date outside the published calendar, or a bad schedule file."
);
create_exception!(
    _zhengwu,
    ArchiveError,
    ZhengwuError,
    "A case that cannot be packed, or arguments a package cannot be made or checked with."
);

pub(crate) fn archive_error(error: impl std::fmt::Display) -> PyErr {
    ArchiveError::new_err(error.to_string())
}

create_exception!(_zhengwu, CreditError, ZhengwuError, "Credit data that could not be evaluated.");
create_exception!(_zhengwu, DocumentError, ZhengwuError, "A 公文 that could not be read.");
create_exception!(
    _zhengwu,
    SupervisionError,
    ZhengwuError,
    "A catalogue, configuration or event log that could not be read."
);

pub(crate) fn calendar_error(error: impl std::fmt::Display) -> PyErr {
    CalendarError::new_err(error.to_string())
}

pub(crate) fn supervision_error(error: impl std::fmt::Display) -> PyErr {
    SupervisionError::new_err(error.to_string())
}

create_exception!(_zhengwu, WorkflowError, ZhengwuError, "A process that is not valid, or a command the case refuses.");

pub(crate) fn workflow_error(error: impl std::fmt::Display) -> PyErr {
    WorkflowError::new_err(error.to_string())
}

create_exception!(
    _zhengwu,
    CaseRejected,
    WorkflowError,
    "A command the case refuses: `kind` names why (`case_closed`, `step_not_open`, `handed_to_another`, ...), `case` the case."
);

/// A case's refusal as a `CaseRejected` carrying its kind; any other error as a `WorkflowError`.
pub(crate) fn case_error(py: Python<'_>, error: zhengwu_workflow::Error) -> PyErr {
    let zhengwu_workflow::Error::Rejected { case, rejection } = &error else { return workflow_error(error) };
    let raised = CaseRejected::new_err(error.to_string());
    let value = raised.value(py);
    if value.setattr("kind", rejection.kind()).is_err() || value.setattr("case", case.as_str()).is_err() {
        return workflow_error(error);
    }
    raised
}
