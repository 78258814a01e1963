//! Several servers on one log: each holds the whole log, whoever appended it.

use std::time::Duration;

use serde_json::Value;
use zhengwu_serve::Limits;

use crate::{Centre, events_of};

async fn statistics(centre: &Centre) -> Value {
    let mut official = centre.client(Some("official")).await.unwrap();
    let path = "/v1/statistics?by=department&as_of=2026-01-01T00:00:00%2B08:00";
    let reply: Value = serde_json::from_str(&official.get(path).await.unwrap().body).unwrap();
    reply["statistics"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_log_see_each_others_events() {
    let mut first = Centre::start(Limits::default()).await;
    let mut second = Centre::beside(&first).await;
    // A case begun on one server goes on on the other: the second follows the log before it
    // decides, so the accepted event after the first's receipt is in order, not a gap.
    let lines = String::from_utf8(events_of("km-scjg")).unwrap();
    let (head, tail) = lines.split_once('\n').unwrap();
    let head = format!("{head}\n");
    let tail = tail.to_owned();
    let mut on_first = first.client(Some("scjg")).await.unwrap();
    let reply: Value = serde_json::from_str(&on_first.post_events(head.into_bytes()).await.unwrap().body).unwrap();
    assert_eq!(reply["accepted"], 1);
    let mut on_second = second.client(Some("scjg")).await.unwrap();
    let reply: Value = serde_json::from_str(&on_second.post_events(tail.into_bytes()).await.unwrap().body).unwrap();
    assert_eq!(reply["accepted"], 20, "{reply}");
    let mut zjj = second.client(Some("zjj")).await.unwrap();
    assert_eq!(zjj.post_events(events_of("km-zjj")).await.unwrap().status, 200);

    // Between commits, each server catches up when it evaluates (every half second or so).
    let mut same = false;
    for _ in 0..60 {
        if statistics(&first).await == statistics(&second).await {
            same = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(same, "{} vs {}", statistics(&first).await, statistics(&second).await);
    assert_eq!(statistics(&first).await.as_array().map(Vec::len), Some(2));
    second.stop().await;
    let store = first.stop().await;
    assert_eq!(store.read_all().unwrap().len(), 24);
    assert_eq!(store.verify().unwrap().first_break, None);
}

/// The same on PostgreSQL, the store several servers of a centre share (`ZHENGWU_POSTGRES_URL`).
#[cfg(feature = "postgres-tests")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgresql_log_see_each_others_events() {
    use zhengwu_store::{EventStore, PostgresStore};

    // The synchronous client runs a runtime of its own: connected (and dropped) off this one.
    let url = std::env::var("ZHENGWU_POSTGRES_URL")
        .expect("the postgres-tests feature needs ZHENGWU_POSTGRES_URL (scripts/test.sh starts a server)");
    let connect = |reset: bool| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = PostgresStore::connect(&url).unwrap();
            if reset {
                store.reset().unwrap();
            }
            Box::new(store) as Box<dyn EventStore + Send>
        })
    };
    let first =
        zhengwu_serve::Server::start(crate::config(Limits::default()), connect(true).await.unwrap()).await.unwrap();
    let second =
        zhengwu_serve::Server::start(crate::config(Limits::default()), connect(false).await.unwrap()).await.unwrap();
    let lines = String::from_utf8(events_of("km-scjg")).unwrap();
    let (head, tail) = lines.split_once('\n').unwrap();
    let mut on_first = crate::client_at(first.local_addr(), Some("scjg")).await.unwrap();
    let reply: Value =
        serde_json::from_str(&on_first.post_events(format!("{head}\n").into_bytes()).await.unwrap().body).unwrap();
    assert_eq!(reply["accepted"], 1);
    let mut on_second = crate::client_at(second.local_addr(), Some("scjg")).await.unwrap();
    let reply: Value =
        serde_json::from_str(&on_second.post_events(tail.as_bytes().to_vec()).await.unwrap().body).unwrap();
    assert_eq!(reply["accepted"], 20, "{reply}");
    let mut zjj = crate::client_at(first.local_addr(), Some("zjj")).await.unwrap();
    assert_eq!(zjj.post_events(events_of("km-zjj")).await.unwrap().status, 200);
    let health = |address| async move {
        let mut official = crate::client_at(address, Some("official")).await.unwrap();
        let health: Value = serde_json::from_str(&official.get("/v1/health").await.unwrap().body).unwrap();
        health["ingest"]["applied"].as_u64()
    };
    let mut both = (None, None);
    for _ in 0..60 {
        both = (health(first.local_addr()).await, health(second.local_addr()).await);
        if both == (Some(24), Some(24)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(both, (Some(24), Some(24)));
    first.shutdown().await.unwrap();
    second.shutdown().await.unwrap();
    let (events, intact) = tokio::task::spawn_blocking(move || {
        let mut store = PostgresStore::connect(&url).unwrap();
        (store.read_all().unwrap().len(), store.verify().unwrap().first_break.is_none())
    })
    .await
    .unwrap();
    assert_eq!((events, intact), (24, true));
}
