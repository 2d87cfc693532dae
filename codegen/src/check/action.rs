//! Action-level rules: the action's name and file, its rate limit, types that
//! shadow the product's, the JSON examples; and the assembly of one [`ir::Action`]
//! from the checks of its parts.

use std::collections::{HashMap, HashSet};

use super::{Cx, Scope};
use crate::ir;
use crate::load::LoadedAction;
use crate::names::{action_module, camel, ident_problem};
use crate::source::FileId;
use crate::spec::{ActionSpec, ExampleSpec, Position, ProductSpec, Protocol, ResponseBody};

impl Cx<'_> {
    pub(super) fn action(
        &mut self,
        a: &LoadedAction,
        product: &ProductSpec,
        shared_types: &[ir::TypeDef],
    ) -> Option<ir::Action> {
        let (f, s) = (a.file, &a.spec);
        let before = self.diags.len();
        // The wire name stays as the provider spells it (`createInstance`, `Pub`); the
        // Rust names are derived: `CreateInstanceRequest`, module `create_instance`;
        // `PubRequest`, module and method `pub_`, `on_pub`.
        let (rust_mod, _) = action_module(&s.name);
        self.action_name(f, s, &rust_mod);
        self.action_file(f, s);
        self.rate_limit(f, s);
        let (path, body) = self.http_shape(f, s, product.protocol);
        let answer = self.answer(f, s, product);
        self.shadowed_types(f, s, product);
        let mut names = ir::ActionNames::new(&camel(&s.name));
        let reserved: HashSet<String> = [
            &names.request,
            &names.builder,
            &names.response,
            &names.error,
        ]
        .into_iter()
        .cloned()
        .collect();
        let scope = Scope {
            local: &s.types,
            shared: &product.types,
            home: &rust_mod,
        };
        let types = self.types(f, "types", &s.types, &scope, &reserved);
        names.avoid(|n| types.iter().chain(shared_types).any(|t| t.rust_name() == n));
        let params = self.params(f, s, &scope, product.protocol);
        let rules = self.rules(f, s, &params);
        let response_name = names.response.clone();
        let response = self.struct_def(
            f,
            "response",
            &response_name,
            &s.response.description,
            &s.response.fields,
            &scope,
        );
        let errors = self.errors(f, "errors", &s.errors);
        let structs: HashMap<&str, &ir::StructDef> = types
            .iter()
            .chain(shared_types)
            .filter_map(ir::TypeDef::as_struct)
            .map(|s| (s.rust_name.as_str(), s))
            .collect();
        let pagination = s
            .pagination
            .as_ref()
            .and_then(|p| self.pagination(f, p, &params, response.as_ref(), &structs));
        self.examples(f, s, answer);
        let idempotency_token = self.idempotency_token(f, s, &params);
        let response = response?;
        if self.diags.len() != before {
            return None;
        }
        let idempotent = s
            .idempotent
            .unwrap_or_else(|| is_read_only(&s.name) || idempotency_token.is_some());
        Some(ir::Action {
            name: s.name.clone(),
            names,
            rust_mod,
            description: describe(s, &path),
            method: s.http_method.into(),
            path,
            body,
            hoisted: Vec::new(),
            rate_limit: s
                .rate_limit
                .as_ref()
                .map(|r| (r.requests_per_second, r.description.clone())),
            idempotent,
            idempotency_token,
            params,
            rules,
            pagination,
            answer,
            response,
            types,
            errors,
            examples: s.examples.iter().map(lower_example).collect(),
            source: self.files[f].name.clone(),
        })
    }

    /// An action name is ASCII letters and digits in camel case (`ListUsers`, or
    /// lowerCamel `createInstance`), usable in Rust once converted, and not a module the
    /// generator uses. A keyword (`Pub`) is fine: its module takes a trailing `_`.
    fn action_name(&mut self, f: FileId, s: &ActionSpec, rust_mod: &str) {
        if let Some(problem) = ident_problem(&camel(&s.name)).or_else(|| ident_problem(rust_mod)) {
            self.err(
                f,
                "name",
                format!("action name `{}` cannot be used in Rust: {problem}", s.name),
                "not a usable action name",
                "action names are camel-case ASCII letters and digits, e.g. `ListUsers`",
            );
        } else if let Some(c) = s.name.chars().find(|c| !c.is_ascii_alphanumeric()) {
            // The name is the wire name (`UpdateIPWhitelist`, `createInstance`): acronyms
            // and a lowercase first letter stay as the provider writes them; the Rust names
            // are derived (`UpdateIpWhitelistRequest`, `CreateInstanceRequest`).
            self.err(
                f,
                "name",
                format!(
                    "action name `{}` is not camel case: it contains `{c}`",
                    s.name
                ),
                "expected camel case",
                format!("write it as the provider does, e.g. `{}`", camel(&s.name)),
            );
        } else if ["types", "client", "call"].contains(&rust_mod) {
            self.err(
                f,
                "name",
                format!(
                    "action `{}` would be the module `{rust_mod}`, which the generator uses",
                    s.name
                ),
                "reserved module name",
                "this name cannot be generated; open an issue",
            );
        }
    }

    /// The idempotency-token parameter, as an index into `params`: the one marked
    /// `idempotency_token: true` (a string; at most one), else a string parameter named
    /// `ClientToken` in any case (`clientToken`) not marked `false`.
    fn idempotency_token(
        &mut self,
        f: FileId,
        s: &ActionSpec,
        params: &[ir::Param],
    ) -> Option<usize> {
        let lowered = |i: usize| params.iter().position(|p| p.name == s.parameters[i].name);
        let marked: Vec<usize> = (0..s.parameters.len())
            .filter(|&i| s.parameters[i].idempotency_token == Some(true))
            .collect();
        let mut ok = true;
        for &i in &marked {
            let Some(p) = lowered(i).map(|j| &params[j]) else {
                ok = false;
                continue;
            };
            if p.ty != ir::Ty::String || p.position == ir::Position::Host {
                ok = false;
                let what = if p.ty == ir::Ty::String {
                    "goes in the host"
                } else {
                    "is not a string"
                };
                self.err(
                    f,
                    &format!("parameters[{i}].idempotency_token"),
                    format!("`{}` is marked `idempotency_token` but {what}", p.name),
                    "an idempotency token is a string parameter",
                    "mark the string parameter the provider deduplicates requests by (e.g. `ClientToken`), or remove `idempotency_token`",
                );
            }
        }
        if let [first, second, ..] = marked[..] {
            self.err(
                f,
                &format!("parameters[{second}].idempotency_token"),
                format!(
                    "parameters `{}` and `{}` are both marked `idempotency_token`; a request has one",
                    s.parameters[first].name, s.parameters[second].name
                ),
                "a second idempotency token",
                "keep `idempotency_token: true` on the parameter the provider deduplicates requests by",
            );
            return None;
        }
        if let Some(&i) = marked.first() {
            return if ok { lowered(i) } else { None };
        }
        (0..s.parameters.len())
            .filter(|&i| {
                s.parameters[i].name.eq_ignore_ascii_case("ClientToken")
                    && s.parameters[i].idempotency_token != Some(false)
            })
            .filter_map(lowered)
            .find(|&j| params[j].ty == ir::Ty::String && params[j].position != ir::Position::Host)
    }

    /// One action per file, named after it.
    fn action_file(&mut self, f: FileId, s: &ActionSpec) {
        let file_name = self.files[f].name.rsplit('/').next().unwrap_or("");
        let file_stem = file_name
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml")
            .to_owned();
        if file_stem != s.name {
            self.err(
                f,
                "name",
                format!("the action `{}` is in the file `{file_stem}.yaml`", s.name),
                "does not match the file name",
                format!(
                    "rename the file to `{}.yaml` (one action per file, named after it)",
                    s.name
                ),
            );
        }
    }

    fn rate_limit(&mut self, f: FileId, s: &ActionSpec) {
        if s.rate_limit
            .as_ref()
            .is_some_and(|r| r.requests_per_second == 0)
        {
            self.err(
                f,
                "rate_limit.requests_per_second",
                "a rate limit of 0 requests per second would block every call",
                "must be at least 1",
                "give the documented limit, or remove `rate_limit`",
            );
        }
    }

    /// `body: value`, `binary` or `protobuf` sends one parameter as the whole body: exactly
    /// one `position: body` parameter, `binary` for the raw forms.
    fn one_body_parameter(&mut self, f: FileId, s: &ActionSpec, body: ir::BodyFormat) {
        let name = match body {
            ir::BodyFormat::Binary => "binary",
            ir::BodyFormat::Protobuf => "protobuf",
            _ => "value",
        };
        let in_body: Vec<usize> = (0..s.parameters.len())
            .filter(|&i| s.parameters[i].position == Some(Position::Body))
            .collect();
        if in_body.len() != 1 {
            let (what, fix) = if body.is_raw() {
                ("the bytes of one parameter", "give exactly one parameter `position: body` and `type: binary` (the bytes the caller provides)")
            } else {
                ("one parameter's value", "give exactly one parameter `position: body` (the document's list or structure), or use `body: json` for an object of several")
            };
            self.err(
                f,
                "body",
                format!("`body: {name}` sends {what} as the body; this action has {} `position: body` parameters", in_body.len()),
                "needs exactly one body parameter",
                fix,
            );
        } else if body.is_raw() && s.parameters[in_body[0]].ty.trim() != "binary" {
            let p = &s.parameters[in_body[0]];
            self.err(
                f,
                &format!("parameters[{}].type", in_body[0]),
                format!(
                    "`body: {name}` sends the body parameter's bytes as they are; `{}` is `{}`, not `binary`",
                    p.name, p.ty
                ),
                "the raw body is `binary`",
                format!("make `{}` `type: binary` (a `Blob` the caller fills), or use `body: json` or `body: value`", p.name),
            );
        }
    }

    /// The method, path template and body format fit the protocol: ROA and SLS actions
    /// have a path (`/clusters/{ClusterId}`) and any method; RPC actions go to `/` with any
    /// method; TC3 actions `POST` or `GET` to `/`.
    fn http_shape(
        &mut self,
        f: FileId,
        s: &ActionSpec,
        protocol: Protocol,
    ) -> (String, ir::BodyFormat) {
        let d = protocol.descriptor();
        let body = s.body.unwrap_or(ir::BodyFormat::Json);
        if !d.rest {
            // RPC actions may send the caller's bytes as the body (OCR's images); nothing
            // else of a body format is theirs.
            let raw_ok = d.raw_body && body.is_raw();
            for (key, given) in [
                ("path", s.path.is_some()),
                ("body", s.body.is_some() && !raw_ok),
            ] {
                if given {
                    let what = match (key, d.raw_body) {
                        ("body", true) => "`body` other than `binary` or `protobuf` is",
                        ("body", false) => "`body` is",
                        _ => "`path` is",
                    };
                    self.err(
                        f,
                        key,
                        format!(
                            "{what} for roa and sls actions; this product's protocol is {}",
                            protocol.name()
                        ),
                        "not used by this protocol",
                        format!("remove `{key}`"),
                    );
                }
            }
            if raw_ok {
                self.one_body_parameter(f, s, body);
            }
            // Alibaba Cloud's SDKs (alibabacloud-tea-openapi) send an RPC action with the
            // method its metadata gives, whatever it is, and sign that method (HMAC-SHA1's
            // `PUT&%2F&…`, ACS3's canonical request): dataworks-public has PUT actions.
            // Tencent Cloud's SDKs send POST, or GET with the parameters in the query.
            let method = ir::HttpMethod::from(s.http_method).as_str();
            if let (Some(methods), false) = (d.methods, d.allows_method(method)) {
                let methods = methods.join(" or ");
                self.err(
                    f,
                    "http_method",
                    format!("{} actions are sent with {methods}", protocol.name()),
                    "not available for this protocol",
                    format!("use {methods}; other methods are for rpc, roa and sls actions"),
                );
            }
            return ("/".to_owned(), body);
        }
        if body == ir::BodyFormat::Value || body.is_raw() {
            self.one_body_parameter(f, s, body);
        }
        let Some(path) = &s.path else {
            self.err(
                f,
                "name",
                format!("{} action `{}` has no `path`", protocol.name(), s.name),
                "no path template",
                "add `path:` as the document gives it, e.g. `/clusters/{ClusterId}`",
            );
            return ("/".to_owned(), body);
        };
        let mut problem = None;
        if !path.starts_with('/') {
            problem = Some("it does not start with `/`".to_owned());
        }
        // A fixed query (`/etls/{etlName}?action=STOP`) is sent with every request.
        let (template, fixed) = match path.split_once('?') {
            Some((t, q)) => (t, Some(q)),
            None => (path.as_str(), None),
        };
        if let Some(q) = fixed {
            problem = problem.or_else(|| fixed_query_problem(q, s));
        }
        let mut rest = template;
        while problem.is_none() {
            let Some(open) = rest.find('{') else {
                if rest.contains('}') {
                    problem = Some("a `}` has no `{`".to_owned());
                }
                break;
            };
            let Some(close) = rest[open..].find('}') else {
                problem = Some("a `{` is not closed".to_owned());
                break;
            };
            let name = &rest[open + 1..open + close];
            let declared = s.parameters.iter().any(|p| {
                p.position == Some(Position::Path)
                    && p.wire_name.as_deref().unwrap_or(&p.name) == name
            });
            if !declared {
                problem = Some(format!(
                    "`{{{name}}}` is not a parameter with `position: path`"
                ));
            }
            rest = &rest[open + close + 1..];
        }
        if let Some(problem) = problem {
            self.err(
                f,
                "path",
                format!("the path template `{path}` is not usable: {problem}"),
                "bad path template",
                "write the path as the document gives it; each `{Name}` is a parameter with `position: path` and `required: true`; a fixed query after `?` is `key=value` pairs joined by `&`",
            );
        }
        (path.clone(), body)
    }

    /// What the success body is (`response.body`): a JSON object of `fields` (the default),
    /// or, with exactly one field that holds it whole, a JSON value (not a structure, which
    /// is `body: json`), text (`string`) or bytes (`binary`). Tencent Cloud always answers
    /// an object (`{"Response": {…}}`).
    fn answer(&mut self, f: FileId, s: &ActionSpec, product: &ProductSpec) -> ir::Answer {
        let protocol = product.protocol;
        let Some(kind) = s.response.body else {
            return ir::Answer::Object;
        };
        let answer: ir::Answer = kind.into();
        if answer == ir::Answer::Object {
            return answer;
        }
        let name = match kind {
            ResponseBody::Value => "value",
            ResponseBody::Text => "text",
            _ => "binary",
        };
        let d = protocol.descriptor();
        if !d.whole_answers {
            let answers = match d.success {
                ir::Envelope::Member(m) => format!("`{{\"{m}\": {{…}}}}`"),
                _ => "a JSON object".to_owned(),
            };
            self.err(
                f,
                "response.body",
                format!(
                    "`body: {name}` is for Alibaba Cloud answers; a {} action answers {answers}",
                    protocol.name()
                ),
                "not used by this protocol",
                "remove `body` and list the answer's members under `fields`",
            );
            return ir::Answer::Object;
        }
        let fields = &s.response.fields;
        let [field] = fields.as_slice() else {
            self.err(
                f,
                "response.body",
                format!(
                    "`body: {name}` holds the whole answer in one field; the response has {} fields",
                    fields.len()
                ),
                "needs exactly one field",
                "give exactly one field (its name names the Rust field, e.g. `name: Body`) whose type is the answer's, or use `body: json` for an object of fields",
            );
            return answer;
        };
        let ty = field.ty.trim();
        let problem = match kind {
            ResponseBody::Text if ty != "string" => Some(("string", "the text")),
            ResponseBody::Binary if ty != "binary" => Some(("binary", "the bytes")),
            _ => None,
        };
        if let Some((want, what)) = problem {
            self.err(
                f,
                "response.fields[0].type",
                format!("`body: {name}` answers {what}; the field `{}` is `{ty}`, not `{want}`", field.name),
                &format!("expected `{want}`"),
                format!("make the field `type: {want}`, or use the `body` its type needs (`value` for JSON, `json` for an object of fields)"),
            );
        }
        if kind == ResponseBody::Value {
            let named_struct = s
                .types
                .iter()
                .chain(&product.types)
                .any(|t| t.name == ty && t.fields.is_some());
            if named_struct {
                self.err(
                    f,
                    "response.fields[0].type",
                    format!(
                        "`body: value` with the structure `{ty}`: an object answer is `body: json`"
                    ),
                    "a structure answer has fields",
                    format!("remove `body: value` and list the members of `{ty}` under `fields`"),
                );
            }
        }
        // (`wrapped` on a type that is no list is the field check's to report.)
        if field.wrapped.is_some() && ty.starts_with("list<") {
            self.err(
                f,
                "response.fields[0].wrapped",
                format!("`body: {name}` holds the whole answer; `wrapped` is for a list under a member of an object"),
                "not used here",
                "remove `wrapped`",
            );
        }
        answer
    }

    /// The action's own named types must not shadow the product's.
    fn shadowed_types(&mut self, f: FileId, s: &ActionSpec, product: &ProductSpec) {
        let shared_names: HashSet<&str> = product.types.iter().map(|t| t.name.as_str()).collect();
        for (i, t) in s.types.iter().enumerate() {
            if shared_names.contains(t.name.as_str()) {
                self.err(
                    f,
                    &format!("types[{i}].name"),
                    format!("type `{}` is already defined by the product", t.name),
                    "shadows a shared type",
                    "use the product's type, or give this one another name",
                );
            }
        }
    }

    /// JSON response examples parse; an answer that is text or bytes has none.
    fn examples(&mut self, f: FileId, s: &ActionSpec, answer: ir::Answer) {
        for (i, ex) in s.examples.iter().enumerate() {
            let Some(json) = &ex.response_json else {
                continue;
            };
            if matches!(answer, ir::Answer::Text | ir::Answer::Bytes) {
                self.err(
                    f,
                    &format!("examples[{i}].response_json"),
                    "the answer is text or bytes (`response.body`), so it has no JSON example",
                    "not a JSON answer",
                    "remove `response_json`; the stub answers with text synthesized from the model",
                );
                continue;
            }
            if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
                self.err(
                    f,
                    &format!("examples[{i}].response_json"),
                    format!("the JSON response example does not parse: {e}"),
                    "invalid JSON",
                    "keep the example exactly as the document prints it, inside a `|` block",
                );
            }
        }
    }
}

/// What is wrong with a path's fixed query (`action=STOP&type=log`), if anything: each
/// pair is `key=value` in unreserved characters (sent and signed as written), no key
/// twice, and no key a query parameter's name.
fn fixed_query_problem(query: &str, s: &ActionSpec) -> Option<String> {
    let unreserved = |t: &str| {
        t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
    };
    let mut keys = HashSet::new();
    for pair in query.split('&') {
        let Some((k, v)) = pair.split_once('=') else {
            return Some(format!("the fixed query's `{pair}` is not `key=value`"));
        };
        if k.is_empty() || !unreserved(k) || !unreserved(v) {
            return Some(format!(
                "the fixed query's `{pair}` is not a key and a value of letters, digits, `-`, `_`, `.` and `~`"
            ));
        }
        if !keys.insert(k) {
            return Some(format!("the fixed query gives `{k}` twice"));
        }
        let clash = s.parameters.iter().any(|p| {
            matches!(p.position, None | Some(Position::Query))
                && p.wire_name.as_deref().unwrap_or(&p.name) == k
        });
        if clash {
            return Some(format!(
                "the fixed query's `{k}` is also a parameter with `position: query`"
            ));
        }
    }
    None
}

fn lower_example(e: &ExampleSpec) -> ir::Example {
    ir::Example {
        title: e.title.clone(),
        request: e.request.clone(),
        response_json: e.response_json.clone(),
        response_xml: e.response_xml.clone(),
    }
}

/// The action's description, or, where the spec has none, what is known for certain:
/// the action's name, method and path.
fn describe(s: &ActionSpec, path: &str) -> String {
    if s.description.trim().is_empty() {
        let method: ir::HttpMethod = s.http_method.into();
        format!(
            "The `{}` action, sent as `{} {path}`.",
            s.name,
            method.as_str()
        )
    } else {
        s.description.clone()
    }
}

/// The name prefixes of read-only actions, as both providers name them.
const READ_ONLY_PREFIXES: [&str; 8] = [
    "Describe", "List", "Get", "Query", "Check", "Search", "Inquiry", "Inquire",
];

/// Whether the action's name says it only reads: a read-only prefix
/// ([`READ_ONLY_PREFIXES`]) as a whole word (`DescribeVpcs`, `getLogs`, not `Listen…`).
pub(crate) fn is_read_only(name: &str) -> bool {
    let name = camel(name);
    READ_ONLY_PREFIXES.iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_ascii_lowercase()))
    })
}

#[cfg(test)]
mod read_only_tests {
    use super::is_read_only;

    #[test]
    fn read_only_names() {
        for name in [
            "DescribeVpcs",
            "ListUsers",
            "getLogs",
            "QueryCallDetailRecords",
            "CheckCanAllocateVpcPrivateIpAddress",
            "SearchLogs",
            "InquiryPriceRunInstances",
            "InquirePriceCreateDisks",
            "Get",
        ] {
            assert!(is_read_only(name), "{name}");
        }
        for name in [
            "CreateVpc",
            "RunInstances",
            "ListenerCreate",
            "Getaway",
            "deleteVpc",
        ] {
            assert!(!is_read_only(name), "{name}");
        }
    }
}
