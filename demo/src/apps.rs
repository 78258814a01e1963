//! The city's other applications for its year, reported to supervision as a vendor's system
//! would: 信访 matters, 政府信息公开 requests, 人大代表建议 and 政协提案, and the 好差评 that
//! follow approval cases. Each misbehaves a little, so that their rules fire.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use zhengwu_core::{
    Actor, AnswerClass, Authority, Calendar, CaseEvent, CaseId, Channel, Decision, DepartmentId, EventKind,
    FollowUpStage, Grade, ItemCode, RegionCode, SCHEMA_VERSION, SpecialProcedureKind,
};

use crate::error::Result;
use crate::rng::Rng;

/// The codes of the application items the demo city publishes.
pub(crate) const PETITION_PREFIX: &str = "5301-XF";
/// 依申请公开, handled by the government office.
pub(crate) const DISCLOSURE_ITEM: &str = "5301-bgt-XXGK";
/// 人大代表建议 by 主办 unit, then 政协提案.
pub(crate) const SUGGESTION_UNITS: [&str; 3] = ["zjj", "jtj", "sthjj"];
/// 政协提案 by 主办 unit.
pub(crate) const PROPOSAL_UNITS: [&str; 2] = ["jyj", "wjw"];

/// The item code of a unit's 建议 (`RDJY`) or 提案 (`ZXTA`) handling.
pub(crate) fn proposal_code(kind: &str, unit: &str) -> String {
    format!("5301-{unit}-{kind}")
}

fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

fn at(day: NaiveDate, minutes_after_nine: i64) -> DateTime<FixedOffset> {
    let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("09:00 is a time");
    china().from_local_datetime(&day.and_time(nine)).single().expect("UTC+8 has no gaps")
        + Duration::minutes(minutes_after_nine)
}

/// One case's events as its system reports them.
struct Report {
    case: CaseId,
    item: ItemCode,
    department: DepartmentId,
    region: RegionCode,
    events: Vec<CaseEvent>,
}

impl Report {
    fn new(case: String, item: &str, department: &str, region: &RegionCode) -> Self {
        Report {
            case: CaseId::new(case),
            item: ItemCode::new(item),
            department: DepartmentId::new(department),
            region: region.clone(),
            events: Vec::new(),
        }
    }

    fn push(&mut self, when: DateTime<FixedOffset>, actor: &str, kind: EventKind) {
        self.push_as(when, actor, None, kind);
    }

    fn push_as(&mut self, when: DateTime<FixedOffset>, actor: &str, department: Option<&str>, kind: EventKind) {
        let sequence = self.events.len() as u64 + 1;
        self.events.push(CaseEvent {
            schema: SCHEMA_VERSION,
            idempotency_key: CaseEvent::key(self.case.as_str(), sequence),
            case_id: self.case.clone(),
            sequence,
            item_code: self.item.clone(),
            department: department.map_or_else(|| self.department.clone(), DepartmentId::new),
            region: self.region.clone(),
            occurred_at: when,
            recorded_at: when,
            actor: Actor { id: actor.into(), name: None, role: None },
            kind,
            signature: None,
        });
    }
}

/// The applications' cases of the year, in no particular order; `cases` is the approval case
/// count the year was asked for (the others are in proportion: a 24,000-case city has 600 信访
/// matters, 300 信息公开 requests and 300 建议 and 提案).
pub(crate) fn simulate(
    rng: &mut Rng,
    calendar: &Calendar,
    year: i32,
    year_end: NaiveDate,
    cases: u64,
    city_region: &RegionCode,
) -> Result<Vec<Vec<CaseEvent>>> {
    let mut all = Vec::new();
    let days_in_year =
        if NaiveDate::from_ymd_opt(year, 12, 31).is_some_and(|d| d.ordinal() == 366) { 366 } else { 365 };
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a year has a first day");
    let day_of = |rng: &mut Rng| first + Duration::days(rng.below(days_in_year - 20) as i64);
    let workday = |day: NaiveDate| calendar.next_workday_on_or_after(day);
    let within = |day: NaiveDate| day <= year_end;

    // 信访: registered by the 信访局 and handed to the 城管局 (交办), accepted within 15 days
    // (a few later), concluded within 60 (5 % later).
    for n in 0..(cases / 40).max(1) {
        let received = workday(day_of(rng))?;
        let mut report =
            Report::new(format!("XF{year}-{:05}", n + 1), &format!("{PETITION_PREFIX}-BL"), "cgj", city_region);
        report.push(
            at(received, 30),
            "cgj-w1",
            EventKind::Received { channel: Channel::Online, materials: Vec::new() },
        );
        let wait = if rng.below(100) < 4 { 16 + rng.below(5) } else { rng.below(10) };
        let accepted = workday(received + Duration::days(wait as i64))?;
        if !within(accepted) {
            all.push(report.events);
            continue;
        }
        report.push(at(accepted, 60), "cgj-h1", EventKind::Accepted);
        let took = match rng.below(100) {
            n if n < 5 => 61 + rng.below(15),
            _ => 15 + rng.below(44),
        };
        let concluded = workday(accepted + Duration::days(took as i64))?;
        if within(concluded) {
            report.push(
                at(concluded, 120),
                "cgj-a1",
                EventKind::Concluded {
                    decision: Decision::Granted,
                    reason: None,
                    document_number: Some(format!("昆城管信复〔{year}〕{}号", n + 1)),
                },
            );
        }
        all.push(report.events);
    }

    // 信息公开: one 补正 notice in 10 % (2 % after the 7-day window), a third party consulted in
    // 5 %, an approved extension in 8 %, answered late in 3 %.
    for n in 0..(cases / 80).max(1) {
        let received = workday(day_of(rng))?;
        let mut report = Report::new(format!("GK{year}-{:05}", n + 1), DISCLOSURE_ITEM, "bgt", city_region);
        report.push(
            at(received, 10),
            "bgt-w1",
            EventKind::Received { channel: Channel::Online, materials: Vec::new() },
        );
        let mut start = received;
        if rng.below(100) < 10 {
            let notice =
                calendar.add_working_days(received, if rng.below(100) < 20 { 9 } else { 1 + rng.below(6) as u32 })?;
            report.push(
                at(notice, 20),
                "bgt-w1",
                EventKind::SupplementRequested { items: vec!["所需信息的名称".into()], note: None },
            );
            start = calendar.add_working_days(notice, 3)?;
            report.push(
                at(start, 30),
                "bgt-w1",
                EventKind::SupplementReceived { items: vec!["所需信息的名称".into()] },
            );
        }
        report.push(at(start, 40), "bgt-w1", EventKind::Accepted);
        let mut cursor = start;
        if rng.below(100) < 5 {
            let from = calendar.add_working_days(start, 2)?;
            report.push(
                at(from, 50),
                "bgt-h1",
                EventKind::SpecialProcedureStarted {
                    procedure: SpecialProcedureKind::Consultation,
                    expected_days: Some(15),
                },
            );
            cursor = calendar.add_working_days(from, 15)?;
            report.push(
                at(cursor, 50),
                "bgt-h1",
                EventKind::SpecialProcedureEnded { procedure: SpecialProcedureKind::Consultation },
            );
        }
        let (extend, days) = match rng.below(100) {
            n if n < 8 => (true, 25 + rng.below(12) as u32),
            n if n < 11 => (false, 22 + rng.below(3) as u32),
            _ => (false, 5 + rng.below(14) as u32),
        };
        if extend {
            let approved = calendar.add_working_days(cursor, 10)?;
            report.push(
                at(approved, 60),
                "bgt-d1",
                EventKind::ExtensionApproved {
                    days: 20,
                    authority: Authority::DepartmentHead,
                    reason: Some("需要检索的信息量大".into()),
                },
            );
        }
        let answered = calendar.add_working_days(cursor, days)?;
        if within(answered) {
            report.push(
                at(answered, 90),
                "bgt-h1",
                EventKind::Concluded {
                    decision: Decision::Granted,
                    reason: None,
                    document_number: Some(format!("昆政办信公〔{year}〕{}号", n + 1)),
                },
            );
        }
        all.push(report.events);
    }

    // 建议 and 提案: assigned after the 两会 (March), 会办 in 40 % (a tenth of the views late), the
    // answer within 3 months (5 % later), the view 5–15 days after (10 % 不满意, answered again
    // within 10–40 days).
    let per_unit = (cases / 200).max(2) / 2;
    let units = SUGGESTION_UNITS.iter().map(|u| ("RDJY", *u)).chain(PROPOSAL_UNITS.iter().map(|u| ("ZXTA", *u)));
    let assigned_from = NaiveDate::from_ymd_opt(year, 3, 16).expect("March has a 16th");
    let mut number = 0;
    for (kind, unit) in units {
        for _ in 0..per_unit {
            number += 1;
            let assigned = workday(assigned_from + Duration::days(rng.below(40) as i64))?;
            let code = proposal_code(kind, unit);
            let mut report = Report::new(format!("{kind}{year}-{number:04}"), &code, unit, city_region);
            report.push(
                at(assigned, 0),
                &format!("{unit}-w1"),
                EventKind::Received { channel: Channel::Window, materials: Vec::new() },
            );
            report.push(at(assigned, 10), &format!("{unit}-w1"), EventKind::Accepted);
            if rng.below(100) < 40 {
                let partner = ["fgw", "czj", "zrzyj"][rng.below(3) as usize];
                report.push_as(
                    at(assigned, 20),
                    &format!("{partner}-h1"),
                    Some(partner),
                    EventKind::StepStarted { step: "huiban".into() },
                );
                let days = if rng.below(100) < 10 { 33 + rng.below(10) } else { 10 + rng.below(18) };
                let done = workday(assigned + Duration::days(days as i64))?;
                report.push_as(
                    at(done, 30),
                    &format!("{partner}-h1"),
                    Some(partner),
                    EventKind::StepCompleted { step: "huiban".into(), opinion: Some("会办意见".into()) },
                );
            }
            let took = if rng.below(100) < 5 { 93 + rng.below(8) } else { 55 + rng.below(36) };
            let answered = workday(assigned + Duration::days(took as i64))?;
            if !within(answered) {
                all.push(report.events);
                continue;
            }
            let document = format!("昆{unit}复〔{year}〕{number}号");
            report.push(
                at(answered, 60),
                &format!("{unit}-a1"),
                EventKind::Concluded {
                    decision: Decision::Granted,
                    reason: None,
                    document_number: Some(document.clone()),
                },
            );
            let class = [AnswerClass::A, AnswerClass::A, AnswerClass::B, AnswerClass::C][rng.below(4) as usize];
            report.push(
                at(answered, 61),
                &format!("{unit}-a1"),
                EventKind::ReplySent { class, document_number: Some(document) },
            );
            let viewed = answered + Duration::days(5 + rng.below(10) as i64);
            if !within(viewed) {
                all.push(report.events);
                continue;
            }
            let grade = match rng.below(100) {
                n if n < 70 => Grade::Satisfied,
                n if n < 90 => Grade::BasicallySatisfied,
                _ => Grade::Dissatisfied,
            };
            report.push(
                at(viewed, 90),
                "deputy",
                EventKind::Rated { grade, channel: None, indicators: Default::default() },
            );
            if grade.is_bad() {
                let again = viewed + Duration::days(10 + rng.below(30) as i64);
                if within(again) {
                    report.push(
                        at(again, 100),
                        &format!("{unit}-a1"),
                        EventKind::ReplySent { class: AnswerClass::B, document_number: None },
                    );
                }
            }
            all.push(report.events);
        }
    }
    Ok(all)
}

/// 好差评 of a concluded approval case, appended after its events: given in 40 % of cases, a
/// 差评 in 7 % of those (twice as often at the slow departments), each 差评 called back and
/// reported within 15 working days, a fifth of them late.
pub(crate) fn rate(
    rng: &mut Rng,
    calendar: &Calendar,
    year_end: NaiveDate,
    events: &mut Vec<CaseEvent>,
    slow: bool,
) -> Result<()> {
    let Some(last) = events.last().cloned() else { return Ok(()) };
    if !matches!(last.kind, EventKind::ResultDelivered { .. } | EventKind::Concluded { .. }) || rng.below(100) >= 40 {
        return Ok(());
    }
    let bad_share = if slow { 14 } else { 7 };
    let grade = match rng.below(100) {
        n if n < bad_share / 3 => Grade::VeryDissatisfied,
        n if n < bad_share => Grade::Dissatisfied,
        n if n < 15 => Grade::BasicallySatisfied,
        n if n < 40 => Grade::Satisfied,
        _ => Grade::VerySatisfied,
    };
    let mut push = |when: DateTime<FixedOffset>, actor: &str, kind: EventKind| {
        let sequence = events.len() as u64 + 1;
        let mut event = last.clone();
        event.sequence = sequence;
        event.idempotency_key = CaseEvent::key(last.case_id.as_str(), sequence);
        event.occurred_at = when;
        event.recorded_at = when;
        event.actor = Actor { id: actor.into(), name: None, role: None };
        event.kind = kind;
        events.push(event);
    };
    let rated = last.occurred_at + Duration::hours(2);
    let channel = if rng.below(100) < 70 { Channel::Online } else { Channel::Window };
    let indicator = if channel == Channel::Online { "办事效率" } else { "服务效率" };
    push(
        rated,
        "applicant",
        EventKind::Rated {
            grade,
            channel: Some(channel),
            indicators: [(indicator.to_owned(), grade)].into_iter().collect(),
        },
    );
    if grade.is_bad() {
        let day = zhengwu_core::china_day(rated);
        let called = calendar.add_working_days(day, 2)?;
        let department = last.department.as_str().to_owned();
        if called <= year_end {
            push(
                at(called, 30),
                &format!("{department}-w1"),
                EventKind::RatingFollowedUp { stage: FollowUpStage::Revisited, note: None },
            );
        }
        let days = if rng.below(100) < 20 { 16 + rng.below(5) as u32 } else { 5 + rng.below(10) as u32 };
        let reported = calendar.add_working_days(day, days)?;
        if reported <= year_end {
            push(
                at(reported, 60),
                &format!("{department}-w1"),
                EventKind::RatingFollowedUp {
                    stage: FollowUpStage::Reported, note: Some("已整改并告知申请人".into())
                },
            );
        }
    }
    Ok(())
}
