//! Alibaba Cloud: the generated `cloudapi::aliyun` crate, one module per concern.
//!
//! - `ccc_list_instances_of_user`: ListInstancesOfUser (CCC 2020-07-01) — the document's
//!   examples verbatim and decoded, validation, wire format, every error code.
//! - `e2e`: the client against the generated stub server over real HTTP on 127.0.0.1.
//! - `hostile`: malformed and surprising response bodies (JSON and XML).

mod ccc_list_instances_of_user;
mod e2e;
mod hostile;
