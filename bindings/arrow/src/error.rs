//! What goes wrong with a table as a whole.

/// An error in the table's shape (a missing column, a column of a type the member cannot take)
/// or in the stream delivering it: nothing of the table was ingested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShapeError(pub String);

/// The text a panic carried.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the reader panicked".to_owned())
}
