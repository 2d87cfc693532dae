//! Emitting: the IR becomes Rust source, written already formatted by a small indenting
//! text writer (`text.rs`): no token stream, re-parse or pretty-printing pass.
//!
//! One file per action (`<provider>/<product>/<version>/<action>.rs`), one
//! `mod.rs` per module level, the crate root and the crate's `Cargo.toml`
//! (its features follow the products). Output is deterministic: products,
//! actions and types are emitted in a fixed order, and nothing depends on
//! hash order, time or the environment.

mod action;
mod client;
mod docs;
mod errors;
pub mod samples;
mod stub;
mod text;
mod types;

use crate::ir::{self, Product, Ty};
use quote::quote;
use text::{close, open, str_lit, w, Out};

/// The marker every emitted file carries; `xtask` only ever deletes files that have it.
pub const GENERATED_MARKER: &str = "@generated";

/// One emitted file, with its path relative to the generated crate's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Emits the generated crates for a checked set of products: one crate per product
/// (`products/<provider>-<product>/`, all its versions) and the `cloudapi` facade
/// (`Cargo.toml`, `src/lib.rs`), which re-exports each behind its feature.
///
/// Infallible: every file is written already formatted, straight from the checked IR.
pub fn emit(products: &[Product]) -> Vec<GeneratedFile> {
    let mut files = vec![cargo_toml(products), lib_rs(products)];
    let mut jobs: Vec<(&Product, Option<usize>)> = Vec::new();
    for versions in product_crates(products) {
        files.push(crate_cargo_toml(versions));
        files.push(crate_lib_rs(versions));
        for p in versions {
            jobs.push((p, None));
            jobs.extend((0..p.actions.len()).map(|i| (p, Some(i))));
        }
    }
    // Action files are independent: write them on every core, keeping the order.
    let emitted = crate::par::par_map(&jobs, |(p, action)| match action {
        None => product_files(p),
        Some(i) => {
            let a = &p.actions[*i];
            let file = rust_file(&format!("{}/{}.rs", p.dir, a.rust_mod), &a.source, |o| {
                action::action_file(o, p, a)
            });
            vec![with_enum_impls(file, &a.types)]
        }
    });
    files.extend(emitted.into_iter().flatten());
    files
}

/// The products' versions grouped by product crate (products arrive sorted).
fn product_crates(products: &[Product]) -> Vec<&[Product]> {
    products.chunk_by(|a, b| a.feature == b.feature).collect()
}

/// A product crate's name: `cloudapi-aliyun-ccc`.
fn crate_name(p: &Product) -> String {
    format!("cloudapi-{}", p.feature)
}

/// A product crate's `Cargo.toml`: complete metadata, so it can be packaged on its own.
fn crate_cargo_toml(versions: &[Product]) -> GeneratedFile {
    let p = &versions[0];
    let name = crate_name(p);
    let list: Vec<&str> = versions.iter().map(|v| v.version.as_str()).collect();
    let title = p.title.replace('\\', "\\\\").replace('"', "\\\"");
    let contents = format!(
        "# {GENERATED_MARKER} by `cargo xtask codegen` from specs/{}/{}. Do not edit: change the\n\
         # specs or codegen/src/emit/mod.rs (the template) and regenerate.\n{}",
        p.provider.spec_name(),
        p.product,
        PRODUCT_CARGO_TEMPLATE
            .replace("{name}", &name)
            .replace("{title}", &title)
            .replace("{versions}", &list.join(", "))
            .replace("{provider}", p.provider.spec_name())
            .replace("{product}", &p.product)
    );
    GeneratedFile {
        path: format!("products/{}/Cargo.toml", p.feature),
        contents,
    }
}

const PRODUCT_CARGO_TEMPLATE: &str = r#"[package]
name = "{name}"
version = "0.1.0"
description = "{title} (API {versions}): a typed, validated Rust client, generated from YAML specs."
keywords = ["{provider}", "{product}", "cloud", "sdk", "api"]
categories = ["api-bindings", "web-programming::http-client"]
documentation = "https://docs.rs/{name}"
readme = false
edition.workspace = true
license.workspace = true
rust-version.workspace = true

[features]
# A local stub server of the product (`<version>::stub`); requests also implement
# `Deserialize` (the stub reads them).
stub-server = ["cloudapi-runtime/stub-server"]
# For the test suite: every action's response sample with its decode check
# (`<version>::RESPONSE_SAMPLES`; this compiles every action's decoder).
response-samples = []

[dependencies]
cloudapi-runtime = { path = "../../../runtime", version = "0.1.0" }
# The derives in generated models expand to paths into these two crates.
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[dev-dependencies]
# The crate docs' example runs against the stub.
tokio = { version = "1", features = ["macros", "rt"] }
"#;

/// A product crate's `lib.rs`: its versions, and the runtime re-exported.
fn crate_lib_rs(versions: &[Product]) -> GeneratedFile {
    let p = &versions[0];
    let mut doc = format!(
        "{}\n\nPart of the `cloudapi` crates (`cloudapi::{}::{}`, feature `{}`). One \
         module per API version:\n",
        docs::escape(&p.title),
        p.provider_mod,
        p.product_mod,
        p.feature
    );
    for v in versions {
        doc.push_str(&format!(
            "\n- [`{}`]: API version {}",
            v.version_mod, v.version
        ));
    }
    doc.push_str(&crate_example(versions.last().unwrap_or(p)));
    let mut items = vec![quote! {
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        /// The hand-written runtime the generated code stands on.
        pub use cloudapi_runtime as runtime;
    }];
    for v in versions {
        let doc = doc_attrs(&docs::doc_md(&format!("API version {}.", v.version)));
        let id = tree::ident(&v.version_mod);
        // Emitted files are written formatted; rustfmt would only re-wrap them.
        items.push(quote! { #doc #[rustfmt::skip] pub mod #id; });
    }
    let source = format!("{}/{}", p.provider.spec_name(), p.product);
    tree::file(
        &format!("products/{}/src/lib.rs", p.feature),
        &format!("the specs of {source}"),
        &doc,
        items,
    )
}

/// The crate docs' example, a doc test: the newest version's first action without
/// required parameters, called through the fluent client against the in-process stub
/// (feature `stub-server`; the test suite enables it). Nothing when every action has one.
fn crate_example(p: &Product) -> String {
    let Some(a) = p
        .actions
        .iter()
        .find(|a| a.params.iter().all(|x| !x.required))
    else {
        return String::new();
    };
    let krate = crate_name(p).replace('-', "_");
    let v = &p.version_mod;
    format!(
        "\n\n# Example\n\n\
         `{action}` against the product's in-process stub (feature `stub-server`), which \
         answers with the document's example. Against the real cloud, build the client with \
         `Client::from_env()?` (or `Client::from_default_chain()?`) instead.\n\n\
         ```\n\
         # #[cfg(feature = \"stub-server\")]\n\
         # #[tokio::main(flavor = \"current_thread\")]\n\
         # async fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use {krate}::runtime::{{Config, Credentials}};\n\
         use {krate}::{v}::{{stub::StubServer, Client}};\n\
         \n\
         let credentials = Credentials::new(\"example-id\", \"example-secret\");\n\
         let stub = StubServer::builder(credentials.clone()).start().await?;\n\
         let config = Config::builder(credentials).endpoint(stub.endpoint()).build();\n\
         let client = Client::new(config)?;\n\
         let answer = client.{m}().send().await?;\n\
         println!(\"{{answer:?}}\");\n\
         # Ok(())\n\
         # }}\n\
         # #[cfg(not(feature = \"stub-server\"))]\n\
         # fn main() {{}}\n\
         ```",
        action = a.name,
        m = a.rust_mod,
    )
}

/// The product-level files of a version: `mod.rs`, `client.rs`, `stub.rs`, `types.rs`.
fn product_files(p: &Product) -> Vec<GeneratedFile> {
    let dir = &p.dir;
    let mut files = Vec::new();
    let source = p.sources.first().map_or("", String::as_str);
    if !p.errors.is_empty() {
        files.push(rust_file(&format!("{dir}/errors.rs"), source, |o| {
            errors::common_error_enum(o, p)
        }));
    }
    if !p.types.is_empty() {
        let file = rust_file(&format!("{dir}/types.rs"), source, |o| {
            o.inner_doc("Types shared by several actions of this product version.");
            types::type_defs(o, &p.types, Site::Types);
        });
        files.push(with_enum_impls(file, &p.types));
    }
    files.push(rust_file(&format!("{dir}/client.rs"), source, |o| {
        client::client_file(o, p)
    }));
    files.push(rust_file(&format!("{dir}/stub.rs"), source, |o| {
        stub::stub_file(o, p)
    }));
    files.push(rust_file(&format!("{dir}/mod.rs"), source, |o| {
        version_mod(o, p)
    }));
    files
}

/// A version's `mod.rs`: its constants, response samples and modules.
fn version_mod(o: &mut Out, p: &Product) {
    let mut doc = format!(
        "{} — API version {}.\n\n{}",
        docs::escape(&p.title),
        p.version,
        docs::escape(p.description.trim_end())
    );
    doc.push_str(&format!("\n\nEndpoint: `{}`.", p.endpoint));
    if !p.common_parameters.is_empty() {
        doc.push_str("\n\n# Common parameters\n\nSet by the client on every request:\n");
        for (name, d) in &p.common_parameters {
            doc.push_str(&format!("\n- `{name}`: {}", docs::escape(d.trim())));
        }
    }
    o.inner_doc(&doc);
    o.blank();
    o.doc("The API version this module was generated for.");
    w!(o, "pub const VERSION: &str = {};", str_lit(&p.version));
    o.blank();
    o.doc("The default endpoint host.");
    w!(o, "pub const ENDPOINT: &str = {};", str_lit(&p.endpoint));
    o.blank();
    o.doc("The service name (Tencent Cloud's credential scope; Alibaba Cloud's product code).");
    w!(o, "pub const SERVICE: &str = {};", str_lit(&p.service));
    o.blank();
    o.doc("The default region, where the product has one.");
    match &p.default_region {
        Some(r) => w!(
            o,
            "pub const DEFAULT_REGION: Option<&str> = Some({});",
            str_lit(r)
        ),
        None => w!(o, "pub const DEFAULT_REGION: Option<&str> = None;"),
    }
    o.blank();
    o.doc("How the host follows from the region and network (the spec's `endpoints:`); `None`: always [`ENDPOINT`].");
    match &p.endpoints {
        None => w!(
            o,
            "pub const ENDPOINTS: Option<&crate::runtime::Endpoints> = None;"
        ),
        Some(e) => {
            open!(
                o,
                "pub const ENDPOINTS: Option<&crate::runtime::Endpoints> = Some(&crate::runtime::Endpoints {{"
            );
            w!(
                o,
                "rule: crate::runtime::EndpointRule::{},",
                e.rule.rust_name()
            );
            w!(o, "product_id: {},", str_lit(&e.product_id));
            if e.regions.is_empty() {
                w!(o, "regions: &[],");
            } else {
                open!(o, "regions: &[");
                for (r, h) in &e.regions {
                    w!(o, "({}, {}),", str_lit(r), str_lit(h));
                }
                close!(o, "],");
            }
            close!(o, "}});");
        }
    }
    o.blank();
    o.doc("How requests and responses are laid out.");
    w!(
        o,
        "pub const PROTOCOL: crate::runtime::Protocol = crate::runtime::Protocol::{};",
        p.protocol.descriptor().rust_name
    );
    o.blank();
    o.doc(
        "Every action's documented response example (or, where the document shows none,\n\
         the one synthesized from the model), with a decode and round-trip check: for tests\n\
         (feature `response-samples`, so users' builds do not compile every decoder).",
    );
    w!(o, "#[doc(hidden)]");
    w!(o, "#[cfg(feature = \"response-samples\")]");
    if p.actions.is_empty() {
        w!(
            o,
            "pub const RESPONSE_SAMPLES: &[crate::runtime::client::action::ResponseSample] = &[];"
        );
    } else {
        open!(
            o,
            "pub const RESPONSE_SAMPLES: &[crate::runtime::client::action::ResponseSample] = &["
        );
        let product_name = str_lit(&format!(
            "{}/{}/{}",
            p.provider.spec_name(),
            p.product,
            p.version
        ));
        for a in &p.actions {
            o.list(
                "crate::runtime::client::action::ResponseSample::of::<",
                &[format!("{}::{}", a.rust_mod, a.names.action)],
                &format!(">({product_name}),"),
            );
        }
        close!(o, "];");
    }
    if !p.errors.is_empty() {
        o.blank();
        o.doc("The product's common error codes.");
        w!(o, "pub mod errors;");
        w!(o, "pub use errors::CommonError;");
    }
    if !p.types.is_empty() {
        o.blank();
        o.doc("Types shared by several actions.");
        w!(o, "pub mod types;");
    }
    for a in &p.actions {
        let m = &a.rust_mod;
        let n = &a.names;
        o.blank();
        o.doc(&format!(
            "{}: {}",
            docs::doc_md(&a.name),
            docs::summary(&a.description)
        ));
        w!(o, "pub mod {m};");
        o.list(
            &format!("pub use {m}::{{"),
            &[&n.action, &n.request, &n.builder, &n.response, &n.error],
            "};",
        );
    }
    o.blank();
    o.doc("The client: one method per action, starting a [`Call`].");
    w!(o, "pub mod client;");
    w!(o, "pub use client::{{Call, Client}};");
    o.blank();
    o.doc("A local stub server for tests (feature `stub-server`).");
    w!(o, "#[cfg(feature = \"stub-server\")]");
    w!(o, "pub mod stub;");
}

fn lib_rs(products: &[Product]) -> GeneratedFile {
    let mut doc = String::from(
        "Typed, validated clients for cloud APIs, generated from YAML specs.\n\n\
         Each product is a crate of its own (`cloudapi-<provider>-<product>`), re-exported \
         here behind a cargo feature of the same name; each API version is a module of it:\n",
    );
    for p in products {
        doc.push_str(&format!(
            "\n- `{}::{}::{}` (feature `{}`): {}",
            p.provider_mod,
            p.product_mod,
            p.version_mod,
            p.feature,
            docs::escape(&p.title)
        ));
    }
    doc.push_str(
        "\n\nThe hand-written runtime (the `cloudapi-runtime` crate) is re-exported as [`runtime`].",
    );
    let mut items = vec![quote! {
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        pub use cloudapi_runtime as runtime;
    }];
    let crates = product_crates(products);
    for of_provider in crates.chunk_by(|a, b| a[0].provider_mod == b[0].provider_mod) {
        let m = &of_provider[0][0].provider_mod;
        // Always declared, each product inside behind its feature (a `cfg(any(…))` over
        // every feature would be one more list to keep formatted).
        let doc = doc_attrs(&docs::doc_md(&format!(
            "{m} products: each behind the feature of its name."
        )));
        let id = tree::ident(m);
        let uses = of_provider.iter().map(|v| {
            let p = &v[0];
            let f = p.feature.as_str();
            let krate = tree::ident(&crate_name(p).replace('-', "_"));
            let alias = tree::ident(&p.product_mod);
            let doc = doc_attrs(&docs::doc_md(&p.title));
            quote! { #doc #[cfg(feature = #f)] pub use #krate as #alias; }
        });
        items.push(quote! { #doc pub mod #id { #(#uses)* } });
    }
    let mut file = tree::file("src/lib.rs", "the specs", &doc, items);
    file.contents.push_str(&stub_services(products));
    file.contents.push_str(&response_samples(products));
    file
}

/// `stub_services()`, every product version behind its feature, for the standalone stub
/// server; written out as rustfmt would.
fn stub_services(products: &[Product]) -> String {
    let mut out = String::from(
        "\n/// Every product version compiled in (one per enabled product feature), each action\n\
         /// answering with its document's example: serve them on one port with\n\
         /// [`StubBuilder::services`](runtime::server::StubBuilder::services), as the\n\
         /// `cloudapi-stub` binary does.\n\
         #[cfg(feature = \"stub-server\")]\n\
         // Pushed one by one: each line has its own `cfg`.\n\
         #[allow(unused_mut, clippy::vec_init_then_push)]\n\
         pub fn stub_services() -> Vec<runtime::server::ServiceStub> {\n    \
         let mut services = Vec::new();\n",
    );
    for p in products {
        out.push_str(&format!(
            "    #[cfg(feature = \"{}\")]\n    services.push({}::{}::{}::stub::service());\n",
            p.feature, p.provider_mod, p.product_mod, p.version_mod
        ));
    }
    out.push_str("    services\n}\n");
    out
}

/// `response_samples()`, every compiled-in product version's `RESPONSE_SAMPLES` with its
/// name, for tests over every action; written out as rustfmt would.
fn response_samples(products: &[Product]) -> String {
    let mut out = String::from(
        "\n/// Every product version compiled in (one per enabled product feature) with each\n\
         /// action's response example or synthesized response and its decode check: for tests\n\
         /// (feature `response-samples`).\n\
         #[doc(hidden)]\n\
         #[cfg(feature = \"response-samples\")]\n\
         // Pushed one by one: each line has its own `cfg`.\n\
         #[allow(unused_mut, clippy::vec_init_then_push)]\n\
         pub fn response_samples() -> Vec<&'static [runtime::client::action::ResponseSample]> {\n    \
         let mut samples = Vec::new();\n",
    );
    for p in products {
        out.push_str(&format!(
            "    #[cfg(feature = \"{}\")]\n    samples.push({}::{}::{}::RESPONSE_SAMPLES);\n",
            p.feature, p.provider_mod, p.product_mod, p.version_mod
        ));
    }
    out.push_str("    samples\n}\n");
    out
}

fn cargo_toml(products: &[Product]) -> GeneratedFile {
    let crates = product_crates(products);
    let quoted = |items: &mut dyn Iterator<Item = String>| {
        items
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let default = quoted(
        &mut crates
            .iter()
            .filter(|v| v.iter().any(|p| p.default_feature))
            .map(|v| v[0].feature.clone()),
    );
    let mut list = String::new();
    for v in &crates {
        list.push_str(&format!(
            "{} = [\"dep:{}\"]\n",
            v[0].feature,
            crate_name(&v[0])
        ));
    }
    list.push_str(&format!(
        "# Every product (the `cloudapi-stub` binary serves them all).\nall-products = [{}]\n",
        quoted(&mut crates.iter().map(|v| v[0].feature.clone()))
    ));
    let forward = |feature: &str| {
        quoted(
            &mut crates
                .iter()
                .map(|v| format!("{}?/{feature}", crate_name(&v[0]))),
        )
    };
    let deps: String = crates
        .iter()
        .map(|v| {
            format!(
                "{} = {{ path = \"products/{}\", version = \"0.1.0\", optional = true }}\n",
                crate_name(&v[0]),
                v[0].feature
            )
        })
        .collect();
    let contents = format!(
        "# {GENERATED_MARKER} by `cargo xtask codegen` from specs/. Do not edit: change the specs or\n\
         # codegen/src/emit/mod.rs (the template) and regenerate.\n{}",
        CARGO_TEMPLATE
            .replace("{default}", &default)
            .replace("{features}", &list)
            .replace("{stub_server}", &forward("stub-server"))
            .replace("{response_samples}", &forward("response-samples"))
            .replace("{products}", &deps)
    );
    GeneratedFile {
        path: "Cargo.toml".into(),
        contents,
    }
}

const CARGO_TEMPLATE: &str = r#"[package]
name = "cloudapi"
version = "0.1.0"
description = "Typed, validated Rust clients for Alibaba Cloud and Tencent Cloud APIs, generated from YAML specs."
edition.workspace = true
license.workspace = true
rust-version.workspace = true

[features]
default = [{default}]
{features}
# Per-product stub servers for tests (see `cloudapi::runtime::server`); requests also
# implement `Deserialize` (the stub reads them).
stub-server = ["cloudapi-runtime/stub-server", {stub_server}]
# For the test suite: `response_samples()`, every action's example or synthesized response
# with a decode and round-trip check (this compiles every action's decoder).
response-samples = [{response_samples}]

[dependencies]
cloudapi-runtime = { path = "../runtime", version = "0.1.0" }
# One crate per product, each behind its feature.
{products}"#;

/// Appends the enums' `string_enum_impls!` invocations (one variant per line) to a
/// written file.
fn with_enum_impls(mut file: GeneratedFile, types: &[ir::TypeDef]) -> GeneratedFile {
    file.contents.push_str(&types::enum_impls(
        types.iter().filter_map(ir::TypeDef::as_enum),
    ));
    file
}

/// `#[doc]` attributes for Markdown text, one per line (prettyplease prints them as `///`).
fn doc_attrs(markdown: &str) -> proc_macro2::TokenStream {
    let lines = markdown.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// The crate's module tree: `lib.rs` and the provider and product `mod.rs` files, a
/// handful per crate, built as tokens and formatted by prettyplease. Everything else is
/// written as formatted text (`text.rs`): re-parsing and re-printing it cost four fifths
/// of a run.
mod tree {
    use proc_macro2::{Ident, Span, TokenStream};

    use super::{GeneratedFile, GENERATED_MARKER};

    /// An identifier from a checked module name.
    pub(super) fn ident(name: &str) -> Ident {
        Ident::new(name, Span::call_site())
    }

    /// A file of `items` under the inner doc `doc`, each item formatted by prettyplease
    /// and set off by a blank line, as hand-written Rust is (and `rustfmt` leaves it).
    pub(super) fn file(
        path: &str,
        source: &str,
        doc: &str,
        items: Vec<TokenStream>,
    ) -> GeneratedFile {
        let mut out = format!(
            "// {GENERATED_MARKER} by `cargo xtask codegen` from {source}. Do not edit.\n\n"
        );
        for line in doc.lines() {
            if line.is_empty() {
                out.push_str("//!\n");
            } else {
                out.push_str(&format!("//! {line}\n"));
            }
        }
        for tokens in items {
            out.push('\n');
            match syn::parse2::<syn::File>(tokens) {
                Ok(file) => out.push_str(&prettyplease::unparse(&file)),
                // An emitter bug: fail the build of the generated crate, naming it.
                Err(e) => out.push_str(&format!(
                    "compile_error!({:?});\n",
                    format!("codegen emitted invalid Rust in {path}: {e}")
                )),
            }
        }
        GeneratedFile {
            path: path.to_owned(),
            contents: out,
        }
    }
}

/// A file written by `body`, behind the `@generated` header.
fn rust_file(path: &str, source: &str, body: impl FnOnce(&mut Out)) -> GeneratedFile {
    let mut o = Out::with_capacity(16 * 1024);
    w!(
        o,
        "// {GENERATED_MARKER} by `cargo xtask codegen` from {source}. Do not edit."
    );
    o.blank();
    body(&mut o);
    GeneratedFile {
        path: path.to_owned(),
        contents: o.finish(),
    }
}

/// Where emitted code sits in a version module, for rendering type references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site<'a> {
    /// An action's module (its `rust_mod`).
    Action(&'a str),
    /// The version's `types` module.
    Types,
}

/// A type as Rust source text, as seen from `from`: the one renderer of type references.
pub(crate) fn type_text(ty: &Ty, from: Site) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Integer => "i64".into(),
        Ty::U64 => "u64".into(),
        Ty::Boolean => "bool".into(),
        Ty::Float => "f64".into(),
        Ty::DateTime => "crate::runtime::DateTime".into(),
        Ty::Binary => "crate::runtime::Blob".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::List(inner) => format!("Vec<{}>", type_text(inner, from)),
        Ty::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(inner, from)
        ),
        Ty::Struct(r) | Ty::Enum(r) => match (&r.home, from) {
            (ir::TypeHome::Shared, Site::Types) => r.rust_name.clone(),
            (ir::TypeHome::Shared, _) => format!("super::types::{}", r.rust_name),
            (ir::TypeHome::Action(m), Site::Action(here)) if m == here => r.rust_name.clone(),
            (ir::TypeHome::Action(m), _) => format!("super::{m}::{}", r.rust_name),
        },
    }
}
