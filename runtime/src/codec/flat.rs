//! Request values as the flattened `Name.1.Key=value` pairs of query strings and forms.
//!
//! The clouds put structured request parameters in a query or form by flattening them:
//! Tencent Cloud writes `Filters.0.Name=zone` (indexes from 0, [`Base::Zero`]), Alibaba Cloud
//! `Tag.1.Key=k` (indexes from 1, [`Base::One`]); Alibaba also sends some parameters as one
//! JSON text ([`Style::Json`], "shrink") or as a comma-joined list ([`Style::Simple`]).
//!
//! - [`flatten_into`] writes one top-level parameter (a `serde_json::Value`, usually
//!   `serde_json::to_value` of a generated request field) as pairs.
//! - [`unflatten`] reads a whole query or form back into a tree whose leaves are strings.
//! - [`from_value_lenient`] deserializes a generated type from such a tree, parsing the
//!   strings that stand for numbers and booleans and naming the failing field's path.
//!
//! Limits, so that a hostile query costs bounded time and memory: a key has at most
//! [`MAX_DEPTH`] dot-separated segments, a list index is at most [`MAX_INDEX`], and
//! [`from_value_lenient`] descends at most [`MAX_VALUE_DEPTH`] levels.
//!
//! What the flat form cannot say: a map key containing `.` is split like a path, a map key
//! made only of digits reads back as a list index, and `null`, `[]` and `{}` are not written
//! at all, so an empty or `null` element inside a list leaves its index out (the indexes
//! stay positional, as the providers' own SDKs write them) and [`unflatten`] then reports
//! the gap. Trees without those read back exactly (`unflatten(flatten(t)) == t` on trees
//! of strings).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use cloudapi_protocol::tolerance;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

/// The most dot-separated segments a key given to [`unflatten`] may have (`A.1.B` has 3).
pub const MAX_DEPTH: usize = 64;

/// The largest list index [`unflatten`] accepts (`Tag.99999999.Key` is an error, not an
/// allocation).
pub const MAX_INDEX: u64 = 65_535;

/// The deepest nesting [`from_value_lenient`] descends into.
pub const MAX_VALUE_DEPTH: usize = 128;

/// Where list indexes start: Tencent Cloud flattens `Filters.0.Name` (Zero), Alibaba Cloud
/// `Tag.1.Key` (One).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The first element is `.0`.
    Zero,
    /// The first element is `.1`.
    One,
}

impl Base {
    fn offset(self) -> u64 {
        match self {
            Base::Zero => 0,
            Base::One => 1,
        }
    }
}

/// How one top-level parameter is put in a query/form (defined in the protocol descriptor).
pub use cloudapi_protocol::Style;

/// An error of [`unflatten`] or [`from_value_lenient`]: where (a key of the query, or the
/// path of a field in the tree) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatError {
    path: Option<String>,
    message: String,
    unknown: bool,
}

impl FlatError {
    fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        FlatError {
            path: Some(path.into()),
            message: message.into(),
            unknown: false,
        }
    }

    /// The member at `path` is not one of its structure's (see
    /// [`Strictness::unknown_fields`]).
    fn unknown(path: String) -> Self {
        FlatError {
            message: format!("the parameter `{path}` is not recognized"),
            path: Some(path),
            unknown: true,
        }
    }

    /// Whether the error is a member its structure does not have, refused by
    /// [`from_value_checked`] with [`Strictness::unknown_fields`]: the path names it.
    pub fn is_unknown_parameter(&self) -> bool {
        self.unknown
    }

    /// Where: the query key (`Tag.3.Key`) for [`unflatten`], the field path
    /// (`Filters[0].Values[1]`, with wire names) for [`from_value_lenient`]; `.` for the top.
    pub fn path(&self) -> &str {
        self.path.as_deref().unwrap_or(".")
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for FlatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path() {
            "." => f.write_str(&self.message),
            path => write!(f, "{path}: {}", self.message),
        }
    }
}

impl std::error::Error for FlatError {}

impl de::Error for FlatError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FlatError {
            path: None,
            message: msg.to_string(),
            unknown: false,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Flattening
// ---------------------------------------------------------------------------------------

/// Appends `value` under `name` to `out` in `style`. null / empty list / empty object add
/// nothing, at the top and (in [`Style::Flat`]) inside lists and objects.
///
/// Scalars: strings as is (no quotes), numbers as serde_json prints them, booleans
/// `true`/`false` (in [`Style::Json`] everything, strings included, is JSON text).
/// List elements are numbered by position from `base`. Object members come in the
/// object's order. Works without recursion, whatever the value's depth.
pub fn flatten_into(
    out: &mut Vec<(String, String)>,
    name: &str,
    value: &Value,
    style: Style,
    base: Base,
) {
    if is_nothing(value) {
        return;
    }
    match style {
        Style::Flat => flatten_flat(out, name, value, base),
        Style::Json => out.push((name.to_owned(), value.to_string())),
        Style::Simple => match value {
            Value::Array(items) if items.iter().all(is_scalar) => {
                let mut joined = String::new();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        joined.push(',');
                    }
                    push_scalar(&mut joined, item);
                }
                out.push((name.to_owned(), joined));
            }
            Value::Array(_) | Value::Object(_) => out.push((name.to_owned(), value.to_string())),
            scalar => out.push((name.to_owned(), scalar_text(scalar))),
        },
    }
}

fn is_nothing(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

fn is_scalar(value: &Value) -> bool {
    matches!(value, Value::Bool(_) | Value::Number(_) | Value::String(_))
}

fn push_scalar(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null | Value::Array(_) | Value::Object(_) => {}
    }
}

fn scalar_text(value: &Value) -> String {
    let mut s = String::new();
    push_scalar(&mut s, value);
    s
}

fn flatten_flat(out: &mut Vec<(String, String)>, name: &str, value: &Value, base: Base) {
    // An explicit stack (children pushed in reverse) keeps the output in document order.
    let mut stack: Vec<(String, &Value)> = vec![(name.to_owned(), value)];
    while let Some((key, value)) = stack.pop() {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    if !is_nothing(item) {
                        stack.push((format!("{key}.{}", i as u64 + base.offset()), item));
                    }
                }
            }
            Value::Object(members) => {
                for (k, item) in members.iter().rev() {
                    if !is_nothing(item) {
                        stack.push((format!("{key}.{k}"), item));
                    }
                }
            }
            scalar => {
                let text = scalar_text(scalar);
                out.push((key, text));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Unflattening
// ---------------------------------------------------------------------------------------

/// One node of the tree being built; `first` is the index of the pair that created it.
struct Tree {
    node: Node,
    first: usize,
}

enum Node {
    /// Created on the way to a deeper key; replaced before the pair is done.
    Pending,
    Leaf(Value),
    Named(BTreeMap<String, Tree>),
    Indexed(BTreeMap<u64, Tree>),
}

impl Tree {
    fn new(first: usize) -> Self {
        Tree {
            node: Node::Pending,
            first,
        }
    }
}

/// The inverse of [`flatten_into`] for a whole query/form.
///
/// Numeric path segments become arrays (ordered by index, respecting `base`; a gap or an
/// index below `base` is an error naming the key), other segments objects, leaves
/// `Value::String`. The first segment is always a parameter name, so the result is an
/// object. Parameters named in `json_params` (top-level names) are parsed as JSON text
/// (an error names the parameter if it is not JSON); parameters in `simple_params` are
/// split on commas into an array of strings (an empty value is an empty array).
///
/// Errors, each naming the key: a key that is both a leaf and a parent (`A=1` and `A.B=2`),
/// a key given twice, a node with both index and name children (`A.1` and `A.B`), an empty
/// segment (`A..B`), an index with a leading zero (`A.01`), more than [`MAX_DEPTH`]
/// segments, an index above [`MAX_INDEX`].
pub fn unflatten(
    pairs: &[(String, String)],
    base: Base,
    json_params: &[&str],
    simple_params: &[&str],
) -> Result<Value, FlatError> {
    let mut root: BTreeMap<String, Tree> = BTreeMap::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        insert(&mut root, i, key, value, base, json_params, simple_params)?;
    }
    let mut out = Map::new();
    for (name, tree) in root {
        out.insert(name, build(tree, pairs, base)?);
    }
    Ok(Value::Object(out))
}

fn insert(
    root: &mut BTreeMap<String, Tree>,
    pair: usize,
    key: &str,
    value: &str,
    base: Base,
    json_params: &[&str],
    simple_params: &[&str],
) -> Result<(), FlatError> {
    let depth = key.split('.').count();
    if depth > MAX_DEPTH {
        return Err(FlatError::at(
            key,
            format!("the key has {depth} segments; at most {MAX_DEPTH} are allowed"),
        ));
    }
    let mut segments = key.split('.');
    let name = segments.next().unwrap_or_default();
    if key.is_empty() {
        return Err(FlatError::at(".", "a parameter has an empty name"));
    }
    if name.is_empty() {
        return Err(FlatError::at(key, "the key has an empty segment"));
    }
    let mut node = root
        .entry(name.to_owned())
        .or_insert_with(|| Tree::new(pair));
    let mut end = name.len();
    for segment in segments {
        let parent = &key[..end];
        end += 1 + segment.len();
        let index = parse_index(segment, base).map_err(|m| FlatError::at(key, m))?;
        if matches!(node.node, Node::Pending) {
            node.node = match index {
                Some(_) => Node::Indexed(BTreeMap::new()),
                None => Node::Named(BTreeMap::new()),
            };
        }
        node = match (&mut node.node, index) {
            (Node::Indexed(children), Some(i)) => {
                children.entry(i).or_insert_with(|| Tree::new(pair))
            }
            (Node::Named(children), None) => children
                .entry(segment.to_owned())
                .or_insert_with(|| Tree::new(pair)),
            (Node::Leaf(_), _) => return Err(leaf_and_parent(parent)),
            _ => {
                return Err(FlatError::at(
                    parent,
                    "the key has both list indexes and names under it",
                ))
            }
        };
    }
    match node.node {
        Node::Pending => {
            node.node = Node::Leaf(leaf(key, value, json_params, simple_params)?);
            Ok(())
        }
        Node::Leaf(_) => Err(FlatError::at(key, "the key is given more than once")),
        Node::Named(_) | Node::Indexed(_) => Err(leaf_and_parent(key)),
    }
}

fn leaf_and_parent(key: &str) -> FlatError {
    FlatError::at(key, "the key has both a value and keys under it")
}

fn leaf(
    key: &str,
    value: &str,
    json_params: &[&str],
    simple_params: &[&str],
) -> Result<Value, FlatError> {
    if json_params.contains(&key) {
        serde_json::from_str(value)
            .map_err(|e| FlatError::at(key, format!("the parameter is not JSON text: {e}")))
    } else if simple_params.contains(&key) {
        if value.is_empty() {
            return Ok(Value::Array(Vec::new()));
        }
        Ok(Value::Array(
            value
                .split(',')
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ))
    } else {
        Ok(Value::String(value.to_owned()))
    }
}

/// `Some(position)` for a list index (digits only), `None` for a name.
fn parse_index(segment: &str, base: Base) -> Result<Option<u64>, String> {
    if segment.is_empty() {
        return Err("the key has an empty segment".into());
    }
    if !segment.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    if segment.len() > 1 && segment.starts_with('0') {
        return Err(format!("the list index {segment} has a leading zero"));
    }
    let index = segment
        .parse::<u64>()
        .ok()
        .filter(|i| *i <= MAX_INDEX)
        .ok_or_else(|| format!("the list index {segment} is above the limit {MAX_INDEX}"))?;
    let first = base.offset();
    if index < first {
        return Err(format!(
            "the list index {index} is below the first index {first}"
        ));
    }
    Ok(Some(index - first))
}

fn build(tree: Tree, pairs: &[(String, String)], base: Base) -> Result<Value, FlatError> {
    match tree.node {
        Node::Pending => Ok(Value::Null),
        Node::Leaf(v) => Ok(v),
        Node::Named(children) => {
            let mut out = Map::new();
            for (name, child) in children {
                out.insert(name, build(child, pairs, base)?);
            }
            Ok(Value::Object(out))
        }
        Node::Indexed(children) => {
            let mut out = Vec::with_capacity(children.len());
            for (expected, (position, child)) in (0u64..).zip(children) {
                if position != expected {
                    let first = base.offset();
                    let message = if expected == 0 {
                        format!("the list starts at index {}, not {first}", position + first)
                    } else {
                        format!(
                            "the list index {} follows {}: indexes must run without gaps",
                            position + first,
                            expected - 1 + first
                        )
                    };
                    return Err(FlatError::at(pairs[child.first].0.as_str(), message));
                }
                out.push(build(child, pairs, base)?);
            }
            Ok(Value::Array(out))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Lenient deserialization
// ---------------------------------------------------------------------------------------

/// Deserializes `T` from a tree whose leaves may be strings standing for numbers and
/// booleans (as [`unflatten`] produces, or as some servers send).
///
/// Asked for an integer, a float or a boolean, a string is read with the text forms of the
/// tolerance rule ([`cloudapi_protocol::tolerance`]: surrounding spaces ignored; an
/// integer's digits only, so `3.0` and `true` are not integers here; a boolean `true` /
/// `false` in any case or `1` / `0`); asked for a sequence, a single non-array value is a one-element sequence and `null` an empty one;
/// `null` is `None` for options; an enum is a string (unit variant) or a one-member object.
/// Everything else behaves as `serde_json::Value`'s own deserializer (a number is not a
/// string, unknown fields follow `T`'s own rules). Errors name the path of the failing
/// field (`Filters[0].Values[1]`, `Tag[0].Key`) using the wire names; the tree is read at
/// most [`MAX_VALUE_DEPTH`] levels deep.
pub fn from_value_lenient<T: DeserializeOwned>(value: Value) -> Result<T, FlatError> {
    T::deserialize(Lenient {
        value: &value,
        path: &Path::ROOT,
        strict: None,
    })
}

/// How [`from_value_checked`] reads a request as the provider would: beyond
/// [`from_value_lenient`]'s leniency for numbers and booleans sent as strings, an object
/// where a list is expected is refused (a structure sent as a string always is), and with
/// [`unknown_fields`](Self::unknown_fields) a member its structure does not have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Strictness {
    unknown_fields: bool,
}

impl Strictness {
    /// Refuses a member that is not one of its structure's fields (at any depth; maps keep
    /// any key): [`FlatError::is_unknown_parameter`]. Off by default.
    pub fn unknown_fields(mut self, refuse: bool) -> Self {
        self.unknown_fields = refuse;
        self
    }
}

/// [`from_value_lenient`] as strict as `strictness` says: the stub's reading of requests.
pub fn from_value_checked<T: DeserializeOwned>(
    value: Value,
    strictness: Strictness,
) -> Result<T, FlatError> {
    T::deserialize(Lenient {
        value: &value,
        path: &Path::ROOT,
        strict: Some(strictness),
    })
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// Where a deserializer stands: a linked list up the stack, rendered only on error.
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
    depth: usize,
}

impl<'a> Path<'a> {
    const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
        depth: 0,
    };

    fn child(&'a self, segment: Segment<'a>) -> Result<Path<'a>, FlatError> {
        if self.depth >= MAX_VALUE_DEPTH {
            return Err(FlatError::at(
                self.render(),
                format!("the value is nested deeper than {MAX_VALUE_DEPTH} levels"),
            ));
        }
        Ok(Path {
            parent: Some(self),
            segment,
            depth: self.depth + 1,
        })
    }

    fn render(&self) -> String {
        let mut segments = Vec::with_capacity(self.depth + 1);
        let mut at = Some(self);
        while let Some(p) = at {
            segments.push(p.segment);
            at = p.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        if out.is_empty() {
            out.push('.');
        }
        out
    }

    /// Gives an error without a place this path (the innermost deserializer sees it first).
    fn locate(&self, mut e: FlatError) -> FlatError {
        if e.path.is_none() {
            e.path = Some(self.render());
        }
        e
    }
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

// A request's scalars are text: read with the text forms of the tolerance rule
// (`cloudapi_protocol::tolerance`) alone; only the error messages are this module's.

fn refused(s: &str, expected: &'static str) -> FlatError {
    de::Error::invalid_value(Unexpected::Str(s), &expected)
}

fn parse_i64(s: &str) -> Result<i64, FlatError> {
    tolerance::integer_text(s).ok_or_else(|| refused(s, "an integer"))
}

fn parse_u64(s: &str) -> Result<u64, FlatError> {
    tolerance::unsigned_text(s).ok_or_else(|| refused(s, "a non-negative integer"))
}

fn parse_i128(s: &str) -> Result<i128, FlatError> {
    tolerance::integer_text_128(s).ok_or_else(|| refused(s, "an integer"))
}

fn parse_u128(s: &str) -> Result<u128, FlatError> {
    tolerance::unsigned_text_128(s).ok_or_else(|| refused(s, "a non-negative integer"))
}

fn parse_f64(s: &str) -> Result<f64, FlatError> {
    tolerance::float_text(s).ok_or_else(|| refused(s, "a number"))
}

fn parse_bool(s: &str) -> Result<bool, FlatError> {
    tolerance::boolean_text(s).ok_or_else(|| refused(s, "a boolean (true or false)"))
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, FlatError> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else if let Some(f) = n.as_f64() {
        visitor.visit_f64(f)
    } else {
        Err(de::Error::custom(format!("the number {n} is out of range")))
    }
}

/// The lenient deserializer over a borrowed value.
#[derive(Clone, Copy)]
struct Lenient<'de, 'p> {
    value: &'de Value,
    path: &'p Path<'p>,
    /// `None`: [`from_value_lenient`].
    strict: Option<Strictness>,
}

impl<'de> Lenient<'de, '_> {
    fn visit_array<V: Visitor<'de>>(
        self,
        items: &'de [Value],
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        let mut seq = Seq {
            items: items.iter().enumerate(),
            path: self.path,
            strict: self.strict,
        };
        let out = visitor.visit_seq(&mut seq)?;
        match seq.items.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(
                items.len(),
                &"fewer elements in the array",
            )),
        }
    }

    fn visit_object<V: Visitor<'de>>(
        self,
        members: &'de Map<String, Value>,
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        let mut map = Members {
            members: members.iter(),
            value: None,
            path: self.path,
            strict: self.strict,
        };
        let out = visitor.visit_map(&mut map)?;
        match map.members.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(
                members.len(),
                &"fewer members in the object",
            )),
        }
    }
}

macro_rules! lenient_parse {
    ($($method:ident => $parse:ident, $visit:ident;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FlatError> {
            match self.value {
                Value::String(s) => $parse(s)
                    .and_then(|n| visitor.$visit(n))
                    .map_err(|e| self.path.locate(e)),
                _ => self.deserialize_any(visitor),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for Lenient<'de, '_> {
    type Error = FlatError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FlatError> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => self.visit_array(items, visitor),
            Value::Object(members) => self.visit_object(members, visitor),
        }
        .map_err(|e| self.path.locate(e))
    }

    lenient_parse! {
        deserialize_bool => parse_bool, visit_bool;
        deserialize_i8 => parse_i64, visit_i64;
        deserialize_i16 => parse_i64, visit_i64;
        deserialize_i32 => parse_i64, visit_i64;
        deserialize_i64 => parse_i64, visit_i64;
        deserialize_i128 => parse_i128, visit_i128;
        deserialize_u8 => parse_u64, visit_u64;
        deserialize_u16 => parse_u64, visit_u64;
        deserialize_u32 => parse_u64, visit_u64;
        deserialize_u64 => parse_u64, visit_u64;
        deserialize_u128 => parse_u128, visit_u128;
        deserialize_f32 => parse_f64, visit_f64;
        deserialize_f64 => parse_f64, visit_f64;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FlatError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| self.path.locate(e))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| self.path.locate(e))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FlatError> {
        match self.value {
            Value::Array(items) => self.visit_array(items, visitor),
            Value::Null => self.visit_array(&[], visitor),
            Value::Object(_) if self.strict.is_some() => Err(de::Error::invalid_type(
                Unexpected::Map,
                &"a list (an object was sent where the parameter is a list)",
            )),
            single => self.visit_array(std::slice::from_ref(single), visitor),
        }
        .map_err(|e| self.path.locate(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        let access = match self.value {
            Value::String(variant) => Enum {
                variant,
                value: None,
                path: self.path,
                strict: self.strict,
            },
            Value::Object(members) => {
                let mut it = members.iter();
                match (it.next(), it.next()) {
                    (Some((variant, value)), None) => Enum {
                        variant,
                        value: Some(value),
                        path: self.path,
                        strict: self.strict,
                    },
                    _ => {
                        return Err(self.path.locate(de::Error::invalid_value(
                            Unexpected::Map,
                            &"an object with a single member",
                        )))
                    }
                }
            }
            other => {
                return Err(self.path.locate(de::Error::invalid_type(
                    unexpected(other),
                    &"a string or an object with a single member",
                )))
            }
        };
        visitor.visit_enum(access).map_err(|e| self.path.locate(e))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FlatError> {
        // A visitor skips a member its structure does not have (derived structures and
        // `wire_struct!` alike): with `unknown_fields`, that member is refused here.
        if self.strict.is_some_and(|s| s.unknown_fields) {
            return Err(FlatError::unknown(self.path.render()));
        }
        visitor.visit_unit()
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        if let (Some(strict), Value::Object(members)) = (self.strict, self.value) {
            if strict.unknown_fields {
                if let Some(key) = members.keys().find(|k| !fields.contains(&k.as_str())) {
                    let path = self.path.child(Segment::Key(key))?;
                    return Err(FlatError::unknown(path.render()));
                }
            }
        }
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct map identifier
    }
}

struct Seq<'de, 'p> {
    items: std::iter::Enumerate<std::slice::Iter<'de, Value>>,
    path: &'p Path<'p>,
    strict: Option<Strictness>,
}

impl<'de> SeqAccess<'de> for Seq<'de, '_> {
    type Error = FlatError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, FlatError> {
        match self.items.next() {
            Some((i, value)) => {
                let path = self.path.child(Segment::Index(i))?;
                seed.deserialize(Lenient {
                    value,
                    path: &path,
                    strict: self.strict,
                })
                .map(Some)
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Members<'de, 'p> {
    members: serde_json::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
    path: &'p Path<'p>,
    strict: Option<Strictness>,
}

impl<'de> MapAccess<'de> for Members<'de, '_> {
    type Error = FlatError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, FlatError> {
        match self.members.next() {
            Some((key, value)) => {
                self.value = Some((key, value));
                let path = self.path.child(Segment::Key(key))?;
                seed.deserialize(Key { key, path: &path }).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, FlatError> {
        let (key, value) = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value was asked for before its key"))?;
        let path = self.path.child(Segment::Key(key))?;
        seed.deserialize(Lenient {
            value,
            path: &path,
            strict: self.strict,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An object member's name (or an enum variant's), with the same leniency for numbers and
/// booleans as values.
struct Key<'de, 'p> {
    key: &'de str,
    path: &'p Path<'p>,
}

macro_rules! key_parse {
    ($($method:ident => $parse:ident, $visit:ident;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FlatError> {
            $parse(self.key)
                .and_then(|n| visitor.$visit(n))
                .map_err(|e| self.path.locate(e))
        }
    )*};
}

impl<'de> Deserializer<'de> for Key<'de, '_> {
    type Error = FlatError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FlatError> {
        visitor
            .visit_borrowed_str(self.key)
            .map_err(|e| self.path.locate(e))
    }

    key_parse! {
        deserialize_bool => parse_bool, visit_bool;
        deserialize_i8 => parse_i64, visit_i64;
        deserialize_i16 => parse_i64, visit_i64;
        deserialize_i32 => parse_i64, visit_i64;
        deserialize_i64 => parse_i64, visit_i64;
        deserialize_i128 => parse_i128, visit_i128;
        deserialize_u8 => parse_u64, visit_u64;
        deserialize_u16 => parse_u64, visit_u64;
        deserialize_u32 => parse_u64, visit_u64;
        deserialize_u64 => parse_u64, visit_u64;
        deserialize_u128 => parse_u128, visit_u128;
        deserialize_f32 => parse_f64, visit_f64;
        deserialize_f64 => parse_f64, visit_f64;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FlatError> {
        let path = self.path;
        visitor.visit_some(self).map_err(|e| path.locate(e))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        let path = self.path;
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| path.locate(e))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        visitor
            .visit_enum(Enum {
                variant: self.key,
                value: None,
                path: self.path,
                strict: None,
            })
            .map_err(|e| self.path.locate(e))
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// An enum: a variant name and, for an object `{"Variant": value}`, its content.
struct Enum<'de, 'p> {
    variant: &'de str,
    value: Option<&'de Value>,
    path: &'p Path<'p>,
    strict: Option<Strictness>,
}

impl<'de, 'p> EnumAccess<'de> for Enum<'de, 'p> {
    type Error = FlatError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), FlatError> {
        let variant = seed.deserialize(Key {
            key: self.variant,
            path: self.path,
        })?;
        Ok((variant, self))
    }
}

impl<'de> Enum<'de, '_> {
    /// The content of a variant that must have one, with its path.
    fn content(&self, expected: &'static str) -> Result<(&'de Value, Path<'_>), FlatError> {
        match self.value {
            Some(value) => Ok((value, self.path.child(Segment::Key(self.variant))?)),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &expected)),
        }
    }
}

impl<'de> VariantAccess<'de> for Enum<'de, '_> {
    type Error = FlatError;

    fn unit_variant(self) -> Result<(), FlatError> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(other),
                &"a unit variant",
            )),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, FlatError> {
        let (value, path) = self.content("a newtype variant")?;
        seed.deserialize(Lenient {
            value,
            path: &path,
            strict: self.strict,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        let (value, path) = self.content("a tuple variant")?;
        Lenient {
            value,
            path: &path,
            strict: self.strict,
        }
        .deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FlatError> {
        let (value, path) = self.content("a struct variant")?;
        Lenient {
            value,
            path: &path,
            strict: self.strict,
        }
        .deserialize_any(visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

    use super::*;

    fn flat(name: &str, value: Value, style: Style, base: Base) -> Vec<(String, String)> {
        let mut out = Vec::new();
        flatten_into(&mut out, name, &value, style, base);
        out
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn tencent_filters_flatten_from_zero() {
        let out = flat(
            "Filters",
            json!([{"Name": "zone", "Values": ["ap-guangzhou-1", "ap-guangzhou-2"]}]),
            Style::Flat,
            Base::Zero,
        );
        assert_eq!(
            out,
            pairs(&[
                ("Filters.0.Name", "zone"),
                ("Filters.0.Values.0", "ap-guangzhou-1"),
                ("Filters.0.Values.1", "ap-guangzhou-2"),
            ])
        );
    }

    #[test]
    fn alibaba_tags_flatten_from_one() {
        let out = flat(
            "Tag",
            json!([{"Key": "k", "Value": "v"}, {"Key": "k2", "Value": "v2"}]),
            Style::Flat,
            Base::One,
        );
        assert_eq!(
            out,
            pairs(&[
                ("Tag.1.Key", "k"),
                ("Tag.1.Value", "v"),
                ("Tag.2.Key", "k2"),
                ("Tag.2.Value", "v2"),
            ])
        );
    }

    #[test]
    fn scalars_are_written_bare() {
        let mut out = Vec::new();
        flatten_into(&mut out, "S", &json!("a b\"c"), Style::Flat, Base::One);
        flatten_into(&mut out, "I", &json!(-5), Style::Flat, Base::One);
        flatten_into(&mut out, "F", &json!(0.5), Style::Flat, Base::One);
        flatten_into(&mut out, "B", &json!(false), Style::Flat, Base::One);
        flatten_into(&mut out, "E", &json!(""), Style::Flat, Base::One);
        flatten_into(&mut out, "Sim", &json!("x"), Style::Simple, Base::One);
        assert_eq!(
            out,
            pairs(&[
                ("S", "a b\"c"),
                ("I", "-5"),
                ("F", "0.5"),
                ("B", "false"),
                ("E", ""),
                ("Sim", "x"),
            ])
        );
    }

    #[test]
    fn shrink_writes_one_json_text() {
        let out = flat("InstanceIds", json!(["i-1", "i-2"]), Style::Json, Base::One);
        assert_eq!(out, pairs(&[("InstanceIds", r#"["i-1","i-2"]"#)]));
        let out = flat("Tags", json!({"a": [1, true]}), Style::Json, Base::One);
        assert_eq!(out, pairs(&[("Tags", r#"{"a":[1,true]}"#)]));
        // A string in JSON style is JSON text too, so that it reads back.
        let out = flat("Name", json!("a"), Style::Json, Base::One);
        assert_eq!(out, pairs(&[("Name", r#""a""#)]));
        let back = unflatten(&out, Base::One, &["Name"], &[]).unwrap();
        assert_eq!(back, json!({"Name": "a"}));
    }

    #[test]
    fn simple_joins_scalars_and_falls_back_to_json() {
        let out = flat("Ids", json!(["a", "b", 3, true]), Style::Simple, Base::One);
        assert_eq!(out, pairs(&[("Ids", "a,b,3,true")]));
        let out = flat("Ids", json!([["a"], "b"]), Style::Simple, Base::One);
        assert_eq!(out, pairs(&[("Ids", r#"[["a"],"b"]"#)]));
        let out = flat("Ids", json!(["a", null]), Style::Simple, Base::One);
        assert_eq!(out, pairs(&[("Ids", r#"["a",null]"#)]));
        let out = flat("M", json!({"k": "v"}), Style::Simple, Base::One);
        assert_eq!(out, pairs(&[("M", r#"{"k":"v"}"#)]));
        let back = unflatten(&pairs(&[("Ids", "a,b")]), Base::One, &[], &["Ids"]).unwrap();
        assert_eq!(back, json!({"Ids": ["a", "b"]}));
        let back = unflatten(&pairs(&[("Ids", "")]), Base::One, &[], &["Ids"]).unwrap();
        assert_eq!(back, json!({"Ids": []}));
    }

    #[test]
    fn maps_flatten_by_key() {
        let out = flat(
            "Labels",
            json!({"env": "prod", "team": {"name": "core"}}),
            Style::Flat,
            Base::Zero,
        );
        assert_eq!(
            out,
            pairs(&[("Labels.env", "prod"), ("Labels.team.name", "core")])
        );
    }

    #[test]
    fn nested_lists_of_lists() {
        let value = json!([["a", "b"], ["c"]]);
        let out = flat("X", value.clone(), Style::Flat, Base::One);
        assert_eq!(
            out,
            pairs(&[("X.1.1", "a"), ("X.1.2", "b"), ("X.2.1", "c")])
        );
        let out0 = flat("X", value.clone(), Style::Flat, Base::Zero);
        assert_eq!(
            out0,
            pairs(&[("X.0.0", "a"), ("X.0.1", "b"), ("X.1.0", "c")])
        );
        assert_eq!(
            unflatten(&out, Base::One, &[], &[]).unwrap(),
            json!({ "X": value })
        );
    }

    #[test]
    fn null_and_empty_add_nothing() {
        for style in [Style::Flat, Style::Json, Style::Simple] {
            for value in [json!(null), json!([]), json!({})] {
                assert!(flat("P", value, style, Base::One).is_empty(), "{style:?}");
            }
        }
        let out = flat(
            "P",
            json!({"A": null, "B": [], "C": {}, "D": {"E": null}, "F": "f"}),
            Style::Flat,
            Base::One,
        );
        assert_eq!(out, pairs(&[("P.F", "f")]));
        // Indexes stay positional: an absent element leaves its index out.
        let out = flat("L", json!(["a", null, "c"]), Style::Flat, Base::One);
        assert_eq!(out, pairs(&[("L.1", "a"), ("L.3", "c")]));
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Kind {
        #[serde(rename = "standard")]
        Standard,
        #[serde(rename = "premium")]
        Premium,
    }

    #[derive(Debug, PartialEq)]
    enum Zone {
        Guangzhou,
        Unknown(String),
    }
    crate::codec::tolerant::string_enum_impls!(Zone { Guangzhou => "ap-guangzhou" });

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Filter {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Values", default, skip_serializing_if = "Vec::is_empty")]
        values: Vec<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Placement {
        #[serde(rename = "Zone")]
        zone: Zone,
        #[serde(rename = "ProjectId", default, skip_serializing_if = "Option::is_none")]
        project_id: Option<u64>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Request {
        #[serde(rename = "Offset")]
        offset: i64,
        #[serde(rename = "Limit")]
        limit: u64,
        #[serde(rename = "Ratio")]
        ratio: f64,
        #[serde(rename = "DryRun")]
        dry_run: bool,
        #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(rename = "Missing", default, skip_serializing_if = "Option::is_none")]
        missing: Option<i64>,
        #[serde(rename = "Period", default, skip_serializing_if = "Option::is_none")]
        period: Option<i64>,
        #[serde(rename = "Ports", default, skip_serializing_if = "Vec::is_empty")]
        ports: Vec<u64>,
        #[serde(rename = "InstanceIds", default, skip_serializing_if = "Vec::is_empty")]
        instance_ids: Vec<String>,
        #[serde(rename = "Flags", default, skip_serializing_if = "Vec::is_empty")]
        flags: Vec<bool>,
        #[serde(rename = "Labels", default, skip_serializing_if = "BTreeMap::is_empty")]
        labels: BTreeMap<String, i64>,
        #[serde(rename = "Filters", default, skip_serializing_if = "Vec::is_empty")]
        filters: Vec<Filter>,
        #[serde(rename = "Placement")]
        placement: Placement,
        #[serde(rename = "Kind")]
        kind: Kind,
        #[serde(rename = "Extra", default, skip_serializing_if = "Value::is_null")]
        extra: Value,
    }

    fn style_of(name: &str) -> Style {
        match name {
            "InstanceIds" | "Extra" => Style::Json,
            "Ports" => Style::Simple,
            _ => Style::Flat,
        }
    }

    fn sample() -> Request {
        Request {
            offset: -3,
            limit: u64::MAX,
            ratio: 0.25,
            dry_run: true,
            name: Some("web, \"1\"".into()),
            missing: None,
            period: Some(12),
            ports: vec![80, 443],
            instance_ids: vec!["i-1".into(), "i-2".into()],
            flags: vec![true, false],
            labels: BTreeMap::from([("env".into(), 1), ("team".into(), -2)]),
            filters: vec![
                Filter {
                    name: "zone".into(),
                    values: vec!["ap-guangzhou-1".into(), "ap-guangzhou-2".into()],
                },
                Filter {
                    name: "vpc".into(),
                    values: Vec::new(),
                },
            ],
            placement: Placement {
                zone: Zone::Unknown("ap-beijing".into()),
                project_id: Some(0),
            },
            kind: Kind::Premium,
            extra: json!({"n": 1.5, "list": [null, true, "s"]}),
        }
    }

    fn flatten_request(req: &Request, base: Base) -> Vec<(String, String)> {
        let Value::Object(members) = serde_json::to_value(req).unwrap() else {
            panic!("a request is an object");
        };
        let mut out = Vec::new();
        for (name, value) in &members {
            flatten_into(&mut out, name, value, style_of(name), base);
        }
        out
    }

    #[test]
    fn round_trip_through_a_derived_struct() {
        for base in [Base::Zero, Base::One] {
            let req = sample();
            let query = flatten_request(&req, base);
            let first = if base == Base::One { "1" } else { "0" };
            assert!(query.contains(&(
                format!("Filters.{first}.Values.{first}"),
                "ap-guangzhou-1".into()
            )));
            assert!(query.contains(&("Ports".into(), "80,443".into())));
            assert!(query.contains(&("InstanceIds".into(), r#"["i-1","i-2"]"#.into())));
            assert!(query.contains(&("Limit".into(), "18446744073709551615".into())));
            assert!(!query.iter().any(|(k, _)| k == "Missing"));
            let tree = unflatten(&query, base, &["InstanceIds", "Extra"], &["Ports"]).unwrap();
            assert_eq!(tree["Offset"], json!("-3"));
            let back: Request = from_value_lenient(tree).unwrap();
            assert_eq!(back, req);
        }
    }

    #[test]
    fn lenient_accepts_real_values_too() {
        let tree = json!({
            "Offset": 1, "Limit": "2", "Ratio": 3, "DryRun": "TRUE", "Missing": null,
            "Ports": 8080, "Flags": "0", "Placement": {"Zone": "ap-guangzhou"},
            "Kind": "standard", "Filters": {"Name": "one"}
        });
        let req: Request = from_value_lenient(tree).unwrap();
        assert_eq!(req.ports, vec![8080]);
        assert_eq!(req.flags, vec![false]);
        assert_eq!(req.placement.zone, Zone::Guangzhou);
        assert_eq!(req.kind, Kind::Standard);
        assert_eq!(req.missing, None);
        assert_eq!(req.filters.len(), 1);
        assert!(req.dry_run);
        assert_eq!(req.ratio, 3.0);
        // `null` for a list is the empty list.
        let v: Vec<i64> = from_value_lenient(Value::Null).unwrap();
        assert!(v.is_empty());
        // Tuples, newtypes and data-carrying enums go through too.
        #[derive(Debug, PartialEq, Deserialize)]
        struct Id(u32);
        #[derive(Debug, PartialEq, Deserialize)]
        enum Shape {
            Dot,
            Circle(f64),
            Rect { w: u8, h: u8 },
        }
        let t: (Id, i8, String) = from_value_lenient(json!(["7", "-8", "x"])).unwrap();
        assert_eq!(t, (Id(7), -8, "x".into()));
        let s: Vec<Shape> =
            from_value_lenient(json!(["Dot", {"Circle": "1.5"}, {"Rect": {"w": "2", "h": 3}}]))
                .unwrap();
        assert_eq!(
            s,
            vec![Shape::Dot, Shape::Circle(1.5), Shape::Rect { w: 2, h: 3 }]
        );
        let m: BTreeMap<u16, bool> = from_value_lenient(json!({"1": "true", "20": false})).unwrap();
        assert_eq!(m, BTreeMap::from([(1, true), (20, false)]));
    }

    fn lenient_err<T: DeserializeOwned + std::fmt::Debug>(value: Value) -> FlatError {
        from_value_lenient::<T>(value).unwrap_err()
    }

    #[test]
    fn lenient_errors_name_the_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct F {
            #[serde(rename = "Values")]
            values: Vec<i64>,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct R {
            #[serde(rename = "Filters")]
            filters: Vec<F>,
        }
        let e = lenient_err::<R>(json!({"Filters": [{"Values": ["1", "x"]}]}));
        assert_eq!(e.path(), "Filters[0].Values[1]");
        assert!(e.message().contains("\"x\""), "{e}");
        assert!(e.message().contains("integer"), "{e}");
        assert_eq!(
            e.to_string(),
            format!("Filters[0].Values[1]: {}", e.message())
        );

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Tag {
            #[serde(rename = "Key")]
            key: u8,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct T {
            #[serde(rename = "Tag")]
            tag: Vec<Tag>,
        }
        // Out of range for the target, though a valid integer.
        let e = lenient_err::<T>(json!({"Tag": [{"Key": "300"}]}));
        assert_eq!(e.path(), "Tag[0].Key");
        // A required field missing is reported at its structure.
        let e = lenient_err::<T>(json!({"Tag": [{"Key": "1"}, {}]}));
        assert_eq!(e.path(), "Tag[1]");
        assert!(e.message().contains("missing field `Key`"), "{e}");
        // A number is not a string.
        let e = lenient_err::<Filter>(json!({"Name": 5}));
        assert_eq!(e.path(), "Name");
        // A bad boolean, an unknown enum variant, a map where a list of scalars belongs.
        let e = lenient_err::<Request>(json!({"DryRun": "yes"}));
        assert_eq!(e.path(), "DryRun");
        let e = lenient_err::<Vec<Kind>>(json!(["standard", "gold"]));
        assert_eq!(e.path(), "[1]");
        assert!(e.message().contains("gold"), "{e}");
        let e = lenient_err::<BTreeMap<String, Vec<u8>>>(json!({"a.b": [{"x": 1}]}));
        assert_eq!(e.path(), "a.b[0]");
        // At the top.
        let e = lenient_err::<i64>(json!("1.5"));
        assert_eq!(e.path(), ".");
        assert_eq!(e.to_string(), e.message());
    }

    #[test]
    fn lenient_depth_is_bounded() {
        let mut v = json!("1");
        for _ in 0..(MAX_VALUE_DEPTH + 5) {
            v = json!([v]);
        }
        let e = lenient_err::<Value>(v);
        assert!(e.message().contains("nested deeper"), "{e}");
        let mut v = json!("1");
        for _ in 0..(MAX_VALUE_DEPTH - 1) {
            v = json!([v]);
        }
        assert!(from_value_lenient::<Value>(v).is_ok());
    }

    fn unflatten_err(list: &[(&str, &str)], base: Base) -> FlatError {
        unflatten(&pairs(list), base, &["Json"], &[]).unwrap_err()
    }

    #[test]
    fn unflatten_builds_ordered_lists() {
        let tree = unflatten(
            &pairs(&[
                ("Tag.2.Key", "b"),
                ("Tag.10.Key", "j"),
                ("Tag.1.Key", "a"),
                ("Tag.3.Key", "c"),
                ("Tag.4.Key", "d"),
                ("Tag.5.Key", "e"),
                ("Tag.6.Key", "f"),
                ("Tag.7.Key", "g"),
                ("Tag.8.Key", "h"),
                ("Tag.9.Key", "i"),
                ("Region", "cn"),
            ]),
            Base::One,
            &[],
            &[],
        )
        .unwrap();
        let keys: Vec<&str> = tree["Tag"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["Key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
        assert_eq!(tree["Region"], json!("cn"));
    }

    #[test]
    fn unflatten_errors_name_the_key() {
        let e = unflatten_err(&[("Tag.1.Key", "a"), ("Tag.3.Key", "c")], Base::One);
        assert_eq!(e.path(), "Tag.3.Key");
        assert!(e.message().contains("index 3 follows 1"), "{e}");
        let e = unflatten_err(&[("Tag.2.Key", "a")], Base::One);
        assert_eq!(e.path(), "Tag.2.Key");
        assert!(e.message().contains("starts at index 2"), "{e}");
        let e = unflatten_err(&[("Tag.0.Key", "a")], Base::One);
        assert_eq!(e.path(), "Tag.0.Key");
        assert!(e.message().contains("below the first index 1"), "{e}");
        // Leaf and parent, in both orders.
        let e = unflatten_err(&[("A", "1"), ("A.B", "2")], Base::Zero);
        assert_eq!(e.path(), "A");
        assert!(e.message().contains("both a value and keys"), "{e}");
        let e = unflatten_err(&[("A.B", "2"), ("A", "1")], Base::Zero);
        assert_eq!(e.path(), "A");
        let e = unflatten_err(&[("A.0", "2"), ("A.0.C", "1")], Base::Zero);
        assert_eq!(e.path(), "A.0");
        // Depth.
        let deep = vec!["A"; MAX_DEPTH + 1].join(".");
        let e = unflatten_err(&[(deep.as_str(), "x")], Base::Zero);
        assert_eq!(e.path(), deep);
        assert!(e.message().contains("at most 64"), "{e}");
        let ok = vec!["A"; MAX_DEPTH].join(".");
        assert!(unflatten(&pairs(&[(ok.as_str(), "x")]), Base::Zero, &[], &[]).is_ok());
        // Absurd indexes: refused before anything is allocated for them.
        let e = unflatten_err(&[("Tag.99999999.Key", "x")], Base::One);
        assert_eq!(e.path(), "Tag.99999999.Key");
        assert!(e.message().contains("above the limit"), "{e}");
        let e = unflatten_err(&[("Tag.99999999999999999999999.Key", "x")], Base::One);
        assert!(e.message().contains("above the limit"), "{e}");
        // A just-allowed index is still a gap when alone.
        let e = unflatten_err(&[("Tag.65535", "x")], Base::One);
        assert!(e.message().contains("starts at index 65535"), "{e}");
        // Bad JSON in a JSON parameter.
        let e = unflatten_err(&[("Json", "[\"i-1\",")], Base::One);
        assert_eq!(e.path(), "Json");
        assert!(e.message().contains("not JSON"), "{e}");
        // Other malformed keys.
        let e = unflatten_err(&[("A", "1"), ("A", "2")], Base::One);
        assert!(e.message().contains("more than once"), "{e}");
        let e = unflatten_err(&[("A.1", "1"), ("A.B", "2")], Base::One);
        assert_eq!(e.path(), "A");
        assert!(e.message().contains("both list indexes and names"), "{e}");
        let e = unflatten_err(&[("A..B", "1")], Base::One);
        assert!(e.message().contains("empty segment"), "{e}");
        let e = unflatten_err(&[("A.01", "1")], Base::One);
        assert!(e.message().contains("leading zero"), "{e}");
        let e = unflatten_err(&[("", "1")], Base::One);
        assert_eq!(e.path(), ".");
    }

    /// A random tree of strings with non-empty containers and names that are not indexes.
    fn random_tree(rng: &mut fastrand::Rng, depth: usize) -> Value {
        const CHARS: &[char] = &['a', 'Z', '0', ',', '=', '&', ' ', '"', '中', '-', '%'];
        let kind = if depth == 0 { 0 } else { rng.usize(0..3) };
        match kind {
            0 => Value::String(
                (0..rng.usize(0..6))
                    .map(|_| CHARS[rng.usize(..CHARS.len())])
                    .collect(),
            ),
            1 => Value::Array(
                (0..rng.usize(1..12))
                    .map(|_| random_tree(rng, depth - 1))
                    .collect(),
            ),
            _ => {
                let mut members = BTreeMap::new();
                for _ in 0..rng.usize(1..4) {
                    let name: String = (0..rng.usize(1..4))
                        .map(|_| ['K', 'v', '_', '9'][rng.usize(..4)])
                        .collect();
                    members.insert(format!("N{name}"), random_tree(rng, depth - 1));
                }
                Value::Object(members.into_iter().collect())
            }
        }
    }

    #[test]
    fn flatten_and_unflatten_are_inverse_on_string_trees() {
        for seed in 0..300 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let base = if seed % 2 == 0 { Base::Zero } else { Base::One };
            let mut params = BTreeMap::new();
            let mut json_params = Vec::new();
            for p in 0..rng.usize(1..5) {
                let name = format!("P{p}");
                let style = if rng.usize(0..4) == 0 {
                    Style::Json
                } else {
                    Style::Flat
                };
                if style == Style::Json {
                    json_params.push(name.clone());
                }
                params.insert(name, (random_tree(&mut rng, 4), style));
            }
            let json_refs: Vec<&str> = json_params.iter().map(String::as_str).collect();
            let mut query = Vec::new();
            for (name, (value, style)) in &params {
                flatten_into(&mut query, name, value, *style, base);
            }
            let tree = unflatten(&query, base, &json_refs, &[]).unwrap();
            let expected: Map<String, Value> = params
                .iter()
                .map(|(k, (v, _))| (k.clone(), v.clone()))
                .collect();
            assert_eq!(tree, Value::Object(expected.clone()), "seed {seed}");
            // And back: the tree flattens to the same query.
            let mut again = Vec::new();
            for (name, value) in tree.as_object().unwrap() {
                flatten_into(&mut again, name, value, params[name].1, base);
            }
            assert_eq!(again, query, "seed {seed}");
            // The lenient deserializer reads it as a plain Value unchanged.
            let read: Value = from_value_lenient(tree).unwrap();
            assert_eq!(read, Value::Object(expected), "seed {seed}");
        }
    }
}

#[cfg(test)]
mod strict_tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Req {
        #[serde(rename = "Filters", default)]
        filters: Option<Vec<F>>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct F {
        #[serde(rename = "Name")]
        name: Option<String>,
    }

    #[test]
    fn unknown_members_are_refused_at_any_depth() {
        let strict = Strictness::default().unknown_fields(true);
        let e = from_value_checked::<Req>(json!({"Bogus": 1}), strict).unwrap_err();
        assert!(e.is_unknown_parameter(), "{e}");
        let e = from_value_checked::<Req>(json!({"Filters": [{"Nmae": "x"}]}), strict).unwrap_err();
        assert_eq!(e.path(), "Filters[0].Nmae");
        let e = from_value_checked::<Req>(json!({"Filters": {"Name": "x"}}), strict).unwrap_err();
        assert!(!e.is_unknown_parameter(), "{e}");
        assert!(from_value_lenient::<Req>(json!({"Bogus": 1})).is_ok());
    }
}
