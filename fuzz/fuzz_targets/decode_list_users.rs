//! ListUsers response and error decoding on arbitrary bytes: never a panic, and a decode
//! error always keeps the raw body.
#![no_main]

use cloudapi::tencentcloud::organization::v20210331::{ListUsersError, ListUsersResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = ListUsersResponse::from_json(data) {
        assert_eq!(e.body(), String::from_utf8_lossy(data));
        let _ = e.to_string();
    }
    if let Some(e) = ListUsersError::from_body(200, data) {
        let _ = (e.code(), e.message(), e.request_id(), e.is_retryable(), e.to_string());
    }
});
