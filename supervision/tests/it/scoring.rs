//! Monthly scores, grades and the ranking under the default scheme of `domain.md` §2.4.

use std::collections::BTreeMap;

use zhengwu_core::{Decision, EventKind};
use zhengwu_supervision::{Grade, Level, Period, ScoringScheme};

use crate::{CaseLog, at, supervisor};

fn granted_early(case: &str, item: &str, day: &str, concluded: &str) -> CaseLog {
    let mut log = CaseLog::opened(case, item, day);
    if item == "SC-001" {
        for (step, start, end) in [("review", "T11", "T12"), ("approve", "T13", "T14")] {
            log.add(&format!("{day}{start}:00:00+08:00"), EventKind::StepStarted { step: step.into() });
            log.add(&format!("{day}{end}:00:00+08:00"), EventKind::StepCompleted { step: step.into(), opinion: None });
        }
    }
    log.add(
        concluded,
        EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: Some("1号".into()) },
    );
    log.add(concluded, EventKind::ResultDelivered { method: None });
    log
}

/// scjg's case A2, early, with its fee charged five times the standard (a red card).
fn overcharged() -> CaseLog {
    let mut fee = granted_early("A2", "SC-001", "2025-03-04", "2025-03-06T10:00:00+08:00");
    fee.events.truncate(fee.events.len() - 2);
    fee.add("2025-03-05T10:00:00+08:00", EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 5000 });
    fee.add(
        "2025-03-06T10:00:00+08:00",
        EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: Some("2号".into()) },
    );
    fee.add("2025-03-07T10:00:00+08:00", EventKind::ResultDelivered { method: None });
    fee
}

#[test]
fn deductions_bonus_grades_and_ranking() {
    let mut supervisor = supervisor();
    // scjg: two early conclusions in March, one over-charged fee (red card: 收费合理 8 → 0).
    supervisor.ingest_all(granted_early("A1", "SC-001", "2025-03-03", "2025-03-05T10:00:00+08:00").events);
    supervisor.ingest_all(overcharged().events);
    // zjj: one joint case still open past its 30-day promise by the end of April (yellow card,
    // 期限合法 14 → 9), no conclusions.
    supervisor.ingest_all(CaseLog::opened("B1", "JT-001", "2025-03-03").events);
    supervisor.evaluate(at("2025-03-31T18:00:00+08:00"));
    supervisor.evaluate(at("2025-04-30T18:00:00+08:00"));

    let scheme = ScoringScheme::default();
    let march = supervisor.rank(at("2025-04-30T18:00:00+08:00"), Period::Month, "2025-03", &scheme, &BTreeMap::new());
    // Both departments had cases in March; zjj's has no alert yet in March: 100.
    assert_eq!(march.len(), 2, "{march:?}");
    assert_eq!((march[1].department.as_str(), march[1].score, march[1].rank), ("zjj", 100.0, 2));
    let scjg = &march[0];
    assert_eq!(scjg.department.as_str(), "scjg");
    // 100 − 10 (red card, floored at the part's 8 → 0: deducts 8) + bonus: 2 of 2 conclusions
    // early = 100 % → +10.
    assert_eq!(scjg.score, 102.0);
    assert_eq!(scjg.bonus, 10.0);
    assert_eq!(scjg.grade, Grade::Excellent);
    assert_eq!(scjg.red_cards, 1);
    assert!(scjg.explanation.contains(&"收费合理：预警0次、黄牌0张、红牌1张，扣10分（本项最低0分），得0分".to_owned()));
    assert!(scjg.explanation.contains(&"提前办结2件，占办结量100.0%，加10分".to_owned()));

    let april = supervisor.rank(at("2025-04-30T18:00:00+08:00"), Period::Month, "2025-04", &scheme, &BTreeMap::new());
    assert_eq!(april.len(), 1);
    assert_eq!((april[0].department.as_str(), april[0].score, april[0].grade), ("zjj", 95.0, Grade::Excellent));

    // External parts lower a score; the ranking breaks ties by fewer red cards.
    let mut external = BTreeMap::new();
    external.insert("zjj".into(), BTreeMap::from([("satisfaction".to_owned(), 3.0)]));
    let april = supervisor.rank(at("2025-04-30T18:00:00+08:00"), Period::Month, "2025-04", &scheme, &external);
    assert_eq!(april[0].score, 88.0);
    assert_eq!(april[0].grade, Grade::Good);

    // The quarter as the mean of its months: scjg 102 (March) and 100 (idle April, May) → 100.67;
    // zjj 100 (March), 95 (April), 100 (idle May) → 98.33.
    let quarter = supervisor.rank_mean_of_months(
        at("2025-05-31T18:00:00+08:00"),
        &["2025-03", "2025-04", "2025-05"],
        &scheme,
        &BTreeMap::new(),
    );
    let scores: Vec<(&str, f64, usize)> = quarter.iter().map(|s| (s.department.as_str(), s.score, s.rank)).collect();
    assert_eq!(scores, [("scjg", 100.67, 1), ("zjj", 98.33, 2)]);
    assert_eq!(quarter[0].explanation[0], "3个月平均：1个月有办件，其余2个月按100分计");
}

#[test]
fn a_veto_caps_the_grade_of_a_department_with_a_red_card() {
    let mut supervisor = supervisor();
    supervisor.ingest_all(overcharged().events);
    supervisor.evaluate(at("2025-03-31T18:00:00+08:00"));
    let as_of = at("2025-03-31T18:00:00+08:00");
    // The published scheme has no veto: 92 + 10 bonus = 102, 优秀 with a red card.
    let plain = supervisor.rank(as_of, Period::Month, "2025-03", &ScoringScheme::default(), &BTreeMap::new());
    assert_eq!((plain[0].score, plain[0].grade, plain[0].vetoed), (102.0, Grade::Excellent, false));
    // A city whose rules say any 红牌 caps the grade at 合格: the score stands, the grade falls.
    let text = format!("{}\n[veto]\n", toml::to_string(&ScoringScheme::default()).unwrap());
    let scheme = ScoringScheme::from_toml(&text).unwrap();
    assert_eq!(scheme.veto, Some(zhengwu_supervision::Veto { level: Level::Red, count: 1, cap: Grade::Pass }));
    let capped = supervisor.rank(as_of, Period::Month, "2025-03", &scheme, &BTreeMap::new());
    assert_eq!((capped[0].score, capped[0].grade, capped[0].vetoed), (102.0, Grade::Pass, true));
    assert!(capped[0].explanation.contains(&"一票否决：红牌及以上信号1个（达到1个），等次由优秀降为合格".to_owned()));
    // Over a quarter the month's veto caps the mean's grade too.
    let quarter = supervisor.rank_mean_of_months(as_of, &["2025-01", "2025-02", "2025-03"], &scheme, &BTreeMap::new());
    assert_eq!((quarter[0].grade, quarter[0].vetoed), (Grade::Pass, true));
    // Two red cards needed: one is not enough.
    let lenient =
        ScoringScheme { veto: Some(zhengwu_supervision::Veto { count: 2, ..scheme.veto.unwrap() }), ..scheme };
    let ranked = supervisor.rank(as_of, Period::Month, "2025-03", &lenient, &BTreeMap::new());
    assert_eq!((ranked[0].grade, ranked[0].vetoed), (Grade::Excellent, false));
}

#[test]
fn ties_go_to_fewer_red_cards_then_early_rate_then_id() {
    use zhengwu_supervision::Counters;
    let scheme = ScoringScheme::default();
    let mut counters = BTreeMap::new();
    for department in ["a", "b", "c"] {
        counters.insert(department.into(), Counters { concluded: 10, promised: 10, early: 5, ..Counters::default() });
    }
    let ranked = scheme.rank(&counters, std::iter::empty(), &BTreeMap::new());
    let order: Vec<&str> = ranked.iter().map(|s| s.department.as_str()).collect();
    assert_eq!(order, ["a", "b", "c"]);
    assert_eq!(ranked.iter().map(|s| s.score).collect::<Vec<_>>(), [105.0, 105.0, 105.0]);
    assert_eq!(ranked.iter().map(|s| s.rank).collect::<Vec<_>>(), [1, 2, 3]);
}

#[test]
fn a_scheme_whose_weights_do_not_total_100_is_an_error() {
    let mut text = toml::to_string(&ScoringScheme::default()).unwrap();
    assert!(ScoringScheme::from_toml(&text).is_ok());
    text = text.replacen("weight = 10.0", "weight = 11.0", 1);
    assert_eq!(
        ScoringScheme::from_toml(&text).unwrap_err().to_string(),
        "invalid rule configuration: scoring scheme: part weights total 101, expected 100"
    );
}
