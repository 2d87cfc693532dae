//! Broken specs: each case under `broken/actions/` (an action file checked against
//! `broken/fixture/product.yaml`) and `broken/products/` (a product file checked with
//! `broken/fixture/ListThings.yaml`) must give diagnostics, never a panic, and its
//! rendered diagnostics are an insta snapshot.

use std::path::Path;

const DIR: &str = "tencentcloud/things/2021-01-01";

fn cases(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken")
        .join(kind);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/broken/fixture")
            .join(name),
    )
    .unwrap()
}

fn rpc_product() -> Vec<u8> {
    String::from_utf8(fixture("product.yaml"))
        .unwrap()
        .replace("protocol: tc3", "protocol: rpc")
        .replace("signing: tc3-hmac-sha256", "signing: hmac-sha1")
        .into_bytes()
}

fn roa_product() -> Vec<u8> {
    String::from_utf8(fixture("product.yaml"))
        .unwrap()
        .replace("protocol: tc3", "protocol: roa")
        .replace("signing: tc3-hmac-sha256", "signing: acs3-hmac-sha256")
        .into_bytes()
}

fn sls_product() -> Vec<u8> {
    String::from_utf8(fixture("product.yaml"))
        .unwrap()
        .replace("protocol: tc3", "protocol: sls")
        .replace("signing: tc3-hmac-sha256", "signing: sls-hmac-sha256")
        .into_bytes()
}

fn render(files: Vec<(String, Vec<u8>)>) -> (String, usize, String) {
    match std::panic::catch_unwind(|| codegen::load_files(files)) {
        Ok(Ok(_)) => (String::new(), 0, String::new()),
        Ok(Err(d)) => (d.render(), d.items.len(), d.to_string()),
        Err(_) => panic!("the checker panicked"),
    }
}

#[test]
fn the_fixture_itself_is_valid() {
    let files = vec![
        (format!("{DIR}/product.yaml"), fixture("product.yaml")),
        (format!("{DIR}/ListThings.yaml"), fixture("ListThings.yaml")),
    ];
    let products = codegen::load_files(files).unwrap_or_else(|d| panic!("{}", d.render()));
    assert_eq!(products[0].actions.len(), 1);
}

/// `rust_name:` gives a code whose own variant another code takes a variant of its own.
#[test]
fn rust_name_renames_an_error_variant() {
    let action = r#"name: ListThings
description: 列出东西。
parameters:
  - name: PageSize
    type: integer
    range: { min: 1, max: 100 }
    description: 分页大小。
response:
  fields:
    - name: Things
      type: list<Thing>
      description: 列表。
types:
  - name: Thing
    description: 东西。
    fields:
      - name: Name
        type: string
        description: 名称。
errors:
  - code: InvalidParameter.Bad
  - code: InvalidParameterBad
    rust_name: InvalidParameterBad2
"#;
    let files = vec![
        (format!("{DIR}/product.yaml"), fixture("product.yaml")),
        (format!("{DIR}/ListThings.yaml"), action.as_bytes().to_vec()),
    ];
    let products = codegen::load_files(files).unwrap_or_else(|d| panic!("{}", d.render()));
    let names: Vec<(&str, &str)> = products[0].actions[0]
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.rust_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("InvalidParameter.Bad", "InvalidParameterBad"),
            ("InvalidParameterBad", "InvalidParameterBad2")
        ]
    );
}

#[test]
fn broken_action_specs() {
    let all = cases("actions");
    assert!(all.len() >= 50, "the corpus has {} cases", all.len());
    let mut several = 0;
    for (name, bytes) in all {
        let product = if bytes.starts_with(b"# fixture: rpc") {
            rpc_product()
        } else if bytes.starts_with(b"# fixture: roa") {
            roa_product()
        } else if bytes.starts_with(b"# fixture: sls") {
            sls_product()
        } else {
            fixture("product.yaml")
        };
        let files = vec![
            (format!("{DIR}/product.yaml"), product),
            (format!("{DIR}/ListThings.yaml"), bytes),
        ];
        let (rendered, count, short) = render(files);
        assert!(count > 0, "case `{name}` was accepted");
        // Every one-line form names file:line:column.
        for line in short.lines() {
            assert!(
                line.starts_with(&format!("{DIR}/ListThings.yaml:")),
                "case `{name}`: {line}"
            );
        }
        if name == "several_problems" {
            several = count;
        }
        insta::assert_snapshot!(format!("action__{name}"), rendered);
    }
    assert!(
        several >= 3,
        "several problems are all reported, got {several}"
    );
}

/// An RPC action may send the caller's bytes as its body (Alibaba's OCR: the parameters
/// in the query, the image as the body); other body formats are for RESTful actions.
#[test]
fn an_rpc_action_may_send_raw_bytes_as_its_body() {
    let action = "name: ListThings\ndescription: 识别图片。\nbody: binary\nparameters:\n  - name: Url\n    type: string\n    description: 图片地址。\n  - name: body\n    type: binary\n    position: body\n    description: 图片。\nresponse:\n  fields: []\n";
    let files = vec![
        (format!("{DIR}/product.yaml"), rpc_product()),
        (format!("{DIR}/ListThings.yaml"), action.as_bytes().to_vec()),
    ];
    let (rendered, count, _) = render(files.clone());
    assert_eq!(count, 0, "{rendered}");
    // Two body parameters are refused as for ROA.
    let two = action.replace(
        "    type: string\n    description: 图片地址。",
        "    type: binary\n    position: body\n    description: 图片地址。",
    );
    let files = vec![
        files[0].clone(),
        (format!("{DIR}/ListThings.yaml"), two.into_bytes()),
    ];
    let (rendered, count, _) = render(files);
    assert_eq!(count, 1, "{rendered}");
    assert!(
        rendered.contains("needs exactly one body parameter"),
        "{rendered}"
    );
}

#[test]
fn broken_product_specs() {
    for (name, bytes) in cases("products") {
        let files = vec![
            (format!("{DIR}/product.yaml"), bytes),
            (format!("{DIR}/ListThings.yaml"), fixture("ListThings.yaml")),
        ];
        let (rendered, count, _) = render(files);
        assert!(count > 0, "case `{name}` was accepted");
        insta::assert_snapshot!(format!("product__{name}"), rendered);
    }
}

#[test]
fn an_action_without_a_product_folder_is_reported() {
    let (rendered, count, _) = render(vec![(
        "lonely/ListThings.yaml".into(),
        fixture("ListThings.yaml"),
    )]);
    assert_eq!(count, 1);
    assert!(rendered.contains("outside a product folder"), "{rendered}");
}

#[test]
fn provider_files_are_checked_and_inherited() {
    let provider = |text: &str| {
        (
            "tencentcloud/provider.yaml".to_owned(),
            text.as_bytes().to_vec(),
        )
    };
    let product = || {
        let text = String::from_utf8(fixture("product.yaml"))
            .unwrap()
            .replace("signing: tc3-hmac-sha256\n", "");
        (format!("{DIR}/product.yaml"), text.into_bytes())
    };
    let action = || (format!("{DIR}/ListThings.yaml"), fixture("ListThings.yaml"));
    // Signing and common errors come from the provider file.
    let ok = codegen::load_files(vec![
        provider("provider: tencentcloud\nsigning:\n  tc3: tc3-hmac-sha256\nerrors:\n  - code: InternalError\n    description: 内部错误。\n"),
        product(),
        action(),
    ])
    .unwrap();
    assert_eq!(ok[0].errors.len(), 1);
    assert_eq!(ok[0].errors[0].code, "InternalError");
    // A provider file for another folder, with a code list whose variants collide.
    let (rendered, count, short) = render(vec![
        provider("provider: aliyun\nsigning:\n  tc3: tc3-hmac-sha256\nerrors:\n  - code: Invalid.Param\n  - code: InvalidParam\n"),
        product(),
        action(),
    ]);
    assert!(count >= 3, "{rendered}");
    assert!(short.contains("tencentcloud/provider.yaml:1:11"), "{short}");
    insta::assert_snapshot!("provider__misplaced_and_colliding", rendered);
}

/// Two wire names, one set of Rust names: `listThings` and `ListThings` would both be the
/// module `list_things` and `ListThingsRequest`. Reported at the second, with the first
/// as related, and a fix.
#[test]
fn actions_whose_rust_names_collide() {
    let lower = String::from_utf8(fixture("ListThings.yaml"))
        .unwrap()
        .replace("name: ListThings", "name: listThings");
    let (rendered, count, short) = render(vec![
        (format!("{DIR}/product.yaml"), fixture("product.yaml")),
        (format!("{DIR}/ListThings.yaml"), fixture("ListThings.yaml")),
        (format!("{DIR}/listThings.yaml"), lower.into_bytes()),
    ]);
    assert_eq!(count, 1, "{rendered}");
    assert!(
        short.starts_with(&format!("{DIR}/listThings.yaml:1:7: actions `ListThings` and `listThings` both become `list_things`")),
        "{short}"
    );
    insta::assert_snapshot!("action_names_collide", rendered);
}

/// A keyword (`Pub`, as iot names an action) and lowerCamel (`createInstance`, as
/// elasticsearch does) are wire names like any other: the Rust names are derived.
#[test]
fn keyword_and_lower_camel_action_names_are_accepted() {
    let named = |name: &str| {
        let text = String::from_utf8(fixture("ListThings.yaml"))
            .unwrap()
            .replace("name: ListThings", &format!("name: {name}"));
        (format!("{DIR}/{name}.yaml"), text.into_bytes())
    };
    let products = codegen::load_files(vec![
        (format!("{DIR}/product.yaml"), fixture("product.yaml")),
        named("Pub"),
        named("createInstance"),
        named("Type"),
    ])
    .unwrap_or_else(|d| panic!("{}", d.render()));
    let names: Vec<(&str, &str, &str, &str, &str)> = products[0]
        .actions
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.rust_mod.as_str(),
                a.names.request.as_str(),
                a.names.action.as_str(),
                a.names.builder.as_str(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Pub", "pub_", "PubRequest", "Pub", "PubRequestBuilder"),
            ("Type", "type_", "TypeRequest", "Type", "TypeRequestBuilder"),
            (
                "createInstance",
                "create_instance",
                "CreateInstanceRequest",
                "CreateInstance",
                "CreateInstanceRequestBuilder"
            ),
        ]
    );
}

/// A header may carry a structure as its JSON text (`style: json`, aliding's
/// `AccountContext`); without the style it is refused, saying how to send it.
#[test]
fn a_header_carries_a_structure_only_as_json_text() {
    let action = "name: ListThings\ndescription: 列出东西。\nhttp_method: GET\npath: /things\nparameters:\n  - name: AccountContext\n    type: Account\n    position: header\n    style: json\n    description: 调用者。\nresponse:\n  fields: []\ntypes:\n  - name: Account\n    fields:\n      - name: accountId\n        type: string\n";
    let files = vec![
        (format!("{DIR}/product.yaml"), roa_product()),
        (format!("{DIR}/ListThings.yaml"), action.as_bytes().to_vec()),
    ];
    let (rendered, count, _) = render(files.clone());
    assert_eq!(count, 0, "{rendered}");
    let flat = action.replace("    style: json\n", "");
    let files = vec![
        files[0].clone(),
        (format!("{DIR}/ListThings.yaml"), flat.into_bytes()),
    ];
    let (rendered, count, _) = render(files);
    assert_eq!(count, 1, "{rendered}");
    assert!(
        rendered.contains("the header parameter `AccountContext` must be a scalar")
            && rendered.contains(
                "a header may carry a structure, list or map as JSON text with `style: json`"
            ),
        "{rendered}"
    );
}
