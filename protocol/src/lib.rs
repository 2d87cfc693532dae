//! What the providers' wire protocols mean, written once and shared by the runtime
//! (`cloudapi-runtime`) and the code generator (`codegen`), so that what the checker
//! accepts in a document and what the client accepts from a server cannot drift apart.
//!
//! - [`tolerance`]: how leniently a value read from the wire is accepted for its declared
//!   type (numbers and booleans sent as text, booleans and integers for each other, empty
//!   text for an empty container).
//! - [`host`]: what a host name the clients call may be made of.
//!
//! The crate has no dependencies: its functions take text and primitives, and each
//! caller keeps the thin adapter from its own representation (serde visitors, JSON values).
#![warn(missing_docs)]

pub mod host;
pub mod tolerance;
