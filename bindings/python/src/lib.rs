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

/// mimalloc's option `purge_delay` (its number in mimalloc 3's `mi_option_e`; the sys crate does
/// not name it): how long freed pages wait before they are returned to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps the pages mimalloc frees for its next allocations instead of returning them to the
/// system after a delay (1 s, its default): a replay frees and allocates all the time, and
/// returned pages came back as fresh ones the kernel zeroed, 2 MB at a time with transparent
/// huge pages (580 MB returned and faulted in again over a 3.3 M-event replay: 7 % of its time
/// on one thread, 0.5 s of the command line's 3.3 s). `MIMALLOC_PURGE_DELAY` in the
/// environment still decides.
#[allow(unsafe_code)]
fn keep_freed_pages() {
    // SAFETY: sets a default of a global option as the module is first imported, under the
    // GIL, before any replay thread starts (the function is not thread-safe); a value set from
    // the environment takes precedence.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, -1) }
}

use errors::{
    ArchiveError, CalendarError, CaseRejected, CreditError, DocumentError, SupervisionError, WorkflowError,
    ZhengwuError,
};

#[pymodule]
fn _zhengwu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    keep_freed_pages();
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
