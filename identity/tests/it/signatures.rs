use zhengwu_identity::{Error, SignatureAlgorithm};

use crate::{ALGORITHMS, certificate, read};

#[test]
fn openssl_signatures_verify_with_the_certificate_key() {
    for alg in ALGORITHMS {
        let official = certificate(alg, "official");
        let algorithm = official.key_algorithm().unwrap();
        let message = read(alg, "message.txt");
        let signature = read(alg, "message.sig");
        official.verify_signature(algorithm, &message, &signature).unwrap();
        // Another message, or another signer, does not verify.
        let mut altered = message.clone();
        altered[0] ^= 1;
        let error = official.verify_signature(algorithm, &altered, &signature).unwrap_err();
        assert!(matches!(error, Error::BadSignature { .. }), "{alg}: {error}");
        let error = certificate(alg, "unit").verify_signature(algorithm, &message, &signature).unwrap_err();
        assert!(matches!(error, Error::BadSignature { .. }), "{alg}: {error}");
    }
}

#[test]
fn a_signature_algorithm_that_does_not_fit_the_key_is_named() {
    let official = certificate("rsa", "official");
    let error = official.verify_signature(SignatureAlgorithm::Sm2Sm3, b"x", b"y").unwrap_err();
    assert_eq!(error.to_string(), "a SM2-with-SM3 signature cannot come from a RSA key");
}

#[test]
fn algorithms_parse_by_oid_and_name() {
    assert_eq!(SignatureAlgorithm::parse("1.2.156.10197.1.501").unwrap(), SignatureAlgorithm::Sm2Sm3);
    assert_eq!(SignatureAlgorithm::parse("sm2-sm3").unwrap(), SignatureAlgorithm::Sm2Sm3);
    assert_eq!(SignatureAlgorithm::parse("sha256WithRSAEncryption").unwrap(), SignatureAlgorithm::RsaSha256);
    assert_eq!(SignatureAlgorithm::parse("ecdsa-p256-sha256").unwrap(), SignatureAlgorithm::EcdsaSha256);
    let error = SignatureAlgorithm::parse("1.2.840.113549.1.1.10").unwrap_err();
    assert_eq!(error.to_string(), "unsupported signature algorithm 1.2.840.113549.1.1.10 (RSASSA-PSS)");
}
