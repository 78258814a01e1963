//! The one error of the foreign API, a variant per area a caller acts on.

use crate::rejection::RejectionKind;

/// What went wrong, one variant per area a caller acts on.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ZhengwuError {
    /// A date or schedule the calendar cannot answer for.
    #[error("{reason}")]
    Calendar { reason: String },
    /// A process that is not valid, or a case that cannot be read or restored.
    #[error("{reason}")]
    Workflow { reason: String },
    /// A command the case refuses; `kind` says why (`RejectionKind.STEP_NOT_OPEN`,
    /// `HANDED_TO_ANOTHER`, `WRONG_ROLE`, `NOT_YOUR_TURN`, …), so that a host branches on it
    /// without reading `reason`; `code` is the same as stable text (`step_not_open`) for logs;
    /// `about_the_actor` says whether someone else may do it (a UI offers the task to its owner
    /// rather than showing an error).
    #[error("{reason}")]
    Rejected { case_id: String, kind: RejectionKind, code: String, about_the_actor: bool, reason: String },
    /// A catalogue or event log that cannot be read.
    #[error("{reason}")]
    Supervision { reason: String },
    /// The event store: a file that cannot be opened, an append refused (an expected sequence
    /// that no longer holds, an event out of order), a read that failed.
    #[error("{reason}")]
    Store { reason: String },
    /// Malformed input: a date, an instant, a code, JSON.
    #[error("{reason}")]
    InvalidInput { reason: String },
}

pub(crate) fn calendar_error(error: impl std::fmt::Display) -> ZhengwuError {
    ZhengwuError::Calendar { reason: error.to_string() }
}

pub(crate) fn workflow_error(error: impl std::fmt::Display) -> ZhengwuError {
    ZhengwuError::Workflow { reason: error.to_string() }
}

pub(crate) fn supervision_error(error: impl std::fmt::Display) -> ZhengwuError {
    ZhengwuError::Supervision { reason: error.to_string() }
}

pub(crate) fn invalid(reason: impl Into<String>) -> ZhengwuError {
    ZhengwuError::InvalidInput { reason: reason.into() }
}

/// A case's refusal with its kind; any other workflow error as `Workflow`.
pub(crate) fn case_error(error: zhengwu_workflow::Error) -> ZhengwuError {
    match &error {
        zhengwu_workflow::Error::Rejected { case, rejection } => ZhengwuError::Rejected {
            case_id: case.clone(),
            kind: RejectionKind::of(rejection),
            code: rejection.kind().to_owned(),
            about_the_actor: rejection.is_about_the_actor(),
            reason: error.to_string(),
        },
        _ => workflow_error(error),
    }
}

/// The object's lock; a poisoned one (a panic happened while another call held it) is an error
/// naming the object.
pub(crate) fn lock<'a, T>(
    mutex: &'a std::sync::Mutex<T>,
    what: &str,
) -> Result<std::sync::MutexGuard<'a, T>, ZhengwuError> {
    mutex.lock().map_err(|_| ZhengwuError::InvalidInput {
        reason: format!("the {what}'s lock is poisoned: an earlier call panicked"),
    })
}
