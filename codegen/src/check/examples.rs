//! The document's examples against the model: every JSON response example must decode
//! under the runtime's tolerance rule, every member it shows must be in the model, and
//! every parameter a request example sends must be one the action has.
//!
//! The rule mirrors `runtime::de` (see ARCHITECTURE.md): numbers and booleans may come
//! as strings, booleans and integers accept each other's encodings, `null` is absent, a
//! list may come as one element, an empty string or `[]` stands for an empty structure.
//! XML examples are kept verbatim and not checked here.

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
                    let (body, at) = match (protocol, &v) {
                        (Protocol::Tc3, Value::Object(o)) => match o.get("Response") {
                            Some(inner) => (inner, "Response".to_owned()),
                            None => {
                                out.push(Mismatch {
                                    path: ".".into(),
                                    problem: "has no `Response` member".into(),
                                    help: "Tencent Cloud answers `{\"Response\": {...}}`; copy the example whole".into(),
                                });
                                (&v, String::new())
                            }
                        },
                        _ => (&v, String::new()),
                    };
                    if out.is_empty() {
                        check_struct(&model, &action.response, body, &at, 0, &mut out);
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
        Value::String(t) if t.trim().is_empty() => return,
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
        Value::String(t) if t.trim().is_empty() => {}
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
        Ty::String | Ty::DateTime => !matches!(v, Value::Array(_) | Value::Object(_)),
        Ty::Enum(_) => matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)),
        Ty::Integer => is_integer(v, true),
        Ty::U64 => is_integer(v, false),
        Ty::Float => match v {
            Value::Number(_) => true,
            Value::String(s) => s.trim().parse::<f64>().is_ok(),
            _ => false,
        },
        Ty::Boolean => match v {
            Value::Bool(_) => true,
            Value::Number(n) => matches!(n.as_i64(), Some(0 | 1)),
            Value::String(s) => matches!(s.trim(), "true" | "false" | "0" | "1" | "True" | "False"),
            _ => false,
        },
        Ty::Binary => matches!(v, Value::String(_)),
        Ty::Json => true,
        Ty::List(inner) => {
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check_value(model, inner, item, &format!("{path}[{i}]"), depth + 1, out);
                    }
                }
                Value::String(s) if s.is_empty() => {}
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
            Value::String(s) => s.trim().is_empty(),
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

fn is_integer(v: &Value, signed: bool) -> bool {
    match v {
        Value::Number(n) => n.as_u64().is_some() || (signed && n.as_i64().is_some()),
        Value::Bool(_) => true,
        Value::String(s) => {
            let s = s.trim();
            matches!(s, "true" | "false")
                || if signed {
                    s.parse::<i64>().is_ok()
                } else {
                    s.parse::<u64>().is_ok()
                }
        }
        _ => false,
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
