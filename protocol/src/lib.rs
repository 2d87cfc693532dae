//! What the providers' wire protocols mean, written once and shared by the runtime
//! (`cloudapi-runtime`) and the code generator (`codegen`), so that what the checker
//! accepts in a document and what the client accepts from a server cannot drift apart.
//!
//! - [`descriptor`]: the protocol descriptor. The protocols ([`Protocol`]), providers
//!   ([`Cloud`]) and the enums specs and generated code name ([`Signing`], [`Position`],
//!   [`Style`], [`BodyFormat`], [`EndpointRule`]), and each protocol's and provider's
//!   static facts as plain data ([`Descriptor`], [`CloudDescriptor`]): what a spec may say,
//!   the success and error envelopes, where a request names its action and version, the
//!   providers' error codes, credential variables, metadata service and STS.
//! - [`tolerance`]: how leniently a value read from the wire is accepted for its declared
//!   type (numbers and booleans sent as text, booleans and integers for each other, empty
//!   text for an empty container).
//! - [`host`]: what a host name the clients call may be made of.
//!
//! The crate has no dependencies (serde only with the feature `serde`, for specs to name
//! the enums): its functions take text and primitives, and each caller keeps the thin
//! adapter from its own representation (serde visitors, JSON values, HTTP requests).
#![warn(missing_docs)]

pub mod descriptor;
pub mod host;
pub mod tolerance;

pub use descriptor::{
    BodyFormat, Carrier, Cloud, CloudDescriptor, CredentialEnv, Descriptor, EndpointRule, Envelope,
    ErrorAnswer, ErrorEnvelope, Position, Protocol, Shape, Signing, Style,
};
