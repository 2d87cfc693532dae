//! Requests on the wire (RPC query parameters, JSON bodies) and responses off it.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::de::StringEnum;
use super::error::DecodeError;
use super::Protocol;

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
        Query(vec![("Action".into(), action.into()), ("Version".into(), version.into())])
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
    /// An indexed list: `Name.1`, `Name.2`, ...
    pub fn push_list<V: QueryValue>(&mut self, name: &str, values: Option<&Vec<V>>) {
        for (i, v) in values.into_iter().flatten().enumerate() {
            self.0.push((format!("{name}.{}", i + 1), v.to_query_value()));
        }
    }
    /// Looks up a parameter by name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Decodes a success body into `T`, naming the failing field on error.
/// Tencent Cloud bodies are unwrapped from their `{"Response": {...}}` envelope.
pub fn decode_json<T: DeserializeOwned>(protocol: Protocol, body: &[u8]) -> Result<T, DecodeError> {
    #[derive(Deserialize)]
    struct Envelope<T> {
        #[serde(rename = "Response")]
        response: T,
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let result = match protocol {
        Protocol::Tc3 => serde_path_to_error::deserialize::<_, Envelope<T>>(&mut de).map(|e| e.response),
        Protocol::Rpc => serde_path_to_error::deserialize::<_, T>(&mut de),
    };
    match result {
        // Bytes after the value mean a corrupted or concatenated body.
        Ok(v) => match de.end() {
            Ok(()) => Ok(v),
            Err(e) => Err(DecodeError::new(".", e.to_string(), body)),
        },
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = if body.iter().all(u8::is_ascii_whitespace) { "the body is empty".to_owned() } else { inner.to_string() };
            Err(DecodeError::new(path, message, body))
        }
    }
}

/// Serializes a request body as JSON.
pub fn to_json_body<T: Serialize>(value: &T) -> Vec<u8> {
    // Requests hold strings, numbers, booleans, lists and structures with string
    // keys only: serde_json cannot fail on them.
    serde_json::to_vec(value).unwrap_or_else(|e| unreachable!("request serialization failed: {e}"))
}

/// Decodes an Alibaba Cloud XML body (`Format=XML`) into `T`, naming the failing field.
/// `root` is the element that wraps a real response (`ListInstancesOfUserResponse`).
pub fn decode_xml<T: DeserializeOwned>(root: &str, body: &[u8]) -> Result<T, DecodeError> {
    let value = super::xml::to_value(body, root).map_err(|m| DecodeError::new(".", m, body))?;
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        DecodeError::new(path, e.into_inner().to_string(), body)
    })
}

/// An Alibaba Cloud error body in XML (`<Error><Code>…</Code>…</Error>` or bare fields).
pub fn xml_error(http_status: u16, body: &[u8]) -> Option<super::ErrorMetadata> {
    if (200..300).contains(&http_status) {
        return None;
    }
    let value = super::xml::to_value(body, "Error").ok()?;
    let json = serde_json::to_vec(&value).ok()?;
    super::ErrorMetadata::from_body(Protocol::Rpc, http_status, &json)
}

/// A value parsed from an RPC query string (the stub server reads requests this way).
pub trait FromQueryValue: Sized {
    /// Parses the value, or says why it cannot.
    fn from_query_value(s: &str) -> Result<Self, String>;
}

impl FromQueryValue for String {
    fn from_query_value(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
}
impl FromQueryValue for i64 {
    fn from_query_value(s: &str) -> Result<Self, String> {
        s.trim().parse().map_err(|_| format!("{s:?} is not an integer"))
    }
}
impl FromQueryValue for f64 {
    fn from_query_value(s: &str) -> Result<Self, String> {
        s.trim().parse().map_err(|_| format!("{s:?} is not a number"))
    }
}
impl FromQueryValue for bool {
    fn from_query_value(s: &str) -> Result<Self, String> {
        match s {
            "true" | "True" | "TRUE" => Ok(true),
            "false" | "False" | "FALSE" => Ok(false),
            _ => Err(format!("{s:?} is not a boolean")),
        }
    }
}
impl<E: StringEnum> FromQueryValue for E {
    fn from_query_value(s: &str) -> Result<Self, String> {
        Ok(E::from(s))
    }
}

/// A parameter missing from, or unreadable in, an RPC query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The parameter's wire name.
    pub parameter: String,
    /// `None` when missing; otherwise why the value is invalid.
    pub invalid: Option<String>,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.invalid {
            None => write!(f, "the parameter {} is missing", self.parameter),
            Some(why) => write!(f, "the parameter {} is invalid: {why}", self.parameter),
        }
    }
}

impl std::error::Error for QueryError {}

impl Query {
    /// A required parameter.
    pub fn required<T: FromQueryValue>(&self, name: &str) -> Result<T, QueryError> {
        self.optional(name)?.ok_or_else(|| QueryError { parameter: name.to_owned(), invalid: None })
    }
    /// An optional parameter.
    pub fn optional<T: FromQueryValue>(&self, name: &str) -> Result<Option<T>, QueryError> {
        self.get(name)
            .map(|v| T::from_query_value(v).map_err(|why| QueryError { parameter: name.to_owned(), invalid: Some(why) }))
            .transpose()
    }
    /// An indexed list `Name.1`, `Name.2`, ... (`None` when no element is present).
    pub fn indexed<T: FromQueryValue>(&self, name: &str) -> Result<Option<Vec<T>>, QueryError> {
        let mut out = Vec::new();
        for i in 1.. {
            let key = format!("{name}.{i}");
            match self.get(&key) {
                Some(v) => out.push(T::from_query_value(v).map_err(|why| QueryError { parameter: key, invalid: Some(why) })?),
                None => break,
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }
}
