//! A user-supplied transport: requests carry the TC3 headers and a signature that verifies.

use std::sync::Arc;

use cloudapi::runtime::protocol::sign;
use cloudapi::tencentcloud::organization::v20210331::ListUsersRequest;

use super::{client, Recorder};

#[tokio::test]
async fn requests_carry_the_tc3_headers_and_a_verifiable_signature() {
    let t = Arc::new(Recorder::default());
    let c = client(t.clone(), false);
    c.call(ListUsersRequest::builder().zone_id("z-1").build().unwrap())
        .await
        .unwrap();
    let sent = t.sent.lock().unwrap();
    let req = &sent[0].1;
    let h = |n: &str| {
        req.headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("header {n}"))
    };
    assert_eq!(req.url, "https://organization.tencentcloudapi.com/");
    assert_eq!(
        (
            h("X-TC-Action"),
            h("X-TC-Version"),
            h("X-TC-Region"),
            h("X-TC-Token")
        ),
        ("ListUsers", "2021-03-31", "ap-guangzhou", "session-token")
    );
    let auth = sign::tc3::parse_authorization(h("Authorization")).unwrap();
    assert_eq!(
        (auth.secret_id.as_str(), auth.service.as_str()),
        ("AKIDexample", "organization")
    );
    let ts: i64 = h("X-TC-Timestamp").parse().unwrap();
    let input = sign::tc3::Input {
        method: "POST",
        host: "organization.tencentcloudapi.com",
        query: "",
        content_type: h("Content-Type"),
        payload: &req.body,
        service: "organization",
        timestamp: ts,
    };
    assert_eq!(
        sign::tc3::sign(&input, "AKIDexample", "secret-key").signature,
        auth.signature
    );
    // The secret never travels.
    assert!(req.headers.iter().all(|(_, v)| !v.contains("secret-key")));
}
