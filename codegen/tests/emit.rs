//! The emitted code for the real specs: snapshots, determinism, and freshness of `generated/`.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn emitted_code_snapshots() {
    let files = codegen::generate_dir(&root().join("specs")).unwrap_or_else(|d| panic!("{}", d.render()));
    for f in files.iter().filter(|f| f.path.ends_with(".rs") && !f.path.ends_with("mod.rs") && f.path != "src/lib.rs") {
        let name = f.path.trim_start_matches("src/").trim_end_matches(".rs").replace('/', "__");
        insta::assert_snapshot!(name, f.contents);
    }
}

#[test]
fn emission_is_deterministic() {
    let a = codegen::generate_dir(&root().join("specs")).unwrap();
    let b = codegen::generate_dir(&root().join("specs")).unwrap();
    assert_eq!(a, b);
    // Every emitted file starts with the @generated header.
    for f in &a {
        assert!(f.contents.lines().next().unwrap().contains("@generated"), "{}", f.path);
    }
}

#[test]
fn the_committed_generated_crate_is_fresh() {
    for f in codegen::generate_dir(&root().join("specs")).unwrap() {
        let on_disk = std::fs::read_to_string(root().join("generated").join(&f.path)).unwrap_or_default();
        assert!(on_disk == f.contents, "generated/{} is stale: run `cargo xtask codegen`", f.path);
    }
}
