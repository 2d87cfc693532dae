//! Tencent Cloud: the generated `cloudapi::tencentcloud` crate, one module per concern.
//!
//! - `organization_list_users`: ListUsers (Organization 2021-03-31) — the document's example
//!   verbatim and decoded, validation, wire format, every error code.
//! - `cvm`: CVM 2017-03-12 end to end — structure-valued parameters in a JSON body
//!   (DescribeInstances) and flattened into a GET query (DescribeImages), nested validation.
//! - `e2e`: the client against the generated stub server over real HTTP on 127.0.0.1.
//! - `fluent`: `client.<action>()…send()`, `send_unchecked()`, `into_paginator()`.
//! - `hostile`: malformed and surprising response bodies and error envelopes.

mod cvm;
mod e2e;
mod fluent;
mod hostile;
mod organization_list_users;
