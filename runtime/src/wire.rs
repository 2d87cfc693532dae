//! Requests on the wire (RPC query parameters, JSON bodies) and responses off it, in the
//! envelope the protocol names ([`Envelope`], [`ResponseLayout`]).

use std::marker::PhantomData;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde::{Deserialize, Serialize};

use serde_json::Value;

use super::de::{InMember, StringEnum, WireStruct};
use super::error::DecodeError;
pub use super::flat::Style;
use super::flat::{flatten_into, unflatten, Base, FlatError};
use super::protocol::{Envelope, Payload, Protocol, ResponseLayout};
use crate::protocol::ProtocolWire as _;

/// A value that can stand in an RPC query string.
pub trait QueryValue {
    /// The value as it stands in the query.
    fn to_query_value(&self) -> String;
}

impl QueryValue for String {
    fn to_query_value(&self) -> String {
        self.clone()
    }
}
impl QueryValue for i64 {
    fn to_query_value(&self) -> String {
        self.to_string()
    }
}
impl QueryValue for f64 {
    fn to_query_value(&self) -> String {
        self.to_string()
    }
}
impl QueryValue for bool {
    fn to_query_value(&self) -> String {
        self.to_string()
    }
}
impl<E: StringEnum> QueryValue for E {
    fn to_query_value(&self) -> String {
        self.as_str().to_owned()
    }
}

/// Ordered RPC query parameters: `Action`, `Version`, then the action's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// A query starting with `Action` and `Version`.
    pub fn new(action: &str, version: &str) -> Self {
        Query(vec![
            ("Action".into(), action.into()),
            ("Version".into(), version.into()),
        ])
    }
    /// Appends a parameter.
    pub fn push<V: QueryValue + ?Sized>(&mut self, name: &str, value: &V) {
        self.0.push((name.to_owned(), value.to_query_value()));
    }
    /// Appends a parameter if it is set.
    pub fn push_opt<V: QueryValue>(&mut self, name: &str, value: Option<&V>) {
        if let Some(v) = value {
            self.push(name, v);
        }
    }
    /// Looks up a parameter by name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes a success body into the model `T`, naming the failing field on error, in
/// `protocol`'s JSON envelope (Tencent Cloud's `{"Response": {...}}` is unwrapped).
///
/// Each model is decoded by one plain `serde_json` instantiation, which also reads the
/// envelope ([`InMember`]); the field path of an error is recovered
/// from the error's position in the body ([`json_path_at`]), which costs nothing on
/// success and no extra generic code per model.
pub fn decode_json<T: WireStruct>(protocol: Protocol, body: &[u8]) -> Result<T, DecodeError> {
    decode_model(protocol.wire().json_envelope(), body)
}

/// The JSON to decode in `envelope`: RESTful actions that answer nothing (ROA and Simple
/// Log Service, [`Envelope::BareOrEmpty`]) send 200 with an empty body, and their model has
/// no required field, so it is `{}`.
fn with_empty_as_model(envelope: Envelope, body: &[u8]) -> &[u8] {
    if envelope == Envelope::BareOrEmpty && body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    }
}

/// Decodes a model whose JSON sits in `envelope`.
fn decode_model<T: WireStruct>(envelope: Envelope, body: &[u8]) -> Result<T, DecodeError> {
    let member = match envelope {
        Envelope::Bare | Envelope::BareOrEmpty => None,
        Envelope::Member(name) => Some(name),
    };
    let body = with_empty_as_model(envelope, body);
    let mut de = serde_json::Deserializer::from_slice(body);
    let result = InMember::<T>::new(member)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    result.map_err(|e| json_error(body, &e))
}

/// Decodes a JSON body as `T`, with no envelope (any `Deserialize` type).
pub fn decode_json_in<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice::<T>(body).map_err(|e| json_error(body, &e))
}

/// A serde_json error as a [`DecodeError`] naming the field at the error's position.
fn json_error(body: &[u8], e: &serde_json::Error) -> DecodeError {
    if body.iter().all(u8::is_ascii_whitespace) {
        return DecodeError::new(".", "the body is empty", body);
    }
    let offset = byte_offset(body, e.line(), e.column());
    DecodeError::new(json_path_at(body, offset), e.to_string(), body)
}

/// Decodes a success body laid out as `layout` (JSON in an envelope, or XML).
pub fn decode_response<T: WireStruct>(
    layout: &ResponseLayout,
    body: &[u8],
) -> Result<T, DecodeError> {
    match layout {
        ResponseLayout::Xml { root } => decode_xml(root, body),
        ResponseLayout::Json(envelope) => decode_model(*envelope, body),
    }
}

/// What a success body is, as a whole: how the client decodes it and how the stub and
/// the response samples write it back ([`Answer::encode`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Answer {
    /// A JSON object of the response's fields, in the protocol's envelope (or XML): every
    /// [`WireStruct`] model.
    #[default]
    Object,
    /// A JSON value as a whole (an array, a scalar, any JSON), held in the response's one
    /// field (`body_struct!`'s `value`).
    Value,
    /// Text, held in the response's one `String`.
    Text,
    /// Raw bytes, held in the response's one [`Blob`](crate::Blob).
    Bytes,
}

impl Answer {
    /// The `Content-Type` such an answer is sent with (by the stub).
    pub fn content_type(self) -> &'static str {
        match self {
            Answer::Object | Answer::Value => "application/json",
            Answer::Text => "text/plain; charset=utf-8",
            Answer::Bytes => "application/octet-stream",
        }
    }

    /// The body that carries a model serialized to `value` (the model's `Serialize`):
    /// JSON for objects and values, the string itself for text, the bytes of the base64
    /// string (a [`Blob`](crate::Blob)'s form) for bytes. The stub answers with it, and the
    /// response samples decode it again.
    pub fn encode(self, value: &Value) -> Result<Vec<u8>, String> {
        match (self, value) {
            (Answer::Object | Answer::Value, v) => serde_json::to_vec(v).map_err(|e| e.to_string()),
            (Answer::Text, Value::String(s)) => Ok(s.clone().into_bytes()),
            (Answer::Bytes, Value::String(s)) => {
                crate::scalar::Blob::from_base64(s).map(crate::scalar::Blob::into_inner)
            }
            (kind, other) => Err(format!(
                "a {kind:?} answer is written from a string, not {other}"
            )),
        }
    }
}

/// What [`Client::call_payload`](crate::client::Client::call_payload) decodes a success body into. Every
/// generated model (a [`WireStruct`]) is one, through [`decode_response`]; a hand-written
/// `Deserialize` type (the STS answers) implements it with [`decode_response_serde`]; the
/// answers that are not a JSON object (`body_struct!`) with [`decode_value`],
/// [`decode_text`] or as bytes.
pub trait Model: Sized {
    /// What the success body is.
    const ANSWER: Answer = Answer::Object;
    /// Decodes a success body laid out as `layout`.
    fn decode(layout: &ResponseLayout, body: &[u8]) -> Result<Self, DecodeError>;
}

impl<T: WireStruct> Model for T {
    fn decode(layout: &ResponseLayout, body: &[u8]) -> Result<Self, DecodeError> {
        decode_response(layout, body)
    }
}

/// Any JSON (or XML read as JSON), for calling an action without its model.
impl Model for Value {
    fn decode(layout: &ResponseLayout, body: &[u8]) -> Result<Self, DecodeError> {
        decode_response_serde(layout, body)
    }
}

/// [`decode_response`] for any `Deserialize` type (its envelope is read by a visitor of its
/// own, so each such type costs more code than a [`WireStruct`]).
pub fn decode_response_serde<T: DeserializeOwned>(
    layout: &ResponseLayout,
    body: &[u8],
) -> Result<T, DecodeError> {
    let (json, envelope) = match layout {
        ResponseLayout::Xml { root } => (
            std::borrow::Cow::Owned(xml_as_json(root, body)?),
            Envelope::Bare,
        ),
        ResponseLayout::Json(envelope) => (std::borrow::Cow::Borrowed(body), *envelope),
    };
    let json = with_empty_as_model(envelope, &json);
    let result = match envelope {
        Envelope::Bare | Envelope::BareOrEmpty => serde_json::from_slice::<T>(json),
        Envelope::Member(name) => {
            let mut de = serde_json::Deserializer::from_slice(json);
            Member::<T>(name, PhantomData)
                .deserialize(&mut de)
                .and_then(|v| de.end().map(|()| v))
        }
    };
    result.map_err(|e| json_error(json, &e))
}

/// Decodes a success body that is a JSON value as a whole (an array, a scalar, any JSON)
/// into `T`, in `layout`'s envelope (XML read as JSON first). An empty body is `null`
/// (the empty list, map or `None` of the tolerant seeds), not `{}`.
pub fn decode_value<T: DeserializeOwned>(
    layout: &ResponseLayout,
    body: &[u8],
) -> Result<T, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return serde_json::from_slice::<T>(b"null")
            .map_err(|e| DecodeError::new(".", e.to_string(), body));
    }
    decode_response_serde(layout, body)
}

/// Decodes a success body into any [`Model`] as the client does for a JSON answer of
/// `protocol` (its envelope): the generated decoders of answers that are not a JSON object.
pub fn decode_body<T: Model>(protocol: Protocol, body: &[u8]) -> Result<T, DecodeError> {
    T::decode(&ResponseLayout::Json(protocol.wire().json_envelope()), body)
}

/// Decodes a success body that is text (not JSON): it must be UTF-8.
pub fn decode_text(body: &[u8]) -> Result<String, DecodeError> {
    String::from_utf8(body.to_vec())
        .map_err(|e| DecodeError::new(".", format!("the text answer is not UTF-8 ({e})"), body))
}

/// The member `.0` of a JSON object, decoded as `T`; other members are skipped.
struct Member<T>(&'static str, PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Member<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_struct("Envelope", &[], self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Member<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "struct Envelope with a `{}` member", self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<super::de::Key<'de>>()? {
            if key.as_str() != self.0 {
                map.next_value::<IgnoredAny>()?;
            } else if found.is_some() {
                return Err(de::Error::duplicate_field(self.0));
            } else {
                found = Some(map.next_value::<T>()?);
            }
        }
        found.ok_or_else(|| de::Error::missing_field(self.0))
    }
}

/// The byte offset of serde_json's 1-based line and (byte) column.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(body.len(), |(i, _)| i + 1)
    };
    (line_start + column).min(body.len())
}

/// The path (`Response.Users[0].IsSelected`, or `.` at the top) of the value being read
/// at `offset` of a JSON text: a scan of the structure up to that point.
pub fn json_path_at(body: &[u8], offset: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut expecting_key = false;
    let end = offset.min(body.len());
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(_)) => expecting_key = true,
                Some(Frame::Array(n)) => *n += 1,
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if expecting_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        let raw = &body[start..(i + 1).min(body.len())];
                        *key = Some(serde_json::from_slice::<String>(raw).unwrap_or_else(|_| {
                            String::from_utf8_lossy(raw).trim_matches('"').to_owned()
                        }));
                    }
                    expecting_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(k)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object(None) => break,
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// Serializes a request body as JSON.
pub fn to_json_body<T: Serialize>(value: &T) -> Vec<u8> {
    // Requests hold strings, numbers, booleans, lists and structures with string
    // keys only: serde_json cannot fail on them.
    serde_json::to_vec(value).unwrap_or_else(|e| unreachable!("request serialization failed: {e}"))
}

/// Decodes an XML body (Alibaba Cloud's `Format=XML`) into `T`, naming the failing field.
/// `root` is the element that wraps a real response (`ListInstancesOfUserResponse`).
/// The XML becomes JSON text first, so XML and JSON share one decoder per model.
pub fn decode_xml<T: WireStruct>(root: &str, body: &[u8]) -> Result<T, DecodeError> {
    let json = xml_as_json(root, body)?;
    decode_model(Envelope::Bare, &json).map_err(|e| DecodeError::new(e.path(), e.message(), body))
}

/// An XML body as the JSON text the model decodes from (not generic: every model shares it).
fn xml_as_json(root: &str, body: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let value = super::xml::to_value(body, root).map_err(|m| DecodeError::new(".", m, body))?;
    serde_json::to_vec(&value).map_err(|e| DecodeError::new(".", e.to_string(), body))
}

/// Where a parameter goes and how an ROA body is encoded (defined in the protocol
/// descriptor).
pub use cloudapi_protocol::{BodyFormat, Position};

/// One parameter of a request layout: its wire name, where it goes and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireParam {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it goes.
    pub position: Position,
    /// How a structure or list is written into a query or form.
    pub style: Style,
}

impl WireParam {
    const fn at(name: &'static str, position: Position) -> Self {
        WireParam {
            name,
            position,
            style: Style::Flat,
        }
    }
    /// A parameter of the query string.
    pub const fn query(name: &'static str) -> Self {
        Self::at(name, Position::Query)
    }
    /// A parameter of the body.
    pub const fn body(name: &'static str) -> Self {
        Self::at(name, Position::Body)
    }
    /// A path segment.
    pub const fn path(name: &'static str) -> Self {
        Self::at(name, Position::Path)
    }
    /// An HTTP header.
    pub const fn header(name: &'static str) -> Self {
        Self::at(name, Position::Header)
    }
    /// The host's first label.
    pub const fn host(name: &'static str) -> Self {
        Self::at(name, Position::Host)
    }
    /// Written as one JSON text (Alibaba Cloud's "shrink" parameters).
    pub const fn json(mut self) -> Self {
        self.style = Style::Json;
        self
    }
    /// A list of scalars written as one comma-separated value.
    pub const fn simple(mut self) -> Self {
        self.style = Style::Simple;
        self
    }
}

/// How an action's request is laid out: generated for every action as `LAYOUT`, read by
/// the protocol module when the client sends and when the stub server receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLayout {
    /// The HTTP method the document gives.
    pub method: &'static str,
    /// The path template (`/` except for ROA), as the document gives it: it may end in a
    /// fixed query (`/etls/{name}?action=STOP`), see [`template`](Self::template) and
    /// [`fixed_query`](Self::fixed_query).
    pub path: &'static str,
    /// How ROA body parameters are encoded.
    pub body: BodyFormat,
    /// The parameters, in the document's order.
    pub params: &'static [WireParam],
}

impl RequestLayout {
    /// The path template without its fixed query: `/etls/{name}` of
    /// `/etls/{name}?action=STOP`.
    pub fn template(&self) -> &'static str {
        self.path.split_once('?').map_or(self.path, |(t, _)| t)
    }

    /// The pairs of the path's fixed query (`("action", "STOP")`), sent as query
    /// parameters with every request of the action, as the official SDKs send them.
    pub fn fixed_query(&self) -> impl Iterator<Item = (&'static str, &'static str)> {
        let query = self.path.split_once('?').map_or("", |(_, q)| q);
        query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
    }

    /// The parameters that go at `position`, in order.
    pub fn at(&self, position: Position) -> impl Iterator<Item = &WireParam> + '_ {
        self.params.iter().filter(move |p| p.position == position)
    }

    /// Appends the members of `request` (a JSON object of wire names) that go at one of
    /// `positions` to `out`, flattened in each parameter's style with indexes from `base`.
    pub fn flatten(
        &self,
        request: &Value,
        positions: &[Position],
        base: Base,
        out: &mut Vec<(String, String)>,
    ) {
        for p in self
            .params
            .iter()
            .filter(|p| positions.contains(&p.position))
        {
            if let Some(v) = request.get(p.name) {
                flatten_into(out, p.name, v, p.style, base);
            }
        }
    }

    /// [`unflatten`](Self::unflatten) of the pairs whose name (up to its first `.`) is one
    /// of the action's parameters; the others are left out unread, as Alibaba Cloud's
    /// gateways ignore parameters an API does not declare, whatever their shape
    /// (`Bogus.01`, `Tag..Key`, `Unknown.99999999`).
    pub fn unflatten_declared(
        &self,
        pairs: &[(String, String)],
        base: Base,
    ) -> Result<Value, FlatError> {
        let declared: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| {
                let name = k.split('.').next().unwrap_or(k);
                self.params.iter().any(|p| p.name == name)
            })
            .cloned()
            .collect();
        self.unflatten(&declared, base)
    }

    /// Reads flattened pairs back into a JSON object (values as strings, JSON-style
    /// parameters parsed), for [`from_value_lenient`](crate::flat::from_value_lenient).
    pub fn unflatten(&self, pairs: &[(String, String)], base: Base) -> Result<Value, FlatError> {
        let json: Vec<&str> = self
            .params
            .iter()
            .filter(|p| p.style == Style::Json)
            .map(|p| p.name)
            .collect();
        let simple: Vec<&str> = self
            .params
            .iter()
            .filter(|p| p.style == Style::Simple)
            .map(|p| p.name)
            .collect();
        unflatten(pairs, base, &json, &simple)
    }
}

/// The request `request` of `action` as the client sends it: serialized once to a JSON
/// tree, then laid out by the protocol (a JSON body, a flattened query, or a RESTful
/// request) following `layout`. The only generic step is the serialization.
pub fn payload<T: Serialize>(
    protocol: Protocol,
    action: &'static str,
    version: &'static str,
    layout: &'static RequestLayout,
    request: &T,
) -> Payload {
    // Requests hold strings, numbers, booleans, lists, maps and structures with string
    // keys only: serde_json cannot fail on them.
    let value = serde_json::to_value(request)
        .unwrap_or_else(|e| unreachable!("request serialization failed: {e}"));
    protocol.wire().lay_out(&OutgoingRequest {
        action,
        version,
        layout,
        value,
    })
}

/// A request on its way out, for [`WireProtocol::lay_out`](crate::protocol::WireProtocol::lay_out).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OutgoingRequest {
    /// The action.
    pub action: &'static str,
    /// The API version.
    pub version: &'static str,
    /// Where each parameter goes.
    pub layout: &'static RequestLayout,
    /// The request as a JSON object keyed by wire names.
    pub value: Value,
}

#[cfg(test)]
mod tests {
    use super::json_path_at;

    #[test]
    fn paths_follow_objects_arrays_and_escaped_keys() {
        let body = br#"{"Response":{"Users":[{"A":1},{"B":"x,]}","IsSelected":"yes"}]}}"#;
        let at = body.windows(5).position(|w| w == b"\"yes\"").unwrap() + 5;
        assert_eq!(json_path_at(body, at), "Response.Users[1].IsSelected");
        assert_eq!(json_path_at(br#"{"a\"b":[1,2"#, 13), "a\"b[1]");
        assert_eq!(json_path_at(b"", 0), ".");
        assert_eq!(json_path_at(br#"{"k":1}"#, 7), ".");
    }
}
