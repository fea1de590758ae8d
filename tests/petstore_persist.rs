//! The petstore service over a real database, through HTTP on 127.0.0.1: its pets outlive a
//! restart (SQLite file and PostgreSQL), pages follow `Link: <...>; rel="next"`, a taken name
//! is the spec's 409, and a database that goes away is a 503 envelope, not a crash.

use specbind_examples::handlers::{self, Store};
use specbind_examples::petstore::client::{Client, CreatePetError, ListPetsOk};
use specbind_examples::petstore::server;
use specbind_examples::petstore::types::{NewPet, NewPetStatus, Pet};

/// A running petstore over the database at `url`, stopped by `stop`.
struct Running {
    url: String,
    store: Store,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    async fn start(db_url: &str) -> Self {
        let store = Store::open(db_url).await.expect("open the database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let config = handlers::spec_errors(handlers::config("k3y"));
        let router = server::router_with(store.clone(), config);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(specbind::server::serve_until(listener, router, async {
            let _ = stopped.await;
        }));
        Self {
            url: format!("http://{addr}/v1"),
            store,
            stop,
            task,
        }
    }

    fn client(&self) -> Client {
        Client::new(&self.url).expect("client")
    }

    /// Stops serving, waits for the server to finish, and closes the database.
    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.expect("server task").expect("served");
        self.store.db().close().await;
    }
}

fn new_pet(name: &str) -> NewPet {
    NewPet {
        name: name.into(),
        tag: Some("cat".into()),
        status: NewPetStatus::Sold,
    }
}

fn temp_sqlite(test: &str) -> (String, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "specbind-{test}-{}",
        specbind::uuid::Uuid::new_v4()
    ));
    (format!("sqlite:{}/data/petstore.db", dir.display()), dir)
}

/// A PostgreSQL database for one test: its own schema-less table prefix is not configurable
/// through `Store::open`, so the test empties the `pet` table first.
async fn empty_postgres() -> String {
    let url = std::env::var("SPECBIND_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let db = specbind::persist::Db::open(&url).await.expect("PostgreSQL");
    db.drop_collection(&<Pet as specbind::persist::Model>::COLLECTION)
        .await
        .expect("drop");
    db.close().await;
    url
}

async fn pets_outlive_a_restart(db_url: &str) {
    let first = Running::start(db_url).await;
    let rex = first
        .client()
        .create_pet(new_pet("Rex"))
        .await
        .expect("created");
    let tom = first
        .client()
        .create_pet(new_pet("Tom"))
        .await
        .expect("created");
    first.stop().await;

    let second = Running::start(db_url).await;
    let client = second.client();
    assert_eq!(client.get_pet(rex.id).await.expect("still there"), rex);
    assert_eq!(client.get_pet(tom.id).await.expect("still there"), tom);
    // Numbering goes on after the restart: no id is given twice.
    let max = client.create_pet(new_pet("Max")).await.expect("created");
    assert!(max.id > tom.id, "{} after {}", max.id, tom.id);
    second.stop().await;
}

#[tokio::test]
async fn sqlite_pets_outlive_a_restart() {
    let (url, dir) = temp_sqlite("restart");
    pets_outlive_a_restart(&url).await;
    assert!(dir.join("data/petstore.db").is_file());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn postgres_pets_outlive_a_restart() {
    // Serialized with the other PostgreSQL test of this file: they share the `pet` table.
    let _one = PG.lock().await;
    let url = empty_postgres().await;
    pets_outlive_a_restart(&url).await;
}

static PG: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn pages_follow_link_headers(db_url: &str) {
    let running = Running::start(db_url).await;
    let client = running.client();
    let mut created = Vec::new();
    for i in 0..250 {
        created.push(
            client
                .create_pet(new_pet(&format!("pet-{i}")))
                .await
                .expect("created")
                .id,
        );
    }
    let http = reqwest::Client::new();
    let mut next = Some(format!("{}/pets?limit=100", running.url));
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut links = Vec::new();
    while let Some(url) = next.take() {
        let resp = http.get(&url).send().await.expect("GET");
        assert_eq!(resp.status(), 200);
        let link = resp
            .headers()
            .get("link")
            .map(|v| v.to_str().expect("ascii").to_owned());
        let page: Vec<Pet> =
            serde_json::from_slice(&resp.bytes().await.expect("body")).expect("pets");
        sizes.push(page.len());
        seen.extend(page.iter().map(|p| p.id));
        if let Some(link) = &link {
            let target = link
                .strip_prefix('<')
                .and_then(|l| l.split_once(">; rel=\"next\""))
                .map(|(t, _)| t)
                .expect("a rel=next link");
            next = Some(format!("{}{}", running.url.trim_end_matches("/v1"), target));
        }
        links.push(link);
    }
    assert_eq!(sizes, [100, 100, 50]);
    let last_of = |page: usize| created[page * 100 + 99];
    assert_eq!(
        links,
        [
            Some(format!(
                "</v1/pets?start={}&limit=100>; rel=\"next\"",
                last_of(0)
            )),
            Some(format!(
                "</v1/pets?start={}&limit=100>; rel=\"next\"",
                last_of(1)
            )),
            None,
        ]
    );
    assert_eq!(seen, created, "every pet once, in id order");

    // The generated client reads the same header.
    let first = client.list_pets().limit(100).await.expect("page");
    let ListPetsOk::Ok { body, link } = first;
    assert_eq!(body.len(), 100);
    assert!(link.is_some_and(|l| l.contains("rel=\"next\"")));
    running.stop().await;
}

#[tokio::test]
async fn sqlite_pages_follow_link_headers() {
    let (url, dir) = temp_sqlite("pages");
    pages_follow_link_headers(&url).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn postgres_pages_follow_link_headers() {
    let _one = PG.lock().await;
    let url = empty_postgres().await;
    pages_follow_link_headers(&url).await;
}

#[tokio::test]
async fn a_taken_name_is_a_409_and_a_lost_database_a_503() {
    let (url, dir) = temp_sqlite("conflict");
    let running = Running::start(&url).await;
    let client = running.client();
    client.create_pet(new_pet("Rex")).await.expect("created");
    let e = client.create_pet(new_pet("Rex")).await.unwrap_err();
    let Some(CreatePetError::Conflict(body)) = e.api_error() else {
        panic!("expected the declared 409, got {e}");
    };
    assert_eq!(body.code, 409);
    assert!(body.message.contains("Rex"), "{}", body.message);

    // The database goes away under the running server: a 503 in the spec's error model.
    running.store.db().close().await;
    let resp = reqwest::get(format!("{}/pets/1", running.url))
        .await
        .expect("GET");
    assert_eq!(resp.status(), 503);
    let body: serde_json::Value =
        serde_json::from_slice(&resp.bytes().await.expect("body")).expect("JSON");
    assert_eq!(body["code"], 503, "{body}");
    let _ = running.stop.send(());
    let _ = std::fs::remove_dir_all(dir);
}
