//! Store and forward: a county or town centre sends its log, in order, to the centre above it
//! (`--forward`), with its own client certificate. The position the upper centre acknowledged is
//! kept in the store; after a failure or a restart the forwarder resumes from it and sends again
//! what was not acknowledged, which the upper centre counts as duplicates by the events'
//! idempotency keys: each event arrives once, so the city's roll-up is the sum of its counties'.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::{Notify, watch};
use zhengwu_store::EventStore;

use crate::client::{Client, ClientIdentity};
use crate::error::{Error, Result};

/// Events one forwarded batch holds at most.
const FORWARD_BATCH: usize = 2_000;

/// Where and as whom to forward.
pub struct Forwarding {
    /// The upper centre's address.
    pub address: SocketAddr,
    /// The name its certificate carries (the URL's host).
    pub server_name: String,
    /// The URL as given, which also names the position kept in the store.
    pub url: String,
    /// This centre's client certificate and the upper centre's CA.
    pub identity: ClientIdentity,
    /// A second connection to this centre's store, for reading the log and keeping the position.
    pub store: Box<dyn EventStore + Send>,
}

impl std::fmt::Debug for Forwarding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forwarding").field("url", &self.url).field("address", &self.address).finish_non_exhaustive()
    }
}

impl Forwarding {
    /// Resolves `https://host:port` (the port is required; a path is not taken). Blocking (a
    /// name lookup): call it before the runtime, or on a blocking thread. `store` is a second
    /// connection to the centre's store (for PostgreSQL, made outside any Tokio runtime).
    pub fn resolve(url: &str, identity: ClientIdentity, store: Box<dyn EventStore + Send>) -> Result<Self> {
        use std::net::ToSocketAddrs;
        let rest = url
            .strip_prefix("https://")
            .ok_or_else(|| Error::Config(format!("--forward `{url}`: the upper centre is reached over https://")))?;
        let authority = rest.trim_end_matches('/');
        if authority.contains('/') {
            return Err(Error::Config(format!("--forward `{url}`: give the centre's address, not a path")));
        }
        let (host, _) = authority
            .rsplit_once(':')
            .ok_or_else(|| Error::Config(format!("--forward `{url}`: the port is missing (https://host:port)")))?;
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let address = authority
            .to_socket_addrs()
            .map_err(|e| Error::Config(format!("--forward `{url}`: {e}")))?
            .next()
            .ok_or_else(|| Error::Config(format!("--forward `{url}`: the host has no address")))?;
        Ok(Forwarding { address, server_name: host, url: url.to_owned(), identity, store })
    }
}

/// The kind of the store's record that keeps the position acknowledged by each upper centre.
const POSITION_RECORDS: &str = "forward";

#[derive(Debug, Deserialize)]
struct Reply {
    accepted: usize,
    duplicates: usize,
    #[serde(default)]
    rejected: Vec<serde_json::Value>,
}

/// What the forwarder has done, for `/v1/health`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct ForwardState {
    /// The log position the upper centre acknowledged.
    pub(crate) position: i64,
    /// Events it accepted, and counted as duplicates, since this centre started.
    pub(crate) accepted: usize,
    pub(crate) duplicates: usize,
    /// Lines it refused (kept here, not sent again), since this centre started.
    pub(crate) refused: usize,
    /// The last failure, until the next success.
    pub(crate) last_error: Option<String>,
}

/// Runs blocking store work on the blocking pool, handing the store there and back.
async fn with_store<T: Send + 'static>(
    store: Box<dyn EventStore + Send>,
    work: impl FnOnce(&mut dyn EventStore) -> zhengwu_store::Result<T> + Send + 'static,
) -> (Box<dyn EventStore + Send>, std::result::Result<T, String>) {
    let joined = tokio::task::spawn_blocking(move || {
        let mut store = store;
        let result = work(store.as_mut()).map_err(|e| e.to_string());
        (store, result)
    })
    .await;
    match joined {
        Ok(done) => done,
        // The blocking task panicked: nothing to hand back; the forwarder stops.
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Forwards until `stop` turns true. `committed` is notified after each commit of this centre.
pub(crate) async fn run(
    forwarding: Forwarding,
    committed: Arc<Notify>,
    state: Arc<std::sync::Mutex<ForwardState>>,
    stop: watch::Receiver<bool>,
) {
    let store = forward(forwarding, committed, state, stop).await;
    // Dropped on a blocking thread, as it was used (a PostgreSQL client may not close inside
    // the runtime).
    let _ = tokio::task::spawn_blocking(move || drop(store)).await;
}

/// The forwarding loop; returns the store when told to stop.
async fn forward(
    forwarding: Forwarding,
    committed: Arc<Notify>,
    state: Arc<std::sync::Mutex<ForwardState>>,
    mut stop: watch::Receiver<bool>,
) -> Box<dyn EventStore + Send> {
    let Forwarding { address, server_name, url, identity, store } = forwarding;
    let key = url.clone();
    let (mut store, position) = with_store(store, move |s| {
        Ok(s.records(POSITION_RECORDS)?.into_iter().find(|(id, _)| *id == key).and_then(|(_, p)| p.parse().ok()))
    })
    .await;
    let mut position: i64 = position.ok().flatten().unwrap_or(0);
    let set = |change: &dyn Fn(&mut ForwardState)| {
        if let Ok(mut state) = state.lock() {
            change(&mut state);
        }
    };
    set(&|s| s.position = position);
    let mut client: Option<Client> = None;
    let mut backoff = Duration::from_millis(100);
    loop {
        if *stop.borrow() {
            return store;
        }
        let (back, batch) = with_store(store, move |s| s.read_after(position, FORWARD_BATCH)).await;
        store = back;
        let batch = match batch {
            Ok(batch) => batch,
            Err(error) => {
                set(&|s| s.last_error = Some(format!("reading the log: {error}")));
                if sleep_or_stop(&mut stop, Duration::from_secs(1)).await {
                    return store;
                }
                continue;
            }
        };
        let Some(last) = batch.last().map(|e| e.position) else {
            // Nothing new: wait for a commit (or a second, to notice a stop).
            tokio::select! {
                _ = committed.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => return store,
            }
            continue;
        };
        let body: String = batch.iter().map(|e| e.event.to_json() + "\n").collect();
        let outcome = async {
            if client.is_none() {
                client = Some(Client::connect(address, &server_name, &identity).await.map_err(|e| e.to_string())?);
            }
            let connection = client.as_mut().ok_or("no connection")?;
            connection.post_events(body.into_bytes()).await.map_err(|e| e.to_string())
        }
        .await;
        let wait = match outcome {
            Ok(answer) if answer.status == 200 => match serde_json::from_str::<Reply>(&answer.body) {
                Ok(reply) => {
                    let key = url.clone();
                    let (back, kept) =
                        with_store(store, move |s| s.put_records(POSITION_RECORDS, &[(key, last.to_string())])).await;
                    store = back;
                    match kept {
                        Ok(()) => {
                            position = last;
                            backoff = Duration::from_millis(100);
                            set(&|s| {
                                s.position = position;
                                s.accepted += reply.accepted;
                                s.duplicates += reply.duplicates;
                                s.refused += reply.rejected.len();
                                s.last_error = None;
                            });
                            None
                        }
                        Err(error) => Some(format!("keeping the position: {error}")),
                    }
                }
                Err(error) => Some(format!("the upper centre's answer is not a batch reply: {error}")),
            },
            Ok(answer) if answer.status == 503 => {
                backoff = Duration::from_secs(answer.retry_after.unwrap_or(1));
                Some("the upper centre is at capacity".to_owned())
            }
            Ok(answer) => Some(format!("the upper centre answered {}: {}", answer.status, answer.body)),
            Err(error) => {
                client = None;
                Some(error)
            }
        };
        if let Some(error) = wait {
            set(&|s| s.last_error = Some(error.clone()));
            if sleep_or_stop(&mut stop, backoff).await {
                return store;
            }
            backoff = (backoff * 2).min(Duration::from_secs(30));
        }
    }
}

/// Sleeps, or returns `true` early when told to stop.
async fn sleep_or_stop(stop: &mut watch::Receiver<bool>, duration: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(duration) => *stop.borrow(),
        _ = stop.changed() => true,
    }
}
