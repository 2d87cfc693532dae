//! The emitter: deterministic output with the `@generated` marker, and insta snapshots of
//! what it emits for the small fixture in `tests/fixtures/` (one product per provider).
//!
//! The snapshots are for reviewing emitter changes: the fixture lives outside `specs/`, so
//! they change when the emitter does, never when `specs/` grows. Whether `generated/` is up
//! to date is `tests/generated.rs`'s job.

use std::path::{Path, PathBuf};

use codegen::emit::GENERATED_MARKER;
use codegen::GeneratedFile;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_dir() -> PathBuf {
    manifest_dir().join("tests/fixtures")
}

fn emit(specs: &Path) -> Vec<GeneratedFile> {
    codegen::generate_dir(specs).unwrap_or_else(|d| panic!("{}", d.render()))
}

#[test]
fn emission_is_deterministic_and_marked() {
    for specs in [
        manifest_dir().parent().unwrap().join("specs"),
        fixture_dir(),
    ] {
        let a = emit(&specs);
        let b = emit(&specs);
        assert_eq!(a, b, "{}", specs.display());
        for f in &a {
            let first = f.contents.lines().next().unwrap_or_default();
            assert!(
                first.contains(GENERATED_MARKER),
                "{}: the first line of {} lacks the marker",
                specs.display(),
                f.path
            );
            assert!(
                codegen::sync::has_marker(f.contents.as_bytes()),
                "{}",
                f.path
            );
        }
    }
}

/// The emitter writes Rust as text, with no parse of its own: every file it writes for
/// the real specs and the fixture must parse (a compile error would otherwise surface
/// only when the generated crate is built).
#[test]
fn every_emitted_rust_file_parses() {
    for specs in [
        manifest_dir().parent().unwrap().join("specs"),
        fixture_dir(),
    ] {
        for f in emit(&specs) {
            if f.path.ends_with(".rs") {
                if let Err(e) = syn::parse_file(&f.contents) {
                    panic!("{} does not parse: {e}", f.path);
                }
            }
        }
    }
}

#[test]
fn the_fixture_covers_both_providers_and_every_protocol() {
    let products = codegen::load_dir(&fixture_dir()).unwrap_or_else(|d| panic!("{}", d.render()));
    let names: Vec<String> = products
        .iter()
        .map(|p| {
            format!(
                "{}/{} ({} action)",
                p.provider_mod,
                p.feature,
                p.actions.len()
            )
        })
        .collect();
    assert_eq!(products.len(), 4, "{names:?}");
    assert!(products.iter().all(|p| p.actions.len() == 1), "{names:?}");
    let mut protocols: Vec<_> = products.iter().map(|p| p.protocol).collect();
    protocols.dedup();
    protocols.sort_by_key(|p| format!("{p:?}"));
    protocols.dedup();
    assert_eq!(
        protocols.len(),
        4,
        "rpc, roa, sls and tc3 each have a product"
    );
}

#[test]
fn fixture_snapshots() {
    let files = emit(&fixture_dir());
    // The file list: a file the emitter adds or stops emitting shows up here.
    let listing: String = files.iter().map(|f| format!("{}\n", f.path)).collect();
    insta::assert_snapshot!("fixture__files", listing);
    for f in &files {
        assert!(
            !f.contents.contains("codegen emitted invalid Rust"),
            "{}:\n{}",
            f.path,
            f.contents
        );
        let stem = f
            .path
            .strip_prefix("src/")
            .unwrap_or(&f.path)
            .trim_end_matches(".rs");
        let name = format!("fixture__{}", stem.replace(['/', '.'], "__"));
        insta::assert_snapshot!(name, f.contents);
    }
}

/// Action names that are not Rust names as the provider writes them: `Pub` (a keyword)
/// and `createThing` (lowerCamel) keep their wire names and get derived Rust names
/// (module and method `pub_`, action type `Pub`; `CreateThingRequest`, `create_thing`), and every emitted file parses. `tests/names/` is a product of its own,
/// kept out of `tests/fixtures/` so the fixture's snapshots stay as they are.
#[test]
fn keyword_and_lower_camel_action_names_emit_valid_rust() {
    let files = emit(&manifest_dir().join("tests/names"));
    let file = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} is not emitted"))
            .contents
            .as_str()
    };
    for f in &files {
        if f.path.ends_with(".rs") {
            if let Err(e) = syn::parse_file(&f.contents) {
                panic!("{} does not parse: {e}", f.path);
            }
        }
    }
    let dir = "products/aliyun-thing/src/v20210101";
    let version = file(&format!("{dir}/mod.rs"));
    for item in ["pub mod pub_;", "pub mod create_thing;"] {
        assert!(version.contains(item), "{item} in\n{version}");
    }
    let pub_ = file(&format!("{dir}/pub_.rs"));
    assert!(pub_.contains("pub struct PubRequest"), "{pub_}");
    assert!(
        pub_.contains("Operation::named(\"Pub\")"),
        "the wire name stays: {pub_}"
    );
    assert!(pub_.contains("method: \"GET\""), "{pub_}");
    assert!(
        pub_.contains("The `Pub` action, sent as `GET /`."),
        "an action without a description is documented by its name, method and path: {pub_}"
    );
    let create = file(&format!("{dir}/create_thing.rs"));
    assert!(create.contains("pub struct CreateThingRequest"), "{create}");
    assert!(
        create.contains("Operation::named(\"createThing\")"),
        "the wire name stays: {create}"
    );
    assert!(create.contains("method: \"PUT\""), "{create}");
    let client = file(&format!("{dir}/client.rs"));
    for method in [
        "fn pub_(&self) -> Call<super::Pub>",
        "fn create_thing(&self) -> Call<super::CreateThing>",
    ] {
        assert!(client.contains(method), "{method} in\n{client}");
    }
    assert!(
        pub_.contains("impl action::Paginated for Pub"),
        "a paged action pages: {pub_}"
    );
    let stub = file(&format!("{dir}/stub.rs"));
    for line in [
        ".example::<super::Pub>()",
        ".example::<super::CreateThing>()",
    ] {
        assert!(stub.contains(line), "{line} in\n{stub}");
    }
    insta::assert_snapshot!("names__pub_", pub_);
    insta::assert_snapshot!("names__create_thing", create);
    insta::assert_snapshot!("names__client", client);
}

/// Answers that are not a JSON object (`response.body`: a JSON array of structures, any
/// JSON, text, bytes), a dotted key in an answer's structure, and raw request bodies
/// (`body: binary`, `body: protobuf`). `tests/answers/` is a product of its own, so the
/// fixture's snapshots stay as they are; every emitted file parses.
#[test]
fn whole_answers_and_raw_bodies_emit_valid_rust() {
    let files = emit(&manifest_dir().join("tests/answers"));
    let file = |name: &str| {
        let path = format!("products/aliyun-gizmo/src/v20240101/{name}.rs");
        files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} is not emitted"))
            .contents
            .as_str()
    };
    for f in &files {
        if f.path.ends_with(".rs") {
            if let Err(e) = syn::parse_file(&f.contents) {
                panic!("{} does not parse: {e}", f.path);
            }
        }
    }
    let shards = file("list_gizmo_shards");
    for line in [
        "crate::runtime::codec::response::body_struct! {",
        "value body: list Shard,",
        "\"Area.en\" area_en: opt String,",
        "pub fn from_json(body: &[u8]) -> Result<Self, runtime::DecodeError> {",
        "response::decode_body(super::PROTOCOL, body)",
        "action::Sample::synthesized(SYNTHESIZED_RESPONSE_JSON)",
    ] {
        assert!(shards.contains(line), "{line} in\n{shards}");
    }
    // The synthesized answer is the array itself, with the dotted key as it is.
    assert!(shards.contains(r#""Area.en\": \"Asia\""#), "{shards}");
    let policy = file("get_gizmo_policy");
    for line in [
        "text policy,",
        "pub fn from_body(body: &[u8])",
        "pub const SYNTHESIZED_RESPONSE_BODY: &str = \"{\\\"Version\\\": \\\"1\\\"}\";",
        "action::Sample::synthesized(SYNTHESIZED_RESPONSE_BODY)",
    ] {
        assert!(policy.contains(line), "{line} in\n{policy}");
    }
    let anything = file("get_gizmo_anything");
    assert!(
        anything.contains("value body: opt serde_json::Value,"),
        "{anything}"
    );
    assert!(
        anything.contains("action::Sample::example(EXAMPLE_RESPONSE_JSON)"),
        "{anything}"
    );
    let invoke = file("invoke_gizmo");
    for line in [
        "body: layout::BodyFormat::Binary,",
        "binary body,",
        "(`Content-Type: application/octet-stream`)",
    ] {
        assert!(invoke.contains(line), "{line} in\n{invoke}");
    }
    let logs = file("put_gizmo_logs");
    assert!(
        logs.contains("body: layout::BodyFormat::Protobuf,"),
        "{logs}"
    );
    assert!(logs.contains("application/x-protobuf"), "{logs}");
    for name in [
        "list_gizmo_shards",
        "get_gizmo_policy",
        "get_gizmo_anything",
        "invoke_gizmo",
        "put_gizmo_logs",
    ] {
        insta::assert_snapshot!(format!("answers__{name}"), file(name));
    }
}
