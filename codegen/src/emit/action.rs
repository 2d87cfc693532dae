//! One action's module: request, builder, response, nested types, error enum, examples.

use super::docs;
use super::errors::error_enum;
use super::text::{close, open, str_lit, w, Out};
use super::types::{
    body_struct_def, deprecated_attr, derived_debug, has_checks, member_checks, redacting_debug,
    setter_parts, struct_def, type_defs, FieldAccess, DEPRECATED_DOC,
};
use super::{type_text, Site};
use crate::ir::{
    Action, Answer, BodyFormat, Pagination, Param, ParamStyle, PathStep, Position, Product, Rule,
    Ty,
};

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
    o.blank();
    w!(o, "use crate::runtime::{{self, client::action, codec::response, protocol::layout, validate}};");
    request(o, p, a);
    response(o, p, a);
    action_impls(o, p, a);
    fluent_setters(o, a);
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

fn param_doc(param: &Param, body: BodyFormat) -> String {
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
    if param.position == Position::Body {
        match body {
            BodyFormat::Value => extra.push("Sent as the whole body (JSON).".to_owned()),
            BodyFormat::Binary => extra.push(
                "Sent as the whole body, these bytes as they are (`Content-Type: application/octet-stream`).".to_owned(),
            ),
            BodyFormat::Protobuf => extra.push(
                "Sent as the whole body, these bytes as they are (`Content-Type: application/x-protobuf`): the protocol buffers message the document describes, encoded by the caller.".to_owned(),
            ),
            BodyFormat::Json | BodyFormat::Form => {}
        }
    }
    if param.position != Position::Body && param.position != Position::Query {
        extra.push(format!("Sent in the {}.", param.position.name()));
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
        "pub const LAYOUT: layout::RequestLayout = layout::RequestLayout {{"
    );
    w!(o, "method: {},", str_lit(a.method.as_str()));
    w!(o, "path: {},", str_lit(&a.path));
    w!(o, "body: layout::BodyFormat::{},", a.body.rust_name());
    if a.params.is_empty() {
        w!(o, "params: &[],");
    } else {
        open!(o, "params: &[");
        for p in &a.params {
            let style = match p.style {
                ParamStyle::Flat => "",
                ParamStyle::Json => ".json()",
                ParamStyle::Simple => ".simple()",
            };
            w!(
                o,
                "layout::WireParam::{}({}){style},",
                p.position.name(),
                str_lit(&p.wire_name)
            );
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
    // Through the trait: a parameter named `default` has a setter of that name.
    w!(o, "::std::default::Default::default()");
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
        "pub fn validate(&self) -> Result<(), runtime::ValidationError> {{"
    );
    w!(o, "self.to_builder().check(true)");
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
        o.doc(&param_doc(param, a.body));
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
    check_fn(o, p, a);
    o.blank();
    let result = format!("Result<{name}, runtime::ValidationError>");
    o.open_list("fn assemble(", &["self"], &format!(") -> {result} {{"));
    for param in a.params.iter().filter(|x| x.required) {
        let id = &param.rust_name;
        open!(o, "let Some({id}) = self.{id} else {{");
        o.list(
            "return Err(runtime::ValidationError::missing(",
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
    w!(o, "action::RequestBuilder::build_request(self, true)");
    close!(o, "}}");
    o.blank();
    o.doc("Builds the request checking only that required parameters are set.");
    o.open_list(
        "pub fn build_unchecked(",
        &["self"],
        &format!(") -> {result} {{"),
    );
    w!(o, "action::RequestBuilder::build_request(self, false)");
    close!(o, "}}");
    close!(o, "}}");
}

/// The builder's `check`: every member's checks, then the cross-field rules.
fn check_fn(o: &mut Out, p: &Product, a: &Action) {
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
        ") -> Result<(), runtime::ValidationError> {",
    );
    let messages = if message_overrides(p, a).is_empty() {
        "&validate::Messages::DEFAULT"
    } else {
        "&MESSAGES"
    };
    // Only what the action has: an action without checks must not emit an unused `mut`,
    // binding or flag (warnings fail users' `-D warnings` builds).
    if !any_member && a.rules.is_empty() {
        o.list(
            "validate::Validator::new(",
            &[format!("{name}::ACTION"), messages.to_owned()],
            ").finish()",
        );
    } else {
        o.list(
            "let mut validator = validate::Validator::new(",
            &[format!("{name}::ACTION"), messages.to_owned()],
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

/// The validation messages the document gives for the action's error codes, as
/// `(field, template)` pairs of `Messages`.
fn message_overrides<'a>(p: &'a Product, a: &'a Action) -> Vec<(&'static str, &'a str)> {
    let mut seen = std::collections::HashSet::new();
    a.errors
        .iter()
        .chain(&p.errors)
        .filter(|e| e.violation.is_some_and(|v| seen.insert(v)))
        .filter_map(|e| Some((e.violation?.runtime_name(), e.message.as_deref()?)))
        .collect()
}

/// The validation messages, where the document gives its own for the action's codes.
fn messages(o: &mut Out, p: &Product, a: &Action) {
    let overrides = message_overrides(p, a);
    if overrides.is_empty() {
        return;
    }
    o.blank();
    o.doc("Validation messages; the document's own templates where it gives them.");
    open!(
        o,
        "static MESSAGES: validate::Messages = validate::Messages {{"
    );
    for (field, template) in overrides {
        w!(o, "{field}: {},", str_lit(template));
    }
    w!(o, "..validate::Messages::DEFAULT");
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
    if a.answer != Answer::Object {
        return whole_response(o, a);
    }
    struct_def(o, &a.response, Site::Action(&a.rust_mod));
    o.blank();
    open!(o, "impl {} {{", a.response.rust_name);
    o.doc("Decodes a success body (JSON), naming the failing field on error.");
    // Inline, like a generic: the decoder is compiled where it is called, so a build pays
    // only for the actions it uses.
    w!(o, "#[inline]");
    open!(
        o,
        "pub fn from_json(body: &[u8]) -> Result<Self, runtime::DecodeError> {{"
    );
    w!(o, "response::decode_json(super::PROTOCOL, body)");
    close!(o, "}}");
    if p.protocol.descriptor().xml {
        o.blank();
        o.doc("Decodes a success body in XML (`Format=XML`) into the same model as JSON.");
        w!(o, "#[inline]");
        open!(
            o,
            "pub fn from_xml(body: &[u8]) -> Result<Self, runtime::DecodeError> {{"
        );
        w!(
            o,
            "response::decode_xml({}, body)",
            str_lit(&a.names.response)
        );
        close!(o, "}}");
    }
    close!(o, "}}");
}

/// A response whose success body is a JSON value, text or bytes as a whole
/// (`body_struct!`), and its decoder.
fn whole_response(o: &mut Out, a: &Action) {
    body_struct_def(o, &a.response, a.answer, Site::Action(&a.rust_mod));
    o.blank();
    open!(o, "impl {} {{", a.response.rust_name);
    if a.answer == Answer::Value {
        o.doc("Decodes a success body (a JSON value), naming the failing place on error.");
        w!(o, "#[inline]");
        open!(
            o,
            "pub fn from_json(body: &[u8]) -> Result<Self, runtime::DecodeError> {{"
        );
    } else {
        o.doc("Decodes a success body (the whole body, as the client does).");
        w!(o, "#[inline]");
        open!(
            o,
            "pub fn from_body(body: &[u8]) -> Result<Self, runtime::DecodeError> {{"
        );
    }
    w!(o, "response::decode_body(super::PROTOCOL, body)");
    close!(o, "}}");
    close!(o, "}}");
}

/// The name of the synthesized sample: `SYNTHESIZED_RESPONSE_BODY` for text and bytes
/// answers (not JSON), else `SYNTHESIZED_RESPONSE_JSON`.
fn synthesized_const(a: &Action) -> &'static str {
    match a.answer {
        Answer::Text | Answer::Bytes => "SYNTHESIZED_RESPONSE_BODY",
        Answer::Object | Answer::Value => "SYNTHESIZED_RESPONSE_JSON",
    }
}

fn examples(o: &mut Out, p: &Product, a: &Action) {
    if !a.examples.iter().any(|e| e.response_json.is_some()) {
        let text = super::samples::response_json(p, a);
        let what = match a.answer {
            Answer::Text => "a text answer",
            Answer::Bytes => "a bytes answer (these bytes)",
            Answer::Object | Answer::Value => "a success body",
        };
        o.blank();
        o.doc(&format!(
            "The document shows no response example: {what} synthesized from the model \
             (documented field examples, else plain values of each type). The stub server \
             answers with it.\n\n{}",
            docs::code_block(&text)
        ));
        w!(
            o,
            "pub const {}: &str = {};",
            synthesized_const(a),
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

/// The action type and its `Action`, `ActionRequest` and `RequestBuilder` impls (and
/// `Paginated` where it pages): the action as data, for the client, the stub and the
/// paginators, which are generic over it.
fn action_impls(o: &mut Out, p: &Product, a: &Action) {
    let n = &a.names;
    let action = &n.action;
    o.blank();
    o.doc(&format!(
        "The action `{}` as a type: its request, response and error types and its wire \
         facts, for [`Client`](super::Client), the paginators and the stub \
         (`StubServer::on::<{action}>`).",
        a.name
    ));
    w!(o, "#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]");
    w!(o, "pub struct {action};");
    o.blank();
    open!(o, "impl action::Action for {action} {{");
    w!(o, "type Client = super::Client;");
    w!(o, "type Request = {};", n.request);
    w!(o, "type Builder = {};", n.builder);
    w!(o, "type Response = {};", n.response);
    w!(o, "type Error = {};", n.error);
    w!(
        o,
        "const SERVICE: &'static runtime::Service = &super::client::SERVICE_INFO;"
    );
    let mut op = format!("runtime::Operation::named({})", str_lit(&a.name));
    if let Some((r, _)) = &a.rate_limit {
        op.push_str(&format!(".rate_limit({r})"));
    }
    if a.idempotent {
        op.push_str(".idempotent()");
    }
    if let Some(i) = a.idempotency_token {
        op.push_str(&format!(".token({})", str_lit(&a.params[i].wire_name)));
    }
    w!(o, "const OPERATION: runtime::Operation =");
    o.indent_in();
    w!(o, "{op};");
    o.indent_out();
    w!(o, "const LAYOUT: &'static layout::RequestLayout = &LAYOUT;");
    let mut sample = if a.examples.iter().any(|e| e.response_json.is_some()) {
        "action::Sample::example(EXAMPLE_RESPONSE_JSON)".to_owned()
    } else {
        format!("action::Sample::synthesized({})", synthesized_const(a))
    };
    if a.examples.iter().any(|e| e.response_xml.is_some()) {
        sample.push_str(".with_xml(EXAMPLE_RESPONSE_XML)");
    }
    w!(o, "const SAMPLE: action::Sample = {sample};");
    let codes: Vec<String> = a
        .errors
        .iter()
        .chain(&p.errors)
        .filter_map(|e| {
            let kind = e.violation?.runtime_name();
            Some(format!("({}, {})", str_lit(kind), str_lit(&e.code)))
        })
        .collect();
    if !codes.is_empty() {
        o.list(
            "const VIOLATION_CODES: &'static [(&'static str, &'static str)] = &[",
            &codes,
            "];",
        );
    }
    // The parameters whose cross-field rules the provider resolves itself.
    let mut advisory: Vec<String> = Vec::new();
    for rule in &a.rules {
        match rule {
            Rule::Requires {
                param,
                advisory: true,
                ..
            } => advisory.push(str_lit(&a.params[*param].name)),
            Rule::Conflicts {
                params,
                advisory: true,
                ..
            } => advisory.extend(params.iter().map(|i| str_lit(&a.params[*i].name))),
            _ => {}
        }
    }
    if !advisory.is_empty() {
        o.list(
            "const ADVISORY: &'static [&'static str] = &[",
            &advisory,
            "];",
        );
    }
    if let Some(t) = a
        .idempotency_token
        .map(|i| &a.params[i])
        .filter(|t| !t.required)
    {
        let field = &t.rust_name;
        o.blank();
        open!(o, "fn prepare(request: &mut {}) {{", n.request);
        open!(o, "if request.{field}.is_none() {{");
        w!(
            o,
            "request.{field} = Some(runtime::client::retry::idempotency_token());"
        );
        close!(o, "}}");
        close!(o, "}}");
    }
    close!(o, "}}");
    o.blank();
    open!(o, "impl action::ActionRequest for {} {{", n.request);
    w!(o, "type Action = {action};");
    o.blank();
    open!(
        o,
        "fn check(&self) -> Result<(), runtime::ValidationError> {{"
    );
    w!(o, "self.validate()");
    close!(o, "}}");
    close!(o, "}}");
    o.blank();
    open!(o, "impl action::RequestBuilder for {} {{", n.builder);
    w!(o, "type Request = {};", n.request);
    o.blank();
    o.open_list(
        "fn build_request(",
        &["self", "checked: bool"],
        &format!(") -> Result<{}, runtime::ValidationError> {{", n.request),
    );
    w!(o, "self.check(checked)?;");
    w!(o, "self.assemble()");
    close!(o, "}}");
    close!(o, "}}");
    if let Some(pagination) = &a.pagination {
        paginated(o, a, pagination);
    }
}

/// `impl Paginated`: how the action's pages are followed, as accessors.
fn paginated(o: &mut Out, a: &Action, pagination: &Pagination) {
    let n = &a.names;
    let (items, item_ty) = match pagination {
        Pagination::Token { items, item_ty, .. }
        | Pagination::PageNumber { items, item_ty, .. }
        | Pagination::Offset { items, item_ty, .. } => (items, item_ty),
    };
    o.blank();
    open!(o, "impl action::Paginated for {} {{", n.action);
    w!(
        o,
        "type Item = {};",
        type_text(item_ty, Site::Action(&a.rust_mod))
    );
    w!(
        o,
        "const PAGING: action::Paging<{}, {}> =",
        n.request,
        n.response
    );
    o.indent_in();
    match pagination {
        Pagination::Token {
            request,
            response,
            truncated,
            ..
        } => {
            let token_param = &a.params[*request];
            let token_field = &token_param.rust_name;
            open!(o, "action::Paging::Token {{");
            w!(o, "next_token: |r| {},", read_path(response, ".as_deref()"));
            match truncated {
                Some(path) => w!(o, "truncated: |r| {},", read_path(path, "")),
                None => w!(o, "truncated: |_| None,"),
            }
            // A required token (aliding's honors queries) is a `String`, not an `Option`.
            if token_param.required {
                w!(o, "set_token: |req, token| req.{token_field} = token,");
            } else {
                w!(
                    o,
                    "set_token: |req, token| req.{token_field} = Some(token),"
                );
            }
        }
        Pagination::PageNumber {
            page, size, total, ..
        } => {
            let (page_p, size_p) = (&a.params[*page], &a.params[*size]);
            open!(o, "action::Paging::PageNumber {{");
            for (field, param) in [("page", page_p), ("size", size_p)] {
                if param.required {
                    w!(o, "{field}: |req| req.{},", param.rust_name);
                } else {
                    w!(o, "{field}: |req| req.{}.unwrap_or(1),", param.rust_name);
                }
            }
            if page_p.required {
                w!(o, "set_page: |req, n| req.{} = n,", page_p.rust_name);
            } else {
                w!(o, "set_page: |req, n| req.{} = Some(n),", page_p.rust_name);
            }
            match total {
                Some(path) => w!(o, "total: |r| {},", read_path(path, "")),
                None => w!(o, "total: |_| None,"),
            }
            w!(o, "count: |r| {},", list_len(items));
        }
        Pagination::Offset {
            offset,
            limit,
            total,
            ..
        } => {
            let (offset_p, limit_p) = (&a.params[*offset], &a.params[*limit]);
            // The runtime counts in `u64`; an `integer` parameter is converted (a negative
            // value reads as 0, or as no limit).
            open!(o, "action::Paging::Offset {{");
            let id = &offset_p.rust_name;
            let get_offset = match (offset_p.required, &offset_p.ty) {
                (true, Ty::U64) => format!("req.{id}"),
                (true, _) => format!("u64::try_from(req.{id}).unwrap_or(0)"),
                (false, Ty::U64) => format!("req.{id}.unwrap_or(0)"),
                (false, _) => format!("req.{id}.map_or(0, |v| u64::try_from(v).unwrap_or(0))"),
            };
            w!(o, "offset: |req| {get_offset},");
            let id = &limit_p.rust_name;
            let get_limit = match (limit_p.required, &limit_p.ty) {
                (true, Ty::U64) => format!("Some(req.{id})"),
                (true, _) => format!("u64::try_from(req.{id}).ok()"),
                (false, Ty::U64) => format!("req.{id}"),
                (false, _) => format!("req.{id}.and_then(|v| u64::try_from(v).ok())"),
            };
            w!(o, "limit: |req| {get_limit},");
            let value = match offset_p.ty {
                Ty::U64 => "n".to_owned(),
                _ => "i64::try_from(n).unwrap_or(i64::MAX)".to_owned(),
            };
            if offset_p.required {
                w!(
                    o,
                    "set_offset: |req, n| req.{} = {value},",
                    offset_p.rust_name
                );
            } else {
                w!(
                    o,
                    "set_offset: |req, n| req.{} = Some({value}),",
                    offset_p.rust_name
                );
            }
            match total {
                Some((path, ty)) => {
                    let conv = match ty {
                        Ty::U64 => String::new(),
                        _ => ".and_then(|v| u64::try_from(v).ok())".to_owned(),
                    };
                    w!(o, "total: |r| {}{conv},", read_path(path, ""));
                }
                None => w!(o, "total: |_| None,"),
            }
            w!(o, "count: |r| {},", list_len(items));
        }
    }
    close!(o, "}};");
    o.indent_out();
    o.blank();
    open!(o, "fn items(r: {}) -> Vec<Self::Item> {{", n.response);
    w!(o, "{}", take_list(items));
    close!(o, "}}");
    close!(o, "}}");
}

/// The action's setters on the client's fluent [`Call`](super::Call), each forwarding to
/// the request builder's.
fn fluent_setters(o: &mut Out, a: &Action) {
    if a.params.is_empty() {
        return;
    }
    let site = Site::Action(&a.rust_mod);
    o.blank();
    open!(o, "impl super::Call<{}> {{", a.names.action);
    for (i, param) in a.params.iter().enumerate() {
        if i > 0 {
            o.blank();
        }
        let id = &param.rust_name;
        let summary = docs::summary(&param.description);
        let link = format!("See [`{}::{id}`].", a.names.builder);
        o.doc(&if summary.is_empty() {
            link
        } else {
            format!("{summary}\n\n{link}")
        });
        if param.deprecated {
            deprecated_attr(o, &param.name);
            w!(o, "#[allow(deprecated)]");
        }
        let (args, _) = setter_parts(&param.ty, site);
        let arg = args.split(':').next().unwrap_or("value");
        o.open_list(&format!("pub fn {id}("), &["self", &args], ") -> Self {");
        w!(o, "self.map(|b| b.{id}({arg}))");
        close!(o, "}}");
    }
    close!(o, "}}");
}

/// `Option<&T>` of the field at `path` in `r`.
fn borrow_path(path: &[PathStep]) -> String {
    let mut expr = format!("r.{}.as_ref()", path[0].rust_name);
    for step in &path[1..] {
        expr.push_str(&format!(".and_then(|v| v.{}.as_ref())", step.rust_name));
    }
    expr
}

/// The field at `path` in `r`, through `Option` structures, ending with `last` applied
/// to the final `Option` field (`.as_deref()` for strings, nothing for `Copy` values).
fn read_path(path: &[PathStep], last: &str) -> String {
    let Some((end, parents)) = path.split_last() else {
        return "None".to_owned();
    };
    let end = &end.rust_name;
    if parents.is_empty() {
        return format!("r.{end}{last}");
    }
    format!("{}.and_then(|v| v.{end}{last})", borrow_path(parents))
}

/// Moves the list at `path` out of `r` (empty when an enclosing structure is absent).
fn take_list(path: &[PathStep]) -> String {
    let Some((last, parents)) = path.split_last() else {
        return "Vec::new()".to_owned();
    };
    let last = &last.rust_name;
    if parents.is_empty() {
        return format!("r.{last}");
    }
    let mut expr = format!("r.{}", parents[0].rust_name);
    for step in &parents[1..] {
        expr.push_str(&format!(".and_then(|v| v.{})", step.rust_name));
    }
    format!("{expr}.map(|v| v.{last}).unwrap_or_default()")
}

/// The length of the list at `path`.
fn list_len(path: &[PathStep]) -> String {
    let Some((last, parents)) = path.split_last() else {
        return "0".to_owned();
    };
    let last = &last.rust_name;
    if parents.is_empty() {
        return format!("r.{last}.len()");
    }
    format!("{}.map_or(0, |v| v.{last}.len())", borrow_path(parents))
}
