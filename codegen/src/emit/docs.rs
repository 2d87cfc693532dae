//! Rustdoc from spec descriptions: Chinese text kept as written, made safe for
//! rustdoc's lints (bare URLs, stray brackets and angle brackets).

/// Escapes text for Markdown rustdoc: URLs become autolinks, `<`, `>`, `[`, `]` are
/// escaped, and a line that would continue a list item lazily starts a paragraph.
pub fn escape(text: &str) -> String {
    separate_lazy_lines(&escape_inline(text))
}

/// A list item's unindented next line would be a "lazy continuation" of the item
/// (clippy::doc_lazy_continuation); documents mean a new paragraph there.
fn separate_lazy_lines(md: &str) -> String {
    if !md.contains('\n') {
        return md.to_owned();
    }
    let mut out = String::with_capacity(md.len() + 8);
    // The content indentation of the list item the previous lines belong to.
    let mut item: Option<usize> = None;
    for (i, line) in md.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim().is_empty() {
            item = None;
        } else if let Some(width) = list_item(line) {
            item = Some(width);
        } else if let Some(width) = item {
            if line.len() - line.trim_start_matches(' ').len() < width {
                out.push('\n');
                item = None;
            }
        }
        out.push_str(line);
    }
    out
}

/// The content indentation of a Markdown list item line (`- a`, `+ a`, `1. a`, `1) a`).
fn list_item(line: &str) -> Option<usize> {
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    if indent > 3 {
        return None;
    }
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let marker = match rest.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        Some(b'-' | b'+' | b'*') if digits == 0 => 1,
        _ => return None,
    };
    match rest[marker..].chars().next() {
        Some(' ' | '\t') => Some(indent + marker + 1),
        None => Some(indent + marker + 1),
        _ => None,
    }
}

fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        let url_at = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min();
        let Some(at) = url_at else {
            escape_plain(rest, &mut out);
            break;
        };
        escape_plain(&rest[..at], &mut out);
        let end = rest[at..]
            .find(|c: char| {
                c.is_whitespace()
                    || !c.is_ascii()
                    || matches!(c, '<' | '>' | '`' | '"' | '\'' | ')' | '|')
            })
            .map_or(rest.len(), |e| at + e);
        out.push('<');
        out.push_str(&rest[at..end]);
        out.push('>');
        rest = &rest[end..];
    }
    out
}

fn escape_plain(s: &str, out: &mut String) {
    for c in s.chars() {
        if matches!(c, '<' | '>' | '[' | ']' | '`' | '*' | '_' | '\\' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The first line of a description.
pub fn first_line(text: &str) -> &str {
    text.trim().lines().next().unwrap_or("")
}

/// Spec text as rustdoc Markdown: escaped, trailing whitespace trimmed.
pub fn doc_md(text: &str) -> String {
    escape(text.trim_end())
}

/// A fenced `text` block, for examples printed verbatim.
pub fn code_block(text: &str) -> String {
    let fence = if text.contains("```") { "~~~~" } else { "```" };
    // Tabs become four spaces in the rendered docs only (clippy::tabs_in_doc_comments).
    format!(
        "{fence}text\n{}\n{fence}",
        text.trim_end().replace('\t', "    ")
    )
}

/// Documentation for a member: description, then example, default and range.
pub fn member_doc(description: &str, example: Option<&str>, extra: &[String]) -> String {
    let mut md = escape(description.trim());
    if let Some(e) = example {
        if !e.is_empty() {
            md.push_str(&format!("\n\n示例值 (example): {}", inline_code(e)));
        }
    }
    for x in extra {
        md.push_str("\n\n");
        md.push_str(x);
    }
    md
}

/// The documented constraints of a parameter or request field, one paragraph each.
pub fn constraint_notes(
    required: bool,
    min: Option<i64>,
    max: Option<i64>,
    default: Option<&str>,
) -> Vec<String> {
    let mut extra = Vec::new();
    if required {
        extra.push("Required.".to_owned());
    }
    match (min, max) {
        (Some(lo), Some(hi)) => extra.push(format!("Range: {lo} to {hi}.")),
        (Some(lo), None) => extra.push(format!("Minimum: {lo}.")),
        (None, Some(hi)) => extra.push(format!("Maximum: {hi}.")),
        (None, None) => {}
    }
    if let Some(d) = default {
        extra.push(format!(
            "Default (applied by the service when unset): {}.",
            inline_code(d)
        ));
    }
    extra
}

/// Inline code that survives backticks in the value.
pub fn inline_code(s: &str) -> String {
    // Tabs become four spaces in the rendered docs only (clippy::tabs_in_doc_comments).
    let one_line = s.replace('\n', " ").replace('\t', "    ");
    if one_line.contains('`') {
        format!("`` {one_line} ``")
    } else {
        format!("`{one_line}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_links_urls() {
        assert_eq!(
            escape("见 https://a.b/#/x 及 [Endpoint] <公共请求参数>"),
            "见 <https://a.b/#/x> 及 \\[Endpoint\\] \\<公共请求参数\\>"
        );
        assert_eq!(inline_code("a`b"), "`` a`b ``");
        assert_eq!(inline_code("a\tb"), "`a    b`");
    }

    #[test]
    fn list_items_are_not_continued_lazily() {
        assert_eq!(
            escape("取值：\n\n- CVM：云服务器\n- CDH：专用宿主机\n注意：此字段可能返回 null。"),
            "取值：\n\n- CVM：云服务器\n- CDH：专用宿主机\n\n注意：此字段可能返回 null。"
        );
        assert_eq!(escape("1. a\n   b\nc"), "1. a\n   b\n\nc");
        assert_eq!(escape("a\n- b\n\nc\nd"), "a\n- b\n\nc\nd");
        assert_eq!(escape("-5 度\n下一行"), "-5 度\n下一行");
        // CommonMark reads up to nine digits and a dot as an ordered list item.
        assert_eq!(escape("2024. 年\n下一行"), "2024. 年\n\n下一行");
    }
}
