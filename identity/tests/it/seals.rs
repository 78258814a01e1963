//! Electronic seals and signatures (GB/T 38540-2020, GM/T 0031-2014) made outside zhengwu by
//! `scripts/identity/make_seals.py`: DER assembled by hand from the standard's ASN.1, every SM2
//! signature made by OpenSSL 3, every SM3 by `openssl dgst`.

use std::io::{Read as _, Write as _};

use zhengwu_identity::{
    Seal, SealCheck, SealFormat, SealPart, SealSignature, SealUsers, verify_ofd, verify_seal, verify_seal_signature,
};

use crate::{at, certificate, trust};

fn seals(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/seals/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check<'a>(data: &'a [u8], trust: Option<&'a zhengwu_identity::TrustStore>) -> SealCheck<'a> {
    SealCheck { trust, at: None, used_at: None, data: Some(data) }
}

fn part(bytes: &[u8], data: &[u8]) -> Result<(), SealPart> {
    let signature = SealSignature::from_der(bytes).map_err(|e| e.part)?;
    verify_seal_signature(&signature, &check(data, None)).map(|_| ()).map_err(|e| e.part)
}

#[test]
fn a_gb_t_38540_signature_reads_and_verifies_with_its_chain() {
    let data = seals("data.txt");
    let signature = SealSignature::from_der(&seals("signature-v4.dat")).unwrap();
    assert_eq!((signature.format, signature.version), (SealFormat::GbT38540, 4));
    assert_eq!(signature.time, Some(at("2027-03-15T02:03:04Z")));
    assert_eq!(signature.property, "/Doc_0/Signs/Sign_0/Signature.xml");
    let seal = &signature.seal;
    assert_eq!(
        (seal.id.as_str(), seal.name.as_str(), seal.kind, seal.vendor.as_str()),
        ("ZW-V4-0001", "华为技术有限公司合同专用章", 1, "zhengwu-test")
    );
    assert_eq!((seal.picture.kind.as_str(), seal.picture.width, seal.picture.height), ("png", 40, 40));
    assert_eq!(seal.valid_until, at("2028-03-01T00:00:00Z"));
    assert_eq!(seal.users, SealUsers::Certificates(vec![certificate("sm2", "official").der().to_vec()]));
    let store = trust("sm2");
    let verified = verify_seal_signature(&signature, &check(&data, Some(&store))).unwrap();
    assert!(verified.maker.contains("CN=华为技术有限公司"), "{}", verified.maker);
    assert!(verified.signer.as_deref().unwrap().contains("SERIALNUMBER=11010519491231002X"));
    assert_eq!(verified.at, at("2027-03-15T02:03:04Z"));
    assert!(verified.chains_checked && verified.data_checked);
}

#[test]
fn every_changed_byte_of_a_signature_fails_and_names_a_part() {
    let data = seals("data.txt");
    let bytes = seals("signature-v4.dat");
    assert_eq!(part(&bytes, &data), Ok(()));
    let mut parts = std::collections::BTreeMap::new();
    for index in 0..bytes.len() {
        let mut changed = bytes.clone();
        changed[index] ^= 0x01;
        let failed = part(&changed, &data).expect_err(&format!("byte {index} changed and still verifies"));
        *parts.entry(format!("{failed:?}")).or_insert(0) += 1;
    }
    // The seal's information (the picture, the name, the dates) is the maker's; the time and
    // the data hash the signer's; the certificates the users list and the parse.
    for expected in ["MakerSignature", "SignerSignature", "SignerAuthorisation", "Structure"] {
        assert!(parts.contains_key(expected), "{parts:?}");
    }
}

#[test]
fn named_parts_fail_as_the_standard_orders_them() {
    let data = seals("data.txt");
    let bytes = seals("signature-v4.dat");
    let flip = |needle: &[u8]| {
        let at = bytes.windows(needle.len()).position(|w| w == needle).unwrap();
        let mut changed = bytes.clone();
        changed[at + needle.len() - 2] ^= 0x01;
        changed
    };
    assert_eq!(part(&flip(b"zhengwu test seal picture"), &data), Err(SealPart::MakerSignature));
    assert_eq!(part(&flip(b"20270315020304Z"), &data), Err(SealPart::SignerSignature));
    assert_eq!(part(&bytes, "另一份文件".as_bytes()), Err(SealPart::DataHash));
    assert_eq!(part(&seals("signature-v4-stranger.dat"), &data), Err(SealPart::SignerAuthorisation));
    let signature = SealSignature::from_der(&bytes).unwrap();
    // Judged in 2032 the certificates have expired: the maker's is checked first.
    let late = SealCheck { at: Some(at("2032-01-01T00:00:00Z")), ..check(&data, None) };
    let error = verify_seal_signature(&signature, &late).unwrap_err();
    assert_eq!(error.part, SealPart::MakerCertificate);
    assert!(error.to_string().starts_with("seal maker's certificate (制章者证书): "), "{error}");
    // Another CA's anchors: the maker does not chain.
    let other = trust("ec");
    assert_eq!(
        verify_seal_signature(&signature, &check(&data, Some(&other))).unwrap_err().part,
        SealPart::MakerCertificate
    );
    // A seal alone, used after its validity ended.
    let seal = Seal::from_der(&seals("seal-v4.esl")).unwrap();
    let used = SealCheck {
        trust: None,
        at: Some(at("2027-06-01T00:00:00Z")),
        used_at: Some(at("2028-03-02T00:00:00Z")),
        data: None,
    };
    assert_eq!(verify_seal(&seal, &used).unwrap_err().part, SealPart::SealValidity);
    assert!(verify_seal(&seal, &SealCheck { used_at: Some(at("2027-06-01T00:00:00Z")), ..used }).is_ok());
    assert_eq!(SealSignature::from_der(&bytes[..bytes.len() - 3]).unwrap_err().part, SealPart::Structure);
}

#[test]
fn users_listed_by_hash_and_gm_t_0031_structures_verify() {
    let data = seals("data.txt");
    let digest = SealSignature::from_der(&seals("signature-v4-digest.dat")).unwrap();
    assert!(matches!(&digest.seal.users, SealUsers::Digests(list) if list[0].0 == "SM3" && list[0].1.len() == 32));
    assert!(verify_seal_signature(&digest, &check(&data, None)).is_ok());
    let v1 = SealSignature::from_der(&seals("signature-v1.dat")).unwrap();
    assert_eq!((v1.format, v1.version, v1.seal.version), (SealFormat::GmT0031, 1, 1));
    assert_eq!(v1.time, Some(at("2027-03-15T02:03:04Z")));
    assert_eq!(v1.seal.created, at("2026-03-01T00:00:00Z"));
    let store = trust("sm2");
    assert!(verify_seal_signature(&v1, &check(&data, Some(&store))).is_ok());
    let mut changed = seals("signature-v1.dat");
    let name = "华为技术有限公司公章".as_bytes();
    let at_name = changed.windows(name.len()).position(|w| w == name).unwrap();
    changed[at_name] ^= 0x01;
    assert_eq!(part(&changed, &data), Err(SealPart::MakerSignature));
}

fn ofd_members(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
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

fn ofd_rezip(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in members {
        writer.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn a_signed_ofd_names_the_protected_file_that_changed() {
    let bytes = seals("signed.ofd");
    let store = trust("sm2");
    let checks = verify_ofd(&bytes, Some(&store), None, None).unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!((checks[0].signature.as_str(), checks[0].references), ("Doc_0/Signs/Sign_0/Signature.xml", 2));
    assert!(checks[0].result.as_ref().unwrap().data_checked);
    let mut members = ofd_members(&bytes);
    let document = members.iter_mut().find(|(n, _)| n == "Doc_0/Document.xml").unwrap();
    document.1.extend_from_slice(b" ");
    let error = verify_ofd(&ofd_rezip(&members), None, None, None).unwrap()[0].result.clone().unwrap_err();
    assert_eq!(error.part, SealPart::ProtectedFile);
    assert!(error.reason.contains("`Doc_0/Document.xml` changed"), "{error}");
    let mut members = ofd_members(&bytes);
    let signed_xml = members.iter_mut().find(|(n, _)| n.ends_with("Signature.xml") && n.contains("Sign_0")).unwrap();
    signed_xml.1 =
        String::from_utf8(signed_xml.1.clone()).unwrap().replace("make_seals.py", "make_seals.pz").into_bytes();
    let error = verify_ofd(&ofd_rezip(&members), None, None, None).unwrap()[0].result.clone().unwrap_err();
    assert_eq!(error.part, SealPart::DataHash);
    assert_eq!(verify_ofd(b"PK\x03\x04 not a zip", None, None, None).unwrap_err().part, SealPart::Structure);
}
