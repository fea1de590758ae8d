//! [`Memory`]: a [`Backend`] in process memory, with the same version and uniqueness rules as
//! the SQL backend. Nothing survives the process: for tests, benchmarks and examples.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Mutex, PoisonError};

use super::{Backend, Collection, Conflict, Document, KeyValue, PersistError, Version};

type Docs = BTreeMap<(&'static str, KeyValue), (Version, String)>;

/// Documents by collection and key, in memory.
#[derive(Debug, Default)]
pub struct Memory {
    docs: Mutex<Docs>,
    ids: Mutex<BTreeMap<&'static str, i64>>,
}

impl Memory {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes every document of `collection` and restarts its numbering.
    pub fn clear(&self, collection: &str) {
        self.docs(|d| d.retain(|(name, _), _| *name != collection));
        self.ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(collection);
    }

    fn docs<T>(&self, f: impl FnOnce(&mut Docs) -> T) -> T {
        f(&mut self.docs.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The first unique property of `c` whose value in `body` another document of `c` has.
fn taken(d: &Docs, c: &Collection, key: &KeyValue, body: &str) -> Option<&'static str> {
    if c.unique.is_empty() {
        return None;
    }
    let new: serde_json::Value = serde_json::from_str(body).ok()?;
    let first = (c.name, KeyValue::Int(i64::MIN));
    c.unique.iter().copied().find(|p| {
        let Some(v) = new.get(p).filter(|v| !v.is_null()) else {
            return false;
        };
        d.range(first.clone()..)
            .take_while(|((name, _), _)| *name == c.name)
            .filter(|((_, k), _)| k != key)
            .any(|(_, (_, other))| {
                serde_json::from_str::<serde_json::Value>(other).is_ok_and(|o| o.get(p) == Some(v))
            })
    })
}

fn conflict(c: &Collection, key: &KeyValue, conflict: Conflict) -> PersistError {
    PersistError::Conflict {
        collection: c.name,
        key: key.clone(),
        conflict,
    }
}

impl Backend for Memory {
    async fn get(&self, c: &Collection, key: &KeyValue) -> Result<Option<Document>, PersistError> {
        Ok(self.docs(|d| {
            d.get(&(c.name, key.clone()))
                .map(|(version, body)| Document {
                    key: key.clone(),
                    version: *version,
                    body: body.clone(),
                })
        }))
    }

    async fn insert(
        &self,
        c: &Collection,
        key: &KeyValue,
        body: &str,
    ) -> Result<Version, PersistError> {
        self.docs(|d| {
            if d.contains_key(&(c.name, key.clone())) {
                return Err(conflict(c, key, Conflict::Exists));
            }
            if let Some(property) = taken(d, c, key, body) {
                return Err(conflict(c, key, Conflict::Unique { property }));
            }
            d.insert((c.name, key.clone()), (1, body.to_owned()));
            Ok(1)
        })
    }

    async fn replace(
        &self,
        c: &Collection,
        key: &KeyValue,
        body: &str,
        expected: Version,
    ) -> Result<Version, PersistError> {
        self.docs(|d| {
            let k = (c.name, key.clone());
            match d.get(&k).map(|(v, _)| *v) {
                None => Err(PersistError::NotFound {
                    collection: c.name,
                    key: key.clone(),
                }),
                Some(actual) if actual != expected => {
                    Err(conflict(c, key, Conflict::Version { expected, actual }))
                }
                Some(_) => {
                    if let Some(property) = taken(d, c, key, body) {
                        return Err(conflict(c, key, Conflict::Unique { property }));
                    }
                    d.insert(k, (expected + 1, body.to_owned()));
                    Ok(expected + 1)
                }
            }
        })
    }

    async fn remove(
        &self,
        c: &Collection,
        key: &KeyValue,
        expected: Option<Version>,
    ) -> Result<bool, PersistError> {
        self.docs(|d| {
            let k = (c.name, key.clone());
            match (d.get(&k), expected) {
                (None, _) => Ok(false),
                (Some((actual, _)), Some(expected)) if *actual != expected => Err(conflict(
                    c,
                    key,
                    Conflict::Version {
                        expected,
                        actual: *actual,
                    },
                )),
                _ => Ok(d.remove(&k).is_some()),
            }
        })
    }

    async fn scan(
        &self,
        c: &Collection,
        after: Option<&KeyValue>,
        limit: u32,
    ) -> Result<Vec<Document>, PersistError> {
        let start = match after {
            Some(k) => Bound::Excluded((c.name, k.clone())),
            // `Int` sorts before `Text`: the smallest key of the collection.
            None => Bound::Included((c.name, KeyValue::Int(i64::MIN))),
        };
        Ok(self.docs(|d| {
            d.range((start, Bound::Unbounded))
                .take_while(|((name, _), _)| *name == c.name)
                .take(limit as usize)
                .map(|((_, key), (version, body))| Document {
                    key: key.clone(),
                    version: *version,
                    body: body.clone(),
                })
                .collect()
        }))
    }

    async fn next_id(&self, c: &Collection) -> Result<i64, PersistError> {
        let mut ids = self.ids.lock().unwrap_or_else(PoisonError::into_inner);
        let id = ids.entry(c.name).or_insert(0);
        *id += 1;
        Ok(*id)
    }
}
