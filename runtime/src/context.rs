//! The call context: a call ID and a call path that travel through every hop of a mesh of
//! generated services.
//!
//! - The **call ID** is a UUID made at the first public edge: a request that arrives without
//!   one (or with one that is not a UUID) gets a new one; every later hop keeps it.
//! - The **call path** is the names of the APIs traversed, joined by `.`
//!   (`public.user.login`): each generated server appends its own name.
//!
//! Both travel in the headers [`CALL_ID`] and [`CALL_PATH`]; a W3C [`TRACEPARENT`] header is
//! kept and forwarded unchanged, so an OpenTelemetry collector can join the traces. Every
//! response of a generated server carries [`CALL_ID`], and its error bodies quote it.
//!
//! A generated server puts the context of each request in scope for its handler and for
//! everything the handler awaits: calls made through generated clients, directly, through
//! `specbind::join!` and `specbind::client::fan_out`, or in tasks started with [`spawn`],
//! carry it without being passed by hand. A call made outside any request starts a new call
//! ID.
//!
//! Incoming values are not trusted: a call path is limited to [`MAX_HOPS`] names and
//! [`MAX_PATH_BYTES`] bytes (the oldest names are dropped) and to names of
//! `[A-Za-z0-9_-]` (other names are dropped); a call path that already holds the server's
//! own name more than its limit of times is answered with 508 Loop Detected.

use std::future::Future;

use http::{HeaderMap, HeaderName, HeaderValue};

/// The header of the call ID.
pub const CALL_ID: &str = "x-call-id";
/// The header of the call path.
pub const CALL_PATH: &str = "x-call-path";
/// The W3C trace context header, forwarded unchanged.
pub const TRACEPARENT: &str = "traceparent";
/// [`CALL_ID`] as a header name.
pub static CALL_ID_HEADER: HeaderName = HeaderName::from_static(CALL_ID);
/// [`CALL_PATH`] as a header name.
pub static CALL_PATH_HEADER: HeaderName = HeaderName::from_static(CALL_PATH);
static TRACEPARENT_HEADER: HeaderName = HeaderName::from_static(TRACEPARENT);
/// The most names a call path keeps.
pub const MAX_HOPS: usize = 32;
/// The most bytes a call path keeps.
pub const MAX_PATH_BYTES: usize = 1024;

tokio::task_local! {
    static CURRENT: CallContext;
}

/// The call ID, call path and trace parent of the request being served. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallContext {
    call_id: uuid::Uuid,
    call_path: std::sync::Arc<str>,
    traceparent: Option<HeaderValue>,
}

/// A random number from a per-thread SplitMix64 generator seeded by the standard library's
/// random hasher keys: for call IDs, which must be unique, not secret (a `getrandom` system
/// call per request costs more than the rest of the context), and for retry jitter.
pub(crate) fn random_u64() -> u64 {
    use std::cell::Cell;
    use std::hash::{BuildHasher, Hasher};
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(0x5eed);
            h.finish()
        });
    }
    STATE.with(|s| {
        let mut z = s.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        s.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

/// A random (version 4) UUID for a new call.
fn new_call_id() -> uuid::Uuid {
    let bits = (u128::from(random_u64()) << 64) | u128::from(random_u64());
    uuid::Builder::from_random_bytes(bits.to_le_bytes()).into_uuid()
}

impl Default for CallContext {
    fn default() -> Self {
        Self::new()
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `name` as a call-path name: characters outside `[A-Za-z0-9_-]` become `_`.
pub fn api_name(name: &str) -> String {
    let s: String = name
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "api".to_owned() } else { s }
}

impl CallContext {
    /// A new call: a fresh call ID, an empty call path.
    pub fn new() -> Self {
        Self {
            call_id: new_call_id(),
            call_path: std::sync::Arc::from(""),
            traceparent: None,
        }
    }

    /// The context of a request served earlier, resumed (by a job's worker).
    #[cfg(feature = "jobs")]
    pub(crate) fn resumed(call_id: uuid::Uuid, call_path: &str) -> Self {
        Self {
            call_id,
            call_path: std::sync::Arc::from(call_path),
            traceparent: None,
        }
    }

    /// The call ID.
    pub fn call_id(&self) -> uuid::Uuid {
        self.call_id
    }

    /// The call ID as a header value.
    pub fn call_id_header(&self) -> HeaderValue {
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let text = self.call_id.hyphenated().encode_lower(&mut buf);
        HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The call path, `public.user.login`.
    pub fn call_path(&self) -> &str {
        &self.call_path
    }

    /// The W3C `traceparent` received, if any.
    pub fn traceparent(&self) -> Option<&HeaderValue> {
        self.traceparent.as_ref()
    }

    /// The context of the request being served, if any.
    pub fn current() -> Option<Self> {
        CURRENT.try_with(Clone::clone).ok()
    }

    /// Runs `f` with this context in scope.
    pub async fn scope<F: Future>(self, f: F) -> F::Output {
        CURRENT.scope(self, f).await
    }

    /// `f` with this context in scope, as a nameable future.
    #[cfg(feature = "router")]
    pub(crate) fn scoped<F: Future>(self, f: F) -> tokio::task::futures::TaskLocalFuture<Self, F> {
        CURRENT.scope(self, f)
    }

    /// The context of an incoming request to the API `api`: its call ID kept when it is a
    /// UUID (else a new one), its call path bounded and cleaned, then `api` appended. `Err`
    /// with the context when the path already holds `api` more than `max_repeats` times.
    pub fn incoming(headers: &HeaderMap, api: &str, max_repeats: usize) -> Result<Self, Self> {
        Self::incoming_shared(headers, &std::sync::Arc::from(api), max_repeats)
    }

    /// [`incoming`](Self::incoming) with the API name shared: a request without a call path
    /// (the first hop) then costs no allocation for its path.
    pub(crate) fn incoming_shared(
        headers: &HeaderMap,
        api: &std::sync::Arc<str>,
        max_repeats: usize,
    ) -> Result<Self, Self> {
        let call_id = headers
            .get(&CALL_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| uuid::Uuid::parse_str(s.trim()).ok())
            .unwrap_or_else(new_call_id);
        let traceparent = headers
            .get(&TRACEPARENT_HEADER)
            .filter(|v| v.len() <= 512)
            .cloned();
        let received = headers
            .get(&CALL_PATH_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if received.is_empty() {
            return Ok(Self {
                call_id,
                call_path: std::sync::Arc::clone(api),
                traceparent,
            });
        }
        let api: &str = api;
        // Names only, the newest kept within the bounds (room left for `api`).
        let mut names: Vec<&str> = received.split('.').filter(|n| is_name(n)).collect();
        let mut bytes: usize = names.iter().map(|n| n.len() + 1).sum();
        let mut drop = 0;
        while names.len() - drop + 1 > MAX_HOPS || bytes + api.len() > MAX_PATH_BYTES {
            bytes -= names[drop].len() + 1;
            drop += 1;
        }
        names.drain(..drop);
        let repeats = names.iter().filter(|n| **n == api).count();
        names.push(api);
        let traceparent = headers.get(TRACEPARENT).filter(|v| v.len() <= 512).cloned();
        let ctx = Self {
            call_id,
            call_path: names.join(".").into(),
            traceparent,
        };
        if repeats > max_repeats {
            Err(ctx)
        } else {
            Ok(ctx)
        }
    }

    /// Writes the context into outgoing request headers (kept where already set).
    pub fn write(&self, headers: &mut HeaderMap) {
        headers
            .entry(CALL_ID)
            .or_insert_with(|| self.call_id_header());

        if !self.call_path.is_empty() {
            if let Ok(v) = HeaderValue::from_str(&self.call_path) {
                headers.entry(&CALL_PATH_HEADER).or_insert(v);
            }
        }
        if let Some(t) = &self.traceparent {
            headers
                .entry(&TRACEPARENT_HEADER)
                .or_insert_with(|| t.clone());
        }
    }
}

/// Spawns `f` on the tokio runtime with the current call context in scope, so the calls it
/// makes carry it.
pub fn spawn<F>(f: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match CallContext::current() {
        Some(ctx) => tokio::spawn(CURRENT.scope(ctx, f)),
        None => tokio::spawn(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn ids_are_kept_when_valid_and_replaced_otherwise() {
        let id = "6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f";
        let ctx = CallContext::incoming(&headers(&[(CALL_ID, id)]), "user", 3).unwrap();
        assert_eq!(ctx.call_id().to_string(), id);
        let ctx = CallContext::incoming(&headers(&[(CALL_ID, "<script>")]), "user", 3).unwrap();
        assert_ne!(ctx.call_id().to_string(), "<script>");
        assert_eq!(ctx.call_path(), "user");
    }

    #[test]
    fn paths_are_cleaned_bounded_and_appended() {
        let ctx = CallContext::incoming(&headers(&[(CALL_PATH, "public")]), "user", 3).unwrap();
        assert_eq!(ctx.call_path(), "public.user");
        let ctx =
            CallContext::incoming(&headers(&[(CALL_PATH, "a.<b>..c d.e")]), "user", 3).unwrap();
        assert_eq!(ctx.call_path(), "a.e.user");
        let long = vec!["hop"; 5000].join(".");
        let ctx = CallContext::incoming(&headers(&[(CALL_PATH, &long)]), "user", 3).unwrap();
        assert!(ctx.call_path().len() <= MAX_PATH_BYTES);
        assert_eq!(ctx.call_path().split('.').count(), MAX_HOPS);
        assert!(ctx.call_path().ends_with(".hop.user"));
        let huge = "x".repeat(10 * 1024);
        let ctx = CallContext::incoming(&headers(&[(CALL_PATH, &huge)]), "user", 3).unwrap();
        assert_eq!(ctx.call_path(), "user");
    }

    #[test]
    fn new_call_ids_are_version_4_and_distinct() {
        let ids: std::collections::BTreeSet<uuid::Uuid> =
            (0..1000).map(|_| CallContext::new().call_id()).collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|id| id.get_version_num() == 4));
    }

    #[test]
    fn loops_are_detected() {
        let h = headers(&[(CALL_PATH, "user.user.x.user")]);
        assert!(CallContext::incoming(&h, "user", 3).is_ok());
        assert!(CallContext::incoming(&h, "user", 2).is_err());
    }
}
