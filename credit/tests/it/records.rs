//! Records over time → score, grade and list membership (scenario files), publication
//! timeliness, credit repair, measures, and the registry.

use chrono::NaiveDate;
use serde::Deserialize;
use zhengwu_core::Calendar;
use zhengwu_credit::{
    CreditCode, CreditRecord, Measure, Publication, PublicationRules, RecordKind, RepairOutcome, ScoringModel, measures,
};

#[derive(Deserialize)]
struct Scenario {
    code: CreditCode,
    record: Vec<RecordSpec>,
    check: Vec<Check>,
}

#[derive(Deserialize)]
struct RecordSpec {
    id: String,
    kind: String,
    #[serde(default)]
    serious: bool,
    #[serde(default)]
    decision_number: String,
    #[serde(default)]
    authority: String,
    decided_on: toml::value::Datetime,
    #[serde(default)]
    published_on: Option<toml::value::Datetime>,
    #[serde(default)]
    until: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
struct Check {
    on: toml::value::Datetime,
    score: f64,
    grade: String,
    #[serde(default)]
    abnormal: bool,
    #[serde(default)]
    red_list: bool,
}

fn date(value: &toml::value::Datetime) -> NaiveDate {
    value.to_string().parse().unwrap()
}

fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn scenario_files_give_the_standing_on_each_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/credit/scenario-tencent.toml");
    let scenario: Scenario = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let records: Vec<CreditRecord> = scenario
        .record
        .iter()
        .map(|r| CreditRecord {
            id: r.id.clone(),
            code: scenario.code.clone(),
            kind: match r.kind.as_str() {
                "penalty" => RecordKind::Penalty { serious: r.serious, special_field: false },
                "honour" => RecordKind::Honour,
                "abnormal_operation" => RecordKind::AbnormalOperation,
                "red_list" => RecordKind::RedList,
                "black_list" => RecordKind::BlackList,
                other => panic!("unknown kind {other}"),
            },
            decision_number: r.decision_number.clone(),
            authority: r.authority.clone(),
            decided_on: date(&r.decided_on),
            published_on: r.published_on.as_ref().map(date),
            until: r.until.as_ref().map(date),
            repaired: None,
        })
        .collect();
    let (model, rules) = (ScoringModel::default(), PublicationRules::default());
    assert_eq!(scenario.check.len(), 6);
    for check in &scenario.check {
        let on = date(&check.on);
        let standing = model.standing(&rules, &scenario.code, &records, on);
        assert_eq!(
            (standing.score, standing.grade.as_str(), standing.abnormal, standing.red_list),
            (check.score, check.grade.as_str(), check.abnormal, check.red_list),
            "{on}: {:?}",
            standing.explanation
        );
    }
}

fn penalty(decided: &str, published: Option<&str>, serious: bool) -> CreditRecord {
    CreditRecord {
        id: "P".into(),
        code: "914403001922038216".parse().unwrap(),
        kind: RecordKind::Penalty { serious, special_field: false },
        decision_number: "罚〔2025〕1号".into(),
        authority: "某局".into(),
        decided_on: d(decided),
        published_on: published.map(d),
        until: None,
        repaired: None,
    }
}

#[test]
fn double_publicity_within_seven_working_days() {
    let calendar = Calendar::china();
    let rules = PublicationRules::default();
    // Decided Friday 2025-09-26: the 7th working day is 2025-10-13.
    let on_time = penalty("2025-09-26", Some("2025-10-13"), false);
    assert_eq!(
        rules.publication(&calendar, &on_time, d("2025-10-20")).unwrap(),
        Publication::OnTime { published_on: d("2025-10-13"), due: d("2025-10-13") }
    );
    let late = penalty("2025-09-26", Some("2025-10-15"), false);
    assert_eq!(
        rules.publication(&calendar, &late, d("2025-10-20")).unwrap(),
        Publication::Late { published_on: d("2025-10-15"), due: d("2025-10-13"), working_days_late: 2 }
    );
    let unpublished = penalty("2025-09-26", None, false);
    assert_eq!(
        rules.publication(&calendar, &unpublished, d("2025-10-10")).unwrap(),
        Publication::Pending { due: d("2025-10-13") }
    );
    assert_eq!(
        rules.publication(&calendar, &unpublished, d("2025-10-14")).unwrap(),
        Publication::Overdue { due: d("2025-10-13") }
    );
}

#[test]
fn credit_repair_after_the_shortest_period() {
    let rules = PublicationRules::default();
    let record = penalty("2025-01-10", Some("2025-01-15"), false);
    assert_eq!(
        rules.repair(&record, d("2025-03-01"), "已整改并缴纳罚款"),
        RepairOutcome::Refused {
            reason: "最短公示期3个月，2025-04-10前不得申请提前终止公示".into()
        }
    );
    assert_eq!(
        rules.repair(&record, d("2025-04-10"), "已整改并缴纳罚款"),
        RepairOutcome::Granted { ends_on: d("2025-04-10") }
    );
    let serious = penalty("2025-01-10", Some("2025-01-15"), true);
    assert!(matches!(rules.repair(&serious, d("2025-05-01"), "已整改"), RepairOutcome::Refused { .. }));
    // After the longest period the record is no longer public: nothing to repair.
    assert!(!rules.is_public(&record, d("2028-01-10")));
    assert_eq!(
        rules.repair(&record, d("2028-02-01"), "已整改"),
        RepairOutcome::Refused { reason: "2028-02-01该信息不在公示期内".into() }
    );
    // A repaired record stops counting from the repair day.
    let mut repaired = record.clone();
    repaired.repaired = Some((d("2025-04-10"), "已整改".into()));
    assert!(rules.is_public(&repaired, d("2025-04-09")) && !rules.is_public(&repaired, d("2025-04-10")));
}

#[test]
fn standing_yields_measures_at_acceptance() {
    let model = ScoringModel::default();
    let rules = PublicationRules::default();
    let code: CreditCode = "914403001922038216".parse().unwrap();
    let listed = |kind| CreditRecord {
        id: "L".into(),
        code: code.clone(),
        kind,
        decision_number: String::new(),
        authority: String::new(),
        decided_on: d("2025-01-01"),
        published_on: Some(d("2025-01-01")),
        until: None,
        repaired: None,
    };
    let black = model.standing(&rules, &code, &[listed(RecordKind::BlackList)], d("2025-03-01"));
    assert_eq!((black.grade.as_str(), black.black_list), ("D", true));
    assert_eq!(measures(&black, true), [Measure::StrictReview, Measure::ExtraReview, Measure::Refuse]);
    assert_eq!(measures(&black, false), [Measure::StrictReview, Measure::ExtraReview]);
    let red = model.standing(&rules, &code, &[listed(RecordKind::RedList)], d("2025-03-01"));
    assert_eq!((red.score, red.grade.as_str()), (90.0, "A"));
    assert_eq!(measures(&red, true), [Measure::GreenChannel, Measure::AcceptWithGaps]);
    // Three years in the abnormal-operation list without removal: treated as black-listed.
    let abnormal = listed(RecordKind::AbnormalOperation);
    assert!(!model.standing(&rules, &code, std::slice::from_ref(&abnormal), d("2027-12-31")).black_list);
    let years_on = model.standing(&rules, &code, &[abnormal], d("2028-01-01"));
    assert_eq!((years_on.black_list, years_on.grade.as_str()), (true, "D"));
    let clean = model.standing(&rules, &code, &[], d("2025-03-01"));
    assert!(measures(&clean, true).is_empty());
}
