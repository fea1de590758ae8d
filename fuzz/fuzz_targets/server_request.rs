//! Any HTTP request to the generated petstore and gateway routers: no panic, no hang, and no
//! 5xx unless the handler itself fails (the gateway's `/api/fail/*` and unbound routes).
//!
//! Input: `p METHOD TARGET` (petstore) or `g METHOD TARGET` (gateway), header lines, an
//! empty line, the body. The body's length is set as hyper would have read it.
#![no_main]

#[path = "common.rs"]
mod common;

use std::net::SocketAddr;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use specbind::__private::axum;
use specbind_examples::{gateway, gateway_api, handlers, petstore};
use tower::ServiceExt as _;

/// The gateway's handler that panics on purpose (to show the server answers 500): its panic
/// is caught by the server, so it must not abort the fuzzer as any other panic does.
const DELIBERATE: &str = "the gateway's panic handler was asked to panic";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() == Some(&DELIBERATE) {
                return;
            }
            previous(info);
        }));
        // Paused time: the gateway's slow handlers and the timeouts run at once.
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let message = common::message(data);
    let mut first = message.first.splitn(3, |&b| b == b' ');
    let (Some(which), Some(method), Some(target)) = (first.next(), first.next(), first.next())
    else {
        return;
    };
    let Ok(method) = http::Method::from_bytes(method) else {
        return;
    };
    let Ok(uri) = http::Uri::try_from(target) else {
        return;
    };
    let path = uri.path().to_owned();
    let mut headers = message.headers;
    // hyper frames the body by its length; what reaches the router agrees with it.
    headers.remove(http::header::CONTENT_LENGTH);
    headers.remove(http::header::TRANSFER_ENCODING);
    if !message.body.is_empty() {
        headers.insert(http::header::CONTENT_LENGTH, message.body.len().into());
    }
    let mut request = http::Request::new(axum::body::Body::from(message.body));
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    let peer: SocketAddr = ([127, 0, 0, 1], 40000).into();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));

    let (router, handler_fails) = match which {
        b"p" => (
            petstore::server::router_with(
                handlers::Store::default(),
                handlers::spec_errors(handlers::config("k3y")),
            ),
            false,
        ),
        b"g" => (
            gateway_api::server::router_with(gateway::State, gateway::config()),
            path.starts_with("/api/fail/") || path == "/api/unbound",
        ),
        _ => return,
    };
    let response = runtime().block_on(async move {
        let response = router.oneshot(request).await.expect("infallible");
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await;
        (parts, body)
    });
    let (parts, body) = response;
    let body = body.expect("a response body reads");
    if parts.status.is_server_error() && !handler_fails {
        panic!(
            "{} for a client's request to {path}: {}",
            parts.status,
            String::from_utf8_lossy(&body)
        );
    }
});
