//! Any bytes as a spec: loading (YAML or JSON), the IR, `check` and code generation must
//! end, and without a panic. Inputs starting with `{` are also tried as the schema of one
//! operation in a minimal valid spec, so the fuzzer reaches the type space and the emitters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use specbind_codegen::Options;

const SKELETON_HEAD: &str = r##"{"openapi":"3.0.3","info":{"title":"f","version":"1"},
"paths":{"/p/{id}":{"post":{"operationId":"op","x-bind-server":"crate::h::op",
"x-bind-client":"op","parameters":[{"name":"id","in":"path","required":true,
"schema":{"$ref":"#/components/schemas/S"}}],"requestBody":{"content":{"application/json":
{"schema":{"$ref":"#/components/schemas/S"}}}},"responses":{"200":{"description":"ok",
"content":{"application/json":{"schema":{"$ref":"#/components/schemas/S"}}}}}}}},
"components":{"schemas":{"S":"##;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut options = Options::default();
    options.server = true;
    options.client = true;
    let _ = specbind_codegen::generate_str("fuzz.yaml", &text, &options);
    if text.starts_with('{') {
        let spec = [SKELETON_HEAD, &text, "}}}"].concat();
        let _ = specbind_codegen::generate_str("fuzz.json", &spec, &options);
    }
});
