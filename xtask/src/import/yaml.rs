//! A small YAML writer for imported specs, in the hand-written specs' block style:
//! mappings and sequences indented by two, multi-line text as `|` literal blocks (so
//! examples stay readable and verbatim), other text plain where YAML reads it back as
//! the same string, quoted otherwise.

/// A YAML value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A mapping, in the given key order.
    Map(Vec<(String, Node)>),
    /// A sequence.
    Seq(Vec<Node>),
    /// Text, written so that it reads back as exactly this string.
    Str(String),
    /// A number or boolean, written as is.
    Raw(String),
}

impl Node {
    /// A string node.
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }
}

/// Builds a mapping, leaving out absent and empty values.
#[derive(Default)]
pub struct MapBuilder(Vec<(String, Node)>);

impl MapBuilder {
    /// Adds `key: value` unless the value is an empty sequence or mapping.
    pub fn node(mut self, key: &str, value: Node) -> Self {
        let empty = matches!(&value, Node::Seq(v) if v.is_empty())
            || matches!(&value, Node::Map(v) if v.is_empty());
        if !empty {
            self.0.push((key.to_owned(), value));
        }
        self
    }
    /// Adds a string value.
    pub fn str(self, key: &str, value: &str) -> Self {
        self.node(key, Node::str(value))
    }
    /// Adds a string value when it is given and not empty.
    pub fn opt_str(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) if !v.is_empty() => self.str(key, v),
            _ => self,
        }
    }
    /// Adds `key: true` when `value` is true.
    pub fn flag(self, key: &str, value: bool) -> Self {
        if value {
            self.node(key, Node::Raw("true".into()))
        } else {
            self
        }
    }
    /// The mapping.
    pub fn build(self) -> Node {
        Node::Map(self.0)
    }
}

/// The YAML text of a document whose root is `root` (normally a mapping).
pub fn to_string(root: &Node) -> String {
    let mut out = String::new();
    match root {
        Node::Map(entries) => write_map(&mut out, entries, 0),
        Node::Seq(items) => write_seq(&mut out, items, 0),
        scalar => write_scalar(&mut out, scalar, 2),
    }
    out
}

fn write_map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    for (k, v) in entries {
        push_indent(out, indent);
        write_entry(out, k, v, indent);
    }
}

/// `key: value` with the cursor already at the key's column `indent`.
fn write_entry(out: &mut String, key: &str, value: &Node, indent: usize) {
    out.push_str(key);
    match value {
        Node::Map(m) if !m.is_empty() => {
            out.push_str(":\n");
            write_map(out, m, indent + 2);
        }
        Node::Seq(s) if !s.is_empty() => {
            out.push_str(":\n");
            write_seq(out, s, indent + 2);
        }
        Node::Map(_) => out.push_str(": {}\n"),
        Node::Seq(_) => out.push_str(": []\n"),
        scalar => {
            out.push_str(": ");
            write_scalar(out, scalar, indent + 2);
        }
    }
}

fn write_seq(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Node::Map(m) if !m.is_empty() => {
                let (k, v) = &m[0];
                write_entry(out, k, v, indent + 2);
                write_map(out, &m[1..], indent + 2);
            }
            Node::Seq(s) if !s.is_empty() => {
                out.push('\n');
                write_seq(out, s, indent + 2);
            }
            Node::Map(_) => out.push_str("{}\n"),
            Node::Seq(_) => out.push_str("[]\n"),
            scalar => write_scalar(out, scalar, indent + 2),
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A scalar after `key: ` or `- `; a literal block's lines are indented to `block_indent`.
fn write_scalar(out: &mut String, v: &Node, block_indent: usize) {
    let s = match v {
        Node::Raw(r) => {
            out.push_str(r);
            out.push('\n');
            return;
        }
        Node::Str(s) => s,
        Node::Map(_) | Node::Seq(_) => unreachable!("collections are written by the callers"),
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

    fn round_trip(s: &str) {
        let doc = MapBuilder::default()
            .str("a", s)
            .node("list", Node::Seq(vec![Node::str(s), Node::str("x")]))
            .node(
                "items",
                Node::Seq(vec![MapBuilder::default()
                    .str("name", "n")
                    .str("text", s)
                    .build()]),
            )
            .str("after", "end")
            .build();
        let text = to_string(&doc);
        let v: serde_yaml::Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{s:?} -> unparsable YAML ({e}):\n{text}"));
        assert_eq!(v["a"].as_str(), Some(s), "{text}");
        assert_eq!(v["list"][0].as_str(), Some(s), "{text}");
        assert_eq!(v["items"][0]["text"].as_str(), Some(s), "{text}");
        assert_eq!(v["after"].as_str(), Some("end"), "{text}");
    }

    #[test]
    fn strings_read_back_exactly() {
        for s in [
            "plain",
            "用户状态 Enabled：启用， Disabled：禁用。",
            "2021-03-31",
            "10",
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
            "+1",
            "0x1F",
            "1e3",
            "a:",
        ] {
            round_trip(s);
        }
    }

    #[test]
    fn layout_matches_hand_written_specs() {
        let doc = MapBuilder::default()
            .str("name", "ListUsers")
            .str("version", "2021-03-31")
            .node(
                "parameters",
                Node::Seq(vec![MapBuilder::default()
                    .str("name", "MaxResults")
                    .str("type", "integer")
                    .node(
                        "range",
                        MapBuilder::default()
                            .node("min", Node::Raw("1".into()))
                            .node("max", Node::Raw("100".into()))
                            .build(),
                    )
                    .str("request", "POST /\n{}\n")
                    .build()]),
            )
            .node("empty", Node::Seq(vec![]))
            .build();
        assert_eq!(
            to_string(&doc),
            "name: ListUsers\nversion: '2021-03-31'\nparameters:\n  - name: MaxResults\n    type: integer\n    range:\n      min: 1\n      max: 100\n    request: |\n      POST /\n      {}\n"
        );
    }
}
