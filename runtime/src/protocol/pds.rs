//! Alibaba Cloud's PDS gateway (Drive and Photo Service, `alibabacloud-gateway-pds`):
//! RESTful requests laid out as ROA lays them out (method, path, query, the action's own
//! headers, a JSON body), sent to the caller's domain host (`<domain id>.api.aliyunpds.com`,
//! the configured endpoint), and signed as the gateway signs them with its signature
//! version `v1`: `Authorization: acs <AccessKeyId>:<signature>`, Base64(HMAC-SHA1(secret,
//! string to sign)) over the method, `accept`, `content-md5`, `content-type`, `date`,
//! every `x-acs-*` header and the path with its sorted query ([`sign::roa`]). The action
//! and version travel in `x-acs-action` and `x-acs-version`. Successes are the top-level
//! JSON value (or nothing, with 204); errors come with 4xx/5xx as `{code, message}`, the
//! request id in `x-ca-request-id`.

use super::Protocol;
#[cfg(feature = "stub-server")]
use super::WireServer;
use super::{roa, rpc};
use super::{
    CredentialLookup, Envelope, Payload, PayloadError, ReceivedRequest, RequestContext,
    RestRequest, Verified, VerifyError, VerifyErrorKind, WireProtocol, WireVerify,
};
use crate::http::HttpRequest;
use crate::protocol::error::ErrorMetadata;
use crate::protocol::layout::OutgoingRequest;
use crate::protocol::service::Signing;
use crate::protocol::sign;
use crate::protocol::verify::VerifyOptions;

#[cfg(feature = "stub-server")]
use crate::http::HttpResponse;
#[cfg(feature = "stub-server")]
use crate::protocol::service::Service;
#[cfg(feature = "stub-server")]
use serde_json::{json, Value};

/// The `content-type` of a JSON body, as the gateway sends it.
const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// The `accept` header the gateway sends (and signs).
const ACCEPT: &str = "application/json";
/// The header the request id travels in.
const REQUEST_ID_HEADER: &str = Protocol::Pds
    .descriptor()
    .error
    .request_id_header
    .expect("the PDS descriptor names its request-id header");
/// How far `date` may be from the server's clock.
const WINDOW_SECS: i64 = Protocol::Pds.descriptor().window_secs;
/// Headers the signer sets; an action's own header may not take their place.
const SIGNER_HEADERS: &[&str] = &[
    "accept",
    "authorization",
    "content-type",
    "date",
    "host",
    "x-acs-action",
    "x-acs-security-token",
    "x-acs-signature-method",
    "x-acs-signature-nonce",
    "x-acs-signature-version",
    "x-acs-version",
];
/// The one request the gateway signs with a `content-type` it does not send: `DownloadFile`
/// (`GET /v2/file/download`, body type `formData`, no body) is signed as if it carried
/// this form content type, and the service checks it so.
const UNSENT_SIGNED_CONTENT_TYPE: (&str, &str, &str) = (
    "DownloadFile",
    "/v2/file/download",
    "application/x-www-form-urlencoded; charset=UTF-8",
);

/// Alibaba Cloud's PDS gateway.
#[derive(Debug)]
pub(super) struct Pds;

impl super::sealed::Sealed for Pds {}

/// The content type signed for `action` on `path` when the request sends none.
fn unsent_signed_content_type(action: &str, path: &str) -> Option<&'static str> {
    let (a, p, content_type) = UNSENT_SIGNED_CONTENT_TYPE;
    (action == a && path == p).then_some(content_type)
}

/// The signature of a request with `headers` (lowercase names), as the gateway computes
/// it; `action` and `path` pick out the one request signed with a content type unsent.
fn sign_over(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    action: &str,
    secret: &str,
) -> (String, String) {
    let extra;
    let headers = match unsent_signed_content_type(action, path) {
        Some(ct) if !headers.iter().any(|(k, _)| k == "content-type") => {
            extra = [headers, &[("content-type".to_owned(), ct.to_owned())]].concat();
            &extra[..]
        }
        _ => headers,
    };
    let sts = sign::roa::string_to_sign(method, path, query, headers);
    (sign::roa::signature(&sts, secret), sts)
}

impl Pds {
    /// Lays out and signs `rest` at `ctx.now` with `nonce` as `x-acs-signature-nonce`.
    fn layout(
        ctx: &RequestContext<'_>,
        rest: &RestRequest,
        nonce: &str,
    ) -> Result<HttpRequest, PayloadError> {
        let path = rest.expand_path()?;
        let (body, content_type) = rest.body.encoded(JSON_CONTENT_TYPE);
        let mut headers = rest.own_headers(|name| {
            SIGNER_HEADERS
                .contains(&name)
                .then_some("the PDS gateway's signature sets it")
        })?;
        let creds = ctx.credentials();
        headers.extend([
            ("accept".to_owned(), ACCEPT.to_owned()),
            ("date".to_owned(), crate::codec::time::http_date(ctx.now)),
            ("x-acs-action".to_owned(), ctx.operation.action.to_owned()),
            ("x-acs-version".to_owned(), ctx.service.version.to_owned()),
            ("x-acs-signature-nonce".to_owned(), nonce.to_owned()),
            ("x-acs-signature-method".to_owned(), "HMAC-SHA1".to_owned()),
            ("x-acs-signature-version".to_owned(), "1.0".to_owned()),
        ]);
        if let Some(ct) = content_type {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        if let Some(token) = creds.token() {
            headers.push(("x-acs-security-token".to_owned(), token.to_owned()));
        }
        let (signature, _) = sign_over(
            rest.method,
            &path,
            &rest.query.0,
            &headers,
            ctx.operation.action,
            creds.secret(),
        );
        headers.push((
            "Authorization".to_owned(),
            format!("acs {}:{signature}", creds.access_key_id()),
        ));
        let url = super::url_with_query(ctx.base_url, &path, &rest.query.0);
        Ok(HttpRequest {
            method: rest.method,
            url,
            headers,
            body,
        })
    }
}

/// `code` and `message` of a PDS error (or Alibaba Cloud's common error body, in either
/// spelling), the request id from `x-ca-request-id` when neither the body nor
/// `x-acs-request-id` has it.
fn parse_error_body(
    http_status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<ErrorMetadata> {
    let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).ok()?;
    Some(rpc::error_from_fields(
        &fields,
        http_status,
        headers,
        Some(REQUEST_ID_HEADER),
    ))
}

#[cfg(feature = "stub-server")]
fn json_response(status: u16, body: Vec<u8>, request_id: &str) -> HttpResponse {
    let mut resp = HttpResponse::new(status, "application/json", body);
    resp.headers
        .push((REQUEST_ID_HEADER.to_owned(), request_id.to_owned()));
    resp
}

impl WireProtocol for Pds {
    fn name(&self) -> &'static str {
        Protocol::Pds.name()
    }

    /// As ROA lays it out.
    fn lay_out(&self, request: &OutgoingRequest) -> Payload {
        Payload::Rest(roa::rest_request(request))
    }

    /// Signs with the classic ROA signature only.
    fn sign(
        &self,
        ctx: &RequestContext<'_>,
        payload: &Payload,
    ) -> Result<HttpRequest, PayloadError> {
        let Payload::Rest(rest) = payload else {
            return Err(PayloadError::unsupported(self, payload));
        };
        match ctx.signing() {
            Signing::RoaHmacSha1 => Self::layout(ctx, rest, &super::nonce()),
            signing => Err(PayloadError::UnsupportedSigning {
                protocol: self.name(),
                signing,
            }),
        }
    }

    /// Only a 4xx or 5xx response is an error, as the gateway reads it.
    fn parse_error(
        &self,
        http_status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<ErrorMetadata> {
        if (200..400).contains(&http_status) {
            return None;
        }
        parse_error_body(http_status, headers, body)
    }

    fn json_envelope(&self) -> Envelope {
        Protocol::Pds.descriptor().success
    }
}

impl WireVerify for Pds {
    fn default_window_secs(&self) -> i64 {
        WINDOW_SECS
    }

    /// Rebuilds the string to sign from the headers received, as the service does;
    /// `date` must be within the window.
    fn verify(
        &self,
        request: &ReceivedRequest,
        keys: &dyn CredentialLookup,
        now: i64,
        options: &VerifyOptions,
    ) -> Result<Verified, VerifyError> {
        use VerifyErrorKind as K;
        let auth = request.header("authorization").ok_or_else(|| {
            VerifyError::new(
                K::Missing,
                "InvalidParameter.Authorization",
                "The Authorization header is missing.",
                401,
            )
        })?;
        let (id, signature) = sign::roa::parse_authorization(auth).ok_or_else(|| {
            VerifyError::new(
                K::Malformed,
                "InvalidParameter.Authorization",
                "The Authorization header is not `acs <AccessKeyId>:<Signature>`.",
                401,
            )
        })?;
        let creds = keys.find(id).ok_or_else(|| {
            VerifyError::new(
                K::UnknownAccessKey,
                "InvalidAccessKeyId.NotFound",
                format!("AccessKeyId not found: {id}"),
                401,
            )
        })?;
        let ts = super::signed_http_date(request, now, options)?;
        let action = request.header("x-acs-action").unwrap_or_default();
        let mut last = String::new();
        for p in super::signed_paths(request) {
            let (expected, sts) = sign_over(
                &request.method,
                &p,
                &request.query,
                &request.headers,
                action,
                creds.secret(),
            );
            if sign::same(&expected, signature) {
                return Ok(Verified {
                    access_key_id: id.to_owned(),
                    signing: Signing::RoaHmacSha1,
                    timestamp: ts,
                    // The service's replay rule is not documented; the stub does not
                    // refuse a nonce seen before.
                    nonce: None,
                });
            }
            last = sts;
        }
        Err(VerifyError::new(
            K::Mismatch,
            "SignatureDoesNotMatch",
            format!("Signature {signature} not matched."),
            401,
        )
        .with_canonical(last))
    }
}

#[cfg(feature = "stub-server")]
impl WireServer for Pds {
    fn read_request(
        &self,
        layout: &crate::protocol::layout::RequestLayout,
        request: &crate::protocol::Incoming,
    ) -> Result<Value, crate::codec::flat::FlatError> {
        roa::read_rest_request(layout, request)
    }

    fn action(&self, request: &ReceivedRequest) -> Option<String> {
        Protocol::Pds
            .descriptor()
            .action_of(|h| request.header(h), |p| request.param(p))
            .map(str::to_owned)
    }

    /// The query alone, as ROA.
    fn handler_params(&self, request: &ReceivedRequest) -> Vec<(String, String)> {
        request.query.clone()
    }

    fn invalid_value_code(&self) -> &'static str {
        "InvalidParameter"
    }

    fn error_response(
        &self,
        _service: &Service,
        _request: &ReceivedRequest,
        error: &ErrorMetadata,
    ) -> HttpResponse {
        let body = json!({
            "code": error.code(),
            "message": error.message(),
        });
        json_response(
            error.http_status(),
            serde_json::to_vec(&body).unwrap_or_default(),
            error.request_id().unwrap_or(""),
        )
    }

    /// The body as it is (PDS bodies carry no request id), the id in `x-ca-request-id`.
    fn success_response(
        &self,
        _request: &ReceivedRequest,
        _action: &str,
        body: Value,
        request_id: &str,
    ) -> HttpResponse {
        json_response(
            200,
            serde_json::to_vec(&body).unwrap_or_default(),
            request_id,
        )
    }

    fn example_response(
        &self,
        _request: &ReceivedRequest,
        json: &str,
        _xml: Option<&str>,
    ) -> HttpResponse {
        json_response(200, json.as_bytes().to_vec(), &super::nonce())
    }

    fn whole_response(&self, content_type: &str, body: Vec<u8>, request_id: &str) -> HttpResponse {
        super::whole_response_with_id(content_type, body, REQUEST_ID_HEADER, request_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::config::Config;
    use crate::credentials::Credentials;
    use crate::protocol::layout::Query;
    use crate::protocol::service::Service;
    use crate::protocol::testing;
    use crate::protocol::Body;

    /// 2023-11-14T22:13:20Z, `Tue, 14 Nov 2023 22:13:20 GMT`.
    const NOW: i64 = 1_700_000_000;
    const NONCE: &str = "0123456789abcdef0123456789abcdef";
    const BODY: &[u8] = br#"{"drive_id":"1","limit":10}"#;

    fn pds_service() -> Service {
        testing::service(Protocol::Pds, Signing::RoaHmacSha1)
    }

    /// `rest` laid out for `action` at `NOW` with `NONCE`, as the client would send it.
    fn laid_out(creds: Credentials, action: &'static str, rest: &RestRequest) -> HttpRequest {
        let service = pds_service();
        let config = Config::builder(creds.clone()).build();
        let operation = crate::protocol::service::Operation {
            action,
            ..testing::OPERATION
        };
        let ctx = crate::client::request_context(
            &config,
            &service,
            &operation,
            "http://127.0.0.1:8080",
            "127.0.0.1:8080",
            NOW,
            &creds,
        );
        Pds::layout(&ctx, rest, NONCE).unwrap()
    }

    fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn post_request() -> RestRequest {
        let mut r = RestRequest::new("POST", "/v2/file/list");
        r.body = Body::Json(BODY.to_vec());
        r
    }

    fn download_request() -> RestRequest {
        let mut r = RestRequest::new("GET", "/v2/file/download");
        r.query = Query(vec![
            ("drive_id".into(), "1".into()),
            ("file_id".into(), "f 1".into()),
            ("share_id".into(), String::new()),
        ]);
        r
    }

    #[test]
    fn a_json_post_is_signed_as_the_gateway_signs_it() {
        let req = laid_out(
            Credentials::new("testid", "testsecret"),
            "ListFile",
            &post_request(),
        );
        assert_eq!(req.url, "http://127.0.0.1:8080/v2/file/list");
        assert_eq!(req.body, BODY);
        assert_eq!(header(&req, "content-type"), Some(JSON_CONTENT_TYPE));
        assert_eq!(header(&req, "x-acs-action"), Some("ListFile"));
        assert_eq!(header(&req, "x-acs-version"), Some("2020-07-01"));
        assert_eq!(header(&req, "date"), Some("Tue, 14 Nov 2023 22:13:20 GMT"));
        // The string to sign, spelled out as the gateway's `get_signature` builds it.
        let sts = "POST\napplication/json\n\napplication/json; charset=utf-8\n\
                   Tue, 14 Nov 2023 22:13:20 GMT\n\
                   x-acs-action:ListFile\n\
                   x-acs-signature-method:HMAC-SHA1\n\
                   x-acs-signature-nonce:0123456789abcdef0123456789abcdef\n\
                   x-acs-signature-version:1.0\n\
                   x-acs-version:2020-07-01\n\
                   /v2/file/list";
        assert_eq!(
            header(&req, "authorization").unwrap(),
            format!("acs testid:{}", sign::roa::signature(sts, "testsecret"))
        );
    }

    #[test]
    fn the_query_is_signed_sorted_and_unencoded_and_a_token_is_sent_and_signed() {
        let req = laid_out(
            Credentials::new("testid", "testsecret").with_token("tok"),
            "GetThing",
            &{
                let mut r = download_request();
                r.path = "/v2/thing/get";
                r
            },
        );
        assert_eq!(
            req.url,
            "http://127.0.0.1:8080/v2/thing/get?drive_id=1&file_id=f%201&share_id="
        );
        assert_eq!(header(&req, "content-type"), None);
        assert_eq!(header(&req, "x-acs-security-token"), Some("tok"));
        let sts = "GET\napplication/json\n\n\nTue, 14 Nov 2023 22:13:20 GMT\n\
                   x-acs-action:GetThing\n\
                   x-acs-security-token:tok\n\
                   x-acs-signature-method:HMAC-SHA1\n\
                   x-acs-signature-nonce:0123456789abcdef0123456789abcdef\n\
                   x-acs-signature-version:1.0\n\
                   x-acs-version:2020-07-01\n\
                   /v2/thing/get?drive_id=1&file_id=f 1&share_id";
        assert_eq!(
            header(&req, "authorization").unwrap(),
            format!("acs testid:{}", sign::roa::signature(sts, "testsecret"))
        );
        // What alibabacloud-gateway-pds 0.1.2's `get_authorization` gives for these
        // headers, query and keys.
        assert_eq!(
            header(&req, "authorization"),
            Some("acs testid:yunb4TVOo0fYGkjr4te2RG3qZ2c=")
        );
    }

    #[test]
    fn download_file_is_signed_with_the_form_content_type_it_does_not_send() {
        let creds = Credentials::new("testid", "testsecret");
        let req = laid_out(creds.clone(), "DownloadFile", &download_request());
        assert_eq!(header(&req, "content-type"), None);
        let other = laid_out(creds, "ListThings", &download_request());
        assert_ne!(
            header(&req, "authorization"),
            header(&other, "authorization")
        );
        let sts = sign::roa::string_to_sign(
            "GET",
            "/v2/file/download",
            &download_request().query.0,
            &[
                req.headers.clone(),
                vec![(
                    "content-type".to_owned(),
                    UNSENT_SIGNED_CONTENT_TYPE.2.to_owned(),
                )],
            ]
            .concat()
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .filter(|(k, _)| k != "authorization")
            .collect::<Vec<_>>(),
        );
        assert!(sts.contains("\napplication/x-www-form-urlencoded; charset=UTF-8\n"));
        assert_eq!(
            header(&req, "authorization").unwrap(),
            format!("acs testid:{}", sign::roa::signature(&sts, "testsecret"))
        );
    }

    #[test]
    fn the_signers_headers_cannot_be_set_by_the_action() {
        let service = pds_service();
        let config = Config::builder(Credentials::new("testid", "testsecret")).build();
        let mut rest = post_request();
        rest.headers.push(("x-acs-action".into(), "Other".into()));
        let err = testing::sign(&service, &config, &Payload::Rest(rest), NOW).unwrap_err();
        assert!(err.to_string().contains("x-acs-action"), "{err}");
    }

    #[test]
    fn other_signings_are_refused() {
        let service = testing::service(Protocol::Pds, Signing::Acs3HmacSha256);
        let config = Config::builder(Credentials::new("testid", "testsecret")).build();
        let err =
            testing::sign(&service, &config, &Payload::Rest(post_request()), NOW).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the pds protocol cannot sign with Acs3HmacSha256"
        );
    }

    #[test]
    fn errors_keep_the_code_message_and_the_request_id_header() {
        let headers = vec![("X-Ca-Request-Id".to_owned(), "R-9".to_owned())];
        let e = Pds
            .parse_error(
                404,
                &headers,
                br#"{"code":"NotFound.File","message":"file not found"}"#,
            )
            .unwrap();
        assert_eq!(
            (e.code(), e.message(), e.request_id(), e.http_status()),
            ("NotFound.File", "file not found", Some("R-9"), 404)
        );
        assert!(Pds.parse_error(200, &headers, b"{}").is_none());
        assert!(Pds.parse_error(204, &headers, b"").is_none());
        assert!(Pds
            .parse_error(502, &headers, b"<html>bad gateway</html>")
            .is_none());
    }

    #[cfg(feature = "stub-server")]
    mod server {
        use super::*;
        use crate::protocol::testing::received;

        fn keys() -> Vec<Credentials> {
            vec![Credentials::new("testid", "testsecret")]
        }

        fn verify(req: &ReceivedRequest, now: i64) -> Result<Verified, VerifyError> {
            Pds.verify(req, &keys(), now, &VerifyOptions::new(Protocol::Pds))
        }

        #[test]
        fn what_the_client_signs_the_server_verifies_and_any_change_is_refused() {
            let creds = Credentials::new("testid", "testsecret");
            for (action, rest) in [
                ("ListFile", post_request()),
                ("DownloadFile", download_request()),
            ] {
                let req = received(&laid_out(creds.clone(), action, &rest));
                let ok = verify(&req, NOW + 60).unwrap();
                assert_eq!(
                    (ok.access_key_id.as_str(), ok.signing, ok.timestamp),
                    ("testid", Signing::RoaHmacSha1, NOW)
                );
                let mut tampered = req.clone();
                tampered.path.push('x');
                assert_eq!(
                    verify(&tampered, NOW).unwrap_err().code,
                    "SignatureDoesNotMatch"
                );
                let mut tampered = req.clone();
                tampered.query.push(("limit".into(), "11".into()));
                assert_eq!(
                    verify(&tampered, NOW).unwrap_err().code,
                    "SignatureDoesNotMatch"
                );
                let mut tampered = req.clone();
                for (k, v) in &mut tampered.headers {
                    if k == "x-acs-action" {
                        *v = "DeleteFile".into();
                    }
                }
                assert_eq!(
                    verify(&tampered, NOW).unwrap_err().code,
                    "SignatureDoesNotMatch"
                );
                assert_eq!(
                    verify(&req, NOW + WINDOW_SECS + 1).unwrap_err().code,
                    "RequestTimeExpired"
                );
            }
            let req = received(&laid_out(
                Credentials::new("other", "x"),
                "ListFile",
                &post_request(),
            ));
            assert_eq!(
                verify(&req, NOW).unwrap_err().kind,
                VerifyErrorKind::UnknownAccessKey
            );
        }

        #[test]
        fn errors_and_successes_carry_the_request_id_header() {
            let req = received(&laid_out(
                Credentials::new("testid", "testsecret"),
                "ListFile",
                &post_request(),
            ));
            let e = ErrorMetadata::new("NotFound.File", "gone", Some("R-1".into()), 404);
            let resp = Pds.error_response(&pds_service(), &req, &e);
            assert_eq!(resp.status, 404);
            let back = Pds
                .parse_error(resp.status, &resp.headers, &resp.body)
                .unwrap();
            assert_eq!(back, e);
            let resp = Pds.success_response(&req, "ListFile", json!({"items": []}), "R-2");
            assert_eq!(resp.status, 200);
            assert_eq!(
                resp.headers
                    .iter()
                    .find(|(k, _)| k == REQUEST_ID_HEADER)
                    .map(|(_, v)| v.as_str()),
                Some("R-2")
            );
            assert_eq!(
                serde_json::from_slice::<Value>(&resp.body).unwrap(),
                json!({"items": []})
            );
        }
    }
}
