//! Tolerant decoding: what real servers send, not only what documents print.
//!
//! Integers and booleans arrive as numbers or as strings (`"TotalCount": "1"`,
//! `"Active": "true"`), lists arrive as arrays, as a single object (XML with one
//! element) or as a bare string (`"Params": "无"`), and `null` means absent. What each
//! wire value is accepted as is the tolerance rule of [`cloudapi_protocol::tolerance`],
//! which the code generator's example checker applies too; this module is its serde side.
//! Alibaba Cloud wraps most lists in an object (`{"Regions": {"Region": [...]}}`), which
//! [`wrapped`] flattens; string-keyed maps are read by [`map`].
//! Generated fields use [`opt`], [`list`], [`wrapped`] and [`map`]; element types implement
//! [`Tolerant`]. Response structures get `Deserialize`, `Serialize` and [`Tolerant`] from
//! `wire_struct!` (see [`WireStruct`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use cloudapi_protocol::tolerance::{self, Scalar};
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{SerializeMap, Serializer};

/// A type decoded leniently from whatever shape the wire uses for it.
pub trait Tolerant: Sized {
    /// Decodes `Self`, accepting the wire's variants of the documented shape.
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Implements [`Tolerant`] through `Deserialize`; used by `wire_struct!` and
/// `string_enum_impls!`, so every generated structure and enum has it.
#[macro_export]
#[doc(hidden)]
macro_rules! __tolerant_via_deserialize {
    ($t:ty) => {
        impl $crate::codec::tolerant::Tolerant for $t {
            fn deserialize_tolerant<'de, D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <$t as ::serde::Deserialize>::deserialize(d)
            }
        }
    };
}

/// Decodes an optional field: `null` or absent is `None`.
pub fn opt<'de, D: Deserializer<'de>, T: Tolerant>(d: D) -> Result<Option<T>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: Tolerant> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a value or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            T::deserialize_tolerant(d).map(Some)
        }
    }
    d.deserialize_option(V(PhantomData))
}

/// Decodes a list field: an array, a single element, a bare string, or `null` (empty).
pub fn list<'de, D: Deserializer<'de>, T: Tolerant>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_option(ListVisitor(PhantomData))
}

/// An array element: `null` is `None` (skipped).
struct Element<T>(PhantomData<T>);

impl<'de, T: Tolerant> DeserializeSeed<'de> for Element<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        opt(d)
    }
}

/// The shapes of a list, for [`list`] and [`wrapped`].
struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Tolerant> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Element::<T>(PhantomData))? {
            // `null` elements carry nothing; they are skipped.
            if let Some(item) = item {
                out.push(item);
            }
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize_tolerant(de::value::MapAccessDeserializer::new(map)).map(|v| vec![v])
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if tolerance::is_empty_list_text(v) {
            return Ok(Vec::new());
        }
        T::deserialize_tolerant(v.into_deserializer()).map(|v| vec![v])
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::deserialize_tolerant(v.into_deserializer()).map(|v| vec![v])
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::deserialize_tolerant(v.into_deserializer()).map(|v| vec![v])
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::deserialize_tolerant(v.into_deserializer()).map(|v| vec![v])
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::deserialize_tolerant(v.into_deserializer()).map(|v| vec![v])
    }
}

/// Decodes a wrapped list field, Alibaba Cloud's `{"Regions": {"Region": [...]}}` (in XML
/// `<Regions><Region>..</Region></Regions>`), into the list under `key` (`"Region"`).
///
/// The member `key` is read as by [`list`] (an array, or one element as XML gives it);
/// other members are ignored. `null`, `""` (an empty XML element, `<Regions/>`), blank
/// text and an object without `key` (`{}`) are the empty list. The unwrapped form (a bare
/// array, or another shape [`list`] reads) is accepted too.
pub fn wrapped<'de, D: Deserializer<'de>, T: Tolerant>(
    d: D,
    key: &'static str,
) -> Result<Vec<T>, D::Error> {
    d.deserialize_option(WrappedVisitor {
        key,
        list: ListVisitor(PhantomData),
    })
}

struct WrappedVisitor<T> {
    key: &'static str,
    list: ListVisitor<T>,
}

impl<'de, T: Tolerant> Visitor<'de> for WrappedVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list (wrapped in an object's `{}` member)", self.key)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.as_str() == self.key {
                out.extend(map.next_value_seed(List::<T>::default())?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.list.visit_seq(seq)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if tolerance::is_empty_structure_text(v) {
            return Ok(Vec::new());
        }
        self.list.visit_str(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.list.visit_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.list.visit_u64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.list.visit_f64(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.list.visit_bool(v)
    }
}

/// Decodes a map field (an object with string keys): values as `T` reads them, `null`
/// values skipped; `null`, `""` (an empty XML element), blank text and `[]` are the
/// empty map. In XML a map is an element whose children are its keys.
pub fn map<'de, D: Deserializer<'de>, T: Tolerant>(d: D) -> Result<BTreeMap<String, T>, D::Error> {
    BTreeMap::deserialize_tolerant(d)
}

/// A list nested in a list or a map (`list<list<T>>`, `map<list<T>>`) is read as tolerantly
/// as a list field: an array, one element, a bare string, or `null` for none.
impl<T: Tolerant> Tolerant for Vec<T> {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        list(d)
    }
}

impl<T: Tolerant> Tolerant for BTreeMap<String, T> {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Tolerant> Visitor<'de> for V<T> {
            type Value = BTreeMap<String, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map (an object)")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(BTreeMap::new())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(BTreeMap::new())
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                d.deserialize_any(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    if let Some(value) = map.next_value_seed(Opt::<T>::default())? {
                        out.insert(key.0.into_owned(), value);
                    }
                }
                Ok(out)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                empty_seq_as_default(seq, "a map (an object)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                empty_str_as_default(v, "a map (an object)")
            }
        }
        d.deserialize_option(V(PhantomData))
    }
}

// The scalars below apply `cloudapi_protocol::tolerance` (which decides what each wire
// kind is accepted as) and keep only serde's plumbing and their error messages here.

impl Tolerant for i64 {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = i64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer (as a number or a string)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
                tolerance::integer(Scalar::Signed(v))
                    .ok_or_else(|| E::custom(format!("expected an integer, found {v}")))
            }
            // A flag documented as 0/1 that the server sends as a boolean (Tencent's
            // `IsSelected`): booleans and integers accept each other's encodings.
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<i64, E> {
                tolerance::integer(Scalar::Bool(v))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Bool(v), &self))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
                tolerance::integer(Scalar::Unsigned(v))
                    .ok_or_else(|| E::custom(format!("integer {v} is out of range")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
                tolerance::integer(Scalar::Float(v))
                    .ok_or_else(|| E::custom(format!("expected an integer, found {v}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
                tolerance::integer(Scalar::Text(v)).ok_or_else(|| {
                    E::custom(format!("expected an integer, found the string {v:?}"))
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl Tolerant for u64 {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = u64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a non-negative integer (as a number or a string)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
                tolerance::unsigned(Scalar::Unsigned(v))
                    .ok_or_else(|| E::custom(format!("expected a non-negative integer, found {v}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
                tolerance::unsigned(Scalar::Signed(v))
                    .ok_or_else(|| E::custom(format!("expected a non-negative integer, found {v}")))
            }
            // As for `i64`: a 0/1 flag may arrive as a boolean.
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<u64, E> {
                tolerance::unsigned(Scalar::Bool(v))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Bool(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
                tolerance::unsigned(Scalar::Float(v))
                    .ok_or_else(|| E::custom(format!("expected a non-negative integer, found {v}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
                tolerance::unsigned(Scalar::Text(v)).ok_or_else(|| {
                    E::custom(format!(
                        "expected a non-negative integer, found the string {v:?}"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

crate::__tolerant_via_deserialize!(serde_json::Value);

impl Tolerant for f64 {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = f64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number (as a number or a string)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
                tolerance::float(Scalar::Signed(v))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Signed(v), &self))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
                tolerance::float(Scalar::Unsigned(v))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
                tolerance::float(Scalar::Float(v))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Float(v), &self))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<f64, E> {
                tolerance::float(Scalar::Bool(v))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Bool(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
                tolerance::float(Scalar::Text(v))
                    .ok_or_else(|| E::custom(format!("expected a number, found the string {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

impl Tolerant for bool {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean (true/false, as a boolean, a string or 0/1)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
                tolerance::boolean(Scalar::Bool(v))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Bool(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
                tolerance::boolean(Scalar::Signed(v))
                    .ok_or_else(|| E::custom(format!("expected a boolean, found {v}")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
                tolerance::boolean(Scalar::Unsigned(v))
                    .ok_or_else(|| E::custom(format!("expected a boolean, found {v}")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
                tolerance::boolean(Scalar::Float(v))
                    .ok_or_else(|| E::invalid_type(de::Unexpected::Float(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
                tolerance::boolean(Scalar::Text(v))
                    .ok_or_else(|| E::custom(format!("expected a boolean, found the string {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

impl Tolerant for String {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl V {
            fn read<E: de::Error>(self, v: Scalar<'_>, u: de::Unexpected<'_>) -> Result<String, E> {
                tolerance::string(v)
                    .map(Cow::into_owned)
                    .ok_or_else(|| E::invalid_type(u, &self))
            }
        }
        impl Visitor<'_> for V {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
                self.read(Scalar::Text(v), de::Unexpected::Str(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
                // Text as is (the rule never changes text), without a copy.
                Ok(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
                self.read(Scalar::Signed(v), de::Unexpected::Signed(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
                self.read(Scalar::Unsigned(v), de::Unexpected::Unsigned(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
                self.read(Scalar::Float(v), de::Unexpected::Float(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
                self.read(Scalar::Bool(v), de::Unexpected::Bool(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A string enum generated from a spec: known values plus a fallback for new ones.
pub trait StringEnum: for<'a> From<&'a str> {
    /// The documented values, in spec order.
    const VALUES: &'static [&'static str];
    /// The value as sent on the wire.
    fn as_str(&self) -> &str;
    /// Whether the value is one the spec documents.
    fn is_known(&self) -> bool;
}

/// Decodes a string enum from a string (or a number, as some servers send).
pub fn string_enum<'de, D: Deserializer<'de>, T: StringEnum>(d: D) -> Result<T, D::Error> {
    String::deserialize_tolerant(d).map(|s| T::from(s.as_str()))
}

/// Everything a generated string enum needs besides its definition, written once here:
/// [`StringEnum`], `From<&str>` (unknown values kept in `Unknown`), `as_str`, `Display`,
/// `Serialize`, `Deserialize` and [`Tolerant`]. Each enum lists its variants and values:
/// `string_enum_impls!(SortType { Asc => "asc", Desc => "desc" })`.
#[macro_export]
#[doc(hidden)]
macro_rules! __string_enum_impls {
    ($t:ident { $($variant:ident => $value:literal),* $(,)? }) => {
        impl $crate::codec::tolerant::StringEnum for $t {
            const VALUES: &'static [&'static str] = &[$($value),*];
            fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(v) => v,
                }
            }
            fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }
        impl ::std::convert::From<&str> for $t {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }
        impl $t {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                $crate::codec::tolerant::StringEnum::as_str(self)
            }
        }
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::codec::tolerant::string_enum(deserializer)
            }
        }
        $crate::__tolerant_via_deserialize!($t);
    };
}
pub use crate::__string_enum_impls as string_enum_impls;

/// Seed for an optional field (`null` or absent is `None`), shared by every field of type `T`.
#[derive(Debug)]
pub struct Opt<T>(PhantomData<T>);

impl<T> Default for Opt<T> {
    fn default() -> Self {
        Opt(PhantomData)
    }
}

impl<'de, T: Tolerant> DeserializeSeed<'de> for Opt<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        opt(d)
    }
}

/// Seed for a list field, shared by every list of `T`.
#[derive(Debug)]
pub struct List<T>(PhantomData<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(PhantomData)
    }
}

impl<'de, T: Tolerant> DeserializeSeed<'de> for List<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        list(d)
    }
}

/// Seed for a wrapped list field ([`wrapped`]), shared by every wrapped list of `T`.
#[derive(Debug)]
pub struct Wrapped<T> {
    key: &'static str,
    _element: PhantomData<T>,
}

impl<T> Wrapped<T> {
    /// The seed for a list wrapped in an object's member `key` (`"Region"`).
    pub fn new(key: &'static str) -> Self {
        Wrapped {
            key,
            _element: PhantomData,
        }
    }
}

impl<'de, T: Tolerant> DeserializeSeed<'de> for Wrapped<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        wrapped(d, self.key)
    }
}

/// Seed for a map field ([`map`]), shared by every map of `T`.
#[derive(Debug)]
pub struct Map<T>(PhantomData<T>);

impl<T> Default for Map<T> {
    fn default() -> Self {
        Map(PhantomData)
    }
}

impl<'de, T: Tolerant> DeserializeSeed<'de> for Map<T> {
    type Value = BTreeMap<String, T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        map(d)
    }
}

/// A map key, borrowed from the input where possible.
#[derive(Debug)]
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        d.deserialize_identifier(V)
    }
}

/// An empty sequence where a structure is expected (`[]` from PHP-style servers) is the
/// structure with every field absent; a non-empty one is an error.
pub fn empty_seq_as_default<'de, T: Default, A: SeqAccess<'de>>(
    mut seq: A,
    expecting: &'static str,
) -> Result<T, A::Error> {
    match seq.next_element::<de::IgnoredAny>()? {
        None => Ok(T::default()),
        Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &expecting)),
    }
}

/// An empty string where a structure is expected (an empty XML element such as `<Data/>`
/// or `<Regions></Regions>`, which reaches the decoder as `""`) is the structure with every
/// field absent; any other string is an error.
pub fn empty_str_as_default<T: Default, E: de::Error>(
    v: &str,
    expecting: &'static str,
) -> Result<T, E> {
    if tolerance::is_empty_structure_text(v) {
        Ok(T::default())
    } else {
        Err(de::Error::invalid_type(de::Unexpected::Str(v), &expecting))
    }
}

/// What `wire_struct!` implements for a generated response structure: the member-by-member
/// part. Everything else (the visitor, the tolerance for `[]` and `""`, the map written by
/// `Serialize`) is written once, generic over the structure, in [`decode_wire_struct`] and
/// [`encode_wire_struct`].
pub trait WireStruct: Default {
    /// What the structure is, for error messages (`the ListUsersResponse structure`).
    const EXPECTING: &'static str;
    /// Decodes the value of the member `key` into its field; an unknown member is skipped.
    fn decode_member<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// Writes the members that are set (absent options, empty lists and maps are left
    /// out), under their wire names.
    fn encode_members<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// Decodes a [`WireStruct`]: an object (unknown members skipped, `null` members absent),
/// or `[]` / `""` (an empty XML element) as the empty structure.
pub fn decode_wire_struct<'de, D: Deserializer<'de>, T: WireStruct>(d: D) -> Result<T, D::Error> {
    InMember::<T>::new(None).deserialize(d)
}

/// Decodes a [`WireStruct`], or with `Some(name)` the structure in the member `name` of
/// an envelope object (Tencent Cloud's `{"Response": {...}}`), other members skipped.
///
/// The envelope is read by the structure's own visitor, so a model costs one
/// instantiation of the deserializer whether it is enveloped or nested.
#[doc(hidden)]
pub struct InMember<T> {
    member: Option<&'static str>,
    _model: PhantomData<T>,
}

impl<T> InMember<T> {
    /// The seed: the structure itself (`None`), or the one in the member `name`.
    pub fn new(member: Option<&'static str>) -> Self {
        InMember {
            member,
            _model: PhantomData,
        }
    }
}

/// What [`InMember`] expects, written once for every model.
fn expecting_in_member(
    f: &mut fmt::Formatter,
    model: &str,
    member: Option<&'static str>,
) -> fmt::Result {
    match member {
        None => f.write_str(model),
        Some(name) => write!(f, "struct Envelope with a `{name}` member"),
    }
}

impl<'de, T: WireStruct> de::DeserializeSeed<'de> for InMember<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: WireStruct> Visitor<'de> for InMember<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        expecting_in_member(f, T::EXPECTING, self.member)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let Some(name) = self.member else {
            let mut out = T::default();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                out.decode_member(key.as_str(), &mut map)?;
            }
            return Ok(out);
        };
        let mut found = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.as_str() != name {
                map.next_value::<de::IgnoredAny>()?;
            } else if found.is_some() {
                return Err(de::Error::duplicate_field(name));
            } else {
                found = Some(map.next_value_seed(InMember::<T>::new(None))?);
            }
        }
        found.ok_or_else(|| de::Error::missing_field(name))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        match self.member {
            None => empty_seq_as_default(seq, T::EXPECTING),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        match self.member {
            None => empty_str_as_default(v, T::EXPECTING),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Str(v), &self)),
        }
    }
}

/// Serializes a [`WireStruct`] as a map of its set members under their wire names.
pub fn encode_wire_struct<S: Serializer, T: WireStruct>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    v.encode_members(&mut map)?;
    map.end()
}

/// The per-kind pieces `wire_struct!` names as `field::<kind>::seed` (decoding) and
/// `field::<kind>::ser` (encoding): `opt` (`Option<T>`), `list` (`Vec<T>`), `wrapped`
/// (`Vec<T>`, wrapped in an object on the wire) and `map` (`BTreeMap<String, T>`).
#[doc(hidden)]
pub mod field {
    /// `Option<T>`: `null` or absent is `None`; `None` is not written.
    pub mod opt {
        use serde::ser::SerializeMap;
        use serde::Serialize;

        /// The decoding seed.
        pub fn seed<T>() -> super::super::Opt<T> {
            super::super::Opt::default()
        }
        /// Writes `key: value` if set.
        pub fn ser<M: SerializeMap, T: Serialize>(
            map: &mut M,
            key: &'static str,
            value: &Option<T>,
        ) -> Result<(), M::Error> {
            match value {
                Some(v) => map.serialize_entry(key, v),
                None => Ok(()),
            }
        }
    }

    /// `Vec<T>`: see [`list`](super::list); an empty list is not written.
    pub mod list {
        use serde::ser::SerializeMap;
        use serde::Serialize;

        /// The decoding seed.
        pub fn seed<T>() -> super::super::List<T> {
            super::super::List::default()
        }
        /// Writes `key: [..]` if not empty.
        pub fn ser<M: SerializeMap, T: Serialize>(
            map: &mut M,
            key: &'static str,
            value: &[T],
        ) -> Result<(), M::Error> {
            if value.is_empty() {
                return Ok(());
            }
            map.serialize_entry(key, value)
        }
    }

    /// `Vec<T>` wrapped on the wire: see [`wrapped`](super::wrapped); written as
    /// `key: {inner: [..]}`, and not at all when empty.
    pub mod wrapped {
        use serde::ser::SerializeMap;
        use serde::{Serialize, Serializer};

        /// The decoding seed for the list under `inner`.
        pub fn seed<T>(inner: &'static str) -> super::super::Wrapped<T> {
            super::super::Wrapped::new(inner)
        }
        /// Writes `key: {inner: [..]}` if not empty.
        pub fn ser<M: SerializeMap, T: Serialize>(
            map: &mut M,
            key: &'static str,
            inner: &'static str,
            value: &[T],
        ) -> Result<(), M::Error> {
            struct Wrap<'a, T>(&'static str, &'a [T]);
            impl<T: Serialize> Serialize for Wrap<'_, T> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    let mut map = s.serialize_map(Some(1))?;
                    map.serialize_entry(self.0, self.1)?;
                    map.end()
                }
            }
            if value.is_empty() {
                return Ok(());
            }
            map.serialize_entry(key, &Wrap(inner, value))
        }
    }

    /// `BTreeMap<String, T>`: see [`map`](super::map); an empty map is not written.
    pub mod map {
        use std::collections::BTreeMap;

        use serde::ser::SerializeMap;
        use serde::Serialize;

        /// The decoding seed.
        pub fn seed<T>() -> super::super::Map<T> {
            super::super::Map::default()
        }
        /// Writes `key: {..}` if not empty.
        pub fn ser<M: SerializeMap, T: Serialize>(
            map: &mut M,
            key: &'static str,
            value: &BTreeMap<String, T>,
        ) -> Result<(), M::Error> {
            if value.is_empty() {
                return Ok(());
            }
            map.serialize_entry(key, value)
        }
    }
}

/// `Deserialize`, `Serialize` and [`Tolerant`] for a generated response structure, through
/// [`WireStruct`]: each structure lists its members as `(wire name, field, kind: T)`,
/// where the kind gives the field's type: `opt: T` (`Option<T>`), `list: T` (`Vec<T>`),
/// `wrapped("Region"): T` (`Vec<T>`, wrapped in an object on the wire, see [`wrapped`])
/// and `map: T` (`BTreeMap<String, T>`). Decoding is tolerant as [`decode_wire_struct`]
/// says; `Serialize` writes the set members under their wire names. The structure
/// implements `Default`.
///
/// ```
/// # use std::collections::BTreeMap;
/// #[derive(Debug, Default, PartialEq)]
/// struct Zone {
///     zone_id: Option<String>,
///     instance_ids: Vec<String>,
///     tags: BTreeMap<String, String>,
/// }
/// cloudapi_runtime::codec::tolerant::wire_struct!(
///     Zone,
///     "the Zone structure",
///     ("ZoneId", zone_id, opt: String),
///     ("InstanceIds", instance_ids, wrapped("InstanceId"): String),
///     ("Tags", tags, map: String),
/// );
/// let z: Zone = serde_json::from_str(
///     r#"{"ZoneId": "cn-hangzhou-a", "InstanceIds": {"InstanceId": ["i-1", "i-2"]}}"#,
/// ).unwrap();
/// assert_eq!(z.instance_ids, ["i-1", "i-2"]);
/// assert_eq!(
///     serde_json::to_string(&z).unwrap(),
///     r#"{"ZoneId":"cn-hangzhou-a","InstanceIds":{"InstanceId":["i-1","i-2"]}}"#,
/// );
/// ```
///
/// Generated code writes each field once, defining the structure in the same invocation:
/// `wire_struct! { #[derive(..)] pub struct Zone { "ZoneId" zone_id: opt String, .. } }`
/// declares `pub zone_id: Option<String>` (`list T`/`wrapped "Item" T`: `Vec<T>`, `map T`:
/// `BTreeMap<String, T>`) with its attributes, and implements the above.
///
/// ```
/// cloudapi_runtime::codec::tolerant::wire_struct! {
///     /// A zone.
///     #[derive(Debug, Clone, Default, PartialEq)]
///     pub struct Zone {
///         /// Its id.
///         "ZoneId" zone_id: opt String,
///         "InstanceIds" instance_ids: wrapped "InstanceId" String,
///     }
/// }
/// let z: Zone = serde_json::from_str(r#"{"InstanceIds": {"InstanceId": ["i-1"]}}"#).unwrap();
/// assert_eq!((z.zone_id, z.instance_ids), (None, vec!["i-1".to_owned()]));
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! __wire_struct {
    (
        $(#[$meta:meta])*
        pub struct $t:ident {
            $($(#[$fmeta:meta])* $wire:literal $field:ident: $kind:ident $($inner:literal)? $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $t {
            $($(#[$fmeta])* pub $field: $crate::__wire_field_type!($kind $ty),)*
        }
        $crate::__wire_struct!($t, concat!("the ", stringify!($t), " structure") $(, ($wire, $field, $kind $(($inner))?: $ty))*);
    };
    ($t:ident, $expecting:expr $(, ($wire:literal, $field:ident, $kind:ident $(($inner:literal))?: $ty:ty))* $(,)?) => {
        impl $crate::codec::tolerant::WireStruct for $t {
            const EXPECTING: &'static str = $expecting;
            fn decode_member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> ::std::result::Result<(), A::Error> {
                match key {
                    $($wire => self.$field = map.next_value_seed($crate::codec::tolerant::field::$kind::seed::<$ty>($($inner)?))?,)*
                    _ => {
                        map.next_value::<::serde::de::IgnoredAny>()?;
                    }
                }
                ::std::result::Result::Ok(())
            }
            fn encode_members<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> ::std::result::Result<(), M::Error> {
                $($crate::codec::tolerant::field::$kind::ser(map, $wire, $($inner,)? &self.$field)?;)*
                let _ = map;
                ::std::result::Result::Ok(())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::codec::tolerant::decode_wire_struct(deserializer)
            }
        }
        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::codec::tolerant::encode_wire_struct(self, serializer)
            }
        }
        $crate::__tolerant_via_deserialize!($t);
    };
}
pub use crate::__wire_struct as wire_struct;

/// The Rust type of a `wire_struct!` field of kind `opt`, `list`, `wrapped` or `map`.
#[macro_export]
#[doc(hidden)]
macro_rules! __wire_field_type {
    (opt $ty:ty) => { ::std::option::Option<$ty> };
    (list $ty:ty) => { ::std::vec::Vec<$ty> };
    (wrapped $ty:ty) => { ::std::vec::Vec<$ty> };
    (map $ty:ty) => { ::std::collections::BTreeMap<::std::string::String, $ty> };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::codec::response::DecodeError;
    use crate::codec::response::{decode_json, decode_xml};
    use crate::codec::scalar::{Blob, DateTime};
    use crate::Protocol;

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Region {
        region_id: Option<String>,
        local_name: Option<String>,
    }

    crate::codec::tolerant::wire_struct!(
        Region,
        "the Region structure",
        ("RegionId", region_id, opt: String),
        ("LocalName", local_name, opt: String),
    );

    #[derive(Debug, Clone, Default, PartialEq)]
    struct ListRegionsResponse {
        total_count: Option<i64>,
        size: Option<u64>,
        users: Vec<Region>,
        regions: Vec<Region>,
        instance_ids: Vec<String>,
        tags: BTreeMap<String, String>,
        zones: BTreeMap<String, Region>,
        extra: Option<serde_json::Value>,
        created: Option<DateTime>,
        data: Option<Blob>,
        request_id: Option<String>,
    }

    crate::codec::tolerant::wire_struct!(
        ListRegionsResponse,
        "the ListRegionsResponse structure",
        ("TotalCount", total_count, opt: i64),
        ("Size", size, opt: u64),
        ("Users", users, list: Region),
        ("Regions", regions, wrapped("Region"): Region),
        ("InstanceIds", instance_ids, wrapped("InstanceId"): String),
        ("Tags", tags, map: String),
        ("Zones", zones, map: Region),
        ("Extra", extra, opt: ::serde_json::Value),
        ("Created", created, opt: DateTime),
        ("Data", data, opt: Blob),
        ("RequestId", request_id, opt: String),
    );

    /// A structure with no members at all.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Nothing {}

    crate::codec::tolerant::wire_struct!(Nothing, "the Nothing structure");

    /// The emitter's form for a structure without members.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct AlsoNothing {}

    crate::codec::tolerant::wire_struct!(AlsoNothing, "the AlsoNothing structure",);

    fn json(body: &str) -> Result<ListRegionsResponse, DecodeError> {
        decode_json(Protocol::Rpc, body.as_bytes())
    }

    fn xml(inner: &str) -> Result<ListRegionsResponse, DecodeError> {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListRegionsResponse>\n  \
             <RequestId>r-1</RequestId>\n  {inner}\n</ListRegionsResponse>"
        );
        decode_xml("ListRegionsResponse", body.as_bytes())
    }

    fn region(id: &str) -> Region {
        Region {
            region_id: Some(id.into()),
            local_name: None,
        }
    }

    fn ids(regions: &[Region]) -> Vec<&str> {
        regions
            .iter()
            .map(|r| r.region_id.as_deref().unwrap_or("-"))
            .collect()
    }

    #[test]
    fn wrapped_lists_in_json() {
        let r = json(
            r#"{"Regions":{"Region":[{"RegionId":"a","LocalName":"A"},{"RegionId":"b"},{"RegionId":"c"}]},"RequestId":"r"}"#,
        )
        .unwrap();
        assert_eq!(ids(&r.regions), ["a", "b", "c"]);
        assert_eq!(r.regions[0].local_name.as_deref(), Some("A"));
        assert_eq!(r.request_id.as_deref(), Some("r"));
        // Other members of the wrapper are ignored; `null` elements are skipped.
        let r =
            json(r#"{"Regions":{"Count":2,"Region":[{"RegionId":"a"},null],"More":{"x":[1]}}}"#)
                .unwrap();
        assert_eq!(ids(&r.regions), ["a"]);
        // One element, as XML converted elsewhere gives it.
        let r = json(r#"{"Regions":{"Region":{"RegionId":"a"}}}"#).unwrap();
        assert_eq!(r.regions, [region("a")]);
        // The unwrapped form.
        let r = json(r#"{"Regions":[{"RegionId":"a"},{"RegionId":"b"}]}"#).unwrap();
        assert_eq!(ids(&r.regions), ["a", "b"]);
        // Wrapped strings.
        let r = json(r#"{"InstanceIds":{"InstanceId":["i-1","i-2"]}}"#).unwrap();
        assert_eq!(r.instance_ids, ["i-1", "i-2"]);
        let r = json(r#"{"InstanceIds":{"InstanceId":"i-1"}}"#).unwrap();
        assert_eq!(r.instance_ids, ["i-1"]);
        let r = json(r#"{"InstanceIds":["i-1"]}"#).unwrap();
        assert_eq!(r.instance_ids, ["i-1"]);
    }

    #[test]
    fn empty_wrapped_lists_in_json() {
        for body in [
            r#"{}"#,
            r#"{"Regions":{}}"#,
            r#"{"Regions":{"Region":[]}}"#,
            r#"{"Regions":{"Region":null}}"#,
            r#"{"Regions":{"Region":""}}"#,
            r#"{"Regions":{"Other":[{"RegionId":"a"}]}}"#,
            r#"{"Regions":null}"#,
            r#"{"Regions":""}"#,
            r#"{"Regions":" \n "}"#,
            r#"{"Regions":[]}"#,
        ] {
            let r = json(body).unwrap_or_else(|e| panic!("{body}: {e}"));
            assert_eq!(r.regions, [], "{body}");
        }
    }

    #[test]
    fn wrapped_lists_in_xml() {
        let r = xml(
            "<Regions>\n    <Region><RegionId>a</RegionId><LocalName>A &amp; B</LocalName></Region>\n    \
             <Region><RegionId>b</RegionId></Region>\n    <Region><RegionId>c</RegionId></Region>\n  </Regions>",
        )
        .unwrap();
        assert_eq!(ids(&r.regions), ["a", "b", "c"]);
        assert_eq!(r.regions[0].local_name.as_deref(), Some("A & B"));
        assert_eq!(r.request_id.as_deref(), Some("r-1"));
        let r = xml("<Regions><Region><RegionId>a</RegionId></Region></Regions>").unwrap();
        assert_eq!(r.regions, [region("a")]);
        for empty in [
            "<Regions/>",
            "<Regions></Regions>",
            "<Regions>\n  </Regions>",
            "<Regions><Region/></Regions>",
            "",
        ] {
            let r = xml(empty).unwrap_or_else(|e| panic!("{empty}: {e}"));
            assert_eq!(r.regions, [], "{empty}");
            assert_eq!(r.request_id.as_deref(), Some("r-1"), "{empty}");
        }
        let r = xml(
            "<InstanceIds><InstanceId>i-1</InstanceId><InstanceId>i-2</InstanceId></InstanceIds>",
        )
        .unwrap();
        assert_eq!(r.instance_ids, ["i-1", "i-2"]);
        let r = xml("<InstanceIds><InstanceId>i-1</InstanceId></InstanceIds>").unwrap();
        assert_eq!(r.instance_ids, ["i-1"]);
        // A plain (unwrapped) list in XML: repeated elements.
        let r = xml("<Users><RegionId>a</RegionId></Users><Users><RegionId>b</RegionId></Users>")
            .unwrap();
        assert_eq!(ids(&r.users), ["a", "b"]);
    }

    #[test]
    fn serialize_writes_wire_names_skips_absent_members_and_round_trips() {
        assert_eq!(
            serde_json::to_string(&ListRegionsResponse::default()).unwrap(),
            "{}"
        );
        assert_eq!(serde_json::to_string(&Nothing {}).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&AlsoNothing {}).unwrap(), "{}");
        assert_eq!(
            serde_json::from_str::<Nothing>(r#"{"A":1}"#).unwrap(),
            Nothing {}
        );
        let r = ListRegionsResponse {
            total_count: Some(0),
            regions: vec![region("a"), region("b")],
            instance_ids: vec!["i-1".into()],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"TotalCount":0,"Regions":{"Region":[{"RegionId":"a"},{"RegionId":"b"}]},"InstanceIds":{"InstanceId":["i-1"]}}"#
        );
        let full = ListRegionsResponse {
            total_count: Some(-3),
            size: Some(u64::MAX),
            users: vec![Region {
                region_id: Some("u".into()),
                local_name: Some("用户".into()),
            }],
            regions: vec![region("a")],
            instance_ids: vec!["i-1".into(), "i-2".into()],
            tags: BTreeMap::from([("env".into(), "prod".into()), ("k".into(), String::new())]),
            zones: BTreeMap::from([("z".into(), region("cn-z"))]),
            extra: Some(serde_json::json!({"nested": [1, "two", null, {"x": true}]})),
            created: Some(DateTime::from("2024-03-12 12:12:12")),
            data: Some(Blob::from(&b"\x00\x01\xfe"[..])),
            request_id: Some("r".into()),
        };
        let text = serde_json::to_string(&full).unwrap();
        assert!(text.contains(r#""Data":"AAH+""#), "{text}");
        assert!(text.contains(r#""Size":18446744073709551615"#), "{text}");
        assert_eq!(json(&text).unwrap(), full);
        let value = serde_json::to_value(&full).unwrap();
        assert_eq!(
            serde_json::from_value::<ListRegionsResponse>(value).unwrap(),
            full
        );
    }

    #[test]
    fn maps_in_json_and_xml() {
        let r = json(
            r#"{"Tags":{"env":"prod","n":1,"gone":null,"t":true},"Zones":{"z":{"RegionId":"a"},"y":[]}}"#,
        )
        .unwrap();
        assert_eq!(
            r.tags,
            BTreeMap::from([
                ("env".into(), "prod".into()),
                ("n".into(), "1".into()),
                ("t".into(), "true".into()),
            ])
        );
        assert_eq!(
            r.zones,
            BTreeMap::from([("y".into(), Region::default()), ("z".into(), region("a"))])
        );
        for body in [
            r#"{"Tags":null}"#,
            r#"{"Tags":""}"#,
            r#"{"Tags":[]}"#,
            r#"{"Tags":{}}"#,
        ] {
            assert_eq!(json(body).unwrap().tags, BTreeMap::new(), "{body}");
        }
        for body in [r#"{"Tags":[1]}"#, r#"{"Tags":"x"}"#, r#"{"Tags":3}"#] {
            let e = json(body).unwrap_err();
            assert_eq!(e.path(), "Tags", "{body}: {e}");
            assert!(e.message().contains("a map"), "{body}: {e}");
        }
        let e = json(r#"{"Tags":{"a":{"b":1}}}"#).unwrap_err();
        assert_eq!(e.path(), "Tags.a", "{e}");
        // In XML a map is an element whose children are its keys.
        let r = xml("<Tags><env>prod</env><team>core</team></Tags>").unwrap();
        assert_eq!(
            r.tags,
            BTreeMap::from([
                ("env".into(), "prod".into()),
                ("team".into(), "core".into())
            ])
        );
        let r = xml("<Zones><z><RegionId>a</RegionId></z></Zones>").unwrap();
        assert_eq!(r.zones, BTreeMap::from([("z".into(), region("a"))]));
        assert_eq!(xml("<Tags/>").unwrap().tags, BTreeMap::new());
        assert_eq!(xml("<Tags>\n</Tags>").unwrap().tags, BTreeMap::new());
    }

    #[test]
    fn u64_edges() {
        let size = |body: &str| json(body).map(|r| r.size);
        assert_eq!(
            size(r#"{"Size":18446744073709551615}"#).unwrap(),
            Some(u64::MAX)
        );
        assert_eq!(
            size(r#"{"Size":"18446744073709551615"}"#).unwrap(),
            Some(u64::MAX)
        );
        assert_eq!(size(r#"{"Size":" 7 "}"#).unwrap(), Some(7));
        assert_eq!(size(r#"{"Size":"3.0"}"#).unwrap(), Some(3));
        assert_eq!(size(r#"{"Size":2e3}"#).unwrap(), Some(2000));
        assert_eq!(size(r#"{"Size":true}"#).unwrap(), Some(1));
        assert_eq!(size(r#"{"Size":"false"}"#).unwrap(), Some(0));
        assert_eq!(size(r#"{"Size":0}"#).unwrap(), Some(0));
        assert_eq!(size(r#"{"Size":null}"#).unwrap(), None);
        for bad in [
            r#"{"Size":-1}"#,
            r#"{"Size":"-1"}"#,
            r#"{"Size":-0.5}"#,
            r#"{"Size":1.5}"#,
            r#"{"Size":18446744073709551616}"#,
            r#"{"Size":"x"}"#,
            r#"{"Size":{}}"#,
        ] {
            let e = size(bad).unwrap_err();
            assert_eq!(e.path(), "Size", "{bad}: {e}");
            assert!(e.message().contains("non-negative integer"), "{bad}: {e}");
        }
        let e: DecodeError = decode_json::<ListRegionsResponse>(
            Protocol::Tc3,
            br#"{"Response":{"RequestId":"r","Size":-5}}"#,
        )
        .unwrap_err();
        assert_eq!(e.path(), "Response.Size");
        assert!(e.message().contains("-5"), "{e}");
        assert_eq!(xml("<Size>42</Size>").unwrap().size, Some(42));
    }

    #[test]
    fn an_empty_body_is_an_empty_model_where_the_model_is_the_whole_body() {
        // ROA and Simple Log Service actions that answer nothing send 200 and no body.
        for protocol in [Protocol::Roa, Protocol::Sls] {
            for body in ["", " \r\n"] {
                assert_eq!(
                    decode_json::<Nothing>(protocol, body.as_bytes()).unwrap(),
                    Nothing {}
                );
                let r = decode_json::<ListRegionsResponse>(protocol, body.as_bytes()).unwrap();
                assert_eq!(r, ListRegionsResponse::default(), "{protocol:?}");
            }
        }
        // In an envelope, or from RPC (whose answers always carry a request id), an empty
        // body is not an answer.
        for protocol in [Protocol::Tc3, Protocol::Rpc] {
            let e = decode_json::<Nothing>(protocol, b"").unwrap_err();
            assert_eq!(e.message(), "the body is empty");
        }
    }

    #[test]
    fn scalars_inside_structures() {
        let r = json(r#"{"Created":1710245532,"Extra":{"a":[1,"x"]},"Data":"aGk"}"#).unwrap();
        assert_eq!(r.created, Some(DateTime::new("1710245532")));
        assert_eq!(r.extra, Some(serde_json::json!({"a": [1, "x"]})));
        assert_eq!(r.data.as_ref().map(Blob::as_bytes), Some(&b"hi"[..]));
        let r = json(r#"{"Extra":"plain","Created":"2024-03-12T12:12:12Z"}"#).unwrap();
        assert_eq!(r.extra, Some(serde_json::json!("plain")));
        assert_eq!(
            r.created.and_then(|c| c.unix_seconds()),
            Some(1_710_245_532)
        );
        let r = xml("<Created>2024-03-12 12:12:12</Created><Data>aGk=</Data>").unwrap();
        assert_eq!(
            r.created.as_ref().map(DateTime::as_str),
            Some("2024-03-12 12:12:12")
        );
        assert_eq!(r.data, Some(Blob::from(&b"hi"[..])));
        let e = json(r#"{"RequestId":"r","Data":"not base64!"}"#).unwrap_err();
        assert_eq!(e.path(), "Data", "{e}");
        assert!(e.message().contains("not base64"), "{e}");
        let e = xml("<Data>@@@</Data>").unwrap_err();
        assert_eq!(e.path(), "Data", "{e}");
        assert!(e.message().contains("not base64"), "{e}");
    }

    #[test]
    fn wrong_types_are_errors_naming_the_path() {
        let e = json(r#"{"RequestId":"r","TotalCount":{"a":1}}"#).unwrap_err();
        assert_eq!(e.path(), "TotalCount", "{e}");
        // serde_json reports an array's type error after its `[`, so the path recovered
        // from the position names the first element (`TotalCount[0]`); either way it is
        // the member's.
        let e = json(r#"{"TotalCount":[1,2]}"#).unwrap_err();
        assert!(e.path().starts_with("TotalCount"), "{e}");
        let e =
            json(r#"{"Regions":{"Region":[{"RegionId":"a"},{"RegionId":{"x":1}}]}}"#).unwrap_err();
        assert_eq!(e.path(), "Regions.Region[1].RegionId", "{e}");
        let e = json(r#"{"Regions":5}"#).unwrap_err();
        assert_eq!(e.path(), "Regions", "{e}");
        assert!(e.message().contains("the Region structure"), "{e}");
        let e = json(r#"{"Regions":{"Region":["x"]}}"#).unwrap_err();
        assert_eq!(e.path(), "Regions.Region[0]", "{e}");
        let e = json(r#"{"Users":[{"RegionId":"a"},{"LocalName":{"a":true}}]}"#).unwrap_err();
        assert_eq!(e.path(), "Users[1].LocalName", "{e}");
        let e =
            xml("<Regions><Region><RegionId><X>1</X></RegionId></Region></Regions>").unwrap_err();
        assert_eq!(e.path(), "Regions.Region.RegionId", "{e}");
        let e = xml("<TotalCount><A>1</A></TotalCount>").unwrap_err();
        assert_eq!(e.path(), "TotalCount", "{e}");
        // The whole structure: a non-empty string or array is an error, as before.
        assert!(serde_json::from_str::<Region>(r#""x""#).is_err());
        assert!(serde_json::from_str::<Region>("[1]").is_err());
        assert_eq!(
            serde_json::from_str::<Region>("[]").unwrap(),
            Region::default()
        );
        assert_eq!(
            serde_json::from_str::<Region>(r#""""#).unwrap(),
            Region::default()
        );
    }

    #[test]
    fn tolerant_structures_in_plain_lists() {
        // `Tolerant` comes with the macro: a single object stands for a one-element list.
        let r = json(r#"{"Users":{"RegionId":"a"}}"#).unwrap();
        assert_eq!(r.users, [region("a")]);
        let v: Vec<Region> = super::list(&mut serde_json::Deserializer::from_str(
            r#"[{"RegionId":"a"},"",{"RegionId":"b"}]"#,
        ))
        .unwrap();
        assert_eq!(ids(&v), ["a", "-", "b"]);
    }
}

#[cfg(test)]
mod nested_containers {
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Nested {
        blobs: Vec<serde_json::Value>,
        grid: Vec<Vec<String>>,
        rows: Vec<BTreeMap<String, String>>,
        groups: BTreeMap<String, Vec<i64>>,
    }

    crate::codec::tolerant::wire_struct!(
        Nested,
        "the Nested structure",
        ("Blobs", blobs, list: ::serde_json::Value),
        ("Grid", grid, list: Vec<String>),
        ("Rows", rows, list: BTreeMap<String, String>),
        ("Groups", groups, map: Vec<i64>),
    );

    #[test]
    fn lists_of_json_lists_and_maps_decode_and_round_trip() {
        let body = br#"{"Blobs":[{"a":1},2,"x"],"Grid":[["a","b"],"c",[]],"Rows":[{"k":"v"},""],"Groups":{"g":[1,"2"],"h":3}}"#;
        let n: Nested = crate::codec::response::decode_json_in(body).unwrap();
        assert_eq!(n.blobs.len(), 3);
        assert_eq!(
            n.grid,
            vec![
                vec!["a".to_owned(), "b".to_owned()],
                vec!["c".to_owned()],
                vec![]
            ]
        );
        assert_eq!(n.rows.len(), 2);
        assert_eq!(n.rows[0]["k"], "v");
        assert_eq!(n.groups["g"], vec![1, 2]);
        assert_eq!(n.groups["h"], vec![3]);
        let again: Nested = serde_json::from_slice(&serde_json::to_vec(&n).unwrap()).unwrap();
        assert_eq!(again, n);
    }
}

#[cfg(test)]
mod follows_the_tolerance_rule {
    use cloudapi_protocol::tolerance::{self, Scalar};

    use super::Tolerant;

    /// The scalar serde_json hands a visitor for `json`, as the decoders see it.
    fn scalar(json: &serde_json::Value) -> Scalar<'_> {
        match json {
            serde_json::Value::Bool(b) => Scalar::Bool(*b),
            serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Scalar::Unsigned(u),
                (_, Some(i)) => Scalar::Signed(i),
                _ => Scalar::Float(n.as_f64().unwrap()),
            },
            serde_json::Value::String(s) => Scalar::Text(s),
            other => panic!("not a scalar: {other}"),
        }
    }

    fn decode<T: Tolerant>(json: &str) -> Option<T> {
        T::deserialize_tolerant(&mut serde_json::Deserializer::from_str(json)).ok()
    }

    #[test]
    fn every_scalar_decodes_as_the_rule_says() {
        let bodies = [
            "0",
            "1",
            "2",
            "-1",
            "1.0",
            "3.0",
            "-0.0",
            "1.5",
            "2e3",
            "9e15",
            "8999999999999999",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "true",
            "false",
            r#""""#,
            r#"" ""#,
            r#""7""#,
            r#"" -7 ""#,
            r#""+7""#,
            r#""3.0""#,
            r#""1e3""#,
            r#""-0""#,
            r#""1.5""#,
            r#""true""#,
            r#""TRUE""#,
            r#""False""#,
            r#""1""#,
            r#""0""#,
            r#""yes""#,
            r#""NaN""#,
            r#""inf""#,
            r#""18446744073709551615""#,
            r#""0x10""#,
        ];
        for body in bodies {
            let value: serde_json::Value = serde_json::from_str(body).unwrap();
            let s = scalar(&value);
            assert_eq!(decode::<i64>(body), tolerance::integer(s), "i64 {body}");
            assert_eq!(decode::<u64>(body), tolerance::unsigned(s), "u64 {body}");
            assert_eq!(
                decode::<f64>(body).map(f64::to_bits),
                tolerance::float(s).map(f64::to_bits),
                "f64 {body}"
            );
            assert_eq!(decode::<bool>(body), tolerance::boolean(s), "bool {body}");
            assert_eq!(
                decode::<String>(body),
                tolerance::string(s).map(|t| t.into_owned()),
                "String {body}"
            );
        }
        // Containers are not scalars for any of them.
        for body in ["[1]", r#"{"a":1}"#] {
            assert_eq!(decode::<i64>(body), None, "{body}");
            assert_eq!(decode::<bool>(body), None, "{body}");
            assert_eq!(decode::<String>(body), None, "{body}");
        }
    }
}
