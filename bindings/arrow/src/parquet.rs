//! Parquet files read as events: the event columns alone, a batch at a time, so memory stays
//! within a row group's pages however large the file.

use std::fs::File;
use std::path::Path;

use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::file::reader::ChunkReader;

use chrono::{DateTime, FixedOffset};

use crate::batch::{is_event_column, latest_recorded_at};
use crate::column::NaiveTimestamps;
use crate::error::ShapeError;

/// Rows per record batch read from a file.
const BATCH_ROWS: usize = 8_192;

/// An open Parquet file of events: its event columns, read a batch at a time (columns that are
/// no event member — a pandas index, a partition key — are not read at all).
pub struct ParquetEvents {
    reader: ParquetRecordBatchReader,
    rows: u64,
    row_groups: usize,
}

impl std::fmt::Debug for ParquetEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetEvents").field("rows", &self.rows).field("row_groups", &self.row_groups).finish()
    }
}

impl ParquetEvents {
    /// Opens `path`; a file that is not Parquet, or whose footer is damaged, is an error naming
    /// the file.
    pub fn open(path: &Path) -> Result<Self, ShapeError> {
        let file = File::open(path).map_err(|e| ShapeError(format!("cannot open `{}`: {e}", path.display())))?;
        Self::from_file(file).map_err(|ShapeError(reason)| ShapeError(format!("`{}`: {reason}", path.display())))
    }

    /// Reads an open file.
    pub fn from_file(file: File) -> Result<Self, ShapeError> {
        Self::from_reader(file)
    }

    /// Reads a file held in memory (a download, an upload's body).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, ShapeError> {
        Self::from_reader(bytes::Bytes::from(bytes))
    }

    fn from_reader<T: ChunkReader + 'static>(reader: T) -> Result<Self, ShapeError> {
        Self::columns_of(reader, is_event_column)
    }

    /// The columns `keep` names, read a batch at a time.
    fn columns_of<T: ChunkReader + 'static>(reader: T, keep: fn(&str) -> bool) -> Result<Self, ShapeError> {
        // The parquet crate panics on some malformed footers: a damaged file, not a crash.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Self::open_reader(reader, keep))).unwrap_or_else(
            |panic| {
                Err(ShapeError(format!(
                    "not a readable Parquet file ({})",
                    crate::error::panic_message(panic.as_ref())
                )))
            },
        )
    }

    /// The latest `recorded_at` of the file's rows that has one readable as `naive` says, read
    /// from that column alone: where the log ends, before its events are read. `None` when no
    /// row has one, or the column or file cannot be read (reading the events says why).
    pub fn latest_recorded_at(path: &Path, naive: NaiveTimestamps) -> Option<DateTime<FixedOffset>> {
        let file = File::open(path).ok()?;
        let mut reader = Self::columns_of(file, |name| name == "recorded_at").ok()?.reader;
        let mut latest: Option<DateTime<FixedOffset>> = None;
        loop {
            let batch = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.next())) {
                Ok(Some(Ok(batch))) => batch,
                Ok(None) => return latest,
                Ok(Some(Err(_))) | Err(_) => return None,
            };
            latest = latest.max(latest_recorded_at(&batch, naive).ok()?);
        }
    }

    fn open_reader<T: ChunkReader + 'static>(reader: T, keep: fn(&str) -> bool) -> Result<Self, ShapeError> {
        let builder = ParquetRecordBatchReaderBuilder::try_new(reader)
            .map_err(|e| ShapeError(format!("not a readable Parquet file ({e})")))?;
        let metadata = builder.metadata().clone();
        let rows = metadata.file_metadata().num_rows().max(0).unsigned_abs();
        let row_groups = metadata.num_row_groups();
        let roots: Vec<usize> = builder
            .parquet_schema()
            .root_schema()
            .get_fields()
            .iter()
            .enumerate()
            .filter(|(_, field)| keep(field.name()))
            .map(|(index, _)| index)
            .collect();
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        let reader = builder
            .with_projection(mask)
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| ShapeError(format!("the Parquet file cannot be read ({e})")))?;
        Ok(ParquetEvents { reader, rows, row_groups })
    }

    /// Rows in the file, as its footer says.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Row groups in the file.
    pub fn row_groups(&self) -> usize {
        self.row_groups
    }

    /// The record batches, for `ingest`.
    pub fn into_reader(self) -> ParquetRecordBatchReader {
        self.reader
    }
}

/// Whether the file at `path` is Parquet: it begins with the magic bytes `PAR1` (a JSON-lines
/// file begins with `{` or white space).
pub fn is_parquet(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0_u8; 4];
    File::open(path).and_then(|mut file| file.read_exact(&mut magic)).is_ok() && &magic == b"PAR1"
}
