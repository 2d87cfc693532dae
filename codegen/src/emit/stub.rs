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
        // The parameters whose cross-field rules the provider resolves itself.
        let mut advisory: Vec<&str> = Vec::new();
        for rule in &a.rules {
            match rule {
                crate::ir::Rule::Requires { param, advisory: true, .. } => {
                    advisory.push(&a.params[*param].name)
                }
                crate::ir::Rule::Conflicts { params, advisory: true, .. } => {
                    advisory.extend(params.iter().map(|i| a.params[*i].name.as_str()))
                }
                _ => {}
            }
        }
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
                    crate::runtime::stub::Outcome::check(super::PROTOCOL, request.validate(), &[#(#codes),*], &[#(#advisory),*])?;
                    Ok(request)
                }
                let handler = move |incoming: &crate::runtime::stub::Incoming| match decode(incoming) {
                    Ok(request) => crate::runtime::stub::Outcome::from_reply(handler(request), #example_json, #example_xml),
                    Err(outcome) => outcome,
                };
                self.service = self.service.handler(#action, std::sync::Arc::new(handler));
                self
            }
        }
    });
    quote! {
        #doc

        /// Configures and starts a stub server of this product version.
        #[derive(Debug, Clone)]
        pub struct StubServer {
            service: crate::runtime::stub::ServiceStub,
            builder: crate::runtime::stub::StubBuilder,
        }

        impl StubServer {
            /// A stub accepting requests signed with `credentials`; every action answers with
            /// the document's example.
            pub fn builder(credentials: crate::runtime::Credentials) -> Self {
                Self::with_examples(crate::runtime::stub::StubBuilder::default().credentials(credentials))
            }

            fn with_examples(builder: crate::runtime::stub::StubBuilder) -> Self {
                StubServer { service: crate::runtime::stub::ServiceStub::new(super::client::SERVICE_INFO), builder }
                    #(#defaults)*
            }

            /// Turns signature verification off (on by default).
            pub fn verify_signatures(mut self, verify: bool) -> Self {
                self.builder = self.builder.verify_signatures(verify);
                self
            }

            /// The clock signatures are checked against (default: the system clock), e.g. a
            /// captured request's own time.
            pub fn clock(mut self, clock: crate::runtime::stub::Clock) -> Self {
                self.builder = self.builder.clock(clock);
                self
            }

            /// How far a signed time may be from the stub's clock (default: the provider's).
            pub fn signature_window(mut self, window: std::time::Duration) -> Self {
                self.builder = self.builder.signature_window(window);
                self
            }

            /// The service a TC3 credential scope must name (default: this product's; `None`
            /// accepts any, for SDKs that derive it from the endpoint).
            pub fn signing_service(mut self, service: Option<&str>) -> Self {
                self.builder = self.builder.signing_service(service);
                self
            }

            /// Binds 127.0.0.1 on a free port; the server stops when the handle is dropped.
            pub async fn start(self) -> std::io::Result<crate::runtime::stub::RunningStub> {
                self.into_builder().start().await
            }

            /// The runtime's builder, for what this one does not set: faults, a clock, more
            /// credentials, other product versions on the same port.
            pub fn into_builder(self) -> crate::runtime::stub::StubBuilder {
                self.builder.service(self.service)
            }

            /// This product version's handlers alone (the credentials and settings given here
            /// stay behind), to serve with others through
            /// [`StubBuilder::service`](crate::runtime::stub::StubBuilder::service).
            pub fn into_service(self) -> crate::runtime::stub::ServiceStub {
                self.service
            }

            #(#methods)*
        }

        /// This product version with every action answering with the document's example,
        /// without credentials or a server: to serve with other product versions on one port
        /// (see [`StubBuilder::service`](crate::runtime::stub::StubBuilder::service)).
        pub fn service() -> crate::runtime::stub::ServiceStub {
            StubServer::with_examples(crate::runtime::stub::StubBuilder::default()).into_service()
        }
    }
}
