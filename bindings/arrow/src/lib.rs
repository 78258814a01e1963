//! Case events from Arrow record batches: a pyarrow `Table` or `RecordBatchReader`, a pandas
//! DataFrame converted by pyarrow, a polars DataFrame — anything that exports the Arrow C stream
//! interface (`__arrow_c_stream__`) — and from Parquet files ([`ingest_parquet`]), whoever wrote
//! them (pyarrow, pandas, polars, Spark), read a batch at a time.
//!
//! A table holds one event per row, its columns named as the event's JSON members (the union of
//! every event kind's members; a row leaves the columns of other kinds empty). Columns are read
//! in place, without going through JSON:
//! - text members accept string columns (`string`, `large_string`, `string_view`, dictionary-
//!   encoded strings as pandas categoricals give), and integer columns where pandas read a code
//!   as a number (a region `530102`);
//! - numbers accept integer columns, and float columns holding whole numbers (pandas turns an
//!   integer column with gaps into floats);
//! - times accept RFC 3339 strings or timestamps with a time zone (a fixed offset or an IANA
//!   name); a timestamp column without a zone (pyarrow's JSON reader makes one of RFC 3339
//!   text, dropping the offset) is refused unless [`NaiveTimestamps`] says how to read it, as
//!   UTC instants or wall-clock times of a zone;
//! - the actor is a struct column `actor` (`id`, `name`, `role`) or flat columns `actor.id` /
//!   `actor_id` (as `pandas.json_normalize` writes them);
//! - composite members (lists, `data`, `measures`, `signature`) accept Arrow lists, structs and
//!   maps, or strings of the canonical `arrow.json` extension type.
//!
//! A column of the wrong type is an error naming the column, before any row is read; a row that
//! cannot be an event (an unknown `type`, a malformed time, a member its kind needs left empty)
//! is rejected with its row number and the reason, and the other rows go on — as a malformed
//! line of a JSON-lines file is.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{RecordBatch, RecordBatchIterator, StringArray, Int64Array, StructArray, ArrayRef};
//! use arrow_schema::{DataType, Field};
//! use zhengwu_arrow::EventBatch;
//!
//! let text = |v: &str| Arc::new(StringArray::from(vec![v])) as ArrayRef;
//! let actor = StructArray::from(vec![(Arc::new(Field::new("id", DataType::Utf8, false)), text("w01"))]);
//! let batch = RecordBatch::try_from_iter([
//!     ("schema", Arc::new(Int64Array::from(vec![1])) as ArrayRef),
//!     ("idempotency_key", text("C1#1")),
//!     ("case_id", text("C1")),
//!     ("sequence", Arc::new(Int64Array::from(vec![1]))),
//!     ("item_code", text("SCJG-001")),
//!     ("department", text("scjg")),
//!     ("region", Arc::new(Int64Array::from(vec![530102]))), // a code pandas read as a number
//!     ("occurred_at", text("2025-03-03T09:12:00+08:00")),
//!     ("recorded_at", text("2025-03-03T09:12:04+08:00")),
//!     ("actor", Arc::new(actor)),
//!     ("type", text("received")),
//!     ("channel", text("window")),
//! ])?;
//! let events = EventBatch::new(&batch)?;
//! let event = events.event(0).expect("row 1 is an event");
//! assert_eq!(event.region.as_str(), "530102");
//! assert_eq!(event.kind.type_name(), "received");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod column;
mod error;
mod ingest;
mod parquet;
mod replay;

pub use batch::{EventBatch, check_schema};
pub use column::NaiveTimestamps;
pub use error::ShapeError;
pub use ingest::{IngestReport, Threads, ingest, ingest_on, ingest_parquet, ingest_parquet_on};
pub use parquet::{ParquetEvents, is_parquet};
pub use replay::{AsOf, latest_recorded_at, replay_batches, replay_parquet, replay_reader};

#[cfg(test)]
mod tests;
