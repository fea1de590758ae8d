//! The runtime of specbind: what the models, servers and clients that `specbind-codegen`
//! generates from an OpenAPI or Swagger spec at build time link against. A user depends on
//! this crate and on `specbind-codegen` (a build dependency), and on nothing else.
//!
//! # From a spec to a served, called and stored model
//!
//! 1. **Generate.** `build.rs` runs `specbind_codegen::configure().spec("specs/pets.yaml")
//!    .server(true).client(true).compile()`; [`include_spec!`] brings the code into a module.
//!    A bad spec fails the build with every problem at its file, line and JSON pointer.
//! 2. **Models.** Each schema is a serde type that implements [`Validate`]: every JSON Schema
//!    constraint serde cannot express (`minLength`, `pattern` in linear time, `format`,
//!    bounds, `uniqueItems`, ...) is checked at once, each [`Violation`] with the JSON
//!    Pointer [`Path`] of its value. `format: byte` is [`Base64`]; `date-time` and `uuid` are
//!    [`chrono`] and [`uuid`] types. See [`validate`].
//! 3. **Serve** (feature `server`). Operations with `x-bind-server` are bound to your async
//!    functions, `async fn(Call<State>, Input) -> Result<Response, HandlerError>`
//!    ([`server::Call`], [`server::HandlerError`]). The generated `router(state)` decodes,
//!    authenticates ([`server::auth`]) and validates each request, calls the function and
//!    encodes its typed answer; every failure is a JSON envelope ([`server::ApiError`]).
//!    [`server::serve`] serves it with connection timeouts; [`server::Config`] holds the
//!    limits and switches: the spec at `/openapi.json` and the interactive API reference
//!    (Swagger UI, feature `docs`) at `/docs`.
//! 4. **Call** (feature `client`). Operations with `x-bind-client` are methods of the
//!    generated `Client`; each returns a call ([`client::Operation`]) with per-call options,
//!    whose result is the typed success or a [`client::CallError`] that tells a declared
//!    error from a transport failure. [`join!`] and [`client::fan_out`] run calls at once.
//! 5. **Trace.** Every request has a call ID and a call path ([`context::CallContext`]) that
//!    every client call made while serving it carries on, with a `tracing` span each.
//! 6. **Store** (features `sqlite`, `postgres`, or `persist`). A schema marked `x-persist`
//!    gets `insert`, `load`, `update`, `delete`, `list` and `next_id` over a [`persist::Db`]
//!    (SQLite, PostgreSQL or memory) or a [`persist::Backend`] of your own: validated before
//!    it is written and after it is read, every write naming the version it replaces.
//! 7. **Jobs** (feature `jobs`). An operation with `x-async: true` answers 202 with a job,
//!    run later by a worker ([`jobs::Jobs`]); its client call gives a
//!    [`client::JobHandle`] to wait on.
//!
//! ```ignore
//! mod pets {
//!     specbind::include_spec!("pets");
//! }
//!
//! #[specbind::tokio::main(crate = "specbind::tokio")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let db = specbind::persist::Db::open("sqlite:data/pets.db").await?;
//!     let listener = specbind::tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//!     specbind::tokio::spawn(specbind::server::serve_on(listener, pets::server::router(db)));
//!     // http://127.0.0.1:8080/docs: the API reference, "Try it out" against this server.
//!     let client = pets::client::Client::new("http://127.0.0.1:8080/v1")?;
//!     let rex = client.add_pet(pets::types::NewPet { name: "Rex".into() }).await?;
//!     assert_eq!(client.get_pet(rex.id).await?.name, "Rex");
//!     Ok(())
//! }
//! ```
//!
//! # Features
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `client` (default) | generated reqwest clients, [`client`], [`context`] |
//! | `rustls` | HTTPS for clients |
//! | `server` | generated axum servers, [`server`], with the `/docs` page (`docs`) |
//! | `router` | the servers without the `/docs` page (no Swagger UI compiled) |
//! | `docs` | Swagger UI at `/docs` (implies `router`) |
//! | `persist` | [`persist`]: stored `x-persist` models over a backend of your own |
//! | `sqlite`, `postgres` | [`persist::Db`] over SQLite or PostgreSQL (imply `persist`) |
//! | `jobs`, `amqp` | [`jobs`]: `x-async` operations, an in-process or a RabbitMQ queue |
//!
//! With `default-features = false` the crate is the models alone: [`Validate`] and its
//! helpers, serde, chrono and uuid.
//!
//! Generated code reaches what it needs through `::specbind::__private`, which is not a
//! public API.

#![cfg_attr(docsrs, feature(doc_cfg))]

// Jobs no longer bring SQLite with them: a PostgreSQL user need not compile it.
#[cfg(all(feature = "jobs", not(any(feature = "sqlite", feature = "postgres"))))]
compile_error!(
    "specbind's `jobs` feature keeps its job records in a `persist::Db`: add the `sqlite` or the `postgres` feature"
);

pub mod bytes;
#[cfg(feature = "client")]
pub mod client;
#[cfg(any(feature = "client", feature = "router"))]
pub mod context;
#[cfg(any(feature = "client", feature = "jobs"))]
mod job;
#[cfg(feature = "jobs")]
pub mod jobs;
#[cfg(feature = "persist")]
pub mod persist;
mod serde_helpers;
#[cfg(feature = "router")]
pub mod server;
pub mod validate;
mod view;

pub use bytes::Base64;

/// A string that is not one of an enum's values, from a generated enum's `FromStr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    got: String,
    expected: &'static [&'static str],
}

impl ParseEnumError {
    /// `got` is not one of `expected`.
    pub fn new(got: &str, expected: &'static [&'static str]) -> Self {
        Self {
            got: got.to_owned(),
            expected,
        }
    }
}

impl std::fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected one of ")?;
        for (i, e) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{e:?}")?;
        }
        write!(f, ", got {:?}", self.got)
    }
}

impl std::error::Error for ParseEnumError {}
pub use validate::{Path, Validate, Violation, Violations};

/// The date and time types of `format: date-time` and `format: date` values.
pub use chrono;
/// The async runtime generated servers and clients run on, for your `main`:
/// `#[specbind::tokio::main(crate = "specbind::tokio")]`.
#[cfg(any(feature = "client", feature = "router", feature = "persist"))]
pub use tokio;
/// The type of `format: uuid` values.
pub use uuid;

/// What generated code links against. Not a public API: it may change in
/// any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::ParseEnumError;
    pub use crate::bytes::Base64;
    #[cfg(feature = "client")]
    pub use crate::client;
    #[cfg(feature = "jobs")]
    pub use crate::jobs;
    #[cfg(feature = "persist")]
    pub use crate::persist;
    #[cfg(feature = "router")]
    pub use crate::server;
    #[cfg(feature = "client")]
    pub use crate::{__call as call, __job_call as job_call};
    // The items generated code names, re-exported here: a path through a crate the user
    // also depends on (`sb::serde_json::Value`) would be an `unused_qualifications` lint.
    pub use crate::serde_helpers::{double_option, non_null, tagged};
    pub use crate::validate::{Engine, Format, Path, Pattern, Validate, Violations, check};
    pub use crate::view::IntoView;
    #[cfg(feature = "router")]
    pub use axum;
    #[cfg(feature = "router")]
    pub use axum::{Router, http::StatusCode, routing};
    pub use chrono;
    pub use chrono::{DateTime, NaiveDate, Utc};
    #[cfg(feature = "client")]
    pub use reqwest::Method;
    pub use serde;
    pub use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub use serde_json;
    pub use serde_json::{Map, Value};
    #[cfg(feature = "client")]
    pub use tokio;
    pub use uuid;
    pub use uuid::Uuid;
}

/// Includes the code specbind generated for the spec named `$name` (by the
/// build script, under `$OUT_DIR/specbind/$name/mod.rs`).
///
/// ```ignore
/// pub mod petstore {
///     specbind::include_spec!("petstore");
/// }
/// ```
#[macro_export]
macro_rules! include_spec {
    ($name:literal) => {
        include!(concat!(env!("OUT_DIR"), "/specbind/", $name, "/mod.rs"));
    };
}
