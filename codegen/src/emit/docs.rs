//! Rustdoc from spec descriptions: Chinese text kept as written, the providers' HTML
//! (`<p>`, `<br>`, `<ul>`/`<li>`, `<a href>`, `<code>`, tables …) turned into Markdown,
//! and the rest made safe for rustdoc's lints (bare URLs, stray brackets and angle
//! brackets); a backquoted span in the text stays a code span.

mod html;

/// Escapes text for Markdown rustdoc: the providers' HTML becomes Markdown, URLs become
/// autolinks, `<`, `>`, `[`, `]` are escaped, `` `code` `` spans are kept, and a line
/// that would continue a list item lazily starts a paragraph.
pub fn escape(text: &str) -> String {
    let md = if html::has_tags(text) {
        html::to_markdown(text)
    } else {
        escape_inline(text)
    };
    separate_lazy_lines(&md)
}

/// The first line of a description as one line of Markdown, for a one-line summary
/// (HTML converted first, so `<p>a</p><p>b</p>` gives `a`).
pub fn summary(text: &str) -> String {
    let md = escape(first_block(text));
    let line = md
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let line = line.strip_suffix('\\').unwrap_or(line).trim_end();
    // A summary is a sentence, not a list.
    match list_item(line, 3) {
        Some(width) => line[width.min(line.len())..].to_owned(),
        None => line.to_owned(),
    }
}

/// The text up to its first line break, or, for HTML, up to the end of its first
/// paragraph or list.
fn first_block(text: &str) -> &str {
    let text = text.trim();
    if html::has_tags(text) {
        text
    } else {
        first_line(text)
    }
}

/// A list item's unindented next line would be a "lazy continuation" of the item
/// (clippy::doc_lazy_continuation); documents mean a new paragraph there. A next line
/// indented deeper than the item's content is brought to the content's indentation
/// (clippy::doc_overindented_list_items), and items nested under an item are followed.
fn separate_lazy_lines(md: &str) -> String {
    if !md.contains('\n') {
        return md.to_owned();
    }
    let mut out = String::with_capacity(md.len() + 8);
    // The content indentation of the item the previous line belongs to (no blank line
    // between), and of the last item of the list we are in (across blank lines).
    let mut item: Option<usize> = None;
    let mut list: Option<usize> = None;
    for (i, line) in md.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let rest = line.trim_start_matches(' ');
        let indent = line.len() - rest.len();
        if rest.is_empty() {
            item = None;
        } else if let Some(width) = list_item(line, list.unwrap_or(0) + 3) {
            item = Some(width);
            list = Some(width);
        } else if let Some(width) = item {
            if indent < width {
                out.push('\n');
                item = None;
            } else if indent > width {
                out.push_str(&" ".repeat(width));
                out.push_str(rest);
                continue;
            }
        } else if indent == 0 {
            list = None;
        }
        out.push_str(line);
    }
    out
}

/// The content indentation of a Markdown list item line (`- a`, `+ a`, `1. a`, `1) a`).
/// A marker indented more than `max_indent` is not one (top level: 3; under an item,
/// its content indentation plus 3).
fn list_item(line: &str, max_indent: usize) -> Option<usize> {
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    if indent > max_indent {
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
    escape_inline_into(text, &mut out);
    out
}

/// Plain text as Markdown: URLs become autolinks, a `` `span` `` closed on the same line
/// stays a code span, and Markdown's special characters are escaped.
fn escape_inline_into(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        let url_at = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min();
        let code_at = code_span_at(rest);
        match (url_at, code_at) {
            (Some(at), code) if code.is_none_or(|(c, _)| at < c) => {
                escape_plain(&rest[..at], out);
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
            (_, Some((at, end))) => {
                escape_plain(&rest[..at], out);
                out.push_str(&rest[at..end]);
                rest = &rest[end..];
            }
            (_, None) => {
                escape_plain(rest, out);
                break;
            }
        }
    }
}

/// The first `` `code` `` span of `text` (a single backquote closed on the same line,
/// with something other than spaces between), as a byte range including the quotes.
fn code_span_at(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('`').map(|i| from + i) {
        let after = &text[open + 1..];
        let run = after.len() - after.trim_start_matches('`').len();
        if run > 0 {
            // A run of backquotes is left to be escaped one by one.
            from = open + 1 + run;
            continue;
        }
        let line_end = after.find('\n').unwrap_or(after.len());
        if let Some(close) = after[..line_end].find('`') {
            let inner = &after[..close];
            let doubled = after[close + 1..].starts_with('`');
            if !inner.trim().is_empty() && !doubled {
                return Some((open, open + 1 + close + 1));
            }
            from = open + 1 + close + 1;
            continue;
        }
        from = open + 1;
    }
    None
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
        // A next line indented past the item's content is brought to it.
        assert_eq!(escape("- a\n    b"), "- a\n  b");
        // An item nested after a blank line is followed: a shallower next line is a
        // paragraph of the outer item.
        assert_eq!(
            escape("- a\n\n    - b\n    - c\n    d"),
            "- a\n\n    - b\n    - c\n\n    d"
        );
    }
}
