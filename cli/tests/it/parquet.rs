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
        // In case order: every complete case folded away as the file moves on from it.
        ("by-case.parquet", "utc"),
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
fn a_case_coming_back_after_it_was_folded_makes_the_file_read_again() {
    // The first row delivered again at the end of a file in case order: one duplicate, the rest
    // as the JSON lines, at the given instant and at the file's own latest entry time.
    let (events, catalogue, retried) =
        (arrow_data("events.jsonl"), arrow_data("catalogue.json"), arrow_data("by-case-retried.parquet"));
    let run = |events: &str, extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["supervise", "replay", events, "--catalogue", &catalogue, "--format", "json"];
        args.extend_from_slice(extra);
        let output = zhengwu(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        serde_json::from_str(&stdout(&output)).unwrap()
    };
    let instant =
        |report: &serde_json::Value| chrono::DateTime::parse_from_rfc3339(report["as_of"].as_str().unwrap()).unwrap();
    // Without --as-of the file's latest entry time is the JSON lines' (in UTC, as read).
    let found = run(&retried, &["--naive-timestamps", "utc"]);
    let default = found["as_of"].as_str().unwrap().to_owned();
    assert_eq!(instant(&found), instant(&run(&events, &[])));
    for (mut found, as_of) in
        [(found, default.as_str()), (run(&retried, &["--naive-timestamps", "utc", "--as-of", AS_OF]), AS_OF)]
    {
        let expected = run(&events, &["--as-of", as_of]);
        assert_eq!(found["ingest"], serde_json::json!({"applied": 1434, "duplicates": 1, "rejected": 0}));
        found["ingest"] = expected["ingest"].clone();
        assert!(found == expected, "as of {as_of}: the report differs from the JSON lines'");
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
