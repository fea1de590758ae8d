//! Persistence of `x-persist` models: load by key, save with optimistic concurrency, delete,
//! and key+limit pagination.
//!
//! Two layers, as in klue (where `x-persist` names a class with `load_from_db`/`save_to_db`):
//!
//! - [`Backend`] moves JSON documents: a key, a version and the document's text, per
//!   collection. [`Db`] implements it over SQLite (embedded, the default) and PostgreSQL;
//!   [`Memory`] keeps documents in process memory. `x-persist: crate::store::MyStore` names
//!   a type of the author's that implements it, which the generated functions then take.
//! - [`Model`], implemented by the generated code for every persisted schema, ties a model
//!   to its collection and key. The typed functions here ([`load`], [`save`], [`list`], ...)
//!   are the only way generated code reaches a backend, so every model is validated before
//!   it is written and after it is read, whatever the backend.
//!
//! Every save names the version it replaces (`None` for a new document), so two writers that
//! read the same version cannot both win: the second gets [`PersistError::Conflict`], which a
//! generated server answers with 409.

mod memory;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use std::fmt;
use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::validate::{Validate, Violations};

pub use memory::Memory;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use sql::{Db, DbOptions};

/// The version of a stored document: 1 when inserted, one more at every update.
pub type Version = i64;

/// A boxed error from a backend's driver.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A model stored in a [`Backend`]. Generated for every schema with `x-persist`.
pub trait Model: Serialize + DeserializeOwned + Validate + Send + Sync + 'static {
    /// The type of the key property.
    type Key: Key;
    /// The collection (table) the model is stored in: the schema's name in snake case.
    const COLLECTION: Collection;
    /// The key of this value.
    fn key(&self) -> Self::Key;
}

/// What a backend needs to know about a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Collection {
    /// Name, `[a-z0-9_]`.
    pub name: &'static str,
    /// The key's kind.
    pub key: KeyKind,
    /// Top-level properties whose values must be unique across the collection
    /// (`x-persist: {unique: [name]}`).
    pub unique: &'static [&'static str],
}

/// Whether a collection's keys are integers or strings (this decides their order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Integer keys, in numeric order.
    Int,
    /// String keys (UUIDs included), in byte order.
    Text,
}

/// A key as a backend stores it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyValue {
    /// An integer key.
    Int(i64),
    /// A string key.
    Text(String),
}

impl fmt::Display for KeyValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(i) => write!(f, "{i}"),
            Self::Text(s) => write!(f, "{s:?}"),
        }
    }
}

/// The Rust type of a key property.
pub trait Key: Clone + fmt::Debug + Send + Sync + 'static {
    /// How the key is stored.
    const KIND: KeyKind;
    /// The stored form.
    fn to_value(&self) -> KeyValue;
}

macro_rules! int_key {
    ($($t:ty),*) => {$(
        impl Key for $t {
            const KIND: KeyKind = KeyKind::Int;
            fn to_value(&self) -> KeyValue {
                KeyValue::Int(i64::from(*self))
            }
        }
    )*};
}
int_key!(i64, i32, u32);

impl Key for String {
    const KIND: KeyKind = KeyKind::Text;
    fn to_value(&self) -> KeyValue {
        KeyValue::Text(self.clone())
    }
}

impl Key for uuid::Uuid {
    const KIND: KeyKind = KeyKind::Text;
    fn to_value(&self) -> KeyValue {
        KeyValue::Text(self.hyphenated().to_string())
    }
}

/// A stored document as a backend returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Its key.
    pub key: KeyValue,
    /// Its version.
    pub version: Version,
    /// The model, as JSON text.
    pub body: String,
}

/// A loaded model and the version it was loaded at, to pass back to [`save`].
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<M> {
    /// The model.
    pub value: M,
    /// The version it was stored at.
    pub version: Version,
}

impl<M> std::ops::Deref for Versioned<M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.value
    }
}

/// One page of a collection in key order, and the key to start the next page after.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<M: Model> {
    /// At most `limit` models.
    pub items: Vec<Versioned<M>>,
    /// The last key of this page when another page follows.
    pub next: Option<M::Key>,
}

/// Why a save was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// An insert found a document with the same key.
    Exists,
    /// An update or delete expected another version (someone else saved in between).
    Version {
        /// The version the caller had.
        expected: Version,
        /// The stored version.
        actual: Version,
    },
    /// Another document has the same value of a unique property.
    Unique {
        /// The property.
        property: &'static str,
    },
}

/// A persistence failure.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    /// No document has this key (an update of a missing document).
    #[error("no {collection} has key {key}")]
    NotFound {
        /// The collection.
        collection: &'static str,
        /// The key.
        key: KeyValue,
    },
    /// The save was refused: nothing was written.
    #[error("{collection} {key} was not saved: {}", conflict_text(.conflict))]
    Conflict {
        /// The collection.
        collection: &'static str,
        /// The key.
        key: KeyValue,
        /// Why.
        conflict: Conflict,
    },
    /// The model breaks the spec's constraints: it was not written.
    #[error("{collection} {key} was not saved, it breaks the spec: {violations}")]
    Invalid {
        /// The collection.
        collection: &'static str,
        /// The key.
        key: KeyValue,
        /// Every constraint it breaks.
        violations: Violations,
    },
    /// A stored document no longer reads as the model, or no longer meets the spec's
    /// constraints (the spec changed since it was written). It is left as it is.
    #[error("stored {collection} {key} (version {version}) no longer matches the spec: {reason}")]
    Stale {
        /// The collection.
        collection: &'static str,
        /// The key.
        key: KeyValue,
        /// Its version.
        version: Version,
        /// What is wrong.
        reason: String,
    },
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Backend(#[source] BoxError),
}

fn conflict_text(c: &Conflict) -> String {
    match c {
        Conflict::Exists => "a document with this key already exists".into(),
        Conflict::Version { expected, actual } => format!(
            "it was changed since it was read (expected version {expected}, stored version {actual})"
        ),
        Conflict::Unique { property } => {
            format!("another document has the same `{property}`")
        }
    }
}

/// A store of JSON documents, by collection and key. [`Db`] is the one specbind ships; a
/// schema's `x-persist: <rust path>` names another.
///
/// Implementations only move documents: the typed functions of this module validate and
/// (de)serialize. Each method is atomic.
pub trait Backend: Send + Sync {
    /// The document with `key`, if any.
    fn get(
        &self,
        c: &Collection,
        key: &KeyValue,
    ) -> impl Future<Output = Result<Option<Document>, PersistError>> + Send;

    /// Stores a new document at version 1; [`Conflict::Exists`] if the key is taken.
    fn insert(
        &self,
        c: &Collection,
        key: &KeyValue,
        body: &str,
    ) -> impl Future<Output = Result<Version, PersistError>> + Send;

    /// Replaces the document stored at version `expected`, returning the new version;
    /// [`PersistError::NotFound`] or [`Conflict::Version`] otherwise.
    fn replace(
        &self,
        c: &Collection,
        key: &KeyValue,
        body: &str,
        expected: Version,
    ) -> impl Future<Output = Result<Version, PersistError>> + Send;

    /// Removes the document (only at version `expected`, if given); whether one was removed.
    fn remove(
        &self,
        c: &Collection,
        key: &KeyValue,
        expected: Option<Version>,
    ) -> impl Future<Output = Result<bool, PersistError>> + Send;

    /// At most `limit` documents with keys after `after`, in key order.
    fn scan(
        &self,
        c: &Collection,
        after: Option<&KeyValue>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Document>, PersistError>> + Send;

    /// A new integer, never returned before for this collection (from 1).
    fn next_id(&self, c: &Collection) -> impl Future<Output = Result<i64, PersistError>> + Send;
}

fn decode<M: Model>(doc: Document) -> Result<Versioned<M>, PersistError> {
    let stale = |reason: String| PersistError::Stale {
        collection: M::COLLECTION.name,
        key: doc.key.clone(),
        version: doc.version,
        reason,
    };
    // Read once by serde_json alone; only a document that fails is read again, tracking the
    // path, to say where.
    let value: M = match serde_json::from_str(&doc.body) {
        Ok(value) => value,
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(&doc.body);
            serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let at = e.path().to_string();
                stale(format!("at `{at}`: {}", e.into_inner()))
            })?
        }
    };
    value.validate().map_err(|v| stale(v.to_string()))?;
    Ok(Versioned {
        value,
        version: doc.version,
    })
}

fn encode<M: Model>(value: &M) -> Result<(KeyValue, String), PersistError> {
    let key = value.key().to_value();
    if let Err(violations) = value.validate() {
        return Err(PersistError::Invalid {
            collection: M::COLLECTION.name,
            key,
            violations,
        });
    }
    let body = serde_json::to_string(value).map_err(|e| PersistError::Backend(Box::new(e)))?;
    Ok((key, body))
}

/// The model stored under `key`, validated; `None` if there is none.
pub async fn load<M: Model>(
    backend: &impl Backend,
    key: &M::Key,
) -> Result<Option<Versioned<M>>, PersistError> {
    match backend.get(&M::COLLECTION, &key.to_value()).await? {
        Some(doc) => decode(doc).map(Some),
        None => Ok(None),
    }
}

/// Saves `value` under its key: a new document when `expected` is `None`, else the
/// replacement of the document stored at version `expected`. The model is validated first
/// and nothing is written if it breaks the spec. Returns the stored version.
pub async fn save<M: Model>(
    backend: &impl Backend,
    value: &M,
    expected: Option<Version>,
) -> Result<Version, PersistError> {
    let (key, body) = encode(value)?;
    match expected {
        None => backend.insert(&M::COLLECTION, &key, &body).await,
        Some(v) => backend.replace(&M::COLLECTION, &key, &body, v).await,
    }
}

/// Removes the model stored under `key` (only at version `expected`, if given); whether one
/// was removed.
pub async fn delete<M: Model>(
    backend: &impl Backend,
    key: &M::Key,
    expected: Option<Version>,
) -> Result<bool, PersistError> {
    backend
        .remove(&M::COLLECTION, &key.to_value(), expected)
        .await
}

/// At most `limit` models (at least 1) with keys after `start`, in key order, and the key
/// to pass as `start` for the next page when there is one.
pub async fn list<M: Model>(
    backend: &impl Backend,
    start: Option<&M::Key>,
    limit: u32,
) -> Result<Page<M>, PersistError> {
    let limit = limit.max(1);
    let start = start.map(Key::to_value);
    let mut docs = backend
        .scan(&M::COLLECTION, start.as_ref(), limit.saturating_add(1))
        .await?;
    let more = docs.len() > limit as usize;
    docs.truncate(limit as usize);
    let items = docs
        .into_iter()
        .map(decode::<M>)
        .collect::<Result<Vec<_>, _>>()?;
    let next = if more {
        items.last().map(|m| m.value.key())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// A new integer key for `M`, never returned before by this backend.
pub async fn next_id<M: Model>(backend: &impl Backend) -> Result<i64, PersistError> {
    backend.next_id(&M::COLLECTION).await
}
