//! 电子档案 and 电子印章: `pack_archive` and `verify_archive` behind `zhengwu.archives`,
//! `verify_seal_file` behind `zhengwu.seals`.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use zhengwu_archive::{HashAlgorithm, Package, Retention};
use zhengwu_core::parse_json_lines;
use zhengwu_identity::{Certificate, SigningKey, TrustStore};

use crate::args::{Instant, Text};
use crate::errors::archive_error;

/// Packs a closed case's events (JSON lines) with its documents; the package's bytes.
#[pyfunction]
#[pyo3(signature = (events, retention, documents, hash, packed_at, packed_by=None, sign_key_pem=None, sign_cert=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn pack_archive<'py>(
    py: Python<'py>,
    events: Text<'_>,
    retention: Text<'_>,
    documents: Vec<(String, Vec<u8>)>,
    hash: Text<'_>,
    packed_at: Instant,
    packed_by: Option<String>,
    sign_key_pem: Option<String>,
    sign_cert: Option<Vec<u8>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let events = parse_json_lines(events.0).map_err(archive_error)?;
    let signer = match (sign_key_pem, sign_cert) {
        (Some(key), Some(certificate)) => {
            let certificate = Certificate::from_bytes(&certificate).map_err(archive_error)?;
            Some(SigningKey::from_pkcs8_pem(&key, certificate).map_err(archive_error)?)
        }
        (None, None) => None,
        _ => return Err(archive_error("a package is signed with a key and its certificate: give both")),
    };
    let mut package = Package::new(&events, Retention::parse(retention.0).map_err(archive_error)?, packed_at.0)
        .map_err(archive_error)?
        .hash(HashAlgorithm::parse(hash.0).map_err(archive_error)?);
    if let Some(unit) = packed_by {
        package = package.packed_by(unit);
    }
    for (name, bytes) in documents {
        package = package.document(&name, bytes).map_err(archive_error)?;
    }
    if let Some(signer) = &signer {
        package = package.sign_with(signer);
    }
    let bytes = py.detach(|| package.to_bytes()).map_err(archive_error)?;
    Ok(PyBytes::new(py, &bytes))
}

/// Verifies a package; JSON `{"valid", "kind", "member", "reason", "package"}`. With trust
/// certificates (PEM or DER), every signer's chain is checked too.
#[pyfunction]
#[pyo3(signature = (package, trust))]
pub(crate) fn verify_archive(py: Python<'_>, package: Vec<u8>, trust: Vec<Vec<u8>>) -> PyResult<String> {
    let store = trust_store(&trust)?;
    let answer = match py.detach(|| zhengwu_archive::verify(&package, store.as_ref())) {
        Ok(verified) => {
            serde_json::json!({"valid": true, "kind": null, "member": null, "reason": null, "package": verified})
        }
        Err(error) => serde_json::json!({
            "valid": false, "kind": error.kind(), "member": error.member(), "reason": error.to_string(), "package": null,
        }),
    };
    serde_json::to_string(&answer).map_err(archive_error)
}

/// Verifies a seal, a signature or a signed OFD document (bytes); JSON list of
/// `{"what", "valid", "part", "reason", "verified"}`.
#[pyfunction]
#[pyo3(signature = (file, at, used_at, data, trust, signer_cert))]
pub(crate) fn verify_seal_file(
    py: Python<'_>,
    file: Vec<u8>,
    at: Option<Instant>,
    used_at: Option<Instant>,
    data: Option<Vec<u8>>,
    trust: Vec<Vec<u8>>,
    signer_cert: Option<Vec<u8>>,
) -> PyResult<String> {
    let store = trust_store(&trust)?;
    let signer = signer_cert.map(|bytes| Certificate::from_bytes(&bytes)).transpose().map_err(archive_error)?;
    let utc = |instant: Option<Instant>| instant.map(|i| i.0.with_timezone(&chrono::Utc));
    let check = zhengwu_identity::SealCheck {
        trust: store.as_ref(),
        at: utc(at),
        used_at: utc(used_at),
        data: data.as_deref(),
    };
    let checks = py.detach(|| zhengwu_identity::verify_file(&file, &check, signer.as_ref()));
    let answers: Vec<serde_json::Value> = checks
        .into_iter()
        .map(|c| match c.result {
            Ok(verified) => {
                serde_json::json!({"what": c.what, "valid": true, "part": null, "reason": null, "verified": verified})
            }
            Err(error) => serde_json::json!({
                "what": c.what, "valid": false, "part": error.part, "reason": error.to_string(), "verified": null,
            }),
        })
        .collect();
    serde_json::to_string(&answers).map_err(archive_error)
}

fn trust_store(trust: &[Vec<u8>]) -> PyResult<Option<TrustStore>> {
    if trust.is_empty() {
        return Ok(None);
    }
    let mut store = TrustStore::new();
    for bytes in trust {
        for certificate in Certificate::all_from_bytes(bytes).map_err(archive_error)? {
            store.add_anchor(certificate);
        }
    }
    Ok(Some(store))
}
