#![doc = include_str!("../README.md")]

mod error;
mod sqlite;

pub use error::{Error, Result};
pub use sqlite::{Appended, SqliteStore, StoredEvent, Verification};
