//! The YAML spec format, as deserialized by serde (unknown keys rejected).
//!
//! This module only describes the *shape* of a spec. Meaning (type references,
//! ranges, rules) is checked in [`crate::check`]; see `specs/README.md` for the
//! format with a worked example.
//!
//! The same types serialize: [`write`](mod@write) writes a value as YAML that loads back equal.
//! Every struct declares its fields in the order their keys are written, and leaves out
//! what is absent or default (an empty text, list or map, `false`, `None`), except a
//! product's `default_feature` and an action's `http_method`, always written.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub mod write;

/// The descriptor's enums, which specs name as they are (`tc3`, `hmac-sha1`, `query`…).
pub use cloudapi_protocol::{BodyFormat, Position, Protocol, Signing, Style as ParamStyle};

/// `product.yaml`: one provider / product / version.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSpec {
    pub provider: String,
    pub product: String,
    pub title: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub protocol: Protocol,
    /// Whether the product's cargo feature is among the crate's `default` features.
    #[serde(default)]
    pub default_feature: bool,
    /// Defaults to the provider's signing for the protocol (`provider.yaml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing: Option<Signing>,
    pub endpoint: String,
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_region: Option<String>,
    /// How the host follows from the region and network; without it every call goes to
    /// `endpoint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<EndpointsSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_parameters: Vec<CommonParameter>,
    /// The product's common error codes, added to every action's error enum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorSpec>,
    /// Named types shared by every action of the product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<TypeSpec>,
}

/// A product's `endpoints:` block: the rule that makes a host from a region, the
/// product id it uses, and the per-region hosts that win over it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointsSpec {
    /// `regional`, `central` (Alibaba Cloud) or `tencent`. Kept as text so that an
    /// unknown rule is a diagnostic with a fix.
    pub rule: String,
    /// The product id the rule puts first in the host (`vpc`; Tencent Cloud's service).
    pub product_id: String,
    /// Hosts by region (Alibaba Cloud's `_endpoint_map`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub regions: std::collections::BTreeMap<String, String>,
}

/// `<provider>/provider.yaml`: what every product of a provider shares.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSpec {
    pub provider: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The signing each protocol uses unless a product names its own.
    #[serde(default, skip_serializing_if = "SigningDefaults::is_empty")]
    pub signing: SigningDefaults,
    /// Common parameters of every product (a product's entry of the same name wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_parameters: Vec<CommonParameter>,
    /// Common error codes of every product (a product's entry of the same code wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorSpec>,
}

/// The default signing per protocol, keyed by the protocol's name (`rpc: hmac-sha1`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct SigningDefaults(pub std::collections::BTreeMap<Protocol, Signing>);

impl SigningDefaults {
    /// The default for `protocol`.
    pub fn get(&self, protocol: Protocol) -> Option<Signing> {
        self.0.get(&protocol).copied()
    }
}

/// A documented common (public) parameter, kept for the module documentation.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommonParameter {
    pub name: String,
    pub description: String,
}

/// One action (API operation) file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    pub name: String,
    /// What the action does; none when the provider publishes nothing (the docs then
    /// name the action, its method and path).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default = "default_method")]
    pub http_method: HttpMethod,
    /// ROA: the path template, `/clusters/{ClusterId}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// ROA, SLS: how the `position: body` parameters are sent (`json` unless given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyFormat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Whether the action is safe to repeat (retried after its request may have reached
    /// the server). Unless given: read-only by its name (`Describe…`, `List…`, `Get…`,
    /// `Query…`, `Check…`, `Search…`, `Inquiry…`), or it has an idempotency token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotent: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationSpec>,
    pub response: ResponseSpec,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<TypeSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<ExampleSpec>,
}

fn default_method() -> HttpMethod {
    HttpMethod::Post
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
    Patch,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub requests_per_second: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSpec {
    pub name: String,
    /// The name on the wire, e.g. `FilterGroups.N` for an indexed array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire_name: Option<String>,
    /// Overrides the Rust identifier derived from `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// A password, secret key or token: `Debug` shows it as redacted (strings only).
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
    /// The provider marks it deprecated or disabled but still accepts it: it is sent, and
    /// its setter is `#[deprecated]`. Never `required`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Where the parameter goes: defaults to the protocol's place (query or JSON body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// How a structure or list is written into a query or form (`flat` unless given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ParamStyle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<RangeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Scalar>,
    pub description: String,
    /// The idempotency token the provider deduplicates requests by (a string; the client
    /// fills it with a fresh UUID once per call when unset). A string parameter named
    /// `ClientToken` (any case) is one unless this says `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RangeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

/// A cross-field rule between request parameters: exactly one of its keys is set.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// When `parameter` is set, `requires` must be set too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<RequiresRule>,
    /// At most one of `parameters` may be set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<ConflictsRule>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequiresRule {
    pub parameter: String,
    pub requires: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The provider resolves it itself (documented precedence): the builder checks it,
    /// the stub does not refuse a request that breaks it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub advisory: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictsRule {
    pub parameters: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The provider resolves it itself (one parameter takes precedence): the builder
    /// checks it, the stub does not refuse a request that breaks it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub advisory: bool,
}

/// How an action pages through results: exactly one of its keys is set.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationSpec {
    /// Page-number pagination: the page index and size are parameters, the
    /// total count and the items are response paths (`Data.TotalCount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_number: Option<PageNumberPagination>,
    /// Token pagination: a request token, the token in the response, an
    /// optional "is truncated" flag and the items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenPagination>,
    /// Offset pagination: the offset and limit are parameters, the total count (optional)
    /// and the items are response paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<OffsetPagination>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OffsetPagination {
    pub offset: String,
    pub limit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    pub items: String,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageNumberPagination {
    pub page: String,
    pub size: String,
    /// Optional: without it, a short or empty page is the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    pub items: String,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TokenPagination {
    pub request: String,
    pub response: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<String>,
    pub items: String,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What the success body is: a JSON object of `fields` unless given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<ResponseBody>,
    pub fields: Vec<FieldSpec>,
}

/// What an action's success body is, as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResponseBody {
    /// A JSON object of the response's fields (the default).
    Json,
    /// A JSON value as a whole (an array, a scalar, any JSON): the one field's value.
    Value,
    /// Text: the one field, a `string`.
    Text,
    /// Raw bytes: the one field, `binary`.
    Binary,
}

/// A named type: a structure (`fields`) or a string enum (`enum`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldSpec>>,
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<EnumValueSpec>>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
    /// A list that the wire wraps in an object under this key: `{"Regions":{"Region":[…]}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapped: Option<String>,
    /// The key really contains dots (`Area.en`): one key, not a path. Only in structures
    /// that no request sends.
    #[serde(default, skip_serializing_if = "is_false")]
    pub dotted: bool,
    /// In a structure sent in a request: the field must be set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// A password, secret key or token: `Debug` shows it as redacted (strings only).
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
    /// The provider marks it deprecated or disabled but still accepts or sends it: its
    /// setter is `#[deprecated]`. Never `required`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// In a structure sent in a request: the integer range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<RangeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Scalar>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The idempotency token the provider deduplicates requests by (a string; the client
    /// fills it with a fresh UUID once per call when unset). A string parameter named
    /// `ClientToken` (any case) is one unless this says `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    pub value: Scalar,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    pub code: String,
    /// The Rust variant's name, when the one made from the code would collide with
    /// another code's (`InvalidParameterValue.TooLarge` and
    /// `InvalidParameter.ValueTooLarge`) or read badly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether a retry may succeed (throttling, transient server failures).
    #[serde(default, skip_serializing_if = "is_false")]
    pub retryable: bool,
    /// Use this error's message template for a client-side violation of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violation: Option<ViolationKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    Required,
    Minimum,
    Maximum,
    Enum,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_json: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_xml: Option<String>,
}

/// A YAML scalar kept as its text (`10`, `true`, `z-1`), whatever its YAML type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_owned()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Scalar {
    /// As text; the writer puts a number or boolean bare where the member's type reads
    /// it so (see [`write`](mod@write)).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl SigningDefaults {
    fn is_empty(&self) -> bool {
        *self == SigningDefaults::default()
    }
}
