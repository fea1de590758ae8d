//! Serving a router over HTTP/1.1 with hyper, with the connection timeouts `axum::serve`
//! does not expose: a slow or idle client cannot hold a connection open.
//!
//! Each connection is served by hyper's HTTP/1 connection with its header read timeout, and
//! a timer of our own decides when that timeout runs out: hyper starts it whenever the
//! connection waits for a request head (a new connection, or one kept alive after a
//! response); ours lets it run out [`ServeConfig::idle_timeout`] after that start while no
//! byte has arrived, and [`ServeConfig::header_read_timeout`] after the first byte of the
//! head. (hyper's HTTP/1 server uses its timer for nothing else.)

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt as _;

/// The connection timeouts of a server (see [`serve_with`](super::serve_with)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServeConfig {
    /// The time from a request's first byte until its head (request line and headers) is
    /// complete (default 10 s); then the connection is closed without an answer. A client
    /// that sends its headers a byte at a time cannot hold a connection longer.
    pub header_read_timeout: Duration,
    /// The time a connection may wait for the first byte of a request, when new or kept alive
    /// after a response (default 60 s); then it is closed.
    pub idle_timeout: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

impl ServeConfig {
    /// This config with another header read timeout.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// This config with another idle timeout.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }
}

/// Accepts connections until `shutdown`, then lets each finish the request it is serving.
pub(super) async fn run(
    mut listener: TcpListener,
    router: Router,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // axum's accept: connection errors are skipped, others (too many open files) logged
        // and retried after a pause.
        let (stream, peer) = tokio::select! {
            accepted = axum::serve::Listener::accept(&mut listener) => accepted,
            () = &mut shutdown => break,
        };
        let connection = graceful.watch(connection(stream, peer, router.clone(), config));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection closed");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

// No upgrades (WebSocket): generated servers have none, and hyper-util cannot shut an
// upgradeable connection down gracefully.
type Connection = hyper::server::conn::http1::Connection<TokioIo<Watched>, WithPeer>;

fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    config: ServeConfig,
) -> Connection {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        io: stream,
        activity: activity.clone(),
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(HeadTimer { activity, config })
        .header_read_timeout(config.header_read_timeout);
    builder.serve_connection(io, WithPeer { router, peer })
}

/// The router, given the peer's address as `into_make_service_with_connect_info` gives it.
#[derive(Clone)]
struct WithPeer {
    router: Router,
    peer: SocketAddr,
}

impl hyper::service::Service<http::Request<Incoming>> for WithPeer {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = tower::util::Oneshot<Router, axum::extract::Request>;

    fn call(&self, mut request: http::Request<Incoming>) -> Self::Future {
        request.extensions_mut().insert(ConnectInfo(self.peer));
        self.router
            .clone()
            .oneshot(request.map(axum::body::Body::new))
    }
}

/// When the first byte of the awaited request head arrived.
#[derive(Debug)]
struct Activity {
    origin: Instant,
    /// Nanoseconds from `origin` to that byte, plus one; 0 while none came.
    first_byte: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            origin: Instant::now(),
            first_byte: AtomicU64::new(0),
        }
    }

    fn await_head(&self) {
        self.first_byte.store(0, Ordering::Release);
    }

    fn read(&self) {
        if self.first_byte.load(Ordering::Acquire) == 0 {
            let nanos = u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
            let _ =
                self.first_byte
                    .compare_exchange(0, nanos + 1, Ordering::AcqRel, Ordering::Acquire);
        }
    }

    fn first_byte(&self) -> Option<Instant> {
        match self.first_byte.load(Ordering::Acquire) {
            0 => None,
            n => Some(self.origin + Duration::from_nanos(n - 1)),
        }
    }
}

/// A connection's stream, telling [`Activity`] when bytes arrive.
struct Watched {
    io: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.io).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.read();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// hyper's timer for one connection: the header read timeout, counted as [`ServeConfig`]
/// says.
struct HeadTimer {
    activity: Arc<Activity>,
    config: ServeConfig,
}

impl hyper::rt::Timer for HeadTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(Plain(Box::pin(tokio::time::sleep(duration))))
    }

    // hyper calls this (directly, or through `reset`) when it starts waiting for a head.
    fn sleep_until(&self, _deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.activity.await_head();
        let start = Instant::now();
        Box::pin(HeadWait {
            start,
            activity: self.activity.clone(),
            config: self.config,
            sleep: Box::pin(tokio::time::sleep_until(
                (start + self.config.idle_timeout).into(),
            )),
        })
    }
}

/// A plain sleep.
struct Plain(Pin<Box<tokio::time::Sleep>>);

impl Future for Plain {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.0.as_mut().poll(cx)
    }
}

impl hyper::rt::Sleep for Plain {}

/// The wait for one request head: it ends `idle_timeout` after its start while nothing has
/// arrived, `header_read_timeout` after the first byte otherwise.
struct HeadWait {
    start: Instant,
    activity: Arc<Activity>,
    config: ServeConfig,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Future for HeadWait {
    type Output = ();

    // hyper polls it each time reading the head stops for want of bytes, so the deadline
    // moves as soon as the first byte came.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let deadline = match self.activity.first_byte() {
            Some(first) => first + self.config.header_read_timeout,
            None => self.start + self.config.idle_timeout,
        };
        let deadline = tokio::time::Instant::from_std(deadline);
        if self.sleep.deadline() != deadline {
            self.sleep.as_mut().reset(deadline);
        }
        self.sleep.as_mut().poll(cx)
    }
}

impl hyper::rt::Sleep for HeadWait {}
