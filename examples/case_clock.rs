//! The statutory clock of one case, against the promised and the legal limit.
//!
//! `cargo run -p zhengwu-examples --example case_clock`
#![allow(clippy::print_stdout)]

use chrono::NaiveDate;
use zhengwu_core::{
    Authority, Calendar, Catalogue, DepartmentId, Extension, LimitReference, Pause, PauseKind, SpecialProcedureKind,
    StatutoryClock,
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
        counted = false
        basis = "《中华人民共和国行政许可法》第四十五条"
        "#,
        &[DepartmentId::new("city-zrzy")],
    )?;
    let item = catalogue.item(&"ZJ-0101".into()).expect("the item was just loaded");
    let d = |text: &str| text.parse::<NaiveDate>();

    for reference in [LimitReference::Promised, LimitReference::Legal] {
        let mut clock = StatutoryClock::new(d("2025-09-26")?, item.limit(reference));
        clock.regime = item.handling_regime();
        clock.pauses.push(Pause {
            kind: PauseKind::SpecialProcedure(SpecialProcedureKind::ExpertReview),
            from: d("2025-10-13")?,
            until: Some(d("2025-10-17")?),
        });
        clock.extensions.push(Extension {
            approved_on: d("2025-10-20")?,
            days: 10,
            authority: Authority::DepartmentHead,
        });
        clock.concluded_on = Some(d("2025-11-03")?);
        let report = clock.evaluate(&calendar, d("2025-11-03")?)?;
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
