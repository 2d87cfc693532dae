//! The per-version `stub` module (feature `stub-server`): a local server with one typed
//! handler per action, for users' tests and ours.

use super::docs;
use super::text::{close, open, str_lit, w, Out, WIDTH};
use crate::ir::Product;

pub fn stub_file(o: &mut Out, p: &Product) {
    o.inner_doc(&format!(
        "A local stub of {} {} for tests: real HTTP on 127.0.0.1, signatures verified as the \
         provider does, requests decoded and validated with the generated types; each action \
         answers with the document's example unless a handler is set.",
        docs::escape(&p.title),
        p.version
    ));
    o.blank();
    o.raw(STUB_HEAD);
    o.indent_in();
    o.indent_in();
    open!(o, "StubServer {{");
    w!(
        o,
        "service: crate::runtime::stub::ServiceStub::new(super::client::SERVICE_INFO),"
    );
    w!(o, "builder,");
    close!(o, "}}");
    for a in &p.actions {
        w!(
            o,
            ".{}(|_| crate::runtime::stub::Reply::Example)",
            a.names.stub_handler
        );
    }
    close!(o, "}}");
    o.raw(STUB_SETTINGS);
    for a in &p.actions {
        let m = &a.rust_mod;
        let req = format!("super::{m}::{}", a.names.request);
        let resp = format!("super::{m}::{}", a.names.response);
        let action = str_lit(&a.name);
        let example_json = match a.examples.iter().find_map(|e| e.response_json.as_ref()) {
            Some(_) => format!("super::{m}::EXAMPLE_RESPONSE_JSON"),
            None => format!("super::{m}::SYNTHESIZED_RESPONSE_JSON"),
        };
        let example_xml = match a.examples.iter().find_map(|e| e.response_xml.as_ref()) {
            Some(_) => format!("Some(super::{m}::EXAMPLE_RESPONSE_XML)"),
            None => "None".to_owned(),
        };
        let codes: Vec<String> = a
            .errors
            .iter()
            .chain(&p.errors)
            .filter_map(|e| {
                let kind = e.violation?.runtime_name();
                Some(format!("({}, {})", str_lit(kind), str_lit(&e.code)))
            })
            .collect();
        // The parameters whose cross-field rules the provider resolves itself.
        let mut advisory: Vec<&str> = Vec::new();
        for rule in &a.rules {
            match rule {
                crate::ir::Rule::Requires {
                    param,
                    advisory: true,
                    ..
                } => advisory.push(&a.params[*param].name),
                crate::ir::Rule::Conflicts {
                    params,
                    advisory: true,
                    ..
                } => advisory.extend(params.iter().map(|i| a.params[*i].name.as_str())),
                _ => {}
            }
        }
        let advisory: Vec<String> = advisory.iter().map(|n| str_lit(n)).collect();
        o.blank();
        o.doc(&format!(
            "Answers `{}` with `handler`, after verifying the signature and decoding and \
             validating the request (a request that breaks a documented constraint the provider \
             enforces gets the provider's error without reaching the handler; cross-field rules \
             are left to the client, as the provider resolves them).",
            a.name
        ));
        open!(o, "pub fn {}(", a.names.stub_handler);
        w!(o, "mut self,");
        let handler = format!("handler: impl Fn({req}) -> crate::runtime::stub::Reply<{resp}>");
        if o.indent_width() + handler.len() + 28 <= WIDTH {
            w!(o, "{handler} + Send + Sync + 'static,");
        } else {
            o.text(&handler);
            o.indent_in();
            w!(o, "+ Send");
            w!(o, "+ Sync");
            w!(o, "+ 'static,");
            o.indent_out();
        }
        open_close(o, ") -> Self {");
        open!(o, "fn decode(");
        w!(o, "incoming: &crate::runtime::stub::Incoming,");
        o.close_sig("Result", &[&req, "crate::runtime::stub::Outcome"]);
        let decode = format!(
            "crate::runtime::stub::decode_request(super::PROTOCOL, &super::{m}::LAYOUT, incoming)?;"
        );
        if o.indent_width() + req.len() + decode.len() + 18 <= WIDTH {
            w!(o, "let request: {req} = {decode}");
        } else {
            w!(o, "let request: {req} =");
            o.indent_in();
            o.list(
                "crate::runtime::stub::decode_request(",
                &[
                    "super::PROTOCOL",
                    &format!("&super::{m}::LAYOUT"),
                    "incoming",
                ],
                ")?;",
            );
            o.indent_out();
        }
        o.list(
            "crate::runtime::stub::Outcome::check(",
            &[
                "super::PROTOCOL".to_owned(),
                "request.validate()".to_owned(),
                format!("&[{}]", codes.join(", ")),
                format!("&[{}]", advisory.join(", ")),
            ],
            ")?;",
        );
        w!(o, "Ok(request)");
        close!(o, "}}");
        open!(
            o,
            "let handler = move |incoming: &crate::runtime::stub::Incoming| match decode(incoming) {{"
        );
        o.list(
            "Ok(request) => crate::runtime::stub::Outcome::from_reply(",
            &["handler(request)".to_owned(), example_json, example_xml],
            "),",
        );
        w!(o, "Err(outcome) => outcome,");
        close!(o, "}};");
        if p.protocol.routes_by_path() {
            w!(
                o,
                "self.service = self.service.layout({action}, &super::{m}::LAYOUT);"
            );
        }
        w!(
            o,
            "self.service = self.service.handler({action}, std::sync::Arc::new(handler));"
        );
        w!(o, "self");
        close!(o, "}}");
    }
    close!(o, "}}");
    o.blank();
    o.raw(STUB_SERVICE_FN);
}

/// Writes a line one level out and indents what follows: `) -> Self {` after arguments.
fn open_close(o: &mut Out, line: &str) {
    o.indent_out();
    o.text(line);
    o.indent_in();
}

/// `StubServer` and its `impl` up to `with_examples`'s body.
const STUB_HEAD: &str = "/// Configures and starts a stub server of this product version.
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

    fn with_examples(builder: crate::runtime::stub::StubBuilder) -> Self {";

/// The settings of `StubServer`, after `with_examples`; indented for the `impl`.
const STUB_SETTINGS: &str = "\n    /// Turns signature verification off (on by default).
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
    }";

/// The module's `service()`.
const STUB_SERVICE_FN: &str =
    "/// This product version with every action answering with the document's example,
/// without credentials or a server: to serve with other product versions on one port
/// (see [`StubBuilder::service`](crate::runtime::stub::StubBuilder::service)).
pub fn service() -> crate::runtime::stub::ServiceStub {
    StubServer::with_examples(crate::runtime::stub::StubBuilder::default()).into_service()
}";
