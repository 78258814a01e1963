//! One record batch read as events: columns found by member name and typed once, rows read into
//! [`CaseEvent`]s.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Schema};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde_json::{Map, Value};
use zhengwu_core::{Actor, COMMON_MEMBERS, CaseEvent, Channel, Decision, EventKind, MemberType, RegionCode};

use crate::column::{Column, NaiveTimestamps, unknown_zone};
use crate::error::ShapeError;

/// Checks a schema: the required members are present and every column's type is readable,
/// zone-less timestamps read as `naive` says.
pub fn check_schema(schema: &Schema, naive: NaiveTimestamps) -> Result<(), ShapeError> {
    let batch = RecordBatch::new_empty(std::sync::Arc::new(schema.clone()));
    EventBatch::with_options(&batch, naive).map(|_| ())
}

/// The latest `recorded_at` among the rows of `batch` that have one readable as `naive` says
/// (`Ok(None)`: no row has). `Err` when the batch has no such column or it cannot be read (an
/// unreadable type, zone-less timestamps `naive` refuses): reading the events says why.
pub(crate) fn latest_recorded_at(
    batch: &RecordBatch,
    naive: NaiveTimestamps,
) -> Result<Option<DateTime<FixedOffset>>, ()> {
    let schema = batch.schema_ref();
    let (index, field) = schema.column_with_name("recorded_at").ok_or(())?;
    let column = Column::new("recorded_at", field, batch.column(index).as_ref(), naive).map_err(|_| ())?;
    if column.is_unknown_zone() {
        return Err(());
    }
    Ok((0..batch.num_rows()).filter_map(|row| column.required_time(row).ok()).max())
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
    /// type is an error naming it. A zone-less timestamp column of `occurred_at` or
    /// `recorded_at` is refused: see [`EventBatch::with_options`].
    pub fn new(batch: &'a RecordBatch) -> Result<Self, ShapeError> {
        Self::with_options(batch, NaiveTimestamps::Refuse)
    }

    /// [`EventBatch::new`], zone-less timestamp columns read as `naive` says.
    pub fn with_options(batch: &'a RecordBatch, naive: NaiveTimestamps) -> Result<Self, ShapeError> {
        let schema = batch.schema_ref();
        let find = |name: &str| schema.index_of(name).ok().map(|i| (schema.field(i), batch.column(i)));
        let required = |name: &'static str| -> Result<Column<'a>, ShapeError> {
            let (field, array) = find(name).ok_or_else(|| {
                ShapeError(format!("the table has no column `{name}` (columns: {})", column_names(schema)))
            })?;
            Column::new(name, field, array.as_ref(), naive)
        };
        let optional = |name: &'static str| -> Result<Column<'a>, ShapeError> {
            match find(name) {
                Some((field, array)) => Column::new(name, field, array.as_ref(), naive),
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
                                Column::new(name, child_field, column.as_ref(), naive)
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
                    let column = Column::new("actor", field, array.as_ref(), naive)?;
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
                        Some((field, array)) => Column::new(dotted, field, array.as_ref(), naive),
                        None => Ok(Column::absent(dotted)),
                    }
                };
                let id = flat("actor.id", "actor_id")?;
                if id.is_absent() {
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
            // Columns no kind has (a pandas index, a partition key) are not read.
            if COMMON_MEMBERS.iter().any(|(common, _)| *common == name)
                || name.starts_with("actor.")
                || name.starts_with("actor_")
                || !is_event_column(name)
            {
                continue;
            }
            members.push((name, Column::new(name, field, array.as_ref(), naive)?));
        }
        let occurred_at = required("occurred_at")?;
        let recorded_at = required("recorded_at")?;
        // Every row's instant would be unknown: the table is refused before any row is read.
        for column in [&occurred_at, &recorded_at] {
            if column.is_unknown_zone() {
                return Err(ShapeError(format!("column {}", unknown_zone(column.name))));
            }
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
            occurred_at,
            recorded_at,
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
                Some(column) => column.strings(row),
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
            "supplement_requested" => EventKind::SupplementRequested { items: strings("items")?, note: text("note")? },
            "supplement_received" => EventKind::SupplementReceived { items: strings("items")? },
            "withdrawn" => EventKind::Withdrawn { reason: text("reason")? },
            _ => {
                let mut object = Map::new();
                object.insert("type".into(), Value::String(name.to_owned()));
                for (member, column) in &self.members {
                    if let Some(value) = member_value(name, member, column, row)? {
                        object.insert((*member).to_owned(), value);
                    }
                }
                EventKind::deserialize(Value::Object(object)).map_err(|e| e.to_string())?
            }
        })
    }
}

/// A kind's member as the vocabulary's reader wants it, by its type in the vocabulary
/// ([`EventKind::member_type`]): booleans from pandas' 1.0 / 0.0 (a boolean column with gaps
/// becomes floats), text from numbers (a step code `1`, an official `1024` that pandas read as
/// numbers), days from pyarrow's zone-less midnight timestamps (its JSON reader makes
/// `"2025-06-20"` one), other values as they are. A member the kind does not have is `None`.
fn member_value(kind: &str, member: &str, column: &Column<'_>, row: usize) -> Result<Option<Value>, String> {
    match EventKind::member_type(kind, member) {
        None => Ok(None),
        Some(MemberType::Day) if column.is_timestamp() => {
            Ok(column.day(row)?.map(|day| Value::String(day.to_string())))
        }
        Some(MemberType::Boolean) => Ok(column.boolean(row)?.map(Value::Bool)),
        Some(MemberType::Text) if column.is_number() => {
            Ok(column.text(row)?.map(|text| Value::String(text.into_owned())))
        }
        Some(_) => column.value(row),
    }
}

/// A unit enum of the vocabulary (`window`, `granted`, `window_clerk` …) from its name.
fn unit_enum<T: for<'de> Deserialize<'de>>(name: &str) -> Result<T, serde::de::value::Error> {
    T::deserialize(name.into_deserializer())
}

fn member_enum<T: for<'de> Deserialize<'de>>(member: &str, value: &str) -> Result<T, String> {
    unit_enum(value).map_err(|e| format!("`{member}`: {e}"))
}

/// Whether a column of this name is read: a common member, the actor's, or a member of some
/// kind.
pub(crate) fn is_event_column(name: &str) -> bool {
    name.starts_with("actor.")
        || name.starts_with("actor_")
        || COMMON_MEMBERS.iter().any(|(common, _)| *common == name)
        || EventKind::TYPE_NAMES.iter().any(|kind| {
            EventKind::members(kind).is_some_and(|members| members.iter().any(|(member, _)| *member == name))
        })
}

fn column_names(schema: &Schema) -> String {
    schema.fields().iter().map(|f| format!("`{}`", f.name())).collect::<Vec<_>>().join(", ")
}
