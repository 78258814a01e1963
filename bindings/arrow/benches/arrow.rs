//! Events from Arrow: `cargo bench -p zhengwu-arrow --bench arrow`.
//!
//! The table is the shape `scripts/python/replay_benchmark.py` hands over from pandas: 即办件 and
//! 承诺件 of four events each (received, accepted, concluded, result delivered), text columns,
//! `actor` a struct.

use std::hint::black_box;
use std::io::Cursor;
use std::sync::Arc;

use arrow_array::{RecordBatch, RecordBatchIterator};
use chrono::{Days, NaiveDate};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_arrow::Threads;
use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
use zhengwu_supervision::{Dimension, Period, SupervisionConfig, Supervisor};

const CATALOGUE: &str = r#"
[[item]]
code = "SC-001"
name = "食品经营许可"
department = "scjg"
kind = "promised"
legal_limit = { days = 20 }
promised_limit = { days = 10 }

[[item]]
code = "IM-001"
name = "变更登记"
department = "scjg"
kind = "immediate"
legal_limit = { days = 20 }
promised_limit = { days = 0 }
"#;

fn table(cases: usize) -> Vec<RecordBatch> {
    let mut text = String::new();
    let first = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
    for n in 0..cases {
        let day = first + Days::new((n % 300) as u64);
        let end = day + Days::new(7 + (n % 9) as u64);
        let (item, conclusion) = if n % 4 == 0 { ("IM-001", day) } else { ("SC-001", end) };
        // The licence handed over the day it is granted (行政许可法 Art. 44): without it every
        // case would raise DELIVERY_LATE and the bench would measure alert building.
        let events = [
            (day, "09:00", r#""type":"received","channel":"window""#),
            (day, "09:30", r#""type":"accepted""#),
            (conclusion, "15:00", r#""type":"concluded","decision":"granted","reason":"r","document_number":"1""#),
            (conclusion, "16:00", r#""type":"result_delivered","method":"window""#),
        ];
        for (sequence, (date, time, body)) in events.iter().enumerate() {
            let at = format!("{date}T{time}:00+08:00");
            text.push_str(&format!(
                r#"{{"schema":1,"idempotency_key":"C{n:07}#{s}","case_id":"C{n:07}","sequence":{s},"item_code":"{item}","department":"scjg","region":"530102","occurred_at":"{at}","recorded_at":"{at}","actor":{{"id":"w01"}},{body}}}"#,
                s = sequence + 1
            ));
            text.push('\n');
        }
    }
    let (schema, _) = arrow_json::reader::infer_json_schema(Cursor::new(text.as_bytes()), Some(1000)).unwrap();
    arrow_json::ReaderBuilder::new(Arc::new(schema))
        .with_batch_size(65_536)
        .build(Cursor::new(text))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn supervisor() -> Supervisor {
    let file = CatalogueFile::from_toml(CATALOGUE).unwrap();
    let departments = file.departments();
    Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default())
}

/// Every batch into the supervisor, as `zhengwu.supervision.replay` does with a table.
fn ingest(supervisor: &mut Supervisor, batches: &[RecordBatch]) {
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    supervisor.reserve(rows / 2);
    let reader = RecordBatchIterator::new(batches.iter().cloned().map(Ok), batches[0].schema());
    let ingested = zhengwu_arrow::ingest(supervisor, reader, 0, zhengwu_arrow::NaiveTimestamps::Refuse).unwrap();
    assert_eq!(ingested.summary.applied as usize, rows);
}

fn bench(c: &mut Criterion) {
    let batches = table(100_000);
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let mut group = c.benchmark_group("arrow");
    group.throughput(Throughput::Elements(rows as u64));
    group.sample_size(10);
    group.bench_function("events_from_batches", |b| {
        b.iter(|| {
            for batch in &batches {
                let events = zhengwu_arrow::EventBatch::new(batch).unwrap();
                for row in 0..events.len() {
                    black_box(events.event(row).unwrap());
                }
            }
        })
    });
    group.bench_function("ingest_into_supervisor", |b| {
        b.iter_batched(
            supervisor,
            |mut supervisor| {
                ingest(&mut supervisor, &batches);
                supervisor
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("replay_evaluate_and_statistics", |b| {
        let as_of = chrono::DateTime::parse_from_rfc3339("2025-12-31T23:59:59+08:00").unwrap();
        b.iter_batched(
            supervisor,
            |mut supervisor| {
                ingest(&mut supervisor, &batches);
                supervisor.evaluate(as_of);
                black_box(supervisor.statistics(as_of, Dimension::Department, Period::Month, None));
                supervisor
            },
            BatchSize::PerIteration,
        )
    });
    // The same events as a Snappy Parquet file (pyarrow's default codec), read a batch at a time
    // from disk (the page cache, after the first pass).
    let path = std::env::temp_dir().join(format!("zhengwu-bench-{}.parquet", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batches[0].schema(), Some(properties)).unwrap();
    for batch in &batches {
        writer.write(batch).unwrap();
    }
    writer.close().unwrap();
    let as_of = chrono::DateTime::parse_from_rfc3339("2025-12-31T23:59:59+08:00").unwrap();
    group.bench_function("parquet_replay_evaluate_and_statistics", |b| {
        b.iter_batched(
            supervisor,
            |mut supervisor| {
                let report = zhengwu_arrow::ingest_parquet(&mut supervisor, &path, Default::default()).unwrap();
                assert_eq!(report.rows, rows);
                supervisor.evaluate(as_of);
                black_box(supervisor.statistics(as_of, Dimension::Department, Period::Month, None));
                supervisor
            },
            BatchSize::PerIteration,
        );
    });
    // The file is in case order: `replay_parquet` reads the instant ahead and folds each case
    // away when the file moves on from it (its state dropped within the timing). On two threads
    // (a converting one beside the caller) and on the calling thread alone: the latter's rate is
    // the rate per core.
    for (name, threads) in
        [("parquet_replay_folding", Threads::Two), ("parquet_replay_folding_one_thread", Threads::One)]
    {
        group.bench_function(name, |b| {
            b.iter(|| {
                let (mut supervisor, _, report) = zhengwu_arrow::replay_parquet(
                    supervisor,
                    &path,
                    Default::default(),
                    zhengwu_arrow::AsOf::At(as_of),
                    threads,
                )
                .unwrap();
                assert_eq!((report.rows, supervisor.folded_cases()), (rows, rows / 4 - 1));
                supervisor.evaluate(as_of);
                black_box(supervisor.statistics(as_of, Dimension::Department, Period::Month, None))
            })
        });
    }
    std::fs::remove_file(&path).unwrap();
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
