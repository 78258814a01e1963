//! Rule configuration: levels, thresholds, overrides, and clear errors.

use zhengwu_core::Calendar;
use zhengwu_supervision::{Error, Level, Rule, SupervisionConfig, Supervisor};

use crate::{CaseLog, at, catalogue};

#[test]
fn thresholds_levels_and_overrides() {
    let config = SupervisionConfig::from_toml(
        r#"
        [rules.TIME_NEAR]
        level = "warning"
        params = { days_left = 3 }
        [rules.OFFLINE]
        enabled = false
        [[override]]
        rule = "TIME_OVER_PROMISE"
        department = "scjg"
        level = "red"
        [[override]]
        rule = "TIME_OVER_PROMISE"
        item = "SC-001"
        level = "warning"
        "#,
    )
    .unwrap();
    let near = config.settings(Rule::TimeNear, &"SC-001".into(), &"scjg".into());
    assert_eq!((near.level, near.params.days_left), (Level::Warning, 3));
    assert!(!config.settings(Rule::Offline, &"SC-001".into(), &"scjg".into()).enabled);
    // The item's override beats the department's.
    assert_eq!(config.settings(Rule::TimeOverPromise, &"SC-001".into(), &"scjg".into()).level, Level::Warning);
    assert_eq!(config.settings(Rule::TimeOverPromise, &"IM-001".into(), &"scjg".into()).level, Level::Red);
    assert_eq!(config.settings(Rule::TimeOverPromise, &"JT-001".into(), &"zjj".into()).level, Level::Yellow);

    let mut supervisor = Supervisor::new(Calendar::china(), catalogue(), config);
    supervisor.ingest_all(CaseLog::opened("C1", "SC-001", "2025-03-03").events);
    // Three working days before the due date 2025-03-17.
    let evaluation = supervisor.evaluate(at("2025-03-12T09:00:00+08:00"));
    assert_eq!(evaluation.raised, ["C1:TIME_NEAR:due:2025-03-17"]);
    assert_eq!(supervisor.alert(&evaluation.raised[0]).unwrap().level, Level::Warning);
}

#[test]
fn configuration_errors_name_the_problem() {
    let error = SupervisionConfig::from_toml("[rules.TIME_NEAR]\nparams = { days_lef = 3 }\n").unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("invalid rule configuration: TOML parse error at line 2, column 12"), "{text}");
    assert!(text.contains("unknown field `days_lef`, expected one of `days_left`, `reference`"), "{text}");
    let error = SupervisionConfig::from_toml("[rules.TIME_NEER]\nlevel = \"red\"\n").unwrap_err();
    assert!(matches!(error, Error::Config(_)));
    assert!(error.to_string().contains("unknown variant `TIME_NEER`"), "{error}");
    let error = SupervisionConfig::from_toml("[[override]]\nrule = \"FEE_OVER\"\nlevel = \"yellow\"\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid rule configuration: override[0] for `FEE_OVER` names neither an item nor a department"
    );
    let error = SupervisionConfig::from_toml("[rules.TIME_NEAR]\nparams = { days_left = \"two\" }\n").unwrap_err();
    assert!(error.to_string().contains("invalid type: string \"two\", expected i64"), "{error}");
}
