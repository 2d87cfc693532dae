//! A small indenting text writer: emitted Rust is written already formatted (4-space
//! indent, one item per block, blank lines between items), with no token stream, parse or
//! pretty-printing pass.

use std::fmt::{self, Write as _};

/// Lines longer than this are wrapped where the emitter offers a break (argument lists).
pub const WIDTH: usize = 100;

/// Formatted Rust source being written, at a current indentation.
#[derive(Debug, Default)]
pub struct Out {
    buf: String,
    depth: usize,
}

/// Writes one line at the current indentation: `w!(out, "pub fn {}() {{", name)`.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => { $out.line(format_args!($($arg)*)) };
}
/// Writes a line and indents what follows (`... {`).
macro_rules! open {
    ($out:expr, $($arg:tt)*) => { $out.open(format_args!($($arg)*)) };
}
/// Dedents and writes a line (`}`).
macro_rules! close {
    ($out:expr, $($arg:tt)*) => { $out.close(format_args!($($arg)*)) };
}
pub(crate) use {close, open, w};

impl Out {
    pub fn with_capacity(n: usize) -> Self {
        Out {
            buf: String::with_capacity(n),
            depth: 0,
        }
    }

    pub fn finish(self) -> String {
        self.buf
    }

    /// The column where the next line's text starts.
    pub fn indent_width(&self) -> usize {
        self.depth * 4
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.buf.push_str("    ");
        }
    }

    pub fn line(&mut self, args: fmt::Arguments) {
        self.indent();
        match args.as_str() {
            Some(s) => self.buf.push_str(s),
            None => {
                let _ = self.buf.write_fmt(args);
            }
        }
        self.buf.push('\n');
    }

    /// A line of plain text.
    pub fn text(&mut self, s: &str) {
        self.indent();
        self.buf.push_str(s);
        self.buf.push('\n');
    }

    pub fn open(&mut self, args: fmt::Arguments) {
        self.line(args);
        self.depth += 1;
    }

    pub fn close(&mut self, args: fmt::Arguments) {
        self.depth = self.depth.saturating_sub(1);
        self.line(args);
    }

    /// Already formatted lines, written as they are (their indentation included).
    pub fn raw(&mut self, text: &str) {
        self.buf.push_str(text);
        self.buf.push('\n');
    }

    /// Indents what follows.
    pub fn indent_in(&mut self) {
        self.depth += 1;
    }

    /// Dedents what follows.
    pub fn indent_out(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub fn blank(&mut self) {
        self.buf.push('\n');
    }

    /// Outer doc comments (`///`), one per line of `markdown`, trailing spaces trimmed.
    pub fn doc(&mut self, markdown: &str) {
        self.doc_lines("///", markdown);
    }

    /// Inner doc comments (`//!`) for a module.
    pub fn inner_doc(&mut self, markdown: &str) {
        self.doc_lines("//!", markdown.trim_end());
    }

    fn doc_lines(&mut self, marker: &str, markdown: &str) {
        // A bare carriage return does not compile in a doc comment: it ends a line too.
        let normalized;
        let markdown = if markdown.contains('\r') {
            normalized = markdown.replace("\r\n", "\n").replace('\r', "\n");
            normalized.as_str()
        } else {
            markdown
        };
        for l in markdown.lines() {
            self.indent();
            self.buf.push_str(marker);
            let l = l.trim_end_matches(' ');
            if !l.is_empty() {
                self.buf.push(' ');
                self.buf.push_str(l);
            }
            self.buf.push('\n');
        }
    }

    /// `head` `items` `tail` on one line when it fits, else one item per line:
    /// `head` ends with the opening bracket and `tail` starts with the closing one.
    pub fn list<S: AsRef<str>>(&mut self, head: &str, items: &[S], tail: &str) {
        let len: usize = items.iter().map(|i| i.as_ref().len() + 2).sum::<usize>();
        if self.indent_width() + head.len() + len + tail.len() <= WIDTH {
            self.indent();
            self.buf.push_str(head);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.buf.push_str(", ");
                }
                self.buf.push_str(item.as_ref());
            }
            self.buf.push_str(tail);
            self.buf.push('\n');
        } else {
            self.text(head);
            self.depth += 1;
            for item in items {
                self.indent();
                self.buf.push_str(item.as_ref());
                self.buf.push_str(",\n");
            }
            self.depth -= 1;
            self.text(tail);
        }
    }

    /// [`Out::list`], then indents what follows (a signature ending with `{`).
    pub fn open_list<S: AsRef<str>>(&mut self, head: &str, items: &[S], tail: &str) {
        self.list(head, items, tail);
        self.depth += 1;
    }
}

/// A Rust string literal with `s`'s value.
pub fn str_lit(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::Out;

    #[test]
    fn carriage_returns_in_docs_end_lines() {
        let mut o = Out::with_capacity(64);
        o.doc("a\r\nb\rc");
        assert_eq!(o.finish(), "/// a\n/// b\n/// c\n");
    }
}
