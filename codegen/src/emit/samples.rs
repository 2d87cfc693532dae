//! Responses synthesized from the model, for actions whose document shows no example:
//! the stub answers with them, and tests round-trip them through the decoder.
//!
//! Every field is present: a field's documented example where it has one that fits its
//! type, else a plain value of the type (`""`-free placeholders so the result reads as
//! data: `"example"`, `0`, `false`, the enum's first value, one list element). Structures
//! that contain themselves stop after a few levels.

use serde_json::{Map, Value};

use crate::ir::{Action, Answer, Product, StructDef, Ty, TypeDef, TypeHome};

/// How deep nested structures are expanded.
const MAX_DEPTH: usize = 4;

/// The synthesized success body of `a`, in the protocol's JSON envelope, pretty-printed.
/// An answer that is a JSON value as a whole is that value (the one field's); text and
/// bytes answers are the field's documented example, else `example` (the bytes of that
/// text).
pub fn response_json(p: &Product, a: &Action) -> String {
    let whole = a.response.fields.first();
    match (a.answer, whole) {
        (Answer::Text | Answer::Bytes, Some(f)) => {
            return f
                .example
                .clone()
                .filter(|e| a.answer == Answer::Text && !e.is_empty())
                .unwrap_or_else(|| "example".to_owned())
        }
        (Answer::Value, Some(f)) => {
            let example = f.example.as_deref().and_then(|e| from_example(&f.ty, e));
            let v = example
                .or_else(|| value(p, a, &f.ty, 0))
                .unwrap_or(Value::Null);
            return serde_json::to_string_pretty(&v).unwrap_or_default();
        }
        _ => {}
    }
    let body = Value::Object(structure(p, a, &a.response, 0));
    // In the protocol's envelope (Tencent Cloud's `{"Response": …}`).
    let body = match p.protocol.descriptor().success {
        crate::ir::Envelope::Member(m) => {
            let mut env = Map::new();
            env.insert(m.into(), body);
            Value::Object(env)
        }
        _ => body,
    };
    serde_json::to_string_pretty(&body).unwrap_or_default()
}

fn structure(p: &Product, a: &Action, s: &StructDef, depth: usize) -> Map<String, Value> {
    let mut out = Map::new();
    for f in &s.fields {
        let example = f.example.as_deref().and_then(|e| from_example(&f.ty, e));
        let Some(v) = example.or_else(|| value(p, a, &f.ty, depth)) else {
            continue;
        };
        let v = match (&f.wrapped, v) {
            (Some(inner), v) => {
                let mut w = Map::new();
                w.insert(inner.clone(), v);
                Value::Object(w)
            }
            (None, v) => v,
        };
        out.insert(f.name.clone(), v);
    }
    out
}

/// A value of `ty`, or `None` where a structure would nest too deep.
fn value(p: &Product, a: &Action, ty: &Ty, depth: usize) -> Option<Value> {
    Some(match ty {
        Ty::String => Value::from("example"),
        Ty::Integer | Ty::U64 => Value::from(0),
        Ty::Boolean => Value::from(false),
        Ty::Float => Value::from(0.5),
        Ty::DateTime => Value::from("2024-01-01T00:00:00Z"),
        Ty::Binary => Value::from("ZXhhbXBsZQ=="),
        Ty::Json => Value::Object(Map::new()),
        Ty::List(inner) => Value::Array(value(p, a, inner, depth).into_iter().collect()),
        Ty::Map(inner) => {
            let mut m = Map::new();
            if let Some(v) = value(p, a, inner, depth) {
                m.insert("key".into(), v);
            }
            Value::Object(m)
        }
        Ty::Enum(r) | Ty::Struct(r) => {
            let pool: &[TypeDef] = match &r.home {
                TypeHome::Shared => &p.types,
                TypeHome::Action(_) => &a.types,
            };
            match pool.iter().find(|t| t.rust_name() == r.rust_name)? {
                TypeDef::Enum(e) => Value::from(e.values.first()?.value.clone()),
                TypeDef::Struct(s) if depth < MAX_DEPTH => {
                    Value::Object(structure(p, a, s, depth + 1))
                }
                TypeDef::Struct(_) => return None,
            }
        }
    })
}

/// A field's documented example as a value of its type, if it is one.
fn from_example(ty: &Ty, text: &str) -> Option<Value> {
    match ty {
        Ty::String | Ty::DateTime => Some(Value::from(text)),
        Ty::Integer => text.parse::<i64>().ok().map(Value::from),
        Ty::U64 => text.parse::<u64>().ok().map(Value::from),
        Ty::Float => text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Value::from),
        Ty::Boolean => text.parse::<bool>().ok().map(Value::from),
        // Examples of structures and lists are often abridged; they are not trusted here.
        _ => None,
    }
}
