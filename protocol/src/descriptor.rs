//! The protocol descriptor: every wire protocol and provider the generator knows, and
//! their static facts, written once as data.
//!
//! The enums ([`Protocol`], [`Signing`], [`Position`], [`Style`], [`BodyFormat`],
//! [`EndpointRule`], [`Cloud`]) are the ones specs name (with the feature `serde`, under
//! the same names: `tc3`, `hmac-sha1`, `query`…), the code generator checks and emits, and
//! generated code and the runtime use. What each protocol allows and how it shapes its
//! requests and answers is a [`Descriptor`] (one `const` per protocol); what each provider
//! shares (credentials, error codes, metadata service, STS) is a [`CloudDescriptor`]. Code
//! outside this crate reads these facts and does not branch on a protocol or a provider;
//! how a protocol lays out, signs and parses is the runtime's protocol module's.

// ---------------------------------------------------------------------------------------
// The enums
// ---------------------------------------------------------------------------------------

/// How a product lays out requests and envelopes responses; generated code names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize, serde::Serialize),
    serde(rename_all = "kebab-case")
)]
#[non_exhaustive]
pub enum Protocol {
    /// Alibaba Cloud RPC: query parameters, top-level response object, errors with 4xx/5xx.
    Rpc,
    /// Alibaba Cloud ROA (RESTful): method, path template, query, headers and a body signed
    /// with ACS3-HMAC-SHA256; top-level JSON responses, errors with 4xx/5xx.
    Roa,
    /// Tencent Cloud API 3.0: JSON body, `{"Response": ...}`, errors with HTTP 200.
    Tc3,
    /// Alibaba Cloud Simple Log Service: ROA-shaped requests sent to a host that may carry a
    /// parameter (`<project>.<endpoint>`), signed with the `LOG` scheme (HMAC-SHA256);
    /// top-level JSON responses, errors with 4xx/5xx as `{errorCode, errorMessage}` and the
    /// request id in `x-log-requestid`.
    Sls,
    /// Alibaba Cloud's PDS gateway (`alibabacloud-gateway-pds`, Drive and Photo Service):
    /// ROA-shaped requests with JSON bodies sent to the caller's domain host
    /// (`<domain id>.api.aliyunpds.com`), signed with the classic ROA signature
    /// (`acs <AccessKeyId>:<signature>`, HMAC-SHA1); top-level JSON responses, errors with
    /// 4xx/5xx as `{code, message}` and the request id in `x-ca-request-id`.
    Pds,
}

/// How a product version signs requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize, serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum Signing {
    /// Alibaba Cloud RPC, HMAC-SHA1 (SignatureVersion 1.0).
    HmacSha1,
    /// Alibaba Cloud V3, ACS3-HMAC-SHA256.
    Acs3HmacSha256,
    /// Tencent Cloud API 3.0, TC3-HMAC-SHA256.
    Tc3HmacSha256,
    /// Alibaba Cloud Simple Log Service, `LOG` with HMAC-SHA256 (`x-log-signaturemethod:
    /// hmac-sha256`).
    SlsHmacSha256,
    /// Alibaba Cloud's classic ROA signature, `acs <AccessKeyId>:<signature>` with
    /// HMAC-SHA1 over the method, `accept`, `content-md5`, `content-type`, `date`, the
    /// `x-acs-*` headers and the path with its sorted query (`x-acs-signature-method:
    /// HMAC-SHA1`), as the PDS gateway signs.
    RoaHmacSha1,
}

/// Where a parameter goes in the HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize, serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum Position {
    /// The query string (Alibaba RPC and ROA; Tencent Cloud's GET).
    Query,
    /// The body: a member of Tencent Cloud's JSON body, or of an ROA JSON or form body.
    Body,
    /// An ROA path segment (`{ClusterId}` in `/clusters/{ClusterId}`).
    Path,
    /// An ROA HTTP header.
    Header,
    /// The first label of the host, `<value>.<endpoint>` (Simple Log Service's project).
    Host,
}

/// How one top-level structure or list parameter is put in a query or form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize, serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum Style {
    /// Structures and lists flattened: `Tag.1.Key=k`, `Tag.1.Value=v`, `Ids.1=a`, `Ids.2=b`,
    /// maps `Labels.key=v` (Alibaba Cloud from 1, Tencent Cloud `Filters.0.Name` from 0).
    Flat,
    /// Alibaba's "shrink" style: the whole value as one JSON text: `InstanceIds=["i-1","i-2"]`.
    /// A string given in this style is JSON text too (`Name="a"`), so that it reads back.
    Json,
    /// A list of scalars joined with commas: `Ids=a,b`; a lone scalar is written as is.
    /// Anything else (a list holding `null`, lists or objects; an object) falls back to
    /// [`Style::Json`]. An element containing a comma cannot be told apart when read back.
    Simple,
}

/// How an ROA action's body parameters are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize, serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum BodyFormat {
    /// A JSON object of the body parameters.
    Json,
    /// `application/x-www-form-urlencoded`, flattened like a query.
    Form,
    /// The one body parameter's value is the whole JSON body (an array, for instance).
    Value,
    /// The one body parameter (a blob) is the whole body, its bytes as they are, sent as
    /// `application/octet-stream`.
    Binary,
    /// The one body parameter (a blob) is the whole body: protocol buffers the caller
    /// encoded (Simple Log Service's `PutLogs` takes a `LogGroup`), sent as
    /// `application/x-protobuf`.
    Protobuf,
}

/// The rule that makes a host from a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointRule {
    /// Alibaba Cloud `regional`: `<product>.<region>.aliyuncs.com`; a region is required.
    Regional,
    /// Alibaba Cloud `central`: `<product>.aliyuncs.com`, whatever the region.
    Central,
    /// Tencent Cloud: `<service>.<root domain>`, or with the region or `internal` as
    /// a second label when asked for.
    Tencent,
    /// Alibaba Cloud Simple Log Service, as its gateway (`alibabacloud-gateway-sls`)
    /// computes it: `<region>.log.aliyuncs.com`; networks `intranet`
    /// (`<region>-intranet.log.aliyuncs.com`), `share` (`<region>-share.log.aliyuncs.com`)
    /// and `accelerate` (`log-global.aliyuncs.com`). The project is put in front by the
    /// protocol.
    Sls,
}

/// Where the model sits in a JSON success body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// The body is the model.
    Bare,
    /// The body is the model, and an empty body is the empty model (RESTful actions that
    /// answer nothing send 200 without a body: ROA, Simple Log Service).
    BareOrEmpty,
    /// The model is this member of the top-level object (`Response`).
    Member(&'static str),
}

/// Where a request carries a value (its action, its API version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// An HTTP header (name lowercase).
    Header(&'static str),
    /// A query or form parameter.
    Param(&'static str),
}

/// What, beyond naming an action, marks a request as shaped for a protocol (a server
/// routing a request among products of several protocols prefers its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The request names its action in one of the protocol's action [`Carrier`]s that is
    /// a header.
    ActionHeader,
    /// The path is `/`.
    RootPath,
    /// The path is not `/`.
    OtherPath,
    /// Nothing: the protocol finds actions by method and path.
    Never,
}

/// The error envelope: where a provider error's facts sit in an error body, by member
/// name (each alternative spelling in the order looked up), and where the request id is
/// when the body does not carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// The member the error object sits in, from the top level (`["Response", "Error"]`);
    /// empty when the error is the top-level object.
    pub path: &'static [&'static str],
    /// The error code's member names.
    pub code: &'static [&'static str],
    /// The message's member names.
    pub message: &'static [&'static str],
    /// The request id's member names, in the top-level object (or the envelope's member).
    pub request_id: &'static [&'static str],
    /// The response header carrying the request id, if any.
    pub request_id_header: Option<&'static str>,
    /// Whether errors come with HTTP 200 (the status is then no sign of an error).
    pub http_200: bool,
}

// ---------------------------------------------------------------------------------------
// The protocol descriptor
// ---------------------------------------------------------------------------------------

/// A protocol's static facts: what a spec may say for it, and how its requests and
/// answers are shaped where the code generator or a server must know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Descriptor {
    /// The name specs use (`tc3`), also the protocol's short name in messages.
    pub name: &'static str,
    /// The enum variant generated code names (`Tc3` in `cloudapi_runtime::Protocol::Tc3`).
    pub rust_name: &'static str,
    /// The provider whose products speak it.
    pub cloud: Cloud,
    /// The signings a product of this protocol may use.
    pub signings: &'static [Signing],
    /// Where a parameter may go.
    pub positions: &'static [Position],
    /// Where a parameter goes when its spec names no position.
    pub default_position: Position,
    /// How a structure or list parameter may be written into a query or form.
    pub styles: &'static [Style],
    /// The HTTP methods an action may be sent with; `None`: any.
    pub methods: Option<&'static [&'static str]>,
    /// Whether actions are RESTful: a method on a path template, with a body format
    /// (`path:` and `body:` in a spec).
    pub rest: bool,
    /// Whether an action may send the caller's bytes as its whole body (`body: binary` or
    /// `protobuf`): RESTful actions, and RPC actions as Alibaba's SDKs send OCR's images
    /// (`stream=request.body`: the parameters in the query, the bytes as the body).
    pub raw_body: bool,
    /// Whether an answer may be something other than a JSON object of fields (a JSON
    /// value, text or bytes as a whole).
    pub whole_answers: bool,
    /// The endpoint rules a product may use.
    pub endpoint_rules: &'static [EndpointRule],
    /// Whether a product may list hosts by region (`endpoints.regions`).
    pub region_hosts: bool,
    /// Where the model sits in a JSON success body.
    pub success: Envelope,
    /// Where an error's code, message and request id sit.
    pub error: ErrorEnvelope,
    /// Whether a success body may come as XML (`Format=XML`).
    pub xml: bool,
    /// Where a request names its action, in the order a server looks; empty when requests
    /// do not name it (the action is found by method and path).
    pub action: &'static [Carrier],
    /// Where a request names the API version it asks for.
    pub version: &'static [Carrier],
    /// What else marks a request as this protocol's.
    pub shape: Shape,
    /// How far a request's signed time may be from a server's clock, in seconds.
    pub window_secs: i64,
    /// The Alibaba Cloud SDK gateway whose clients speak this protocol (`self._spi =
    /// gateway_client`), if the protocol is one gateway's.
    pub gateway: Option<Gateway>,
}

/// An Alibaba Cloud SDK gateway: a package the official clients hand requests to
/// (`self.execute(…)`), which lays them out and signs them its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gateway {
    /// The gateway's Python package (`alibabacloud_gateway_sls`).
    pub package: &'static str,
    /// The host the gateway sends to when the caller configures none
    /// (`api.aliyunpds.com`); `None` when the product's endpoint rule decides.
    pub default_host: Option<&'static str>,
}

const ANY_STYLE: &[Style] = &[Style::Flat, Style::Json, Style::Simple];

const ALIBABA_ERROR: ErrorEnvelope = ErrorEnvelope {
    path: &[],
    code: &["Code", "code"],
    message: &["Message", "message"],
    request_id: &["RequestId", "requestId"],
    request_id_header: Some("x-acs-request-id"),
    http_200: false,
};

/// Alibaba Cloud RPC.
pub const RPC: Descriptor = Descriptor {
    name: "rpc",
    rust_name: "Rpc",
    cloud: Cloud::Alibaba,
    signings: &[Signing::HmacSha1, Signing::Acs3HmacSha256],
    // RPC servers read parameters from the query and a form body alike; the client sends
    // them all in the query.
    positions: &[Position::Query, Position::Body],
    default_position: Position::Query,
    styles: ANY_STYLE,
    // Alibaba Cloud's SDKs (alibabacloud-tea-openapi) send an RPC action with the method
    // its metadata gives, whatever it is, and sign that method: dataworks-public has PUT
    // actions.
    methods: None,
    rest: false,
    raw_body: true,
    whole_answers: true,
    endpoint_rules: &[EndpointRule::Regional, EndpointRule::Central],
    region_hosts: true,
    success: Envelope::Bare,
    error: ALIBABA_ERROR,
    xml: true,
    action: &[Carrier::Header("x-acs-action"), Carrier::Param("Action")],
    version: &[Carrier::Header("x-acs-version"), Carrier::Param("Version")],
    shape: Shape::RootPath,
    window_secs: 900,
    gateway: None,
};

/// Alibaba Cloud ROA.
pub const ROA: Descriptor = Descriptor {
    name: "roa",
    rust_name: "Roa",
    cloud: Cloud::Alibaba,
    signings: &[Signing::Acs3HmacSha256],
    positions: &[
        Position::Query,
        Position::Body,
        Position::Path,
        Position::Header,
    ],
    default_position: Position::Query,
    styles: ANY_STYLE,
    methods: None,
    rest: true,
    raw_body: true,
    whole_answers: true,
    endpoint_rules: &[EndpointRule::Regional, EndpointRule::Central],
    region_hosts: true,
    success: Envelope::BareOrEmpty,
    error: ALIBABA_ERROR,
    xml: false,
    action: &[Carrier::Header("x-acs-action")],
    version: &[Carrier::Header("x-acs-version")],
    shape: Shape::OtherPath,
    window_secs: 900,
    gateway: None,
};

/// Tencent Cloud API 3.0.
pub const TC3: Descriptor = Descriptor {
    name: "tc3",
    rust_name: "Tc3",
    cloud: Cloud::Tencent,
    signings: &[Signing::Tc3HmacSha256],
    positions: &[Position::Body],
    default_position: Position::Body,
    // Tencent Cloud flattens every structure and list (`Filters.0.Name`).
    styles: &[Style::Flat],
    // Tencent Cloud's SDKs send POST, or GET with the parameters in the query.
    methods: Some(&["GET", "POST"]),
    rest: false,
    raw_body: false,
    whole_answers: false,
    endpoint_rules: &[EndpointRule::Tencent],
    region_hosts: false,
    success: Envelope::Member("Response"),
    error: ErrorEnvelope {
        path: &["Response", "Error"],
        code: &["Code"],
        message: &["Message"],
        request_id: &["RequestId"],
        request_id_header: None,
        http_200: true,
    },
    xml: false,
    action: &[Carrier::Header("x-tc-action")],
    version: &[Carrier::Header("x-tc-version")],
    shape: Shape::ActionHeader,
    window_secs: 300,
    gateway: None,
};

/// Alibaba Cloud Simple Log Service.
pub const SLS: Descriptor = Descriptor {
    name: "sls",
    rust_name: "Sls",
    cloud: Cloud::Alibaba,
    signings: &[Signing::SlsHmacSha256],
    positions: &[
        Position::Query,
        Position::Body,
        Position::Path,
        Position::Header,
        Position::Host,
    ],
    default_position: Position::Query,
    styles: ANY_STYLE,
    methods: None,
    rest: true,
    raw_body: true,
    whole_answers: true,
    endpoint_rules: &[EndpointRule::Sls],
    region_hosts: true,
    success: Envelope::BareOrEmpty,
    error: ErrorEnvelope {
        path: &[],
        code: &["errorCode"],
        message: &["errorMessage"],
        request_id: &[],
        request_id_header: Some("x-log-requestid"),
        http_200: false,
    },
    xml: false,
    action: &[],
    version: &[],
    shape: Shape::Never,
    window_secs: 900,
    gateway: Some(Gateway {
        package: "alibabacloud_gateway_sls",
        default_host: None,
    }),
};

/// Alibaba Cloud's PDS gateway.
pub const PDS: Descriptor = Descriptor {
    name: "pds",
    rust_name: "Pds",
    cloud: Cloud::Alibaba,
    signings: &[Signing::RoaHmacSha1],
    positions: &[
        Position::Query,
        Position::Body,
        Position::Path,
        Position::Header,
    ],
    default_position: Position::Query,
    styles: ANY_STYLE,
    methods: None,
    rest: true,
    raw_body: false,
    whole_answers: true,
    // The host is the caller's domain (`<domain id>.api.aliyunpds.com`): no rule makes
    // it from a region.
    endpoint_rules: &[],
    region_hosts: false,
    success: Envelope::BareOrEmpty,
    error: ErrorEnvelope {
        path: &[],
        code: &["code", "Code"],
        message: &["message", "Message"],
        request_id: &[],
        request_id_header: Some("x-ca-request-id"),
        http_200: false,
    },
    xml: false,
    action: &[Carrier::Header("x-acs-action")],
    version: &[Carrier::Header("x-acs-version")],
    shape: Shape::OtherPath,
    window_secs: 900,
    gateway: Some(Gateway {
        package: "alibabacloud_gateway_pds",
        default_host: Some("api.aliyunpds.com"),
    }),
};

impl Protocol {
    /// Every protocol, in declaration order.
    pub const ALL: [Protocol; 5] = [
        Protocol::Rpc,
        Protocol::Roa,
        Protocol::Tc3,
        Protocol::Sls,
        Protocol::Pds,
    ];

    /// The protocol's facts. The one place that maps a protocol to its facts.
    pub const fn descriptor(self) -> &'static Descriptor {
        match self {
            Protocol::Rpc => &RPC,
            Protocol::Roa => &ROA,
            Protocol::Tc3 => &TC3,
            Protocol::Sls => &SLS,
            Protocol::Pds => &PDS,
        }
    }

    /// The name specs use (`tc3`).
    pub const fn name(self) -> &'static str {
        self.descriptor().name
    }

    /// The provider whose products speak it.
    pub const fn cloud(self) -> Cloud {
        self.descriptor().cloud
    }
}

impl Descriptor {
    /// Whether a product of this protocol may sign with `signing`.
    pub fn allows_signing(&self, signing: Signing) -> bool {
        self.signings.contains(&signing)
    }

    /// Whether a parameter may go in `position`.
    pub fn allows_position(&self, position: Position) -> bool {
        self.positions.contains(&position)
    }

    /// Whether a parameter may be written in `style`.
    pub fn allows_style(&self, style: Style) -> bool {
        self.styles.contains(&style)
    }

    /// Whether an action may be sent with `method` (`GET`, `POST`…).
    pub fn allows_method(&self, method: &str) -> bool {
        self.methods.is_none_or(|m| m.contains(&method))
    }

    /// Whether a product may use the endpoint rule `rule`.
    pub fn allows_endpoint_rule(&self, rule: EndpointRule) -> bool {
        self.endpoint_rules.contains(&rule)
    }

    /// Whether requests name their action (else a server finds it by method and path).
    pub fn names_action(&self) -> bool {
        !self.action.is_empty()
    }

    /// The action a request names, given its headers and parameters.
    pub fn action_of<'a>(
        &self,
        header: impl Fn(&str) -> Option<&'a str>,
        param: impl Fn(&str) -> Option<&'a str>,
    ) -> Option<&'a str> {
        read(self.action, header, param)
    }

    /// The API version a request names, given its headers and parameters.
    pub fn version_of<'a>(
        &self,
        header: impl Fn(&str) -> Option<&'a str>,
        param: impl Fn(&str) -> Option<&'a str>,
    ) -> Option<&'a str> {
        read(self.version, header, param)
    }

    /// Whether a request (its path, and whether it names its action in a header) has this
    /// protocol's shape beyond naming an action.
    pub fn shaped_for<'a>(&self, path: &str, header: impl Fn(&str) -> Option<&'a str>) -> bool {
        match self.shape {
            Shape::ActionHeader => self.action.iter().any(|c| match c {
                Carrier::Header(h) => header(h).is_some(),
                Carrier::Param(_) => false,
            }),
            Shape::RootPath => path == "/",
            Shape::OtherPath => path != "/",
            Shape::Never => false,
        }
    }
}

/// The first value among `carriers` a request has.
fn read<'a>(
    carriers: &[Carrier],
    header: impl Fn(&str) -> Option<&'a str>,
    param: impl Fn(&str) -> Option<&'a str>,
) -> Option<&'a str> {
    carriers.iter().find_map(|c| match c {
        Carrier::Header(h) => header(h),
        Carrier::Param(p) => param(p),
    })
}

impl Signing {
    /// Every signing, in declaration order.
    pub const ALL: [Signing; 5] = [
        Signing::HmacSha1,
        Signing::Acs3HmacSha256,
        Signing::Tc3HmacSha256,
        Signing::SlsHmacSha256,
        Signing::RoaHmacSha1,
    ];

    /// The name specs use (`hmac-sha1`).
    pub const fn name(self) -> &'static str {
        match self {
            Signing::HmacSha1 => "hmac-sha1",
            Signing::Acs3HmacSha256 => "acs3-hmac-sha256",
            Signing::Tc3HmacSha256 => "tc3-hmac-sha256",
            Signing::SlsHmacSha256 => "sls-hmac-sha256",
            Signing::RoaHmacSha1 => "roa-hmac-sha1",
        }
    }

    /// The enum variant generated code names.
    pub const fn rust_name(self) -> &'static str {
        match self {
            Signing::HmacSha1 => "HmacSha1",
            Signing::Acs3HmacSha256 => "Acs3HmacSha256",
            Signing::Tc3HmacSha256 => "Tc3HmacSha256",
            Signing::SlsHmacSha256 => "SlsHmacSha256",
            Signing::RoaHmacSha1 => "RoaHmacSha1",
        }
    }
}

impl Position {
    /// Every position, in declaration order.
    pub const ALL: [Position; 5] = [
        Position::Query,
        Position::Body,
        Position::Path,
        Position::Header,
        Position::Host,
    ];

    /// The name specs use (`query`), also the runtime's `WireParam` constructor.
    pub const fn name(self) -> &'static str {
        match self {
            Position::Query => "query",
            Position::Body => "body",
            Position::Path => "path",
            Position::Header => "header",
            Position::Host => "host",
        }
    }
}

impl Style {
    /// The name specs use (`flat`), also the runtime's `WireParam` modifier (`.json()`).
    pub const fn name(self) -> &'static str {
        match self {
            Style::Flat => "flat",
            Style::Json => "json",
            Style::Simple => "simple",
        }
    }
}

impl BodyFormat {
    /// The enum variant generated code names.
    pub const fn rust_name(self) -> &'static str {
        match self {
            BodyFormat::Json => "Json",
            BodyFormat::Form => "Form",
            BodyFormat::Value => "Value",
            BodyFormat::Binary => "Binary",
            BodyFormat::Protobuf => "Protobuf",
        }
    }

    /// The `Content-Type` of a raw body ([`Binary`](Self::Binary) and
    /// [`Protobuf`](Self::Protobuf)); `None` for the others, whose protocol chooses.
    pub const fn raw_content_type(self) -> Option<&'static str> {
        match self {
            BodyFormat::Binary => Some("application/octet-stream"),
            BodyFormat::Protobuf => Some("application/x-protobuf"),
            BodyFormat::Json | BodyFormat::Form | BodyFormat::Value => None,
        }
    }

    /// Whether the one body parameter is the raw body (binary or protobuf).
    pub const fn is_raw(self) -> bool {
        self.raw_content_type().is_some()
    }
}

impl EndpointRule {
    /// Every rule, in declaration order.
    pub const ALL: [EndpointRule; 4] = [
        EndpointRule::Regional,
        EndpointRule::Central,
        EndpointRule::Tencent,
        EndpointRule::Sls,
    ];

    /// The name specs use (`regional`).
    pub const fn name(self) -> &'static str {
        match self {
            EndpointRule::Regional => "regional",
            EndpointRule::Central => "central",
            EndpointRule::Tencent => "tencent",
            EndpointRule::Sls => "sls",
        }
    }

    /// The rule specs call `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The enum variant generated code names.
    pub const fn rust_name(self) -> &'static str {
        match self {
            EndpointRule::Regional => "Regional",
            EndpointRule::Central => "Central",
            EndpointRule::Tencent => "Tencent",
            EndpointRule::Sls => "Sls",
        }
    }
}

// ---------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------

/// A cloud provider: whose credentials, error codes, metadata service and STS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Cloud {
    /// Alibaba Cloud (`aliyun`).
    Alibaba,
    /// Tencent Cloud (`tencentcloud`).
    Tencent,
}

/// The environment variables credentials are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialEnv {
    /// The access key id (Tencent Cloud's SecretId).
    pub access_key_id: &'static str,
    /// The secret.
    pub secret: &'static str,
    /// The optional session token.
    pub token: &'static str,
}

/// An error a server answers with: code, message (`{…}` placeholders filled by the
/// caller) and HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorAnswer {
    /// The error code.
    pub code: &'static str,
    /// The message.
    pub message: &'static str,
    /// The HTTP status (a protocol whose errors come with 200 sends 200 whatever this says).
    pub status: u16,
}

/// How an expiry is written in a credentials answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryFormat {
    /// ISO 8601, `YYYY-MM-DDTHH:MM:SSZ`.
    Iso8601,
    /// Unix seconds, as a number or a string of digits.
    UnixSeconds,
}

/// The members of an answer that carries temporary credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialFields {
    /// The access key id.
    pub access_key_id: &'static str,
    /// The secret.
    pub secret: &'static str,
    /// The session token.
    pub token: &'static str,
    /// The expiry.
    pub expiry: &'static str,
    /// How the expiry is written.
    pub expiry_format: ExpiryFormat,
}

/// The instance metadata service (the role attached to an instance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imds {
    /// Its base URL.
    pub endpoint: &'static str,
    /// The path that lists the role, and under which `<role>` gives its credentials.
    pub credentials_path: &'static str,
    /// The session token request (IMDSv2), if the service has one.
    pub token: Option<ImdsToken>,
    /// The variable naming the role (so the service need not be asked), if any.
    pub role_env: Option<&'static str>,
    /// The members of the credentials answer.
    pub answer: CredentialFields,
    /// The variable that, `true`, keeps it out of the default chain, if any.
    pub disabled_env: Option<&'static str>,
    /// Its name in the default chain.
    pub chain_name: &'static str,
}

/// A metadata service's session token request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImdsToken {
    /// The path the token is `PUT` to.
    pub path: &'static str,
    /// The request header giving the token's lifetime.
    pub ttl_header: &'static str,
    /// The header the token is sent back in.
    pub header: &'static str,
    /// The variable that, `true`, refuses to go on without a token.
    pub required_env: &'static str,
}

/// The provider's STS (`AssumeRole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sts {
    /// Its protocol.
    pub protocol: Protocol,
    /// Its signing.
    pub signing: Signing,
    /// Its API version.
    pub version: &'static str,
    /// Its host.
    pub endpoint: &'static str,
    /// Its service name.
    pub service: &'static str,
    /// The region it is called in, if any.
    pub default_region: Option<&'static str>,
    /// The session duration when none is asked for, in seconds.
    pub default_duration_secs: u64,
    /// The shortest session duration it grants.
    pub min_duration_secs: u64,
    /// The longest session duration it grants.
    pub max_duration_secs: u64,
    /// The regional host (`{region}` filled in), if it has regional hosts.
    pub regional_endpoint: Option<&'static str>,
    /// The variable that, `true`, asks for the regional host in the VPC, and that host.
    pub vpc_endpoint: Option<(&'static str, &'static str)>,
    /// The variable naming the region of a regional host, if any.
    pub region_env: Option<&'static str>,
    /// Whether the region is the client's region (else it only picks the host).
    pub region_is_client_region: bool,
    /// The members of the answer's credentials.
    pub answer: CredentialFields,
}

/// A provider's static facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloudDescriptor {
    /// The name specs use (`provider:` and the `specs/` folder), also its Rust module.
    pub spec_name: &'static str,
    /// Its name in prose (`Alibaba Cloud`).
    pub title: &'static str,
    /// The environment variables its own SDKs read credentials from.
    pub credential_env: CredentialEnv,
    /// The prefix of this project's own variables (`CLOUDAPI_ALIBABA`).
    pub env_prefix: &'static str,
    /// The first index of a flattened list (`Tag.1.Key` from 1, `Filters.0.Name` from 0).
    pub list_base: u64,
    /// Whether its servers refuse a parameter they do not know (at any depth).
    pub refuses_unknown_parameters: bool,
    /// Its throttling error code.
    pub throttling_code: &'static str,
    /// The header a throttled answer says how long to wait in (milliseconds), if any.
    pub retry_after_header: Option<&'static str>,
    /// The answer to an action a server does not have (`{action}` filled in).
    pub unknown_action: ErrorAnswer,
    /// The message of [`unknown_action`](Self::unknown_action) when the action exists in
    /// another version (`{action}` and `{version}` filled in), if it says so.
    pub unknown_action_in_version: Option<&'static str>,
    /// The answer to a body over a server's size limit (`{max}` filled in).
    pub body_too_large: ErrorAnswer,
    /// The answer when a server is too busy to read a body.
    pub busy: ErrorAnswer,
    /// The profile files of the default credential chain, in the order tried, each with
    /// its name in the chain.
    pub profiles: &'static [(&'static str, ProfileFormat)],
    /// The instance metadata service.
    pub imds: Imds,
    /// STS.
    pub sts: Sts,
}

/// A profile file a provider's tools write credentials to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileFormat {
    /// The Alibaba Cloud CLI's `~/.aliyun/config.json`.
    AliyunCli,
    /// Alibaba Cloud's `~/.alibabacloud/credentials.ini`.
    AlibabaIni,
    /// Tencent Cloud's `~/.tencentcloud/credentials`.
    TencentIni,
}

/// Alibaba Cloud.
pub const ALIBABA: CloudDescriptor = CloudDescriptor {
    spec_name: "aliyun",
    title: "Alibaba Cloud",
    credential_env: CredentialEnv {
        access_key_id: "ALIBABA_CLOUD_ACCESS_KEY_ID",
        secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        token: "ALIBABA_CLOUD_SECURITY_TOKEN",
    },
    env_prefix: "CLOUDAPI_ALIBABA",
    list_base: 1,
    refuses_unknown_parameters: false,
    throttling_code: "Throttling",
    retry_after_header: Some("x-acs-retry-after"),
    // The Alibaba Cloud gateway's answer to an API it does not have (RPC and ROA).
    unknown_action: ErrorAnswer {
        code: "InvalidAction.NotFound",
        message: "Specified api is not found, please check your url and method.",
        status: 404,
    },
    unknown_action_in_version: None,
    body_too_large: ErrorAnswer {
        code: "InvalidRequest",
        message: "the request body is larger than {max} bytes",
        status: 413,
    },
    busy: ErrorAnswer {
        code: "ServiceUnavailable",
        message: "The request has failed due to a temporary failure of the server.",
        status: 503,
    },
    profiles: &[
        ("cli-profile", ProfileFormat::AliyunCli),
        ("profile", ProfileFormat::AlibabaIni),
    ],
    imds: Imds {
        endpoint: "http://100.100.100.200",
        credentials_path: "/latest/meta-data/ram/security-credentials/",
        token: Some(ImdsToken {
            path: "/latest/api/token",
            ttl_header: "X-aliyun-ecs-metadata-token-ttl-seconds",
            header: "X-aliyun-ecs-metadata-token",
            required_env: "ALIBABA_CLOUD_IMDSV1_DISABLED",
        }),
        role_env: Some("ALIBABA_CLOUD_ECS_METADATA"),
        answer: CredentialFields {
            access_key_id: "AccessKeyId",
            secret: "AccessKeySecret",
            token: "SecurityToken",
            expiry: "Expiration",
            expiry_format: ExpiryFormat::Iso8601,
        },
        disabled_env: Some("ALIBABA_CLOUD_ECS_METADATA_DISABLED"),
        chain_name: "ecs-ram-role",
    },
    // Signed with ACS3 so that a source session token travels in a header, not in the URL.
    sts: Sts {
        protocol: Protocol::Rpc,
        signing: Signing::Acs3HmacSha256,
        version: "2015-04-01",
        endpoint: "sts.aliyuncs.com",
        service: "sts",
        default_region: None,
        default_duration_secs: 3600,
        min_duration_secs: 900,
        max_duration_secs: 43_200,
        regional_endpoint: Some("sts.{region}.aliyuncs.com"),
        vpc_endpoint: Some((
            "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED",
            "sts-vpc.{region}.aliyuncs.com",
        )),
        region_env: Some("ALIBABA_CLOUD_STS_REGION"),
        region_is_client_region: false,
        answer: CredentialFields {
            access_key_id: "AccessKeyId",
            secret: "AccessKeySecret",
            token: "SecurityToken",
            expiry: "Expiration",
            expiry_format: ExpiryFormat::Iso8601,
        },
    },
};

/// Tencent Cloud.
pub const TENCENT: CloudDescriptor = CloudDescriptor {
    spec_name: "tencentcloud",
    title: "Tencent Cloud",
    credential_env: CredentialEnv {
        access_key_id: "TENCENTCLOUD_SECRET_ID",
        secret: "TENCENTCLOUD_SECRET_KEY",
        token: "TENCENTCLOUD_SESSION_TOKEN",
    },
    env_prefix: "CLOUDAPI_TENCENT",
    list_base: 0,
    refuses_unknown_parameters: true,
    throttling_code: "RequestLimitExceeded",
    retry_after_header: None,
    unknown_action: ErrorAnswer {
        code: "InvalidAction",
        message: "The action {action} does not exist.",
        status: 404,
    },
    unknown_action_in_version: Some("The action {action} does not exist in version {version}."),
    // Tencent Cloud's common code for a request over its size limit.
    body_too_large: ErrorAnswer {
        code: "RequestSizeLimitExceeded",
        message: "The request body is larger than {max} bytes.",
        status: 413,
    },
    busy: ErrorAnswer {
        code: "RequestLimitExceeded",
        message: "The server is busy reading other requests' bodies; try again later.",
        status: 503,
    },
    profiles: &[("profile", ProfileFormat::TencentIni)],
    imds: Imds {
        endpoint: "http://metadata.tencentyun.com",
        credentials_path: "/latest/meta-data/cam/security-credentials/",
        token: None,
        role_env: None,
        answer: CredentialFields {
            access_key_id: "TmpSecretId",
            secret: "TmpSecretKey",
            token: "Token",
            expiry: "ExpiredTime",
            expiry_format: ExpiryFormat::UnixSeconds,
        },
        disabled_env: None,
        chain_name: "cvm-role",
    },
    // The official SDKs call it in `ap-guangzhou`.
    sts: Sts {
        protocol: Protocol::Tc3,
        signing: Signing::Tc3HmacSha256,
        version: "2018-08-13",
        endpoint: "sts.tencentcloudapi.com",
        service: "sts",
        default_region: Some("ap-guangzhou"),
        default_duration_secs: 7200,
        min_duration_secs: 1,
        max_duration_secs: 43_200,
        regional_endpoint: None,
        vpc_endpoint: None,
        region_env: None,
        region_is_client_region: true,
        answer: CredentialFields {
            access_key_id: "TmpSecretId",
            secret: "TmpSecretKey",
            token: "Token",
            expiry: "ExpiredTime",
            expiry_format: ExpiryFormat::UnixSeconds,
        },
    },
};

impl Cloud {
    /// Every provider, in declaration order (the order the generated crate lists them).
    pub const ALL: [Cloud; 2] = [Cloud::Alibaba, Cloud::Tencent];

    /// The provider's facts. The one place that maps a provider to its facts.
    pub const fn descriptor(self) -> &'static CloudDescriptor {
        match self {
            Cloud::Alibaba => &ALIBABA,
            Cloud::Tencent => &TENCENT,
        }
    }

    /// The name specs use (`aliyun`).
    pub const fn spec_name(self) -> &'static str {
        self.descriptor().spec_name
    }

    /// The provider specs call `name`.
    pub fn from_spec_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.spec_name() == name)
    }

    /// The environment variables its own SDKs read credentials from.
    pub const fn credential_env(self) -> CredentialEnv {
        self.descriptor().credential_env
    }
}
