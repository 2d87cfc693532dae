//! The spec loader, checker and emitter on arbitrary bytes: never a panic; a spec the
//! checker accepts always emits syntactically valid Rust, and rendering diagnostics works.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PRODUCT: &[u8] = include_bytes!("../../codegen/tests/broken/fixture/product.yaml");
const ACTION: &[u8] = include_bytes!("../../codegen/tests/broken/fixture/ListThings.yaml");
const DIR: &str = "test/things/2021-01-01";

fuzz_target!(|data: &[u8]| {
    // The first byte chooses which file the input replaces.
    let (product, action) = match data.split_first() {
        Some((b, rest)) if b % 2 == 1 => (rest.to_vec(), ACTION.to_vec()),
        Some((_, rest)) => (PRODUCT.to_vec(), rest.to_vec()),
        None => return,
    };
    let files = vec![(format!("{DIR}/product.yaml"), product), (format!("{DIR}/ListThings.yaml"), action)];
    match codegen::load_files(files) {
        Ok(products) => {
            for f in codegen::emit::emit(&products) {
                assert!(!f.contents.contains("codegen emitted invalid Rust"), "{}: {}", f.path, f.contents);
            }
        }
        Err(d) => {
            assert!(!d.items.is_empty());
            let _ = d.render();
            let _ = d.to_string();
        }
    }
});
