//! Who is calling: the client's chain from the handshake, verified again at the request's
//! instant, and what the clients file lets them see.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use rustls_pki_types::CertificateDer;
use serde_json::json;
use zhengwu_core::DepartmentId;
use zhengwu_supervision::{Alert, DepartmentScore};

use crate::access::Access;
use crate::centre::{Centre, now};

/// The client's certificate chain, as the TLS handshake received it (leaf first).
#[derive(Debug, Clone)]
pub(crate) struct PeerChain(pub(crate) Arc<Vec<CertificateDer<'static>>>);

/// A refusal: the status and `{"error": reason}`.
pub(crate) fn refuse(status: StatusCode, reason: impl Into<String>) -> Response {
    (status, Json(json!({ "error": reason.into() }))).into_response()
}

/// The caller: who the client certificate names, verified at this request's instant against
/// the CA and the CRL as they are now, and what the clients file lets them do.
#[derive(Debug, Clone)]
pub(crate) struct Caller(pub(crate) Access);

impl FromRequestParts<Arc<Centre>> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, centre: &Arc<Centre>) -> Result<Self, Response> {
        let Some(PeerChain(chain)) = parts.extensions.get::<PeerChain>() else {
            return Err(refuse(StatusCode::UNAUTHORIZED, "no client certificate"));
        };
        let verified = centre
            .trust
            .verify(chain, now().to_utc())
            .map_err(|reason| refuse(StatusCode::UNAUTHORIZED, format!("client certificate refused: {reason}")))?;
        let access =
            centre.clients.access(&verified.identity).map_err(|reason| refuse(StatusCode::FORBIDDEN, reason))?;
        Ok(Caller(access.clone()))
    }
}

/// Whether an alert is in the caller's scope.
pub(crate) fn in_scope(caller: &Access, alert: &Alert) -> bool {
    caller.scope.includes(&alert.department, &alert.region)
}

/// The rows of a ranking in the caller's scope: its departments, and those of its regions (by
/// the directory, or without one by the region of the department's cases).
pub(crate) fn visible_scores(
    centre: &Centre,
    supervisor: &zhengwu_supervision::Supervisor,
    caller: &Access,
    scores: Vec<DepartmentScore>,
) -> Vec<DepartmentScore> {
    let mut regions: BTreeMap<&DepartmentId, &zhengwu_core::RegionCode> = BTreeMap::new();
    match &centre.organization {
        Some(organization) => regions.extend(organization.departments().map(|d| (&d.id, &d.region))),
        None => {
            for case in supervisor.cases() {
                regions.entry(case.department()).or_insert(case.region());
            }
        }
    }
    scores
        .into_iter()
        .filter(|s| {
            caller.scope.departments.contains(&s.department)
                || regions.get(&s.department).is_some_and(|region| caller.scope.includes(&s.department, region))
        })
        .collect()
}
