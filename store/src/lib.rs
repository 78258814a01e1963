#![doc = include_str!("../README.md")]

mod error;
mod sqlite;

pub use error::{Error, Result};
pub use sqlite::{Appended, ChainHash, SqliteStore, StoredEvent, Verification};
