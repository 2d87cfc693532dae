//! Rust naming: case conversion through `heck` and the rules an identifier must meet.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Rust's strict and reserved keywords (2021 edition), plus `gen` (2024).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Names a generated type may not take: they would shadow the prelude or the
/// names generated code relies on.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Client",
    "Self",
];

/// The longest identifier a spec may produce (file names are derived from them).
pub const MAX_NAME_LEN: usize = 100;

/// Lowercase ASCII letters, digits and `-`, starting with a letter: what provider and
/// product names (folders, modules and cargo features) must be.
pub fn is_lowercase_name(value: &str) -> bool {
    value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub fn snake(name: &str) -> String {
    name.to_snake_case()
}

pub fn camel(name: &str) -> String {
    name.to_upper_camel_case()
}

pub fn lower_camel(name: &str) -> String {
    name.to_lower_camel_case()
}

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// The module (and client method) of the action `name`: its snake_case form, with a
/// trailing `_` when that is a keyword (`Pub` → `pub_`), the way a keyword field is
/// renamed (`type_`). Also returns the bare snake_case form, which the other method
/// names are built from (`pub_pages`, `on_pub`): those are never keywords.
pub fn action_module(name: &str) -> (String, String) {
    let base = snake(name);
    let module = if is_keyword(&base) {
        format!("{base}_")
    } else {
        base.clone()
    };
    (module, base)
}

/// Why `s` cannot be a Rust identifier, if it cannot.
pub fn ident_problem(s: &str) -> Option<String> {
    let Some(first) = s.chars().next() else {
        return Some("it is empty once converted".into());
    };
    if !s.is_ascii() {
        return Some("it has non-ASCII characters".into());
    }
    if first.is_ascii_digit() {
        return Some("it starts with a digit".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Some(format!("it contains `{c}`"));
    }
    if s == "_" {
        return Some("`_` is not an identifier".into());
    }
    if is_keyword(s) {
        return Some("it is a Rust keyword".into());
    }
    if s.len() > MAX_NAME_LEN {
        return Some(format!("it is longer than {MAX_NAME_LEN} characters"));
    }
    None
}

/// Levenshtein distance, for "did you mean" hints.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate to `name`, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (distance(name, c), c))
        .filter(|(d, c)| *d <= (c.len().max(name.len()) / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_and_identifier_rules() {
        assert_eq!(snake("FilterGroups"), "filter_groups");
        assert_eq!(camel("ON_SITE"), "OnSite");
        assert_eq!(camel("AuthFailure.MFAFailure"), "AuthFailureMfaFailure");
        assert_eq!(
            ident_problem("type").as_deref(),
            Some("it is a Rust keyword")
        );
        assert_eq!(
            ident_problem("1st").as_deref(),
            Some("it starts with a digit")
        );
        assert!(ident_problem("名字").is_some());
        assert_eq!(ident_problem("page_size"), None);
        assert_eq!(closest("Usr", ["User", "PhoneNumber"]), Some("User"));
        assert_eq!(closest("Zebra", ["User", "PhoneNumber"]), None);
        assert_eq!(action_module("Pub"), ("pub_".to_owned(), "pub".to_owned()));
        assert_eq!(action_module("createInstance").0, "create_instance");
        assert_eq!(camel("createInstance"), "CreateInstance");
    }
}
