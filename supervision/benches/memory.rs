//! Bytes held per open case, and per case folded away: `cargo bench -p zhengwu-supervision --bench
//! memory`.
//!
//! Counts heap bytes with a counting global allocator around ingesting 10,000 open cases (received,
//! accepted, one step started), then 10,000 finished ones (the same, the step completed, 办结 and
//! 送达) case by case into a supervisor folding complete cases, and prints the figures.
#![allow(clippy::print_stdout, unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use chrono::{DateTime, Days, NaiveDate};
use zhengwu_core::{Actor, Calendar, CaseEvent, Catalogue, Channel, Decision, DepartmentId, EventKind, SCHEMA_VERSION};
use zhengwu_supervision::{SupervisionConfig, Supervisor};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: delegates to the system allocator and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let catalogue = Catalogue::from_toml(
        r#"
        [[item]]
        code = "SC-001"
        name = "食品经营许可"
        department = "scjg"
        kind = "promised"
        legal_limit = { days = 20 }
        promised_limit = { days = 10 }
        "#,
        &[DepartmentId::new("scjg")],
    )
    .unwrap();
    let cases = 10_000;
    let open = [
        EventKind::Received { channel: Channel::Online, materials: vec!["M01".into(), "M02".into()] },
        EventKind::Accepted,
        EventKind::StepStarted { step: "review".into() },
    ];
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue.clone(), SupervisionConfig::default());
    let per_case = held_per_case(&mut supervisor, cases, || log(cases, &open));
    println!(
        "open cases: {cases}; {per_case:.0} bytes of heap per open case (including the idempotency keys of its 3 \
         events)"
    );

    let finished = [
        open.to_vec(),
        vec![
            EventKind::StepCompleted { step: "review".into(), opinion: None },
            EventKind::Concluded {
                decision: Decision::Granted,
                reason: None,
                document_number: Some("滇市监许〔2025〕1号".into()),
            },
            EventKind::ResultDelivered { method: None },
        ],
    ]
    .concat();
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
    supervisor.fold_complete_cases(DateTime::parse_from_rfc3339("2026-06-30T18:00:00+08:00").unwrap());
    let per_case = held_per_case(&mut supervisor, cases, || log(cases, &finished));
    println!(
        "finished cases, in case order, folding: {cases} ({} folded); {per_case:.0} bytes of heap per case (its \
         statistics facts, its id in the index; the last case is still whole)",
        supervisor.folded_cases()
    );
    assert_eq!(supervisor.alerts().count(), 0, "the finished cases raise no alert");
}

/// The heap the supervisor holds after ingesting the events `log` makes, per case.
fn held_per_case(supervisor: &mut Supervisor, cases: usize, log: impl FnOnce() -> Vec<CaseEvent>) -> f64 {
    // Counted from before the events are made: they are consumed and freed by the ingest (the
    // text the state keeps moved into it), so what remains is the supervisor's state.
    let before = LIVE.load(Ordering::Relaxed);
    supervisor.ingest_all(log());
    (LIVE.load(Ordering::Relaxed) - before) as f64 / cases as f64
}

/// `cases` cases with the events `kinds`, one day apart, case after case.
fn log(cases: usize, kinds: &[EventKind]) -> Vec<CaseEvent> {
    let first = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
    let mut events = Vec::new();
    for n in 0..cases {
        let day = first + Days::new((n % 200) as u64);
        for (i, kind) in kinds.iter().enumerate() {
            let at = DateTime::parse_from_rfc3339(&format!("{day}T09:{i:02}:00+08:00")).unwrap();
            let sequence = i as u64 + 1;
            events.push(CaseEvent {
                schema: SCHEMA_VERSION,
                idempotency_key: format!("C{n:07}#{sequence}").into(),
                case_id: format!("C{n:07}").into(),
                sequence,
                item_code: "SC-001".into(),
                department: "scjg".into(),
                region: "530102".parse().unwrap(),
                occurred_at: at,
                recorded_at: at,
                actor: Actor { id: "w01".into(), name: None, role: None },
                kind: kind.clone(),
                signature: None,
            });
        }
    }
    events
}
