//! One Arrow column read as an event member: strings of any layout, integers of any width, floats
//! holding whole numbers, timestamps, dates, and nested values as JSON.

use std::borrow::Cow;

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, TimeUnit};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde_json::{Map, Value};

use crate::error::ShapeError;

/// How to read a timestamp column that has no time zone: pyarrow's JSON reader turns RFC 3339
/// times into such columns (UTC instants, the offset dropped), and pandas' naive datetimes are
/// such (wall-clock times, usually Beijing's). Without an answer the column is refused, as its
/// instants are unknown.
#[derive(Debug, Clone, Copy, Default)]
pub enum NaiveTimestamps {
    /// Refuse a zone-less column of instants (the default).
    #[default]
    Refuse,
    /// The values are UTC instants (pyarrow.json, Spark's `TIMESTAMP_NTZ` written from UTC).
    Utc,
    /// The values are wall-clock times in this zone (an IANA name such as `Asia/Shanghai`, or an
    /// offset `+08:00`).
    Local(Tz),
}

impl std::str::FromStr for NaiveTimestamps {
    type Err = ShapeError;

    /// `utc`, or a zone: an IANA name (`Asia/Shanghai`) or an offset (`+08:00`).
    fn from_str(text: &str) -> Result<Self, ShapeError> {
        if text.eq_ignore_ascii_case("utc") {
            return Ok(NaiveTimestamps::Utc);
        }
        text.parse::<Tz>().map(NaiveTimestamps::Local).map_err(|e| {
            ShapeError(format!(
                "`{text}` says neither how to read zone-less timestamps: give `utc` (the values are UTC \
                 instants) or a time zone such as `Asia/Shanghai` or `+08:00` (they are wall-clock times \
                 there) ({e})"
            ))
        })
    }
}

/// The zone of a timestamp column.
#[derive(Clone, Copy)]
enum Zone {
    /// Values are instants, shown in this zone.
    Instant(Tz),
    /// Values are wall-clock times in this zone.
    Wall(Tz),
    /// Zone-less, and nothing said how to read them.
    Unknown,
}

/// One column, typed once.
pub(crate) struct Column<'a> {
    pub(crate) name: &'a str,
    /// Which rows are empty (for all but dictionaries, whose emptiness is their keys' and
    /// values').
    nulls: Option<&'a NullBuffer>,
    values: Values<'a>,
    /// How zone-less timestamps are read, here and in nested values.
    naive: NaiveTimestamps,
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
        zone: Zone,
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
    pub(crate) fn value(self, row: usize) -> &'a str {
        match self {
            Strings::Utf8(array) => array.value(row),
            Strings::Large(array) => array.value(row),
            Strings::View(array) => array.value(row),
        }
    }
}

impl<'a> Column<'a> {
    /// The table has no such column.
    pub(crate) fn is_absent(&self) -> bool {
        matches!(self.values, Values::Absent)
    }

    /// A timestamp column (which may name days: pyarrow's JSON reader makes `"2025-06-20"` a
    /// zone-less midnight).
    pub(crate) fn is_timestamp(&self) -> bool {
        matches!(self.values, Values::Time { .. })
    }

    /// A timestamp column without a zone that nothing said how to read.
    pub(crate) fn is_unknown_zone(&self) -> bool {
        match &self.values {
            Values::Time { zone, .. } => matches!(zone, Zone::Unknown),
            Values::Dictionary { values, .. } => values.is_unknown_zone(),
            _ => false,
        }
    }

    pub(crate) fn absent(name: &'a str) -> Self {
        Column { name, nulls: None, values: Values::Absent, naive: NaiveTimestamps::Refuse }
    }

    pub(crate) fn new(
        name: &'a str,
        field: &Field,
        array: &'a dyn Array,
        naive: NaiveTimestamps,
    ) -> Result<Self, ShapeError> {
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
                let zone = match (zone, naive) {
                    (Some(zone), _) => Zone::Instant(zone.parse::<Tz>().map_err(|e| {
                        ShapeError(format!("column `{name}`: time zone `{zone}` is not understood ({e})"))
                    })?),
                    (None, NaiveTimestamps::Utc) => Zone::Instant(
                        "+00:00"
                            .parse::<Tz>()
                            .map_err(|e| ShapeError(format!("column `{name}`: UTC is not understood ({e})")))?,
                    ),
                    (None, NaiveTimestamps::Local(zone)) => Zone::Wall(zone),
                    (None, NaiveTimestamps::Refuse) => Zone::Unknown,
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
                let values = Column::new(name, &value_field, dictionary.values().as_ref(), naive)?;
                Values::Dictionary { keys: dictionary.keys(), values: Box::new(values), len: dictionary.values().len() }
            }
            DataType::Struct(_)
            | DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(_, _)
            | DataType::Map(_, _) => Values::Nested(array),
            _ => return Err(wrong()),
        };
        Ok(Column { name, nulls: array.nulls(), values, naive })
    }

    pub(crate) fn is_null(&self, row: usize) -> bool {
        match &self.values {
            Values::Absent | Values::Null => true,
            Values::Dictionary { keys, values, len } => {
                keys.is_null(row) || dictionary_key(*keys, *len, row).is_none_or(|key| values.is_null(key))
            }
            _ => self.nulls.is_some_and(|nulls| nulls.is_null(row)),
        }
    }

    /// A text member: strings as they are, whole numbers as their digits.
    pub(crate) fn text(&self, row: usize) -> Result<Option<Cow<'a, str>>, String> {
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
    pub(crate) fn required_text(&self, row: usize) -> Result<Cow<'a, str>, String> {
        // The common case, a string column, without the general path's matching.
        if let (Values::Text(strings), false) = (&self.values, self.nulls.is_some_and(|n| n.is_null(row))) {
            return Ok(Cow::Borrowed(strings.value(row)));
        }
        // And a dictionary of strings with 32-bit keys (pyarrow's `dictionary_encode`, pandas'
        // categoricals, Parquet's dictionary pages read back).
        if let Values::Dictionary { keys, values, len } = &self.values
            && let Values::Text(strings) = &values.values
            && let Some(keys) = keys.as_primitive_opt::<Int32Type>()
            && !keys.is_null(row)
            && let Ok(key) = usize::try_from(keys.value(row))
            && key < *len
            && !values.nulls.is_some_and(|n| n.is_null(key))
        {
            return Ok(Cow::Borrowed(strings.value(key)));
        }
        self.text(row)?.ok_or_else(|| format!("`{}` is empty", self.name))
    }

    /// A whole number: integers, whole floats, or digits in text.
    pub(crate) fn int(&self, row: usize) -> Result<Option<i64>, String> {
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

    pub(crate) fn required_int(&self, row: usize) -> Result<i64, String> {
        self.int(row)?.ok_or_else(|| format!("`{}` is empty", self.name))
    }

    /// An instant: an RFC 3339 string, or a timestamp with a zone.
    pub(crate) fn time(&self, row: usize) -> Result<Option<DateTime<FixedOffset>>, String> {
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
            Values::Time { values, unit, zone } => {
                let at = utc_at(self.name, values[row], *unit)?.naive_utc();
                match zone {
                    Zone::Instant(zone) => Ok(Some(zone.from_utc_datetime(&at).fixed_offset())),
                    // A wall-clock time repeated by a clock set back is its earlier instant; one
                    // skipped by a clock set forward names no instant.
                    Zone::Wall(zone) => {
                        zone.from_local_datetime(&at).earliest().map(|t| Some(t.fixed_offset())).ok_or_else(|| {
                            format!(
                                "`{}`: {at} is not a time that happened in {zone:?} (the clock skipped it)",
                                self.name
                            )
                        })
                    }
                    Zone::Unknown => Err(unknown_zone(self.name)),
                }
            }
            _ => Err(format!("`{}`: a time expected, the column holds {}", self.name, self.type_name())),
        }
    }

    /// The calendar day of a timestamp: in its zone, or as written for a zone-less one.
    pub(crate) fn day(&self, row: usize) -> Result<Option<NaiveDate>, String> {
        if self.is_null(row) {
            return Ok(None);
        }
        match &self.values {
            Values::Time { values, unit, zone: Zone::Unknown | Zone::Wall(_) } => {
                Ok(Some(utc_at(self.name, values[row], *unit)?.date_naive()))
            }
            _ => Ok(self.time(row)?.map(|t| t.date_naive())),
        }
    }

    #[inline]
    pub(crate) fn required_time(&self, row: usize) -> Result<DateTime<FixedOffset>, String> {
        if let (Values::Text(strings), false) = (&self.values, self.nulls.is_some_and(|n| n.is_null(row)))
            && let Ok(time) = rfc3339(strings.value(row))
        {
            return Ok(time);
        }
        self.time(row)?.ok_or_else(|| format!("`{}` is empty", self.name))
    }

    /// A list of text (`materials`, `items`): a list column of strings read in place, any other
    /// shape through its JSON value; an empty cell is an empty list.
    pub(crate) fn strings(&self, row: usize) -> Result<Vec<String>, String> {
        if self.is_null(row) {
            return Ok(Vec::new());
        }
        if let Values::Nested(array) = &self.values {
            let (values, range) = match array.data_type() {
                DataType::List(_) => {
                    let list = array.as_list::<i32>();
                    let offsets = list.value_offsets();
                    (list.values(), offsets[row] as usize..offsets[row + 1] as usize)
                }
                DataType::LargeList(_) => {
                    let list = array.as_list::<i64>();
                    let offsets = list.value_offsets();
                    (list.values(), offsets[row] as usize..offsets[row + 1] as usize)
                }
                _ => return self.strings_from_json(row),
            };
            let field = Field::new(self.name, values.data_type().clone(), true);
            let items = Column::new(self.name, &field, values.as_ref(), self.naive).map_err(|e| e.0)?;
            if matches!(items.values, Values::Text(_) | Values::Dictionary { .. }) {
                return range
                    .map(|index| {
                        items.text(index)?.map(Cow::into_owned).ok_or_else(|| format!("`{}`: an empty item", self.name))
                    })
                    .collect();
            }
        }
        self.strings_from_json(row)
    }

    fn strings_from_json(&self, row: usize) -> Result<Vec<String>, String> {
        match self.value(row)? {
            Some(value) => serde_json::from_value(value).map_err(|e| format!("`{}`: {e}", self.name)),
            None => Ok(Vec::new()),
        }
    }

    /// Any member as a JSON value, for the vocabulary's own reader.
    pub(crate) fn value(&self, row: usize) -> Result<Option<Value>, String> {
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
            Values::Nested(array) => nested(self.name, *array, row, self.naive)?,
        }))
    }

    pub(crate) fn is_number(&self) -> bool {
        match &self.values {
            Values::Int(_) | Values::Float(_) => true,
            Values::Dictionary { values, .. } => values.is_number(),
            _ => false,
        }
    }

    /// A boolean: booleans, the numbers 1 and 0, or the text `true` and `false`.
    pub(crate) fn boolean(&self, row: usize) -> Result<Option<bool>, String> {
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

    pub(crate) fn type_name(&self) -> &'static str {
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

/// Why a zone-less timestamp is not read, and what to say so that it is.
pub(crate) fn unknown_zone(name: &str) -> String {
    format!(
        "`{name}`: a timestamp without a time zone names no instant (pyarrow's JSON reader drops the offset of \
         RFC 3339 times; pandas' naive datetimes have none): say how to read it, `--naive-timestamps utc` when the \
         values are UTC instants or `--naive-timestamps Asia/Shanghai` when they are Beijing wall-clock times \
         (Python: `naive_timestamps=`), or give the column a zone (pandas: `.dt.tz_localize(\"Asia/Shanghai\")`)"
    )
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
pub(crate) fn rfc3339(text: &str) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
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
fn nested(name: &str, array: &dyn Array, row: usize, naive: NaiveTimestamps) -> Result<Value, String> {
    if array.is_null(row) {
        return Ok(Value::Null);
    }
    let items = |values: &dyn Array, range: std::ops::Range<usize>| -> Result<Value, String> {
        range.map(|i| nested(name, values, i, naive)).collect::<Result<Vec<_>, _>>().map(Value::Array)
    };
    match array.data_type() {
        DataType::Struct(fields) => {
            let array = array.as_struct();
            let mut object = Map::new();
            for (field, column) in fields.iter().zip(array.columns()) {
                if column.is_valid(row) {
                    object.insert(field.name().clone(), nested(name, column.as_ref(), row, naive)?);
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
                let key = match nested(name, map.keys().as_ref(), entry, naive)? {
                    Value::String(key) => key,
                    other => other.to_string(),
                };
                object.insert(key, nested(name, map.values().as_ref(), entry, naive)?);
            }
            Ok(Value::Object(object))
        }
        data_type => {
            let field = Field::new(name, data_type.clone(), true);
            let column = Column::new(name, &field, array, naive).map_err(|e| e.0)?;
            Ok(column.value(row)?.unwrap_or(Value::Null))
        }
    }
}
