//! A local stub of a provider's API, for tests (feature `stub-server`): real HTTP,
//! signatures verified the way the provider does, requests decoded and validated with
//! the generated request types, answers in the provider's shapes. Generated `stub`
//! modules wrap it with one typed `on_<action>` handler per action; a [`StubBuilder`]
//! serves one product version or several on one port (routed by host, or by action and
//! version), with a [`Clock`] and injected faults ([`FaultRule`]): provider errors,
//! throttling, latency, hangs, and bodies cut, reset, dripped or padded to any size.
//! Requests are read as strictly as the provider reads them ([`decode_request`]), within
//! bounds a hostile client cannot push past (body size, a shared body budget, read and
//! idle timeouts, a bounded [`RunningStub::received`] window), and a repeated idempotency
//! token replays the first answer ([`StubBuilder::idempotency`]).

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::stream::{self, StreamExt as _};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Bytes, Frame, Incoming as Body};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::Value;

use crate::client::action::{Action, ActionRequest};
use crate::codec::flat::{from_value_checked, FlatError, Strictness};
use crate::codec::response::{Answer, Model};
use crate::credentials::Credentials;
use crate::http::HttpResponse;
use crate::protocol::error::ErrorMetadata;
use crate::protocol::layout::{Query, RequestLayout};
use crate::protocol::service::Service;
use crate::protocol::verify::Verifier;
use crate::protocol::ProtocolWire as _;
use crate::protocol::{Incoming, Protocol, ReceivedRequest, Verified};
use crate::validate::{ValidationError, Violation, ViolationKind};
use cloudapi_protocol::Carrier;

/// What a handler answers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Reply<T> {
    /// A success with this body.
    Ok(T),
    /// The document's example response.
    Example,
    /// A provider error (Tencent Cloud sends it with HTTP 200 whatever `http_status` says).
    Error {
        /// The provider's error code.
        code: String,
        /// The message.
        message: String,
        /// The HTTP status (Alibaba Cloud; Tencent Cloud always sends 200).
        http_status: u16,
    },
    /// Any bytes, for faults: a proxy's HTML page, a truncated body, a wrong content type.
    Raw {
        /// The HTTP status.
        status: u16,
        /// The `Content-Type`.
        content_type: String,
        /// The bytes.
        body: Vec<u8>,
    },
    /// Never answers (the connection stays open until the client gives up).
    Hang,
}

impl<T> Reply<T> {
    /// A provider error with HTTP 400.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Reply::Error {
            code: code.into(),
            message: message.into(),
            http_status: 400,
        }
    }
}

/// A handler's answer, untyped: a reply with its body as a JSON value, or the example.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A reply (`Reply::Example` never appears here: it becomes [`Outcome::Example`]).
    Reply(Reply<Value>),
    /// The example body, as the document prints it.
    Example {
        /// The JSON example.
        json: &'static str,
        /// The XML example, where the document gives one.
        xml: Option<&'static str>,
    },
    /// A success whose body is sent as it is: an answer that is not a JSON object (a JSON
    /// array or other value, text, bytes; see [`Answer`]), with the provider's request id
    /// header.
    Whole {
        /// The `Content-Type`.
        content_type: &'static str,
        /// The body.
        body: Vec<u8>,
    },
}

impl Outcome {
    /// Converts a typed reply.
    pub fn from_reply<T: Serialize>(
        reply: Reply<T>,
        example_json: &'static str,
        example_xml: Option<&'static str>,
    ) -> Outcome {
        Outcome::Reply(match reply {
            Reply::Ok(v) => match serde_json::to_value(v) {
                Ok(v) => Reply::Ok(v),
                Err(e) => Reply::Error {
                    code: "InternalError".into(),
                    message: e.to_string(),
                    http_status: 500,
                },
            },
            Reply::Example => {
                return Outcome::Example {
                    json: example_json,
                    xml: example_xml,
                }
            }
            Reply::Error {
                code,
                message,
                http_status,
            } => Reply::Error {
                code,
                message,
                http_status,
            },
            Reply::Raw {
                status,
                content_type,
                body,
            } => Reply::Raw {
                status,
                content_type,
                body,
            },
            Reply::Hang => Reply::Hang,
        })
    }

    /// The outcome for an action whose success body is `answer`: an object's as it is; for
    /// the other answers a success (the handler's or the example) becomes
    /// [`Outcome::Whole`], its body the reply's serialized model as the answer writes it
    /// ([`Answer::encode`]) or the example's text.
    pub fn answered_as(self, answer: Answer) -> Outcome {
        if answer == Answer::Object {
            return self;
        }
        let content_type = answer.content_type();
        match self {
            Outcome::Reply(Reply::Ok(v)) => match answer.encode(&v) {
                Ok(body) => Outcome::Whole { content_type, body },
                Err(message) => Outcome::Reply(Reply::Error {
                    code: "InternalError".into(),
                    message,
                    http_status: 500,
                }),
            },
            Outcome::Example { json, .. } => Outcome::Whole {
                content_type,
                body: json.as_bytes().to_vec(),
            },
            other => other,
        }
    }

    /// The provider's answer to a request whose validation (`request.validate()`) failed
    /// on a constraint the provider enforces, or `Ok` when it failed only on cross-field
    /// rules of the `advisory` parameters: rules the provider resolves itself (Tencent
    /// Cloud Organization's `ListUsers` takes `NextToken` over `Offset`), which a stub
    /// must not be stricter about. `codes` maps a violation kind (`required`, `minimum`,
    /// `maximum`, `not_in_enum`: the `Messages` field names) to the product's code for it.
    pub fn check(
        protocol: Protocol,
        validation: Result<(), ValidationError>,
        codes: &[(&str, &str)],
        advisory: &[&str],
    ) -> Result<(), Outcome> {
        let Err(e) = validation else {
            return Ok(());
        };
        match e
            .violations()
            .iter()
            .find(|v| provider_enforces(v, advisory))
        {
            Some(v) => Err(invalid_violation(protocol, v, codes)),
            None => Ok(()),
        }
    }
}

/// Decodes the typed request a generated stub handler receives: the protocol reads the
/// received request back into a JSON object by `layout`, which is then deserialized
/// leniently (numbers and booleans may arrive as strings, as they do in queries) but as
/// strictly as the provider otherwise (see [`Strictness`]). A request that cannot be read
/// is answered as the provider answers: `UnknownParameter` for a parameter a Tencent Cloud
/// action does not have, `MissingParameter` for a missing required parameter,
/// `InvalidParameter` otherwise (an object for a list, a string for a structure), naming
/// the parameter.
pub fn decode_request<T: serde::de::DeserializeOwned>(
    protocol: Protocol,
    layout: &'static RequestLayout,
    incoming: &Incoming,
) -> Result<T, Outcome> {
    let unreadable = |e: FlatError| {
        let missing = e.message().starts_with("missing field");
        let (code, message) = if e.is_unknown_parameter() {
            (
                "UnknownParameter",
                format!("The parameter `{}` is not recognized.", flat_name(e.path())),
            )
        } else if missing {
            let name = e.message().split('`').nth(1).unwrap_or("").to_owned();
            let name = if e.path() == "." {
                name
            } else {
                format!("{}.{name}", e.path())
            };
            (
                "MissingParameter",
                format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
            )
        } else {
            (
                "InvalidParameter",
                format!(
                    "The specified parameter \"{}\" is not valid: {}",
                    e.path(),
                    e.message()
                ),
            )
        };
        Outcome::Reply(Reply::Error {
            code: code.to_owned(),
            message,
            http_status: 400,
        })
    };
    let value = protocol
        .wire_server()
        .read_request(layout, incoming)
        .map_err(unreadable)?;
    from_value_checked(value, strictness(protocol)).map_err(unreadable)
}

/// A field path (`Filters[0].Valeus`) as Tencent Cloud names a parameter, flattened with
/// its indexes from 0 (`Filters.0.Valeus`).
fn flat_name(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '[' => out.push('.'),
            ']' => {}
            c => out.push(c),
        }
    }
    out
}

/// How strictly the provider reads a request's parameters. Tencent Cloud refuses a
/// parameter it does not know (`UnknownParameter`, at any depth); Alibaba Cloud's gateways
/// (RPC, ROA, Simple Log Service) ignore parameters an API does not declare (only the
/// Alibaba Cloud CLI checks them, client-side, unless `--force`). Every provider refuses
/// an object where a list is expected and a string where a structure is.
fn strictness(protocol: Protocol) -> Strictness {
    Strictness::default().unknown_fields(protocol.cloud().descriptor().refuses_unknown_parameters)
}

/// Whether the provider itself refuses a request with this violation: all but the
/// cross-field rules of `advisory` parameters, which it resolves itself.
fn provider_enforces(v: &Violation, advisory: &[&str]) -> bool {
    let cross_field = matches!(
        v.kind,
        ViolationKind::Requires { .. } | ViolationKind::Conflicts { .. }
    );
    !(cross_field && advisory.contains(&&*v.parameter))
}

/// The provider's error for one violation.
fn invalid_violation(protocol: Protocol, v: &Violation, codes: &[(&str, &str)]) -> Outcome {
    let kind = match v.kind {
        ViolationKind::Required => "required",
        ViolationKind::Minimum { .. } => "minimum",
        ViolationKind::Maximum { .. } => "maximum",
        ViolationKind::NotInEnum { .. } => "not_in_enum",
        _ => "",
    };
    let fallback = match kind {
        "required" => "MissingParameter",
        _ => protocol.wire_server().invalid_value_code(),
    };
    let code = codes
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(fallback, |(_, c)| c);
    Outcome::Reply(Reply::Error {
        code: code.to_owned(),
        message: v.message.clone(),
        http_status: 400,
    })
}

/// A typed handler, type-erased.
pub type Handler = Arc<dyn Fn(&Incoming) -> Outcome + Send + Sync>;

/// One product version as a stub serves it: its [`Service`] and a handler per action.
/// Generated `stub::service()` functions give every action its document's example;
/// several of these share one port through [`StubBuilder::service`].
#[derive(Clone)]
pub struct ServiceStub {
    service: Service,
    handlers: HashMap<&'static str, Handler>,
    layouts: Vec<(
        &'static str,
        &'static crate::protocol::layout::RequestLayout,
    )>,
}

impl std::fmt::Debug for ServiceStub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceStub")
            .field("service", &self.service)
            .field("actions", &self.actions())
            .finish()
    }
}

impl ServiceStub {
    /// A product version with no actions yet (each unknown action is answered as the
    /// provider answers an action that does not exist).
    pub fn new(service: Service) -> Self {
        ServiceStub {
            service,
            handlers: HashMap::new(),
            layouts: Vec::new(),
        }
    }
    /// Records where an action's requests go (method and path), for protocols whose
    /// requests do not name their action (Simple Log Service): the stub finds the action
    /// by method and path among the recorded layouts.
    pub fn layout(
        mut self,
        action: &'static str,
        layout: &'static crate::protocol::layout::RequestLayout,
    ) -> Self {
        self.layouts.retain(|(a, _)| *a != action);
        self.layouts.push((action, layout));
        self
    }
    /// Sets the handler of an action.
    pub fn handler(mut self, action: &'static str, handler: Handler) -> Self {
        self.handlers.insert(action, handler);
        self
    }

    /// Answers the action `A` with `handler`, after the signature is verified and the
    /// request decoded and validated: a request that breaks a documented constraint the
    /// provider enforces gets the provider's error without reaching the handler
    /// (cross-field rules the provider resolves itself, [`Action::ADVISORY`], pass).
    pub fn on<A: Action>(
        self,
        handler: impl Fn(A::Request) -> Reply<A::Response> + Send + Sync + 'static,
    ) -> Self
    where
        A::Request: serde::de::DeserializeOwned,
        A::Response: Serialize,
    {
        let decode = |incoming: &Incoming| -> Result<A::Request, Outcome> {
            let protocol = A::SERVICE.protocol;
            let request: A::Request = decode_request(protocol, A::LAYOUT, incoming)?;
            Outcome::check(protocol, request.check(), A::VIOLATION_CODES, A::ADVISORY)?;
            Ok(request)
        };
        let answer = <A::Response as Model>::ANSWER;
        let handler = move |incoming: &Incoming| match decode(incoming) {
            Ok(request) => Outcome::from_reply(handler(request), A::SAMPLE.json, A::SAMPLE.xml)
                .answered_as(answer),
            Err(outcome) => outcome,
        };
        let action = A::OPERATION.action;
        self.layout(action, A::LAYOUT)
            .handler(action, Arc::new(handler))
    }

    /// Answers the action `A` with its response sample (the document's example).
    pub fn example<A: Action>(self) -> Self
    where
        A::Request: serde::de::DeserializeOwned,
        A::Response: Serialize,
    {
        self.on::<A>(|_| Reply::Example)
    }
    /// The product version.
    pub fn service(&self) -> &Service {
        &self.service
    }
    /// The actions with a handler, sorted.
    pub fn actions(&self) -> Vec<&'static str> {
        let mut actions: Vec<&'static str> = self.handlers.keys().copied().collect();
        actions.sort_unstable();
        actions
    }
}

/// The time a stub checks signature timestamps against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// Always this Unix time (to replay requests signed in the past).
    Fixed(i64),
    /// The system clock shifted by this many seconds (to test clients with a skewed clock).
    Skew(i64),
}

impl Clock {
    /// The current time by this clock, Unix seconds.
    pub fn now(self) -> i64 {
        match self {
            Clock::System => crate::codec::time::now(),
            Clock::Fixed(t) => t,
            Clock::Skew(s) => crate::codec::time::now().saturating_add(s),
        }
    }
}

/// A fault a stub injects into its answer to a request (see [`FaultRule`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answers with this provider error, in the provider's envelope, instead of calling
    /// the handler.
    Error {
        /// The provider's error code.
        code: String,
        /// The message.
        message: String,
        /// The HTTP status (Tencent Cloud always sends 200).
        http_status: u16,
    },
    /// Answers with the provider's throttling error: Tencent Cloud's
    /// `RequestLimitExceeded`, Alibaba Cloud's `Throttling` (HTTP 400).
    Throttle,
    /// As [`Throttle`](Self::Throttle), telling the client how long to wait: Alibaba
    /// Cloud's `x-acs-retry-after` header, in milliseconds. Tencent Cloud has no such
    /// header; its answer is [`Throttle`](Self::Throttle)'s.
    ThrottleRetryAfter(Duration),
    /// Waits this long before answering; other rules still apply to the answer.
    Latency(Duration),
    /// Never answers; the connection stays open until the client gives up.
    Hang,
    /// Sends the answer's headers with its full `Content-Length` and half its body, then
    /// closes the connection.
    TruncateBody,
    /// Sends the answer's headers with its full `Content-Length` and half its body, then
    /// resets the connection (TCP RST).
    ResetMidBody,
    /// Sends the answer's body one byte every this long (its headers at once).
    SlowDrip(Duration),
    /// Pads the answer with spaces to `bytes` bytes (JSON and XML stay valid), produced as
    /// the client reads them: never held in memory, so a `1 << 30` body costs nothing.
    LargeBody {
        /// The body's size; the answer as it is when it is larger.
        bytes: u64,
        /// Sent chunked, without `Content-Length` (else `Content-Length: bytes`).
        chunked: bool,
    },
}

/// A test's fault chooser ([`StubBuilder::fault_fn`]).
type FaultFn = Arc<dyn Fn(&Incoming) -> Option<Fault> + Send + Sync>;

/// When a stub injects a [`Fault`]: on every `every`-th request to `action` (any action
/// when none is given) that passed signature verification. Each rule counts its own
/// requests. A rule's [`Fault::Latency`] adds to the others; of the other faults, the
/// first rule's that fires wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    fault: Fault,
    action: Option<String>,
    every: u64,
}

impl FaultRule {
    /// Injects `fault` into every request.
    pub fn new(fault: Fault) -> Self {
        FaultRule {
            fault,
            action: None,
            every: 1,
        }
    }
    /// Only for requests to `action`.
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }
    /// On every `n`-th matching request: the `n`-th, the `2n`-th, … (`0` is taken as `1`).
    pub fn every(mut self, n: u64) -> Self {
        self.every = n.max(1);
        self
    }
    /// The fault.
    pub fn fault(&self) -> &Fault {
        &self.fault
    }
}

/// The largest request body a stub reads by default (32 MiB); a larger one is refused
/// (Tencent Cloud `RequestSizeLimitExceeded`, Alibaba Cloud `InvalidRequest` with HTTP
/// 413; see [`StubBuilder::max_request_body`]).
pub const MAX_REQUEST_BODY: usize = 32 << 20;

/// How much a stub holds and how long it waits: see the [`StubBuilder`] methods that set
/// each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limits {
    received_count: usize,
    received_bytes: usize,
    max_body: usize,
    body_budget: usize,
    header_timeout: Duration,
    body_timeout: Duration,
    idle_timeout: Duration,
    idempotency: IdempotencyLimits,
}

/// How many answers [`StubBuilder::idempotency`] keeps, and how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IdempotencyLimits {
    entries: usize,
    window: Duration,
}

/// The largest answer kept for replay by idempotency token.
const MAX_REPLAYED_BYTES: usize = 1 << 20;
/// The most bytes of answers kept for replay by idempotency token, all together.
const MAX_REPLAY_BYTES: usize = 64 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            received_count: DEFAULT_RECEIVED_COUNT,
            received_bytes: DEFAULT_RECEIVED_BYTES,
            max_body: MAX_REQUEST_BODY,
            body_budget: DEFAULT_BODY_BUDGET,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(120),
            idempotency: IdempotencyLimits {
                entries: 1_000,
                window: Duration::from_secs(600),
            },
        }
    }
}

/// The requests [`RunningStub::received`] keeps by default: the latest 1,000.
pub const DEFAULT_RECEIVED_COUNT: usize = 1_000;
/// The bytes [`RunningStub::received`] keeps by default (bodies, parameters, headers and
/// paths): 64 MiB.
pub const DEFAULT_RECEIVED_BYTES: usize = 64 << 20;
/// The bytes of request bodies a stub reads at once, across all connections, by default:
/// 128 MiB.
pub const DEFAULT_BODY_BUDGET: usize = 128 << 20;

/// Configures a stub server: the product versions it serves (one, from a generated
/// `StubServer`, or several on one port), the credentials it accepts, its clock and
/// the faults it injects.
///
/// With several product versions, a request goes to the one whose endpoint's host it
/// names (`cvm.tencentcloudapi.com`, `ecs.cn-hangzhou.aliyuncs.com`; any port), else,
/// on an address such as `127.0.0.1`, to the first serving its action
/// (`X-TC-Action`, `x-acs-action` or `Action`) in its version (`X-TC-Version`,
/// `x-acs-version` or `Version`).
#[derive(Clone)]
pub struct StubBuilder {
    services: Vec<ServiceStub>,
    credentials: Vec<Credentials>,
    verify: bool,
    clock: Clock,
    faults: Vec<FaultRule>,
    /// Chooses a fault for each request the rules leave alone ([`StubBuilder::fault_fn`]).
    fault_fn: Option<FaultFn>,
    /// The signature window, if not the provider's.
    window: Option<std::time::Duration>,
    /// The service a TC3 scope must name: `None` the product's, `Some(None)` any.
    signing_service: Option<Option<String>>,
    limits: Limits,
}

impl Default for StubBuilder {
    /// No product versions, no credentials, signatures verified by the system clock.
    fn default() -> Self {
        StubBuilder {
            services: Vec::new(),
            credentials: Vec::new(),
            verify: true,
            clock: Clock::System,
            faults: Vec::new(),
            fault_fn: None,
            window: None,
            signing_service: None,
            limits: Limits::default(),
        }
    }
}

impl std::fmt::Debug for StubBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `Credentials`' own `Debug` redacts the secrets.
        f.debug_struct("StubBuilder")
            .field("services", &self.services)
            .field("credentials", &self.credentials)
            .field("verify", &self.verify)
            .field("clock", &self.clock)
            .field("faults", &self.faults)
            .field("fault_fn", &self.fault_fn.is_some())
            .field("window", &self.window)
            .field("signing_service", &self.signing_service)
            .field("limits", &self.limits)
            .finish()
    }
}

impl StubBuilder {
    /// How many requests, and how many of their bytes (bodies, parameters, headers and
    /// paths), [`RunningStub::received`] keeps: the latest ones, older ones are dropped
    /// (counted by [`RunningStub::received_dropped`]); the newest is kept whatever its size.
    /// Default [`DEFAULT_RECEIVED_COUNT`] and [`DEFAULT_RECEIVED_BYTES`].
    pub fn received_window(mut self, count: usize, bytes: usize) -> Self {
        self.limits.received_count = count;
        self.limits.received_bytes = bytes;
        self
    }

    /// The largest request body read (default [`MAX_REQUEST_BODY`]); a larger one is
    /// answered in the provider's envelope (Tencent Cloud `RequestSizeLimitExceeded`,
    /// Alibaba Cloud `InvalidRequest` with HTTP 413), and its connection closed.
    pub fn max_request_body(mut self, bytes: usize) -> Self {
        self.limits.max_body = bytes;
        self
    }

    /// The bytes of request bodies read at once across all connections (default
    /// [`DEFAULT_BODY_BUDGET`]). A request whose body would go past it is answered with the
    /// provider's busy error (Tencent Cloud `RequestLimitExceeded`, Alibaba Cloud
    /// `ServiceUnavailable` with HTTP 503) and its connection closed.
    pub fn body_budget(mut self, bytes: usize) -> Self {
        self.limits.body_budget = bytes;
        self
    }

    /// How long a client may take to send a request's head (default 30 s: the connection is
    /// closed) and its body (default 60 s from the end of the head: answered
    /// `RequestTimeout` with HTTP 408, and the connection closed).
    pub fn read_timeouts(mut self, head: Duration, body: Duration) -> Self {
        self.limits.header_timeout = head;
        self.limits.body_timeout = body;
        self
    }

    /// Idempotency tokens: a request repeating the `ClientToken` parameter (any case:
    /// `clientToken`) of an earlier one, on the same product version and action and signed
    /// with the same access key id, within `window`, gets the first answer again without
    /// its handler running (faults still apply). At most `entries` answers are kept (the
    /// oldest dropped first, and past 64 MiB of answers; answers over 1 MiB and errors are
    /// not kept); `entries` 0 turns
    /// it off. Default 1,000 answers for 10 minutes. Requests are keyed on the parameter's
    /// name for now, not on per-operation metadata.
    pub fn idempotency(mut self, entries: usize, window: Duration) -> Self {
        self.limits.idempotency = IdempotencyLimits { entries, window };
        self
    }

    /// How long a connection may go without a byte either way before it is closed
    /// (default 120 s; a [`Fault::Hang`] ends there too).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.limits.idle_timeout = idle;
        self
    }

    /// How far a signed time may be from the stub's clock (default: the provider's, TC3
    /// 300 s, Alibaba Cloud 900 s).
    pub fn signature_window(mut self, window: std::time::Duration) -> Self {
        self.window = Some(window);
        self
    }

    /// The service a TC3 credential scope must name (default: each product's own; `None`
    /// accepts any, for SDKs that derive it from the endpoint).
    pub fn signing_service(mut self, service: Option<&str>) -> Self {
        self.signing_service = Some(service.map(str::to_owned));
        self
    }

    /// The verifier of one product version's signatures, as configured.
    fn verifier(&self, service: &Service) -> Verifier {
        let mut v = Verifier::for_service(service);
        if let Some(w) = self.window {
            v = v.window(w);
        }
        if let Some(name) = &self.signing_service {
            v = v.expected_service(name.as_deref());
        }
        v
    }

    /// A stub of one product version that accepts requests signed with `credentials`.
    pub fn new(service: Service, credentials: Credentials) -> Self {
        StubBuilder::default()
            .credentials(credentials)
            .service(ServiceStub::new(service))
    }
    /// Sets the handler of an action of the product version added last (the one given
    /// to [`new`](Self::new)); without any product version, does nothing.
    pub fn handler(mut self, action: &'static str, handler: Handler) -> Self {
        if let Some(last) = self.services.pop() {
            self.services.push(last.handler(action, handler));
        }
        self
    }
    /// Serves one more product version on the same port.
    pub fn service(mut self, service: ServiceStub) -> Self {
        self.services.push(service);
        self
    }
    /// Serves more product versions on the same port.
    pub fn services(mut self, services: impl IntoIterator<Item = ServiceStub>) -> Self {
        self.services.extend(services);
        self
    }
    /// The product versions served, in the order routing tries them.
    pub fn served(&self) -> &[ServiceStub] {
        &self.services
    }
    /// Accepts requests signed with `credentials` too (for every product version).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials.push(credentials);
        self
    }
    /// Turns signature verification off (on by default).
    pub fn verify_signatures(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }
    /// The clock signature timestamps are checked against (the system's by default).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
    /// Checks signatures as if it were always `unix` (seconds): a captured request at its
    /// own time.
    pub fn fixed_clock(self, unix: i64) -> Self {
        self.clock(Clock::Fixed(unix))
    }
    /// Checks signatures against the system clock shifted by `secs` (negative: behind).
    pub fn clock_skew(self, secs: i64) -> Self {
        self.clock(Clock::Skew(secs))
    }
    /// Injects a fault by `rule`; rules apply in the order added.
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }
    /// Lets `f` choose the fault for each verified request that no [`FaultRule`] faults
    /// (a latency rule's delay still applies): for tests that draw faults at random, or
    /// by what a request carries. `None` answers normally.
    pub fn fault_fn(
        mut self,
        f: impl Fn(&Incoming) -> Option<Fault> + Send + Sync + 'static,
    ) -> Self {
        self.fault_fn = Some(Arc::new(f));
        self
    }
    /// The product versions, handlers and all, leaving the rest of the configuration.
    pub fn into_services(self) -> Vec<ServiceStub> {
        self.services
    }

    /// Routes `request` as the server would and checks its signature at `now` (the
    /// builder's clock and the verification switch are not consulted): the access key
    /// that signed it, or the error the server would answer with.
    pub fn verify_request(
        &self,
        request: &ReceivedRequest,
        now: i64,
    ) -> Result<Verified, ErrorMetadata> {
        let Some(route) = route(&self.services, request) else {
            return Err(ErrorMetadata::new(
                "InvalidAction",
                "the stub serves no product version",
                None,
                404,
            ));
        };
        let verified = self
            .verifier(&route.service().service)
            .verify(request, &self.credentials, now)
            .map_err(|e| e.to_metadata(None))?;
        match route {
            Route::Found { .. } => Ok(verified),
            Route::Missed {
                code,
                message,
                status,
                ..
            } => Err(ErrorMetadata::new(code, message, None, status)),
        }
    }

    /// Binds 127.0.0.1 on a free port and serves until the returned handle is dropped.
    pub async fn start(self) -> std::io::Result<RunningStub> {
        self.start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Binds `addr` (port 0: a free one) and serves until the returned handle is dropped.
    pub async fn start_on(self, addr: SocketAddr) -> std::io::Result<RunningStub> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        self.serve(listener)
    }

    /// Serves on `listener` until the returned handle is dropped.
    pub fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<RunningStub> {
        let addr = listener.local_addr()?;
        let faults = self
            .faults
            .iter()
            .map(|r| (r.clone(), AtomicU64::new(0)))
            .collect();
        let verifiers = self
            .services
            .iter()
            .map(|s| self.verifier(&s.service))
            .collect();
        let state = Arc::new(State {
            verifiers,
            config: self,
            faults,
            received: Mutex::new(Received::default()),
            in_flight: AtomicUsize::new(0),
            counter: AtomicU64::new(0),
            streamed: Arc::new(AtomicU64::new(0)),
            idempotent: Mutex::new(Idempotency::default()),
        });
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let server_state = state.clone();
        let task = tokio::spawn(async move {
            // After an accept error (out of descriptors, say), wait before the next accept:
            // 5 ms, doubling to 1 s while errors go on.
            let mut backoff = Duration::ZERO;
            loop {
                if !backoff.is_zero() {
                    tokio::select! {
                        _ = &mut rx => break,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                }
                tokio::select! {
                    _ = &mut rx => break,
                    accepted = listener.accept() => {
                        let stream = match accepted {
                            Ok((stream, _)) => {
                                backoff = Duration::ZERO;
                                stream
                            }
                            Err(_) => {
                                backoff = (backoff * 2).clamp(Duration::from_millis(5), Duration::from_secs(1));
                                continue;
                            }
                        };
                        let st = server_state.clone();
                        tokio::spawn(async move {
                            let limits = st.config.limits;
                            let reset = Arc::new(AtomicBool::new(false));
                            let conn = Conn::new(stream, reset.clone(), limits.idle_timeout);
                            let svc = service_fn(move |req| {
                                let (st, reset) = (st.clone(), reset.clone());
                                async move { Ok::<_, Infallible>(st.handle(req, reset).await) }
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .timer(hyper_util::rt::TokioTimer::new())
                                // A client that shuts its sending side after a request
                                // still gets the answer.
                                .half_close(true)
                                .header_read_timeout(limits.header_timeout)
                                .serve_connection(TokioIo::new(conn), svc)
                                .await;
                        });
                    }
                }
            }
        });
        Ok(RunningStub {
            addr,
            state,
            shutdown: Some(tx),
            task,
        })
    }
}

struct State {
    config: StubBuilder,
    /// One verifier per product version (as in `config.services`): its nonce cache spans
    /// every request, so a replayed nonce is refused.
    verifiers: Vec<Verifier>,
    faults: Vec<(FaultRule, AtomicU64)>,
    received: Mutex<Received>,
    /// Bytes of request bodies being read, across connections (`Limits::body_budget`).
    in_flight: AtomicUsize,
    counter: AtomicU64,
    streamed: Arc<AtomicU64>,
    idempotent: Mutex<Idempotency>,
}

/// Who asked what with which token: the product version (its index in the served list),
/// the action, the access key id and the `ClientToken`.
type TokenKey = (usize, String, String, String);

/// The first answers to requests with an idempotency token ([`StubBuilder::idempotency`]),
/// replayed to a repeat within the window; the oldest go first when full.
#[derive(Default)]
struct Idempotency {
    answers: HashMap<TokenKey, (std::time::Instant, HttpResponse)>,
    order: VecDeque<(TokenKey, std::time::Instant)>,
    /// The bytes of the answers' bodies, at most [`MAX_REPLAY_BYTES`].
    bytes: usize,
}

impl Idempotency {
    fn get(&mut self, key: &TokenKey, window: Duration) -> Option<HttpResponse> {
        match self.answers.get(key) {
            Some((at, answer)) if at.elapsed() <= window => Some(answer.clone()),
            Some(_) => {
                if let Some((_, old)) = self.answers.remove(key) {
                    self.bytes -= old.body.len();
                }
                None
            }
            None => None,
        }
    }

    fn put(&mut self, key: TokenKey, answer: HttpResponse, max: usize, window: Duration) {
        let now = std::time::Instant::now();
        self.bytes += answer.body.len();
        if let Some((_, old)) = self.answers.insert(key.clone(), (now, answer)) {
            self.bytes -= old.body.len();
        }
        self.order.push_back((key, now));
        while let Some((oldest, at)) = self.order.front() {
            let full = self.answers.len() > max || self.bytes > MAX_REPLAY_BYTES;
            if !full && at.elapsed() <= window {
                break;
            }
            // Only the entry this queue slot was made for (a key put again is newer).
            if self.answers.get(oldest).is_some_and(|(t, _)| t == at) {
                if let Some((_, old)) = self.answers.remove(oldest) {
                    self.bytes -= old.body.len();
                }
            }
            self.order.pop_front();
        }
    }
}

/// The request's idempotency token: a parameter `ClientToken` (any case: `clientToken`),
/// in the query or form, or a top-level member of a JSON body.
fn client_token(incoming: &Incoming) -> Option<String> {
    let is_token = |k: &str| k.eq_ignore_ascii_case("ClientToken");
    if let Some((_, v)) = incoming.params.0.iter().find(|(k, _)| is_token(k)) {
        return Some(v.clone()).filter(|v| !v.is_empty());
    }
    if !incoming.body.trim_ascii_start().starts_with(b"{") {
        return None;
    }
    let Ok(Value::Object(members)) = serde_json::from_slice::<Value>(&incoming.body) else {
        return None;
    };
    members
        .iter()
        .find(|(k, _)| is_token(k))
        .and_then(|(_, v)| v.as_str().filter(|v| !v.is_empty()).map(str::to_owned))
}

/// The window of requests [`RunningStub::received`] returns.
#[derive(Default)]
struct Received {
    requests: VecDeque<(Incoming, usize)>,
    bytes: usize,
    dropped: u64,
}

impl Received {
    /// Keeps `incoming`, dropping the oldest past `count` requests or `bytes` bytes.
    fn push(&mut self, incoming: Incoming, count: usize, bytes: usize) {
        let size = incoming_size(&incoming);
        self.requests.push_back((incoming, size));
        self.bytes += size;
        while self.requests.len() > 1 && (self.requests.len() > count || self.bytes > bytes) {
            if let Some((_, n)) = self.requests.pop_front() {
                self.bytes -= n;
                self.dropped += 1;
            }
        }
        if count == 0 {
            self.requests.clear();
            self.bytes = 0;
            self.dropped += 1;
        }
    }
}

/// What a received request holds, in bytes (its strings and body).
fn incoming_size(i: &Incoming) -> usize {
    let pairs = |v: &[(String, String)]| v.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
    i.action.len()
        + i.method.len()
        + i.path.len()
        + pairs(&i.params.0)
        + pairs(&i.headers)
        + i.body.len()
}

/// Bytes of the body budget held by one request, given back when it is dropped.
struct BudgetHold<'a> {
    in_flight: &'a AtomicUsize,
    held: usize,
}

impl Drop for BudgetHold<'_> {
    fn drop(&mut self) {
        self.in_flight.fetch_sub(self.held, Ordering::AcqRel);
    }
}

/// Reads and drops what is left of a refused request's body, for at most [`LINGER`], as
/// servers do before closing a connection whose client is still sending (a close with
/// unread bytes is a reset, which may destroy the answer before the client reads it).
async fn linger(mut body: Body) {
    let drain = async { while let Some(Ok(_)) = body.frame().await {} };
    let _ = tokio::time::timeout(LINGER, drain).await;
}

/// How long [`linger`] reads a refused body.
const LINGER: Duration = Duration::from_secs(2);

/// Why a request body was not read.
enum BodyError {
    TooLarge,
    Busy,
    Timeout,
    Unreadable,
}

/// A running stub; it stops when dropped.
pub struct RunningStub {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for RunningStub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningStub")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl RunningStub {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://ADDR:PORT`, for `ConfigBuilder::endpoint`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The requests that passed signature verification and routing, in order: the latest
    /// ones, within [`StubBuilder::received_window`].
    pub fn received(&self) -> Vec<Incoming> {
        self.state
            .received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .requests
            .iter()
            .map(|(i, _)| i.clone())
            .collect()
    }
    /// How many received requests were dropped from [`received`](Self::received)'s window.
    pub fn received_dropped(&self) -> u64 {
        self.state
            .received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .dropped
    }
    /// The bytes of request bodies being read right now, across connections.
    pub fn bodies_in_flight(&self) -> usize {
        self.state.in_flight.load(Ordering::Acquire)
    }
    /// The bytes of [`Fault::LargeBody`] and [`Fault::SlowDrip`] bodies produced so far:
    /// what clients pulled, plus what the sockets buffered.
    pub fn streamed_bytes(&self) -> u64 {
        self.state.streamed.load(Ordering::Relaxed)
    }
}

impl Drop for RunningStub {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.abort();
    }
}

/// A request as the stub reads it off the wire: `target` is the request line's target
/// (`/path?query`, or absolute `http://host/path?query`, whose host is used when no
/// `Host` header is given), header names are lowercased, a form body is decoded.
pub fn received_request(
    method: &str,
    target: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> ReceivedRequest {
    let mut headers = headers;
    let origin = match crate::protocol::split_absolute_target(target) {
        Some((authority, rest)) => {
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
                headers.push(("host".into(), authority.to_owned()));
            }
            rest
        }
        None if target.is_empty() => "/".to_owned(),
        None => target.to_owned(),
    };
    ReceivedRequest::from_parts(method, &origin, headers, body)
}

/// Where routing sends a request.
enum Route<'a> {
    /// The product version and action that answer it.
    Found {
        service: &'a ServiceStub,
        action: String,
        handler: &'a Handler,
    },
    /// No product version serves it; answered in `service`'s shapes with this error.
    Missed {
        service: &'a ServiceStub,
        code: &'static str,
        message: String,
        status: u16,
    },
}

impl<'a> Route<'a> {
    fn service(&self) -> &'a ServiceStub {
        match self {
            Route::Found { service, .. } | Route::Missed { service, .. } => service,
        }
    }
}

/// The version a request asks for, wherever a protocol carries it (the protocols'
/// headers first, then their parameters).
fn requested_version(request: &ReceivedRequest) -> Option<&str> {
    let carriers = || {
        Protocol::ALL
            .into_iter()
            .flat_map(|p| p.descriptor().version.iter().copied())
    };
    carriers()
        .find_map(|c| match c {
            Carrier::Header(h) => request.header(h),
            Carrier::Param(_) => None,
        })
        .or_else(|| {
            carriers().find_map(|c| match c {
                Carrier::Param(p) => request.param(p),
                Carrier::Header(_) => None,
            })
        })
}

/// `host` (as sent, maybe with a port) names a host of the product whose default
/// endpoint is `endpoint`: the same first label and the same provider domain
/// (`cvm.ap-guangzhou.tencentcloudapi.com` for `cvm.tencentcloudapi.com`).
fn names_endpoint(host: &str, endpoint: &str) -> bool {
    if host.starts_with('[') {
        return false;
    }
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = |h: &str| -> Option<String> {
        let mut labels = h.rsplit('.');
        let (tld, name) = (labels.next()?, labels.next()?);
        Some(format!("{name}.{tld}"))
    };
    match (host.split_once('.'), endpoint.split_once('.')) {
        (Some((h, _)), Some((e, _))) => {
            h == e && domain(&host).is_some_and(|d| Some(d) == domain(endpoint))
        }
        _ => false,
    }
}

/// Picks the product version that answers `request` (`None` when none is served).
fn route<'a>(services: &'a [ServiceStub], request: &ReceivedRequest) -> Option<Route<'a>> {
    let host = request.header("host").unwrap_or("");
    let by_host: Vec<&ServiceStub> = services
        .iter()
        .filter(|s| {
            names_endpoint(host, s.service.endpoint)
                || s.service.endpoints.is_some_and(|e| e.names_host(host))
        })
        .collect();
    let pool: Vec<&ServiceStub> = if by_host.is_empty() {
        services.iter().collect()
    } else {
        by_host
    };
    let version = requested_version(request);
    // A request that names its action (`X-TC-Action`, `x-acs-action`, `Action`) goes only
    // to products whose protocol reads that name, never to one that finds actions by
    // method and path (Simple Log Service); of those, to its own protocol's first.
    let named = |s: &&ServiceStub| s.service.protocol.wire_server().action(request).is_some();
    let pool: Vec<&ServiceStub> = if pool.iter().any(named) {
        let mut named: Vec<&ServiceStub> = pool.into_iter().filter(named).collect();
        named.sort_by_key(|s| !shaped_for(s.service.protocol, request));
        named
    } else {
        pool
    };
    // The first product version the request is shaped for answers a miss.
    let mut shaped: Option<(&ServiceStub, String)> = None;
    let mut other_version = false;
    for s in &pool {
        let Some(action) = s.service.protocol.wire_server().route(&s.layouts, request) else {
            continue;
        };
        if let Some(handler) = s.handlers.get(action.as_str()) {
            if version.is_none_or(|v| v == s.service.version) {
                return Some(Route::Found {
                    service: s,
                    action,
                    handler,
                });
            }
            other_version = true;
        }
        shaped.get_or_insert((s, action));
    }
    let Some((service, action)) = shaped else {
        return pool.first().map(|s| Route::Missed {
            service: s,
            code: "MissingParameter",
            message: "the action is missing".into(),
            status: 400,
        });
    };
    // The provider's answer to an action it does not have (Tencent Cloud's names the
    // action, and the version it is missing from; Alibaba Cloud's gateway's does not).
    let cloud = service.service.protocol.cloud().descriptor();
    let answer = cloud.unknown_action;
    let template = match (version, cloud.unknown_action_in_version) {
        (Some(v), Some(t)) if other_version => t.replace("{version}", v),
        _ => answer.message.to_owned(),
    };
    Some(Route::Missed {
        service,
        code: answer.code,
        message: template.replace("{action}", &action),
        status: answer.status,
    })
}

/// Whether `request` has the shape of `protocol`'s requests beyond naming an action: TC3
/// its `X-TC-Action`; RPC the path `/`; ROA another path (the descriptor's `shape`).
fn shaped_for(protocol: Protocol, request: &ReceivedRequest) -> bool {
    protocol
        .descriptor()
        .shaped_for(&request.path, |h| request.header(h))
}

type ResponseBody = BoxBody<Bytes, std::io::Error>;
type Response = hyper::Response<ResponseBody>;

/// How an answer's body goes out.
enum Delivery {
    /// All at once.
    Whole,
    /// Half of it, then the connection is closed (`reset`: reset).
    Cut { reset: bool },
    /// One byte every interval.
    Drip(Duration),
    /// Padded with spaces to a size, produced lazily.
    Padded { bytes: u64, chunked: bool },
}

impl State {
    fn request_id(&self) -> String {
        format!(
            "stub-{:08}",
            self.counter.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    /// Counts the request against every rule for `action`: the total latency of the
    /// rules that fire, and the first other fault that fires.
    fn faults_for(&self, action: &str) -> (Duration, Option<&Fault>) {
        let mut delay = Duration::ZERO;
        let mut fired = None;
        for (rule, count) in &self.faults {
            if rule.action.as_deref().is_some_and(|a| a != action) {
                continue;
            }
            let n = count.fetch_add(1, Ordering::Relaxed) + 1;
            if n % rule.every != 0 {
                continue;
            }
            match &rule.fault {
                Fault::Latency(d) => delay = delay.saturating_add(*d),
                other => {
                    fired.get_or_insert(other);
                }
            }
        }
        (delay, fired)
    }

    async fn handle(&self, req: hyper::Request<Body>, reset: Arc<AtomicBool>) -> Response {
        let (parts, mut body) = req.into_parts();
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let target = parts
            .uri
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned();
        let limits = self.config.limits;
        let mut hold = BudgetHold {
            in_flight: &self.in_flight,
            held: 0,
        };
        let body_read = tokio::time::timeout(
            limits.body_timeout,
            self.read_body(&mut body, &parts.headers, &mut hold),
        )
        .await
        .unwrap_or(Err(BodyError::Timeout));
        let (bytes, unreadable) = match body_read {
            Ok(b) => (b, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let request = received_request(parts.method.as_str(), &target, headers, bytes);
        let Some(route) = route(&self.config.services, &request) else {
            return whole(HttpResponse::new(
                404,
                "text/plain",
                b"the stub serves no product version".to_vec(),
            ));
        };
        let service = route.service();
        let wire = service.service.protocol.wire_server();
        if let Some(e) = unreadable {
            if matches!(e, BodyError::TooLarge | BodyError::Busy) {
                // Refused before its body was read: the rest is read and dropped for a
                // while (nothing kept), so that the client, still sending, gets the
                // answer rather than a reset.
                tokio::spawn(linger(body));
            }
            let max = limits.max_body;
            let cloud = service.service.protocol.cloud().descriptor();
            let (code, message, status) = match e {
                BodyError::TooLarge => {
                    let a = cloud.body_too_large;
                    (
                        a.code,
                        a.message.replace("{max}", &max.to_string()),
                        a.status,
                    )
                }
                BodyError::Busy => {
                    let a = cloud.busy;
                    (a.code, a.message.to_owned(), a.status)
                }
                BodyError::Timeout => (
                    "RequestTimeout",
                    "the request body was not received in time".to_owned(),
                    408,
                ),
                BodyError::Unreadable => (
                    "InvalidRequest",
                    "the request body could not be read".to_owned(),
                    400,
                ),
            };
            let mut answer = self.error(service, &request, code, &message, status);
            // The rest of the body is not read: the connection cannot be reused.
            answer.headers_mut().insert(
                hyper::header::CONNECTION,
                hyper::header::HeaderValue::from_static("close"),
            );
            return answer;
        }
        // `hold` keeps the body's share of the budget until the answer is made: the copies
        // verification and decoding make count against it too.
        let index = self
            .config
            .services
            .iter()
            .position(|s| std::ptr::eq(s, service))
            .unwrap_or(usize::MAX);
        let mut key_id = String::new();
        if self.config.verify {
            if let Some(verifier) = self.verifiers.get(index) {
                let now = self.config.clock.now();
                match verifier.verify(&request, &self.config.credentials, now) {
                    Ok(v) => key_id = v.access_key_id,
                    Err(e) => {
                        return self.error(service, &request, e.code, &e.message, e.http_status)
                    }
                }
            }
        }
        let (action, handler) = match route {
            Route::Found {
                action, handler, ..
            } => (action, handler),
            Route::Missed {
                code,
                message,
                status,
                ..
            } => return self.error(service, &request, code, &message, status),
        };
        let incoming = Incoming {
            action: action.clone(),
            method: request.method.clone(),
            path: request.path.clone(),
            params: Query(wire.handler_params(&request)),
            headers: request.headers.clone(),
            body: request.body.clone(),
        };
        if limits.received_count > 0 {
            self.received
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(
                    incoming.clone(),
                    limits.received_count,
                    limits.received_bytes,
                );
        } else {
            self.received
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .dropped += 1;
        }
        let (mut delay, fault) = self.faults_for(&action);
        let chosen = match (fault, &self.config.fault_fn) {
            (None, Some(f)) => f(&incoming),
            _ => None,
        };
        let fault = match (fault, &chosen) {
            (_, Some(Fault::Latency(d))) => {
                delay = delay.saturating_add(*d);
                None
            }
            (None, Some(f)) => Some(f),
            (f, _) => f,
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let delivery = match fault {
            None => Delivery::Whole,
            Some(Fault::Error {
                code,
                message,
                http_status,
            }) => return self.error(service, &request, code, message, *http_status),
            Some(Fault::Throttle) => {
                let code = service
                    .service
                    .protocol
                    .cloud()
                    .descriptor()
                    .throttling_code;
                let message = "Request was denied due to request throttling.";
                return self.error(service, &request, code, message, 400);
            }
            Some(Fault::ThrottleRetryAfter(wait)) => {
                let cloud = service.service.protocol.cloud().descriptor();
                let message = "Request was denied due to request throttling.";
                let mut answer = self.error(service, &request, cloud.throttling_code, message, 400);
                // Where the provider has the header (Alibaba Cloud's `x-acs-retry-after`).
                if let Some(header) = cloud.retry_after_header {
                    if let Ok(v) =
                        hyper::header::HeaderValue::from_str(&wait.as_millis().to_string())
                    {
                        answer.headers_mut().insert(header, v);
                    }
                }
                return answer;
            }
            Some(Fault::Hang) => std::future::pending().await,
            Some(Fault::TruncateBody) => Delivery::Cut { reset: false },
            Some(Fault::ResetMidBody) => Delivery::Cut { reset: true },
            Some(Fault::SlowDrip(interval)) => Delivery::Drip(*interval),
            Some(Fault::LargeBody { bytes, chunked }) => Delivery::Padded {
                bytes: *bytes,
                chunked: *chunked,
            },
            // Summed above.
            Some(Fault::Latency(_)) => Delivery::Whole,
        };
        let idempotency = self.config.limits.idempotency;
        let token = client_token(&incoming)
            .filter(|_| idempotency.entries > 0)
            .map(|t| (index, action.clone(), key_id, t));
        if let Some(key) = &token {
            let replay = self
                .idempotent
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(key, idempotency.window);
            if let Some(answer) = replay {
                return self.deliver(answer, delivery, &reset);
            }
        }
        let answer = match handler(&incoming) {
            Outcome::Reply(Reply::Ok(v)) => {
                wire.success_response(&request, &action, v, &self.request_id())
            }
            Outcome::Example { json, xml } => wire.example_response(&request, json, xml),
            Outcome::Whole { content_type, body } => {
                wire.whole_response(content_type, body, &self.request_id())
            }
            Outcome::Reply(Reply::Error {
                code,
                message,
                http_status,
            }) => return self.error(service, &request, &code, &message, http_status),
            Outcome::Reply(Reply::Raw {
                status,
                content_type,
                body,
            }) => HttpResponse::new(status, &content_type, body),
            Outcome::Reply(Reply::Hang) => std::future::pending().await,
            Outcome::Reply(Reply::Example) => {
                return self.error(
                    service,
                    &request,
                    "InternalError",
                    "a reply was not converted",
                    500,
                )
            }
        };
        if let Some(key) = token {
            // Answers the handler gave (not errors, which a retry may correct), up to 1 MiB.
            if answer.body.len() <= MAX_REPLAYED_BYTES {
                self.idempotent
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .put(key, answer.clone(), idempotency.entries, idempotency.window);
            }
        }
        self.deliver(answer, delivery, &reset)
    }

    /// Reads a request body within the limits: its declared length and each frame against
    /// the largest body and the shared budget (held in `hold` until the body is dropped).
    async fn read_body(
        &self,
        body: &mut Body,
        headers: &hyper::HeaderMap,
        hold: &mut BudgetHold<'_>,
    ) -> Result<Vec<u8>, BodyError> {
        let limits = self.config.limits;
        let declared = headers
            .get(hyper::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limits.max_body as u64) {
            return Err(BodyError::TooLarge);
        }
        let mut reserve = |n: usize| -> Result<(), BodyError> {
            let before = self.in_flight.fetch_add(n, Ordering::AcqRel);
            hold.held += n;
            if before.saturating_add(n) > limits.body_budget {
                Err(BodyError::Busy)
            } else {
                Ok(())
            }
        };
        // The declared length is reserved up front (a client cannot start more than the
        // budget's worth of bodies and then stall); a chunked body frame by frame.
        let declared = declared.map_or(0, |n| n as usize);
        reserve(declared)?;
        let mut out = Vec::with_capacity(declared.min(1 << 20));
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| BodyError::Unreadable)?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            if out.len() + data.len() > limits.max_body {
                return Err(BodyError::TooLarge);
            }
            if out.len() + data.len() > declared {
                reserve(out.len() + data.len() - declared.max(out.len()))?;
            }
            out.extend_from_slice(&data);
        }
        Ok(out)
    }

    /// A provider error in the provider's shape.
    fn error(
        &self,
        service: &ServiceStub,
        request: &ReceivedRequest,
        code: &str,
        message: &str,
        status: u16,
    ) -> Response {
        let error = ErrorMetadata::new(code, message, Some(self.request_id()), status);
        whole(service.service.protocol.wire_server().error_response(
            &service.service,
            request,
            &error,
        ))
    }

    /// `answer` sent as `delivery` says.
    fn deliver(
        &self,
        answer: HttpResponse,
        delivery: Delivery,
        reset: &Arc<AtomicBool>,
    ) -> Response {
        let HttpResponse {
            status,
            headers,
            body,
        } = answer;
        let body = Bytes::from(body);
        let (stream_body, length): (ResponseBody, Option<u64>) = match delivery {
            Delivery::Whole => {
                return response(status, headers, full(body), None);
            }
            Delivery::Cut { reset: abort } => {
                let declared = body.len().max(1) as u64;
                let half = body.slice(..body.len() / 2);
                let flag = reset.clone();
                let frames = stream::once(async move { Ok(Frame::data(half)) }).chain(
                    stream::once(async move {
                        // Let the half reach the socket before the connection goes.
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        if abort {
                            flag.store(true, Ordering::SeqCst);
                        }
                        Err(std::io::Error::other("fault injected: the body was cut"))
                    }),
                );
                (BoxBody::new(StreamBody::new(frames)), Some(declared))
            }
            Delivery::Drip(interval) => {
                let declared = body.len() as u64;
                let streamed = self.streamed.clone();
                let frames = stream::unfold((body, 0usize), move |(body, i)| {
                    let streamed = streamed.clone();
                    async move {
                        if i >= body.len() {
                            return None;
                        }
                        tokio::time::sleep(interval).await;
                        streamed.fetch_add(1, Ordering::Relaxed);
                        let byte = body.slice(i..i + 1);
                        Some((Ok(Frame::data(byte)), (body, i + 1)))
                    }
                });
                (BoxBody::new(StreamBody::new(frames)), Some(declared))
            }
            Delivery::Padded { bytes, chunked } => {
                let total = bytes.max(body.len() as u64);
                let padding = total - body.len() as u64;
                let streamed = self.streamed.clone();
                streamed.fetch_add(body.len() as u64, Ordering::Relaxed);
                let spaces = stream::unfold(padding, move |left| {
                    let streamed = streamed.clone();
                    async move {
                        if left == 0 {
                            return None;
                        }
                        let n = left.min(SPACES.len() as u64);
                        streamed.fetch_add(n, Ordering::Relaxed);
                        let chunk = Bytes::from_static(&SPACES[..n as usize]);
                        Some((Ok(Frame::data(chunk)), left - n))
                    }
                });
                let frames = stream::once(async move { Ok(Frame::data(body)) }).chain(spaces);
                (
                    BoxBody::new(StreamBody::new(frames)),
                    (!chunked).then_some(total),
                )
            }
        };
        response(status, headers, stream_body, length)
    }
}

/// The padding of [`Fault::LargeBody`], 64 KiB at a time.
static SPACES: [u8; 1 << 16] = [b' '; 1 << 16];

fn full(body: Bytes) -> ResponseBody {
    Full::new(body).map_err(|never| match never {}).boxed()
}

fn whole(resp: HttpResponse) -> Response {
    response(
        resp.status,
        resp.headers,
        full(Bytes::from(resp.body)),
        None,
    )
}

/// A protocol's response over hyper; `length` is the `Content-Length` to declare for a
/// streamed body (hyper computes it for a whole one).
fn response(
    status: u16,
    headers: Vec<(String, String)>,
    body: ResponseBody,
    length: Option<u64>,
) -> Response {
    let mut r = hyper::Response::new(body);
    *r.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        if k.eq_ignore_ascii_case("content-length") {
            continue;
        }
        if let (Ok(k), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(k.as_bytes()),
            hyper::header::HeaderValue::from_str(&v),
        ) {
            r.headers_mut().append(k, v);
        }
    }
    if let Some(n) = length {
        r.headers_mut().insert(
            hyper::header::CONTENT_LENGTH,
            hyper::header::HeaderValue::from(n),
        );
    }
    r
}

/// A connection that is reset (TCP RST, not FIN) when it closes after a
/// [`Fault::ResetMidBody`] cut its answer.
struct Conn {
    stream: tokio::net::TcpStream,
    reset: Arc<AtomicBool>,
    /// Closes the connection after this long without a byte either way.
    idle: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl Conn {
    fn new(stream: tokio::net::TcpStream, reset: Arc<AtomicBool>, idle: Duration) -> Self {
        Conn {
            stream,
            reset,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    /// A byte moved: the idle clock starts again.
    fn touch(&mut self) {
        let at = tokio::time::Instant::now() + self.idle;
        self.deadline.as_mut().reset(at);
    }

    /// `Pending` unless the connection has been idle too long (then an error).
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match std::future::Future::poll(self.deadline.as_mut(), cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the connection was idle too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn abort_if_reset(&self) {
        if self.reset.load(Ordering::SeqCst) {
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.abort_if_reset();
    }
}

impl tokio::io::AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.touch();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => this.poll_idle(cx),
            other => other,
        }
    }
}

impl tokio::io::AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.stream).poll_write(cx, buf);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            this.touch();
        }
        written
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            this.touch();
        }
        written
    }
    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if this.reset.load(Ordering::SeqCst) {
            // No FIN: the reset happens when the connection is dropped.
            this.abort_if_reset();
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use serde_json::json;

    use super::*;
    use crate::client::config::Config;
    use crate::client::Client;
    use crate::http::{HttpRequest, HttpTransport, ReqwestTransport};
    use crate::protocol::service::{Operation, Signing};
    use crate::protocol::Payload;

    const TC3: Service = Service {
        protocol: Protocol::Tc3,
        signing: Signing::Tc3HmacSha256,
        version: "2021-03-31",
        endpoint: "widget.tencentcloudapi.com",
        service: "widget",
        default_region: None,
        endpoints: None,
    };
    const TC3_OLD: Service = Service {
        version: "2017-03-12",
        ..TC3
    };
    const RPC: Service = Service {
        protocol: Protocol::Rpc,
        signing: Signing::HmacSha1,
        version: "2020-07-01",
        endpoint: "gadget.cn-shanghai.aliyuncs.com",
        service: "gadget",
        default_region: None,
        endpoints: None,
    };

    #[test]
    fn answers_other_than_objects_are_sent_whole() {
        let ok = |v: Value| Outcome::Reply(Reply::Ok(v));
        let example = Outcome::Example {
            json: "[1]",
            xml: None,
        };
        // An object's outcome is unchanged.
        assert_eq!(
            ok(json!({"a": 1})).answered_as(Answer::Object),
            ok(json!({"a": 1}))
        );
        assert_eq!(example.clone().answered_as(Answer::Object), example);
        let whole = |content_type, body: &[u8]| Outcome::Whole {
            content_type,
            body: body.to_vec(),
        };
        assert_eq!(
            ok(json!([1, 2])).answered_as(Answer::Value),
            whole("application/json", b"[1,2]")
        );
        assert_eq!(
            example.answered_as(Answer::Value),
            whole("application/json", b"[1]")
        );
        assert_eq!(
            ok(json!("a policy")).answered_as(Answer::Text),
            whole("text/plain; charset=utf-8", b"a policy")
        );
        assert_eq!(
            ok(json!("AP8=")).answered_as(Answer::Bytes),
            whole("application/octet-stream", &[0, 255])
        );
        // A model that does not serialize as its answer says is the stub's own error.
        assert!(matches!(
            ok(json!(1)).answered_as(Answer::Text),
            Outcome::Reply(Reply::Error {
                http_status: 500,
                ..
            })
        ));
        // Errors pass through.
        let err = Outcome::Reply(Reply::error("Forbidden", "no"));
        assert_eq!(err.clone().answered_as(Answer::Bytes), err);
    }

    fn answering(service: Service, action: &'static str, tag: &'static str) -> ServiceStub {
        ServiceStub::new(service).handler(
            action,
            Arc::new(move |_| Outcome::Reply(Reply::Ok(json!({ "Served": tag })))),
        )
    }

    fn creds() -> Credentials {
        Credentials::new("testid", "testsecret")
    }

    /// Signs `action` of `service` for `endpoint` (at `now`) as the client does.
    fn signed(service: Service, action: &'static str, endpoint: &str, now: i64) -> HttpRequest {
        let config = Config::builder(creds()).endpoint(endpoint).build();
        let client = Client::new(config, service).unwrap();
        let op = Operation {
            action,
            requests_per_second: None,
            idempotent: true,
            idempotency_token: None,
        };
        let payload = match service.protocol {
            Protocol::Tc3 => Payload::Json(b"{}".to_vec()),
            _ => Payload::Query(Query::new(action, service.version)),
        };
        client.sign(&op, &payload, now).unwrap()
    }

    async fn send(request: HttpRequest) -> (u16, Value) {
        let t = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
        let resp = t.send(request).await.unwrap();
        (resp.status, serde_json::from_slice(&resp.body).unwrap())
    }

    #[tokio::test]
    async fn one_port_serves_several_product_versions_by_action_and_version() {
        let stub = StubBuilder::default()
            .credentials(Credentials::new("other", "x"))
            .credentials(creds())
            .service(answering(TC3_OLD, "ListThings", "tc3-old"))
            .service(answering(TC3, "ListThings", "tc3"))
            .service(answering(RPC, "ListThings", "rpc"))
            .start()
            .await
            .unwrap();
        let ep = stub.endpoint();
        let now = crate::codec::time::now();
        let (_, body) = send(signed(TC3, "ListThings", &ep, now)).await;
        assert_eq!(body["Response"]["Served"], "tc3", "{body}");
        let (_, body) = send(signed(TC3_OLD, "ListThings", &ep, now)).await;
        assert_eq!(body["Response"]["Served"], "tc3-old", "{body}");
        let (status, body) = send(signed(RPC, "ListThings", &ep, now)).await;
        assert_eq!((status, &body["Served"]), (200, &json!("rpc")), "{body}");
        // An action no version serves, and a served action in another version.
        let (status, body) = send(signed(RPC, "DeleteThings", &ep, now)).await;
        assert_eq!(
            (status, &body["Code"]),
            (404, &json!("InvalidAction.NotFound")),
            "{body}"
        );
        let other = Service {
            version: "1999-01-01",
            ..RPC
        };
        let (_, body) = send(signed(other, "ListThings", &ep, now)).await;
        assert_eq!(body["Code"], "InvalidAction.NotFound", "{body}");
        let other = Service {
            version: "1999-01-01",
            ..TC3
        };
        let (status, body) = send(signed(other, "ListThings", &ep, now)).await;
        assert_eq!(
            (status, &body["Response"]["Error"]["Message"]),
            (
                200,
                &json!("The action ListThings does not exist in version 1999-01-01.")
            ),
            "{body}"
        );
        assert_eq!(stub.received().len(), 3);
    }

    #[tokio::test]
    async fn the_clock_decides_which_timestamps_are_fresh() {
        let then = 1_700_000_000;
        let stub = StubBuilder::new(TC3, creds())
            .handler(
                "ListThings",
                answering(TC3, "ListThings", "x").handlers["ListThings"].clone(),
            )
            .clock(Clock::Fixed(then))
            .start()
            .await
            .unwrap();
        let (_, body) = send(signed(TC3, "ListThings", &stub.endpoint(), then - 10)).await;
        assert_eq!(body["Response"]["Served"], "x", "{body}");
        let now = crate::codec::time::now();
        let (_, body) = send(signed(TC3, "ListThings", &stub.endpoint(), now)).await;
        assert_eq!(
            body["Response"]["Error"]["Code"], "AuthFailure.SignatureExpire",
            "{body}"
        );
        assert!(Clock::Skew(-60).now().abs_diff(now - 60) <= 2);
    }

    #[test]
    fn a_host_naming_an_endpoint_picks_its_product() {
        let widget = answering(TC3, "ListThings", "widget");
        let gizmo = answering(
            Service {
                endpoint: "gizmo.tencentcloudapi.com",
                ..TC3
            },
            "ListThings",
            "gizmo",
        );
        let services = [widget, gizmo];
        let request = |host: &str| {
            received_request(
                "POST",
                "/",
                vec![
                    ("Host".into(), host.into()),
                    ("X-TC-Action".into(), "ListThings".into()),
                ],
                Vec::new(),
            )
        };
        let endpoint_of = |host: &str| match route(&services, &request(host)) {
            Some(Route::Found { service, .. }) => service.service.endpoint,
            _ => "",
        };
        assert_eq!(
            endpoint_of("gizmo.tencentcloudapi.com"),
            "gizmo.tencentcloudapi.com"
        );
        assert_eq!(
            endpoint_of("gizmo.ap-guangzhou.tencentcloudapi.com:8080"),
            "gizmo.tencentcloudapi.com"
        );
        // Not a product's host: the first serving the action.
        assert_eq!(endpoint_of("127.0.0.1:8080"), "widget.tencentcloudapi.com");
        assert_eq!(
            endpoint_of("gizmo.example.com"),
            "widget.tencentcloudapi.com"
        );
        assert!(!names_endpoint("[::1]:80", "gizmo.tencentcloudapi.com"));

        // A product with endpoint metadata: every host it resolves to routes to it.
        static VPC_ENDPOINTS: crate::protocol::service::Endpoints =
            crate::protocol::service::Endpoints {
                rule: crate::protocol::service::EndpointRule::Regional,
                product_id: "Vpc",
                regions: &[("cn-edge-1", "vpc-nebula.cn-qingdao-nebula.aliyuncs.com")],
            };
        let gadget = answering(RPC, "ListThings", "gadget");
        let vpc = answering(
            Service {
                endpoint: "vpc.aliyuncs.com",
                service: "vpc",
                endpoints: Some(&VPC_ENDPOINTS),
                ..RPC
            },
            "ListThings",
            "vpc",
        );
        let services = [gadget, vpc];
        let rpc_request = |host: &str| {
            received_request(
                "POST",
                "/?Action=ListThings",
                vec![("Host".into(), host.into())],
                Vec::new(),
            )
        };
        let endpoint_of = |host: &str| match route(&services, &rpc_request(host)) {
            Some(Route::Found { service, .. }) => service.service.endpoint,
            _ => "",
        };
        for host in [
            "vpc.cn-beijing.aliyuncs.com",
            "vpc-vpc.cn-beijing.aliyuncs.com",
            "vpc-nebula.cn-qingdao-nebula.aliyuncs.com:443",
        ] {
            assert_eq!(endpoint_of(host), "vpc.aliyuncs.com", "{host}");
        }
        assert_eq!(
            endpoint_of("gadget.cn-shanghai.aliyuncs.com"),
            "gadget.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            endpoint_of("127.0.0.1:8080"),
            "gadget.cn-shanghai.aliyuncs.com"
        );
        assert!(!names_endpoint(
            "gizmo.aliyuncs.com",
            "gizmo.tencentcloudapi.com"
        ));
    }

    #[test]
    fn a_raw_target_is_split_into_host_path_query_and_form() {
        let r = received_request(
            "POST",
            "http://h.example.com:81/a%20b?x=1&y=%2B",
            vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            b"k=a+b".to_vec(),
        );
        assert_eq!(r.header("host"), Some("h.example.com:81"));
        assert_eq!(
            (r.path.as_str(), r.raw_query.as_str()),
            ("/a%20b", "x=1&y=%2B")
        );
        assert_eq!(r.param("y"), Some("+"));
        assert_eq!(r.form, [("k".to_owned(), "a b".to_owned())]);
        assert_eq!(received_request("GET", "", vec![], vec![]).path, "/");
    }

    #[test]
    fn each_rule_counts_its_own_requests() {
        let config = StubBuilder::default()
            .fault(FaultRule::new(Fault::Latency(Duration::from_millis(5))))
            .fault(FaultRule::new(Fault::Throttle).action("A").every(2))
            .fault(FaultRule::new(Fault::Hang).every(3));
        let state = State {
            verifiers: Vec::new(),
            faults: config
                .faults
                .iter()
                .map(|r| (r.clone(), AtomicU64::new(0)))
                .collect(),
            config,
            received: Mutex::new(Received::default()),
            in_flight: AtomicUsize::new(0),
            counter: AtomicU64::new(0),
            streamed: Arc::new(AtomicU64::new(0)),
            idempotent: Mutex::new(Idempotency::default()),
        };
        let fired: Vec<_> = ["A", "B", "A", "B", "B", "A"]
            .iter()
            .map(|a| {
                let (delay, f) = state.faults_for(a);
                assert_eq!(delay, Duration::from_millis(5));
                f.cloned()
            })
            .collect();
        assert_eq!(
            fired,
            [
                None,
                None,
                Some(Fault::Throttle), // the second A; the third request's hang comes second
                None,
                None,
                Some(Fault::Hang), // the sixth request (the third A)
            ]
        );
        assert_eq!(FaultRule::new(Fault::Hang).every(0).every, 1);
    }

    #[tokio::test]
    async fn faults_shape_the_answer() {
        let stub = StubBuilder::new(TC3, creds())
            .handler(
                "ListThings",
                answering(TC3, "ListThings", "x").handlers["ListThings"].clone(),
            )
            .fault(FaultRule::new(Fault::Throttle).every(2))
            .fault(
                FaultRule::new(Fault::LargeBody {
                    bytes: 1 << 20,
                    chunked: true,
                })
                .every(3),
            )
            .start()
            .await
            .unwrap();
        let ep = stub.endpoint();
        let now = crate::codec::time::now();
        let (_, body) = send(signed(TC3, "ListThings", &ep, now)).await;
        assert_eq!(body["Response"]["Served"], "x");
        let (_, body) = send(signed(TC3, "ListThings", &ep, now)).await;
        assert_eq!(body["Response"]["Error"]["Code"], "RequestLimitExceeded");
        let started = Instant::now();
        let t = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
        let resp = t.send(signed(TC3, "ListThings", &ep, now)).await.unwrap();
        assert_eq!(resp.body.len(), 1 << 20);
        assert_eq!(resp.header("content-length"), None);
        let body: Value = serde_json::from_slice(&resp.body).unwrap();
        assert_eq!(body["Response"]["Served"], "x");
        assert_eq!(stub.streamed_bytes(), 1 << 20);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn replayed_answers_are_bounded_by_count_bytes_and_time() {
        let key = |t: &str| (0, "A".to_owned(), "k".to_owned(), t.to_owned());
        let answer = |n: usize| HttpResponse::new(200, "application/json", vec![b' '; n]);
        let window = Duration::from_secs(600);
        let mut cache = Idempotency::default();
        for i in 0..5 {
            cache.put(key(&i.to_string()), answer(1), 3, window);
        }
        assert_eq!(cache.answers.len(), 3);
        assert!(cache.get(&key("0"), window).is_none());
        assert!(cache.get(&key("4"), window).is_some());
        for i in 0..3 {
            cache.put(key(&format!("big{i}")), answer(30 << 20), 1000, window);
        }
        assert!(cache.bytes <= MAX_REPLAY_BYTES, "{}", cache.bytes);
        assert!(cache.get(&key("big2"), window).is_some());
        assert!(cache.get(&key("big2"), Duration::ZERO).is_none(), "expired");
        assert_eq!(
            cache.bytes,
            cache
                .answers
                .values()
                .map(|(_, a)| a.body.len())
                .sum::<usize>()
        );
    }
}
