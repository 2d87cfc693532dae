//! How a request is laid out on the wire: the layout generated for every action
//! ([`RequestLayout`], [`WireParam`]), the request on its way out to the protocol
//! ([`OutgoingRequest`], [`payload`]) and RPC query parameters ([`Query`]).

use serde::Serialize;
use serde_json::Value;

use crate::codec::flat::{flatten_into, unflatten, Base, FlatError, Style};
use crate::codec::tolerant::StringEnum;
use crate::protocol::ProtocolWire as _;
use crate::protocol::{Payload, Protocol};

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
/// Serializes a request body as JSON.
pub fn to_json_body<T: Serialize>(value: &T) -> Vec<u8> {
    // Requests hold strings, numbers, booleans, lists and structures with string
    // keys only: serde_json cannot fail on them.
    serde_json::to_vec(value).unwrap_or_else(|e| unreachable!("request serialization failed: {e}"))
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
    /// parameters parsed), for [`from_value_lenient`](crate::codec::flat::from_value_lenient).
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
