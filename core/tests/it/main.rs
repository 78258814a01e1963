//! Integration tests of zhengwu-core, one binary.

mod calendar;
mod catalogue;
mod clock;
mod documents;
mod events;
mod props;
#[cfg(feature = "provisional")]
mod provisional;
mod region;

use chrono::NaiveDate;

/// A date from `YYYY-MM-DD`.
pub(crate) fn d(text: &str) -> NaiveDate {
    text.parse().unwrap_or_else(|_| panic!("test date `{text}` is malformed"))
}
