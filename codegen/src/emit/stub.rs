//! The per-version `stub` module (feature `stub-server`): a local server with one typed
//! handler per action, for users' tests and ours.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::ir::Product;

pub fn stub_file(p: &Product) -> TokenStream {
    let doc = docs::inner_doc(&format!(
        "A local stub of {} {} for tests: real HTTP on 127.0.0.1, signatures verified as the \
         provider does, requests decoded and validated with the generated types; each action \
         answers with the document's example unless a handler is set.",
        docs::escape(&p.title),
        p.version
    ));
    let defaults = p.actions.iter().map(|a| {
        let on = ident(&a.names.stub_handler);
        quote!(.#on(|_| crate::runtime::stub::Reply::Example))
    });
    let methods = p.actions.iter().map(|a| {
        let m = ident(&a.rust_mod);
        let on = ident(&a.names.stub_handler);
        let req = ident(&a.names.request);
        let resp = ident(&a.names.response);
        let action = &a.name;
        let example_json = match a.examples.iter().find_map(|e| e.response_json.as_ref()) {
            Some(_) => quote!(super::#m::EXAMPLE_RESPONSE_JSON),
            None => quote!(super::#m::SYNTHESIZED_RESPONSE_JSON),
        };
        let example_xml = match a.examples.iter().find_map(|e| e.response_xml.as_ref()) {
            Some(_) => quote!(Some(super::#m::EXAMPLE_RESPONSE_XML)),
            None => quote!(None),
        };
        let codes = a.errors.iter().chain(&p.errors).filter_map(|e| {
            let kind = e.violation?.runtime_name();
            let code = &e.code;
            Some(quote!((#kind, #code)))
        });
        let decode = quote! {
            let request: super::#m::#req = crate::runtime::stub::decode_request(super::PROTOCOL, &super::#m::LAYOUT, incoming)?;
        };
        let doc = docs::raw_doc_attrs(&format!(
            "Answers `{action}` with `handler`, after verifying the signature and decoding and \
             validating the request (a request that breaks a documented constraint the provider \
             enforces gets the provider's error without reaching the handler; cross-field rules \
             are left to the client, as the provider resolves them)."
        ));
        quote! {
            #doc
            pub fn #on(
                mut self,
                handler: impl Fn(super::#m::#req) -> crate::runtime::stub::Reply<super::#m::#resp> + Send + Sync + 'static,
            ) -> Self {
                fn decode(incoming: &crate::runtime::stub::Incoming) -> Result<super::#m::#req, crate::runtime::stub::Outcome> {
                    #decode
                    crate::runtime::stub::Outcome::check(super::PROTOCOL, request.validate(), &[#(#codes),*])?;
                    Ok(request)
                }
                let handler = move |incoming: &crate::runtime::stub::Incoming| match decode(incoming) {
                    Ok(request) => crate::runtime::stub::Outcome::from_reply(handler(request), #example_json, #example_xml),
                    Err(outcome) => outcome,
                };
                self.inner = self.inner.handler(#action, std::sync::Arc::new(handler));
                self
            }
        }
    });
    quote! {
        #doc

        /// Configures and starts a stub server.
        #[derive(Debug, Clone)]
        pub struct StubServer {
            inner: crate::runtime::stub::StubBuilder,
        }

        impl StubServer {
            /// A stub accepting requests signed with `credentials`; every action answers with
            /// the document's example.
            pub fn builder(credentials: crate::runtime::Credentials) -> Self {
                StubServer { inner: crate::runtime::stub::StubBuilder::new(super::client::SERVICE_INFO, credentials) }
                    #(#defaults)*
            }

            /// Turns signature verification off (on by default).
            pub fn verify_signatures(mut self, verify: bool) -> Self {
                self.inner = self.inner.verify_signatures(verify);
                self
            }

            /// The clock signatures are checked against (default: the system clock), e.g. a
            /// captured request's own time.
            pub fn clock(mut self, clock: crate::runtime::credentials::Clock) -> Self {
                self.inner = self.inner.clock(clock);
                self
            }

            /// How far a signed time may be from the stub's clock (default: the provider's).
            pub fn signature_window(mut self, window: std::time::Duration) -> Self {
                self.inner = self.inner.signature_window(window);
                self
            }

            /// The service a TC3 credential scope must name (default: this product's; `None`
            /// accepts any, for SDKs that derive it from the endpoint).
            pub fn signing_service(mut self, service: Option<&str>) -> Self {
                self.inner = self.inner.signing_service(service);
                self
            }

            /// Binds 127.0.0.1 on a free port; the server stops when the handle is dropped.
            pub async fn start(self) -> std::io::Result<crate::runtime::stub::RunningStub> {
                self.inner.start().await
            }

            #(#methods)*
        }
    }
}
