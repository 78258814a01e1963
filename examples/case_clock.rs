//! The statutory clock of one case, against the promised and the legal limit, folded from its
//! events by `CaseTimeline`: the one fold workflow progress and supervision's rules use.
//!
//! `cargo run -p zhengwu-examples --example case_clock`
#![allow(clippy::print_stdout)]

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{
    Authority, Calendar, CaseTimeline, Catalogue, Channel, Decision, DepartmentId, EventKind, LimitReference,
    SpecialProcedureKind,
};

fn main() -> anyhow::Result<()> {
    let calendar = Calendar::china();
    let catalogue = Catalogue::from_toml(
        r#"
        [[item]]
        code = "ZJ-0101"
        name = "建设工程规划许可证核发"
        department = "city-zrzy"
        kind = "promised"
        legal_limit = { days = 20 }
        promised_limit = { days = 12 }
        [[item.special_procedure]]
        kind = "expert_review"
        limit = { days = 10 }
        basis = "《中华人民共和国行政许可法》第四十五条"
        "#,
        &[DepartmentId::new("city-zrzy")],
    )?;
    let item = catalogue.item(&"ZJ-0101".into()).expect("the item was just loaded");
    let at = |text: &str| DateTime::<FixedOffset>::parse_from_rfc3339(text);

    // Received and accepted on Friday 26 September 2025, across the National Day holiday; an
    // expert review (专家评审, Art. 45: not counted) from 13 to 17 October; 10 more days approved
    // by the department head on 20 October (Art. 42); concluded on 3 November.
    let mut timeline = CaseTimeline::default();
    let events = [
        ("2025-09-26T09:00:00+08:00", EventKind::Received { channel: Channel::Window, materials: vec![] }),
        ("2025-09-26T10:00:00+08:00", EventKind::Accepted),
        (
            "2025-10-13T09:00:00+08:00",
            EventKind::SpecialProcedureStarted {
                procedure: SpecialProcedureKind::ExpertReview,
                expected_days: Some(5),
            },
        ),
        (
            "2025-10-17T17:00:00+08:00",
            EventKind::SpecialProcedureEnded { procedure: SpecialProcedureKind::ExpertReview },
        ),
        (
            "2025-10-20T10:00:00+08:00",
            EventKind::ExtensionApproved { days: 10, authority: Authority::DepartmentHead, reason: None },
        ),
        (
            "2025-11-03T15:00:00+08:00",
            EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: None },
        ),
    ];
    for (when, kind) in &events {
        timeline.observe(at(when)?, kind);
    }
    let today = "2025-11-03".parse()?;
    let acceptance = timeline.acceptance(item, &calendar, today)?.expect("the case was accepted");
    println!("clock starts after {} ({:?})", acceptance.on, acceptance.basis);
    for reference in [LimitReference::Promised, LimitReference::Legal] {
        let report = timeline.report(item, reference, &calendar, today)?.expect("the clock runs");
        println!(
            "{:?} limit {} working days (+{} granted): due {}, used {}, remaining {}, paused {}, outcome {}",
            reference,
            item.limit(reference).days,
            report.granted_extension_days,
            report.due_on.map_or_else(|| "—".to_owned(), |d| d.to_string()),
            report.used_days,
            report.remaining_days,
            report.paused_days,
            report.status.chinese(),
        );
        for rejected in &report.rejected_extensions {
            println!("  extension not granted: {}", rejected.reason);
        }
    }
    Ok(())
}
