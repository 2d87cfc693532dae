//! ListInstancesOfUser response (JSON and XML) and error decoding on arbitrary bytes.
#![no_main]

use cloudapi::aliyun::ccc::v20200701::{ListInstancesOfUserError, ListInstancesOfUserResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = ListInstancesOfUserResponse::from_json(data) {
        assert_eq!(e.body(), String::from_utf8_lossy(data));
    }
    let _ = ListInstancesOfUserResponse::from_xml(data);
    for status in [400, 503] {
        if let Some(e) = ListInstancesOfUserError::from_body(status, data) {
            let _ = (e.code(), e.is_retryable(), e.to_string());
        }
    }
});
