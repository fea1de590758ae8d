//! Reading a fuzz input as an HTTP message: a first line, header lines up to an empty line,
//! then the body. Seeds are plain text in this form.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

/// The first line, the headers that are valid HTTP, and the body.
pub struct Message<'a> {
    pub first: &'a [u8],
    pub headers: HeaderMap,
    pub body: Bytes,
}

fn line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let l = &data[..i];
            (l.strip_suffix(b"\r").unwrap_or(l), &data[i + 1..])
        }
        None => (data, &[]),
    }
}

pub fn message(data: &[u8]) -> Message<'_> {
    let (first, mut rest) = line(data);
    let mut headers = HeaderMap::new();
    loop {
        if rest.is_empty() {
            break;
        }
        let (l, after) = line(rest);
        rest = after;
        if l.is_empty() {
            break;
        }
        let Some(colon) = l.iter().position(|&b| b == b':') else {
            continue;
        };
        let value = l[colon + 1..].trim_ascii();
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(&l[..colon]),
            HeaderValue::from_bytes(value),
        ) {
            headers.append(n, v);
        }
    }
    Message {
        first,
        headers,
        body: Bytes::copy_from_slice(rest),
    }
}
