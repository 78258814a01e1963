//! Custom rules written as CEL expressions over case facts.

use zhengwu_core::{Calendar, EventKind};
use zhengwu_supervision::{Level, Rule, SupervisionConfig, Supervisor};

use crate::{CaseLog, at, catalogue};

const CONFIG: &str = r#"
[[custom]]
code = "BIG_FEE"
name = "大额收费"
level = "yellow"
when = "fees_total_fen > 1500 && item_kind == 'promised'"
message = "收费合计超过15元"
message_en = "fees above 15 yuan in total"

[[custom]]
code = "ODD_FEE_CODE"
name = "非常规收费项目"
level = "warning"
when = "fee_codes.exists(f, f.startsWith('X'))"
message = "收取了以X开头的收费项目"
"#;

#[test]
fn a_custom_rule_fires_on_its_condition_only() {
    let config = SupervisionConfig::from_toml(CONFIG).unwrap();
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue(), config);
    let mut big = CaseLog::opened("C1", "SC-001", "2025-03-03");
    big.add("2025-03-03T11:00:00+08:00", EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 1000 });
    big.add("2025-03-03T11:01:00+08:00", EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 1000 });
    let mut small = CaseLog::opened("C2", "SC-001", "2025-03-03");
    small.add("2025-03-03T11:00:00+08:00", EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 1000 });
    supervisor.ingest_all(big.events);
    supervisor.ingest_all(small.events);
    let evaluation = supervisor.evaluate(at("2025-03-03T12:00:00+08:00"));
    assert_eq!(evaluation.raised, ["C1:BIG_FEE:custom"]);
    let alert = supervisor.alert("C1:BIG_FEE:custom").unwrap();
    assert_eq!((alert.rule, alert.code.as_str(), alert.level), (Rule::Custom, "BIG_FEE", Level::Yellow));
    assert_eq!(alert.message, "【黄牌】大额收费：办件C1（SC-001）收费合计超过15元");
    assert_eq!(alert.evidence["when"], "fees_total_fen > 1500 && item_kind == 'promised'");
    // Evaluated again: not raised twice.
    assert!(supervisor.evaluate(at("2025-03-04")).raised.is_empty());
}

#[test]
fn bad_custom_rules_are_configuration_errors() {
    let error = |text: &str| SupervisionConfig::from_toml(text).unwrap_err().to_string();
    let rule = |code: &str, when: &str| {
        format!(
            "[[custom]]\ncode = \"{code}\"\nname = \"n\"\nlevel = \"warning\"\nwhen = \"{when}\"\nmessage = \"m\"\n"
        )
    };
    assert!(error(&rule("X1", "fees_total >")).contains("custom rule `X1`: `fees_total >` does not parse"));
    let unknown = error(&rule("X1", "fee_total_fen > 3"));
    assert!(unknown.starts_with("invalid rule configuration: custom rule `X1`: `fee_total_fen > 3` reads unknown fact `fee_total_fen` (known: case_id, "), "{unknown}");
    assert_eq!(
        error(&rule("X1", "fees_total_fen + 1")),
        "invalid rule configuration: custom rule `X1`: `fees_total_fen + 1` gave Int(1), expected a boolean"
    );
    assert!(error(&rule("FEE_OVER", "true")).contains("the code is taken by a built-in rule"));
    assert!(error(&rule("lower", "true")).contains("SCREAMING_SNAKE_CASE"));
    let twice = format!("{}{}", rule("X1", "true"), rule("X1", "false"));
    assert!(error(&twice).contains("custom rule `X1` is defined twice"));
}

#[test]
fn a_rule_beyond_the_expression_bounds_is_a_configuration_error() {
    let long = vec!["fees_total_fen"; 30_000].join(" + ");
    let text = format!(
        "[[custom]]\ncode = \"HUGE\"\nname = \"超长\"\nlevel = \"yellow\"\nwhen = \"{long} > 0\"\nmessage = \"x\"\n"
    );
    let error = zhengwu_supervision::SupervisionConfig::from_toml(&text).unwrap_err().to_string();
    assert!(error.ends_with("`when`: the expression is 510001 bytes long; at most 4096 are accepted"), "{error}");
    let deep = format!("{}fees_total_fen{} > 0", "(".repeat(30), ")".repeat(30));
    let text =
        format!("[[custom]]\ncode = \"DEEP\"\nname = \"深\"\nlevel = \"yellow\"\nwhen = \"{deep}\"\nmessage = \"x\"\n");
    let error = zhengwu_supervision::SupervisionConfig::from_toml(&text).unwrap_err().to_string();
    assert!(error.ends_with("`when`: brackets nest 9 deep at byte 8; at most 8 levels are accepted"), "{error}");
}
