//! readOnly and writeOnly over real HTTP on 127.0.0.1 (`specs/accounts.yaml`): `id` and
//! `createdAt` are required and readOnly, `password` required and writeOnly. A create without
//! `id` is a 201; an `id` sent is not taken; no response carries a password; the store keeps
//! the full model; the generated client round-trips all of it. The strict variant
//! (`reject_read_only`) refuses an `id` with a 400 naming it.

use serde_json::{Value, json};
use specbind::persist::Db;
use specbind_examples::accounts::Accounts;
use specbind_examples::accounts_api::client::Client;
use specbind_examples::accounts_api::types::{Team, User, UserRequest};
use specbind_examples::{accounts_api, accounts_strict};

async fn start(router: specbind::__private::axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(specbind::server::serve_on(listener, router));
    format!("http://{addr}/v1")
}

async fn post(url: &str, body: Value) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("sent");
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(url: &str) -> Value {
    let text = reqwest::Client::new()
        .get(url)
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    serde_json::from_str(&text).expect("JSON")
}

/// Whether `v` has a key `key` anywhere.
fn has_key(v: &Value, key: &str) -> bool {
    match v {
        Value::Object(m) => m.contains_key(key) || m.values().any(|v| has_key(v, key)),
        Value::Array(a) => a.iter().any(|v| has_key(v, key)),
        _ => false,
    }
}

#[tokio::test]
async fn read_only_is_never_taken_and_write_only_never_sent() {
    let db = Db::memory();
    let base = start(accounts_api::server::router(Accounts::new(db.clone()))).await;
    let users = format!("{base}/users");

    // Required `id` and `createdAt` are not required of a request.
    let (status, ann) = post(&users, json!({"name": "ann", "password": "correct horse"})).await;
    assert_eq!(status, 201, "{ann}");
    assert!(ann["id"].as_i64().is_some_and(|id| id >= 1), "{ann}");
    assert!(ann["createdAt"].is_string(), "{ann}");
    assert!(!has_key(&ann, "password"), "{ann}");

    // An `id` (and a `createdAt`) sent are not taken.
    let (status, bob) = post(
        &users,
        json!({"id": 999, "createdAt": "2000-01-01T00:00:00Z", "name": "bob",
               "password": "hunter2hunter2", "team": {"name": "red", "joinCode": "xyzzy"}}),
    )
    .await;
    assert_eq!(status, 201, "{bob}");
    assert_ne!(bob["id"], 999, "{bob}");
    assert_ne!(bob["createdAt"], "2000-01-01T00:00:00Z", "{bob}");
    assert_eq!(
        bob["team"],
        json!({"name": "red"}),
        "a nested writeOnly property is left out too"
    );

    // The store has the full model: the passwords and the join code.
    let id = bob["id"].as_i64().expect("id");
    let stored = User::load(&db, id)
        .await
        .expect("load")
        .expect("stored")
        .value;
    assert_eq!(stored.password, "hunter2hunter2");
    assert_eq!(
        stored.team,
        Some(Team {
            name: "red".into(),
            join_code: Some("xyzzy".into())
        })
    );

    // No response carries a password, whatever the route.
    for body in [get(&users).await, get(&format!("{users}/{id}")).await] {
        assert!(
            !has_key(&body, "password") && !has_key(&body, "joinCode"),
            "{body}"
        );
        assert!(has_key(&body, "id"), "{body}");
    }
    let list = get(&users).await;
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");

    // A writeOnly property is still required of a request.
    let (status, e) = post(&users, json!({"name": "eve"})).await;
    assert_eq!(
        (status, e["field"].as_str()),
        (400, Some("/body/password")),
        "{e}"
    );
}

#[tokio::test]
async fn the_client_round_trips_the_views() {
    let db = Db::memory();
    let base = start(accounts_api::server::router(Accounts::new(db.clone()))).await;
    let client = Client::new(&base).expect("client");
    let created = client
        .create_user(UserRequest {
            name: "carol".into(),
            password: "open sesame".into(),
            team: Some(Team {
                name: "blue".into(),
                join_code: Some("s3cret".into()),
            }),
        })
        .await
        .expect("created");
    assert_eq!(created.name, "carol");
    assert_eq!(created.team.as_ref().map(|t| t.name.as_str()), Some("blue"));
    let fetched = client.get_user(created.id).await.expect("fetched");
    assert_eq!(fetched, created);
    let replaced = client
        .replace_user(
            created.id,
            UserRequest {
                name: "carol2".into(),
                password: "new password".into(),
                team: None,
            },
        )
        .await
        .expect("replaced");
    assert_eq!(
        (replaced.id, replaced.created_at, replaced.name.as_str()),
        (created.id, created.created_at, "carol2")
    );
    let stored = User::load(&db, created.id)
        .await
        .expect("load")
        .expect("stored");
    assert_eq!(stored.value.password, "new password");
    let all = client.list_users().await.expect("listed");
    assert_eq!(all, [replaced]);
}

#[tokio::test]
async fn reject_read_only_refuses_them_with_a_400_naming_the_field() {
    let base = start(accounts_strict::server::router(Accounts::new(Db::memory()))).await;
    let users = format!("{base}/users");
    let (status, e) = post(
        &users,
        json!({"id": 7, "name": "dan", "password": "long enough"}),
    )
    .await;
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["field"], "/body/id", "{e}");
    assert_eq!(e["violations"][0]["keyword"], "readOnly", "{e}");
    let (status, ok) = post(&users, json!({"name": "dan", "password": "long enough"})).await;
    assert_eq!(status, 201, "{ok}");
    assert!(!has_key(&ok, "password"), "{ok}");
}
