//! The cross-crate tests of the generated `cloudapi` crate, as one test binary (each test
//! binary links the whole generated crate, so one binary keeps link time down). One module
//! per provider, plus the runtime:
//!
//! - `aliyun`: `ccc_list_instances_of_user`, `cs` and `ecs` (end to end per product), `e2e`
//!   (stub server over real HTTP), `hostile`, `vpc_retries` (the retry rule on VPC).
//! - `tencentcloud`: `organization_list_users`, `cvm` (end to end), `e2e`, `hostile`.
//! - `runtime`: `custom_transport`, `rate_limit` (no network), `bounded`, `samples`, and
//!   `soak`: a seeded chaos soak of the retry rule (VPC and CVM stubs, 2,400 calls).
//! - `endpoints`: the host each client resolves from region, network and settings.
//! - `imported`: a fixed sample of each imported product's actions (Organization
//!   2021-03-31, CCC 2020-07-01) end to end through the stub server.
//!
//! Run one provider with `cargo test -p cloudapi-tests --test integration aliyun::`.
//! Shared helpers live in the library, `tests/src/lib.rs` (`cloudapi_tests`).

mod aliyun;
mod endpoints;
mod imported;
mod runtime;
mod tencentcloud;
