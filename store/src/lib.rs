#![doc = include_str!("../README.md")]

mod each;
mod error;
mod event_store;
mod log;
#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;

pub use each::{Admit, Admitted, Follow};
pub use error::{Error, Result};
pub use event_store::EventStore;
pub use log::{Appended, CHECKPOINT_VERSION, ChainHash, Checkpoint, StoredEvent, Verification};
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
pub use sqlite::{APPLICATION_ID, CheckpointSink, STORE_VERSION, SqliteStore};
