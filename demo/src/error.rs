//! Why the demo could not run.

/// The result type of `zhengwu-demo`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the demo could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A core error (the calendar has no schedule for the year, ...).
    #[error(transparent)]
    Core(#[from] zhengwu_core::Error),
    /// The workflow engine refused a command: a bug in the simulation.
    #[error(transparent)]
    Workflow(#[from] zhengwu_workflow::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] zhengwu_store::Error),
    /// The year is outside the calendar.
    #[error("year {0} cannot be simulated")]
    Year(i32),
    /// More cases than a simulated year holds.
    #[error("{cases} cases cannot be simulated; at most {MAX_CASES} (forty times the seed city's year)")]
    TooManyCases {
        /// The number asked for.
        cases: u64,
    },
}

/// The most cases a simulated year holds: forty times the seed city's 24,000 (a province's
/// largest city), about a minute and a few GiB.
pub const MAX_CASES: u64 = 1_000_000;
