//! Runtime of specbind: what the models, servers and clients that specbind
//! generates from OpenAPI specs at build time link against.
//!
//! A user depends only on this crate. Generated code reaches everything it
//! needs (serde, serde_json, chrono, uuid, the validation helpers) through
//! `::specbind::__private`, which is not a public API.
//!
//! The public API is small:
//!
//! - [`Validate`], implemented by every generated model, checks the JSON
//!   Schema constraints serde cannot express (`minLength`, `pattern`,
//!   `format`, `minimum`, `uniqueItems`, ...) and reports every
//!   [`Violation`] at once, each with the JSON Pointer [`Path`] of the
//!   offending value.
//! - [`Base64`], the type of `format: byte` strings.
//! - [`include_spec!`], which includes the code generated for one spec.

pub mod bytes;
#[cfg(feature = "client")]
pub mod client;
#[cfg(any(feature = "client", feature = "server"))]
pub mod context;
#[cfg(any(feature = "client", feature = "jobs"))]
mod job;
#[cfg(feature = "jobs")]
pub mod jobs;
#[cfg(feature = "persist")]
pub mod persist;
mod serde_helpers;
#[cfg(feature = "server")]
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
    #[cfg(feature = "server")]
    pub use crate::server;
    #[cfg(feature = "client")]
    pub use crate::{__call as call, __job_call as job_call};
    // The items generated code names, re-exported here: a path through a crate the user
    // also depends on (`sb::serde_json::Value`) would be an `unused_qualifications` lint.
    pub use crate::serde_helpers::{double_option, non_null, tagged};
    pub use crate::validate::{Engine, Format, Path, Pattern, Validate, Violations, check};
    pub use crate::view::IntoView;
    #[cfg(feature = "server")]
    pub use axum;
    #[cfg(feature = "server")]
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
