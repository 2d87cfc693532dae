//! What an import produces, before it is written: a product and its actions in the
//! shape of the spec format (`specs/README.md`), rendered to YAML by [`ProductOut::to_yaml`]
//! and [`ActionOut::to_yaml`].

use super::prose::EnumValue;
use super::yaml::{self, MapBuilder, Node};

/// `product.yaml`.
#[derive(Debug, Clone, Default)]
pub struct ProductOut {
    pub provider: String,
    pub product: String,
    pub title: String,
    pub version: String,
    pub description: String,
    pub protocol: String,
    pub endpoint: String,
    pub service: String,
    pub default_region: Option<String>,
    /// The `endpoints:` block: rule, product id, hosts by region (sorted).
    pub endpoints: Option<EndpointsOut>,
    pub common_parameters: Vec<(String, String)>,
    pub errors: Vec<ErrorOut>,
    pub types: Vec<TypeOut>,
    /// Comment lines written at the top of the file.
    pub comments: Vec<String>,
}

/// A product's `endpoints:` block: rule, product id, hosts by region.
pub type EndpointsOut = (String, String, Vec<(String, String)>);

/// One `<Action>.yaml`.
#[derive(Debug, Clone, Default)]
pub struct ActionOut {
    pub name: String,
    pub description: String,
    /// `POST` when not set.
    pub http_method: Option<String>,
    /// `roa`: the path template.
    pub path: Option<String>,
    /// `roa`, `sls`: `json`, `form`, `value`, `binary` or `protobuf`.
    pub body: Option<String>,
    pub parameters: Vec<MemberOut>,
    pub response_description: String,
    /// The answer as a whole (`response.body`): `value`, `text` or `binary`; `None` for a
    /// JSON object of fields.
    pub response_body: Option<String>,
    pub response: Vec<MemberOut>,
    pub types: Vec<TypeOut>,
    pub errors: Vec<ErrorOut>,
    pub examples: Vec<ExampleOut>,
    /// Comment lines written at the top of the file (what was left out, and why).
    pub comments: Vec<String>,
    /// The inferred `pagination:` block (see `paging.rs`).
    pub pagination: Option<super::paging::PaginationOut>,
}

/// A parameter or a structure field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberOut {
    pub name: String,
    /// Parameters only: `Name.N` for lists, as the provider's documents write them.
    pub wire_name: Option<String>,
    pub rust_name: Option<String>,
    pub ty: String,
    pub required: bool,
    pub range: Option<(i64, i64)>,
    pub default: Option<String>,
    pub example: Option<String>,
    pub description: String,
    /// Parameters only: `query`, `body`, `path` or `header` (written when set).
    pub position: Option<String>,
    /// Parameters only: `json` or `simple` (Alibaba's "shrink" parameters).
    pub style: Option<String>,
    /// Fields only: the element key of a list the wire wraps in an object.
    pub wrapped: Option<String>,
    /// Fields only: the key contains dots on the wire (`Area.en`), one key, not a path.
    pub dotted: bool,
    /// The metadata marks it disabled or deprecated; the SDK still sends it.
    pub deprecated: bool,
}

/// A named type: a structure or a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeOut {
    pub name: String,
    pub description: String,
    pub body: TypeBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeBody {
    Fields(Vec<MemberOut>),
    Enum(Vec<EnumValue>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExampleOut {
    pub title: String,
    pub request: Option<String>,
    pub response_json: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorOut {
    pub code: String,
    /// The Rust variant's name when the code's own would collide with another's.
    pub rust_name: Option<String>,
    pub description: String,
}

fn header(comments: &[String]) -> String {
    comments
        .iter()
        .flat_map(|c| c.lines().map(str::to_owned).collect::<Vec<_>>())
        .map(|l| {
            if l.is_empty() {
                "#\n".to_owned()
            } else {
                format!("# {l}\n")
            }
        })
        .collect()
}

/// A scalar written as a YAML number or boolean when it is one, else as text.
fn scalar(value: &str, ty: &str) -> Node {
    let numeric = matches!(ty, "integer" | "uint64") && value.parse::<i128>().is_ok()
        || ty == "boolean" && matches!(value, "true" | "false");
    // Only canonical forms (no `+1`, `01`) are written bare, so they read back unchanged.
    if numeric
        && value
            .parse::<i128>()
            .map_or(true, |n| n.to_string() == value)
    {
        Node::Raw(value.to_owned())
    } else {
        Node::str(value)
    }
}

/// Whether a member is a password, secret key or token, which the spec marks `secret`
/// (so `Debug` redacts it): a string whose name ends in one of those words. Not `SecretId`,
/// `NextToken` or `ClientToken` (ids and idempotency tokens), nor `NeedResetPassword` (a
/// boolean).
pub fn looks_secret(name: &str, ty: &str) -> bool {
    const ENDINGS: [&str; 9] = [
        "password",
        "passwd",
        "secret",
        "secretkey",
        "privatekey",
        "securitytoken",
        "sessiontoken",
        "accesstoken",
        "refreshtoken",
    ];
    let lower: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    ty == "string" && ENDINGS.iter().any(|e| lower.ends_with(e))
}

fn member(m: &MemberOut, field: bool) -> Node {
    let mut b = MapBuilder::default()
        .str("name", &m.name)
        .opt_str("wire_name", m.wire_name.as_deref())
        .opt_str("rust_name", m.rust_name.as_deref())
        .str("type", &m.ty)
        .opt_str("wrapped", m.wrapped.as_deref())
        .flag("dotted", m.dotted)
        .flag("required", m.required)
        .flag("secret", looks_secret(&m.name, &m.ty))
        .flag("deprecated", m.deprecated)
        .opt_str("position", m.position.as_deref())
        .opt_str("style", m.style.as_deref());
    if let Some((lo, hi)) = m.range {
        b = b.node(
            "range",
            MapBuilder::default()
                .node("min", Node::Raw(lo.to_string()))
                .node("max", Node::Raw(hi.to_string()))
                .build(),
        );
    }
    if let Some(d) = &m.default {
        b = b.node("default", scalar(d, &m.ty));
    }
    if let Some(e) = &m.example {
        b = b.node("example", scalar(e, &m.ty));
    }
    // A parameter's description is required; a field's may be empty.
    if field && m.description.is_empty() {
        b.build()
    } else {
        b.str("description", &m.description).build()
    }
}

fn types(list: &[TypeOut]) -> Node {
    Node::Seq(
        list.iter()
            .map(|t| {
                let b = MapBuilder::default()
                    .str("name", &t.name)
                    .opt_str("description", Some(&t.description));
                match &t.body {
                    TypeBody::Fields(fields) => b
                        .node(
                            "fields",
                            // `fields: []` marks an empty structure (not an enum).
                            if fields.is_empty() {
                                Node::Raw("[]".into())
                            } else {
                                Node::Seq(fields.iter().map(|f| member(f, true)).collect())
                            },
                        )
                        .build(),
                    TypeBody::Enum(values) => b
                        .node(
                            "enum",
                            Node::Seq(
                                values
                                    .iter()
                                    .map(|v| {
                                        MapBuilder::default()
                                            .str("value", &v.value)
                                            .opt_str("description", Some(&v.description))
                                            .build()
                                    })
                                    .collect(),
                            ),
                        )
                        .build(),
                }
            })
            .collect(),
    )
}

fn errors(list: &[ErrorOut]) -> Node {
    Node::Seq(
        list.iter()
            .map(|e| {
                MapBuilder::default()
                    .str("code", &e.code)
                    .opt_str("rust_name", e.rust_name.as_deref())
                    .opt_str("description", Some(&e.description))
                    .build()
            })
            .collect(),
    )
}

impl ProductOut {
    /// The text of `product.yaml`.
    pub fn to_yaml(&self) -> String {
        let common = self
            .common_parameters
            .iter()
            .map(|(n, d)| {
                MapBuilder::default()
                    .str("name", n)
                    .str("description", d)
                    .build()
            })
            .collect();
        let doc = MapBuilder::default()
            .str("provider", &self.provider)
            .str("product", &self.product)
            .str("title", &self.title)
            .str("version", &self.version)
            .opt_str("description", Some(&self.description))
            .str("protocol", &self.protocol)
            .node("default_feature", Node::Raw("false".into()))
            .str("endpoint", &self.endpoint)
            .str("service", &self.service)
            .opt_str("default_region", self.default_region.as_deref())
            .node(
                "endpoints",
                match &self.endpoints {
                    None => Node::Map(Vec::new()),
                    Some((rule, id, regions)) => {
                        let mut m = MapBuilder::default()
                            .str("rule", rule)
                            .str("product_id", id);
                        let mut sorted = regions.clone();
                        sorted.sort();
                        sorted.dedup_by(|a, b| a.0 == b.0);
                        let map = sorted
                            .iter()
                            .fold(MapBuilder::default(), |m, (r, h)| m.str(r, h));
                        m = m.node("regions", map.build());
                        m.build()
                    }
                },
            )
            .node("common_parameters", Node::Seq(common))
            .node("errors", errors(&self.errors))
            .node("types", types(&self.types))
            .build();
        header(&self.comments) + &yaml::to_string(&doc)
    }
}

impl ActionOut {
    /// The text of `<Action>.yaml`.
    pub fn to_yaml(&self) -> String {
        let response = MapBuilder::default()
            .opt_str("description", Some(&self.response_description))
            .opt_str("body", self.response_body.as_deref())
            .node(
                "fields",
                if self.response.is_empty() {
                    Node::Raw("[]".into())
                } else {
                    Node::Seq(self.response.iter().map(|f| member(f, true)).collect())
                },
            )
            .build();
        let examples = self
            .examples
            .iter()
            .map(|e| {
                MapBuilder::default()
                    .opt_str("title", Some(&e.title))
                    .opt_str("request", e.request.as_deref())
                    .opt_str("response_json", e.response_json.as_deref())
                    .build()
            })
            .collect();
        let doc = MapBuilder::default()
            .str("name", &self.name)
            .opt_str("description", Some(&self.description))
            .str("http_method", self.http_method.as_deref().unwrap_or("POST"))
            .opt_str("path", self.path.as_deref())
            .opt_str("body", self.body.as_deref())
            .node(
                "parameters",
                Node::Seq(self.parameters.iter().map(|p| member(p, false)).collect()),
            )
            .node(
                "pagination",
                match &self.pagination {
                    None => Node::Seq(Vec::new()),
                    Some((style, keys)) => {
                        let inner = keys
                            .iter()
                            .fold(MapBuilder::default(), |b, (k, v)| b.str(k, v))
                            .build();
                        MapBuilder::default().node(style, inner).build()
                    }
                },
            )
            .node("response", response)
            .node("types", types(&self.types))
            .node("errors", errors(&self.errors))
            .node("examples", Node::Seq(examples))
            .build();
        header(&self.comments) + &yaml::to_string(&doc)
    }
}
