//! Case events from Arrow record batches: a pyarrow `Table` or `RecordBatchReader`, a pandas
//! DataFrame converted by pyarrow, a polars DataFrame — anything that exports the Arrow C stream
//! interface (`__arrow_c_stream__`).
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
//!   name); a timestamp without a zone is refused, as its instant is unknown;
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

use std::borrow::Cow;
use std::sync::mpsc;

use arrow_array::cast::AsArray;
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch, RecordBatchReader};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde_json::{Map, Value};
use zhengwu_core::{Actor, CaseEvent, Channel, Decision, EventKind, RegionCode};
use zhengwu_supervision::{IngestSummary, Supervisor};

/// The members every event has (the kind's own members are the other columns).
const COMMON: [&str; 13] = [
    "schema",
    "idempotency_key",
    "case_id",
    "sequence",
    "item_code",
    "department",
    "region",
    "occurred_at",
    "recorded_at",
    "actor",
    "type",
    "signature",
    "actor.id",
];

/// Rows converted per slice: the converting thread stays a slice ahead of the supervisor.
const SLICE_ROWS: usize = 1_024;

/// An error in the table's shape (a missing column, a column of a type the member cannot take)
/// or in the stream delivering it: nothing of the table was ingested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShapeError(pub String);

/// What [`ingest`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ingested {
    /// Applied, duplicate and rejected events.
    pub summary: IngestSummary,
    /// Rows read.
    pub rows: usize,
}

/// Reads every batch of `reader` into `supervisor`: one thread converts rows to events while the
/// calling thread ingests them. Row numbers in rejections count from 1 across the whole stream,
/// after the `offset` rows of earlier calls.
///
/// The schema is checked before any row is read: a [`ShapeError`] leaves the supervisor as it
/// was. A stream that fails part-way keeps the rows ingested before the failure.
pub fn ingest(
    supervisor: &mut Supervisor,
    reader: impl RecordBatchReader + Send,
    offset: usize,
) -> Result<Ingested, ShapeError> {
    let before = supervisor.ingest_summary();
    let mut rows = 0;
    let schema = reader.schema();
    // The shape is checked once, before any row is read, so a wrong table changes nothing.
    check_schema(&schema)?;
    type Slice = Vec<(usize, Result<CaseEvent, String>)>;
    let (sender, receiver) = mpsc::sync_channel::<Result<Slice, ShapeError>>(4);
    // Emptied slices go back to the converting thread to be filled again: a slice is a few
    // megabytes, and fresh ones would be fresh pages to fault in.
    let (recycle, recycled) = mpsc::channel::<Slice>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut row = offset;
            for batch in reader {
                let batch = match batch {
                    Ok(batch) => batch,
                    Err(error) => {
                        let _ = sender.send(Err(ShapeError(format!("reading the Arrow stream failed: {error}"))));
                        return;
                    }
                };
                let mut start = 0;
                while start < batch.num_rows() {
                    let length = SLICE_ROWS.min(batch.num_rows() - start);
                    let slice = batch.slice(start, length);
                    let converted = EventBatch::new(&slice).map(|columns| {
                        let mut events = recycled.try_recv().unwrap_or_else(|_| Vec::with_capacity(SLICE_ROWS));
                        events.extend((0..length).map(|index| (row + index + 1, columns.event(index))));
                        events
                    });
                    let failed = converted.is_err();
                    if sender.send(converted).is_err() || failed {
                        return;
                    }
                    row += length;
                    start += length;
                }
            }
        });
        for converted in receiver {
            let mut converted = converted?;
            rows += converted.len();
            for (line, event) in converted.drain(..) {
                match event {
                    Ok(event) => {
                        supervisor.ingest_from(event, line);
                    }
                    Err(reason) => supervisor.reject_unreadable(line, reason),
                }
            }
            // The converting thread may have finished; then the slice is simply dropped.
            let _ = recycle.send(converted);
        }
        Ok(())
    })?;
    Ok(Ingested { summary: supervisor.ingest_summary().since(before), rows })
}

/// Checks a schema: the required members are present and every column's type is readable.
pub fn check_schema(schema: &Schema) -> Result<(), ShapeError> {
    let batch = RecordBatch::new_empty(std::sync::Arc::new(schema.clone()));
    EventBatch::new(&batch).map(|_| ())
}

/// The events of one record batch: its columns resolved by name and typed once, then read row
/// by row.
pub struct EventBatch<'a> {
    schema: Column<'a>,
    key: Column<'a>,
    case_id: Column<'a>,
    sequence: Column<'a>,
    item_code: Column<'a>,
    department: Column<'a>,
    region: Column<'a>,
    occurred_at: Column<'a>,
    recorded_at: Column<'a>,
    kind: Column<'a>,
    signature: Column<'a>,
    actor: ActorColumns<'a>,
    /// Every other column, by name: the kinds' members.
    members: Vec<(&'a str, Column<'a>)>,
    rows: usize,
}

struct ActorColumns<'a> {
    /// The nulls of a struct column `actor`: a null struct is a missing actor.
    nulls: Option<&'a NullBuffer>,
    id: Column<'a>,
    name: Column<'a>,
    role: Column<'a>,
}

impl std::fmt::Debug for EventBatch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBatch").field("rows", &self.rows).finish_non_exhaustive()
    }
}

impl<'a> EventBatch<'a> {
    /// Resolves the batch's columns; a missing required member or a column of an unreadable
    /// type is an error naming it.
    pub fn new(batch: &'a RecordBatch) -> Result<Self, ShapeError> {
        let schema = batch.schema_ref();
        let find = |name: &str| schema.index_of(name).ok().map(|i| (schema.field(i), batch.column(i)));
        let required = |name: &'static str| -> Result<Column<'a>, ShapeError> {
            let (field, array) = find(name).ok_or_else(|| {
                ShapeError(format!("the table has no column `{name}` (columns: {})", column_names(schema)))
            })?;
            Column::new(name, field, array.as_ref())
        };
        let optional = |name: &'static str| -> Result<Column<'a>, ShapeError> {
            match find(name) {
                Some((field, array)) => Column::new(name, field, array.as_ref()),
                None => Ok(Column::absent(name)),
            }
        };
        let actor = match find("actor") {
            Some((field, array)) => match array.as_ref().as_struct_opt() {
                Some(actor) => {
                    let child = |name: &'static str| -> Result<Column<'a>, ShapeError> {
                        match actor.column_by_name(name) {
                            Some(column) => {
                                let DataType::Struct(fields) = field.data_type() else { unreachable!() };
                                let (_, child_field) = fields.find(name).ok_or_else(|| ShapeError(name.into()))?;
                                Column::new(name, child_field, column.as_ref())
                            }
                            None if name == "id" => {
                                Err(ShapeError("the struct column `actor` has no field `id`".into()))
                            }
                            None => Ok(Column::absent(name)),
                        }
                    };
                    ActorColumns { nulls: actor.nulls(), id: child("id")?, name: child("name")?, role: child("role")? }
                }
                None if matches!(array.data_type(), DataType::Null) => ActorColumns {
                    nulls: None,
                    id: Column::absent("actor.id"),
                    name: Column::absent("actor.name"),
                    role: Column::absent("actor.role"),
                },
                None => {
                    // A JSON text or map column: read generically, row by row.
                    let column = Column::new("actor", field, array.as_ref())?;
                    ActorColumns {
                        nulls: None,
                        id: column,
                        name: Column::absent("actor.name"),
                        role: Column::absent("actor.role"),
                    }
                }
            },
            None => {
                let flat = |dotted: &'static str, underscored: &'static str| -> Result<Column<'a>, ShapeError> {
                    match find(dotted).or_else(|| find(underscored)) {
                        Some((field, array)) => Column::new(dotted, field, array.as_ref()),
                        None => Ok(Column::absent(dotted)),
                    }
                };
                let id = flat("actor.id", "actor_id")?;
                if matches!(id.values, Values::Absent) {
                    return Err(ShapeError(format!(
                        "the table has no column `actor` (a struct with `id`, `name`, `role`) nor `actor.id` / \
                         `actor_id` (columns: {})",
                        column_names(schema)
                    )));
                }
                ActorColumns {
                    nulls: None,
                    id,
                    name: flat("actor.name", "actor_name")?,
                    role: flat("actor.role", "actor_role")?,
                }
            }
        };
        let mut members = Vec::new();
        for (field, array) in schema.fields().iter().zip(batch.columns()) {
            let name = field.name().as_str();
            if COMMON.contains(&name) || name.starts_with("actor.") || name.starts_with("actor_") {
                continue;
            }
            members.push((name, Column::new(name, field, array.as_ref())?));
        }
        Ok(EventBatch {
            rows: batch.num_rows(),
            schema: required("schema")?,
            key: required("idempotency_key")?,
            case_id: required("case_id")?,
            sequence: required("sequence")?,
            item_code: required("item_code")?,
            department: required("department")?,
            region: required("region")?,
            occurred_at: required("occurred_at")?,
            recorded_at: required("recorded_at")?,
            kind: required("type")?,
            signature: optional("signature")?,
            actor,
            members,
        })
    }

    fn member(&self, name: &str) -> Option<&Column<'a>> {
        self.members.iter().find(|(member, _)| *member == name).map(|(_, column)| column)
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the batch has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The event of row `row` (0-based), or why the row is not one. `row` must be below
    /// [`EventBatch::len`].
    pub fn event(&self, row: usize) -> Result<CaseEvent, String> {
        let kind_name = self.kind.required_text(row)?;
        let schema = self.schema.required_int(row)?;
        let sequence = self.sequence.required_int(row)?;
        let region = self.region.required_text(row)?;
        let event = CaseEvent {
            schema: u32::try_from(schema).map_err(|_| format!("`schema`: {schema} is out of range"))?,
            idempotency_key: self.key.required_text(row)?.as_ref().into(),
            case_id: self.case_id.required_text(row)?.as_ref().into(),
            sequence: u64::try_from(sequence).map_err(|_| format!("`sequence`: {sequence} is negative"))?,
            item_code: self.item_code.required_text(row)?.as_ref().into(),
            department: self.department.required_text(row)?.as_ref().into(),
            region: RegionCode::new(&region).map_err(|e| format!("`region`: {e}"))?,
            occurred_at: self.occurred_at.required_time(row)?,
            recorded_at: self.recorded_at.required_time(row)?,
            actor: self.actor(row)?,
            kind: self.kind(&kind_name, row)?,
            signature: match self.signature.value(row)? {
                Some(value) => Some(Box::new(serde_json::from_value(value).map_err(|e| format!("`signature`: {e}"))?)),
                None => None,
            },
        };
        Ok(event)
    }

    fn actor(&self, row: usize) -> Result<Actor, String> {
        let actor = &self.actor;
        if actor.nulls.is_some_and(|nulls| nulls.is_null(row)) {
            return Err("`actor` is empty".into());
        }
        if actor.id.name == "actor" {
            // A JSON text or map column holding the whole actor.
            let value = actor.id.value(row)?.ok_or("`actor` is empty")?;
            return serde_json::from_value(value).map_err(|e| format!("`actor`: {e}"));
        }
        let role = match actor.role.text(row)? {
            Some(role) => Some(unit_enum(&role).map_err(|e| format!("`{}`: {e}", actor.role.name))?),
            None => None,
        };
        Ok(Actor {
            id: actor.id.required_text(row)?.as_ref().into(),
            name: actor.name.text(row)?.map(Cow::into_owned),
            role,
        })
    }

    /// The kind's members: the frequent kinds read their columns directly; the others gather
    /// the row's non-empty member columns into an object for the vocabulary's own reader.
    fn kind(&self, name: &str, row: usize) -> Result<EventKind, String> {
        let text = |member: &str| -> Result<Option<String>, String> {
            match self.member(member) {
                Some(column) => Ok(column.text(row)?.map(Cow::into_owned)),
                None => Ok(None),
            }
        };
        let required = |member: &str| -> Result<String, String> {
            text(member)?.ok_or_else(|| format!("`{member}` is required for a `{name}` event and is empty"))
        };
        let strings = |member: &str| -> Result<Vec<String>, String> {
            match self.member(member) {
                Some(column) => match column.value(row)? {
                    Some(value) => serde_json::from_value(value).map_err(|e| format!("`{member}`: {e}")),
                    None => Ok(Vec::new()),
                },
                None => Ok(Vec::new()),
            }
        };
        Ok(match name {
            "received" => {
                let channel: Channel = member_enum("channel", &required("channel")?)?;
                EventKind::Received { channel, materials: strings("materials")? }
            }
            "accepted" => EventKind::Accepted,
            "refused_at_intake" => EventKind::RefusedAtIntake { reason: text("reason")? },
            "step_started" => EventKind::StepStarted { step: required("step")? },
            "step_completed" => EventKind::StepCompleted { step: required("step")?, opinion: text("opinion")? },
            "concluded" => {
                let decision: Decision = member_enum("decision", &required("decision")?)?;
                EventKind::Concluded { decision, reason: text("reason")?, document_number: text("document_number")? }
            }
            "fee_charged" => {
                let amount = match self.member("amount_fen") {
                    Some(column) => column.int(row)?,
                    None => None,
                };
                EventKind::FeeCharged {
                    fee_code: required("fee_code")?,
                    amount_fen: amount.ok_or("`amount_fen` is required for a `fee_charged` event and is empty")?,
                }
            }
            "result_delivered" => EventKind::ResultDelivered { method: text("method")? },
            "withdrawn" => EventKind::Withdrawn { reason: text("reason")? },
            _ => {
                let mut object = Map::new();
                object.insert("type".into(), Value::String(name.to_owned()));
                for (member, column) in &self.members {
                    if let Some(value) = member_value(member, column, row)? {
                        object.insert((*member).to_owned(), value);
                    }
                }
                EventKind::deserialize(Value::Object(object)).map_err(|e| e.to_string())?
            }
        })
    }
}

/// The members of the vocabulary that are numbers or booleans; every other scalar member is
/// text, even where pandas read it as a number (a step code `1`, an official `1024`).
const NUMBER_MEMBERS: [&str; 5] = ["schema", "sequence", "days", "amount_fen", "expected_days"];
const BOOLEAN_MEMBERS: [&str; 2] = ["approve", "delegated"];
/// The members that are calendar days: pyarrow's JSON reader makes `"2025-06-20"` a zone-less
/// timestamp at midnight, which names a day here, not an instant.
const DATE_MEMBERS: [&str; 2] = ["hearing_on", "expires_on"];

/// A kind's member as the vocabulary's reader wants it: booleans from pandas' 1.0 / 0.0 (a
/// boolean column with gaps becomes floats), text from numbers, other values as they are.
fn member_value(member: &str, column: &Column<'_>, row: usize) -> Result<Option<Value>, String> {
    if DATE_MEMBERS.contains(&member) && matches!(column.values, Values::Time { .. }) {
        return Ok(column.day(row)?.map(|day| Value::String(day.to_string())));
    }
    if BOOLEAN_MEMBERS.contains(&member) {
        return Ok(column.boolean(row)?.map(Value::Bool));
    }
    if !NUMBER_MEMBERS.contains(&member) && column.is_number() {
        return Ok(column.text(row)?.map(|text| Value::String(text.into_owned())));
    }
    column.value(row)
}

/// A unit enum of the vocabulary (`window`, `granted`, `window_clerk` …) from its name.
fn unit_enum<T: for<'de> Deserialize<'de>>(name: &str) -> Result<T, serde::de::value::Error> {
    T::deserialize(name.into_deserializer())
}

fn member_enum<T: for<'de> Deserialize<'de>>(member: &str, value: &str) -> Result<T, String> {
    unit_enum(value).map_err(|e| format!("`{member}`: {e}"))
}

fn column_names(schema: &Schema) -> String {
    schema.fields().iter().map(|f| format!("`{}`", f.name())).collect::<Vec<_>>().join(", ")
}

/// One column, typed once.
struct Column<'a> {
    name: &'a str,
    /// Which rows are empty (for all but dictionaries, whose emptiness is their keys' and
    /// values').
    nulls: Option<&'a NullBuffer>,
    values: Values<'a>,
}

enum Values<'a> {
    /// The column is not in the table.
    Absent,
    /// Arrow's null type: every row empty.
    Null,
    Text(Strings<'a>),
    /// Strings of the `arrow.json` extension type: each a JSON value.
    Json(Strings<'a>),
    /// Dictionary-encoded: the row's key (an integer array) into the values.
    Dictionary {
        keys: &'a dyn Array,
        values: Box<Column<'a>>,
        len: usize,
    },
    /// Any integer type.
    Int(&'a dyn Array),
    /// Either float type.
    Float(&'a dyn Array),
    Bool(&'a arrow_array::BooleanArray),
    Time {
        values: &'a [i64],
        unit: TimeUnit,
        zone: Option<Tz>,
    },
    /// Calendar dates (`date32`: days, `date64`: milliseconds since 1970-01-01), as pyarrow's JSON
    /// reader makes of `"2025-06-20"`: read as `YYYY-MM-DD` text.
    Date(&'a dyn Array),
    /// Lists, structs and maps: read as JSON values.
    Nested(&'a dyn Array),
}

/// A string column of any of Arrow's three layouts, downcast once.
#[derive(Clone, Copy)]
enum Strings<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
}

impl<'a> Strings<'a> {
    fn value(self, row: usize) -> &'a str {
        match self {
            Strings::Utf8(array) => array.value(row),
            Strings::Large(array) => array.value(row),
            Strings::View(array) => array.value(row),
        }
    }
}

impl<'a> Column<'a> {
    fn absent(name: &'a str) -> Self {
        Column { name, nulls: None, values: Values::Absent }
    }

    fn new(name: &'a str, field: &Field, array: &'a dyn Array) -> Result<Self, ShapeError> {
        let wrong = || {
            ShapeError(format!(
                "column `{name}` has the Arrow type {}, which the member cannot take",
                field.data_type()
            ))
        };
        let json = field.extension_type_name() == Some("arrow.json");
        let text = |strings| if json { Values::Json(strings) } else { Values::Text(strings) };
        let values = match array.data_type() {
            DataType::Null => Values::Null,
            DataType::Utf8 => text(Strings::Utf8(array.as_string::<i32>())),
            DataType::LargeUtf8 => text(Strings::Large(array.as_string::<i64>())),
            DataType::Utf8View => text(Strings::View(array.as_string_view())),
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64 => Values::Int(array),
            DataType::Float32 | DataType::Float64 => Values::Float(array),
            DataType::Boolean => Values::Bool(array.as_boolean()),
            DataType::Date32 | DataType::Date64 => Values::Date(array),
            DataType::Timestamp(unit, zone) => {
                let zone = match zone {
                    Some(zone) => Some(zone.parse::<Tz>().map_err(|e| {
                        ShapeError(format!("column `{name}`: time zone `{zone}` is not understood ({e})"))
                    })?),
                    None => None,
                };
                let values = match unit {
                    TimeUnit::Second => array.as_primitive::<arrow_array::types::TimestampSecondType>().values(),
                    TimeUnit::Millisecond => {
                        array.as_primitive::<arrow_array::types::TimestampMillisecondType>().values()
                    }
                    TimeUnit::Microsecond => {
                        array.as_primitive::<arrow_array::types::TimestampMicrosecondType>().values()
                    }
                    TimeUnit::Nanosecond => {
                        array.as_primitive::<arrow_array::types::TimestampNanosecondType>().values()
                    }
                };
                Values::Time { values, unit: *unit, zone }
            }
            DataType::Dictionary(_, value_type) => {
                let dictionary = array.as_any_dictionary();
                let value_field = Field::new(name, value_type.as_ref().clone(), true);
                let values = Column::new(name, &value_field, dictionary.values().as_ref())?;
                Values::Dictionary { keys: dictionary.keys(), values: Box::new(values), len: dictionary.values().len() }
            }
            DataType::Struct(_)
            | DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(_, _)
            | DataType::Map(_, _) => Values::Nested(array),
            _ => return Err(wrong()),
        };
        Ok(Column { name, nulls: array.nulls(), values })
    }

    fn is_null(&self, row: usize) -> bool {
        match &self.values {
            Values::Absent | Values::Null => true,
            Values::Dictionary { keys, values, len } => {
                keys.is_null(row) || dictionary_key(*keys, *len, row).is_none_or(|key| values.is_null(key))
            }
            _ => self.nulls.is_some_and(|nulls| nulls.is_null(row)),
        }
    }

    /// A text member: strings as they are, whole numbers as their digits.
    fn text(&self, row: usize) -> Result<Option<Cow<'a, str>>, String> {
        if self.is_null(row) {
            return Ok(None);
        }
        Ok(Some(match &self.values {
            Values::Text(strings) => Cow::Borrowed(strings.value(row)),
            Values::Dictionary { keys, values, len } => return values.text(key(*keys, *len, row)?),
            Values::Int(array) => Cow::Owned(int_at(self.name, *array, row)?.to_string()),
            Values::Float(array) => Cow::Owned(whole(self.name, float_at(*array, row))?.to_string()),
            Values::Json(strings) => match parse_json(self.name, strings.value(row))? {
                Value::String(text) => Cow::Owned(text),
                other => return Err(format!("`{}`: {other} is not text", self.name)),
            },
            Values::Date(array) => Cow::Owned(date_at(self.name, *array, row)?),
            Values::Time { .. } | Values::Bool(_) | Values::Nested(_) | Values::Absent | Values::Null => {
                return Err(format!("`{}`: text expected, the column holds {}", self.name, self.type_name()));
            }
        }))
    }

    #[inline]
    fn required_text(&self, row: usize) -> Result<Cow<'a, str>, String> {
        // The common case, a string column, without the general path's matching.
        if let (Values::Text(strings), false) = (&self.values, self.nulls.is_some_and(|n| n.is_null(row))) {
            return Ok(Cow::Borrowed(strings.value(row)));
        }
        self.text(row)?.ok_or_else(|| format!("`{}` is empty", self.name))
    }

    /// A whole number: integers, whole floats, or digits in text.
    fn int(&self, row: usize) -> Result<Option<i64>, String> {
        if self.is_null(row) {
            return Ok(None);
        }
        Ok(Some(match &self.values {
            Values::Int(array) => int_at(self.name, *array, row)?,
            Values::Float(array) => whole(self.name, float_at(*array, row))?,
            Values::Dictionary { keys, values, len } => return values.int(key(*keys, *len, row)?),
            Values::Text(strings) => {
                // One rule with JSON lines, where `"sequence": "3"` is refused: a number is
                // never read from text.
                return Err(format!(
                    "`{}`: a whole number expected, the column holds text (`{}`); a number written as text \
                     is refused, as in JSON lines: convert the column (pandas: `.astype(\"int64\")`)",
                    self.name,
                    strings.value(row)
                ));
            }
            _ => {
                return Err(format!("`{}`: a whole number expected, the column holds {}", self.name, self.type_name()));
            }
        }))
    }

    fn required_int(&self, row: usize) -> Result<i64, String> {
        self.int(row)?.ok_or_else(|| format!("`{}` is empty", self.name))
    }

    /// An instant: an RFC 3339 string, or a timestamp with a zone.
    fn time(&self, row: usize) -> Result<Option<DateTime<FixedOffset>>, String> {
        if self.is_null(row) {
            return Ok(None);
        }
        match &self.values {
            Values::Text(strings) => {
                let text = strings.value(row);
                rfc3339(text)
                    .map(Some)
                    .map_err(|e| format!("`{}`: `{text}` is not an RFC 3339 time with an offset ({e})", self.name))
            }
            Values::Dictionary { keys, values, len } => values.time(key(*keys, *len, row)?),
            Values::Time { values, unit, zone, .. } => {
                let Some(zone) = zone else {
                    return Err(format!(
                        "`{}`: a timestamp without a time zone names no instant; give the column a zone \
                         (pandas: `.dt.tz_localize(\"Asia/Shanghai\")`) or RFC 3339 text",
                        self.name
                    ));
                };
                let utc = utc_at(self.name, values[row], *unit)?;
                Ok(Some(zone.from_utc_datetime(&utc.naive_utc()).fixed_offset()))
            }
            _ => Err(format!("`{}`: a time expected, the column holds {}", self.name, self.type_name())),
        }
    }

    /// The calendar day of a timestamp: in its zone, or as written for a zone-less one.
    fn day(&self, row: usize) -> Result<Option<NaiveDate>, String> {
        if self.is_null(row) {
            return Ok(None);
        }
        match &self.values {
            Values::Time { values, unit, zone: None } => Ok(Some(utc_at(self.name, values[row], *unit)?.date_naive())),
            _ => Ok(self.time(row)?.map(|t| t.date_naive())),
        }
    }

    #[inline]
    fn required_time(&self, row: usize) -> Result<DateTime<FixedOffset>, String> {
        if let (Values::Text(strings), false) = (&self.values, self.nulls.is_some_and(|n| n.is_null(row)))
            && let Ok(time) = rfc3339(strings.value(row))
        {
            return Ok(time);
        }
        self.time(row)?.ok_or_else(|| format!("`{}` is empty", self.name))
    }

    /// Any member as a JSON value, for the vocabulary's own reader.
    fn value(&self, row: usize) -> Result<Option<Value>, String> {
        if self.is_null(row) {
            return Ok(None);
        }
        Ok(Some(match &self.values {
            Values::Absent | Values::Null => return Ok(None),
            Values::Text(strings) => Value::String(strings.value(row).to_owned()),
            Values::Json(strings) => parse_json(self.name, strings.value(row))?,
            Values::Dictionary { keys, values, len } => return values.value(key(*keys, *len, row)?),
            Values::Int(array) => Value::from(int_at(self.name, *array, row)?),
            Values::Float(array) => {
                let value = float_at(*array, row);
                match whole(self.name, value) {
                    Ok(whole) => Value::from(whole),
                    Err(_) => serde_json::Number::from_f64(value).map(Value::Number).unwrap_or(Value::Null),
                }
            }
            Values::Bool(array) => Value::Bool(array.value(row)),
            Values::Time { .. } => Value::String(self.required_time(row)?.to_rfc3339()),
            Values::Date(array) => Value::String(date_at(self.name, *array, row)?),
            Values::Nested(array) => nested(self.name, *array, row)?,
        }))
    }

    fn is_number(&self) -> bool {
        match &self.values {
            Values::Int(_) | Values::Float(_) => true,
            Values::Dictionary { values, .. } => values.is_number(),
            _ => false,
        }
    }

    /// A boolean: booleans, the numbers 1 and 0, or the text `true` and `false`.
    fn boolean(&self, row: usize) -> Result<Option<bool>, String> {
        if self.is_null(row) {
            return Ok(None);
        }
        let invalid = |shown: String| format!("`{}`: {shown} is not a boolean", self.name);
        Ok(Some(match &self.values {
            Values::Bool(array) => array.value(row),
            Values::Dictionary { keys, values, len } => return values.boolean(key(*keys, *len, row)?),
            Values::Int(_) | Values::Float(_) => match self.int(row)? {
                Some(1) => true,
                Some(0) => false,
                Some(other) => return Err(invalid(other.to_string())),
                None => return Ok(None),
            },
            Values::Text(strings) => match strings.value(row) {
                "true" => true,
                "false" => false,
                other => return Err(invalid(format!("`{other}`"))),
            },
            _ => return Err(invalid(format!("a value of {}", self.type_name()))),
        }))
    }

    fn type_name(&self) -> &'static str {
        match &self.values {
            Values::Absent | Values::Null => "nothing",
            Values::Text(..) | Values::Json(..) => "text",
            Values::Dictionary { .. } => "dictionary values",
            Values::Int(..) => "integers",
            Values::Float(..) => "floats",
            Values::Bool(_) => "booleans",
            Values::Time { .. } => "timestamps",
            Values::Date(_) => "dates",
            Values::Nested(_) => "lists or structs",
        }
    }
}

/// A timestamp value in `unit` since the epoch, as a UTC instant.
fn utc_at(name: &str, value: i64, unit: TimeUnit) -> Result<DateTime<Utc>, String> {
    match unit {
        TimeUnit::Second => DateTime::<Utc>::from_timestamp(value, 0),
        TimeUnit::Millisecond => DateTime::<Utc>::from_timestamp_millis(value),
        TimeUnit::Microsecond => DateTime::<Utc>::from_timestamp_micros(value),
        TimeUnit::Nanosecond => Some(DateTime::<Utc>::from_timestamp_nanos(value)),
    }
    .ok_or_else(|| format!("`{name}`: timestamp {value} is out of range"))
}

/// The date at `row` of a `date32` or `date64` array, as `YYYY-MM-DD`.
fn date_at(name: &str, array: &dyn Array, row: usize) -> Result<String, String> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a date");
    let day = match array.data_type() {
        DataType::Date32 => {
            let days = array.as_primitive::<arrow_array::types::Date32Type>().value(row);
            epoch.checked_add_signed(chrono::Duration::days(i64::from(days)))
        }
        _ => {
            let millis = array.as_primitive::<arrow_array::types::Date64Type>().value(row);
            chrono::Duration::try_milliseconds(millis).and_then(|d| epoch.checked_add_signed(d))
        }
    };
    day.map(|d| d.to_string()).ok_or_else(|| format!("`{name}`: the date is outside the calendar"))
}

/// The integer at `row` of an integer array of any width.
fn int_at(name: &str, array: &dyn Array, row: usize) -> Result<i64, String> {
    Ok(match array.data_type() {
        DataType::Int8 => array.as_primitive::<Int8Type>().value(row).into(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(row).into(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).into(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(row).into(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(row).into(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(row).into(),
        DataType::UInt64 => {
            let value = array.as_primitive::<UInt64Type>().value(row);
            i64::try_from(value).map_err(|_| format!("`{name}`: {value} is too large"))?
        }
        other => return Err(format!("`{name}`: an integer column expected, found {other}")),
    })
}

fn float_at(array: &dyn Array, row: usize) -> f64 {
    match array.data_type() {
        DataType::Float32 => f64::from(array.as_primitive::<Float32Type>().value(row)),
        _ => array.as_primitive::<Float64Type>().value(row),
    }
}

/// The value index of a dictionary's row; `None` when the key points past the `len` values.
fn dictionary_key(keys: &dyn Array, len: usize, row: usize) -> Option<usize> {
    int_at("", keys, row).ok().and_then(|key| usize::try_from(key).ok()).filter(|key| *key < len)
}

fn key(keys: &dyn Array, len: usize, row: usize) -> Result<usize, String> {
    dictionary_key(keys, len, row)
        .ok_or_else(|| format!("the dictionary key of row {} points past its values", row + 1))
}

fn whole(name: &str, value: f64) -> Result<i64, String> {
    // 2^63 as a float: the first value past i64's range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if value.fract() == 0.0 && value.abs() < LIMIT {
        Ok(value as i64)
    } else {
        Err(format!("`{name}`: {value} is not a whole number"))
    }
}

/// An RFC 3339 time. The shape platforms write, `2025-03-03T09:12:00+08:00` (seconds, a
/// numeric offset), is read digit by digit; anything else (fractions, `Z`, lower-case `t`) goes
/// to chrono's parser, which also gives the errors.
fn rfc3339(text: &str) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let fast = || -> Option<DateTime<FixedOffset>> {
        if b.len() != 25
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[22] != b':'
        {
            return None;
        }
        let sign = match b[19] {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(digits(0..4)?).ok()?, digits(5..7)?, digits(8..10)?)?;
        let time = chrono::NaiveTime::from_hms_opt(digits(11..13)?, digits(14..16)?, digits(17..19)?)?;
        let (hours, minutes) = (digits(20..22)?, digits(23..25)?);
        if hours > 23 || minutes > 59 {
            return None;
        }
        let offset = FixedOffset::east_opt(sign * i32::try_from(hours * 3600 + minutes * 60).ok()?)?;
        date.and_time(time).and_local_timezone(offset).single()
    };
    match fast() {
        Some(time) => Ok(time),
        None => DateTime::parse_from_rfc3339(text),
    }
}

fn parse_json(name: &str, text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("`{name}`: `{text}` is not JSON ({e})"))
}

/// A nested value (list, struct, map, or a scalar inside one) as JSON; a struct's empty fields
/// are left out, as absent members.
fn nested(name: &str, array: &dyn Array, row: usize) -> Result<Value, String> {
    if array.is_null(row) {
        return Ok(Value::Null);
    }
    let items = |values: &dyn Array, range: std::ops::Range<usize>| -> Result<Value, String> {
        range.map(|i| nested(name, values, i)).collect::<Result<Vec<_>, _>>().map(Value::Array)
    };
    match array.data_type() {
        DataType::Struct(fields) => {
            let array = array.as_struct();
            let mut object = Map::new();
            for (field, column) in fields.iter().zip(array.columns()) {
                if column.is_valid(row) {
                    object.insert(field.name().clone(), nested(name, column.as_ref(), row)?);
                }
            }
            Ok(Value::Object(object))
        }
        DataType::List(_) => {
            let list = array.as_list::<i32>();
            let offsets = list.value_offsets();
            items(list.values().as_ref(), offsets[row] as usize..offsets[row + 1] as usize)
        }
        DataType::LargeList(_) => {
            let list = array.as_list::<i64>();
            let offsets = list.value_offsets();
            let start = usize::try_from(offsets[row]).map_err(|e| e.to_string())?;
            let end = usize::try_from(offsets[row + 1]).map_err(|e| e.to_string())?;
            items(list.values().as_ref(), start..end)
        }
        DataType::FixedSizeList(_, size) => {
            let list = array.as_fixed_size_list();
            let size = usize::try_from(*size).map_err(|e| e.to_string())?;
            items(list.values().as_ref(), row * size..(row + 1) * size)
        }
        DataType::Map(_, _) => {
            let map = array.as_map();
            let offsets = map.value_offsets();
            let mut object = Map::new();
            for entry in offsets[row] as usize..offsets[row + 1] as usize {
                let key = match nested(name, map.keys().as_ref(), entry)? {
                    Value::String(key) => key,
                    other => other.to_string(),
                };
                object.insert(key, nested(name, map.values().as_ref(), entry)?);
            }
            Ok(Value::Object(object))
        }
        data_type => {
            let field = Field::new(name, data_type.clone(), true);
            let column = Column::new(name, &field, array).map_err(|e| e.0)?;
            Ok(column.value(row)?.unwrap_or(Value::Null))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::Cursor;
    use std::sync::Arc;

    use arrow_array::builder::{BooleanBuilder, Int64Builder, StringBuilder};
    use arrow_array::types::Int32Type;
    use arrow_array::{ArrayRef, DictionaryArray, Float64Array, RecordBatchIterator, TimestampNanosecondArray};
    use arrow_schema::{ArrowError, SchemaRef};
    use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
    use zhengwu_supervision::SupervisionConfig;

    use super::*;

    const VALID: &str = include_str!("../../../core/schema/examples/valid.jsonl");

    fn originals(text: &str) -> Vec<CaseEvent> {
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| CaseEvent::from_json(l).unwrap()).collect()
    }

    /// The table arrow-json infers from JSON lines (structs, lists and strings as inferred).
    fn inferred(text: &str) -> RecordBatch {
        let (schema, _) = arrow_json::reader::infer_json_schema(Cursor::new(text.as_bytes()), None).unwrap();
        let mut reader =
            arrow_json::ReaderBuilder::new(Arc::new(schema)).with_batch_size(1024).build(Cursor::new(text)).unwrap();
        reader.next().unwrap().unwrap()
    }

    /// A table with one column per member: strings, integers and booleans as such, everything
    /// else as `arrow.json` text (the way a mixed pandas column is handed over).
    fn json_typed(text: &str) -> RecordBatch {
        let rows: Vec<Map<String, Value>> =
            text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
        let mut names: Vec<String> = Vec::new();
        for row in &rows {
            for name in row.keys() {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
        let mut fields = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for name in &names {
            let cells: Vec<Option<&Value>> = rows.iter().map(|row| row.get(name)).collect();
            let all = |test: fn(&Value) -> bool| cells.iter().flatten().all(|v| test(v));
            if all(Value::is_string) {
                let mut builder = StringBuilder::new();
                cells.iter().for_each(|v| builder.append_option(v.and_then(Value::as_str)));
                fields.push(Field::new(name, DataType::Utf8, true));
                columns.push(Arc::new(builder.finish()));
            } else if all(Value::is_i64) {
                let mut builder = Int64Builder::new();
                cells.iter().for_each(|v| builder.append_option(v.and_then(Value::as_i64)));
                fields.push(Field::new(name, DataType::Int64, true));
                columns.push(Arc::new(builder.finish()));
            } else if all(Value::is_boolean) {
                let mut builder = BooleanBuilder::new();
                cells.iter().for_each(|v| builder.append_option(v.and_then(Value::as_bool)));
                fields.push(Field::new(name, DataType::Boolean, true));
                columns.push(Arc::new(builder.finish()));
            } else {
                let mut builder = StringBuilder::new();
                cells.iter().for_each(|v| builder.append_option(v.map(Value::to_string)));
                let metadata = HashMap::from([("ARROW:extension:name".to_owned(), "arrow.json".to_owned())]);
                fields.push(Field::new(name, DataType::Utf8, true).with_metadata(metadata));
                columns.push(Arc::new(builder.finish()));
            }
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
    }

    fn events(batch: &RecordBatch) -> Vec<Result<CaseEvent, String>> {
        let columns = EventBatch::new(batch).unwrap();
        (0..batch.num_rows()).map(|row| columns.event(row)).collect()
    }

    fn supervisor() -> Supervisor {
        let file = CatalogueFile::from_toml(
            r#"
[[item]]
code = "530100-SCJG-001"
name = "食品经营许可"
department = "km-scjg"
kind = "promised"
legal_limit = { days = 20 }
promised_limit = { days = 10 }
"#,
        )
        .unwrap();
        let departments = file.departments();
        Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default())
    }

    fn reader(batches: Vec<RecordBatch>) -> RecordBatchIterator<std::vec::IntoIter<Result<RecordBatch, ArrowError>>> {
        let schema: SchemaRef = batches[0].schema();
        RecordBatchIterator::new(batches.into_iter().map(Ok).collect::<Vec<_>>().into_iter(), schema)
    }

    #[test]
    fn every_event_kind_reads_the_same_as_its_json_line() {
        let expected = originals(VALID);
        assert_eq!(expected.iter().map(|e| e.kind.type_name()).collect::<std::collections::BTreeSet<_>>().len(), 30);
        let read: Vec<CaseEvent> = events(&json_typed(VALID)).into_iter().map(Result::unwrap).collect();
        assert_eq!(read, expected);
    }

    #[test]
    fn inferred_structs_and_lists_read_the_same_as_json() {
        // `to` is text in some kinds and a list in `copy_sent`: no single Arrow type holds
        // both, so that line is left out of the inferred table.
        let text: String = VALID.lines().filter(|l| !l.contains("copy_sent")).map(|l| format!("{l}\n")).collect();
        let batch = inferred(&text);
        assert!(matches!(batch.schema().field_with_name("actor").unwrap().data_type(), DataType::Struct(_)));
        assert!(matches!(batch.schema().field_with_name("materials").unwrap().data_type(), DataType::List(_)));
        assert!(matches!(batch.schema().field_with_name("data").unwrap().data_type(), DataType::Struct(_)));
        let read: Vec<CaseEvent> = events(&batch).into_iter().map(Result::unwrap).collect();
        assert_eq!(read, originals(&text));
    }

    #[test]
    fn date_columns_read_as_days() {
        // pyarrow's JSON reader makes `"2025-04-21"` a date32; date64 counts milliseconds.
        let text: String = VALID.lines().filter(|l| l.contains("hearing_noticed")).map(|l| format!("{l}\n")).collect();
        let batch = inferred(&text);
        let days =
            i32::try_from((NaiveDate::from_ymd_opt(2025, 4, 21).unwrap() - NaiveDate::default()).num_days()).unwrap();
        for (field, column) in [
            (
                Field::new("hearing_on", DataType::Date32, true),
                Arc::new(arrow_array::Date32Array::from(vec![days])) as ArrayRef,
            ),
            (
                Field::new("hearing_on", DataType::Date64, true),
                Arc::new(arrow_array::Date64Array::from(vec![i64::from(days) * 86_400_000])) as ArrayRef,
            ),
            // pyarrow.json's reading: a zone-less timestamp at midnight.
            (
                Field::new("hearing_on", DataType::Timestamp(TimeUnit::Second, None), true),
                Arc::new(arrow_array::TimestampSecondArray::from(vec![i64::from(days) * 86_400])) as ArrayRef,
            ),
        ] {
            let read: Vec<CaseEvent> =
                events(&replace(&batch, "hearing_on", field, column)).into_iter().map(Result::unwrap).collect();
            assert_eq!(read, originals(&text));
        }
    }

    fn two_events() -> RecordBatch {
        let text = VALID.lines().take(2).map(|l| format!("{l}\n")).collect::<String>();
        inferred(&text)
    }

    fn replace(batch: &RecordBatch, name: &str, field: Field, column: ArrayRef) -> RecordBatch {
        let index = batch.schema().index_of(name).unwrap();
        let mut fields: Vec<Field> = batch.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
        let mut columns = batch.columns().to_vec();
        fields[index] = field;
        columns[index] = column;
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
    }

    #[test]
    fn pandas_shapes_are_read_numbers_for_codes_floats_with_gaps_categoricals_and_zoned_timestamps() {
        let batch = two_events();
        let expected = originals(&VALID.lines().take(2).collect::<Vec<_>>().join("\n"));
        // A region code pandas read as a number, a sequence with gaps (floats).
        let batch = replace(
            &batch,
            "region",
            Field::new("region", DataType::Int64, true),
            Arc::new(arrow_array::Int64Array::from(vec![530102, 530102])),
        );
        let batch = replace(
            &batch,
            "sequence",
            Field::new("sequence", DataType::Float64, true),
            Arc::new(Float64Array::from(vec![1.0, 2.0])),
        );
        // A categorical department.
        let department: DictionaryArray<Int32Type> = vec!["km-scjg", "km-scjg"].into_iter().collect();
        let batch = replace(
            &batch,
            "department",
            Field::new("department", department.data_type().clone(), true),
            Arc::new(department),
        );
        // A tz-aware pandas column: nanoseconds with the zone's name.
        let instants: Vec<i64> = expected.iter().map(|e| e.occurred_at.timestamp_nanos_opt().unwrap()).collect();
        let zoned = TimestampNanosecondArray::from(instants.clone()).with_timezone("Asia/Shanghai");
        let batch =
            replace(&batch, "occurred_at", Field::new("occurred_at", zoned.data_type().clone(), true), Arc::new(zoned));
        let read: Vec<CaseEvent> = events(&batch).into_iter().map(Result::unwrap).collect();
        assert_eq!(read, expected);
        assert_eq!(read[0].occurred_at.to_rfc3339(), "2025-03-03T09:12:00+08:00");

        // The same instants without a zone name no instant: each row is refused, saying so.
        let naive = TimestampNanosecondArray::from(instants);
        let batch =
            replace(&batch, "occurred_at", Field::new("occurred_at", naive.data_type().clone(), true), Arc::new(naive));
        let error = events(&batch).remove(0).unwrap_err();
        assert!(error.contains("`occurred_at`: a timestamp without a time zone"), "{error}");
        // A fractional sequence is not a sequence.
        let batch = replace(
            &two_events(),
            "sequence",
            Field::new("sequence", DataType::Float64, true),
            Arc::new(Float64Array::from(vec![1.5, 2.0])),
        );
        assert_eq!(events(&batch).remove(0).unwrap_err(), "`sequence`: 1.5 is not a whole number");
    }

    #[test]
    fn booleans_and_codes_pandas_made_numbers_read_as_the_vocabulary_has_them() {
        let batch = json_typed(VALID);
        let expected = originals(VALID);
        // A boolean column with gaps becomes 1.0 / NaN in pandas.
        let delegated = batch.column_by_name("delegated").unwrap().as_boolean().clone();
        let floats: Float64Array = delegated.iter().map(|v| v.map(|b| if b { 1.0 } else { 0.0 })).collect();
        let batch = replace(&batch, "delegated", Field::new("delegated", DataType::Float64, true), Arc::new(floats));
        let read: Vec<CaseEvent> = events(&batch).into_iter().map(Result::unwrap).collect();
        assert_eq!(read, expected);
        // A numeric step code is text: `3` is the step `"3"`.
        let steps = batch.column_by_name("step").unwrap().as_string::<i32>().clone();
        let numbered: arrow_array::Int64Array = steps.iter().map(|v| v.map(|_| 3)).collect();
        let batch = replace(&batch, "step", Field::new("step", DataType::Int64, true), Arc::new(numbered));
        let read = events(&batch);
        let reassigned = expected.iter().position(|e| e.kind.type_name() == "task_reassigned").unwrap();
        assert!(
            matches!(&read[reassigned], Ok(CaseEvent { kind: EventKind::TaskReassigned { step, .. }, .. }) if step == "3")
        );
        // 2 is no boolean.
        let two: Float64Array = delegated.iter().map(|v| v.map(|_| 2.0)).collect();
        let batch =
            replace(&json_typed(VALID), "delegated", Field::new("delegated", DataType::Float64, true), Arc::new(two));
        assert_eq!(events(&batch)[reassigned].clone().unwrap_err(), "`delegated`: 2 is not a boolean");
    }

    #[test]
    fn rfc3339_fast_path_agrees_with_chrono() {
        for text in [
            "2025-03-03T09:12:00+08:00",
            "2025-12-31T23:59:59-05:30",
            "2024-02-29T00:00:00+00:00",
            "2025-02-29T00:00:00+08:00",
            "2025-03-03T24:00:00+08:00",
            "2025-03-03T09:12:60+08:00",
            "2025-03-03T09:12:00+24:00",
            "2025-03-03T09:12:00.5+08:00",
            "2025-03-03T09:12:00Z",
            "2025-03-03 09:12:00+08:00",
            "2025-03-03t09:12:00+08:00",
            "2025-0a-03T09:12:00+08:00",
            "",
        ] {
            assert_eq!(rfc3339(text).ok(), DateTime::parse_from_rfc3339(text).ok(), "{text}");
        }
    }

    #[test]
    fn a_missing_or_mistyped_column_is_an_error_naming_it_and_nothing_is_ingested() {
        let batch = two_events();
        let index = batch.schema().index_of("case_id").unwrap();
        let mut without = batch.clone();
        without.remove_column(index);
        let mut supervisor = supervisor();
        let error = ingest(&mut supervisor, reader(vec![without]), 0).unwrap_err().to_string();
        assert!(
            error.starts_with("the table has no column `case_id` (columns: `actor`, `channel`, `department`"),
            "{error}"
        );
        let mistyped = replace(
            &batch,
            "case_id",
            Field::new("case_id", DataType::Binary, true),
            Arc::new(arrow_array::BinaryArray::from(vec![b"C1".as_ref(), b"C2".as_ref()])),
        );
        let error = ingest(&mut supervisor, reader(vec![mistyped]), 0).unwrap_err().to_string();
        assert_eq!(error, "column `case_id` has the Arrow type Binary, which the member cannot take");
        assert_eq!(supervisor.ingest_summary(), IngestSummary::default());
    }

    #[test]
    fn bad_rows_are_rejected_with_their_row_across_batches_and_the_rest_ingested() {
        let batch = two_events();
        let mut kinds = StringBuilder::new();
        kinds.append_value("received");
        kinds.append_value("approved_by_phone");
        let bad = replace(&batch, "type", Field::new("type", DataType::Utf8, true), Arc::new(kinds.finish()));
        let mut supervisor = supervisor();
        // Rows 1–2 came in an earlier call; this stream's rows are 3–6.
        let Ingested { summary, rows } = ingest(&mut supervisor, reader(vec![batch.clone(), bad]), 2).unwrap();
        assert_eq!(rows, 4);
        assert_eq!((summary.applied, summary.duplicates, summary.rejected), (2, 1, 1));
        let rejection = &supervisor.rejections()[0];
        assert_eq!(rejection.line, Some(6));
        assert!(rejection.reason.starts_with("unknown variant `approved_by_phone`"), "{}", rejection.reason);
        assert_eq!(supervisor.latest_occurred_at().unwrap().to_rfc3339(), "2025-03-03T09:40:00+08:00");
    }
}
