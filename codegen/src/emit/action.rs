//! One action's module: request, builder, response, nested types, error enum, examples.

use super::docs;
use super::errors::error_enum;
use super::text::{close, open, str_lit, w, Out};
use super::types::{
    deprecated_attr, derived_debug, has_checks, member_checks, redacting_debug, setter_parts,
    struct_def, type_defs, FieldAccess, DEPRECATED_DOC,
};
use super::{type_text, Site};
use crate::ir::{Action, Param, ParamStyle, Position, Product, Rule, Ty};

pub fn action_file(o: &mut Out, p: &Product, a: &Action) {
    let mut md = docs::escape(a.description.trim());
    md.push_str(&format!(
        "\n\nAction `{}` of API version {}, sent as HTTP {}.",
        a.name,
        p.version,
        a.method.as_str()
    ));
    if let Some((rps, d)) = &a.rate_limit {
        md.push_str(&format!(
            "\n\nRate limit: {rps} requests per second. {}",
            docs::escape(d)
        ));
    }
    o.inner_doc(&md);
    request(o, p, a);
    response(o, p, a);
    if !a.hoisted.is_empty() {
        o.blank();
        o.doc("Defined identically by other actions of this version, so shared.");
        if a.hoisted.len() == 1 {
            w!(o, "pub use super::types::{};", a.hoisted[0]);
        } else {
            o.list("pub use super::types::{", &a.hoisted, "};");
        }
    }
    type_defs(o, &a.types, Site::Action(&a.rust_mod));
    error_enum(o, p, a);
    examples(o, p, a);
}

/// The type of a parameter's field in the request: required ones are bare.
fn param_type(param: &Param, site: Site) -> String {
    let ty = type_text(&param.ty, site);
    if param.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

fn param_doc(param: &Param) -> String {
    let mut extra = docs::constraint_notes(
        param.required,
        param.min,
        param.max,
        param.default.as_deref(),
    );
    let wire = if param.indexed {
        format!("{}.N", param.wire_name)
    } else {
        param.wire_name.clone()
    };
    extra.push(format!("Wire name: `{wire}`."));
    if param.deprecated {
        extra.push(DEPRECATED_DOC.to_owned());
    }
    if param.position != Position::Body && param.position != Position::Query {
        extra.push(format!(
            "Sent in the {}.",
            param.position.runtime_name().to_lowercase()
        ));
    }
    match param.style {
        ParamStyle::Json => extra.push("Sent as one JSON text.".to_owned()),
        ParamStyle::Simple => extra.push("Sent as one comma-separated value.".to_owned()),
        ParamStyle::Flat => {}
    }
    docs::member_doc(&param.description, param.example.as_deref(), &extra)
}

/// The request's wire layout: method, path, body format and where each parameter goes.
fn layout(o: &mut Out, a: &Action) {
    o.blank();
    o.doc("Where each parameter of the request goes on the wire.");
    open!(
        o,
        "pub const LAYOUT: crate::runtime::wire::RequestLayout = crate::runtime::wire::RequestLayout {{"
    );
    w!(o, "method: {},", str_lit(a.method.as_str()));
    w!(o, "path: {},", str_lit(&a.path));
    w!(
        o,
        "body: crate::runtime::wire::BodyFormat::{},",
        a.body.runtime_name()
    );
    if a.params.is_empty() {
        w!(o, "params: &[],");
    } else {
        open!(o, "params: &[");
        for p in &a.params {
            open!(o, "crate::runtime::wire::WireParam {{");
            w!(o, "name: {},", str_lit(&p.wire_name));
            w!(
                o,
                "position: crate::runtime::wire::Position::{},",
                p.position.runtime_name()
            );
            w!(
                o,
                "style: crate::runtime::wire::Style::{},",
                p.style.runtime_name()
            );
            close!(o, "}},");
        }
        close!(o, "],");
    }
    close!(o, "}};");
}

fn request(o: &mut Out, p: &Product, a: &Action) {
    let site = Site::Action(&a.rust_mod);
    let (name, builder) = (&a.names.request, &a.names.builder);
    let action = &a.name;
    messages(o, p, a);
    layout(o, a);

    o.blank();
    o.doc(&format!(
        "The request of {action}. Build it with [`{name}::builder`], which checks the documented constraints."
    ));
    let members: Vec<(&str, bool)> = a
        .params
        .iter()
        .map(|p| (p.rust_name.as_str(), p.secret))
        .collect();
    w!(
        o,
        "#[derive({}Clone, PartialEq, serde::Serialize)]",
        derived_debug(&members)
    );
    // `Deserialize` is for the stub, which reads requests back; without it, checking the
    // crate skips the largest derive of every action.
    w!(
        o,
        "#[cfg_attr(feature = \"stub-server\", derive(serde::Deserialize))]"
    );
    w!(o, "#[non_exhaustive]");
    if a.params.is_empty() {
        w!(o, "pub struct {name} {{}}");
    } else {
        open!(o, "pub struct {name} {{");
        for param in &a.params {
            // The setter carries the full documentation; the field links to it.
            o.doc(&format!(
                "{} See [`{builder}::{}`].",
                docs::summary(&param.description),
                param.rust_name
            ));
            let wire = str_lit(&param.wire_name);
            if param.required {
                w!(o, "#[serde(rename = {wire})]");
            } else {
                w!(
                    o,
                    "#[serde(rename = {wire}, default, skip_serializing_if = \"Option::is_none\")]"
                );
            }
            w!(o, "pub {}: {},", param.rust_name, param_type(param, site));
        }
        close!(o, "}}");
    }
    redacting_debug(o, name, &members);

    o.blank();
    open!(o, "impl {name} {{");
    o.doc("The action name.");
    w!(o, "pub const ACTION: &'static str = {};", str_lit(action));
    o.blank();
    o.doc("The API version.");
    w!(o, "pub const VERSION: &'static str = super::VERSION;");
    o.blank();
    o.doc("A builder for this request.");
    open!(o, "pub fn builder() -> {builder} {{");
    w!(o, "{builder}::default()");
    close!(o, "}}");
    o.blank();
    o.doc("A builder holding this request's values, to change some and build again.");
    open!(o, "pub fn to_builder(&self) -> {builder} {{");
    if a.params.is_empty() {
        w!(o, "{builder} {{}}");
    } else {
        open!(o, "{builder} {{");
        for param in &a.params {
            let id = &param.rust_name;
            match (param.required, param.ty.is_copy()) {
                (true, true) => w!(o, "{id}: Some(self.{id}),"),
                (true, false) => w!(o, "{id}: Some(self.{id}.clone()),"),
                (false, true) => w!(o, "{id}: self.{id},"),
                (false, false) => w!(o, "{id}: self.{id}.clone(),"),
            }
        }
        close!(o, "}}");
    }
    close!(o, "}}");
    o.blank();
    o.doc("Checks every documented constraint; all violations are reported together.");
    open!(
        o,
        "pub fn validate(&self) -> Result<(), crate::runtime::ValidationError> {{"
    );
    w!(o, "self.to_builder().check(true)");
    close!(o, "}}");
    o.blank();
    o.doc(
        "The request as the client sends it (the protocol lays it out by [`LAYOUT`]:\n\
         a JSON body, query parameters flattened as `Name.1.Key`, or a RESTful request).",
    );
    w!(o, "#[inline]");
    open!(
        o,
        "pub fn to_payload(&self) -> crate::runtime::client::Payload {{"
    );
    w!(
        o,
        "crate::runtime::wire::payload(super::PROTOCOL, Self::ACTION, Self::VERSION, &LAYOUT, self)"
    );
    close!(o, "}}");
    close!(o, "}}");

    o.blank();
    o.doc(&format!(
        "Builds a [`{name}`]: [`build`](Self::build) checks every documented constraint and \
         reports all violations at once; [`build_unchecked`](Self::build_unchecked) checks only \
         that required parameters are set, for when a documented limit has gone stale."
    ));
    w!(
        o,
        "#[derive({}Clone, Default, PartialEq)]",
        derived_debug(&members)
    );
    if a.params.is_empty() {
        w!(o, "pub struct {builder} {{}}");
    } else {
        open!(o, "pub struct {builder} {{");
        for param in &a.params {
            w!(
                o,
                "{}: Option<{}>,",
                param.rust_name,
                type_text(&param.ty, site)
            );
        }
        close!(o, "}}");
    }
    redacting_debug(o, builder, &members);

    o.blank();
    open!(o, "impl {builder} {{");
    for param in &a.params {
        let id = &param.rust_name;
        o.doc(&param_doc(param));
        if param.deprecated {
            deprecated_attr(o, &param.name);
        }
        let (args, value) = setter_parts(&param.ty, site);
        o.open_list(
            &format!("pub fn {id}("),
            &["mut self", &args],
            ") -> Self {",
        );
        o.list(&format!("self.{id} = Some("), &[value], ");");
        w!(o, "self");
        close!(o, "}}");
        o.blank();
    }
    check_fn(o, a);
    o.blank();
    let result = format!("Result<{name}, crate::runtime::ValidationError>");
    o.open_list("fn assemble(", &["self"], &format!(") -> {result} {{"));
    for param in a.params.iter().filter(|x| x.required) {
        let id = &param.rust_name;
        open!(o, "let Some({id}) = self.{id} else {{");
        o.list(
            "return Err(crate::runtime::ValidationError::missing(",
            &[format!("{name}::ACTION"), str_lit(&param.name)],
            "));",
        );
        close!(o, "}};");
    }
    if a.params.is_empty() {
        w!(o, "Ok({name} {{}})");
    } else {
        open!(o, "Ok({name} {{");
        for param in &a.params {
            let id = &param.rust_name;
            if param.required {
                w!(o, "{id},");
            } else {
                w!(o, "{id}: self.{id},");
            }
        }
        close!(o, "}})");
    }
    close!(o, "}}");
    o.blank();
    o.doc(
        "Builds the request, checking required parameters, ranges, enum values\n\
         and cross-field rules.",
    );
    o.open_list("pub fn build(", &["self"], &format!(") -> {result} {{"));
    w!(o, "self.check(true)?;");
    w!(o, "self.assemble()");
    close!(o, "}}");
    o.blank();
    o.doc("Builds the request checking only that required parameters are set.");
    o.open_list(
        "pub fn build_unchecked(",
        &["self"],
        &format!(") -> {result} {{"),
    );
    w!(o, "self.check(false)?;");
    w!(o, "self.assemble()");
    close!(o, "}}");
    close!(o, "}}");
}

/// The builder's `check`: every member's checks, then the cross-field rules.
fn check_fn(o: &mut Out, a: &Action) {
    let name = &a.names.request;
    let any_member = a
        .params
        .iter()
        .any(|p| has_checks(&p.ty, p.required, p.min, p.max));
    let uses_flag = !a.rules.is_empty()
        || a.params
            .iter()
            .any(|p| uses_constraints(&p.ty, p.min, p.max));
    let flag = if uses_flag {
        "constraints"
    } else {
        "_constraints"
    };
    o.open_list(
        "fn check(",
        &["&self", &format!("{flag}: bool")],
        ") -> Result<(), crate::runtime::ValidationError> {",
    );
    // Only what the action has: an action without checks must not emit an unused `mut`,
    // binding or flag (warnings fail users' `-D warnings` builds).
    if !any_member && a.rules.is_empty() {
        o.list(
            "crate::runtime::validate::Validator::new(",
            &[format!("{name}::ACTION"), "&MESSAGES".to_owned()],
            ").finish()",
        );
    } else {
        o.list(
            "let mut validator = crate::runtime::validate::Validator::new(",
            &[format!("{name}::ACTION"), "&MESSAGES".to_owned()],
            ");",
        );
        w!(o, "let v = &mut validator;");
        for param in &a.params {
            member_checks(
                o,
                &param.name,
                &param.ty,
                param.required,
                param.min,
                param.max,
                &FieldAccess::Builder(&param.rust_name),
            );
        }
        if !a.rules.is_empty() {
            open!(o, "if constraints {{");
            rule_checks(o, a);
            close!(o, "}}");
        }
        w!(o, "validator.finish()");
    }
    close!(o, "}}");
}

/// The validation messages, from the action's error codes where the document gives them.
fn messages(o: &mut Out, p: &Product, a: &Action) {
    o.blank();
    o.doc("Validation messages; the document's own templates where it gives them.");
    open!(
        o,
        "static MESSAGES: crate::runtime::validate::Messages = crate::runtime::validate::Messages {{"
    );
    let mut seen = std::collections::HashSet::new();
    for e in a
        .errors
        .iter()
        .chain(&p.errors)
        .filter(|e| e.violation.is_some_and(|v| seen.insert(v)))
    {
        if let (Some(v), Some(m)) = (e.violation, e.message.as_deref()) {
            w!(o, "{}: {},", v.runtime_name(), str_lit(m));
        }
    }
    w!(o, "..crate::runtime::validate::Messages::DEFAULT");
    close!(o, "}};");
}

/// Whether the checks of a member of type `ty` read the `constraints` flag.
fn uses_constraints(ty: &Ty, min: Option<i64>, max: Option<i64>) -> bool {
    let nested = |t: &Ty| matches!(t, Ty::Enum(_) | Ty::Struct(_));
    min.is_some()
        || max.is_some()
        || match ty {
            Ty::List(inner) | Ty::Map(inner) => nested(inner),
            t => nested(t),
        }
}

/// The cross-field rules over the builder's `Option` fields.
fn rule_checks(o: &mut Out, a: &Action) {
    for rule in &a.rules {
        match rule {
            Rule::Requires {
                param, requires, ..
            } => {
                let (pa, pb) = (&a.params[*param], &a.params[*requires]);
                o.list(
                    "v.requires(",
                    &[
                        str_lit(&pa.name),
                        format!("self.{}.is_some()", pa.rust_name),
                        str_lit(&pb.name),
                        format!("self.{}.is_some()", pb.rust_name),
                    ],
                    ");",
                );
            }
            Rule::Conflicts { params, .. } => {
                let pairs: Vec<String> = params
                    .iter()
                    .map(|i| {
                        let pa = &a.params[*i];
                        format!("({}, self.{}.is_some())", str_lit(&pa.name), pa.rust_name)
                    })
                    .collect();
                o.list("v.conflicts(&[", &pairs, "]);");
            }
        }
    }
}

fn response(o: &mut Out, p: &Product, a: &Action) {
    struct_def(o, &a.response, Site::Action(&a.rust_mod));
    o.blank();
    open!(o, "impl {} {{", a.response.rust_name);
    o.doc("Decodes a success body (JSON), naming the failing field on error.");
    // Inline, like a generic: the decoder is compiled where it is called, so a build pays
    // only for the actions it uses.
    w!(o, "#[inline]");
    open!(
        o,
        "pub fn from_json(body: &[u8]) -> Result<Self, crate::runtime::DecodeError> {{"
    );
    w!(
        o,
        "crate::runtime::wire::decode_json(super::PROTOCOL, body)"
    );
    close!(o, "}}");
    if p.protocol.has_xml() {
        o.blank();
        o.doc("Decodes a success body in XML (`Format=XML`) into the same model as JSON.");
        w!(o, "#[inline]");
        open!(
            o,
            "pub fn from_xml(body: &[u8]) -> Result<Self, crate::runtime::DecodeError> {{"
        );
        w!(
            o,
            "crate::runtime::wire::decode_xml({}, body)",
            str_lit(&a.names.response)
        );
        close!(o, "}}");
    }
    close!(o, "}}");
    o.blank();
    o.doc("The action as the client dispatches it.");
    open!(
        o,
        "pub const OPERATION: crate::runtime::client::Operation = crate::runtime::client::Operation {{"
    );
    w!(o, "action: {},", str_lit(&a.name));
    match &a.rate_limit {
        Some((r, _)) => w!(o, "requests_per_second: Some({r}u32),"),
        None => w!(o, "requests_per_second: None,"),
    }
    w!(o, "idempotent: {},", a.idempotent);
    match a.idempotency_token {
        Some(i) => w!(
            o,
            "idempotency_token: Some({}),",
            str_lit(&a.params[i].wire_name)
        ),
        None => w!(o, "idempotency_token: None,"),
    }
    close!(o, "}};");
}

fn examples(o: &mut Out, p: &Product, a: &Action) {
    if !a.examples.iter().any(|e| e.response_json.is_some()) {
        let text = super::synth::response_json(p, a);
        o.blank();
        o.doc(&format!(
            "The document shows no response example: a success body synthesized from the model \
             (documented field examples, else plain values of each type). The stub server \
             answers with it.\n\n{}",
            docs::code_block(&text)
        ));
        w!(
            o,
            "pub const SYNTHESIZED_RESPONSE_JSON: &str = {};",
            str_lit(&text)
        );
    }
    for (i, ex) in a.examples.iter().enumerate() {
        let suffix = if i == 0 {
            String::new()
        } else {
            format!("_{}", i + 1)
        };
        let title = if ex.title.is_empty() {
            String::new()
        } else {
            format!("{}: ", docs::escape(&ex.title))
        };
        for (kind, text) in [
            ("REQUEST", &ex.request),
            ("RESPONSE_JSON", &ex.response_json),
            ("RESPONSE_XML", &ex.response_xml),
        ] {
            let Some(text) = text else { continue };
            let what = match kind {
                "REQUEST" => "the request",
                "RESPONSE_JSON" => "the response, JSON",
                _ => "the response, XML",
            };
            o.blank();
            o.doc(&format!(
                "{title}{what}, exactly as the document prints it.\n\n{}",
                docs::code_block(text)
            ));
            w!(
                o,
                "pub const EXAMPLE{suffix}_{kind}: &str = {};",
                str_lit(text)
            );
        }
    }
}
