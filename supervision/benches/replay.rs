//! Replay throughput with every built-in rule: `cargo bench -p zhengwu-supervision --bench replay`.

use std::hint::black_box;

use chrono::{DateTime, Days, FixedOffset, NaiveDate};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_core::{Actor, Calendar, CaseEvent, Catalogue, Channel, Decision, DepartmentId, EventKind, SCHEMA_VERSION};
use zhengwu_supervision::{Dimension, Period, SupervisionConfig, Supervisor};

const CATALOGUE: &str = r#"
[[item]]
code = "SC-001"
name = "食品经营许可"
department = "scjg"
kind = "promised"
legal_limit = { days = 20 }
promised_limit = { days = 10 }
[[item.fee]]
code = "F01"
name = "工本费"
standard_fen = 1000
[[item.material]]
code = "M01"
name = "申请书"
[[item.step]]
code = "review"
name = "审核"
limit = { days = 3 }

[[item]]
code = "IM-001"
name = "变更登记"
department = "scjg"
kind = "immediate"
legal_limit = { days = 20 }
promised_limit = { days = 0 }
"#;

/// A year of cases: 即办件 (3 events) and 承诺件 (7 events, one in ten late, one in twenty
/// over-charged), received on the working days of 2025.
fn events(cases: usize) -> Vec<CaseEvent> {
    let calendar = Calendar::china();
    let days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2025, 1, 2)
        .unwrap()
        .iter_days()
        .take(330)
        .filter(|d| calendar.is_workday(*d).unwrap())
        .collect();
    let at = |day: NaiveDate, hour: u32| -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("{day}T{hour:02}:00:00+08:00")).unwrap()
    };
    let mut out = Vec::with_capacity(cases * 6);
    for n in 0..cases {
        let day = days[n % days.len()];
        let immediate = n % 4 == 0;
        let item = if immediate { "IM-001" } else { "SC-001" };
        let case = format!("C{n:07}");
        let mut kinds: Vec<(NaiveDate, u32, EventKind)> = vec![
            (day, 9, EventKind::Received { channel: Channel::Window, materials: vec!["M01".into()] }),
            (day, 10, EventKind::Accepted),
        ];
        // Every grant ends with the licence handed over the same day (行政许可法 Art. 44): without
        // it each case raised DELIVERY_LATE and the bench measured alert building, not rules.
        if immediate {
            kinds.push((day, 11, concluded()));
            kinds.push((day, 16, delivered()));
        } else {
            let review_end = calendar.add_working_days(day, 2).unwrap();
            let end = calendar.add_working_days(day, if n % 10 == 1 { 12 } else { 6 }).unwrap();
            kinds.push((day, 14, EventKind::StepStarted { step: "review".into() }));
            kinds.push((review_end, 10, EventKind::StepCompleted { step: "review".into(), opinion: None }));
            let fee = if n % 20 == 3 { 3000 } else { 1000 };
            kinds.push((review_end, 11, EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: fee }));
            kinds.push((end.max(review_end + Days::new(0)), 15, concluded()));
            kinds.push((end.max(review_end + Days::new(0)), 16, delivered()));
        }
        for (sequence, (day, hour, kind)) in kinds.into_iter().enumerate() {
            let sequence = sequence as u64 + 1;
            out.push(CaseEvent {
                schema: SCHEMA_VERSION,
                idempotency_key: format!("{case}#{sequence}").into(),
                case_id: case.as_str().into(),
                sequence,
                item_code: item.into(),
                department: "scjg".into(),
                region: "530102".parse().unwrap(),
                occurred_at: at(day, hour),
                recorded_at: at(day, hour),
                actor: Actor { id: "w01".into(), name: None, role: None },
                kind,
                signature: None,
            });
        }
    }
    out
}

fn concluded() -> EventKind {
    EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: Some("1号".into()) }
}

fn delivered() -> EventKind {
    EventKind::ResultDelivered { method: Some("窗口领取".into()) }
}

fn replay(c: &mut Criterion) {
    let catalogue = Catalogue::from_toml(CATALOGUE, &[DepartmentId::new("scjg")]).unwrap();
    let calendar = Calendar::china();
    let events = events(20_000);
    let as_of = DateTime::parse_from_rfc3339("2025-12-31T23:00:00+08:00").unwrap();
    let mut group = c.benchmark_group("supervision");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events.len() as u64));
    let fresh = || Supervisor::new(calendar.clone(), catalogue.clone(), SupervisionConfig::default());
    group.bench_function("ingest", |b| {
        // The supervisor is returned, so that tearing it down is not timed.
        b.iter_batched(
            || events.clone(),
            |events| {
                let mut supervisor = fresh();
                black_box(supervisor.ingest_all(events));
                supervisor
            },
            BatchSize::LargeInput,
        )
    });
    let mut ingested = fresh();
    ingested.ingest_all(events.iter().cloned());
    group.bench_function("evaluate_all_rules", |b| {
        b.iter_batched(
            || ingested.clone(),
            |mut supervisor| {
                black_box(supervisor.evaluate(as_of).raised.len());
                supervisor
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("ingest_and_evaluate_all_rules", |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                let mut supervisor = fresh();
                supervisor.ingest_all(events);
                black_box(supervisor.evaluate(as_of).raised.len());
                supervisor
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("replay_evaluate_and_statistics", |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                let mut supervisor = fresh();
                supervisor.ingest_all(events);
                supervisor.evaluate(as_of);
                black_box(supervisor.statistics(as_of, Dimension::Department, Period::Month, None).rows.len());
                supervisor
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
