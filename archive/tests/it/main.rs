//! Integration tests of zhengwu-archive: packages made, read back, and tampered with the way a
//! later reader could find them. The signing keys and certificates are the OpenSSL-made test PKI
//! of zhengwu-identity (`identity/tests/data/pki`).

use std::io::{Read as _, Write as _};

use chrono::{DateTime, FixedOffset};
use zhengwu_archive::{Error, HashAlgorithm, Package, Retention, verify};
use zhengwu_core::CaseEvent;
use zhengwu_identity::{Certificate, RevocationList, SigningKey, TrustStore};

fn pki(alg: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/../identity/tests/data/pki/{alg}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn key(alg: &str, name: &str) -> SigningKey {
    let certificate = Certificate::from_bytes(&pki(alg, &format!("{name}.pem"))).unwrap();
    SigningKey::from_pkcs8_pem(&String::from_utf8(pki(alg, &format!("{name}.key"))).unwrap(), certificate).unwrap()
}

fn trust(alg: &str) -> TrustStore {
    let mut trust = TrustStore::new();
    trust.add_anchor(Certificate::from_bytes(&pki(alg, "root.pem")).unwrap());
    trust.add_intermediate(Certificate::from_bytes(&pki(alg, "ca.pem")).unwrap());
    trust.add_crl(RevocationList::from_bytes(&pki(alg, "ca.crl.pem")).unwrap());
    trust
}

fn event(sequence: u64, day: &str, kind: &str) -> CaseEvent {
    CaseEvent::from_json(&format!(
        r#"{{"schema":1,"idempotency_key":"SC-7#{sequence}","case_id":"SC-7","sequence":{sequence},
            "item_code":"530100-SC-001","department":"km-scjg","region":"530102",
            "occurred_at":"{day}T10:00:00+08:00","recorded_at":"{day}T10:00:00+08:00",
            "actor":{{"id":"zhangwei","name":"张伟"}},{kind}}}"#
    ))
    .unwrap()
}

/// A granted licence: received, accepted, reviewed, concluded with a 文号, delivered. The
/// reviewer's and the concluding official's events are signed with the SM2 key of 张伟.
fn case() -> Vec<CaseEvent> {
    let signer = key("sm2", "official");
    let mut events = vec![
        event(1, "2027-03-01", r#""type":"received","channel":"window","materials":["申请书","营业执照"]"#),
        event(2, "2027-03-01", r#""type":"accepted""#),
        event(3, "2027-03-04", r#""type":"step_completed","step":"review","opinion":"同意""#),
        event(4, "2027-03-05", r#""type":"concluded","decision":"granted","document_number":"昆市监许〔2027〕8号""#),
        event(5, "2027-03-08", r#""type":"result_delivered","method":"mail""#),
    ];
    signer.sign_event(&mut events[2]);
    signer.sign_event(&mut events[3]);
    events
}

fn packed_at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2027-03-09T09:00:00+08:00").unwrap()
}

/// The decision and a scanned licence: the licence is the largest member.
fn documents() -> Vec<(&'static str, Vec<u8>)> {
    let licence: Vec<u8> = (0..40_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    vec![("许可决定书.json", r#"{"title":"准予行政许可决定书"}"#.as_bytes().to_vec()), ("营业执照副本.png", licence)]
}

fn pack(hash: HashAlgorithm, signer: Option<&SigningKey>) -> Vec<u8> {
    let events = case();
    let mut package =
        Package::new(&events, Retention::ThirtyYears, packed_at()).unwrap().hash(hash).packed_by("昆明市档案馆");
    for (name, bytes) in documents() {
        package = package.document(name, bytes).unwrap();
    }
    if let Some(signer) = signer {
        package = package.sign_with(signer);
    }
    package.to_bytes().unwrap()
}

/// Every member, in package order.
fn members(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().to_owned(), content)
        })
        .collect()
}

/// Writes members back as another tool would: deflated, fresh checksums.
fn repack(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn member<'a>(members: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut members.iter_mut().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn a_package_holds_the_case_and_says_what_it_is() {
    let bytes = pack(HashAlgorithm::Sm3, None);
    let verified = verify(&bytes, None).unwrap();
    let metadata = &verified.metadata;
    assert_eq!(metadata.case_id, "SC-7");
    assert_eq!(metadata.item_code, "530100-SC-001");
    assert_eq!(metadata.retention, Retention::ThirtyYears);
    assert_eq!(metadata.retention_term, "定期30年");
    assert_eq!(metadata.outcome, "concluded");
    assert_eq!(metadata.decision.as_deref(), Some("granted"));
    assert_eq!(metadata.document_number.as_deref(), Some("昆市监许〔2027〕8号"));
    assert_eq!(metadata.opened_at.to_rfc3339(), "2027-03-01T10:00:00+08:00");
    assert_eq!(metadata.closed_at.to_rfc3339(), "2027-03-05T10:00:00+08:00");
    assert_eq!(metadata.packed_by.as_deref(), Some("昆明市档案馆"));
    assert_eq!((verified.events, verified.signed_events), (5, 2));
    // One certificate signed both events: held once.
    assert_eq!(metadata.certificates.len(), 1);
    assert_eq!(verified.members, 6);
    assert!(!verified.chains_checked);
    let names: Vec<String> = members(&bytes).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "mimetype",
            "metadata.json",
            "events.jsonl",
            metadata.certificates[0].as_str(),
            "documents/营业执照副本.png",
            "documents/许可决定书.json",
            "manifest.json"
        ]
    );
    // The certificate member is the signer's DER, named by its SHA-256.
    let certificate = Certificate::from_bytes(&pki("sm2", "official.pem")).unwrap();
    assert_eq!(metadata.certificates[0], format!("certificates/{}.der", HashAlgorithm::Sha256.hex(certificate.der())));
}

#[test]
fn the_manifest_hashes_are_sm3_or_sha256_of_the_members() {
    // SM3("abc") is GB/T 32905's own example; SHA-256("abc") FIPS 180-2's.
    assert_eq!(HashAlgorithm::Sm3.hex(b"abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    assert_eq!(HashAlgorithm::Sha256.hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for hash in [HashAlgorithm::Sm3, HashAlgorithm::Sha256] {
        let bytes = pack(hash, None);
        let all = members(&bytes);
        let manifest: serde_json::Value = serde_json::from_slice(&all.last().unwrap().1).unwrap();
        assert_eq!(manifest["hash"], hash.name());
        let listed = manifest["members"].as_array().unwrap();
        assert_eq!(listed.len(), all.len() - 1);
        for ((name, content), entry) in all.iter().zip(listed) {
            assert_eq!(entry["path"], name.as_str());
            assert_eq!(entry["size"], content.len());
            assert_eq!(entry["hash"], hash.hex(content));
        }
        assert_eq!(verify(&bytes, None).unwrap().hash, hash);
    }
}

#[test]
fn the_same_case_packs_to_the_same_bytes() {
    assert_eq!(pack(HashAlgorithm::Sm3, None), pack(HashAlgorithm::Sm3, None));
}

#[test]
fn a_byte_flipped_in_the_largest_member_is_named() {
    let bytes = pack(HashAlgorithm::Sm3, None);
    let all = members(&bytes);
    let (largest, content) = all.iter().max_by_key(|(_, c)| c.len()).unwrap();
    assert_eq!(largest, "documents/营业执照副本.png");
    // In the package file itself (members are stored, so their bytes are in the file as is).
    let offset = bytes.windows(content.len()).position(|w| w == content.as_slice()).unwrap();
    let mut flipped = bytes.clone();
    flipped[offset + content.len() / 2] ^= 0x01;
    let error = verify(&flipped, None).unwrap_err();
    assert!(matches!(&error, Error::ChangedMember { member, .. } if member == largest), "{error}");
    // Extracted, changed and zipped again by another tool (deflated, fresh checksums).
    let mut changed = all.clone();
    member(&mut changed, largest)[7] ^= 0x80;
    let error = verify(&repack(&changed), None).unwrap_err();
    assert!(matches!(&error, Error::ChangedMember { member, .. } if member == largest), "{error}");
    assert!(error.to_string().starts_with("member `documents/营业执照副本.png` changed: its SM3 is "), "{error}");
    // Repacked unchanged, the package still verifies: the manifest, not the ZIP, is the seal.
    assert!(verify(&repack(&all), None).is_ok());
}

#[test]
fn the_first_changed_member_in_manifest_order_is_named() {
    let mut all = members(&pack(HashAlgorithm::Sha256, None));
    member(&mut all, "metadata.json").push(b' ');
    member(&mut all, "documents/许可决定书.json")[0] = b'[';
    let error = verify(&repack(&all), None).unwrap_err();
    assert!(matches!(&error, Error::ChangedMember { member, .. } if member == "metadata.json"), "{error}");
}

#[test]
fn a_missing_or_an_added_member_is_named() {
    let all = members(&pack(HashAlgorithm::Sm3, None));
    let without: Vec<_> = all.iter().filter(|(n, _)| n != "documents/许可决定书.json").cloned().collect();
    assert_eq!(
        verify(&repack(&without), None).unwrap_err(),
        Error::MissingMember { member: "documents/许可决定书.json".into() }
    );
    let mut with = all.clone();
    with.insert(3, ("documents/补充.txt".into(), b"added later".to_vec()));
    assert_eq!(
        verify(&repack(&with), None).unwrap_err(),
        Error::UnlistedMember { member: "documents/补充.txt".into() }
    );
    let no_manifest: Vec<_> = all.iter().filter(|(n, _)| n != "manifest.json").cloned().collect();
    assert_eq!(
        verify(&repack(&no_manifest), None).unwrap_err(),
        Error::MissingMember { member: "manifest.json".into() }
    );
}

/// Rewrites the manifest for the members as they now are: what someone who changed a member
/// and knew the format would do.
fn reseal(all: &mut [(String, Vec<u8>)], hash: HashAlgorithm) {
    let entries: Vec<serde_json::Value> = all
        .iter()
        .filter(|(n, _)| n != "manifest.json" && n != "manifest.sig.json")
        .map(|(n, c)| serde_json::json!({"path": n, "size": c.len(), "hash": hash.hex(c)}))
        .collect();
    let manifest = serde_json::json!({"format": "zhengwu-archive/1", "hash": hash.name(), "members": entries});
    *member(all, "manifest.json") = serde_json::to_vec_pretty(&manifest).unwrap();
}

#[test]
fn an_event_changed_under_its_signature_is_named_even_with_a_new_manifest() {
    let mut all = members(&pack(HashAlgorithm::Sm3, None));
    let events = String::from_utf8(member(&mut all, "events.jsonl").clone()).unwrap();
    *member(&mut all, "events.jsonl") = events.replace("昆市监许〔2027〕8号", "昆市监许〔2027〕9号").into_bytes();
    reseal(&mut all, HashAlgorithm::Sm3);
    let error = verify(&repack(&all), None).unwrap_err();
    assert!(
        matches!(&error, Error::BrokenSignature { what, .. } if what == "event `SC-7#4` (events.jsonl line 4)"),
        "{error}"
    );
}

#[test]
fn a_signed_package_names_its_archivist_and_a_changed_manifest_breaks_the_signature() {
    let unit = key("sm2", "unit");
    let bytes = pack(HashAlgorithm::Sm3, Some(&unit));
    let verified = verify(&bytes, Some(&trust("sm2"))).unwrap();
    assert!(verified.chains_checked);
    assert!(verified.package_signer.unwrap().contains("CN=华为技术有限公司"));
    // A document replaced and the manifest recomputed: the manifest's signature no longer holds.
    let mut all = members(&bytes);
    member(&mut all, "documents/许可决定书.json")[2] = b'T';
    reseal(&mut all, HashAlgorithm::Sm3);
    let error = verify(&repack(&all), None).unwrap_err();
    assert!(
        matches!(&error, Error::BrokenSignature { what, .. } if what == "the package (manifest.sig.json)"),
        "{error}"
    );
}

#[test]
fn signers_outside_the_trust_anchors_are_refused_when_chains_are_checked() {
    for alg in ["ec", "rsa"] {
        let bytes = pack(HashAlgorithm::Sm3, Some(&key(alg, "unit")));
        // The events' SM2 signer does not chain to another algorithm's CA.
        let error = verify(&bytes, Some(&trust(alg))).unwrap_err();
        assert!(
            matches!(&error, Error::Untrusted { what, .. } if what == "event `SC-7#3` (events.jsonl line 3)"),
            "{error}"
        );
        // Without a trust store the signatures still verify against their own certificates.
        assert!(verify(&bytes, None).is_ok());
    }
}

#[test]
fn only_a_whole_closed_case_is_packed() {
    let events = case();
    let open = &events[..3];
    let error = Package::new(open, Retention::Permanent, packed_at()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot pack case: case `SC-7` is not concluded: only a closed case (concluded, refused at intake, withdrawn) is archived"
    );
    let gap = [events[0].clone(), events[2].clone(), events[3].clone()];
    let error = Package::new(&gap, Retention::Permanent, packed_at()).unwrap_err();
    assert!(error.to_string().contains("event 2 has sequence 3, expected 2"), "{error}");
    let mut forged = events.clone();
    if let zhengwu_core::EventKind::Concluded { document_number, .. } = &mut forged[3].kind {
        *document_number = Some("昆市监许〔2027〕9号".into());
    }
    let error = Package::new(&forged, Retention::Permanent, packed_at()).unwrap_err();
    assert!(
        error.to_string().starts_with("cannot pack case: event `SC-7#4`: its signature does not verify"),
        "{error}"
    );
    assert!(Package::new(&[], Retention::Permanent, packed_at()).is_err());
}

#[test]
fn document_names_are_plain_file_names() {
    let events = case();
    let package = || Package::new(&events, Retention::TenYears, packed_at()).unwrap();
    for name in ["", "..", "../etc/passwd", "a/b.pdf", "a\\b.pdf", "a\nb"] {
        assert!(matches!(package().document(name, vec![1]), Err(Error::Document { .. })), "{name:?}");
    }
    let twice = package().document("决定书.pdf", vec![1]).unwrap().document("决定书.pdf", vec![2]).unwrap_err();
    assert_eq!(
        twice.to_string(),
        "cannot pack document `决定书.pdf`: a document of that name is already in the package"
    );
}

#[test]
fn retention_and_hash_names_parse() {
    assert_eq!(Retention::parse("永久").unwrap(), Retention::Permanent);
    assert_eq!(Retention::parse("30y").unwrap(), Retention::ThirtyYears);
    assert_eq!(Retention::parse("定期10年").unwrap(), Retention::TenYears);
    assert!(Retention::parse("5y").unwrap_err().to_string().contains("unknown retention period `5y`"));
    assert_eq!(HashAlgorithm::parse("SHA-256").unwrap(), HashAlgorithm::Sha256);
    assert!(HashAlgorithm::parse("md5").is_err());
}

#[test]
fn bytes_that_are_not_a_package_say_so() {
    assert!(matches!(verify(b"not a zip", None), Err(Error::NotAPackage { .. })));
    let mut all = members(&pack(HashAlgorithm::Sm3, None));
    *member(&mut all, "manifest.json") = b"{".to_vec();
    let error = verify(&repack(&all), None).unwrap_err();
    assert!(error.to_string().starts_with("not a zhengwu archive package: `manifest.json` does not parse"), "{error}");
}

/// The package format, `zhengwu-archive/1`: what a reader years later depends on. A change shows
/// here as a snapshot diff; one that is not additive takes a new format name.
#[test]
fn package_format_v1() {
    let all = members(&pack(HashAlgorithm::Sha256, None));
    let text = |name: &str| String::from_utf8(all.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap();
    insta::assert_snapshot!("metadata_v1", text("metadata.json"));
    insta::assert_snapshot!("manifest_v1", text("manifest.json"));
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    insta::assert_snapshot!("members_v1", names.join("\n"));
}
