//! Parallel calls through a generated client, against sequential ones, side by side in one
//! run:
//!
//! ```sh
//! cargo bench --bench parallel                      # 20 calls of 50 ms, 9 rounds
//! cargo bench --bench parallel -- --calls 50 --ms 20 --rounds 15
//! ```
//!
//! The generated gateway server runs in this process on 127.0.0.1; its `GET /sleep?ms=N`
//! sleeps N ms. Each round awaits `--calls` calls one after the other, then the same calls
//! through `specbind::client::fan_out` (all at once), then through `specbind::join!`-style
//! fan-out bounded to 5 at a time. The table gives the median over the rounds of each and
//! the ratio of sequential to parallel time.

use std::time::{Duration, Instant};

use specbind::client::fan_out;
use specbind_examples::gateway;
use specbind_examples::gateway_api::{client::Client, server};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let calls = arg("--calls", 20);
    let ms = i32::try_from(arg("--ms", 50)).expect("--ms fits in i32");
    let rounds = arg("--rounds", 9);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(specbind::server::serve_on(
        listener,
        server::router_with(gateway::State, gateway::config()),
    ));
    let client = Client::new(&format!("http://{addr}/api")).expect("client");
    // Warm the pool up with as many connections as calls.
    for r in fan_out((0..calls).map(|_| client.sleep(0)), 64).await {
        r.expect("warm-up");
    }
    let (mut seq, mut par, mut bounded) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..calls {
            client.sleep(ms).await.expect("slept");
        }
        seq.push(t.elapsed());
        let t = Instant::now();
        for r in fan_out((0..calls).map(|_| client.sleep(ms)), 64).await {
            r.expect("slept");
        }
        par.push(t.elapsed());
        let t = Instant::now();
        for r in fan_out((0..calls).map(|_| client.sleep(ms)), 5).await {
            r.expect("slept");
        }
        bounded.push(t.elapsed());
    }
    let (seq, par, bounded) = (median(seq), median(par), median(bounded));
    let ratio = |d: Duration| seq.as_secs_f64() / d.as_secs_f64();
    println!("{calls} calls of {ms} ms, medians of {rounds} rounds");
    println!("| mode | time | speed-up vs sequential |");
    println!("|---|---:|---:|");
    println!("| sequential (`.await` one by one) | {seq:.1?} | 1.0x |");
    println!(
        "| `fan_out`, all at once | {par:.1?} | {:.1}x |",
        ratio(par)
    );
    println!(
        "| `fan_out`, 5 at a time | {bounded:.1?} | {:.1}x |",
        ratio(bounded)
    );
}
