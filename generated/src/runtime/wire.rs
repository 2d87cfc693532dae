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
    let de = &mut serde_json::Deserializer::from_slice(body);
    let result = match protocol {
        Protocol::Tc3 => serde_path_to_error::deserialize::<_, Envelope<T>>(de).map(|e| e.response),
        Protocol::Rpc => serde_path_to_error::deserialize::<_, T>(de),
    };
    match result {
        Ok(v) => Ok(v),
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
