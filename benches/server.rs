//! Throughput of the generated petstore server against an equivalent hand-written axum
//! server, measured side by side in one run:
//!
//! ```sh
//! cargo bench --bench server          # per scenario 5 s on each server, in 20 slices each
//! cargo bench --bench server -- --seconds 10 --rounds 40 --connections 32
//! cargo bench --bench server -- --scenario get-one --server generated   # e.g. to profile
//! ```
//!
//! - **generated**: `petstore::server::router_with(Store::default(), handlers::config(key))`
//!   (the key is what `DELETE` requires), served with `specbind::server::serve_on`: the
//!   generated routes (path and query decoding, the body read under its 2 MiB limit,
//!   `serde_path_to_error` JSON decoding, generated `validate()`, the API-key check through
//!   the authenticator, JSON encoding), the handlers of `src/handlers.rs`, and the runtime's
//!   layers (timeout, catch panic, error envelope).
//! - **hand-written**: the axum server of [`hand_written`], as one would write it without
//!   specbind: axum's `Path<i64>` and `Bytes` extractors, `serde_json::from_slice`, the query
//!   string read by hand, the API key compared by hand, the same store as `src/handlers.rs`
//!   (the generated `Pet::load` / `insert` / `list` / `delete` over `Db::memory()`), a timeout
//!   and a catch-panic layer from tower-http, and `axum::serve`.
//!   It uses the same generated models (`NewPet`, `Pet`, `Error`) and the same generated
//!   `validate()`, so the difference measured is what the generated server adds around them:
//!   decoding, error handling and layers.
//!
//! The load generator is a closed loop on 127.0.0.1: `--connections` keep-alive HTTP/1.1
//! connections per server, each sending one request at a time and waiting for its response,
//! over a minimal HTTP/1.1 client of its own (much cheaper than a full client, so that most
//! of the CPU goes to the server being measured). Every response must have the expected
//! status; anything else stops the benchmark.
//!
//! Scenarios (`--scenario NAME`), each on fresh servers holding 20 pets (ids 1 to 20):
//! - `get-one`: `GET /v1/pets/1`;
//! - `create-delete`: `POST /v1/pets` of a valid pet with a unique name, then `DELETE` of the
//!   pet created, with the API key (both requests are counted). The delete keeps the store
//!   small: creating pets without bound would make the in-memory store's unique-name scan,
//!   not the server, the cost being measured;
//! - `list`: `GET /v1/pets?limit=20`, a page of 20 pets.
//!
//! Both servers of a scenario run in this process on 127.0.0.1, but only one is under load
//! at a time: after a warm-up, they take turns (generated, hand-written, generated, ...) for
//! `--rounds` slices each, and the table gives the medians over the slices. Short turns
//! rather than a few long measurements spread a burst of activity of another process over
//! both servers instead of letting it decide a median. The servers run on a tokio runtime of
//! their own with one worker per core, the load generator on the main thread: they share the
//! machine's cores, which applies equally to both servers. On Linux the server's CPU time
//! per request (from `/proc/self/task/*/schedstat`) is reported too: unlike requests per
//! second, it is not diluted by the load generator's share of the CPU.

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use specbind::__private::axum;
use specbind_examples::handlers::{self, Store};
use specbind_examples::petstore::server as generated;
use specbind_examples::petstore::types::{Error, NewPet, Pet};

/// The API key `DELETE` requires (`X-Api-Key`).
const API_KEY: &str = "bench-key";

/// The two servers compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Server {
    Generated,
    HandWritten,
}

impl Server {
    const ALL: [Self; 2] = [Self::Generated, Self::HandWritten];

    fn label(self) -> &'static str {
        match self {
            Self::Generated => "generated",
            Self::HandWritten => "hand-written",
        }
    }
}

/// What the load generator sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    GetOne,
    CreateDelete,
    List,
}

impl Scenario {
    const ALL: [Self; 3] = [Self::GetOne, Self::CreateDelete, Self::List];

    fn label(self) -> &'static str {
        match self {
            Self::GetOne => "`GET /v1/pets/1`",
            Self::CreateDelete => "`POST /v1/pets` + `DELETE /v1/pets/{id}`",
            Self::List => "`GET /v1/pets?limit=20`",
        }
    }

    /// The name `--scenario` takes.
    fn name(self) -> &'static str {
        match self {
            Self::GetOne => "get-one",
            Self::CreateDelete => "create-delete",
            Self::List => "list",
        }
    }
}

/// Command-line options (`cargo bench` adds `--bench`, which is ignored).
#[derive(Debug, Clone)]
struct Options {
    /// Time each server is measured per scenario, in all.
    seconds: f64,
    /// Load on each server before a scenario's measurements, not counted.
    warmup: f64,
    /// Slices the measured time is cut into, the servers taking turns.
    rounds: usize,
    /// Concurrent connections of the load generator.
    connections: usize,
    /// `--scenario NAME` (repeatable): only these scenarios.
    scenarios: Vec<Scenario>,
    /// `--server generated|hand-written`: only this server (to profile it).
    servers: Vec<Server>,
}

impl Options {
    fn parse() -> Self {
        fn value<T: std::str::FromStr>(name: &str, v: Option<String>) -> T {
            v.and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        }
        let mut o = Self {
            seconds: 5.0,
            warmup: 0.5,
            rounds: 20,
            connections: 32,
            scenarios: Vec::new(),
            servers: Vec::new(),
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--seconds" => o.seconds = value(&arg, args.next()),
                "--warmup" => o.warmup = value(&arg, args.next()),
                "--rounds" => o.rounds = value::<usize>(&arg, args.next()).max(1),
                "--connections" => o.connections = value::<usize>(&arg, args.next()).max(1),
                "--scenario" => {
                    let name = args.next().unwrap_or_default();
                    let found = Scenario::ALL.into_iter().find(|s| s.name() == name);
                    o.scenarios.push(found.unwrap_or_else(|| {
                        let names = Scenario::ALL.map(Scenario::name).join(", ");
                        panic!("--scenario takes one of: {names}")
                    }));
                }
                "--server" => {
                    let name = args.next().unwrap_or_default();
                    let found = Server::ALL.into_iter().find(|s| s.label() == name);
                    let server = found
                        .unwrap_or_else(|| panic!("--server takes `generated` or `hand-written`"));
                    if !o.servers.contains(&server) {
                        o.servers.push(server);
                    }
                }
                _ => {}
            }
        }
        if o.scenarios.is_empty() {
            o.scenarios = Scenario::ALL.to_vec();
        }
        if o.servers.is_empty() {
            o.servers = Server::ALL.to_vec();
        }
        o
    }
}

/// One slice: requests per second, and CPU time per request if known.
#[derive(Debug, Clone, Copy)]
struct Sample {
    per_second: f64,
    server_cpu_us: Option<f64>,
    client_cpu_us: Option<f64>,
}

fn main() {
    let options = Options::parse();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let server_threads = cpu::Threads::default();
    let server_rt = {
        let threads = server_threads.clone();
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(cores)
            .thread_name("bench-server")
            .on_thread_start(move || threads.register_current())
            .enable_all()
            .build()
            .expect("server runtime")
    };
    let client_threads = cpu::Threads::default();
    client_threads.register_current();
    let load_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("load runtime");

    println!("Server throughput: generated petstore server vs hand-written axum server");
    println!(
        "{} keep-alive connections per server, closed loop; per scenario, {} s of load on each \
         server after {} s of warm-up, in {} slices, the servers taking turns",
        options.connections, options.seconds, options.warmup, options.rounds
    );
    println!(
        "Server: tokio runtime with {cores} worker(s); load generator: 1 thread. Both share the \
         {cores} core(s) of this machine, equally for both servers.\n"
    );

    let slice = options.seconds / options.rounds as f64;
    let threads = [&server_threads, &client_threads];
    let mut rows = Vec::new();
    for &scenario in &options.scenarios {
        let samples = load_rt.block_on(async {
            let mut targets = Vec::new();
            for &server in &options.servers {
                targets.push(Target::start(&server_rt, server, options.connections).await);
            }
            for target in &mut targets {
                target.slice(scenario, options.warmup, threads).await;
            }
            let mut samples = vec![Vec::new(); targets.len()];
            for _ in 0..options.rounds {
                for (target, samples) in targets.iter_mut().zip(&mut samples) {
                    samples.push(target.slice(scenario, slice, threads).await);
                }
            }
            targets.into_iter().for_each(Target::stop);
            samples
        });
        let mut summary = [None; 2];
        for (&server, samples) in options.servers.iter().zip(&samples) {
            let rates: Vec<f64> = samples.iter().map(|s| s.per_second).collect();
            let s = summarize(samples);
            println!(
                "{:<48} {:<13} {:>7} req/s (slices: {} to {})   server CPU {:>5} µs/req   \
                 load generator CPU {:>5} µs/req",
                scenario.label(),
                server.label(),
                fmt(s.map(|s| s.per_second), 0),
                fmt(rates.iter().copied().reduce(f64::min), 0),
                fmt(rates.iter().copied().reduce(f64::max), 0),
                fmt(s.and_then(|s| s.server_cpu_us), 1),
                fmt(s.and_then(|s| s.client_cpu_us), 1),
            );
            summary[server as usize] = s; // `Server::ALL` order
        }
        rows.push((scenario, summary[0], summary[1]));
    }

    println!(
        "\n| scenario | generated req/s (median) | hand-written req/s (median) | ratio | \
         server CPU µs/req, generated | server CPU µs/req, hand-written | CPU ratio |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (scenario, g, h) in rows {
        let rate = |s: Option<Sample>| s.map(|s| s.per_second);
        let cpu = |s: Option<Sample>| s.and_then(|s| s.server_cpu_us);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            scenario.label(),
            fmt(rate(g), 0),
            fmt(rate(h), 0),
            ratio(rate(g), rate(h)),
            fmt(cpu(g), 1),
            fmt(cpu(h), 1),
            ratio(cpu(g), cpu(h)),
        );
    }
    println!(
        "\nratio: generated / hand-written requests per second (higher is better for the \
         generated server). CPU ratio: generated / hand-written server CPU time per request \
         (lower is better)."
    );
}

fn fmt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.decimals$}"))
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:.2}×", a / b),
        _ => "n/a".to_owned(),
    }
}

/// The median of each measure over the slices (`None` without slices).
fn summarize(samples: &[Sample]) -> Option<Sample> {
    fn median(mut v: Vec<f64>) -> Option<f64> {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(v[n / 2]),
            _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
        }
    }
    let all =
        |f: fn(&Sample) -> Option<f64>| -> Option<Vec<f64>> { samples.iter().map(f).collect() };
    Some(Sample {
        per_second: median(samples.iter().map(|s| s.per_second).collect())?,
        server_cpu_us: all(|s| s.server_cpu_us).and_then(median),
        client_cpu_us: all(|s| s.client_cpu_us).and_then(median),
    })
}

/// A server under test with the load generator's connections to it.
struct Target {
    server: Server,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
    clients: Vec<load::Client>,
}

impl Target {
    /// Starts `server` on a fresh store holding 20 pets, and opens `connections` to it.
    async fn start(
        server_rt: &tokio::runtime::Runtime,
        server: Server,
        connections: usize,
    ) -> Self {
        let listener =
            std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let serving = server_rt.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            match server {
                Server::Generated => {
                    let config = handlers::config(API_KEY);
                    let router = generated::router_with(Store::default(), config);
                    specbind::server::serve_on(listener, router).await
                }
                Server::HandWritten => {
                    let router = hand_written::router(Store::default(), API_KEY);
                    axum::serve(listener, router).await
                }
            }
        });
        load::seed(addr, 20).await.expect("seeding the store");
        let mut clients = Vec::with_capacity(connections);
        for i in 0..connections {
            clients.push(load::Client::open(addr, i).await.expect("connecting"));
        }
        Self {
            server,
            serving,
            clients,
        }
    }

    /// Puts the server under `scenario`'s load for `seconds`.
    async fn slice(
        &mut self,
        scenario: Scenario,
        seconds: f64,
        [server_threads, client_threads]: [&cpu::Threads; 2],
    ) -> Sample {
        let cpu_before = (server_threads.snapshot(), client_threads.snapshot());
        let start = Instant::now();
        let until = start + Duration::from_secs_f64(seconds);
        let tasks: Vec<_> = self
            .clients
            .drain(..)
            .map(|c| tokio::spawn(c.run(scenario, until)))
            .collect();
        let mut completed = 0u64;
        for task in tasks {
            let (client, n) = task.await.expect("load task").unwrap_or_else(|e| {
                panic!("{} server, {}: {e}", self.server.label(), scenario.label())
            });
            self.clients.push(client);
            completed += n;
        }
        let elapsed = start.elapsed();
        let cpu_after = (server_threads.snapshot(), client_threads.snapshot());
        let per_request = |cpu: Option<Duration>| {
            cpu.filter(|_| completed > 0)
                .map(|d| d.as_secs_f64() * 1e6 / completed as f64)
        };
        Sample {
            per_second: completed as f64 / elapsed.as_secs_f64(),
            server_cpu_us: per_request(cpu::Threads::delta(&cpu_before.0, &cpu_after.0)),
            client_cpu_us: per_request(cpu::Threads::delta(&cpu_before.1, &cpu_after.1)),
        }
    }

    fn stop(self) {
        // Dropping the clients closes the connections, which ends the server's tasks.
        self.serving.abort();
    }
}

/// The hand-written server: plain axum over the same store as `src/handlers.rs` (the
/// generated `Pet::load` / `insert` / `list` / `delete` over a `Db`), using the generated
/// models and their generated `validate()`.
#[path = "common/hand_written.rs"]
mod hand_written;

/// The load generator: a minimal HTTP/1.1 client (one request at a time per connection,
/// `Content-Length` bodies only) and the closed loop of each connection.
mod load {
    use std::fmt::{self, Write as _};
    use std::io;
    use std::net::SocketAddr;
    use std::time::Instant;

    use tokio::net::TcpStream;

    use super::{API_KEY, Scenario};

    const GET_ONE: &[u8] = b"GET /v1/pets/1 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n";
    const LIST: &[u8] = b"GET /v1/pets?limit=20 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n";

    /// A keep-alive connection and the bytes read from it.
    struct Conn {
        stream: TcpStream,
        buf: Vec<u8>,
        filled: usize,
    }

    fn invalid(what: impl Into<String>) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, what.into())
    }

    impl Conn {
        async fn open(addr: SocketAddr) -> io::Result<Self> {
            let stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            Ok(Self {
                stream,
                buf: vec![0; 16 * 1024],
                filled: 0,
            })
        }

        /// Sends `request` and reads the response, which must have `status`; returns its body.
        async fn call(&mut self, request: &[u8], status: u16) -> io::Result<&[u8]> {
            self.write_all(request).await?;
            self.filled = 0;
            let head_len = loop {
                let read = &self.buf[..self.filled];
                if let Some(i) = read.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
                self.fill().await?;
            };
            let head = std::str::from_utf8(&self.buf[..head_len])
                .map_err(|_| invalid("response head is not UTF-8"))?;
            let got: u16 = head
                .get(9..12)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| invalid(format!("bad status line in {head:?}")))?;
            let mut body_len = 0;
            for line in head.split("\r\n").skip(1) {
                let Some((name, value)) = line.split_once(':') else {
                    continue;
                };
                if name.eq_ignore_ascii_case("content-length") {
                    body_len = value
                        .trim()
                        .parse()
                        .map_err(|_| invalid("bad content-length"))?;
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    return Err(invalid("chunked responses are not supported"));
                }
            }
            while self.filled < head_len + body_len {
                self.fill().await?;
            }
            let body = &self.buf[head_len..head_len + body_len];
            if got != status {
                let text = String::from_utf8_lossy(body);
                return Err(invalid(format!("expected {status}, got {got}: {text}")));
            }
            Ok(body)
        }

        async fn write_all(&self, mut bytes: &[u8]) -> io::Result<()> {
            while !bytes.is_empty() {
                self.stream.writable().await?;
                match self.stream.try_write(bytes) {
                    Ok(n) => bytes = &bytes[n..],
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        }

        /// Reads what is available, at least one byte.
        async fn fill(&mut self) -> io::Result<()> {
            if self.filled == self.buf.len() {
                self.buf.resize(2 * self.buf.len(), 0);
            }
            loop {
                self.stream.readable().await?;
                match self.stream.try_read(&mut self.buf[self.filled..]) {
                    Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                    Ok(n) => {
                        self.filled += n;
                        return Ok(());
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }

    /// Writes into `request` a `POST /v1/pets` of a valid pet named `name`.
    fn post_pet(request: &mut String, name: fmt::Arguments<'_>) {
        let body = format!(r#"{{"name":"{name}","tag":"long-hair","status":"available"}}"#);
        request.clear();
        write!(
            request,
            "POST /v1/pets HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
             content-length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("writing to a String");
    }

    /// Writes into `request` a `DELETE /v1/pets/{id}`.
    fn delete_pet(request: &mut String, id: i64) {
        request.clear();
        write!(
            request,
            "DELETE /v1/pets/{id} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {API_KEY}\r\n\r\n"
        )
        .expect("writing to a String");
    }

    /// The `"id"` of a pet in JSON.
    fn id_of(body: &[u8]) -> io::Result<i64> {
        let text = std::str::from_utf8(body).map_err(|_| invalid("body is not UTF-8"))?;
        text.split_once(r#""id":"#)
            .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|digits| digits.parse().ok())
            .ok_or_else(|| invalid(format!("no id in {text}")))
    }

    /// Creates `n` pets (ids 1 to `n` on a fresh store).
    pub(super) async fn seed(addr: SocketAddr, n: usize) -> io::Result<()> {
        let mut conn = Conn::open(addr).await?;
        let mut request = String::new();
        for i in 1..=n {
            post_pet(&mut request, format_args!("seed-{i}"));
            conn.call(request.as_bytes(), 201).await?;
        }
        Ok(())
    }

    /// One keep-alive connection of the load generator, kept from one slice to the next.
    pub(super) struct Client {
        conn: Conn,
        /// Tells this client's pet names apart from other clients'.
        index: usize,
        /// Pets this client created so far.
        created: u64,
        request: String,
    }

    impl Client {
        pub(super) async fn open(addr: SocketAddr, index: usize) -> io::Result<Self> {
            Ok(Self {
                conn: Conn::open(addr).await?,
                index,
                created: 0,
                request: String::with_capacity(256),
            })
        }

        /// The closed loop until `until`; returns the client and the requests it completed.
        pub(super) async fn run(
            mut self,
            scenario: Scenario,
            until: Instant,
        ) -> io::Result<(Self, u64)> {
            let mut completed = 0;
            while Instant::now() < until {
                completed += match scenario {
                    Scenario::GetOne => {
                        self.conn.call(GET_ONE, 200).await?;
                        1
                    }
                    Scenario::List => {
                        self.conn.call(LIST, 200).await?;
                        1
                    }
                    Scenario::CreateDelete => {
                        self.created += 1;
                        let (index, n) = (self.index, self.created);
                        post_pet(&mut self.request, format_args!("pet-{index}-{n}"));
                        let id = id_of(self.conn.call(self.request.as_bytes(), 201).await?)?;
                        delete_pet(&mut self.request, id);
                        self.conn.call(self.request.as_bytes(), 204).await?;
                        2
                    }
                };
            }
            Ok((self, completed))
        }
    }
}

/// CPU time of threads, from Linux's `/proc/self/task/<tid>/schedstat` (nanoseconds on the
/// CPU); unknown elsewhere.
mod cpu {
    use std::time::Duration;

    use super::{Arc, Mutex, PoisonError};

    /// A set of threads, each registered by itself.
    #[derive(Debug, Clone, Default)]
    pub(super) struct Threads(Arc<Mutex<Vec<String>>>);

    impl Threads {
        /// Adds the calling thread.
        pub(super) fn register_current(&self) {
            // `/proc/thread-self` links to `<pid>/task/<tid>`.
            let Ok(link) = std::fs::read_link("/proc/thread-self") else {
                return;
            };
            if let Some(tid) = link.file_name().and_then(|t| t.to_str()) {
                let path = format!("/proc/self/task/{tid}/schedstat");
                self.0
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(path);
            }
        }

        /// The CPU time of each thread so far (`None` for a thread that cannot be read).
        pub(super) fn snapshot(&self) -> Vec<Option<u64>> {
            let paths = self
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            paths
                .iter()
                .map(|p| {
                    let text = std::fs::read_to_string(p).ok()?;
                    text.split_whitespace().next()?.parse().ok()
                })
                .collect()
        }

        /// The CPU time spent between two snapshots by the threads present in both.
        pub(super) fn delta(before: &[Option<u64>], after: &[Option<u64>]) -> Option<Duration> {
            let mut known = false;
            let mut ns = 0u64;
            for (b, a) in before.iter().zip(after) {
                if let (Some(b), Some(a)) = (b, a) {
                    known = true;
                    ns += a.saturating_sub(*b);
                }
            }
            known.then(|| Duration::from_nanos(ns))
        }
    }
}
