//! The generated petstore client against the generated petstore server over real HTTP on
//! 127.0.0.1: typed values both ways, and every error variant.

use std::time::Duration;

use specbind::client::{CallError, Operation as _};
use specbind_examples::handlers::{self, Store};
use specbind_examples::petstore::client::{
    Client, DeletePetError, GetPetError, ListPetsOk, UpdatePetError,
};
use specbind_examples::petstore::server;
use specbind_examples::petstore::types::{Error, NewPet, NewPetStatus};

async fn start(config: specbind::server::Config) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    let router = server::router_with(Store::default(), config);
    tokio::spawn(specbind::server::serve_on(listener, router));
    format!("http://{addr}/v1")
}

async fn petstore() -> Client {
    let url = start(handlers::spec_errors(handlers::config("k3y"))).await;
    Client::new(&url).expect("client")
}

fn rex(name: &str) -> NewPet {
    NewPet {
        name: name.into(),
        tag: Some("dog".into()),
        status: NewPetStatus::Pending,
    }
}

#[tokio::test]
async fn typed_values_both_ways() {
    let client = petstore().await;
    let created = client.create_pet(rex("rex")).await.expect("created");
    assert_eq!(created.name, "rex");
    assert_eq!(created.tag.as_deref(), Some("dog"));
    assert_eq!(created.status, NewPetStatus::Pending);
    assert!(created.id >= 1);
    assert!(created.created_at.is_some());

    let fetched = client.get_pet(created.id).await.expect("fetched");
    assert_eq!(fetched, created);

    let mut change = rex("rex");
    change.status = NewPetStatus::Sold;
    change.tag = None;
    let updated = client
        .update_pet(created.id, change)
        .await
        .expect("updated");
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.status, NewPetStatus::Sold);
    assert_eq!(updated.tag, None);
    assert_eq!(updated.created_at, created.created_at);
}

#[tokio::test]
async fn list_pages_carry_the_link_header() {
    let client = petstore().await;
    for name in ["a", "b", "c"] {
        client.create_pet(rex(name)).await.expect("created");
    }
    let ListPetsOk::Ok { body, link } = client.list_pets().limit(2).await.expect("page 1");
    assert_eq!(
        body.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    let link = link.expect("a next link");
    assert!(link.contains("rel=\"next\""), "{link}");
    let start = body[1].id.to_string();
    assert!(link.contains(&format!("start={start}")), "{link}");
    let ListPetsOk::Ok { body, link } = client
        .list_pets()
        .limit(2)
        .start(start)
        .await
        .expect("page 2");
    assert_eq!(
        body.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["c"]
    );
    assert_eq!(link, None);
}

#[tokio::test]
async fn declared_errors_are_typed() {
    let client = petstore().await;
    let err = client.get_pet(999).await.expect_err("no such pet");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    match err {
        CallError::Api {
            error: GetPetError::NotFound(Error { code, message }),
            ..
        } => {
            assert_eq!(code, 404);
            assert!(message.contains("999"), "{message}");
        }
        other => panic!("expected a typed 404, got {other:?}"),
    }
    let err = client
        .update_pet(999, rex("ghost"))
        .await
        .expect_err("no such pet");
    assert!(matches!(
        err.api_error(),
        Some(UpdatePetError::NotFound(Error { code: 404, .. }))
    ));

    // Security: without the key the server refuses; with it the pet goes.
    let pet = client.create_pet(rex("doomed")).await.expect("created");
    let err = client.delete_pet(pet.id).await.expect_err("no key");
    assert!(
        matches!(
            err.api_error(),
            Some(DeletePetError::Unauthorized(Error { code: 401, .. }))
        ),
        "{err:?}"
    );
    let wrong = client.clone().with_api_key("wrong");
    assert!(matches!(
        wrong
            .delete_pet(pet.id)
            .await
            .expect_err("bad key")
            .api_error(),
        Some(DeletePetError::Unauthorized(_))
    ));
    let admin = client.clone().with_api_key("k3y");
    admin
        .delete_pet(pet.id)
        .await
        .expect("deleted with the key");
    assert!(matches!(
        client.get_pet(pet.id).await.expect_err("gone").api_error(),
        Some(GetPetError::NotFound(_))
    ));
}

#[tokio::test]
async fn invalid_requests_are_refused_locally_with_the_servers_paths() {
    let client = petstore().await;
    let err = client
        .get_pet(0)
        .await
        .expect_err("petId below its minimum");
    let violations = err.violations().expect("refused before sending");
    let paths: Vec<String> = violations.iter().map(|v| v.path.clone()).collect();
    assert_eq!(paths, ["/path/petId"]);

    let err = client
        .create_pet(NewPet {
            name: String::new(),
            tag: Some("Not A Tag".into()),
            status: NewPetStatus::Available,
        })
        .await
        .expect_err("name too short, tag breaks its pattern");
    let mut paths: Vec<String> = err
        .violations()
        .expect("refused before sending")
        .iter()
        .map(|v| v.path.clone())
        .collect();
    paths.sort();
    assert_eq!(paths, ["/body/name", "/body/tag"]);

    // The server, asked directly, reports the same field.
    let url = start(handlers::config("k3y")).await;
    let raw = reqwest::get(format!("{url}/pets/0")).await.expect("sent");
    assert_eq!(raw.status().as_u16(), 400);
    let body: serde_json::Value =
        serde_json::from_slice(&raw.bytes().await.expect("body")).expect("json");
    assert_eq!(body["field"], "/path/petId");

    // Opting out sends it, and the server's declared 400 comes back typed.
    let err = client
        .get_pet(0)
        .skip_validation()
        .await
        .expect_err("the server refuses it");
    assert!(
        matches!(
            err.api_error(),
            Some(GetPetError::BadRequest(Error { code: 400, .. }))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn responses_that_break_the_spec_are_reported() {
    // With the default error envelope the server's own 401 is not the spec's `Error` model,
    // so it cannot decode as the declared 401.
    let url = start(handlers::config("k3y")).await;
    let client = Client::new(&url).expect("client");
    let pet = client.create_pet(rex("rex")).await.expect("created");
    let err = client.delete_pet(pet.id).await.expect_err("no key");
    match &err {
        CallError::InvalidResponse {
            status, message, ..
        } => {
            assert_eq!(status.as_u16(), 401);
            assert!(message.contains("code"), "{message}");
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn transport_failures_and_timeouts() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://{addr}/v1"))
        .retry(specbind::client::Retry::none())
        .build()
        .expect("client");
    let err = client.get_pet(1).await.expect_err("nobody listens");
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    assert_eq!(err.operation(), "getPet");

    // A server that accepts and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = silent.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let client = Client::new(&format!("http://{addr}/v1")).expect("client");
    let err = client
        .get_pet(1)
        .timeout(Duration::from_millis(200))
        .await
        .expect_err("no answer");
    assert!(
        matches!(err, CallError::Timeout { timeout, .. } if timeout == Duration::from_millis(200)),
        "{err:?}"
    );
}

#[test]
fn a_relative_base_url_is_refused() {
    let err = Client::new("/v1").expect_err("not absolute");
    assert!(err.to_string().contains("/v1"), "{err}");
}
