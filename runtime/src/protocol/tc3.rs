//! Tencent Cloud API 3.0: a JSON body sent with POST, signed with TC3-HMAC-SHA256 in the
//! `Authorization` header, the action and version in `X-TC-*` headers; successes and
//! errors (with HTTP 200) inside `{"Response": …}`.

use serde::Deserialize;

use super::Protocol;
#[cfg(feature = "stub-server")]
use super::WireServer;
use super::{Envelope, Payload, PayloadError, RequestContext, WireProtocol, WireVerify};
use crate::codec::flat::Base;
use crate::http::HttpRequest;
use crate::protocol::error::ErrorMetadata;
use crate::protocol::layout::{OutgoingRequest, Position, Query};
use crate::protocol::sign;

use super::{CredentialLookup, ReceivedRequest, Verified, VerifyError, VerifyErrorKind};
#[cfg(feature = "stub-server")]
use crate::http::HttpResponse;
#[cfg(feature = "stub-server")]
use crate::protocol::service::Service;
use crate::protocol::service::Signing;
use crate::protocol::verify::VerifyOptions;
#[cfg(feature = "stub-server")]
use serde_json::{json, Value};

/// The member that wraps every response (the stub's answers).
#[cfg(feature = "stub-server")]
const RESPONSE: &str = "Response";

/// How far a request's timestamp may be from the server's clock by default (five minutes).
const WINDOW_SECS: i64 = Protocol::Tc3.descriptor().window_secs;

/// Tencent Cloud API 3.0.
#[derive(Debug)]
pub(super) struct Tc3;

/// A GET query as the official SDKs write it (Python's `urlencode`, Go's
/// `url.Values.Encode`): form-encoded, a space as `+`, everything but `A-Za-z0-9-_.~`
/// percent-encoded, in the given order. The canonical query TC3 signs is this text as
/// sent, so a client writing `%20` signs a different canonical request than they do.
fn form_encode(params: &[(String, String)]) -> String {
    let encode = |s: &str| sign::percent_encode(s).replace("%20", "+");
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Tc3 {
    /// Lays out `payload` and signs it over `signed` (header names, lowercase, sorted as
    /// Tencent Cloud's document sorts them; `content-type` and `host` among them): any
    /// header the request sends may be signed, e.g. `x-tc-action` as the document's
    /// example does.
    pub(super) fn sign_over(
        &self,
        ctx: &RequestContext<'_>,
        payload: &Payload,
        signed: &[&str],
    ) -> Result<HttpRequest, PayloadError> {
        // POST with a JSON body, or GET with the parameters flattened in the query
        // (`Filters.0.Name`), as the official SDKs send them.
        let (method, content_type, query, body): (&'static str, &str, String, &[u8]) = match payload
        {
            Payload::Json(body) => ("POST", "application/json", String::new(), body),
            Payload::Query(q) => (
                "GET",
                "application/x-www-form-urlencoded",
                form_encode(&q.0),
                &[],
            ),
            Payload::Rest(_) => return Err(PayloadError::unsupported(self, payload)),
        };
        let creds = ctx.credentials();
        let mut headers = vec![
            ("Content-Type".to_owned(), content_type.to_owned()),
            ("X-TC-Action".to_owned(), ctx.operation.action.to_owned()),
            ("X-TC-Timestamp".to_owned(), ctx.now.to_string()),
            ("X-TC-Version".to_owned(), ctx.service.version.to_owned()),
        ];
        if let Some(r) = ctx.region().filter(|r| !r.is_empty()) {
            headers.push(("X-TC-Region".to_owned(), r.to_owned()));
        }
        if let Some(t) = creds.token() {
            headers.push(("X-TC-Token".to_owned(), t.to_owned()));
        }
        if let Some(l) = ctx.language {
            headers.push(("X-TC-Language".to_owned(), l.to_owned()));
        }
        let mut values: Vec<(&str, &str)> = Vec::with_capacity(signed.len());
        for name in signed {
            let value = if name.eq_ignore_ascii_case("host") {
                Some(ctx.host)
            } else {
                headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str())
            };
            let Some(value) = value else {
                return Err(PayloadError::InvalidHeader {
                    name: (*name).to_owned(),
                    reason: "it is to be signed but the request does not send it",
                });
            };
            values.push((name, value));
        }
        let request = sign::tc3::Request {
            method,
            path: "/",
            query: &query,
            headers: &values,
            payload: body,
            service: ctx.service.service,
            timestamp: ctx.now,
        };
        let signed = sign::tc3::sign_request(&request, creds.access_key_id(), creds.secret());
        headers.insert(0, ("Authorization".to_owned(), signed.authorization));
        let url = if query.is_empty() {
            format!("{}/", ctx.base_url)
        } else {
            format!("{}/?{query}", ctx.base_url)
        };
        Ok(HttpRequest {
            method,
            url,
            headers,
            body: body.to_vec(),
        })
    }
}

/// `AuthFailure.InvalidAuthorization`, with Tencent Cloud's message and `detail`.
fn invalid_authorization(kind: VerifyErrorKind, detail: &str) -> VerifyError {
    VerifyError::new(
        kind,
        "AuthFailure.InvalidAuthorization",
        format!(
            "The request `Authorization` header does not conform to tencentcloud standards: {detail}"
        ),
        401,
    )
}

/// `AuthFailure.SignatureFailure`, Tencent Cloud's message and, if any, why.
fn signature_failure(kind: VerifyErrorKind, why: Option<String>) -> VerifyError {
    let message =
        "The provided credentials could not be validated. Please check your signature is correct.";
    let message = match why {
        Some(why) => format!("{message} ({why})"),
        None => message.to_owned(),
    };
    VerifyError::new(kind, "AuthFailure.SignatureFailure", message, 401)
}

impl super::sealed::Sealed for Tc3 {}

impl WireProtocol for Tc3 {
    fn name(&self) -> &'static str {
        Protocol::Tc3.name()
    }

    /// Signs over `content-type;host`, as the official SDKs do.
    fn sign(
        &self,
        ctx: &RequestContext<'_>,
        payload: &Payload,
    ) -> Result<HttpRequest, PayloadError> {
        self.sign_over(ctx, payload, &sign::tc3::DEFAULT_SIGNED_HEADERS)
    }

    /// A JSON body of every parameter; for a GET action, the parameters flattened in the
    /// query with list indexes from 0.
    fn lay_out(&self, request: &OutgoingRequest) -> Payload {
        if request.layout.method == "GET" {
            let mut q = Query::default();
            request.layout.flatten(
                &request.value,
                &[Position::Body, Position::Query],
                Base::Zero,
                &mut q.0,
            );
            Payload::Query(q)
        } else {
            Payload::Json(crate::protocol::layout::to_json_body(&request.value))
        }
    }

    /// `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`, whatever the status.
    fn parse_error(
        &self,
        http_status: u16,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Option<ErrorMetadata> {
        #[derive(Deserialize)]
        struct Outer {
            #[serde(rename = "Response")]
            response: Inner,
        }
        #[derive(Deserialize)]
        struct Inner {
            #[serde(rename = "Error")]
            error: Option<Err>,
            #[serde(rename = "RequestId")]
            request_id: Option<String>,
        }
        #[derive(Deserialize)]
        struct Err {
            #[serde(rename = "Code")]
            code: Option<String>,
            #[serde(rename = "Message")]
            message: Option<String>,
        }
        let env: Outer = serde_json::from_slice(body).ok()?;
        let e = env.response.error?;
        Some(ErrorMetadata::new(
            e.code.unwrap_or_default(),
            e.message.unwrap_or_default(),
            env.response.request_id,
            http_status,
        ))
    }

    fn json_envelope(&self) -> Envelope {
        Protocol::Tc3.descriptor().success
    }
}

impl WireVerify for Tc3 {
    fn default_window_secs(&self) -> i64 {
        WINDOW_SECS
    }

    /// Rebuilds the canonical request from the headers `SignedHeaders` lists (which must
    /// include `content-type` and `host`, lowercase, each once) over the path as sent, with
    /// the service of the credential scope (some SDKs derive it from the endpoint; a
    /// configured expected service must match it) and the scope's date, which must be the
    /// UTC date of `X-TC-Timestamp`, itself within the window. TC3 signs no nonce, so a
    /// request can be replayed within the window, as with Tencent Cloud itself.
    fn verify(
        &self,
        request: &ReceivedRequest,
        keys: &dyn CredentialLookup,
        now: i64,
        options: &VerifyOptions,
    ) -> Result<Verified, VerifyError> {
        use VerifyErrorKind as K;
        let auth = match request.header("authorization") {
            Some(auth) if auth.starts_with("TC3-HMAC-SHA256 ") => auth,
            _ => {
                return Err(invalid_authorization(
                    K::Missing,
                    "there is no TC3-HMAC-SHA256 `Authorization` header.",
                ))
            }
        };
        let a = sign::tc3::parse_authorization(auth).ok_or_else(|| {
            invalid_authorization(
                K::Malformed,
                "it is not `TC3-HMAC-SHA256 Credential=SecretId/Date/Service/tc3_request, SignedHeaders=..., Signature=...`.",
            )
        })?;
        let names = &a.signed_headers;
        let well_formed = names.iter().enumerate().all(|(i, n)| {
            !n.is_empty()
                && !n
                    .bytes()
                    .any(|b| b.is_ascii_uppercase() || b.is_ascii_whitespace())
                && !names[..i].contains(n)
        });
        if !well_formed
            || !names.iter().any(|n| n == "content-type")
            || !names.iter().any(|n| n == "host")
        {
            return Err(invalid_authorization(
                K::Malformed,
                "`SignedHeaders` must list content-type and host, each header once, in lowercase.",
            ));
        }
        if options
            .expected_service_name()
            .is_some_and(|expected| expected != a.service)
        {
            return Err(invalid_authorization(
                K::Scope,
                "`Service` in Credential not valid.",
            ));
        }
        let Some(creds) = keys.find(&a.secret_id) else {
            return Err(VerifyError::new(
                K::UnknownAccessKey,
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found, please ensure that your SecretId is correct.",
                401,
            ));
        };
        let ts: i64 = request
            .header("x-tc-timestamp")
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| {
                invalid_authorization(
                    K::Malformed,
                    "the `X-TC-Timestamp` header is missing or not a Unix time in seconds.",
                )
            })?;
        let window = options.window_secs();
        if now.abs_diff(ts) > window.unsigned_abs() {
            let message = format!(
                "Signature expired. Timestamp of the request: {ts}, server time: {now}; they must be at most {window} seconds apart."
            );
            return Err(VerifyError::new(
                K::Expired,
                "AuthFailure.SignatureExpire",
                message,
                401,
            ));
        }
        let date = crate::codec::time::date(ts);
        if a.date != date {
            return Err(signature_failure(
                K::Scope,
                Some(format!(
                    "the credential scope's date {} is not {date}, the UTC date of X-TC-Timestamp",
                    a.date
                )),
            ));
        }
        let headers: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.as_str(), request.header(n).unwrap_or("")))
            .collect();
        let input = sign::tc3::Request {
            method: &request.method,
            path: &request.path,
            query: &request.raw_query,
            headers: &headers,
            payload: &request.body,
            service: &a.service,
            timestamp: ts,
        };
        let expected = sign::tc3::sign_request(&input, creds.access_key_id(), creds.secret());
        if !sign::same(&expected.signature, &a.signature) {
            return Err(
                signature_failure(K::Mismatch, None).with_canonical(expected.canonical_request)
            );
        }
        Ok(Verified {
            access_key_id: a.secret_id,
            signing: Signing::Tc3HmacSha256,
            timestamp: ts,
            nonce: None,
        })
    }
}

#[cfg(feature = "stub-server")]
impl WireServer for Tc3 {
    fn read_request(
        &self,
        layout: &crate::protocol::layout::RequestLayout,
        request: &crate::protocol::Incoming,
    ) -> Result<serde_json::Value, crate::codec::flat::FlatError> {
        if request.method == "GET" {
            return layout.unflatten(&request.params.0, Base::Zero);
        }
        if request.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Object(Default::default()));
        }
        serde_json::from_slice(&request.body).map_err(|e| {
            <crate::codec::flat::FlatError as serde::de::Error>::custom(format!(
                "the body is not JSON: {e}"
            ))
        })
    }

    fn action(&self, request: &ReceivedRequest) -> Option<String> {
        Protocol::Tc3
            .descriptor()
            .action_of(|h| request.header(h), |p| request.param(p))
            .map(str::to_owned)
    }

    fn invalid_value_code(&self) -> &'static str {
        "InvalidParameterValue"
    }

    /// Always HTTP 200: Tencent Cloud reports errors inside the envelope.
    fn error_response(
        &self,
        _service: &Service,
        _request: &ReceivedRequest,
        error: &ErrorMetadata,
    ) -> HttpResponse {
        let body = json!({ RESPONSE: { "Error": { "Code": error.code(), "Message": error.message() }, "RequestId": error.request_id() } });
        json_response(&body)
    }

    fn success_response(
        &self,
        _request: &ReceivedRequest,
        _action: &str,
        mut body: Value,
        request_id: &str,
    ) -> HttpResponse {
        super::with_request_id(&mut body, request_id);
        json_response(&json!({ RESPONSE: body }))
    }

    fn example_response(
        &self,
        _request: &ReceivedRequest,
        json: &str,
        _xml: Option<&str>,
    ) -> HttpResponse {
        HttpResponse::new(200, "application/json", json.as_bytes().to_vec())
    }
}

#[cfg(feature = "stub-server")]
fn json_response(v: &Value) -> HttpResponse {
    HttpResponse::new(
        200,
        "application/json",
        serde_json::to_vec(v).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::config::Config;
    use crate::credentials::Credentials;
    use crate::protocol::service::Signing;
    use crate::protocol::testing::{self, sign};
    use crate::protocol::Protocol;

    const NOW: i64 = 1_551_113_065;

    fn signed(creds: Credentials, region: Option<&str>) -> HttpRequest {
        let service = testing::service(Protocol::Tc3, Signing::Tc3HmacSha256);
        let mut config = Config::builder(creds).language("en-US");
        if let Some(r) = region {
            config = config.region(r);
        }
        sign(
            &service,
            &config.build(),
            &Payload::Json(br#"{"Limit":1}"#.to_vec()),
            NOW,
        )
        .unwrap()
    }

    #[test]
    fn the_request_carries_the_documented_headers() {
        let req = signed(Credentials::new("AKID", "key").with_token("tok"), Some(""));
        assert_eq!(
            (req.method, req.url.as_str(), req.body.as_slice()),
            ("POST", "http://127.0.0.1:8080/", &br#"{"Limit":1}"#[..])
        );
        let names: Vec<&str> = req.headers.iter().map(|(k, _)| k.as_str()).collect();
        // An empty region is left out; the token and the language are sent.
        assert_eq!(
            names,
            [
                "Authorization",
                "Content-Type",
                "X-TC-Action",
                "X-TC-Timestamp",
                "X-TC-Version",
                "X-TC-Token",
                "X-TC-Language"
            ]
        );
        assert!(req.headers[0].1.starts_with("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/example/tc3_request, SignedHeaders=content-type;host, "));
        let req = signed(Credentials::new("AKID", "key"), None);
        assert!(
            req.headers
                .contains(&("X-TC-Region".into(), "cn-shanghai".into())),
            "the product's default region"
        );
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn the_stub_accepts_what_the_client_signs_and_refuses_the_rest() {
        let creds = Credentials::new("AKID", "key");
        let req = testing::received(&signed(creds.clone(), Some("ap-guangzhou")));
        assert_eq!(Tc3.action(&req).as_deref(), Some("ListThings"));
        assert_eq!(
            Tc3.verify(&req, &creds, NOW + 299, &VerifyOptions::new(Protocol::Tc3))
                .map(|v| v.access_key_id),
            Ok("AKID".to_owned())
        );

        let refused = |req: &ReceivedRequest, keys: &Credentials, now: i64| {
            Tc3.verify(req, keys, now, &VerifyOptions::new(Protocol::Tc3))
                .map(|_| ())
                .map_err(|e| (e.kind, e.code, e.http_status))
        };
        assert_eq!(
            refused(&req, &Credentials::new("AKID", "other"), NOW),
            Err((
                VerifyErrorKind::Mismatch,
                "AuthFailure.SignatureFailure",
                401
            ))
        );
        assert_eq!(
            refused(&req, &Credentials::new("AKID2", "key"), NOW),
            Err((
                VerifyErrorKind::UnknownAccessKey,
                "AuthFailure.SecretIdNotFound",
                401
            ))
        );
        assert_eq!(
            refused(&req, &creds, NOW + 301),
            Err((VerifyErrorKind::Expired, "AuthFailure.SignatureExpire", 401))
        );
        let mut tampered = req.clone();
        tampered.body = br#"{"Limit":2}"#.to_vec();
        assert_eq!(
            refused(&tampered, &creds, NOW),
            Err((
                VerifyErrorKind::Mismatch,
                "AuthFailure.SignatureFailure",
                401
            ))
        );
        let mut unsigned = req.clone();
        unsigned.headers.retain(|(k, _)| k != "authorization");
        assert_eq!(
            refused(&unsigned, &creds, NOW),
            Err((
                VerifyErrorKind::Missing,
                "AuthFailure.InvalidAuthorization",
                401
            ))
        );
    }

    #[test]
    fn get_queries_are_form_encoded_as_the_official_sdks_send_them() {
        let service = testing::service(Protocol::Tc3, Signing::Tc3HmacSha256);
        let config = Config::builder(Credentials::new("AKID", "key")).build();
        let mut q = Query::default();
        q.0.push(("Filters.0.Name".into(), "image-name".into()));
        q.0.push(("Filters.0.Values.0".into(), "镜像 a+b/c*d~&e=f%".into()));
        q.0.push(("Limit".into(), "10".into()));
        let req = sign(&service, &config, &Payload::Query(q), NOW).unwrap();
        // What tencentcloud-sdk-python's `urlencode` writes for the same parameters.
        let query = "Filters.0.Name=image-name&Filters.0.Values.0=%E9%95%9C%E5%83%8F+a%2Bb%2Fc%2Ad~%26e%3Df%25&Limit=10";
        assert_eq!(
            (req.method, req.url.as_str(), req.body.as_slice()),
            (
                "GET",
                format!("http://127.0.0.1:8080/?{query}").as_str(),
                &b""[..]
            )
        );
        let input = sign::tc3::Input {
            method: "GET",
            host: "127.0.0.1:8080",
            query,
            content_type: "application/x-www-form-urlencoded",
            payload: b"",
            service: service.service,
            timestamp: NOW,
        };
        let signed = sign::tc3::sign(&input, "AKID", "key");
        assert_eq!(
            req.headers[0],
            ("Authorization".into(), signed.authorization)
        );
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn the_stub_reads_a_form_encoded_get_query() {
        let service = testing::service(Protocol::Tc3, Signing::Tc3HmacSha256);
        let creds = Credentials::new("AKID", "key");
        let mut q = Query::default();
        q.0.push(("Name".into(), "a b+c".into()));
        let req = sign(
            &service,
            &Config::builder(creds.clone()).build(),
            &Payload::Query(q),
            NOW,
        )
        .unwrap();
        let received = testing::received(&req);
        assert_eq!(received.raw_query, "Name=a+b%2Bc");
        assert_eq!(received.query, [("Name".to_owned(), "a b+c".to_owned())]);
        assert!(Tc3
            .verify(
                &received,
                &creds,
                NOW,
                &crate::protocol::verify::VerifyOptions::new(Protocol::Tc3)
            )
            .is_ok());
    }

    #[test]
    fn error_envelopes_parse_whatever_the_status() {
        let body = br#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad"},"RequestId":"r-1"}}"#;
        let m = Tc3.parse_error(200, &[], body).unwrap();
        assert_eq!(
            (m.code(), m.message(), m.request_id(), m.http_status()),
            ("AuthFailure.SignatureFailure", "bad", Some("r-1"), 200)
        );
        assert_eq!(Tc3.parse_error(500, &[], body).unwrap().http_status(), 500);
        assert!(Tc3
            .parse_error(
                200,
                &[],
                br#"{"Response":{"TotalCounts":1,"RequestId":"r"}}"#
            )
            .is_none());
        assert!(Tc3
            .parse_error(200, &[], br#"{"Error":{"Code":"X"}}"#)
            .is_none());
        assert!(Tc3
            .parse_error(502, &[], b"<html>bad gateway</html>")
            .is_none());
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn rendered_errors_and_successes_read_back() {
        let req = testing::received(&signed(Credentials::new("AKID", "key"), None));
        let service = testing::service(Protocol::Tc3, Signing::Tc3HmacSha256);
        let error = ErrorMetadata::new("ResourceNotFound", "gone", Some("stub-1".into()), 404);
        let resp = Tc3.error_response(&service, &req, &error);
        assert_eq!(
            (resp.status, resp.header("content-type")),
            (200, Some("application/json"))
        );
        assert_eq!(
            Tc3.parse_error(resp.status, &resp.headers, &resp.body),
            Some(ErrorMetadata::new(
                "ResourceNotFound",
                "gone",
                Some("stub-1".into()),
                200
            ))
        );
        let resp = Tc3.success_response(&req, "ListThings", json!({"TotalCounts": 1}), "stub-2");
        let v: Value = serde_json::from_slice(&resp.body).unwrap();
        assert_eq!(
            v,
            json!({"Response": {"TotalCounts": 1, "RequestId": "stub-2"}})
        );
        assert!(Tc3
            .parse_error(resp.status, &resp.headers, &resp.body)
            .is_none());
    }
}
