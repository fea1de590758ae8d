//! Generated models: serde shapes of every schema feature in `specs/features.yaml`.

use serde_json::json;
use specbind::Validate;
use specbind_examples::features::types as f;

#[test]
fn absent_and_null_stay_apart_for_optional_nullable_fields() {
    let absent: f::NullableFields =
        serde_json::from_value(json!({"requiredNullable": null, "requiredPlain": "x"})).unwrap();
    assert_eq!(absent.optional_nullable, None);
    assert_eq!(absent.required_nullable, None);
    let null: f::NullableFields = serde_json::from_value(
        json!({"requiredNullable": "a", "requiredPlain": "x", "optionalNullable": null}),
    )
    .unwrap();
    assert_eq!(null.optional_nullable, Some(None));
    let set: f::NullableFields = serde_json::from_value(
        json!({"requiredNullable": "a", "requiredPlain": "x", "optionalNullable": 3}),
    )
    .unwrap();
    assert_eq!(set.optional_nullable, Some(Some(3)));
    // Round trips keep the difference.
    assert_eq!(
        serde_json::to_value(&absent).unwrap(),
        json!({"requiredNullable": null, "requiredPlain": "x"})
    );
    assert_eq!(
        serde_json::to_value(&null).unwrap()["optionalNullable"],
        json!(null)
    );
    // A required field may be null but not absent.
    assert!(serde_json::from_value::<f::NullableFields>(json!({"requiredPlain": "x"})).is_err());
}

#[test]
fn string_enums_use_the_wire_values() {
    let v: Vec<f::StringEnum> =
        serde_json::from_value(json!(["in-progress", "2fa-required", ""])).unwrap();
    assert_eq!(
        v,
        vec![
            f::StringEnum::InProgress,
            f::StringEnum::V2faRequired,
            f::StringEnum::Empty
        ]
    );
    assert_eq!(
        f::StringEnum::OnHoldForReview.as_str(),
        "on-hold-for-review"
    );
    assert_eq!(f::StringEnum::ActiveLegacy.to_string(), "ACTIVE_LEGACY");
    assert!(serde_json::from_value::<f::StringEnum>(json!("paused")).is_err());
}

#[test]
fn discriminated_union_picks_the_variant_by_tag_and_keeps_the_tag() {
    let cat: f::Animal = serde_json::from_value(json!({"petType": "cat", "name": "Tom"})).unwrap();
    let f::Animal::Cat(inner) = &cat else {
        panic!("expected a cat, got {cat:?}")
    };
    assert_eq!(inner.name, "Tom");
    assert_eq!(serde_json::to_value(&cat).unwrap()["petType"], "cat");
    let err =
        serde_json::from_value::<f::Animal>(json!({"petType": "cow", "name": "x"})).unwrap_err();
    assert!(
        err.to_string().contains("unknown `petType` value \"cow\""),
        "{err}"
    );
    let err = serde_json::from_value::<f::Animal>(json!({"name": "x"})).unwrap_err();
    assert!(err.to_string().contains("petType"), "{err}");
}

#[test]
fn untagged_union_tries_shapes_in_order() {
    let v: Vec<f::StringOrIntegerOrObject> =
        serde_json::from_value(json!(["a", 3, {"value": "x"}])).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(v[0], f::StringOrIntegerOrObject::String(_)));
    assert!(matches!(v[1], f::StringOrIntegerOrObject::Integer(3)));
    assert!(matches!(v[2], f::StringOrIntegerOrObject::Object(_)));
}

#[test]
fn recursive_types_are_boxed_and_round_trip() {
    let list: f::ListNode =
        serde_json::from_value(json!({"value": 1, "next": {"value": 2, "next": {"value": 3}}}))
            .unwrap();
    assert_eq!(
        list.next
            .as_ref()
            .and_then(|n| n.next.as_ref())
            .map(|n| n.value),
        Some(3)
    );
    let tree: f::TreeNode =
        serde_json::from_value(json!({"label": "root", "children": [{"label": "leaf"}]})).unwrap();
    assert_eq!(tree.children.unwrap()[0].label, "leaf");
    let a: f::MutualA = serde_json::from_value(json!({"b": {"a": {"name": "deep"}}})).unwrap();
    assert_eq!(a.b.unwrap().a.unwrap().name.as_deref(), Some("deep"));
}

#[test]
fn defaults_fill_absent_fields() {
    let d: f::Defaults = serde_json::from_value(json!({})).unwrap();
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!({"greeting": "hello", "retries": 3, "verbose": false, "level": "info", "ratio": 0.5})
    );
    let given: f::Defaults = serde_json::from_value(json!({"retries": 7})).unwrap();
    assert_eq!(given.retries, 7);
}

#[test]
fn additional_properties_are_kept_or_rejected_as_the_spec_says() {
    let r: f::ExtensibleRecord = serde_json::from_value(json!({"kind": "k", "extra": 1})).unwrap();
    assert_eq!(r.additional_properties["extra"], json!(1));
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"kind": "k", "extra": 1})
    );
    assert!(serde_json::from_value::<f::ClosedRecord>(json!({"unexpected": true})).is_err());
}

#[test]
fn awkward_names_map_to_identifiers_and_back() {
    let v = json!({"type": "t", "self": "s", "x-rate-limit": 5, "123abc": "n", "with space": "w", "a.b": "d"});
    let a: f::AwkwardPropertyNames = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(
        (
            a.r#type.as_str(),
            a.self_.as_str(),
            a.x_rate_limit,
            a._123abc.as_deref()
        ),
        ("t", "s", Some(5), Some("n"))
    );
    assert_eq!(serde_json::to_value(&a).unwrap(), v);
}

#[test]
fn typed_formats_round_trip() {
    let v = json!({"dateTime": "2026-11-22T10:00:00Z", "date": "2026-11-22", "uuid": "6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
        "byte": "aGVsbG8=", "int32": 1, "int64": 9007199254740993_i64});
    let a: f::AllFormats = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        a.byte.as_deref().map(<[u8]>::to_vec),
        Some(b"hello".to_vec())
    );
    assert_eq!(a.int64, 9007199254740993);
    assert_eq!(serde_json::to_value(&a).unwrap(), v);
    assert!(a.validate().is_ok());
}

#[test]
fn enum_fallback_keeps_unknown_values_and_validate_reports_them() {
    use specbind_examples::petstore_fallback::types::{NewPet, NewPetStatus};
    let pet: NewPet = serde_json::from_value(json!({"name": "Tom", "status": "lost"})).unwrap();
    assert_eq!(pet.status, NewPetStatus::Unknown("lost".into()));
    assert_eq!(pet.status.as_str(), "lost");
    assert_eq!(serde_json::to_value(&pet).unwrap()["status"], "lost");
    let err = pet.validate().unwrap_err();
    let got: Vec<(&str, &str)> = err.iter().map(|v| (v.path.as_str(), v.keyword)).collect();
    assert_eq!(got, [("/status", "enum")]);
    let known: NewPet = serde_json::from_value(json!({"name": "Tom", "status": "sold"})).unwrap();
    assert_eq!(known.status, NewPetStatus::Sold);
}

mod typed {
    //! `specs/typed.yaml`: shapes of real specs that are typed rather than `Value`.

    use serde_json::json;
    use specbind::Validate;
    use specbind_examples::typed::types as t;

    #[test]
    fn tuple_items_are_items_of_any_of_their_schemas() {
        let c: t::Channel = serde_json::from_value(json!({
            "latest": [{"text": "hi"}, null],
            "pins": [{"text": "a"}, {"name": "+1"}],
            "sizes": [1, 2, 3],
        }))
        .unwrap();
        assert_eq!(
            c.latest,
            Some(vec![Some(t::Message { text: "hi".into() }), None])
        );
        assert_eq!(
            c.pins,
            Some(vec![
                t::ChannelPinsItem::Message(t::Message { text: "a".into() }),
                t::ChannelPinsItem::Reaction(t::Reaction { name: "+1".into() }),
            ])
        );
        assert_eq!(c.sizes, Some(vec![1, 2, 3]));
    }

    #[test]
    fn several_types_are_a_union() {
        let words: t::Command = serde_json::from_value(json!(["echo", "hi"])).unwrap();
        assert_eq!(words, t::Command::Array(vec!["echo".into(), "hi".into()]));
        let line: t::Command = serde_json::from_value(json!("echo hi")).unwrap();
        assert_eq!(line, t::Command::String("echo hi".into()));
        assert!(serde_json::from_value::<t::Command>(json!(3)).is_err());
    }

    #[test]
    fn a_one_of_of_consts_is_an_enum() {
        let a: t::ApplicationType = serde_json::from_value(json!(4)).unwrap();
        assert_eq!(a.0, 4);
        assert!(a.validate().is_ok());
        let b: t::ApplicationType = serde_json::from_value(json!(6)).unwrap();
        assert!(b.validate().is_err());
    }

    #[test]
    fn an_all_of_of_a_union_and_an_object_merges_the_object_into_each_variant() {
        let i: t::Invite =
            serde_json::from_value(json!({"max_age": 60, "target_users_file": "f"})).unwrap();
        assert_eq!(
            i,
            t::Invite::GuildInvite(t::InviteGuildInvite {
                max_age: 60,
                target_users_file: Some("f".into()),
            })
        );
        let g: t::Invite = serde_json::from_value(json!({"recipient_id": "u1"})).unwrap();
        assert!(matches!(g, t::Invite::GroupInvite(v) if v.recipient_id == "u1"));
    }

    #[test]
    fn an_all_of_of_an_enum_and_a_default_or_its_type_is_the_enum() {
        let f: t::Feature = serde_json::from_value(json!({"method": "ENABLED"})).unwrap();
        assert_eq!(f.status, t::Status::Disabled);
        assert_eq!(f.method, Some(t::Status::Enabled));
        let d: t::Details = serde_json::from_value(json!({"max_age": 5, "received": 2})).unwrap();
        let d = d.0.expect("not null");
        assert_eq!((d.max_age, d.received), (5, Some(2)));
        let null: t::Details = serde_json::from_value(json!(null)).unwrap();
        assert_eq!(null.0, None);
    }
}
