//! A parameter called `foo` (slack's spec has one) must not become a local `foo` in the
//! generated server: clippy's `disallowed_names` would fail the user's crate.

use specbind_codegen::{Options, generate_str};

#[test]
fn a_parameter_named_foo_is_never_a_local() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      x-bind-server: crate::handlers::get_x
      parameters:
        - {name: foo, in: query, schema: {type: string}}
        - {name: bar, in: query, schema: {type: string}}
      responses:
        "200": {description: ok}
"#;
    let mut options = Options::default();
    options.server = true;
    let generated = generate_str("x.yaml", spec, &options).expect("generates");
    let server = &generated
        .files
        .iter()
        .find(|f| f.name == "server")
        .expect("a server")
        .contents;
    // The input is built as a struct literal: no local binding of a placeholder name.
    assert!(
        server.contains("foo: d.opt(&sb::server::Param::query(\"foo\"))?,"),
        "{server}"
    );
    assert!(
        server.contains("bar: d.opt(&sb::server::Param::query(\"bar\"))?,"),
        "{server}"
    );
    assert!(!server.contains("let foo"), "{server}");
}
