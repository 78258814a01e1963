/// The result type of `zhengwu-supervision`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why supervision could not evaluate something. A rule that fires, a late case or a rejected
/// event are values, not errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A core error: calendar coverage, malformed catalogue or events.
    #[error(transparent)]
    Core(#[from] zhengwu_core::Error),
    /// The rule configuration is malformed or inconsistent.
    #[error("invalid rule configuration: {0}")]
    Config(String),
    /// Two partials cannot be merged: other instants, other groupings, or a case in both.
    #[error("cannot merge the partials: {0}")]
    Merge(String),
    /// A correction-process action does not fit the alert's state.
    #[error("alert `{alert}`: {reason}")]
    Correction {
        /// The alert id.
        alert: String,
        /// What is wrong.
        reason: String,
    },
}
