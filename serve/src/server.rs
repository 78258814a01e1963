//! The listener: TLS handshakes within a time bound, a bounded number of connections, HTTP/1.1
//! with a header timeout, and the writer thread beside it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio_rustls::TlsAcceptor;
use zhengwu_core::{Calendar, Catalogue, Organization};
use zhengwu_store::EventStore;
use zhengwu_supervision::{ScoringScheme, SupervisionConfig, Supervisor};

use crate::access::Clients;
use crate::caller::PeerChain;
use crate::centre::{Centre, Limits};
use crate::error::{Error, Result};
use crate::forward::ForwardState;
use crate::tls::ClientTrust;

/// Everything a centre runs on, read by the caller (the `zhengwu serve` command reads the
/// files): the engines' inputs, who may connect, the TLS files, the address, the bounds.
#[derive(Debug)]
pub struct ServeConfig {
    /// The working-day calendar.
    pub calendar: Calendar,
    /// The service-item catalogue.
    pub catalogue: Catalogue,
    /// The organisation directory, for region roll-ups and names.
    pub organization: Option<Organization>,
    /// Rule settings.
    pub rules: SupervisionConfig,
    /// The scoring scheme of the ranking.
    pub scheme: ScoringScheme,
    /// Who may report and read.
    pub clients: Clients,
    /// The client CA and CRL.
    pub trust: ClientTrust,
    /// The server's certificate chain (PEM).
    pub tls_cert: PathBuf,
    /// The server's private key (PEM, PKCS#8 or SEC1 or PKCS#1).
    pub tls_key: PathBuf,
    /// Where to listen (port 0: any free port, see [`Running::local_addr`]).
    pub listen: SocketAddr,
    /// The bounds.
    pub limits: Limits,
    /// The centre above this one, to forward the log to (county → city).
    pub forward: Option<crate::forward::Forwarding>,
}

/// 电子监察中心: the live supervision centre. [`Server::start`] replays the store into the
/// supervisor, starts the writer and listens.
#[derive(Debug)]
pub struct Server;

/// A centre that is listening.
#[derive(Debug)]
pub struct Running {
    local_addr: SocketAddr,
    replayed: usize,
    centre: Arc<Centre>,
    shutdown: watch::Sender<bool>,
    accept: tokio::task::JoinHandle<()>,
    forwarder: Option<tokio::task::JoinHandle<()>>,
    writer: Option<std::thread::JoinHandle<std::result::Result<(), String>>>,
    writer_stopped: watch::Receiver<bool>,
}

impl Server {
    /// Binds `config.listen`, replays `store` into a new supervisor (on a blocking thread) and
    /// serves until [`Running::shutdown`]. Must be called inside a multi-threaded Tokio runtime.
    pub async fn start(mut config: ServeConfig, store: Box<dyn EventStore + Send>) -> Result<Running> {
        // The store is blocking I/O (and the PostgreSQL client runs its own runtime, which may
        // not start, nor close, inside this one): it is read, written and dropped on other
        // threads only, whatever fails first.
        let forward = config.forward.take();
        let trust = Arc::new(config.trust);
        let prepared = async {
            let tls = crate::tls::server_config(&config.tls_cert, &config.tls_key, trust.clone())?;
            let listener = TcpListener::bind(config.listen).await?;
            Ok::<_, Error>((tls, listener))
        }
        .await;
        let (tls, listener) = match prepared {
            Ok(prepared) => prepared,
            Err(error) => {
                let _ = tokio::task::spawn_blocking(move || drop((store, forward))).await;
                return Err(error);
            }
        };
        let local_addr = listener.local_addr()?;
        let fresh = {
            let (calendar, catalogue, rules) =
                (config.calendar.clone(), config.catalogue.clone(), config.rules.clone());
            move || Supervisor::new(calendar.clone(), catalogue.clone(), rules.clone())
        };
        let replaying = fresh.clone();
        let replay = tokio::task::spawn_blocking(move || {
            let mut store = store;
            let mut supervisor = replaying();
            match crate::writer::replay(store.as_mut(), &mut supervisor) {
                Ok((replayed, seen)) => Ok((store, forward, supervisor, replayed, seen)),
                Err(reason) => {
                    drop((store, forward));
                    Err(reason)
                }
            }
        })
        .await
        .map_err(|e| Error::Config(format!("replaying the store: {e}")))?;
        let (store, forward, supervisor, replayed, seen) = replay.map_err(Error::Config)?;
        // The queue holds batches; its budget in events is the centre's (`Limits`).
        let (submit, queue) = std::sync::mpsc::sync_channel(1024);
        let limits = config.limits;
        let forward_state = forward.as_ref().map(|_| Arc::new(std::sync::Mutex::new(ForwardState::default())));
        let centre = Arc::new(Centre::new(
            supervisor,
            config.organization,
            config.scheme,
            config.clients,
            trust,
            limits,
            submit,
            forward_state.clone(),
        ));
        let (stopped_sender, writer_stopped) = watch::channel(false);
        let writer = {
            let centre = centre.clone();
            std::thread::Builder::new().name("zhengwu-writer".into()).spawn(move || {
                let result = crate::writer::run(store, centre, queue, fresh, seen);
                let _ = stopped_sender.send(true);
                result
            })?
        };
        let (shutdown, stop) = watch::channel(false);
        let forwarder = match (forward, forward_state) {
            (Some(forwarding), Some(state)) => {
                Some(tokio::spawn(crate::forward::run(forwarding, centre.committed.clone(), state, stop.clone())))
            }
            _ => None,
        };
        let router = crate::http::router(centre.clone());
        let accept = tokio::spawn(accept_loop(listener, TlsAcceptor::from(Arc::new(tls)), router, limits, stop));
        Ok(Running { local_addr, replayed, centre, shutdown, accept, forwarder, writer: Some(writer), writer_stopped })
    }
}

impl Running {
    /// The address the centre listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Events replayed from the store at start.
    pub fn replayed(&self) -> usize {
        self.replayed
    }

    /// Serves until `stop` completes (a signal, say), then shuts down as [`Running::shutdown`];
    /// or until the writer stops because the store failed (`Err`, why).
    pub async fn serve_until(mut self, stop: impl std::future::Future<Output = ()>) -> Result<()> {
        tokio::select! {
            _ = self.writer_stopped.wait_for(|stopped| *stopped) => {}
            () = stop => {}
        }
        self.finish().await
    }

    /// Stops accepting connections and requests, lets the writer commit what is queued, and
    /// returns when it has.
    pub async fn shutdown(mut self) -> Result<()> {
        let _ = self.shutdown.send(true);
        self.finish().await
    }

    async fn finish(&mut self) -> Result<()> {
        let _ = self.shutdown.send(true);
        let _ = (&mut self.accept).await;
        if let Some(forwarder) = self.forwarder.take() {
            let _ = forwarder.await;
        }
        // No connection is left to queue a batch: the writer commits what is queued and returns.
        self.centre.close();
        let Some(writer) = self.writer.take() else { return Ok(()) };
        let result = tokio::task::spawn_blocking(move || writer.join())
            .await
            .map_err(|e| Error::Config(format!("the writer could not be joined: {e}")))?;
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(reason)) => Err(Error::Config(reason)),
            Err(_) => Err(Error::Poisoned),
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    router: axum::Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let permit = tokio::select! {
            _ = stop.changed() => break,
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let (tcp, _) = tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A client that reset before accept, or no descriptors left: go on.
                Err(_) => continue,
            },
        };
        let _ = tcp.set_nodelay(true);
        let (acceptor, router, mut stop) = (acceptor.clone(), router.clone(), stop.clone());
        tasks.spawn(async move {
            let _permit = permit;
            let handshake = Duration::from_secs(limits.handshake_timeout_secs);
            let Ok(Ok(tls)) = tokio::time::timeout(handshake, acceptor.accept(tcp)).await else { return };
            let chain = tls
                .get_ref()
                .1
                .peer_certificates()
                .map(|chain| chain.iter().map(|c| c.clone().into_owned()).collect())
                .unwrap_or_default();
            let service = TowerToHyperService::new(router.layer(axum::Extension(PeerChain(Arc::new(chain)))));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(limits.request_timeout_secs))
                .serve_connection(TokioIo::new(tls), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(5), connection).await;
                }
            }
        });
        // Reap finished connections so the set does not grow.
        while tasks.try_join_next().is_some() {}
    }
    drop(router);
    let _ = tokio::time::timeout(Duration::from_secs(10), async { while tasks.join_next().await.is_some() {} }).await;
}
