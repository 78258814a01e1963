//! What goes wrong with a table as a whole.

/// An error in the table's shape (a missing column, a column of a type the member cannot take)
/// or in the stream delivering it: nothing of the table was ingested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShapeError(pub String);
