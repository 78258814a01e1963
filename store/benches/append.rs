//! Durable appends to the embedded SQLite log: WAL, synchronous FULL, one transaction (and one
//! fsync) per batch — group commit. `cargo bench -p zhengwu-store --bench append`.

use std::hint::black_box;

use chrono::{DateTime, Duration};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_core::{Actor, CaseEvent, CaseId, Channel, EventKind, SCHEMA_VERSION};
use zhengwu_store::SqliteStore;

/// `cases` cases of three events each (received, accepted, concluded).
fn events(cases: usize, offset: usize) -> (Vec<CaseEvent>, Vec<(CaseId, u64)>) {
    let start = DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00").expect("valid instant");
    let mut events = Vec::with_capacity(cases * 3);
    let mut expected = Vec::with_capacity(cases);
    for n in offset..offset + cases {
        let case = format!("C{n:08}");
        expected.push((CaseId::new(&case), 0));
        let kinds = [
            EventKind::Received { channel: Channel::Online, materials: vec!["M01".into()] },
            EventKind::Accepted,
            EventKind::Concluded {
                decision: zhengwu_core::Decision::Granted,
                reason: None,
                document_number: Some(format!("昆许〔2025〕{n}号")),
            },
        ];
        for (index, kind) in kinds.into_iter().enumerate() {
            let at = start + Duration::minutes((n * 3 + index) as i64);
            events.push(CaseEvent {
                schema: SCHEMA_VERSION,
                idempotency_key: format!("{case}#{}", index + 1).into(),
                case_id: case.as_str().into(),
                sequence: index as u64 + 1,
                item_code: "5301-scjg-001".into(),
                department: "scjg".into(),
                region: "530102".parse().expect("valid"),
                occurred_at: at,
                recorded_at: at,
                actor: Actor { id: "scjg-w1".into(), name: None, role: None },
                kind,
                signature: None,
            });
        }
    }
    (events, expected)
}

fn append(c: &mut Criterion) {
    let directory = std::env::temp_dir().join(format!("zhengwu-append-bench-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temp dir");
    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    for batch_cases in [1usize, 100, 1000] {
        let batches = if batch_cases == 1 { 50 } else { 20_000 / batch_cases };
        group.throughput(Throughput::Elements((batches * batch_cases * 3) as u64));
        let mut run = 0;
        group.bench_function(format!("append_durable/{}_events_per_commit", batch_cases * 3), |b| {
            b.iter_batched(
                || {
                    run += 1;
                    let path = directory.join(format!("log-{batch_cases}-{run}.db"));
                    let store = SqliteStore::open(&path).expect("open");
                    let inputs: Vec<_> = (0..batches).map(|i| events(batch_cases, i * batch_cases)).collect();
                    (store, inputs, path)
                },
                |(mut store, inputs, path)| {
                    for (events, expected) in &inputs {
                        black_box(store.append(events, expected).expect("append"));
                    }
                    drop(store);
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                    }
                },
                BatchSize::PerIteration,
            )
        });
    }
    // PostgreSQL, when built with the feature and a server is given (scripts/store/postgres.sh start).
    #[cfg(feature = "postgres")]
    if let Ok(url) = std::env::var("ZHENGWU_POSTGRES_URL") {
        use zhengwu_store::EventStore;
        let batch_cases = 1000;
        let batches = 20;
        group.throughput(Throughput::Elements((batches * batch_cases * 3) as u64));
        group.bench_function("append_postgres/3000_events_per_commit", |b| {
            b.iter_batched(
                || {
                    let mut store = zhengwu_store::PostgresStore::connect(&url).expect("connect");
                    store.reset().expect("reset");
                    let inputs: Vec<_> = (0..batches).map(|i| events(batch_cases, i * batch_cases)).collect();
                    (store, inputs)
                },
                |(mut store, inputs)| {
                    for (events, expected) in &inputs {
                        black_box(store.append(events, expected).expect("append"));
                    }
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&directory);
}

criterion_group!(benches, append);
criterion_main!(benches);
