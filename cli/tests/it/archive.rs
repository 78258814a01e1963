//! `zhengwu archive pack` and `verify` on a store the test writes.

use crate::{pki, stdout, zhengwu};
use zhengwu_core::CaseEvent;

fn event(case: &str, sequence: u64, day: &str, kind: &str) -> CaseEvent {
    CaseEvent::from_json(&format!(
        r#"{{"schema":1,"idempotency_key":"{case}#{sequence}","case_id":"{case}","sequence":{sequence},
            "item_code":"530100-SC-001","department":"km-scjg","region":"530102",
            "occurred_at":"{day}T10:00:00+08:00","recorded_at":"{day}T10:00:00+08:00",
            "actor":{{"id":"zhangwei"}},{kind}}}"#
    ))
    .unwrap()
}

/// A store with a concluded case `A-1` (its conclusion signed with SM2) and an open case `A-2`.
fn store(dir: &std::path::Path) -> String {
    let certificate =
        zhengwu_identity::Certificate::from_bytes(&std::fs::read(pki("sm2", "official.pem")).unwrap()).unwrap();
    let key = std::fs::read_to_string(pki("sm2", "official.key")).unwrap();
    let signer = zhengwu_identity::SigningKey::from_pkcs8_pem(&key, certificate).unwrap();
    let mut concluded = event(
        "A-1",
        3,
        "2027-03-05",
        r#""type":"concluded","decision":"granted","document_number":"昆市监许〔2027〕3号""#,
    );
    signer.sign_event(&mut concluded);
    let events = [
        event("A-1", 1, "2027-03-01", r#""type":"received","channel":"online""#),
        event("A-2", 1, "2027-03-01", r#""type":"received","channel":"online""#),
        event("A-1", 2, "2027-03-01", r#""type":"accepted""#),
        concluded,
    ];
    let path = dir.join("events.db");
    let mut log = zhengwu_store::SqliteStore::open(&path).unwrap();
    log.append(&events, &[]).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn archive_pack_and_verify_name_the_changed_member() {
    let dir = std::env::temp_dir().join(format!("zhengwu-archive-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = store(&dir);
    let decision = dir.join("决定书.ofd");
    std::fs::write(&decision, vec![0x5a; 5000]).unwrap();
    let package = dir.join("A-1.zip");
    let (package_text, decision_text) = (package.to_str().unwrap(), decision.to_str().unwrap());
    let (key, cert, root, ca) =
        (pki("sm2", "unit.key"), pki("sm2", "unit.pem"), pki("sm2", "root.pem"), pki("sm2", "ca.pem"));
    let pack = |case: &str, out: &str| {
        zhengwu(&[
            "archive",
            "pack",
            "--store",
            &db,
            "--case",
            case,
            "--out",
            out,
            "--retention",
            "永久",
            "--document",
            decision_text,
            "--hash",
            "sha256",
            "--sign-key",
            &key,
            "--sign-cert",
            &cert,
            "--packed-at",
            "2027-03-06T09:00:00+08:00",
        ])
    };
    let output = pack("A-1", package_text);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout(&output).contains("case `A-1`, 3 events, 1 documents"), "{}", stdout(&output));

    let output = zhengwu(&["archive", "verify", package_text, "--trust", &root, "--trust", &ca, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let answer: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(answer["valid"], true);
    assert_eq!(answer["package"]["hash"], "SHA-256");
    assert_eq!(answer["package"]["signed_events"], 1);
    assert_eq!(answer["package"]["chains_checked"], true);
    assert_eq!(answer["package"]["metadata"]["retention_term"], "永久");
    assert_eq!(answer["package"]["metadata"]["packed_at"], "2027-03-06T09:00:00+08:00");

    // One byte of the largest member (the decision, stored as is) flipped in the file.
    let mut bytes = std::fs::read(&package).unwrap();
    let offset = bytes.windows(5000).position(|w| w.iter().all(|&b| b == 0x5a)).unwrap();
    bytes[offset + 2500] ^= 0xff;
    let changed = dir.join("changed.zip");
    std::fs::write(&changed, &bytes).unwrap();
    let output = zhengwu(&["archive", "verify", changed.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("member `documents/决定书.ofd` changed"), "{}", stdout(&output));

    // Packing again is refused rather than overwriting; an open case is not archived.
    assert_eq!(pack("A-1", package_text).status.code(), Some(2));
    let output = pack("A-2", dir.join("A-2.zip").to_str().unwrap());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("case `A-2` is not concluded"));
    std::fs::remove_dir_all(&dir).unwrap();
}
