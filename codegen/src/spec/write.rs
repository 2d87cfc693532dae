//! Spec values as YAML text, in the hand-written specs' block style: keys in the structs'
//! field order, absent and default values left out, mappings and sequences indented by
//! two, multi-line text as `|` literal blocks (so examples stay readable and verbatim),
//! other text plain where YAML reads it back as the same string, quoted otherwise, and
//! non-ASCII text as written. Loading the text gives back an equal value.
//!
//! A member's `default` and `example` are written bare (`10`, `true`) when its `type` is
//! `integer`, `uint64` or `boolean` and the text is that type's canonical form; otherwise
//! as text (a [`Scalar`](super::Scalar) reads either back as the same text).

use serde::Serialize;
use serde_yaml::{Mapping, Value};

/// The YAML text of `value` (a [`ProductSpec`](super::ProductSpec),
/// [`ActionSpec`](super::ActionSpec), [`ProviderSpec`](super::ProviderSpec) or any part).
pub fn to_yaml<T: Serialize>(value: &T) -> String {
    to_yaml_with_comments(&[], value)
}

/// [`to_yaml`] after a header of `# ` comment lines (each entry may hold several lines;
/// an empty line is written as `#`).
pub fn to_yaml_with_comments<T: Serialize>(comments: &[String], value: &T) -> String {
    let mut out = String::new();
    for line in comments.iter().flat_map(|c| c.lines()) {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    // Spec values hold strings, numbers, booleans and string-keyed maps only.
    let mut root = serde_yaml::to_value(value).expect("spec values always serialize");
    bare_scalars(&mut root);
    match &root {
        Value::Mapping(m) => write_map(&mut out, m, 0),
        Value::Sequence(items) => write_seq(&mut out, items, 0),
        scalar => write_scalar(&mut out, scalar, 2),
    }
    out
}

/// Numbers and booleans of members typed so become YAML numbers and booleans.
fn bare_scalars(v: &mut Value) {
    match v {
        Value::Mapping(m) => {
            let ty = m
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_default();
            for key in ["default", "example"] {
                if let Some(slot) = m.get_mut(key) {
                    if let Some(bare) = slot.as_str().and_then(|s| bare(s, &ty)) {
                        *slot = bare;
                    }
                }
            }
            for (_, child) in m.iter_mut() {
                bare_scalars(child);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(bare_scalars),
        _ => {}
    }
}

/// `text` as a YAML number or boolean when `ty` reads it so and it is written canonically
/// (no `+1`, `01`), so that it reads back as the same text.
fn bare(text: &str, ty: &str) -> Option<Value> {
    match ty {
        "integer" | "uint64" => {
            if let Ok(n) = text.parse::<i64>() {
                (n.to_string() == text).then(|| Value::from(n))
            } else {
                let n = text.parse::<u64>().ok()?;
                (n.to_string() == text).then(|| Value::from(n))
            }
        }
        "boolean" => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

fn write_map(out: &mut String, entries: &Mapping, indent: usize) {
    for (k, v) in entries {
        push_indent(out, indent);
        write_entry(out, k, v, indent);
    }
}

/// `key: value` with the cursor already at the key's column `indent`.
fn write_entry(out: &mut String, key: &Value, value: &Value, indent: usize) {
    match key {
        Value::String(k) => out.push_str(k),
        _ => unreachable!("spec maps have string keys"),
    }
    match value {
        Value::Mapping(m) if !m.is_empty() => {
            out.push_str(":\n");
            write_map(out, m, indent + 2);
        }
        Value::Sequence(s) if !s.is_empty() => {
            out.push_str(":\n");
            write_seq(out, s, indent + 2);
        }
        Value::Mapping(_) => out.push_str(": {}\n"),
        Value::Sequence(_) => out.push_str(": []\n"),
        scalar => {
            out.push_str(": ");
            write_scalar(out, scalar, indent + 2);
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Value::Mapping(m) if !m.is_empty() => {
                let mut entries = m.iter();
                if let Some((k, v)) = entries.next() {
                    write_entry(out, k, v, indent + 2);
                }
                for (k, v) in entries {
                    push_indent(out, indent + 2);
                    write_entry(out, k, v, indent + 2);
                }
            }
            Value::Sequence(s) if !s.is_empty() => {
                out.push('\n');
                write_seq(out, s, indent + 2);
            }
            Value::Mapping(_) => out.push_str("{}\n"),
            Value::Sequence(_) => out.push_str("[]\n"),
            scalar => write_scalar(out, scalar, indent + 2),
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A scalar after `key: ` or `- `; a literal block's lines are indented to `block_indent`.
fn write_scalar(out: &mut String, v: &Value, block_indent: usize) {
    let s = match v {
        Value::String(s) => s,
        Value::Bool(b) => {
            out.push_str(if *b { "true\n" } else { "false\n" });
            return;
        }
        Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push('\n');
            return;
        }
        Value::Null => {
            out.push_str("null\n");
            return;
        }
        Value::Tagged(_) | Value::Mapping(_) | Value::Sequence(_) => {
            unreachable!("spec values have no tags; collections are written by the callers")
        }
    };
    if s.contains('\n') && literal_ok(s) {
        write_literal(out, s, block_indent);
    } else if plain_ok(s) {
        out.push_str(s);
        out.push('\n');
    } else if !s.chars().any(needs_escape) {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push_str("'\n");
    } else {
        write_double_quoted(out, s);
        out.push('\n');
    }
}

/// Characters a single-quoted or plain scalar cannot hold as themselves.
fn needs_escape(c: char) -> bool {
    // Tabs are control characters too.
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Whether `s` can be a `|` literal block: only printable characters and tabs on its
/// lines, and no line of blanks only (YAML treats those as empty lines).
fn literal_ok(s: &str) -> bool {
    let body = s.trim_end_matches('\n');
    !body.is_empty()
        && body.split('\n').all(|line| {
            !line.chars().any(|c| needs_escape(c) && c != '\t')
                && (line.is_empty() || !line.chars().all(|c| c == ' ' || c == '\t'))
        })
}

fn write_literal(out: &mut String, s: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push('|');
    // The indentation is given when the text itself starts with blanks or a line break.
    if body.starts_with([' ', '\t', '\n']) {
        out.push('2');
    }
    out.push_str(match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    });
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

/// Whether `s` reads back as the same string when written without quotes.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
        || s.chars()
            .any(|c| needs_escape(c) || c == '\n' || c == '\u{85}')
    {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || first.is_ascii_digit()
        || first == '.'
        || first == '+'
    {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    // Words YAML (1.1 or 1.2) reads as null, booleans or numbers.
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) || c == '\u{85}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{
        ActionSpec, ExampleSpec, FieldSpec, HttpMethod, ParameterSpec, RangeSpec, ResponseSpec,
        Scalar,
    };

    /// An action holding `s` in a description, a parameter's example, a list and an example.
    fn holding(s: &str) -> ActionSpec {
        ActionSpec {
            name: "Act".into(),
            description: s.into(),
            http_method: HttpMethod::Post,
            path: None,
            body: None,
            rate_limit: None,
            idempotent: None,
            parameters: vec![ParameterSpec {
                name: "P".into(),
                ty: "string".into(),
                example: Some(Scalar(s.into())),
                description: s.into(),
                ..ParameterSpec::default()
            }],
            rules: Vec::new(),
            pagination: None,
            response: ResponseSpec {
                fields: vec![FieldSpec {
                    name: "F".into(),
                    ty: "integer".into(),
                    example: Some(Scalar(s.into())),
                    ..FieldSpec::default()
                }],
                ..ResponseSpec::default()
            },
            types: Vec::new(),
            errors: Vec::new(),
            examples: vec![ExampleSpec {
                title: s.into(),
                request: Some(s.into()),
                ..ExampleSpec::default()
            }],
        }
    }

    #[test]
    fn strings_read_back_exactly() {
        for s in [
            "plain",
            "用户状态 Enabled：启用， Disabled：禁用。",
            "2021-03-31",
            "10",
            "-3",
            "01",
            "+1",
            "99999999999999999999999",
            "18446744073709551615",
            "true",
            "Yes",
            "null",
            "~",
            "",
            " leading",
            "trailing ",
            "a: b",
            "a #b",
            "#x",
            "- a",
            "'[\"g-1\", \"g-2\"]'",
            "[\"g-1\"]",
            "{\"a\": 1}",
            "it's",
            "*alias",
            "&anchor",
            "!tag",
            "%x",
            "@x",
            "`x`",
            "|x",
            ">x",
            "tab\there",
            "a\r\nb",
            "line1\nline2",
            "line1\nline2\n",
            "line1\nline2\n\n\n",
            "  indented first\nsecond\n",
            "\nleading newline\n",
            "\tleading tab\nx",
            "POST / HTTP/1.1\nHost: x\n<公共请求参数>\n\n{\n    \"a\": 1\n}",
            "trailing spaces  \nhere  \n",
            "blank-only line\n   \nafter\n",
            "bell\u{7}",
            "nel\u{85}x",
            "ls\u{2028}x\ny",
            "bom\u{feff}",
            "back\\slash \"quoted\"",
            ".5",
            "0x1F",
            "1e3",
            "a:",
        ] {
            let a = holding(s);
            let text = to_yaml(&a);
            let back: ActionSpec = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{s:?} -> unparsable YAML ({e}):\n{text}"));
            assert_eq!(back, a, "{text}");
        }
    }

    #[test]
    fn layout_matches_hand_written_specs() {
        let a = ActionSpec {
            parameters: vec![ParameterSpec {
                name: "MaxResults".into(),
                ty: "integer".into(),
                range: Some(RangeSpec {
                    min: Some(1),
                    max: Some(100),
                }),
                default: Some(Scalar("10".into())),
                example: Some(Scalar("+1".into())),
                description: "请求 POST /\n{}\n".into(),
                ..ParameterSpec::default()
            }],
            response: ResponseSpec::default(),
            examples: Vec::new(),
            ..holding("2021-03-31")
        };
        assert_eq!(
            to_yaml_with_comments(&["Imported.\n\nSecond.".into()], &a),
            "# Imported.\n#\n# Second.\nname: Act\ndescription: '2021-03-31'\nhttp_method: POST\nparameters:\n  - name: MaxResults\n    type: integer\n    range:\n      min: 1\n      max: 100\n    default: 10\n    example: '+1'\n    description: |\n      请求 POST /\n      {}\nresponse:\n  fields: []\n"
        );
    }
}
