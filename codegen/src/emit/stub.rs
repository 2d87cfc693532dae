//! The per-version `stub` module (feature `stub-server`): a local server answering every
//! action with its sample, and handlers set per action type (`on::<CreateVpc>`).

use super::docs;
use super::text::{close, w, Out};
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
    o.raw(STUB_SETTINGS);
    w!(o, "}}");
    o.blank();
    o.raw(STUB_SERVICE_FN);
    o.indent_in();
    w!(o, "ServiceStub::new(super::client::SERVICE_INFO)");
    o.indent_in();
    for a in &p.actions {
        w!(o, ".example::<super::{}>()", a.names.action);
    }
    o.indent_out();
    close!(o, "}}");
}

/// `StubServer` and its `impl` up to the settings.
const STUB_HEAD: &str = "use crate::runtime::client::action::Action;
use crate::runtime::server::{Reply, ServiceStub, StubBuilder};

/// Configures and starts a stub server of this product version.
#[derive(Debug, Clone)]
pub struct StubServer {
    service: ServiceStub,
    builder: StubBuilder,
}

impl StubServer {
    /// A stub accepting requests signed with `credentials`; every action answers with
    /// the document's example.
    pub fn builder(credentials: crate::runtime::Credentials) -> Self {
        StubServer {
            service: service(),
            builder: StubBuilder::default().credentials(credentials),
        }
    }

    /// Answers the action `A` (`StubServer::on::<CreateVpc>(..)`) with `handler`, after
    /// verifying the signature and decoding and validating the request: a request that
    /// breaks a documented constraint the provider enforces gets the provider's error
    /// without reaching the handler (cross-field rules are left to the client, as the
    /// provider resolves them).
    pub fn on<A>(
        mut self,
        handler: impl Fn(A::Request) -> Reply<A::Response> + Send + Sync + 'static,
    ) -> Self
    where
        A: Action<Client = super::Client>,
        A::Request: serde::de::DeserializeOwned,
        A::Response: serde::Serialize,
    {
        self.service = self.service.on::<A>(handler);
        self
    }
";

/// The settings of `StubServer`; indented for the `impl`.
const STUB_SETTINGS: &str = "
    /// Turns signature verification off (on by default).
    pub fn verify_signatures(mut self, verify: bool) -> Self {
        self.builder = self.builder.verify_signatures(verify);
        self
    }

    /// The clock signatures are checked against (default: the system clock), e.g. a
    /// captured request's own time.
    pub fn clock(mut self, clock: crate::runtime::server::Clock) -> Self {
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
    pub async fn start(self) -> std::io::Result<crate::runtime::server::RunningStub> {
        self.into_builder().start().await
    }

    /// The runtime's builder, for what this one does not set: faults, a clock, more
    /// credentials, other product versions on the same port.
    pub fn into_builder(self) -> StubBuilder {
        self.builder.service(self.service)
    }

    /// This product version's handlers alone (the credentials and settings given here
    /// stay behind), to serve with others through
    /// [`StubBuilder::service`](crate::runtime::server::StubBuilder::service).
    pub fn into_service(self) -> ServiceStub {
        self.service
    }
";

/// The module's `service()`, up to its body.
const STUB_SERVICE_FN: &str =
    "/// This product version with every action answering with the document's example,
/// without credentials or a server: to serve with other product versions on one port
/// (see [`StubBuilder::service`](crate::runtime::server::StubBuilder::service)).
pub fn service() -> ServiceStub {
";
