//! For each built-in rule, a case where it fires and one where it must not.

use zhengwu_core::{Authority, Decision, EventKind, SpecialProcedureKind};
use zhengwu_supervision::{Level, Rule};

use crate::{CaseLog, at, received, supervisor};

/// The (rule, fact) pairs raised for one case as of `as_of`.
fn fired(log: &CaseLog, as_of: &str) -> Vec<(Rule, String)> {
    let mut supervisor = supervisor();
    for event in &log.events {
        let outcome = supervisor.ingest(event.clone());
        assert_eq!(outcome, zhengwu_supervision::Ingested::Applied, "{event:?}");
    }
    let evaluation = supervisor.evaluate(at(as_of));
    assert!(evaluation.unevaluated.is_empty(), "{:?}", evaluation.unevaluated);
    evaluation
        .raised
        .iter()
        .map(|id| {
            let alert = supervisor.alert(id).unwrap();
            (alert.rule, id.splitn(3, ':').nth(2).unwrap().to_owned())
        })
        .collect()
}

fn rules(log: &CaseLog, as_of: &str) -> Vec<Rule> {
    fired(log, as_of).into_iter().map(|(rule, _)| rule).collect()
}

fn granted(document: Option<&str>) -> EventKind {
    EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: document.map(str::to_owned) }
}

fn step(log: &mut CaseLog, code: &str, start: &str, end: &str) {
    log.add(start, EventKind::StepStarted { step: code.to_owned() });
    log.add(end, EventKind::StepCompleted { step: code.to_owned(), opinion: Some("同意".to_owned()) });
}

/// A well-behaved 承诺件 accepted 2025-03-03: review 3 WD, approve 1 WD, granted with a document
/// on 2025-03-10, early (promised due 2025-03-17).
fn clean() -> CaseLog {
    let mut log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    step(&mut log, "review", "2025-03-03T14:00:00+08:00", "2025-03-06T10:00:00+08:00");
    step(&mut log, "approve", "2025-03-06T11:00:00+08:00", "2025-03-07T16:00:00+08:00");
    log.add("2025-03-07T17:00:00+08:00", EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 1000 });
    log.add("2025-03-10T10:00:00+08:00", granted(Some("昆市监许〔2025〕1号")));
    log.add("2025-03-11T10:00:00+08:00", delivered());
    log
}

fn delivered() -> EventKind {
    EventKind::ResultDelivered { method: Some("窗口领取".to_owned()) }
}

#[test]
fn a_clean_case_raises_nothing() {
    assert_eq!(fired(&clean(), "2025-12-31"), []);
}

#[test]
fn time_near() {
    let log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    // Due 2025-03-17: on 03-14 one working day is left.
    assert_eq!(fired(&log, "2025-03-14T09:00:00+08:00"), [(Rule::TimeNear, "due:2025-03-17".to_owned())]);
    assert_eq!(fired(&log, "2025-03-12T09:00:00+08:00"), []);
}

#[test]
fn time_over_promise_and_legal() {
    let log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    assert_eq!(fired(&log, "2025-03-18T09:00:00+08:00"), [(Rule::TimeOverPromise, "running".to_owned())]);
    // Legal due 2025-03-31.
    assert_eq!(rules(&log, "2025-04-01T09:00:00+08:00"), [Rule::TimeOverPromise, Rule::TimeOverLegal]);
    assert!(!rules(&log, "2025-03-31T09:00:00+08:00").contains(&Rule::TimeOverLegal));
    // Concluded on the due date: nothing over.
    let mut on_time = CaseLog::opened("C2", "SC-001", "2025-03-03");
    step(&mut on_time, "review", "2025-03-04", "2025-03-05");
    step(&mut on_time, "approve", "2025-03-06", "2025-03-07");
    on_time.add("2025-03-17T15:00:00+08:00", granted(Some("1号")));
    on_time.add("2025-03-17T16:00:00+08:00", delivered());
    assert_eq!(fired(&on_time, "2025-12-31"), []);
    // One day late.
    let mut late = CaseLog::opened("C3", "SC-001", "2025-03-03");
    step(&mut late, "review", "2025-03-04", "2025-03-05");
    step(&mut late, "approve", "2025-03-06", "2025-03-07");
    late.add("2025-03-18T15:00:00+08:00", granted(Some("1号")));
    late.add("2025-03-19T15:00:00+08:00", delivered());
    assert_eq!(fired(&late, "2025-12-31"), [(Rule::TimeOverPromise, "concluded".to_owned())]);
}

#[test]
fn step_overtime() {
    let mut slow = CaseLog::opened("C1", "SC-001", "2025-03-03");
    step(&mut slow, "review", "2025-03-04T09:00:00+08:00", "2025-03-10T09:00:00+08:00");
    assert_eq!(
        fired(&slow, "2025-03-10T12:00:00+08:00"),
        [(Rule::StepOvertime, "review@2025-03-04T09:00:00+08:00".to_owned())]
    );
    let mut ok = CaseLog::opened("C1", "SC-001", "2025-03-03");
    step(&mut ok, "review", "2025-03-04T09:00:00+08:00", "2025-03-07T09:00:00+08:00");
    assert_eq!(fired(&ok, "2025-03-07T12:00:00+08:00"), []);
    // Still open past its limit.
    let mut open = CaseLog::opened("C1", "SC-001", "2025-03-03");
    open.add("2025-03-04T09:00:00+08:00", EventKind::StepStarted { step: "review".into() });
    assert_eq!(rules(&open, "2025-03-10T12:00:00+08:00"), [Rule::StepOvertime]);
}

#[test]
fn refuse_illegal() {
    let mut silent = CaseLog::new("C1", "SC-001");
    silent.add("2025-03-03T09:00:00+08:00", received(&["M01"]));
    silent.add("2025-03-03T10:00:00+08:00", EventKind::RefusedAtIntake { reason: Some("  ".into()) });
    assert_eq!(fired(&silent, "2025-03-04"), [(Rule::RefuseIllegal, "intake".to_owned())]);
    let mut reasoned = CaseLog::new("C1", "SC-001");
    reasoned.add("2025-03-03T09:00:00+08:00", received(&["M01"]));
    reasoned
        .add("2025-03-03T10:00:00+08:00", EventKind::RefusedAtIntake { reason: Some("不属于本机关职权范围".into()) });
    assert_eq!(fired(&reasoned, "2025-03-04"), []);
    let mut refused = clean();
    refused.events.truncate(refused.events.len() - 2);
    refused.add(
        "2025-03-10T10:00:00+08:00",
        EventKind::Concluded {
            decision: Decision::Refused, reason: None, document_number: Some("不予许可1号".into())
        },
    );
    assert_eq!(fired(&refused, "2025-03-11"), [(Rule::RefuseIllegal, "decision".to_owned())]);
}

#[test]
fn not_accept_in_time() {
    // Received Monday 2025-03-03: answer due by the 5th working day, 2025-03-10.
    let mut late = CaseLog::new("C1", "SC-001");
    late.add("2025-03-03T09:00:00+08:00", received(&["M01", "M02"]));
    late.add("2025-03-11T09:00:00+08:00", EventKind::Accepted);
    assert_eq!(fired(&late, "2025-03-11T10:00:00+08:00"), [(Rule::NotAcceptInTime, "intake".to_owned())]);
    let mut in_time = CaseLog::new("C1", "SC-001");
    in_time.add("2025-03-03T09:00:00+08:00", received(&["M01", "M02"]));
    in_time.add("2025-03-10T16:00:00+08:00", EventKind::Accepted);
    assert_eq!(fired(&in_time, "2025-03-10T17:00:00+08:00"), []);
    // A 补正 notice in time answers too, even if acceptance comes much later.
    let mut supplemented = CaseLog::new("C1", "SC-001");
    supplemented.add("2025-03-03T09:00:00+08:00", received(&["M01"]));
    supplemented
        .add("2025-03-05T09:00:00+08:00", EventKind::SupplementRequested { items: vec!["M02".into()], note: None });
    supplemented.add("2025-03-20T09:00:00+08:00", EventKind::SupplementReceived { items: vec!["M02".into()] });
    supplemented.add("2025-03-20T10:00:00+08:00", EventKind::Accepted);
    assert_eq!(fired(&supplemented, "2025-03-20T11:00:00+08:00"), []);
    // No answer at all, evaluated after the deadline: fires without any new event.
    let mut silent = CaseLog::new("C1", "SC-001");
    silent.add("2025-03-03T09:00:00+08:00", received(&["M01"]));
    assert_eq!(rules(&silent, "2025-03-10T17:00:00+08:00"), []);
    assert_eq!(rules(&silent, "2025-03-11T09:00:00+08:00"), [Rule::NotAcceptInTime]);
}

#[test]
fn multi_buzheng() {
    let mut twice = CaseLog::new("C1", "SC-001");
    twice.add("2025-03-03T09:00:00+08:00", received(&["M01"]));
    for (ask, get) in [("2025-03-04", "2025-03-05"), ("2025-03-06", "2025-03-07")] {
        twice.add(ask, EventKind::SupplementRequested { items: vec!["M02".into()], note: None });
        twice.add(get, EventKind::SupplementReceived { items: vec!["M02".into()] });
    }
    twice.add("2025-03-07T16:00:00+08:00", EventKind::Accepted);
    assert_eq!(fired(&twice, "2025-03-07T17:00:00+08:00"), [(Rule::MultiBuzheng, "requests".to_owned())]);
    let mut once = CaseLog::new("C1", "SC-001");
    once.add("2025-03-03T09:00:00+08:00", received(&["M01"]));
    once.add("2025-03-04", EventKind::SupplementRequested { items: vec!["M02".into()], note: None });
    once.add("2025-03-05", EventKind::SupplementReceived { items: vec!["M02".into()] });
    assert_eq!(fired(&once, "2025-03-05T17:00:00+08:00"), []);
}

#[test]
fn extra_material() {
    let mut extra = CaseLog::new("C1", "SC-001");
    extra.add("2025-03-03T09:00:00+08:00", received(&["M01", "M09"]));
    extra.add("2025-03-03T10:00:00+08:00", EventKind::SupplementRequested { items: vec!["房产证".into()], note: None });
    assert_eq!(
        fired(&extra, "2025-03-03T11:00:00+08:00"),
        [(Rule::ExtraMaterial, "material:M09".to_owned()), (Rule::ExtraMaterial, "material:房产证".to_owned())]
    );
    let mut listed = CaseLog::new("C1", "SC-001");
    listed.add("2025-03-03T09:00:00+08:00", received(&["M01", "M02"]));
    assert_eq!(fired(&listed, "2025-03-03T11:00:00+08:00"), []);
    // 要件不全却受理: accepted with M02 missing.
    let mut incomplete = CaseLog::new("C1", "SC-001");
    incomplete.add("2025-03-03T09:00:00+08:00", received(&["M01"]));
    incomplete.add("2025-03-03T09:30:00+08:00", EventKind::Accepted);
    assert_eq!(fired(&incomplete, "2025-03-03T11:00:00+08:00"), [(Rule::ExtraMaterial, "missing:M02".to_owned())]);
    let alerts = {
        let mut supervisor = supervisor();
        supervisor.ingest_all(incomplete.events.clone());
        let raised = supervisor.evaluate(at("2025-03-03T11:00:00+08:00")).raised;
        supervisor.alert(&raised[0]).unwrap().message.clone()
    };
    assert_eq!(alerts, "【黄牌】收取目录外材料或要件不全受理：办件C1（SC-001）要件「营业执照」（M02）不全即予受理");
    // 容缺受理 (a red-listed applicant) makes it legitimate.
    let mut with_gaps = CaseLog::new("C1", "SC-001");
    with_gaps.add("2025-03-03T09:00:00+08:00", received(&["M01"]));
    with_gaps.add(
        "2025-03-03T09:10:00+08:00",
        EventKind::CreditChecked {
            applicant: "91440300708461136T".into(),
            grade: "A".into(),
            measures: vec![zhengwu_core::CreditMeasure::AcceptWithGaps],
        },
    );
    with_gaps.add("2025-03-03T09:30:00+08:00", EventKind::Accepted);
    assert_eq!(fired(&with_gaps, "2025-03-03T11:00:00+08:00"), []);
}

#[test]
fn fee_over() {
    let mut over = CaseLog::opened("C1", "SC-001", "2025-03-03");
    over.add("2025-03-03T11:00:00+08:00", EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 1500 });
    over.add("2025-03-03T11:05:00+08:00", EventKind::FeeCharged { fee_code: "F99".into(), amount_fen: 200 });
    over.add("2025-03-03T11:10:00+08:00", EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 1000 });
    let mut supervisor = supervisor();
    supervisor.ingest_all(over.events.clone());
    let evaluation = supervisor.evaluate(at("2025-03-03T12:00:00+08:00"));
    let alerts: Vec<_> = evaluation.raised.iter().map(|id| supervisor.alert(id).unwrap()).collect();
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0].message, "【红牌】违规收费：办件C1（SC-001）收费项目「F01」收取15.00元，超过标准10.00元");
    assert_eq!(alerts[1].message, "【红牌】违规收费：办件C1（SC-001）收费项目「F99」不在公示收费目录内（收取2.00元）");
    assert_eq!(alerts[0].evidence["standard"], "10.00元");
    assert_eq!(alerts[0].level, Level::Red);
}

#[test]
fn skip_step() {
    let mut skipped = CaseLog::opened("C1", "SC-001", "2025-03-03");
    step(&mut skipped, "review", "2025-03-04", "2025-03-05");
    skipped.add("2025-03-06", granted(Some("1号")));
    assert_eq!(fired(&skipped, "2025-03-07"), [(Rule::SkipStep, "step:approve".to_owned())]);
    assert_eq!(fired(&clean(), "2025-03-11"), []);
}

#[test]
fn offline() {
    // Entered two days after its business time.
    let mut backdated = CaseLog::opened("C1", "SC-001", "2025-03-03");
    backdated.add_recorded(
        "2025-03-04T09:00:00+08:00",
        "2025-03-06T09:00:00+08:00",
        EventKind::StepStarted { step: "review".into() },
    );
    assert_eq!(fired(&backdated, "2025-03-06T10:00:00+08:00"), [(Rule::Offline, "entry_lag".to_owned())]);
    // Three steps completed within two minutes.
    let mut burst = CaseLog::opened("C1", "JT-001", "2025-03-03");
    for (code, minute) in [("a", "00"), ("b", "01"), ("c", "02")] {
        burst.add(&format!("2025-03-05T16:{minute}:00+08:00"), EventKind::StepStarted { step: code.into() });
        burst.add(
            &format!("2025-03-05T16:{minute}:30+08:00"),
            EventKind::StepCompleted { step: code.into(), opinion: None },
        );
    }
    assert_eq!(fired(&burst, "2025-03-05T17:00:00+08:00"), [(Rule::Offline, "burst".to_owned())]);
    // Business time running backwards within a case.
    let mut reversed = CaseLog::opened("C1", "SC-001", "2025-03-03");
    reversed.add("2025-03-05T09:00:00+08:00", EventKind::StepStarted { step: "review".into() });
    reversed.add("2025-03-04T09:00:00+08:00", EventKind::StepCompleted { step: "review".into(), opinion: None });
    assert_eq!(fired(&reversed, "2025-03-05T10:00:00+08:00"), [(Rule::Offline, "time_reversal".to_owned())]);
    assert_eq!(fired(&clean(), "2025-03-11"), []);
}

#[test]
fn abnormal_end() {
    let mut late_immediate = CaseLog::opened("C1", "IM-001", "2025-03-03");
    late_immediate.add("2025-03-04T10:00:00+08:00", granted(Some("1号")));
    assert_eq!(fired(&late_immediate, "2025-03-05"), [(Rule::AbnormalEnd, "immediate_late".to_owned())]);
    let mut same_day = CaseLog::opened("C1", "IM-001", "2025-03-03");
    same_day.add("2025-03-03T10:00:00+08:00", granted(Some("1号")));
    assert_eq!(fired(&same_day, "2025-03-05"), []);
    let mut no_document = CaseLog::opened("C1", "IM-001", "2025-03-03");
    no_document.add("2025-03-03T10:00:00+08:00", granted(None));
    assert_eq!(fired(&no_document, "2025-03-05"), [(Rule::AbnormalEnd, "no_document".to_owned())]);
    let mut terminated = CaseLog::opened("C1", "IM-001", "2025-03-03");
    terminated.add(
        "2025-03-03T10:00:00+08:00",
        EventKind::Concluded { decision: Decision::Terminated, reason: None, document_number: None },
    );
    assert_eq!(fired(&terminated, "2025-03-05"), [(Rule::AbnormalEnd, "terminated".to_owned())]);
}

#[test]
fn ext_unapproved() {
    let mut beyond = CaseLog::opened("C1", "SC-001", "2025-03-03");
    beyond.add(
        "2025-03-20",
        EventKind::ExtensionApproved { days: 15, authority: Authority::DepartmentHead, reason: Some("复杂".into()) },
    );
    let mut supervisor = supervisor();
    supervisor.ingest_all(beyond.events.clone());
    let evaluation = supervisor.evaluate(at("2025-03-21"));
    let ext: Vec<_> = evaluation
        .raised
        .iter()
        .map(|id| supervisor.alert(id).unwrap())
        .filter(|a| a.rule == Rule::ExtUnapproved)
        .collect();
    assert_eq!(ext.len(), 1);
    assert_eq!(ext[0].evidence["rejected_days"], "5");
    assert_eq!(
        ext[0].message,
        "【红牌】违规延期：办件C1（SC-001）2025-03-20批准的延期15日不符合规定：延期累计不得超过10日，超出5日"
    );
    let mut allowed = CaseLog::opened("C1", "SC-001", "2025-03-03");
    allowed.add(
        "2025-03-20",
        EventKind::ExtensionApproved { days: 10, authority: Authority::DepartmentHead, reason: None },
    );
    assert!(!rules(&allowed, "2025-03-21").contains(&Rule::ExtUnapproved));
    // A joint case extended by a department head only.
    let mut joint = CaseLog::opened("C1", "JT-001", "2025-03-03");
    joint.add(
        "2025-03-20",
        EventKind::ExtensionApproved { days: 15, authority: Authority::DepartmentHead, reason: None },
    );
    assert!(rules(&joint, "2025-03-21").contains(&Rule::ExtUnapproved));
}

#[test]
fn special_procedures_stop_the_clock() {
    // Inspection from 2025-03-05 to 2025-03-14 stops 7 working days: the promise moves from
    // 2025-03-17 to 2025-03-26, so nothing is over on 2025-03-20.
    let mut log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    log.add(
        "2025-03-05",
        EventKind::SpecialProcedureStarted { procedure: SpecialProcedureKind::Inspection, expected_days: Some(7) },
    );
    log.add("2025-03-14", EventKind::SpecialProcedureEnded { procedure: SpecialProcedureKind::Inspection });
    assert_eq!(rules(&log, "2025-03-20T09:00:00+08:00"), []);
    assert_eq!(fired(&log, "2025-03-25T09:00:00+08:00"), [(Rule::TimeNear, "due:2025-03-26".to_owned())]);
}

#[test]
fn english_messages_on_request() {
    let config = zhengwu_supervision::SupervisionConfig::from_toml("language = \"en\"").unwrap();
    let mut supervisor =
        zhengwu_supervision::Supervisor::new(zhengwu_core::Calendar::china(), crate::catalogue(), config);
    supervisor.ingest_all(CaseLog::opened("C1", "SC-001", "2025-03-03").events);
    let evaluation = supervisor.evaluate(at("2025-03-18T09:00:00+08:00"));
    assert_eq!(
        supervisor.alert(&evaluation.raised[0]).unwrap().message,
        "[yellow card] TIME_OVER_PROMISE: case C1 (SC-001) still open 1 working day(s) after the promised due date 2025-03-17"
    );
}

#[test]
fn a_suspension_stops_the_clock_and_workflow_bookkeeping_is_accepted() {
    let mut log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    log.add("2025-03-04", EventKind::CopySent { to: vec!["jc01".into()] });
    log.add("2025-03-05", EventKind::Suspended { reason: Some("申请人申请暂缓".into()) });
    log.add("2025-03-14", EventKind::Resumed);
    log.add("2025-03-17", EventKind::TaskUrged { step: "review".into(), note: None });
    // As with the special procedure: the promise moves from 2025-03-17 to 2025-03-26.
    assert_eq!(rules(&log, "2025-03-20T09:00:00+08:00"), []);
    assert_eq!(fired(&log, "2025-03-25T09:00:00+08:00"), [(Rule::TimeNear, "due:2025-03-26".to_owned())]);
    let mut twice = CaseLog::opened("C2", "SC-001", "2025-03-03");
    twice.add("2025-03-05", EventKind::Suspended { reason: None });
    twice.add("2025-03-06", EventKind::Suspended { reason: None });
    let mut supervisor = supervisor();
    let outcomes: Vec<_> = twice.events.into_iter().map(|e| supervisor.ingest(e)).collect();
    assert_eq!(
        outcomes[3],
        zhengwu_supervision::Ingested::Rejected { reason: "case `C2` is already suspended".into() }
    );
}
