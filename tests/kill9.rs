//! `kill -9` of a petstore process while 16 clients create pets in it (issue 14): every pet
//! whose creation was answered 201 is there after a restart on the same SQLite file, with
//! the name it was created with.
//!
//! The server is this test binary run again as a child process (`serve_child`, which does
//! nothing unless `SPECBIND_KILL9_DB` is set), so it can be killed for real.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use specbind_examples::handlers::Store;
use specbind_examples::petstore::client::Client;
use specbind_examples::petstore::server;
use specbind_examples::petstore::types::{NewPet, NewPetStatus};

const WRITERS: usize = 16;
/// Creations acknowledged before the kill.
const BEFORE_KILL: usize = 400;

/// The child: a petstore on the SQLite file `$SPECBIND_KILL9_DB`, its address on stdout.
#[test]
fn serve_child() {
    let Ok(db) = std::env::var("SPECBIND_KILL9_DB") else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let store = Store::open(&db).await.expect("the database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        // Flushed: a piped stdout is not flushed at each line.
        let mut out = std::io::stdout();
        writeln!(out, "ADDR {}", listener.local_addr().expect("addr")).expect("stdout");
        out.flush().expect("stdout");
        specbind::server::serve_on(listener, server::router(store))
            .await
            .expect("serve");
    });
}

struct Server {
    child: Child,
    url: String,
}

fn spawn(db: &str) -> Server {
    let mut child = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", "serve_child", "--nocapture", "--test-threads=1"])
        .env("SPECBIND_KILL9_DB", db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the child server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the child printed its address")
            .expect("a line");
        // After libtest's `test serve_child ... ` on the same line.
        if let Some((_, addr)) = line.split_once("ADDR ") {
            break addr.trim().to_owned();
        }
    };
    Server {
        child,
        url: format!("http://{addr}/v1"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_pets_survive_kill_9_during_16_writers() {
    let dir =
        std::env::temp_dir().join(format!("specbind-kill9-{}", specbind::uuid::Uuid::new_v4()));
    let db = format!("sqlite:{}/petstore.db", dir.display());
    let mut server = spawn(&db);
    let client = Client::new(&server.url).expect("client");

    let acked = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let client = client.clone();
            let acked = acked.clone();
            tokio::spawn(async move {
                let mut created = Vec::new();
                let mut last_error = None;
                for i in 0.. {
                    let pet = NewPet {
                        name: format!("w{w}-{i}"),
                        tag: None,
                        status: NewPetStatus::Available,
                    };
                    match client.create_pet(pet).await {
                        Ok(pet) => {
                            created.push((pet.id, pet.name));
                            acked.fetch_add(1, Ordering::Relaxed);
                        }
                        // The server is gone.
                        Err(e) => {
                            last_error = Some(e.to_string());
                            break;
                        }
                    }
                }
                (created, last_error)
            })
        })
        .collect();
    while acked.load(Ordering::Relaxed) < BEFORE_KILL && !writers.iter().all(|w| w.is_finished()) {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let early = writers.iter().filter(|w| w.is_finished()).count();
    server.child.kill().expect("SIGKILL"); // kill -9, in the middle of the writes
    server.child.wait().expect("reaped");
    let mut created = Vec::new();
    let mut errors = Vec::new();
    for w in writers {
        let (pets, error) = w.await.expect("writer");
        created.extend(pets);
        errors.extend(error);
    }
    println!("{} pets acknowledged before the kill", created.len());
    assert_eq!(early, 0, "writers stopped before the kill: {errors:?}");
    assert!(created.len() >= BEFORE_KILL);

    let mut server = spawn(&db);
    let client = Client::new(&server.url).expect("client");
    let mut missing = Vec::new();
    for (id, name) in &created {
        match client.get_pet(*id).await {
            Ok(pet) if pet.name == *name => {}
            other => missing.push((*id, name.clone(), format!("{other:?}"))),
        }
    }
    server.child.kill().expect("kill");
    let _ = server.child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(missing.is_empty(), "lost after kill -9: {missing:?}");
}
