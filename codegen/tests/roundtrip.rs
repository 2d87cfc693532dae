//! Every spec round-trips through the writer: load → `spec::write::to_yaml` → load gives
//! an equal value, for the checked-in specs and the test fixtures; and the files the
//! importer wrote write back byte for byte.

use std::path::Path;

use codegen::load::{read_tree, PRODUCT_FILE, PROVIDER_FILE};
use codegen::spec::{write, ActionSpec, ProductSpec, ProviderSpec};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    name: &str,
    text: &str,
) {
    let value: T = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let written = write::to_yaml(&value);
    let back: T = serde_yaml::from_str(&written)
        .unwrap_or_else(|e| panic!("{name}: the written text does not load ({e}):\n{written}"));
    assert_eq!(back, value, "{name} does not read back equal:\n{written}");
    // Writing is stable: the written text writes as itself.
    assert_eq!(write::to_yaml(&back), written, "{name}");
}

fn round_trip_tree(root: &Path) -> usize {
    let files = read_tree(root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    for (name, bytes) in &files {
        let text = std::str::from_utf8(bytes).unwrap();
        match name.rsplit('/').next() {
            Some(PROVIDER_FILE) => round_trip::<ProviderSpec>(name, text),
            Some(PRODUCT_FILE) => round_trip::<ProductSpec>(name, text),
            _ => round_trip::<ActionSpec>(name, text),
        }
    }
    files.len()
}

#[test]
fn every_spec_reads_back_equal() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in [
        here.join("../specs"),
        here.join("tests/fixtures"),
        here.join("tests/names"),
        here.join("tests/answers"),
    ] {
        n += round_trip_tree(&dir);
    }
    assert!(n > 100, "only {n} spec files found");
}

/// The header comment lines of a file, as the writer takes them.
fn header(text: &str) -> Vec<String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| {
            l.strip_prefix("# ")
                .unwrap_or(l.trim_start_matches('#'))
                .to_owned()
        })
        .collect()
}

fn write_back<T: DeserializeOwned + Serialize>(text: &str) -> String {
    let value: T = serde_yaml::from_str(text).unwrap();
    write::to_yaml_with_comments(&header(text), &value)
}

/// Every file `cargo xtask import` wrote (edited since or not) writes back byte for byte
/// from its value and header comments: the writer is the importers' (key order, quoting,
/// block scalars, text as written).
#[test]
fn imported_files_write_back_as_they_are() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut checked = 0;
    for (name, bytes) in read_tree(&root).unwrap() {
        let text = std::str::from_utf8(&bytes).unwrap();
        if !text.starts_with("# Imported from") {
            continue;
        }
        let written = match name.rsplit('/').next() {
            Some(PRODUCT_FILE) => write_back::<ProductSpec>(text),
            _ => write_back::<ActionSpec>(text),
        };
        assert!(written == text, "{name} writes back as:\n{written}");
        checked += 1;
    }
    assert!(checked > 1000, "only {checked} imported files found");
}
