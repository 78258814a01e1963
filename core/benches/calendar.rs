//! Working-day arithmetic throughput: `cargo bench -p zhengwu-core --bench calendar`.

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_core::{Calendar, StatutoryClock, TimeLimit};

/// 4096 (start, limit) pairs spread over 2004–2025 with limits 1–60 working days.
fn inputs() -> Vec<(NaiveDate, u32)> {
    let first = NaiveDate::from_ymd_opt(2004, 1, 1).expect("valid date");
    (0..4096u64).map(|i| (first + Days::new((i * 1_979) % 8_000), (i % 60) as u32 + 1)).collect()
}

fn deadlines(c: &mut Criterion) {
    let calendar = Calendar::china();
    let inputs = inputs();
    let mut group = c.benchmark_group("calendar");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("add_working_days", |b| {
        b.iter(|| {
            for &(start, n) in &inputs {
                black_box(calendar.add_working_days(black_box(start), black_box(n)).ok());
            }
        })
    });
    group.bench_function("working_days_between", |b| {
        b.iter(|| {
            for &(start, n) in &inputs {
                let end = start + Days::new(u64::from(n));
                black_box(calendar.working_days_between(black_box(start), black_box(end)).ok());
            }
        })
    });
    group.bench_function("is_workday", |b| {
        b.iter(|| {
            for &(start, _) in &inputs {
                black_box(calendar.is_workday(black_box(start)).ok());
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("clock");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("evaluate_concluded_case", |b| {
        b.iter(|| {
            for &(start, n) in &inputs {
                let mut clock = StatutoryClock::new(start, TimeLimit::working_days(20));
                clock.concluded_on = Some(start + Days::new(u64::from(n)));
                black_box(clock.evaluate(&calendar, start).ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, deadlines);
criterion_main!(benches);
