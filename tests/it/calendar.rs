use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use zhengwu_core::Calendar;
use zhengwu_tests::data_dir;

/// Every day from 2004-01-01 to 2026-12-31 agrees with the PyPI package `chinesecalendar` 1.11.0
/// (fixture written by `scripts/calendar/oracle_fixture.py`, re-checked against the package by
/// `scripts/test.sh`).
#[test]
fn calendar_agrees_with_chinesecalendar() {
    let text = std::fs::read_to_string(data_dir().join("calendar/chinesecalendar-1.11.0.txt")).unwrap();
    let calendar = Calendar::china();
    let mut days = 0;
    let mut disagreements = Vec::new();
    for line in text.lines() {
        let (year, bits) = line.split_once(' ').unwrap();
        let year: i32 = year.parse().unwrap();
        let mut day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        for bit in bits.chars() {
            let expected = bit == '1';
            if calendar.is_workday(day).unwrap() != expected {
                disagreements.push(day);
            }
            days += 1;
            day = day.succ_opt().unwrap();
        }
        assert_eq!(day.year(), year + 1, "fixture line for {year} does not cover the whole year");
    }
    assert_eq!(days, 8401, "2004-01-01..=2026-12-31");
    assert!(disagreements.is_empty(), "disagrees with chinesecalendar on {disagreements:?}");
}

#[derive(Deserialize)]
struct Vectors {
    vector: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    accepted: toml::value::Datetime,
    working_days: Option<u32>,
    calendar_days: Option<u32>,
    due: toml::value::Datetime,
}

fn date(value: &toml::value::Datetime) -> NaiveDate {
    value.to_string().parse().unwrap()
}

/// The deadline vectors of `domain.md` §1.4 (and two calendar-day ones).
#[test]
fn deadline_vectors() {
    let text = std::fs::read_to_string(data_dir().join("calendar/deadline-vectors.toml")).unwrap();
    let vectors: Vectors = toml::from_str(&text).unwrap();
    assert_eq!(vectors.vector.len(), 11);
    let calendar = Calendar::china();
    for vector in &vectors.vector {
        let accepted = date(&vector.accepted);
        let due = match (vector.working_days, vector.calendar_days) {
            (Some(n), None) => calendar.add_working_days(accepted, n).unwrap(),
            (None, Some(n)) => calendar.add_calendar_days(accepted, n).unwrap(),
            _ => panic!("vector for {accepted} needs exactly one of working_days, calendar_days"),
        };
        assert_eq!(due, date(&vector.due), "accepted {accepted}");
    }
}
