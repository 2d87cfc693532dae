//! The tolerance rule: how leniently a value read from the wire is accepted for the type
//! a spec declares.
//!
//! Servers do not always send what their documents print: `"TotalCount": "1"`,
//! `"Active": "true"`, `"IsSelected": true` where the document says integer, `<Regions/>`
//! for an empty list. One rule decides what is accepted, and three readers apply it:
//!
//! - the response decoders (`cloudapi-runtime`'s `de`, for JSON and XML bodies alike)
//!   apply all of it: [`integer`], [`unsigned`], [`float`], [`boolean`], [`string`] and
//!   the emptiness of containers (per value decoded, from another crate: the functions
//!   are `#[inline]`, so a release build compiles them into the decoders' visitors);
//! - the checker of the documents' JSON examples (`codegen`'s `check/examples.rs`)
//!   applies the same functions, so an example passes exactly when the decoders accept it;
//! - the stub's reading of requests (`cloudapi-runtime`'s `flat`, flattened query and form
//!   parameters) applies only the [text forms](#text-forms): a client sends scalars as
//!   text, and the stub reads them as the provider would, so `Limit=3.0` and `Limit=true`
//!   are refused for an integer where a response's `"3.0"` and `"true"` are read.
//!
//! Each function takes text or a primitive and answers `Some(value)` (accepted) or `None`
//! (refused); the callers keep their own error messages and their adapters from serde
//! visitors or JSON values to a [`Scalar`].
//!
//! # Text forms
//!
//! Surrounding whitespace is ignored (Unicode `White_Space`, as [`str::trim`]), then:
//!
//! | declared type | accepted text | refused (examples) |
//! |---|---|---|
//! | integer ([`integer_text`], 64-bit; [`integer_text_128`]) | an optional `+` or `-` and ASCII decimal digits, within the type's range | `""`, `3.0`, `1e3`, `0x10`, `1_000`, `true`, one past the range (overflow is refused, never wrapped or saturated) |
//! | unsigned ([`unsigned_text`], [`unsigned_text_128`]) | an optional `+` and ASCII decimal digits, within the type's range | `-1`, `-0`, and as for integers |
//! | float ([`float_text`]) | Rust's `f64` syntax: `1.5`, `.5`, `5.`, `2e3`, `-0`, `inf`, `infinity`, `NaN` (any case); beyond the range rounds to infinity | `""`, `1,5`, `0x1p3`, `true` |
//! | boolean ([`boolean_text`]) | `true` / `false` in any ASCII case, `1` / `0` | `yes`, `on`, `2`, `01`, `+1`, `1.0`, `""` |
//!
//! # Responses
//!
//! A scalar arrives as a JSON boolean, integer, float or string ([`Scalar`]; an XML body is
//! all text). For each declared type:
//!
//! | declared type | boolean | integer | float | text |
//! |---|---|---|---|---|
//! | integer ([`integer`], `i64`) | `true` = 1, `false` = 0 | within `i64` | integral, magnitude below [`INTEGRAL_FLOAT_LIMIT`] | `true` / `false` (lowercase only) = 1 / 0; an integer text form; else a float text form read as a float |
//! | unsigned ([`unsigned`], `u64`) | `true` = 1, `false` = 0 | from 0 to `u64::MAX` | integral, from 0 (`-0.0` included) to below [`INTEGRAL_FLOAT_LIMIT`] | as for integers, with the unsigned text form |
//! | float ([`float`], `f64`) | refused | converted (to the nearest `f64`) | as is | a float text form |
//! | boolean ([`boolean`]) | as is | 0 and 1 only | refused (even `1.0`) | a boolean text form |
//! | string ([`string`]; string enums and date-times as text too) | its text | its text | its text (`3.0` is `"3"`) | as is |
//!
//! Booleans and integers accept each other's encodings because documents say integer for
//! 0/1 flags that servers send as booleans (Tencent's `IsSelected`), and boolean for flags
//! sent as 0/1. The words `true`/`false` read as an integer are lowercase only, while a
//! boolean takes them in any case: the decoders have always read them so.
//!
//! The float form of an integer (`3.0`, `2e3`, `"3.0"`) is accepted only where every
//! integer is exact in an `f64`: below [`INTEGRAL_FLOAT_LIMIT`] (9×10^15, under
//! 2^53 ≈ 9.007×10^15) in magnitude. Larger integers must come in integer form: an integer
//! outside the declared type's range, in any form, is refused (never wrapped, saturated
//! or rounded). The empty string is not a number: an optional number sent as `""` is
//! refused, not absent.
//!
//! # Absence and empty containers
//!
//! - `null` is absent: an optional member is `None`, a list element or a map entry that
//!   is `null` is skipped, and a list or map member that is `null` is empty.
//! - Where a list belongs, only the empty string is the empty list
//!   ([`is_empty_list_text`]); other text, blank included, is a one-element list, as is a
//!   single value of any other kind (XML gives one element so).
//! - Where a structure, a map or a wrapped list (`{"Regions": {"Region": [...]}}`) belongs,
//!   blank text ([`is_empty_structure_text`]) is the empty one: an empty XML element
//!   (`<Regions/>`, `<Regions>\n</Regions>`) reaches the decoder so. An empty array is the
//!   empty structure or map too (PHP-style servers send `[]` for `{}`).

use std::borrow::Cow;

/// The float form of an integer is accepted only with a magnitude below this: 9×10^15,
/// under 2^53, so that every integer in range is exact in an `f64`.
pub const INTEGRAL_FLOAT_LIMIT: f64 = 9.0e15;

/// A scalar as the wire delivers it, before it is read as its declared type.
///
/// `Signed` and `Unsigned` are the same to the rule where their values are the same
/// (serde hands a non-negative JSON integer over as unsigned, a negative one as signed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// A JSON boolean.
    Bool(bool),
    /// An integer held as `i64` (JSON's negative integers).
    Signed(i64),
    /// An integer held as `u64` (JSON's non-negative integers).
    Unsigned(u64),
    /// A JSON number with a fraction or an exponent, or beyond `u64`.
    Float(f64),
    /// A string (JSON) or an element's text (XML).
    Text(&'a str),
}

// ---------------------------------------------------------------------------------------
// Text forms
// ---------------------------------------------------------------------------------------

/// The integer text form, in `i64`: `" -7 "` is -7; `"3.0"`, `"true"` and overflow are
/// refused.
#[inline]
pub fn integer_text(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// The integer text form in `i128`, for 128-bit targets.
#[inline]
pub fn integer_text_128(text: &str) -> Option<i128> {
    text.trim().parse().ok()
}

/// The unsigned text form, in `u64`: `"+7"` is 7; `"-0"`, `"-1"` and overflow are refused.
#[inline]
pub fn unsigned_text(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// The unsigned text form in `u128`, for 128-bit targets.
#[inline]
pub fn unsigned_text_128(text: &str) -> Option<u128> {
    text.trim().parse().ok()
}

/// The float text form: Rust's `f64` syntax (`1.5`, `2e3`, `inf`, `NaN`); a value beyond
/// the range is infinite.
#[inline]
pub fn float_text(text: &str) -> Option<f64> {
    text.trim().parse().ok()
}

/// The boolean text form: `true` / `false` in any ASCII case, `1` / `0`.
#[inline]
pub fn boolean_text(text: &str) -> Option<bool> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("true") || t == "1" {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") || t == "0" {
        Some(false)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------

/// The words a flag sends for an integer (`"true"` = 1, `"false"` = 0): lowercase only.
fn flag_word(text: &str) -> Option<bool> {
    match text.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Whether `v` is an integral float that reads as an integer: no fraction, and a magnitude
/// below [`INTEGRAL_FLOAT_LIMIT`] (NaN and the infinities are refused).
fn integral(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() < INTEGRAL_FLOAT_LIMIT
}

/// A response's value for an integer (`i64`). See the [module documentation](self).
#[inline]
pub fn integer(value: Scalar<'_>) -> Option<i64> {
    match value {
        Scalar::Bool(b) => Some(i64::from(b)),
        Scalar::Signed(v) => Some(v),
        Scalar::Unsigned(v) => i64::try_from(v).ok(),
        Scalar::Float(v) => integral(v).then_some(v as i64),
        Scalar::Text(t) => match flag_word(t) {
            Some(b) => Some(i64::from(b)),
            None => {
                integer_text(t).or_else(|| float_text(t).and_then(|v| integer(Scalar::Float(v))))
            }
        },
    }
}

/// A response's value for an unsigned integer (`u64`). See the
/// [module documentation](self).
#[inline]
pub fn unsigned(value: Scalar<'_>) -> Option<u64> {
    match value {
        Scalar::Bool(b) => Some(u64::from(b)),
        Scalar::Signed(v) => u64::try_from(v).ok(),
        Scalar::Unsigned(v) => Some(v),
        // `-0.0` is 0 (it compares equal to 0.0).
        Scalar::Float(v) => (integral(v) && v >= 0.0).then_some(v as u64),
        Scalar::Text(t) => match flag_word(t) {
            Some(b) => Some(u64::from(b)),
            None => {
                unsigned_text(t).or_else(|| float_text(t).and_then(|v| unsigned(Scalar::Float(v))))
            }
        },
    }
}

/// A response's value for a float (`f64`): any number or a float text form; a boolean is
/// refused.
#[inline]
pub fn float(value: Scalar<'_>) -> Option<f64> {
    match value {
        Scalar::Bool(_) => None,
        Scalar::Signed(v) => Some(v as f64),
        Scalar::Unsigned(v) => Some(v as f64),
        Scalar::Float(v) => Some(v),
        Scalar::Text(t) => float_text(t),
    }
}

/// A response's value for a boolean: a boolean, the integers 0 and 1, or a boolean text
/// form; a float is refused.
#[inline]
pub fn boolean(value: Scalar<'_>) -> Option<bool> {
    match value {
        Scalar::Bool(b) => Some(b),
        Scalar::Signed(0) | Scalar::Unsigned(0) => Some(false),
        Scalar::Signed(1) | Scalar::Unsigned(1) => Some(true),
        Scalar::Signed(_) | Scalar::Unsigned(_) | Scalar::Float(_) => None,
        Scalar::Text(t) => boolean_text(t),
    }
}

/// A response's value for a string (and for what is read as one: a string enum's value):
/// every scalar, as its text (numbers as Rust prints them, `3.0` as `"3"`). Never refused;
/// `Option` for the same shape as the other types'.
#[inline]
pub fn string(value: Scalar<'_>) -> Option<Cow<'_, str>> {
    Some(match value {
        Scalar::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
        Scalar::Signed(v) => Cow::Owned(v.to_string()),
        Scalar::Unsigned(v) => Cow::Owned(v.to_string()),
        Scalar::Float(v) => Cow::Owned(v.to_string()),
        Scalar::Text(t) => Cow::Borrowed(t),
    })
}

// ---------------------------------------------------------------------------------------
// Absence and empty containers
// ---------------------------------------------------------------------------------------

/// Whether `text`, where a list belongs, is the empty list: only the empty string is
/// (other text, blank included, is a one-element list).
#[inline]
pub fn is_empty_list_text(text: &str) -> bool {
    text.is_empty()
}

/// Whether `text`, where a structure, a map or a wrapped list belongs, is the empty one:
/// blank text is (an empty XML element, `<Regions/>` or `<Regions>\n</Regions>`).
#[inline]
pub fn is_empty_structure_text(text: &str) -> bool {
    text.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    use Scalar::{Bool, Float, Signed, Text, Unsigned};

    #[test]
    fn integer_text_forms() {
        for (text, want) in [
            ("7", 7),
            (" 7 ", 7),
            ("\t-7\n", -7),
            ("+7", 7),
            ("-0", 0),
            ("007", 7),
            ("\u{3000}12\u{a0}", 12),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ] {
            assert_eq!(integer_text(text), Some(want), "{text:?}");
        }
        for text in [
            "",
            "  ",
            "-",
            "+",
            "9223372036854775808",
            "-9223372036854775809",
            "3.0",
            "1e3",
            "0x10",
            "1_000",
            "1 000",
            "true",
            "7a",
            "--7",
            "+-7",
            "\u{ff11}",
            "\u{663}",
        ] {
            assert_eq!(integer_text(text), None, "{text:?}");
        }
        assert_eq!(
            integer_text_128("170141183460469231731687303715884105727"),
            Some(i128::MAX)
        );
        assert_eq!(
            integer_text_128(" -170141183460469231731687303715884105728 "),
            Some(i128::MIN)
        );
        assert_eq!(integer_text_128("9223372036854775808"), Some(1 << 63));
        assert_eq!(
            integer_text_128("170141183460469231731687303715884105728"),
            None
        );
        assert_eq!(integer_text_128("1.0"), None);
    }

    #[test]
    fn unsigned_text_forms() {
        for (text, want) in [
            ("0", 0),
            ("+1", 1),
            (" 42\n", 42),
            ("18446744073709551615", u64::MAX),
        ] {
            assert_eq!(unsigned_text(text), Some(want), "{text:?}");
        }
        for text in [
            "",
            "-1",
            "-0",
            "18446744073709551616",
            "1.0",
            "1e3",
            "true",
            "0x1",
        ] {
            assert_eq!(unsigned_text(text), None, "{text:?}");
        }
        assert_eq!(
            unsigned_text_128("340282366920938463463374607431768211455"),
            Some(u128::MAX)
        );
        assert_eq!(
            unsigned_text_128("340282366920938463463374607431768211456"),
            None
        );
        assert_eq!(unsigned_text_128("-1"), None);
    }

    #[test]
    fn float_text_forms() {
        for (text, want) in [
            ("1.5", 1.5),
            (" 2e3 ", 2000.0),
            ("-0.5", -0.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("+3", 3.0),
            ("1E-2", 0.01),
            ("inf", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("1e400", f64::INFINITY),
        ] {
            assert_eq!(float_text(text), Some(want), "{text:?}");
        }
        assert!(float_text("NaN").is_some_and(f64::is_nan));
        assert!(float_text("-0").is_some_and(|v| v == 0.0 && v.is_sign_negative()));
        for text in ["", " ", "1,5", "1.5.2", "0x1p3", "true", "e3", "1e", "٣"] {
            assert_eq!(float_text(text), None, "{text:?}");
        }
    }

    #[test]
    fn boolean_text_forms() {
        for text in ["true", "TRUE", "True", " tRuE ", "1", "\n1\t"] {
            assert_eq!(boolean_text(text), Some(true), "{text:?}");
        }
        for text in ["false", "FALSE", "False", " fAlSe", "0"] {
            assert_eq!(boolean_text(text), Some(false), "{text:?}");
        }
        for text in [
            "", " ", "yes", "no", "on", "off", "t", "f", "2", "-1", "01", "+1", "1.0", "truee",
        ] {
            assert_eq!(boolean_text(text), None, "{text:?}");
        }
    }

    #[test]
    fn integers_in_responses() {
        for (value, want) in [
            (Signed(-5), -5),
            (Signed(i64::MIN), i64::MIN),
            (Unsigned(7), 7),
            (Unsigned(i64::MAX as u64), i64::MAX),
            (Bool(true), 1),
            (Bool(false), 0),
            (Float(3.0), 3),
            (Float(-3.0), -3),
            (Float(-0.0), 0),
            (Float(2e3), 2000),
            (Float(8_999_999_999_999_999.0), 8_999_999_999_999_999),
            (Float(-8_999_999_999_999_999.0), -8_999_999_999_999_999),
            (Text("7"), 7),
            (Text(" -7 "), -7),
            (Text("true"), 1),
            (Text(" false "), 0),
            (Text("3.0"), 3),
            (Text("1e3"), 1000),
            (Text("-2.0"), -2),
            // The integer form is exact whatever its size; only the float form is limited.
            (Text("9223372036854775807"), i64::MAX),
            (Text("-9223372036854775808"), i64::MIN),
        ] {
            assert_eq!(integer(value), Some(want), "{value:?}");
        }
        for value in [
            Unsigned(i64::MAX as u64 + 1),
            Unsigned(u64::MAX),
            Float(1.5),
            Float(-0.5),
            Float(9.0e15),
            Float(-9.0e15),
            Float(1e19),
            Float(f64::NAN),
            Float(f64::INFINITY),
            Text(""),
            Text(" "),
            Text("1.5"),
            Text("x"),
            // Lowercase only for an integer (a boolean takes any case).
            Text("TRUE"),
            Text("True"),
            Text("9223372036854775808"),
            Text("9.0e15"),
            Text("NaN"),
            Text("inf"),
            Text("0x10"),
        ] {
            assert_eq!(integer(value), None, "{value:?}");
        }
    }

    #[test]
    fn unsigned_integers_in_responses() {
        for (value, want) in [
            (Unsigned(u64::MAX), u64::MAX),
            (Unsigned(0), 0),
            (Signed(5), 5),
            (Signed(0), 0),
            (Bool(true), 1),
            (Bool(false), 0),
            (Float(2e3), 2000),
            (Float(-0.0), 0),
            (Float(8_999_999_999_999_999.0), 8_999_999_999_999_999),
            (Text("18446744073709551615"), u64::MAX),
            (Text(" 7 "), 7),
            (Text("3.0"), 3),
            (Text("false"), 0),
            // Not the unsigned text form, but a float text form of 0.
            (Text("-0"), 0),
            (Text("-0.0"), 0),
        ] {
            assert_eq!(unsigned(value), Some(want), "{value:?}");
        }
        for value in [
            Signed(-1),
            Signed(i64::MIN),
            Float(-1.0),
            Float(-0.5),
            Float(1.5),
            Float(9.0e15),
            Float(1.8446744073709552e19),
            Float(f64::NAN),
            Text("-1"),
            Text("-0.5"),
            Text("18446744073709551616"),
            Text("x"),
            Text(""),
            Text("FALSE"),
        ] {
            assert_eq!(unsigned(value), None, "{value:?}");
        }
    }

    #[test]
    fn floats_in_responses() {
        for (value, want) in [
            (Signed(-3), -3.0),
            (Unsigned(3), 3.0),
            (Unsigned(u64::MAX), 18_446_744_073_709_551_615.0),
            (Float(1.5), 1.5),
            (Text(" 1.5 "), 1.5),
            (Text("2"), 2.0),
            (Text("1e400"), f64::INFINITY),
        ] {
            assert_eq!(float(value), Some(want), "{value:?}");
        }
        for value in [Bool(true), Bool(false), Text(""), Text("true"), Text("1,5")] {
            assert_eq!(float(value), None, "{value:?}");
        }
    }

    #[test]
    fn booleans_in_responses() {
        for (value, want) in [
            (Bool(true), true),
            (Bool(false), false),
            (Signed(1), true),
            (Signed(0), false),
            (Unsigned(1), true),
            (Unsigned(0), false),
            (Text("TRUE"), true),
            (Text(" 0 "), false),
            (Text("False"), false),
        ] {
            assert_eq!(boolean(value), Some(want), "{value:?}");
        }
        for value in [
            Signed(2),
            Signed(-1),
            Unsigned(2),
            Unsigned(u64::MAX),
            Float(1.0),
            Float(0.0),
            Text(""),
            Text("yes"),
            Text("2"),
            Text("1.0"),
        ] {
            assert_eq!(boolean(value), None, "{value:?}");
        }
    }

    #[test]
    fn strings_in_responses() {
        for (value, want) in [
            (Text("a b"), "a b"),
            (Text(""), ""),
            (Text(" 1 "), " 1 "),
            (Bool(true), "true"),
            (Bool(false), "false"),
            (Signed(-3), "-3"),
            (Unsigned(u64::MAX), "18446744073709551615"),
            (Float(1.5), "1.5"),
            (Float(3.0), "3"),
            (Float(1e20), "100000000000000000000"),
        ] {
            assert_eq!(string(value).as_deref(), Some(want), "{value:?}");
        }
        // Text is not copied.
        assert!(matches!(string(Text("x")), Some(Cow::Borrowed("x"))));
    }

    #[test]
    fn requests_take_the_text_forms_alone() {
        // What a response's decoder forgives, a request's reader does not.
        assert_eq!(integer(Text("3.0")), Some(3));
        assert_eq!(integer_text("3.0"), None);
        assert_eq!(integer(Text("true")), Some(1));
        assert_eq!(integer_text("true"), None);
        assert_eq!(unsigned(Text("-0")), Some(0));
        assert_eq!(unsigned_text("-0"), None);
        // Where the text form is accepted, both agree.
        for text in ["0", " 12 ", "-7", "+7", "9223372036854775807"] {
            assert_eq!(integer(Text(text)), integer_text(text), "{text:?}");
        }
        for text in ["true", "FALSE", "1", "0", "yes"] {
            assert_eq!(boolean(Text(text)), boolean_text(text), "{text:?}");
        }
        for text in ["1.5", "inf", "x", ""] {
            assert_eq!(
                float(Text(text)).map(f64::to_bits),
                float_text(text).map(f64::to_bits),
                "{text:?}"
            );
        }
    }

    #[test]
    fn empty_containers() {
        assert!(is_empty_list_text(""));
        for text in [" ", "\n", "x", "[]"] {
            assert!(!is_empty_list_text(text), "{text:?}");
        }
        for text in ["", " ", "\n  \t", "\u{3000}"] {
            assert!(is_empty_structure_text(text), "{text:?}");
        }
        for text in ["x", " x ", "{}", "[]", "null"] {
            assert!(!is_empty_structure_text(text), "{text:?}");
        }
    }

    #[test]
    fn the_float_limit_is_below_the_exact_integers_of_f64() {
        // Every integer below the limit is exact in an f64, so the float form reads the
        // integer that was meant.
        assert!(INTEGRAL_FLOAT_LIMIT < 2f64.powi(53));
        let below = INTEGRAL_FLOAT_LIMIT - 1.0;
        assert_eq!(below as i64 as f64, below);
        assert_eq!(integer(Float(below)), Some(8_999_999_999_999_999));
        assert_eq!(integer(Float(INTEGRAL_FLOAT_LIMIT)), None);
    }
}
