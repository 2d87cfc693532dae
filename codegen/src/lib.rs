//! Cloud API SDK generator: YAML specs → checked IR → Rust source.
//!
//! The pipeline is `load` (serde_yaml, unknown keys rejected) → `check`
//! (semantic rules, lowering to [`ir`]) → `emit` (Rust written already formatted
//! by a small indenting text writer). See `ARCHITECTURE.md` at the repository root.

pub mod check;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod names;
pub mod par;
pub mod source;
pub mod spec;
pub mod sync;

use std::path::Path;

pub use diag::{Diagnostic, Diagnostics};
pub use emit::GeneratedFile;

/// Loads and checks every spec below `root`.
pub fn load_dir(root: &Path) -> Result<Vec<ir::Product>, Diagnostics> {
    let files = load::read_tree(root).map_err(|e| io_diagnostics(root, &e))?;
    load_files(files)
}

/// Loads and checks specs given as (`/`-separated path, contents) pairs.
pub fn load_files(files: Vec<(String, Vec<u8>)>) -> Result<Vec<ir::Product>, Diagnostics> {
    check::check(load::load_files(files))
}

/// The whole pipeline: the files of the generated crate, for the specs below `root`.
pub fn generate_dir(root: &Path) -> Result<Vec<GeneratedFile>, Diagnostics> {
    Ok(emit::emit(&load_dir(root)?))
}

fn io_diagnostics(root: &Path, e: &std::io::Error) -> Diagnostics {
    let name = root.display().to_string();
    Diagnostics {
        files: vec![source::SourceFile::new(name.clone(), String::new())],
        items: vec![
            Diagnostic::new(0, 0..0, format!("cannot read the spec tree `{name}`: {e}"))
                .help("run from the repository root, or pass the specs folder"),
        ],
    }
}
