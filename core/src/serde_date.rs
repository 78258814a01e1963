//! Dates that read from JSON strings (`"2025-01-28"`) and from TOML local dates (`2025-01-28`),
//! and write as `YYYY-MM-DD` strings.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum DateRepr {
    Text(String),
    Toml(toml::value::Datetime),
}

fn convert<E: serde::de::Error>(repr: DateRepr) -> Result<NaiveDate, E> {
    match repr {
        DateRepr::Text(text) => {
            text.parse().map_err(|_| E::custom(format!("`{text}` is not a date; expected YYYY-MM-DD")))
        }
        DateRepr::Toml(datetime) => match (datetime.date, datetime.time, datetime.offset) {
            (Some(date), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(date.year), date.month.into(), date.day.into())
                    .ok_or_else(|| E::custom(format!("`{datetime}` is not a valid date")))
            }
            _ => Err(E::custom(format!("`{datetime}` is not a plain date; expected YYYY-MM-DD"))),
        },
    }
}

pub(crate) fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    convert(DateRepr::deserialize(deserializer)?)
}

pub(crate) mod option {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(date: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.collect_str(date),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<DateRepr>::deserialize(deserializer)?.map(convert).transpose()
    }
}
