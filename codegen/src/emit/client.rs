//! The per-version `Client`: one method per action starting a fluent `Call`, which is
//! generic over the runtime's `Action` trait.

use super::docs;
use super::text::{close, open, w, Out};
use crate::ir::{Action, Product};

/// `client.rs` of a product version module.
pub fn client_file(o: &mut Out, p: &Product) {
    o.inner_doc(&format!(
        "The client of {} {}.",
        docs::escape(&p.title),
        p.version
    ));
    o.blank();
    w!(
        o,
        "use crate::runtime::client::action::{{Action, ActionRequest, Paginated, Paginator}};"
    );
    w!(o, "use crate::runtime::SdkError;");
    w!(o, "use std::future::Future;");
    o.blank();
    o.doc("This product version, as the client needs it.");
    open!(
        o,
        "pub const SERVICE_INFO: crate::runtime::Service = crate::runtime::Service {{"
    );
    w!(
        o,
        "protocol: crate::runtime::Protocol::{},",
        p.protocol.descriptor().rust_name
    );
    w!(
        o,
        "signing: crate::runtime::Signing::{},",
        p.signing.rust_name()
    );
    w!(o, "version: super::VERSION,");
    w!(o, "endpoint: super::ENDPOINT,");
    w!(o, "service: super::SERVICE,");
    w!(o, "default_region: super::DEFAULT_REGION,");
    w!(o, "endpoints: super::ENDPOINTS,");
    close!(o, "}};");
    o.blank();
    o.doc(&format!(
        "Calls {} {}: one method per action, returning a [`Call`] to set the request's parameters on and `send()`. Cheap to clone; clones share connections and rate limits.",
        docs::escape(&p.title),
        p.version
    ));
    o.raw(CLIENT_HEAD);
    o.indent_in();
    o.doc(&format!(
        "A client with the default configuration and credentials from {}.",
        credential_env_doc(p.provider)
    ));
    o.raw(CLIENT_CONSTRUCTORS);
    for a in &p.actions {
        action_method(o, a);
    }
    close!(o, "}}");
    o.blank();
    o.raw(CALL);
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
    /// of actions that are not safe to repeat ([`crate::runtime::client::retry`] has the rule).
    /// It shares the client's connections, credentials and rate limits.
    pub fn with_options(&self, options: crate::runtime::CallOptions) -> Self {
        Client { inner: self.inner.with_options(options) }
    }

    /// Sends a request built apart from the client (with its builder's `build()`, which
    /// checked it; it is not checked again). The action follows from the request's type.
    pub async fn call<R>(
        &self,
        request: R,
    ) -> Result<<R::Action as Action>::Response, SdkError<<R::Action as Action>::Error>>
    where
        R: ActionRequest,
        R::Action: Action<Client = Client>,
    {
        self.inner.call::<R::Action>(request).await
    }

    /// Every page of a paged action from a request built apart from the client.
    pub fn paginator<R>(&self, request: R) -> Paginator<R::Action>
    where
        R: ActionRequest,
        R::Action: Paginated<Client = Client>,
    {
        Paginator::new(self.inner.clone(), request)
    }

    fn start<A: Action<Client = Client>>(&self) -> Call<A> {
        Call(crate::runtime::client::action::Call::new(self.inner.clone()))
    }";

/// The fluent call type of a product version.
const CALL: &str = "/// A call being set up: the action's setters (the request builder's), then
/// [`send`](Self::send); for paged actions, [`into_paginator`](Self::into_paginator).
/// Start one with the client's method of the action (`client.list_users()`).
#[derive(Debug, Clone)]
#[must_use = \"a call does nothing until it is sent\"]
pub struct Call<A: Action>(crate::runtime::client::action::Call<A>);

impl<A: Action<Client = Client>> Call<A> {
    /// Changes the request builder: the action's setters go through here.
    pub(crate) fn map(self, f: impl FnOnce(A::Builder) -> A::Builder) -> Self {
        Call(self.0.map(f))
    }

    /// The request builder as set so far.
    pub fn as_builder(&self) -> &A::Builder {
        self.0.builder()
    }

    /// Checks every documented constraint, then sends (a broken constraint is
    /// [`SdkError::Construction`] and nothing is sent).
    pub fn send(self) -> impl Future<Output = Result<A::Response, SdkError<A::Error>>> {
        self.0.send()
    }

    /// Checks only that required parameters are set, then sends: for a documented
    /// limit that has gone stale.
    pub fn send_unchecked(self) -> impl Future<Output = Result<A::Response, SdkError<A::Error>>> {
        self.0.send_unchecked()
    }
}

impl<A: Paginated<Client = Client>> Call<A> {
    /// Every page from this call on, as a [`Paginator`]: `pages()` or `items()`.
    pub fn into_paginator(self) -> Paginator<A> {
        self.0.into_paginator()
    }
}
";

fn action_method(o: &mut Out, a: &Action) {
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
    let paged = if a.pagination.is_some() {
        " Paged: [`into_paginator`](Call::into_paginator) follows every page."
    } else {
        ""
    };
    o.doc(&format!(
        "{}\n\nCalls `{}`: set the request's parameters on the returned [`Call`], then `send()`.{paged} Fails with [`SdkError::Service`] holding a [`{}`](super::{}) when the provider answers with an error.{retries}",
        docs::summary(&a.description),
        a.name,
        a.names.error,
        a.names.error,
    ));
    let name = &a.names.action;
    let line = format!("pub fn {}(&self) -> Call<super::{name}> {{", a.rust_mod);
    open!(o, "{line}");
    w!(o, "self.start()");
    close!(o, "}}");
}

/// The environment variables the runtime reads credentials from, for the docs:
/// `` `ID` / `SECRET` (and `TOKEN`) ``.
fn credential_env_doc(provider: crate::ir::Provider) -> String {
    let env = provider.credential_env();
    format!(
        "`{}` / `{}` (and `{}`)",
        env.access_key_id, env.secret, env.token
    )
}
