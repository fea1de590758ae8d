//! The API reference page of a generated server (feature `docs`): Swagger UI at `/docs`, its
//! assets under `/docs/`, and `/` redirecting to it.
//!
//! Swagger UI's files come from the `utoipa-swagger-ui` crate with its `vendored` feature: they
//! are in the crate as published (`utoipa-swagger-ui-vendored`), so nothing is fetched when
//! building or serving, and they are compiled into the server.
//!
//! The page reads the spec from `/docs/openapi.json` and, before Swagger UI shows it, makes its
//! server URL relative: `http://127.0.0.1:8080/v1` becomes `/v1` (the path the generated
//! server routes under), and a Swagger 2.0 spec loses `host` and `schemes`. So "Try it out"
//! calls the server the browser is looking at, whatever address, port or proxy it reached it
//! through. Security schemes stay as declared: the page's
//! "Authorize" dialog takes an API key, a basic login or a bearer token for the operations
//! that need one.
//!
//! These routes are the router's fallback: an operation of the spec on `/` or under `/docs`
//! keeps its path, and the page gives way.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;

/// Where the page is served.
const DOCS_PATH: &str = "/docs";

/// The page of one server's spec.
#[derive(Debug)]
pub(super) struct Docs {
    spec_json: &'static str,
    /// The page itself, made on first use.
    page: OnceLock<String>,
}

impl Docs {
    pub(super) fn new(spec_json: &'static str) -> Arc<Self> {
        Arc::new(Self {
            spec_json,
            page: OnceLock::new(),
        })
    }

    /// The answer to `request` when it is one of the page's (a GET or HEAD of `/`, `/docs`
    /// or a file under `/docs/`), `None` otherwise.
    pub(super) fn answer(&self, request: &Request) -> Option<Response> {
        if request.method() != Method::GET && request.method() != Method::HEAD {
            return None;
        }
        let path = request.uri().path();
        if path == "/" {
            return Some(Redirect::to(DOCS_PATH).into_response());
        }
        let rest = path.strip_prefix(DOCS_PATH)?;
        Some(match rest {
            "" | "/" | "/index.html" => {
                let page = self.page.get_or_init(|| page(self.spec_json));
                with_type(page.clone(), "text/html; charset=utf-8")
            }
            "/openapi.json" => with_type(self.spec_json, "application/json"),
            file => asset(file.strip_prefix('/')?)?,
        })
    }
}

fn with_type(body: impl Into<Body>, content_type: &'static str) -> Response {
    let mut response = Response::new(body.into());
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// One of Swagger UI's files (`swagger-ui-bundle.js`, `swagger-ui.css`, ...).
fn asset(file: &str) -> Option<Response> {
    static CONFIG: OnceLock<Arc<utoipa_swagger_ui::Config<'static>>> = OnceLock::new();
    // The configuration only fills in Swagger UI's own initializer, which the page does not
    // use; our page configures Swagger UI itself.
    let config = CONFIG
        .get_or_init(|| Arc::new(utoipa_swagger_ui::Config::new(["/docs/openapi.json"])))
        .clone();
    match utoipa_swagger_ui::serve(file, config) {
        Ok(Some(found)) => {
            let mut response = Response::new(Body::from(found.bytes.into_owned()));
            if let Ok(value) = HeaderValue::from_str(&found.content_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            Some(response)
        }
        Ok(None) => None,
        Err(e) => {
            tracing::error!(file, error = %e, "the docs page's asset could not be read");
            Some(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// The HTML page: Swagger UI over `/docs/openapi.json`, titled with the spec's title, with the
/// spec's server made the path this server routes under (see the module docs).
fn page(spec_json: &str) -> String {
    let spec = serde_json::from_str::<Value>(spec_json).unwrap_or(Value::Null);
    let title = spec
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API");
    let title = escape_html(title);
    // `null` for Swagger 2.0, whose `host` and `schemes` the page drops instead.
    let base = match browser_base(&spec) {
        Some(base) => serde_json::to_string(&base).unwrap_or_else(|_| "\"/\"".into()),
        None => "null".into(),
    };
    // Inside a <script>: no `</script>` can end it early.
    let base = base.replace('<', "\\u003c");
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: API reference</title>
<link rel="stylesheet" href="{DOCS_PATH}/swagger-ui.css">
<style>body {{ margin: 0; }}</style>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{DOCS_PATH}/swagger-ui-bundle.js"></script>
<script>
// The server this page came from: the spec's server URL as the browser sees it.
const base = {base};
fetch("{DOCS_PATH}/openapi.json")
  .then((r) => r.json())
  .then((spec) => {{
    if (base === null) {{
      delete spec.host;
      delete spec.schemes;
    }} else {{
      spec.servers = [{{ url: base, description: "this server" }}];
      // Servers of a path or an operation are not where this server routes them.
      for (const item of Object.values(spec.paths || {{}})) {{
        delete item.servers;
        for (const op of Object.values(item)) if (op && typeof op === "object") delete op.servers;
      }}
    }}
    window.ui = SwaggerUIBundle({{
      spec,
      dom_id: "#swagger-ui",
      deepLinking: true,
      persistAuthorization: true,
      displayRequestDuration: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    }});
  }});
</script>
</body>
</html>
"##
    )
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The server URL the page gives the spec: the path the generated server routes under (the
/// first server's, variables at their defaults, as the generator takes it), `/` for none;
/// `None` for a Swagger 2.0 spec (its `host` and `schemes` are dropped instead).
fn browser_base(spec: &Value) -> Option<String> {
    if spec.get("swagger").is_some() {
        return None;
    }
    let first = spec
        .get("servers")
        .and_then(|s| s.get(0))
        .and_then(server_url);
    let base = first.as_deref().map(base_path).unwrap_or_default();
    Some(if base.is_empty() { "/".into() } else { base })
}

/// A server object's URL with its variables at their defaults.
fn server_url(server: &Value) -> Option<String> {
    let mut url = server.get("url")?.as_str()?.to_owned();
    if let Some(Value::Object(vars)) = server.get("variables") {
        for (name, var) in vars {
            let default = match var.get("default") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            url = url.replace(&format!("{{{name}}}"), &default);
        }
    }
    Some(url)
}

/// The path of a server URL, as the generator reads it: `http://host:8080/v1/` → `/v1`;
/// a templated or root path → ``.
fn base_path(url: &str) -> String {
    let path = match url.find("://") {
        Some(i) => url[i + 3..].find('/').map_or("", |j| &url[i + 3 + j..]),
        None => url,
    };
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    if path.starts_with('/') && !path.contains('{') {
        path.to_owned()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(spec: &str) -> Option<String> {
        browser_base(&serde_json::from_str(spec).unwrap())
    }

    #[test]
    fn servers_become_the_path_the_browser_reaches() {
        let two = r#"{"openapi":"3.0.3","servers":[{"url":"http://127.0.0.1:8080/v1/"},{"url":"https://prod.example.com/v2"}]}"#;
        assert_eq!(base(two).as_deref(), Some("/v1"));
        let templated = r#"{"openapi":"3.1.0","servers":[{"url":"{scheme}://api.example.com/{version}",
            "variables":{"scheme":{"default":"https"},"version":{"default":"v2"}}}]}"#;
        assert_eq!(base(templated).as_deref(), Some("/v2"));
        assert_eq!(base(r#"{"openapi":"3.0.0"}"#).as_deref(), Some("/"));
        assert_eq!(
            base(r#"{"openapi":"3.0.0","servers":[{"url":"https://api.example.com"}]}"#).as_deref(),
            Some("/")
        );
        assert_eq!(
            base(r#"{"openapi":"3.0.0","servers":[{"url":"/api/"}]}"#).as_deref(),
            Some("/api")
        );
        assert_eq!(
            base(r#"{"swagger":"2.0","host":"api.example.com","basePath":"/v1"}"#),
            None
        );
        let html = page(two);
        assert!(html.contains(r#"const base = "/v1";"#), "{html}");
        let hostile =
            page(r#"{"openapi":"3.0.0","servers":[{"url":"/</script><script>alert(1)"}]}"#);
        assert!(!hostile.contains("</script><script>alert"), "{hostile}");
    }

    #[test]
    fn titles_are_escaped() {
        let page = page(r#"{"info":{"title":"<script>alert('x')</script> & co"}}"#);
        assert!(page.contains(
            "<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co: API reference</title>"
        ));
        assert!(!page.contains("<script>alert"));
    }

    #[test]
    fn the_assets_are_compiled_in() {
        for file in ["swagger-ui-bundle.js", "swagger-ui.css"] {
            let response = asset(file).unwrap_or_else(|| panic!("{file} is not vendored"));
            assert_eq!(response.status(), StatusCode::OK);
        }
        assert!(asset("no-such-file.js").is_none());
    }
}
