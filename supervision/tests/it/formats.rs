//! The statistics partial a distributed run hands back (`Statistics::to_json`), pinned.

use zhengwu_core::{Decision, EventKind};
use zhengwu_supervision::{Dimension, Period, STATISTICS_VERSION, Statistics};

use crate::{CaseLog, at, supervisor};

fn partial() -> Statistics {
    let mut supervisor = supervisor();
    let mut early = CaseLog::opened("C1", "SC-001", "2025-03-03");
    early.add(
        "2025-03-05T10:00:00+08:00",
        EventKind::Concluded {
            decision: Decision::Granted,
            reason: None,
            document_number: Some("准字〔2025〕1号".into()),
        },
    );
    let open = CaseLog::opened("C2", "IM-001", "2025-03-04");
    supervisor.ingest_all(early.events.iter().chain(&open.events).cloned());
    supervisor.evaluate(at("2025-03-31T18:00:00+08:00"));
    supervisor.statistics(at("2025-03-31T18:00:00+08:00"), Dimension::Department, Period::Month, None)
}

#[test]
fn the_statistics_partial_is_pinned() {
    let statistics = partial();
    let json = statistics.to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["version"], STATISTICS_VERSION);
    insta::assert_json_snapshot!("statistics_v1", value);
    assert_eq!(Statistics::from_json(&json).unwrap(), statistics);
}

#[test]
fn a_partial_of_another_version_is_refused() {
    let json = partial().to_json();
    let older = json.replacen("\"version\":1,", "", 1);
    assert_eq!(
        Statistics::from_json(&older).unwrap_err().to_string(),
        "cannot parse statistics: the `version` member is missing (version 1)"
    );
    let newer = json.replacen("\"version\":1,", "\"version\":2,", 1);
    assert!(Statistics::from_json(&newer).unwrap_err().to_string().contains("format version 2"));
}
