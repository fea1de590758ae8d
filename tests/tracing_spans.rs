//! Spans of the call context: one `request` span per request with the call ID, call path,
//! operation and status, and each client call's span a child of the request it serves.
//! A minimal subscriber records the spans; no other test runs in this binary.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use specbind::server::Config;
use specbind_examples::mesh::{PublicState, UserState};
use specbind_examples::{mesh_login, mesh_public, mesh_user};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Debug, Clone)]
struct SpanInfo {
    name: &'static str,
    meta: &'static Metadata<'static>,
    parent: Option<u64>,
    fields: BTreeMap<String, String>,
}

#[derive(Default)]
struct Recorder {
    spans: Mutex<Vec<SpanInfo>>,
}

thread_local! {
    static STACK: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

#[derive(Clone)]
struct Sub(Arc<Recorder>);

impl Subscriber for Sub {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut info = SpanInfo {
            name: attrs.metadata().name(),
            meta: attrs.metadata(),
            parent: None,
            fields: BTreeMap::new(),
        };
        attrs.record(&mut Fields(&mut info.fields));
        info.parent = if let Some(p) = attrs.parent() {
            Some(p.into_u64())
        } else if attrs.is_contextual() {
            STACK.with(|s| s.borrow().last().copied())
        } else {
            None
        };
        let mut spans = self.0.spans.lock().unwrap_or_else(PoisonError::into_inner);
        spans.push(info);
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.0.spans.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(info) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(&mut info.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn current_span(&self) -> tracing_core::span::Current {
        let spans = self.0.spans.lock().unwrap_or_else(PoisonError::into_inner);
        match STACK.with(|s| s.borrow().last().copied()) {
            Some(id) => {
                tracing_core::span::Current::new(Id::from_u64(id), spans[id as usize - 1].meta)
            }
            None => tracing_core::span::Current::none(),
        }
    }

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, span: &Id) {
        STACK.with(|s| s.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, span: &Id) {
        STACK.with(|s| {
            let mut s = s.borrow_mut();
            if let Some(i) = s.iter().rposition(|x| *x == span.into_u64()) {
                s.remove(i);
            }
        });
    }
}

async fn serve(router: specbind::__private::axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(specbind::server::serve_on(listener, router));
    format!("http://{addr}")
}

#[tokio::test]
async fn request_spans_and_client_spans_nest() {
    let recorder = Arc::new(Recorder::default());
    tracing::subscriber::set_global_default(Sub(Arc::clone(&recorder))).expect("one subscriber");
    let login = serve(mesh_login::server::router_with((), Config::default())).await;
    let login_client = mesh_login::client::Client::new(&login).expect("client");
    let user = serve(mesh_user::server::router_with(
        UserState {
            login: login_client.clone(),
        },
        Config::default(),
    ))
    .await;
    let public = serve(mesh_public::server::router_with(
        PublicState {
            user: mesh_user::client::Client::new(&user).expect("client"),
            login: login_client,
        },
        Config::default(),
    ))
    .await;
    let res = reqwest::get(format!("{public}/hello/ann"))
        .await
        .expect("sent");
    assert_eq!(res.status().as_u16(), 200);
    let id = res.headers()["x-call-id"]
        .to_str()
        .expect("ascii")
        .to_owned();

    let spans = recorder
        .spans
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let requests: Vec<(usize, &SpanInfo)> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name == "request")
        .collect();
    let public_span = requests
        .iter()
        .find(|(_, s)| s.fields.get("call_path").map(String::as_str) == Some("public"))
        .expect("a request span for public");
    let f = &public_span.1.fields;
    assert_eq!(f.get("call_id"), Some(&id));
    assert_eq!(f.get("operation").map(String::as_str), Some("hello"));
    assert_eq!(f.get("status").map(String::as_str), Some("200"));
    for path in ["public.user", "public.user.login", "public.login"] {
        let (_, s) = requests
            .iter()
            .find(|(_, s)| s.fields.get("call_path").map(String::as_str) == Some(path))
            .unwrap_or_else(|| panic!("a request span for {path}"));
        assert_eq!(s.fields.get("call_id"), Some(&id), "{path}");
    }
    // The calls `public` makes are children of its request span.
    let public_id = public_span.0 as u64 + 1;
    let children: Vec<&str> = spans
        .iter()
        .filter(|s| s.name == "specbind.call" && s.parent == Some(public_id))
        .filter_map(|s| s.fields.get("operation").map(String::as_str))
        .collect();
    assert!(children.contains(&"getUser"), "{children:?}");
    assert!(children.contains(&"login"), "{children:?}");
}
