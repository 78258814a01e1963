//! 信访, 双公示 and 公文 receipt through the same rules, as catalogue items
//! (`tests/data/supervision/beyond-approval.toml`).

use zhengwu_core::{Authority, Calendar, Catalogue, CatalogueFile, Decision, EventKind};
use zhengwu_supervision::{Rule, SupervisionConfig, Supervisor};

use crate::{CaseLog, at, received};

fn supervisor() -> Supervisor {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/supervision/beyond-approval.toml"))
            .unwrap();
    let file = CatalogueFile::from_toml(&text).unwrap();
    let departments = file.departments();
    Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default())
}

fn log(case: &str, item: &str) -> CaseLog {
    let mut log = CaseLog::new(case, item);
    log.department = match item {
        "XF-001" => "xfj",
        "SGS-XK" => "xyb",
        _ => "bgs",
    }
    .to_owned();
    log
}

fn raised(supervisor: &mut Supervisor, log: CaseLog, as_of: &str) -> Vec<Rule> {
    for event in log.events {
        assert_eq!(supervisor.ingest(event), zhengwu_supervision::Ingested::Applied);
    }
    let evaluation = supervisor.evaluate(at(as_of));
    assert!(evaluation.unevaluated.is_empty(), "{:?}", evaluation.unevaluated);
    evaluation.raised.iter().map(|id| supervisor.alert(id).unwrap().rule).collect()
}

#[test]
fn petitions_take_calendar_day_limits_and_a_30_day_extension() {
    // Received 2025-09-16: acceptance due 15 days later, 2025-10-01, in the National Day holiday:
    // moved to 2025-10-09 (Art. 203). Accepted on 2025-10-09: on time.
    let mut petition = log("X1", "XF-001");
    petition.add("2025-09-16T09:00:00+08:00", received(&[]));
    petition.add("2025-10-09T09:00:00+08:00", EventKind::Accepted);
    let mut s = supervisor();
    assert_eq!(raised(&mut s, petition, "2025-10-09T10:00:00+08:00"), []);

    // Accepted a day later: late.
    let mut late = log("X2", "XF-001");
    late.add("2025-09-16T09:00:00+08:00", received(&[]));
    late.add("2025-10-10T09:00:00+08:00", EventKind::Accepted);
    assert_eq!(raised(&mut supervisor(), late, "2025-10-10T10:00:00+08:00"), [Rule::NotAcceptInTime]);

    // Accepted 2025-03-03: due 60 days later, 2025-05-02, in the Labour Day holiday → 2025-05-06.
    // Extended by 30 with the office head: 90 days after 2025-03-03 is 2025-06-01, in the Dragon
    // Boat holiday (05-31 … 06-02) → 2025-06-03.
    let mut extended = log("X3", "XF-001");
    extended.add("2025-03-03T09:00:00+08:00", received(&[]));
    extended.add("2025-03-03T10:00:00+08:00", EventKind::Accepted);
    extended.add(
        "2025-04-20T10:00:00+08:00",
        EventKind::ExtensionApproved { days: 30, authority: Authority::DepartmentHead, reason: None },
    );
    extended.add(
        "2025-06-03T10:00:00+08:00",
        EventKind::Concluded {
            decision: Decision::Granted,
            reason: Some("已答复".into()),
            document_number: Some("信复〔2025〕3号".into()),
        },
    );
    let mut s = supervisor();
    assert_eq!(raised(&mut s, extended, "2025-06-04"), []);
    // Beyond +30: the excess is a violation.
    let mut too_long = log("X4", "XF-001");
    too_long.add("2025-03-03T09:00:00+08:00", received(&[]));
    too_long.add("2025-03-03T10:00:00+08:00", EventKind::Accepted);
    too_long.add(
        "2025-04-20T10:00:00+08:00",
        EventKind::ExtensionApproved { days: 40, authority: Authority::DepartmentHead, reason: None },
    );
    assert_eq!(raised(&mut supervisor(), too_long, "2025-04-21"), [Rule::ExtUnapproved]);
}

#[test]
fn publication_within_seven_working_days() {
    // Decided Friday 2025-09-26: the 7th working day is 2025-10-13 (09-28, 09-29, 09-30, then
    // 10-09, 10-10, 10-11 — a worked Saturday — and 10-13; 10-01…10-08 off).
    let mut late = log("P1", "SGS-XK");
    late.add("2025-09-26T16:00:00+08:00", received(&[]));
    late.add("2025-09-26T16:30:00+08:00", EventKind::Accepted);
    late.add(
        "2025-10-14T09:00:00+08:00",
        EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: Some("公示-1".into()) },
    );
    assert_eq!(
        raised(&mut supervisor(), late, "2025-10-14T10:00:00+08:00"),
        [Rule::TimeOverPromise, Rule::TimeOverLegal]
    );
    let mut on_time = log("P2", "SGS-XK");
    on_time.add("2025-09-26T16:00:00+08:00", received(&[]));
    on_time.add("2025-09-26T16:30:00+08:00", EventKind::Accepted);
    on_time.add(
        "2025-10-13T09:00:00+08:00",
        EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: Some("公示-2".into()) },
    );
    assert_eq!(raised(&mut supervisor(), on_time, "2025-10-13T10:00:00+08:00"), []);
}

#[test]
fn urgent_documents_are_signed_for_within_a_working_day() {
    let mut late = log("G1", "GW-TJ");
    late.add("2025-03-07T17:00:00+08:00", received(&[]));
    // Friday's arrival signed for on Tuesday: more than one working day.
    late.add("2025-03-11T09:00:00+08:00", EventKind::Accepted);
    assert_eq!(raised(&mut supervisor(), late, "2025-03-11T10:00:00+08:00"), [Rule::NotAcceptInTime]);
    let mut in_time = log("G2", "GW-TJ");
    in_time.add("2025-03-07T17:00:00+08:00", received(&[]));
    in_time.add("2025-03-10T09:00:00+08:00", EventKind::Accepted);
    assert_eq!(raised(&mut supervisor(), in_time, "2025-03-10T10:00:00+08:00"), []);
}
