//! The layout pass: what is held in a `Box`, decided once for every emitter. A type that
//! contains itself is boxed where the cycle closes (`schema::break_cycles`); here, a union
//! variant or a response body much larger than its siblings is boxed too, so that no enum is
//! much larger than most of its values. Then the responses of each operation become named
//! variants, and the error responses that several operations declare alike one shared set.

use super::http::{ErrorSet, Header, Payload, PayloadKind, Variant, variant_name};
use super::{
    Api, Extra, FloatFormat, IntFormat, Node, Operation, Status, StrFormat, Ty, TypeKind, TypeSpace,
};
use crate::ident::{self, Namespace};

/// A union variant larger than this (in estimated bytes) is boxed.
const UNION_BOX: usize = 128;
/// A response body this much larger than every other variant's is boxed.
const RESPONSE_BOX: usize = 150;

/// Runs the pass over `api`.
pub(crate) fn layout(api: &mut Api) {
    box_union_variants(&mut api.types);
    for op in &mut api.operations {
        let mut variants = variants(op);
        box_large_bodies(&api.types, &mut variants);
        op.variants = variants;
    }
    api.error_sets = error_sets(&api.types, &mut api.operations);
}

/// Approximate size in bytes of a value of `node`.
fn size(types: &TypeSpace, node: &Node) -> usize {
    size_at(types, node, 0)
}

fn size_at(types: &TypeSpace, node: &Node, depth: usize) -> usize {
    if node.boxed {
        return 8;
    }
    let base = match &node.ty {
        Ty::Any => 32,
        Ty::Object | Ty::Map(_) | Ty::Array(_) | Ty::Str(StrFormat::Plain | StrFormat::Byte) => 24,
        Ty::Bool => 1,
        Ty::Int(IntFormat::I32 | IntFormat::U32) | Ty::Float(FloatFormat::F32) => 4,
        Ty::Int(_) | Ty::Float(_) => 8,
        Ty::Str(StrFormat::DateTime) => 12,
        Ty::Str(StrFormat::Date) => 4,
        Ty::Str(StrFormat::Uuid) => 16,
        Ty::Named(id) if depth < 8 => match &types.get(*id).kind {
            TypeKind::Struct(s) => {
                s.fields
                    .iter()
                    .map(|f| size_at(types, &f.node, depth + 1) + 8)
                    .sum::<usize>()
                    + if matches!(s.extra, Extra::Map { .. }) {
                        24
                    } else {
                        0
                    }
            }
            TypeKind::Enum(e) => {
                if e.fallback {
                    24
                } else {
                    1
                }
            }
            TypeKind::Union(u) => {
                8 + u
                    .variants
                    .iter()
                    .map(|v| {
                        let size = size_at(types, &v.node, depth + 1);
                        // As the pass boxes it.
                        if matches!(v.node.ty, Ty::Named(_)) && size > UNION_BOX {
                            8
                        } else {
                            size
                        }
                    })
                    .max()
                    .unwrap_or(0)
            }
            TypeKind::Newtype(n) | TypeKind::Alias(n) => size_at(types, n, depth + 1),
        },
        Ty::Named(_) => 64,
    };
    base + if node.nullable { 8 } else { 0 }
}

/// Boxes every named union variant larger than [`UNION_BOX`].
fn box_union_variants(types: &mut TypeSpace) {
    let mut boxed = Vec::new();
    for (i, d) in types.defs.iter().enumerate() {
        if let TypeKind::Union(u) = &d.kind {
            for (j, v) in u.variants.iter().enumerate() {
                if matches!(v.node.ty, Ty::Named(_))
                    && !v.node.boxed
                    && size(types, &v.node) > UNION_BOX
                {
                    boxed.push((i, j));
                }
            }
        }
    }
    for (i, j) in boxed {
        if let TypeKind::Union(u) = &mut types.defs[i].kind {
            u.variants[j].node.boxed = true;
        }
    }
}

/// The response variants of `op`, in status order; an operation that declares none answers
/// 204.
fn variants(op: &Operation) -> Vec<Variant> {
    let mut responses: Vec<&super::Response> = op.responses.iter().collect();
    if responses.is_empty() {
        return vec![Variant {
            name: "NoContent".into(),
            status: Status::Code(204),
            summary: "no content.".into(),
            payload: None,
            headers: Vec::new(),
            boxed: false,
        }];
    }
    responses.sort_by_key(|r| r.status);
    let mut names = Namespace::default();
    responses
        .into_iter()
        .map(|r| {
            let (name, _) = names.claim(variant_name(r.status));
            let chosen = super::http::chosen(&r.content).map(|i| &r.content[i]);
            let payload = chosen.map(|c| {
                // A multipart response is sent as the handler's bytes.
                let kind = match c.kind() {
                    PayloadKind::Multipart => PayloadKind::Bytes,
                    k => k,
                };
                Payload {
                    kind,
                    media_type: match kind {
                        PayloadKind::Bytes => c.media_type.clone(),
                        PayloadKind::Text => "text/plain".into(),
                        _ => "application/json".into(),
                    },
                    node: if kind.is_typed() {
                        c.node.clone()
                    } else {
                        None
                    },
                }
            });
            let mut fields = Namespace::default();
            fields.reserve("status");
            fields.reserve("body");
            let headers = r
                .headers
                .iter()
                .filter(|h| !h.wire.eq_ignore_ascii_case("content-type"))
                .map(|h| Header {
                    name: fields.claim(ident::snake_name(&h.wire)).0,
                    wire: h.wire.clone(),
                    node: h.node.clone(),
                    required: h.required,
                })
                .collect();
            let summary = r
                .doc
                .description
                .as_deref()
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            Variant {
                name,
                status: r.status,
                summary,
                payload,
                headers,
                boxed: false,
            }
        })
        .collect()
}

/// The estimated size of a variant.
fn variant_size(types: &TypeSpace, v: &Variant) -> usize {
    let body = match &v.payload {
        _ if v.boxed => 8,
        Some(Payload {
            node: Some(n),
            kind,
            ..
        }) if kind.is_typed() => size(types, n),
        Some(_) => 32,
        None => 0,
    };
    body + 32 * v.headers.len() + 8
}

/// Boxes the body of the largest variant while it is much larger than the next one (what
/// clippy's `large_enum_variant` flags).
fn box_large_bodies(types: &TypeSpace, variants: &mut [Variant]) {
    for _ in 0..variants.len() {
        let mut sizes: Vec<(usize, usize)> = variants
            .iter()
            .enumerate()
            .map(|(i, v)| (variant_size(types, v), i))
            .collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        let [(largest, i), (second, _), ..] = sizes[..] else {
            return;
        };
        let v = &mut variants[i];
        let boxable = v.payload.as_ref().is_some_and(|p| p.kind.is_typed()) && !v.boxed;
        if largest < second + RESPONSE_BOX || !boxable {
            return;
        }
        v.boxed = true;
    }
}

/// Which responses a client takes as successes: below 400, or `default` when nothing else
/// is.
fn successes(variants: &[Variant]) -> Vec<bool> {
    let any = variants.iter().any(Variant::is_success);
    variants
        .iter()
        .map(|v| v.is_success() || (!any && v.status == Status::Default))
        .collect()
}

/// The error responses of every operation, one set per distinct list, boxed as their own
/// enum needs; and its success responses, boxed likewise.
fn error_sets(types: &TypeSpace, ops: &mut [Operation]) -> Vec<ErrorSet> {
    let mut sets: Vec<ErrorSet> = Vec::new();
    // The variants as declared (before boxing), to compare operations.
    let mut keys: Vec<Vec<Variant>> = Vec::new();
    for op in ops {
        let success = successes(&op.variants);
        let mut oks: Vec<Variant> = op
            .variants
            .iter()
            .zip(&success)
            .filter(|(_, s)| **s)
            .map(|(v, _)| Variant {
                boxed: false,
                ..v.clone()
            })
            .collect();
        box_large_bodies(types, &mut oks);
        op.ok_variants = oks;
        let errors: Vec<Variant> = op
            .variants
            .iter()
            .zip(&success)
            .filter(|(_, s)| !**s)
            .map(|(v, _)| Variant {
                boxed: false,
                ..v.clone()
            })
            .collect();
        if errors.is_empty() {
            continue;
        }
        let index = match keys.iter().position(|k| *k == errors) {
            Some(i) => i,
            None => {
                let mut variants = errors.clone();
                box_large_bodies(types, &mut variants);
                keys.push(errors);
                sets.push(ErrorSet {
                    name: format!("{}Error", op.type_name),
                    variants,
                    operations: Vec::new(),
                });
                sets.len() - 1
            }
        };
        sets[index].operations.push(op.name.clone());
        op.error_set = Some(index);
    }
    sets
}

#[cfg(test)]
mod tests {
    use crate::ir::Status;

    fn api(spec: &str) -> crate::ir::Api {
        let (api, _) = crate::api(
            std::path::Path::new("t.yaml"),
            &Spec(spec),
            &crate::Options::default(),
        )
        .expect("the spec is fine");
        api
    }

    struct Spec<'a>(&'a str);
    impl crate::SourceReader for Spec<'_> {
        fn read(&self, _: &std::path::Path) -> std::io::Result<String> {
            Ok(self.0.to_owned())
        }
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /a:
    get:
      operationId: getA
      responses:
        "404": { description: "No such a.\nMore text.", content: { application/json: { schema: { $ref: "#/components/schemas/Err" } } } }
        "200":
          description: An a.
          headers: { X-Rate: { schema: { type: integer } }, Content-Type: { schema: { type: string } } }
          content: { application/json: { schema: { $ref: "#/components/schemas/Big" } } }
        default: { description: Oops, content: { application/json: { schema: { $ref: "#/components/schemas/Err" } } } }
  /b:
    get:
      operationId: getB
      responses:
        "200": { description: A b, content: { text/plain: { schema: { type: string } } } }
        "404": { description: "No such a.\nMore text.", content: { application/json: { schema: { $ref: "#/components/schemas/Err" } } } }
        default: { description: Oops, content: { application/json: { schema: { $ref: "#/components/schemas/Err" } } } }
  /c:
    get:
      operationId: getC
      responses:
        default: { description: Anything, content: { application/json: { schema: { $ref: "#/components/schemas/Err" } } } }
components:
  schemas:
    Err: { type: object, properties: { code: { type: integer } } }
    Big:
      type: object
      properties: { a: { type: string }, b: { type: string }, c: { type: string }, d: { type: string },
        e: { type: string }, f: { type: string }, g: { type: string }, h: { type: string } }
    U:
      oneOf:
        - { $ref: "#/components/schemas/Big" }
        - { type: string }
"##;

    #[test]
    fn variants_are_named_ordered_and_boxed_once() {
        let api = api(SPEC);
        let a = &api.operations[0];
        let names: Vec<&str> = a.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Ok", "NotFound", "Default"]);
        assert_eq!(a.variants[1].summary, "No such a.");
        // `Content-Type` is not a declared header of the variant.
        let headers: Vec<&str> = a.variants[0]
            .headers
            .iter()
            .map(|h| h.wire.as_str())
            .collect();
        assert_eq!(headers, ["X-Rate"]);
        // The large body of 200 is boxed, the small ones not.
        assert_eq!(
            a.variants.iter().map(|v| v.boxed).collect::<Vec<_>>(),
            [true, false, false]
        );
        // A union variant larger than its siblings is held in a Box.
        let u = api.types.defs.iter().find(|d| d.name == "U").unwrap();
        let crate::ir::TypeKind::Union(u) = &u.kind else {
            panic!()
        };
        assert!(
            u.variants
                .iter()
                .find(|v| v.name == "Big")
                .unwrap()
                .node
                .boxed
        );
        assert!(
            !u.variants
                .iter()
                .find(|v| v.name == "String")
                .unwrap()
                .node
                .boxed
        );
    }

    #[test]
    fn operations_that_declare_the_same_errors_share_one_set() {
        let api = api(SPEC);
        let [a, b, c] = &api.operations[..] else {
            panic!()
        };
        assert_eq!(a.error_set, b.error_set);
        let set = &api.error_sets[a.error_set.unwrap()];
        assert_eq!(set.name, "GetAError");
        assert_eq!(set.operations, ["get_a", "get_b"]);
        assert_eq!(set.variants.len(), 2);
        // A lone `default` is the success.
        assert_eq!(c.error_set, None);
        assert_eq!(c.variants[0].status, Status::Default);
    }
}
