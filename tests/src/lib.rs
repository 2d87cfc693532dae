//! Helpers for the cross-crate tests in `tests/tests/`.

use std::path::PathBuf;

/// The shared source documents (`../shared/seeds/` beside the repository).
pub fn seed(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read the seed document {}: {e}", path.display()))
}

/// The fenced code blocks of a document, in order (the seeds print examples in ``` blocks).
pub fn fenced_blocks(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some(String::new()),
            }
        } else if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    out
}

/// The text between two marker lines of a document (exclusive), for unfenced examples.
pub fn between(doc: &str, start: &str, end: &str) -> String {
    let from = doc.find(start).map(|i| i + start.len()).unwrap_or_else(|| panic!("marker {start:?} not in the document"));
    let rest = &doc[from..];
    let to = rest.find(end).unwrap_or_else(|| panic!("marker {end:?} not in the document"));
    rest[..to].trim_start_matches('\n').to_owned()
}
