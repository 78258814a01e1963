/// The result type of `zhengwu-store`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed (file, lock, SQL).
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// The PostgreSQL server or the connection failed.
    #[cfg(feature = "postgres")]
    #[error("postgresql: {0}")]
    Postgres(#[from] postgres::Error),
    /// Another writer appended to the case first (optimistic concurrency).
    #[error("case `{case}`: expected the last sequence to be {expected}, it is {actual}")]
    Conflict {
        /// The case.
        case: String,
        /// What the append assumed.
        expected: u64,
        /// What the log holds.
        actual: u64,
    },
    /// An idempotency key was reused for a different event.
    #[error("idempotency key `{key}` is already used by a different event")]
    KeyReused {
        /// The key.
        key: String,
    },
    /// The events of one append are not consecutive for their case.
    #[error("case `{case}`: event sequence {found} does not follow {previous}")]
    Sequence {
        /// The case.
        case: String,
        /// The sequence before.
        previous: u64,
        /// The sequence found.
        found: u64,
    },
    /// The events were committed, but the checkpoint the store writes every so many events
    /// could not be written (see [`crate::SqliteStore::write_checkpoints`]).
    #[error("the events were committed, but the checkpoint could not be written: {0}")]
    Checkpoint(String),
    /// The log was created with another chain hash.
    #[error("the log's chain uses {stored}, not {requested}")]
    HashMismatch {
        /// The log's hash.
        stored: &'static str,
        /// The hash asked for.
        requested: &'static str,
    },
    /// The file is not a zhengwu event store (another program's database, or not SQLite).
    #[error("`{path}` is not a zhengwu event store: {reason}")]
    NotAStore {
        /// The file.
        path: String,
        /// What it is instead.
        reason: String,
    },
    /// The store's file could not be created.
    #[error("cannot create `{path}`: {message}")]
    Create {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
    /// A read-only open found no file.
    #[error("`{path}`: no such event store (verification never creates one)")]
    Missing {
        /// The path given.
        path: String,
    },
    /// A stored event no longer parses.
    #[error("stored event at position {position} is unreadable: {message}")]
    Corrupt {
        /// Log position.
        position: i64,
        /// The parser's message.
        message: String,
    },
}
