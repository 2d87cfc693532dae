//! Tencent Cloud: the `tccli` wheel's `services/<service>/<version>/api.json` and
//! `examples.json`, and the SDK's `errorcodes.py`, mapped to the spec format.
//!
//! Types: `int`+`int64` → `integer`, `int`+`uint64` → `uint64`, `float` → `double`,
//! `bool` → `boolean`, `datetime` / `datetime_iso` → `datetime`, `date` → `string` (a
//! calendar date has no time of day, so `DateTime`'s Unix-time accessors would not fit
//! it), `binary` → `binary`, `list` → `list<T>`, `object` → a named structure. A
//! structure that would contain itself other than through a list (which the spec
//! format cannot express) holds that member as `json`, said in its description.

use std::collections::{BTreeMap, BTreeSet};

use codegen::names::{camel, ident_problem, is_keyword, snake, RESERVED_TYPE_NAMES};
use serde::Deserialize;

use codegen::spec::{
    ActionSpec, CommonParameter, EndpointsSpec, EnumValueSpec, ErrorSpec, ExampleSpec, FieldSpec,
    HttpMethod, ParameterSpec, ProductSpec, Protocol, RangeSpec, ResponseSpec, Scalar, TypeSpec,
};

use super::output::{Imported, Kept, SpecFile};
use super::prose::{self, EnumValue};

/// `api.json` of one service version.
#[derive(Debug, Clone, Deserialize)]
pub struct Api {
    pub metadata: Metadata,
    pub actions: BTreeMap<String, ApiAction>,
    pub objects: BTreeMap<String, ApiObject>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    #[serde(default, deserialize_with = "null_string")]
    pub api_brief: String,
    #[serde(rename = "serviceNameCN", default, deserialize_with = "null_string")]
    pub service_name_cn: String,
    /// The service's name on the wire (host and signature scope) when it differs from
    /// its folder's: `as` for `autoscaling`.
    #[serde(rename = "serviceShortName", default, deserialize_with = "null_string")]
    pub service_short_name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiAction {
    #[serde(default, deserialize_with = "null_string")]
    pub document: String,
    pub input: String,
    pub output: String,
    /// The action's short Chinese title.
    #[serde(default, deserialize_with = "null_string")]
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiObject {
    #[serde(default, deserialize_with = "null_string")]
    pub document: String,
    #[serde(default)]
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Member {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub member: String,
    #[serde(default, deserialize_with = "loose_bool")]
    pub required: bool,
    #[serde(default, deserialize_with = "null_string")]
    pub document: String,
    #[serde(default)]
    pub example: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "loose_bool")]
    pub disabled: bool,
    /// Disabled in the metadata but kept (see `enabled_members`): written `deprecated`.
    #[serde(skip)]
    pub deprecated: bool,
}

/// `examples.json` of one service version.
#[derive(Debug, Default, Deserialize)]
pub struct Examples {
    #[serde(default)]
    pub actions: BTreeMap<String, Vec<ApiExample>>,
}

#[derive(Debug, Deserialize)]
pub struct ApiExample {
    #[serde(default, deserialize_with = "null_string")]
    pub title: String,
    #[serde(default, deserialize_with = "null_string")]
    pub document: String,
    #[serde(default, deserialize_with = "null_string")]
    pub input: String,
    #[serde(default, deserialize_with = "null_string")]
    pub output: String,
}

/// A string that the metadata sometimes gives as `null` (then empty), with its line
/// breaks as `\n` (a few documents have `\r`, which Rust refuses in doc comments).
fn null_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(unix_lines(
        Option::<String>::deserialize(d)?.unwrap_or_default(),
    ))
}

/// `\r\n` and a lone `\r` as `\n`.
pub(crate) fn unix_lines(s: String) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    }
}

/// A boolean that the metadata sometimes gives as `0`/`1` or `null`.
fn loose_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    use serde::de::Error;
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(false),
        Some(serde_json::Value::Bool(b)) => Ok(b),
        Some(serde_json::Value::Number(n)) if n.as_i64() == Some(0) => Ok(false),
        Some(serde_json::Value::Number(n)) if n.as_i64() == Some(1) => Ok(true),
        Some(v) => Err(D::Error::custom(format!("expected a boolean, found {v}"))),
    }
}

/// One code of `errorcodes.py`: `# description` then `NAME = 'Code'`.
pub fn parse_errorcodes(text: &str) -> Vec<ErrorSpec> {
    let mut out: Vec<ErrorSpec> = Vec::new();
    let mut comment: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            comment.clear();
        } else if let Some(c) = t.strip_prefix('#') {
            comment.push(c.trim().to_owned());
        } else if let Some((name, value)) = t.split_once('=') {
            let value = value.trim();
            let code = value
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')));
            if let (true, Some(code)) = (
                name.trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_'),
                code,
            ) {
                if !out.iter().any(|e| e.code == code) {
                    out.push(ErrorSpec {
                        code: code.to_owned(),
                        description: comment.join("\n"),
                        ..ErrorSpec::default()
                    });
                }
            }
            comment.clear();
        } else {
            comment.clear();
        }
    }
    out
}

/// Everything needed to map one service version.
pub struct Source<'a> {
    pub service: &'a str,
    pub api: &'a Api,
    pub examples: &'a Examples,
    pub errors: &'a [ErrorSpec],
    /// Where the metadata comes from, for the files' header comments.
    pub origin: &'a str,
}

/// A member's type before names are given.
#[derive(Debug, Clone, PartialEq)]
enum MTy {
    Scalar(&'static str),
    Object(String),
    List(Box<MTy>),
    /// A structure that would contain itself: kept as any JSON.
    Json,
}

fn scalar(kind: &str, member: &str) -> Option<&'static str> {
    Some(match (kind, member) {
        ("string", "string") | ("string", "date") => "string",
        ("string", "datetime") | ("string", "datetime_iso") => "datetime",
        ("int", "int64") => "integer",
        ("int", "uint64") => "uint64",
        ("float", "float") => "double",
        ("bool", "bool") => "boolean",
        ("binary", "binary") => "binary",
        _ => return None,
    })
}

fn list_scalar(member: &str) -> Option<&'static str> {
    Some(match member {
        "string" | "date" => "string",
        "datetime" | "datetime_iso" => "datetime",
        "int64" => "integer",
        "uint64" => "uint64",
        "float" => "double",
        "bool" => "boolean",
        "binary" => "binary",
        _ => return None,
    })
}

fn member_ty(api: &Api, owner: &str, m: &Member) -> Result<MTy, String> {
    let object = |name: &str| {
        if api.objects.contains_key(name) {
            Ok(MTy::Object(name.to_owned()))
        } else {
            Err(format!(
                "import: {owner}.{}: type `{}` names the object `{name}`, which api.json does not define",
                m.name, m.kind
            ))
        }
    };
    match m.kind.as_str() {
        "object" => object(&m.member),
        "list" => match list_scalar(&m.member) {
            Some(s) => Ok(MTy::List(Box::new(MTy::Scalar(s)))),
            None => object(&m.member).map(|o| MTy::List(Box::new(o))),
        },
        kind => scalar(kind, &m.member).map(MTy::Scalar).ok_or_else(|| {
            format!(
                "import: {owner}.{}: unknown type `{kind}` with member `{}` (the importer maps string, int, float, bool, binary, list and object)",
                m.name, m.member
            )
        }),
    }
}

/// An enum found in a member's prose, before it is named.
#[derive(Debug, Clone)]
struct EnumCandidate {
    owner: String,
    member: String,
    values: Vec<EnumValue>,
}

/// The mapping of one service version. `kept` is what exists already (empty for a
/// report of what the metadata alone says).
pub fn map(src: &Source, kept: &Kept) -> Result<Imported, String> {
    let mut notes = Vec::new();
    let mut skipped = Vec::new();
    let api = &enabled_members(src.api, &mut notes);
    let actions = live_actions(api, &mut notes, &mut skipped)?;

    // Member types, and the members that would make a structure contain itself.
    let tys = member_types(api)?;
    let users = object_users(api, &tys, &actions);
    let candidates = enum_candidates(api, &tys, &actions, &users);

    // Type names: the kept product's, then objects, then enums; unique after case
    // conversion and clear of the names generated code takes.
    let kept_types = kept.product_types.clone().unwrap_or_default();
    let mut taken = taken_type_names(&actions, &kept_types);
    let type_names = object_type_names(&users, &kept_types, &mut taken, &mut notes);
    let enum_names = enum_type_names(&candidates, &mut taken);
    let enum_of: BTreeMap<(String, String), usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.owner.clone(), c.member.clone()), i))
        .collect();

    let ctx = Ctx {
        api,
        tys: &tys,
        type_names: &type_names,
        enum_of: &enum_of,
        enum_names: &enum_names,
        candidates: &candidates,
    };
    let named = named_types(&ctx, &actions, &users, &kept_types);
    let shared = shared_types(&named, kept, &kept_types);
    let out_actions = actions
        .iter()
        .filter(|(name, _)| !kept.actions.contains(*name))
        .map(|(name, a)| map_action(src, &ctx, name, a, &named, &shared, &kept_types))
        .collect();
    let errors = product_errors(src, kept, &mut notes);
    let product = product_out(src, api, errors, &named, &shared);
    Ok(Imported {
        product,
        actions: out_actions,
        notes,
        skipped,
        // Disabled members are kept (deprecated): no request member is left out.
        lost: Vec::new(),
    })
}

/// The actions to import: all but those the metadata marks offline (noted and skipped);
/// an action naming an object `api.json` does not define is an error.
fn live_actions<'a>(
    api: &'a Api,
    notes: &mut Vec<String>,
    skipped: &mut Vec<(String, String)>,
) -> Result<Vec<(&'a String, &'a ApiAction)>, String> {
    let mut actions = Vec::new();
    for (name, a) in &api.actions {
        if a.status.as_deref() == Some("offline") {
            notes.push(format!("{name}: skipped, the metadata marks it offline"));
            skipped.push((name.clone(), "the metadata marks it offline".to_owned()));
            continue;
        }
        for obj in [&a.input, &a.output] {
            if !api.objects.contains_key(obj) {
                return Err(format!(
                    "import: action {name} names the object `{obj}`, which api.json does not define"
                ));
            }
        }
        actions.push((name, a));
    }
    Ok(actions)
}

/// The type of every enabled member, by `(object, member)`, cycles broken.
fn member_types(api: &Api) -> Result<BTreeMap<(String, String), MTy>, String> {
    let mut tys: BTreeMap<(String, String), MTy> = BTreeMap::new();
    for (oname, o) in &api.objects {
        for m in o.members.iter().filter(|m| !m.disabled) {
            tys.insert((oname.clone(), m.name.clone()), member_ty(api, oname, m)?);
        }
    }
    break_cycles(api, &mut tys);
    Ok(tys)
}

/// Which actions reach each object (through enabled members).
fn object_users(
    api: &Api,
    tys: &BTreeMap<(String, String), MTy>,
    actions: &[(&String, &ApiAction)],
) -> BTreeMap<String, BTreeSet<String>> {
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, a) in actions {
        let reached = reach(api, tys, &[&a.input, &a.output]);
        for o in reached {
            users.entry(o).or_default().insert((*name).clone());
        }
    }
    users
}

/// Enums from prose, on string members of everything reachable.
fn enum_candidates(
    api: &Api,
    tys: &BTreeMap<(String, String), MTy>,
    actions: &[(&String, &ApiAction)],
    users: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<EnumCandidate> {
    let owners: Vec<&String> = actions
        .iter()
        .flat_map(|(_, a)| [&a.input, &a.output])
        .chain(users.keys())
        .collect();
    let mut candidates: Vec<EnumCandidate> = Vec::new();
    for owner in owners {
        for m in api.objects[owner].members.iter().filter(|m| !m.disabled) {
            let ty = &tys[&(owner.clone(), m.name.clone())];
            let stringy = m.member == "string"
                && (matches!(ty, MTy::Scalar("string"))
                    || matches!(ty, MTy::List(i) if **i == MTy::Scalar("string")));
            if !stringy {
                continue;
            }
            if let Some(values) = prose::enum_values(&m.document).filter(|v| variants_ok(v)) {
                candidates.push(EnumCandidate {
                    owner: owner.clone(),
                    member: m.name.clone(),
                    values,
                });
            }
        }
    }
    candidates
}

/// The Rust type names taken before any object or enum is named: those generated code
/// reserves, each action's own, and the kept product's types.
fn taken_type_names(
    actions: &[(&String, &ApiAction)],
    kept_types: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut taken: BTreeSet<String> = RESERVED_TYPE_NAMES
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for (name, _) in actions {
        for suffix in ["Request", "RequestBuilder", "Response", "Error"] {
            taken.insert(format!("{}{suffix}", camel(name)));
        }
    }
    for t in kept_types {
        taken.insert(camel(t));
    }
    taken
}

/// Each reachable object's type name: the kept product's definition where it has one,
/// else its own name unless taken.
fn object_type_names(
    users: &BTreeMap<String, BTreeSet<String>>,
    kept_types: &BTreeSet<String>,
    taken: &mut BTreeSet<String>,
    notes: &mut Vec<String>,
) -> BTreeMap<String, String> {
    let mut type_names: BTreeMap<String, String> = BTreeMap::new();
    for o in users.keys() {
        if kept_types.contains(o) {
            notes.push(format!(
                "{o}: the kept product.yaml defines it; imported actions use that definition"
            ));
            type_names.insert(o.clone(), o.clone());
            continue;
        }
        let name = claim_type_name(o, taken);
        if &name != o {
            notes.push(format!(
                "{o}: named `{name}` in the spec (`{o}` is taken in Rust)"
            ));
        }
        type_names.insert(o.clone(), name);
    }
    type_names
}

/// Each candidate's enum name. An enum takes the member's name when every member of that
/// name lists the same values; otherwise each is named after its owner too.
fn enum_type_names(candidates: &[EnumCandidate], taken: &mut BTreeSet<String>) -> Vec<String> {
    let mut by_member: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        by_member.entry(c.member.clone()).or_default().push(i);
    }
    let mut enum_names: Vec<String> = vec![String::new(); candidates.len()];
    let same = |a: &EnumCandidate, b: &EnumCandidate| {
        a.values
            .iter()
            .map(|v| &v.value)
            .eq(b.values.iter().map(|v| &v.value))
    };
    for (member, idx) in &by_member {
        let all_same = idx
            .iter()
            .all(|&i| same(&candidates[i], &candidates[idx[0]]));
        if all_same && !taken.contains(&camel(member)) && ident_problem(&camel(member)).is_none() {
            taken.insert(camel(member));
            for &i in idx {
                enum_names[i] = member.clone();
            }
        } else {
            // Identical lists of one owner share a name; the others get their own.
            for &i in idx {
                let base = format!("{}{}", candidates[i].owner, member);
                enum_names[i] = claim_type_name(&base, taken);
            }
        }
    }
    enum_names
}

/// A named type, with the actions using it and the named types it refers to.
struct Named {
    def: TypeSpec,
    users: BTreeSet<String>,
    refs: BTreeSet<String>,
}

/// Every structure and enum to define (not the kept product's), by type name.
fn named_types(
    ctx: &Ctx,
    actions: &[(&String, &ApiAction)],
    users: &BTreeMap<String, BTreeSet<String>>,
    kept_types: &BTreeSet<String>,
) -> BTreeMap<String, Named> {
    let api = ctx.api;
    let mut named: BTreeMap<String, Named> = BTreeMap::new();
    for (o, us) in users {
        if kept_types.contains(o) {
            continue;
        }
        let obj = &api.objects[o];
        let (fields, refs) = ctx.members(o, false);
        named.insert(
            ctx.type_names[o].clone(),
            Named {
                def: TypeSpec {
                    name: ctx.type_names[o].clone(),
                    description: obj.document.clone(),
                    fields: Some(fields.into_iter().map(field).collect()),
                    values: None,
                },
                users: us.clone(),
                refs,
            },
        );
    }
    for (i, c) in ctx.candidates.iter().enumerate() {
        let name = &ctx.enum_names[i];
        let us: BTreeSet<String> = match users.get(&c.owner) {
            Some(u) => u.clone(),
            // The owner is an action's request or response.
            None => actions
                .iter()
                .filter(|(_, a)| a.input == c.owner || a.output == c.owner)
                .map(|(n, _)| (*n).clone())
                .collect(),
        };
        let entry = named.entry(name.clone()).or_insert_with(|| Named {
            def: TypeSpec {
                name: name.clone(),
                description: api.objects[&c.owner]
                    .members
                    .iter()
                    .find(|m| m.name == c.member)
                    .map(|m| m.document.trim_end().to_owned())
                    .unwrap_or_default(),
                fields: None,
                values: Some(
                    c.values
                        .iter()
                        .map(|v| EnumValueSpec {
                            value: Scalar(v.value.clone()),
                            rust_name: None,
                            description: v.description.clone(),
                        })
                        .collect(),
                ),
            },
            users: BTreeSet::new(),
            refs: BTreeSet::new(),
        });
        entry.users.extend(us);
    }
    named
}

/// The types defined in `product.yaml`: those more than one action uses, when the
/// product file is written, no kept action defines a type of that name, and everything
/// it refers to is shared too.
fn shared_types(
    named: &BTreeMap<String, Named>,
    kept: &Kept,
    kept_types: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut shared: BTreeSet<String> = named
        .iter()
        .filter(|(n, t)| {
            kept.product_types.is_none() && t.users.len() > 1 && !kept.action_types.contains(*n)
        })
        .map(|(n, _)| n.clone())
        .collect();
    loop {
        let before = shared.len();
        let drop: Vec<String> = shared
            .iter()
            .filter(|n| {
                named[*n]
                    .refs
                    .iter()
                    .any(|r| !shared.contains(r) && !kept_types.contains(r))
            })
            .cloned()
            .collect();
        for d in drop {
            shared.remove(&d);
        }
        if shared.len() == before {
            break;
        }
    }
    shared
}

/// One action's spec: its parameters, response, local types (those reached from it that
/// are not shared) and examples.
fn map_action(
    src: &Source,
    ctx: &Ctx,
    name: &str,
    a: &ApiAction,
    named: &BTreeMap<String, Named>,
    shared: &BTreeSet<String>,
    kept_types: &BTreeSet<String>,
) -> SpecFile<ActionSpec> {
    let (parameters, mut refs) = ctx.members(&a.input, true);
    let (response, rrefs) = ctx.members(&a.output, false);
    let response = response.into_iter().map(field).collect();
    refs.extend(rrefs);
    // Local types: those reached from here that are not shared, in the order reached.
    let mut local: Vec<TypeSpec> = Vec::new();
    let mut todo: Vec<String> = refs.into_iter().collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(t) = todo.pop() {
        if !seen.insert(t.clone()) || shared.contains(&t) || kept_types.contains(&t) {
            continue;
        }
        let Some(n) = named.get(&t) else { continue };
        local.push(n.def.clone());
        todo.extend(n.refs.iter().cloned());
    }
    local.sort_by(|x, y| x.name.cmp(&y.name));
    let mut comments = vec![format!("Imported from {}.", src.origin)];
    let mut description = a.document.trim_end().to_owned();
    if description.is_empty() {
        description = a.name.clone();
    }
    if a.status.as_deref() == Some("deprecated") {
        description.push_str("\n\n(The provider's metadata marks this action deprecated.)");
        comments.push("The metadata marks this action deprecated.".into());
    }
    let examples = src
        .examples
        .actions
        .get(name)
        .map(|list| {
            list.iter()
                .map(|e| ExampleSpec {
                    title: example_title(e),
                    request: Some(e.input.clone()).filter(|s| !s.trim().is_empty()),
                    response_json: Some(e.output.clone()).filter(|s| !s.trim().is_empty()),
                    response_xml: None,
                })
                .collect()
        })
        .unwrap_or_default();
    SpecFile {
        comments,
        spec: ActionSpec {
            name: name.to_owned(),
            description,
            http_method: HttpMethod::Post,
            path: None,
            body: None,
            rate_limit: None,
            idempotent: None,
            parameters,
            rules: Vec::new(),
            pagination: None,
            response: ResponseSpec {
                description: ctx.api.objects[&a.output].document.clone(),
                body: None,
                fields: response,
            },
            types: local,
            errors: Vec::new(),
            examples,
        },
    }
}

/// Product errors: the SDK's codes the provider does not list already; a code whose
/// Rust variant another code (or a provider code) takes gets a numbered `rust_name`.
fn product_errors(src: &Source, kept: &Kept, notes: &mut Vec<String>) -> Vec<ErrorSpec> {
    let mut variants: BTreeSet<String> = kept.provider_errors.iter().map(|c| camel(c)).collect();
    variants.extend(["Common".to_owned(), "Unhandled".to_owned()]);
    let mut errors = Vec::new();
    for e in src.errors {
        if kept.provider_errors.contains(&e.code) {
            continue;
        }
        let mut e = e.clone();
        let base = camel(&e.code);
        if !variants.insert(base.clone()) {
            let name = (2..)
                .map(|n| format!("{base}{n}"))
                .find(|n| !variants.contains(n))
                .unwrap_or_default();
            variants.insert(name.clone());
            notes.push(format!(
                "error code {}: its variant `{base}` is taken by another code; named `{name}`",
                e.code
            ));
            e.rust_name = Some(name);
        }
        errors.push(e);
    }
    errors
}

/// The product version's `product.yaml`: the metadata's names, the host and signing
/// scope, `errors` and the shared types.
fn product_out(
    src: &Source,
    api: &Api,
    errors: Vec<ErrorSpec>,
    named: &BTreeMap<String, Named>,
    shared: &BTreeSet<String>,
) -> SpecFile<ProductSpec> {
    // The host and the signature's scope use the service's short name (`as` for
    // `autoscaling`, as the SDK's `_service`); the folder's name is the product's.
    let wire_service = if api.metadata.service_short_name.is_empty() {
        src.service
    } else {
        api.metadata.service_short_name.as_str()
    };
    let spec = ProductSpec {
        provider: "tencentcloud".into(),
        product: src.service.to_owned(),
        title: if api.metadata.service_name_cn.is_empty() {
            src.service.to_owned()
        } else {
            api.metadata.service_name_cn.clone()
        },
        version: api.metadata.api_version.clone(),
        description: api.metadata.api_brief.clone(),
        protocol: Protocol::Tc3,
        default_feature: false,
        signing: None,
        endpoint: format!("{wire_service}.tencentcloudapi.com"),
        service: wire_service.to_owned(),
        default_region: None,
        endpoints: Some(EndpointsSpec {
            rule: "tencent".into(),
            product_id: wire_service.to_owned(),
            regions: BTreeMap::new(),
        }),
        common_parameters: vec![CommonParameter {
            name: "Version".into(),
            description: format!("公共参数，本产品取值：{}。", api.metadata.api_version),
        }],
        errors,
        types: named
            .values()
            .filter(|n| shared.contains(&n.def.name))
            .map(|n| n.def.clone())
            .collect(),
    };
    SpecFile {
        comments: vec![format!("Imported from {}.", src.origin)],
        spec,
    }
}

/// A member as a structure field (`members` of a response or structure: no wire name,
/// position or style).
fn field(p: ParameterSpec) -> FieldSpec {
    FieldSpec {
        name: p.name,
        rust_name: p.rust_name,
        ty: p.ty,
        required: p.required,
        deprecated: p.deprecated,
        range: p.range,
        default: p.default,
        example: p.example,
        description: p.description,
        ..FieldSpec::default()
    }
}

/// The metadata with every disabled member kept, marked `deprecated`: the SDK still
/// sends a disabled request parameter when it is set (`AllocateAddresses.ApplicableForCLB`,
/// `CreateVpcEndPointService.IsPassService` in its documented example), and the servers may
/// still answer with a disabled response field. Nothing the metadata holds is lost.
fn enabled_members(api: &Api, notes: &mut Vec<String>) -> Api {
    let mut out = api.clone();
    for (oname, o) in out.objects.iter_mut() {
        for m in o.members.iter_mut().filter(|m| m.disabled) {
            notes.push(format!(
                "{oname}.{}: disabled in the metadata, kept as deprecated",
                m.name
            ));
            m.disabled = false;
            m.deprecated = true;
        }
    }
    out
}

fn example_title(e: &ApiExample) -> String {
    let doc = e.document.split_whitespace().collect::<Vec<_>>().join(" ");
    if doc.is_empty() || doc == e.title {
        e.title.clone()
    } else if e.title.is_empty() {
        doc
    } else {
        format!("{} — {doc}", e.title)
    }
}

/// The values make distinct, usable Rust variants.
fn variants_ok(values: &[EnumValue]) -> bool {
    let mut seen = BTreeSet::new();
    values.iter().all(|v| {
        let r = camel(&v.value);
        ident_problem(&r).is_none() && r != "Unknown" && seen.insert(r)
    })
}

/// `base` if its Rust name is usable and free, else `baseInfo`, `baseInfo2`, ….
pub(crate) fn claim_type_name(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidates = vec![base.to_owned(), format!("{base}Info")];
    candidates.extend((2..).take(50).map(|i| format!("{base}Info{i}")));
    for c in candidates {
        let r = camel(&c);
        if ident_problem(&r).is_none() && !taken.contains(&r) {
            taken.insert(r);
            return c;
        }
    }
    // 50 names taken: give up on readability.
    let c = format!("{base}Type{}", taken.len());
    taken.insert(camel(&c));
    c
}

/// Objects reachable from `roots` (not the roots themselves), in the order first reached.
fn reach(api: &Api, tys: &BTreeMap<(String, String), MTy>, roots: &[&String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut todo: Vec<String> = roots.iter().map(|r| (*r).clone()).collect();
    let mut seen: BTreeSet<String> = todo.iter().cloned().collect();
    while let Some(o) = todo.pop() {
        for m in api.objects[&o].members.iter().filter(|m| !m.disabled) {
            let mut t = &tys[&(o.clone(), m.name.clone())];
            while let MTy::List(inner) = t {
                t = inner;
            }
            if let MTy::Object(target) = t {
                if seen.insert(target.clone()) {
                    out.push(target.clone());
                    todo.push(target.clone());
                }
            }
        }
    }
    out
}

/// Members whose object type would make a structure contain itself (not through a
/// list) become `json`: the spec format, like Rust, needs an indirection there.
fn break_cycles(api: &Api, tys: &mut BTreeMap<(String, String), MTy>) {
    // 0 = unvisited, 1 = on the stack, 2 = done.
    fn visit(
        o: &str,
        api: &Api,
        tys: &mut BTreeMap<(String, String), MTy>,
        state: &mut BTreeMap<String, u8>,
    ) {
        state.insert(o.to_owned(), 1);
        let names: Vec<String> = api.objects[o]
            .members
            .iter()
            .filter(|m| !m.disabled)
            .map(|m| m.name.clone())
            .collect();
        for n in names {
            let key = (o.to_owned(), n);
            let MTy::Object(target) = tys[&key].clone() else {
                continue;
            };
            match state.get(&target).copied().unwrap_or(0) {
                1 => {
                    tys.insert(key, MTy::Json);
                }
                0 => visit(&target, api, tys, state),
                _ => {}
            }
        }
        state.insert(o.to_owned(), 2);
    }
    let mut state = BTreeMap::new();
    for o in api.objects.keys() {
        if !state.contains_key(o) {
            visit(o, api, tys, &mut state);
        }
    }
}

struct Ctx<'a> {
    api: &'a Api,
    tys: &'a BTreeMap<(String, String), MTy>,
    type_names: &'a BTreeMap<String, String>,
    enum_of: &'a BTreeMap<(String, String), usize>,
    enum_names: &'a [String],
    candidates: &'a [EnumCandidate],
}

impl Ctx<'_> {
    /// The enabled members of `object` as parameters (`params`) or fields, and the
    /// named types they refer to.
    fn members(&self, object: &str, params: bool) -> (Vec<ParameterSpec>, BTreeSet<String>) {
        let mut refs = BTreeSet::new();
        let mut out = Vec::new();
        let mut rust_taken: BTreeSet<String> = BTreeSet::new();
        if params {
            rust_taken.extend(BUILDER_METHODS.iter().map(|m| (*m).to_owned()));
        }
        for m in self.api.objects[object]
            .members
            .iter()
            .filter(|m| !m.disabled)
        {
            let key = (object.to_owned(), m.name.clone());
            let mty = &self.tys[&key];
            let enum_idx = self.enum_of.get(&key).copied();
            let ty = self.render(mty, enum_idx, &mut refs);
            let mut description = m.document.trim_end().to_owned();
            if *mty == MTy::Json {
                description.push_str(&format!(
                    "\n\n(The metadata types this member as the structure `{}`, which contains it; it is kept as JSON.)",
                    m.member
                ));
            }
            // A list of enum values takes no default (defaults are for scalars).
            let scalar_ty = match (mty, enum_idx) {
                (MTy::Scalar(_), Some(_)) => "enum",
                (MTy::Scalar(s), None) => s,
                _ => "",
            };
            let range = match scalar_ty {
                "integer" => prose::range(&m.document),
                "uint64" => prose::range(&m.document).filter(|(lo, _)| *lo >= 0),
                _ => None,
            };
            let default = prose::default(&m.document).and_then(|d| {
                let in_range =
                    |v: i128| range.is_none_or(|(lo, hi)| v >= lo as i128 && v <= hi as i128);
                match scalar_ty {
                    "integer" => d
                        .parse::<i64>()
                        .ok()
                        .filter(|v| in_range(*v as i128))
                        .map(|v| v.to_string()),
                    "uint64" => d
                        .parse::<u64>()
                        .ok()
                        .filter(|v| in_range(*v as i128))
                        .map(|v| v.to_string()),
                    "boolean" => {
                        let l = d.to_ascii_lowercase();
                        matches!(l.as_str(), "true" | "false").then_some(l)
                    }
                    "double" => d.parse::<f64>().ok().filter(|v| v.is_finite()).map(|_| d),
                    "string" => Some(d),
                    "enum" => {
                        let values = &self.candidates[enum_idx.unwrap_or_default()].values;
                        values.iter().any(|v| v.value == d).then_some(d)
                    }
                    _ => None,
                }
            });
            // `无` ("none") is the metadata's placeholder for "no example".
            let example = match &m.example {
                Some(serde_json::Value::String(s)) if !s.is_empty() && s != "无" => {
                    Some(unix_lines(s.clone()))
                }
                Some(serde_json::Value::Null) | None => None,
                Some(serde_json::Value::String(_)) => None,
                Some(v) => Some(v.to_string()),
            };
            let rust_name = rust_member_name(&m.name, &mut rust_taken);
            out.push(ParameterSpec {
                name: m.name.clone(),
                wire_name: (params && matches!(mty, MTy::List(_))).then(|| format!("{}.N", m.name)),
                rust_name,
                ty,
                // A deprecated member is never required (the SDK sends calls without it).
                required: m.required && !m.deprecated,
                range: range.map(|(lo, hi)| RangeSpec {
                    min: Some(lo),
                    max: Some(hi),
                }),
                default: default.map(Scalar),
                example: example.map(Scalar),
                description,
                deprecated: m.deprecated,
                ..ParameterSpec::default()
            });
        }
        (out, refs)
    }

    fn render(&self, t: &MTy, enum_idx: Option<usize>, refs: &mut BTreeSet<String>) -> String {
        match t {
            MTy::Scalar(s) => match enum_idx {
                Some(i) => {
                    refs.insert(self.enum_names[i].clone());
                    self.enum_names[i].clone()
                }
                None => (*s).to_owned(),
            },
            MTy::Json => "json".to_owned(),
            MTy::Object(o) => {
                let n = self.type_names[o].clone();
                refs.insert(n.clone());
                n
            }
            MTy::List(inner) => format!("list<{}>", self.render(inner, enum_idx, refs)),
        }
    }
}

/// The methods a generated request builder has besides one setter per parameter
/// (`check` is private, but a setter of that name still collides with it; the checker
/// reserves only `build` and `build_unchecked`).
pub(crate) const BUILDER_METHODS: &[&str] = &["build", "build_unchecked", "check"];

/// `None` when the snake_case conversion of `name` is usable and new; otherwise the
/// Rust name to write (`type_` for a keyword, a variant for a collision).
pub(crate) fn rust_member_name(name: &str, taken: &mut BTreeSet<String>) -> Option<String> {
    let s = snake(name);
    if ident_problem(&s).is_none() && !taken.contains(&s) {
        taken.insert(s);
        return None;
    }
    let mut candidates = Vec::new();
    if is_keyword(&s) {
        candidates.push(format!("{s}_"));
    }
    if BUILDER_METHODS.contains(&s.as_str()) {
        candidates.push(format!("{s}_value"));
    }
    let lower: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    candidates.push(lower.clone());
    candidates.extend((2..100).map(|i| format!("{s}_{i}")));
    for c in candidates {
        if ident_problem(&c).is_none()
            && !taken.contains(&c)
            && !c.chars().any(|ch| ch.is_ascii_uppercase())
        {
            taken.insert(c.clone());
            return Some(c);
        }
    }
    let c = format!("field_{}", taken.len());
    taken.insert(c.clone());
    Some(c)
}
