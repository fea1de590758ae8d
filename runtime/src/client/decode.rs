//! Reading a response by its declared media type.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::DecodeError;

/// A received response, its body read.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    /// A response (for tests of decoders).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body as JSON of type `T`; errors name the JSON path.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        // Read once by serde_json alone; a body that fails is read again to find the path.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let de = &mut serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." || path.is_empty() {
                DecodeError::Body(inner.to_string())
            } else {
                DecodeError::Body(format!("at {path}: {inner}"))
            }
        })?;
        Ok(value)
    }

    /// The decoding of an operation with one success response, `status` with a JSON body:
    /// every other status is one of the operation's declared errors `E`.
    pub fn json_or<T: DeserializeOwned, E: super::Errors>(
        &self,
        status: u16,
    ) -> Result<Result<T, E>, DecodeError> {
        if self.status() == status {
            return self.json().map(Ok);
        }
        E::decode(self).map(Err)
    }

    /// The decoding of an operation with one success response, `status` without a body:
    /// every other status is one of the operation's declared errors `E`.
    pub fn empty_or<E: super::Errors>(&self, status: u16) -> Result<Result<(), E>, DecodeError> {
        if self.status() == status {
            return Ok(Ok(()));
        }
        E::decode(self).map(Err)
    }

    /// The body as a form of type `T`.
    pub fn form<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        serde_urlencoded::from_bytes(&self.body).map_err(|e| DecodeError::Body(e.to_string()))
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<String, DecodeError> {
        String::from_utf8(self.body.to_vec())
            .map_err(|_| DecodeError::Body("the text is not UTF-8".into()))
    }

    /// The body as bytes.
    pub fn bytes(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// A declared header: its text as JSON (numbers, booleans, arrays) or as a string;
    /// `simple`-style arrays (`a,b`) are split. `None` when absent.
    pub fn header<T: DeserializeOwned>(
        &self,
        name: &'static str,
    ) -> Result<Option<T>, DecodeError> {
        let Some(v) = self.headers.get(name) else {
            return Ok(None);
        };
        let text = v.to_str().map_err(|_| DecodeError::Header {
            name,
            message: "not visible ASCII".into(),
        })?;
        from_text(text)
            .map(Some)
            .map_err(|message| DecodeError::Header { name, message })
    }

    /// A declared header the spec requires.
    pub fn required_header<T: DeserializeOwned>(
        &self,
        name: &'static str,
    ) -> Result<T, DecodeError> {
        self.header(name)?.ok_or(DecodeError::Header {
            name,
            message: "missing".into(),
        })
    }
}

/// A value of type `T` from the text of a header or parameter.
fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    use serde_json::Value;
    if let Ok(v) = serde_json::from_str::<T>(text) {
        return Ok(v);
    }
    let string = Value::String(text.to_owned());
    let first = match serde_json::from_value::<T>(string) {
        Ok(v) => return Ok(v),
        Err(e) => e.to_string(),
    };
    // `a,b,c`: an array of scalars.
    let items: Vec<Value> = text
        .split(',')
        .map(|s| {
            let s = s.trim();
            serde_json::from_str::<Value>(s)
                .ok()
                .filter(|v| !v.is_object() && !v.is_array())
                .unwrap_or_else(|| Value::String(s.to_owned()))
        })
        .collect();
    serde_json::from_value::<T>(Value::Array(items)).map_err(|_| first)
}

#[cfg(test)]
mod tests {
    use super::from_text;

    #[test]
    fn header_texts() {
        assert_eq!(from_text::<i64>("42"), Ok(42));
        assert_eq!(from_text::<String>("42"), Ok("42".to_owned()));
        assert_eq!(from_text::<String>("a b"), Ok("a b".to_owned()));
        assert_eq!(from_text::<Vec<i32>>("1,2"), Ok(vec![1, 2]));
        assert_eq!(
            from_text::<Vec<String>>("a,b"),
            Ok(vec!["a".into(), "b".into()])
        );
        assert!(from_text::<i32>("x").is_err());
    }
}
