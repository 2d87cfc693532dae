//! PDS 2022-03-01 through Alibaba Cloud's PDS gateway (protocol `pds`): JSON bodies on
//! RESTful paths sent to the configured domain host, signed with the classic ROA signature
//! (`acs <AccessKeyId>:<signature>`), errors `{code, message}` with the request id in
//! `x-ca-request-id`; `DownloadFile` answers bytes and is signed with the form content
//! type it does not send, as the gateway signs it.

use cloudapi::aliyun::pds::v20220301::stub::StubServer;
use cloudapi::aliyun::pds::v20220301::{
    Client, CommonError, DeleteFile, DeleteFileError, DownloadFile, DownloadFileResponse,
    ListMyDrives, ListMyDrivesResponse,
};
use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Blob, Config, Credentials, SdkError};

fn creds() -> Credentials {
    Credentials::new("LTAIpdsexample", "pds-example-secret")
}

fn client(endpoint: &str, creds: Credentials) -> Client {
    Client::new(Config::builder(creds).endpoint(endpoint).build()).unwrap()
}

#[tokio::test]
async fn a_json_body_is_sent_signed_and_the_answer_decoded() {
    let stub = StubServer::builder(creds())
        .on::<ListMyDrives>(|req| {
            let mut r = ListMyDrivesResponse::default();
            r.next_marker = Some(format!(
                "after-{}-{}",
                req.limit.unwrap_or_default(),
                req.marker.as_deref().unwrap_or("-")
            ));
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let answer = client(&stub.endpoint(), creds())
        .list_my_drives()
        .limit(20)
        .marker("m 1")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.next_marker.as_deref(), Some("after-20-m 1"));
    assert!(answer.items.is_empty());

    let sent = stub.received();
    assert_eq!(sent.len(), 1);
    let req = &sent[0];
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", "/v2/drive/list_my_drives")
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&req.body).unwrap(),
        serde_json::json!({"limit": 20, "marker": "m 1"})
    );
    assert_eq!(req.header("x-acs-action"), Some("ListMyDrives"));
    assert_eq!(req.header("x-acs-version"), Some("2022-03-01"));
    assert_eq!(req.header("x-acs-signature-method"), Some("HMAC-SHA1"));
    assert!(
        req.header("authorization")
            .is_some_and(|a| a.starts_with("acs LTAIpdsexample:")),
        "{:?}",
        req.headers
    );
}

#[tokio::test]
async fn download_file_answers_bytes_and_its_signature_checks_out() {
    let bytes: Vec<u8> = vec![0x00, 0xff, b'{', 0x89, b'P', b'N', b'G'];
    let answer = bytes.clone();
    let stub = StubServer::builder(creds())
        .on::<DownloadFile>(move |req| {
            assert_eq!(req.file_id, "f 1/x");
            let mut r = DownloadFileResponse::default();
            r.body = Blob::new(answer.clone());
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let got = client(&stub.endpoint(), creds())
        .download_file()
        .drive_id("1")
        .file_id("f 1/x")
        .send()
        .await
        .unwrap();
    assert_eq!(got.body.as_bytes(), &bytes[..]);
    let sent = stub.received();
    let req = &sent[0];
    assert_eq!(req.method, "GET");
    assert_eq!(req.header("content-type"), None, "no body, no content type");
    assert!(req.body.is_empty());
}

#[tokio::test]
async fn an_error_keeps_its_code_message_and_the_request_id_header() {
    let stub = StubServer::builder(creds())
        .on::<DeleteFile>(|req| Reply::Error {
            code: "NotFound.File".into(),
            message: format!("file {} not found", req.file_id),
            http_status: 404,
        })
        .start()
        .await
        .unwrap();
    let result = client(&stub.endpoint(), creds())
        .delete_file()
        .drive_id("1")
        .file_id("gone")
        .send()
        .await;
    match result {
        Err(SdkError::Service(e)) => {
            assert_eq!(e.code(), "NotFound.File");
            assert_eq!(e.message(), "file gone not found");
            assert_eq!(e.http_status(), 404);
            assert!(
                e.request_id().is_some_and(|id| id.starts_with("stub-")),
                "{e:?}"
            );
            assert!(e.to_string().contains("NotFound.File"), "{e}");
        }
        other => panic!("{other:?}"),
    }

    // A wrong secret: the stub checks the signature as the service does.
    let wrong = Credentials::new("LTAIpdsexample", "not-the-secret");
    match client(&stub.endpoint(), wrong)
        .delete_file()
        .drive_id("1")
        .file_id("f")
        .send()
        .await
    {
        Err(SdkError::Service(DeleteFileError::Common(CommonError::SignatureDoesNotMatch(e)))) => {
            assert_eq!(e.http_status(), 401);
        }
        other => panic!("{other:?}"),
    }
}

/// `CreateDrive` has a parameter named `default`: its setter is `default(…)`, and the
/// request's `builder()` still reaches `Default::default()`.
#[tokio::test]
async fn a_parameter_named_default_has_its_setter() {
    use cloudapi::aliyun::pds::v20220301::{CreateDrive, CreateDriveRequest, CreateDriveResponse};
    let stub = StubServer::builder(creds())
        .on::<CreateDrive>(|req| {
            let mut r = CreateDriveResponse::default();
            r.drive_id = Some(format!("{}:{:?}", req.drive_name, req.default));
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let request = CreateDriveRequest::builder()
        .default(true)
        .drive_name("team")
        .owner("u-1")
        .owner_type("user")
        .build()
        .unwrap();
    assert_eq!(request.default, Some(true));
    let answer = client(&stub.endpoint(), creds())
        .call(request)
        .await
        .unwrap();
    assert_eq!(answer.drive_id.as_deref(), Some("team:Some(true)"));
    let sent = stub.received();
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(body["default"], true);
}
