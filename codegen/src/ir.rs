//! The checked, resolved model that the emitter works from.
//!
//! Every name here is final (Rust identifiers computed and checked for
//! collisions), every type reference is resolved, every rule points at real
//! parameters. Nothing in `emit` needs to fail.

pub use crate::spec::{HttpMethod, Protocol, Signing, ViolationKind};

#[derive(Debug, Clone)]
pub struct Product {
    pub provider: String,
    pub product: String,
    pub title: String,
    pub version: String,
    pub description: String,
    pub protocol: Protocol,
    pub signing: Signing,
    pub endpoint: String,
    pub service: String,
    pub default_region: Option<String>,
    pub common_parameters: Vec<(String, String)>,
    /// Rust module names: `aliyun`, `ccc`, `v20200701`.
    pub provider_mod: String,
    pub product_mod: String,
    pub version_mod: String,
    /// Cargo feature: `aliyun-ccc`.
    pub feature: String,
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
    pub description: String,
    pub method: HttpMethod,
    pub rate_limit: Option<(u32, String)>,
    pub params: Vec<Param>,
    pub rules: Vec<Rule>,
    pub pagination: Option<Pagination>,
    pub response: StructDef,
    /// The action's own named types.
    pub types: Vec<TypeDef>,
    /// The codes the document lists for this action (the product's common codes are
    /// [`Product::errors`]; an action code that is also a common one matches first).
    pub errors: Vec<ErrorDef>,
    pub examples: Vec<Example>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    Integer,
    Boolean,
    Float,
    List(Box<Ty>),
    Struct(TypeRef),
    Enum(TypeRef),
}

/// A reference to a named type: its Rust name and whether it is product-shared.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    pub rust_name: String,
    pub shared: bool,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    /// Arrays whose wire name ends in `.N` flatten to `Name.1`, `Name.2` in a query.
    pub indexed: bool,
    pub rust_name: String,
    pub ty: Ty,
    pub required: bool,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub default: Option<String>,
    pub example: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone)]
pub enum Rule {
    Requires { param: usize, requires: usize, description: String },
    Conflicts { params: Vec<usize>, description: String },
}

#[derive(Debug, Clone)]
pub enum Pagination {
    PageNumber { page: usize, size: usize, total: Vec<PathStep>, items: Vec<PathStep>, item_ty: Ty },
    Token { request: usize, response: Vec<PathStep>, truncated: Option<Vec<PathStep>>, items: Vec<PathStep>, item_ty: Ty },
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
    pub name: String,
    pub rust_name: String,
    pub description: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub rust_name: String,
    pub ty: Ty,
    pub example: Option<String>,
    pub description: String,
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
