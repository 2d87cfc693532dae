//! Wire protocols: how a product lays out, signs and envelopes its requests and responses.
//!
//! Everything that differs between providers lives in one module per protocol behind
//! its traits: [`WireProtocol`], the client half (lay out and sign a call, read its
//! answer and errors), [`WireVerify`] (check a received request's signature) and, with the
//! `stub-server` feature, `WireServer`, the stub server's half (find the action, read the
//! request back, answer in the provider's shapes). The protocols: Tencent Cloud API 3.0
//! (TC3-HMAC-SHA256, JSON bodies, `{"Response": …}`), Alibaba Cloud RPC (query parameters
//! signed with HMAC-SHA1 or ACS3-HMAC-SHA256, top-level or XML responses, errors with
//! 4xx/5xx) and Alibaba Cloud ROA (RESTful: method, encoded path, query, headers and a
//! JSON or form body, signed with ACS3-HMAC-SHA256; top-level JSON responses, errors with
//! 4xx/5xx). Generated code names a protocol with [`Protocol`], defined with its static
//! facts (envelopes, where a request names its action, its provider…) in the protocol
//! descriptor ([`cloudapi_protocol`]); [`ProtocolWire`] (one list of modules behind
//! [`wire`](ProtocolWire::wire), [`wire_verify`](ProtocolWire::wire_verify) and
//! `wire_server`) is the one place that maps it to its implementation. The client, the
//! error types, the decoders, the credentials, the verifier and the stub server call the
//! traits or read the descriptor, and never branch on the protocol themselves.
//!
//! A new protocol is a new module implementing the traits, its descriptor entry (a
//! [`Protocol`] variant and its `Descriptor`) and an arm in the list of modules behind
//! [`ProtocolWire`].

pub mod error;
pub mod layout;
pub mod service;
pub mod sign;
pub mod verify;

mod acs3;
mod pds;
mod roa;
mod rpc;
mod sls;
mod tc3;

use std::fmt;

use crate::codec::response::ResponseLayout;
use crate::credentials::Credentials;
use crate::http::HttpRequest;
use error::ErrorMetadata;
use layout::{OutgoingRequest, Query};
use service::{Operation, Service, Signing};

#[cfg(feature = "stub-server")]
use crate::http::HttpResponse;

/// How a product lays out requests and envelopes responses; generated code names it.
/// Defined, with its static facts, in the protocol descriptor ([`cloudapi_protocol`]).
pub use cloudapi_protocol::{CredentialEnv, Envelope, Protocol};

/// Each protocol's module, as the trait object `$half` asks for: the one place that maps a
/// protocol to its module, for each of its halves.
macro_rules! module {
    ($protocol:expr, $half:ty) => {{
        let module: &'static $half = match $protocol {
            Protocol::Rpc => &rpc::Rpc,
            Protocol::Roa => &roa::Roa,
            Protocol::Tc3 => &tc3::Tc3,
            Protocol::Sls => &sls::Sls,
            Protocol::Pds => &pds::Pds,
            // Every protocol of the descriptor has its module (a test checks it).
            other => unreachable!("the runtime has no module for {other:?}"),
        };
        module
    }};
}

/// A protocol's implementation in this crate: [`ProtocolWire::wire`] for the client,
/// [`ProtocolWire::wire_verify`] for checking signatures and, with the `stub-server`
/// feature, `ProtocolWire::wire_server` for the stub server.
///
/// Sealed: implemented for [`Protocol`] only, so the method the `stub-server` feature
/// adds cannot break an implementation elsewhere.
pub trait ProtocolWire: sealed::Sealed {
    /// The client half of the protocol's implementation: laying out and signing
    /// requests, reading responses and errors.
    fn wire(self) -> &'static dyn WireProtocol;

    /// The half that checks a received request's signature.
    fn wire_verify(self) -> &'static dyn WireVerify;

    /// The server half of the protocol's implementation: what the stub server reads from
    /// requests and how it answers them.
    #[cfg(feature = "stub-server")]
    fn wire_server(self) -> &'static dyn WireServer;
}

impl ProtocolWire for Protocol {
    fn wire(self) -> &'static dyn WireProtocol {
        module!(self, dyn WireProtocol)
    }

    fn wire_verify(self) -> &'static dyn WireVerify {
        module!(self, dyn WireVerify)
    }

    #[cfg(feature = "stub-server")]
    fn wire_server(self) -> &'static dyn WireServer {
        module!(self, dyn WireServer)
    }
}

mod sealed {
    /// Only the runtime implements [`WireProtocol`](super::WireProtocol),
    /// [`WireVerify`](super::WireVerify), the stub server's `WireServer` and
    /// [`ProtocolWire`](super::ProtocolWire).
    pub trait Sealed {}

    impl Sealed for super::Protocol {}
}

/// The client half of a provider's wire protocol: how a call is laid out and signed, and
/// how its answer and its errors are read.
///
/// Implemented by the runtime only (one module per protocol); reach an implementation
/// through [`ProtocolWire::wire`]. Checking signatures is [`WireVerify`]; the stub
/// server's half (feature `stub-server`) is `WireServer`.
pub trait WireProtocol: fmt::Debug + Send + Sync + sealed::Sealed {
    /// The protocol's short name (`tc3`, `rpc`, `roa`), for logs and messages.
    fn name(&self) -> &'static str;

    /// Lays out and signs one attempt of a call (a fresh nonce each time).
    fn sign(
        &self,
        ctx: &RequestContext<'_>,
        payload: &Payload,
    ) -> Result<HttpRequest, PayloadError>;

    /// Lays out a request (a JSON object keyed by wire names, placed by its layout) as
    /// this protocol sends it: the payload [`sign`](Self::sign) then signs.
    fn lay_out(&self, request: &OutgoingRequest) -> Payload;

    /// The provider error a response carries, or `None` when the response is not an
    /// error envelope (a success, or something no provider sent: a proxy's page).
    fn parse_error(
        &self,
        http_status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<ErrorMetadata>;

    /// Where the model sits in a JSON success body.
    fn json_envelope(&self) -> Envelope;

    /// How the success body of `action` is laid out when the client asked for `format`.
    fn success_layout(&self, action: &str, format: Format) -> ResponseLayout {
        let _ = (action, format);
        ResponseLayout::Json(self.json_envelope())
    }
}

/// Checking a received request's signature as the provider does (the public
/// [`Verifier`](crate::protocol::verify::Verifier) and the stub server call it).
///
/// Implemented by the runtime only; reach an implementation through
/// [`ProtocolWire::wire_verify`].
pub trait WireVerify: fmt::Debug + Send + Sync + sealed::Sealed {
    /// How far a request's signed time may be from the server's clock by default, in
    /// seconds (Tencent Cloud 300, Alibaba Cloud 900).
    fn default_window_secs(&self) -> i64;

    /// Checks the request's signature, its signed-header list, its credential scope and
    /// its time window as the provider does, with the provider's error code, message and
    /// status when it fails. Stateless: nonce reuse is the
    /// [`Verifier`](crate::protocol::verify::Verifier)'s to check, with the nonce this returns.
    fn verify(
        &self,
        request: &ReceivedRequest,
        keys: &dyn CredentialLookup,
        now: i64,
        options: &crate::protocol::verify::VerifyOptions,
    ) -> Result<Verified, VerifyError>;
}

/// The stub server's half of a provider's wire protocol: which action a received request
/// calls, how it is read back, and the provider's answers.
///
/// Implemented by the runtime only; reach an implementation through
/// [`ProtocolWire::wire_server`].
#[cfg(feature = "stub-server")]
pub trait WireServer: WireVerify {
    /// The action a request calls, where a header or a parameter names it.
    fn action(&self, request: &ReceivedRequest) -> Option<String>;

    /// The action a request calls, given the served actions' layouts. By default
    /// [`action`](Self::action) (a header or parameter names it); a protocol whose
    /// requests do not name their action finds it by method and path.
    fn route(
        &self,
        layouts: &[(
            &'static str,
            &'static crate::protocol::layout::RequestLayout,
        )],
        request: &ReceivedRequest,
    ) -> Option<String> {
        let _ = layouts;
        self.action(request)
    }

    /// Reads a received request back into a JSON object keyed by wire names (query and
    /// form pairs unflattened, a JSON body parsed, ROA path segments and headers picked
    /// out), for the lenient deserializer to turn into the typed request.
    fn read_request(
        &self,
        layout: &crate::protocol::layout::RequestLayout,
        request: &crate::protocol::Incoming,
    ) -> Result<serde_json::Value, crate::codec::flat::FlatError>;

    /// The parameters a handler reads (the stub's `Incoming::params`). By default the
    /// query and then the form body's parameters, as RPC merges them; ROA keeps the query
    /// alone and leaves the body (JSON or form) to the handler.
    fn handler_params(&self, request: &ReceivedRequest) -> Vec<(String, String)> {
        request.params()
    }

    /// The code for a parameter value that breaks a documented constraint, when the
    /// product's document names none.
    fn invalid_value_code(&self) -> &'static str;

    /// `error` in the provider's envelope, with the provider's HTTP status.
    fn error_response(
        &self,
        service: &Service,
        request: &ReceivedRequest,
        error: &ErrorMetadata,
    ) -> HttpResponse;

    /// A success whose body (a JSON object) gets the provider's envelope and `request_id`
    /// unless it has its own.
    fn success_response(
        &self,
        request: &ReceivedRequest,
        action: &str,
        body: serde_json::Value,
        request_id: &str,
    ) -> HttpResponse;

    /// The document's example response, in the format the request asked for where the
    /// document gives it.
    fn example_response(
        &self,
        request: &ReceivedRequest,
        json: &str,
        xml: Option<&str>,
    ) -> HttpResponse;

    /// A success whose body is sent as it is (an answer that is not a JSON object: a JSON
    /// array or other value, text, bytes), with `content_type` and the provider's request
    /// id header where it has one.
    fn whole_response(&self, content_type: &str, body: Vec<u8>, request_id: &str) -> HttpResponse {
        let _ = request_id;
        HttpResponse::new(200, content_type, body)
    }
}

/// A success whose body is sent as it is, with the provider's request id in `header`
/// (the protocols whose [`WireServer::whole_response`] names the request).
#[cfg(feature = "stub-server")]
pub(crate) fn whole_response_with_id(
    content_type: &str,
    body: Vec<u8>,
    header: &str,
    request_id: &str,
) -> HttpResponse {
    let mut resp = HttpResponse::new(200, content_type, body);
    resp.headers
        .push((header.to_owned(), request_id.to_owned()));
    resp
}

/// Alibaba Cloud RPC response format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// JSON (`Format=JSON`).
    #[default]
    Json,
    /// XML (`Format=XML`).
    Xml,
}

/// What a protocol needs to lay out and sign one attempt of a call.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RequestContext<'a> {
    /// The product version.
    pub service: &'a Service,
    /// The action.
    pub operation: &'a Operation,
    /// The region the client is configured with, if any ([`region`](Self::region) falls
    /// back to the product's default).
    pub configured_region: Option<&'a str>,
    /// The language of the provider's messages the client asks for, if any.
    pub language: Option<&'a str>,
    /// The response format the client asks for (Alibaba Cloud RPC).
    pub format: Format,
    /// The signature algorithm the client is configured with, if it overrides the spec's
    /// ([`signing`](Self::signing)).
    pub configured_signing: Option<Signing>,
    /// `scheme://host[:port]` without a trailing slash.
    pub base_url: &'a str,
    /// The host as sent (with the port where the URL has one).
    pub host: &'a str,
    /// The signing time, Unix seconds.
    pub now: i64,
    /// The credentials to sign this attempt with (resolved from the configuration's
    /// provider just before).
    pub credentials: &'a Credentials,
}

impl<'a> RequestContext<'a> {
    /// The credentials to sign with.
    pub fn credentials(&self) -> &'a Credentials {
        self.credentials
    }
    /// The configured region, else the product's default.
    pub fn region(&self) -> Option<&'a str> {
        self.configured_region.or(self.service.default_region)
    }
    /// The configured signature algorithm, else the spec's.
    pub fn signing(&self) -> Signing {
        self.configured_signing.unwrap_or(self.service.signing)
    }
}

/// What a generated method hands the client; the protocol lays it out on the wire.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Payload {
    /// A JSON body (Tencent Cloud API 3.0).
    Json(Vec<u8>),
    /// Query parameters: `Action`, `Version` and the action's own (Alibaba Cloud RPC).
    Query(Query),
    /// A RESTful request: method, path template, query, headers and body (Alibaba Cloud ROA).
    Rest(RestRequest),
}

impl Payload {
    /// What kind of payload this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Json(_) => "a JSON body",
            Payload::Query(_) => "query parameters",
            Payload::Rest(_) => "a RESTful request",
        }
    }
}

/// A RESTful request: an HTTP method, a path template whose `{Name}` segments are
/// filled from path parameters, query parameters, headers and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestRequest {
    /// `GET`, `POST`, `PUT`, `DELETE`, ...
    pub method: &'static str,
    /// The path template, e.g. `/clusters/{ClusterId}`.
    pub path: &'static str,
    /// Values of the template's parameters, by name.
    pub path_params: Vec<(&'static str, String)>,
    /// Query parameters (no `Action` or `Version`: those travel in headers).
    pub query: Query,
    /// The action's own headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
    /// The action's host parameter and its value, the label the host starts with
    /// (`<value>.<endpoint>`: Simple Log Service's project).
    pub host_param: Option<(&'static str, String)>,
}

impl RestRequest {
    /// A request with no parameters, headers or body yet.
    pub fn new(method: &'static str, path: &'static str) -> Self {
        RestRequest {
            method,
            path,
            path_params: Vec::new(),
            query: Query::default(),
            headers: Vec::new(),
            body: Body::Empty,
            host_param: None,
        }
    }

    /// The path with every `{Name}` replaced by its value, percent-encoded as one segment
    /// the way Alibaba Cloud's SDKs encode it (everything but `A-Z a-z 0-9 - _ . ~`;
    /// `/` becomes `%2F`). The result is the URI path sent and, as it is, the canonical
    /// URI an ACS3 signature covers. It starts with `/` (a template without one gets it).
    ///
    /// A value that is empty, `.` or `..` is refused: URL parsers drop or resolve such a
    /// segment (even encoded as `%2E`), which would send the request elsewhere.
    pub fn expand_path(&self) -> Result<String, PayloadError> {
        let mut out = String::with_capacity(self.path.len() + 16);
        if !self.path.starts_with('/') {
            out.push('/');
        }
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| PayloadError::MissingPathParameter(rest[open..].to_owned()))?;
            let name = &rest[open + 1..close];
            let value = self
                .path_params
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v)
                .ok_or_else(|| PayloadError::MissingPathParameter(name.to_owned()))?;
            if matches!(value.as_str(), "" | "." | "..") {
                return Err(PayloadError::InvalidPathParameter {
                    name: name.to_owned(),
                    reason: "an empty, `.` or `..` segment would not reach the resource",
                });
            }
            out.push_str(&rest[..open]);
            out.push_str(&crate::protocol::sign::percent_encode(value));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The action's own headers, names lowercased, each checked: one that `reserved`
    /// gives a reason for (the signer or the body sets it) or one given twice is refused;
    /// `accept: application/json` is added unless the action sets `accept`.
    pub(crate) fn own_headers(
        &self,
        reserved: impl Fn(&str) -> Option<&'static str>,
    ) -> Result<Vec<(String, String)>, PayloadError> {
        let mut headers: Vec<(String, String)> = Vec::with_capacity(self.headers.len() + 8);
        for (name, value) in &self.headers {
            let name = name.to_ascii_lowercase();
            let reason = reserved(&name).or_else(|| {
                headers
                    .iter()
                    .any(|(k, _)| *k == name)
                    .then_some("it is set more than once")
            });
            if let Some(reason) = reason {
                return Err(PayloadError::InvalidHeader { name, reason });
            }
            headers.push((name, value.clone()));
        }
        if !headers.iter().any(|(k, _)| k == "accept") {
            headers.push(("accept".to_owned(), "application/json".to_owned()));
        }
        Ok(headers)
    }
}

/// The `content-type` of a form body, as the official SDKs send it.
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// `base_url` and `path`, then `?` and the query encoded as Alibaba Cloud encodes it
/// (`%20`, `%2A`, `~` kept), in the request's order, when there is a query.
fn url_with_query(base_url: &str, path: &str, query: &[(String, String)]) -> String {
    if query.is_empty() {
        format!("{base_url}{path}")
    } else {
        format!(
            "{base_url}{path}?{}",
            crate::protocol::sign::rpc::encode_query(query)
        )
    }
}

/// The body of a [`RestRequest`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// A JSON document.
    Json(Vec<u8>),
    /// Form parameters (`application/x-www-form-urlencoded`).
    Form(Query),
    /// Bytes sent as they are, with their `Content-Type` (a binary or protobuf body).
    Raw {
        /// The `Content-Type`.
        content_type: &'static str,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl Body {
    /// A binary or protobuf body (`format` says which): the one body parameter's `Blob`,
    /// which the request's tree holds as base64, sent as its bytes. `None` for the other
    /// formats.
    pub(crate) fn raw(
        format: crate::protocol::layout::BodyFormat,
        blob: Option<&serde_json::Value>,
    ) -> Option<Body> {
        let content_type = format.raw_content_type()?;
        let bytes = blob
            .and_then(serde_json::Value::as_str)
            .map(crate::codec::scalar::Blob::from_base64)
            .and_then(Result::ok)
            .map(crate::codec::scalar::Blob::into_inner)
            .unwrap_or_default();
        Some(Body::Raw {
            content_type,
            bytes,
        })
    }

    /// The bytes sent and their `content-type`, `None` without a body; a JSON document's
    /// is `json` (`application/json; charset=utf-8` from ROA and the PDS gateway, plain
    /// `application/json` from Simple Log Service's).
    pub(crate) fn encoded(&self, json: &'static str) -> (Vec<u8>, Option<&'static str>) {
        match self {
            Body::Empty => (Vec::new(), None),
            Body::Json(bytes) => (bytes.clone(), Some(json)),
            Body::Form(form) => (
                crate::protocol::sign::rpc::encode_query(&form.0).into_bytes(),
                Some(FORM_CONTENT_TYPE),
            ),
            Body::Raw {
                content_type,
                bytes,
            } => (bytes.clone(), Some(*content_type)),
        }
    }
}

/// Server side: the one body parameter of a binary or protobuf body (`layout.body`) and
/// the bytes received, as its `Blob` reads them back (base64 in the request's tree);
/// `None` for the other formats or an empty body.
#[cfg(feature = "stub-server")]
fn raw_body_param(
    layout: &crate::protocol::layout::RequestLayout,
    body: &[u8],
) -> Option<(String, serde_json::Value)> {
    layout.body.raw_content_type()?;
    let p = layout.at(crate::protocol::layout::Position::Body).next()?;
    (!body.is_empty()).then(|| {
        (
            p.name.to_owned(),
            serde_json::Value::String(crate::codec::scalar::Blob::new(body.to_vec()).to_base64()),
        )
    })
}

/// A payload a protocol cannot lay out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    /// The protocol does not carry this kind of payload (a generated-code mismatch).
    Unsupported {
        /// The protocol's name.
        protocol: &'static str,
        /// The payload's kind.
        payload: &'static str,
    },
    /// A path template names a parameter the request does not set.
    MissingPathParameter(String),
    /// A path parameter whose value cannot be one path segment.
    InvalidPathParameter {
        /// The parameter's name.
        name: String,
        /// Why (the value itself may be a secret or long, so it is not repeated).
        reason: &'static str,
    },
    /// A host parameter whose value cannot be the first label of a host name.
    InvalidHostParameter {
        /// The parameter's name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// A request header the protocol cannot send as given.
    InvalidHeader {
        /// The header's name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// The configured signature algorithm is not one the protocol signs with.
    UnsupportedSigning {
        /// The protocol's name.
        protocol: &'static str,
        /// The configured algorithm.
        signing: Signing,
    },
}

impl PayloadError {
    pub(crate) fn unsupported(protocol: &dyn WireProtocol, payload: &Payload) -> Self {
        PayloadError::Unsupported {
            protocol: protocol.name(),
            payload: payload.kind(),
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::Unsupported { protocol, payload } => {
                write!(f, "the {protocol} protocol cannot send {payload}")
            }
            PayloadError::MissingPathParameter(name) => {
                write!(f, "the path parameter {name} is not set")
            }
            PayloadError::InvalidPathParameter { name, reason } => {
                write!(f, "the path parameter {name} is invalid: {reason}")
            }
            PayloadError::InvalidHostParameter { name, reason } => {
                write!(f, "the host parameter {name} is invalid: {reason}")
            }
            PayloadError::InvalidHeader { name, reason } => {
                write!(f, "the header {name} cannot be sent: {reason}")
            }
            PayloadError::UnsupportedSigning { protocol, signing } => {
                write!(f, "the {protocol} protocol cannot sign with {signing:?}")
            }
        }
    }
}

impl std::error::Error for PayloadError {}

/// Gives a success body (a JSON object) the request id, unless it carries its own.
#[cfg(feature = "stub-server")]
pub(crate) fn with_request_id(body: &mut serde_json::Value, request_id: &str) {
    if let serde_json::Value::Object(m) = body {
        m.entry("RequestId")
            .or_insert_with(|| serde_json::Value::String(request_id.to_owned()));
    }
}

/// A unique nonce (random, 128 bits, hex).
pub(crate) fn nonce() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

/// `name=value&...`, percent-decoded (`+` is a space only in form bodies, `plus_is_space`).
pub(crate) fn parse_pairs(s: &str, plus_is_space: bool) -> Vec<(String, String)> {
    let decode = |c: &str| {
        let c = if plus_is_space {
            std::borrow::Cow::Owned(c.replace('+', " "))
        } else {
            std::borrow::Cow::Borrowed(c)
        };
        percent_encoding::percent_decode_str(&c)
            .decode_utf8_lossy()
            .into_owned()
    };
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// A request as a server received it, for verification and for answering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    /// The query parameters, form-decoded (`+` is a space, as the providers read it), in
    /// order.
    pub query: Vec<(String, String)>,
    /// The query string exactly as sent (still percent-encoded), which Tencent Cloud's
    /// GET signatures cover.
    pub raw_query: String,
    /// The form-body parameters, decoded (empty unless the body is a form).
    pub form: Vec<(String, String)>,
    /// The headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A request as the stub server received it, read by its protocol: the action it
/// calls and its parameters ([`WireServer::read_request`] reads it back).
#[cfg(feature = "stub-server")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The action (from `X-TC-Action`, `x-acs-action` or the `Action` parameter; for
    /// Simple Log Service, found by method and path).
    pub action: String,
    /// The HTTP method.
    pub method: String,
    /// The path as sent, still percent-encoded (RESTful actions carry parameters in it).
    pub path: String,
    /// The parameters, decoded: the query, then (RPC) the form body's parameters. For
    /// Alibaba Cloud ROA the query alone; its body, JSON or form, is in `body`
    /// ([`Incoming::form`] decodes a form body).
    pub params: Query,
    /// Headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

#[cfg(feature = "stub-server")]
impl Incoming {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body's parameters, decoded, when it is a form
    /// (`application/x-www-form-urlencoded`); empty otherwise.
    pub fn form(&self) -> Vec<(String, String)> {
        if self
            .header("content-type")
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
        {
            parse_pairs(&String::from_utf8_lossy(&self.body), true)
        } else {
            Vec::new()
        }
    }
}

/// An absolute-form request target (`http://host:port/path?query`) split into its
/// authority and its origin-form rest (`/path?query`, `/` when empty); `None` for a
/// target that is not absolute.
pub(crate) fn split_absolute_target(target: &str) -> Option<(&str, String)> {
    let absolute = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))?;
    let (authority, rest) = match absolute.find(['/', '?']) {
        Some(i) => (&absolute[..i], &absolute[i..]),
        None => (absolute, ""),
    };
    let rest = if rest.starts_with('/') {
        rest.to_owned()
    } else {
        format!("/{rest}")
    };
    Some((authority, rest))
}

impl ReceivedRequest {
    /// A request from its method, its request target as sent (`/path?query`, still
    /// percent-encoded), its headers (names are lowercased here) and its body. The query is
    /// decoded, and so is the body when `content-type` says it is a form.
    pub fn from_parts(
        method: impl Into<String>,
        target: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Self {
        let (path, raw_query) = target.split_once('?').unwrap_or((target, ""));
        let headers: Vec<(String, String)> = headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let mut request = ReceivedRequest {
            method: method.into(),
            path: path.to_owned(),
            query: parse_pairs(raw_query, true),
            raw_query: raw_query.to_owned(),
            form: Vec::new(),
            headers,
            body,
        };
        if request
            .header("content-type")
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
        {
            request.form = parse_pairs(&String::from_utf8_lossy(&request.body), true);
        }
        request
    }
    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// A parameter's value, from the query, else from the form body.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .chain(&self.form)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// The query parameters, then the form-body parameters.
    pub fn params(&self) -> Vec<(String, String)> {
        self.query.iter().chain(&self.form).cloned().collect()
    }
}

/// Finds the credentials of an access key id, for verifying signatures.
pub trait CredentialLookup {
    /// The credentials of `access_key_id`, if it is known.
    fn find(&self, access_key_id: &str) -> Option<&Credentials>;
}

impl CredentialLookup for Credentials {
    fn find(&self, access_key_id: &str) -> Option<&Credentials> {
        (self.access_key_id() == access_key_id).then_some(self)
    }
}

impl CredentialLookup for [Credentials] {
    fn find(&self, access_key_id: &str) -> Option<&Credentials> {
        self.iter().find(|c| c.access_key_id() == access_key_id)
    }
}

impl CredentialLookup for Vec<Credentials> {
    fn find(&self, access_key_id: &str) -> Option<&Credentials> {
        self.as_slice().find(access_key_id)
    }
}

/// A request whose signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The access key id that signed it.
    pub access_key_id: String,
    /// The signature algorithm it was signed with.
    pub signing: Signing,
    /// The signed time (`X-TC-Timestamp`, `Timestamp`, `x-acs-date`), Unix seconds.
    pub timestamp: i64,
    /// The signed nonce (`SignatureNonce`, `x-acs-signature-nonce`); `None` for TC3,
    /// which has none.
    pub nonce: Option<String>,
}

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyErrorKind {
    /// No signature in the form the protocol expects.
    Missing,
    /// A signature or a signed value that cannot be read, or a signed-header list that
    /// leaves out a header the provider requires to be signed.
    Malformed,
    /// An access key id the server does not know.
    UnknownAccessKey,
    /// A timestamp outside the allowed window.
    Expired,
    /// A credential scope (TC3: date or service) that does not fit the request or the
    /// service.
    Scope,
    /// A signature that does not match the request.
    Mismatch,
    /// A nonce already used within the window.
    Replayed,
    /// The verifier remembers as many nonces as it may; the request cannot be checked for
    /// replay until some expire.
    Capacity,
}

/// A refused signature, with the error the provider answers it with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyError {
    /// Why.
    pub kind: VerifyErrorKind,
    /// The provider's error code (`AuthFailure.SignatureFailure`, `SignatureDoesNotMatch`).
    pub code: &'static str,
    /// The provider's message.
    pub message: String,
    /// The HTTP status the provider sends it with (Tencent Cloud sends every error with
    /// 200; this is the status the failure means, 401).
    pub http_status: u16,
    /// On a mismatch, what the server signed (TC3 and ACS3: the canonical request;
    /// HMAC-SHA1: the string to sign), to compare with the client's. It holds no secret.
    pub canonical: Option<String>,
}

/// The time a request signs in its `date` header (RFC 1123), within `options`' window of
/// `now`, as the services that sign `date` refuse it otherwise (Simple Log Service, the PDS
/// gateway): missing, unreadable or too far from the server's clock.
fn signed_http_date(
    request: &ReceivedRequest,
    now: i64,
    options: &verify::VerifyOptions,
) -> Result<i64, VerifyError> {
    use VerifyErrorKind as K;
    let date = request.header("date").ok_or_else(|| {
        VerifyError::new(
            K::Missing,
            "MissingDate",
            "Header date is missing in the request.",
            400,
        )
    })?;
    let ts = crate::codec::time::parse_http_date(date).ok_or_else(|| {
        VerifyError::new(
            K::Malformed,
            "InvalidDateFormat",
            format!("Header date {date} is not in RFC 1123 format."),
            400,
        )
    })?;
    if now.abs_diff(ts) > options.window_secs().unsigned_abs() {
        return Err(VerifyError::new(
            K::Expired,
            "RequestTimeExpired",
            format!(
                "Request time {date} has been expired while server time is {}.",
                crate::codec::time::http_date(now)
            ),
            400,
        ));
    }
    Ok(ts)
}

/// The path a signature may cover: as sent, and percent-decoded. The official SDKs that
/// sign the path in a string to sign (Simple Log Service, the PDS gateway) sign it as they
/// hold it, before encoding; the runtime signs it as sent. Either checks out.
fn signed_paths(request: &ReceivedRequest) -> [std::borrow::Cow<'_, str>; 2] {
    [
        std::borrow::Cow::Borrowed(request.path.as_str()),
        percent_encoding::percent_decode_str(&request.path).decode_utf8_lossy(),
    ]
}

impl VerifyError {
    pub(crate) fn new(
        kind: VerifyErrorKind,
        code: &'static str,
        message: impl Into<String>,
        http_status: u16,
    ) -> Self {
        VerifyError {
            kind,
            code,
            message: message.into(),
            http_status,
            canonical: None,
        }
    }
    /// With what the server signed.
    pub(crate) fn with_canonical(mut self, canonical: String) -> Self {
        self.canonical = Some(canonical);
        self
    }
    /// The error as the provider reports it.
    pub fn to_metadata(&self, request_id: Option<String>) -> ErrorMetadata {
        ErrorMetadata::new(
            self.code,
            self.message.clone(),
            request_id,
            self.http_status,
        )
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for VerifyError {}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::client::config::Config;

    #[test]
    fn a_protocol_refuses_a_payload_it_cannot_carry() {
        let config = Config::builder(Credentials::new("id", "secret")).build();
        let tc3 = service(Protocol::Tc3, Signing::Tc3HmacSha256);
        let e = sign(
            &tc3,
            &config,
            &Payload::Rest(RestRequest::new("GET", "/things")),
            0,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the tc3 protocol cannot send a RESTful request"
        );
        let rpc = service(Protocol::Rpc, Signing::HmacSha1);
        let rest = Payload::Rest(RestRequest::new("GET", "/things"));
        assert_eq!(
            sign(&rpc, &config, &rest, 0).unwrap_err(),
            PayloadError::Unsupported {
                protocol: "rpc",
                payload: "a RESTful request"
            }
        );
    }

    #[test]
    fn rest_paths_fill_their_parameters_encoded() {
        let mut r = RestRequest::new("GET", "/clusters/{ClusterId}/nodes/{Node}");
        r.path_params.push(("ClusterId", "c 1/x".into()));
        assert_eq!(
            r.expand_path(),
            Err(PayloadError::MissingPathParameter("Node".into()))
        );
        r.path_params.push(("Node", "n-1".into()));
        assert_eq!(r.expand_path().unwrap(), "/clusters/c%201%2Fx/nodes/n-1");
        // The path sent always starts with `/`.
        r.path = "clusters/{ClusterId}";
        assert_eq!(r.expand_path().unwrap(), "/clusters/c%201%2Fx");
        assert_eq!(
            RestRequest::new("GET", "/open/{").expand_path(),
            Err(PayloadError::MissingPathParameter("{".into()))
        );
    }

    #[test]
    fn every_protocol_of_the_descriptor_has_its_module() {
        for p in Protocol::ALL {
            let (wire, d) = (p.wire(), p.descriptor());
            assert_eq!(wire.name(), d.name);
            assert_eq!(wire.json_envelope(), d.success);
            let verify = p.wire_verify();
            assert_eq!(verify.default_window_secs(), d.window_secs, "{}", d.name);
            // Each half is the same module.
            assert_eq!(format!("{verify:?}"), format!("{wire:?}"));
            #[cfg(feature = "stub-server")]
            assert_eq!(format!("{:?}", p.wire_server()), format!("{wire:?}"));
        }
        assert_eq!(
            Protocol::Tc3.wire().json_envelope(),
            Envelope::Member("Response")
        );
        assert_eq!(Protocol::Rpc.wire().json_envelope(), Envelope::Bare);
    }

    /// Each protocol's parser reads an error laid out as its descriptor's error envelope
    /// says, under every spelling the descriptor lists.
    #[test]
    fn every_protocol_parses_its_descriptors_error_envelope() {
        use serde_json::{Map, Value};
        for p in Protocol::ALL {
            let e = p.descriptor().error;
            let spellings = e.code.len().max(e.message.len()).max(e.request_id.len());
            for i in 0..spellings {
                let pick = |names: &[&'static str]| names.get(i).or(names.last()).copied();
                let mut error = Map::new();
                error.insert(pick(e.code).unwrap().into(), "Some.Code".into());
                error.insert(pick(e.message).unwrap().into(), "some message".into());
                let mut parent = Map::new();
                if let Some(id) = pick(e.request_id) {
                    parent.insert(id.into(), "body-id".into());
                }
                let body = match e.path {
                    [] => {
                        error.extend(parent);
                        Value::Object(error)
                    }
                    [outer @ .., last] => {
                        parent.insert((*last).into(), Value::Object(error));
                        outer.iter().rev().fold(
                            Value::Object(parent),
                            |inner, m| serde_json::json!({ *m: inner }),
                        )
                    }
                };
                let headers: Vec<(String, String)> = e
                    .request_id_header
                    .map(|h| (h.to_owned(), "header-id".to_owned()))
                    .into_iter()
                    .collect();
                let status = if e.http_200 { 200 } else { 400 };
                let meta = p
                    .wire()
                    .parse_error(status, &headers, body.to_string().as_bytes())
                    .unwrap_or_else(|| panic!("{}: {body} is not an error", p.name()));
                assert_eq!(meta.code(), "Some.Code", "{}: {body}", p.name());
                assert_eq!(meta.message(), "some message", "{}: {body}", p.name());
                let id = if e.request_id.is_empty() {
                    "header-id"
                } else {
                    "body-id"
                };
                assert_eq!(meta.request_id(), Some(id), "{}: {body}", p.name());
            }
        }
    }
}

/// Helpers for the protocol modules' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::client::config::Config;

    /// A product version for tests.
    pub(crate) fn service(protocol: Protocol, signing: Signing) -> Service {
        Service {
            protocol,
            signing,
            version: "2020-07-01",
            endpoint: "api.example.com",
            service: "example",
            default_region: Some("cn-shanghai"),
            endpoints: None,
        }
    }

    /// The action `ListThings`.
    pub(crate) const OPERATION: Operation = Operation {
        action: "ListThings",
        requests_per_second: None,
        idempotent: true,
        idempotency_token: None,
    };

    /// Signs `payload` at `now` the way the client does.
    pub(crate) fn sign(
        service: &Service,
        config: &Config,
        payload: &Payload,
        now: i64,
    ) -> Result<HttpRequest, PayloadError> {
        let ctx = crate::client::request_context(
            config,
            service,
            &OPERATION,
            "http://127.0.0.1:8080",
            "127.0.0.1:8080",
            now,
            config
                .credentials
                .as_static()
                .expect("tests sign with fixed credentials"),
        );
        service.protocol.wire().sign(&ctx, payload)
    }

    /// Signs a TC3 `payload` at `now` over the headers `signed` names.
    pub(crate) fn sign_tc3_over(
        service: &Service,
        config: &Config,
        payload: &Payload,
        now: i64,
        signed: &[&str],
    ) -> Result<HttpRequest, PayloadError> {
        let ctx = crate::client::request_context(
            config,
            service,
            &OPERATION,
            "http://127.0.0.1:8080",
            "127.0.0.1:8080",
            now,
            config
                .credentials
                .as_static()
                .expect("tests sign with fixed credentials"),
        );
        tc3::Tc3.sign_over(&ctx, payload, signed)
    }

    /// The request as a server receives it (the transport adds `host`).
    #[cfg(feature = "stub-server")]
    pub(crate) fn received(req: &HttpRequest) -> ReceivedRequest {
        let rest = req
            .url
            .split_once("://")
            .map_or(req.url.as_str(), |(_, r)| r);
        let (authority, path_query) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
        let mut headers = req.headers.clone();
        headers.push(("host".into(), authority.to_owned()));
        ReceivedRequest::from_parts(
            req.method,
            &format!("/{path_query}"),
            headers,
            req.body.clone(),
        )
    }
}
