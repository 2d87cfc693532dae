//! Diagnostics: what is wrong, where (file, line, column, span) and how to fix it.
//! Rendered like rustc through `codespan-reporting`.

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

use crate::source::{FileId, SourceFile};

/// One problem found in the specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: FileId,
    pub span: Range<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The short text under the caret.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places that explain the problem (e.g. the first definition of a duplicate).
    pub related: Vec<(FileId, Range<usize>, String)>,
}

impl Diagnostic {
    pub fn new(file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            file,
            span,
            message: message.into(),
            label: String::new(),
            help: None,
            related: Vec::new(),
        }
    }
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn related(mut self, file: FileId, span: Range<usize>, note: impl Into<String>) -> Self {
        self.related.push((file, span, note.into()));
        self
    }
}

/// All the problems of one run, with the sources they point into.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    pub files: Vec<SourceFile>,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// `file:line:column` of a diagnostic.
    pub fn location(&self, d: &Diagnostic) -> String {
        let f = &self.files[d.file];
        let (line, col) = f.line_col(d.span.start);
        format!("{}:{line}:{col}", f.name)
    }

    /// Renders every diagnostic like rustc: source line, caret under the span, help.
    pub fn render(&self) -> String {
        let mut files = SimpleFiles::new();
        for f in &self.files {
            files.add(f.name.clone(), f.text.clone());
        }
        let config = term::Config::default();
        let mut out = String::new();
        for d in &self.items {
            let text_len = self.files[d.file].text.len();
            let clamp = |r: &Range<usize>, len: usize| {
                r.start.min(len)..r.end.min(len).max(r.start.min(len))
            };
            let mut labels = vec![
                Label::primary(d.file, clamp(&d.span, text_len)).with_message(d.label.clone())
            ];
            for (file, span, note) in &d.related {
                let len = self.files[*file].text.len();
                labels.push(Label::secondary(*file, clamp(span, len)).with_message(note.clone()));
            }
            let mut cs = CsDiagnostic::error()
                .with_message(&d.message)
                .with_labels(labels);
            if let Some(h) = &d.help {
                cs = cs.with_notes(vec![format!("help: {h}")]);
            }
            match term::emit_into_string(&config, &files, &cs) {
                Ok(s) => out.push_str(&s),
                Err(_) => out.push_str(&format!(
                    "error: {}\n --> {}\n",
                    d.message,
                    self.location(d)
                )),
            }
        }
        let n = self.items.len();
        out.push_str(&format!(
            "error: could not load the specs due to {n} previous error{}\n",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl fmt::Display for Diagnostics {
    /// One line per problem: `file:line:column: message (help: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            write!(f, "{}: {}", self.location(d), d.message)?;
            if let Some(h) = &d.help {
                write!(f, " (help: {h})")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
