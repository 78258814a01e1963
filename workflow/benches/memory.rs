//! Bytes held per open case: `cargo bench -p zhengwu-workflow --bench memory`.
//!
//! Counts heap bytes with a counting global allocator around opening 10,000 cases of the 企业开办
//! process up to its three parallel branches (9 events each, the log included), and prints it.
#![allow(clippy::print_stdout, unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};

use chrono::DateTime;
use zhengwu_core::{Actor, Channel, Role};
use zhengwu_workflow::{Case, Command, Context, Process, import_bpmn};

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
    let process = Arc::new(
        Process::new(
            import_bpmn(include_str!("../../tests/data/workflow/establish-enterprise.flowable.bpmn20.xml"))
                .expect("the fixture imports"),
        )
        .expect("the fixture is valid"),
    );
    let at = DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00").unwrap();
    let context = |department: &str, role: Role| Context {
        actor: Actor { id: "o1".into(), name: None, role: Some(role) },
        department: department.into(),
        at,
    };
    let count = 10_000;
    let before = LIVE.load(Ordering::Relaxed);
    let mut cases = Vec::with_capacity(count);
    for n in 0..count {
        let mut case = Case::new(
            process.clone(),
            format!("C{n:07}").into(),
            "KB-001".into(),
            "scjg".into(),
            "530102".parse().unwrap(),
        );
        let clerk = context("scjg", Role::WindowClerk);
        case.execute(
            Command::Receive { channel: Channel::Online, materials: vec![], data: Default::default() },
            &clerk,
        )
        .unwrap();
        case.execute(Command::Accept, &clerk).unwrap();
        case.execute(Command::Complete { step: "accept".into(), opinion: None, data: Default::default() }, &clerk)
            .unwrap();
        case.execute(
            Command::Complete { step: "register".into(), opinion: None, data: Default::default() },
            &context("scjg", Role::Handler),
        )
        .unwrap();
        cases.push(case);
    }
    let after = LIVE.load(Ordering::Relaxed);
    let per_case = (after - before) as f64 / count as f64;
    println!(
        "open cases: {count} (3 parallel tasks each, {} events); heap: {} bytes; {per_case:.0} bytes per open case including its event log",
        cases[0].events().len(),
        after - before
    );
}
