//! Helpers shared by the cross-crate tests in `tests/tests/` (one binary per provider,
//! plus `runtime`).

use std::path::PathBuf;

/// The shared source documents (`../shared/seeds/` beside the repository).
pub fn seed(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/seeds")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the seed document {}: {e}", path.display()))
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
    let from = doc
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or_else(|| panic!("marker {start:?} not in the document"));
    let rest = &doc[from..];
    let to = rest
        .find(end)
        .unwrap_or_else(|| panic!("marker {end:?} not in the document"));
    rest[..to].trim_start_matches('\n').to_owned()
}

/// The hostile-response corpora (`tests/tests/<provider>/hostile.rs`): malformed and
/// surprising bodies must give a correct tolerant decode or a typed error naming the
/// field — never a panic.
pub mod hostile {
    use cloudapi::runtime::DecodeError;

    /// What a case must give.
    pub enum Expect {
        /// Decodes; the check sees the result.
        Ok(fn(&str, &dyn std::fmt::Debug)),
        /// Fails at this path (prefix), with a message containing this text.
        Err(&'static str, &'static str),
    }

    /// The check of a case that only has to decode.
    pub fn ok(_: &str, _: &dyn std::fmt::Debug) {}

    /// (name, body, expectation, extra check of a successful decode)
    pub type Case<T> = (&'static str, Vec<u8>, Expect, Option<fn(&T)>);

    /// Decodes `body`, failing the test on a panic or an outcome other than `expect`; a
    /// decode error must keep the raw body.
    pub fn run<T: std::fmt::Debug>(
        name: &str,
        decode: impl Fn(&[u8]) -> Result<T, DecodeError> + std::panic::RefUnwindSafe,
        body: &[u8],
        expect: &Expect,
        check: Option<fn(&T)>,
    ) {
        let result = std::panic::catch_unwind(|| decode(body))
            .unwrap_or_else(|_| panic!("case `{name}` panicked"));
        match (result, expect) {
            (Ok(v), Expect::Ok(f)) => {
                f(name, &v);
                if let Some(c) = check {
                    c(&v);
                }
            }
            (Err(e), Expect::Err(path, text)) => {
                assert!(
                    e.path().starts_with(path),
                    "case `{name}`: path `{}` does not start with `{path}` ({e})",
                    e.path()
                );
                assert!(
                    e.message().contains(text),
                    "case `{name}`: message `{}` lacks `{text}`",
                    e.message()
                );
                assert_eq!(
                    e.body().as_bytes(),
                    String::from_utf8_lossy(body).as_bytes(),
                    "case `{name}`: the raw body is kept"
                );
            }
            (Ok(v), Expect::Err(..)) => panic!("case `{name}` decoded but should fail: {v:?}"),
            (Err(e), Expect::Ok(_)) => panic!("case `{name}` failed but should decode: {e}"),
        }
    }
}
