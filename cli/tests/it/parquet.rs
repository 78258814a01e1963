//! `supervise replay` and `report --events` on Parquet files written by pyarrow, pandas and
//! polars (bindings/arrow/tests/data, made by scripts/arrow/make_parquet.py): the same report as
//! the same events as JSON lines.

use super::{stderr, stdout, zhengwu};

fn arrow_data(name: &str) -> String {
    format!("{}/../bindings/arrow/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

const AS_OF: &str = "2025-12-31T18:00:00+08:00";

fn replay(events: &str, extra: &[&str]) -> std::process::Output {
    let (events, catalogue) = (arrow_data(events), arrow_data("catalogue.json"));
    let mut args =
        vec!["supervise", "replay", &events, "--catalogue", &catalogue, "--as-of", AS_OF, "--format", "json"];
    args.extend_from_slice(extra);
    zhengwu(&args)
}

#[test]
fn supervise_replay_of_parquet_gives_the_json_lines_report() {
    let expected = replay("events.jsonl", &[]);
    assert_eq!(expected.status.code(), Some(0), "{}", stderr(&expected));
    let report: serde_json::Value = serde_json::from_str(&stdout(&expected)).unwrap();
    assert_eq!(report["ingest"], serde_json::json!({"applied": 1434, "duplicates": 0, "rejected": 0}));
    assert_eq!(report["alerts"].as_array().unwrap().len(), 24);
    for (file, naive) in [
        ("pyarrow-json.parquet", "utc"),
        ("pandas.parquet", "utc"),
        ("pandas-naive.parquet", "Asia/Shanghai"),
        ("polars.parquet", "utc"),
        ("spark.parquet", "utc"),
    ] {
        let output = replay(file, &["--naive-timestamps", naive]);
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stderr(&output));
        assert!(stdout(&output) == stdout(&expected), "{file}: the report differs from the JSON lines'");
    }
}

#[test]
fn zone_less_parquet_times_without_the_option_exit_2_naming_it() {
    let output = replay("pyarrow-json.parquet", &[]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("pyarrow-json.parquet`: column `occurred_at`: a timestamp without a time zone"),
        "{message}"
    );
    assert!(message.contains("`--naive-timestamps utc`"), "{message}");
    assert!(stdout(&output).is_empty());
    let output = replay("pyarrow-json.parquet", &["--naive-timestamps", "Mars"]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
    assert!(stderr(&output).contains("`Mars` says neither how to read zone-less timestamps"), "{}", stderr(&output));
}

#[test]
fn report_events_reads_parquet_as_json_lines() {
    let catalogue = arrow_data("catalogue.json");
    let report = |events: &str, extra: &[&str]| {
        let events = arrow_data(events);
        let mut args =
            vec!["report", "--events", &events, "--catalogue", &catalogue, "--as-of", AS_OF, "--format", "json"];
        args.extend_from_slice(extra);
        zhengwu(&args)
    };
    let expected = report("events.jsonl", &[]);
    assert_eq!(expected.status.code(), Some(0), "{}", stderr(&expected));
    let output = report("pyarrow-json.parquet", &["--naive-timestamps", "utc"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output) == stdout(&expected), "the report differs from the JSON lines'");
    let output = report("pyarrow-json.parquet", &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--naive-timestamps"), "{}", stderr(&output));
}
