//! OCR 2021-07-07 (RPC): an image sent as the request body, the parameters in the query,
//! signed with ACS3 (the body hashed) although the client is configured for HMAC-SHA1, as
//! the official SDKs send a stream; the stub reads the bytes back into the request.

use cloudapi::aliyun::ocr_api::v20210707::stub::StubServer;
use cloudapi::aliyun::ocr_api::v20210707::{Client, RecognizeGeneral, RecognizeGeneralResponse};
use cloudapi::runtime::server::Reply;
use cloudapi::runtime::Signing;
use cloudapi::runtime::{Config, Credentials};

fn creds() -> Credentials {
    Credentials::new("LTAIocrexample", "ocr-example-secret")
}

#[tokio::test]
async fn an_image_is_the_body_and_the_stub_reads_it_back() {
    // Not UTF-8, and with bytes a form or JSON body would mangle.
    let image: Vec<u8> = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, b'&', b'=',
    ];
    let stub = StubServer::builder(creds())
        .on::<RecognizeGeneral>(|req| {
            let mut r = RecognizeGeneralResponse::default();
            r.data = Some(format!(
                "url={} bytes={:?}",
                req.url.as_deref().unwrap_or("-"),
                req.body.as_ref().map(|b| b.as_bytes().to_vec())
            ));
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let config = Config::builder(creds())
        .endpoint(stub.endpoint())
        .signing(Signing::HmacSha1)
        .build();
    let client = Client::new(config).unwrap();
    let answer = client
        .recognize_general()
        .url("https://example.com/a b.png")
        .body(image.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.data.as_deref(),
        Some(format!("url=https://example.com/a b.png bytes=Some({image:?})").as_str())
    );

    let sent = stub.received();
    assert_eq!(sent.len(), 1);
    let req = &sent[0];
    assert_eq!(req.body, image, "the bytes as they are");
    assert_eq!(req.header("content-type"), Some("application/octet-stream"));
    assert!(
        req.header("authorization")
            .is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256 ")),
        "{:?}",
        req.headers
    );
    let params = &req.params.0;
    assert!(
        params
            .iter()
            .any(|(k, v)| k == "Url" && v == "https://example.com/a b.png"),
        "{params:?}"
    );
    assert!(
        !params.iter().any(|(k, _)| k == "Signature"),
        "no HMAC-SHA1 signature"
    );
}
