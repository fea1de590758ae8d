//! 3.1 `webhooks`: their payloads are types, inline ones named after the webhook, so a spec
//! of webhooks only (Zoom's Video SDK events: 34 webhooks, no paths) does not come out empty.

mod support;

use specbind_codegen::{Options, generate};
use support::Rooted;

const SPEC: &str = "codegen/tests/webhooks/webhooks.yaml";

fn types(options: &Options) -> String {
    let g =
        generate(std::path::Path::new(SPEC), &Rooted, options).unwrap_or_else(|r| panic!("{r}"));
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    g.files
        .iter()
        .find(|f| f.name == "types")
        .expect("a types file")
        .contents
        .clone()
}

#[test]
fn webhook_payloads_are_types() {
    let code = types(&Options::default());
    for needle in [
        // Inline payload, named from the operationId; its inline parts from it.
        "pub struct OrderShippedWebhook {",
        "pub event_ts: Option<i64>,",
        "pub struct OrderShippedWebhookPayload {",
        "pub order_id: String,",
        // No operationId: named from the webhook; through a `$ref`ed request body.
        "pub struct RefundIssuedWebhook {",
        "pub amount: Option<f64>,",
        // A `$ref`ed schema is its own type, not a copy.
        "pub struct Customer {",
    ] {
        assert!(code.contains(needle), "no {needle:?} in:\n{code}");
    }
    assert!(!code.contains("CustomerDeletedWebhook"), "{code}");
}

#[test]
fn webhooks_are_neither_routes_nor_methods() {
    let mut options = Options::default();
    options.server = true;
    options.client = true;
    options.bind_all = true;
    let g =
        generate(std::path::Path::new(SPEC), &Rooted, &options).unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(g.stats.operations, 0);
    for file in &g.files {
        if file.name == "server" || file.name == "client" {
            assert!(
                !file.contents.contains("order_shipped")
                    && !file.contents.contains("refund_issued"),
                "{}:\n{}",
                file.name,
                file.contents
            );
        }
    }
}
