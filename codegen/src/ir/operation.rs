//! Lowering of paths and operations (2.0 parameters and bodies, 3.x request bodies).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::schema::doc_of;
use super::{Body, Content, Doc, Node, Operation, Param, ParamIn, Response, Status, Ty};
use crate::diag::{Kind, Loc};
use crate::ident::{self, Namespace};
use crate::load::Version;

use super::Lower;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Names of `{params}` in a path template.
pub(crate) fn template_params(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    out
}

fn json_media(m: &str) -> bool {
    let m = m
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*"
}

impl Lower<'_> {
    /// Lowers every operation under `paths`, in spec order.
    pub(crate) fn operations(&mut self) -> Vec<Operation> {
        let Some(Value::Object(paths)) = self.docs.root().get("paths").cloned() else {
            return Vec::new();
        };
        let root_security = self.docs.root().get("security").cloned();
        let mut names = Namespace::default();
        let mut ids: Vec<(String, Loc)> = Vec::new();
        let mut ops = Vec::new();
        for path in paths.keys() {
            if path.starts_with("x-") {
                continue;
            }
            let ploc = Loc::new(0, "/paths").join(path);
            let Some((item_loc, item)) = self.deref(&ploc) else {
                continue;
            };
            for method in METHODS {
                if !item.contains_key(*method) {
                    continue;
                }
                let oloc = item_loc.join(method);
                let Some(Value::Object(op)) = self.docs.get(&oloc).cloned() else {
                    continue;
                };
                let operation_id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let raw = match &operation_id {
                    Some(id) => {
                        if let Some((_, first)) = ids.iter().find(|(i, _)| i == id) {
                            let (file, pos) = self.docs.position(first);
                            self.cx.warn(
                                Kind::DuplicateOperationId,
                                &oloc.join("operationId"),
                                format!(
                                    "operationId `{id}` is already used (at {}{}); this operation gets another name",
                                    file.display(),
                                    pos.map(|p| format!(":{}", p.0)).unwrap_or_default()
                                ),
                            );
                        }
                        ids.push((id.clone(), oloc.join("operationId")));
                        id.clone()
                    }
                    None => format!("{method} {path}"),
                };
                let (name, _) = names.claim(ident::snake_name(&raw));
                let bind_all = self.opts.bind_all;
                if operation_id.is_none() {
                    self.cx.warn(
                        Kind::MissingOperationId,
                        &oloc,
                        format!("operation has no `operationId`; it is named `{name}`"),
                    );
                }
                let type_name = ident::type_name(name.trim_start_matches("r#"));
                let mut params = Vec::new();
                let mut body = None;
                let mut form: Vec<(Loc, Map<String, Value>)> = Vec::new();
                let mut seen = BTreeSet::new();
                // Operation parameters override path-item parameters of the same name and place.
                let mut all: Vec<Loc> = Vec::new();
                for (base, list) in [
                    (&oloc, op.get("parameters")),
                    (&item_loc, item.get("parameters")),
                ] {
                    if let Some(Value::Array(list)) = list {
                        for i in 0..list.len() {
                            all.push(base.join("parameters").index(i));
                        }
                    }
                }
                let mut pnames = Namespace::default();
                // The request body is the input's `body` field.
                pnames.reserve("body");
                let mut param_locs = Vec::new();
                for ploc in all {
                    let Some((rloc, p)) = self.deref(&ploc) else {
                        continue;
                    };
                    let wire = p
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    let location = p.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
                    if !seen.insert((wire.clone(), location.clone())) {
                        continue;
                    }
                    let location = match location.as_str() {
                        "path" => ParamIn::Path,
                        "query" => ParamIn::Query,
                        "header" => ParamIn::Header,
                        "cookie" if self.docs.version != Version::Swagger2 => ParamIn::Cookie,
                        "body" if self.docs.version == Version::Swagger2 => {
                            let node =
                                self.node(&rloc.join("schema"), &format!("{type_name} Body"));
                            let consumes = self.consumes(&op);
                            body = Some(Body {
                                required: p.get("required") == Some(&Value::Bool(true)),
                                content: contents(consumes, &node),
                            });
                            continue;
                        }
                        "formData" if self.docs.version == Version::Swagger2 => {
                            form.push((rloc, p));
                            continue;
                        }
                        other => {
                            self.cx.error(
                                Kind::UnknownParamIn,
                                &rloc.join("in"),
                                format!("parameter `{wire}` has `in: {other}`; expected one of `path`, `query`, `header`, `cookie`{}",
                                    if self.docs.version == Version::Swagger2 { ", `body`, `formData`" } else { "" }),
                            );
                            continue;
                        }
                    };
                    let mut required = p.get("required") == Some(&Value::Bool(true));
                    if location == ParamIn::Path && !required {
                        self.cx.error(
                            Kind::OptionalPathParam,
                            &rloc.join("required"),
                            format!("path parameter `{wire}` must be required (`required: true`)"),
                        );
                        required = true;
                    }
                    let hint = format!("{type_name} {wire}");
                    let node = if self.docs.version == Version::Swagger2 {
                        self.node(&rloc, &hint)
                    } else if p.contains_key("schema") {
                        self.node(&rloc.join("schema"), &hint)
                    } else if let Some(Value::Object(content)) = p.get("content") {
                        match content.keys().next() {
                            Some(mt) => {
                                self.node(&rloc.join("content").join(mt).join("schema"), &hint)
                            }
                            None => Node::new(Ty::Any),
                        }
                    } else {
                        Node::new(Ty::Str(super::StrFormat::Plain))
                    };
                    let (style, explode) = match p.get("collectionFormat").and_then(Value::as_str) {
                        Some("multi") => (Some("form".to_owned()), Some(true)),
                        Some("csv") => (
                            Some(
                                if location == ParamIn::Query {
                                    "form"
                                } else {
                                    "simple"
                                }
                                .to_owned(),
                            ),
                            Some(false),
                        ),
                        Some("ssv") => (Some("spaceDelimited".to_owned()), Some(false)),
                        Some("pipes") => (Some("pipeDelimited".to_owned()), Some(false)),
                        Some(other) => (Some(other.to_owned()), Some(false)),
                        None => (
                            p.get("style").and_then(Value::as_str).map(str::to_owned),
                            p.get("explode").and_then(Value::as_bool),
                        ),
                    };
                    let (name, _) = pnames.claim(ident::snake_name(&wire));
                    params.push(Param {
                        name,
                        wire,
                        location,
                        required,
                        node,
                        style,
                        explode,
                    });
                    param_locs.push(rloc);
                }
                if !form.is_empty() {
                    body = Some(self.form_body(&op, &type_name, form));
                }
                // Path template and path parameters agree.
                let in_template = template_params(path);
                for t in &in_template {
                    if !params
                        .iter()
                        .any(|p| p.location == ParamIn::Path && p.wire == *t)
                    {
                        self.cx.error(
                            Kind::UndeclaredPathParam,
                            &oloc,
                            format!("path template `{path}` has `{{{t}}}` but the operation declares no path parameter `{t}`"),
                        );
                        let (name, _) = pnames.claim(ident::snake_name(t));
                        params.push(Param {
                            name,
                            wire: t.clone(),
                            location: ParamIn::Path,
                            required: true,
                            node: Node::new(Ty::Str(super::StrFormat::Plain)),
                            style: None,
                            explode: None,
                        });
                    }
                }
                for (p, ploc) in params
                    .iter()
                    .zip(&param_locs)
                    .filter(|(p, _)| p.location == ParamIn::Path)
                {
                    if !in_template.contains(&p.wire) {
                        self.cx.error(
                            Kind::UnusedPathParam,
                            ploc,
                            format!(
                                "path parameter `{}` does not appear in the path template `{path}`",
                                p.wire
                            ),
                        );
                    }
                }
                if self.docs.version != Version::Swagger2 && op.contains_key("requestBody") {
                    body = self.request_body(&oloc.join("requestBody"), &type_name);
                }
                let responses = self.responses(&oloc, &op, &type_name);
                let security = match op.get("security").or(root_security.as_ref()) {
                    Some(Value::Array(reqs)) => reqs
                        .iter()
                        .filter_map(Value::as_object)
                        .map(|r| {
                            r.iter()
                                .map(|(scheme, scopes)| super::SecurityRequirement {
                                    scheme: scheme.clone(),
                                    scopes: scopes
                                        .as_array()
                                        .map(|a| {
                                            a.iter()
                                                .filter_map(Value::as_str)
                                                .map(str::to_owned)
                                                .collect()
                                        })
                                        .unwrap_or_default(),
                                })
                                .collect()
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let mut doc = doc_of(&op);
                if doc.title.is_none() {
                    doc.title = op.get("summary").and_then(Value::as_str).map(str::to_owned);
                }
                ops.push(Operation {
                    name: name.clone(),
                    type_name,
                    operation_id,
                    method: (*method).to_owned(),
                    path: path.clone(),
                    params,
                    body,
                    responses,
                    bind_server: op
                        .get("x-bind-server")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .or_else(|| bind_all.then(|| format!("crate::handlers::{name}"))),
                    decorate_server: op
                        .get("x-decorate-server")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    bind_client: op
                        .get("x-bind-client")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .or_else(|| bind_all.then(|| name.clone())),
                    is_async: op.get("x-async").and_then(Value::as_bool) == Some(true),
                    security,
                    doc,
                    loc: oloc,
                });
            }
        }
        ops
    }

    fn consumes(&self, op: &Map<String, Value>) -> Vec<String> {
        let list = op
            .get("consumes")
            .or_else(|| self.docs.root().get("consumes"));
        media_list(list)
    }

    fn produces(&self, op: &Map<String, Value>) -> Vec<String> {
        let list = op
            .get("produces")
            .or_else(|| self.docs.root().get("produces"));
        media_list(list)
    }

    /// A 2.0 `formData` body: one object schema whose properties are the parameters.
    fn form_body(
        &mut self,
        op: &Map<String, Value>,
        type_name: &str,
        form: Vec<(Loc, Map<String, Value>)>,
    ) -> Body {
        let mut fields = Vec::new();
        let mut ns = Namespace::default();
        for (loc, p) in &form {
            let wire = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let node = self.node(loc, &format!("{type_name} {wire}"));
            let (name, _) = ns.claim(ident::snake_name(&wire));
            fields.push(super::Field {
                name,
                wire,
                node,
                required: p.get("required") == Some(&Value::Bool(true)),
            });
        }
        let node = self.synthetic_struct(&form[0].0, &format!("{type_name} Form"), fields);
        let mut consumes = self.consumes(op);
        consumes.retain(|c| !json_media(c));
        if consumes.is_empty() {
            consumes.push("application/x-www-form-urlencoded".to_owned());
        }
        Body {
            required: true,
            content: contents(consumes, &node),
        }
    }

    fn request_body(&mut self, loc: &Loc, type_name: &str) -> Option<Body> {
        let (rloc, rb) = self.deref(loc)?;
        let content = self.content(&rloc, &rb, &format!("{type_name} Body"));
        Some(Body {
            required: rb.get("required") == Some(&Value::Bool(true)),
            content,
        })
    }

    fn content(&mut self, loc: &Loc, m: &Map<String, Value>, hint: &str) -> Vec<Content> {
        let Some(Value::Object(content)) = m.get("content") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut first_schema: Option<(Value, Node)> = None;
        for (i, media_type) in content.keys().enumerate() {
            let sloc = loc.join("content").join(media_type).join("schema");
            let node = match self.docs.get(&sloc).cloned() {
                None => None,
                Some(v) => {
                    // The same schema under several media types is one type.
                    match &first_schema {
                        Some((fv, n)) if *fv == v => Some(n.clone()),
                        _ => {
                            let h = if i == 0 {
                                hint.to_owned()
                            } else {
                                format!("{hint} {i}")
                            };
                            let n = self.node(&sloc, &h);
                            if first_schema.is_none() {
                                first_schema = Some((v, n.clone()));
                            }
                            Some(n)
                        }
                    }
                }
            };
            out.push(Content {
                media_type: media_type.clone(),
                node,
            });
        }
        out
    }

    fn responses(&mut self, oloc: &Loc, op: &Map<String, Value>, type_name: &str) -> Vec<Response> {
        let Some(Value::Object(responses)) = op.get("responses") else {
            return Vec::new();
        };
        let codes: Vec<String> = responses.keys().cloned().collect();
        let single = codes.iter().filter(|c| !c.starts_with("x-")).count() == 1;
        let mut out = Vec::new();
        for code in codes {
            if code.starts_with("x-") {
                continue;
            }
            let loc = oloc.join("responses").join(&code);
            let status = match parse_status(&code) {
                Some(s) => s,
                None => {
                    self.cx.error(
                        Kind::InvalidStatus,
                        &loc,
                        format!("response status `{code}` is not a status code (100 to 599), a range like `4XX`, or `default`"),
                    );
                    continue;
                }
            };
            let Some((rloc, r)) = self.deref(&loc) else {
                continue;
            };
            let hint = if single {
                format!("{type_name} Response")
            } else {
                format!("{type_name} Response {code}")
            };
            let content = if self.docs.version == Version::Swagger2 {
                match r.get("schema") {
                    Some(_) => {
                        let node = self.node(&rloc.join("schema"), &hint);
                        let mut produces = self.produces(op);
                        if produces.is_empty() {
                            produces.push("application/json".to_owned());
                        }
                        contents(produces, &node)
                    }
                    None => Vec::new(),
                }
            } else {
                self.content(&rloc, &r, &hint)
            };
            let mut headers = Vec::new();
            if let Some(Value::Object(hs)) = r.get("headers") {
                for h in hs.keys() {
                    let hloc = rloc.join("headers").join(h);
                    let Some((hrloc, hm)) = self.deref(&hloc) else {
                        continue;
                    };
                    let hhint = format!("{hint} {h}");
                    let node = if hm.contains_key("schema") {
                        self.node(&hrloc.join("schema"), &hhint)
                    } else {
                        self.node(&hrloc, &hhint)
                    };
                    headers.push(Param {
                        name: ident::snake_name(h),
                        wire: h.clone(),
                        location: ParamIn::Header,
                        required: hm.get("required") == Some(&Value::Bool(true)),
                        node,
                        style: None,
                        explode: None,
                    });
                }
            }
            let doc = Doc {
                title: None,
                ..doc_of(&r)
            };
            out.push(Response {
                status,
                content,
                headers,
                doc,
            });
        }
        out
    }
}

/// One payload per media type, all of the same schema (2.0 `consumes` / `produces`).
fn contents(media_types: Vec<String>, node: &Node) -> Vec<Content> {
    media_types
        .into_iter()
        .map(|media_type| Content {
            media_type,
            node: Some(node.clone()),
        })
        .collect()
}

fn media_list(list: Option<&Value>) -> Vec<String> {
    match list {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => vec!["application/json".to_owned()],
    }
}

/// `200` → code, `4XX` → range, `default`.
pub(crate) fn parse_status(code: &str) -> Option<Status> {
    if code == "default" {
        return Some(Status::Default);
    }
    let b = code.as_bytes();
    if b.len() == 3 && (b'1'..=b'5').contains(&b[0]) {
        if b[1..].eq_ignore_ascii_case(b"XX") {
            return Some(Status::Range(b[0] - b'0'));
        }
        if b[1..].iter().all(u8::is_ascii_digit) {
            return code.parse().ok().map(Status::Code);
        }
    }
    None
}
