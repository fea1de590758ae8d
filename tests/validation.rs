//! Generated validation: for every constraint kind, a value that passes and one that fails,
//! with the failing JSON path and keyword asserted. Values go through serde first, as a
//! request body would.

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use specbind::Validate;
use specbind_examples::constraints::types as c;

/// The (path, keyword) of every violation of `value` read as a `T`.
fn violations<T: DeserializeOwned + Validate>(value: Value) -> Vec<(String, &'static str)> {
    let parsed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{value} does not deserialize: {e}"));
    match parsed.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.into_iter().map(|v| (v.path, v.keyword)).collect(),
    }
}

fn one(path: &str, keyword: &'static str) -> Vec<(String, &'static str)> {
    vec![(path.to_owned(), keyword)]
}

#[test]
fn min_and_max_length_count_characters() {
    assert!(violations::<c::StringMinLength>(json!({"value": "abc"})).is_empty());
    assert!(violations::<c::StringMinLength>(json!({"value": "äöü"})).is_empty());
    assert_eq!(
        violations::<c::StringMinLength>(json!({"value": "ab"})),
        one("/value", "minLength")
    );
    assert!(violations::<c::StringMaxLength>(json!({"value": "12345678"})).is_empty());
    assert_eq!(
        violations::<c::StringMaxLength>(json!({"value": "123456789"})),
        one("/value", "maxLength")
    );
}

#[test]
fn patterns_use_ecmascript_semantics() {
    assert!(
        violations::<c::StringPattern>(
            json!({"sku": "ABC-1234", "password": "abc12345", "username": "bob"})
        )
        .is_empty()
    );
    assert_eq!(
        violations::<c::StringPattern>(json!({"sku": "AB-1234"})),
        one("/sku", "pattern")
    );
    // Lookaheads: a password needs a digit; `admin` is not a user name.
    assert_eq!(
        violations::<c::StringPattern>(json!({"sku": "ABC-1234", "password": "abcdefgh"})),
        one("/password", "pattern")
    );
    assert_eq!(
        violations::<c::StringPattern>(json!({"sku": "ABC-1234", "username": "admin"})),
        one("/username", "pattern")
    );
    // Patterns are not anchored.
    assert!(
        violations::<c::StringPattern>(json!({"sku": "ABC-1234", "postcode": "zip 12345!"}))
            .is_empty()
    );
}

#[test]
fn integer_bounds() {
    assert!(violations::<c::IntegerMinimum>(json!({"value": 10})).is_empty());
    assert_eq!(
        violations::<c::IntegerMinimum>(json!({"value": 9})),
        one("/value", "minimum")
    );
    assert!(violations::<c::IntegerMaximum>(json!({"value": 100})).is_empty());
    assert_eq!(
        violations::<c::IntegerMaximum>(json!({"value": 101})),
        one("/value", "maximum")
    );
    assert!(violations::<c::IntegerExclusiveMinimum>(json!({"value": 1})).is_empty());
    assert_eq!(
        violations::<c::IntegerExclusiveMinimum>(json!({"value": 0})),
        one("/value", "exclusiveMinimum")
    );
    assert!(violations::<c::IntegerExclusiveMaximum>(json!({"value": 99})).is_empty());
    assert_eq!(
        violations::<c::IntegerExclusiveMaximum>(json!({"value": 100})),
        one("/value", "exclusiveMaximum")
    );
    assert!(violations::<c::IntegerMultipleOf>(json!({"value": -10})).is_empty());
    assert_eq!(
        violations::<c::IntegerMultipleOf>(json!({"value": 7})),
        one("/value", "multipleOf")
    );
}

#[test]
fn number_bounds() {
    assert!(violations::<c::NumberMinimum>(json!({"celsius": -273.15})).is_empty());
    assert_eq!(
        violations::<c::NumberMinimum>(json!({"celsius": -273.16})),
        one("/celsius", "minimum")
    );
    assert!(violations::<c::NumberMaximum>(json!({"ratio": 1.0})).is_empty());
    assert_eq!(
        violations::<c::NumberMaximum>(json!({"ratio": 1.01})),
        one("/ratio", "maximum")
    );
    assert!(violations::<c::NumberExclusiveMinimum>(json!({"weight": 0.001})).is_empty());
    assert_eq!(
        violations::<c::NumberExclusiveMinimum>(json!({"weight": 0.0})),
        one("/weight", "exclusiveMinimum")
    );
    assert!(violations::<c::NumberExclusiveMaximum>(json!({"probability": 0.999})).is_empty());
    assert_eq!(
        violations::<c::NumberExclusiveMaximum>(json!({"probability": 1.0})),
        one("/probability", "exclusiveMaximum")
    );
    assert!(violations::<c::NumberRange>(json!({"percent": 0})).is_empty());
    assert_eq!(
        violations::<c::NumberRange>(json!({"percent": 100})),
        one("/percent", "exclusiveMaximum")
    );
    assert!(violations::<c::NumberMultipleOf>(json!({"amount": 19.99})).is_empty());
    assert_eq!(
        violations::<c::NumberMultipleOf>(json!({"amount": 19.999})),
        one("/amount", "multipleOf")
    );
}

#[test]
fn array_constraints() {
    assert!(violations::<c::ArrayMinItems>(json!({"tags": ["a"]})).is_empty());
    assert_eq!(
        violations::<c::ArrayMinItems>(json!({"tags": []})),
        one("/tags", "minItems")
    );
    assert!(violations::<c::ArrayMaxItems>(json!({"tags": ["a", "b", "c"]})).is_empty());
    assert_eq!(
        violations::<c::ArrayMaxItems>(json!({"tags": ["a", "b", "c", "d"]})),
        one("/tags", "maxItems")
    );
    assert!(
        violations::<c::ArrayUniqueItems>(
            json!({"ids": [1, 2], "points": [{"x": 1, "y": 2}, {"x": 2, "y": 1}]})
        )
        .is_empty()
    );
    assert_eq!(
        violations::<c::ArrayUniqueItems>(json!({"ids": [1, 2, 1]})),
        one("/ids", "uniqueItems")
    );
    assert_eq!(
        violations::<c::ArrayUniqueItems>(
            json!({"ids": [], "points": [{"x": 1, "y": 2}, {"x": 1, "y": 2}]})
        ),
        one("/points", "uniqueItems")
    );
    assert!(violations::<c::ArrayItemConstraints>(json!({"scores": [0, 10]})).is_empty());
    assert_eq!(
        violations::<c::ArrayItemConstraints>(json!({"scores": [0, 11, -1]})),
        vec![
            ("/scores/1".to_owned(), "maximum"),
            ("/scores/2".to_owned(), "minimum"),
        ]
    );
}

#[test]
fn property_counts_on_maps_and_structs() {
    assert!(violations::<c::MapPropertyCount>(json!({"a": 1})).is_empty());
    assert_eq!(
        violations::<c::MapPropertyCount>(json!({})),
        one("", "minProperties")
    );
    assert_eq!(
        violations::<c::MapPropertyCount>(json!({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6})),
        one("", "maxProperties")
    );
    assert_eq!(
        violations::<c::MapPropertyCount>(json!({"a": -1})),
        one("/a", "minimum")
    );
    assert!(violations::<c::StructPropertyCount>(json!({"a": "x"})).is_empty());
    assert_eq!(
        violations::<c::StructPropertyCount>(json!({})),
        one("", "minProperties")
    );
    assert_eq!(
        violations::<c::StructPropertyCount>(json!({"a": "x", "b": "y", "c": "z"})),
        one("", "maxProperties")
    );
}

#[test]
fn required_fields_are_enforced_when_decoding() {
    assert!(violations::<c::RequiredFields>(json!({"id": 1, "email": "a@example.com"})).is_empty());
    let err = serde_json::from_value::<c::RequiredFields>(json!({"id": 1})).unwrap_err();
    assert!(err.to_string().contains("missing field `email`"), "{err}");
}

#[test]
fn enums_and_consts() {
    assert!(violations::<c::StringEnumField>(json!({"color": "red"})).is_empty());
    assert!(serde_json::from_value::<c::StringEnumField>(json!({"color": "mauve"})).is_err());
    assert!(violations::<c::IntegerEnumField>(json!({"httpVersion": 2})).is_empty());
    assert_eq!(
        violations::<c::IntegerEnumField>(json!({"httpVersion": 4})),
        one("/httpVersion", "enum")
    );
    assert!(
        violations::<c::ConstFields>(json!({"kind": "order.v1", "schemaVersion": 2})).is_empty()
    );
    assert_eq!(
        violations::<c::ConstFields>(json!({"kind": "order.v2", "schemaVersion": 3})),
        vec![
            ("/kind".to_owned(), "const"),
            ("/schemaVersion".to_owned(), "const")
        ]
    );
}

#[test]
fn nullable_values_skip_checks_only_when_null() {
    assert!(violations::<c::NullableConstrained>(json!({"code": null})).is_empty());
    assert!(violations::<c::NullableConstrained>(json!({"code": "ABCD"})).is_empty());
    assert_eq!(
        violations::<c::NullableConstrained>(json!({"code": "ABC"})),
        one("/code", "minLength")
    );
}

#[test]
fn formats() {
    let ok = json!({"email": "a@example.com", "uri": "https://example.com/x", "hostname": "api.example.com",
        "ipv4": "10.0.0.1", "ipv6": "::1", "dateTime": "2026-11-22T10:00:00Z", "date": "2026-11-22",
        "uuid": "6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f"});
    assert!(violations::<c::FormatChecks>(ok).is_empty());
    for (field, bad) in [
        ("email", "not-an-email"),
        ("uri", "no scheme"),
        ("hostname", "-bad-.com"),
        ("ipv4", "256.0.0.1"),
        ("ipv6", "1:2:3"),
    ] {
        assert_eq!(
            violations::<c::FormatChecks>(json!({field: bad})),
            one(&format!("/{field}"), "format"),
            "{field}"
        );
    }
    // Typed formats are checked by decoding.
    assert!(serde_json::from_value::<c::FormatChecks>(json!({"dateTime": "yesterday"})).is_err());
    assert!(serde_json::from_value::<c::FormatChecks>(json!({"date": "2026-02-30"})).is_err());
    assert!(serde_json::from_value::<c::FormatChecks>(json!({"uuid": "nope"})).is_err());
}

#[test]
fn nested_violations_carry_their_full_path_and_all_are_reported() {
    let line = |sku: &str, quantity: i64| json!({"sku": sku, "quantity": quantity});
    let order =
        |lines: Vec<Value>| json!({"id": "6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f", "lines": lines});
    let batch = json!({"orders": [
        order(vec![line("ABC-0001", 1)]),
        order(vec![line("ABC-0002", 2)]),
        order(vec![line("ABC-0003", 0), line("bad", 2000)]),
    ]});
    assert_eq!(
        violations::<c::Batch>(batch),
        vec![
            ("/orders/2/lines/0/quantity".to_owned(), "minimum"),
            ("/orders/2/lines/1/sku".to_owned(), "pattern"),
            ("/orders/2/lines/1/quantity".to_owned(), "maximum"),
        ]
    );
    let too_many: Vec<Value> = (0..11).map(|_| order(vec![line("ABC-0001", 1)])).collect();
    assert_eq!(
        violations::<c::Batch>(json!({"orders": too_many})),
        one("/orders", "maxItems")
    );
}
