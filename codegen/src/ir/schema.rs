//! Lowering of schemas (2.0, 3.0 and 3.1 alike) into the type space.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Number, Value};

use super::{
    Checks, Doc, EnumVariant, Extra, Field, FloatFormat, IntFormat, Node, Persist, StrEnum,
    StrFormat, Struct, Ty, TypeDef, TypeId, TypeKind, TypeSpace, Union, UnionVariant,
};
use crate::Options;
use crate::diag::{Ctxt, Kind, Loc};
use crate::ident::{self, Namespace};
use crate::load::{Docs, Version};

/// String formats checked at run time (the others are typed or free text).
const CHECKED_FORMATS: &[&str] = &[
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "time",
    "duration",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// The state of lowering one API.
pub(crate) struct Lower<'a> {
    pub(crate) docs: &'a Docs,
    pub(crate) cx: &'a mut Ctxt,
    pub(crate) opts: &'a Options,
    defs: Vec<TypeDef>,
    by_loc: HashMap<Loc, TypeId>,
    /// Nodes of inline schemas that got a type, with their own default, doc and constraints.
    inline: HashMap<Loc, Node>,
    names: Namespace,
    queue: std::collections::VecDeque<(TypeId, Loc)>,
    /// Locations being merged by `allOf`, to stop at cycles.
    merging: HashSet<Loc>,
}

/// What a schema becomes before it is given a home.
enum Shape {
    /// A type expression.
    Node(Node),
    /// Needs a type definition of its own.
    Def(Box<TypeKind>, Node),
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        _ => None,
    }
}

fn str_of<'v>(m: &'v Map<String, Value>, k: &str) -> Option<&'v str> {
    m.get(k).and_then(Value::as_str)
}

/// Documentation keywords of a schema.
pub(crate) fn doc_of(m: &Map<String, Value>) -> Doc {
    Doc {
        title: str_of(m, "title")
            .or_else(|| str_of(m, "summary"))
            .map(str::to_owned),
        description: str_of(m, "description").map(str::to_owned),
        deprecated: m.get("deprecated") == Some(&Value::Bool(true)),
        read_only: m.get("readOnly") == Some(&Value::Bool(true)),
        write_only: m.get("writeOnly") == Some(&Value::Bool(true)),
    }
}

impl<'a> Lower<'a> {
    pub(crate) fn new(docs: &'a Docs, cx: &'a mut Ctxt, opts: &'a Options) -> Self {
        let mut names = Namespace::default();
        // Tuple-struct constructors would shadow these prelude values.
        for taken in ["Some", "None", "Ok", "Err"] {
            names.reserve(taken);
        }
        Self {
            docs,
            cx,
            opts,
            defs: Vec::new(),
            by_loc: HashMap::new(),
            inline: HashMap::new(),
            names,
            queue: std::collections::VecDeque::new(),
            merging: HashSet::new(),
        }
    }

    fn version(&self) -> Version {
        self.docs.version
    }

    /// Registers every named schema of the root document in spec order; returns how many.
    pub(crate) fn register_named(&mut self) -> usize {
        let (section, ptr) = match self.version() {
            Version::Swagger2 => (self.docs.root().get("definitions"), "/definitions"),
            _ => (
                self.docs
                    .root()
                    .get("components")
                    .and_then(|c| c.get("schemas")),
                "/components/schemas",
            ),
        };
        let Some(Value::Object(schemas)) = section else {
            return 0;
        };
        // `schemas: {$ref: ./schemas.json}` (not OpenAPI, but bundlers write it): the file's
        // schemas.
        let (base, keys): (Loc, Vec<String>) = if schemas.contains_key("$ref") {
            match self.deref_or(&Loc::new(0, ptr), "its schemas are left out") {
                Some((loc, m)) => (loc, m.keys().cloned().collect()),
                None => return 0,
            }
        } else {
            (Loc::new(0, ptr), schemas.keys().cloned().collect())
        };
        for key in &keys {
            let loc = base.join(key);
            self.register(&loc, key);
        }
        keys.len()
    }

    /// Gives a name to the schema at `loc` and queues it; returns its id.
    fn register(&mut self, loc: &Loc, raw_name: &str) -> TypeId {
        if let Some(&id) = self.by_loc.get(loc) {
            return id;
        }
        let want = ident::type_name(raw_name);
        let (name, renamed) = self.names.claim(want.clone());
        if renamed {
            self.cx.warn(
                Kind::NameCollision,
                loc,
                format!("schema `{raw_name}` would be named `{want}`, which is taken; it is named `{name}`"),
            );
        } else if raw_name != name && !raw_name.chars().all(|c| c.is_ascii_alphanumeric()) {
            // Not worth a warning: names like `io.k8s.api.core.v1.Pod` are normal.
        }
        let id = TypeId(self.defs.len());
        self.defs.push(TypeDef {
            name,
            origin: loc.clone(),
            schema_name: Some(raw_name.to_owned()),
            doc: Doc::default(),
            nullable: false,
            persist: None,
            view: None,
            kind: TypeKind::Alias(Node::new(Ty::Any)),
        });
        self.by_loc.insert(loc.clone(), id);
        self.queue.push_back((id, loc.clone()));
        id
    }

    /// Lowers every queued named schema, makes the request and response views `ops` need;
    /// returns the finished type space.
    pub(crate) fn finish(mut self, ops: &mut [super::Operation]) -> TypeSpace {
        self.drain();
        super::views::Views::new(&mut self.defs, &mut self.names, self.opts.reject_read_only)
            .apply(ops);
        let mut defs = self.defs;
        break_cycles(&mut defs);
        TypeSpace { defs }
    }

    /// Lowers queued named schemas until none is left.
    pub(crate) fn drain(&mut self) {
        while let Some((id, loc)) = self.queue.pop_front() {
            let Some(v) = self.docs.get(&loc).cloned() else {
                continue;
            };
            let name = self.defs[id.0].name.clone();
            let shape = self.shape(&loc, &v, &name);
            let persist = self.persist(&loc, &v);
            self.defs[id.0].persist = persist;
            let def = &mut self.defs[id.0];
            match shape {
                Shape::Def(kind, node) => {
                    def.kind = *kind;
                    def.doc = node.doc;
                    def.nullable = node.nullable;
                }
                Shape::Node(node) => {
                    def.doc = node.doc.clone();
                    def.kind = if matches!(node.ty, Ty::Named(_))
                        && node.checks.is_empty()
                        && !node.nullable
                    {
                        TypeKind::Alias(node)
                    } else {
                        TypeKind::Newtype(node)
                    };
                }
            }
        }
    }

    /// The node for the schema at `loc`; inline objects, enums and unions get a type named
    /// from `hint`.
    pub(crate) fn node(&mut self, loc: &Loc, hint: &str) -> Node {
        if let Some(node) = self.inline.get(loc) {
            return node.clone();
        }
        if let Some(&id) = self.by_loc.get(loc) {
            return Node::new(Ty::Named(id));
        }
        let Some(v) = self.docs.get(loc).cloned() else {
            return Node::new(Ty::Any);
        };
        let shape = self.shape(loc, &v, hint);
        self.home(loc, shape, hint)
    }

    /// The node of `shape`, the schema at `loc`: a type named from `hint` if it needs one.
    fn home(&mut self, loc: &Loc, shape: Shape, hint: &str) -> Node {
        match shape {
            Shape::Node(n) => n,
            Shape::Def(kind, node) => {
                let node = self.define(loc, *kind, node, hint);
                if let Ty::Named(id) = node.ty {
                    self.by_loc.insert(loc.clone(), id);
                }
                self.inline.insert(loc.clone(), node.clone());
                node
            }
        }
    }

    /// A new type of `kind` named from `hint`, documented by `node`; its node.
    fn define(&mut self, origin: &Loc, kind: TypeKind, mut node: Node, hint: &str) -> Node {
        let (name, _) = self.names.claim(ident::type_name(hint));
        let id = TypeId(self.defs.len());
        self.defs.push(TypeDef {
            name,
            origin: origin.clone(),
            schema_name: None,
            doc: std::mem::take(&mut node.doc),
            nullable: node.nullable,
            persist: None,
            view: None,
            kind,
        });
        node.ty = Ty::Named(id);
        node
    }

    /// The node of a variant made from the schema at `loc`: a type of its own if it needs one,
    /// not registered at `loc` (the union is).
    fn variant_node(&mut self, loc: &Loc, shape: Shape, hint: &str) -> Node {
        match shape {
            Shape::Node(n) => n,
            Shape::Def(kind, node) => self.define(loc, *kind, node, hint),
        }
    }

    /// A struct made by specbind (a 2.0 form body), named from `hint`.
    pub(crate) fn synthetic_struct(
        &mut self,
        origin: &Loc,
        hint: &str,
        fields: Vec<Field>,
    ) -> Node {
        let (name, _) = self.names.claim(ident::type_name(hint));
        let id = TypeId(self.defs.len());
        self.defs.push(TypeDef {
            name,
            origin: origin.clone(),
            schema_name: None,
            doc: Doc::default(),
            nullable: false,
            persist: None,
            view: None,
            kind: TypeKind::Struct(Struct {
                fields,
                extra: Extra::Ignore,
                min_properties: None,
                max_properties: None,
            }),
        });
        Node::new(Ty::Named(id))
    }

    /// Reads `x-persist`; the key must be a property of the schema.
    fn persist(&mut self, loc: &Loc, v: &Value) -> Option<Persist> {
        let ext = v.get("x-persist")?;
        let ploc = loc.join("x-persist");
        let persist = match ext {
            Value::Bool(true) => Persist {
                key: "id".into(),
                store: None,
                unique: Vec::new(),
            },
            Value::Bool(false) => return None,
            Value::String(path) => Persist {
                key: "id".into(),
                store: Some(path.clone()),
                unique: Vec::new(),
            },
            Value::Object(m) => Persist {
                key: str_of(m, "key").unwrap_or("id").to_owned(),
                store: str_of(m, "store").map(str::to_owned),
                unique: match m.get("unique") {
                    None => Vec::new(),
                    Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                    Some(_) => {
                        self.cx.error(
                            Kind::Extension,
                            &ploc.join("unique"),
                            "`unique` must be a list of property names",
                        );
                        Vec::new()
                    }
                },
            },
            _ => {
                self.cx.error(
                    Kind::Extension,
                    &ploc,
                    "`x-persist` must be `true`, a Rust path, or `{key: <property>}`",
                );
                return None;
            }
        };
        let has_key = self
            .deref(loc)
            .map(|(l, m)| self.has_property(&l, &m, &persist.key, 0))
            .unwrap_or(false);
        if !has_key {
            self.cx.error(
                Kind::Extension,
                &ploc,
                format!(
                    "`x-persist` key `{}` is not a property of the schema",
                    persist.key
                ),
            );
            return None;
        }
        Some(persist)
    }

    /// Whether the object schema (or one of its `allOf` members) has property `key`.
    fn has_property(&mut self, loc: &Loc, m: &Map<String, Value>, key: &str, depth: usize) -> bool {
        if m.get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.contains_key(key))
        {
            return true;
        }
        if depth > 16 {
            return false;
        }
        let count = m.get("allOf").and_then(Value::as_array).map_or(0, Vec::len);
        (0..count).any(|i| {
            self.deref(&loc.join("allOf").index(i))
                .is_some_and(|(l, m)| self.has_property(&l, &m, key, depth + 1))
        })
    }

    /// Follows `$ref` at `loc` to a named type.
    fn reference(&mut self, loc: &Loc, r: &str) -> Option<TypeId> {
        match self.docs.resolve(loc.doc, r) {
            Ok(target) => {
                if let Some(&id) = self.by_loc.get(&target) {
                    return Some(id);
                }
                let name = target.last();
                let name = if name.is_empty() || name.chars().all(|c| c.is_ascii_digit()) {
                    "Schema".to_owned()
                } else {
                    name
                };
                Some(self.register(&target, &name))
            }
            Err((kind, msg)) => {
                self.cx.warn(
                    kind,
                    &loc.join("$ref"),
                    format!("{msg}; it is `serde_json::Value` here"),
                );
                None
            }
        }
    }

    /// Resolves `$ref` chains to the schema object they end at. A `$ref` that cannot be
    /// followed is a warning that what it names is left out.
    pub(crate) fn deref(&mut self, loc: &Loc) -> Option<(Loc, Map<String, Value>)> {
        self.deref_or(loc, "what it names is left out")
    }

    /// [`Self::deref`], with `done` saying in the warning what becomes of a `$ref` that
    /// cannot be followed.
    pub(crate) fn deref_or(&mut self, loc: &Loc, done: &str) -> Option<(Loc, Map<String, Value>)> {
        let mut loc = loc.clone();
        for _ in 0..32 {
            match self.docs.get(&loc) {
                Some(Value::Object(m)) => match str_of(m, "$ref") {
                    Some(r) => match self.docs.resolve(loc.doc, r) {
                        Ok(t) => loc = t,
                        Err((kind, msg)) => {
                            self.cx
                                .warn(kind, &loc.join("$ref"), format!("{msg}; {done}"));
                            return None;
                        }
                    },
                    None => return Some((loc, m.clone())),
                },
                Some(Value::Bool(true)) => return Some((loc, Map::new())),
                _ => return None,
            }
        }
        None
    }

    /// Whether `loc` holds a `$ref` (or a chain of them) that cannot be followed.
    pub(crate) fn broken_ref(&self, loc: &Loc) -> bool {
        let mut loc = loc.clone();
        for _ in 0..32 {
            let Some(r) = self
                .docs
                .get(&loc)
                .and_then(|v| v.get("$ref"))
                .and_then(Value::as_str)
            else {
                return false;
            };
            match self.docs.resolve(loc.doc, r) {
                Ok(t) => loc = t,
                Err(_) => return true,
            }
        }
        false
    }

    fn shape(&mut self, loc: &Loc, v: &Value, hint: &str) -> Shape {
        let m = match v {
            Value::Object(m) => m,
            Value::Bool(true) => return Shape::Node(Node::new(Ty::Any)),
            Value::Bool(false) => {
                self.cx.warn(
                    Kind::Degraded,
                    loc,
                    "a `false` schema accepts nothing; it is represented as `serde_json::Value`",
                );
                return Shape::Node(Node::new(Ty::Any));
            }
            _ => {
                self.cx.warn(
                    Kind::InvalidSchema,
                    loc,
                    "a schema must be an object; it is `serde_json::Value`",
                );
                return Shape::Node(Node::new(Ty::Any));
            }
        };
        let mut shape = self.shape_inner(loc, m, hint);
        let base = match &mut shape {
            Shape::Node(n) | Shape::Def(_, n) => n,
        };
        let doc = doc_of(m);
        if base.doc == Doc::default() || doc.description.is_some() || doc.title.is_some() {
            base.doc = doc;
        }
        if self.nullable(loc, m) {
            base.nullable = true;
        }
        if base.default.is_none() {
            base.default = m.get("default").filter(|d| !d.is_null()).cloned();
        }
        shape
    }

    /// Whether the schema says `null` is allowed, in any version's spelling.
    fn nullable(&mut self, loc: &Loc, m: &Map<String, Value>) -> bool {
        let mut n = false;
        if m.get("nullable") == Some(&Value::Bool(true)) {
            if self.version() == Version::OpenApi31 {
                self.cx.warn(
                    Kind::Nullable31,
                    &loc.join("nullable"),
                    "`nullable` is not part of OpenAPI 3.1 (write `type: [T, \"null\"]`); it is honoured",
                );
            }
            n = true;
        }
        if m.get("x-nullable") == Some(&Value::Bool(true)) {
            n = true;
        }
        if let Some(Value::Array(types)) = m.get("type") {
            n |= types.iter().any(|t| t == "null");
        }
        if let Some(Value::Array(values)) = m.get("enum") {
            n |= values.iter().any(Value::is_null);
        }
        n
    }

    fn shape_inner(&mut self, loc: &Loc, m: &Map<String, Value>, hint: &str) -> Shape {
        if let Some(r) = str_of(m, "$ref") {
            let ty = self.reference(loc, r).map_or(Ty::Any, Ty::Named);
            return Shape::Node(Node::new(ty));
        }
        if let Some(Value::Array(all)) = m.get("allOf") {
            return self.all_of(loc, m, all.len(), hint);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(values) = m.get(key).and_then(consts) {
                // `type: integer, oneOf: [{const: 1, title: A}, ...]`: an enum.
                let mut m = m.clone();
                m.remove(key);
                m.insert("enum".into(), Value::Array(values));
                return self.shape_inner(loc, &m, hint);
            }
            if let Some(Value::Array(members)) = m.get(key) {
                if !m.contains_key("properties")
                    || members.iter().any(|x| {
                        x.get("$ref").is_some()
                            || x.get("type").is_some()
                            || x.get("properties").is_some()
                    })
                {
                    return self.union(loc, m, key, members.len(), hint);
                }
            }
        }
        let types: Vec<String> = match m.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        let ty = match types.as_slice() {
            [] => infer_type(m),
            [one] if !KNOWN_TYPES.contains(&one.as_str()) => match nearest_type(one) {
                Some(t) => {
                    self.cx.warn(
                        Kind::InvalidSchema,
                        &loc.join("type"),
                        format!("unknown type `{one}`; expected one of `string`, `integer`, `number`, `boolean`, `array`, `object`, `null`; it is read as `{t}`"),
                    );
                    t
                }
                None => one.as_str(),
            },
            [one] => one.as_str(),
            [a, b] if (a == "integer" && b == "number") || (a == "number" && b == "integer") => {
                "number"
            }
            several => return self.multi_type(loc, m, several, hint),
        };
        if let Some(Value::Array(values)) = m.get("enum") {
            let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
            if !values.is_empty()
                && values.iter().all(Value::is_string)
                && matches!(ty, "string" | "any")
            {
                return self.str_enum(loc, m, &values);
            }
        }
        let mut checks = self.checks(loc, m, ty);
        if let Some(Value::Array(values)) = m.get("enum") {
            let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
            if !values.is_empty() {
                checks.enumeration = Some(values);
            }
        }
        if let Some(c) = m.get("const") {
            checks.constant = Some(c.clone());
        }
        let ty = match ty {
            "string" => Ty::Str(match str_of(m, "format") {
                Some("date-time") => StrFormat::DateTime,
                Some("date") => StrFormat::Date,
                Some("uuid") => StrFormat::Uuid,
                Some("byte") => StrFormat::Byte,
                Some(f) => {
                    if CHECKED_FORMATS.contains(&f) {
                        checks.format = Some(f.to_owned());
                    }
                    StrFormat::Plain
                }
                None => StrFormat::Plain,
            }),
            "integer" => Ty::Int(match str_of(m, "format") {
                Some("int32" | "int16" | "int8") => IntFormat::I32,
                Some("uint32" | "uint16" | "uint8") => IntFormat::U32,
                Some("uint64" | "uint") => IntFormat::U64,
                _ => IntFormat::I64,
            }),
            "number" => Ty::Float(match str_of(m, "format") {
                Some("float") => FloatFormat::F32,
                _ => FloatFormat::F64,
            }),
            "boolean" => Ty::Bool,
            "null" | "any" => Ty::Any,
            "file" => Ty::Str(StrFormat::Plain),
            "array" => {
                let items = loc.join("items");
                let item = match m.get("items") {
                    Some(Value::Object(_) | Value::Bool(_)) => {
                        self.node(&items, &format!("{hint}Item"))
                    }
                    Some(Value::Array(list)) => self.tuple_items(loc, list, hint),
                    _ => Node::new(Ty::Any),
                };
                Ty::Array(Box::new(item))
            }
            "object" => return self.object(loc, m, hint, checks),
            other => {
                self.cx.warn(
                    Kind::InvalidSchema,
                    &loc.join("type"),
                    format!("unknown type `{other}`; expected one of `string`, `integer`, `number`, `boolean`, `array`, `object`, `null`; it is `serde_json::Value`"),
                );
                Ty::Any
            }
        };
        let mut node = Node::new(ty);
        node.checks = checks;
        Shape::Node(node)
    }

    /// `type: [string, array]`: a union with a variant per type, each the schema read as
    /// that one type.
    fn multi_type(
        &mut self,
        loc: &Loc,
        m: &Map<String, Value>,
        types: &[String],
        hint: &str,
    ) -> Shape {
        let mut ns = Namespace::default();
        let mut variants = Vec::new();
        for t in types {
            let mut one = m.clone();
            one.insert("type".into(), Value::String(t.clone()));
            one.remove("nullable");
            let base = match t.as_str() {
                "string" => "String",
                "integer" => "Integer",
                "number" => "Number",
                "boolean" => "Boolean",
                "array" => "Array",
                "object" => "Object",
                _ => "Value",
            };
            let shape = self.shape_inner(loc, &one, &format!("{hint} {base}"));
            let mut node = self.variant_node(loc, shape, &format!("{hint} {base}"));
            node.nullable = false;
            let (name, _) = ns.claim(base.to_owned());
            variants.push(UnionVariant {
                name,
                node,
                tags: Vec::new(),
            });
        }
        // Catch-all variants go last so they do not shadow the others.
        variants.sort_by_key(|v| matches!(v.node.ty, Ty::Any | Ty::Object));
        Shape::Def(
            Box::new(TypeKind::Union(Union {
                variants,
                tag: None,
            })),
            Node::new(Ty::Any),
        )
    }

    /// Tuple `items` (an array of schemas, one per position): items of any of those schemas,
    /// an untagged union; one schema repeated is that schema.
    fn tuple_items(&mut self, loc: &Loc, list: &[Value], hint: &str) -> Node {
        let items = loc.join("items");
        let item_hint = format!("{hint}Item");
        if let Some(first) = list.first() {
            if list.iter().all(|v| v == first) {
                return self.node(&items.index(0), &item_hint);
            }
        }
        self.cx.warn(
            Kind::Degraded,
            &items,
            "tuple `items` (a schema per position) are read as items of any of those schemas",
        );
        let shape = self.union(loc, &Map::new(), "items", list.len(), &item_hint);
        self.home(&items, shape, &item_hint)
    }

    /// `allOf: [{anyOf: [A, B]}, {properties: ...}]`: a union of `A` and `B`, each merged with
    /// the other members, as `anyOf: [allOf: [A, ...], allOf: [B, ...]]` says; `None` when the
    /// members are not one union of objects and objects.
    fn all_of_union(
        &mut self,
        loc: &Loc,
        m: &Map<String, Value>,
        count: usize,
        hint: &str,
    ) -> Option<Shape> {
        let mut union = None;
        for i in 0..count {
            let (rloc, rm) = self.deref(&loc.join("allOf").index(i))?;
            let key = ["oneOf", "anyOf"]
                .into_iter()
                .find(|k| rm.get(*k).is_some_and(Value::is_array));
            match key {
                Some(key) if union.is_none() && !rm.contains_key("properties") => {
                    union = Some((rloc, rm, key));
                }
                _ if is_objectish(&rm) || !is_schema_content(&rm) => {}
                _ => return None,
            }
        }
        let (uloc, um, key) = union?;
        let n = um.get(key).and_then(Value::as_array).map_or(0, Vec::len);
        let mut members = Vec::new();
        let mut nullable = false;
        for j in 0..n {
            let mloc = uloc.join(key).index(j);
            let (vloc, vm) = self.deref(&mloc)?;
            if vm.get("type") == Some(&Value::String("null".into())) {
                nullable = true;
                continue;
            }
            if !is_objectish(&vm) {
                return None;
            }
            let raw_ref = self
                .docs
                .get(&mloc)
                .and_then(|v| v.get("$ref"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            members.push((vloc, vm, raw_ref));
        }
        let tag = um.get("discriminator").and_then(|d| match d {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => str_of(o, "propertyName").map(str::to_owned),
            _ => None,
        });
        let mapping: Vec<(String, String)> = um
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        let mut ns = Namespace::default();
        let mut variants = Vec::new();
        let mut tagged = tag.is_some();
        for (j, (vloc, vm, raw_ref)) in members.into_iter().enumerate() {
            let base = match &raw_ref {
                Some(_) => ident::type_name(&vloc.last()),
                None => format!("Variant{j}"),
            };
            let vhint = format!("{hint} {base}");
            let mut fields = Vec::new();
            let mut fns = Namespace::default();
            let mut extra = None;
            self.merge_into(&vloc, &vm, &vhint, &mut fields, &mut fns, &mut extra);
            self.merge_into(loc, m, &vhint, &mut fields, &mut fns, &mut extra);
            let extra = match extra {
                Some((eloc, v)) => self.extra(&eloc, Some(&v), &vhint, &mut fns),
                None => Extra::Ignore,
            };
            let checks = self.checks(&vloc, &vm, "object");
            let Shape::Def(kind, node) = struct_shape(fields, extra, &checks) else {
                return None;
            };
            let mut node = self.define(&vloc, *kind, node, &vhint);
            node.doc = doc_of(&vm);
            let mut tags: Vec<String> = Vec::new();
            match &raw_ref {
                Some(r) => {
                    for (value, to) in &mapping {
                        let target = self.docs.resolve(0, to).ok();
                        if to == r || target.as_ref() == Some(&vloc) || vloc.last() == *to {
                            tags.push(value.clone());
                        }
                    }
                    if tags.is_empty() {
                        tags.push(vloc.last());
                    }
                }
                None => tagged = false,
            }
            let (name, _) = ns.claim(base);
            variants.push(UnionVariant { name, node, tags });
        }
        if variants.len() == 1 {
            let mut node = variants.remove(0).node;
            node.nullable |= nullable;
            return Some(Shape::Node(node));
        }
        let mut node = Node::new(Ty::Any);
        node.nullable = nullable;
        Some(Shape::Def(
            Box::new(TypeKind::Union(Union {
                variants,
                tag: if tagged { tag } else { None },
            })),
            node,
        ))
    }

    fn str_enum(&mut self, loc: &Loc, m: &Map<String, Value>, values: &[Value]) -> Shape {
        let mut ns = Namespace::default();
        let mut variants = Vec::new();
        let mut seen = HashSet::new();
        for (i, v) in values.iter().enumerate() {
            let value = v.as_str().unwrap_or_default().to_owned();
            if !seen.insert(value.clone()) {
                self.cx.warn(
                    Kind::DuplicateEnumValue,
                    &loc.join("enum").index(i),
                    format!("enum value `{value}` is listed twice"),
                );
                continue;
            }
            let want = ident::variant_name(&value);
            let (name, renamed) = ns.claim(want.clone());
            if renamed {
                self.cx.warn(
                    Kind::NameCollision,
                    &loc.join("enum").index(i),
                    format!("enum value `{value}` would be variant `{want}`, which is taken; it is `{name}`"),
                );
            }
            variants.push(EnumVariant { name, value });
        }
        if self.opts.enum_fallback {
            ns.claim("Unknown".to_owned());
        }
        let default = m
            .get("default")
            .and_then(Value::as_str)
            .and_then(|d| variants.iter().position(|v| v.value == d));
        Shape::Def(
            Box::new(TypeKind::Enum(StrEnum {
                variants,
                fallback: self.opts.enum_fallback,
                default,
            })),
            Node::new(Ty::Any),
        )
    }

    fn object(&mut self, loc: &Loc, m: &Map<String, Value>, hint: &str, checks: Checks) -> Shape {
        let props = m.get("properties").and_then(Value::as_object);
        let additional = m.get("additionalProperties");
        let has_props = props.is_some_and(|p| !p.is_empty())
            || m.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| !r.is_empty());
        if !has_props {
            let mut node = match additional {
                Some(Value::Object(a)) if !a.is_empty() => {
                    let value =
                        self.node(&loc.join("additionalProperties"), &format!("{hint}Value"));
                    Node::new(Ty::Map(Box::new(value)))
                }
                Some(Value::Bool(false)) => {
                    return Shape::Def(
                        Box::new(TypeKind::Struct(Struct {
                            fields: Vec::new(),
                            extra: Extra::Deny,
                            min_properties: None,
                            max_properties: None,
                        })),
                        Node::new(Ty::Any),
                    );
                }
                _ => Node::new(Ty::Object),
            };
            node.checks = checks;
            return Shape::Node(node);
        }
        let mut fields = Vec::new();
        let mut ns = Namespace::default();
        self.fields(loc, m, hint, &mut fields, &mut ns);
        let extra = self.extra(loc, additional, hint, &mut ns);
        struct_shape(fields, extra, &checks)
    }

    fn extra(
        &mut self,
        loc: &Loc,
        additional: Option<&Value>,
        hint: &str,
        ns: &mut Namespace,
    ) -> Extra {
        match additional {
            Some(Value::Bool(false)) => Extra::Deny,
            Some(Value::Bool(true)) => Extra::Map {
                name: ns.claim("additional_properties".into()).0,
                node: Box::new(Node::new(Ty::Any)),
            },
            Some(Value::Object(a)) => {
                let node = if a.is_empty() {
                    Node::new(Ty::Any)
                } else {
                    self.node(&loc.join("additionalProperties"), &format!("{hint}Value"))
                };
                Extra::Map {
                    name: ns.claim("additional_properties".into()).0,
                    node: Box::new(node),
                }
            }
            _ => Extra::Ignore,
        }
    }

    /// Appends the properties of the object schema `m` at `loc` to `fields`.
    fn fields(
        &mut self,
        loc: &Loc,
        m: &Map<String, Value>,
        hint: &str,
        fields: &mut Vec<Field>,
        ns: &mut Namespace,
    ) {
        let required: Vec<&str> = m
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(props) = m.get("properties").and_then(Value::as_object) {
            for key in props.keys() {
                let ploc = loc.join("properties").join(key);
                if let Some(existing) = fields.iter_mut().find(|f| f.wire == *key) {
                    existing.required |= required.contains(&key.as_str());
                    continue;
                }
                let node = self.node(&ploc, &format!("{hint} {key}"));
                let want = ident::snake_name(key);
                let (name, renamed) = ns.claim(want.clone());
                if renamed {
                    self.cx.warn(
                        Kind::NameCollision,
                        &ploc,
                        format!("property `{key}` would be field `{want}`, which is taken; it is `{name}`"),
                    );
                }
                fields.push(Field {
                    name,
                    wire: key.clone(),
                    access: super::Access::of(&node.doc),
                    node,
                    required: required.contains(&key.as_str()),
                    refused: false,
                });
            }
        }
        for key in required {
            if let Some(f) = fields.iter_mut().find(|f| f.wire == key) {
                f.required = true;
            } else if !m
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| p.contains_key(key))
            {
                let (name, _) = ns.claim(ident::snake_name(key));
                fields.push(Field {
                    name,
                    wire: key.to_owned(),
                    node: Node::new(Ty::Any),
                    required: true,
                    access: super::Access::ReadWrite,
                    refused: false,
                });
            }
        }
    }

    fn all_of(&mut self, loc: &Loc, m: &Map<String, Value>, count: usize, hint: &str) -> Shape {
        // Resolve members; drop the ones that only carry documentation or a default (okta's
        // `allOf: [{$ref: EnabledStatus}, {default: DISABLED}]`), keeping the default.
        let mut members: Vec<(Loc, Map<String, Value>, bool)> = Vec::new();
        let mut default = None;
        for i in 0..count {
            let mloc = loc.join("allOf").index(i);
            let is_ref = self.docs.get(&mloc).and_then(|v| v.get("$ref")).is_some();
            if let Some((rloc, rm)) = self.deref(&mloc) {
                if is_schema_content(&rm) && !only_keys(&rm, &["default"]) {
                    members.push((if is_ref { rloc } else { mloc }, rm, is_ref));
                } else if let Some(d) = rm.get("default") {
                    default.get_or_insert_with(|| d.clone());
                }
            }
        }
        // A member that only restates the type of a `$ref`'d one (`{type: string}` beside a
        // string enum) says nothing more.
        let ref_types: Vec<&str> = members
            .iter()
            .filter(|(_, _, is_ref)| *is_ref)
            .map(|(_, rm, _)| infer_type(rm))
            .collect();
        if !ref_types.is_empty() {
            members.retain(|(_, rm, is_ref)| {
                *is_ref
                    || !(only_keys(rm, &["type", "format", "default"])
                        && ref_types.contains(&infer_type(rm)))
            });
        }
        let own_props = m.contains_key("properties") || m.contains_key("additionalProperties");
        if members.len() == 1 && !own_props {
            let (mloc, _, is_ref) = members.remove(0);
            let mut node = if is_ref {
                match self.by_loc.get(&mloc) {
                    Some(&id) => Node::new(Ty::Named(id)),
                    None => {
                        let name = mloc.last();
                        Node::new(Ty::Named(self.register(&mloc, &name)))
                    }
                }
            } else {
                self.node(&mloc, hint)
            };
            let ty = infer_type(m);
            let extra = self.checks(loc, m, ty);
            if !extra.is_empty() && node.checks.is_empty() && !matches!(node.ty, Ty::Named(_)) {
                node.checks = extra;
            }
            if node.default.is_none() {
                node.default = default.filter(|d| !d.is_null());
            }
            return Shape::Node(node);
        }
        let objectish = members.iter().all(|(_, rm, _)| is_objectish(rm));
        if !objectish {
            if let Some(shape) = self.all_of_union(loc, m, count, hint) {
                return shape;
            }
            self.cx.warn(
                Kind::Degraded,
                &loc.join("allOf"),
                "`allOf` of schemas that are not all objects is represented as `serde_json::Value`",
            );
            return Shape::Node(Node::new(Ty::Any));
        }
        let mut fields = Vec::new();
        let mut ns = Namespace::default();
        let mut extra = None;
        self.merge_into(loc, m, hint, &mut fields, &mut ns, &mut extra);
        let extra = match extra {
            Some((eloc, v)) => self.extra(&eloc, Some(&v), hint, &mut ns),
            None => Extra::Ignore,
        };
        let checks = self.checks(loc, m, "object");
        struct_shape(fields, extra, &checks)
    }

    /// Merges the properties of `m` and of its `allOf` members (recursively) into `fields`.
    fn merge_into(
        &mut self,
        loc: &Loc,
        m: &Map<String, Value>,
        hint: &str,
        fields: &mut Vec<Field>,
        ns: &mut Namespace,
        extra: &mut Option<(Loc, Value)>,
    ) {
        if !self.merging.insert(loc.clone()) {
            self.cx.warn(
                Kind::Degraded,
                loc,
                "`allOf` refers back to itself; the cycle is cut here",
            );
            return;
        }
        if let Some(Value::Array(all)) = m.get("allOf") {
            for i in 0..all.len() {
                let mloc = loc.join("allOf").index(i);
                if let Some((rloc, rm)) = self.deref(&mloc) {
                    self.merge_into(&rloc, &rm, hint, fields, ns, extra);
                }
            }
        }
        self.fields(loc, m, hint, fields, ns);
        if let Some(a) = m.get("additionalProperties") {
            if extra.is_none() || a == &Value::Bool(false) {
                *extra = Some((loc.clone(), a.clone()));
            }
        }
        self.merging.remove(loc);
    }

    fn union(
        &mut self,
        loc: &Loc,
        m: &Map<String, Value>,
        key: &str,
        count: usize,
        hint: &str,
    ) -> Shape {
        let mut members = Vec::new();
        let mut nullable = false;
        for i in 0..count {
            let mloc = loc.join(key).index(i);
            let v = self.docs.get(&mloc);
            let is_null = v.is_some_and(|v| {
                v.get("type") == Some(&Value::String("null".into()))
                    || v.get("enum")
                        .is_some_and(|e| e == &Value::Array(vec![Value::Null]))
            });
            if is_null {
                nullable = true;
            } else {
                members.push(mloc);
            }
        }
        if members.is_empty() {
            let mut n = Node::new(Ty::Any);
            n.nullable = nullable;
            return Shape::Node(n);
        }
        if members.len() == 1 {
            let mut n = self.node(&members[0], hint);
            n.nullable |= nullable;
            return Shape::Node(n);
        }
        // The discriminator: property name and value → member `$ref`.
        let disc = m.get("discriminator");
        let tag = disc.and_then(|d| match d {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => str_of(o, "propertyName").map(str::to_owned),
            _ => None,
        });
        let mapping: Vec<(String, String)> = disc
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        let mut ns = Namespace::default();
        let mut variants = Vec::new();
        let mut tagged = tag.is_some();
        for (i, mloc) in members.iter().enumerate() {
            let vhint = format!("{hint} Variant{i}");
            let node = self.node(mloc, &vhint);
            let raw_ref = self
                .docs
                .get(mloc)
                .and_then(|v| v.get("$ref"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            let base_name = match (&node.ty, &raw_ref) {
                (Ty::Named(id), Some(_)) => self.defs[id.0].name.clone(),
                (Ty::Named(id), None) => match self.defs[id.0].kind {
                    TypeKind::Struct(_) => "Object".into(),
                    TypeKind::Enum(_) => "String".into(),
                    _ => format!("Variant{i}"),
                },
                (Ty::Str(_), _) => "String".into(),
                (Ty::Int(_), _) => "Integer".into(),
                (Ty::Float(_), _) => "Number".into(),
                (Ty::Bool, _) => "Boolean".into(),
                (Ty::Array(_), _) => "Array".into(),
                (Ty::Map(_) | Ty::Object, _) => "Object".into(),
                _ => format!("Variant{i}"),
            };
            let (name, _) = ns.claim(base_name);
            let mut tags = Vec::new();
            if let Some(r) = &raw_ref {
                let target = self.docs.resolve(mloc.doc, r).ok();
                for (value, to) in &mapping {
                    let same = to == r
                        || target.is_some()
                            && (self.docs.resolve(0, to).ok() == target
                                || target.as_ref().is_some_and(|t| t.last() == *to));
                    if same {
                        tags.push(value.clone());
                    }
                }
                if tags.is_empty() {
                    if let Some(t) = &target {
                        tags.push(t.last());
                    }
                }
            } else if tag.is_some() {
                tagged = false;
            }
            variants.push(UnionVariant { name, node, tags });
        }
        if tag.is_some() && !tagged {
            self.cx.warn(
                Kind::UntaggedDiscriminator,
                &loc.join("discriminator"),
                "a discriminator needs every variant to be a `$ref`; the variants are told apart by shape instead",
            );
        }
        // Catch-all variants go last so they do not shadow the others.
        variants.sort_by_key(|v| matches!(v.node.ty, Ty::Any | Ty::Object));
        let mut node = Node::new(Ty::Any);
        node.nullable = nullable;
        Shape::Def(
            Box::new(TypeKind::Union(Union {
                variants,
                tag: if tagged { tag } else { None },
            })),
            node,
        )
    }

    /// Reads the constraints of a schema, reporting values that are not valid.
    pub(crate) fn checks(&mut self, loc: &Loc, m: &Map<String, Value>, ty: &str) -> Checks {
        let mut c = Checks::default();
        let count = |this: &mut Self, key: &str| -> Option<u64> {
            let v = m.get(key)?;
            match as_u64(v) {
                Some(n) => Some(n),
                None => {
                    this.cx.warn(
                        Kind::InvalidConstraint,
                        &loc.join(key),
                        format!(
                            "`{key}` must be a non-negative integer, got `{v}`; it is not checked"
                        ),
                    );
                    None
                }
            }
        };
        if ty == "string" || ty == "any" {
            c.min_length = count(self, "minLength");
            c.max_length = count(self, "maxLength");
            if let Some(p) = m.get("pattern") {
                match p.as_str() {
                    Some(p) => c.pattern = self.pattern(&loc.join("pattern"), p),
                    None => self.cx.warn(
                        Kind::InvalidConstraint,
                        &loc.join("pattern"),
                        "`pattern` must be a string; it is not checked",
                    ),
                }
            }
        }
        if ty == "array" {
            c.min_items = count(self, "minItems");
            c.max_items = count(self, "maxItems");
            c.unique_items = m.get("uniqueItems") == Some(&Value::Bool(true));
        }
        if ty == "object" {
            c.min_properties = count(self, "minProperties");
            c.max_properties = count(self, "maxProperties");
        }
        if ty == "integer" || ty == "number" {
            let num = |this: &mut Self, key: &str| -> Option<Number> {
                match m.get(key)? {
                    Value::Number(n) => Some(n.clone()),
                    Value::Bool(_) => None,
                    other => {
                        this.cx.warn(
                            Kind::InvalidConstraint,
                            &loc.join(key),
                            format!("`{key}` must be a number, got `{other}`; it is not checked"),
                        );
                        None
                    }
                }
            };
            let min = num(self, "minimum");
            let max = num(self, "maximum");
            let ex_min = num(self, "exclusiveMinimum");
            let ex_max = num(self, "exclusiveMaximum");
            if m.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
                c.exclusive_minimum = min;
            } else {
                c.minimum = min;
                c.exclusive_minimum = ex_min;
            }
            if m.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
                c.exclusive_maximum = max;
            } else {
                c.maximum = max;
                c.exclusive_maximum = ex_max;
            }
            if let Some(n) = num(self, "multipleOf") {
                if n.as_f64().is_some_and(|f| f > 0.0) {
                    c.multiple_of = Some(n);
                } else {
                    self.cx.warn(
                        Kind::InvalidConstraint,
                        &loc.join("multipleOf"),
                        format!(
                            "`multipleOf` must be greater than 0, got `{n}`; it is not checked"
                        ),
                    );
                }
            }
        }
        c
    }
}

impl Lower<'_> {
    /// Reads a `pattern`: the source to check, or `None` (with a warning) when it is not an
    /// ECMA-262 regular expression. Patterns that need the backtracking engine are warned about.
    fn pattern(&mut self, loc: &Loc, p: &str) -> Option<String> {
        match specbind_pattern::translate(p) {
            Ok(t) => {
                if t.engine == specbind_pattern::Engine::Backtracking {
                    self.cx.warn(
                        Kind::BacktrackingPattern,
                        loc,
                        format!(
                            "`pattern` `{p}` uses {}, which needs a backtracking engine: values are \
                             checked within a budget, and one that needs more is refused as too \
                             expensive to check",
                            t.needs.join(" and ")
                        ),
                    );
                }
                for caveat in &t.caveats {
                    self.cx.warn(
                        Kind::BacktrackingPattern,
                        loc,
                        format!("`pattern` `{p}`: {caveat}"),
                    );
                }
                Some(p.to_owned())
            }
            Err(e) => {
                self.cx.warn(
                    Kind::InvalidPattern,
                    loc,
                    format!("`pattern` `{p}` is not a valid ECMA-262 regular expression ({e}); it is not checked"),
                );
                None
            }
        }
    }
}

/// The shape of an object type with these fields.
fn struct_shape(fields: Vec<Field>, extra: Extra, checks: &Checks) -> Shape {
    Shape::Def(
        Box::new(TypeKind::Struct(Struct {
            fields,
            extra,
            min_properties: checks.min_properties,
            max_properties: checks.max_properties,
        })),
        Node::new(Ty::Any),
    )
}

/// The values of `oneOf: [{const: 1, title: A}, {const: 2, title: B}]` (members with only a
/// `const` or a one-value `enum`, and documentation), if that is what it is.
fn consts(members: &Value) -> Option<Vec<Value>> {
    let members = members.as_array().filter(|m| !m.is_empty())?;
    members
        .iter()
        .map(|x| {
            let x = x.as_object()?;
            let value = match (x.get("const"), x.get("enum")) {
                (Some(c), None) => c.clone(),
                (None, Some(Value::Array(e))) if e.len() == 1 => e[0].clone(),
                _ => return None,
            };
            let only_docs = x.keys().all(|k| {
                matches!(
                    k.as_str(),
                    "const" | "enum" | "title" | "description" | "type" | "format"
                ) || k.starts_with("x-")
            });
            (only_docs && !value.is_null()).then_some(value)
        })
        .collect()
}

/// The values of `type` (2.0's `file` included).
const KNOWN_TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file",
];

/// The type an unknown `type` most likely means: a common alias (`int`, `double`, `bool`,
/// `date`) or a known type one or two typos away (`strng`).
fn nearest_type(t: &str) -> Option<&'static str> {
    let lower = t.to_ascii_lowercase();
    let alias = match lower.as_str() {
        "int" | "int32" | "int64" | "long" | "short" => Some("integer"),
        "float" | "double" | "decimal" | "numeric" => Some("number"),
        "bool" => Some("boolean"),
        "str" | "date" | "datetime" | "date-time" | "uuid" | "text" => Some("string"),
        "list" => Some("array"),
        "map" | "dict" => Some("object"),
        _ => None,
    };
    if alias.is_some() {
        return alias;
    }
    let close: Vec<&'static str> = KNOWN_TYPES
        .iter()
        .copied()
        .filter(|k| *k != "null" && *k != "file")
        .filter(|k| super::operation::edit_distance(&lower, k) <= 2)
        .collect();
    match close[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// Whether every keyword of `m` is documentation or one of `keys`.
fn only_keys(m: &Map<String, Value>, keys: &[&str]) -> bool {
    m.keys().all(|k| {
        keys.contains(&k.as_str())
            || !is_schema_content(&Map::from_iter([(k.clone(), Value::Null)]))
    })
}

/// Whether a schema says anything beyond documentation.
fn is_schema_content(m: &Map<String, Value>) -> bool {
    m.keys().any(|k| {
        !matches!(
            k.as_str(),
            "description"
                | "title"
                | "example"
                | "examples"
                | "deprecated"
                | "readOnly"
                | "writeOnly"
                | "externalDocs"
                | "xml"
                | "nullable"
                | "x-nullable"
        ) && !k.starts_with("x-")
    })
}

fn is_objectish(m: &Map<String, Value>) -> bool {
    matches!(
        m.get("type"),
        None | Some(Value::String(_)) | Some(Value::Array(_))
    ) && infer_type(m) == "object"
        || m.contains_key("allOf")
}

/// The type a schema without `type` has, from its keywords.
fn infer_type(m: &Map<String, Value>) -> &'static str {
    if let Some(Value::String(t)) = m.get("type") {
        return match t.as_str() {
            "object" => "object",
            "array" => "array",
            "string" => "string",
            "integer" => "integer",
            "number" => "number",
            "boolean" => "boolean",
            _ => "any",
        };
    }
    let has = |ks: &[&str]| ks.iter().any(|k| m.contains_key(*k));
    if has(&[
        "properties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
        "patternProperties",
    ]) {
        "object"
    } else if has(&["items", "minItems", "maxItems", "uniqueItems"]) {
        "array"
    } else if has(&["minLength", "maxLength", "pattern"]) {
        "string"
    } else if has(&[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ]) {
        "number"
    } else if let Some(Value::Array(values)) = m.get("enum") {
        let vals: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if !vals.is_empty() && vals.iter().all(|v| v.is_string()) {
            "string"
        } else if !vals.is_empty() && vals.iter().all(|v| v.is_i64() || v.is_u64()) {
            "integer"
        } else if !vals.is_empty() && vals.iter().all(|v| v.is_number()) {
            "number"
        } else if !vals.is_empty() && vals.iter().all(|v| v.is_boolean()) {
            "boolean"
        } else {
            "any"
        }
    } else {
        "any"
    }
}

/// Boxes every reference that closes a cycle of by-value containment, so types have a size.
pub(crate) fn break_cycles(defs: &mut [TypeDef]) {
    // Edges: a type holds another by value (not through Vec or a map).
    fn direct(node: &Node, out: &mut Vec<usize>) {
        match &node.ty {
            Ty::Named(id) if !node.boxed => out.push(id.0),
            _ => {}
        }
    }
    fn edges(def: &TypeDef) -> Vec<usize> {
        let mut out = Vec::new();
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| direct(&f.node, &mut out)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| direct(&v.node, &mut out)),
            TypeKind::Newtype(n) | TypeKind::Alias(n) => direct(n, &mut out),
            TypeKind::Enum(_) => {}
        }
        out
    }
    let graph: Vec<Vec<usize>> = defs.iter().map(edges).collect();
    let scc = tarjan(&graph);
    let same = |a: usize, b: usize| scc[a] == scc[b];
    for (i, def) in defs.iter_mut().enumerate() {
        let box_if = |node: &mut Node| {
            if let Ty::Named(id) = node.ty {
                if same(i, id.0) {
                    node.boxed = true;
                }
            }
        };
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_if(&mut f.node)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| box_if(&mut v.node)),
            TypeKind::Newtype(node) => box_if(node),
            TypeKind::Alias(node) => {
                if let Ty::Named(id) = node.ty {
                    if same(i, id.0) {
                        // An alias cycle has no Rust type: fall back to a value.
                        *node = Node::new(Ty::Any);
                    }
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
}

/// Strongly connected components (iterative Tarjan): component index per node.
fn tarjan(graph: &[Vec<usize>]) -> Vec<usize> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut ncomp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(top) = work.len().checked_sub(1) {
            let (v, ei) = work[top];
            if ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if ei < graph[v].len() {
                let w = graph[v][ei];
                work[top].1 += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = ncomp;
                        if w == v {
                            break;
                        }
                    }
                    ncomp += 1;
                }
            }
        }
    }
    comp
}
