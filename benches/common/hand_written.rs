//! The petstore written by hand with axum, without specbind's server: axum's extractors,
//! `serde_json`, the query string read by hand, the API key compared by hand, tower-http's
//! timeout and catch-panic layers. It uses specbind's generated models, their `validate()`
//! and their persistence, as `src/handlers.rs` does, over the `Store`, `Error`, `NewPet`,
//! `Pet` and `axum` of the module that includes it.
//!
//! One file, three users: `benches/server.rs` (throughput over sockets) and
//! `examples/router_calls.rs` (instructions under callgrind) include it with `#[path]`;
//! `bench/` copies it into a scratch crate to time its build against the generated server's.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRef, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use specbind::Validate;
use specbind::chrono::Utc;
use specbind::persist::PersistError;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use super::{Error, NewPet, Pet, Store, axum};

/// The router's state: the store, and the API key `DELETE` requires.
#[derive(Debug, Clone)]
struct App {
    store: Store,
    api_key: Arc<str>,
}

impl FromRef<App> for Store {
    fn from_ref(app: &App) -> Self {
        app.store.clone()
    }
}

/// The routes, a JSON 404 for other paths, a 30 s timeout and panics as 500. `DELETE`
/// requires `api_key` in `X-Api-Key`.
pub(crate) fn router(store: Store, api_key: &str) -> Router {
    Router::new()
        .route("/v1/pets", get(list_pets).post(create_pet))
        .route(
            "/v1/pets/{petId}",
            get(get_pet).put(update_pet).delete(delete_pet),
        )
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no route matches this path".into()) })
        .with_state(App {
            store,
            api_key: api_key.into(),
        })
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
}

fn json(status: StatusCode, body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn error(status: StatusCode, message: String) -> Response {
    let code = i32::from(status.as_u16());
    json(status, &Error { code, message })
}

fn not_found(id: i64) -> Response {
    error(StatusCode::NOT_FOUND, format!("no pet has id {id}"))
}

fn failed(e: &PersistError) -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, e.to_string())
}

/// 400 for a `petId` below 1 (the spec's minimum).
fn bad_id() -> Response {
    error(StatusCode::BAD_REQUEST, "`petId` must be at least 1".into())
}

/// A JSON `NewPet` body, validated, or the error response.
#[allow(clippy::result_large_err)]
fn new_pet(headers: &HeaderMap, body: &Bytes) -> Result<NewPet, Response> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        let message = "the body must be `application/json`".into();
        return Err(error(StatusCode::UNSUPPORTED_MEDIA_TYPE, message));
    }
    let new: NewPet = serde_json::from_slice(body)
        .map_err(|e| error(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))?;
    if let Err(violations) = new.validate() {
        let message = format!("{} constraint(s) broken", violations.len());
        return Err(error(StatusCode::BAD_REQUEST, message));
    }
    Ok(new)
}

/// `GET /v1/pets?limit&start`: a page of pets in id order, after `start`.
async fn list_pets(State(store): State<Store>, RawQuery(query): RawQuery) -> Response {
    let (mut limit, mut start) = (20u32, None);
    for pair in query.as_deref().unwrap_or("").split('&') {
        match pair.split_once('=') {
            Some(("limit", v)) => match v.parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => limit = n,
                _ => {
                    let message = "`limit` must be an integer from 1 to 100".into();
                    return error(StatusCode::BAD_REQUEST, message);
                }
            },
            Some(("start", v)) => match v.parse::<i64>() {
                Ok(s) => start = Some(s),
                Err(_) => {
                    return error(StatusCode::BAD_REQUEST, "`start` must be a pet id".into());
                }
            },
            _ => {}
        }
    }
    let page = match Pet::list(store.db(), start, limit).await {
        Ok(page) => page,
        Err(e) => return failed(&e),
    };
    let pets: Vec<Pet> = page.items.into_iter().map(|p| p.value).collect();
    let mut response = json(StatusCode::OK, &pets);
    if let Some(next) = page.next {
        let link = format!("</v1/pets?start={next}&limit={limit}>; rel=\"next\"");
        if let Ok(v) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, v);
        }
    }
    response
}

/// `POST /v1/pets`: a JSON `NewPet`, validated, with a name no other pet has.
async fn create_pet(State(store): State<Store>, headers: HeaderMap, body: Bytes) -> Response {
    let new = match new_pet(&headers, &body) {
        Ok(new) => new,
        Err(response) => return response,
    };
    let id = match Pet::next_id(store.db()).await {
        Ok(id) => id,
        Err(e) => return failed(&e),
    };
    let pet = Pet {
        id,
        name: new.name,
        tag: new.tag,
        status: new.status,
        created_at: Some(Utc::now()),
    };
    match pet.insert(store.db()).await {
        Ok(_) => json(StatusCode::CREATED, &pet),
        Err(PersistError::Conflict { .. }) => error(
            StatusCode::CONFLICT,
            format!("a pet named {:?} already exists", pet.name),
        ),
        Err(e) => failed(&e),
    }
}

/// `GET /v1/pets/{petId}`.
async fn get_pet(State(store): State<Store>, Path(id): Path<i64>) -> Response {
    if id < 1 {
        return bad_id();
    }
    match Pet::load(store.db(), id).await {
        Ok(Some(pet)) => json(StatusCode::OK, &pet.value),
        Ok(None) => not_found(id),
        Err(e) => failed(&e),
    }
}

/// `PUT /v1/pets/{petId}`: replaces the version it read; a concurrent change is a 409.
async fn update_pet(
    State(store): State<Store>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if id < 1 {
        return bad_id();
    }
    let new = match new_pet(&headers, &body) {
        Ok(new) => new,
        Err(response) => return response,
    };
    let old = match Pet::load(store.db(), id).await {
        Ok(Some(old)) => old,
        Ok(None) => return not_found(id),
        Err(e) => return failed(&e),
    };
    let pet = Pet {
        id,
        name: new.name,
        tag: new.tag,
        status: new.status,
        created_at: old.value.created_at,
    };
    match pet.update(store.db(), old.version).await {
        Ok(_) => json(StatusCode::OK, &pet),
        Err(PersistError::NotFound { .. }) => not_found(id),
        Err(PersistError::Conflict { .. }) => error(
            StatusCode::CONFLICT,
            "the pet was changed by another request, or its name is taken".into(),
        ),
        Err(e) => failed(&e),
    }
}

/// `DELETE /v1/pets/{petId}`, with the API key.
async fn delete_pet(State(app): State<App>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let key = headers.get("x-api-key").map(HeaderValue::as_bytes);
    if key != Some(app.api_key.as_bytes()) {
        let message = "a valid API key is required in `X-Api-Key`".into();
        return error(StatusCode::UNAUTHORIZED, message);
    }
    if id < 1 {
        return bad_id();
    }
    match Pet::delete(app.store.db(), id, None).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => not_found(id),
        Err(e) => failed(&e),
    }
}
