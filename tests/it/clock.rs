use serde::Deserialize;
use zhengwu_core::{Calendar, ClockReport, StatutoryClock};
use zhengwu_tests::fixtures;

#[derive(Deserialize)]
struct Scenario {
    as_of: toml::value::Datetime,
    clock: StatutoryClock,
    expect: Expect,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Expect {
    due_on: Option<toml::value::Datetime>,
    used_days: i64,
    remaining_days: i64,
    paused_days: u32,
    granted_extension_days: u32,
    status: String,
    rejected_extensions: usize,
}

fn summary(report: &ClockReport) -> (Option<String>, i64, i64, u32, u32, String, usize) {
    (
        report.due_on.map(|d| d.to_string()),
        report.used_days,
        report.remaining_days,
        report.paused_days,
        report.granted_extension_days,
        serde_json::to_value(report.status).unwrap().as_str().unwrap().to_owned(),
        report.rejected_extensions.len(),
    )
}

/// Runs every scenario under `tests/data/clock/`.
#[test]
fn clock_scenarios() {
    let calendar = Calendar::china();
    let files = fixtures("clock", "toml");
    assert!(files.len() >= 2, "no clock scenarios found");
    for path in files {
        let scenario: Scenario = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let as_of = scenario.as_of.to_string().parse().unwrap();
        let report = scenario.clock.evaluate(&calendar, as_of).unwrap();
        let e = &scenario.expect;
        let expected = (
            e.due_on.as_ref().map(|d| d.to_string()),
            e.used_days,
            e.remaining_days,
            e.paused_days,
            e.granted_extension_days,
            e.status.clone(),
            e.rejected_extensions,
        );
        assert_eq!(summary(&report), expected, "{}", path.display());
    }
}
