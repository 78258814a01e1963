use zhengwu_identity::{
    Certificate, Error, HolderKind, KeyPurpose, RevocationList, RevocationPolicy, RevocationStatus, SignatureAlgorithm,
    TrustStore,
};

use crate::{ALGORITHMS, at, certificate, now, read, trust};

#[test]
fn a_valid_chain_verifies_and_names_the_official() {
    for alg in ALGORITHMS {
        let verified = trust(alg).verify(&certificate(alg, "official"), now(), KeyPurpose::Signing).unwrap();
        let identity = &verified.identity;
        assert_eq!(identity.kind, HolderKind::Person, "{alg}");
        assert_eq!(identity.name.as_deref(), Some("张伟"));
        assert_eq!(identity.id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(identity.department.as_deref(), Some("昆明市市场监督管理局"));
        assert_eq!(identity.organization.as_deref(), Some("昆明市人民政府"));
        assert_eq!(identity.serial, "1001");
        assert!(identity.issuer.contains(&format!("CN=zhengwu {alg} issuing CA")), "{}", identity.issuer);
        let revocations: Vec<_> = verified.chain.iter().map(|link| link.revocation).collect();
        assert_eq!(revocations, [RevocationStatus::NotRevoked, RevocationStatus::Unchecked, RevocationStatus::Anchor]);
        assert_eq!(verified.chain[0].not_after, at("2031-01-01T00:00:00Z"));
    }
}

#[test]
fn a_unit_certificate_names_the_legal_person_by_credit_code() {
    for alg in ALGORITHMS {
        let verified = trust(alg).verify(&certificate(alg, "unit"), now(), KeyPurpose::Signing).unwrap();
        assert_eq!(verified.identity.kind, HolderKind::LegalPerson);
        assert_eq!(verified.identity.credit_code.as_deref(), Some("914403001922038216"));
        assert_eq!(verified.identity.name.as_deref(), Some("华为技术有限公司"));
        assert_eq!(verified.identity.id_number, None);
    }
}

#[test]
fn the_key_algorithm_is_read_from_the_certificate() {
    let expected = [SignatureAlgorithm::RsaSha256, SignatureAlgorithm::EcdsaSha256, SignatureAlgorithm::Sm2Sm3];
    for (alg, expected) in ALGORITHMS.into_iter().zip(expected) {
        assert_eq!(certificate(alg, "official").key_algorithm().unwrap(), expected);
    }
}

#[test]
fn expired_certificate_is_refused_with_its_end_date() {
    for alg in ALGORITHMS {
        let error = trust(alg).verify(&certificate(alg, "expired"), now(), KeyPurpose::Signing).unwrap_err();
        match error {
            Error::Expired { not_after, at: checked, .. } => {
                assert_eq!(not_after, at("2026-01-01T00:00:00Z"));
                assert_eq!(checked, now());
            }
            other => panic!("{alg}: expected Expired, got {other}"),
        }
        // The same certificate was valid in 2025.
        trust(alg).verify(&certificate(alg, "expired"), at("2025-06-01T00:00:00Z"), KeyPurpose::Signing).unwrap();
    }
}

#[test]
fn not_yet_valid_certificate_is_refused_with_its_start_date() {
    for alg in ALGORITHMS {
        let error = trust(alg).verify(&certificate(alg, "notyet"), now(), KeyPurpose::Signing).unwrap_err();
        assert!(
            matches!(error, Error::NotYetValid { not_before, .. } if not_before == at("2028-01-01T00:00:00Z")),
            "{alg}: {error}"
        );
    }
}

#[test]
fn certificate_from_an_untrusted_ca_is_refused_naming_the_issuer() {
    for alg in ALGORITHMS {
        let error = trust(alg).verify(&certificate(alg, "untrusted"), now(), KeyPurpose::Signing).unwrap_err();
        match &error {
            Error::UntrustedIssuer { issuer, .. } => assert!(issuer.contains("issuing CA"), "{issuer}"),
            other => panic!("{alg}: expected UntrustedIssuer, got {other}"),
        }
        assert!(error.to_string().contains("is not a trusted CA"));
    }
}

#[test]
fn tampered_signature_is_refused() {
    for alg in ALGORITHMS {
        let error = trust(alg).verify(&certificate(alg, "tampered"), now(), KeyPurpose::Signing).unwrap_err();
        assert!(matches!(&error, Error::BadSignature { what } if what.contains("张伟")), "{alg}: {error}");
    }
}

#[test]
fn revoked_certificate_is_refused_with_the_crl_date_and_reason() {
    for alg in ALGORITHMS {
        let error = trust(alg).verify(&certificate(alg, "revoked"), now(), KeyPurpose::Signing).unwrap_err();
        match error {
            Error::Revoked { serial, revoked_at, reason, .. } => {
                assert_eq!(serial, "1005");
                assert_eq!(revoked_at, at("2026-12-01T00:00:00Z"));
                assert_eq!(reason.as_deref(), Some("keyCompromise"));
            }
            other => panic!("{alg}: expected Revoked, got {other}"),
        }
        // Before its revocation the certificate was good: a signature made then still verifies.
        trust(alg).verify(&certificate(alg, "revoked"), at("2026-11-01T00:00:00Z"), KeyPurpose::Signing).unwrap();
    }
}

#[test]
fn encryption_certificate_cannot_sign() {
    for alg in ALGORITHMS {
        let error = trust(alg).verify(&certificate(alg, "encryption"), now(), KeyPurpose::Signing).unwrap_err();
        assert!(matches!(error, Error::WrongKeyUsage { needed: "digitalSignature", .. }), "{alg}: {error}");
        trust(alg).verify(&certificate(alg, "encryption"), now(), KeyPurpose::Any).unwrap();
    }
}

#[test]
fn unsupported_algorithm_is_named_by_its_oid() {
    let root = certificate("other", "ed25519-root");
    let leaf = certificate("other", "ed25519-leaf");
    let mut trust = TrustStore::new();
    trust.add_anchor(root);
    let error = trust.verify(&leaf, now(), KeyPurpose::Signing).unwrap_err();
    assert_eq!(
        error,
        Error::UnsupportedAlgorithm { what: "public key algorithm", oid: "1.3.101.112".into(), name: Some("Ed25519") }
    );
    assert_eq!(error.to_string(), "unsupported public key algorithm 1.3.101.112 (Ed25519)");
}

#[test]
fn a_leaf_is_not_an_issuing_ca() {
    // The official's certificate posing as the CA of a certificate it did not issue: the names do
    // not match, so the chain stops at an untrusted issuer; trusting the leaf as an anchor does not
    // make the real CA chain through it either.
    for alg in ALGORITHMS {
        let mut trust = TrustStore::new();
        trust.add_anchor(certificate(alg, "official"));
        let error = trust.verify(&certificate(alg, "unit"), now(), KeyPurpose::Signing).unwrap_err();
        assert!(matches!(error, Error::UntrustedIssuer { .. }), "{alg}: {error}");
    }
}

#[test]
fn a_crl_is_read_with_its_entries_and_checked_for_staleness() {
    for alg in ALGORITHMS {
        let crl = RevocationList::from_bytes(&read(alg, "ca.crl.pem")).unwrap();
        assert_eq!(crl.this_update(), at("2027-01-01T00:00:00Z"));
        assert_eq!(crl.next_update(), Some(at("2030-01-01T00:00:00Z")));
        let revoked = crl.revoked();
        assert_eq!(revoked.len(), 1);
        assert_eq!(revoked[0].serial, "1005");
        let error = trust(alg)
            .verify(&certificate(alg, "official"), at("2030-06-01T00:00:00Z"), KeyPurpose::Signing)
            .unwrap_err();
        assert!(matches!(error, Error::StaleCrl { .. }), "{alg}: {error}");
    }
}

#[test]
fn a_crl_with_a_broken_signature_is_refused() {
    // A forged CRL (here: OpenSSL's with one signature byte flipped) must not be believed, neither
    // to revoke nor to clear a certificate.
    for alg in ALGORITHMS {
        let mut der = read(alg, "ca.crl.pem");
        let crl = RevocationList::from_bytes(&der).unwrap();
        assert!(crl.issuer().contains("issuing CA"));
        let text = String::from_utf8(std::mem::take(&mut der)).unwrap();
        let body: String = text.lines().filter(|line| !line.starts_with("-----")).collect();
        let mut bytes = base64_decode(&body);
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        let forged = RevocationList::from_der(&bytes).unwrap();
        let mut trust = TrustStore::new();
        trust.add_anchor(certificate(alg, "root"));
        trust.add_intermediate(certificate(alg, "ca"));
        trust.add_crl(forged);
        let error = trust.verify(&certificate(alg, "official"), now(), KeyPurpose::Signing).unwrap_err();
        assert!(matches!(&error, Error::BadSignature { what } if what.starts_with("CRL of")), "{alg}: {error}");
    }
}

#[test]
fn the_require_policy_refuses_a_chain_without_crls() {
    for alg in ALGORITHMS {
        let mut trust = TrustStore::new();
        trust.add_anchor(certificate(alg, "root"));
        trust.add_intermediate(certificate(alg, "ca"));
        trust.verify(&certificate(alg, "official"), now(), KeyPurpose::Signing).unwrap();
        trust.with_revocation_policy(RevocationPolicy::Require);
        let error = trust.verify(&certificate(alg, "official"), now(), KeyPurpose::Signing).unwrap_err();
        assert!(matches!(error, Error::MissingCrl { .. }), "{alg}: {error}");
    }
}

#[test]
fn pem_and_der_give_the_same_certificate() {
    for alg in ALGORITHMS {
        let pem = certificate(alg, "official");
        let der = Certificate::from_bytes(pem.der()).unwrap();
        assert_eq!(pem, der);
        assert_eq!(der.serial(), "1001");
        assert_eq!(pem.fingerprint_sha256().len(), 64);
    }
}

#[test]
fn garbage_is_a_parse_error_naming_what() {
    assert!(matches!(Certificate::from_bytes(b"not a certificate"), Err(Error::Parse { what: "certificate", .. })));
    assert!(matches!(
        Certificate::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
        Err(Error::Parse { .. })
    ));
    assert!(matches!(
        RevocationList::from_bytes(&[0x30, 0x03, 0x02, 0x01, 0x01]),
        Err(Error::Parse { what: "CRL", .. })
    ));
    // A file that is neither PEM nor DER says so and what it holds, not "unexpected ASN.1 tag".
    let refused = |bytes: &[u8]| Certificate::from_bytes(bytes).unwrap_err().to_string();
    let neither = "cannot parse certificate: the file is neither PEM (it has no `-----BEGIN` line) nor DER \
                   (which begins with byte 0x30): it holds";
    assert_eq!(refused(b"not a certificate\nsecond line"), format!("{neither} text beginning `not a certificate`"));
    assert_eq!(refused(b"\x00\x01\xff\xfe"), format!("{neither} bytes beginning 0x00"));
    assert_eq!(refused(b""), "cannot parse certificate: the file is empty");
    assert_eq!(
        RevocationList::from_bytes(b"crl").unwrap_err().to_string(),
        "cannot parse CRL: the file is neither PEM (it has no `-----BEGIN` line) nor DER (which begins with byte \
         0x30): it holds text beginning `crl`"
    );
}

#[test]
fn lines_before_the_pem_block_are_read_past() {
    // What `openssl pkcs12 -nokeys` writes for a certificate exported from a USB key's bundle.
    for alg in ALGORITHMS {
        let pem = read(alg, "official.pem");
        let mut exported = b"Bag Attributes\n    localKeyID: 01 02\nsubject=CN = official\nissuer=CN = ca\n".to_vec();
        exported.extend_from_slice(&pem);
        assert_eq!(Certificate::from_bytes(&exported).unwrap(), certificate(alg, "official"), "{alg}");
        assert_eq!(Certificate::all_from_bytes(&exported).unwrap().len(), 1, "{alg}");
    }
}

pub(crate) fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}

#[test]
fn an_unknown_critical_extension_is_refused() {
    for alg in ALGORITHMS {
        let error = trust(alg).verify(&certificate(alg, "critical"), now(), KeyPurpose::Signing).unwrap_err();
        let Error::UnsupportedCriticalExtension { subject, oid } = &error else { panic!("{alg}: {error}") };
        assert_eq!((subject.contains("CN=张伟"), oid.as_str()), (true, "1.2.3.4"), "{alg}");
        assert!(error.to_string().ends_with("carries critical extension 1.2.3.4, which zhengwu does not process"));
    }
}

#[test]
fn a_ca_below_a_path_length_of_zero_is_refused() {
    for alg in ALGORITHMS {
        let mut trust = trust(alg);
        trust.add_intermediate(certificate(alg, "subca"));
        let error = trust.verify(&certificate(alg, "deep"), now(), KeyPurpose::Signing).unwrap_err();
        assert!(matches!(&error, Error::PathLength { subject } if subject.contains("CN=张伟")), "{alg}: {error}");
        assert!(error.to_string().contains("than its pathLenConstraint allows"), "{error}");
    }
}

#[test]
fn openssl_ocsp_responses_say_good_and_revoked() {
    for alg in ["rsa", "ec"] {
        let mut trust = TrustStore::new();
        trust.add_anchor(certificate(alg, "root"));
        trust.add_intermediate(certificate(alg, "ca"));
        let good = zhengwu_identity::OcspResponse::from_bytes(&read(alg, "official.ocsp.der")).unwrap();
        let bad = zhengwu_identity::OcspResponse::from_bytes(&read(alg, "revoked.ocsp.der")).unwrap();
        assert_eq!((good.len(), bad.len()), (1, 1));
        // `openssl ocsp` dates a response when it makes it: check a day later.
        let at = good.produced_at() + chrono::Duration::days(1);
        trust.add_ocsp_response(good).add_ocsp_response(bad);
        let verified = trust.verify(&certificate(alg, "official"), at, KeyPurpose::Signing).unwrap();
        assert_eq!(verified.chain[0].revocation, RevocationStatus::NotRevoked, "{alg}");
        let error = trust.verify(&certificate(alg, "revoked"), at, KeyPurpose::Signing).unwrap_err();
        assert!(
            matches!(&error, Error::Revoked { revoked_at, .. } if *revoked_at == crate::at("2026-12-01T00:00:00Z")),
            "{alg}: {error}"
        );
        // The unit's certificate is not in the responses: unchecked.
        let verified = trust.verify(&certificate(alg, "unit"), at, KeyPurpose::Signing).unwrap();
        assert_eq!(verified.chain[0].revocation, RevocationStatus::Unchecked, "{alg}");
    }
}

#[test]
fn a_signing_certificate_logs_in_where_client_login_is_asked_but_not_as_web_clientauth() {
    for alg in ALGORITHMS {
        // The official's 签名证书: key usage digitalSignature, no extended key usage.
        let official = certificate(alg, "official");
        let verified = trust(alg).verify(&official, now(), KeyPurpose::ClientLogin).unwrap();
        assert_eq!(verified.identity.id_number.as_deref(), Some("11010519491231002X"), "{alg}");
        let error = trust(alg).verify(&official, now(), KeyPurpose::ClientAuth).unwrap_err();
        assert!(matches!(error, Error::WrongPurpose { .. }), "{alg}: {error}");
        // The 加密证书 (keyEncipherment only) is not for logging in.
        let error = trust(alg).verify(&certificate(alg, "encryption"), now(), KeyPurpose::ClientLogin).unwrap_err();
        assert!(matches!(error, Error::WrongKeyUsage { needed: "digitalSignature", .. }), "{alg}: {error}");
    }
    assert_eq!(KeyPurpose::parse("client-login").unwrap(), KeyPurpose::ClientLogin);
}
