//! County centres forward to the city: each event arrives once, across a restart of the city.

use std::time::Duration;

use serde_json::Value;
use zhengwu_serve::Limits;

use crate::{Centre, events_of};

/// Waits until `centre`'s health says it has forwarded up to its last event.
async fn forwarded(centre: &Centre, events: u64) -> Value {
    let mut official = centre.client(Some("official")).await.unwrap();
    let mut health = Value::Null;
    for _ in 0..200 {
        health = serde_json::from_str(&official.get("/v1/health").await.unwrap().body).unwrap();
        if health["forward"]["position"].as_u64() == Some(events) {
            return health;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the county did not forward its {events} events: {health}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citys_figures_are_the_sum_of_its_counties() {
    let mut city = Centre::start(Limits::default()).await;
    // Each county reports to the city with its own certificate (here, the departments' systems).
    let mut county_a = Centre::forwarding_to(&city, "scjg").await;
    let mut county_b = Centre::forwarding_to(&city, "zjj").await;
    let mut a = county_a.client(Some("scjg")).await.unwrap();
    let mut b = county_b.client(Some("zjj")).await.unwrap();
    assert_eq!(a.post_events(events_of("km-scjg")).await.unwrap().status, 200);
    assert_eq!(b.post_events(events_of("km-zjj")).await.unwrap().status, 200);
    let health = forwarded(&county_a, 21).await;
    assert_eq!((health["forward"]["accepted"].as_u64(), health["forward"]["refused"].as_u64()), (Some(21), Some(0)));
    forwarded(&county_b, 3).await;

    // The city restarts; the counties go on; a county restarts and sends from its position.
    city.restart().await;
    county_a.restart().await;
    let mut a = county_a.client(Some("scjg")).await.unwrap();
    assert_eq!(a.post_events(events_of("km-scjg")).await.unwrap().status, 200);
    let health = forwarded(&county_a, 21).await;
    assert_eq!(health["forward"]["accepted"].as_u64(), Some(0), "nothing new to send: {health}");

    let mut counties = figures(&county_a).await;
    counties.extend(figures(&county_b).await);
    counties.sort_by_key(|row| row["group"].as_str().unwrap().to_owned());
    assert_eq!(counties.len(), 2);
    assert_eq!(figures(&city).await, counties);
    let city_store = city.stop().await;
    assert_eq!(city_store.read_all().unwrap().len(), 24, "each event once");
    county_a.stop().await;
    county_b.stop().await;
}

/// A centre's statistics by department as of the start of 2026 (the fixture's year is 2025).
async fn figures(centre: &Centre) -> Vec<Value> {
    let mut official = centre.client(Some("official")).await.unwrap();
    let path = "/v1/statistics?by=department&as_of=2026-01-01T00:00:00%2B08:00";
    let reply: Value = serde_json::from_str(&official.get(path).await.unwrap().body).unwrap();
    reply["statistics"].as_array().unwrap().clone()
}
