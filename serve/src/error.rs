//! Why the centre could not start or go on.

/// The result type of `zhengwu-serve`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the centre could not start or go on. Refusals of a request are HTTP answers, not these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or an option is wrong: which, and how.
    #[error("{0}")]
    Config(String),
    /// The event store failed.
    #[error("event store: {0}")]
    Store(#[from] zhengwu_store::Error),
    /// The listening socket or another system resource failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A thread panicked while holding the supervisor.
    #[error("the supervisor's lock is poisoned (a thread panicked while holding it)")]
    Poisoned,
}
