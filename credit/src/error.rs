/// The result type of `zhengwu-credit`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a code is invalid: which position (1-based), which character, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The code has the wrong number of characters.
    #[error("{kind} `{code}` has {found} characters, expected {expected}")]
    Length {
        /// What kind of code.
        kind: &'static str,
        /// The code as given.
        code: String,
        /// Characters found.
        found: usize,
        /// Characters expected.
        expected: usize,
    },
    /// A character outside the code's alphabet, or of the wrong class for its position.
    #[error("{kind} `{code}`: position {position} is `{found}`, expected {expected}")]
    Character {
        /// What kind of code.
        kind: &'static str,
        /// The code as given.
        code: String,
        /// 1-based position.
        position: usize,
        /// The character found.
        found: char,
        /// What the position allows.
        expected: &'static str,
    },
    /// The check character does not match.
    #[error("{kind} `{code}`: check character at position {position} is `{found}`, expected `{expected}`")]
    Check {
        /// What kind of code (or which embedded code).
        kind: &'static str,
        /// The code as given.
        code: String,
        /// 1-based position of the check character.
        position: usize,
        /// The character found.
        found: char,
        /// The character the others require.
        expected: char,
    },
    /// A registry or credit-record operation does not fit what is recorded.
    #[error("{0}")]
    Record(String),
    /// A scoring model or publication rule set is inconsistent.
    #[error("invalid credit configuration: {0}")]
    Config(String),
    /// A date embedded in a code does not exist (公民身份号码 birth date).
    #[error("{kind} `{code}`: positions {from}–{to} `{found}` are not a valid date")]
    Date {
        /// What kind of code.
        kind: &'static str,
        /// The code as given.
        code: String,
        /// First position.
        from: usize,
        /// Last position.
        to: usize,
        /// The digits found.
        found: String,
    },
}
