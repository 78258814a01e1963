//! The HTTP API: who is calling (the client certificate, verified again at each request), the
//! events posted, and the supervisor's figures, alerts, ranking and stream, each within the
//! caller's scope.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::oneshot;
use zhengwu_core::CaseEvent;
use zhengwu_supervision::{Alert, AlertStatus, CorrectionAction, Dimension, Level, Period};

use crate::caller::{Caller, in_scope, refuse, visible_scores};
use crate::centre::{BatchReply, Busy, Centre, Correction, Job, LineRejection, Refused, Submission, now};

/// The routes, over the centre's state.
pub(crate) fn router(centre: Arc<Centre>) -> axum::Router {
    axum::Router::new()
        .route("/", get(crate::page::dashboard))
        .route("/v1/events", post(post_events))
        .route("/v1/events/stream", get(stream))
        .route("/v1/statistics", get(statistics))
        .route("/v1/alerts", get(alerts))
        .route("/v1/alerts/{id}", get(alert))
        .route("/v1/alerts/{id}/actions", post(correct))
        .route("/v1/ranking", get(ranking))
        .route("/v1/health", get(health))
        .with_state(centre)
}

/// `POST /v1/events`: JSON lines of the event vocabulary. Lines that are not events, or that the
/// log or the supervisor refuse, are rejected by number; the others are kept. An event for a
/// department the caller may not report for refuses the whole batch (403), nothing stored. The
/// content type is not checked (`curl --data-binary` sends a form's): the lines are.
async fn post_events(State(centre): State<Arc<Centre>>, Caller(caller): Caller, body: Body) -> Response {
    if caller.reports_for.is_empty() {
        return refuse(StatusCode::FORBIDDEN, format!("`{}` reports for no department", caller.holder));
    }
    let limit = centre.limits.max_body_bytes;
    let timeout = Duration::from_secs(centre.limits.request_timeout_secs);
    let bytes = match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => return refuse(StatusCode::REQUEST_TIMEOUT, format!("the body did not arrive within {timeout:?}")),
        Ok(Err(_)) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is over {limit} bytes; send smaller batches"),
            );
        }
        Ok(Ok(bytes)) => bytes,
    };
    let (events, mut rejected) = read_lines(&bytes);
    if let Some((line, event)) = events.iter().find(|(_, event)| !caller.reports_for.contains(&event.department)) {
        return refuse(
            StatusCode::FORBIDDEN,
            format!(
                "line {line}: `{}` may not report for department `{}`; nothing of this batch was stored",
                caller.holder, event.department
            ),
        );
    }
    let mut answer = if events.is_empty() {
        BatchReply::default()
    } else {
        let (reply, answered) = oneshot::channel();
        match centre.queue(Job::Batch(Submission { events, reply })) {
            Ok(()) => {}
            Err(Busy::Full) => {
                let mut response = refuse(StatusCode::SERVICE_UNAVAILABLE, "the centre is at capacity; retry later");
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                return response;
            }
            Err(Busy::Stopped) => return refuse(StatusCode::SERVICE_UNAVAILABLE, "the centre is stopping"),
        }
        match answered.await {
            Ok(Ok(answer)) => answer,
            Ok(Err(reason)) => return refuse(StatusCode::SERVICE_UNAVAILABLE, reason),
            Err(_) => return refuse(StatusCode::SERVICE_UNAVAILABLE, "the centre stopped before committing the batch"),
        }
    };
    answer.rejected.append(&mut rejected);
    answer.rejected.sort_by_key(|r| r.line);
    Json(answer).into_response()
}

/// Splits a body into events and the lines that are not events (1-based); blank lines are
/// skipped.
fn read_lines(bytes: &[u8]) -> (Vec<(usize, CaseEvent)>, Vec<LineRejection>) {
    let mut events = Vec::new();
    let mut rejected = Vec::new();
    for (index, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        match std::str::from_utf8(raw) {
            Err(e) => rejected.push(LineRejection { line, reason: format!("not UTF-8: {e}") }),
            Ok(text) if text.trim().is_empty() => {}
            Ok(text) => match CaseEvent::from_json_line(text, line) {
                Ok(event) => events.push((line, event)),
                Err(zhengwu_core::Error::InvalidEvent { reason, .. }) => rejected.push(LineRejection { line, reason }),
                Err(other) => rejected.push(LineRejection { line, reason: other.to_string() }),
            },
        }
    }
    (events, rejected)
}

#[derive(Debug, Deserialize)]
struct StatisticsQuery {
    #[serde(default = "department")]
    by: Dimension,
    #[serde(default = "all")]
    period: Period,
    as_of: Option<DateTime<FixedOffset>>,
}

fn department() -> Dimension {
    Dimension::Department
}

fn all() -> Period {
    Period::All
}

fn bad_query(rejection: QueryRejection) -> Response {
    refuse(StatusCode::BAD_REQUEST, rejection.body_text())
}

/// `GET /v1/statistics?by=&period=&as_of=`: the statistics of the caller's cases, as
/// `zhengwu supervise replay --format json` gives them.
async fn statistics(
    State(centre): State<Arc<Centre>>,
    Caller(caller): Caller,
    query: Result<Query<StatisticsQuery>, QueryRejection>,
) -> Response {
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return bad_query(rejection),
    };
    let as_of = query.as_of.unwrap_or_else(now);
    let supervisor = centre.read();
    let table =
        supervisor.statistics_of(as_of, query.by, query.period, centre.organization.as_ref(), &|department, region| {
            caller.scope.includes(department, region)
        });
    Json(json!({
        "version": 1,
        "as_of": as_of,
        "by": query.by,
        "period": query.period,
        "ingest": supervisor.ingest_summary(),
        "statistics": table.table(),
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct AlertsQuery {
    status: Option<AlertStatus>,
    level: Option<Level>,
    /// At most this many, the latest raised first.
    limit: Option<usize>,
}

/// `GET /v1/alerts?status=&level=&limit=`: the caller's alerts, the latest raised first.
async fn alerts(
    State(centre): State<Arc<Centre>>,
    Caller(caller): Caller,
    query: Result<Query<AlertsQuery>, QueryRejection>,
) -> Response {
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return bad_query(rejection),
    };
    let supervisor = centre.read();
    let mut list: Vec<&Alert> = supervisor
        .alerts()
        .filter(|a| in_scope(&caller, a))
        .filter(|a| query.status.is_none_or(|s| a.status == s))
        .filter(|a| query.level.is_none_or(|l| a.level == l))
        .collect();
    list.sort_by(|a, b| b.raised_at.cmp(&a.raised_at).then_with(|| a.id.cmp(&b.id)));
    list.truncate(query.limit.unwrap_or(usize::MAX));
    Json(list).into_response()
}

/// `GET /v1/alerts/{id}`.
async fn alert(State(centre): State<Arc<Centre>>, Caller(caller): Caller, Path(id): Path<String>) -> Response {
    let supervisor = centre.read();
    match supervisor.alert(&id).filter(|a| in_scope(&caller, a)) {
        Some(alert) => Json(alert).into_response(),
        None => refuse(StatusCode::NOT_FOUND, format!("no alert `{id}` in your scope")),
    }
}

/// `POST /v1/alerts/{id}/actions`: one step of the correction process (说明 `explain`, 复核
/// `review`, 督办 `supervise`, `escalate`, …), by an official whose certificate the clients file
/// names; the step is recorded with that official as its actor, and the alert's new state is in
/// the store before the answer (it survives a restart).
async fn correct(
    State(centre): State<Arc<Centre>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let Some(official) = caller.official.clone() else {
        return refuse(
            StatusCode::FORBIDDEN,
            format!("`{}` is not an official: correction steps need a personal certificate", caller.holder),
        );
    };
    // Any content type: the body is read as JSON (curl's `--data` sends a form's type).
    let read = std::str::from_utf8(&body).map_err(|e| format!("it is not UTF-8 text ({e})"));
    let action: CorrectionAction = match read.and_then(zhengwu_core::from_json) {
        Ok(action) => action,
        Err(error) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("the body is not a correction step (`{{\"action\": \"explain\", \"text\": …}}`): {error}"),
            );
        }
    };
    if centre.read().alert(&id).is_none_or(|a| !in_scope(&caller, a)) {
        return refuse(StatusCode::NOT_FOUND, format!("no alert `{id}` in your scope"));
    }
    let (reply, answered) = oneshot::channel();
    let correction = Correction { alert: id, action, actor: official, reply };
    if centre.queue(Job::Correct(correction)).is_err() {
        let mut response = refuse(StatusCode::SERVICE_UNAVAILABLE, "the centre is at capacity; retry later");
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    match answered.await {
        Ok(Ok(alert)) => Json(json!({ "status": alert.status, "alert": &*alert })).into_response(),
        Ok(Err(Refused::Conflict(reason))) => refuse(StatusCode::CONFLICT, reason),
        Ok(Err(Refused::Unavailable(reason))) => refuse(StatusCode::SERVICE_UNAVAILABLE, reason),
        Err(_) => refuse(StatusCode::SERVICE_UNAVAILABLE, "the centre stopped before recording the step"),
    }
}

#[derive(Debug, Deserialize)]
struct RankingQuery {
    #[serde(default = "all")]
    period: Period,
    /// The period's label (`2026`, `2026-Q4`, `2026-12`); default: the current one.
    label: Option<String>,
    as_of: Option<DateTime<FixedOffset>>,
}

/// `GET /v1/ranking?period=&label=`: departments scored and ranked under the centre's scheme; a
/// caller sees the rows of its scope, with their city-wide ranks.
async fn ranking(
    State(centre): State<Arc<Centre>>,
    Caller(caller): Caller,
    query: Result<Query<RankingQuery>, QueryRejection>,
) -> Response {
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return bad_query(rejection),
    };
    let as_of = query.as_of.unwrap_or_else(now);
    let label = query.label.unwrap_or_else(|| query.period.label(zhengwu_core::china_day(as_of)));
    let supervisor = centre.read();
    let scores = supervisor.rank(as_of, query.period, &label, &centre.scheme, &BTreeMap::new());
    let visible = visible_scores(&centre, &supervisor, &caller, scores);
    drop(supervisor);
    Json(json!({ "as_of": as_of, "period": query.period, "label": label, "ranking": visible })).into_response()
}

/// `GET /v1/health`: the queue, what the supervisor holds, and the forwarder's progress.
async fn health(State(centre): State<Arc<Centre>>, Caller(_): Caller) -> Response {
    let supervisor = centre.read();
    Json(json!({
        "queued_events": centre.queued(),
        "cases": supervisor.cases().count(),
        "alerts": supervisor.alerts().count(),
        "ingest": supervisor.ingest_summary(),
        "forward": centre.forward.as_ref().and_then(|state| state.lock().ok().map(|s| s.clone())),
    }))
    .into_response()
}

/// `GET /v1/events/stream`: server-sent events, one `alert` event (the alert as JSON) for each
/// alert of the caller's scope raised, escalated or moved on from now on; a `lagged` event when
/// the reader fell behind and missed some (read `/v1/alerts` again).
async fn stream(State(centre): State<Arc<Centre>>, Caller(caller): Caller) -> Response {
    let receiver = centre.alerts.subscribe();
    let events = futures_util::stream::unfold((receiver, caller), |(mut receiver, caller)| async move {
        loop {
            match receiver.recv().await {
                Ok(alert) if in_scope(&caller, &alert) => {
                    let data = serde_json::to_string(&*alert).unwrap_or_default();
                    let event = SseEvent::default().event("alert").id(alert.id.clone()).data(data);
                    return Some((Ok::<_, Infallible>(event), (receiver, caller)));
                }
                Ok(_) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                    let event = SseEvent::default().event("lagged").data(missed.to_string());
                    return Some((Ok(event), (receiver, caller)));
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}
