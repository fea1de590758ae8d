//! [`Base64`], the type of OpenAPI `format: byte` strings.

use std::fmt;
use std::ops::Deref;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Decoding config: padding optional, trailing bits rejected.
const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
/// Standard alphabet (`+/`), padded or not.
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
/// URL-safe alphabet (`-_`), padded or not.
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Bytes carried in JSON as a base64 string (OpenAPI `format: byte`).
///
/// Serializes as standard, padded base64. Deserializes standard or URL-safe
/// base64, padded or not.
///
/// ```
/// use specbind::Base64;
///
/// let b: Base64 = serde_json::from_str(r#""aGk_""#).unwrap();
/// assert_eq!(&*b, b"hi?");
/// assert_eq!(serde_json::to_string(&b).unwrap(), r#""aGk/""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// Decodes standard or URL-safe base64, padded or not.
    fn decode(s: &str) -> Result<Vec<u8>, base64::DecodeError> {
        if s.contains(['-', '_']) {
            URL_SAFE_LENIENT.decode(s)
        } else {
            STANDARD_LENIENT.decode(s)
        }
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl de::Visitor<'_> for Visitor {
            type Value = Base64;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Base64, E> {
                Base64::decode(s)
                    .map(Base64)
                    .map_err(|e| E::custom(format_args!("invalid base64: {e}")))
            }
        }

        d.deserialize_str(Visitor)
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(v: Vec<u8>) -> Self {
        Base64(v)
    }
}

impl From<Base64> for Vec<u8> {
    fn from(b: Base64) -> Self {
        b.0
    }
}

impl Deref for Base64 {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Base64 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"\xfb\xff\xfe", &[0u8; 100]] {
            let b = Base64::from(bytes.to_vec());
            let json = serde_json::to_string(&b).unwrap();
            let back: Base64 = serde_json::from_str(&json).unwrap();
            assert_eq!(back, b);
            assert_eq!(Vec::from(back), bytes);
        }
        assert_eq!(
            serde_json::to_string(&Base64(b"fo".to_vec())).unwrap(),
            r#""Zm8=""#
        );
        assert_eq!(
            serde_json::to_string(&Base64(vec![0xfb, 0xff])).unwrap(),
            r#""+/8=""#
        );
    }

    #[test]
    fn decodes_url_safe_and_unpadded() {
        let decode = |s: &str| serde_json::from_value::<Base64>(serde_json::json!(s)).unwrap();
        assert_eq!(decode("+/8=").0, [0xfb, 0xff]);
        assert_eq!(decode("+/8").0, [0xfb, 0xff]);
        assert_eq!(decode("-_8=").0, [0xfb, 0xff]);
        assert_eq!(decode("-_8").0, [0xfb, 0xff]);
        assert_eq!(decode("Zm8").as_ref(), b"fo");
        assert_eq!(decode("").len(), 0);
    }

    #[test]
    fn rejects_invalid() {
        for s in ["Zm8!", "+_8=", "Z", "Zm9=", "Zm8=="] {
            let err = serde_json::from_str::<Base64>(&format!("{s:?}")).unwrap_err();
            assert!(
                err.to_string().starts_with("invalid base64: "),
                "{s}: {err}"
            );
        }
        let err = serde_json::from_str::<Base64>("12").unwrap_err();
        assert!(err.to_string().contains("a base64 string"), "{err}");
    }
}
