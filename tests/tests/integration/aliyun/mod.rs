//! Alibaba Cloud: the generated `cloudapi::aliyun` crate, one module per concern.
//!
//! - `aliding`: aliding 2023-04-26 (ROA): a structure as the JSON text of a header.
//! - `ccc_list_instances_of_user`: ListInstancesOfUser (CCC 2020-07-01) — the document's
//!   examples verbatim and decoded, validation, wire format, every error code.
//! - `cs`: Container Service 2015-12-15 end to end (ROA) — a PUT with a JSON body of nested
//!   structures on an encoded path (ModifyCluster), a GET (DescribeClusterDetail), errors;
//!   answers that are a JSON array, any JSON value or text (DescribeUserClusterNamespaces,
//!   DescribePolicies, DescribeClusterAttachScripts).
//! - `ecs`: ECS 2014-05-26 end to end — lists, lists of structures and a JSON-text map in
//!   the query (InvokeCommand), wrapped lists in JSON and XML (DescribeRegions).
//! - `e2e`: the client against the generated stub server over real HTTP on 127.0.0.1.
//! - `hostile`: malformed and surprising response bodies (JSON and XML).
//! - `ocr`: OCR 2021-07-07 (RPC): an image as the request body, signed with ACS3.
//! - `pds`: PDS 2022-03-01 through the PDS gateway: the classic ROA signature, JSON
//!   bodies, a bytes answer, errors with the request id header.
//! - `vpc`: VPC 2016-04-28 (imported): `body_flat` structures in the form body.
//! - `vpc_retries`: VPC 2016-04-28 under faults: `CreateVpc`'s `ClientToken` is filled once
//!   per call and identical on every attempt; `ModifyVpcAttribute` (no token) is not retried
//!   once its request may have run; `x-acs-retry-after` sets the wait.

mod aliding;
mod ccc_list_instances_of_user;
mod cs;
mod e2e;
mod ecs;
mod hostile;
mod ocr;
mod pds;
mod vpc;
mod vpc_retries;
