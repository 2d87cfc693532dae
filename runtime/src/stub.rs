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
use serde_json::{json, Value};

use super::client::{Service, Signing};
use super::credentials::Credentials;
use super::sign;
use super::validate::{ValidationError, ViolationKind};
use super::wire::{Query, QueryError};
use super::Protocol;

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
        Reply::Error { code: code.into(), message: message.into(), http_status: 400 }
    }
}

/// A request as the stub received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The action (from `X-TC-Action`, `x-acs-action` or the `Action` parameter).
    pub action: String,
    /// Query (and form) parameters.
    pub params: Query,
    /// Headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Incoming {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
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
    pub fn from_reply<T: Serialize>(reply: Reply<T>, example_json: &'static str, example_xml: Option<&'static str>) -> Outcome {
        Outcome::Reply(match reply {
            Reply::Ok(v) => match serde_json::to_value(v) {
                Ok(v) => Reply::Ok(v),
                Err(e) => Reply::Error { code: "InternalError".into(), message: e.to_string(), http_status: 500 },
            },
            Reply::Example => return Outcome::Example { json: example_json, xml: example_xml },
            Reply::Error { code, message, http_status } => Reply::Error { code, message, http_status },
            Reply::Raw { status, content_type, body } => Reply::Raw { status, content_type, body },
            Reply::Hang => Reply::Hang,
        })
    }

    /// The provider's answer to a request that broke a constraint. `codes` maps a violation
    /// kind (`required`, `minimum`, `maximum`, `not_in_enum`: the `Messages` field names) to the
    /// product's code for it.
    pub fn invalid(protocol: Protocol, e: &ValidationError, codes: &[(&str, &str)]) -> Outcome {
        let v = &e.violations()[0];
        let kind = match v.kind {
            ViolationKind::Required => "required",
            ViolationKind::Minimum { .. } => "minimum",
            ViolationKind::Maximum { .. } => "maximum",
            ViolationKind::NotInEnum { .. } => "not_in_enum",
            _ => "",
        };
        let fallback = match (protocol, kind) {
            (_, "required") => "MissingParameter",
            (Protocol::Tc3, _) => "InvalidParameterValue",
            _ => "InvalidParameter",
        };
        let code = codes.iter().find(|(k, _)| *k == kind).map_or(fallback, |(_, c)| c);
        Outcome::Reply(Reply::Error { code: code.to_owned(), message: v.message.clone(), http_status: 400 })
    }

    /// The provider's answer to a request whose parameters could not be read.
    pub fn unreadable(e: &QueryError) -> Outcome {
        let code = if e.invalid.is_none() { "MissingParameter" } else { "InvalidParameter" };
        Outcome::Reply(Reply::Error { code: code.into(), message: e.to_string(), http_status: 400 })
    }
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
}

impl std::fmt::Debug for StubBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StubBuilder").field("service", &self.service).field("credentials", &self.credentials).finish_non_exhaustive()
    }
}

impl StubBuilder {
    /// A stub that accepts requests signed with `credentials`.
    pub fn new(service: Service, credentials: Credentials) -> Self {
        StubBuilder { service, credentials, handlers: HashMap::new(), verify: true }
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
    /// Binds 127.0.0.1 on a free port and serves until the returned handle is dropped.
    pub async fn start(self) -> std::io::Result<RunningStub> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State { config: self, received: Mutex::new(Vec::new()), counter: AtomicU64::new(0) });
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
        Ok(RunningStub { addr, state, shutdown: Some(tx), task })
    }
}

struct State {
    config: StubBuilder,
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
        f.debug_struct("RunningStub").field("addr", &self.addr).finish_non_exhaustive()
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
        self.state.received.lock().unwrap_or_else(|p| p.into_inner()).clone()
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

/// Percent-decodes a query component (`+` is a space only in form bodies).
fn decode_component(s: &str, plus_is_space: bool) -> String {
    let s = if plus_is_space { s.replace('+', " ") } else { s.to_owned() };
    percent_encoding::percent_decode_str(&s).decode_utf8_lossy().into_owned()
}

fn parse_pairs(s: &str, plus_is_space: bool) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_component(k, plus_is_space), decode_component(v, plus_is_space))
        })
        .collect()
}

type Response = hyper::Response<Full<Bytes>>;

impl State {
    fn request_id(&self) -> String {
        format!("stub-{:08}", self.counter.fetch_add(1, Ordering::Relaxed) + 1)
    }

    async fn handle(&self, req: hyper::Request<Body>) -> Response {
        let (parts, body) = req.into_parts();
        let body = match body.collect().await {
            Ok(b) => b.to_bytes().to_vec(),
            Err(_) => return self.error("InvalidRequest", "the request body could not be read", 400, false),
        };
        let headers: Vec<(String, String)> =
            parts.headers.iter().map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect();
        let mut params = parse_pairs(parts.uri.query().unwrap_or(""), false);
        let form = headers.iter().any(|(k, v)| k == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
        if form {
            params.extend(parse_pairs(&String::from_utf8_lossy(&body), true));
        }
        let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let protocol = self.config.service.protocol;
        let action = match protocol {
            Protocol::Tc3 => header("x-tc-action"),
            _ => header("x-acs-action").or_else(|| params.iter().find(|(k, _)| k == "Action").map(|(_, v)| v.clone())),
        };
        let xml = params.iter().any(|(k, v)| k == "Format" && v.eq_ignore_ascii_case("XML"));
        if self.config.verify {
            if let Err((code, message, status)) = self.verify(parts.method.as_str(), &headers, &params, &body) {
                return self.error(code, &message, status, xml);
            }
        }
        let Some(action) = action else {
            return self.error("MissingParameter", "the action is missing", 400, xml);
        };
        let incoming = Incoming { action: action.clone(), params: Query(params), headers, body };
        self.received.lock().unwrap_or_else(|p| p.into_inner()).push(incoming.clone());
        let Some(handler) = self.config.handlers.get(action.as_str()) else {
            return self.error("InvalidAction", &format!("The action {action} does not exist."), 404, xml);
        };
        match handler(&incoming) {
            Outcome::Reply(Reply::Ok(mut v)) => {
                let rid = self.request_id();
                if let Value::Object(m) = &mut v {
                    m.entry("RequestId").or_insert(Value::String(rid));
                }
                match protocol {
                    Protocol::Tc3 => self.json(200, &json!({ "Response": v })),
                    _ if xml => self.raw(200, "application/xml", json_to_xml(&format!("{action}Response"), &v).into_bytes()),
                    _ => self.json(200, &v),
                }
            }
            Outcome::Example { json, xml: xml_example } => match (xml, xml_example) {
                (true, Some(x)) => self.raw(200, "application/xml", x.as_bytes().to_vec()),
                _ => self.raw(200, "application/json", json.as_bytes().to_vec()),
            },
            Outcome::Reply(Reply::Error { code, message, http_status }) => self.error(&code, &message, http_status, xml),
            Outcome::Reply(Reply::Raw { status, content_type, body }) => self.raw(status, &content_type, body),
            Outcome::Reply(Reply::Hang) => {
                std::future::pending::<()>().await;
                self.raw(504, "text/plain", Vec::new())
            }
            Outcome::Reply(Reply::Example) => self.error("InternalError", "a reply was not converted", 500, xml),
        }
    }

    fn raw(&self, status: u16, content_type: &str, body: Vec<u8>) -> Response {
        let mut r = hyper::Response::new(Full::new(Bytes::from(body)));
        *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        if let Ok(v) = hyper::header::HeaderValue::from_str(content_type) {
            r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
        }
        r
    }

    fn json(&self, status: u16, v: &Value) -> Response {
        self.raw(status, "application/json", serde_json::to_vec(v).unwrap_or_default())
    }

    /// A provider error in the provider's shape.
    fn error(&self, code: &str, message: &str, status: u16, xml: bool) -> Response {
        let rid = self.request_id();
        match self.config.service.protocol {
            Protocol::Tc3 => self.json(200, &json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": rid}})),
            _ => {
                let body = json!({"RequestId": rid, "HostId": self.config.service.endpoint, "Code": code, "Message": message,
                    "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}")});
                if xml {
                    self.raw(status, "application/xml", json_to_xml("Error", &body).into_bytes())
                } else {
                    self.json(status, &body)
                }
            }
        }
    }

    /// Checks the signature as the provider would; `Err((code, message, http status))`.
    fn verify(&self, method: &str, headers: &[(String, String)], params: &[(String, String)], body: &[u8]) -> Result<(), (&'static str, String, u16)> {
        let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        let creds = &self.config.credentials;
        let now = super::time::now();
        match header("authorization") {
            Some(auth) if auth.starts_with("TC3-HMAC-SHA256") => {
                let a = sign::tc3::parse_authorization(auth).ok_or(("AuthFailure.InvalidAuthorization", "the Authorization header is malformed".to_owned(), 401))?;
                if a.secret_id != creds.access_key_id() {
                    return Err(("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.".into(), 401));
                }
                let ts: i64 = header("x-tc-timestamp").and_then(|t| t.parse().ok()).ok_or(("AuthFailure.InvalidAuthorization", "X-TC-Timestamp is missing".to_owned(), 401))?;
                if (now - ts).abs() > 300 {
                    return Err(("AuthFailure.SignatureExpire", format!("Signature expired. Timestamp {ts} differs from server time {now} by more than 5 minutes."), 401));
                }
                let input = sign::tc3::Input {
                    method,
                    host: header("host").unwrap_or(""),
                    query: "",
                    content_type: header("content-type").unwrap_or(""),
                    payload: body,
                    service: &a.service,
                    timestamp: ts,
                };
                let expected = sign::tc3::sign(&input, creds.access_key_id(), creds.secret());
                if a.date != super::time::date(ts) || !sign::same(&expected.signature, &a.signature) {
                    return Err(("AuthFailure.SignatureFailure", format!("The provided credentials could not be validated. Please check your signature is correct. (expected {}, got {})", expected.signature, a.signature), 401));
                }
                Ok(())
            }
            Some(auth) if auth.starts_with("ACS3-HMAC-SHA256") => {
                let (id, signed, signature) = sign::acs3::parse_authorization(auth).ok_or(("IncompleteSignature", "the Authorization header is malformed".to_owned(), 400))?;
                if id != creds.access_key_id() {
                    return Err(("InvalidAccessKeyId.NotFound", "Specified access key is not found.".into(), 404));
                }
                let date = header("x-acs-date").and_then(super::time::parse_iso8601).ok_or(("IllegalTimestamp", "x-acs-date is missing or malformed".to_owned(), 400))?;
                if (now - date).abs() > 900 {
                    return Err(("IllegalTimestamp", "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied.".into(), 400));
                }
                let hash = sign::acs3::payload_hash(body);
                if header("x-acs-content-sha256").is_some_and(|h| h != hash) {
                    return Err(("SignatureDoesNotMatch", "x-acs-content-sha256 does not match the body".into(), 400));
                }
                let values: Vec<(String, String)> = signed.iter().map(|n| (n.clone(), header(n).unwrap_or("").to_owned())).collect();
                let cr = sign::acs3::canonical_request(method, "/", params, &values, header("x-acs-content-sha256").unwrap_or(&hash));
                let expected = sign::acs3::signature(&cr, creds.secret());
                if !sign::same(&expected, &signature) {
                    return Err(("SignatureDoesNotMatch", format!("Specified signature is not matched with our calculation. server string to sign is:{}", cr.replace('\n', "\\n")), 400));
                }
                Ok(())
            }
            _ if self.config.service.protocol == Protocol::Rpc && self.config.service.signing != Signing::Tc3HmacSha256 => {
                let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
                let signature = get("Signature").ok_or(("IncompleteSignature", "The request signature does not conform to Aliyun standards.".to_owned(), 400))?;
                if get("AccessKeyId") != Some(creds.access_key_id()) {
                    return Err(("InvalidAccessKeyId.NotFound", "Specified access key is not found.".into(), 404));
                }
                let ts = get("Timestamp").and_then(super::time::parse_iso8601).ok_or(("IllegalTimestamp", "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied.".to_owned(), 400))?;
                if (now - ts).abs() > 900 {
                    return Err(("IllegalTimestamp", "The timestamp is out of the allowed window.".into(), 400));
                }
                let sts = sign::rpc::string_to_sign(method, params);
                let expected = sign::rpc::signature(&sts, creds.secret());
                if !sign::same(&expected, signature) {
                    return Err(("SignatureDoesNotMatch", format!("Specified signature is not matched with our calculation. server string to sign is:{sts}"), 400));
                }
                Ok(())
            }
            _ => Err(match self.config.service.protocol {
                Protocol::Tc3 => ("AuthFailure.InvalidAuthorization", "The Authorization header is missing or not TC3-HMAC-SHA256.".to_owned(), 401),
                _ => ("IncompleteSignature", "The request signature does not conform to Aliyun standards.".to_owned(), 400),
            }),
        }
    }
}

/// Serializes a JSON value as Alibaba-style XML under `root` (arrays repeat the element).
pub fn json_to_xml(root: &str, v: &Value) -> String {
    fn write(out: &mut String, name: &str, v: &Value) {
        match v {
            Value::Array(items) => {
                for item in items {
                    write(out, name, item);
                }
            }
            Value::Object(map) => {
                out.push_str(&format!("<{name}>"));
                for (k, v) in map {
                    write(out, k, v);
                }
                out.push_str(&format!("</{name}>"));
            }
            Value::Null => {}
            Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", quick_xml::escape::escape(s.as_str()))),
            other => out.push_str(&format!("<{name}>{other}</{name}>")),
        }
    }
    let mut out = String::from("<?xml version='1.0' encoding='UTF-8'?>");
    write(&mut out, root, v);
    out
}
