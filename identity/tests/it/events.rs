use zhengwu_core::{CaseEvent, EventKind};
use zhengwu_identity::{Error, HolderKind, SigningKey, verify_event, verify_event_at};

use crate::{ALGORITHMS, certificate, read, trust};

fn event(recorded_at: &str) -> CaseEvent {
    CaseEvent::from_json(&format!(
        r#"{{"schema":1,"idempotency_key":"C1#2","case_id":"C1","sequence":2,"item_code":"SC-001",
            "department":"scjg","region":"530102","occurred_at":"{recorded_at}","recorded_at":"{recorded_at}",
            "actor":{{"id":"zhangwei","name":"张伟","role":"approver"}},"type":"accepted"}}"#
    ))
    .unwrap()
}

fn signer(alg: &str, name: &str) -> SigningKey {
    let pem = String::from_utf8(read(alg, &format!("{name}.key"))).unwrap();
    SigningKey::from_pkcs8_pem(&pem, certificate(alg, name)).unwrap()
}

#[test]
fn a_signed_event_tells_who_signed_it() {
    for alg in ALGORITHMS {
        let mut accepted = event("2027-03-01T10:00:00+08:00");
        signer(alg, "official").sign_event(&mut accepted);
        let verified = verify_event(&accepted, &trust(alg)).unwrap();
        assert_eq!(verified.identity.kind, HolderKind::Person);
        assert_eq!(verified.identity.id_number.as_deref(), Some("11010519491231002X"));
        // The signature travels in the JSON and still verifies after a round trip.
        let again = CaseEvent::from_json(&accepted.to_json()).unwrap();
        assert_eq!(verify_event(&again, &trust(alg)).unwrap().identity.serial, "1001");
    }
}

#[test]
fn editing_a_signed_event_breaks_its_signature() {
    for alg in ALGORITHMS {
        let mut accepted = event("2027-03-01T10:00:00+08:00");
        signer(alg, "official").sign_event(&mut accepted);
        let mut edited = accepted.clone();
        edited.occurred_at = "2027-02-27T10:00:00+08:00".parse().unwrap();
        let error = verify_event(&edited, &trust(alg)).unwrap_err();
        assert_eq!(error, Error::BadSignature { what: "event `C1#2`".into() }, "{alg}");
        let mut reassigned = accepted.clone();
        reassigned.kind = EventKind::Withdrawn { reason: None };
        assert!(matches!(verify_event(&reassigned, &trust(alg)), Err(Error::BadSignature { .. })));
    }
}

#[test]
fn an_unsigned_event_is_named() {
    let error = verify_event(&event("2027-03-01T10:00:00+08:00"), &trust("sm2")).unwrap_err();
    assert_eq!(error.to_string(), "event `C1#2` carries no signature");
}

#[test]
fn the_certificate_is_checked_when_the_event_was_recorded() {
    // The revoked certificate (revoked 2026-12-01) signed one event before and one after.
    for alg in ALGORITHMS {
        let key = signer(alg, "revoked");
        let mut before = event("2026-11-20T10:00:00+08:00");
        key.sign_event(&mut before);
        verify_event(&before, &trust(alg)).unwrap();
        let mut after = event("2027-03-01T10:00:00+08:00");
        key.sign_event(&mut after);
        assert!(matches!(verify_event(&after, &trust(alg)), Err(Error::Revoked { .. })), "{alg}");
    }
}

#[test]
fn a_backdated_event_is_checked_when_the_store_saw_it() {
    // Signed with the key revoked on 2026-12-01, but dated before: by its own dates it verifies;
    // at the time the store appended it (2027-03-01) the certificate is revoked.
    let appended = chrono::DateTime::parse_from_rfc3339("2027-03-01T10:00:00+08:00").unwrap().to_utc();
    let honest = chrono::DateTime::parse_from_rfc3339("2026-11-20T10:05:00+08:00").unwrap().to_utc();
    for alg in ALGORITHMS {
        let key = signer(alg, "revoked");
        let mut backdated = event("2026-11-20T10:00:00+08:00");
        key.sign_event(&mut backdated);
        verify_event(&backdated, &trust(alg)).unwrap();
        let error = verify_event_at(&backdated, &trust(alg), appended).unwrap_err();
        assert!(matches!(error, Error::Revoked { .. }), "{alg}: {error}");
        assert_eq!(verify_event_at(&backdated, &trust(alg), honest).unwrap().identity.serial, "1005", "{alg}");
    }
}

#[test]
fn a_key_must_belong_to_its_certificate() {
    let pem = String::from_utf8(read("sm2", "unit.key")).unwrap();
    let error = SigningKey::from_pkcs8_pem(&pem, certificate("sm2", "official")).unwrap_err();
    assert_eq!(error.to_string(), "cannot parse private key: the key does not belong to the certificate");
    let error = SigningKey::from_pkcs8_pem(
        "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----",
        certificate("sm2", "official"),
    )
    .unwrap_err();
    assert!(matches!(error, Error::Parse { what: "private key", .. }));
}

#[test]
fn our_signatures_verify_like_openssl_ones() {
    // The same message OpenSSL signed: our signature differs (nonces), both verify under the
    // certificate, and RSA PKCS#1 v1.5 (deterministic) gives OpenSSL's exact bytes.
    for alg in ALGORITHMS {
        let key = signer(alg, "official");
        let message = read(alg, "message.txt");
        let ours = key.sign(&message);
        certificate(alg, "official").verify_signature(key.algorithm(), &message, &ours).unwrap();
        if alg == "rsa" {
            assert_eq!(ours, read(alg, "message.sig"));
        }
    }
}

#[test]
fn a_signed_document_verifies_and_an_edit_is_caught() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/documents/notice-ok.json");
    let at = crate::at("2027-03-03T10:00:00+08:00");
    for alg in ALGORITHMS {
        let mut document = zhengwu_core::OfficialDocument::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        signer(alg, "unit").sign_document(&mut document);
        let verified = zhengwu_identity::verify_document(&document, &trust(alg), at).unwrap();
        assert_eq!(verified.identity.credit_code.as_deref(), Some("914403001922038216"));
        document.body.push('。');
        let error = zhengwu_identity::verify_document(&document, &trust(alg), at).unwrap_err();
        assert_eq!(error.to_string(), "bad signature on document `KM-2025-GW-0012`");
    }
}
