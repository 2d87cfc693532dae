//! A local stub of a provider's API, for tests (feature `stub-server`): real HTTP on
//! 127.0.0.1, signatures verified the way the provider does, requests decoded and
//! validated with the generated request types, answers in the provider's shapes.
//! Generated `stub` modules wrap it with one typed `on_<action>` handler per action.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming as Body};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::Value;

use super::client::Service;
use super::credentials::{Clock, Credentials};
use super::error::ErrorMetadata;
use super::flat::{from_value_lenient, FlatError};
use super::http::HttpResponse;
use super::protocol::{parse_pairs, Protocol, ReceivedRequest, WireProtocol};
use super::validate::{ValidationError, Violation, ViolationKind};
use super::verify::Verifier;
use super::wire::{Query, QueryError, RequestLayout};

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

/// A request as the stub received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The action (from `X-TC-Action`, `x-acs-action` or the `Action` parameter).
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

    /// The provider's answer to a request that broke a constraint. `codes` maps a violation
    /// kind (`required`, `minimum`, `maximum`, `not_in_enum`: the `Messages` field names) to the
    /// product's code for it. The first violation the provider enforces is answered (see
    /// [`Outcome::check`]), else the first.
    pub fn invalid(protocol: Protocol, e: &ValidationError, codes: &[(&str, &str)]) -> Outcome {
        let v = e
            .violations()
            .iter()
            .find(|v| provider_enforces(v))
            .unwrap_or(&e.violations()[0]);
        invalid_violation(protocol, v, codes)
    }

    /// The provider's answer to a request whose validation (`request.validate()`) failed
    /// on a constraint the provider enforces (required parameters, ranges, enum values),
    /// or `Ok` when it failed only on cross-field `requires` / `conflicts` rules: those
    /// are client-side advice, which the provider resolves itself (Tencent Cloud
    /// Organization's `ListUsers` takes `NextToken` over `Offset`), so a stub must not be
    /// stricter.
    pub fn check(
        protocol: Protocol,
        validation: Result<(), ValidationError>,
        codes: &[(&str, &str)],
    ) -> Result<(), Outcome> {
        let Err(e) = validation else {
            return Ok(());
        };
        match e.violations().iter().find(|v| provider_enforces(v)) {
            Some(v) => Err(invalid_violation(protocol, v, codes)),
            None => Ok(()),
        }
    }

    /// The provider's answer to a request whose parameters could not be read.
    pub fn unreadable(e: &QueryError) -> Outcome {
        let code = if e.invalid.is_none() {
            "MissingParameter"
        } else {
            "InvalidParameter"
        };
        Outcome::Reply(Reply::Error {
            code: code.into(),
            message: e.to_string(),
            http_status: 400,
        })
    }
}

/// Whether the provider itself refuses a request with this violation (cross-field rules
/// are the client's).
fn provider_enforces(v: &Violation) -> bool {
    !matches!(
        v.kind,
        ViolationKind::Requires { .. } | ViolationKind::Conflicts { .. }
    )
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
        _ => protocol.wire().invalid_value_code(),
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

/// Decodes the typed request a generated stub handler receives: the protocol reads the
/// received request back into a JSON object by `layout`, which is then deserialized
/// leniently (numbers and booleans may arrive as strings, as they do in queries). A
/// request that cannot be read is answered as the provider answers: `MissingParameter`
/// for a missing required parameter, `InvalidParameter` otherwise, naming the parameter.
pub fn decode_request<T: serde::de::DeserializeOwned>(
    protocol: Protocol,
    layout: &'static RequestLayout,
    incoming: &Incoming,
) -> Result<T, Outcome> {
    let unreadable = |e: FlatError| {
        let missing = e.message().starts_with("missing field");
        let (code, message) = if missing {
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
        .wire()
        .read_request(layout, incoming)
        .map_err(unreadable)?;
    from_value_lenient(value).map_err(unreadable)
}

/// A typed handler, type-erased.
pub type Handler = Arc<dyn Fn(&Incoming) -> Outcome + Send + Sync>;

/// Configures a stub for one product version.
#[derive(Clone)]
pub struct StubBuilder {
    service: Service,
    credentials: Credentials,
    handlers: HashMap<&'static str, Handler>,
    verify: bool,
    clock: Clock,
    window: Option<std::time::Duration>,
    signing_service: Option<String>,
}

impl std::fmt::Debug for StubBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StubBuilder")
            .field("service", &self.service)
            .field("credentials", &self.credentials)
            .field("window", &self.window)
            .field("signing_service", &self.signing_service)
            .finish_non_exhaustive()
    }
}

impl StubBuilder {
    /// A stub that accepts requests signed with `credentials`.
    pub fn new(service: Service, credentials: Credentials) -> Self {
        StubBuilder {
            service,
            credentials,
            handlers: HashMap::new(),
            verify: true,
            clock: Clock::system(),
            window: None,
            signing_service: Some(service.service.to_owned()),
        }
    }
    /// Sets the handler of an action.
    pub fn handler(mut self, action: &'static str, handler: Handler) -> Self {
        self.handlers.insert(action, handler);
        self
    }
    /// Turns signature verification off (on by default).
    pub fn verify_signatures(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }
    /// The clock signatures are checked against (default: the system clock), e.g. a
    /// captured request's own time to replay it, or a skewed clock.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
    /// Checks signatures as if it were always `unix` (seconds).
    pub fn fixed_clock(self, unix: i64) -> Self {
        self.clock(Clock::new(move || unix))
    }
    /// Checks signatures against the system clock shifted by `secs` (negative: behind).
    pub fn clock_skew(self, secs: i64) -> Self {
        self.clock(Clock::new(move || super::time::now().saturating_add(secs)))
    }
    /// How far a signed time may be from the stub's clock (default: the provider's, TC3
    /// 300 s, Alibaba Cloud 900 s).
    pub fn signature_window(mut self, window: std::time::Duration) -> Self {
        self.window = Some(window);
        self
    }
    /// The service a TC3 credential scope must name (default: the product's; `None`
    /// accepts any, for SDKs that derive it from the endpoint).
    pub fn signing_service(mut self, service: Option<&str>) -> Self {
        self.signing_service = service.map(str::to_owned);
        self
    }
    /// Binds 127.0.0.1 on a free port and serves until the returned handle is dropped.
    pub async fn start(self) -> std::io::Result<RunningStub> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let wire = self.service.protocol.wire();
        let mut verifier = Verifier::new(self.service.protocol, self.signing_service.as_deref());
        if let Some(w) = self.window {
            verifier = verifier.window(w);
        }
        let state = Arc::new(State {
            config: self,
            wire,
            verifier,
            received: Mutex::new(Vec::new()),
            counter: AtomicU64::new(0),
        });
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let server_state = state.clone();
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut rx => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let st = server_state.clone();
                        tokio::spawn(async move {
                            let svc = service_fn(move |req| {
                                let st = st.clone();
                                async move { Ok::<_, Infallible>(st.handle(req).await) }
                            });
                            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
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
    wire: &'static dyn WireProtocol,
    /// One per stub: its nonce cache spans every request.
    verifier: Verifier,
    received: Mutex<Vec<Incoming>>,
    counter: AtomicU64,
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
    /// `http://127.0.0.1:PORT`, for `ConfigBuilder::endpoint`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Every request that passed signature verification, in order.
    pub fn received(&self) -> Vec<Incoming> {
        self.state
            .received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
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

type Response = hyper::Response<Full<Bytes>>;

impl State {
    fn request_id(&self) -> String {
        format!(
            "stub-{:08}",
            self.counter.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    async fn handle(&self, req: hyper::Request<Body>) -> Response {
        let (parts, body) = req.into_parts();
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let method = parts.method.as_str();
        let request = match body.collect().await {
            Ok(b) => ReceivedRequest::from_parts(method, target, headers, b.to_bytes().to_vec()),
            Err(_) => {
                let request = ReceivedRequest::from_parts(method, target, headers, Vec::new());
                return self.error(
                    &request,
                    "InvalidRequest",
                    "the request body could not be read",
                    400,
                );
            }
        };
        if self.config.verify {
            if let Err(e) =
                self.verifier
                    .verify(&request, &self.config.credentials, self.config.clock.now())
            {
                return self.error(&request, e.code, &e.message, e.http_status);
            }
        }
        let Some(action) = self.wire.action(&request) else {
            return self.error(&request, "MissingParameter", "the action is missing", 400);
        };
        let incoming = Incoming {
            action: action.clone(),
            method: request.method.clone(),
            path: request.path.clone(),
            params: Query(self.wire.handler_params(&request)),
            headers: request.headers.clone(),
            body: request.body.clone(),
        };
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(incoming.clone());
        let Some(handler) = self.config.handlers.get(action.as_str()) else {
            return self.error(
                &request,
                "InvalidAction",
                &format!("The action {action} does not exist."),
                404,
            );
        };
        match handler(&incoming) {
            Outcome::Reply(Reply::Ok(v)) => {
                reply(
                    self.wire
                        .success_response(&request, &action, v, &self.request_id()),
                )
            }
            Outcome::Example { json, xml } => {
                reply(self.wire.example_response(&request, json, xml))
            }
            Outcome::Reply(Reply::Error {
                code,
                message,
                http_status,
            }) => self.error(&request, &code, &message, http_status),
            Outcome::Reply(Reply::Raw {
                status,
                content_type,
                body,
            }) => raw(status, &content_type, body),
            Outcome::Reply(Reply::Hang) => {
                std::future::pending::<()>().await;
                raw(504, "text/plain", Vec::new())
            }
            Outcome::Reply(Reply::Example) => {
                self.error(&request, "InternalError", "a reply was not converted", 500)
            }
        }
    }

    /// A provider error in the provider's shape.
    fn error(&self, request: &ReceivedRequest, code: &str, message: &str, status: u16) -> Response {
        let error = ErrorMetadata::new(code, message, Some(self.request_id()), status);
        reply(
            self.wire
                .error_response(&self.config.service, request, &error),
        )
    }
}

fn raw(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    reply(HttpResponse::new(status, content_type, body))
}

/// A protocol's response, over hyper.
fn reply(resp: HttpResponse) -> Response {
    let mut r = hyper::Response::new(Full::new(Bytes::from(resp.body)));
    *r.status_mut() = hyper::StatusCode::from_u16(resp.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in resp.headers {
        if let (Ok(k), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(k.as_bytes()),
            hyper::header::HeaderValue::from_str(&v),
        ) {
            r.headers_mut().append(k, v);
        }
    }
    r
}
