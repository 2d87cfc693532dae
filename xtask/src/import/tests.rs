//! The importer on small inline metadata: mapping, the checker loop, never writing over
//! a file, and the drift report. No network.

use std::collections::BTreeSet;

use codegen::spec::{ActionSpec, ErrorSpec, FieldSpec, ParameterSpec, RangeSpec, Scalar, TypeSpec};

use super::existing::Existing;
use super::output::{Imported, Kept};
use super::plan::plan;
use super::tencent::{self, Api, Examples, Source};
use super::write::write_product;

const PROVIDER_YAML: &str = include_str!("../../../specs/tencentcloud/provider.yaml");

/// Two actions sharing `Filter`, `Thing` and `Tag`; a local `PageInfo`; prose with a
/// range, defaults and enums; a disabled member; a keyword, a builder method and a
/// snake_case collision among the names; a structure containing itself; an offline action.
const API: &str = r#"{
  "metadata": {"apiVersion": "2020-01-01", "api_brief": "测试产品。", "serviceNameCN": "测试", "serviceShortName": "demo"},
  "actions": {
    "ListThings": {"document": "列出东西。", "input": "ListThingsRequest", "output": "ListThingsResponse", "name": "列出", "status": "online"},
    "GetThing": {"document": "获取东西。", "input": "GetThingRequest", "output": "GetThingResponse", "name": "获取", "status": "deprecated"},
    "GoneAway": {"document": "已下线。", "input": "GetThingRequest", "output": "GetThingResponse", "name": "下线", "status": "offline"}
  },
  "objects": {
    "ListThingsRequest": {"document": "ListThings请求参数结构体", "type": "object", "members": [
      {"name": "Limit", "type": "int", "member": "int64", "required": false, "document": "限制数目。取值范围：1~50，默认值：10", "example": "20", "disabled": false},
      {"name": "Status", "type": "string", "member": "string", "document": "<p>状态</p><p>枚举值：</p><ul><li>Active： 启用</li><li>Stopped： 停用</li></ul>", "example": "Active"},
      {"name": "Type", "type": "string", "member": "string", "document": "类型。"},
      {"name": "Build", "type": "string", "member": "string", "document": "构建。"},
      {"name": "Flag", "type": "bool", "member": "bool", "document": "是否。默认取值：FALSE。"},
      {"name": "Size", "type": "int", "member": "uint64", "document": "大小。取值范围：1~100GB。"},
      {"name": "Filters", "type": "list", "member": "Filter", "document": "过滤条件。"},
      {"name": "Secret", "type": "string", "member": "string", "document": "内部参数。", "disabled": true}
    ]},
    "ListThingsResponse": {"document": "ListThings返回参数结构体", "type": "object", "members": [
      {"name": "Things", "type": "list", "member": "Thing", "document": "东西。", "example": "无"},
      {"name": "Page", "type": "object", "member": "PageInfo", "document": "分页。"},
      {"name": "RequestId", "type": "string", "member": "string", "document": "唯一请求 ID。"}
    ]},
    "GetThingRequest": {"document": "GetThing请求参数结构体", "type": "object", "members": [
      {"name": "Id", "type": "string", "member": "string", "required": true, "document": "ID。"},
      {"name": "Filters", "type": "list", "member": "Filter", "document": "过滤条件。"},
      {"name": "OldId", "type": "string", "member": "string", "document": "旧 ID。", "disabled": true}
    ]},
    "GetThingResponse": {"document": "GetThing返回参数结构体", "type": "object", "members": [
      {"name": "Thing", "type": "object", "member": "Thing", "document": "东西。"},
      {"name": "RequestId", "type": "string", "member": "string", "document": "唯一请求 ID。"}
    ]},
    "Filter": {"document": "过滤器。", "usage": "in", "members": [
      {"name": "Name", "type": "string", "member": "string", "required": true, "document": "名称。"},
      {"name": "Values", "type": "list", "member": "string", "required": true, "document": "值。"}
    ]},
    "Thing": {"document": "东西。", "usage": "out", "members": [
      {"name": "UserID", "type": "string", "member": "string", "document": "用户。"},
      {"name": "UserId", "type": "string", "member": "string", "document": "用户（新）。"},
      {"name": "CreatedAt", "type": "string", "member": "datetime_iso", "document": "创建时间。"},
      {"name": "Day", "type": "string", "member": "date", "document": "日期。"},
      {"name": "Ratio", "type": "float", "member": "float", "document": "比例。"},
      {"name": "Count", "type": "int", "member": "uint64", "document": "数量。"},
      {"name": "Data", "type": "binary", "member": "binary", "document": "数据。"},
      {"name": "Status", "type": "string", "member": "string", "document": "状态。取值：<li>Running：运行中</li><li>Stopped：已停止</li>"},
      {"name": "Tags", "type": "list", "member": "Tag", "document": "标签。"},
      {"name": "Parent", "type": "object", "member": "Thing", "document": "上级。"},
      {"name": "Hidden", "type": "string", "member": "string", "document": "隐藏。", "disabled": true}
    ]},
    "Tag": {"document": "标签。", "usage": "out", "members": [
      {"name": "Key", "type": "string", "member": "string", "document": "键。"},
      {"name": "Value", "type": "string", "member": "string", "document": "值。"}
    ]},
    "PageInfo": {"document": "分页。", "usage": "out", "members": [
      {"name": "Total", "type": "int", "member": "int64", "document": "总数。"}
    ]}
  },
  "version": "1.0"
}"#;

/// Examples: one that fits, one showing a member the model lacks, one showing a
/// disabled member (kept for it), one sending a disabled parameter.
const EXAMPLES: &str = r#"{
  "actions": {
    "ListThings": [
      {"title": "列出", "document": "列出全部。", "input": "POST / HTTP/1.1\nHost: demo.tencentcloudapi.com\n<公共请求参数>\n\n{\n    \"Limit\": 20\n}", "output": "{\n    \"Response\": {\n        \"Things\": [{\"UserId\": \"u-1\", \"Hidden\": \"h\"}],\n        \"RequestId\": \"r-1\"\n    }\n}"},
      {"title": "多余字段", "document": "", "input": "POST / HTTP/1.1\n\n{}", "output": "{\"Response\": {\"Nope\": 1, \"RequestId\": \"r\"}}"}
    ],
    "GetThing": [
      {"title": "旧参数", "document": "", "input": "POST / HTTP/1.1\n\n{\"Id\": \"t-1\", \"OldId\": \"o-1\"}", "output": "{\"Response\": {\"RequestId\": \"r\"}}"}
    ]
  }
}"#;

const ERRORCODES: &str = "# Copyright\n# License\n\n\n# 操作失败。\nFAILEDOPERATION = 'FailedOperation'\n\n# 东西不存在。\nRESOURCENOTFOUND_THING = 'ResourceNotFound.Thing'\n\n# 参数过大。\nINVALIDPARAMETER_VALUETOOLARGE = 'InvalidParameter.ValueTooLarge'\n\n# 参数值过大。\nINVALIDPARAMETERVALUE_TOOLARGE = 'InvalidParameterValue.TooLarge'\n";

fn fixture() -> (Api, Examples, Vec<ErrorSpec>) {
    (
        serde_json::from_str(API).unwrap(),
        serde_json::from_str(EXAMPLES).unwrap(),
        tencent::parse_errorcodes(ERRORCODES),
    )
}

fn provider_codes() -> BTreeSet<String> {
    ["FailedOperation".to_owned()].into()
}

fn map_with(kept: &Kept) -> Imported {
    let (api, examples, errors) = fixture();
    let src = Source {
        service: "demo",
        api: &api,
        examples: &examples,
        errors: &errors,
        origin: "a test fixture",
    };
    tencent::map(&src, kept).unwrap()
}

fn action<'a>(i: &'a Imported, name: &str) -> &'a ActionSpec {
    &i.actions.iter().find(|a| a.name == name).unwrap().spec
}

/// A parameter or a field.
trait Member {
    fn name(&self) -> &str;
}

impl Member for ParameterSpec {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Member for FieldSpec {
    fn name(&self) -> &str {
        &self.name
    }
}

fn member<'a, M: Member>(list: &'a [M], name: &str) -> &'a M {
    list.iter()
        .find(|m| m.name() == name)
        .unwrap_or_else(|| panic!("no member {name}"))
}

fn ty<'a>(list: &'a [TypeSpec], name: &str) -> Option<&'a TypeSpec> {
    list.iter().find(|t| t.name == name)
}

fn fields(t: &TypeSpec) -> &[FieldSpec] {
    match &t.fields {
        Some(f) => f,
        None => panic!("{} is an enum", t.name),
    }
}

fn range(r: &Option<RangeSpec>) -> Option<(i64, i64)> {
    r.as_ref().map(|r| (r.min.unwrap(), r.max.unwrap()))
}

fn text(s: &Option<Scalar>) -> Option<&str> {
    s.as_ref().map(|s| s.0.as_str())
}

#[test]
fn errorcodes_are_read_with_their_comments() {
    let codes = tencent::parse_errorcodes(ERRORCODES);
    let pairs: Vec<(&str, &str)> = codes
        .iter()
        .map(|e| (e.code.as_str(), e.description.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("FailedOperation", "操作失败。"),
            ("ResourceNotFound.Thing", "东西不存在。"),
            ("InvalidParameter.ValueTooLarge", "参数过大。"),
            ("InvalidParameterValue.TooLarge", "参数值过大。"),
        ]
    );
}

/// What some services' `api.json` holds: `null` for a string, `1` for `true`, and `\r`
/// in prose (which Rust refuses in doc comments).
#[test]
fn api_json_nulls_numeric_booleans_and_carriage_returns() {
    let api: Api = serde_json::from_str(
        r#"{"metadata": {"apiVersion": "2020-01-01", "api_brief": null, "serviceNameCN": null},
            "actions": {},
            "objects": {"R": {"document": "a\r\nb\rc", "members": [
              {"name": "Id", "type": "string", "member": "string", "required": 1, "document": null, "disabled": 0}
            ]}}}"#,
    )
    .unwrap();
    assert_eq!(api.metadata.api_brief, "");
    assert_eq!(api.objects["R"].document, "a\nb\nc");
    let m = &api.objects["R"].members[0];
    assert!(m.required && !m.disabled);
    assert_eq!(m.document, "");
}

/// A service whose folder is not its wire name (`autoscaling`, short name `as`): the host,
/// the signature's scope and the endpoint rule use the short name, as the SDK's `_service`.
#[test]
fn the_service_short_name_is_the_host_and_scope() {
    let (mut api, examples, errors) = fixture();
    api.metadata.service_short_name = "dm".to_owned();
    let src = Source {
        service: "demo",
        api: &api,
        examples: &examples,
        errors: &errors,
        origin: "a test fixture",
    };
    let p = tencent::map(&src, &Kept::default()).unwrap().product;
    assert_eq!(p.product, "demo");
    assert_eq!(p.endpoint, "dm.tencentcloudapi.com");
    assert_eq!(p.service, "dm");
    assert_eq!(
        p.endpoints.as_ref().map(|e| e.product_id.as_str()),
        Some("dm")
    );
}

#[test]
fn prose_becomes_structure_only_where_unambiguous() {
    let i = map_with(&Kept::default());
    let list = action(&i, "ListThings");
    let limit = member(&list.parameters, "Limit");
    assert_eq!(
        (limit.ty.as_str(), range(&limit.range), text(&limit.default)),
        ("integer", Some((1, 50)), Some("10"))
    );
    assert_eq!(text(&limit.example), Some("20"));
    // The prose stays in the description.
    assert_eq!(limit.description, "限制数目。取值范围：1~50，默认值：10");
    let flag = member(&list.parameters, "Flag");
    assert_eq!(
        (flag.ty.as_str(), text(&flag.default)),
        ("boolean", Some("false"))
    );
    // `1~100GB` has a unit: no range.
    let size = member(&list.parameters, "Size");
    assert_eq!((size.ty.as_str(), range(&size.range)), ("uint64", None));
    // The two `Status` members list different values: each enum is named after its owner.
    let status = member(&list.parameters, "Status");
    assert_eq!(status.ty, "ListThingsRequestStatus");
    let local = ty(&list.types, "ListThingsRequestStatus").unwrap();
    assert!(
        matches!(&local.values, Some(v) if v.iter().map(|v| v.value.0.as_str()).eq(["Active", "Stopped"]))
    );
    let thing = ty(&i.product.types, "Thing").unwrap();
    assert_eq!(member(fields(thing), "Status").ty, "ThingStatus");
    assert!(ty(&i.product.types, "ThingStatus").is_some());
    // A member without a marker and list stays a string.
    assert_eq!(member(&list.parameters, "Type").ty, "string");
}

#[test]
fn types_scalars_and_names() {
    let i = map_with(&Kept::default());
    let list = action(&i, "ListThings");
    // Used by both actions: shared; used by one: local.
    let shared: Vec<&str> = i.product.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(shared, ["Filter", "Tag", "Thing", "ThingStatus"]);
    let local: Vec<&str> = list.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(local, ["ListThingsRequestStatus", "PageInfo"]);
    assert!(action(&i, "GetThing").types.is_empty());
    // Lists are `Name.N` on the wire, as the documents write them.
    let filters = member(&list.parameters, "Filters");
    assert_eq!(
        (filters.ty.as_str(), filters.wire_name.as_deref()),
        ("list<Filter>", Some("Filters.N"))
    );
    let thing = fields(ty(&i.product.types, "Thing").unwrap());
    let tys: Vec<(&str, &str)> = thing
        .iter()
        .map(|m| (m.name.as_str(), m.ty.as_str()))
        .collect();
    assert_eq!(
        tys,
        [
            ("UserID", "string"),
            ("UserId", "string"),
            ("CreatedAt", "datetime"),
            ("Day", "string"),
            ("Ratio", "double"),
            ("Count", "uint64"),
            ("Data", "binary"),
            ("Status", "ThingStatus"),
            ("Tags", "list<Tag>"),
            // A structure containing itself: kept as JSON, said in the description.
            ("Parent", "json"),
            // Disabled: kept, deprecated.
            ("Hidden", "string"),
        ]
    );
    assert!(member(thing, "Parent").description.contains("kept as JSON"));
    assert!(member(thing, "Hidden").deprecated);
    assert!(!member(thing, "UserId").deprecated);
    // `user_id` is taken by `UserID`: `UserId` gets a Rust name of its own.
    assert_eq!(member(thing, "UserID").rust_name, None);
    assert_eq!(member(thing, "UserId").rust_name.as_deref(), Some("userid"));
    // A keyword and a builder method are renamed.
    assert_eq!(
        member(&list.parameters, "Type").rust_name.as_deref(),
        Some("type_")
    );
    assert_eq!(
        member(&list.parameters, "Build").rust_name.as_deref(),
        Some("build_value")
    );
    // The builder's private `check` is taken too (a `Check` parameter of Alibaba's MSE).
    let mut taken: BTreeSet<String> = tencent::BUILDER_METHODS
        .iter()
        .map(|m| (*m).to_owned())
        .collect();
    assert_eq!(
        tencent::rust_member_name("Check", &mut taken).as_deref(),
        Some("check_value")
    );
    // `无` is the metadata's "no example".
    assert_eq!(member(&list.response.fields, "Things").example, None);
}

#[test]
fn disabled_offline_deprecated_and_errors() {
    let kept = Kept {
        provider_errors: provider_codes(),
        ..Kept::default()
    };
    let i = map_with(&kept);
    let names: Vec<&str> = i.actions.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["GetThing", "ListThings"]);
    assert!(i.notes.iter().any(|n| n.contains("GoneAway: skipped")));
    let list = action(&i, "ListThings");
    // Disabled parameters are kept (the SDK still sends them), deprecated, never required.
    let secret = member(&list.parameters, "Secret");
    assert!(secret.deprecated && !secret.required);
    let get = action(&i, "GetThing");
    assert!(member(&get.parameters, "OldId").deprecated);
    assert!(i
        .notes
        .iter()
        .any(|n| n.contains("OldId: disabled in the metadata, kept as deprecated")));
    assert!(get.description.contains("deprecated"));
    // The provider's code is not repeated; of two codes that make one Rust variant, the
    // second gets a numbered `rust_name` (and the checker accepts it: see
    // `the_checker_accepts_the_import_and_rejected_examples_are_dropped_with_the_reason`).
    let codes: Vec<(&str, Option<&str>)> = i
        .product
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.rust_name.as_deref()))
        .collect();
    assert_eq!(
        codes,
        [
            ("ResourceNotFound.Thing", None),
            ("InvalidParameter.ValueTooLarge", None),
            (
                "InvalidParameterValue.TooLarge",
                Some("InvalidParameterValueTooLarge2")
            )
        ]
    );
    assert!(i.notes.iter().any(|n| n.contains(
        "InvalidParameterValue.TooLarge: its variant `InvalidParameterValueTooLarge` is taken"
    )));
    assert!(i
        .product
        .to_yaml()
        .contains("rust_name: InvalidParameterValueTooLarge2"));
    assert_eq!(i.product.title, "测试");
    assert_eq!(i.product.endpoint, "demo.tencentcloudapi.com");
}

fn provider_files() -> Vec<(String, Vec<u8>)> {
    vec![(
        "tencentcloud/provider.yaml".to_owned(),
        PROVIDER_YAML.as_bytes().to_vec(),
    )]
}

#[test]
fn the_checker_accepts_the_import_and_rejected_examples_are_dropped_with_the_reason() {
    let existing =
        Existing::from_files(provider_files(), None, "tencentcloud/demo/2020-01-01").unwrap();
    let imported = map_with(&existing.kept);
    let p = plan(&existing, "tencentcloud/demo/2020-01-01", imported).unwrap();
    assert!(!p.product_kept);
    assert_eq!(p.written_actions, ["GetThing", "ListThings"]);
    // The example with an unknown member (the one sending a disabled parameter fits).
    assert_eq!(p.dropped_examples, 1);
    let text = |name: &str| {
        p.files
            .iter()
            .find(|(n, _)| n.ends_with(name))
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    let list = text("/ListThings.yaml");
    assert!(
        list.starts_with("# Imported from a test fixture.\n"),
        "{list}"
    );
    assert!(list.contains("# Example 2 (多余字段) left out: the response example does not fit the model at `Response.Nope`"), "{list}");
    assert!(list.contains("title: 列出 — 列出全部。"), "{list}");
    let get = text("/GetThing.yaml");
    assert!(get.contains("  - name: OldId\n"), "{get}");
    assert!(get.contains("    deprecated: true\n"), "{get}");
    assert!(get.contains("title: 旧参数"), "{get}");
    let product = text("/product.yaml");
    assert!(product.contains("default_feature: false\n"), "{product}");
    assert!(product.contains("version: '2020-01-01'\n"), "{product}");
    // The whole tree generates.
    let files: Vec<(String, Vec<u8>)> = provider_files()
        .into_iter()
        .chain(
            p.files
                .iter()
                .map(|(n, t)| (n.clone(), t.clone().into_bytes())),
        )
        .collect();
    let products = codegen::load_files(files).unwrap();
    assert_eq!(products[0].actions.len(), 2);
}

/// `import --all`'s lenient plan leaves out an action the checker rejects, with the
/// reason; the single import's plan fails and writes nothing.
#[test]
fn a_lenient_plan_leaves_out_a_rejected_action() {
    let existing =
        Existing::from_files(provider_files(), None, "tencentcloud/demo/2020-01-01").unwrap();
    let broken = || {
        let mut i = map_with(&existing.kept);
        let get = i.actions.iter_mut().find(|a| a.name == "GetThing").unwrap();
        get.parameters[0].ty = "no_such_type".into();
        i
    };
    let err = plan(&existing, "tencentcloud/demo/2020-01-01", broken()).unwrap_err();
    assert!(err.contains("nothing was written"), "{err}");
    let p =
        super::plan::plan_with(&existing, "tencentcloud/demo/2020-01-01", broken(), true).unwrap();
    assert_eq!(p.written_actions, ["ListThings"]);
    assert_eq!(p.dropped_actions.len(), 1);
    assert_eq!(p.dropped_actions[0].0, "GetThing");
    assert!(
        p.dropped_actions[0].1.contains("no_such_type"),
        "{:?}",
        p.dropped_actions
    );
}

#[test]
fn hand_written_files_are_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path();
    let product_dir = specs.join("tencentcloud/demo/2020-01-01");
    std::fs::create_dir_all(&product_dir).unwrap();
    let product = "# hand-written\nprovider: tencentcloud\nproduct: demo\ntitle: 手写\nversion: \"2020-01-01\"\nprotocol: tc3\nendpoint: demo.tencentcloudapi.com\nservice: demo\n";
    let list = "# hand-written\nname: ListThings\ndescription: 手写。\nresponse:\n  fields:\n    - name: RequestId\n      type: string\ntypes:\n  - name: Tag\n    fields:\n      - name: Key\n        type: string\n";
    std::fs::write(product_dir.join("product.yaml"), product).unwrap();
    std::fs::write(product_dir.join("ListThings.yaml"), list).unwrap();
    let provider = specs.join("tencentcloud/provider.yaml");
    std::fs::write(&provider, PROVIDER_YAML).unwrap();

    let read = || {
        Existing::read(
            specs,
            "tencentcloud/demo/2020-01-01",
            &provider,
            "tencentcloud",
        )
        .unwrap()
    };
    let existing = read();
    assert!(existing.kept.product_types.is_some());
    assert!(existing.kept.actions.contains("ListThings"));
    let summary = write(specs, &existing);
    assert!(
        summary.contains("1 actions written, 1 kept (ListThings)"),
        "{summary}"
    );
    assert!(summary.contains("product.yaml kept"), "{summary}");
    assert_eq!(
        std::fs::read_to_string(product_dir.join("product.yaml")).unwrap(),
        product
    );
    assert_eq!(
        std::fs::read_to_string(product_dir.join("ListThings.yaml")).unwrap(),
        list
    );
    // With product.yaml kept, the types GetThing uses are its own.
    let get = std::fs::read_to_string(product_dir.join("GetThing.yaml")).unwrap();
    for t in ["Filter", "Thing", "Tag", "ThingStatus"] {
        assert!(get.contains(&format!("  - name: {t}\n")), "{t} in\n{get}");
    }

    // A hand edit of the imported file survives the next import.
    let edited = get.replace(
        "description: 获取东西。",
        "description: 获取东西（已校对）。",
    );
    std::fs::write(product_dir.join("GetThing.yaml"), &edited).unwrap();
    let existing = read();
    let summary = write(specs, &existing);
    assert!(summary.contains("0 actions written, 2 kept"), "{summary}");
    assert_eq!(
        std::fs::read_to_string(product_dir.join("GetThing.yaml")).unwrap(),
        edited
    );
    let files: Vec<String> = std::fs::read_dir(&product_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
}

/// The real hand-written ListUsers against a small copy of its metadata, changed in a
/// few places: every kind of drift is reported, and `UserInfo.IsSelected` (integer in
/// the spec, bool in the metadata) among them.
#[test]
fn drift_report_flags_is_selected_and_each_kind_of_difference() {
    let rel = "tencentcloud/organization/2021-03-31";
    let files = vec![
        (
            "tencentcloud/provider.yaml".to_owned(),
            PROVIDER_YAML.as_bytes().to_vec(),
        ),
        (
            format!("{rel}/product.yaml"),
            // The real product.yaml without its own error codes: the fixture's
            // errorcodes.py below lists two.
            include_str!("../../../specs/tencentcloud/organization/2021-03-31/product.yaml")
                .split("\nerrors:")
                .next()
                .unwrap()
                .as_bytes()
                .to_vec(),
        ),
        (
            format!("{rel}/ListUsers.yaml"),
            include_bytes!("../../../specs/tencentcloud/organization/2021-03-31/ListUsers.yaml")
                .to_vec(),
        ),
    ];
    let existing = Existing::from_files(files, None, rel).unwrap();
    let str_member = |name: &str, doc: &str| {
        format!(
            r#"{{"name": "{name}", "type": "string", "member": "string", "document": "{doc}"}}"#
        )
    };
    let user_info: Vec<String> = [
        "UserName",
        "FirstName",
        "LastName",
        "DisplayName",
        "Description",
        "Email",
        "UserStatus",
        "UserType",
        "UserId",
        "CreateTime",
        "UpdateTime",
    ]
    .iter()
    .map(|n| str_member(n, "x"))
    .chain([
        r#"{"name": "IsSelected", "type": "bool", "member": "bool", "document": "是否选中"}"#
            .to_owned(),
    ])
    .collect();
    let api = format!(
        r#"{{
  "metadata": {{"apiVersion": "2021-03-31", "serviceNameCN": "集团账号管理"}},
  "actions": {{"ListUsers": {{"document": "查询用户列表", "input": "ListUsersRequest", "output": "ListUsersResponse"}},
               "ListGroups": {{"document": "查询用户组列表", "input": "ListUsersRequest", "output": "ListUsersResponse"}}}},
  "objects": {{
    "ListUsersRequest": {{"members": [
      {{"name": "ZoneId", "type": "string", "member": "string", "required": false, "document": "空间 ID。"}},
      {{"name": "UserStatus", "type": "string", "member": "string", "document": "用户状态。取值：<li>Enabled：启用</li><li>Disabled：禁用</li><li>Locked：锁定</li>"}},
      {{"name": "UserType", "type": "string", "member": "string", "document": "用户类型。"}},
      {{"name": "Filter", "type": "string", "member": "string", "document": "过滤条件。"}},
      {{"name": "MaxResults", "type": "int", "member": "int64", "document": "每页的最大数据条数。"}},
      {{"name": "NextToken", "type": "string", "member": "string", "document": "令牌。"}},
      {{"name": "FilterGroups", "type": "list", "member": "string", "document": "用户组。"}},
      {{"name": "SortField", "type": "string", "member": "string", "document": "排序字段。"}},
      {{"name": "SortType", "type": "string", "member": "string", "document": "排序类型。"}},
      {{"name": "NewParam", "type": "int", "member": "uint64", "document": "新参数。"}}
    ]}},
    "ListUsersResponse": {{"members": [
      {{"name": "TotalCounts", "type": "int", "member": "int64", "document": "总数。"}},
      {{"name": "MaxResults", "type": "int", "member": "int64", "document": "每页。"}},
      {{"name": "Users", "type": "list", "member": "UserInfo", "document": "用户列表。"}},
      {{"name": "NextToken", "type": "string", "member": "string", "document": "令牌。"}},
      {{"name": "IsTruncated", "type": "bool", "member": "bool", "document": "是否截断。"}},
      {{"name": "RequestId", "type": "string", "member": "string", "document": "请求 ID。"}}
    ]}},
    "UserInfo": {{"members": [{}]}}
  }}
}}"#,
        user_info.join(",\n")
    );
    let api: Api = serde_json::from_str(&api).unwrap();
    let examples = Examples::default();
    let errors = tencent::parse_errorcodes("# CIC服务没有开通\nA = 'FailedOperation.IdentityCenterNotOpen'\n# 新的错误。\nB = 'FailedOperation.Brand.New'\n");
    let src = Source {
        service: "organization",
        api: &api,
        examples: &examples,
        errors: &errors,
        origin: "a test fixture",
    };
    let meta = tencent::map(
        &src,
        &Kept {
            provider_errors: existing.kept.provider_errors.clone(),
            ..Kept::default()
        },
    )
    .unwrap();
    let lines = existing.drift(&meta);
    // The hand-written UserType enum against a metadata without values, and the
    // members that agree, are not drift.
    assert_eq!(
        lines,
        [
            "ListUsers: parameter ZoneId: required differs (spec true, metadata false)",
            "ListUsers: parameter UserStatus: enum values differ (spec [\"Enabled\", \"Disabled\"], metadata [\"Enabled\", \"Disabled\", \"Locked\"])",
            "ListUsers: parameter NewParam: missing in spec (metadata: uint64)",
            "ListUsers: parameter Offset: extra in spec (not in the metadata)",
            "ListUsers: UserInfo.IsSelected: type differs (spec integer, metadata boolean)",
            "errors: 1 codes of errorcodes.py are missing in spec: FailedOperation.Brand.New",
            "errors: FailedOperation.ZoneIdNotExist: extra in spec (errorcodes.py does not list it)",
            "errors: InvalidParameter.NextTokenInvalid: extra in spec (errorcodes.py does not list it)",
            "errors: InvalidParameter.ParamError: extra in spec (errorcodes.py does not list it)",
            "actions: 1 actions of the metadata have no spec file: ListGroups",
        ]
    );
}

/// `write_product` as the single import runs it, returning its summary.
fn write(specs: &std::path::Path, existing: &Existing) -> String {
    let mut done = super::output::Done::default();
    write_product(
        specs,
        "tencentcloud/demo/2020-01-01",
        existing,
        map_with(&existing.kept),
        false,
        &mut done,
    )
    .unwrap();
    done.summary
}

#[test]
fn command_line() {
    let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let a = super::Args::parse(&args(
        "tencentcloud cvm --version 2017-03-12 --out /tmp/x --diff",
    ))
    .unwrap();
    assert_eq!(
        a,
        super::Args {
            provider: "tencentcloud".into(),
            product: "cvm".into(),
            version: Some("2017-03-12".into()),
            out: Some("/tmp/x".into()),
            diff: true,
            all: false,
            sample: false,
            only: vec![],
            refresh_list: false,
            names: None,
        }
    );
    let a = super::Args::parse(&args("--all aliyun --out /tmp/y")).unwrap();
    assert!(a.all && a.provider == "aliyun" && a.product.is_empty() && !a.sample);
    let a = super::Args::parse(&args("--all aliyun --sample --out /tmp/y")).unwrap();
    assert!(a.all && a.sample);
    let a = super::Args::parse(&args("--all aliyun --out /tmp/y --only sts,cloudcontrol")).unwrap();
    assert_eq!(a.only, ["sts", "cloudcontrol"]);
    let a = super::Args::parse(&args("aliyun cloudcontrol --out /tmp/y")).unwrap();
    assert!(a.version.is_none() && a.product == "cloudcontrol");
    let a = super::Args::parse(&args("--refresh-list aliyun --names /tmp/pypi.tsv")).unwrap();
    assert!(a.refresh_list && a.product.is_empty());
    assert_eq!(
        a.names.as_deref(),
        Some(std::path::Path::new("/tmp/pypi.tsv"))
    );
    assert!(super::Args::parse(&args("--refresh-list aliyun")).is_err());
    assert!(super::Args::parse(&args("--refresh-list aliyun ecs --names /x")).is_err());
    assert!(super::Args::parse(&args("--refresh-list --all aliyun --names /x --out /y")).is_err());
    assert!(super::Args::parse(&args("aliyun ecs --sample")).is_err());
    assert!(super::Args::parse(&args("aliyun ecs --only ecs")).is_err());
    assert!(super::Args::parse(&args("--all aliyun")).is_err());
    assert!(super::Args::parse(&args("--all aliyun ecs --out /tmp/y")).is_err());
    assert!(super::Args::parse(&args("tencentcloud")).is_err());
    assert!(super::Args::parse(&args("tencentcloud cvm --bogus")).is_err());
    assert!(super::Args::parse(&args("tencentcloud cvm --version")).is_err());
}

#[test]
fn passwords_secret_keys_and_tokens_are_marked_secret_ids_and_other_tokens_not() {
    use super::output::looks_secret;
    for name in [
        "Password",
        "DBPassword",
        "CredentialSecret",
        "accessKeySecret",
        "odpsAccessSecret",
        "SecretKey",
        "private_key",
        "SecurityToken",
        "AccessToken",
    ] {
        assert!(looks_secret(name, "string"), "{name}");
    }
    for (name, ty) in [
        ("SecretId", "string"),
        ("NextToken", "string"),
        ("ClientToken", "string"),
        ("NeedResetPassword", "boolean"),
        ("PasswordPolicy", "PasswordPolicy"),
        ("Passwords", "list<string>"),
        ("UserName", "string"),
    ] {
        assert!(!looks_secret(name, ty), "{name}: {ty}");
    }
}
