//! Every spec round-trips through the writer: load → `spec::write::to_yaml` → load gives
//! an equal value, for the checked-in specs and the test fixtures.

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
