//! An action whose request body and answer are bytes (Function Compute's InvokeFunction:
//! `body: binary` and `response.body: binary` in a spec), written by hand against the
//! runtime as generated code is (`body_struct!`, a `RequestLayout` with
//! `BodyFormat::Binary`), since no product of `specs/` has one: the client sends the bytes
//! as they are, the stub hands them to the handler as the `Blob` it decodes and answers
//! with bytes, which the client keeps as they are.

use std::sync::{Arc, Mutex};

use cloudapi::runtime::client::action::{Action, ActionRequest, RequestBuilder, Sample};
use cloudapi::runtime::client::Client;
use cloudapi::runtime::codec::response;
use cloudapi::runtime::protocol::layout::{BodyFormat, RequestLayout, WireParam};
use cloudapi::runtime::server::{Reply, ServiceStub, StubBuilder};
use cloudapi::runtime::{
    Blob, Config, Credentials, Protocol, RetryPolicy, ServiceError, ValidationError,
};
use cloudapi::runtime::{ErrorMetadata, Operation, Service, Signing};

const SERVICE: Service = Service {
    protocol: Protocol::Roa,
    signing: Signing::Acs3HmacSha256,
    version: "2023-03-30",
    endpoint: "fc.cn-hangzhou.aliyuncs.com",
    service: "fc",
    default_region: None,
    endpoints: None,
};

const LAYOUT: RequestLayout = RequestLayout {
    method: "POST",
    path: "/2023-03-30/functions/{functionName}/invocations",
    body: BodyFormat::Binary,
    params: &[
        WireParam::path("functionName"),
        WireParam::query("qualifier"),
        WireParam::body("body"),
    ],
};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct InvokeFunctionRequest {
    #[serde(rename = "functionName")]
    function_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    qualifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<Blob>,
}

impl ActionRequest for InvokeFunctionRequest {
    type Action = InvokeFunction;
    fn check(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}

#[derive(Debug, Clone, Default)]
struct InvokeFunctionRequestBuilder;

impl RequestBuilder for InvokeFunctionRequestBuilder {
    type Request = InvokeFunctionRequest;
    fn build_request(self, _checked: bool) -> Result<InvokeFunctionRequest, ValidationError> {
        Err(ValidationError::missing("InvokeFunction", "functionName"))
    }
}

cloudapi::runtime::codec::response::body_struct! {
    /// The function's output, as bytes.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct InvokeFunctionResponse {
        binary body,
    }
}

#[derive(Debug)]
struct InvokeFunctionError(ErrorMetadata);

impl std::fmt::Display for InvokeFunctionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for InvokeFunctionError {}

impl ServiceError for InvokeFunctionError {
    fn from_metadata(meta: ErrorMetadata) -> Self {
        InvokeFunctionError(meta)
    }
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
    fn is_retryable(&self) -> bool {
        false
    }
}

/// The action, as a generated module writes it.
struct InvokeFunction;

impl Action for InvokeFunction {
    type Client = ();
    type Request = InvokeFunctionRequest;
    type Builder = InvokeFunctionRequestBuilder;
    type Response = InvokeFunctionResponse;
    type Error = InvokeFunctionError;
    const SERVICE: &'static Service = &SERVICE;
    const OPERATION: Operation = Operation::named("InvokeFunction");
    const LAYOUT: &'static RequestLayout = &LAYOUT;
    const SAMPLE: Sample = Sample::synthesized("example");
}

fn creds() -> Credentials {
    Credentials::new("LTAI5tEXAMPLEfc", "fc-secret-EXAMPLE")
}

/// Bytes that are not UTF-8, with whitespace at both ends.
const INPUT: &[u8] = &[b' ', 0x00, 0xff, 0xfe, b'{', 0x80, b'\n'];

#[tokio::test]
async fn a_binary_request_body_and_a_binary_answer_pass_as_they_are() {
    assert_eq!(
        <InvokeFunctionResponse as response::Model>::ANSWER,
        response::Answer::Bytes
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let stub = StubBuilder::default()
        .credentials(creds())
        .service(ServiceStub::new(SERVICE).on::<InvokeFunction>(
            move |req: InvokeFunctionRequest| {
                keep.lock().unwrap().push(req.clone());
                // Echo the input reversed.
                let mut out = req.body.map(Blob::into_inner).unwrap_or_default();
                out.reverse();
                Reply::Ok(InvokeFunctionResponse {
                    body: Blob::new(out),
                })
            },
        ))
        .start()
        .await
        .unwrap();
    let client = Client::new(
        Config::builder(creds())
            .endpoint(stub.endpoint())
            .retry(RetryPolicy::none())
            .build(),
        SERVICE,
    )
    .unwrap();
    let request = InvokeFunctionRequest {
        function_name: "echo".into(),
        qualifier: Some("LATEST".into()),
        body: Some(Blob::new(INPUT)),
    };
    let answer = client
        .call::<InvokeFunction>(request.clone())
        .await
        .unwrap();
    let mut reversed = INPUT.to_vec();
    reversed.reverse();
    assert_eq!(answer.body.as_bytes(), reversed.as_slice());

    // The stub verified the ACS3 signature over the raw body, and decoded the request back.
    assert_eq!(*seen.lock().unwrap(), [request]);
    let got = &stub.received()[0];
    assert_eq!(got.path, "/2023-03-30/functions/echo/invocations");
    assert_eq!(got.params.get("qualifier"), Some("LATEST"));
    assert_eq!(got.body, INPUT);
    assert_eq!(got.header("content-type"), Some("application/octet-stream"));

    // No input: no body; the stub's default answer is the sample's bytes.
    let stub = StubBuilder::default()
        .credentials(creds())
        .service(ServiceStub::new(SERVICE).example::<InvokeFunction>())
        .start()
        .await
        .unwrap();
    let client = Client::new(
        Config::builder(creds())
            .endpoint(stub.endpoint())
            .retry(RetryPolicy::none())
            .build(),
        SERVICE,
    )
    .unwrap();
    let answer = client
        .call::<InvokeFunction>(InvokeFunctionRequest {
            function_name: "echo".into(),
            qualifier: None,
            body: None,
        })
        .await
        .unwrap();
    assert_eq!(answer.body.as_bytes(), b"example");
    assert!(stub.received()[0].body.is_empty());
    assert_eq!(stub.received()[0].header("content-type"), None);
}
