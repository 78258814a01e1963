//! Parquet files written by pyarrow, pandas, polars and Spark (`scripts/arrow/make_parquet.py`) give the
//! statistics, alerts and ranking the same events give as JSON lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, TimestampMillisecondArray};
use chrono::{DateTime, FixedOffset};
use zhengwu_arrow::{
    AsOf, NaiveTimestamps, ParquetEvents, Threads, ingest_parquet, is_parquet, replay_batches, replay_parquet,
};
use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
use zhengwu_supervision::{Dimension, IngestSummary, Period, ScoringScheme, SupervisionConfig, Supervisor};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn supervisor() -> Supervisor {
    let file = CatalogueFile::from_json(&std::fs::read_to_string(data("catalogue.json")).unwrap()).unwrap();
    let departments = file.departments();
    Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default())
}

fn as_of() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2025-12-31T18:00:00+08:00").unwrap()
}

/// Everything a replay reports, in a form that compares: the ingest counts, statistics by
/// department and month, every alert, the ranking.
#[derive(Debug, PartialEq)]
struct Outcome {
    ingest: IngestSummary,
    statistics: String,
    alerts: Vec<(String, String, String)>,
    ranking: Vec<(String, usize, String)>,
}

fn outcome(mut supervisor: Supervisor) -> Outcome {
    supervisor.evaluate(as_of());
    let statistics = supervisor.statistics(as_of(), Dimension::Department, Period::Month, None).to_json();
    let mut alerts: Vec<_> =
        supervisor.alerts().map(|a| (a.id.clone(), format!("{:?}", a.level), a.message.clone())).collect();
    alerts.sort();
    let ranking = supervisor
        .rank(as_of(), Period::All, "all", &ScoringScheme::default(), &BTreeMap::new())
        .into_iter()
        .map(|s| (s.department.to_string(), s.rank, format!("{:.2}", s.score)))
        .collect();
    Outcome { ingest: supervisor.ingest_summary(), statistics, alerts, ranking }
}

/// Compares part by part, so that a failure shows the first difference, not two whole years.
#[track_caller]
fn assert_same(found: &Outcome, expected: &Outcome) {
    assert_eq!(found.ingest, expected.ingest);
    let rows = |o: &Outcome| -> Vec<String> { o.statistics.split("],[").map(str::to_owned).collect() };
    for (found, expected) in rows(found).iter().zip(rows(expected).iter()) {
        assert_eq!(found, expected);
    }
    assert_eq!(found.statistics.len(), expected.statistics.len());
    for (found, expected) in found.alerts.iter().zip(&expected.alerts) {
        assert_eq!(found, expected);
    }
    assert_eq!(found.alerts.len(), expected.alerts.len());
    assert_eq!(found.ranking, expected.ranking);
}

fn from_json_lines() -> Outcome {
    let mut supervisor = supervisor();
    let text = std::fs::read_to_string(data("events.jsonl")).unwrap();
    for (index, line) in text.lines().enumerate() {
        supervisor.ingest_json_line(index + 1, Ok(line));
    }
    outcome(supervisor)
}

fn from_parquet(name: &str, naive: &str) -> Outcome {
    let mut supervisor = supervisor();
    let naive: NaiveTimestamps = naive.parse().unwrap();
    let report = ingest_parquet(&mut supervisor, &data(name), naive).unwrap();
    assert_eq!(report.rows, 1434, "{name}");
    outcome(supervisor)
}

#[test]
fn the_json_lines_replay_is_a_real_year() {
    let expected = from_json_lines();
    assert_eq!(expected.ingest, IngestSummary { applied: 1434, duplicates: 0, rejected: 0 });
    assert!(expected.alerts.len() >= 20, "{} alerts", expected.alerts.len());
    assert!(expected.ranking.len() >= 20, "{} departments ranked", expected.ranking.len());
}

#[test]
fn pyarrow_json_tables_read_with_utc_give_the_json_lines_figures() {
    // pyarrow.json: zone-less millisecond timestamps holding UTC instants, four row groups.
    let events = ParquetEvents::open(&data("pyarrow-json.parquet")).unwrap();
    assert_eq!((events.rows(), events.row_groups()), (1434, 4));
    assert_same(&from_parquet("pyarrow-json.parquet", "utc"), &from_json_lines());
}

#[test]
fn pandas_to_parquet_gives_the_json_lines_figures() {
    // Zoned nanosecond datetimes, regions as integers, the index as an extra column.
    assert_same(&from_parquet("pandas.parquet", "utc"), &from_json_lines());
    // The same frame with Beijing wall-clock times and no zone.
    assert_same(&from_parquet("pandas-naive.parquet", "Asia/Shanghai"), &from_json_lines());
}

#[test]
fn polars_write_parquet_gives_the_json_lines_figures() {
    // Zstandard pages, RFC 3339 text times, string views.
    assert_same(&from_parquet("polars.parquet", "utc"), &from_json_lines());
}

#[test]
fn spark_write_parquet_gives_the_json_lines_figures() {
    // Spark 4: INT96 timestamps (zone-less UTC instants), region codes as longs, nested members
    // as structs, columns in alphabetical order.
    assert_same(&from_parquet("spark.parquet", "utc"), &from_json_lines());
    let mut supervisor = supervisor();
    let error = ingest_parquet(&mut supervisor, &data("spark.parquet"), NaiveTimestamps::Refuse).unwrap_err();
    assert!(error.to_string().contains("a timestamp without a time zone"), "{error}");
}

#[test]
fn zone_less_times_without_an_answer_are_refused_before_any_row() {
    let mut supervisor = supervisor();
    let error = ingest_parquet(&mut supervisor, &data("pyarrow-json.parquet"), NaiveTimestamps::Refuse)
        .unwrap_err()
        .to_string();
    assert!(error.contains("pyarrow-json.parquet`: column `occurred_at`: a timestamp without a time zone"), "{error}");
    assert!(error.contains("--naive-timestamps utc"), "{error}");
    assert_eq!(supervisor.ingest_summary(), IngestSummary::default());
    // Read as Beijing wall-clock times, the UTC values are eight hours early: other figures.
    assert_ne!(from_parquet("pyarrow-json.parquet", "Asia/Shanghai"), from_json_lines());
}

#[test]
fn files_that_are_not_parquet_are_refused_naming_them() {
    assert!(is_parquet(&data("polars.parquet")));
    assert!(!is_parquet(&data("events.jsonl")));
    let error = ParquetEvents::open(&data("events.jsonl")).unwrap_err().to_string();
    assert!(error.contains("events.jsonl`: not a readable Parquet file"), "{error}");
    let error = ParquetEvents::open(&data("no-such.parquet")).unwrap_err().to_string();
    assert!(error.starts_with("cannot open `") && error.contains("no-such.parquet"), "{error}");
    // A file cut short loses its footer.
    let bytes = std::fs::read(data("polars.parquet")).unwrap();
    let folder = tempfile_folder();
    let cut = folder.join("cut.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let error = ParquetEvents::open(&cut).unwrap_err().to_string();
    assert!(error.contains("cut.parquet`: not a readable Parquet file"), "{error}");
    std::fs::remove_dir_all(folder).unwrap();
}

fn tempfile_folder() -> PathBuf {
    let folder = std::env::temp_dir().join(format!("zhengwu-arrow-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

#[test]
fn damaged_files_the_parquet_reader_panics_on_are_errors() {
    // Found by the `parquet` fuzz target: pages and footers on which the parquet crate panics
    // (a shift overflow, a slice past its end, a negative column length …).
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/parquet");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 4);
    for path in files {
        let mut supervisor = supervisor();
        let error = ingest_parquet(&mut supervisor, &path, "utc".parse().unwrap()).unwrap_err().to_string();
        assert!(
            error.contains("the data is damaged") || error.contains("not a readable Parquet file"),
            "{}: {error}",
            path.display()
        );
    }
}

#[test]
fn a_file_in_case_order_is_folded_case_by_case_and_gives_the_json_lines_figures() {
    // pyarrow's table sorted by case and sequence: each case complete as of the instant is
    // evaluated and folded away when the file moves on from it.
    let naive = NaiveTimestamps::Utc;
    let (supervisor, instant, report) =
        replay_parquet(supervisor, &data("by-case.parquet"), naive, AsOf::At(as_of()), Threads::Two).unwrap();
    assert_eq!((instant, report.rows), (Some(as_of()), 1434));
    assert_eq!(supervisor.fold_broken(), None);
    assert_eq!(supervisor.folded_cases(), 244);
    assert_eq!(supervisor.cases().count(), 251 - 244);
    let expected = from_json_lines();
    assert_same(&outcome(supervisor), &expected);
    // Every dimension and period counts folded cases as live ones; read on the calling thread
    // alone, the file gives the same.
    let (mut folded, _, report) =
        replay_parquet(self::supervisor, &data("by-case.parquet"), naive, AsOf::At(as_of()), Threads::One).unwrap();
    assert_eq!((report.rows, folded.folded_cases()), (1434, 244));
    let mut live = self::supervisor();
    let text = std::fs::read_to_string(data("events.jsonl")).unwrap();
    live.ingest_json_lines(&text);
    folded.evaluate(as_of());
    live.evaluate(as_of());
    for dimension in [Dimension::Total, Dimension::Department, Dimension::Item, Dimension::Window, Dimension::Region] {
        for period in [Period::All, Period::Year, Period::Quarter, Period::Month] {
            assert_eq!(
                folded.statistics(as_of(), dimension, period, None).to_json(),
                live.statistics(as_of(), dimension, period, None).to_json(),
                "{dimension:?} {period:?}"
            );
        }
    }
    let partial = |s: &Supervisor| s.partial(as_of(), Dimension::Item, Period::Month).to_json();
    assert_eq!(partial(&folded), partial(&live));
}

#[test]
fn without_an_instant_the_file_is_folded_as_of_its_latest_entry_time() {
    let (supervisor, instant, _) = replay_parquet(
        supervisor,
        &data("by-case.parquet"),
        NaiveTimestamps::Utc,
        AsOf::Latest { now: later() },
        Threads::Two,
    )
    .unwrap();
    let mut live = self::supervisor();
    live.ingest_json_lines(&std::fs::read_to_string(data("events.jsonl")).unwrap());
    assert_eq!(instant, live.latest_recorded_at());
    assert_eq!(instant.unwrap().to_rfc3339(), "2025-12-31T05:56:00+00:00");
    assert!(supervisor.folded_cases() > 200, "{}", supervisor.folded_cases());
}

#[test]
fn a_file_out_of_case_order_is_read_again_without_folding() {
    // The file in case order, its first row delivered again at the end: its case was folded.
    let mut folding = supervisor();
    folding.fold_complete_cases(as_of());
    ingest_parquet(&mut folding, &data("by-case-retried.parquet"), NaiveTimestamps::Utc).unwrap();
    assert_eq!(folding.fold_broken().map(|c| c.as_str()), Some("GK2025-00001"));
    let rejection = folding.rejections().last().expect("the retried row is rejected");
    assert_eq!((rejection.line, rejection.sequence), (Some(1435), Some(1)));
    assert!(rejection.reason.starts_with("case `GK2025-00001` was folded away as complete"), "{}", rejection.reason);
    assert!(rejection.reason.contains("the log is not in case order"), "{}", rejection.reason);
    // The driver reads it again without folding: a duplicate, and the JSON lines' figures.
    let (supervisor, _, report) = replay_parquet(
        supervisor,
        &data("by-case-retried.parquet"),
        NaiveTimestamps::Utc,
        AsOf::At(as_of()),
        Threads::One,
    )
    .unwrap();
    assert_eq!((supervisor.folded_cases(), supervisor.fold_broken(), report.rows), (0, None, 1435));
    let found = outcome(supervisor);
    assert_eq!(found.ingest, IngestSummary { applied: 1434, duplicates: 1, rejected: 0 });
    let expected = from_json_lines();
    assert_same(&Outcome { ingest: expected.ingest, ..found }, &expected);
}

/// A clock far after the fixture's year.
fn later() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2030-01-01T00:00:00+08:00").unwrap()
}

/// The record batches of a fixture, as a table in memory holds them.
fn table(name: &str) -> Vec<RecordBatch> {
    ParquetEvents::open(&data(name)).unwrap().into_reader().collect::<Result<_, _>>().unwrap()
}

#[test]
fn a_table_in_memory_in_case_order_is_folded_and_gives_the_json_lines_figures() {
    let batches = table("by-case.parquet");
    assert!(batches.len() == 1 && batches[0].num_rows() == 1434);
    // Cut in three, so that cases span batches.
    let batches = [batches[0].slice(0, 500), batches[0].slice(500, 501), batches[0].slice(1001, 433)];
    let schema = batches[0].schema();
    let (supervisor, instant, report) =
        replay_batches(supervisor, schema, &batches, NaiveTimestamps::Utc, AsOf::At(as_of()), Threads::Two).unwrap();
    assert_eq!((instant, report.rows, supervisor.folded_cases()), (Some(as_of()), 1434, 244));
    assert_same(&outcome(supervisor), &from_json_lines());
}

#[test]
fn a_table_out_of_case_order_is_read_again_without_folding() {
    let batches = table("by-case-retried.parquet");
    let (supervisor, _, report) = replay_batches(
        supervisor,
        batches[0].schema(),
        &batches,
        NaiveTimestamps::Utc,
        AsOf::At(as_of()),
        Threads::One,
    )
    .unwrap();
    assert_eq!((supervisor.folded_cases(), supervisor.fold_broken(), report.rows), (0, None, 1435));
    assert_eq!(supervisor.ingest_summary(), IngestSummary { applied: 1434, duplicates: 1, rejected: 0 });
}

#[test]
fn when_the_latest_row_is_rejected_the_rows_are_read_again_as_of_the_applied_events_latest() {
    // The fixture and one row more, the latest of all by a day, for an item the catalogue does
    // not have: read ahead, the log ends on it; applied, it ends a day earlier.
    let batches = table("by-case.parquet");
    let with = |batch: RecordBatch, name: &str, column: ArrayRef| {
        let mut columns = batch.columns().to_vec();
        columns[batch.schema().index_of(name).unwrap()] = column;
        RecordBatch::try_new(batch.schema(), columns).unwrap()
    };
    let text = |value: &str| Arc::new(StringArray::from(vec![value])) as ArrayRef;
    let day_later = DateTime::parse_from_rfc3339("2026-01-01T05:56:00+00:00").unwrap().timestamp_millis();
    let mut late =
        with(batches[0].slice(1433, 1), "recorded_at", Arc::new(TimestampMillisecondArray::from(vec![day_later])));
    for (name, value) in [("case_id", "GK-LATE"), ("idempotency_key", "GK-LATE#1"), ("item_code", "NOT-IN-CATALOGUE")] {
        late = with(late, name, text(value));
    }
    let schema = late.schema();
    let batches = [batches[0].clone(), late];
    let (supervisor, instant, report) =
        replay_batches(supervisor, schema, &batches, NaiveTimestamps::Utc, AsOf::Latest { now: later() }, Threads::Two)
            .unwrap();
    assert_eq!(instant.unwrap().to_rfc3339(), "2025-12-31T05:56:00+00:00");
    assert_eq!(report.rows, 1435);
    assert_eq!(supervisor.ingest_summary(), IngestSummary { applied: 1434, duplicates: 0, rejected: 1 });
    assert!(supervisor.rejections()[0].reason.contains("`NOT-IN-CATALOGUE` is not in the catalogue"));
    // Folded as of the applied events' instant: the same figures as a replay without folding.
    assert!(supervisor.folded_cases() > 200, "{}", supervisor.folded_cases());
    let mut live = self::supervisor();
    live.ingest_json_lines(&std::fs::read_to_string(data("events.jsonl")).unwrap());
    let (mut folded, at) = (supervisor, instant.unwrap());
    folded.evaluate(at);
    live.evaluate(at);
    assert_eq!(
        folded.statistics(at, Dimension::Department, Period::Month, None).to_json(),
        live.statistics(at, Dimension::Department, Period::Month, None).to_json()
    );
    assert_eq!(folded.alerts().count(), live.alerts().count());
}
