//! Spec source files and the map from a YAML path (`parameters[2].range.min`)
//! to the byte span it occupies, so that every diagnostic can point into the file.

use std::collections::HashMap;
use std::ops::Range;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Index of a file in the list of loaded sources (`Diagnostics::files`).
pub type FileId = usize;

/// One loaded spec file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown in diagnostics (relative to the specs root where possible).
    pub name: String,
    pub text: String,
    /// Built on first use: only a file with a problem to report needs it.
    index: std::sync::OnceLock<Index>,
}

#[derive(Debug, Clone, Default)]
struct Index {
    /// YAML path → byte span of the value there.
    spans: HashMap<String, (usize, usize)>,
    duplicates: Vec<DuplicateKey>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Self {
        SourceFile {
            name: name.into(),
            text,
            index: std::sync::OnceLock::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| index_spans(&self.text))
    }

    /// Keys repeated within one mapping: (path of the mapping, key, first span, repeated span).
    pub fn duplicate_keys(&self) -> &[DuplicateKey] {
        &self.index().duplicates
    }

    /// The byte span of the value at `path`, falling back to the closest parent
    /// that is in the index (and to the start of the file).
    pub fn value_span(&self, path: &str) -> Range<usize> {
        let mut p = path;
        loop {
            if let Some(&(start, end)) = self.index().spans.get(p) {
                return start..end;
            }
            match parent(p) {
                Some(up) => p = up,
                None => return 0..0,
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// (path of the mapping, key, first span, repeated span)
pub type DuplicateKey = (String, String, Range<usize>, Range<usize>);

/// Builds the path → span index with yaml-rust2's marked event parser.
/// A document that does not parse yields an empty index (serde_yaml reports the error).
fn index_spans(text: &str) -> Index {
    let mut b = Indexer {
        text,
        lines: LineStarts::new(text),
        ..Default::default()
    };
    let mut parser = Parser::new_from_str(text);
    if parser.load(&mut b, false).is_err() {
        return Index::default();
    }
    Index {
        spans: b.spans,
        duplicates: b.duplicates,
    }
}

#[derive(Default)]
struct Indexer<'a> {
    text: &'a str,
    lines: LineStarts,
    spans: HashMap<String, (usize, usize)>,
    stack: Vec<Frame>,
    duplicates: Vec<DuplicateKey>,
}

enum Frame {
    /// A mapping at `path`; `key` holds the pending key once read, `seen` the span of each key.
    Map {
        path: String,
        key: Option<String>,
        seen: HashMap<String, (usize, usize)>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

/// The byte offset where each line starts, to turn a marker's line and column into a byte.
///
/// yaml-rust2's markers give a character index, a line and a column, but the index is not
/// to be trusted: it counts the rest of each line of a block scalar (`|`, `>`) in bytes, so
/// after a line such as `成功。` every later index drifts. Its line and column are reset at
/// each line break, so they stay right.
#[derive(Default)]
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        LineStarts(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    /// The byte of the character at `col` (0-based, in characters) of `line` (1-based),
    /// kept within the line.
    fn byte(&self, text: &str, line: usize, col: usize) -> usize {
        let Some(&start) = self.0.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let rest = &text[start..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        start
            + line_text
                .char_indices()
                .nth(col)
                .map_or(line_text.len(), |(b, _)| b)
    }
}

impl Indexer<'_> {
    fn start(&self, m: Marker) -> usize {
        self.lines.byte(self.text, m.line(), m.col())
    }

    /// The end of a scalar token that starts at `start`: the rest of its first line,
    /// without a trailing comment.
    fn scalar_end(&self, start: usize, style: TScalarStyle, value: &str) -> usize {
        let start = floor_char_boundary(self.text, start);
        let rest = &self.text[start..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let len = match style {
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => match line.chars().next() {
                Some(q @ ('"' | '\'')) => line[1..].find(q).map_or(line.len(), |i| i + 2),
                _ => line.len(),
            },
            TScalarStyle::Plain if !value.is_empty() && line.starts_with(value) => value.len(),
            TScalarStyle::Plain => {
                let cut = line.find(" #").unwrap_or(line.len());
                let cut = line[..cut].find(": ").unwrap_or(cut);
                line[..cut].trim_end().len()
            }
            _ => line.chars().next().map_or(0, char::len_utf8),
        };
        start + len.max(line.chars().next().map_or(0, char::len_utf8))
    }

    /// Records a node occupying `value` (start and end bytes) and returns its path.
    fn place(&mut self, value: (usize, usize)) -> Option<String> {
        match self.stack.last_mut() {
            None => {
                self.spans.insert(String::new(), value);
                Some(String::new())
            }
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                self.spans.insert(p.clone(), value);
                Some(p)
            }
            Some(Frame::Map { path, key, .. }) => {
                let k = key.take()?;
                let p = if path.is_empty() {
                    k
                } else {
                    format!("{path}.{k}")
                };
                self.spans.insert(p.clone(), value);
                Some(p)
            }
        }
    }
}

impl MarkedEventReceiver for Indexer<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let start = self.start(mark);
        match ev {
            Event::Scalar(value, style, ..) => {
                let end = self.scalar_end(start, style, &value);
                // A scalar in key position of a mapping is a key.
                if let Some(Frame::Map {
                    key: key @ None,
                    seen,
                    path,
                }) = self.stack.last_mut()
                {
                    if let Some(first) = seen.get(&value) {
                        self.duplicates.push((
                            path.clone(),
                            value.clone(),
                            first.0..first.1,
                            start..end,
                        ));
                    } else {
                        seen.insert(value.clone(), (start, end));
                    }
                    *key = Some(value);
                    return;
                }
                self.place((start, end));
            }
            Event::Alias(_) => {
                self.place((start, start + 1));
            }
            Event::SequenceStart(..) => {
                let path = self.place((start, start + 1)).unwrap_or_default();
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingStart(..) => {
                // A mapping used as a key has no path of its own; index it under a dummy.
                let path = self.place((start, start + 1)).unwrap_or_else(|| "?".into());
                self.stack.push(Frame::Map {
                    path,
                    key: None,
                    seen: HashMap::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_values_in_multibyte_text() {
        let text = "name: 名字\nparameters:\n  - name: PageSize\n    range: { min: 5, max: 1 }\n";
        let f = SourceFile::new("a.yaml", text.to_owned());
        let v = f.value_span("parameters[0].name");
        assert_eq!(&text[v], "PageSize");
        let v = f.value_span("parameters[0].range.max");
        assert_eq!(&text[v.clone()], "1");
        assert_eq!(f.line_col(v.start), (4, 27));
        // After a block scalar whose lines hold multibyte text (which yaml-rust2's character
        // index counts in bytes), spans still point at their values.
        let text = "a:\n  description: |-\n    成功。\n\n    - true：成功。\nb: x\nc:\n  - name: Area.en\n";
        let f = SourceFile::new("b.yaml", text.to_owned());
        assert_eq!(&text[f.value_span("b")], "x");
        assert_eq!(&text[f.value_span("c[0].name")], "Area.en");
        assert_eq!(f.line_col(f.value_span("c[0].name").start), (8, 11));
        let f = SourceFile::new(
            "a.yaml",
            "name: 名字\nparameters:\n  - name: PageSize\n    range: { min: 5, max: 1 }\n"
                .to_owned(),
        );
        // Unknown paths fall back to the closest indexed parent.
        assert_eq!(
            f.value_span("parameters[0].nope"),
            f.value_span("parameters[0]")
        );
    }
}
