use zhengwu_core::Problems;

/// The result type of `zhengwu-workflow`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a process definition could not be read or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A core error.
    #[error(transparent)]
    Core(#[from] zhengwu_core::Error),
    /// A definition file (JSON, TOML) does not parse.
    #[error("cannot parse {what}: {message}")]
    Parse {
        /// What was being parsed.
        what: &'static str,
        /// The parser's message.
        message: String,
    },
    /// BPMN XML does not parse, or uses elements zhengwu does not support; every problem is listed
    /// with its line.
    #[error("cannot import BPMN: {0}")]
    Bpmn(Problems),
    /// A command does not fit the case: wrong step, wrong actor, case closed, ...
    #[error("case `{case}`: {rejection}")]
    Rejected {
        /// The case.
        case: String,
        /// Why, as data: [`crate::Rejection::kind`] is what a host branches on.
        rejection: Box<crate::rejection::Rejection>,
    },
    /// An event does not fit the case being replayed.
    #[error("case `{case}`, event {sequence}: {reason}")]
    Replay {
        /// The case.
        case: String,
        /// The event's sequence number.
        sequence: u64,
        /// What in the event contradicts the case so far.
        reason: String,
    },
    /// A 公文交换 operation does not fit: unknown recipient, wrong state, out of order.
    #[error("exchange of document `{document}`: {reason}")]
    Exchange {
        /// The document id.
        document: String,
        /// Why, naming the unit and its state.
        reason: String,
    },
    /// The process graph is broken: every problem is listed.
    #[error("invalid process `{process}`: {problems}")]
    InvalidProcess {
        /// The process id.
        process: String,
        /// The problems.
        problems: Problems,
    },
}
