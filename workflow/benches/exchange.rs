//! 公文交换: one notice sent to 140 units, every unit signing for it and sending its receipt (the
//! seed's case that took 3–4 people half a day): `cargo bench -p zhengwu-workflow --bench exchange`.

use std::hint::black_box;

use chrono::{DateTime, FixedOffset};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_core::{Actor, Calendar, OfficialDocument};
use zhengwu_workflow::{Exchange, ExchangePolicy, Recipient, RecipientRole};

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("valid instant")
}

fn exchange(c: &mut Criterion) {
    let document = OfficialDocument::from_json(include_str!("../../core/tests/data/documents/notice-ok.json"))
        .expect("the fixture parses");
    let recipients: Vec<Recipient> = (1..=140)
        .map(|n| Recipient {
            unit: format!("u{n:03}").as_str().into(),
            region: "530102".parse().expect("valid"),
            role: if n <= 100 { RecipientRole::Main } else { RecipientRole::Copy },
        })
        .collect();
    let calendar = Calendar::china();
    let policy = ExchangePolicy::default();
    let clerk = Actor { id: "jy01".into(), name: None, role: None };
    let (sent, signed, acknowledged) =
        (at("2025-03-07T16:00:00+08:00"), at("2025-03-10T09:00:00+08:00"), at("2025-03-10T11:00:00+08:00"));
    let mut group = c.benchmark_group("exchange");
    group.throughput(Throughput::Elements(1));
    group.bench_function("notice_to_140_units_with_all_receipts", |b| {
        b.iter(|| {
            let mut exchange =
                Exchange::send(&document, "bgt".into(), clerk.clone(), recipients.clone(), sent, &calendar, &policy)
                    .expect("sent");
            for recipient in &recipients {
                exchange.sign_for(&recipient.unit, "sw01".into(), signed).expect("signed for");
                exchange.acknowledge(&recipient.unit, "sw01".into(), acknowledged).expect("acknowledged");
            }
            black_box(exchange.summary(acknowledged))
        })
    });
    group.finish();
}

criterion_group!(benches, exchange);
criterion_main!(benches);
