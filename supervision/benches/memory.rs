//! Bytes held per open case: `cargo bench -p zhengwu-supervision --bench memory`.
//!
//! Counts heap bytes with a counting global allocator around ingesting 10,000 open cases (received,
//! accepted, one step started), and prints the figure.
#![allow(clippy::print_stdout, unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use chrono::{DateTime, Days, NaiveDate};
use zhengwu_core::{Actor, Calendar, CaseEvent, Catalogue, Channel, DepartmentId, EventKind, SCHEMA_VERSION};
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
    let first = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
    let mut events = Vec::new();
    for n in 0..cases {
        let day = first + Days::new((n % 200) as u64);
        let at = DateTime::parse_from_rfc3339(&format!("{day}T09:00:00+08:00")).unwrap();
        let kinds = [
            EventKind::Received { channel: Channel::Online, materials: vec!["M01".into(), "M02".into()] },
            EventKind::Accepted,
            EventKind::StepStarted { step: "review".into() },
        ];
        for (i, kind) in kinds.into_iter().enumerate() {
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
                kind,
                signature: None,
            });
        }
    }
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
    let before = LIVE.load(Ordering::Relaxed);
    supervisor.ingest_all(events);
    // The events themselves were consumed and freed; what remains is the supervisor's state.
    let after = LIVE.load(Ordering::Relaxed);
    let per_case = (after - before) as f64 / cases as f64;
    println!(
        "open cases: {cases}; heap held by the supervisor: {} bytes; {per_case:.0} bytes per open case \
         (including the idempotency keys of its 3 events)",
        after - before
    );
}
