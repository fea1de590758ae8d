//! Request and response views of schemas with `readOnly` and `writeOnly` properties.
//!
//! A schema's Rust type is the full model (what `x-persist` stores and a handler works with).
//! A request body gets its request view, without the `readOnly` properties (which the server
//! then never takes from a client, and never requires); a response body gets its response
//! view, without the `writeOnly` properties (which the server then can never send). A view is
//! made only for a schema that has such properties, or holds one that does; the others are
//! their own views.

use std::collections::HashMap;

use super::{
    Access, Doc, Field, Node, Operation, Side, Struct, Ty, TypeDef, TypeId, TypeKind, View,
};

/// Which types need a view for a side: they have a property the side drops, or hold a type
/// that needs one.
pub(crate) fn needs(defs: &[TypeDef], side: Side) -> Vec<bool> {
    let drops = |f: &Field| field_access(defs, f) == dropped(side);
    let mut need: Vec<bool> = defs
        .iter()
        .map(|d| match &d.kind {
            TypeKind::Struct(s) => s.fields.iter().any(drops),
            _ => false,
        })
        .collect();
    // Containment is a graph with cycles: iterate to the fixpoint.
    loop {
        let mut changed = false;
        for (i, d) in defs.iter().enumerate() {
            if need[i] {
                continue;
            }
            let mut holds = false;
            each_node(&d.kind, &mut |n| holds |= node_needs(n, &need));
            if holds {
                need[i] = true;
                changed = true;
            }
        }
        if !changed {
            return need;
        }
    }
}

/// The access of a field: its own `readOnly` / `writeOnly`, or that of the schema it names.
pub(crate) fn field_access(defs: &[TypeDef], f: &Field) -> Access {
    match (f.access, &f.node.ty) {
        (Access::ReadWrite, Ty::Named(id)) => Access::of(&defs[id.0].doc),
        (a, _) => a,
    }
}

/// The access a side leaves out.
fn dropped(side: Side) -> Access {
    match side {
        Side::Request => Access::ReadOnly,
        Side::Response => Access::WriteOnly,
    }
}

fn each_node(kind: &TypeKind, f: &mut dyn FnMut(&Node)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|x| f(&x.node));
            if let super::Extra::Map { node, .. } = &s.extra {
                f(node);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| f(&v.node)),
        TypeKind::Newtype(n) | TypeKind::Alias(n) => f(n),
        TypeKind::Enum(_) => {}
    }
}

fn node_needs(n: &Node, need: &[bool]) -> bool {
    match &n.ty {
        Ty::Named(id) => need[id.0],
        Ty::Array(item) | Ty::Map(item) => node_needs(item, need),
        _ => false,
    }
}

/// Makes the views the operations' bodies need, and points the bodies at them.
pub(crate) struct Views<'a> {
    pub(crate) defs: &'a mut Vec<TypeDef>,
    pub(crate) names: &'a mut crate::ident::Namespace,
    /// `reject_read_only`: request views keep `readOnly` properties, to refuse them.
    pub(crate) reject_read_only: bool,
    need: [Vec<bool>; 2],
    made: HashMap<(TypeId, Side), TypeId>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(
        defs: &'a mut Vec<TypeDef>,
        names: &'a mut crate::ident::Namespace,
        reject_read_only: bool,
    ) -> Self {
        let need = [needs(defs, Side::Request), needs(defs, Side::Response)];
        Self {
            defs,
            names,
            reject_read_only,
            need,
            made: HashMap::new(),
        }
    }

    /// Points every request body at its request view and every response body at its
    /// response view.
    pub(crate) fn apply(mut self, ops: &mut [Operation]) {
        if self.need.iter().all(|n| !n.contains(&true)) {
            return;
        }
        for op in ops {
            if let Some(body) = &mut op.body {
                for c in &mut body.content {
                    if let Some(n) = &mut c.node {
                        *n = self.node(n, Side::Request);
                    }
                }
            }
            for r in &mut op.responses {
                for c in &mut r.content {
                    if let Some(n) = &mut c.node {
                        *n = self.node(n, Side::Response);
                    }
                }
            }
        }
    }

    /// `node` with every named type that needs a view for `side` replaced by it.
    fn node(&mut self, node: &Node, side: Side) -> Node {
        let mut out = node.clone();
        out.ty = match &node.ty {
            Ty::Named(id) if self.need[side as usize][id.0] => Ty::Named(self.view(*id, side)),
            Ty::Array(item) => Ty::Array(Box::new(self.node(item, side))),
            Ty::Map(item) => Ty::Map(Box::new(self.node(item, side))),
            other => other.clone(),
        };
        out
    }

    /// The view of `id` for `side`, made on first use.
    fn view(&mut self, id: TypeId, side: Side) -> TypeId {
        if let Some(&v) = self.made.get(&(id, side)) {
            return v;
        }
        let original = self.defs[id.0].clone();
        let suffix = match side {
            Side::Request => "Request",
            Side::Response => "Response",
        };
        let (name, _) = self.names.claim(format!("{}{suffix}", original.name));
        let vid = TypeId(self.defs.len());
        let what = match side {
            Side::Request => "request bodies: without its `readOnly` properties",
            Side::Response => "response bodies: without its `writeOnly` properties",
        };
        let doc = Doc {
            description: Some(format!("The view of [`{}`] for {what}.", original.name)),
            ..original.doc.clone()
        };
        // A placeholder first, so that a cycle finds this view.
        self.defs.push(TypeDef {
            name,
            doc,
            persist: None,
            view: Some(View { of: id, side }),
            schema_name: None,
            kind: TypeKind::Alias(Node::new(Ty::Any)),
            ..original.clone()
        });
        self.made.insert((id, side), vid);
        let kind = match original.kind {
            TypeKind::Struct(s) => {
                let mut fields = Vec::new();
                for f in s.fields {
                    let access = field_access(self.defs, &f);
                    if access == dropped(side) {
                        if side == Side::Request && self.reject_read_only {
                            fields.push(Field {
                                required: false,
                                refused: true,
                                ..f
                            });
                        }
                        continue;
                    }
                    let node = self.node(&f.node, side);
                    fields.push(Field { node, ..f });
                }
                let extra = match s.extra {
                    // The properties left out would be unknown to a view that denies them.
                    super::Extra::Deny if fields.len() < self.field_count(id) => {
                        super::Extra::Ignore
                    }
                    super::Extra::Map { name, node } => super::Extra::Map {
                        name,
                        node: Box::new(self.node(&node, side)),
                    },
                    other => other,
                };
                TypeKind::Struct(Struct { fields, extra, ..s })
            }
            TypeKind::Union(mut u) => {
                for v in &mut u.variants {
                    v.node = self.node(&v.node, side);
                }
                TypeKind::Union(u)
            }
            TypeKind::Newtype(n) => TypeKind::Newtype(self.node(&n, side)),
            TypeKind::Alias(n) => TypeKind::Alias(self.node(&n, side)),
            kind @ TypeKind::Enum(_) => kind,
        };
        self.defs[vid.0].kind = kind;
        vid
    }

    fn field_count(&self, id: TypeId) -> usize {
        match &self.defs[id.0].kind {
            TypeKind::Struct(s) => s.fields.len(),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Access, Side, Ty, TypeKind};

    fn api(spec: &str, reject: bool) -> crate::ir::Api {
        let opts = crate::Options {
            reject_read_only: reject,
            ..Default::default()
        };
        struct One<'a>(&'a str);
        impl crate::SourceReader for One<'_> {
            fn read(&self, _: &std::path::Path) -> std::io::Result<String> {
                Ok(self.0.to_owned())
            }
        }
        crate::api(std::path::Path::new("t.yaml"), &One(spec), &opts)
            .expect("the spec is fine")
            .0
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /users:
    post:
      requestBody:
        content:
          application/json: { schema: { $ref: "#/components/schemas/Team" } }
      responses:
        "201":
          description: made
          content:
            application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Team" } } }
components:
  schemas:
    Team:
      type: object
      properties:
        lead: { $ref: "#/components/schemas/User" }
        size: { type: integer }
    User:
      type: object
      required: [id, name, password]
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string }
        password: { type: string, writeOnly: true }
"##;

    fn fields(api: &crate::ir::Api, name: &str) -> Vec<(String, bool, bool)> {
        let d = api.types.defs.iter().find(|d| d.name == name).expect(name);
        let TypeKind::Struct(s) = &d.kind else {
            panic!("{name} is not a struct")
        };
        s.fields
            .iter()
            .map(|f| (f.wire.clone(), f.required, f.refused))
            .collect()
    }

    #[test]
    fn views_drop_what_their_side_never_carries() {
        let api = api(SPEC, false);
        let s = |w: &str, r: bool| (w.to_owned(), r, false);
        assert_eq!(
            fields(&api, "User"),
            [s("id", true), s("name", true), s("password", true)]
        );
        assert_eq!(
            fields(&api, "UserRequest"),
            [s("name", true), s("password", true)]
        );
        assert_eq!(
            fields(&api, "UserResponse"),
            [s("id", true), s("name", true)]
        );
        // The team holds a user: its views hold the user's views.
        let team = |n: &str| {
            let d = api.types.defs.iter().find(|d| d.name == n).expect(n);
            let TypeKind::Struct(s) = &d.kind else {
                panic!()
            };
            match &s.fields[0].node.ty {
                Ty::Named(id) => api.types.get(*id).name.clone(),
                _ => panic!(),
            }
        };
        assert_eq!(team("Team"), "User");
        assert_eq!(team("TeamRequest"), "UserRequest");
        assert_eq!(team("TeamResponse"), "UserResponse");
        // The operation's bodies point at the views, through the array.
        let op = &api.operations[0];
        let body = op.body.as_ref().unwrap().content[0].node.as_ref().unwrap();
        assert!(matches!(body.ty, Ty::Named(id) if api.types.get(id).name == "TeamRequest"));
        let resp = op.responses[0].content[0].node.as_ref().unwrap();
        let Ty::Array(item) = &resp.ty else { panic!() };
        assert!(matches!(item.ty, Ty::Named(id) if api.types.get(id).name == "TeamResponse"));
        let view = api
            .types
            .defs
            .iter()
            .find(|d| d.name == "UserResponse")
            .unwrap()
            .view;
        assert_eq!(view.map(|v| v.side), Some(Side::Response));
    }

    #[test]
    fn reject_read_only_keeps_them_to_refuse_them() {
        let api = api(SPEC, true);
        assert_eq!(
            fields(&api, "UserRequest"),
            [
                ("id".to_owned(), false, true),
                ("name".to_owned(), true, false),
                ("password".to_owned(), true, false)
            ]
        );
    }

    #[test]
    fn schemas_without_such_properties_have_no_views() {
        let api = api(
            &SPEC
                .replace("readOnly: true", "")
                .replace("writeOnly: true", ""),
            false,
        );
        assert!(api.types.defs.iter().all(|d| d.view.is_none()));
        let user = api.types.defs.iter().find(|d| d.name == "User").unwrap();
        let TypeKind::Struct(s) = &user.kind else {
            panic!()
        };
        assert!(s.fields.iter().all(|f| f.access == Access::ReadWrite));
    }
}
