//! The per-version `Client`: one async method per action, and paginators.

use super::text::{close, open, w, Out, WIDTH};
use super::{docs, type_text, Site};
use crate::ir::{Action, Pagination, PathStep, Product, Ty};

/// `client.rs` of a product version module.
pub fn client_file(o: &mut Out, p: &Product) {
    o.inner_doc(&format!(
        "The client of {} {}.",
        docs::escape(&p.title),
        p.version
    ));
    o.blank();
    o.doc("This product version, as the client needs it.");
    open!(
        o,
        "pub const SERVICE_INFO: crate::runtime::client::Service = crate::runtime::client::Service {{"
    );
    w!(
        o,
        "protocol: crate::runtime::Protocol::{},",
        p.protocol.runtime_name()
    );
    w!(
        o,
        "signing: crate::runtime::client::Signing::{},",
        p.signing.runtime_name()
    );
    w!(o, "version: super::VERSION,");
    w!(o, "endpoint: super::ENDPOINT,");
    w!(o, "service: super::SERVICE,");
    w!(o, "default_region: super::DEFAULT_REGION,");
    w!(o, "endpoints: super::ENDPOINTS,");
    close!(o, "}};");
    o.blank();
    o.doc(&format!(
        "Calls {} {}: one async method per action. Cheap to clone; clones share connections and rate limits.",
        docs::escape(&p.title),
        p.version
    ));
    o.raw(CLIENT_HEAD);
    o.indent_in();
    o.doc(&format!(
        "A client with the default configuration and credentials from {}.",
        p.provider.credential_env_doc()
    ));
    o.raw(CLIENT_CONSTRUCTORS);
    for a in &p.actions {
        action_methods(o, a);
    }
    close!(o, "}}");
}

/// The `Client` structure and the start of its `impl`, up to `from_env`'s docs.
const CLIENT_HEAD: &str = "#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::runtime::client::Client,
}

impl Client {
    /// A client with the given configuration. Its host is resolved here: the configured
    /// endpoint, else the one the region (and network) give; a region the product cannot
    /// resolve is an error naming both.
    pub fn new(
        config: crate::runtime::Config,
    ) -> Result<Self, crate::runtime::client::BuildError> {
        Ok(Client { inner: crate::runtime::client::Client::new(config, SERVICE_INFO)? })
    }
";

/// The constructors after `from_env`'s docs, and `config`; indented for the `impl`.
const CLIENT_CONSTRUCTORS: &str =
    "    pub fn from_env() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let credentials = crate::runtime::Credentials::from_env(SERVICE_INFO.protocol)?;
        Ok(Self::new(crate::runtime::Config::builder(credentials).build())?)
    }

    /// A client whose credentials come from the provider's default chain, where the
    /// official SDKs look: the environment, the profile files, the instance's role.
    /// They are resolved when a call is made and refreshed before they expire.
    pub fn from_default_chain() -> Result<Self, crate::runtime::client::BuildError> {
        let chain: std::sync::Arc<dyn crate::runtime::credentials::ProvideCredentials> =
            std::sync::Arc::new(crate::runtime::Credentials::default_chain(SERVICE_INFO.protocol));
        Self::new(crate::runtime::Config::builder(chain).build())
    }

    /// The configuration in force.
    pub fn config(&self) -> &crate::runtime::Config {
        self.inner.config()
    }

    /// The host every call goes to, resolved when the client was built.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint()
    }

    /// A view of this client whose calls use `options`: another retry policy, or retries
    /// of actions that are not safe to repeat ([`crate::runtime::retry`] has the rule).
    /// It shares the client's connections, credentials and rate limits.
    pub fn with_options(&self, options: crate::runtime::CallOptions) -> Self {
        Client { inner: self.inner.with_options(options) }
    }";

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

fn action_methods(o: &mut Out, a: &Action) {
    let m = &a.rust_mod;
    let req = format!("super::{m}::{}", a.names.request);
    let resp = format!("super::{m}::{}", a.names.response);
    let err = format!("crate::runtime::SdkError<super::{m}::{}>", a.names.error);
    o.blank();
    let token = a.idempotency_token.map(|i| &a.params[i]);
    let retries = match (token, a.idempotent) {
        (Some(t), _) if !t.required => format!(
            "\n\nRetries: `{}` is filled with a fresh UUID when unset, once per call: every attempt sends the same, so retries do not repeat the change.",
            t.wire_name
        ),
        (Some(t), _) => format!(
            "\n\nRetries: every attempt sends the same `{}`, so retries do not repeat the change.",
            t.wire_name
        ),
        (None, true) => String::new(),
        (None, false) => "\n\nRetries: it changes state without an idempotency token: once its request may have reached the server (a timeout, a broken-off answer, a 5xx) it is not retried, unless [`CallOptions::retry_unsafe`](crate::runtime::CallOptions::retry_unsafe) or the policy's `retry_unsafe` says so.".to_owned(),
    };
    o.doc(&format!(
        "{}\n\nCalls `{}`. Fails with [`SdkError::Service`](crate::runtime::SdkError::Service) holding a [`{}`](super::{}) when the provider answers with an error.{retries}",
        docs::summary(&a.description),
        a.name,
        a.names.error,
        a.names.error,
    ));
    let ret = format!(") -> Result<{resp}, {err}> {{");
    if o.indent_width() + m.len() + req.len() + ret.len() + 33 <= WIDTH {
        w!(o, "pub async fn {m}(&self, request: {req}{ret}");
        o.indent_in();
    } else {
        open!(o, "pub async fn {m}(");
        w!(o, "&self,");
        w!(o, "request: {req},");
        o.close_sig("Result", &[&resp, &err]);
    }
    if let Some(t) = token.filter(|t| !t.required) {
        let field = &t.rust_name;
        w!(o, "let mut request = request;");
        open!(o, "if request.{field}.is_none() {{");
        w!(
            o,
            "request.{field} = Some(crate::runtime::retry::idempotency_token());"
        );
        close!(o, "}}");
    }
    w!(
        o,
        "self.inner.call(&super::{m}::OPERATION, request.to_payload()).await"
    );
    close!(o, "}}");
    let Some(pagination) = &a.pagination else {
        return;
    };
    let (pages, items) = (&a.names.pages, &a.names.items);
    o.blank();
    o.doc(&format!(
        "Every page of `{}`, as a stream, starting from `request`; stops on the last page.",
        a.name
    ));
    stream_sig(o, pages, &req, &resp, &err);
    w!(o, "let client = self.clone();");
    let (items_path, item_ty) = match pagination {
        Pagination::Token {
            request,
            response,
            truncated,
            items,
            item_ty,
        } => {
            let token_field = &a.params[*request].rust_name;
            open!(o, "crate::runtime::paginate::token_pages(");
            fetch(o, m);
            w!(o, "|r| {},", read_path(response, ".as_deref()"));
            match truncated {
                Some(path) => w!(o, "|r| {},", read_path(path, "")),
                None => w!(o, "|_| None,"),
            }
            w!(o, "|req, token| req.{token_field} = Some(token),");
            close!(o, ")");
            (items, item_ty)
        }
        Pagination::PageNumber {
            page,
            size,
            total,
            items,
            item_ty,
        } => {
            let (page_p, size_p) = (&a.params[*page], &a.params[*size]);
            open!(o, "crate::runtime::paginate::page_number_pages(");
            fetch(o, m);
            for param in [page_p, size_p] {
                if param.required {
                    w!(o, "|req| req.{},", param.rust_name);
                } else {
                    w!(o, "|req| req.{}.unwrap_or(1),", param.rust_name);
                }
            }
            if page_p.required {
                w!(o, "|req, n| req.{} = n,", page_p.rust_name);
            } else {
                w!(o, "|req, n| req.{} = Some(n),", page_p.rust_name);
            }
            match total {
                Some(path) => w!(o, "|r| {},", read_path(path, "")),
                None => w!(o, "|_| None,"),
            }
            w!(o, "|r| {},", list_len(items));
            close!(o, ")");
            (items, item_ty)
        }
        Pagination::Offset {
            offset,
            limit,
            total,
            items,
            item_ty,
        } => {
            let (offset_p, limit_p) = (&a.params[*offset], &a.params[*limit]);
            // The runtime counts in `u64`; an `integer` parameter is converted (a negative
            // value reads as 0, or as no limit).
            open!(o, "crate::runtime::paginate::offset_pages(");
            fetch(o, m);
            let id = &offset_p.rust_name;
            let get_offset = match (offset_p.required, &offset_p.ty) {
                (true, Ty::U64) => format!("req.{id}"),
                (true, _) => format!("u64::try_from(req.{id}).unwrap_or(0)"),
                (false, Ty::U64) => format!("req.{id}.unwrap_or(0)"),
                (false, _) => format!("req.{id}.map_or(0, |v| u64::try_from(v).unwrap_or(0))"),
            };
            w!(o, "|req| {get_offset},");
            let id = &limit_p.rust_name;
            let get_limit = match (limit_p.required, &limit_p.ty) {
                (true, Ty::U64) => format!("Some(req.{id})"),
                (true, _) => format!("u64::try_from(req.{id}).ok()"),
                (false, Ty::U64) => format!("req.{id}"),
                (false, _) => format!("req.{id}.and_then(|v| u64::try_from(v).ok())"),
            };
            w!(o, "|req| {get_limit},");
            let value = match offset_p.ty {
                Ty::U64 => "n".to_owned(),
                _ => "i64::try_from(n).unwrap_or(i64::MAX)".to_owned(),
            };
            if offset_p.required {
                w!(o, "|req, n| req.{} = {value},", offset_p.rust_name);
            } else {
                w!(o, "|req, n| req.{} = Some({value}),", offset_p.rust_name);
            }
            match total {
                Some((path, ty)) => {
                    let conv = match ty {
                        Ty::U64 => String::new(),
                        _ => ".and_then(|v| u64::try_from(v).ok())".to_owned(),
                    };
                    w!(o, "|r| {}{conv},", read_path(path, ""));
                }
                None => w!(o, "|_| None,"),
            }
            w!(o, "|r| {},", list_len(items));
            close!(o, ")");
            (items, item_ty)
        }
    };
    close!(o, "}}");
    o.blank();
    o.doc(&format!(
        "Every item of every page of `{}`, as a stream.",
        a.name
    ));
    let item = type_text(item_ty, Site::Version);
    stream_sig(o, items, &req, &item, &err);
    o.list(
        "crate::runtime::paginate::items(",
        &[
            format!("self.{pages}(request)"),
            format!("|r| {}", take_list(items_path)),
        ],
        ")",
    );
    close!(o, "}}");
}

/// The signature of a `_pages` or `_items` method: a stream of `Result<item, err>`.
fn stream_sig(o: &mut Out, name: &str, req: &str, item: &str, err: &str) {
    open!(o, "pub fn {name}(");
    w!(o, "&self,");
    w!(o, "request: {req},");
    close!(o, ") -> impl crate::runtime::paginate::Stream<");
    o.indent_in();
    o.list("Item = Result<", &[item, err], ">,");
    o.indent_out();
    open!(o, "> + Send + 'static {{");
}

/// The page fetcher of a paginator: calls the action on a clone of the client.
fn fetch(o: &mut Out, m: &str) {
    w!(o, "request,");
    open!(o, "move |req| {{");
    w!(o, "let client = client.clone();");
    w!(o, "async move {{ client.{m}(req).await }}");
    close!(o, "}},");
}
