//! The per-version `Client`: one async method per action, and paginators.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens, Site};
use crate::ir::{Action, Pagination, PathStep, Product};

/// `client.rs` of a product version module.
pub fn client_file(p: &Product) -> TokenStream {
    let protocol = ident(p.protocol.runtime_name());
    let signing = ident(p.signing.runtime_name());
    let env_doc = format!(
        " A client with the default configuration and credentials from {}.",
        p.provider.credential_env_doc()
    );
    let methods = p.actions.iter().map(action_methods);
    let doc = docs::inner_doc(&format!(
        "The client of {} {}.",
        docs::escape(&p.title),
        p.version
    ));
    let client_doc = docs::raw_doc_attrs(&format!(
        "Calls {} {}: one async method per action. Cheap to clone; clones share connections and rate limits.",
        docs::escape(&p.title),
        p.version
    ));
    quote! {
        #doc

        /// This product version, as the client needs it.
        pub const SERVICE_INFO: crate::runtime::client::Service = crate::runtime::client::Service {
            protocol: crate::runtime::Protocol::#protocol,
            signing: crate::runtime::client::Signing::#signing,
            version: super::VERSION,
            endpoint: super::ENDPOINT,
            service: super::SERVICE,
            default_region: super::DEFAULT_REGION,
        };

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: crate::runtime::client::Client,
        }

        impl Client {
            /// A client with the given configuration.
            pub fn new(config: crate::runtime::Config) -> Result<Self, crate::runtime::http::TransportError> {
                Ok(Client { inner: crate::runtime::client::Client::new(config, SERVICE_INFO)? })
            }

            #[doc = #env_doc]
            pub fn from_env() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                let credentials = crate::runtime::Credentials::from_env(SERVICE_INFO.protocol)?;
                Ok(Self::new(crate::runtime::Config::builder(credentials).build())?)
            }

            /// A client whose credentials come from the provider's default chain, where the
            /// official SDKs look: the environment, the profile files, the instance's role.
            /// They are resolved when a call is made and refreshed before they expire.
            pub fn from_default_chain() -> Result<Self, crate::runtime::http::TransportError> {
                let chain: std::sync::Arc<dyn crate::runtime::credentials::ProvideCredentials> =
                    std::sync::Arc::new(crate::runtime::Credentials::default_chain(SERVICE_INFO.protocol));
                Self::new(crate::runtime::Config::builder(chain).build())
            }

            /// The configuration in force.
            pub fn config(&self) -> &crate::runtime::Config {
                self.inner.config()
            }

            #(#methods)*
        }
    }
}

/// `Option<&T>` of the field at `path` in `r`.
fn borrow_path(path: &[PathStep]) -> TokenStream {
    let first = ident(&path[0].rust_name);
    let mut expr = quote!(r.#first.as_ref());
    for step in &path[1..] {
        let f = ident(&step.rust_name);
        expr = quote!(#expr.and_then(|v| v.#f.as_ref()));
    }
    expr
}

/// The field at `path` in `r`, through `Option` structures, ending with `last` applied
/// to the final `Option` field (`as_deref()` for strings, nothing for `Copy` values).
fn read_path(path: &[PathStep], last: TokenStream) -> TokenStream {
    let Some((end, parents)) = path.split_last() else {
        return quote!(None);
    };
    let end = ident(&end.rust_name);
    if parents.is_empty() {
        return quote!(r.#end #last);
    }
    let parent = borrow_path(parents);
    quote!(#parent.and_then(|v| v.#end #last))
}

/// Moves the list at `path` out of `r` (empty when an enclosing structure is absent).
fn take_list(path: &[PathStep]) -> TokenStream {
    let Some((last, parents)) = path.split_last() else {
        return quote!(Vec::new());
    };
    let last = ident(&last.rust_name);
    if parents.is_empty() {
        return quote!(r.#last);
    }
    let first = ident(&parents[0].rust_name);
    let mut expr = quote!(r.#first);
    for step in &parents[1..] {
        let f = ident(&step.rust_name);
        expr = quote!(#expr.and_then(|v| v.#f));
    }
    quote!(#expr.map(|v| v.#last).unwrap_or_default())
}

/// The length of the list at `path`.
fn list_len(path: &[PathStep]) -> TokenStream {
    let Some((last, parents)) = path.split_last() else {
        return quote!(0);
    };
    let last = ident(&last.rust_name);
    if parents.is_empty() {
        return quote!(r.#last.len());
    }
    let parent = borrow_path(parents);
    quote!(#parent.map_or(0, |v| v.#last.len()))
}

fn action_methods(a: &Action) -> TokenStream {
    let m = ident(&a.rust_mod);
    let req = ident(&a.names.request);
    let resp = ident(&a.names.response);
    let err = ident(&a.names.error);
    let payload = quote!(request.to_payload());
    let doc = docs::raw_doc_attrs(&format!(
        "{}\n\nCalls `{}`. Fails with [`SdkError::Service`](crate::runtime::SdkError::Service) holding a [`{}`](super::{}) when the provider answers with an error.",
        docs::escape(docs::first_line(&a.description)),
        a.name,
        a.names.error,
        a.names.error,
    ));
    let call = quote! {
        #doc
        pub async fn #m(&self, request: super::#m::#req) -> Result<super::#m::#resp, crate::runtime::SdkError<super::#m::#err>> {
            self.inner.call(&super::#m::OPERATION, #payload).await
        }
    };
    let Some(pagination) = &a.pagination else {
        return call;
    };
    let pages = ident(&a.names.pages);
    let items = ident(&a.names.items);
    let (pages_body, items_path, item_ty) = match pagination {
        Pagination::Token {
            request,
            response,
            truncated,
            items,
            item_ty,
        } => {
            let token_field = ident(&a.params[*request].rust_name);
            let next = read_path(response, quote!(.as_deref()));
            let truncated = match truncated {
                Some(path) => {
                    let b = read_path(path, quote!());
                    quote!(|r| #b)
                }
                None => quote!(|_| None),
            };
            let body = quote! {
                crate::runtime::paginate::token_pages(
                    request,
                    move |req| {
                        let client = client.clone();
                        async move { client.#m(req).await }
                    },
                    |r| #next,
                    #truncated,
                    |req, token| req.#token_field = Some(token),
                )
            };
            (body, items, item_ty)
        }
        Pagination::PageNumber {
            page,
            size,
            total,
            items,
            item_ty,
        } => {
            let (page_p, size_p) = (&a.params[*page], &a.params[*size]);
            let (pf, sf) = (ident(&page_p.rust_name), ident(&size_p.rust_name));
            let get = |param: &crate::ir::Param, f: &proc_macro2::Ident| {
                if param.required {
                    quote!(|req| req.#f)
                } else {
                    quote!(|req| req.#f.unwrap_or(1))
                }
            };
            let get_page = get(page_p, &pf);
            let get_size = get(size_p, &sf);
            let set_page = if page_p.required {
                quote!(|req, n| req.#pf = n)
            } else {
                quote!(|req, n| req.#pf = Some(n))
            };
            let total = read_path(total, quote!());
            let count = list_len(items);
            let body = quote! {
                crate::runtime::paginate::page_number_pages(
                    request,
                    move |req| {
                        let client = client.clone();
                        async move { client.#m(req).await }
                    },
                    #get_page,
                    #get_size,
                    #set_page,
                    |r| #total,
                    |r| #count,
                )
            };
            (body, items, item_ty)
        }
    };
    let item = type_tokens(item_ty, Site::Version);
    let take = take_list(items_path);
    let pages_doc = docs::raw_doc_attrs(&format!(
        "Every page of `{}`, as a stream, starting from `request`; stops on the last page.",
        a.name
    ));
    let items_doc = docs::raw_doc_attrs(&format!(
        "Every item of every page of `{}`, as a stream.",
        a.name
    ));
    quote! {
        #call

        #pages_doc
        pub fn #pages(&self, request: super::#m::#req) -> impl crate::runtime::paginate::Stream<Item = Result<super::#m::#resp, crate::runtime::SdkError<super::#m::#err>>> + Send + 'static {
            let client = self.clone();
            #pages_body
        }

        #items_doc
        pub fn #items(&self, request: super::#m::#req) -> impl crate::runtime::paginate::Stream<Item = Result<#item, crate::runtime::SdkError<super::#m::#err>>> + Send + 'static {
            crate::runtime::paginate::items(self.#pages(request), |r| #take)
        }
    }
}
