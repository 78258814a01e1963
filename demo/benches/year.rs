//! The demo's year (24,000 cases through the engine into a durable SQLite file, supervised) and
//! the replay of that year from the store into supervision:
//! `cargo bench -p zhengwu-demo --bench year`.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_core::{CaseEvent, Catalogue};
use zhengwu_demo::{Demo, DemoConfig};
use zhengwu_store::SqliteStore;
use zhengwu_supervision::{SupervisionConfig, Supervisor};

fn year(c: &mut Criterion) {
    let directory = std::env::temp_dir().join(format!("zhengwu-year-bench-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temp dir");
    let demo = Demo::new(DemoConfig::default()).expect("the demo city");
    let mut group = c.benchmark_group("demo");
    group.sample_size(10);
    let mut run = 0;
    group.bench_function("year_into_sqlite_24000_cases", |b| {
        b.iter_batched(
            || {
                run += 1;
                let path = directory.join(format!("year-{run}.db"));
                (SqliteStore::open(&path).expect("open"), path)
            },
            |(mut store, path)| {
                black_box(demo.run(&mut store, &mut |_, _| {}).expect("the year runs"));
                drop(store);
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            },
            BatchSize::PerIteration,
        )
    });

    let path = directory.join("replay.db");
    let mut store = SqliteStore::open(&path).expect("open");
    let outcome = demo.run(&mut store, &mut |_, _| {}).expect("the year runs");
    let departments: Vec<_> = demo.city().organization.departments().map(|d| d.id.clone()).collect();
    group.throughput(Throughput::Elements(outcome.events));
    group.bench_function("replay_year_from_store", |b| {
        b.iter(|| {
            let events: Vec<CaseEvent> = store.read_all().expect("read").into_iter().map(|s| s.event).collect();
            let catalogue = Catalogue::new(demo.city().catalogue.clone(), &departments).expect("catalogue");
            let mut supervisor = Supervisor::new(demo.calendar().clone(), catalogue, SupervisionConfig::default());
            supervisor.ingest_all(events);
            black_box(supervisor.evaluate(outcome.as_of).raised.len())
        })
    });
    group.finish();
    drop(store);
    let _ = std::fs::remove_dir_all(&directory);
}

criterion_group!(benches, year);
criterion_main!(benches);
