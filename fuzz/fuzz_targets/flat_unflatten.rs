//! `flat::unflatten` (query and form pairs back into a tree) followed by the lenient and
//! the stub's strict deserializers into requests with lists of structures, on arbitrary
//! pairs: never a panic, and every error names a path. Input: `key=value` pairs separated
//! by `&`; the first byte picks the index base and the style of the parameters.
#![no_main]

use cloudapi::runtime::codec::flat::{self, Base};
use libfuzzer_sys::fuzz_target;

use cloudapi::aliyun::cs::v20151215::ModifyClusterTagsRequest;
use cloudapi::tencentcloud::cvm::v20170312::DescribeInstancesRequest;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let pairs: Vec<(String, String)> = text
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    let base = if mode & 1 == 0 { Base::Zero } else { Base::One };
    let json: &[&str] = if mode & 2 == 0 { &[] } else { &["Filters", "body"] };
    let simple: &[&str] = if mode & 4 == 0 { &[] } else { &["InstanceIds", "body"] };
    let value = match flat::unflatten(&pairs, base, json, simple) {
        Ok(v) => v,
        Err(e) => {
            assert!(!e.path().is_empty());
            return;
        }
    };
    let strict = flat::Strictness::default().unknown_fields(mode & 8 != 0);
    if let Err(e) = flat::from_value_lenient::<DescribeInstancesRequest>(value.clone()) {
        assert!(!e.path().is_empty());
    }
    if let Err(e) = flat::from_value_checked::<DescribeInstancesRequest>(value.clone(), strict) {
        assert!(!e.path().is_empty());
    }
    if let Err(e) = flat::from_value_lenient::<ModifyClusterTagsRequest>(value.clone()) {
        assert!(!e.path().is_empty());
    }
    if let Err(e) = flat::from_value_checked::<ModifyClusterTagsRequest>(value, strict) {
        assert!(!e.path().is_empty());
    }
});
