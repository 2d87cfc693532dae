//! `ReceivedRequest::parse_http1` (what `cloudapi-stub verify` reads from saved files) on
//! arbitrary bytes: never a panic; a request it reads keeps a body no longer than the
//! input and header names in lowercase.
#![no_main]

use cloudapi::runtime::protocol::ReceivedRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match ReceivedRequest::parse_http1(data) {
        Ok(request) => {
            assert!(request.body.len() <= data.len());
            for (name, _) in &request.headers {
                assert_eq!(name, &name.to_ascii_lowercase());
            }
            let _ = (request.params(), request.header("host"));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
