//! Keeping an output folder equal to what the specs produce.
//!
//! One implementation serves both writing (`cargo xtask codegen`) and checking
//! (`cargo xtask check`, and the test guarding `generated/`), in the spirit of
//! rust-analyzer's `ensure_file_contents`: [`plan`] compares the emitted files with the
//! folder, [`Plan::apply`] carries the plan out, and [`Plan::check`] turns a non-empty
//! plan into an error that lists every stale, missing and extra file with the fix.
//! [`ensure`] runs the whole pipeline and then one of the two.
//!
//! Only files whose first line carries [`GENERATED_MARKER`] are ever rewritten or
//! deleted; a hand-written file where the emitter wants to write blocks the plan.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::emit::{GeneratedFile, GENERATED_MARKER};
use crate::Diagnostics;

/// The command that brings the output folder up to date.
pub const FIX: &str = "cargo xtask codegen";

/// What [`ensure`] does with the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed and missing files, delete stale `@generated` files.
    Write,
    /// Change nothing; fail, listing every difference, unless the folder is up to date.
    Check,
}

/// How one file of the output folder differs from what the specs produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// The specs produce it; the folder lacks it.
    Missing,
    /// Its contents differ from what the specs produce, first at this line (1-based).
    Stale { first_difference: usize },
    /// It carries the marker but no spec produces it any more.
    Extra,
    /// The specs produce it, but the file on disk has no marker: never overwritten.
    Foreign,
}

/// One difference between the output folder and the emitted files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `/`-separated, relative to the output folder.
    pub path: String,
    pub kind: ChangeKind,
    /// What to write (for `Missing` and `Stale`).
    pub contents: Option<String>,
}

/// The differences between an output folder and a set of emitted files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub out_dir: PathBuf,
    /// Sorted by path.
    pub changes: Vec<Change>,
    /// Emitted files already equal on disk.
    pub unchanged: usize,
}

/// What [`Plan::apply`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

/// The outcome of [`ensure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub products: usize,
    pub actions: usize,
    /// Files the specs produce.
    pub files: usize,
    pub unchanged: usize,
    /// Empty in [`Mode::Check`].
    pub applied: Applied,
}

/// Why [`ensure`], [`plan`], [`Plan::apply`] or [`Plan::check`] failed.
#[derive(Debug)]
pub enum Error {
    /// The specs do not load; nothing was compared or written.
    Specs(Diagnostics),
    /// Reading or writing the output folder failed.
    Io {
        path: PathBuf,
        doing: &'static str,
        source: std::io::Error,
    },
    /// The folder differs from what the specs produce (or, when writing, a file without
    /// the marker is in the way; nothing was written then).
    OutOfDate(Plan),
}

/// Compares `files` (paths relative to `out_dir`) with the folder `out_dir`, which need
/// not exist. Reads only; see [`Plan::apply`] and [`Plan::check`].
pub fn plan(files: &[GeneratedFile], out_dir: &Path) -> Result<Plan, Error> {
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for f in files {
        let path = out_dir.join(&f.path);
        let kind = match std::fs::read(&path) {
            Ok(on_disk) if on_disk == f.contents.as_bytes() => {
                unchanged += 1;
                continue;
            }
            Ok(on_disk) if !has_marker(&on_disk) => ChangeKind::Foreign,
            Ok(on_disk) => ChangeKind::Stale {
                first_difference: first_difference(&on_disk, f.contents.as_bytes()),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ChangeKind::Missing,
            Err(source) => {
                return Err(Error::Io {
                    path,
                    doing: "read",
                    source,
                })
            }
        };
        let contents = (kind != ChangeKind::Foreign).then(|| f.contents.clone());
        changes.push(Change {
            path: f.path.clone(),
            kind,
            contents,
        });
    }
    let produced: std::collections::BTreeSet<&str> =
        files.iter().map(|f| f.path.as_str()).collect();
    for path in generated_files(out_dir)? {
        if !produced.contains(path.as_str()) {
            changes.push(Change {
                path,
                kind: ChangeKind::Extra,
                contents: None,
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Plan {
        out_dir: out_dir.to_path_buf(),
        changes,
        unchanged,
    })
}

impl Plan {
    /// True when the folder already holds exactly the emitted files.
    pub fn is_fresh(&self) -> bool {
        self.changes.is_empty()
    }

    /// `Ok` when fresh; otherwise the error listing every difference and the fix.
    pub fn check(self) -> Result<(), Error> {
        if self.is_fresh() {
            Ok(())
        } else {
            Err(Error::OutOfDate(self))
        }
    }

    /// Writes missing and stale files, deletes extra `@generated` files and the folders
    /// that leaves empty. Refuses, writing nothing, when a file without the marker is in
    /// the way.
    pub fn apply(self) -> Result<Applied, Error> {
        if self.changes.iter().any(|c| c.kind == ChangeKind::Foreign) {
            return Err(Error::OutOfDate(self));
        }
        let mut applied = Applied::default();
        for change in &self.changes {
            let path = self.out_dir.join(&change.path);
            match (&change.kind, &change.contents) {
                (ChangeKind::Missing | ChangeKind::Stale { .. }, Some(contents)) => {
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                            path: parent.to_path_buf(),
                            doing: "create",
                            source,
                        })?;
                    }
                    std::fs::write(&path, contents).map_err(|source| Error::Io {
                        path: path.clone(),
                        doing: "write",
                        source,
                    })?;
                    applied.written.push(change.path.clone());
                }
                (ChangeKind::Extra, _) => {
                    std::fs::remove_file(&path).map_err(|source| Error::Io {
                        path: path.clone(),
                        doing: "remove",
                        source,
                    })?;
                    applied.removed.push(change.path.clone());
                    // Remove the folders this leaves empty (remove_dir fails on the others).
                    let mut dir = path.parent();
                    while let Some(d) = dir.filter(|d| *d != self.out_dir) {
                        if std::fs::remove_dir(d).is_err() {
                            break;
                        }
                        dir = d.parent();
                    }
                }
                _ => {}
            }
        }
        Ok(applied)
    }
}

/// Loads the specs below `specs`, emits, plans against `out_dir`, then writes
/// ([`Mode::Write`]) or checks ([`Mode::Check`]).
pub fn ensure(specs: &Path, out_dir: &Path, mode: Mode) -> Result<Report, Error> {
    let products = crate::load_dir(specs).map_err(Error::Specs)?;
    let files = crate::emit::emit(&products);
    let plan = plan(&files, out_dir)?;
    let unchanged = plan.unchanged;
    let applied = match mode {
        Mode::Write => plan.apply()?,
        Mode::Check => plan.check().map(|()| Applied::default())?,
    };
    Ok(Report {
        products: products.len(),
        actions: products.iter().map(|p| p.actions.len()).sum(),
        files: files.len(),
        unchanged,
        applied,
    })
}

/// True when the first line of a file carries [`GENERATED_MARKER`].
pub fn has_marker(contents: &[u8]) -> bool {
    let first_line = contents.split(|b| *b == b'\n').next().unwrap_or_default();
    first_line
        .windows(GENERATED_MARKER.len())
        .any(|w| w == GENERATED_MARKER.as_bytes())
}

/// The `/`-separated paths, relative to `dir`, of the files below it that carry the
/// marker (only their first line is read). A missing `dir` has none.
pub fn generated_files(dir: &Path) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && d == dir => continue,
            Err(source) => {
                return Err(Error::Io {
                    path: d,
                    doing: "read",
                    source,
                })
            }
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                path: d.clone(),
                doing: "read",
                source,
            })?;
            let path = entry.path();
            let file_type = entry.file_type().map_err(|source| Error::Io {
                path: path.clone(),
                doing: "read",
                source,
            })?;
            if file_type.is_dir() {
                stack.push(path);
            } else if file_type.is_file() && first_line_has_marker(&path)? {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                out.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    out.sort();
    Ok(out)
}

fn first_line_has_marker(path: &Path) -> Result<bool, Error> {
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)
        .and_then(|f| f.take(512).read_to_end(&mut head))
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            doing: "read",
            source,
        })?;
    Ok(has_marker(&head))
}

/// The 1-based number of the first line where `a` and `b` differ.
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    a[..same].iter().filter(|c| **c == b'\n').count() + 1
}

/// `path` as the user should read it: relative to the current folder when below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    rel.display().to_string()
}

impl fmt::Display for Plan {
    /// One line per change (no trailing newline), with what `cargo xtask codegen` does
    /// about it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.changes.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let path = shown(&self.out_dir.join(&c.path));
            match c.kind {
                ChangeKind::Missing => write!(f, "  missing: {path} (the specs produce it; `{FIX}` writes it)")?,
                ChangeKind::Stale { first_difference } => {
                    write!(f, "  stale:   {path} (differs from what the specs produce from line {first_difference}; `{FIX}` rewrites it)")?
                }
                ChangeKind::Extra => write!(f, "  extra:   {path} (marked {GENERATED_MARKER} but no spec produces it; `{FIX}` deletes it)")?,
                ChangeKind::Foreign => write!(
                    f,
                    "  blocked: {path} (the specs produce this path but the file has no {GENERATED_MARKER} marker; move it away, `{FIX}` never overwrites it)"
                )?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Specs(d) => write!(f, "{}", d.render()),
            Error::Io {
                path,
                doing,
                source,
            } => write!(f, "cannot {doing} {}: {source}", shown(path)),
            Error::OutOfDate(plan) => {
                let count = |pred: fn(&ChangeKind) -> bool| {
                    plan.changes.iter().filter(|c| pred(&c.kind)).count()
                };
                let stale = count(|k| matches!(k, ChangeKind::Stale { .. }));
                let missing = count(|k| *k == ChangeKind::Missing);
                let extra = count(|k| *k == ChangeKind::Extra);
                let blocked = count(|k| *k == ChangeKind::Foreign);
                write!(f, "{}/ is out of date with the specs ({stale} stale, {missing} missing, {extra} extra", shown(&plan.out_dir))?;
                if blocked > 0 {
                    write!(f, ", {blocked} blocked by a file without the marker")?;
                }
                writeln!(f, "); fix: run `{FIX}`")?;
                write!(f, "{plan}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Specs(d) => Some(d),
            Error::Io { source, .. } => Some(source),
            Error::OutOfDate(_) => None,
        }
    }
}
