//! Which paging style an imported action has, inferred from its request's and its answer's
//! members (names and types together), and written only when that is unambiguous:
//!
//! - `token`: a string `NextToken` parameter and a string `NextToken` in the answer (an
//!   `IsTruncated` boolean beside it is the end flag);
//! - `page_number`: integer `PageNumber` and `PageSize` parameters (an integer `TotalCount`
//!   or `Total` in the answer is used when there is one);
//! - `offset`: integer or `uint64` `Offset` and `Limit` parameters (a `TotalCount` or
//!   `Total` beside the items is used when there is one).
//!
//! The items are the answer's one list: a top-level list field, else the one list inside
//! the answer's one structure that holds lists (`Data.List`). Names match in any case
//! (`nextToken`, `pageSize`). Actions with paging members and a list in their answer that
//! get no paginator are reported with the reason.

use codegen::spec::{
    ActionSpec, FieldSpec, OffsetPagination, PageNumberPagination, PaginationSpec, ParameterSpec,
    TokenPagination, TypeSpec,
};

/// A style and its keys, in the spec's order, while styles are compared.
type Style = (&'static str, Vec<(&'static str, String)>);

/// What inference found for one action.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// The request has no paging members, or the answer no list: nothing to page.
    NotPaged,
    Paged(Box<PaginationSpec>),
    /// Paging members and a list, but no unambiguous style: why.
    Unclear(String),
}

/// A parameter or a field, by its name and type.
trait Member {
    fn name(&self) -> &str;
    fn ty(&self) -> &str;
}

impl Member for ParameterSpec {
    fn name(&self) -> &str {
        &self.name
    }
    fn ty(&self) -> &str {
        &self.ty
    }
}

impl Member for FieldSpec {
    fn name(&self) -> &str {
        &self.name
    }
    fn ty(&self) -> &str {
        &self.ty
    }
}

fn find<'a, M: Member>(members: &'a [M], name: &str) -> Option<&'a M> {
    members.iter().find(|m| m.name().eq_ignore_ascii_case(name))
}

fn is_count<M: Member>(m: &M) -> bool {
    matches!(m.ty(), "integer" | "uint64")
}

/// The fields of the structure type `name`, among the action's and the product's types.
fn fields<'a>(
    name: &str,
    local: &'a [TypeSpec],
    shared: &'a [TypeSpec],
) -> Option<&'a [FieldSpec]> {
    local
        .iter()
        .chain(shared)
        .find(|t| t.name == name)
        .and_then(|t| match (&t.fields, &t.values) {
            (Some(f), None) => Some(f.as_slice()),
            _ => None,
        })
}

/// The `pagination:` block of a style and its keys.
fn spec((style, keys): Style) -> PaginationSpec {
    let get = |k: &str| keys.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
    let key = |k: &str| get(k).unwrap_or_default();
    let mut p = PaginationSpec::default();
    match style {
        "token" => {
            p.token = Some(TokenPagination {
                request: key("request"),
                response: key("response"),
                truncated: get("truncated"),
                items: key("items"),
            })
        }
        "page_number" => {
            p.page_number = Some(PageNumberPagination {
                page: key("page"),
                size: key("size"),
                total: get("total"),
                items: key("items"),
            })
        }
        _ => {
            p.offset = Some(OffsetPagination {
                offset: key("offset"),
                limit: key("limit"),
                total: get("total"),
                items: key("items"),
            })
        }
    }
    p
}

/// Infers the paging of `a`; `shared` are the product's shared types.
pub fn infer(a: &ActionSpec, shared: &[TypeSpec]) -> Paging {
    let p = &a.parameters;
    let response = &a.response.fields;
    let token = find(p, "NextToken").filter(|m| m.ty == "string");
    let page = find(p, "PageNumber")
        .zip(find(p, "PageSize"))
        .filter(|(x, y)| x.ty == "integer" && y.ty == "integer");
    let offset = find(p, "Offset")
        .zip(find(p, "Limit"))
        .filter(|(x, y)| is_count(*x) && is_count(*y));
    if token.is_none() && page.is_none() && offset.is_none() {
        return Paging::NotPaged;
    }
    // The items: the one top-level list, else the one list of the one structure with lists.
    let top: Vec<&FieldSpec> = response
        .iter()
        .filter(|m| m.ty.starts_with("list<"))
        .collect();
    let (items, parent): (String, &[FieldSpec]) = match top.as_slice() {
        [one] => (one.name.clone(), response.as_slice()),
        [] => {
            let mut inner: Vec<(String, &[FieldSpec])> = Vec::new();
            for m in response {
                if let Some(fs) = fields(&m.ty, &a.types, shared) {
                    for f in fs.iter().filter(|f| f.ty.starts_with("list<")) {
                        inner.push((format!("{}.{}", m.name, f.name), fs));
                    }
                }
            }
            match inner.len() {
                0 => return Paging::NotPaged,
                1 => inner.remove(0),
                n => return Paging::Unclear(format!("{n} lists inside the answer's structures")),
            }
        }
        many => {
            return Paging::Unclear(format!(
                "{} lists in the answer ({})",
                many.len(),
                many.iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    };
    let prefix = items.rsplit_once('.').map(|(p, _)| format!("{p}."));
    // A member of the answer beside the items, else at its top level.
    let beside = |name: &str, ok: fn(&FieldSpec) -> bool| -> Option<String> {
        if let Some(pre) = &prefix {
            if let Some(m) = find(parent, name).filter(|m| ok(m)) {
                return Some(format!("{pre}{}", m.name));
            }
        }
        find(response, name)
            .filter(|m| ok(m))
            .map(|m| m.name.clone())
    };
    let total = beside("TotalCount", is_count).or_else(|| beside("Total", is_count));
    let mut styles: Vec<Style> = Vec::new();
    if let Some(t) = token {
        if let Some(resp) = beside("NextToken", |m| m.ty == "string") {
            let mut keys = vec![("request", t.name.clone()), ("response", resp)];
            if let Some(tr) = beside("IsTruncated", |m| m.ty == "boolean") {
                keys.push(("truncated", tr));
            }
            keys.push(("items", items.clone()));
            styles.push(("token", keys));
        }
    }
    if let Some((pn, ps)) = page {
        // Some answers give the total as text (VPC's `DescribeFlowLogs`): then there is
        // none, and a short or empty page is the last.
        let integer_total = beside("TotalCount", |m| m.ty == "integer")
            .or_else(|| beside("Total", |m| m.ty == "integer"));
        let mut keys = vec![("page", pn.name.clone()), ("size", ps.name.clone())];
        if let Some(t) = integer_total {
            keys.push(("total", t));
        }
        keys.push(("items", items.clone()));
        styles.push(("page_number", keys));
    }
    if let Some((o, l)) = offset {
        let mut keys = vec![("offset", o.name.clone()), ("limit", l.name.clone())];
        if let Some(t) = &total {
            keys.push(("total", t.clone()));
        }
        keys.push(("items", items.clone()));
        styles.push(("offset", keys));
    }
    // Where tokens and page numbers both fit, the provider takes either: tokens (the newer
    // style, which does not shift under concurrent writes) win.
    if styles.len() == 2 && styles[0].0 == "token" && styles[1].0 == "page_number" {
        styles.truncate(1);
    }
    match styles.len() {
        1 => Paging::Paged(Box::new(spec(styles.remove(0)))),
        0 => Paging::Unclear(
            if token.is_some() {
                "a NextToken parameter but no NextToken in the answer"
            } else {
                "no paging style fits"
            }
            .to_owned(),
        ),
        _ => Paging::Unclear(format!(
            "several styles fit ({})",
            styles.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use codegen::spec::{HttpMethod, ResponseSpec};

    fn p(name: &str, ty: &str) -> ParameterSpec {
        ParameterSpec {
            name: name.into(),
            ty: ty.into(),
            ..ParameterSpec::default()
        }
    }

    fn m(name: &str, ty: &str) -> FieldSpec {
        FieldSpec {
            name: name.into(),
            ty: ty.into(),
            ..FieldSpec::default()
        }
    }

    fn action(
        params: Vec<ParameterSpec>,
        response: Vec<FieldSpec>,
        types: Vec<TypeSpec>,
    ) -> ActionSpec {
        ActionSpec {
            name: "ListThings".into(),
            description: String::new(),
            http_method: HttpMethod::Post,
            path: None,
            body: None,
            rate_limit: None,
            idempotent: None,
            parameters: params,
            rules: Vec::new(),
            pagination: None,
            response: ResponseSpec {
                fields: response,
                ..ResponseSpec::default()
            },
            types,
            errors: Vec::new(),
            examples: Vec::new(),
        }
    }

    fn paged(style: &'static str, keys: Vec<(&'static str, String)>) -> Paging {
        Paging::Paged(Box::new(spec((style, keys))))
    }

    #[test]
    fn each_style_when_unambiguous() {
        // Tencent offset/limit with a total.
        let a = action(
            vec![p("Offset", "uint64"), p("Limit", "uint64")],
            vec![
                m("TotalCount", "integer"),
                m("ImageSet", "list<Image>"),
                m("RequestId", "string"),
            ],
            vec![],
        );
        assert_eq!(
            infer(&a, &[]),
            paged(
                "offset",
                vec![
                    ("offset", "Offset".into()),
                    ("limit", "Limit".into()),
                    ("total", "TotalCount".into()),
                    ("items", "ImageSet".into())
                ]
            )
        );
        // Alibaba page numbers, the list one level down (`Data.List`) beside its total.
        let data = TypeSpec {
            name: "Data".into(),
            fields: Some(vec![m("TotalCount", "integer"), m("List", "list<Item>")]),
            ..TypeSpec::default()
        };
        let a = action(
            vec![p("PageNumber", "integer"), p("pageSize", "integer")],
            vec![m("Data", "Data"), m("RequestId", "string")],
            vec![data],
        );
        assert_eq!(
            infer(&a, &[]),
            paged(
                "page_number",
                vec![
                    ("page", "PageNumber".into()),
                    ("size", "pageSize".into()),
                    ("total", "Data.TotalCount".into()),
                    ("items", "Data.List".into())
                ]
            )
        );
        // Tokens, with the truncated flag.
        let a = action(
            vec![p("NextToken", "string"), p("MaxResults", "integer")],
            vec![
                m("NextToken", "string"),
                m("IsTruncated", "boolean"),
                m("Users", "list<User>"),
            ],
            vec![],
        );
        assert_eq!(
            infer(&a, &[]),
            paged(
                "token",
                vec![
                    ("request", "NextToken".into()),
                    ("response", "NextToken".into()),
                    ("truncated", "IsTruncated".into()),
                    ("items", "Users".into())
                ]
            )
        );
    }

    #[test]
    fn ambiguous_or_absent_is_not_guessed() {
        // Two lists: which one pages is not clear.
        let a = action(
            vec![p("Offset", "integer"), p("Limit", "integer")],
            vec![m("A", "list<string>"), m("B", "list<string>")],
            vec![],
        );
        assert!(matches!(infer(&a, &[]), Paging::Unclear(why) if why.contains("2 lists")));
        // Page numbers without an integer total: ended by a short page.
        let a = action(
            vec![p("PageNumber", "integer"), p("PageSize", "integer")],
            vec![m("TotalCount", "string"), m("Items", "list<string>")],
            vec![],
        );
        assert_eq!(
            infer(&a, &[]),
            paged(
                "page_number",
                vec![
                    ("page", "PageNumber".into()),
                    ("size", "PageSize".into()),
                    ("items", "Items".into())
                ]
            )
        );
        // Tokens win over page numbers.
        let a = action(
            vec![
                p("NextToken", "string"),
                p("PageNumber", "integer"),
                p("PageSize", "integer"),
            ],
            vec![m("NextToken", "string"), m("Items", "list<string>")],
            vec![],
        );
        assert!(matches!(
            infer(&a, &[]),
            Paging::Paged(p) if p.token.is_some()
        ));
        // Both tokens and offsets fit.
        let a = action(
            vec![
                p("NextToken", "string"),
                p("Offset", "integer"),
                p("Limit", "integer"),
            ],
            vec![m("NextToken", "string"), m("Items", "list<string>")],
            vec![],
        );
        assert!(matches!(infer(&a, &[]), Paging::Unclear(why) if why.contains("several")));
        // No paging members, or no list: nothing to page.
        let a = action(
            vec![p("Id", "string")],
            vec![m("Items", "list<string>")],
            vec![],
        );
        assert_eq!(infer(&a, &[]), Paging::NotPaged);
        let a = action(
            vec![p("Offset", "integer"), p("Limit", "integer")],
            vec![m("Id", "string")],
            vec![],
        );
        assert_eq!(infer(&a, &[]), Paging::NotPaged);
    }
}
