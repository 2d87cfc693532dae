//! Responses off the wire: a success body decoded into its model, in the envelope the
//! protocol names ([`Envelope`], [`ResponseLayout`]), as JSON, XML read as JSON, a whole
//! value, text or bytes ([`Answer`], [`Model`]), and what fails to decode ([`DecodeError`]).

use std::fmt;
use std::marker::PhantomData;

use cloudapi_protocol::{Envelope, Protocol};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde::Deserialize;

use serde_json::Value;

use crate::codec::tolerant::{InMember, WireStruct};

/// Decodes a success body into the model `T`, naming the failing field on error, in
/// `protocol`'s JSON envelope (Tencent Cloud's `{"Response": {...}}` is unwrapped).
///
/// Each model is decoded by one plain `serde_json` instantiation, which also reads the
/// envelope ([`InMember`]); the field path of an error is recovered
/// from the error's position in the body ([`json_path_at`]), which costs nothing on
/// success and no extra generic code per model.
pub fn decode_json<T: WireStruct>(protocol: Protocol, body: &[u8]) -> Result<T, DecodeError> {
    decode_model(protocol.descriptor().success, body)
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
            (Answer::Bytes, Value::String(s)) => crate::codec::scalar::Blob::from_base64(s)
                .map(crate::codec::scalar::Blob::into_inner),
            (kind, other) => Err(format!(
                "a {kind:?} answer is written from a string, not {other}"
            )),
        }
    }
}

/// What the client's `Client::call_payload` decodes a success body into. Every
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
    T::decode(&ResponseLayout::Json(protocol.descriptor().success), body)
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
        while let Some(key) = map.next_key::<crate::codec::tolerant::Key<'de>>()? {
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

/// Decodes an XML body (Alibaba Cloud's `Format=XML`) into `T`, naming the failing field.
/// `root` is the element that wraps a real response (`ListInstancesOfUserResponse`).
/// The XML becomes JSON text first, so XML and JSON share one decoder per model.
pub fn decode_xml<T: WireStruct>(root: &str, body: &[u8]) -> Result<T, DecodeError> {
    let json = xml_as_json(root, body)?;
    decode_model(Envelope::Bare, &json).map_err(|e| DecodeError::new(e.path(), e.message(), body))
}

/// An XML body as the JSON text the model decodes from (not generic: every model shares it).
fn xml_as_json(root: &str, body: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let value =
        crate::codec::xml::to_value(body, root).map_err(|m| DecodeError::new(".", m, body))?;
    serde_json::to_vec(&value).map_err(|e| DecodeError::new(".", e.to_string(), body))
}

/// How a success body is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseLayout {
    /// JSON, in this envelope.
    Json(Envelope),
    /// XML whose single top-level element, if it is `root`, wraps the model.
    Xml {
        /// The wrapping element, e.g. `ListInstancesOfUserResponse`.
        root: String,
    },
}

/// A response body that could not be decoded into the documented model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    path: String,
    message: String,
    body: String,
}

impl DecodeError {
    /// A decode failure at `path` of `body`.
    pub fn new(path: impl Into<String>, message: impl Into<String>, body: &[u8]) -> Self {
        DecodeError {
            path: path.into(),
            message: message.into(),
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }
    /// The path of the field that failed (`Data.List[0].AdminList`), or `.` for the whole body.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The raw body as received (lossily converted to UTF-8).
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the response at `{}`: {}",
            self.path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

/// A generated response whose success body is not a JSON object of fields: the whole
/// body is the structure's one field. It implements [`Model`](crate::codec::response::Model) (with its
/// [`Answer`](crate::codec::response::Answer)), `Deserialize` and `Serialize` (both of the field alone,
/// as it is on the wire; bytes as base64, as a [`Blob`](crate::Blob) serializes).
///
/// - `value <field>: <kind> <T>`: a JSON value as a whole (an array, a scalar, any JSON),
///   the field typed as `wire_struct!`'s `opt` (`Option<T>`), `list` (`Vec<T>`) or `map`
///   (`BTreeMap<String, T>`) and decoded as tolerantly; an empty body is the empty value;
/// - `text <field>`: the body as text (`String`, UTF-8);
/// - `binary <field>`: the body's bytes ([`Blob`](crate::Blob)).
///
/// ```
/// cloudapi_runtime::codec::response::body_struct! {
///     /// Shards.
///     #[derive(Debug, Clone, Default, PartialEq)]
///     pub struct ListShardsResponse {
///         /// The shards' ids.
///         value body: list i64,
///     }
/// }
/// use cloudapi_runtime::codec::response::{Model, ResponseLayout};
/// use cloudapi_runtime::protocol::Envelope;
/// let layout = ResponseLayout::Json(Envelope::BareOrEmpty);
/// let r = ListShardsResponse::decode(&layout, b"[0, \"1\", 2]").unwrap();
/// assert_eq!(r.body, [0, 1, 2]);
/// assert_eq!(serde_json::to_string(&r).unwrap(), "[0,1,2]");
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! __body_struct {
    (
        $(#[$meta:meta])*
        pub struct $t:ident {
            $(#[$fmeta:meta])* value $field:ident: $kind:ident $ty:ty $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $t {
            $(#[$fmeta])* pub $field: $crate::__wire_field_type!($kind $ty),
        }
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::serde::de::DeserializeSeed::deserialize($crate::codec::tolerant::field::$kind::seed::<$ty>(), deserializer)
                    .map(|$field| $t { $field })
            }
        }
        impl $crate::codec::response::Model for $t {
            const ANSWER: $crate::codec::response::Answer = $crate::codec::response::Answer::Value;
            fn decode(layout: &$crate::codec::response::ResponseLayout, body: &[u8]) -> ::std::result::Result<Self, $crate::DecodeError> {
                $crate::codec::response::decode_value(layout, body)
            }
        }
        $crate::__body_struct!(@serialize $t, $field);
    };
    (
        $(#[$meta:meta])*
        pub struct $t:ident {
            $(#[$fmeta:meta])* text $field:ident $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $t {
            $(#[$fmeta])* pub $field: ::std::string::String,
        }
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer).map(|$field| $t { $field })
            }
        }
        impl $crate::codec::response::Model for $t {
            const ANSWER: $crate::codec::response::Answer = $crate::codec::response::Answer::Text;
            fn decode(_layout: &$crate::codec::response::ResponseLayout, body: &[u8]) -> ::std::result::Result<Self, $crate::DecodeError> {
                $crate::codec::response::decode_text(body).map(|$field| $t { $field })
            }
        }
        $crate::__body_struct!(@serialize $t, $field);
    };
    (
        $(#[$meta:meta])*
        pub struct $t:ident {
            $(#[$fmeta:meta])* binary $field:ident $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $t {
            $(#[$fmeta])* pub $field: $crate::Blob,
        }
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <$crate::Blob as ::serde::Deserialize>::deserialize(deserializer).map(|$field| $t { $field })
            }
        }
        impl $crate::codec::response::Model for $t {
            const ANSWER: $crate::codec::response::Answer = $crate::codec::response::Answer::Bytes;
            fn decode(_layout: &$crate::codec::response::ResponseLayout, body: &[u8]) -> ::std::result::Result<Self, $crate::DecodeError> {
                ::std::result::Result::Ok($t { $field: $crate::Blob::from(body) })
            }
        }
        $crate::__body_struct!(@serialize $t, $field);
    };
    (@serialize $t:ident, $field:ident) => {
        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.$field, serializer)
            }
        }
    };
}
pub use crate::__body_struct as body_struct;

/// Decodes `json` (the body; for text and bytes answers, the text) as `T` (in `protocol`'s
/// JSON envelope), serializes the model, writes that as its answer's body
/// ([`Answer::encode`]), decodes it again and compares: the
/// model neither fails on the body nor loses what it decoded.
pub fn round_trip<T>(protocol: Protocol, json: &str) -> Result<(), String>
where
    T: Model + serde::Serialize + PartialEq + fmt::Debug,
{
    let first: T = decode_body(protocol, json.as_bytes()).map_err(|e| e.to_string())?;
    let value = serde_json::to_value(&first).map_err(|e| e.to_string())?;
    let body = T::ANSWER.encode(&value)?;
    let bare = ResponseLayout::Json(Envelope::Bare);
    let again =
        T::decode(&bare, &body).map_err(|e| format!("decoding the serialized model: {e}"))?;
    if first == again {
        Ok(())
    } else {
        Err(format!(
            "the model changed in a round trip: {first:?} became {again:?}"
        ))
    }
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

#[cfg(test)]
mod whole_bodies {
    use std::collections::BTreeMap;

    use serde_json::json;

    use crate::codec::response::ResponseLayout;
    use crate::codec::response::{Answer, Model};
    use crate::protocol::Envelope;
    use crate::Blob;

    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Shard {
        shard_id: Option<i64>,
        status: Option<String>,
    }

    crate::codec::tolerant::wire_struct!(
        Shard,
        "the Shard structure",
        ("shardID", shard_id, opt: i64),
        ("status", status, opt: String),
    );

    crate::codec::response::body_struct! {
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct ListShardsResponse {
            value body: list Shard,
        }
    }

    crate::codec::response::body_struct! {
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct AnyResponse {
            value body: opt ::serde_json::Value,
        }
    }

    crate::codec::response::body_struct! {
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct LabelsResponse {
            value labels: map String,
        }
    }

    crate::codec::response::body_struct! {
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct PolicyResponse {
            text policy,
        }
    }

    crate::codec::response::body_struct! {
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct InvokeResponse {
            binary body,
        }
    }

    const ROA: ResponseLayout = ResponseLayout::Json(Envelope::BareOrEmpty);

    #[test]
    fn a_json_array_answer_decodes_tolerantly_into_the_list() {
        assert_eq!(<ListShardsResponse as Model>::ANSWER, Answer::Value);
        let r = ListShardsResponse::decode(
            &ROA,
            br#"[{"shardID": 0, "status": "readwrite"}, {"shardID": "1"}, null]"#,
        )
        .unwrap();
        assert_eq!(r.body.len(), 2);
        assert_eq!(
            (r.body[1].shard_id, r.body[1].status.as_deref()),
            (Some(1), None)
        );
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!([{"shardID": 0, "status": "readwrite"}, {"shardID": 1}])
        );
        // One element alone, and an empty body, as the list's tolerance says.
        let one = ListShardsResponse::decode(&ROA, br#"{"shardID": 7}"#).unwrap();
        assert_eq!(one.body[0].shard_id, Some(7));
        assert!(ListShardsResponse::decode(&ROA, b"")
            .unwrap()
            .body
            .is_empty());
        assert!(ListShardsResponse::decode(&ROA, b" \n")
            .unwrap()
            .body
            .is_empty());
        // A wrong element names its place.
        let e =
            ListShardsResponse::decode(&ROA, br#"[{"shardID": 0}, {"shardID": "x"}]"#).unwrap_err();
        assert_eq!(e.path(), "[1].shardID", "{e}");
    }

    #[test]
    fn any_json_and_map_answers() {
        let r = AnyResponse::decode(&ROA, br#"{"taskId": "t-1", "n": [1, 2]}"#).unwrap();
        assert_eq!(r.body, Some(json!({"taskId": "t-1", "n": [1, 2]})));
        assert_eq!(
            AnyResponse::decode(&ROA, b"42").unwrap().body,
            Some(json!(42))
        );
        assert_eq!(AnyResponse::decode(&ROA, b"").unwrap().body, None);
        let m = LabelsResponse::decode(&ROA, br#"{"a": "1", "b": 2}"#).unwrap();
        assert_eq!(
            m.labels,
            BTreeMap::from([
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "2".to_owned())
            ])
        );
        // XML (an RPC action asked for it) is read as JSON first.
        let xml = ResponseLayout::Xml {
            root: "GetThingResponse".into(),
        };
        let r =
            AnyResponse::decode(&xml, b"<GetThingResponse><A>1</A></GetThingResponse>").unwrap();
        assert_eq!(r.body, Some(json!({"A": "1"})));
    }

    #[test]
    fn text_and_bytes_answers_take_the_body_as_it_is() {
        assert_eq!(<PolicyResponse as Model>::ANSWER, Answer::Text);
        assert_eq!(<InvokeResponse as Model>::ANSWER, Answer::Bytes);
        let text = r#"{"Version":"1"} is not parsed"#;
        let r = PolicyResponse::decode(&ROA, text.as_bytes()).unwrap();
        assert_eq!(r.policy, text);
        assert_eq!(serde_json::to_value(&r).unwrap(), json!(text));
        let e = PolicyResponse::decode(&ROA, &[0x66, 0xff]).unwrap_err();
        assert!(e.message().contains("not UTF-8"), "{e}");
        let bytes = [0u8, 159, 146, 150, b' '];
        let r = InvokeResponse::decode(&ROA, &bytes).unwrap();
        assert_eq!(r.body, Blob::new(bytes));
        assert_eq!(
            InvokeResponse::decode(&ROA, b"").unwrap().body,
            Blob::default()
        );
    }

    #[test]
    fn each_answer_encodes_its_serialized_model_back_to_its_body() {
        assert_eq!(
            Answer::Value.encode(&json!([1, "a"])).unwrap(),
            br#"[1,"a"]"#
        );
        assert_eq!(Answer::Text.encode(&json!("a\nb")).unwrap(), b"a\nb");
        assert_eq!(
            Answer::Bytes.encode(&json!("AJ+Slg==")).unwrap(),
            [0, 159, 146, 150]
        );
        assert!(Answer::Text.encode(&json!(1)).is_err());
        assert!(Answer::Bytes.encode(&json!("not base64!")).is_err());
        assert_eq!(Answer::Text.content_type(), "text/plain; charset=utf-8");
        assert_eq!(Answer::Bytes.content_type(), "application/octet-stream");
        // The response samples' check, for each kind.
        let roa = crate::Protocol::Roa;
        super::round_trip::<ListShardsResponse>(roa, r#"[{"shardID": "3"}]"#).unwrap();
        super::round_trip::<AnyResponse>(roa, r#"{"a": [1, {"b": null}]}"#).unwrap();
        super::round_trip::<LabelsResponse>(roa, r#"{"a": "x"}"#).unwrap();
        super::round_trip::<PolicyResponse>(roa, "any text, \"quoted\"").unwrap();
        super::round_trip::<InvokeResponse>(roa, "raw bytes").unwrap();
    }
}
