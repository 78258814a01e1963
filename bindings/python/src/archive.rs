//! 电子档案: `pack_archive` and `verify_archive`, behind `zhengwu.archives`.

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
    let store = if trust.is_empty() {
        None
    } else {
        let mut store = TrustStore::new();
        for bytes in &trust {
            for certificate in Certificate::all_from_bytes(bytes).map_err(archive_error)? {
                store.add_anchor(certificate);
            }
        }
        Some(store)
    };
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
