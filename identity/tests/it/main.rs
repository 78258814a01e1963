//! Integration tests of zhengwu-identity, one binary. The certificates, CRLs and signatures are
//! made by OpenSSL 3 (`scripts/identity/make_pki.sh`): the external oracle.

mod certificates;
mod events;
mod paths;
mod seals;
mod signatures;

use chrono::{DateTime, Utc};
use zhengwu_identity::{Certificate, RevocationList, TrustStore};

pub(crate) const ALGORITHMS: [&str; 3] = ["rsa", "ec", "sm2"];

pub(crate) fn read(alg: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/pki/{alg}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(crate) fn certificate(alg: &str, name: &str) -> Certificate {
    Certificate::from_bytes(&read(alg, &format!("{name}.pem"))).unwrap()
}

/// "Now" in the tests: inside every fixture's validity except `expired` and `notyet`.
pub(crate) fn now() -> DateTime<Utc> {
    at("2027-06-01T00:00:00Z")
}

pub(crate) fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// The provincial CA of one algorithm: root trusted, issuing CA known, its CRL loaded.
pub(crate) fn trust(alg: &str) -> TrustStore {
    let mut trust = TrustStore::new();
    trust.add_anchor(certificate(alg, "root"));
    trust.add_intermediate(certificate(alg, "ca"));
    trust.add_crl(RevocationList::from_bytes(&read(alg, "ca.crl.pem")).unwrap());
    trust
}
