//! Where every node of a JSON document starts.
//!
//! serde_json parses the value; this scanner runs only when a diagnostic needs a line, over
//! text that serde_json has already accepted.

use std::collections::HashMap;

use super::Pos;

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    line: u32,
    line_start: usize,
    ptr: String,
    out: HashMap<String, Pos>,
}

/// Maps each JSON pointer of `text` to the line and column where its node (or its key) starts.
pub(crate) fn positions(text: &str) -> HashMap<String, Pos> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        ptr: String::new(),
        out: HashMap::new(),
    };
    s.ws();
    let here = s.pos();
    s.out.insert(String::new(), here);
    s.value();
    s.out
}

impl Scanner<'_> {
    fn pos(&self) -> Pos {
        let col = std::str::from_utf8(&self.b[self.line_start..self.i])
            .map(|s| s.chars().count())
            .unwrap_or(self.i - self.line_start);
        (self.line, u32::try_from(col + 1).unwrap_or(u32::MAX))
    }

    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    /// Skips a string starting at the opening quote and returns its raw contents unescaped.
    fn string(&mut self) -> String {
        let start = self.i + 1;
        self.i += 1;
        let mut escaped = false;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                break;
            }
        }
        let raw = &self.b[start..self.i.saturating_sub(1).max(start)];
        let quoted = [b"\"".as_slice(), raw, b"\""].concat();
        serde_json::from_slice::<String>(&quoted)
            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
    }

    fn value(&mut self) {
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'"') => {
                            let at = self.pos();
                            let key = self.string();
                            let len = self.ptr.len();
                            self.ptr.push('/');
                            crate::diag::push_escaped(&mut self.ptr, &key);
                            self.out.entry(self.ptr.clone()).or_insert(at);
                            self.ws();
                            if self.b.get(self.i) == Some(&b':') {
                                self.i += 1;
                            }
                            self.value();
                            self.ptr.truncate(len);
                        }
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            break;
                        }
                        _ => break,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut n = 0usize;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b']') => {
                            self.i += 1;
                            break;
                        }
                        Some(b',') => self.i += 1,
                        Some(_) => {
                            let len = self.ptr.len();
                            self.ptr.push('/');
                            self.ptr.push_str(&n.to_string());
                            let at = self.pos();
                            self.out.entry(self.ptr.clone()).or_insert(at);
                            self.value();
                            self.ptr.truncate(len);
                            n += 1;
                        }
                        None => break,
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(&c) = self.b.get(self.i) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.i += 1;
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_keys_and_items() {
        let text = "{\n  \"paths\": {\n    \"/pets\": {\n      \"get\": {\"tags\": [\"a\", \"b\\\"\"]}\n    }\n  },\n  \"x~y\": 1\n}";
        let p = super::positions(text);
        assert_eq!(p["/paths/~1pets"], (3, 5));
        assert_eq!(p["/paths/~1pets/get"], (4, 7));
        assert_eq!(p["/paths/~1pets/get/tags/1"], (4, 29));
        assert_eq!(p["/x~0y"], (7, 3));
    }
}
