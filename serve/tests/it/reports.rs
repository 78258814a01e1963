//! What is posted is stored once, read back as a replay would read it, streamed and worked.

use std::time::Duration;

use serde_json::Value;
use zhengwu_serve::Limits;
use zhengwu_supervision::{Dimension, Period};

use crate::{Centre, events_of, replayed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_batch_is_all_duplicates_and_the_figures_are_a_replays() {
    let mut centre = Centre::start(Limits::default()).await;
    let mut scjg = centre.client(Some("scjg")).await.unwrap();
    let first: Value = serde_json::from_str(&scjg.post_events(events_of("km-scjg")).await.unwrap().body).unwrap();
    // The fixture repeats one line (a retry inside the batch) and leaves a gap in case K5.
    assert_eq!(first["accepted"], 21);
    assert_eq!(first["duplicates"], 1);
    assert_eq!(first["rejected"][0]["line"], 21);
    let again: Value = serde_json::from_str(&scjg.post_events(events_of("km-scjg")).await.unwrap().body).unwrap();
    assert_eq!((again["accepted"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(22)));
    let mut zjj = centre.client(Some("zjj")).await.unwrap();
    assert_eq!(zjj.post_events(events_of("km-zjj")).await.unwrap().status, 200);

    let as_of = "2026-01-01T00:00:00+08:00";
    let mut official = centre.client(Some("official")).await.unwrap();
    let served: Value = serde_json::from_str(
        &official
            .get(&format!("/v1/statistics?by=department&period=month&as_of={}", as_of.replace('+', "%2B")))
            .await
            .unwrap()
            .body,
    )
    .unwrap();
    // A system reads its own department only.
    let own: Value = serde_json::from_str(&scjg.get("/v1/statistics?by=department").await.unwrap().body).unwrap();
    let groups: Vec<&str> =
        own["statistics"].as_array().unwrap().iter().map(|r| r["group"].as_str().unwrap()).collect();
    assert_eq!(groups, ["km-scjg"]);

    let mut store = centre.stop().await;
    assert_eq!(store.read_all().unwrap().len(), 24);
    assert_eq!(store.verify().unwrap().first_break, None);
    let supervisor = replayed(&mut store);
    let expected = supervisor.statistics(as_of.parse().unwrap(), Dimension::Department, Period::Month, None).table();
    assert!(!expected.is_empty());
    assert_eq!(served["statistics"], serde_json::to_value(expected).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_reach_the_stream_and_officials_work_them() {
    let mut centre = Centre::start(Limits::default()).await;
    let official = centre.client(Some("official")).await.unwrap();
    let mut stream = official.events("/v1/events/stream").await.unwrap();
    let mut scjg = centre.client(Some("scjg")).await.unwrap();
    assert_eq!(scjg.post_events(events_of("km-scjg")).await.unwrap().status, 200);
    // The fixture's cases of 2025, evaluated as of today, raise alerts within an evaluation.
    let event = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(event.event, "alert");
    let streamed: Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(streamed["department"], "km-scjg");

    let mut official = centre.client(Some("official")).await.unwrap();
    let id = streamed["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/alerts/{id}/actions");
    // A reporting system is not an official.
    let answer = scjg.send("POST", &path, br#"{"action":"notify"}"#.to_vec()).await.unwrap();
    assert_eq!(answer.status, 403, "{}", answer.body);
    let answer = official.send("POST", &path, br#"{"action":"notify"}"#.to_vec()).await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let worked: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(worked["status"], "notified");
    assert_eq!(worked["alert"]["history"][0]["actor"], "jc-001");
    // A step that does not fit: refused, the alert unchanged.
    let answer = official.send("POST", &path, br#"{"action":"close"}"#.to_vec()).await.unwrap();
    assert_eq!(answer.status, 409, "{}", answer.body);
    let alert: Value = serde_json::from_str(&official.get(&format!("/v1/alerts/{id}")).await.unwrap().body).unwrap();
    assert_eq!(alert["status"], "notified");
    let missing = official.get("/v1/alerts/no-such-alert").await.unwrap();
    assert_eq!(missing.status, 404);
    let before: Value = serde_json::from_str(&official.get("/v1/alerts").await.unwrap().body).unwrap();

    // A restart replays the events and restores the alerts as they stood, steps and instants.
    centre.restart().await;
    let mut official = centre.client(Some("official")).await.unwrap();
    let after: Value = serde_json::from_str(&official.get("/v1/alerts").await.unwrap().body).unwrap();
    assert_eq!(after, before);
    let alert: Value = serde_json::from_str(&official.get(&format!("/v1/alerts/{id}")).await.unwrap().body).unwrap();
    assert_eq!((alert["status"].as_str(), alert["history"].as_array().map(Vec::len)), (Some("notified"), Some(1)));
    let answer = official
        .send("POST", &path, r#"{"action":"explain","text":"系统迁移期间漏录"}"#.as_bytes().to_vec())
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    centre.stop().await;
}
