//! An author's own persistence backend, as `x-persist: crate::store::WidgetStore` names it in
//! `specs/features.yaml` (klue's short form): the generated `Widget::load` / `save` / ...
//! take a `&WidgetStore`. This one keeps documents in specbind's `Memory` and counts the
//! writes that reached it; a real one would talk to its own storage.

use std::sync::atomic::{AtomicU64, Ordering};

use specbind::persist::{Backend, Collection, Document, KeyValue, Memory, PersistError, Version};

/// Documents in memory, and how many writes were stored.
#[derive(Debug, Default)]
pub struct WidgetStore {
    docs: Memory,
    writes: AtomicU64,
}

impl WidgetStore {
    /// Writes stored so far (inserts, replacements, removals).
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }

    fn wrote<T>(&self, r: Result<T, PersistError>) -> Result<T, PersistError> {
        if r.is_ok() {
            self.writes.fetch_add(1, Ordering::Relaxed);
        }
        r
    }
}

impl Backend for WidgetStore {
    async fn get(&self, c: &Collection, key: &KeyValue) -> Result<Option<Document>, PersistError> {
        self.docs.get(c, key).await
    }

    async fn insert(
        &self,
        c: &Collection,
        key: &KeyValue,
        body: &str,
    ) -> Result<Version, PersistError> {
        self.wrote(self.docs.insert(c, key, body).await)
    }

    async fn replace(
        &self,
        c: &Collection,
        key: &KeyValue,
        body: &str,
        expected: Version,
    ) -> Result<Version, PersistError> {
        self.wrote(self.docs.replace(c, key, body, expected).await)
    }

    async fn remove(
        &self,
        c: &Collection,
        key: &KeyValue,
        expected: Option<Version>,
    ) -> Result<bool, PersistError> {
        self.wrote(self.docs.remove(c, key, expected).await)
    }

    async fn scan(
        &self,
        c: &Collection,
        after: Option<&KeyValue>,
        limit: u32,
    ) -> Result<Vec<Document>, PersistError> {
        self.docs.scan(c, after, limit).await
    }

    async fn next_id(&self, c: &Collection) -> Result<i64, PersistError> {
        self.docs.next_id(c).await
    }
}
