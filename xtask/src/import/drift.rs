//! The drift report: where the specs and the provider's metadata disagree, per action
//! and member (type, required, missing or extra members, enum values), and for the
//! product's error codes. Both sides are compared as the spec format says them: the
//! specs as written, the metadata as the importer maps it (with nothing kept).

use std::collections::{BTreeMap, BTreeSet};

use codegen::spec::{ActionSpec, FieldSpec, ParameterSpec, ProductSpec, TypeSpec};

/// A member as compared: its wire name, type expression and whether it is required.
#[derive(Debug, Clone)]
struct Member {
    name: String,
    ty: String,
    required: bool,
}

#[derive(Debug, Clone)]
enum Named {
    Struct(Vec<Member>),
    Enum(Vec<String>),
}

/// One side of one action: its members and the named types it can see.
struct Side {
    params: Vec<Member>,
    response: Vec<Member>,
    types: BTreeMap<String, Named>,
}

fn spec_param(p: &ParameterSpec) -> Member {
    let wire = p.wire_name.as_deref().unwrap_or(&p.name);
    Member {
        name: wire.trim_end_matches(".N").to_owned(),
        ty: p.ty.trim().to_owned(),
        required: p.required,
    }
}

fn spec_field(f: &FieldSpec) -> Member {
    Member {
        name: f.name.clone(),
        ty: f.ty.trim().to_owned(),
        required: f.required,
    }
}

fn spec_types(list: &[TypeSpec], into: &mut BTreeMap<String, Named>) {
    for t in list {
        let named = match (&t.fields, &t.values) {
            (_, Some(values)) => Named::Enum(values.iter().map(|v| v.value.0.clone()).collect()),
            (Some(fields), None) => Named::Struct(fields.iter().map(spec_field).collect()),
            (None, None) => Named::Struct(Vec::new()),
        };
        into.insert(t.name.clone(), named);
    }
}

/// A type expression resolved against one side's named types.
enum Shape<'a> {
    List(Box<Shape<'a>>),
    Map(Box<Shape<'a>>),
    Struct(&'a str, &'a [Member]),
    Enum(&'a str, &'a [String]),
    Scalar(String),
}

fn shape<'a>(ty: &'a str, types: &'a BTreeMap<String, Named>) -> Shape<'a> {
    let t = ty.trim();
    if let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
        return Shape::List(Box::new(shape(inner, types)));
    }
    if let Some(inner) = t.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
        return Shape::Map(Box::new(shape(inner, types)));
    }
    match types.get_key_value(t) {
        Some((name, Named::Struct(fields))) => Shape::Struct(name, fields),
        Some((name, Named::Enum(values))) => Shape::Enum(name, values),
        // `float` and `double` are both f64.
        None if t == "float" => Shape::Scalar("double".into()),
        None => Shape::Scalar(t.to_owned()),
    }
}

fn show(s: &Shape) -> String {
    match s {
        Shape::List(i) => format!("list<{}>", show(i)),
        Shape::Map(i) => format!("map<{}>", show(i)),
        Shape::Struct(n, _) => format!("structure {n}"),
        Shape::Enum(n, _) => format!("string enum {n}"),
        Shape::Scalar(s) => s.clone(),
    }
}

struct Cmp<'a> {
    action: &'a str,
    spec: &'a Side,
    meta: &'a Side,
    seen: BTreeSet<(String, String)>,
    lines: Vec<String>,
}

impl Cmp<'_> {
    fn line(&mut self, at: &str, what: String) {
        self.lines.push(format!("{}: {at}: {what}", self.action));
    }

    fn members(&mut self, at: &dyn Fn(&str) -> String, spec: &[Member], meta: &[Member]) {
        for m in meta {
            let Some(s) = spec.iter().find(|s| s.name == m.name) else {
                let meta_side = self.meta;
                let ty = show(&shape(&m.ty, &meta_side.types));
                self.line(&at(&m.name), format!("missing in spec (metadata: {ty})"));
                continue;
            };
            if s.required != m.required {
                self.line(
                    &at(&m.name),
                    format!(
                        "required differs (spec {}, metadata {})",
                        s.required, m.required
                    ),
                );
            }
            self.ty(&at(&m.name), &s.ty, &m.ty);
        }
        for s in spec {
            if !meta.iter().any(|m| m.name == s.name) {
                self.line(&at(&s.name), "extra in spec (not in the metadata)".into());
            }
        }
    }

    fn ty(&mut self, at: &str, spec_ty: &str, meta_ty: &str) {
        let (spec, meta) = (self.spec, self.meta);
        let (s, m) = (shape(spec_ty, &spec.types), shape(meta_ty, &meta.types));
        self.shapes(at, &s, &m);
    }

    fn shapes(&mut self, at: &str, s: &Shape, m: &Shape) {
        match (s, m) {
            (Shape::List(a), Shape::List(b)) | (Shape::Map(a), Shape::Map(b)) => {
                self.shapes(at, a, b)
            }
            (Shape::Struct(sn, sf), Shape::Struct(mn, mf)) => {
                if self.seen.insert(((*sn).to_owned(), (*mn).to_owned())) {
                    let prefix = (*sn).to_owned();
                    self.members(&|f| format!("{prefix}.{f}"), sf, mf);
                }
            }
            (Shape::Enum(_, sv), Shape::Enum(_, mv)) => {
                let a: BTreeSet<&String> = sv.iter().collect();
                let b: BTreeSet<&String> = mv.iter().collect();
                if a != b {
                    self.line(
                        at,
                        format!("enum values differ (spec {sv:?}, metadata {mv:?})"),
                    );
                }
            }
            // An enum is a string on the wire; the metadata lists no values to compare.
            (Shape::Enum(..), Shape::Scalar(t)) | (Shape::Scalar(t), Shape::Enum(..))
                if t == "string" => {}
            (Shape::Scalar(a), Shape::Scalar(b)) if a == b => {}
            _ => self.line(
                at,
                format!("type differs (spec {}, metadata {})", show(s), show(m)),
            ),
        }
    }
}

/// The spec side of one action.
fn spec_side(product: Option<&ProductSpec>, a: &ActionSpec) -> Side {
    let mut types = BTreeMap::new();
    if let Some(p) = product {
        spec_types(&p.types, &mut types);
    }
    spec_types(&a.types, &mut types);
    Side {
        params: a.parameters.iter().map(spec_param).collect(),
        response: a.response.fields.iter().map(spec_field).collect(),
        types,
    }
}

/// The report's lines: per action and member, then the product's error codes and the
/// actions only one side has.
pub fn report(
    spec_product: Option<&ProductSpec>,
    spec_actions: &[ActionSpec],
    meta_product: &ProductSpec,
    meta_actions: &[ActionSpec],
    provider_errors: &BTreeSet<String>,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut specs: Vec<&ActionSpec> = spec_actions.iter().collect();
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    for a in &specs {
        let Some(m) = meta_actions.iter().find(|m| m.name == a.name) else {
            lines.push(format!(
                "{}: extra in spec (the metadata has no such action)",
                a.name
            ));
            continue;
        };
        let (spec, meta) = (spec_side(spec_product, a), spec_side(Some(meta_product), m));
        let mut c = Cmp {
            action: &a.name,
            spec: &spec,
            meta: &meta,
            seen: BTreeSet::new(),
            lines: Vec::new(),
        };
        c.members(&|n| format!("parameter {n}"), &spec.params, &meta.params);
        c.members(&|n| format!("response {n}"), &spec.response, &meta.response);
        lines.extend(c.lines);
    }
    let mut spec_codes: BTreeSet<&str> = provider_errors.iter().map(String::as_str).collect();
    let mut own_codes: BTreeSet<&str> = BTreeSet::new();
    for e in spec_product.iter().flat_map(|p| &p.errors) {
        own_codes.insert(&e.code);
    }
    for a in &specs {
        own_codes.extend(a.errors.iter().map(|e| e.code.as_str()));
    }
    spec_codes.extend(own_codes.iter().copied());
    // Tencent's SDK lists every code in errorcodes.py; Alibaba's SDK packages list none.
    let errors_source = (meta_product.provider == "tencentcloud").then_some("errorcodes.py");
    let Some(errors_source) = errors_source else {
        if !own_codes.is_empty() {
            lines.push(format!(
                "errors: not compared: the SDK package (client.py and models) lists no error codes; the spec lists {}",
                own_codes.len()
            ));
        }
        return finish(lines, meta_actions, &specs);
    };
    let meta_codes: BTreeSet<&str> = meta_product
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    let missing: Vec<&str> = meta_codes
        .iter()
        .filter(|c| !spec_codes.contains(*c))
        .copied()
        .collect();
    if !missing.is_empty() {
        lines.push(format!(
            "errors: {} codes of {errors_source} are missing in spec: {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    for c in own_codes {
        if !meta_codes.contains(c) && !provider_errors.contains(c) {
            lines.push(format!(
                "errors: {c}: extra in spec ({errors_source} does not list it)"
            ));
        }
    }
    finish(lines, meta_actions, &specs)
}

/// The actions of the metadata without a spec file, after the other lines.
fn finish(
    mut lines: Vec<String>,
    meta_actions: &[ActionSpec],
    specs: &[&ActionSpec],
) -> Vec<String> {
    let no_file: Vec<&str> = meta_actions
        .iter()
        .filter(|m| !specs.iter().any(|a| a.name == m.name))
        .map(|m| m.name.as_str())
        .collect();
    if !no_file.is_empty() {
        lines.push(format!(
            "actions: {} actions of the metadata have no spec file: {}",
            no_file.len(),
            no_file.join(", ")
        ));
    }
    lines
}
