//! Signature verifications per second for each algorithm, over the OpenSSL-made signatures of the
//! fixtures, and a whole chain check (leaf → issuing CA → root, with the CRL).

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhengwu_identity::{Certificate, KeyPurpose, RevocationList, TrustStore};

fn read(alg: &str, name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/pki/{alg}/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn signatures(c: &mut Criterion) {
    let mut group = c.benchmark_group("identity");
    group.throughput(Throughput::Elements(1));
    for alg in ["rsa", "ec", "sm2"] {
        let official = Certificate::from_bytes(&read(alg, "official.pem")).unwrap();
        let algorithm = official.key_algorithm().unwrap();
        let message = read(alg, "message.txt");
        let signature = read(alg, "message.sig");
        group.bench_function(format!("verify_signature/{alg}"), |b| {
            b.iter(|| official.verify_signature(algorithm, black_box(&message), black_box(&signature)).unwrap())
        });
        let mut trust = TrustStore::new();
        trust.add_anchor(Certificate::from_bytes(&read(alg, "root.pem")).unwrap());
        trust.add_intermediate(Certificate::from_bytes(&read(alg, "ca.pem")).unwrap());
        trust.add_crl(RevocationList::from_bytes(&read(alg, "ca.crl.pem")).unwrap());
        let at: DateTime<Utc> = "2027-06-01T00:00:00Z".parse().unwrap();
        group.bench_function(format!("verify_chain/{alg}"), |b| {
            b.iter(|| trust.verify(black_box(&official), at, KeyPurpose::Signing).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, signatures);
criterion_main!(benches);
