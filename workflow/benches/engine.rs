//! Case engine throughput: `cargo bench -p zhengwu-workflow --bench engine`.

use std::hint::black_box;
use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_core::{Actor, Channel, Role};
use zhengwu_workflow::{Case, Command, Context, Process, import_bpmn};

/// 企业开办 (the Flowable fixture): accept, register, three departments in parallel, deliver: six
/// completions a case.
fn process() -> Arc<Process> {
    Arc::new(
        Process::new(
            import_bpmn(include_str!("../../tests/data/workflow/establish-enterprise.flowable.bpmn20.xml"))
                .expect("the fixture imports"),
        )
        .expect("the fixture is valid"),
    )
}

fn context(department: &str, role: Role, at: DateTime<FixedOffset>) -> Context {
    Context { actor: Actor { id: "o1".into(), name: None, role: Some(role) }, department: department.into(), at }
}

fn opened(process: &Arc<Process>, n: usize, at: DateTime<FixedOffset>) -> Case {
    let mut case = Case::new(
        process.clone(),
        format!("C{n:07}").into(),
        "KB-001".into(),
        "scjg".into(),
        "530102".parse().expect("valid"),
    );
    let clerk = context("scjg", Role::WindowClerk, at);
    case.execute(Command::Receive { channel: Channel::Online, materials: vec![], data: Default::default() }, &clerk)
        .expect("receive");
    case.execute(Command::Accept, &clerk).expect("accept");
    case
}

const STEPS: [(&str, &str, Role); 6] = [
    ("accept", "scjg", Role::WindowClerk),
    ("register", "scjg", Role::Handler),
    ("tax", "sw", Role::Handler),
    ("seal", "ga", Role::Handler),
    ("insurance", "rs", Role::Handler),
    ("deliver", "scjg", Role::WindowClerk),
];

fn engine(c: &mut Criterion) {
    let process = process();
    let at = DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00").expect("valid");
    let mut group = c.benchmark_group("workflow");
    group.throughput(Throughput::Elements(1_000));
    group.bench_function("case_creation (receive + accept)", |b| {
        b.iter(|| {
            for n in 0..1_000 {
                black_box(opened(&process, n, at));
            }
        })
    });
    group.throughput(Throughput::Elements(6 * 1_000));
    group.bench_function("step_completions (parallel approval, 6 per case)", |b| {
        b.iter_batched(
            || (0..1_000).map(|n| opened(&process, n, at)).collect::<Vec<_>>(),
            |mut cases| {
                for case in &mut cases {
                    for (minute, (step, department, role)) in STEPS.iter().enumerate() {
                        let context = context(department, role.clone(), at + Duration::minutes(minute as i64));
                        let command =
                            Command::Complete { step: (*step).into(), opinion: None, data: Default::default() };
                        black_box(case.execute(command, &context).expect("complete"));
                    }
                }
                cases
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
