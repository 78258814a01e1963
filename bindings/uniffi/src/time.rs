//! Dates and instants as the hosts' own types: `java.time.LocalDate` and
//! `java.time.OffsetDateTime` in Kotlin and Java, `Date` in Swift (configured in `uniffi.toml`);
//! across the FFI they travel as ISO 8601 text, which each side writes and reads.

use chrono::{DateTime, FixedOffset, NaiveDate};

/// A calendar day (`java.time.LocalDate`).
pub type Day = NaiveDate;

/// An instant with its offset (`java.time.OffsetDateTime`).
pub type Instant = DateTime<FixedOffset>;

uniffi::custom_type!(Day, String, {
    remote,
    try_lift: |text| text.parse::<NaiveDate>().map_err(|_| anyhow_like(format!("`{text}` is not a date (YYYY-MM-DD)"))),
    lower: |day| day.to_string(),
});

uniffi::custom_type!(Instant, String, {
    remote,
    try_lift: |text| parse_instant(&text).ok_or_else(|| anyhow_like(format!("`{text}` is not an ISO 8601 instant with an offset"))),
    lower: |instant| instant.to_rfc3339(),
});

/// An RFC 3339 instant, or ISO 8601 without seconds (`2025-03-03T09:00+08:00`, as
/// `OffsetDateTime.toString()` writes a whole minute).
pub(crate) fn parse_instant(text: &str) -> Option<Instant> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z").ok())
        .or_else(|| {
            text.strip_suffix('Z')
                .and_then(|t| DateTime::parse_from_str(&format!("{t}+00:00"), "%Y-%m-%dT%H:%M%:z").ok())
        })
}

fn anyhow_like(message: String) -> uniffi::deps::anyhow::Error {
    uniffi::deps::anyhow::Error::msg(message)
}

#[cfg(test)]
mod tests {
    use crate::time::parse_instant;

    #[test]
    fn instants_are_read_as_java_writes_them() {
        let full = parse_instant("2025-03-03T09:00:00+08:00").unwrap();
        // `OffsetDateTime.toString()` leaves out zero seconds; UTC may be `Z`.
        assert_eq!(parse_instant("2025-03-03T09:00+08:00"), Some(full));
        assert_eq!(parse_instant("2025-03-03T01:00:00Z"), Some(full));
        assert_eq!(parse_instant("2025-03-03T01:00Z"), Some(full));
        assert_eq!(parse_instant("2025-03-03T09:00:00.250+08:00").unwrap().timestamp_subsec_millis(), 250);
        assert_eq!(parse_instant("2025-03-03 09:00"), None);
        assert_eq!(parse_instant("2025-03-03T09:00:00"), None, "an instant needs its offset");
    }
}
