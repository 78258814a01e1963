#![doc = include_str!("../README.md")]
// PyO3's macros expand to items the workspace lints cannot see documented.
#![allow(missing_docs, unreachable_pub)]
//
// One file per class (`calendar`, `process`, `case`, `supervisor`, `statistics`,
// `arrow_column`), the plain functions in `functions`, the exceptions in `errors`, argument
// conversion in `args`.

mod archive;
mod args;
mod arrow_column;
mod calendar;
mod case;
mod errors;
mod functions;
mod process;
mod statistics;
mod supervisor;

use pyo3::prelude::*;

/// mimalloc for the library's own allocations (Python's objects keep Python's allocator): a
/// replay converts rows on one thread and frees them on another, and builds a state per case,
/// which glibc's allocator served at a quarter of the replay's time under `perf`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use errors::{
    ArchiveError, CalendarError, CaseRejected, CreditError, DocumentError, SupervisionError, WorkflowError,
    ZhengwuError,
};

#[pymodule]
fn _zhengwu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<calendar::Calendar>()?;
    m.add_class::<supervisor::Supervisor>()?;
    m.add_class::<statistics::Partial>()?;
    m.add_class::<process::Process>()?;
    m.add_class::<case::Case>()?;
    m.add_function(wrap_pyfunction!(functions::check_credit_code, m)?)?;
    m.add_function(wrap_pyfunction!(functions::validate_document, m)?)?;
    m.add_function(wrap_pyfunction!(functions::catalogue_template, m)?)?;
    m.add_function(wrap_pyfunction!(archive::pack_archive, m)?)?;
    m.add_function(wrap_pyfunction!(archive::verify_archive, m)?)?;
    m.add_function(wrap_pyfunction!(archive::verify_seal_file, m)?)?;
    m.add_function(wrap_pyfunction!(arrow_column::text_dicts, m)?)?;
    m.add_class::<arrow_column::ArrowColumn>()?;
    let py = m.py();
    m.add("ZhengwuError", py.get_type::<ZhengwuError>())?;
    m.add("ArchiveError", py.get_type::<ArchiveError>())?;
    m.add("CalendarError", py.get_type::<CalendarError>())?;
    m.add("CreditError", py.get_type::<CreditError>())?;
    m.add("DocumentError", py.get_type::<DocumentError>())?;
    m.add("SupervisionError", py.get_type::<SupervisionError>())?;
    m.add("WorkflowError", py.get_type::<WorkflowError>())?;
    m.add("CaseRejected", py.get_type::<CaseRejected>())?;
    m.add("ArgumentError", args::argument_error_type(py, py.get_type::<ZhengwuError>())?)?;
    Ok(())
}
