//! The certification-path cases of `tests/data/paths.json`, made by the Python `cryptography`
//! package (`scripts/identity/make_path_cases.py`): one per class of certificate x509-limbo found
//! the verifier getting wrong, each with the verdict RFC 5280 gives.

use serde::Deserialize;
use zhengwu_identity::{Certificate, Error, KeyPurpose, OcspResponse, RevocationList, TrustStore, VerifyOptions};

#[derive(Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    leaf: String,
    anchors: Vec<String>,
    intermediates: Vec<String>,
    crls: Vec<String>,
    ocsp: Vec<String>,
    at: String,
    purpose: Option<String>,
    max_depth: Option<usize>,
    peer_name: Option<String>,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    valid: bool,
    error: Option<String>,
    contains: Option<String>,
}

/// The variant of an error, as its `Debug` spells it.
fn kind(error: &Error) -> String {
    let debug = format!("{error:?}");
    debug.split([' ', '(', '{']).next().unwrap_or_default().to_owned()
}

fn verdict(case: &Case) -> Result<zhengwu_identity::VerifiedChain, Error> {
    let leaf = Certificate::from_pem(&case.leaf)?;
    let mut trust = TrustStore::new();
    for pem in &case.anchors {
        trust.add_anchor(Certificate::from_pem(pem)?);
    }
    for pem in &case.intermediates {
        trust.add_intermediate(Certificate::from_pem(pem)?);
    }
    for pem in &case.crls {
        trust.add_crl(RevocationList::from_pem(pem)?);
    }
    for pem in &case.ocsp {
        trust.add_ocsp_response(OcspResponse::from_bytes(pem.as_bytes())?);
    }
    let purpose = case.purpose.as_deref().map(KeyPurpose::parse).transpose()?.unwrap_or_default();
    let mut options = VerifyOptions::for_purpose(purpose);
    options.max_intermediates = case.max_depth;
    options.peer_name = case.peer_name.clone();
    trust.verify_with(&leaf, case.at.parse().unwrap(), &options)
}

#[test]
fn every_generated_path_case_gets_its_verdict() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/paths.json")).unwrap();
    let cases: Cases = serde_json::from_str(&text).unwrap();
    assert!(cases.cases.len() >= 55, "{}", cases.cases.len());
    let mut wrong = Vec::new();
    for case in &cases.cases {
        match (verdict(case), &case.expect) {
            (Ok(_), Expect { valid: true, .. }) => {}
            (Err(error), Expect { valid: false, error: Some(expected), contains }) => {
                let message = error.to_string();
                if &kind(&error) != expected || !contains.as_deref().is_none_or(|phrase| message.contains(phrase)) {
                    wrong.push(format!(
                        "{}: expected {expected} ({contains:?}), got {}: {message}",
                        case.name,
                        kind(&error)
                    ));
                }
            }
            (Ok(_), _) => wrong.push(format!("{}: accepted, expected a refusal", case.name)),
            (Err(error), _) => wrong.push(format!("{}: refused ({error}), expected valid", case.name)),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_version_1_crl_is_read_and_says_so() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/paths.json")).unwrap();
    let cases: Cases = serde_json::from_str(&text).unwrap();
    let case = cases.cases.iter().find(|c| c.name == "crl-v1-revoked").unwrap();
    let crl = RevocationList::from_pem(&case.crls[0]).unwrap();
    assert!(!crl.is_version_2());
    assert_eq!(crl.revoked().len(), 1);
    assert_eq!(crl.revoked()[0].revoked_at, "2027-01-01T00:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
}

#[test]
fn a_good_ocsp_response_is_a_revocation_check() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/paths.json")).unwrap();
    let cases: Cases = serde_json::from_str(&text).unwrap();
    for (name, expected) in [
        ("ocsp-good", zhengwu_identity::RevocationStatus::NotRevoked),
        ("ocsp-delegated-responder", zhengwu_identity::RevocationStatus::NotRevoked),
        ("baseline", zhengwu_identity::RevocationStatus::Unchecked),
    ] {
        let case = cases.cases.iter().find(|c| c.name == name).unwrap();
        let verified = verdict(case).unwrap();
        assert_eq!(verified.chain[0].revocation, expected, "{name}");
    }
}
