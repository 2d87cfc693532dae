//! Scalar types of the wire that are neither numbers nor plain strings: [`DateTime`]
//! (kept as sent, read on demand) and [`Blob`] (base64 on the wire).

use std::fmt;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::codec::time::unix_from_civil;
use crate::codec::tolerant::Tolerant;

/// A date-time, kept exactly as the server sent it.
///
/// Providers print date-times in many forms (`2024-03-12T12:12:12Z`,
/// `2024-03-12 12:12:12`, `2024-03-12T12:12Z`, epoch seconds), so nothing is lost by
/// decoding: the text is kept, and [`unix_seconds`](Self::unix_seconds) /
/// [`unix_seconds_with_offset`](Self::unix_seconds_with_offset) read it when asked.
/// A number on the wire is kept as its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DateTime(String);

impl DateTime {
    /// A date-time from its wire text.
    pub fn new(text: impl Into<String>) -> Self {
        DateTime(text.into())
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Seconds since the Unix epoch, for text that names its zone: RFC 3339 / ISO 8601
    /// date-times with `Z` or an offset (`2024-03-12T12:12:12Z`,
    /// `2024-03-12T12:12:12.5+08:00`, `2024-03-12T12:12Z`; a space may stand for `T`),
    /// and all-digit epoch seconds (10 digits) or milliseconds (13 digits). Fractions of
    /// a second are dropped. `None` for anything else, including zone-less text (see
    /// [`unix_seconds_with_offset`](Self::unix_seconds_with_offset)).
    pub fn unix_seconds(&self) -> Option<i64> {
        let (local, offset) = parse(&self.0)?;
        Some(local - i64::from(offset?))
    }

    /// Like [`unix_seconds`](Self::unix_seconds), and also reads zone-less text
    /// (`2024-03-12 12:12:12`, `2024-03-12T12:12:12`, `2024-03-12T12:12`, `2024-03-12`)
    /// as local time at `offset_secs` east of UTC. Text that names its zone keeps it.
    ///
    /// Tencent Cloud and Alibaba Cloud documents mostly print Beijing time (UTC+8,
    /// `8 * 3600`) for zone-less values, but the APIs do not say so per field: the
    /// caller decides.
    pub fn unix_seconds_with_offset(&self, offset_secs: i32) -> Option<i64> {
        let (local, offset) = parse(&self.0)?;
        Some(local - i64::from(offset.unwrap_or(offset_secs)))
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for DateTime {
    fn from(text: String) -> Self {
        DateTime(text)
    }
}

impl From<&str> for DateTime {
    fn from(text: &str) -> Self {
        DateTime(text.to_owned())
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date-time (a string or an epoch number)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                Ok(DateTime(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<DateTime, E> {
                Ok(DateTime(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                Ok(DateTime(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                Ok(DateTime(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Tolerant for DateTime {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DateTime::deserialize(d)
    }
}

/// Reads a date-time: `(local seconds as if UTC, the offset east of UTC if the text
/// names one)`.
fn parse(text: &str) -> Option<(i64, Option<i32>)> {
    let s = text.trim().as_bytes();
    if !s.is_empty() && s.iter().all(u8::is_ascii_digit) {
        let n: i64 = std::str::from_utf8(s).ok()?.parse().ok()?;
        return match s.len() {
            10 => Some((n, Some(0))),
            13 => Some((n.div_euclid(1000), Some(0))),
            _ => None,
        };
    }
    // Fixed-width digits at `at`.
    let num = |at: usize, len: usize| -> Option<u32> {
        let digits = s.get(at..at + len)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
        return None;
    }
    let civil = |h, mi, sec| unix_from_civil(i64::from(year), month, day, h, mi, sec);
    if s.len() == 10 {
        return Some((civil(0, 0, 0)?, None));
    }
    if !matches!(s[10], b'T' | b't' | b' ') || s.get(13) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (num(11, 2)?, num(14, 2)?);
    let mut at = 16;
    let mut second = 0;
    if s.get(at) == Some(&b':') {
        second = num(at + 1, 2)?;
        at += 3;
        if matches!(s.get(at), Some(b'.' | b',')) {
            let digits = s[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 {
                return None;
            }
            at += 1 + digits;
        }
    }
    let local = civil(hour, minute, second)?;
    let offset = match &s[at..] {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest {
                [_, _] => (num(at + 1, 2)?, 0),
                [_, _, b':', _, _] => (num(at + 1, 2)?, num(at + 4, 2)?),
                [_, _, _, _] => (num(at + 1, 2)?, num(at + 3, 2)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let secs = (h * 3600 + m * 60) as i32;
            Some(if *sign == b'-' { -secs } else { secs })
        }
        _ => return None,
    };
    Some((local, offset))
}

/// Binary data, carried as standard base64 (`+/`, padded) on the wire.
///
/// Decoding accepts the padding or its absence and ignores ASCII whitespace (line-wrapped
/// base64); `Debug` prints the length, not the content.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Blob(Vec<u8>);

/// Standard alphabet; decoding accepts input with or without padding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl Blob {
    /// A blob of `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// The bytes as standard, padded base64 (as sent on the wire).
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }

    /// Decodes standard base64, padded or not; ASCII whitespace is ignored.
    pub(crate) fn from_base64(text: &str) -> Result<Self, String> {
        let decoded = if text.bytes().any(|b| b.is_ascii_whitespace()) {
            let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
            BASE64.decode(compact)
        } else {
            BASE64.decode(text)
        };
        decoded
            .map(Blob)
            .map_err(|e| format!("expected base64 data, found a string that is not base64 ({e})"))
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("base64 data (a string)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                Blob::from_base64(v).map_err(E::custom)
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Blob, E> {
                Ok(Blob(v.to_vec()))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Blob, E> {
                Ok(Blob(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl Tolerant for Blob {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Blob::deserialize(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEIJING: i32 = 8 * 3600;

    #[test]
    fn zoned_date_times_read_alone() {
        let at = |s: &str| DateTime::from(s).unix_seconds();
        // 2024-03-12T12:12:12Z
        let t = 1_710_245_532;
        assert_eq!(at("2024-03-12T12:12:12Z"), Some(t));
        assert_eq!(at("2024-03-12t12:12:12z"), Some(t));
        assert_eq!(at("2024-03-12 12:12:12Z"), Some(t));
        assert_eq!(at(" 2024-03-12T12:12:12Z "), Some(t));
        assert_eq!(at("2024-03-12T20:12:12+08:00"), Some(t));
        assert_eq!(at("2024-03-12T20:12:12+0800"), Some(t));
        assert_eq!(at("2024-03-12T20:12:12+08"), Some(t));
        assert_eq!(at("2024-03-12T06:42:12-05:30"), Some(t));
        assert_eq!(at("2024-03-12T12:12:12.999Z"), Some(t));
        assert_eq!(at("2024-03-12T12:12:12,5Z"), Some(t));
        assert_eq!(at("2024-03-12T20:12:12.123456789+08:00"), Some(t));
        assert_eq!(at("2024-03-12T12:12Z"), Some(t - 12));
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(at("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(at("1710245532"), Some(t));
        assert_eq!(at("1710245532999"), Some(t));
        // An explicit zone wins over the caller's default.
        assert_eq!(
            DateTime::from("2024-03-12T12:12:12Z").unix_seconds_with_offset(BEIJING),
            Some(t)
        );
        assert_eq!(
            DateTime::from("1710245532").unix_seconds_with_offset(BEIJING),
            Some(t)
        );
    }

    #[test]
    fn zone_less_date_times_need_an_offset() {
        let t = 1_710_245_532; // 2024-03-12T12:12:12Z = 20:12:12 in Beijing
        for s in [
            "2024-03-12 20:12:12",
            "2024-03-12T20:12:12",
            "2024-03-12T20:12:12.75",
        ] {
            let d = DateTime::from(s);
            assert_eq!(d.unix_seconds(), None, "{s}");
            assert_eq!(d.unix_seconds_with_offset(BEIJING), Some(t), "{s}");
            assert_eq!(d.unix_seconds_with_offset(0), Some(t + 8 * 3600), "{s}");
        }
        let d = DateTime::from("2024-03-12T20:12");
        assert_eq!(d.unix_seconds_with_offset(BEIJING), Some(t - 12));
        let d = DateTime::from("2024-03-12");
        assert_eq!(d.unix_seconds(), None);
        assert_eq!(d.unix_seconds_with_offset(0), Some(1_710_201_600));
        assert_eq!(
            d.unix_seconds_with_offset(BEIJING),
            Some(1_710_201_600 - 8 * 3600)
        );
    }

    #[test]
    fn leap_years_and_invalid_text() {
        let at = |s: &str| DateTime::from(s).unix_seconds_with_offset(0);
        assert_eq!(at("2024-02-29"), Some(1_709_164_800));
        assert_eq!(at("2000-02-29 00:00:00"), Some(951_782_400));
        assert_eq!(at("2024-03-01"), Some(1_709_164_800 + 86_400));
        assert_eq!(at("2023-02-29"), None);
        assert_eq!(at("1900-02-29"), None);
        assert_eq!(at("2023-12-31T23:59:60Z"), Some(1_704_067_200));
        for bad in [
            "",
            "now",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-03-12T24:00:00Z",
            "2024-03-12T12:60:00Z",
            "2024-03-12T12:12:61Z",
            "2024-03-12T12:12:12+24:00",
            "2024-03-12T12:12:12+08:60",
            "2024-03-12T12:12:12+8",
            "2024-03-12T12:12:12.Z",
            "2024-03-12T12:12:12 Z",
            "2024-03-12T12:12:12ZZ",
            "2024-03-12X12:12:12Z",
            "2024-3-12",
            "24-03-12",
            "2024/03/12",
            "+024-03-12",
            "12345",
            "17102455320",
            "-1710245532",
            "２０２４-03-12",
        ] {
            assert_eq!(at(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn date_times_keep_their_text_through_serde() {
        let d: DateTime = serde_json::from_str(r#""2024-03-12 12:12:12""#).unwrap();
        assert_eq!(d.as_str(), "2024-03-12 12:12:12");
        assert_eq!(d.to_string(), "2024-03-12 12:12:12");
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#""2024-03-12 12:12:12""#
        );
        let d: DateTime = serde_json::from_str("1710245532").unwrap();
        assert_eq!(d, DateTime::new("1710245532"));
        assert_eq!(d.unix_seconds(), Some(1_710_245_532));
        assert!(serde_json::from_str::<DateTime>("{}").is_err());
        assert!(serde_json::from_str::<DateTime>("true").is_err());
    }

    #[test]
    fn blobs_are_base64_on_the_wire() {
        let b = Blob::from(&b"\x00\xffhello?"[..]);
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, r#""AP9oZWxsbz8=""#);
        assert_eq!(serde_json::from_str::<Blob>(&json).unwrap(), b);
        assert_eq!(
            serde_json::from_str::<Blob>(r#""AP9oZWxsbz8""#).unwrap(),
            b,
            "padding is optional"
        );
        assert_eq!(
            serde_json::from_str::<Blob>(r#""AP9o\nZWxs bz8=""#).unwrap(),
            b,
            "whitespace is ignored"
        );
        assert_eq!(
            serde_json::from_str::<Blob>(r#""""#).unwrap(),
            Blob::default()
        );
        assert_eq!(format!("{b:?}"), "Blob(8 bytes)");
        assert_eq!(b.as_bytes(), b"\x00\xffhello?");
        assert_eq!(b.clone().into_inner(), b"\x00\xffhello?".to_vec());
        assert_eq!(Blob::new(vec![1, 2]).as_bytes(), &[1, 2]);
        for bad in [r#""AP9-ZWxsbz8""#, r#""A""#, r#""AP9oZWxsbz8==x""#, "12"] {
            let err = serde_json::from_str::<Blob>(bad).unwrap_err().to_string();
            assert!(err.contains("base64"), "{bad}: {err}");
        }
    }

    #[test]
    fn new_scalars_flatten_into_queries_as_their_wire_text() {
        use crate::codec::flat::{flatten_into, Base, Style};
        let value = serde_json::json!({
            "Size": u64::MAX,
            "At": DateTime::from("2024-03-12 12:12:12"),
            "Data": Blob::from(&b"\x00\x01\xfe"[..]),
        });
        let mut out = Vec::new();
        for name in ["Size", "At", "Data"] {
            flatten_into(&mut out, name, &value[name], Style::Flat, Base::One);
        }
        assert_eq!(
            out,
            [
                ("Size", "18446744073709551615"),
                ("At", "2024-03-12 12:12:12"),
                ("Data", "AAH+"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }
}
