//! Tolerant decoding: what real servers send, not only what documents print.
//!
//! Integers and booleans arrive as numbers or as strings (`"TotalCount": "1"`,
//! `"Active": "true"`), lists arrive as arrays, as a single object (XML with one
//! element) or as a bare string (`"Params": "无"`), and `null` means absent.
//! Generated fields use [`opt`] and [`list`]; element types implement [`Tolerant`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

/// A type decoded leniently from whatever shape the wire uses for it.
pub trait Tolerant: Sized {
    /// Decodes `Self`, accepting the wire's variants of the documented shape.
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Implements [`Tolerant`] through `Deserialize`; used by `deserialize_struct!` and
/// `string_enum_impls!`, so every generated structure and enum has it.
#[macro_export]
#[doc(hidden)]
macro_rules! __tolerant_via_deserialize {
    ($t:ty) => {
        impl $crate::de::Tolerant for $t {
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
    struct Seed<T>(PhantomData<T>);
    impl<'de, T: Tolerant> DeserializeSeed<'de> for Seed<T> {
        type Value = Option<T>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            opt(d)
        }
    }
    struct V<T>(PhantomData<T>);
    impl<'de, T: Tolerant> Visitor<'de> for V<T> {
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
            while let Some(item) = seq.next_element_seed(Seed::<T>(PhantomData))? {
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
            if v.is_empty() {
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
    d.deserialize_option(V(PhantomData))
}

impl Tolerant for i64 {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = i64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer (as a number or a string)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
                Ok(v)
            }
            // A flag documented as 0/1 that the server sends as a boolean (Tencent's
            // `IsSelected`): booleans and integers accept each other's encodings.
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<i64, E> {
                Ok(i64::from(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
                i64::try_from(v).map_err(|_| E::custom(format!("integer {v} is out of range")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(v as i64)
                } else {
                    Err(E::custom(format!("expected an integer, found {v}")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
                let t = v.trim();
                match t {
                    "true" => return Ok(1),
                    "false" => return Ok(0),
                    _ => {}
                }
                t.parse::<i64>()
                    .or_else(|_| {
                        t.parse::<f64>()
                            .map_err(|_| ())
                            .and_then(|f| self.visit_f64::<E>(f).map_err(|_| ()))
                    })
                    .map_err(|_| E::custom(format!("expected an integer, found the string {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

impl Tolerant for f64 {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = f64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number (as a number or a string)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
                Ok(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
                v.trim()
                    .parse()
                    .map_err(|_| E::custom(format!("expected a number, found the string {v:?}")))
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
                Ok(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::custom(format!("expected a boolean, found {v}"))),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
                match v.trim() {
                    t if t.eq_ignore_ascii_case("true") || t == "1" => Ok(true),
                    t if t.eq_ignore_ascii_case("false") || t == "0" => Ok(false),
                    _ => Err(E::custom(format!(
                        "expected a boolean, found the string {v:?}"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl Tolerant for String {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
                Ok(v.to_owned())
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
                Ok(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
                Ok(v.to_string())
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
        impl $crate::de::StringEnum for $t {
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
                $crate::de::StringEnum::as_str(self)
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
                $crate::de::string_enum(deserializer)
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
    if v.trim().is_empty() {
        Ok(T::default())
    } else {
        Err(de::Error::invalid_type(de::Unexpected::Str(v), &expecting))
    }
}

/// `Deserialize` (and [`Tolerant`]) for a generated response structure: one `visit_map`
/// whose fields use the shared seeds [`Opt`] and [`List`], unknown fields skipped, `[]`
/// read as the empty structure. Written once here; each structure lists its fields.
#[macro_export]
#[doc(hidden)]
macro_rules! __deserialize_struct {
    ($t:ident, $expecting:literal, $(($wire:literal, $field:ident, $seed:ident::<$ty:ty>)),* $(,)?) => {
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $t;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<$t, A::Error> {
                        let mut out = <$t as ::std::default::Default>::default();
                        while let Some(key) = map.next_key::<$crate::de::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => out.$field = map.next_value_seed($crate::de::$seed::<$ty>::default())?,)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                    fn visit_seq<A: ::serde::de::SeqAccess<'de>>(self, seq: A) -> ::std::result::Result<$t, A::Error> {
                        $crate::de::empty_seq_as_default(seq, $expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<$t, E> {
                        $crate::de::empty_str_as_default(v, $expecting)
                    }
                }
                deserializer.deserialize_any(Visitor)
            }
        }
        $crate::__tolerant_via_deserialize!($t);
    };
}
pub use crate::__deserialize_struct as deserialize_struct;
