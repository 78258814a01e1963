use std::fmt;

/// The result type of `zhengwu-core`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why `zhengwu-core` could not evaluate something.
///
/// A business outcome (a late case, a holiday) is never an `Error`; an error means the input could
/// not be evaluated: bad input, or a date outside the published calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The date lies in a year for which no State Council holiday notice has been loaded.
    #[error("year {year} has no published holiday schedule (the calendar covers {first}–{last})")]
    NoSchedule {
        /// The year that was asked about.
        year: i32,
        /// First year the calendar covers.
        first: i32,
        /// Last year the calendar covers.
        last: i32,
    },
    /// A holiday schedule (embedded or loaded) is inconsistent.
    #[error("invalid holiday schedule: {0}")]
    InvalidSchedule(Problems),
    /// A schedule, catalogue or organisation file could not be parsed.
    #[error("cannot parse {what}: {message}")]
    Parse {
        /// What was being parsed (`schedule file`, `catalogue`, ...).
        what: &'static str,
        /// The parser's message, with line and column where it gives them.
        message: String,
    },
    /// A 行政区划代码 is malformed.
    #[error("invalid region code `{code}`: {reason}")]
    InvalidRegionCode {
        /// The code as given.
        code: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The organisation directory (regions, departments, officials) is inconsistent.
    #[error("invalid organization: {0}")]
    InvalidOrganization(Problems),
    /// The service-item catalogue is inconsistent.
    #[error("invalid catalogue: {0}")]
    InvalidCatalogue(Problems),
    /// The statutory clock was given contradictory dates.
    #[error("invalid clock input: {0}")]
    InvalidClock(String),
    /// A case event is malformed.
    #[error("invalid case event{}: {reason}", line.map(|l| format!(" on line {l}")).unwrap_or_default())]
    InvalidEvent {
        /// 1-based line number when the event came from a JSON-lines text.
        line: Option<usize>,
        /// What is wrong with it.
        reason: String,
    },
    /// A 公文 element is malformed (发文字号, 成文日期, 密级, 份号).
    #[error("invalid {element} `{value}`: {reason}")]
    InvalidDocumentElement {
        /// Which element (`发文字号`, `成文日期`, `密级和保密期限`, `份号`, `文种`).
        element: &'static str,
        /// The text as given.
        value: String,
        /// What is wrong and what was expected.
        reason: String,
    },
}

/// Every problem found while validating one input, so that a caller fixes them all in one go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems(pub Vec<Problem>);

/// One validation problem: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where the problem is, e.g. `item[3].promised_limit` or `year 2027`.
    pub location: String,
    /// What is wrong, naming the value and what was expected.
    pub message: String,
}

impl Problems {
    /// Records a problem.
    pub fn push(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem { location: location.into(), message: message.into() });
    }

    pub(crate) fn into_result(self, wrap: fn(Problems) -> Error) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(wrap(self)) }
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(f, "{count} problem{}", if count == 1 { "" } else { "s" })?;
        for problem in &self.0 {
            write!(f, "; {problem}")?;
        }
        Ok(())
    }
}
