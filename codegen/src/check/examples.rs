//! The document's examples against the model: every JSON response example must decode
//! under the runtime's tolerance rule, every member it shows must be in the model, and
//! every parameter a request example sends must be one the action has.
//!
//! The rule is `cloudapi_protocol::tolerance`, which the runtime's decoders (`runtime::codec::tolerant`)
//! apply too (see ARCHITECTURE.md): numbers and booleans may come as strings, booleans and
//! integers accept each other's encodings, `null` is absent, a list may come as one
//! element, an empty string or `[]` stands for an empty structure. This module walks the
//! JSON and asks the rule about each scalar and each empty text.
//! XML examples are kept verbatim and not checked here.

use cloudapi_protocol::tolerance::{self, Scalar};
use serde_json::Value;

use super::Cx;
use crate::ir::{self, Protocol, StructDef, Ty, TypeDef, TypeHome};
use crate::source::FileId;

/// The named types an action's model can reach.
struct Model<'a> {
    local: &'a [TypeDef],
    shared: &'a [TypeDef],
}

impl Model<'_> {
    fn find(&self, r: &ir::TypeRef) -> Option<&TypeDef> {
        let pool = match r.home {
            TypeHome::Shared => self.shared,
            TypeHome::Action(_) => self.local,
        };
        pool.iter().find(|t| t.rust_name() == r.rust_name)
    }
}

/// One mismatch: where in the example, and what is wrong.
struct Mismatch {
    path: String,
    problem: String,
    help: String,
}

/// How far into an example the check descends.
const MAX_DEPTH: usize = 64;

impl Cx<'_> {
    /// Checks the examples of an action whose parts all lowered.
    pub(super) fn check_examples(
        &mut self,
        f: FileId,
        protocol: Protocol,
        action: &ir::Action,
        common_parameters: &[(String, String)],
        shared: &[TypeDef],
    ) {
        let model = Model {
            local: &action.types,
            shared,
        };
        for (i, ex) in action.examples.iter().enumerate() {
            if let Some(json) = &ex.response_json {
                // Invalid JSON is reported by the parse check.
                if let Ok(v) = serde_json::from_str::<Value>(json) {
                    let mut out = Vec::new();
                    let d = protocol.descriptor();
                    let (body, at) = match (d.success, &v) {
                        (ir::Envelope::Member(m), Value::Object(o)) => match o.get(m) {
                            Some(inner) => (inner, m.to_owned()),
                            None => {
                                out.push(Mismatch {
                                    path: ".".into(),
                                    problem: format!("has no `{m}` member"),
                                    help: format!(
                                        "{} answers `{{\"{m}\": {{...}}}}`; copy the example whole",
                                        d.cloud.descriptor().title
                                    ),
                                });
                                (&v, String::new())
                            }
                        },
                        _ => (&v, String::new()),
                    };
                    match (&action.answer, action.response.fields.as_slice()) {
                        _ if !out.is_empty() => {}
                        // The whole body is the one field's value.
                        (ir::Answer::Value, [field]) => {
                            check_value(&model, &field.ty, body, &at, 0, &mut out)
                        }
                        _ => check_struct(&model, &action.response, body, &at, 0, &mut out),
                    }
                    self.report(f, &format!("examples[{i}].response_json"), "response", &out);
                }
            }
            if let Some(req) = &ex.request {
                let out = check_request(action, common_parameters, &model, req);
                self.report(f, &format!("examples[{i}].request"), "request", &out);
            }
        }
    }

    fn report(&mut self, f: FileId, at: &str, what: &str, found: &[Mismatch]) {
        // The first few are enough to fix a transcription; the rest are counted.
        for m in found.iter().take(5) {
            self.err(
                f,
                at,
                format!(
                    "the {what} example does not fit the model at `{}`: {}",
                    m.path, m.problem
                ),
                "example and model disagree",
                m.help.clone(),
            );
        }
        if found.len() > 5 {
            self.err(
                f,
                at,
                format!("the {what} example has {} more mismatches", found.len() - 5),
                "example and model disagree",
                "fix the ones above first",
            );
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn check_struct(
    model: &Model,
    s: &StructDef,
    v: &Value,
    path: &str,
    depth: usize,
    out: &mut Vec<Mismatch>,
) {
    let obj = match v {
        Value::Object(o) => o,
        Value::Null => return,
        Value::String(t) if tolerance::is_empty_structure_text(t) => return,
        Value::Array(a) if a.is_empty() => return,
        other => {
            out.push(Mismatch {
                path: display(path),
                problem: format!(
                    "a structure ({}) is expected, found {}",
                    s.rust_name,
                    kind(other)
                ),
                help: "fix the field's type in the spec, or the example".into(),
            });
            return;
        }
    };
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in obj {
        let p = join(path, key);
        match s.fields.iter().find(|f| f.name == *key) {
            Some(field) => match &field.wrapped {
                Some(inner) => check_wrapped(model, &field.ty, inner, value, &p, depth, out),
                None => check_value(model, &field.ty, value, &p, depth, out),
            },
            None => out.push(Mismatch {
                path: p,
                problem: format!("`{key}` is not a field of {}", s.rust_name),
                help: format!(
                    "add `{key}` to the fields of {} (the model must hold every member the document shows)",
                    s.rust_name
                ),
            }),
        }
    }
}

fn check_wrapped(
    model: &Model,
    ty: &Ty,
    inner: &str,
    v: &Value,
    path: &str,
    depth: usize,
    out: &mut Vec<Mismatch>,
) {
    match v {
        Value::Object(o) => {
            for (key, value) in o {
                if key == inner {
                    check_value(model, ty, value, &join(path, key), depth, out);
                }
            }
        }
        Value::Null => {}
        Value::String(t) if tolerance::is_empty_structure_text(t) => {}
        // The unwrapped form decodes too.
        Value::Array(_) => check_value(model, ty, v, path, depth, out),
        other => out.push(Mismatch {
            path: display(path),
            problem: format!(
                "a list wrapped in `{{\"{inner}\": [...]}}` is expected, found {}",
                kind(other)
            ),
            help: "check `wrapped:` against the example".into(),
        }),
    }
}

fn check_value(
    model: &Model,
    ty: &Ty,
    v: &Value,
    path: &str,
    depth: usize,
    out: &mut Vec<Mismatch>,
) {
    if v.is_null() {
        return;
    }
    let ok = match ty {
        // A string enum is read as a string; so is a date-time here (the runtime's
        // `DateTime` refuses a boolean, which this does not check).
        Ty::String | Ty::DateTime | Ty::Enum(_) => scalar(v).and_then(tolerance::string).is_some(),
        Ty::Integer => scalar(v).and_then(tolerance::integer).is_some(),
        Ty::U64 => scalar(v).and_then(tolerance::unsigned).is_some(),
        Ty::Float => scalar(v).and_then(tolerance::float).is_some(),
        Ty::Boolean => scalar(v).and_then(tolerance::boolean).is_some(),
        Ty::Binary => matches!(v, Value::String(_)),
        Ty::Json => true,
        Ty::List(inner) => {
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check_value(model, inner, item, &format!("{path}[{i}]"), depth + 1, out);
                    }
                }
                Value::String(s) if tolerance::is_empty_list_text(s) => {}
                one => check_value(model, inner, one, &format!("{path}[0]"), depth + 1, out),
            }
            true
        }
        Ty::Map(inner) => match v {
            Value::Object(o) => {
                for (k, item) in o {
                    check_value(model, inner, item, &join(path, k), depth + 1, out);
                }
                true
            }
            Value::String(s) => tolerance::is_empty_structure_text(s),
            Value::Array(a) => a.is_empty(),
            _ => false,
        },
        Ty::Struct(r) => {
            if let Some(TypeDef::Struct(s)) = model.find(r) {
                check_struct(model, s, v, path, depth + 1, out);
            }
            true
        }
    };
    if !ok {
        out.push(Mismatch {
            path: display(path),
            problem: format!("{} is expected, found {}", expected(ty), kind(v)),
            help: "fix the field's type in the spec (the providers' metadata may say more), or the example".into(),
        });
    }
}

/// The scalar the runtime's decoders are handed for `v`, as serde_json hands it over: a
/// non-negative integer as unsigned, a negative one as signed, any other number as a
/// float. `None` for `null`, arrays and objects.
fn scalar(v: &Value) -> Option<Scalar<'_>> {
    match v {
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Number(n) => Some(match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Scalar::Unsigned(u),
            (_, Some(i)) => Scalar::Signed(i),
            _ => Scalar::Float(n.as_f64()?),
        }),
        Value::String(s) => Some(Scalar::Text(s)),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn expected(ty: &Ty) -> &'static str {
    match ty {
        Ty::Integer => "an integer",
        Ty::U64 => "an unsigned integer",
        Ty::Float => "a number",
        Ty::Boolean => "a boolean",
        Ty::Binary => "a base64 string",
        Ty::Map(_) => "an object (a map)",
        _ => "a string",
    }
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a string".into(),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn display(path: &str) -> String {
    if path.is_empty() {
        ".".into()
    } else {
        path.to_owned()
    }
}

/// The parameters a request example sends: the JSON object in it (Tencent's body, an
/// ROA body), else the query string after `?` (Alibaba RPC). Other forms are not checked.
fn check_request(
    action: &ir::Action,
    common: &[(String, String)],
    model: &Model,
    text: &str,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let find = |name: &str| action.params.iter().find(|p| p.wire_name == name);
    if let Some(start) = text.find('{') {
        let Ok(Value::Object(body)) = serde_json::from_str::<Value>(text[start..].trim_end())
        else {
            return out;
        };
        for (key, value) in &body {
            match find(key) {
                Some(p) => check_value(model, &p.ty, value, key, 0, &mut out),
                None => out.push(unknown_param(action, key)),
            }
        }
        return out;
    }
    let Some(q) = text.find('?') else { return out };
    let query = text[q + 1..].split_whitespace().next().unwrap_or("");
    for pair in query.split('&') {
        let key = pair.split('=').next().unwrap_or("");
        // `<公共请求参数>`-style placeholders and the protocol's own parameters.
        if key.is_empty() || key.starts_with('<') || key.starts_with('[') {
            continue;
        }
        let top = key.split('.').next().unwrap_or(key);
        if ["Action", "Version"].contains(&top) || common.iter().any(|(n, _)| n == top) {
            continue;
        }
        if find(top).is_none() {
            out.push(unknown_param(action, top));
        }
    }
    out
}

fn unknown_param(action: &ir::Action, key: &str) -> Mismatch {
    Mismatch {
        path: key.to_owned(),
        problem: format!("`{key}` is not a parameter of {}", action.name),
        help: format!("add the parameter `{key}` to the action (or to `common_parameters` if every action takes it)"),
    }
}

#[cfg(test)]
mod tests {
    use cloudapi_protocol::tolerance::{self, Scalar};
    use serde_json::{json, Value};

    use super::{check_value, scalar, Model};
    use crate::ir::Ty;

    /// Whether the checker finds `v` fits `ty`.
    fn fits(ty: Ty, v: &Value) -> bool {
        let model = Model {
            local: &[],
            shared: &[],
        };
        let mut out = Vec::new();
        check_value(&model, &ty, v, "X", 0, &mut out);
        out.is_empty()
    }

    #[test]
    fn scalars_fit_as_the_tolerance_rule_says() {
        let values = [
            json!(0),
            json!(1),
            json!(2),
            json!(-1),
            json!(1.0),
            json!(-0.0),
            json!(1.5),
            json!(2e3),
            json!(9e15),
            json!(i64::MAX),
            json!(i64::MAX as u64 + 1),
            json!(u64::MAX),
            json!(1e19),
            json!(true),
            json!(false),
            json!(""),
            json!(" "),
            json!(" 7 "),
            json!("3.0"),
            json!("1e3"),
            json!("-0"),
            json!("true"),
            json!("TRUE"),
            json!("1"),
            json!("yes"),
            json!("NaN"),
            json!("18446744073709551615"),
        ];
        for v in &values {
            let s = scalar(v).unwrap();
            assert_eq!(fits(Ty::Integer, v), tolerance::integer(s).is_some(), "{v}");
            assert_eq!(fits(Ty::U64, v), tolerance::unsigned(s).is_some(), "{v}");
            assert_eq!(fits(Ty::Float, v), tolerance::float(s).is_some(), "{v}");
            assert_eq!(fits(Ty::Boolean, v), tolerance::boolean(s).is_some(), "{v}");
            assert!(fits(Ty::String, v), "{v}");
        }
        // What the runtime's decoders accept, the checker now accepts too, and the other way.
        assert!(fits(Ty::Integer, &json!("3.0")));
        assert!(fits(Ty::Integer, &json!(3.0)));
        assert!(fits(Ty::U64, &json!(2e3)));
        assert!(fits(Ty::Boolean, &json!("TRUE")));
        assert!(!fits(Ty::Integer, &json!(i64::MAX as u64 + 1)));
        assert!(!fits(Ty::Integer, &json!("TRUE")));
        assert!(!fits(Ty::Boolean, &json!(1.0)));
        // `null` is absent, whatever the type; containers are not scalars.
        for ty in [Ty::Integer, Ty::U64, Ty::Float, Ty::Boolean, Ty::String] {
            assert!(fits(ty.clone(), &Value::Null));
            assert!(!fits(ty.clone(), &json!([1, 2])));
            assert!(!fits(ty, &json!({"a": 1})));
        }
        assert_eq!(scalar(&json!(-3)), Some(Scalar::Signed(-3)));
        assert_eq!(scalar(&json!(3)), Some(Scalar::Unsigned(3)));
        assert_eq!(scalar(&json!(3.0)), Some(Scalar::Float(3.0)));
    }

    #[test]
    fn empty_text_for_containers() {
        let list = || Ty::List(Box::new(Ty::Integer));
        let map = || Ty::Map(Box::new(Ty::Integer));
        assert!(fits(list(), &json!("")));
        // Blank text is one element of the list, and not an integer.
        assert!(!fits(list(), &json!(" ")));
        assert!(fits(list(), &json!("7")));
        assert!(fits(map(), &json!("")));
        assert!(fits(map(), &json!(" \n")));
        assert!(fits(map(), &json!([])));
        assert!(!fits(map(), &json!("x")));
        assert!(!fits(map(), &json!([1])));
    }
}
