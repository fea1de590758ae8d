//! Serde helpers for generated models, reached through
//! `::specbind::__private`.

/// Optional nullable fields: `Option<Option<T>>` where absent is `None`,
/// `null` is `Some(None)` and a value is `Some(Some(v))`.
///
/// Use with
/// `#[serde(default, deserialize_with = "::specbind::__private::double_option::deserialize", skip_serializing_if = "Option::is_none")]`.
pub mod double_option {
    use serde::{Deserialize, Deserializer};

    /// Deserializes a present field: `null` as `Some(None)`, a value as
    /// `Some(Some(v))`. An absent field never gets here (`serde(default)`
    /// makes it `None`).
    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// Optional non-nullable fields: a present `null` is an error.
pub mod non_null {
    use serde::{Deserialize, Deserializer};

    /// Deserializes a present field, refusing `null`.
    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        T::deserialize(d).map(Some)
    }
}

/// `oneOf` with a `discriminator`: an internally tagged union whose tag
/// field may also be a field of the variants' own structs.
pub mod tagged {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{Map, Value};

    /// Reads an object and its string field `tag`: returns the tag's value
    /// and the whole object, the tag field included.
    pub fn split<'de, D: Deserializer<'de>>(
        d: D,
        tag: &'static str,
    ) -> Result<(String, Value), D::Error> {
        let Value::Object(map) = Value::deserialize(d)? else {
            return Err(D::Error::custom(format_args!(
                "expected an object with a `{tag}` field"
            )));
        };
        match map.get(tag) {
            Some(Value::String(t)) => Ok((t.clone(), Value::Object(map))),
            Some(_) => Err(D::Error::custom(format_args!(
                "field `{tag}` must be a string"
            ))),
            None => Err(D::Error::missing_field(tag)),
        }
    }

    /// Deserializes the variant `T` from the object [`split`] returned.
    pub fn from_value<T: DeserializeOwned, E: serde::de::Error>(v: Value) -> Result<T, E> {
        serde_json::from_value(v).map_err(E::custom)
    }

    /// The error for a tag value no variant has.
    pub fn unknown_tag<E: serde::de::Error>(
        tag: &'static str,
        got: &str,
        expected: &'static [&'static str],
    ) -> E {
        let expected: Vec<String> = expected.iter().map(|e| format!("{e:?}")).collect();
        E::custom(format_args!(
            "unknown `{tag}` value {got:?}, expected one of {}",
            expected.join(", ")
        ))
    }

    /// Serializes the variant `v`, adding `tag: tag_value` first when `v` is
    /// an object without the tag field.
    pub fn serialize<S: Serializer, T: Serialize>(
        v: &T,
        tag: &'static str,
        tag_value: &'static str,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match serde_json::to_value(v).map_err(S::Error::custom)? {
            Value::Object(map) if !map.contains_key(tag) => {
                let mut tagged = Map::with_capacity(map.len() + 1);
                tagged.insert(tag.to_owned(), Value::String(tag_value.to_owned()));
                tagged.extend(map);
                tagged.serialize(s)
            }
            other => other.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(
            default,
            deserialize_with = "double_option::deserialize",
            skip_serializing_if = "Option::is_none"
        )]
        nickname: Option<Option<String>>,
    }

    #[test]
    fn double_option_absent_null_value() {
        let cases = [
            (json!({}), None),
            (json!({"nickname": null}), Some(None)),
            (json!({"nickname": "rex"}), Some(Some("rex".to_string()))),
        ];
        for (input, nickname) in cases {
            let patch: Patch = serde_json::from_value(input.clone()).unwrap();
            assert_eq!(patch, Patch { nickname });
            assert_eq!(serde_json::to_value(&patch).unwrap(), input);
        }
        assert!(serde_json::from_value::<Patch>(json!({"nickname": 1})).is_err());
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Cat {
        name: String,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Dog {
        pet_type: String,
        bark: bool,
    }

    /// What the generator emits for `oneOf: [Cat, Dog]` with
    /// `discriminator: {propertyName: petType}`.
    #[derive(Debug, PartialEq)]
    enum Pet {
        Cat(Cat),
        Dog(Dog),
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let (tag, v) = tagged::split(d, "petType")?;
            match tag.as_str() {
                "cat" => tagged::from_value(v).map(Pet::Cat),
                "dog" => tagged::from_value(v).map(Pet::Dog),
                other => Err(tagged::unknown_tag("petType", other, &["cat", "dog"])),
            }
        }
    }

    impl Serialize for Pet {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Pet::Cat(v) => tagged::serialize(v, "petType", "cat", s),
                Pet::Dog(v) => tagged::serialize(v, "petType", "dog", s),
            }
        }
    }

    #[test]
    fn split_returns_tag_and_whole_object() {
        let (tag, v) = tagged::split(json!({"petType": "cat", "name": "Tom"}), "petType").unwrap();
        assert_eq!(tag, "cat");
        assert_eq!(v, json!({"petType": "cat", "name": "Tom"}));
    }

    #[test]
    fn split_errors() {
        let err = |v: serde_json::Value| tagged::split(v, "petType").unwrap_err().to_string();
        assert_eq!(err(json!([1])), "expected an object with a `petType` field");
        assert_eq!(err(json!({"name": "Tom"})), "missing field `petType`");
        assert_eq!(
            err(json!({"petType": 1})),
            "field `petType` must be a string"
        );
    }

    #[test]
    fn tagged_round_trip() {
        let cat: Pet = serde_json::from_value(json!({"petType": "cat", "name": "Tom"})).unwrap();
        assert_eq!(cat, Pet::Cat(Cat { name: "Tom".into() }));
        assert_eq!(
            serde_json::to_value(&cat).unwrap(),
            json!({"petType": "cat", "name": "Tom"})
        );

        // The tag is also a field of `Dog`: serialized once, unchanged.
        let dog: Pet = serde_json::from_value(json!({"petType": "dog", "bark": true})).unwrap();
        assert_eq!(
            dog,
            Pet::Dog(Dog {
                pet_type: "dog".into(),
                bark: true
            })
        );
        assert_eq!(
            serde_json::to_value(&dog).unwrap(),
            json!({"petType": "dog", "bark": true})
        );

        let err = serde_json::from_value::<Pet>(json!({"petType": "cow"})).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"unknown `petType` value "cow", expected one of "cat", "dog""#
        );
        let err = serde_json::from_str::<Pet>(r#"{"petType": "cat"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `name`"), "{err}");
    }

    #[test]
    fn serialize_leaves_non_objects_alone() {
        let v = tagged::serialize(&"plain", "petType", "cat", serde_json::value::Serializer);
        assert_eq!(v.unwrap(), json!("plain"));
    }
}
