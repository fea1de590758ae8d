//! specbind's side: the generated models' verdicts and timings, by model name. Shared by the
//! driver and by the worker (`--worker`), which the driver runs from the baseline build so
//! that one run times specbind before and after on the same payloads.

use std::hint::black_box;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use specbind::Validate;

use crate::stats::per_call_at_least;

/// specbind's verdict from JSON text: deserialize into the generated type, then validate.
fn from_text<T: DeserializeOwned + Validate>(text: &str) -> Result<(), String> {
    let value: T = serde_json::from_str(text).map_err(|e| format!("deserialize: {e}"))?;
    value.validate().map_err(|v| format!("validate: {v}"))
}

/// specbind's verdict from a parsed `Value`: deserialize from it, then validate.
fn from_value<T: DeserializeOwned + Validate>(value: &Value) -> Result<(), String> {
    let value = T::deserialize(value).map_err(|e| format!("deserialize: {e}"))?;
    value.validate().map_err(|v| format!("validate: {v}"))
}

/// specbind's `validate()` alone, on the value deserialized once from `text`: seconds per
/// call, or `None` if `text` does not deserialize.
fn validate_only<T: DeserializeOwned + Validate>(
    text: &str,
    sample: Duration,
    min_calls: u64,
) -> Option<f64> {
    let value: T = serde_json::from_str(text).ok()?;
    Some(per_call_at_least(sample, min_calls, || {
        black_box(black_box(&value).validate().is_ok());
    }))
}

/// One generated model's functions.
#[derive(Clone, Copy)]
pub(crate) struct Model {
    pub(crate) text: fn(&str) -> Result<(), String>,
    pub(crate) value: fn(&Value) -> Result<(), String>,
    pub(crate) validate_only: fn(&str, Duration, u64) -> Option<f64>,
}

impl Model {
    fn of<T: DeserializeOwned + Validate>() -> Self {
        Self {
            text: from_text::<T>,
            value: from_value::<T>,
            validate_only: validate_only::<T>,
        }
    }
}

/// The model named `name`: `pets` (an array of petstore `Pet`s), `nested` (a `Node` tree),
/// `github` (GitHub's `Issue`) or `attack` (a `Link` with BeezUP's pattern).
pub(crate) fn model(name: &str) -> Option<Model> {
    use specbind_bench_validate::{attack, github, nested, petstore};
    Some(match name {
        "pets" => Model::of::<Vec<petstore::types::Pet>>(),
        "nested" => Model::of::<nested::types::Node>(),
        "github" => Model::of::<github::types::Issue>(),
        "attack" => Model::of::<attack::types::Link>(),
        _ => return None,
    })
}

/// How a payload is handed to the model when timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// JSON text: `serde_json::from_str::<T>` + `validate()`.
    Text,
    /// A parsed `serde_json::Value`: `T::deserialize(&value)` + `validate()`.
    Value,
    /// `validate()` alone, on the typed value deserialized once.
    ValidateOnly,
}

impl Input {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Value => "value",
            Self::ValidateOnly => "validate",
        }
    }

    pub(crate) fn from_word(word: &str) -> Option<Self> {
        [Self::Text, Self::Value, Self::ValidateOnly]
            .into_iter()
            .find(|i| i.word() == word)
    }
}

/// Seconds per call of `model` on `text` (and `value`, the same payload parsed), for at least
/// `sample` and `min_calls` calls; `None` for `validate()` alone on a payload that does not
/// deserialize.
pub(crate) fn time(
    model: Model,
    input: Input,
    text: &str,
    value: &Value,
    sample: Duration,
    min_calls: u64,
) -> Option<f64> {
    match input {
        Input::Text => Some(per_call_at_least(sample, min_calls, || {
            black_box((model.text)(black_box(text)).is_ok());
        })),
        Input::Value => Some(per_call_at_least(sample, min_calls, || {
            black_box((model.value)(black_box(value)).is_ok());
        })),
        Input::ValidateOnly => (model.validate_only)(text, sample, min_calls),
    }
}
