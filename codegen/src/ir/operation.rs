//! Lowering of paths and operations (2.0 parameters and bodies, 3.x request bodies).

use std::collections::BTreeMap;

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
            let Some((item_loc, item)) = self.deref_or(&ploc, "the path is left out") else {
                continue;
            };
            let template = Template::parse(path);
            if !template.query.is_empty() {
                let and = |items: Vec<String>| match items.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                };
                let (fixed, vars): (Vec<_>, Vec<_>) =
                    template.query.iter().partition(|q| q.value.is_some());
                let mut done = Vec::new();
                if !vars.is_empty() {
                    let names = vars.iter().map(|q| format!("`{}`", q.wire)).collect();
                    done.push(if vars.len() == 1 {
                        format!("{} is a query parameter", and(names))
                    } else {
                        format!("{} are query parameters", and(names))
                    });
                }
                if !fixed.is_empty() {
                    let pairs = fixed
                        .iter()
                        .map(|q| format!("`{}={}`", q.wire, q.value.as_deref().unwrap_or("")))
                        .collect();
                    done.push(format!("every call sends {}", and(pairs)));
                }
                self.cx.warn(
                    Kind::QueryInPath,
                    &ploc,
                    format!(
                        "path template `{path}` has a query string; the route is `{}`; {}",
                        template.route,
                        done.join(" and ")
                    ),
                );
            }
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
                    None => format!("{method} {}", template.route),
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
                let mut seen = BTreeMap::new();
                // Operation parameters override path-item parameters of the same name and place.
                let mut all: Vec<(usize, Loc)> = Vec::new();
                for (list_no, (base, list)) in [
                    (&oloc, op.get("parameters")),
                    (&item_loc, item.get("parameters")),
                ]
                .into_iter()
                .enumerate()
                {
                    if let Some(Value::Array(list)) = list {
                        for i in 0..list.len() {
                            all.push((list_no, base.join("parameters").index(i)));
                        }
                    }
                }
                let mut pnames = Namespace::default();
                // The request body is the input's `body` field.
                pnames.reserve("body");
                let mut param_locs = Vec::new();
                for (list_no, ploc) in all {
                    let Some((rloc, p)) = self.deref_or(&ploc, "the parameter is left out") else {
                        continue;
                    };
                    let mut wire = p
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned();
                    let mut location = p.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
                    // `/items?term={term}`: declared in the path, sent in the query.
                    if location == "path" {
                        if let Some(key) = template.query_key(&wire) {
                            (wire, location) = (key.to_owned(), "query".to_owned());
                        }
                    }
                    if wire.is_empty() && location != "body" {
                        self.cx.warn(
                            Kind::UnnamedParam,
                            &rloc,
                            "a parameter without a `name` is left out",
                        );
                        continue;
                    }
                    if let Some(first) = seen.insert((wire.clone(), location.clone()), list_no) {
                        if first == list_no {
                            self.cx.warn(
                                Kind::DuplicateParam,
                                &rloc,
                                format!("parameter `{wire}` in `{location}` is declared twice; the first one is used"),
                            );
                        }
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
                            let expected = format!(
                                "expected one of `path`, `query`, `header`, `cookie`{}",
                                if self.docs.version == Version::Swagger2 {
                                    ", `body`, `formData`"
                                } else {
                                    ""
                                }
                            );
                            // A 2.0 body parameter in a 3.x spec is what `requestBody` says.
                            let as_body = other == "body"
                                && p.contains_key("schema")
                                && !op.contains_key("requestBody");
                            let done = if as_body {
                                "it is read as the JSON request body"
                            } else {
                                "it is left out"
                            };
                            self.cx.warn(
                                Kind::UnknownParamIn,
                                &rloc.join("in"),
                                format!("parameter `{wire}` has `in: {other}`; {expected}; {done}"),
                            );
                            if as_body {
                                let node =
                                    self.node(&rloc.join("schema"), &format!("{type_name} Body"));
                                body = Some(Body {
                                    required: p.get("required") == Some(&Value::Bool(true)),
                                    content: contents(vec!["application/json".to_owned()], &node),
                                });
                            }
                            continue;
                        }
                    };
                    let mut required = p.get("required") == Some(&Value::Bool(true));
                    if location == ParamIn::Path && !required {
                        self.cx.warn(
                            Kind::OptionalPathParam,
                            &rloc.join("required"),
                            format!("path parameter `{wire}` must be required (`required: true`); it is required anyway"),
                        );
                        required = true;
                    }
                    let hint = format!("{type_name} {wire}");
                    let node = self.param_node(&rloc, &p, &wire, &hint);
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
                // The query string of the template: its `{name}`s are query parameters, declared
                // or not, and its `key=value` pairs are sent by every call.
                let mut fixed_query = Vec::new();
                for piece in &template.query {
                    if params
                        .iter()
                        .any(|p| p.location == ParamIn::Query && p.wire == piece.wire)
                    {
                        continue;
                    }
                    if let Some(value) = &piece.value {
                        fixed_query.push((piece.wire.clone(), value.clone()));
                        continue;
                    }
                    let (name, _) = pnames.claim(ident::snake_name(&piece.wire));
                    params.push(Param {
                        name,
                        wire: piece.wire.clone(),
                        location: ParamIn::Query,
                        required: !piece.optional,
                        node: Node::new(Ty::Str(super::StrFormat::Plain)),
                        style: None,
                        explode: None,
                    });
                }
                self.match_template(
                    path,
                    &template.route,
                    &oloc,
                    &mut params,
                    &param_locs,
                    &mut pnames,
                );
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
                    method: super::http::Method::parse(method).unwrap_or(super::http::Method::Get),
                    template: super::http::PathTemplate::parse(&template.route),
                    path: template.route.clone(),
                    variants: Vec::new(),
                    error_set: None,
                    ok_variants: Vec::new(),
                    params,
                    fixed_query,
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
        self.unify_routes(&mut ops);
        ops
    }

    /// Paths that differ only in the names of their parameters (`/pets/{id}`, `/pets/{petId}`)
    /// are one route to a router: each later one takes the first one's template, and its path
    /// parameters the names there, in order.
    fn unify_routes(&mut self, ops: &mut [Operation]) {
        let mut first: BTreeMap<String, String> = BTreeMap::new();
        for op in ops {
            let shape = route_shape(&op.path);
            let Some(path) = first.get(&shape) else {
                first.insert(shape, op.path.clone());
                continue;
            };
            if *path == op.path {
                continue;
            }
            let (old, new) = (template_params(&op.path), template_params(path));
            for p in op.params.iter_mut().filter(|p| p.location == ParamIn::Path) {
                if let Some(i) = old.iter().position(|n| *n == p.wire) {
                    if let Some(name) = new.get(i) {
                        p.wire = name.clone();
                    }
                }
            }
            self.cx.warn(
                Kind::AmbiguousRoute,
                &op.loc,
                format!(
                    "`{} {}` and `{path}` differ only in parameter names, and a router sees one route; both are `{path}`",
                    op.method,
                    op.path
                ),
            );
            op.path = path.clone();
            op.template = super::http::PathTemplate::parse(path);
        }
    }

    /// The type of a parameter. One with neither `schema` nor `type` is a string; a 2.0
    /// parameter with a `schema`, or a 3.x one with a `type`, is read as its author meant.
    fn param_node(&mut self, rloc: &Loc, p: &Map<String, Value>, wire: &str, hint: &str) -> Node {
        let v2 = self.docs.version == Version::Swagger2;
        if v2 && p.contains_key("type") {
            return self.node(rloc, hint);
        }
        if !v2 && p.contains_key("schema") {
            return self.node(&rloc.join("schema"), hint);
        }
        if !v2 {
            if let Some(Value::Object(content)) = p.get("content") {
                return match content.keys().next() {
                    Some(mt) => self.node(&rloc.join("content").join(mt).join("schema"), hint),
                    None => Node::new(Ty::Any),
                };
            }
        }
        if v2 && p.contains_key("schema") {
            self.cx.warn(
                Kind::UntypedParam,
                &rloc.join("schema"),
                format!("parameter `{wire}` has a `schema`, which a 2.0 parameter outside the body does not take (it takes `type`); its `schema` is used"),
            );
            return self.node(&rloc.join("schema"), hint);
        }
        if !v2 && p.contains_key("type") {
            self.cx.warn(
                Kind::UntypedParam,
                &rloc.join("type"),
                format!("parameter `{wire}` has a `type`, which a 3.x parameter does not take (it takes `schema`); its `type` and the keywords beside it are read as its schema"),
            );
            return self.node(rloc, hint);
        }
        self.cx.warn(
            Kind::UntypedParam,
            rloc,
            format!("parameter `{wire}` has neither `schema` nor `type`; it is a string"),
        );
        Node::new(Ty::Str(super::StrFormat::Plain))
    }

    /// Makes the path parameters agree with the `{names}` of `route`: a declared path
    /// parameter the template lacks is left out, a `{name}` no parameter declares is a
    /// required string, and one of each with close names (`{accound_sid}`, `account_sid`) are
    /// taken as one, the declared parameter's type and name under the template's `{name}`.
    fn match_template(
        &mut self,
        path: &str,
        route: &str,
        oloc: &Loc,
        params: &mut Vec<Param>,
        param_locs: &[Loc],
        pnames: &mut Namespace,
    ) {
        let in_template = template_params(route);
        let mut undeclared: Vec<String> = Vec::new();
        for t in &in_template {
            let declared = params
                .iter()
                .any(|p| p.location == ParamIn::Path && p.wire == *t);
            if !declared && !undeclared.contains(t) {
                undeclared.push(t.clone());
            }
        }
        // `param_locs` are the locations of the declared parameters, the first of `params`.
        let mut unused: Vec<usize> = (0..param_locs.len())
            .filter(|&i| {
                params[i].location == ParamIn::Path && !in_template.contains(&params[i].wire)
            })
            .collect();
        let close = |a: &str, b: &str| edit_distance(&a.to_lowercase(), &b.to_lowercase()) <= 2;
        let mut paired: Vec<(String, usize)> = Vec::new();
        for t in &undeclared {
            let candidates: Vec<usize> = unused
                .iter()
                .copied()
                .filter(|&i| close(t, &params[i].wire))
                .collect();
            if let [i] = candidates[..] {
                if undeclared
                    .iter()
                    .filter(|u| close(u, &params[i].wire))
                    .count()
                    == 1
                {
                    paired.push((t.clone(), i));
                }
            }
        }
        for (t, i) in &paired {
            let declared = std::mem::replace(&mut params[*i].wire, t.clone());
            self.cx.warn(
                Kind::UndeclaredPathParam,
                oloc,
                format!("path template `{path}` has `{{{t}}}`, which no parameter declares, and the operation declares path parameter `{declared}`, which the template lacks; `{declared}` is taken for `{{{t}}}`"),
            );
        }
        undeclared.retain(|t| !paired.iter().any(|(p, _)| p == t));
        unused.retain(|i| !paired.iter().any(|(_, j)| j == i));
        for &i in unused.iter().rev() {
            self.cx.warn(
                Kind::UnusedPathParam,
                &param_locs[i],
                format!(
                    "path parameter `{}` does not appear in the path template `{path}`; it is left out",
                    params[i].wire
                ),
            );
            params.remove(i);
        }
        for t in undeclared {
            self.cx.warn(
                Kind::UndeclaredPathParam,
                oloc,
                format!("path template `{path}` has `{{{t}}}` but the operation declares no path parameter `{t}`; it is a required string path parameter"),
            );
            let (name, _) = pnames.claim(ident::snake_name(&t));
            params.push(Param {
                name,
                wire: t,
                location: ParamIn::Path,
                required: true,
                node: Node::new(Ty::Str(super::StrFormat::Plain)),
                style: None,
                explode: None,
            });
        }
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
                access: super::Access::ReadWrite,
                refused: false,
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

    /// The payload types of the 3.1 `webhooks`: each webhook's request body schemas are
    /// lowered like an operation's, an inline one named `<webhook> Webhook`, so a spec of
    /// webhooks only still gives the types of its payloads. Webhooks are neither routes nor
    /// client methods.
    pub(crate) fn webhooks(&mut self) {
        if self.docs.version == Version::Swagger2 {
            return;
        }
        let Some(Value::Object(hooks)) = self.docs.root().get("webhooks").cloned() else {
            return;
        };
        for hook in hooks.keys() {
            if hook.starts_with("x-") {
                continue;
            }
            let hloc = Loc::new(0, "/webhooks").join(hook);
            let Some((item_loc, item)) = self.deref_or(&hloc, "the webhook is left out") else {
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
                if !op.contains_key("requestBody") {
                    continue;
                }
                let raw = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or(hook);
                let Some((rloc, rb)) = self.deref_or(
                    &oloc.join("requestBody"),
                    "the webhook's payload is left out",
                ) else {
                    continue;
                };
                self.content(&rloc, &rb, &format!("{} Webhook", ident::type_name(raw)));
            }
        }
    }

    fn request_body(&mut self, loc: &Loc, type_name: &str) -> Option<Body> {
        let Some((rloc, rb)) =
            self.deref_or(loc, "the request body is kept as `serde_json::Value`")
        else {
            return self.broken_ref(loc).then(|| Body {
                required: false,
                content: contents(vec!["application/json".to_owned()], &Node::new(Ty::Any)),
            });
        };
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
                    self.cx.warn(
                        Kind::InvalidStatus,
                        &loc,
                        format!("response status `{code}` is not a status code (100 to 599), a range like `4XX`, or `default`; the response is left out"),
                    );
                    continue;
                }
            };
            let Some((rloc, r)) =
                self.deref_or(&loc, "the response is kept, its body `serde_json::Value`")
            else {
                if self.broken_ref(&loc) {
                    out.push(Response {
                        status,
                        content: contents(vec!["application/json".to_owned()], &Node::new(Ty::Any)),
                        headers: Vec::new(),
                        doc: Doc::default(),
                    });
                }
                continue;
            };
            if !r.contains_key("description") {
                self.cx.warn(
                    Kind::MissingDescription,
                    &rloc,
                    format!("response `{code}` has no `description`, which every response needs; it is generated without one"),
                );
            }
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

/// A template without its parameter names: `/pets/{id}` and `/pets/{petId}` are `/pets/{}`.
fn route_shape(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth = depth.saturating_sub(1);
                out.push('}');
            }
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A path template split from the query string some converted specs put in it
/// (`/latest?term={term}&amount={amount}`, or RFC 6570's `/latest{?term,amount}`).
#[derive(Debug, PartialEq)]
struct Template {
    /// The path part: the route.
    route: String,
    /// The pieces of the query string, in order.
    query: Vec<QueryPiece>,
}

/// `key={var}`, `{var}` or `key=value` in a template's query string.
#[derive(Debug, PartialEq)]
struct QueryPiece {
    /// The query parameter's name.
    wire: String,
    /// The `{var}` that gives its value.
    var: Option<String>,
    /// A literal value instead.
    value: Option<String>,
    /// An RFC 6570 form-style expansion (`{?page}`), which may be absent.
    optional: bool,
}

impl Template {
    fn parse(path: &str) -> Self {
        let mut depth = 0usize;
        let split = path.char_indices().find_map(|(i, c)| {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                '?' if depth == 0 => return Some(i),
                _ => {}
            }
            None
        });
        let (head, tail) = match split {
            Some(i) => (&path[..i], Some(&path[i + 1..])),
            None => (path, None),
        };
        let mut query: Vec<QueryPiece> = Vec::new();
        let mut push = |piece: QueryPiece| {
            if !piece.wire.is_empty() && !query.iter().any(|q| q.wire == piece.wire) {
                query.push(piece);
            }
        };
        let var = |s: &str| {
            s.strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .map(str::to_owned)
        };
        let mut route = String::new();
        let mut rest = head;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let inner = &rest[start + 1..start + len];
            route.push_str(&rest[..start]);
            match inner.strip_prefix('?').or_else(|| inner.strip_prefix('&')) {
                Some(names) => {
                    for n in names.split(',').map(str::trim) {
                        push(QueryPiece {
                            wire: n.to_owned(),
                            var: Some(n.to_owned()),
                            value: None,
                            optional: true,
                        });
                    }
                }
                None => route.push_str(&rest[start..=start + len]),
            }
            rest = &rest[start + len + 1..];
        }
        route.push_str(rest);
        for piece in tail.unwrap_or("").split('&') {
            let piece = match piece.split_once('=') {
                Some((key, value)) => match var(value) {
                    Some(v) => QueryPiece {
                        wire: key.to_owned(),
                        var: Some(v),
                        value: None,
                        optional: false,
                    },
                    None => QueryPiece {
                        wire: key.to_owned(),
                        var: None,
                        value: Some(value.to_owned()),
                        optional: false,
                    },
                },
                None => match var(piece) {
                    Some(v) => QueryPiece {
                        wire: v.clone(),
                        var: Some(v),
                        value: None,
                        optional: false,
                    },
                    None => QueryPiece {
                        wire: piece.to_owned(),
                        var: None,
                        value: Some(String::new()),
                        optional: false,
                    },
                },
            };
            push(piece);
        }
        if route.is_empty() {
            route.push('/');
        }
        Self { route, query }
    }

    /// The query parameter whose value is `{var}`, if the query string has one.
    fn query_key(&self, var: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|q| q.var.as_deref() == Some(var))
            .map(|q| q.wire.as_str())
    }
}

/// Levenshtein distance, by characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{QueryPiece, Template, edit_distance};

    fn piece(wire: &str, var: Option<&str>, value: Option<&str>) -> QueryPiece {
        QueryPiece {
            wire: wire.into(),
            var: var.map(Into::into),
            value: value.map(Into::into),
            optional: false,
        }
    }

    #[test]
    fn query_strings_in_templates() {
        let t = Template::parse("/api/iconsets/v3/latest?term={term}&amount={amount}");
        assert_eq!(t.route, "/api/iconsets/v3/latest");
        assert_eq!(
            t.query,
            [
                piece("term", Some("term"), None),
                piece("amount", Some("amount"), None)
            ]
        );
        assert_eq!(t.query_key("amount"), Some("amount"));
        let t = Template::parse("/items/{id}{?fields,sort}");
        assert_eq!(t.route, "/items/{id}");
        assert_eq!(t.query.len(), 2);
        assert!(t.query.iter().all(|q| q.optional));
        let t = Template::parse("/search?q={text}&format=json&pretty");
        assert_eq!(t.route, "/search");
        assert_eq!(
            t.query,
            [
                piece("q", Some("text"), None),
                piece("format", None, Some("json")),
                piece("pretty", None, Some(""))
            ]
        );
        assert_eq!(t.query_key("text"), Some("q"));
        let plain = Template::parse("/pets/{petId}");
        assert_eq!(
            (plain.route.as_str(), plain.query.len()),
            ("/pets/{petId}", 0)
        );
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("accound_sid", "account_sid"), 1);
        assert_eq!(edit_distance("id", "pet_id"), 4);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
