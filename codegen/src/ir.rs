//! The checked, resolved model that the emitter works from.
//!
//! Every name here is final (Rust identifiers computed and checked for
//! collisions), every type reference is resolved, every rule points at real
//! parameters. Nothing in `emit` needs to fail, re-derive a name or look at the
//! YAML layer: the IR has its own enums (those of the protocol descriptor,
//! `cloudapi_protocol`, are shared with the YAML layer and the runtime), and the
//! lowering in `check` is the only code that reads both.

/// The descriptor's enums: the provider, the protocol and how parameters are placed and
/// written. Their facts (what a protocol allows, its envelopes, the names generated code
/// uses) are `cloudapi_protocol`'s; the IR only holds the values.
pub use cloudapi_protocol::{
    BodyFormat, Cloud as Provider, EndpointRule, Envelope, Position, Protocol, Signing,
    Style as ParamStyle,
};

/// What an action's success body is, as a whole (the runtime's `codec::response::Answer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    /// A JSON object of the response's fields (in the protocol's envelope, or XML).
    Object,
    /// A JSON value as a whole (an array, a scalar, any JSON): the response's one field.
    Value,
    /// Text: the response's one field, a `String`.
    Text,
    /// Raw bytes: the response's one field, a `Blob`.
    Bytes,
}

impl Answer {
    /// The runtime's name (`crate::runtime::codec::response::Answer::<name>`).
    pub fn runtime_name(self) -> &'static str {
        match self {
            Answer::Object => "Object",
            Answer::Value => "Value",
            Answer::Text => "Text",
            Answer::Bytes => "Bytes",
        }
    }
}

/// The HTTP method an action is documented with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT` (ROA).
    Put,
    /// `DELETE` (ROA).
    Delete,
    /// `PATCH` (ROA).
    Patch,
}

impl HttpMethod {
    /// The method as HTTP spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
        }
    }
}

/// A kind of constraint violation that a product maps to one of its error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViolationKind {
    /// A required parameter is missing.
    Required,
    /// A value below its documented minimum.
    Minimum,
    /// A value above its documented maximum.
    Maximum,
    /// A value outside its documented enum.
    Enum,
}

impl ViolationKind {
    /// The name of this kind in the runtime: the `Messages` field for its template, and the
    /// key the stub server maps to the product's error code.
    pub fn runtime_name(self) -> &'static str {
        match self {
            ViolationKind::Required => "required",
            ViolationKind::Minimum => "minimum",
            ViolationKind::Maximum => "maximum",
            ViolationKind::Enum => "not_in_enum",
        }
    }
}

/// A product's checked endpoint metadata.
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub rule: EndpointRule,
    pub product_id: String,
    /// Hosts by region, sorted by region.
    pub regions: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub provider: Provider,
    pub product: String,
    pub title: String,
    pub version: String,
    pub description: String,
    pub protocol: Protocol,
    pub signing: Signing,
    pub endpoint: String,
    pub service: String,
    pub default_region: Option<String>,
    /// How the host follows from the region (`None`: always `endpoint`).
    pub endpoints: Option<Endpoints>,
    pub common_parameters: Vec<(String, String)>,
    /// Rust module names: `aliyun`, `ccc`, `v20200701`.
    pub provider_mod: String,
    pub product_mod: String,
    pub version_mod: String,
    /// The version module's folder under `generated/`, in its product's crate:
    /// `products/aliyun-ccc/src/v20200701`.
    pub dir: String,
    /// Cargo feature of the `cloudapi` facade, and the product crate's name after
    /// `cloudapi-`: `aliyun-ccc`.
    pub feature: String,
    /// Whether the feature is among the crate's `default` features.
    pub default_feature: bool,
    /// Shared named types (module `types`).
    pub types: Vec<TypeDef>,
    pub errors: Vec<ErrorDef>,
    pub actions: Vec<Action>,
    /// Spec file paths this product was built from (for the generated header).
    pub sources: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub name: String,
    /// snake_case: the module and the client method.
    pub rust_mod: String,
    /// The Rust names of the action's generated types.
    pub names: ActionNames,
    pub description: String,
    pub method: HttpMethod,
    /// ROA: the path template (`/clusters/{ClusterId}`); `/` for the other protocols.
    pub path: String,
    /// ROA: how body parameters are encoded.
    pub body: BodyFormat,
    pub rate_limit: Option<(u32, String)>,
    /// Safe to repeat: read-only, or deduplicated by an idempotency token (the spec's
    /// `idempotent:` if given).
    pub idempotent: bool,
    /// The index in [`params`](Self::params) of the idempotency-token parameter, a string.
    pub idempotency_token: Option<usize>,
    pub params: Vec<Param>,
    pub rules: Vec<Rule>,
    pub pagination: Option<Pagination>,
    /// What the success body is; for anything but [`Answer::Object`], `response` has
    /// exactly one field, which holds the whole body.
    pub answer: Answer,
    pub response: StructDef,
    /// The action's own named types.
    pub types: Vec<TypeDef>,
    /// Types the action's spec defines that are identical in other actions of the product,
    /// so they live in the version's `types` module; the action module re-exports them.
    pub hoisted: Vec<String>,
    /// The codes the document lists for this action (the product's common codes are
    /// [`Product::errors`]; an action code that is also a common one matches first).
    pub errors: Vec<ErrorDef>,
    pub examples: Vec<Example>,
    pub source: String,
}

/// The Rust names of an action's generated items, computed once in lowering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionNames {
    /// `ListUsers`: the unit type implementing the runtime's `Action` (`ListUsersAction`
    /// where a type of the action's module or of the version already has the name).
    pub action: String,
    /// `ListUsersRequest`.
    pub request: String,
    /// `ListUsersRequestBuilder`.
    pub builder: String,
    /// `ListUsersResponse`: also the response structure's `rust_name`.
    pub response: String,
    /// `ListUsersError`.
    pub error: String,
}

impl ActionNames {
    /// The names of the action `name` (its UpperCamel Rust name).
    pub fn new(name: &str) -> Self {
        ActionNames {
            action: name.to_owned(),
            request: format!("{name}Request"),
            builder: format!("{name}RequestBuilder"),
            response: format!("{name}Response"),
            error: format!("{name}Error"),
        }
    }

    /// Renames the action type when `taken` holds its name.
    pub fn avoid(&mut self, taken: impl Fn(&str) -> bool) {
        if taken(&self.action) {
            self.action.push_str("Action");
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    /// `i64`.
    Integer,
    /// `u64`.
    U64,
    Boolean,
    /// `f64` (the metadata's float and double).
    Float,
    /// A date-time kept as sent (`runtime::DateTime`).
    DateTime,
    /// Bytes, base64 on the wire (`runtime::Blob`).
    Binary,
    /// Free-form JSON (`serde_json::Value`).
    Json,
    List(Box<Ty>),
    /// A map from strings (`BTreeMap<String, T>`).
    Map(Box<Ty>),
    Struct(TypeRef),
    Enum(TypeRef),
}

impl Ty {
    /// Calls `f` on every named type this type refers to (through lists and maps).
    pub fn refs_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        match self {
            Ty::Struct(r) | Ty::Enum(r) => f(r),
            Ty::List(inner) | Ty::Map(inner) => inner.refs_mut(f),
            _ => {}
        }
    }

    /// The named structure this type holds, directly or as list or map elements.
    pub fn struct_ref(&self) -> Option<&TypeRef> {
        match self {
            Ty::Struct(r) => Some(r),
            Ty::List(inner) | Ty::Map(inner) => inner.struct_ref(),
            _ => None,
        }
    }

    /// Whether values of this type are `Copy` in Rust.
    pub fn is_copy(&self) -> bool {
        matches!(self, Ty::Integer | Ty::U64 | Ty::Boolean | Ty::Float)
    }
}

/// A reference to a named type: its Rust name and the module that defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    pub rust_name: String,
    pub home: TypeHome,
}

/// Where a named type is defined, within its product version module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeHome {
    /// The version's `types` module (shared by several actions).
    Shared,
    /// An action's module (its `rust_mod`).
    Action(String),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    /// The spec wrote the wire name with `.N` (documentation only: lists always flatten).
    pub indexed: bool,
    pub position: Position,
    pub style: ParamStyle,
    pub rust_name: String,
    pub ty: Ty,
    pub required: bool,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub default: Option<String>,
    pub example: Option<String>,
    pub description: String,
    /// A password, secret key or token (a string): `Debug` redacts it.
    pub secret: bool,
    /// The provider marks it deprecated: its setter is `#[deprecated]`.
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub enum Rule {
    Requires {
        param: usize,
        requires: usize,
        description: String,
        /// The provider resolves it itself; the stub does not refuse.
        advisory: bool,
    },
    Conflicts {
        params: Vec<usize>,
        description: String,
        /// The provider resolves it itself; the stub does not refuse.
        advisory: bool,
    },
}

#[derive(Debug, Clone)]
pub enum Pagination {
    PageNumber {
        page: usize,
        size: usize,
        total: Option<Vec<PathStep>>,
        items: Vec<PathStep>,
        item_ty: Ty,
    },
    Token {
        request: usize,
        response: Vec<PathStep>,
        truncated: Option<Vec<PathStep>>,
        items: Vec<PathStep>,
        item_ty: Ty,
    },
    /// `offset` and `limit` are `integer` or `uint64` parameters; `total` (with its type)
    /// is optional.
    Offset {
        offset: usize,
        limit: usize,
        total: Option<(Vec<PathStep>, Ty)>,
        items: Vec<PathStep>,
        item_ty: Ty,
    },
}

/// One step along a response path (`Data.List` → `data`, `list`).
#[derive(Debug, Clone)]
pub struct PathStep {
    pub rust_name: String,
    /// Whether the field is an `Option` (every scalar and struct field) or a `Vec`.
    pub is_list: bool,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
}

impl TypeDef {
    pub fn as_struct(&self) -> Option<&StructDef> {
        match self {
            TypeDef::Struct(s) => Some(s),
            TypeDef::Enum(_) => None,
        }
    }
    pub fn as_enum(&self) -> Option<&EnumDef> {
        match self {
            TypeDef::Enum(e) => Some(e),
            TypeDef::Struct(_) => None,
        }
    }
    /// The Rust name of the type.
    pub fn rust_name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.rust_name,
            TypeDef::Enum(e) => &e.rust_name,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub rust_name: String,
    pub description: String,
    pub fields: Vec<Field>,
    /// Sent in requests (some parameter's type reaches it): gets setters and a check.
    pub input: bool,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub rust_name: String,
    pub ty: Ty,
    /// A list the wire wraps in an object under this key.
    pub wrapped: Option<String>,
    /// In requests: must be set.
    pub required: bool,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub default: Option<String>,
    pub example: Option<String>,
    pub description: String,
    /// A password, secret key or token (a string): `Debug` redacts it.
    pub secret: bool,
    /// The provider marks it deprecated: its setter is `#[deprecated]`.
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    pub rust_name: String,
    pub description: String,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub value: String,
    pub rust_name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct ErrorDef {
    pub code: String,
    pub rust_name: String,
    pub http_status: Option<u16>,
    pub message: Option<String>,
    pub description: String,
    pub retryable: bool,
    pub violation: Option<ViolationKind>,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub title: String,
    pub request: Option<String>,
    pub response_json: Option<String>,
    pub response_xml: Option<String>,
}
