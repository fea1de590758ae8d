//! Doc comments from spec text, made safe for rustdoc and clippy: code fences become
//! `text` blocks (never doctests), indented blocks lose their indent, list continuations are
//! indented so markdown does not read them lazily.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Doc;

/// Markdown from the spec, rewritten so rustdoc never compiles it and clippy's doc lints
/// stay quiet.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut list_indent: Option<usize> = None;
    for raw in text.replace('\t', "    ").replace('\r', "").lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            list_indent = None;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_owned());
            continue;
        }
        if trimmed.is_empty() {
            list_indent = None;
            out.push(String::new());
            continue;
        }
        let marker = list_marker(trimmed);
        if let Some(width) = marker {
            list_indent = Some(width);
            out.push(trimmed.to_owned());
        } else if let Some(width) = list_indent {
            out.push(format!("{}{trimmed}", " ".repeat(width)));
        } else {
            out.push(trimmed.to_owned());
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out.join("\n")
}

/// Width of a list marker and the spaces after it (`- `, `* `, `1.  `) at the start of `line`:
/// the column its continuation lines must start at.
fn list_marker(line: &str) -> Option<usize> {
    let marker = if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        1
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0
            && digits < 10
            && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
        {
            digits + 1
        } else {
            return None;
        }
    };
    let spaces = line[marker..].bytes().take_while(|&b| b == b' ').count();
    Some(marker + spaces)
}

/// `#[doc]` attributes for an item: title, description, deprecation; `fallback` when the
/// spec says nothing.
pub(crate) fn doc_attrs(doc: &Doc, fallback: &str) -> TokenStream {
    let mut parts = Vec::new();
    if let Some(t) = doc.title.as_deref().map(sanitize).filter(|t| !t.is_empty()) {
        parts.push(t);
    }
    if let Some(d) = doc
        .description
        .as_deref()
        .map(sanitize)
        .filter(|d| !d.is_empty())
    {
        if parts.first() != Some(&d) {
            parts.push(d);
        }
    }
    if parts.is_empty() {
        parts.push(fallback.to_owned());
    }
    let mut notes = Vec::new();
    if doc.read_only {
        notes.push("Read-only: sent by the server only.");
    }
    if doc.write_only {
        notes.push("Write-only: sent by the client only.");
    }
    if doc.deprecated {
        notes.push("Deprecated.");
    }
    if !notes.is_empty() {
        parts.push(notes.join(" "));
    }
    let text = parts.join("\n\n");
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn fences_become_text_and_lists_are_indented() {
        let s =
            sanitize("Intro\n```rust\nfn main() {}\n```\n    indented\n- item\ncontinued\n\nafter");
        assert_eq!(
            s,
            "Intro\n```text\nfn main() {}\n```\nindented\n- item\n  continued\n\nafter"
        );
    }
}
