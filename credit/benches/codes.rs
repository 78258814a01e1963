//! Credit-code validation throughput: `cargo bench -p zhengwu-credit --bench codes`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_credit::{CreditCode, validate_resident_id};

const CODES: [&str; 8] = [
    "914403001922038216",
    "91440300708461136T",
    "9144030071526726XG",
    "91110108551385082Q",
    "91110000802100433B",
    "91330100716105852F",
    "91350100M000100Y43",
    "91350203M0001QAY9B",
];

fn codes(c: &mut Criterion) {
    let mut group = c.benchmark_group("credit");
    group.throughput(Throughput::Elements(CODES.len() as u64));
    group.bench_function("credit_code", |b| {
        b.iter(|| {
            for code in CODES {
                black_box(CreditCode::new(black_box(code)).is_ok());
            }
        })
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("resident_id", |b| {
        b.iter(|| black_box(validate_resident_id(black_box("11010519491231002X")).is_ok()))
    });
    group.finish();
}

criterion_group!(benches, codes);
criterion_main!(benches);
