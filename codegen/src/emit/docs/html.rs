//! The providers' HTML in descriptions (Tencent Cloud writes `<p>`, `<br>`, `<ul>`/`<li>`,
//! `<a href>`, `<code>`, `<strong>`, tables …) as rustdoc Markdown.
//!
//! Only known HTML tag names are tags: `list<string>` or `<VpcId>` in prose stay text and
//! are escaped like any other text. Text is escaped as in plain descriptions (URLs become
//! autolinks, `` `spans` `` stay code spans); entities are decoded first.

use super::{code_block, escape_inline_into, inline_code};

/// Whether `text` has at least one tag this module converts.
pub fn has_tags(text: &str) -> bool {
    tokens(text).any(|t| !matches!(t, Token::Text(_)))
}

/// `text` as Markdown.
pub fn to_markdown(text: &str) -> String {
    let mut md = Md::default();
    let mut skip_svg = 0usize;
    for token in tokens(text) {
        if skip_svg > 0 {
            match token {
                Token::Open { name: "svg", .. } => skip_svg += 1,
                Token::Close { name: "svg" } => skip_svg -= 1,
                _ => {}
            }
            continue;
        }
        match token {
            Token::Open { name: "svg", .. } => skip_svg = 1,
            Token::Text(t) => md.text(&decode_entities(t)),
            Token::Open { name, attrs } => md.open(name, attrs),
            Token::Close { name } => md.close(name),
        }
    }
    md.finish()
}

/// Known tags, lowercase. SVG drawings (`<svg>…</svg>`) are dropped whole.
const TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "body",
    "br",
    "code",
    "del",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "html",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    /// An opening (or self-closing) tag: its lowercase name and its attribute text.
    Open {
        name: &'static str,
        attrs: &'a str,
    },
    Close {
        name: &'static str,
    },
}

/// Splits `text` into text and known tags; anything else that starts with `<` is text.
fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // A tag where the text starts with one.
        if let Some((token, len)) = tag_at(rest) {
            rest = &rest[len..];
            return Some(token);
        }
        // Text up to the next `<` that starts a known tag.
        let mut end = rest.len();
        let mut from = rest.chars().next().map_or(1, char::len_utf8);
        while let Some(i) = rest[from..].find('<').map(|i| from + i) {
            if tag_at(&rest[i..]).is_some() {
                end = i;
                break;
            }
            from = i + 1;
        }
        let (t, r) = rest.split_at(end);
        rest = r;
        Some(Token::Text(t))
    })
}

/// The known tag (or comment, as empty text) `s` starts with, and its length.
fn tag_at(s: &str) -> Option<(Token<'_>, usize)> {
    if let Some(body) = s.strip_prefix("<!--") {
        let end = body.find("-->")?;
        return Some((Token::Text(""), 4 + end + 3));
    }
    let inner = s.strip_prefix('<')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let name_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_len].to_ascii_lowercase();
    let known = TAGS.iter().find(|t| **t == name)?;
    let after = &inner[name_len..];
    // Attributes run to the `>`, on one tag of reasonable length.
    let close = after.find('>')?;
    let attrs = &after[..close];
    if attrs.contains('<')
        || close > 1000
        || (!attrs.is_empty() && !attrs.starts_with([' ', '\t', '\n', '/']))
    {
        return None;
    }
    if closing && !attrs.trim().is_empty() {
        return None;
    }
    let len = 1 + usize::from(closing) + name_len + close + 1;
    let token = if closing {
        Token::Close { name: known }
    } else {
        Token::Open {
            name: known,
            attrs: attrs.trim_end_matches('/'),
        }
    };
    Some((token, len))
}

/// The value of attribute `name` in a tag's attribute text (quoted or bare).
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| from + i) {
        let before_ok = i == 0 || lower.as_bytes()[i - 1].is_ascii_whitespace();
        let rest = attrs[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = rest.strip_prefix('=') {
                let v = v.trim_start();
                return Some(match v.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let v = &v[1..];
                        &v[..v.find(q).unwrap_or(v.len())]
                    }
                    _ => &v[..v.find(char::is_whitespace).unwrap_or(v.len())],
                });
            }
        }
        from = i + name.len();
    }
    None
}

/// Decodes the entities documents use (`&quot;`, `&lt;`, `&nbsp;`, `&#39;`, `&#x2F;` …);
/// an unknown one stays as written.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail[1..].find(';').map(|e| e + 1).filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "quot" => '"',
                "apos" => '\'',
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "nbsp" | "emsp" | "ensp" | "thinsp" => ' ',
                _ => {
                    let code =
                        if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                            u32::from_str_radix(hex, 16).ok()
                        } else {
                            name.strip_prefix('#').and_then(|d| d.parse().ok())
                        };
                    code.and_then(char::from_u32)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What separates the next content from what is already written; the strongest asked
/// for wins, and it is written only when content follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Break {
    #[default]
    None,
    Space,
    /// A hard line break, in the same paragraph (or list item).
    Line,
    Paragraph,
}

#[derive(Debug)]
struct List {
    ordered: bool,
    next: u32,
    /// The indentation of its items' content.
    indent: usize,
}

#[derive(Debug)]
enum Inline {
    Strong,
    Emphasis,
    Strike,
    Link(String),
}

#[derive(Debug, Default)]
struct Md {
    out: String,
    pending: Break,
    lists: Vec<List>,
    /// Open inline elements and where their content starts (set by the first content).
    inline: Vec<(Inline, Option<usize>)>,
    /// The raw text of an open `<code>` or `<pre>`, and whether it is a `<pre>`.
    raw: Option<(String, bool)>,
    cells: usize,
}

impl Md {
    fn want(&mut self, b: Break) {
        self.pending = self.pending.max(b);
    }

    /// The indentation of the innermost open list item's content.
    fn indent(&self) -> usize {
        self.lists.last().map_or(0, |l| l.indent)
    }

    /// Writes the pending break before content, and marks where open inline elements
    /// start.
    fn flush(&mut self) {
        if self.out.trim().is_empty() {
            self.out.clear();
        } else {
            let indent = " ".repeat(self.indent());
            match self.pending {
                Break::None => {}
                Break::Space => {
                    if !self.out.ends_with([' ', '\n']) {
                        self.out.push(' ');
                    }
                }
                Break::Line => {
                    self.out.push_str("\\\n");
                    self.out.push_str(&indent);
                }
                Break::Paragraph => {
                    self.out.push_str("\n\n");
                    self.out.push_str(&indent);
                }
            }
        }
        self.pending = Break::None;
        for (_, start) in &mut self.inline {
            start.get_or_insert(self.out.len());
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((raw, _)) = &mut self.raw {
            raw.push_str(text);
            return;
        }
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.want(Break::Line);
            }
            let trimmed = line.trim();
            if trimmed.is_empty() {
                if !line.is_empty() {
                    self.want(Break::Space);
                }
                continue;
            }
            if line.starts_with(char::is_whitespace) {
                self.want(Break::Space);
            }
            self.flush();
            escape_inline_into(trimmed, &mut self.out);
            if line.ends_with(char::is_whitespace) {
                self.want(Break::Space);
            }
        }
    }

    fn open(&mut self, name: &str, attrs: &str) {
        if self.raw.is_some() {
            return;
        }
        match name {
            "p" | "div" | "blockquote" | "table" | "hr" => self.want(Break::Paragraph),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.want(Break::Paragraph);
                self.inline.push((Inline::Strong, None));
            }
            "br" => self.want(Break::Line),
            "tr" => {
                self.want(Break::Line);
                self.cells = 0;
            }
            "td" | "th" => {
                if self.cells > 0 {
                    self.pending = Break::None;
                    self.flush();
                    self.out.push_str(" | ");
                }
                self.cells += 1;
            }
            "ul" | "ol" => {
                self.want(Break::Paragraph);
                let indent = self.indent();
                self.lists.push(List {
                    ordered: name == "ol",
                    next: 1,
                    indent,
                });
            }
            "li" => self.item(),
            "strong" | "b" => self.inline.push((Inline::Strong, None)),
            "em" | "i" => self.inline.push((Inline::Emphasis, None)),
            "del" | "s" => self.inline.push((Inline::Strike, None)),
            "a" => {
                let href = attr(attrs, "href").unwrap_or("").trim();
                let absolute = href.starts_with("https://") || href.starts_with("http://");
                let href = if absolute {
                    href.replace(' ', "%20")
                        .replace('(', "%28")
                        .replace(')', "%29")
                } else {
                    String::new()
                };
                self.inline.push((Inline::Link(href), None));
            }
            "code" => self.raw = Some((String::new(), false)),
            "pre" => self.raw = Some((String::new(), true)),
            // Presentation only (`<span>`, `<font>`, `<u>`, `<img>` …).
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if let Some((raw, pre)) = &self.raw {
            let ends = if *pre { name == "pre" } else { name == "code" };
            if ends {
                let (raw, pre) = (raw.clone(), *pre);
                self.raw = None;
                self.raw_block(&raw, pre);
            }
            return;
        }
        match name {
            "p" | "div" | "blockquote" | "table" => self.want(Break::Paragraph),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.end_inline(|i| matches!(i, Inline::Strong));
                self.want(Break::Paragraph);
            }
            "tr" => self.want(Break::Line),
            "ul" | "ol" => {
                self.lists.pop();
                self.want(Break::Paragraph);
            }
            "li" => self.want(Break::Line),
            "strong" | "b" => self.end_inline(|i| matches!(i, Inline::Strong)),
            "em" | "i" => self.end_inline(|i| matches!(i, Inline::Emphasis)),
            "del" | "s" => self.end_inline(|i| matches!(i, Inline::Strike)),
            "a" => self.end_inline(|i| matches!(i, Inline::Link(_))),
            _ => {}
        }
    }

    /// Starts a list item (a bullet when no list is open).
    fn item(&mut self) {
        if self.lists.is_empty() {
            self.want(Break::Paragraph);
            self.lists.push(List {
                ordered: false,
                next: 1,
                indent: 0,
            });
        }
        let parent = match self.lists.len() {
            n if n >= 2 => self.lists[n - 2].indent,
            _ => 0,
        };
        let list = self.lists.last_mut().expect("a list is open");
        let marker = if list.ordered {
            format!("{}. ", list.next)
        } else {
            "- ".to_owned()
        };
        list.next += 1;
        list.indent = parent + marker.len();
        if !self.out.trim().is_empty() {
            self.out.push_str(if self.pending == Break::Paragraph {
                "\n\n"
            } else {
                "\n"
            });
        } else {
            self.out.clear();
        }
        self.out.push_str(&" ".repeat(parent));
        self.out.push_str(&marker);
        self.pending = Break::None;
        for (_, start) in &mut self.inline {
            start.get_or_insert(self.out.len());
        }
    }

    /// Closes the innermost open inline element `is` matches (and any opened inside it,
    /// which lose their markup): its markers go around its content, if it has any.
    fn end_inline(&mut self, is: impl Fn(&Inline) -> bool) {
        let Some(at) = self.inline.iter().rposition(|(i, _)| is(i)) else {
            return;
        };
        self.inline.truncate(at + 1);
        let (kind, start) = self.inline.pop().expect("found above");
        let Some(start) = start else {
            // No content: nothing to mark up, except a link, which shows its address.
            if let Inline::Link(href) = kind {
                if !href.is_empty() {
                    self.flush();
                    self.out.push('<');
                    self.out.push_str(&href);
                    self.out.push('>');
                }
            }
            return;
        };
        let content = self.out[start..].to_owned();
        let (open, close) = match &kind {
            Inline::Strong => ("**".to_owned(), "**".to_owned()),
            Inline::Emphasis => ("*".to_owned(), "*".to_owned()),
            Inline::Strike => ("~~".to_owned(), "~~".to_owned()),
            Inline::Link(href) if !href.is_empty() && !content.contains('\n') => {
                ("[".to_owned(), format!("]({href})"))
            }
            Inline::Link(_) => return,
        };
        // Markup never spans paragraphs or starts and ends on white space.
        if content.contains('\n') || content.trim() != content || content.is_empty() {
            return;
        }
        self.out.insert_str(start, &open);
        self.out.push_str(&close);
    }

    fn raw_block(&mut self, raw: &str, pre: bool) {
        if pre {
            if raw.trim().is_empty() {
                return;
            }
            self.want(Break::Paragraph);
            self.flush();
            let indent = " ".repeat(self.indent());
            let block = code_block(&decode_entities(raw));
            let block = block.replace('\n', &format!("\n{indent}"));
            self.out.push_str(&block);
            self.want(Break::Paragraph);
        } else {
            let one_line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            if one_line.is_empty() {
                return;
            }
            self.flush();
            self.out.push_str(&inline_code(&one_line));
        }
    }

    fn finish(mut self) -> String {
        if let Some((raw, pre)) = self.raw.take() {
            self.raw_block(&raw, pre);
        }
        let mut out = String::with_capacity(self.out.len());
        for (i, line) in self.out.trim().split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(line.trim_end());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::escape;

    #[test]
    fn paragraphs_breaks_and_lists() {
        assert_eq!(escape("<p>空间 ID。</p>"), "空间 ID。");
        assert_eq!(
            escape("<p>身份类型</p><p>枚举值：</p><ul><li>User： 用户</li><li>Group： 用户组</li></ul>"),
            "身份类型\n\n枚举值：\n\n- User： 用户\n- Group： 用户组"
        );
        assert_eq!(
            escape("第一行<br>第二行<br/>第三行"),
            "第一行\\\n第二行\\\n第三行"
        );
        assert_eq!(
            escape("取值：<ol><li>A</li><li>B<ul><li>B1</li></ul></li></ol>之后"),
            "取值：\n\n1. A\n2. B\n\n   - B1\n\n之后"
        );
        // A break inside an item continues the item.
        assert_eq!(escape("<ul><li>a<br>b</li></ul>"), "- a\\\n  b");
        assert_eq!(escape("<li>孤立的项</li>"), "- 孤立的项");
    }

    #[test]
    fn inline_markup_links_and_code() {
        assert_eq!(
            escape("详见 <a href=\"https://cloud.tencent.com/document/api/1822/133727\" target=\"_blank\">DescribeZones</a> 接口"),
            "详见 [DescribeZones](https://cloud.tencent.com/document/api/1822/133727) 接口"
        );
        // A relative address names no host: the text stays, unlinked.
        assert_eq!(
            escape("见<a href=\"/document/product/1\">文档</a>。"),
            "见文档。"
        );
        assert_eq!(escape("<a href=\"https://a.b/c\"></a>"), "<https://a.b/c>");
        assert_eq!(
            escape("取 <code>search</code> 或 <code>a`b</code>"),
            "取 `search` 或 `` a`b ``"
        );
        assert_eq!(
            escape("<b>注意：</b>此字段<strong></strong>可能为空"),
            "**注意：**此字段可能为空"
        );
        assert_eq!(escape("<em>x</em> <del>y</del>"), "*x* ~~y~~");
        // Text inside links and markup is escaped like any text.
        assert_eq!(
            escape("<p>list<string> 与 [a]_b</p>"),
            "list\\<string\\> 与 \\[a\\]\\_b"
        );
    }

    #[test]
    fn entities_tables_and_unknown_tags() {
        assert_eq!(
            escape("<p>&quot;a&quot; &lt;b&gt; &amp; &#39;c&#39;&nbsp;d</p>"),
            "\"a\" \\<b\\> & 'c' d"
        );
        assert_eq!(
            escape(
                "<table><tr><th>参数</th><th>说明</th></tr><tr><td>A</td><td>甲</td></tr></table>"
            ),
            "参数 | 说明\\\nA | 甲"
        );
        // Names that are not HTML stay text.
        assert_eq!(escape("<p>填写<VpcId></p>"), "填写\\<VpcId\\>");
        assert_eq!(
            escape("<p>a</p><svg><text>画</text></svg><p>b</p>"),
            "a\n\nb"
        );
        assert_eq!(
            escape("<pre>x = 1\ny = 2</pre>"),
            "```text\nx = 1\ny = 2\n```"
        );
        assert_eq!(escape("<span style=\"color:red\">红</span>"), "红");
    }

    #[test]
    fn summaries_take_the_first_paragraph() {
        use super::super::summary;
        assert_eq!(summary("<p>查询用户。</p><p>第二段</p>"), "查询用户。");
        assert_eq!(summary("第一行\n第二行"), "第一行");
        assert_eq!(summary("<ul><li>a</li><li>b</li></ul>"), "a");
        assert_eq!(summary("a<br>b"), "a");
    }

    #[test]
    fn plain_text_keeps_backquoted_spans() {
        assert_eq!(
            escape("参数 `Filters.0.Name` 与 `Tag`"),
            "参数 `Filters.0.Name` 与 `Tag`"
        );
        // An unclosed or empty backquote is escaped.
        assert_eq!(escape("a ` b"), "a \\` b");
        assert_eq!(escape("a `` b"), "a \\`\\` b");
        assert_eq!(
            escape("`{\"Regions\":{\"Region\":[…]}}`"),
            "`{\"Regions\":{\"Region\":[…]}}`"
        );
    }
}
