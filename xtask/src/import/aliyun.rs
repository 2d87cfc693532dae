//! Alibaba Cloud: the official Python SDK package `alibabacloud-<product><yyyymmdd>`,
//! read as text (never imported): `client.py` gives each action's style, method, path
//! and where each parameter goes; `models/*.py` (or `models.py`) give the request and
//! response structures, their wire names (`to_map`) and descriptions (the comments above
//! each attribute).
//!
//! Types: `str` → `string`, `int` → `integer`, `bool` → `boolean`, `float` → `double`,
//! `Any` → `json`, `BinaryIO` → `binary`, `List[T]` → `list<T>`, `Dict[str, T]` →
//! `map<T>`, a model class → a named structure local to the action (the checker merges
//! identical ones). A key with dots (`result['Area.en']`) is a field marked `dotted`.
//!
//! Answers that are not a JSON object of fields (`body_type` and the type of
//! `<Action>Response.body`): a JSON array or any JSON value is `response.body: value`, text
//! `text`, bytes (`binary`, `byte`) `binary`, each one field `Body` of the body's type. A
//! request body of protocol buffers (`req_body_type = 'protobuf'`) is `body: protobuf`, of
//! bytes (`byte`, or a `BinaryIO` body) `body: binary`: the one body parameter, `binary`.

use std::collections::{BTreeMap, BTreeSet};

use codegen::names::{camel, lower_camel, RESERVED_TYPE_NAMES};

use codegen::spec::{
    ActionSpec, BodyFormat, CommonParameter, EndpointsSpec, FieldSpec, HttpMethod, ParamStyle,
    ParameterSpec, Position, ProductSpec, Protocol, RangeSpec, ResponseBody, ResponseSpec, Scalar,
    TypeSpec,
};

use super::output::{word, Imported, Kept, SpecFile};
use super::tencent::{claim_type_name, rust_member_name};

/// A type hint of a model attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum PyTy {
    Str,
    Int,
    Bool,
    Float,
    Any,
    List(Box<PyTy>),
    Dict(Box<PyTy>),
    Class(String),
    /// `BinaryIO`: bytes (a stream in the SDK).
    Bytes,
    /// A hint the importer cannot map (`web_socket_utils_models.WebSocketClient`): an
    /// action that reaches it is not imported.
    Unsupported(String),
}

/// One attribute of a model class.
#[derive(Debug, Clone, PartialEq)]
pub struct PyField {
    pub attr: String,
    pub ty: PyTy,
    /// The key `to_map` writes it under.
    pub wire: Option<String>,
    /// The comment above `self.attr = attr`, without the `# `.
    pub comment: Vec<String>,
}

/// A model class.
#[derive(Debug, Clone, PartialEq)]
pub struct PyClass {
    pub name: String,
    pub fields: Vec<PyField>,
}

/// A type hint: `str`, `List[main_models.X]`, `Dict[str, Any]`, ….
pub fn parse_ty(hint: &str) -> Result<PyTy, String> {
    let h = hint.trim();
    let inner = |p: &str| h.strip_prefix(p).and_then(|r| r.strip_suffix(']'));
    Ok(match h {
        "str" => PyTy::Str,
        "int" => PyTy::Int,
        "bool" => PyTy::Bool,
        "float" => PyTy::Float,
        "Any" | "dict" | "object" => PyTy::Any,
        // A few models type a text parameter as `bytes` (`region_id: bytes`); the SDK
        // sends it as text.
        "bytes" => PyTy::Str,
        "BinaryIO" => PyTy::Bytes,
        _ => {
            if let Some(i) = inner("List[") {
                PyTy::List(Box::new(parse_ty(i)?))
            } else if let Some(i) = inner("Dict[") {
                let v = i
                    .strip_prefix("str,")
                    .ok_or_else(|| format!("type hint `{h}`: only `Dict[str, T]` is mapped"))?;
                PyTy::Dict(Box::new(parse_ty(v)?))
            } else {
                // A forward reference is quoted: `List['PhysicalSpaceDto']` inside the class
                // `PhysicalSpaceDto` (cmn 2020-08-25's tree of spaces).
                let unquoted = h
                    .strip_prefix('\'')
                    .and_then(|r| r.strip_suffix('\''))
                    .unwrap_or(h);
                let name = model_class(unquoted);
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    PyTy::Class(name.to_owned())
                } else {
                    return Err(format!("unknown type hint `{h}`"));
                }
            }
        }
    })
}

/// `'key'` at the start of `s` (`'project'] = project`).
fn quoted_prefix(s: &str) -> Option<&str> {
    let q = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let rest = &s[1..];
    rest.find(q).map(|i| &rest[..i])
}

/// A model class's name without the package's alias: `main_models.X` (newer packages),
/// `iot_20180120_models.X` (older ones).
fn model_class(hint: &str) -> &str {
    match hint.rsplit_once('.') {
        Some((module, name)) if module.ends_with("models") && !module.contains('.') => name,
        _ => hint,
    }
}

fn quoted(s: &str) -> Option<&str> {
    let s = s.trim();
    s.strip_prefix('\'')
        .and_then(|r| r.split_once('\''))
        .map(|(v, _)| v)
        .or_else(|| {
            s.strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .map(|(v, _)| v)
        })
}

/// The text inside `['…']` after `prefix` in `line`.
fn key_after<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let i = line.find(prefix)?;
    quoted(&line[i + prefix.len()..])
}

/// The identifier after `prefix` in `line` (`self.instance_id` → `instance_id`).
fn ident_after<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let i = line.find(prefix)?;
    let rest = &line[i + prefix.len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Every model class of a models file (`class X(DaraModel):` or `(TeaModel)`).
pub fn parse_models(text: &str) -> Result<Vec<PyClass>, String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(rest) = lines[i].strip_prefix("class ") else {
            i += 1;
            continue;
        };
        let name = rest
            .split(['(', ':'])
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && !lines[end].starts_with("class ") {
            end += 1;
        }
        out.push(parse_class(&name, &lines[start..end])?);
        i = end;
    }
    Ok(out)
}

fn parse_class(name: &str, body: &[&str]) -> Result<PyClass, String> {
    let method = |m: &str| -> &[&str] {
        let head = format!("    def {m}(");
        let Some(s) = body.iter().position(|l| l.starts_with(&head)) else {
            return &[];
        };
        let e = body[s + 1..]
            .iter()
            .position(|l| l.starts_with("    def "))
            .map_or(body.len(), |p| s + 1 + p);
        &body[s..e]
    };
    let init = method("__init__");
    let mut fields: Vec<PyField> = Vec::new();
    // The oldest models give the signature without hints, on the `def` line and the next,
    // and type each attribute in a comment: `self.page_size = page_size  # type: str`.
    let mut in_sig = init.first().is_some_and(|l| l.trim_end().ends_with('('));
    if !in_sig {
        for l in init {
            let Some((lhs, hint)) = l.trim().split_once("# type:") else {
                continue;
            };
            if let Some((attr, _)) = lhs
                .trim()
                .strip_prefix("self.")
                .and_then(|r| r.split_once(" = "))
            {
                fields.push(PyField {
                    attr: attr.trim().to_owned(),
                    ty: parse_ty(hint).unwrap_or_else(PyTy::Unsupported),
                    wire: None,
                    comment: Vec::new(),
                });
            }
        }
    }
    let mut comment: Vec<String> = Vec::new();
    for l in init.iter().skip(1) {
        let t = l.trim();
        if in_sig {
            if t.starts_with("):") {
                in_sig = false;
            } else if let Some((attr, rest)) = t.split_once(':') {
                let attr = attr.trim();
                if attr == "self" {
                    continue;
                }
                let hint = rest.rsplit_once('=').map_or(rest, |(h, _)| h);
                let hint = hint.trim().trim_end_matches(',');
                let ty = parse_ty(hint).unwrap_or_else(PyTy::Unsupported);
                fields.push(PyField {
                    attr: attr.to_owned(),
                    ty,
                    wire: None,
                    comment: Vec::new(),
                });
            }
            continue;
        }
        if let Some(c) = t.strip_prefix('#') {
            comment.push(c.strip_prefix(' ').unwrap_or(c).trim_end().to_owned());
        } else if let Some(attr) = t.strip_prefix("self.").and_then(|r| r.split_once(" = ")) {
            if let Some(f) = fields.iter_mut().find(|f| f.attr == attr.0) {
                f.comment = std::mem::take(&mut comment);
            }
            comment.clear();
        } else {
            comment.clear();
        }
    }
    // Wire names: `result['Key'] = self.attr…`, or `result['Key'] = []` then `self.attr`.
    let mut pending: Option<String> = None;
    for l in method("to_map") {
        let key = key_after(l, "result[");
        let attr = ident_after(l, "self.");
        match (key, attr) {
            (Some(k), Some(a)) => {
                set_wire(&mut fields, a, k);
                pending = None;
            }
            (Some(k), None) => {
                let t = l.trim_end();
                if t.ends_with("= []") || t.ends_with("= {}") {
                    pending = Some(k.to_owned());
                }
            }
            (None, Some(a)) => {
                if let Some(k) = pending.take() {
                    set_wire(&mut fields, a, &k);
                }
            }
            (None, None) => {}
        }
    }
    Ok(PyClass {
        name: name.to_owned(),
        fields,
    })
}

fn set_wire(fields: &mut [PyField], attr: &str, key: &str) {
    if let Some(f) = fields
        .iter_mut()
        .find(|f| f.attr == attr && f.wire.is_none())
    {
        f.wire = Some(key.to_owned());
    }
}

/// One `<snake>_with_options` function of `client.py`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PyOp {
    pub action: String,
    pub version: String,
    pub pathname: String,
    pub method: String,
    pub style: String,
    pub req_body_type: String,
    /// The request model class.
    pub request: Option<String>,
    /// Request attribute → (position, wire name).
    pub positions: BTreeMap<String, (String, String)>,
    /// Request attribute → `json` / `simple` (shrink parameters).
    pub shrink: BTreeMap<String, String>,
    /// Headers-model attribute → `json` / `simple`: `headers.account_context_shrink =
    /// Utils.array_to_string_with_specified_style(tmp_header.account_context, …, 'json')`.
    pub header_shrink: BTreeMap<String, String>,
    /// `query = Utils.query(request.to_map())`: every attribute is in the query.
    pub all_query: bool,
    /// `body=UtilClient.to_map(request)` (older SDKs): every attribute is in the form
    /// body.
    pub all_body: bool,
    /// ROA: the function's path arguments (`cluster_id`), in order.
    pub path_args: Vec<String>,
    /// The function's arguments that go into the host (`host_map['project'] = project`):
    /// `(host_map key, argument)`, in order. The SLS gateway sends the request to
    /// `<value>.<endpoint>`.
    pub host_args: Vec<(String, String)>,
    /// `body_type = '…'`: how the SDK reads the answer (`json`, `none`, `array`, `any`,
    /// `string`, `protobuf`).
    pub body_type: String,
    /// Headers the SDK takes from the action's `…Headers` model (`real_headers['X-Fc-Date']
    /// = UtilClient.to_jsonstring(headers.x_fc_date)`): `(wire name, attribute)`, in order.
    /// String ones are imported as header parameters; the others are named with a reason.
    pub model_headers: Vec<(String, String)>,
    /// The `headers` argument's model class (`CreateAliasHeaders`).
    pub headers_class: Option<String>,
    /// Why the action cannot be expressed in the spec format, if it cannot.
    pub unsupported: Option<String>,
    /// `body = Utils.to_array(request.<attr>)`, `body = request.<attr>` or
    /// `body = Utils.parse_to_map(request.<attr>)`: that attribute's value is the whole
    /// body (`body: value`; a string there is JSON text, imported as `json`).
    pub value_body: bool,
}

/// What `client.py` says (`_endpoint_rule`, `_endpoint_map`, `get_endpoint('<id>', …)`
/// and the operations).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedClient {
    /// The `_with_options` functions (the `_async` twins skipped).
    pub ops: Vec<PyOp>,
    /// The host every region of `_endpoint_map` maps to, when they all map to one and
    /// the rule is `regional`; else `<id>.aliyuncs.com` for the id the client passes to
    /// `get_endpoint`.
    pub endpoint: Option<String>,
    /// The region that one host names (`ccc.cn-shanghai.aliyuncs.com`), if it names one.
    pub default_region: Option<String>,
    /// The protocol of the gateway the client goes through, when the descriptor knows
    /// the gateway (`alibabacloud_gateway_sls` or `_pds` and `self._spi =
    /// gateway_client`): its requests are laid out and signed the gateway's way.
    pub gateway: Option<Protocol>,
    /// The `endpoints:` block: `_endpoint_rule` (`sls` through the SLS gateway, which
    /// ignores the map), the id `get_endpoint` is given, and `_endpoint_map`.
    pub endpoints: Option<super::output::EndpointsOut>,
}

/// Reads `client.py`: its operations, its endpoint and the region that endpoint names.
pub fn parse_client(text: &str) -> Result<ParsedClient, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut ops = Vec::new();
    let mut hosts = BTreeSet::new();
    // `(region, host)` in the map's order.
    let mut regional: Vec<(String, String)> = Vec::new();
    let mut in_map = false;
    // The gateway's package (`alibabacloud_gateway_oss`), if the client imports one.
    let mut gateway_package: Option<String> = None;
    let (mut central, mut endpoint_id) = (false, None);
    let mut rule: Option<String> = None;
    for l in &lines {
        let t = l.trim();
        if let Some(rest) = t.strip_prefix("from alibabacloud_gateway_") {
            if let Some((g, import)) = rest.split_once('.') {
                if import.starts_with("client import Client") {
                    gateway_package = Some(format!("alibabacloud_gateway_{g}"));
                }
            }
        }
        // `get_endpoint_rules` treats every rule but `regional` as `central` (some
        // clients say `''`).
        if let Some(r) = assigned(t, "self._endpoint_rule") {
            central = r != "regional";
            rule = Some(if central { "central" } else { "regional" }.to_owned());
        }
        if let Some(rest) = t.split_once("self.get_endpoint(").map(|(_, r)| r) {
            endpoint_id = quoted(rest.split(',').next().unwrap_or("")).map(str::to_owned);
        }
        if t.starts_with("self._endpoint_map = {") {
            in_map = true;
        } else if in_map {
            if t.starts_with('}') {
                in_map = false;
            } else if let Some((k, v)) = t.split_once(':') {
                // Some maps end a host with a tab (fc 2023-03-30's `ap-southeast-5`); the
                // SDK's HTTP stack drops it (Python's `urlsplit` removes tabs, CR and LF).
                if let Some(h) = quoted(v).map(|h| h.trim_matches(['\t', '\r', '\n'])) {
                    hosts.insert(h.to_owned());
                    if let Some(region) = quoted(k) {
                        regional.push((region.to_owned(), h.to_owned()));
                    }
                }
            }
        }
    }
    // A gateway the descriptor knows is its protocol's, when the client hands requests
    // to it (`self._spi = gateway_client`); any other leaves out what goes through it.
    let spi = text.contains("self._spi = gateway_client");
    let gateway = gateway_package
        .as_deref()
        .and_then(|g| {
            Protocol::ALL
                .into_iter()
                .find(|p| p.descriptor().gateway.is_some_and(|d| d.package == g))
        })
        .filter(|_| spi);
    let other_gateway = gateway_package.filter(|_| gateway.is_none());
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        // `get_logs_v2with_options`: the SDK generator drops the underscore after a digit.
        let is_op = t.starts_with("def ")
            && t.contains("with_options(")
            && !t.contains("with_options_async(");
        if !is_op {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < lines.len()
            && !lines[end].starts_with("    def ")
            && !lines[end].starts_with("    async def ")
        {
            end += 1;
        }
        // An action named `…WithOptions` has a convenience method `…_with_options(request)`
        // beside its `…_with_options_with_options(request, runtime)`: only functions
        // taking the runtime options are operations.
        if signature(&lines[i..end]).iter().any(|a| a == "runtime") {
            let mut op = parse_op(&lines[i..end])?;
            // `self.execute(…)` hands the request to the client's gateway, which signs
            // and routes it its own way (OSS's signature and XML, MNS's scheme): only
            // the gateways of the descriptor's protocols (SLS, PDS) are in the spec
            // format.
            let through_gateway = lines[i..end].iter().any(|l| l.contains("self.execute("));
            if let (Some(g), true) = (&other_gateway, through_gateway) {
                // `self._spi = gateway_client`, or through an attribute (OSS's
                // `self._spi = self._client`).
                if text.contains("self._spi = ") {
                    op.unsupported = Some(format!(
                        "it goes through the client's gateway (`{g}`), which signs and routes the request its own way; the spec format has no such protocol"
                    ));
                }
            }
            ops.push(op);
        }
        i = end;
    }
    // The map lists the regions whose host differs from the rule's: with the `central`
    // rule the host is `<id>.aliyuncs.com` whatever the map says; with `regional`, one
    // host for every listed region is the product's host.
    //
    // The SLS gateway ignores the rule: a host per region, `<region>.log.aliyuncs.com`
    // (the gateway puts a host argument in front, `<project>.<region>.log.aliyuncs.com`).
    // The product's host is cn-hangzhou's (the region Alibaba's documents default to),
    // else the map's first.
    if gateway == Some(Protocol::Sls) {
        let pick = regional
            .iter()
            .find(|(r, _)| r == "cn-hangzhou")
            .or_else(|| regional.first())
            .cloned();
        return Ok(ParsedClient {
            ops,
            endpoint: pick.as_ref().map(|(_, h)| h.clone()),
            default_region: pick.map(|(r, _)| r),
            gateway,
            endpoints: Some(("sls".to_owned(), "sls".to_owned(), Vec::new())),
        });
    }
    // A gateway with a host of its own (PDS: `api.aliyunpds.com`, the caller's domain in
    // front) ignores the rule and the map.
    if let Some(host) = gateway.and_then(|p| p.descriptor().gateway?.default_host) {
        return Ok(ParsedClient {
            ops,
            endpoint: Some(host.to_owned()),
            default_region: None,
            gateway,
            endpoints: None,
        });
    }
    let endpoint = if hosts.len() == 1 && !central {
        hosts.into_iter().next()
    } else {
        endpoint_id.clone().map(|id| format!("{id}.aliyuncs.com"))
    };
    let default_region = endpoint.as_deref().and_then(host_region);
    let endpoints = match (rule, &endpoint_id) {
        (Some(r), Some(id)) if r == "regional" || r == "central" => {
            Some((r, id.clone(), regional.clone()))
        }
        _ => None,
    };
    Ok(ParsedClient {
        ops,
        endpoint,
        default_region,
        gateway,
        endpoints,
    })
}

/// The region of a regional host, `<product>.<region>.aliyuncs.com`.
pub fn host_region(host: &str) -> Option<String> {
    let rest = host.strip_suffix(".aliyuncs.com")?;
    let (_, region) = rest.split_once('.')?;
    let ok = region.split('-').count() >= 2
        && region.starts_with(|c: char| c.is_ascii_lowercase())
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !region.contains('.');
    ok.then(|| region.to_owned())
}

/// The product's name in the SDK package's summary, `Alibaba Cloud <Name> (<yyyymmdd>)
/// SDK Library for Python`, unless it only spells the product code again.
pub fn title_from_summary(summary: &str, product: &str) -> Option<String> {
    let rest = summary.trim().strip_prefix("Alibaba Cloud ")?;
    let name = rest[..rest.rfind(" (")?].trim();
    let letters = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    (!name.is_empty() && letters(name) != letters(product)).then(|| name.to_owned())
}

/// `'value'` of `key = 'value'`.
fn assigned(t: &str, key: &str) -> Option<String> {
    t.strip_prefix(key)
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('='))
        .and_then(quoted)
        .map(str::to_owned)
}

/// The model attribute a shrunk request attribute stands for (`thing_list_shrink`,
/// `external_auth_zjsonshrink`), else `attr`.
fn unshrink<'a>(attr: &'a str, shrink: &BTreeMap<String, String>) -> &'a str {
    attr.strip_suffix("_shrink")
        .or_else(|| attr.strip_suffix("shrink"))
        .filter(|a| shrink.contains_key(*a))
        .unwrap_or(attr)
}

fn parse_op(body: &[&str]) -> Result<PyOp, String> {
    let mut op = PyOp::default();
    let name = ident_after(body[0], "def ").unwrap_or_default().to_owned();
    let mut path_args: Vec<String> = Vec::new();
    // The oldest SDKs write the signature on one line, without type hints
    // (`def get_x_with_options(self, request, runtime):`).
    let one_line = body[0].trim_end().ends_with(':');
    if one_line {
        for a in signature(body) {
            match a.as_str() {
                "request" => op.request = Some(String::new()),
                "headers" | "runtime" => {}
                _ => path_args.push(a),
            }
        }
    }
    let mut in_sig = !one_line;
    for l in &body[1..] {
        let t = l.trim();
        if in_sig {
            if t.starts_with(")") {
                in_sig = false;
            } else if let Some((arg, hint)) = t.split_once(':') {
                let hint = hint.trim().trim_end_matches(',');
                match arg.trim() {
                    "request" | "tmp_req" => op.request = Some(model_class(hint).to_owned()),
                    "headers" | "tmp_header" => {
                        op.headers_class = Some(model_class(hint).to_owned())
                    }
                    "self" | "runtime" => {}
                    a => path_args.push(a.to_owned()),
                }
            }
            continue;
        }
        for (key, field) in [
            ("action", &mut op.action),
            ("version", &mut op.version),
            ("method", &mut op.method),
            ("style", &mut op.style),
            ("req_body_type", &mut op.req_body_type),
        ] {
            if let Some(v) = assigned(t, key) {
                *field = v;
            }
        }
        if let Some(p) = t.strip_prefix("pathname").map(str::trim_start) {
            if let Some(p) = p.strip_prefix('=') {
                set_path(&mut op, p.trim().trim_end_matches(','), &path_args);
            }
        }
        // Older generators write keyword arguments without spaces (`body=request.body`).
        let compact: String = t.split_whitespace().collect();
        if compact.starts_with("query=Utils.query(request.to_map())")
            || compact.starts_with("query=OpenApiUtilClient.query(UtilClient.to_map(request))")
        {
            op.all_query = true;
        }
        if compact.starts_with("body=UtilClient.to_map(request)") {
            op.all_body = true;
        }
        if let Some(call) = legacy_call(t) {
            call.fill(&mut op, &path_args)?;
        }
        if let Some(key) = t.strip_prefix("host_map[").and_then(quoted_prefix) {
            let arg = t
                .split_once('=')
                .and_then(|(_, v)| ident_after(v, " "))
                .unwrap_or_default();
            op.host_args.push((key.to_owned(), arg.to_owned()));
        }
        if let Some(v) = assigned(t, "body_type") {
            op.body_type = v;
        }
        if let (Some(wire), Some(attr)) = (
            key_after(t, "real_headers["),
            ident_after(t, "(headers.").or_else(|| ident_after(t, "= headers.")),
        ) {
            op.model_headers.push((wire.to_owned(), attr.to_owned()));
        }
        if [
            "body=Utils.to_array(request.",
            "body=request.",
            "body=Utils.parse_to_map(request.",
            "body=OpenApiUtilClient.parse_to_map(request.",
        ]
        .iter()
        .any(|p| compact.starts_with(p))
        {
            if let Some(attr) = ident_after(t, "request.") {
                // The wire name is the model's (`to_map`), filled in with the fields.
                op.positions
                    .insert(attr.to_owned(), ("body".to_owned(), String::new()));
                op.value_body = true;
            }
        }
        // `request.thing_list_shrink = …`; after a digit or `json` the SDK generator may
        // drop the underscore (`external_auth_zjsonshrink`).
        for (prefix, shrinks) in [
            ("request.", &mut op.shrink),
            ("headers.", &mut op.header_shrink),
        ] {
            let Some(attr) = ident_after(t, prefix).filter(|_| t.contains("shrink = ")) else {
                continue;
            };
            let attr = attr
                .strip_suffix("_shrink")
                .or_else(|| attr.strip_suffix("shrink"))
                .unwrap_or(attr)
                .to_owned();
            let style = t
                .rsplit_once(',')
                .and_then(|(_, s)| quoted(s))
                .unwrap_or("json");
            shrinks.insert(attr, style.to_owned());
        }
        // `body_flat[…]` members go in the form body, flattened as `Utils.query` does
        // (`TunnelOptionsSpecification.1.TunnelIkeConfig.IkeAuthAlg`): the runtime's flat
        // style.
        for (prefix, position) in [
            ("query[", "query"),
            ("body[", "body"),
            ("body_flat[", "body"),
            ("real_headers[", "header"),
        ] {
            if !t.starts_with(prefix) {
                continue;
            }
            let (Some(wire), Some(attr)) = (key_after(t, prefix), ident_after(t, "request."))
            else {
                continue;
            };
            let attr = unshrink(attr, &op.shrink).to_owned();
            op.positions
                .insert(attr, (position.to_owned(), wire.to_owned()));
        }
    }
    // A host argument is no path argument.
    path_args.retain(|a| !op.host_args.iter().any(|(_, h)| h == a));
    op.path_args = path_args;
    if op.action.is_empty() {
        return Err(format!("client.py: {name}: no `action = '…'`"));
    }
    // Without type hints the request class is named by convention, as the response's is.
    if op.request.as_deref() == Some("") {
        op.request = Some(format!("{}Request", op.action));
    }
    if op.unsupported.is_none() {
        op.unsupported = shape_problem(&op);
    }
    Ok(op)
}

/// Why an operation's shape (host, bodies, path) cannot be expressed in the spec format,
/// if it cannot.
fn shape_problem(op: &PyOp) -> Option<String> {
    if let [_, second, ..] = op.host_args.as_slice() {
        return Some(format!(
            "its host carries more than one argument (`host_map['{}']` too), and a spec has one host parameter",
            second.0
        ));
    }
    if op.req_body_type == "protobuf" && !op.value_body {
        return Some(
            "its request body is protobuf (`req_body_type = 'protobuf'`) but not one attribute of the request, which the spec format cannot express"
                .to_owned(),
        );
    }
    // The SDK decodes such an answer itself (the gateway's protobuf reader); a spec could
    // only hand over the bytes.
    (op.body_type == "protobuf").then(|| {
        "its answer is protobuf (`body_type = 'protobuf'`), which the spec format cannot express"
            .to_owned()
    })
}

/// The older SDK generators' call (`alibabacloud_tea_openapi` before `Params`): the
/// operation's facts are the arguments of `self.do_rpcrequest('DescribeX', '2016-11-11',
/// 'HTTPS', 'POST', 'AK', 'json', req, runtime)`, `self.do_roarequest('GetX', '2020-12-01',
/// 'HTTPS', 'GET', 'AK', f'/api/v1/x/{uid}', 'json', req, runtime)` or
/// `do_roarequest_with_form` (the same, with a form body).
struct LegacyCall<'a> {
    style: &'static str,
    req_body_type: &'static str,
    args: Vec<&'a str>,
}

/// The parameter names of a `def` (its first lines, up to the closing parenthesis),
/// without `self`, type hints or defaults.
fn signature(body: &[&str]) -> Vec<String> {
    let mut text = String::new();
    for l in body {
        text.push_str(l.trim());
        if l.trim_start().starts_with(')') || l.trim_end().ends_with(':') {
            break;
        }
    }
    let Some((_, rest)) = text.split_once('(') else {
        return Vec::new();
    };
    let inner = rest.rsplit_once(')').map_or(rest, |(a, _)| a);
    inner
        .split(',')
        .map(|a| a.split([':', '=']).next().unwrap_or("").trim().to_owned())
        .filter(|a| !a.is_empty() && a != "self")
        .collect()
}

fn legacy_call(t: &str) -> Option<LegacyCall<'_>> {
    let (style, req_body_type, rest) = [
        ("self.do_rpcrequest(", "RPC", "formData"),
        ("self.do_roarequest(", "ROA", "json"),
        ("self.do_roarequest_with_form(", "ROA", "formData"),
        // `alibabacloud_tea_rpc`: `self.do_request("GetX", "HTTPS", "POST", "2020-06-08",
        // "AK", query, body, runtime)`, where the query or the body is `request.to_map()`.
        ("self.do_request(", "tea_rpc", "formData"),
    ]
    .into_iter()
    .find_map(|(call, style, body)| {
        let i = t.find(call)?;
        Some((style, body, &t[i + call.len()..]))
    })?;
    // Newer SDKs pass `params.action, …` to the same function: those are read from `Params`.
    if !rest.starts_with(['\'', '"']) {
        return None;
    }
    let mut args = Vec::new();
    let (mut start, mut quote, mut depth) = (0, None, 0usize);
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth > 0 => depth -= 1,
            (None, ',' | ')') => {
                args.push(rest[start..i].trim());
                start = i + 1;
                if c == ')' {
                    break;
                }
            }
            (None, _) => {}
        }
    }
    Some(LegacyCall {
        style,
        req_body_type,
        args,
    })
}

impl LegacyCall<'_> {
    fn fill(&self, op: &mut PyOp, path_args: &[String]) -> Result<(), String> {
        let arg = |i: usize| {
            self.args
                .get(i)
                .and_then(|a| quoted(a))
                .map(str::to_owned)
                .ok_or_else(|| {
                    format!(
                        "client.py: `{}`: argument {} is no string",
                        self.args.join(", "),
                        i + 1
                    )
                })
        };
        op.req_body_type = self.req_body_type.to_owned();
        if self.style == "tea_rpc" {
            op.action = arg(0)?;
            op.method = arg(2)?;
            op.version = arg(3)?;
            op.style = "RPC".to_owned();
            op.pathname = "/".to_owned();
            op.body_type = "json".to_owned();
            let whole = |i: usize| self.args.get(i) == Some(&"request.to_map()");
            op.all_query = whole(5);
            op.all_body = whole(6);
            return Ok(());
        }
        op.action = arg(0)?;
        op.version = arg(1)?;
        op.method = arg(3)?;
        op.style = self.style.to_owned();
        if self.style == "ROA" {
            set_path(op, self.args.get(5).copied().unwrap_or_default(), path_args);
            op.body_type = arg(6)?;
        } else {
            op.pathname = "/".to_owned();
            op.body_type = arg(5)?;
        }
        Ok(())
    }
}

/// The operation's path from the SDK's expression; one the spec format cannot express
/// (literal braces, which the SDK sends as they are) leaves the operation out, with the
/// reason, and the rest of the product is imported.
fn set_path(op: &mut PyOp, expr: &str, path_args: &[String]) {
    match path_template(expr, path_args) {
        Ok(path) => op.pathname = path,
        Err(e) => op.unsupported = Some(e),
    }
}

/// `f'/clusters/{DaraURL.percent_encode(cluster_id)}/x'` → `/clusters/{cluster_id}/x` (the argument; `map` names it).
pub fn path_template(expr: &str, path_args: &[String]) -> Result<String, String> {
    let s = expr.trim();
    // Older SDKs format the path with `%`: `'/v1/gateway/%s/api' % gateway_id`.
    if let Some((lit, args)) = s.split_once(" % ").filter(|(l, _)| !l.starts_with('f')) {
        let lit =
            quoted(lit).ok_or_else(|| format!("client.py: pathname `{expr}` is not a string"))?;
        let mut args = args
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty());
        let mut braced = String::new();
        let mut parts = lit.split("%s");
        braced.push_str(&lit_braces(parts.next().unwrap_or_default()));
        for part in parts {
            let arg = args
                .next()
                .ok_or_else(|| format!("client.py: pathname `{expr}`: more `%s` than arguments"))?;
            braced.push_str(&format!("{{{arg}}}"));
            braced.push_str(&lit_braces(part));
        }
        return path_template(&format!("f'{braced}'"), path_args);
    }
    let f = s.strip_prefix('f').unwrap_or(s);
    let Some(inner) = quoted(f) else {
        return Err(format!("client.py: pathname `{expr}` is not a string"));
    };
    let mut out = String::new();
    let mut rest = inner;
    while let Some(open) = rest.find('{') {
        if rest[open..].starts_with("{{") {
            return Err(format!(
                "client.py: pathname `{expr}`: the SDK sends the braces as written (`{{{{…}}}}` is a literal `{{…}}` in an f-string), which a spec path cannot express"
            ));
        }
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| format!("client.py: pathname `{expr}`: unclosed `{{`"))?;
        let e = &rest[open + 1..close];
        let arg = path_args
            .iter()
            .find(|a| e.contains(&format!("({a})")) || e == a.as_str())
            .ok_or_else(|| format!("client.py: pathname `{expr}`: `{e}` is no path argument"))?;
        // The argument's own name for now: `map` names it as the product's documents do.
        out.push('{');
        out.push_str(arg);
        out.push('}');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A literal piece of a `%`-formatted path as it would read in an f-string: its braces
/// doubled.
fn lit_braces(s: &str) -> String {
    s.replace('{', "{{").replace('}', "}}")
}

/// A comment's description, whether it says the parameter is required, and its example.
fn comment_parts(lines: &[String]) -> (String, bool, Option<String>) {
    let mut required = false;
    let mut desc: Vec<&str> = Vec::new();
    let mut example: Vec<&str> = Vec::new();
    let mut in_example = false;
    for l in lines {
        let t = l.trim();
        if t == "This parameter is required." {
            required = true;
        } else if t == "example:" {
            in_example = true;
        } else if in_example {
            if !t.is_empty() {
                example.push(t);
            }
        } else {
            desc.push(l.trim_end());
        }
    }
    // Blank lines at the ends, and runs of blank lines, go.
    let mut text = String::new();
    let mut blank = false;
    for d in desc {
        if d.trim().is_empty() {
            blank = !text.is_empty();
            continue;
        }
        if blank {
            text.push_str("\n\n");
        } else if !text.is_empty() {
            text.push('\n');
        }
        blank = false;
        text.push_str(d);
    }
    let ex = (!example.is_empty()).then(|| example.join("\n"));
    (text, required, ex)
}

/// Everything needed to map one product version.
pub struct Source<'a> {
    pub product: &'a str,
    pub version: &'a str,
    pub classes: &'a [PyClass],
    pub ops: &'a [PyOp],
    pub endpoint: Option<&'a str>,
    /// The region the endpoint names, if it names one.
    pub default_region: Option<&'a str>,
    /// A better title than the product code, from the package's summary.
    pub title: Option<&'a str>,
    pub origin: &'a str,
    /// The protocol of the gateway the client goes through, if it goes through one.
    pub gateway: Option<Protocol>,
    /// Action descriptions (from the npm package; empty when there is none).
    pub docs: &'a BTreeMap<String, String>,
    /// The `endpoints:` block, from `client.py`.
    pub endpoints: Option<&'a super::output::EndpointsOut>,
}

struct Mapper<'a> {
    classes: BTreeMap<&'a str, &'a PyClass>,
    /// Class → spec type name, for this action.
    names: BTreeMap<String, String>,
    taken: BTreeSet<String>,
    types: Vec<TypeSpec>,
    prefix: String,
}

impl<'a> Mapper<'a> {
    /// The class `name`; the SDK names a few classes with a `_` the models do not
    /// have (`…RoutersFrom_` for `…RoutersFrom`).
    fn class(&self, name: &str) -> Result<&'a PyClass, String> {
        self.classes
            .get(name)
            .or_else(|| self.classes.get(name.strip_suffix('_')?))
            .copied()
            .ok_or_else(|| format!("the models define no class `{name}`"))
    }

    /// The spec type of `ty`; `depth` guards against classes containing themselves.
    fn ty(&mut self, ty: &PyTy, depth: usize) -> Result<String, String> {
        Ok(match ty {
            PyTy::Str => "string".into(),
            PyTy::Int => "integer".into(),
            PyTy::Bool => "boolean".into(),
            PyTy::Float => "double".into(),
            PyTy::Any => "json".into(),
            PyTy::Bytes => "binary".into(),
            PyTy::List(i) => format!("list<{}>", self.ty(i, depth)?),
            PyTy::Dict(i) => format!("map<{}>", self.ty(i, depth)?),
            PyTy::Unsupported(why) => return Err(why.clone()),
            PyTy::Class(c) => {
                if let Some(n) = self.names.get(c) {
                    return Ok(n.clone());
                }
                if depth > 32 {
                    return Ok("json".into());
                }
                let short = c.strip_prefix(&self.prefix).unwrap_or(c);
                let short = if short.is_empty() { c.as_str() } else { short };
                let mut name = shorten(short, 60);
                if self.taken.contains(&camel(&name)) {
                    // The class's whole name, as short as a Rust name must be with room
                    // for `claim_type_name`'s `Info<n>` (aimiaobi's classes nest a dozen
                    // deep).
                    let whole = shorten(c, codegen::names::MAX_NAME_LEN - "Info99".len());
                    name = claim_type_name(&whole, &mut self.taken);
                } else {
                    self.taken.insert(camel(&name));
                }
                self.names.insert(c.clone(), name.clone());
                let class = self.class(c)?;
                let fields = self.fields(class, depth + 1, false)?;
                self.types.push(TypeSpec {
                    name: name.clone(),
                    fields: Some(fields),
                    ..TypeSpec::default()
                });
                name
            }
        })
    }

    /// A class's attributes as structure fields (`wrapped` lists folded in responses).
    fn fields(
        &mut self,
        class: &PyClass,
        depth: usize,
        response: bool,
    ) -> Result<Vec<FieldSpec>, String> {
        let mut out = Vec::new();
        let mut rust_taken = BTreeSet::new();
        for f in &class.fields {
            let wire = f
                .wire
                .clone()
                .ok_or_else(|| format!("{}.{}: no wire name in to_map", class.name, f.attr))?;
            let (description, required, example) = comment_parts(&f.comment);
            let (ty, wrapped) = match self.wrapped(f, &wire, response)? {
                Some((inner, key)) => (format!("list<{}>", self.ty(&inner, depth)?), Some(key)),
                None => (self.ty(&f.ty, depth)?, None),
            };
            out.push(FieldSpec {
                rust_name: rust_member_name(&wire, &mut rust_taken),
                // `result['Area.en']`: one key with a dot, not a path.
                dotted: wire.contains('.'),
                name: wire,
                example: example.filter(|e| example_fits(e, &ty)).map(Scalar),
                ty,
                required,
                description,
                wrapped,
                ..FieldSpec::default()
            });
        }
        Ok(out)
    }

    /// `Regions: {Region: [...]}`: a class holding one list under another key.
    fn wrapped(
        &self,
        f: &PyField,
        wire: &str,
        response: bool,
    ) -> Result<Option<(PyTy, String)>, String> {
        let (true, PyTy::Class(c)) = (response, &f.ty) else {
            return Ok(None);
        };
        let class = self.class(c)?;
        Ok(match class.fields.as_slice() {
            [only] => match (&only.ty, &only.wire) {
                (PyTy::List(inner), Some(key)) if key != wire => {
                    Some(((**inner).clone(), key.clone()))
                }
                _ => None,
            },
            _ => None,
        })
    }
}

/// `name` without its leading CamelCase words until it is at most `max` long (the SDK's
/// class names spell the whole path: `HistoriesHistoryActivityDetailsActivityDetail…`).
fn shorten(name: &str, max: usize) -> String {
    let mut rest = name;
    while rest.len() > max {
        match rest[1..].find(|c: char| c.is_ascii_uppercase()) {
            Some(i) => rest = &rest[i + 1..],
            None => break,
        }
    }
    rest.to_owned()
}

fn example_fits(e: &str, ty: &str) -> bool {
    match ty {
        "string" => !e.contains('\n'),
        "integer" => e.parse::<i64>().is_ok(),
        "double" => e.parse::<f64>().is_ok_and(|v| v.is_finite()),
        "boolean" => matches!(e, "true" | "false"),
        _ => false,
    }
}

/// Where the SDK sends the request model's attribute `attr` (whose `to_map` key is
/// `model_wire`) and under which wire name; `None` when it does not send it.
fn placement(op: &PyOp, attr: &str, model_wire: &str) -> Option<(String, String)> {
    match op.positions.get(attr) {
        Some((p, w)) if w.is_empty() => Some((p.clone(), model_wire.to_owned())),
        Some((p, w)) => Some((p.clone(), w.clone())),
        None if op.all_query => Some(("query".to_owned(), model_wire.to_owned())),
        None if op.all_body => Some(("body".to_owned(), model_wire.to_owned())),
        None => None,
    }
}

/// Why a header the SDK takes from an action's `…Headers` model is not imported, if the
/// runtime sets it itself.
fn model_header_reason(header: &str) -> Option<&'static str> {
    Some(match header.to_ascii_lowercase().as_str() {
        "accept-encoding" => "it asks for a compressed answer, which the runtime does not decode",
        "accept" => "the runtime asks for JSON, the only answer it decodes",
        "content-type" => "the signature sets it",
        "x-log-compresstype" => {
            "it describes a compressed request body, which the runtime does not send"
        }
        _ => return None,
    })
}

/// What an action's answer is, as the spec format says it.
#[derive(Debug, Clone, PartialEq)]
enum AnswerShape {
    /// A JSON object of the class's fields (`None`: no class, no fields).
    Object(Option<String>),
    /// The whole body, one field of this type: `response.body` is `kind` (`value`, `text`
    /// or `binary`).
    Whole { kind: &'static str, ty: PyTy },
}

/// The shape of an action's answer, from `body_type` and the type of `body` in
/// `<Action>Response` (SLS and others name shared classes there, `body:
/// main_models.Project`), else the class `<Action>ResponseBody`: text (`string`) and bytes
/// (`binary`, `byte`) whole; a JSON array (`array`) or any JSON value (`any`, or a body
/// typed as a list, a map, `Any` or a scalar) whole, typed as the SDK types it; a class an
/// object of its fields.
fn answer_shape(op: &PyOp, classes: &BTreeMap<&str, &PyClass>) -> Result<AnswerShape, String> {
    let body_class = format!("{}ResponseBody", op.action);
    let fallback = || {
        AnswerShape::Object(
            classes
                .contains_key(body_class.as_str())
                .then(|| body_class.clone()),
        )
    };
    // No `body` (a WebSocket action's `web_socket_client`): the body class, if any.
    let hint = classes
        .get(format!("{}Response", op.action).as_str())
        .and_then(|r| r.fields.iter().find(|f| f.attr == "body"))
        .map(|f| &f.ty);
    let whole = |kind, ty| Ok(AnswerShape::Whole { kind, ty });
    match (op.body_type.as_str(), hint) {
        ("string", _) => whole("text", PyTy::Str),
        ("binary" | "byte", _) => whole("binary", PyTy::Bytes),
        ("array", Some(t @ PyTy::List(_))) => whole("value", t.clone()),
        ("array", _) => whole("value", PyTy::List(Box::new(PyTy::Any))),
        (_, Some(PyTy::Class(c))) => Ok(AnswerShape::Object(Some(c.clone()))),
        ("any", None) => whole("value", PyTy::Any),
        (_, None) => Ok(fallback()),
        (_, Some(PyTy::Unsupported(why))) => Err(why.clone()),
        (_, Some(PyTy::Str)) => whole("text", PyTy::Str),
        (_, Some(PyTy::Bytes)) => whole("binary", PyTy::Bytes),
        (_, Some(t)) => whole("value", t.clone()),
    }
}

/// The mapping of one product version; `kept` names what exists already.
pub fn map(src: &Source, kept: &Kept) -> Result<Imported, String> {
    let classes: BTreeMap<&str, &PyClass> =
        src.classes.iter().map(|c| (c.name.as_str(), c)).collect();
    let mut notes = Vec::new();
    let mut skipped = Vec::new();
    let mut lost = Vec::new();
    let rpc = src.ops.iter().filter(|o| o.style == "RPC").count();
    let style = if rpc * 2 >= src.ops.len() {
        "RPC"
    } else {
        "ROA"
    };
    let mut actions = Vec::new();
    let mut reserved: BTreeSet<String> = RESERVED_TYPE_NAMES
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for op in src.ops {
        for suffix in ["Request", "RequestBuilder", "Response", "Error"] {
            reserved.insert(format!("{}{suffix}", camel(&op.action)));
        }
    }
    for op in src.ops {
        if op.style != style {
            let why = format!("its style is {} and the product's is {style}", op.style);
            notes.push(format!("{}: not imported, {why}", op.action));
            skipped.push((op.action.clone(), why));
            continue;
        }
        if kept.actions.contains(&op.action) {
            continue;
        }
        if let Some(why) = &op.unsupported {
            notes.push(format!("{}: not imported, {why}", op.action));
            skipped.push((op.action.clone(), why.clone()));
            continue;
        }
        match map_action(src, op, &classes, &reserved, style, &mut lost) {
            Ok(a) => actions.push(a),
            Err(e) => {
                notes.push(format!("{}: not imported, {e}", op.action));
                skipped.push((op.action.clone(), e));
            }
        }
    }
    let product = ProductSpec {
        provider: "aliyun".into(),
        product: src.product.to_owned(),
        title: src.title.unwrap_or(src.product).to_owned(),
        version: src.version.to_owned(),
        description: String::new(),
        protocol: if let Some(gateway) = src.gateway {
            gateway
        } else if style == "RPC" {
            Protocol::Rpc
        } else {
            Protocol::Roa
        },
        default_feature: false,
        signing: None,
        endpoint: src
            .endpoint
            .map_or_else(|| format!("{}.aliyuncs.com", src.product), str::to_owned),
        service: src.product.to_owned(),
        default_region: src.default_region.map(str::to_owned),
        endpoints: src.endpoints.map(|(rule, id, regions)| EndpointsSpec {
            rule: rule.clone(),
            product_id: id.clone(),
            // A region listed twice keeps its first host in sorted order.
            regions: {
                let mut sorted = regions.clone();
                sorted.sort();
                sorted.dedup_by(|a, b| a.0 == b.0);
                sorted.into_iter().collect()
            },
        }),
        common_parameters: if style == "RPC" {
            vec![
                CommonParameter {
                    name: "Action".into(),
                    description: "The action's name.".into(),
                },
                CommonParameter {
                    name: "Version".into(),
                    description: format!("The API version: {}.", src.version),
                },
            ]
        } else {
            Vec::new()
        },
        errors: Vec::new(),
        types: Vec::new(),
    };
    Ok(Imported {
        product: SpecFile {
            comments: vec![format!("Imported from {}.", src.origin)],
            spec: product,
        },
        actions,
        notes,
        skipped,
        lost,
    })
}

fn map_action(
    src: &Source,
    op: &PyOp,
    classes: &BTreeMap<&str, &PyClass>,
    reserved: &BTreeSet<String>,
    style: &str,
    lost: &mut Vec<(String, String)>,
) -> Result<SpecFile<ActionSpec>, String> {
    let mut m = Mapper {
        classes: classes.clone(),
        names: BTreeMap::new(),
        taken: reserved.clone(),
        types: Vec::new(),
        prefix: format!("{}Request", op.action),
    };
    let mut comments = vec![format!("Imported from {}.", src.origin)];
    let mut parameters = Vec::new();
    let mut rust_taken: BTreeSet<String> = super::tencent::BUILDER_METHODS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    // The host argument (`host_map['project'] = project`): the first label of the host.
    let host_parameters = src
        .gateway
        .is_some_and(|p| p.descriptor().allows_position(Position::Host));
    if !op.host_args.is_empty() && !host_parameters {
        return Err(format!(
            "its host carries the argument `{}` (`host_map`), and only sls products (the SLS gateway) have a host parameter",
            op.host_args[0].0
        ));
    }
    for (key, arg) in &op.host_args {
        parameters.push(ParameterSpec {
            name: key.clone(),
            rust_name: rust_member_name(key, &mut rust_taken),
            ty: "string".into(),
            required: true,
            description: format!(
                "The {key} the request is for: the request goes to `<{key}>.<endpoint>` (the SDK's argument `{arg}`, its `host_map['{key}']`)."
            ),
            position: Some(Position::Host),
            ..ParameterSpec::default()
        });
    }
    // ROA path arguments are the function's, not the request model's. Alibaba's documents
    // name them UpperCamelCase (`ClusterId`); Simple Log Service's, like its other
    // parameters, lowerCamelCase (`logstore`, `machineGroup`), unless the request model
    // sends a member of that name too (UpdateSavedSearch's `savedsearchName`, in the path
    // and in the body): then UpperCamelCase keeps the two apart.
    let model_wires: BTreeSet<String> = match &op.request {
        Some(req) => m
            .class(req)?
            .fields
            .iter()
            .filter_map(|f| Some(placement(op, &f.attr, f.wire.as_deref()?)?.1))
            .collect(),
        None => BTreeSet::new(),
    };
    let path_name = |a: &str| {
        let lower = lower_camel(a);
        if src.gateway == Some(Protocol::Sls) && !model_wires.contains(&lower) {
            lower
        } else {
            camel(a)
        }
    };
    let mut path = op.pathname.clone();
    for a in &op.path_args {
        let name = path_name(a);
        path = path.replace(&format!("{{{a}}}"), &format!("{{{name}}}"));
        parameters.push(ParameterSpec {
            rust_name: rust_member_name(&name, &mut rust_taken),
            description: format!("The `{{{name}}}` of the path (the SDK's argument `{a}`)."),
            name,
            ty: "string".into(),
            required: true,
            position: Some(Position::Path),
            ..ParameterSpec::default()
        });
    }
    // A body the SDK sends as it is: protocol buffers it encodes from its model
    // (`req_body_type = 'protobuf'`), or bytes (`req_body_type = 'byte'`, or a `BinaryIO`
    // attribute that is the whole body). The spec's one body parameter is then `binary`.
    let value_body_ty = op.request.as_deref().and_then(|req| {
        let class = m.class(req).ok()?;
        class
            .fields
            .iter()
            .find(|f| op.value_body && op.positions.get(&f.attr).is_some_and(|(p, _)| p == "body"))
            .map(|f| f.ty.clone())
    });
    let raw_body = match (op.req_body_type.as_str(), &value_body_ty) {
        (_, None) => None,
        ("protobuf", _) => Some("protobuf"),
        ("byte", _) | (_, Some(PyTy::Bytes)) => Some("binary"),
        _ => None,
    };
    if let (Some("protobuf"), Some(ty)) = (raw_body, &value_body_ty) {
        let what = match ty {
            PyTy::Class(c) => format!("its `{c}` model"),
            _ => "the body".to_owned(),
        };
        comments.push(format!(
            "The request body is protocol buffers (`req_body_type = 'protobuf'`): the SDK encodes {what}; here the caller gives the encoded bytes (`body: protobuf`)."
        ));
    }
    if let Some(req) = &op.request {
        let class = m.class(req)?;
        let mut unsent = Vec::new();
        for f in &class.fields {
            let model_wire = f
                .wire
                .clone()
                .ok_or_else(|| format!("{req}.{}: no wire name in to_map", f.attr))?;
            let Some((position, wire)) = placement(op, &f.attr, &model_wire) else {
                unsent.push(model_wire);
                continue;
            };
            let (description, required, example) = comment_parts(&f.comment);
            let whole_body = op.value_body && position == "body";
            let ty = match raw_body {
                // The bytes the caller gives, whatever model the SDK encodes them from.
                Some(_) if whole_body => "binary".to_owned(),
                _ => m.ty(&f.ty, 0)?,
            };
            // A string that is the whole JSON body is JSON text: any JSON value.
            let ty = if whole_body && ty == "string" {
                "json".to_owned()
            } else {
                ty
            };
            let description = match (&f.ty, raw_body) {
                (PyTy::Class(c), Some("protobuf")) if whole_body => format!(
                    "{}{}The `{c}` message, encoded as protocol buffers by the caller (the SDK encodes its `{c}` model).",
                    description,
                    if description.is_empty() { "" } else { "\n\n" }
                ),
                _ => description,
            };
            let shrink = op.shrink.get(&f.attr).cloned();
            let is_list = ty.starts_with("list<");
            let position = match (style, position.as_str()) {
                ("RPC", "query") => None,
                _ => Some(word::<Position>(&position)?),
            };
            // What the English description says unambiguously: an integer range and a
            // default that fits the type (and the range).
            let range = (ty == "integer")
                .then(|| super::prose::range(&description))
                .flatten();
            let default = super::prose::default(&description).and_then(|d| match ty.as_str() {
                "integer" => d
                    .parse::<i64>()
                    .ok()
                    .filter(|v| range.is_none_or(|(lo, hi)| *v >= lo && *v <= hi))
                    .map(|v| v.to_string()),
                "boolean" => {
                    let l = d.to_ascii_lowercase();
                    matches!(l.as_str(), "true" | "false").then_some(l)
                }
                _ => None,
            });
            parameters.push(ParameterSpec {
                rust_name: rust_member_name(&wire, &mut rust_taken),
                range: range.map(|(lo, hi)| RangeSpec {
                    min: Some(lo),
                    max: Some(hi),
                }),
                default: default.map(Scalar),
                wire_name: (style == "RPC" && is_list && shrink.is_none())
                    .then(|| format!("{wire}.N")),
                name: wire.clone(),
                example: example.filter(|e| example_fits(e, &ty)).map(Scalar),
                ty,
                required: required || position == Some(Position::Path),
                description: if description.is_empty() {
                    wire
                } else {
                    description
                },
                position,
                style: shrink.as_deref().map(word).transpose()?,
                ..ParameterSpec::default()
            });
        }
        // A structure the request sends must not have a dotted key (a flattened request
        // would read it as a path): the checker refuses it, so the action is left out.
        for t in &m.types {
            if let Some(fields) = &t.fields {
                if let Some(f) = fields.iter().find(|f| f.dotted) {
                    return Err(format!(
                        "its request sends the structure `{}`, whose key `{}` contains a dot, which a flattened request would read as a path",
                        t.name, f.name
                    ));
                }
            }
        }
        if !unsent.is_empty() {
            comments.push(format!(
                "Request members the SDK does not send, left out: {}.",
                unsent.join(", ")
            ));
            lost.extend(unsent.iter().map(|w| {
                (
                    format!("{}.{w}", op.action),
                    "the SDK does not send it".to_owned(),
                )
            }));
        }
    }
    // String headers of the headers model are header parameters, as `real_headers[…]`
    // members of the request are; the others are named with the reason.
    let headers_class = op
        .headers_class
        .as_deref()
        .and_then(|c| classes.get(c).copied());
    let mut left_headers: Vec<(String, &'static str)> = Vec::new();
    // The headers model's classes are named without the `<Action>Headers` prefix.
    let request_prefix = std::mem::replace(&mut m.prefix, format!("{}Headers", op.action));
    for (wire, attr) in &op.model_headers {
        // A shrunk header stands for the headers model's attribute it was made from.
        let attr = unshrink(attr, &op.header_shrink);
        let shrink = op.header_shrink.get(attr).map(String::as_str);
        let field = headers_class.and_then(|c| c.fields.iter().find(|f| f.attr == attr));
        // Scalars are sent as the SDK's `to_json_string` writes them (`true`, `3`), which is
        // how a header parameter of their type is written; a structure, list or map as
        // its JSON text when the SDK shrinks it in the `json` style.
        let sendable = |ty: &PyTy| match ty {
            PyTy::Str | PyTy::Int | PyTy::Bool | PyTy::Float => Some(None),
            PyTy::Class(_) | PyTy::List(_) | PyTy::Dict(_) if shrink == Some("json") => {
                Some(Some(ParamStyle::Json))
            }
            _ => None,
        };
        let reason = match (model_header_reason(wire), field) {
            (Some(reason), _) => reason,
            (None, None) => "the headers model has no such attribute",
            (None, Some(f)) if sendable(&f.ty).is_none() => {
                "neither a scalar nor a structure sent as JSON text"
            }
            (None, Some(_)) if parameters.iter().any(|p| p.name.eq_ignore_ascii_case(wire)) => {
                "a request member has its name"
            }
            (None, Some(f)) => {
                let (description, required, example) = comment_parts(&f.comment);
                let ty = m.ty(&f.ty, 0)?;
                parameters.push(ParameterSpec {
                    rust_name: rust_member_name(wire, &mut rust_taken),
                    name: wire.clone(),
                    example: example.filter(|e| example_fits(e, &ty)).map(Scalar),
                    ty,
                    required,
                    description: if description.is_empty() {
                        wire.clone()
                    } else {
                        description
                    },
                    position: Some(Position::Header),
                    style: sendable(&f.ty).flatten(),
                    ..ParameterSpec::default()
                });
                continue;
            }
        };
        left_headers.push((wire.clone(), reason));
    }
    m.prefix = request_prefix;
    if !left_headers.is_empty() {
        let why: Vec<String> = left_headers
            .iter()
            .map(|(h, reason)| format!("{h} ({reason})"))
            .collect();
        comments.push(format!(
            "Headers the SDK takes from its `{}Headers` model, left out: {}.",
            op.action,
            why.join(", ")
        ));
        lost.extend(
            left_headers
                .iter()
                .map(|(h, reason)| (format!("{}.{h}", op.action), format!("header: {reason}"))),
        );
    }
    let (response, response_body) = match answer_shape(op, classes)? {
        AnswerShape::Object(Some(body_class)) => {
            m.prefix = body_class.clone();
            let c = m.class(&body_class)?;
            (m.fields(c, 0, true)?, None)
        }
        AnswerShape::Object(None) => (Vec::new(), None),
        AnswerShape::Whole { kind, ty } => {
            m.prefix = format!("{}ResponseBody", op.action);
            let what = match kind {
                "text" => "The answer, as text",
                "binary" => "The answer, as bytes",
                _ => "The answer, a JSON value as a whole",
            };
            let field = FieldSpec {
                name: "Body".to_owned(),
                ty: m.ty(&ty, 0)?,
                description: format!(
                    "{what} (the SDK's `{}Response.body`, `body_type = '{}'`).",
                    op.action, op.body_type
                ),
                ..FieldSpec::default()
            };
            (vec![field], Some(word::<ResponseBody>(kind)?))
        }
    };
    let mut types = m.types;
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let body = if let Some(raw) = raw_body {
        Some(word::<BodyFormat>(raw)?)
    } else if op.value_body {
        Some(BodyFormat::Value)
    } else {
        (style == "ROA" && op.req_body_type == "formData").then_some(BodyFormat::Form)
    };
    Ok(SpecFile {
        comments,
        spec: ActionSpec {
            name: op.action.clone(),
            // None published: the spec says nothing, and the docs name the method and path.
            description: src.docs.get(&op.action).cloned().unwrap_or_default(),
            http_method: word::<HttpMethod>(&op.method)?,
            path: (style == "ROA").then_some(path).filter(|p| !p.is_empty()),
            body,
            rate_limit: None,
            idempotent: None,
            parameters,
            rules: Vec::new(),
            pagination: None,
            response: ResponseSpec {
                description: String::new(),
                body: response_body,
                fields: response,
            },
            types,
            errors: Vec::new(),
            examples: Vec::new(),
        },
    })
}

#[cfg(test)]
mod tests {
    static NO_DOCS: BTreeMap<String, String> = BTreeMap::new();
    use super::*;

    /// A spec enum as the spec format spells it.
    fn w<T: serde::Serialize>(v: Option<T>) -> Option<String> {
        v.map(|v| serde_yaml::to_string(&v).unwrap().trim().to_owned())
    }

    const CLIENT: &str = r#"
class Client(OpenApiClient):
    def __init__(
        self,
        config: open_api_util_models.Config,
    ):
        self._endpoint_map = {
            'cn-beijing': 'demo.aliyuncs.com',
            'cn-hangzhou': 'demo.aliyuncs.com'
        }

    def add_things_with_options(
        self,
        tmp_req: main_models.AddThingsRequest,
        runtime: RuntimeOptions,
    ) -> main_models.AddThingsResponse:
        tmp_req.validate()
        request = main_models.AddThingsShrinkRequest()
        Utils.convert(tmp_req, request)
        if not DaraCore.is_null(tmp_req.thing_list):
            request.thing_list_shrink = Utils.array_to_string_with_specified_style(tmp_req.thing_list, 'ThingList', 'json')
        query = {}
        if not DaraCore.is_null(request.instance_id):
            query['InstanceId'] = request.instance_id
        if not DaraCore.is_null(request.thing_list_shrink):
            query['ThingList'] = request.thing_list_shrink
        if not DaraCore.is_null(request.tags):
            query['Tag'] = request.tags
        body = {}
        if not DaraCore.is_null(request.note):
            body['Note'] = request.note
        body_flat = {}
        if not DaraCore.is_null(request.opts):
            body_flat['Opts'] = request.opts
        body = DaraCore.merge({}, body, Utils.query(body_flat))
        req = open_api_util_models.OpenApiRequest(
            query = Utils.query(query),
            body = Utils.parse_to_map(body)
        )
        params = open_api_util_models.Params(
            action = 'AddThings',
            version = '2020-01-01',
            protocol = 'HTTPS',
            pathname = '/',
            method = 'POST',
            auth_type = 'AK',
            style = 'RPC',
            req_body_type = 'formData',
            body_type = 'json'
        )
        return DaraCore.from_map(
            main_models.AddThingsResponse(),
            self.call_api(params, req, runtime)
        )

    async def add_things_with_options_async(
        self,
        tmp_req: main_models.AddThingsRequest,
        runtime: RuntimeOptions,
    ) -> main_models.AddThingsResponse:
        params = open_api_util_models.Params(
            action = 'AddThingsAsyncTwin',
        )

    def describe_cluster_with_options(
        self,
        cluster_id: str,
        request: main_models.DescribeClusterRequest,
        headers: Dict[str, str],
        runtime: RuntimeOptions,
    ) -> main_models.DescribeClusterResponse:
        query = {}
        if not DaraCore.is_null(request.verbose):
            query['verbose'] = request.verbose
        params = open_api_util_models.Params(
            action = 'DescribeCluster',
            version = '2015-12-15',
            protocol = 'HTTPS',
            pathname = f'/clusters/{DaraURL.percent_encode(cluster_id)}/detail',
            method = 'GET',
            auth_type = 'AK',
            style = 'ROA',
            req_body_type = 'json',
            body_type = 'json'
        )
"#;

    const MODELS: &str = r#"
from darabonba.model import DaraModel

class AddThingsRequest(DaraModel):
    def __init__(
        self,
        instance_id: str = None,
        note: str = None,
        tags: List[str] = None,
        thing_list: List[main_models.AddThingsRequestThingList] = None,
        size: int = None,
        opts: List[main_models.AddThingsRequestThingList] = None,
    ):
        # The instance ID.
        # 
        # This parameter is required.
        # 
        # example:
        # 
        # inst-1
        self.instance_id = instance_id
        # A note.
        # 
        # Second paragraph.
        self.note = note
        # Tags.
        self.tags = tags
        # Things.
        self.thing_list = thing_list
        # Never sent.
        # 
        # example:
        # 
        # ten
        self.size = size
        # Options, flattened into the form body.
        self.opts = opts

    def to_map(self):
        result = dict()
        if self.instance_id is not None:
            result['InstanceId'] = self.instance_id

        if self.note is not None:
            result['Note'] = self.note

        if self.tags is not None:
            result['Tag'] = self.tags

        result['ThingList'] = []
        if self.thing_list is not None:
            for k1 in self.thing_list:
                result['ThingList'].append(k1.to_map() if k1 else None)

        if self.size is not None:
            result['Size'] = self.size

        result['Opts'] = []
        if self.opts is not None:
            for k1 in self.opts:
                result['Opts'].append(k1.to_map() if k1 else None)

        return result

class AddThingsRequestThingList(DaraModel):
    def __init__(
        self,
        name: str = None,
    ):
        # The name.
        self.name = name

    def to_map(self):
        result = dict()
        if self.name is not None:
            result['Name'] = self.name
        return result

class AddThingsResponseBody(DaraModel):
    def __init__(
        self,
        regions: main_models.AddThingsResponseBodyRegions = None,
        request_id: str = None,
        labels: Dict[str, str] = None,
        extra: Any = None,
    ):
        # The regions.
        self.regions = regions
        # The request ID.
        self.request_id = request_id
        self.labels = labels
        self.extra = extra

    def to_map(self):
        result = dict()
        if self.regions is not None:
            result['Regions'] = self.regions.to_map()

        if self.request_id is not None:
            result['RequestId'] = self.request_id

        if self.labels is not None:
            result['Labels'] = self.labels

        if self.extra is not None:
            result['Extra'] = self.extra

        return result

class AddThingsResponseBodyRegions(DaraModel):
    def __init__(
        self,
        region: List[main_models.AddThingsResponseBodyRegionsRegion] = None,
    ):
        self.region = region

    def to_map(self):
        result = dict()
        result['Region'] = []
        if self.region is not None:
            for k1 in self.region:
                result['Region'].append(k1.to_map() if k1 else None)
        return result

class AddThingsResponseBodyRegionsRegion(DaraModel):
    def __init__(
        self,
        region_id: str = None,
        type: str = None,
    ):
        # The region ID.
        self.region_id = region_id
        self.type = type

    def to_map(self):
        result = dict()
        if self.region_id is not None:
            result['RegionId'] = self.region_id
        if self.type is not None:
            result['Type'] = self.type
        return result
"#;

    #[test]
    fn long_class_names_keep_their_last_words() {
        assert_eq!(
            shorten("HistoriesHistoryActivityDetail", 20),
            "ActivityDetail"
        );
        assert_eq!(shorten("Short", 20), "Short");
        assert_eq!(shorten("Averyveryverylongword", 5), "Averyveryverylongword");
    }

    #[test]
    fn type_hints() {
        assert_eq!(parse_ty("str"), Ok(PyTy::Str));
        assert_eq!(
            parse_ty("List[main_models.X]"),
            Ok(PyTy::List(Box::new(PyTy::Class("X".into()))))
        );
        assert_eq!(
            parse_ty("Dict[str, Any]"),
            Ok(PyTy::Dict(Box::new(PyTy::Any)))
        );
        assert!(parse_ty("Dict[int, str]").is_err());
        let mut m = Mapper {
            classes: BTreeMap::new(),
            names: BTreeMap::new(),
            taken: BTreeSet::new(),
            types: Vec::new(),
            prefix: String::new(),
        };
        // Lists of maps, of any JSON and of lists keep their element types (the runtime
        // decodes them tolerantly).
        let t = parse_ty("List[Dict[str, Any]]").unwrap();
        assert_eq!(m.ty(&t, 0).unwrap(), "list<map<json>>");
        let t = parse_ty("List[Any]").unwrap();
        assert_eq!(m.ty(&t, 0).unwrap(), "list<json>");
        let t = parse_ty("List[List[str]]").unwrap();
        assert_eq!(m.ty(&t, 0).unwrap(), "list<list<string>>");
        let t = parse_ty("Dict[str, List[int]]").unwrap();
        assert_eq!(m.ty(&t, 0).unwrap(), "map<list<integer>>");
        assert!(parse_ty("Union[str, int]").is_err());
    }

    #[test]
    fn with_options_function() {
        let ParsedClient { ops, endpoint, .. } = parse_client(CLIENT).unwrap();
        assert_eq!(endpoint.as_deref(), Some("demo.aliyuncs.com"));
        // The `_async` twin is skipped.
        assert_eq!(ops.len(), 2);
        let op = &ops[0];
        assert_eq!(
            (op.action.as_str(), op.version.as_str(), op.method.as_str()),
            ("AddThings", "2020-01-01", "POST")
        );
        assert_eq!(op.style, "RPC");
        assert_eq!(op.req_body_type, "formData");
        assert_eq!(op.request.as_deref(), Some("AddThingsRequest"));
        assert_eq!(op.shrink["thing_list"], "json");
        assert_eq!(
            op.positions["thing_list"],
            ("query".into(), "ThingList".into())
        );
        assert_eq!(op.positions["note"], ("body".into(), "Note".into()));
        assert_eq!(op.positions["tags"], ("query".into(), "Tag".into()));
        assert!(!op.positions.contains_key("size"));
        assert!(!op.all_query);
    }

    #[test]
    fn roa_path() {
        let ops = parse_client(CLIENT).unwrap().ops;
        let op = &ops[1];
        assert_eq!(op.style, "ROA");
        assert_eq!(op.method, "GET");
        assert_eq!(op.pathname, "/clusters/{cluster_id}/detail");
        assert_eq!(op.path_args, ["cluster_id"]);
        assert!(!op.positions.contains_key("cluster_id"));
        assert_eq!(op.positions["verbose"], ("query".into(), "verbose".into()));
        assert!(path_template("f'/x/{other}'", &["cluster_id".into()]).is_err());
        assert_eq!(op.unsupported, None);
        let array_body = [
            "    def put_things_with_options(",
            "        self,",
            "        request: main_models.PutThingsRequest,",
            "    ) -> main_models.PutThingsResponse:",
            "        req = open_api_util_models.OpenApiRequest(",
            "            body = Utils.to_array(request.body)",
            "        )",
            "            action = 'PutThings',",
        ];
        let op = parse_op(&array_body).unwrap();
        assert_eq!(op.unsupported, None);
        assert!(op.value_body, "the list is the whole body (`body: value`)");
        assert_eq!(op.positions["body"], ("body".into(), String::new()));
    }

    /// The older generators' clients: `do_rpcrequest` with the whole request as the form
    /// body, `do_roarequest` with a `%`-formatted path, `alibabacloud_tea_rpc`'s
    /// `do_request` with a signature on one line, and an action named `…WithOptions`.
    const OLDER_CLIENT: &str = r#"
class Client(OpenApiClient):
    def describe_x_with_options(
        self,
        request: aegis_20161111_models.DescribeXRequest,
        runtime: util_models.RuntimeOptions,
    ) -> aegis_20161111_models.DescribeXResponse:
        UtilClient.validate_model(request)
        req = open_api_models.OpenApiRequest(
            body=UtilClient.to_map(request)
        )
        return TeaCore.from_map(
            aegis_20161111_models.DescribeXResponse(),
            self.do_rpcrequest('DescribeX', '2016-11-11', 'HTTPS', 'POST', 'AK', 'json', req, runtime)
        )

    def find_service_with_options(self, gateway_id, request, headers, runtime):
        UtilClient.validate_model(request)
        req = open_api_models.OpenApiRequest(
            headers=headers,
            query=OpenApiUtilClient.query(UtilClient.to_map(request))
        )
        return microgw_20200810_models.FindServiceResponse().from_map(self.do_roarequest('FindService', '2020-08-10', 'HTTPS', 'GET', 'AK', '/v1/gateway/%s/service' % gateway_id, 'json', req, runtime))

    def detach_policy_with_options(self, api_id, headers, runtime):
        req = open_api_models.OpenApiRequest(
            headers=headers
        )
        return microgw_20200810_models.DetachPolicyResponse().from_map(self.do_roarequest('DetachPolicy', '2020-08-10', 'HTTPS', 'POST', 'AK', f'/v1/api/{api_id}/detach/{{policyId}}', 'json', req, runtime))

    def get_dataset_with_options(self, request, runtime):
        UtilClient.validate_model(request)
        return pai_label_20200608_models.GetDatasetResponse().from_map(self.do_request("GetDataset", "HTTPS", "GET", "2020-06-08", "AK", request.to_map(), None, runtime))

    def insert_content_with_options(
        self,
        request: main_models.InsertContentWithOptionsRequest,
    ) -> main_models.InsertContentWithOptionsResponse:
        runtime = RuntimeOptions()
        headers = main_models.InsertContentWithOptionsHeaders()
        return self.insert_content_with_options_with_options(request, headers, runtime)
"#;

    #[test]
    fn older_sdk_styles() {
        let ops = parse_client(OLDER_CLIENT).unwrap().ops;
        // The convenience method of an action named `InsertContentWithOptions` is no
        // operation (it takes no runtime options).
        assert_eq!(ops.len(), 4);
        let rpc = &ops[0];
        assert_eq!(
            (
                rpc.action.as_str(),
                rpc.version.as_str(),
                rpc.method.as_str()
            ),
            ("DescribeX", "2016-11-11", "POST")
        );
        assert_eq!(
            (rpc.style.as_str(), rpc.req_body_type.as_str()),
            ("RPC", "formData")
        );
        assert_eq!(
            (rpc.pathname.as_str(), rpc.body_type.as_str()),
            ("/", "json")
        );
        assert!(rpc.all_body && !rpc.all_query);
        assert_eq!(
            placement(rpc, "instance_id", "InstanceId"),
            Some(("body".into(), "InstanceId".into()))
        );

        let roa = &ops[1];
        assert_eq!((roa.style.as_str(), roa.method.as_str()), ("ROA", "GET"));
        assert_eq!(roa.pathname, "/v1/gateway/{gateway_id}/service");
        assert_eq!(roa.path_args, ["gateway_id"]);
        assert_eq!(roa.request.as_deref(), Some("FindServiceRequest"));
        assert!(roa.all_query && !roa.all_body);
        assert_eq!(roa.unsupported, None);

        // Literal braces: that action is left out with the reason, not the product.
        let braces = &ops[2];
        assert_eq!(braces.action, "DetachPolicy");
        let why = braces.unsupported.as_deref().unwrap();
        assert!(why.contains("sends the braces as written"), "{why}");

        let tea_rpc = &ops[3];
        assert_eq!(
            (
                tea_rpc.action.as_str(),
                tea_rpc.version.as_str(),
                tea_rpc.method.as_str()
            ),
            ("GetDataset", "2020-06-08", "GET")
        );
        assert_eq!(tea_rpc.style, "RPC");
        assert_eq!(tea_rpc.request.as_deref(), Some("GetDatasetRequest"));
        assert!(tea_rpc.all_query && !tea_rpc.all_body);
    }

    #[test]
    fn a_quoted_forward_reference_is_the_class_it_names() {
        assert_eq!(
            parse_ty("List['PhysicalSpaceDto']"),
            Ok(PyTy::List(Box::new(PyTy::Class("PhysicalSpaceDto".into()))))
        );
        assert_eq!(
            parse_ty("'main_models.Node'"),
            Ok(PyTy::Class("Node".into()))
        );
        assert!(parse_ty("'a b'").is_err());
    }

    #[test]
    fn actions_through_another_gateway_are_left_out_with_the_reason() {
        let client = r#"
from alibabacloud_gateway_oss.client import Client as GatewayClientClient
class Client(OpenApiClient):
    def __init__(
        self,
        config: open_api_util_models.Config,
    ):
        gateway_client = GatewayClientClient()
        self._spi = gateway_client

    def list_buckets_with_options(
        self,
        request: main_models.ListBucketsRequest,
        headers: Dict[str, str],
        runtime: RuntimeOptions,
    ) -> main_models.ListBucketsResponse:
        params = open_api_util_models.Params(
            action = 'ListBuckets',
            version = '2019-05-17',
            pathname = f'/',
            method = 'GET',
            style = 'ROA',
        )
        return DaraCore.from_map(
            main_models.ListBucketsResponse(),
            self.execute(params, req, runtime)
        )
"#;
        let ops = parse_client(client).unwrap().ops;
        let why = ops[0].unsupported.as_deref().unwrap();
        assert!(why.contains("`alibabacloud_gateway_oss`"), "{why}");
        // Without the gateway the same function is an ordinary ROA operation.
        let plain = client.replace("        self._spi = gateway_client\n", "");
        assert_eq!(parse_client(&plain).unwrap().ops[0].unsupported, None);
    }

    #[test]
    fn oldest_models_type_attributes_in_comments() {
        let models = r#"
class FindServiceRequest(TeaModel):
    def __init__(self, page_number=None, name=None,
                 tags=None):
        # pageNumber
        self.page_number = page_number  # type: int
        self.name = name                # type: str
        self.tags = tags                # type: List[str]

    def validate(self):
        pass

    def to_map(self):
        result = {}
        if self.page_number is not None:
            result['pageNumber'] = self.page_number
        if self.name is not None:
            result['name'] = self.name
        if self.tags is not None:
            result['tags'] = self.tags
        return result
"#;
        let classes = parse_models(models).unwrap();
        let fields: Vec<_> = classes[0]
            .fields
            .iter()
            .map(|f| (f.attr.as_str(), f.wire.as_deref(), f.ty.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                ("page_number", Some("pageNumber"), PyTy::Int),
                ("name", Some("name"), PyTy::Str),
                ("tags", Some("tags"), PyTy::List(Box::new(PyTy::Str))),
            ]
        );
        assert_eq!(classes[0].fields[0].comment, ["pageNumber"]);
    }

    #[test]
    fn model_class_with_comments() {
        let classes = parse_models(MODELS).unwrap();
        assert_eq!(classes.len(), 5);
        let req = &classes[0];
        assert_eq!(req.name, "AddThingsRequest");
        let wires: Vec<_> = req.fields.iter().map(|f| f.wire.as_deref()).collect();
        assert_eq!(
            wires,
            [
                Some("InstanceId"),
                Some("Note"),
                Some("Tag"),
                Some("ThingList"),
                Some("Size"),
                Some("Opts"),
            ]
        );
        let (d, required, example) = comment_parts(&req.fields[0].comment);
        assert_eq!(
            (d.as_str(), required, example.as_deref()),
            ("The instance ID.", true, Some("inst-1"))
        );
        let (d, required, example) = comment_parts(&req.fields[1].comment);
        assert_eq!(
            (d.as_str(), required, example),
            ("A note.\n\nSecond paragraph.", false, None)
        );
    }

    #[test]
    fn older_model_aliases_bytes_and_unknown_hints() {
        assert_eq!(
            parse_ty("List[iot_20180120_models.X]"),
            Ok(PyTy::List(Box::new(PyTy::Class("X".into()))))
        );
        assert_eq!(parse_ty("bytes"), Ok(PyTy::Str));
        assert!(parse_ty("web_socket_utils.WebSocketClient").is_err());
        assert!(parse_ty("Optional[str]").is_err());
        // An unknown hint fails only the actions that reach it.
        let classes = parse_models(
            "class A(DaraModel):\n    def __init__(\n        self,\n        ws: Optional[str] = None,\n    ):\n        pass\n",
        )
        .unwrap();
        assert!(matches!(classes[0].fields[0].ty, PyTy::Unsupported(_)));
    }

    /// A client going through the SLS gateway, as `alibabacloud-sls20201230` writes it.
    const SLS_CLIENT: &str = r#"
from alibabacloud_gateway_sls.client import Client as GatewayClientClient
from alibabacloud_demo20201230 import models as main_models

class Client(OpenApiClient):

    def __init__(
        self,
        config: open_api_util_models.Config,
    ):
        super().__init__(config)
        self._product_id = 'Sls'
        gateway_client = GatewayClientClient()
        self._spi = gateway_client
        self._endpoint_rule = 'central'
        self._endpoint_map = {
            'cn-qingdao': 'cn-qingdao.log.aliyuncs.com',
            'cn-hangzhou': 'cn-hangzhou.log.aliyuncs.com'
        }

    def get_thing_with_options(
        self,
        project: str,
        logstore: str,
        request: main_models.GetThingRequest,
        headers: main_models.GetThingHeaders,
        runtime: RuntimeOptions,
    ) -> main_models.GetThingResponse:
        request.validate()
        host_map = {}
        host_map['project'] = project
        query = {}
        if not DaraCore.is_null(request.offset):
            query['offset'] = request.offset
        real_headers = {}
        if not DaraCore.is_null(headers.common_headers):
            real_headers = headers.common_headers
        if not DaraCore.is_null(headers.accept_encoding):
            real_headers['Accept-Encoding'] = str(headers.accept_encoding)
        if not DaraCore.is_null(headers.x_trace_id):
            real_headers['X-Trace-Id'] = UtilClient.to_jsonstring(headers.x_trace_id)
        req = open_api_util_models.OpenApiRequest(
            host_map = host_map,
            headers = real_headers,
            query = Utils.query(query)
        )
        params = open_api_util_models.Params(
            action = 'GetThing',
            version = '2020-12-30',
            protocol = 'HTTPS',
            pathname = f'/logstores/{logstore}',
            method = 'GET',
            auth_type = 'AK',
            style = 'ROA',
            req_body_type = 'json',
            body_type = 'json'
        )

    def put_things_with_options(
        self,
        project: str,
        logstore: str,
        request: main_models.PutThingsRequest,
        headers: main_models.PutThingsHeaders,
        runtime: RuntimeOptions,
    ) -> main_models.PutThingsResponse:
        host_map = {}
        host_map['project'] = project
        req = open_api_util_models.OpenApiRequest(
            host_map = host_map,
            body = Utils.parse_to_map(request.body)
        )
        params = open_api_util_models.Params(
            action = 'PutThings',
            version = '2020-12-30',
            protocol = 'HTTPS',
            pathname = f'/logstores/{logstore}/things',
            method = 'POST',
            auth_type = 'AK',
            style = 'ROA',
            req_body_type = 'protobuf',
            body_type = 'none'
        )

    def list_shards_with_options(
        self,
        project: str,
        logstore: str,
        headers: Dict[str, str],
        runtime: RuntimeOptions,
    ) -> main_models.ListShardsResponse:
        host_map = {}
        host_map['project'] = project
        params = open_api_util_models.Params(
            action = 'ListShards',
            version = '2020-12-30',
            protocol = 'HTTPS',
            pathname = f'/logstores/{logstore}/shards',
            method = 'GET',
            auth_type = 'AK',
            style = 'ROA',
            req_body_type = 'json',
            body_type = 'array'
        )

    def enable_thing_with_options(
        self,
        project: str,
        thing_name: str,
        headers: Dict[str, str],
        runtime: RuntimeOptions,
    ) -> main_models.EnableThingResponse:
        host_map = {}
        host_map['project'] = project
        params = open_api_util_models.Params(
            action = 'EnableThing',
            version = '2020-12-30',
            protocol = 'HTTPS',
            pathname = f'/things/{thing_name}?action=enable',
            method = 'PUT',
            auth_type = 'AK',
            style = 'ROA',
            req_body_type = 'json',
            body_type = 'none'
        )
"#;

    const SLS_MODELS: &str = r#"
class GetThingHeaders(DaraModel):
    def __init__(
        self,
        common_headers: Dict[str, str] = None,
        accept_encoding: str = None,
        x_trace_id: str = None,
    ):
        self.common_headers = common_headers
        self.accept_encoding = accept_encoding
        # The trace ID.
        self.x_trace_id = x_trace_id

    def to_map(self):
        result = dict()
        if self.common_headers is not None:
            result['commonHeaders'] = self.common_headers
        if self.accept_encoding is not None:
            result['Accept-Encoding'] = self.accept_encoding
        if self.x_trace_id is not None:
            result['X-Trace-Id'] = self.x_trace_id
        return result

class GetThingRequest(DaraModel):
    def __init__(
        self,
        offset: int = None,
    ):
        # The offset.
        self.offset = offset

    def to_map(self):
        result = dict()
        if self.offset is not None:
            result['offset'] = self.offset
        return result

class GetThingResponse(DaraModel):
    def __init__(
        self,
        headers: Dict[str, str] = None,
        status_code: int = None,
        body: main_models.Thing = None,
    ):
        self.headers = headers
        self.status_code = status_code
        self.body = body

    def to_map(self):
        result = dict()
        if self.headers is not None:
            result['headers'] = self.headers
        if self.status_code is not None:
            result['statusCode'] = self.status_code
        if self.body is not None:
            result['body'] = self.body.to_map()
        return result

class Thing(DaraModel):
    def __init__(
        self,
        thing_name: str = None,
    ):
        # The thing's name.
        self.thing_name = thing_name

    def to_map(self):
        result = dict()
        if self.thing_name is not None:
            result['thingName'] = self.thing_name
        return result

class PutThingsRequest(DaraModel):
    def __init__(
        self,
        body: main_models.LogGroup = None,
    ):
        # The things, compressed.
        self.body = body

    def to_map(self):
        result = dict()
        if self.body is not None:
            result['body'] = self.body.to_map()
        return result

class LogGroup(DaraModel):
    def __init__(
        self,
        topic: str = None,
    ):
        self.topic = topic

    def to_map(self):
        result = dict()
        if self.topic is not None:
            result['Topic'] = self.topic
        return result

class ListShardsResponse(DaraModel):
    def __init__(
        self,
        headers: Dict[str, str] = None,
        status_code: int = None,
        body: List[main_models.Shard] = None,
    ):
        self.headers = headers
        self.status_code = status_code
        self.body = body

    def to_map(self):
        result = dict()
        if self.headers is not None:
            result['headers'] = self.headers
        result['body'] = []
        if self.body is not None:
            for k1 in self.body:
                result['body'].append(k1.to_map() if k1 else None)
        return result

class Shard(DaraModel):
    def __init__(
        self,
        shard_id: int = None,
        area_en: str = None,
    ):
        # The shard's id.
        self.shard_id = shard_id
        # The area, in English.
        self.area_en = area_en

    def to_map(self):
        result = dict()
        if self.shard_id is not None:
            result['shardID'] = self.shard_id
        if self.area_en is not None:
            result['Area.en'] = self.area_en
        return result
"#;

    /// A client behind the PDS gateway whose action takes a structure header (shrunk to
    /// JSON text) and a boolean header from its headers model.
    const PDS_CLIENT: &str = r#"
from alibabacloud_gateway_pds.client import Client as GatewayClientClient
from alibabacloud_demo20220301 import models as main_models

class Client(OpenApiClient):

    def __init__(
        self,
        config: open_api_util_models.Config,
    ):
        super().__init__(config)
        self._product_id = 'pds'
        gateway_client = GatewayClientClient()
        self._spi = gateway_client
        self._endpoint_rule = ''

    def add_thing_with_options(
        self,
        tmp_req: main_models.AddThingRequest,
        tmp_header: main_models.AddThingHeaders,
        runtime: RuntimeOptions,
    ) -> main_models.AddThingResponse:
        tmp_req.validate()
        request = main_models.AddThingShrinkRequest()
        Utils.convert(tmp_req, request)
        headers = main_models.AddThingShrinkHeaders()
        Utils.convert(tmp_header, headers)
        if not DaraCore.is_null(tmp_header.account_context):
            headers.account_context_shrink = Utils.array_to_string_with_specified_style(tmp_header.account_context, 'AccountContext', 'json')
        body = {}
        if not DaraCore.is_null(request.name):
            body['name'] = request.name
        real_headers = {}
        if not DaraCore.is_null(headers.common_headers):
            real_headers = headers.common_headers
        if not DaraCore.is_null(headers.account_context_shrink):
            real_headers['AccountContext'] = DaraCore.to_json_string(headers.account_context_shrink)
        if not DaraCore.is_null(headers.x_load_test):
            real_headers['X-Load-Test'] = DaraCore.to_json_string(headers.x_load_test)
        req = open_api_util_models.OpenApiRequest(
            headers = real_headers,
            body = Utils.parse_to_map(body)
        )
        params = open_api_util_models.Params(
            action = 'AddThing',
            version = '2022-03-01',
            protocol = 'HTTPS',
            pathname = f'/v2/thing/add',
            method = 'POST',
            auth_type = 'AK',
            style = 'ROA',
            req_body_type = 'json',
            body_type = 'json'
        )
        return DaraCore.from_map(
            main_models.AddThingResponse(),
            self.execute(params, req, runtime)
        )
"#;

    const PDS_MODELS: &str = r#"
class AddThingHeaders(DaraModel):
    def __init__(
        self,
        common_headers: Dict[str, str] = None,
        account_context: main_models.AddThingHeadersAccountContext = None,
        x_load_test: bool = None,
    ):
        self.common_headers = common_headers
        self.account_context = account_context
        self.x_load_test = x_load_test

    def to_map(self):
        result = dict()
        if self.account_context is not None:
            result['AccountContext'] = self.account_context.to_map()
        if self.x_load_test is not None:
            result['X-Load-Test'] = self.x_load_test
        return result

class AddThingHeadersAccountContext(DaraModel):
    def __init__(
        self,
        account_id: str = None,
    ):
        # The account.
        # This parameter is required.
        self.account_id = account_id

    def to_map(self):
        result = dict()
        if self.account_id is not None:
            result['accountId'] = self.account_id
        return result

class AddThingRequest(DaraModel):
    def __init__(
        self,
        name: str = None,
    ):
        # The name.
        self.name = name

    def to_map(self):
        result = dict()
        if self.name is not None:
            result['name'] = self.name
        return result

class AddThingResponse(DaraModel):
    def __init__(
        self,
        headers: Dict[str, str] = None,
        status_code: int = None,
        body: main_models.AddThingResponseBody = None,
    ):
        self.headers = headers
        self.status_code = status_code
        self.body = body

    def to_map(self):
        result = dict()
        if self.body is not None:
            result['body'] = self.body.to_map()
        return result

class AddThingResponseBody(DaraModel):
    def __init__(
        self,
        thing_id: str = None,
    ):
        # The thing's id.
        self.thing_id = thing_id

    def to_map(self):
        result = dict()
        if self.thing_id is not None:
            result['thing_id'] = self.thing_id
        return result
"#;

    #[test]
    fn the_pds_gateway_makes_a_pds_product_with_its_headers_model_sent() {
        let parsed = parse_client(PDS_CLIENT).unwrap();
        assert_eq!(parsed.gateway, Some(Protocol::Pds));
        // The gateway's own host, the caller's domain put in front of it.
        assert_eq!(parsed.endpoint.as_deref(), Some("api.aliyunpds.com"));
        assert_eq!(parsed.endpoints, None);
        assert_eq!(parsed.ops[0].unsupported, None);
        assert_eq!(parsed.ops[0].header_shrink["account_context"], "json");
        let classes = parse_models(PDS_MODELS).unwrap();
        let imported = map(&sls_source(&parsed, &classes), &Kept::default()).unwrap();
        assert_eq!(imported.product.protocol, Protocol::Pds);
        assert_eq!(imported.product.endpoint, "api.aliyunpds.com");
        assert!(imported.lost.is_empty(), "{:?}", imported.lost);
        let action = &imported.actions[0].spec;
        let header = |name: &str| {
            action
                .parameters
                .iter()
                .find(|p| p.name == name)
                .unwrap_or_else(|| panic!("{name}: {:?}", action.parameters))
        };
        // The structure, as the JSON text the SDK shrinks it to; its type named without
        // the `AddThingHeaders` prefix.
        let account = header("AccountContext");
        assert_eq!(
            (account.ty.as_str(), account.position, account.style),
            (
                "AccountContext",
                Some(Position::Header),
                Some(ParamStyle::Json)
            )
        );
        assert!(action.types.iter().any(|t| t.name == "AccountContext"));
        // A boolean, which `to_json_string` writes as `true` / `false`.
        let load_test = header("X-Load-Test");
        assert_eq!(
            (load_test.ty.as_str(), load_test.position, load_test.style),
            ("boolean", Some(Position::Header), None)
        );
        // Without `self._spi = gateway_client` the gateway is not the client's.
        let plain = PDS_CLIENT.replace("        self._spi = gateway_client\n", "");
        assert_eq!(parse_client(&plain).unwrap().gateway, None);
    }

    fn sls_source<'a>(parsed: &'a ParsedClient, classes: &'a [PyClass]) -> Source<'a> {
        Source {
            product: "demo",
            version: "2020-12-30",
            classes,
            ops: &parsed.ops,
            endpoint: parsed.endpoint.as_deref(),
            default_region: parsed.default_region.as_deref(),
            title: None,
            origin: "a test",
            gateway: parsed.gateway,
            docs: &NO_DOCS,
            endpoints: parsed.endpoints.as_ref(),
        }
    }

    #[test]
    fn the_sls_gateway_makes_an_sls_product_on_a_regional_host() {
        let parsed = parse_client(SLS_CLIENT).unwrap();
        assert_eq!(parsed.gateway, Some(Protocol::Sls));
        // Not `sls.aliyuncs.com` (the `central` rule's guess): cn-hangzhou's host.
        assert_eq!(
            parsed.endpoint.as_deref(),
            Some("cn-hangzhou.log.aliyuncs.com")
        );
        assert_eq!(parsed.default_region.as_deref(), Some("cn-hangzhou"));
        // Only the import line and `self._spi = gateway_client` together make it sls.
        let no_spi = SLS_CLIENT.replace("self._spi = gateway_client", "");
        assert_eq!(parse_client(&no_spi).unwrap().gateway, None);
        assert_eq!(parse_client(CLIENT).unwrap().gateway, None);
        let classes = parse_models(SLS_MODELS).unwrap();
        let imported = map(&sls_source(&parsed, &classes), &Kept::default()).unwrap();
        assert_eq!(imported.product.protocol.name(), "sls");
        assert_eq!(imported.product.endpoint, "cn-hangzhou.log.aliyuncs.com");
        assert_eq!(
            imported.product.default_region.as_deref(),
            Some("cn-hangzhou")
        );
    }

    #[test]
    fn whole_bodies_and_shrinks_without_an_underscore() {
        let op = |lines: &str| {
            let text = format!(
                "    def do_it_with_options(\n        self,\n        tmp_req: main_models.DoItRequest,\n        runtime: RuntimeOptions,\n    ) -> main_models.DoItResponse:\n{lines}        params = open_api_util_models.Params(\n            action = 'DoIt',\n        )\n"
            );
            let lines: Vec<&str> = text.lines().collect();
            parse_op(&lines).unwrap()
        };
        for body in [
            "body = request.body",
            "body=request.body",
            "body = Utils.parse_to_map(request.body)",
            "body = OpenApiUtilClient.parse_to_map(request.body)",
        ] {
            let o = op(&format!(
                "        req = open_api_util_models.OpenApiRequest(\n            {body}\n        )\n"
            ));
            assert!(o.value_body, "{body}");
            assert_eq!(
                o.positions.get("body"),
                Some(&("body".to_owned(), String::new())),
                "{body}"
            );
        }
        // A local `body` is no whole body.
        assert!(!op("        body = Utils.parse_to_map(body)\n").value_body);
        let o = op("        request.external_auth_zjsonshrink = Utils.array_to_string_with_specified_style(tmp_req.external_auth_zjson, 'ExternalAuthZJSON', 'json')\n        query['ExternalAuthZJSON'] = request.external_auth_zjsonshrink\n");
        assert_eq!(
            o.shrink.get("external_auth_zjson").map(String::as_str),
            Some("json")
        );
        assert_eq!(
            o.positions.get("external_auth_zjson"),
            Some(&("query".to_owned(), "ExternalAuthZJSON".to_owned()))
        );
    }

    #[test]
    fn host_map_becomes_a_host_parameter() {
        let parsed = parse_client(SLS_CLIENT).unwrap();
        let op = &parsed.ops[0];
        assert_eq!(op.host_args, [("project".to_owned(), "project".to_owned())]);
        // The host argument is no path argument.
        assert_eq!(op.path_args, ["logstore"]);
        assert_eq!(
            op.model_headers,
            [
                ("Accept-Encoding".to_owned(), "accept_encoding".to_owned()),
                ("X-Trace-Id".to_owned(), "x_trace_id".to_owned())
            ]
        );
        assert_eq!(op.headers_class.as_deref(), Some("GetThingHeaders"));
        let classes = parse_models(SLS_MODELS).unwrap();
        let imported = map(&sls_source(&parsed, &classes), &Kept::default()).unwrap();
        let a = imported
            .actions
            .iter()
            .find(|a| a.name == "GetThing")
            .unwrap();
        let p = &a.parameters[0];
        assert_eq!(
            (
                p.name.as_str(),
                p.ty.as_str(),
                p.required,
                w(p.position).as_deref()
            ),
            ("project", "string", true, Some("host"))
        );
        assert!(p.description.contains("`<project>.<endpoint>`"), "{p:?}");
        // Path parameters are named as SLS's documents name them (lowerCamelCase)...
        assert_eq!(a.path.as_deref(), Some("/logstores/{logstore}"));
        assert_eq!(
            (
                a.parameters[1].name.as_str(),
                w(a.parameters[1].position).as_deref()
            ),
            ("logstore", Some("path"))
        );
        assert_eq!(a.parameters[2].name, "offset");
        // ... unless the request sends a member of that name too.
        let clash =
            parse_client(&SLS_CLIENT.replace("query['offset']", "query['logstore']")).unwrap();
        let clashing = map(&sls_source(&clash, &classes), &Kept::default()).unwrap();
        let b = clashing
            .actions
            .iter()
            .find(|a| a.name == "GetThing")
            .unwrap();
        assert_eq!(b.path.as_deref(), Some("/logstores/{Logstore}"));
        assert_eq!(
            b.parameters
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()[1..3],
            ["Logstore", "logstore"]
        );
        // The answer is `GetThingResponse.body`'s class, not `GetThingResponseBody`.
        assert_eq!(a.response.fields[0].name, "thingName");
        // A header the runtime sets itself is left out, saying why, and counted; a string
        // header of the headers model is a header parameter.
        assert!(a
            .comments
            .iter()
            .any(|c| c.contains("left out: Accept-Encoding (it asks for a compressed answer")));
        assert!(imported
            .lost
            .iter()
            .any(|(m, _)| m == "GetThing.Accept-Encoding"));
        let headers: Vec<(&str, &str, &str)> = a
            .parameters
            .iter()
            .filter(|p| w(p.position).as_deref() == Some("header"))
            .map(|p| (p.name.as_str(), p.ty.as_str(), p.description.as_str()))
            .collect();
        assert_eq!(headers, [("X-Trace-Id", "string", "The trace ID.")]);

        // The checker takes the product (protocol sls, a host parameter, a path's fixed
        // query).
        let provider = include_str!("../../../specs/aliyun/provider.yaml");
        let existing = crate::import::existing::Existing::from_files(
            vec![("aliyun/provider.yaml".into(), provider.as_bytes().to_vec())],
            None,
            "aliyun/demo/2020-12-30",
        )
        .unwrap();
        let planned =
            crate::import::plan::plan(&existing, "aliyun/demo/2020-12-30", imported).unwrap();
        assert_eq!(
            planned.written_actions,
            ["GetThing", "PutThings", "ListShards", "EnableThing"]
        );
        let text = &planned
            .files
            .iter()
            .find(|(p, _)| p.ends_with("GetThing.yaml"))
            .unwrap()
            .1;
        assert!(text.contains("position: host"), "{text}");

        // Without the SLS gateway a host argument cannot be sent: left out, saying why.
        let mut roa = parsed.clone();
        roa.gateway = None;
        let imported = map(&sls_source(&roa, &classes), &Kept::default()).unwrap();
        assert_eq!(imported.product.protocol.name(), "roa");
        assert!(imported.skipped.iter().any(|(n, why)| n == "GetThing"
            && why.contains("only sls products (the SLS gateway) have a host parameter")));
    }

    #[test]
    fn protobuf_bodies_and_array_answers_are_imported_fixed_queries_kept() {
        let parsed = parse_client(SLS_CLIENT).unwrap();
        let classes = parse_models(SLS_MODELS).unwrap();
        let imported = map(&sls_source(&parsed, &classes), &Kept::default()).unwrap();
        assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
        let action = |name: &str| {
            imported
                .actions
                .iter()
                .find(|a| a.name == name)
                .unwrap_or_else(|| panic!("{name} is not imported"))
        };
        // A protobuf body: the one body parameter is the bytes the caller encodes; the
        // SDK's model is named, not imported.
        let put = action("PutThings");
        assert_eq!(w(put.body).as_deref(), Some("protobuf"));
        let body = put
            .parameters
            .iter()
            .find(|p| w(p.position).as_deref() == Some("body"))
            .unwrap();
        assert_eq!((body.name.as_str(), body.ty.as_str()), ("body", "binary"));
        assert!(
            body.description.starts_with(
                "The things, compressed.\n\nThe `LogGroup` message, encoded as protocol buffers"
            ),
            "{}",
            body.description
        );
        assert!(put.types.is_empty(), "{:?}", put.types);
        assert!(put
            .comments
            .iter()
            .any(|c| c.contains("`req_body_type = 'protobuf'`")));
        // A JSON array answer: one field, the list of the SDK's element class, whose
        // dotted key is kept as one key.
        let shards = action("ListShards");
        assert_eq!(w(shards.response.body).as_deref(), Some("value"));
        assert_eq!(
            (
                shards.response.fields[0].name.as_str(),
                shards.response.fields[0].ty.as_str()
            ),
            ("Body", "list<Shard>")
        );
        let Some(fields) = &shards.types[0].fields else {
            panic!("{:?}", shards.types)
        };
        let dotted: Vec<(&str, bool)> =
            fields.iter().map(|f| (f.name.as_str(), f.dotted)).collect();
        assert_eq!(dotted, [("shardID", false), ("Area.en", true)]);
        let yaml = shards.to_yaml();
        assert!(yaml.contains("response:\n  body: value\n"), "{yaml}");
        assert!(yaml.contains("  dotted: true\n"), "{yaml}");
        // A path with a fixed query (the SLS gateway sends it as query parameters) is
        // imported as the document gives it.
        let enable = action("EnableThing");
        assert!(
            enable
                .path
                .as_deref()
                .is_some_and(|p| p.ends_with("?action=enable")),
            "{:?}",
            enable.path
        );
        assert_eq!(imported.actions.len(), 4);
        // A protobuf body that is not one attribute of the request, and a protobuf answer,
        // are left out, saying why.
        let mut op = parsed.ops[1].clone();
        op.value_body = false;
        assert!(shape_problem(&op).is_some_and(|w| w.starts_with(
            "its request body is protobuf (`req_body_type = 'protobuf'`) but not one attribute"
        )));
        let mut op = parsed.ops[0].clone();
        op.body_type = "protobuf".into();
        assert_eq!(
            shape_problem(&op).as_deref(),
            Some("its answer is protobuf (`body_type = 'protobuf'`), which the spec format cannot express")
        );
        op.body_type = "none".into();
        assert_eq!(shape_problem(&op), None);
    }

    /// What `body_type` and the type of `<Action>Response.body` make of an answer.
    #[test]
    fn answers_are_objects_values_text_or_bytes() {
        let response = |hint: &str| {
            format!(
                "class XResponse(DaraModel):\n    def __init__(\n        self,\n        body: {hint} = None,\n    ):\n        self.body = body\n"
            )
        };
        let shape = |body_type: &str, hint: Option<&str>| {
            let classes = parse_models(&hint.map(response).unwrap_or_default()).unwrap();
            let classes: BTreeMap<&str, &PyClass> =
                classes.iter().map(|c| (c.name.as_str(), c)).collect();
            let op = PyOp {
                action: "X".into(),
                body_type: body_type.into(),
                ..PyOp::default()
            };
            answer_shape(&op, &classes)
        };
        let whole = |kind, ty| Ok(AnswerShape::Whole { kind, ty });
        let class = |c: &str| PyTy::Class(c.into());
        assert_eq!(shape("string", Some("str")), whole("text", PyTy::Str));
        assert_eq!(
            shape("binary", Some("BinaryIO")),
            whole("binary", PyTy::Bytes)
        );
        // fc-open's `body_type = 'byte'`, `body: bytes`.
        assert_eq!(shape("byte", Some("bytes")), whole("binary", PyTy::Bytes));
        assert_eq!(
            shape("array", Some("List[main_models.Shard]")),
            whole("value", PyTy::List(Box::new(class("Shard"))))
        );
        assert_eq!(
            shape("array", None),
            whole("value", PyTy::List(Box::new(PyTy::Any)))
        );
        assert_eq!(shape("any", Some("Any")), whole("value", PyTy::Any));
        assert_eq!(shape("any", None), whole("value", PyTy::Any));
        // cs's `body_type = 'json'` answers typed as a map or any JSON.
        assert_eq!(
            shape("json", Some("Dict[str, Any]")),
            whole("value", PyTy::Dict(Box::new(PyTy::Any)))
        );
        assert_eq!(shape("json", Some("str")), whole("text", PyTy::Str));
        assert_eq!(
            shape("json", Some("main_models.Thing")),
            Ok(AnswerShape::Object(Some("Thing".into())))
        );
        assert_eq!(shape("none", None), Ok(AnswerShape::Object(None)));
    }

    /// Function Compute's InvokeFunction: a `BinaryIO` request body sent as it is, and a
    /// binary answer.
    #[test]
    fn a_binary_body_and_answer() {
        let client = r#"
class Client(OpenApiClient):
    def invoke_function_with_options(
        self,
        function_name: str,
        request: main_models.InvokeFunctionRequest,
        headers: Dict[str, str],
        runtime: RuntimeOptions,
    ) -> main_models.InvokeFunctionResponse:
        query = {}
        if not DaraCore.is_null(request.qualifier):
            query['qualifier'] = request.qualifier
        req = open_api_util_models.OpenApiRequest(
            query = Utils.query(query),
            body = request.body,
            stream = request.body
        )
        params = open_api_util_models.Params(
            action = 'InvokeFunction',
            version = '2023-03-30',
            protocol = 'HTTPS',
            pathname = f'/2023-03-30/functions/{DaraURL.percent_encode(function_name)}/invocations',
            method = 'POST',
            auth_type = 'AK',
            style = 'ROA',
            req_body_type = 'json',
            body_type = 'binary'
        )
"#;
        let models = r#"
class InvokeFunctionRequest(DaraModel):
    def __init__(
        self,
        body: BinaryIO = None,
        qualifier: str = None,
    ):
        # Function invocation parameter
        self.body = body
        # Function version or alias
        self.qualifier = qualifier

    def to_map(self):
        result = dict()
        if self.body is not None:
            result['body'] = self.body
        if self.qualifier is not None:
            result['qualifier'] = self.qualifier
        return result

class InvokeFunctionResponse(DaraModel):
    def __init__(
        self,
        headers: Dict[str, str] = None,
        status_code: int = None,
        body: BinaryIO = None,
    ):
        self.headers = headers
        self.status_code = status_code
        self.body = body
"#;
        let parsed = parse_client(client).unwrap();
        let classes = parse_models(models).unwrap();
        let imported = map(&sls_source(&parsed, &classes), &Kept::default()).unwrap();
        assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
        let a = &imported.actions[0];
        assert_eq!(w(a.body).as_deref(), Some("binary"));
        let body = a.parameters.iter().find(|p| p.name == "body").unwrap();
        assert_eq!(
            (body.ty.as_str(), w(body.position).as_deref()),
            ("binary", Some("body"))
        );
        assert_eq!(w(a.response.body).as_deref(), Some("binary"));
        assert_eq!(a.response.fields[0].ty, "binary");
    }

    /// A request structure with a dotted key cannot be flattened: the action is left out.
    #[test]
    fn a_dotted_key_in_a_request_structure_leaves_the_action_out() {
        let mut classes = parse_models(SLS_MODELS).unwrap();
        let log_group = classes.iter_mut().find(|c| c.name == "LogGroup").unwrap();
        log_group.fields[0].wire = Some("Topic.en".into());
        let mut parsed = parse_client(SLS_CLIENT).unwrap();
        // As a JSON body (not protobuf), the structure is the request's.
        let put = parsed
            .ops
            .iter_mut()
            .find(|o| o.action == "PutThings")
            .unwrap();
        put.req_body_type = "json".into();
        let imported = map(&sls_source(&parsed, &classes), &Kept::default()).unwrap();
        let why = &imported
            .skipped
            .iter()
            .find(|(n, _)| n == "PutThings")
            .unwrap()
            .1;
        assert_eq!(
            why,
            "its request sends the structure `LogGroup`, whose key `Topic.en` contains a dot, which a flattened request would read as a path"
        );
    }

    #[test]
    fn titles_and_default_regions() {
        assert_eq!(
            title_from_summary(
                "Alibaba Cloud Elastic Compute Service (20140526) SDK Library for Python",
                "ecs"
            )
            .as_deref(),
            Some("Elastic Compute Service")
        );
        assert_eq!(
            title_from_summary(
                "Alibaba Cloud Alibaba Cloud CDN (20180510) SDK Library for Python",
                "cdn"
            )
            .as_deref(),
            Some("Alibaba Cloud CDN")
        );
        assert_eq!(
            title_from_summary(
                "Alibaba Cloud R-kvstore (20150101) SDK Library for Python",
                "r-kvstore"
            ),
            None
        );
        assert_eq!(
            host_region("ccc.cn-shanghai.aliyuncs.com").as_deref(),
            Some("cn-shanghai")
        );
        assert_eq!(host_region("ecs.aliyuncs.com"), None);
        // With the `central` rule the map lists exceptions: the host is `<id>.aliyuncs.com`.
        let client = |rule: &str, host: &str| {
            format!(
                "        self._endpoint_rule = '{rule}'\n        self._endpoint_map = {{\n            'ap-south-1': '{host}',\n            'us-east-1': '{host}'\n        }}\n        self._endpoint = self.get_endpoint('cdn', self._region_id, self._endpoint_rule)\n"
            )
        };
        let c = parse_client(&client("central", "cdn.ap-southeast-1.aliyuncs.com")).unwrap();
        assert_eq!(c.endpoint.as_deref(), Some("cdn.aliyuncs.com"));
        assert_eq!(c.default_region, None);
        let c = parse_client(&client("regional", "cdn.ap-southeast-1.aliyuncs.com")).unwrap();
        assert_eq!(
            c.endpoint.as_deref(),
            Some("cdn.ap-southeast-1.aliyuncs.com")
        );
        assert_eq!(c.default_region.as_deref(), Some("ap-southeast-1"));
        assert_eq!(host_region("ecs-cn-hangzhou.aliyuncs.com"), None);
        // An empty rule is `central` to the SDK (devops 2021-06-25, eci 2018-08-08).
        let c = parse_client(&client("", "cdn.ap-southeast-1.aliyuncs.com")).unwrap();
        assert_eq!(c.endpoint.as_deref(), Some("cdn.aliyuncs.com"));
        assert_eq!(
            c.endpoints
                .as_ref()
                .map(|(rule, id, _)| (rule.as_str(), id.as_str())),
            Some(("central", "cdn"))
        );
        // A map host ending in a tab (fc 2023-03-30) is the host without it.
        let c = parse_client(&client("regional", "cdn.ap-southeast-1.aliyuncs.com\t")).unwrap();
        let (_, _, regions) = c.endpoints.expect("the endpoints block");
        assert!(
            regions
                .iter()
                .all(|(_, h)| h == "cdn.ap-southeast-1.aliyuncs.com"),
            "{regions:?}"
        );
    }

    #[test]
    fn roa_path_parameters_are_named_as_alibabas_documents_name_them() {
        let ParsedClient { ops, endpoint, .. } = parse_client(CLIENT).unwrap();
        let models = format!(
            "{MODELS}{}",
            r#"
class DescribeClusterRequest(DaraModel):
    def __init__(
        self,
        verbose: bool = None,
    ):
        self.verbose = verbose

    def to_map(self):
        result = dict()
        if self.verbose is not None:
            result['verbose'] = self.verbose
        return result

class DescribeClusterResponseBody(DaraModel):
    def __init__(
        self,
        name: str = None,
    ):
        self.name = name

    def to_map(self):
        result = dict()
        if self.name is not None:
            result['name'] = self.name
        return result
"#
        );
        let classes = parse_models(&models).unwrap();
        let roa: Vec<PyOp> = ops.into_iter().filter(|o| o.style == "ROA").collect();
        let src = Source {
            product: "demo",
            version: "2020-01-01",
            classes: &classes,
            ops: &roa,
            endpoint: endpoint.as_deref(),
            default_region: None,
            title: None,
            origin: "a test",
            gateway: None,
            docs: &NO_DOCS,
            endpoints: None,
        };
        let imported = map(&src, &Kept::default()).unwrap();
        let a = imported
            .actions
            .first()
            .unwrap_or_else(|| panic!("{:?}", imported.skipped));
        // The SDK's argument `cluster_id` is the document's `ClusterId` (SLS's are
        // lowerCamelCase: `host_map_becomes_a_host_parameter`).
        assert_eq!(a.path.as_deref(), Some("/clusters/{ClusterId}/detail"));
        assert!(a
            .parameters
            .iter()
            .any(|p| p.name == "ClusterId" && w(p.position).as_deref() == Some("path")));
    }

    #[test]
    fn maps_and_passes_the_checker() {
        let ParsedClient { ops, endpoint, .. } = parse_client(CLIENT).unwrap();
        let classes = parse_models(MODELS).unwrap();
        let rpc: Vec<PyOp> = ops.iter().filter(|o| o.style == "RPC").cloned().collect();
        let src = Source {
            product: "demo",
            version: "2020-01-01",
            classes: &classes,
            ops: &ops,
            endpoint: endpoint.as_deref(),
            default_region: None,
            title: None,
            origin: "a test",
            gateway: None,
            docs: &NO_DOCS,
            endpoints: None,
        };
        let imported = map(&src, &Kept::default()).unwrap();
        // The style in the minority is reported (1 of 2 is a tie: RPC wins).
        assert_eq!(imported.product.protocol.name(), "rpc");
        assert_eq!(imported.product.endpoint, "demo.aliyuncs.com");
        assert!(imported
            .notes
            .iter()
            .any(|n| n.starts_with("DescribeCluster: not imported")));
        assert_eq!(rpc.len(), 1);
        let a = &imported.actions[0];
        let p = |n: &str| a.parameters.iter().find(|p| p.name == n).unwrap();
        assert!(p("InstanceId").required);
        assert_eq!(
            p("InstanceId").example.as_ref().map(|e| e.0.as_str()),
            Some("inst-1")
        );
        assert_eq!(w(p("ThingList").style).as_deref(), Some("json"));
        assert_eq!(p("ThingList").wire_name, None);
        assert_eq!(p("ThingList").ty, "list<ThingList>");
        assert_eq!(p("Tag").wire_name.as_deref(), Some("Tag.N"));
        assert_eq!(w(p("Note").position).as_deref(), Some("body"));
        // `body_flat` structures go in the form body, flattened (`Opts.1.Name`).
        assert_eq!(w(p("Opts").position).as_deref(), Some("body"));
        assert_eq!(p("Opts").wire_name.as_deref(), Some("Opts.N"));
        assert_eq!(p("Opts").style, None);
        assert!(a.parameters.iter().all(|p| p.name != "Size"));
        assert!(a.comments.iter().any(|c| c.contains("left out: Size")));
        // Counted for the coverage report, with the reason.
        assert!(imported
            .lost
            .iter()
            .any(|(m, why)| m.ends_with(".Size") && why == "the SDK does not send it"));
        let regions = a
            .response
            .fields
            .iter()
            .find(|f| f.name == "Regions")
            .unwrap();
        assert_eq!(regions.ty, "list<RegionsRegion>");
        assert_eq!(regions.wrapped.as_deref(), Some("Region"));
        let region = a.types.iter().find(|t| t.name == "RegionsRegion").unwrap();
        let Some(fields) = &region.fields else {
            panic!()
        };
        assert_eq!(fields[1].rust_name.as_deref(), Some("type_"));
        // The wrapper class itself is no type.
        assert!(a.types.iter().all(|t| t.name != "Regions"));
        assert_eq!(
            a.response
                .fields
                .iter()
                .find(|f| f.name == "Labels")
                .unwrap()
                .ty,
            "map<string>"
        );
        assert_eq!(
            a.response
                .fields
                .iter()
                .find(|f| f.name == "Extra")
                .unwrap()
                .ty,
            "json"
        );

        let provider = include_str!("../../../specs/aliyun/provider.yaml");
        let existing = crate::import::existing::Existing::from_files(
            vec![("aliyun/provider.yaml".into(), provider.as_bytes().to_vec())],
            None,
            "aliyun/demo/2020-01-01",
        )
        .unwrap();
        let planned =
            crate::import::plan::plan(&existing, "aliyun/demo/2020-01-01", imported).unwrap();
        assert_eq!(planned.written_actions, ["AddThings"]);
        let text = &planned
            .files
            .iter()
            .find(|(p, _)| p.ends_with("AddThings.yaml"))
            .unwrap()
            .1;
        assert!(text.contains("wrapped: Region"), "{text}");
        assert!(text.contains("style: json"), "{text}");
    }
}
