//! Type fidelity: how much of an API is typed rather than `serde_json::Value`.

use super::{Api, Content, Extra, Node, Ty, TypeKind, TypeSpace};

/// How many places of an API are typed, and how many are `serde_json::Value`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fidelity {
    /// Type expressions of the type space: fields, variants, items, map values, newtypes.
    pub schema_nodes: usize,
    /// Of those, the ones that are `serde_json::Value`.
    pub schema_values: usize,
    /// Operation inputs and outputs: parameters, request bodies, response bodies.
    pub io: usize,
    /// Of those, the ones that are `serde_json::Value`.
    pub io_values: usize,
}

impl Fidelity {
    /// The share of schema nodes that are typed, 0 to 1 (1 for none).
    pub fn schema_share(&self) -> f64 {
        share(self.schema_nodes, self.schema_values)
    }

    /// The share of operation inputs and outputs that are typed, 0 to 1 (1 for none).
    pub fn io_share(&self) -> f64 {
        share(self.io, self.io_values)
    }
}

fn share(all: usize, values: usize) -> f64 {
    if all == 0 {
        1.0
    } else {
        (all - values) as f64 / all as f64
    }
}

impl Api {
    /// Counts the typed and `serde_json::Value` places of the API.
    pub fn fidelity(&self) -> Fidelity {
        let mut f = Fidelity::default();
        for def in &self.types.defs {
            match &def.kind {
                TypeKind::Struct(s) => {
                    for field in &s.fields {
                        count(&field.node, &mut f);
                    }
                    if let Extra::Map { node, .. } = &s.extra {
                        count(node, &mut f);
                    }
                }
                TypeKind::Union(u) => u.variants.iter().for_each(|v| count(&v.node, &mut f)),
                TypeKind::Newtype(n) | TypeKind::Alias(n) => count(n, &mut f),
                TypeKind::Enum(_) => {}
            }
        }
        for op in &self.operations {
            for p in &op.params {
                io(Some(&p.node), &self.types, &mut f);
            }
            if let Some(body) = &op.body {
                payload(&body.content, &self.types, &mut f);
            }
            for r in &op.responses {
                payload(&r.content, &self.types, &mut f);
            }
        }
        f
    }
}

/// A node and the nodes inside it.
fn count(node: &Node, f: &mut Fidelity) {
    f.schema_nodes += 1;
    match &node.ty {
        Ty::Any => f.schema_values += 1,
        Ty::Array(item) | Ty::Map(item) => count(item, f),
        _ => {}
    }
}

/// The payload a body or response sends: its first JSON content, else its first. A text or
/// binary payload is typed (`String`, bytes) whatever its schema.
fn payload(content: &[Content], types: &TypeSpace, f: &mut Fidelity) {
    let json = |c: &&Content| {
        let m = c.media_type.to_ascii_lowercase();
        m.starts_with("application/json")
            || m.contains("+json")
            || m.starts_with("*/*")
            || m.starts_with("application/x-www-form-urlencoded")
    };
    match content.iter().find(json) {
        Some(c) => io(c.node.as_ref(), types, f),
        None if !content.is_empty() => f.io += 1,
        None => {}
    }
}

/// One input or output: `Value` when it has no schema or its type comes down to `Value`.
fn io(node: Option<&Node>, types: &TypeSpace, f: &mut Fidelity) {
    f.io += 1;
    let mut node = node;
    for _ in 0..16 {
        match node.map(|n| &n.ty) {
            None | Some(Ty::Any) => {
                f.io_values += 1;
                return;
            }
            Some(Ty::Named(id)) => match &types.get(*id).kind {
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => node = Some(inner),
                _ => return,
            },
            Some(_) => return,
        }
    }
}
