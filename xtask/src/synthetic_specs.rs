//! `cargo xtask synth N DIR`: N realistic synthetic actions spread over many products,
//! for benchmarks. Each action has parameters with ranges, defaults, enums and an indexed
//! list, cross-field rules, page-number pagination, a nested response tree (a page
//! structure, items with a nested list of sub-items, enums) and error codes with
//! templates. Half the products are Alibaba-style RPC, half Tencent-style TC3.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Actions per synthetic product version.
pub const ACTIONS_PER_PRODUCT: usize = 50;

/// `cargo xtask synth N DIR`.
#[derive(Debug, clap::Args)]
#[command(about = "Write N synthetic actions (specs) into DIR, outside specs/")]
pub struct Args {
    /// How many actions (50 per product version).
    pub n: usize,
    /// Where to write them (cleared first; not under specs/).
    pub dir: PathBuf,
}

/// Writes the corpus `args` asks for, refusing a folder under `specs/`.
pub fn run(args: &Args) -> Result<(), String> {
    let dir = args.dir.as_path();
    if dir.components().any(|c| c.as_os_str() == "specs") {
        return Err("synth: write synthetic specs outside specs/".into());
    }
    let (products, actions) = synth(args.n, dir)?;
    println!(
        "synth: {actions} actions in {products} product versions under {}",
        dir.display()
    );
    Ok(())
}

pub fn synth(n: usize, dir: &Path) -> Result<(usize, usize), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    let products = n.div_ceil(ACTIONS_PER_PRODUCT);
    let mut written = 0;
    for p in 0..products {
        let rpc = p % 2 == 0;
        let (provider, protocol, signing, endpoint) = if rpc {
            (
                "aliyun",
                "rpc",
                "hmac-sha1",
                format!("prod{p:04}.cn-shanghai.aliyuncs.com"),
            )
        } else {
            (
                "tencentcloud",
                "tc3",
                "tc3-hmac-sha256",
                format!("prod{p:04}.tencentcloudapi.com"),
            )
        };
        let product = format!("prod{p:04}");
        let folder = dir.join(provider).join(&product).join("2024-01-01");
        std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
        let product_yaml = format!(
            "provider: {provider}\nproduct: {product}\ntitle: 合成产品 {p}\nversion: \"2024-01-01\"\ndescription: 基准测试用的合成产品。\n\
             protocol: {protocol}\nsigning: {signing}\nendpoint: {endpoint}\nservice: {product}\n\
             errors:\n  - code: Throttling\n    http_status: 400\n    message: Request was denied due to request throttling.\n    description: 请求被流控。\n    retryable: true\n\
             \x20 - code: InternalError\n    http_status: 500\n    message: The request processing has failed due to some unknown error.\n    description: 内部错误。\n    retryable: true\n"
        );
        std::fs::write(folder.join("product.yaml"), product_yaml).map_err(|e| e.to_string())?;
        for a in 0..ACTIONS_PER_PRODUCT.min(n - written) {
            let name = format!("DescribeResource{a:03}");
            std::fs::write(folder.join(format!("{name}.yaml")), action_yaml(&name, a))
                .map_err(|e| e.to_string())?;
            written += 1;
        }
    }
    Ok((products, written))
}

fn action_yaml(name: &str, a: usize) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "name: {name}\ndescription: 查询资源列表（合成接口 {a}）。\nrate_limit:\n  requests_per_second: {rps}\n\
         parameters:\n\
         \x20 - name: RegionId\n    type: string\n    required: true\n    example: cn-shanghai\n    description: 地域 ID。\n\
         \x20 - name: PageNumber\n    type: integer\n    required: true\n    range: {{ min: 1, max: 100 }}\n    default: 1\n    example: 1\n    description: 分页序号，范围1-100。\n\
         \x20 - name: PageSize\n    type: integer\n    required: true\n    range: {{ min: 1, max: 100 }}\n    default: 10\n    example: 10\n    description: 分页大小，范围1-100。\n\
         \x20 - name: Status\n    type: ResourceStatus\n    example: Running\n    description: 资源状态。\n\
         \x20 - name: ResourceIds\n    wire_name: ResourceIds.N\n    type: list<string>\n    example: '[\"r-1\"]'\n    description: 资源 ID 列表。\n\
         \x20 - name: Keyword\n    type: string\n    example: test\n    description: 关键字。\n\
         \x20 - name: SortOrder\n    type: SortOrder\n    example: Asc\n    description: 排序方式，需要与 Keyword 一起设置。\n\
         \x20 - name: DryRun\n    type: boolean\n    example: false\n    description: 只检查请求。\n\
         rules:\n  - requires: {{ parameter: SortOrder, requires: Keyword }}\n  - conflicts: {{ parameters: [ResourceIds, Keyword] }}\n\
         pagination:\n  page_number: {{ page: PageNumber, size: PageSize, total: Data.TotalCount, items: Data.Items }}\n\
         response:\n  fields:\n\
         \x20   - name: RequestId\n      type: string\n      description: 请求 ID。\n\
         \x20   - name: Code\n      type: string\n      example: OK\n      description: 响应码。\n\
         \x20   - name: Data\n      type: ResourcePage\n      description: 数据。\n\
         types:\n\
         \x20 - name: ResourcePage\n    description: 一页资源。\n    fields:\n\
         \x20     - name: TotalCount\n        type: integer\n        description: 总数。\n\
         \x20     - name: PageNumber\n        type: integer\n        description: 页码。\n\
         \x20     - name: PageSize\n        type: integer\n        description: 每页数量。\n\
         \x20     - name: Items\n        type: list<Resource>\n        description: 资源列表。\n\
         \x20 - name: Resource\n    description: 资源。\n    fields:\n",
        rps = 10 + a % 40
    );
    for (f, ty) in [
        ("ResourceId", "string"),
        ("Name", "string"),
        ("Description", "string"),
        ("Status", "ResourceStatus"),
        ("CreateTime", "string"),
        ("Size", "integer"),
        ("Active", "boolean"),
        ("Weight", "float"),
        ("Owner", "string"),
        ("Attachments", "list<Attachment>"),
        ("Labels", "list<string>"),
    ] {
        let _ = write!(
            s,
            "      - name: {f}\n        type: {ty}\n        description: 字段 {f}。\n"
        );
    }
    s.push_str("  - name: Attachment\n    description: 附件。\n    fields:\n");
    for (f, ty) in [
        ("AttachmentId", "string"),
        ("Kind", "string"),
        ("Bytes", "integer"),
        ("Url", "string"),
    ] {
        let _ = write!(
            s,
            "      - name: {f}\n        type: {ty}\n        description: 字段 {f}。\n"
        );
    }
    s.push_str(
        "  - name: ResourceStatus\n    description: 资源状态。\n    enum:\n      - value: Running\n        description: 运行中\n      - value: Stopped\n        description: 已停止\n      - value: Pending\n        description: 创建中\n\
         \x20 - name: SortOrder\n    description: 排序方式。\n    enum:\n      - value: Asc\n        description: 正序\n      - value: Desc\n        description: 倒序\n\
         errors:\n\
         \x20 - code: Parameter.Maximum\n    http_status: 400\n    message: The parameter %s must be less than or equal to %s.\n    description: 参数过大。\n    violation: maximum\n\
         \x20 - code: Parameter.Minimum\n    http_status: 400\n    message: The parameter %s must be greater than or equal to %s.\n    description: 参数过小。\n    violation: minimum\n\
         \x20 - code: ResourceNotFound\n    http_status: 404\n    message: The resource %s does not exist.\n    description: 资源不存在。\n",
    );
    s
}
