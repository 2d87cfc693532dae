//! Service error enums: one `CommonError` per product version for the product's common
//! codes, and one enum per action for its own codes, `Common(CommonError)` and `Unhandled`.
//! Common codes are emitted once per product instead of once per action.

use super::docs;
use super::text::{close, open, str_lit, w, Out, WIDTH};
use crate::ir::{Action, ErrorDef, Product};

fn variant_doc(e: &ErrorDef) -> String {
    let mut md = format!("`{}`", e.code);
    if let Some(s) = e.http_status {
        md.push_str(&format!(" (HTTP {s})"));
    }
    if !e.description.is_empty() {
        md.push_str(&format!(": {}", docs::escape(&e.description)));
    }
    if let Some(m) = &e.message {
        md.push_str(&format!("\n\nMessage: {}", docs::inline_code(m)));
    }
    if e.retryable {
        md.push_str("\n\nRetryable.");
    }
    md
}

/// A match arm `a | b | c => body,` on one line when it fits, else one pattern a line.
fn or_arm(o: &mut Out, patterns: &[String], body: &str) {
    let Some((last, first)) = patterns.split_last() else {
        return;
    };
    let len: usize = patterns.iter().map(|p| p.len() + 3).sum::<usize>() + body.len() + 4;
    if o.indent_width() + len <= WIDTH {
        w!(o, "{} => {body},", patterns.join(" | "));
        return;
    }
    for (i, p) in first.iter().enumerate() {
        if i == 0 {
            o.text(p);
        } else {
            w!(o, "| {p}");
        }
    }
    if first.is_empty() {
        w!(o, "{last} => {body},");
    } else {
        w!(o, "| {last} => {body},");
    }
}

/// The codes as a `CODES` constant.
fn codes_const(o: &mut Out, errors: &[ErrorDef]) {
    let codes: Vec<String> = errors.iter().map(|e| str_lit(&e.code)).collect();
    o.list(
        "pub const CODES: &'static [&'static str] = &[",
        &codes,
        "];",
    );
}

/// The product's common codes (`errors.rs` of a version module).
pub fn common_error_enum(o: &mut Out, p: &Product) {
    o.inner_doc(&format!(
        "The common error codes of {} {}.",
        docs::escape(&p.title),
        p.version
    ));
    o.blank();
    o.doc(
        "A common error code of the product, shared by every action; each action's error\n\
         enum holds it as its `Common` variant.",
    );
    w!(o, "#[derive(Debug, Clone, PartialEq, Eq)]");
    w!(o, "#[non_exhaustive]");
    open!(o, "pub enum CommonError {{");
    for e in &p.errors {
        o.doc(&variant_doc(e));
        w!(o, "{}(crate::runtime::ErrorMetadata),", e.rust_name);
    }
    close!(o, "}}");
    o.blank();
    open!(o, "impl CommonError {{");
    o.doc("Every common code, in declaration order.");
    codes_const(o, &p.errors);
    o.blank();
    o.doc("The common error for `meta`'s code, or `meta` back if the code is not a common one.");
    o.open_list(
        "pub fn from_code(",
        &["meta: crate::runtime::ErrorMetadata"],
        ") -> Result<Self, crate::runtime::ErrorMetadata> {",
    );
    open!(o, "match meta.code() {{");
    for e in &p.errors {
        w!(
            o,
            "{} => Ok(Self::{}(meta)),",
            str_lit(&e.code),
            e.rust_name
        );
    }
    w!(o, "_ => Err(meta),");
    close!(o, "}}");
    close!(o, "}}");
    o.blank();
    o.doc("The code, message, request id and HTTP status.");
    open!(o, "pub fn meta(&self) -> &crate::runtime::ErrorMetadata {{");
    open!(o, "match self {{");
    let metas: Vec<String> = p
        .errors
        .iter()
        .map(|e| format!("Self::{}(m)", e.rust_name))
        .collect();
    or_arm(o, &metas, "m");
    close!(o, "}}");
    close!(o, "}}");
    o.blank();
    o.doc("Whether retrying the same request may succeed (throttling, transient failures).");
    open!(o, "pub fn is_retryable(&self) -> bool {{");
    let retryable: Vec<String> = p
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| format!("Self::{}(_)", e.rust_name))
        .collect();
    if retryable.is_empty() {
        w!(o, "false");
    } else if o.indent_width() + 16 + retryable.iter().map(|r| r.len() + 3).sum::<usize>() <= WIDTH
    {
        w!(o, "matches!(self, {})", retryable.join(" | "));
    } else {
        open!(o, "matches!(");
        w!(o, "self,");
        for (i, r) in retryable.iter().enumerate() {
            if i == 0 {
                o.text(r);
            } else {
                w!(o, "    | {r}");
            }
        }
        close!(o, ")");
    }
    close!(o, "}}");
    close!(o, "}}");
    o.blank();
    w!(
        o,
        "crate::runtime::protocol::error::service_error_impls!(accessors CommonError);"
    );
}

pub fn error_enum(o: &mut Out, p: &Product, a: &Action) {
    let name = &a.names.error;
    let has_common = !p.errors.is_empty();
    o.blank();
    o.doc(&format!(
        "A service error of {0}: one variant per code the document lists for {0}{1}, and an \
         opaque unhandled case for any other code.\n\n\
         Match on the variants you handle and on [`code()`](Self::code) in a wildcard arm: a code \
         that a later spec lists moves from the unhandled case to a variant of its own.",
        a.name,
        if has_common {
            format!(", the product's common codes in [`Common`]({name}::Common)")
        } else {
            String::new()
        }
    ));
    w!(o, "#[derive(Debug, Clone, PartialEq, Eq)]");
    w!(o, "#[non_exhaustive]");
    open!(o, "pub enum {name} {{");
    for e in &a.errors {
        o.doc(&variant_doc(e));
        w!(o, "{}(crate::runtime::ErrorMetadata),", e.rust_name);
    }
    if has_common {
        o.doc("A common error code of the product.");
        w!(o, "Common(super::CommonError),");
    }
    o.doc(
        "A code this version of the spec does not list.\n\n\
         Do not match on this variant: match on [`code()`](Self::code) in a wildcard arm.",
    );
    open!(o, "#[deprecated(");
    w!(
        o,
        "note = \"not forward compatible: a code a later spec lists moves to its own variant; match on `.code()` in a wildcard arm instead\""
    );
    close!(o, ")]");
    w!(o, "Unhandled(crate::runtime::Unhandled),");
    close!(o, "}}");

    // An action that lists no codes of its own gets no empty `CODES`.
    if !a.errors.is_empty() {
        o.blank();
        open!(o, "impl {name} {{");
        o.doc(if has_common {
            "The codes the document lists for this action, in declaration order\n\
             (the product's common codes are [`CommonError::CODES`](super::CommonError::CODES))."
        } else {
            "The codes the document lists for this action, in declaration order."
        });
        codes_const(o, &a.errors);
        close!(o, "}}");
    }
    o.blank();
    w!(
        o,
        "crate::runtime::protocol::error::service_error_impls!({name}, super::PROTOCOL);"
    );

    o.blank();
    w!(
        o,
        "// The generated code itself must name the deprecated `Unhandled` variant."
    );
    w!(o, "#[allow(deprecated)]");
    open!(o, "impl crate::runtime::ServiceError for {name} {{");
    open!(
        o,
        "fn from_metadata(meta: crate::runtime::ErrorMetadata) -> Self {{"
    );
    let fallback = |o: &mut Out| {
        if has_common {
            open!(o, "match super::CommonError::from_code(meta) {{");
            w!(o, "Ok(common) => Self::Common(common),");
            w!(
                o,
                "Err(meta) => Self::Unhandled(crate::runtime::Unhandled::new(meta)),"
            );
            close!(o, "}}");
        } else {
            w!(o, "Self::Unhandled(crate::runtime::Unhandled::new(meta))");
        }
    };
    // A `match` only where there are codes to match, and a wildcard arm only where some
    // variant is left (no `match_single_binding`, no unreachable pattern).
    if a.errors.is_empty() {
        fallback(o);
    } else {
        open!(o, "match meta.code() {{");
        for e in &a.errors {
            w!(o, "{} => Self::{}(meta),", str_lit(&e.code), e.rust_name);
        }
        if has_common {
            open!(o, "_ => {{");
            fallback(o);
            close!(o, "}}");
        } else {
            w!(
                o,
                "_ => Self::Unhandled(crate::runtime::Unhandled::new(meta)),"
            );
        }
        close!(o, "}}");
    }
    close!(o, "}}");
    o.blank();
    open!(o, "fn meta(&self) -> &crate::runtime::ErrorMetadata {{");
    open!(o, "match self {{");
    if has_common {
        w!(o, "Self::Common(c) => c.meta(),");
    }
    let metas: Vec<String> = a
        .errors
        .iter()
        .map(|e| format!("Self::{}(m)", e.rust_name))
        .collect();
    or_arm(o, &metas, "m");
    w!(o, "Self::Unhandled(u) => u.meta(),");
    close!(o, "}}");
    close!(o, "}}");
    o.blank();
    open!(o, "fn is_retryable(&self) -> bool {{");
    open!(o, "match self {{");
    let retryable: Vec<String> = a
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| format!("Self::{}(_)", e.rust_name))
        .collect();
    or_arm(o, &retryable, "true");
    if has_common {
        w!(o, "Self::Common(c) => c.is_retryable(),");
    }
    w!(o, "Self::Unhandled(u) => u.meta().http_status() >= 500,");
    if retryable.len() < a.errors.len() {
        w!(o, "_ => false,");
    }
    close!(o, "}}");
    close!(o, "}}");
    close!(o, "}}");
}
