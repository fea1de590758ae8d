//! [`Db`]: the [`Backend`] over SQL databases through sqlx. SQLite (embedded, a file or in
//! memory) and PostgreSQL share every statement but a few words of dialect.
//!
//! Each collection is a table `<prefix><collection>` of `(key, version, doc)`: the key is the
//! primary key (`BIGINT` or `TEXT`), `doc` the model's JSON (`TEXT` in SQLite, `JSONB` in
//! PostgreSQL). Unique properties are unique indexes on the document's field. Tables are
//! created on first use of a collection, or by [`Db::migrate`]. Every write is one statement,
//! so it is atomic; updates and deletes compare the version in the same statement.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

use super::{Backend, Collection, Conflict, Document, KeyKind, KeyValue, PersistError, Version};

/// How a [`Db`] is set up.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DbOptions {
    /// Prepended to every table's name (default `specbind_`), so several services or test
    /// runs can share one database. `[a-z0-9_]` only.
    pub table_prefix: String,
    /// Connections in the pool (default 8; an in-memory SQLite database always has one).
    pub max_connections: u32,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            table_prefix: "specbind_".into(),
            max_connections: 8,
        }
    }
}

impl DbOptions {
    /// Sets [`DbOptions::table_prefix`].
    #[must_use]
    pub fn table_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.table_prefix = prefix.into();
        self
    }

    /// Sets [`DbOptions::max_connections`].
    #[must_use]
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = n.max(1);
        self
    }
}

/// The database [`Backend`]: SQLite or PostgreSQL, chosen by the URL given to [`Db::open`].
/// Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    pool: AnyPool,
    prefix: String,
    /// The statements of every collection whose table exists.
    tables: Mutex<HashMap<&'static str, Arc<Statements>>>,
    /// Held while creating tables, so concurrent first uses create each table once.
    migrating: tokio::sync::Mutex<()>,
}

enum AnyPool {
    Memory(super::Memory),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend_name())
            .field("table_prefix", &self.inner.prefix)
            .finish_non_exhaustive()
    }
}

fn backend_error(e: impl Into<super::BoxError>) -> PersistError {
    PersistError::Backend(e.into())
}

/// Table prefixes and collection names go into SQL unquoted by parameters: `[a-z0-9_]` only.
fn identifier(what: &str, s: &str) -> Result<(), PersistError> {
    if s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(())
    } else {
        Err(backend_error(format!(
            "{what} {s:?} may only have a-z, 0-9 and _"
        )))
    }
}

/// The table of [`Backend::next_id`] numbering, one row per collection.
fn sequences_table(prefix: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS \"{prefix}sequences\" (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"
    )
}

impl Db {
    /// Opens the database at `url`:
    ///
    /// - `sqlite:path/to/file.db` (created with its folder if missing) or `sqlite::memory:`;
    /// - `postgres://user@host:port/database` (or `postgresql://`);
    /// - `memory:`: [`Memory`](super::Memory), nothing kept past the process.
    pub async fn open(url: &str) -> Result<Self, PersistError> {
        Self::open_with(url, DbOptions::default()).await
    }

    /// [`Db::open`] with options.
    pub async fn open_with(url: &str, options: DbOptions) -> Result<Self, PersistError> {
        identifier("table prefix", &options.table_prefix)?;
        let pool = if url == "memory:" {
            AnyPool::Memory(super::Memory::new())
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            open_sqlite(rest, &options).await?
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            open_postgres(url, &options).await?
        } else {
            return Err(backend_error(format!(
                "unknown database URL {url:?}: expected sqlite:<path>, sqlite::memory: or postgres://..."
            )));
        };
        Ok(Self::with_pool(pool, options))
    }

    /// An SQLite database in the file at `path` (created with its folder if missing).
    #[cfg(feature = "sqlite")]
    pub async fn sqlite(path: impl AsRef<std::path::Path>) -> Result<Self, PersistError> {
        Self::open(&format!("sqlite:{}", path.as_ref().display())).await
    }

    /// Documents in process memory ([`Memory`](super::Memory)): no file, nothing kept.
    pub fn memory() -> Self {
        Self::with_pool(AnyPool::Memory(super::Memory::new()), DbOptions::default())
    }

    fn with_pool(pool: AnyPool, options: DbOptions) -> Self {
        Self {
            inner: Arc::new(Inner {
                pool,
                prefix: options.table_prefix,
                tables: Mutex::new(HashMap::new()),
                migrating: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// `memory`, `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match &self.inner.pool {
            AnyPool::Memory(_) => "memory",
            #[cfg(feature = "sqlite")]
            AnyPool::Sqlite(_) => "sqlite",
            #[cfg(feature = "postgres")]
            AnyPool::Postgres(_) => "postgres",
        }
    }

    /// Creates the table (and unique indexes) of `collection` if they do not exist. Done on
    /// first use anyway; call it at startup to find a database problem early.
    pub async fn migrate(&self, collection: &Collection) -> Result<(), PersistError> {
        if let AnyPool::Memory(_) = &self.inner.pool {
            return Ok(());
        }
        self.statements(collection).await.map(drop)
    }

    /// Closes every connection; later calls fail. Waits for calls in progress.
    pub async fn close(&self) {
        match &self.inner.pool {
            AnyPool::Memory(_) => {}
            #[cfg(feature = "sqlite")]
            AnyPool::Sqlite(p) => p.close().await,
            #[cfg(feature = "postgres")]
            AnyPool::Postgres(p) => p.close().await,
        }
    }

    /// Drops the table of `collection` and everything in it, and restarts its
    /// [`next_id`](Backend::next_id) numbering (for tests and tools).
    pub async fn drop_collection(&self, collection: &Collection) -> Result<(), PersistError> {
        let prefix = &self.inner.prefix;
        let name = collection.name;
        identifier("collection name", name)?;
        let sql = [
            format!("DROP TABLE IF EXISTS \"{prefix}{name}\""),
            sequences_table(prefix),
            format!("DELETE FROM \"{prefix}sequences\" WHERE name = '{name}'"),
        ];
        self.inner
            .tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(collection.name);
        match &self.inner.pool {
            AnyPool::Memory(m) => {
                m.clear(collection.name);
                Ok(())
            }
            #[cfg(feature = "sqlite")]
            AnyPool::Sqlite(p) => Sql::new(p).execute_all(&sql).await,
            #[cfg(feature = "postgres")]
            AnyPool::Postgres(p) => Sql::new(p).migrate_locked(&sql).await,
        }
    }

    async fn statements(&self, c: &Collection) -> Result<Arc<Statements>, PersistError> {
        if let Some(s) = self.cached(c) {
            return Ok(s);
        }
        let _guard = self.inner.migrating.lock().await;
        if let Some(s) = self.cached(c) {
            return Ok(s);
        }
        identifier("collection name", c.name)?;
        let statements = match &self.inner.pool {
            AnyPool::Memory(_) => return Err(backend_error("an in-memory store has no tables")),
            #[cfg(feature = "sqlite")]
            AnyPool::Sqlite(p) => {
                let s = Statements::new::<Sqlite>(&self.inner.prefix, c);
                Sql::new(p).execute_all(&s.create).await?;
                s
            }
            #[cfg(feature = "postgres")]
            AnyPool::Postgres(p) => {
                let s = Statements::new::<Postgres>(&self.inner.prefix, c);
                Sql::new(p).migrate_locked(&s.create).await?;
                s
            }
        };
        let statements = Arc::new(statements);
        self.inner
            .tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(c.name, statements.clone());
        Ok(statements)
    }

    fn cached(&self, c: &Collection) -> Option<Arc<Statements>> {
        self.inner
            .tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(c.name)
            .cloned()
    }
}

#[cfg(feature = "sqlite")]
async fn open_sqlite(rest: &str, options: &DbOptions) -> Result<AnyPool, PersistError> {
    use sqlx::sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
    };
    let pool = SqlitePoolOptions::new();
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let (connect, pool) = if path == ":memory:" || path.is_empty() {
        // One connection that never closes: the database lives as long as the pool.
        let connect = SqliteConnectOptions::new().in_memory(true);
        let pool = pool
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
        (connect, pool)
    } else {
        let path = std::path::Path::new(path);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(backend_error)?;
        }
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(30));
        (connect, pool.max_connections(options.max_connections))
    };
    let pool = pool.connect_with(connect).await.map_err(backend_error)?;
    Ok(AnyPool::Sqlite(pool))
}

#[cfg(not(feature = "sqlite"))]
async fn open_sqlite(_: &str, _: &DbOptions) -> Result<AnyPool, PersistError> {
    Err(backend_error(
        "this build of specbind has no SQLite: enable its `sqlite` feature",
    ))
}

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str, options: &DbOptions) -> Result<AnyPool, PersistError> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(options.max_connections)
        .connect(url)
        .await
        .map_err(backend_error)?;
    Ok(AnyPool::Postgres(pool))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(_: &str, _: &DbOptions) -> Result<AnyPool, PersistError> {
    Err(backend_error(
        "this build of specbind has no PostgreSQL: enable its `postgres` feature",
    ))
}

/// The words in which the two databases differ.
trait Dialect {
    /// The column type of keys of `kind`.
    fn key_type(kind: KeyKind) -> &'static str;
    /// The column type of documents.
    const DOC_TYPE: &'static str;
    /// The `n`th parameter.
    fn param(n: usize) -> String;
    /// A parameter holding a document's text, as stored.
    fn doc_param(n: usize) -> String;
    /// The document column, read as text.
    const DOC_TEXT: &'static str;
    /// The top-level property `name` of the document, as text.
    fn field(name: &str) -> String;
}

#[cfg(feature = "sqlite")]
struct Sqlite;

#[cfg(feature = "sqlite")]
impl Dialect for Sqlite {
    fn key_type(kind: KeyKind) -> &'static str {
        match kind {
            KeyKind::Int => "INTEGER",
            KeyKind::Text => "TEXT",
        }
    }
    const DOC_TYPE: &'static str = "TEXT";
    fn param(n: usize) -> String {
        format!("?{n}")
    }
    fn doc_param(n: usize) -> String {
        format!("?{n}")
    }
    const DOC_TEXT: &'static str = "doc";
    fn field(name: &str) -> String {
        format!("json_extract(doc, '$.\"{name}\"')")
    }
}

#[cfg(feature = "postgres")]
struct Postgres;

#[cfg(feature = "postgres")]
impl Dialect for Postgres {
    fn key_type(kind: KeyKind) -> &'static str {
        match kind {
            KeyKind::Int => "BIGINT",
            KeyKind::Text => "TEXT",
        }
    }
    const DOC_TYPE: &'static str = "JSONB";
    fn param(n: usize) -> String {
        format!("${n}")
    }
    fn doc_param(n: usize) -> String {
        format!("${n}::jsonb")
    }
    const DOC_TEXT: &'static str = "doc::text";
    fn field(name: &str) -> String {
        format!("(doc->>'{name}')")
    }
}

/// The unique index of `property`, cut to PostgreSQL's 63 bytes as PostgreSQL would cut it,
/// so a violation's constraint name can be matched.
fn index_name(table: &str, property: &str) -> String {
    let mut name = format!("{table}_u_{property}");
    name.truncate(63);
    name
}

/// A collection's SQL, written once when its table is first used.
struct Statements {
    table: String,
    kind: KeyKind,
    create: Vec<String>,
    get: String,
    version: String,
    insert: String,
    replace: String,
    remove: String,
    remove_at: String,
    scan: String,
    scan_after: String,
    next_id: String,
}

impl Statements {
    fn new<D: Dialect>(prefix: &str, c: &Collection) -> Self {
        let table = format!("{prefix}{}", c.name);
        let t = format!("\"{table}\"");
        let p = D::param;
        let doc = D::DOC_TEXT;
        let mut create = vec![
            format!(
                "CREATE TABLE IF NOT EXISTS {t} (key {} PRIMARY KEY, version BIGINT NOT NULL, doc {} NOT NULL)",
                D::key_type(c.key),
                D::DOC_TYPE
            ),
            sequences_table(prefix),
        ];
        for property in c.unique {
            create.push(format!(
                "CREATE UNIQUE INDEX IF NOT EXISTS \"{}\" ON {t} ({})",
                index_name(&table, property),
                D::field(property)
            ));
        }
        Self {
            create,
            get: format!("SELECT key, version, {doc} FROM {t} WHERE key = {}", p(1)),
            version: format!("SELECT version FROM {t} WHERE key = {}", p(1)),
            insert: format!(
                "INSERT INTO {t} (key, version, doc) VALUES ({}, 1, {})",
                p(1),
                D::doc_param(2)
            ),
            replace: format!(
                "UPDATE {t} SET doc = {}, version = version + 1 WHERE key = {} AND version = {} RETURNING version",
                D::doc_param(1),
                p(2),
                p(3)
            ),
            remove: format!("DELETE FROM {t} WHERE key = {} RETURNING version", p(1)),
            remove_at: format!(
                "DELETE FROM {t} WHERE key = {} AND version = {} RETURNING version",
                p(1),
                p(2)
            ),
            scan: format!(
                "SELECT key, version, {doc} FROM {t} ORDER BY key LIMIT {}",
                p(1)
            ),
            scan_after: format!(
                "SELECT key, version, {doc} FROM {t} WHERE key > {} ORDER BY key LIMIT {}",
                p(1),
                p(2)
            ),
            next_id: format!(
                "INSERT INTO \"{prefix}sequences\" (name, value) VALUES ({}, 1) \
                 ON CONFLICT (name) DO UPDATE SET value = \"{prefix}sequences\".value + 1 RETURNING value",
                p(1)
            ),
            table,
            kind: c.key,
        }
    }

    /// The conflict a unique violation stands for: a unique property's index, or the key.
    fn unique_conflict(&self, c: &Collection, e: &dyn sqlx::error::DatabaseError) -> Conflict {
        let text = format!("{} {}", e.message(), e.constraint().unwrap_or_default());
        c.unique
            .iter()
            .find(|p| text.contains(&index_name(&self.table, p)))
            .map_or(Conflict::Exists, |property| Conflict::Unique { property })
    }
}

/// The statements of one database, generic over sqlx's drivers.
struct Sql<'p, DB: Database> {
    pool: &'p Pool<DB>,
    _db: PhantomData<DB>,
}

impl<'p, DB> Sql<'p, DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    fn new(pool: &'p Pool<DB>) -> Self {
        Self {
            pool,
            _db: PhantomData,
        }
    }

    async fn execute_all(&self, statements: &[String]) -> Result<(), PersistError> {
        let mut tx = self.pool.begin().await.map_err(backend_error)?;
        for s in statements {
            sqlx::query::<DB>(s)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
        }
        tx.commit().await.map_err(backend_error)
    }

    /// `execute_all` under a transaction-scoped advisory lock, so processes starting together
    /// do not race to create the same table.
    #[cfg(feature = "postgres")]
    async fn migrate_locked(&self, statements: &[String]) -> Result<(), PersistError> {
        let lock = "SELECT pg_advisory_xact_lock(7363646)".to_owned();
        let all: Vec<String> = std::iter::once(lock)
            .chain(statements.iter().cloned())
            .collect();
        self.execute_all(&all).await
    }

    fn bind_key<'q>(
        q: sqlx::query::Query<'q, DB, DB::Arguments<'q>>,
        key: &KeyValue,
    ) -> sqlx::query::Query<'q, DB, DB::Arguments<'q>> {
        match key {
            KeyValue::Int(i) => q.bind(*i),
            KeyValue::Text(s) => q.bind(s.clone()),
        }
    }

    fn document(s: &Statements, row: &DB::Row) -> Result<Document, PersistError> {
        let key = match s.kind {
            KeyKind::Int => KeyValue::Int(row.try_get::<i64, _>(0).map_err(backend_error)?),
            KeyKind::Text => KeyValue::Text(row.try_get::<String, _>(0).map_err(backend_error)?),
        };
        Ok(Document {
            key,
            version: row.try_get::<i64, _>(1).map_err(backend_error)?,
            body: row.try_get::<String, _>(2).map_err(backend_error)?,
        })
    }

    async fn get(&self, s: &Statements, key: &KeyValue) -> Result<Option<Document>, PersistError> {
        let row = Self::bind_key(sqlx::query(&s.get), key)
            .fetch_optional(self.pool)
            .await
            .map_err(backend_error)?;
        row.map(|r| Self::document(s, &r)).transpose()
    }

    async fn version(
        &self,
        s: &Statements,
        key: &KeyValue,
    ) -> Result<Option<Version>, PersistError> {
        let row = Self::bind_key(sqlx::query(&s.version), key)
            .fetch_optional(self.pool)
            .await
            .map_err(backend_error)?;
        row.map(|r| r.try_get::<i64, _>(0).map_err(backend_error))
            .transpose()
    }

    /// Maps a write's error: a unique violation is a conflict, anything else the database's.
    fn write_error(s: &Statements, c: &Collection, key: &KeyValue, e: sqlx::Error) -> PersistError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => PersistError::Conflict {
                collection: c.name,
                key: key.clone(),
                conflict: s.unique_conflict(c, db.as_ref()),
            },
            _ => backend_error(e),
        }
    }

    async fn insert(
        &self,
        s: &Statements,
        c: &Collection,
        key: &KeyValue,
        body: &str,
    ) -> Result<Version, PersistError> {
        Self::bind_key(sqlx::query(&s.insert), key)
            .bind(body.to_owned())
            .execute(self.pool)
            .await
            .map_err(|e| Self::write_error(s, c, key, e))?;
        Ok(1)
    }

    async fn replace(
        &self,
        s: &Statements,
        c: &Collection,
        key: &KeyValue,
        body: &str,
        expected: Version,
    ) -> Result<Version, PersistError> {
        let q = sqlx::query(&s.replace).bind(body.to_owned());
        let row = Self::bind_key(q, key)
            .bind(expected)
            .fetch_optional(self.pool)
            .await
            .map_err(|e| Self::write_error(s, c, key, e))?;
        if let Some(row) = row {
            return row.try_get::<i64, _>(0).map_err(backend_error);
        }
        Err(self.mismatch(s, c, key, expected).await)
    }

    /// Why a write at version `expected` matched no row.
    async fn mismatch(
        &self,
        s: &Statements,
        c: &Collection,
        key: &KeyValue,
        expected: Version,
    ) -> PersistError {
        match self.version(s, key).await {
            Ok(Some(actual)) => PersistError::Conflict {
                collection: c.name,
                key: key.clone(),
                conflict: Conflict::Version { expected, actual },
            },
            Ok(None) => PersistError::NotFound {
                collection: c.name,
                key: key.clone(),
            },
            Err(e) => e,
        }
    }

    async fn remove(
        &self,
        s: &Statements,
        c: &Collection,
        key: &KeyValue,
        expected: Option<Version>,
    ) -> Result<bool, PersistError> {
        let q = match expected {
            None => Self::bind_key(sqlx::query(&s.remove), key),
            Some(v) => Self::bind_key(sqlx::query(&s.remove_at), key).bind(v),
        };
        let removed = q.fetch_optional(self.pool).await.map_err(backend_error)?;
        if removed.is_some() {
            return Ok(true);
        }
        match expected {
            None => Ok(false),
            Some(v) => match self.mismatch(s, c, key, v).await {
                PersistError::NotFound { .. } => Ok(false),
                e => Err(e),
            },
        }
    }

    async fn scan(
        &self,
        s: &Statements,
        after: Option<&KeyValue>,
        limit: u32,
    ) -> Result<Vec<Document>, PersistError> {
        let q = match after {
            None => sqlx::query(&s.scan),
            Some(k) => Self::bind_key(sqlx::query(&s.scan_after), k),
        };
        let rows = q
            .bind(i64::from(limit))
            .fetch_all(self.pool)
            .await
            .map_err(backend_error)?;
        rows.iter().map(|r| Self::document(s, r)).collect()
    }

    async fn next_id(&self, s: &Statements, c: &Collection) -> Result<i64, PersistError> {
        let row = sqlx::query(&s.next_id)
            .bind(c.name.to_owned())
            .fetch_one(self.pool)
            .await
            .map_err(backend_error)?;
        row.try_get::<i64, _>(0).map_err(backend_error)
    }
}

/// Runs `$mem` on a [`Memory`](super::Memory) store, or `$body` with `$sql` bound to the
/// pool's [`Sql`] and `$s` to the collection's statements.
macro_rules! dispatch {
    ($db:expr, $c:expr, |$mem:ident| $mbody:expr, |$sql:ident, $s:ident| $body:expr) => {
        match &$db.inner.pool {
            AnyPool::Memory($mem) => $mbody.await,
            #[cfg(feature = "sqlite")]
            AnyPool::Sqlite(p) => {
                let $s = $db.statements($c).await?;
                let $sql = Sql::new(p);
                $body.await
            }
            #[cfg(feature = "postgres")]
            AnyPool::Postgres(p) => {
                let $s = $db.statements($c).await?;
                let $sql = Sql::new(p);
                $body.await
            }
        }
    };
}

impl Backend for Db {
    async fn get(&self, c: &Collection, key: &KeyValue) -> Result<Option<Document>, PersistError> {
        dispatch!(self, c, |m| m.get(c, key), |sql, s| sql.get(&s, key))
    }

    async fn insert(
        &self,
        c: &Collection,
        key: &KeyValue,
        body: &str,
    ) -> Result<Version, PersistError> {
        dispatch!(self, c, |m| m.insert(c, key, body), |sql, s| sql
            .insert(&s, c, key, body))
    }

    async fn replace(
        &self,
        c: &Collection,
        key: &KeyValue,
        body: &str,
        expected: Version,
    ) -> Result<Version, PersistError> {
        dispatch!(self, c, |m| m.replace(c, key, body, expected), |sql, s| sql
            .replace(&s, c, key, body, expected))
    }

    async fn remove(
        &self,
        c: &Collection,
        key: &KeyValue,
        expected: Option<Version>,
    ) -> Result<bool, PersistError> {
        dispatch!(self, c, |m| m.remove(c, key, expected), |sql, s| sql
            .remove(&s, c, key, expected))
    }

    async fn scan(
        &self,
        c: &Collection,
        after: Option<&KeyValue>,
        limit: u32,
    ) -> Result<Vec<Document>, PersistError> {
        dispatch!(self, c, |m| m.scan(c, after, limit), |sql, s| sql
            .scan(&s, after, limit))
    }

    async fn next_id(&self, c: &Collection) -> Result<i64, PersistError> {
        dispatch!(self, c, |m| m.next_id(c), |sql, s| sql.next_id(&s, c))
    }
}
