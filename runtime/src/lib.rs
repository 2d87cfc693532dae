//! The hand-written runtime that generated code builds on.
//!
//! Nothing here is generated: generated modules call into it so that each action
//! adds only its own types and glue. See `ARCHITECTURE.md`.
//!
//! The runtime is in layers, lowest first; a module uses only the layers before it
//! (`tests/layers.rs` checks it):
//!
//! 1. [`redact`], [`codec`]: `Debug` without secrets; decoding and encoding values
//!    (time, scalars, tolerant JSON, XML, flattened forms, response bodies);
//! 2. [`validate`]: requests checked against the documented constraints;
//! 3. [`http`]: the transport;
//! 4. [`credentials`]: what requests are signed with, and the trait of their providers;
//! 5. [`protocol`]: the wire protocols (request layouts, signing, verifying, provider
//!    errors) and the product versions' descriptions;
//! 6. [`client`]: configuration, endpoints, retries, dispatch, actions and call errors;
//! 7. [`credential_providers`]: where credentials come from (environment, profiles,
//!    instance roles, STS through the client);
//! 8. `server` (feature `stub-server`): the stub server.
#![warn(missing_docs)]

pub mod client;
pub mod codec;
pub mod credential_providers;
pub mod credentials;
pub mod http;
pub mod protocol;
pub mod redact;
#[cfg(feature = "stub-server")]
pub mod server;
pub mod validate;

pub use client::action::{Action, ActionRequest, Paginated, Paginator, RequestBuilder, Sample};
pub use client::config::{Config, ConfigBuilder};
pub use client::endpoint::EndpointError;
pub use client::error::{ResponseError, SdkError, TimeoutError};
pub use client::retry::{CallOptions, RetryPolicy};
pub use codec::response::DecodeError;
pub use codec::scalar::{Blob, DateTime};
pub use credential_providers::DefaultChain;
pub use credentials::{
    Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
};
pub use protocol::error::{ErrorMetadata, ServiceError, Unhandled};
pub use protocol::service::{EndpointRule, Endpoints, Operation, Service, Signing};
pub use protocol::{Format, Protocol, ProtocolWire};
pub use validate::{ValidationError, Violation, ViolationKind};
