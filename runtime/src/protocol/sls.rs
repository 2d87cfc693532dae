//! Alibaba Cloud Simple Log Service (SLS): RESTful requests laid out as ROA lays them
//! out (method, encoded path, query, the action's own headers, a JSON body), sent to a
//! host that starts with the action's host parameter (`<project>.<endpoint>`), and signed
//! with the `LOG` scheme as `alibabacloud_gateway_sls` (0.5, signature version `v1`)
//! signs them: `Authorization: LOG <AccessKeyId>:<signature>`, where the signature is
//! Base64(HMAC-SHA256(secret, string to sign)) over the method, `content-md5`,
//! `content-type`, `date`, every `x-log-*` / `x-acs-*` header and the path with its
//! sorted query ([`sign::sls`]). There is no action header: a server finds the action by
//! method and path. Successes are the top-level JSON value; errors come with 4xx/5xx as
//! `{"errorCode": …, "errorMessage": …}`, the request id in `x-log-requestid`.

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
use crate::protocol::layout::{OutgoingRequest, Position};
use crate::protocol::service::Signing;
use crate::protocol::sign;
use crate::protocol::verify::VerifyOptions;

#[cfg(feature = "stub-server")]
use crate::http::HttpResponse;
#[cfg(feature = "stub-server")]
use crate::protocol::service::Service;
#[cfg(feature = "stub-server")]
use serde_json::{json, Value};

/// `x-log-apiversion`, as the official SDK sends it.
const API_VERSION: &str = "0.6.0";
/// The `content-type` of every request (the official SDK sets it even without a body).
const JSON_CONTENT_TYPE: &str = "application/json";
/// The header the request id travels in.
const REQUEST_ID_HEADER: &str = "x-log-requestid";
/// How far `date` may be from the server's clock (15 minutes).
const WINDOW_SECS: i64 = Protocol::Sls.descriptor().window_secs;
/// Headers the signer sets; an action's own header may not take their place.
const SIGNER_HEADERS: &[&str] = &[
    "authorization",
    "content-md5",
    "content-type",
    "date",
    "host",
    "x-acs-security-token",
    "x-log-apiversion",
    "x-log-bodyrawsize",
    "x-log-signaturemethod",
];

/// Alibaba Cloud Simple Log Service.
#[derive(Debug)]
pub(super) struct Sls;

impl super::sealed::Sealed for Sls {}

/// Whether `label` can be the first label of a host name (RFC 1123: 1 to 63 letters,
/// digits and hyphens, not starting or ending with a hyphen). Simple Log Service's
/// project names are a subset (lowercase, 3 to 63).
fn host_label_problem(label: &str) -> Option<&'static str> {
    if label.is_empty() || label.len() > 63 {
        Some("a host label has 1 to 63 characters")
    } else if !label
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        Some("a host label has only letters, digits and hyphens")
    } else if label.starts_with('-') || label.ends_with('-') {
        Some("a host label does not start or end with a hyphen")
    } else {
        None
    }
}

/// `base_url` (`scheme://host[:port]`) with `label.` in front of the host.
fn labelled(base_url: &str, label: Option<&str>) -> String {
    match (label, base_url.split_once("://")) {
        (Some(label), Some((scheme, rest))) => format!("{scheme}://{label}.{rest}"),
        (Some(label), None) => format!("{label}.{base_url}"),
        (None, _) => base_url.to_owned(),
    }
}

impl Sls {
    /// Lays out and signs `rest` at `ctx.now`.
    fn layout(ctx: &RequestContext<'_>, rest: &RestRequest) -> Result<HttpRequest, PayloadError> {
        let path = rest.expand_path()?;
        if let Some((name, label)) = &rest.host_param {
            if let Some(reason) = host_label_problem(label) {
                return Err(PayloadError::InvalidHostParameter {
                    name: (*name).to_owned(),
                    reason,
                });
            }
        }
        // The official SDK sets the JSON content type even without a body.
        let (body, content_type) = rest.body.encoded(JSON_CONTENT_TYPE);
        let content_type = content_type.unwrap_or(JSON_CONTENT_TYPE);
        let mut headers = rest.own_headers(|name| {
            SIGNER_HEADERS
                .contains(&name)
                .then_some("the LOG signature sets it")
        })?;
        let creds = ctx.credentials();
        headers.extend([
            ("content-type".to_owned(), content_type.to_owned()),
            ("x-log-apiversion".to_owned(), API_VERSION.to_owned()),
            ("x-log-bodyrawsize".to_owned(), body.len().to_string()),
            ("x-log-signaturemethod".to_owned(), "hmac-sha256".to_owned()),
            ("date".to_owned(), crate::codec::time::http_date(ctx.now)),
        ]);
        if let Some(token) = creds.token() {
            headers.push(("x-acs-security-token".to_owned(), token.to_owned()));
        }
        if !body.is_empty() {
            headers.push(("content-md5".to_owned(), sign::sls::content_md5(&body)));
        }
        let sts = sign::sls::string_to_sign(rest.method, &path, &rest.query.0, &headers);
        let signature = sign::sls::signature(&sts, creds.secret());
        headers.push((
            "Authorization".to_owned(),
            format!("LOG {}:{signature}", creds.access_key_id()),
        ));
        let base_url = labelled(
            ctx.base_url,
            rest.host_param.as_ref().map(|(_, v)| v.as_str()),
        );
        let url = super::url_with_query(&base_url, &path, &rest.query.0);
        Ok(HttpRequest {
            method: rest.method,
            url,
            headers,
            body,
        })
    }
}

/// The first label of a received `host` header, when the host is a name with more than
/// one label (not an IP address): where a host parameter travels.
#[cfg(feature = "stub-server")]
fn received_host_label(host: &str) -> Option<&str> {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    if name.starts_with('[') || name.parse::<std::net::Ipv4Addr>().is_ok() {
        return None;
    }
    let (label, rest) = name.split_once('.')?;
    (!label.is_empty() && !rest.is_empty()).then_some(label)
}

/// `errorCode` and `errorMessage` of a Simple Log Service error, the request id from
/// `x-log-requestid` (or, from a gateway in front of it, Alibaba Cloud's common error
/// body).
fn parse_error_body(
    http_status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<ErrorMetadata> {
    let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).ok()?;
    let text = |name: &str| match fields.get(name)? {
        serde_json::Value::String(s) => Some(s.clone()),
        v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => Some(v.to_string()),
        _ => None,
    };
    let header_id = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(REQUEST_ID_HEADER))
        .map(|(_, v)| v.clone());
    match text("errorCode") {
        Some(code) => Some(ErrorMetadata::new(
            code,
            text("errorMessage").unwrap_or_default(),
            header_id,
            http_status,
        )),
        None => Some(rpc::error_from_fields(
            &fields,
            http_status,
            headers,
            Some(REQUEST_ID_HEADER),
        )),
    }
}

#[cfg(feature = "stub-server")]
fn json_response(status: u16, body: Vec<u8>, request_id: &str) -> HttpResponse {
    let mut resp = HttpResponse::new(status, "application/json", body);
    resp.headers
        .push((REQUEST_ID_HEADER.to_owned(), request_id.to_owned()));
    resp
}

impl WireProtocol for Sls {
    fn name(&self) -> &'static str {
        Protocol::Sls.name()
    }

    /// As ROA lays it out, with the host parameter as the host's first label.
    fn lay_out(&self, request: &OutgoingRequest) -> Payload {
        let mut rest = roa::rest_request(request);
        rest.host_param = request.layout.at(Position::Host).find_map(|p| {
            let value = request.value.get(p.name).and_then(roa::scalar_text)?;
            Some((p.name, value))
        });
        Payload::Rest(rest)
    }

    /// Signs with the `LOG` scheme only.
    fn sign(
        &self,
        ctx: &RequestContext<'_>,
        payload: &Payload,
    ) -> Result<HttpRequest, PayloadError> {
        let Payload::Rest(rest) = payload else {
            return Err(PayloadError::unsupported(self, payload));
        };
        match ctx.signing() {
            Signing::SlsHmacSha256 => Self::layout(ctx, rest),
            signing => Err(PayloadError::UnsupportedSigning {
                protocol: self.name(),
                signing,
            }),
        }
    }

    /// Only a non-2xx response is an error.
    fn parse_error(
        &self,
        http_status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<ErrorMetadata> {
        if (200..300).contains(&http_status) {
            return None;
        }
        parse_error_body(http_status, headers, body)
    }

    fn json_envelope(&self) -> Envelope {
        Protocol::Sls.descriptor().success
    }
}

impl WireVerify for Sls {
    fn default_window_secs(&self) -> i64 {
        WINDOW_SECS
    }

    /// Rebuilds the string to sign from the headers received, as the service does;
    /// `date` must be within the window and `content-md5` must match a body.
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
                "Unauthorized",
                "The Authorization header is missing.",
                401,
            )
        })?;
        let (id, signature) = sign::sls::parse_authorization(auth).ok_or_else(|| {
            VerifyError::new(
                K::Malformed,
                "Unauthorized",
                "The Authorization header is not `LOG <AccessKeyId>:<Signature>`.",
                401,
            )
        })?;
        let creds = keys.find(id).ok_or_else(|| {
            VerifyError::new(
                K::UnknownAccessKey,
                "Unauthorized",
                format!("AccessKeyId not found: {id}"),
                401,
            )
        })?;
        let ts = super::signed_http_date(request, now, options)?;
        if !request.body.is_empty()
            && request.header("content-md5") != Some(sign::sls::content_md5(&request.body).as_str())
        {
            return Err(VerifyError::new(
                K::Mismatch,
                "InvalidContentMD5",
                "The content-md5 header does not match the body.",
                400,
            ));
        }
        let mut last = String::new();
        for p in super::signed_paths(request) {
            let sts =
                sign::sls::string_to_sign(&request.method, &p, &request.query, &request.headers);
            if sign::same(&sign::sls::signature(&sts, creds.secret()), signature) {
                return Ok(Verified {
                    access_key_id: id.to_owned(),
                    signing: Signing::SlsHmacSha256,
                    timestamp: ts,
                    nonce: None,
                });
            }
            last = sts;
        }
        Err(VerifyError::new(
            K::Mismatch,
            "SignatureNotMatch",
            format!("Signature {signature} not matched."),
            401,
        )
        .with_canonical(last))
    }
}

#[cfg(feature = "stub-server")]
impl WireServer for Sls {
    /// As ROA reads it back, with the host parameter from the `host` header's first
    /// label (a request sent to an IP address carries none).
    fn read_request(
        &self,
        layout: &crate::protocol::layout::RequestLayout,
        request: &crate::protocol::Incoming,
    ) -> Result<Value, crate::codec::flat::FlatError> {
        let mut out = roa::read_rest_request(layout, request)?;
        if let (Value::Object(obj), Some(label)) = (
            &mut out,
            request.header("host").and_then(received_host_label),
        ) {
            for p in layout.at(Position::Host) {
                obj.insert(p.name.to_owned(), Value::String(label.to_owned()));
            }
        }
        Ok(out)
    }

    /// Requests do not name their action; see [`route`](WireServer::route).
    fn action(&self, request: &ReceivedRequest) -> Option<String> {
        Protocol::Sls
            .descriptor()
            .action_of(|h| request.header(h), |p| request.param(p))
            .map(str::to_owned)
    }

    /// The served action whose method is the request's and whose path template fits the
    /// request's path; of several, the one with the most literal segments.
    fn route(
        &self,
        layouts: &[(
            &'static str,
            &'static crate::protocol::layout::RequestLayout,
        )],
        request: &ReceivedRequest,
    ) -> Option<String> {
        layouts
            .iter()
            .filter(|(_, l)| l.method.eq_ignore_ascii_case(&request.method))
            .filter(|(_, l)| roa::match_path(l.template(), &request.path).is_some())
            // A path's fixed query (`?action=STOP`) must be in the query received.
            .filter(|(_, l)| {
                l.fixed_query()
                    .all(|(k, v)| request.query.iter().any(|(qk, qv)| qk == k && qv == v))
            })
            .max_by_key(|(action, l)| {
                // The most specific: the most literal segments, then the most fixed query
                // pairs (`?action=STOP` before the same path without).
                let literal = l
                    .template()
                    .split('/')
                    .filter(|s| !s.starts_with('{'))
                    .count();
                // Deterministic among equals: the smallest action name wins.
                (literal, l.fixed_query().count(), std::cmp::Reverse(*action))
            })
            .map(|(action, _)| (*action).to_owned())
    }

    /// The query alone, as ROA.
    fn handler_params(&self, request: &ReceivedRequest) -> Vec<(String, String)> {
        request.query.clone()
    }

    fn invalid_value_code(&self) -> &'static str {
        "ParameterInvalid"
    }

    fn error_response(
        &self,
        _service: &Service,
        _request: &ReceivedRequest,
        error: &ErrorMetadata,
    ) -> HttpResponse {
        let body = json!({
            "errorCode": error.code(),
            "errorMessage": error.message(),
        });
        json_response(
            error.http_status(),
            serde_json::to_vec(&body).unwrap_or_default(),
            error.request_id().unwrap_or(""),
        )
    }

    /// The body as it is (Simple Log Service's bodies carry no request id), the id in
    /// `x-log-requestid`.
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
    use crate::protocol::testing::{self, sign};
    use crate::protocol::Body;
    use crate::protocol::Protocol;

    /// 2023-11-14T22:13:20Z, `Tue, 14 Nov 2023 22:13:20 GMT`.
    const NOW: i64 = 1_700_000_000;
    const BODY: &[u8] = br#"{"query":"* | select 1","from":1700000000,"to":1700000100}"#;

    fn sls_service() -> Service {
        testing::service(Protocol::Sls, Signing::SlsHmacSha256)
    }

    fn signed(creds: Credentials, rest: RestRequest) -> HttpRequest {
        let config = Config::builder(creds).build();
        sign(&sls_service(), &config, &Payload::Rest(rest), NOW).unwrap()
    }

    fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// `GET /logstores/{logstore}` on project `my-project`, with a query.
    fn get_request() -> RestRequest {
        let mut r = RestRequest::new("GET", "/logstores/{logstore}");
        r.path_params.push(("logstore", "ls-1".into()));
        r.host_param = Some(("project", "my-project".into()));
        r.query = Query(pairs(&[
            ("size", "10"),
            ("offset", "0"),
            ("logstoreName", "a b"),
        ]));
        r
    }

    /// `POST /logstores/ls-1/logs` with a JSON body.
    fn post_request() -> RestRequest {
        let mut r = RestRequest::new("POST", "/logstores/ls-1/logs");
        r.host_param = Some(("project", "my-project".into()));
        r.body = Body::Json(BODY.to_vec());
        r
    }

    // The expected `Authorization` values below were computed with
    // `alibabacloud_gateway_sls` 0.4.2's `Client.get_authorization` (the code its
    // `modify_request` signs with) on the same method, path, query and headers, for the
    // access key `testid` / `testsecret`.

    #[test]
    fn a_get_goes_to_the_projects_host_and_signs_as_the_official_sdk_does() {
        let req = signed(Credentials::new("testid", "testsecret"), get_request());
        assert_eq!(req.method, "GET");
        assert_eq!(
            req.url,
            "http://my-project.127.0.0.1:8080/logstores/ls-1?size=10&offset=0&logstoreName=a%20b"
        );
        assert!(req.body.is_empty());
        assert_eq!(
            (
                header(&req, "date"),
                header(&req, "content-type"),
                header(&req, "x-log-apiversion"),
                header(&req, "x-log-bodyrawsize"),
                header(&req, "x-log-signaturemethod"),
                header(&req, "content-md5"),
            ),
            (
                Some("Tue, 14 Nov 2023 22:13:20 GMT"),
                Some("application/json"),
                Some("0.6.0"),
                Some("0"),
                Some("hmac-sha256"),
                None,
            )
        );
        assert_eq!(
            header(&req, "authorization"),
            Some("LOG testid:iJkCzmXybIzdVrbdBnS6ROnzuznEuGN2ZHhGSRiDxxg=")
        );
    }

    #[test]
    fn a_json_body_is_hashed_and_signed_with_the_sts_token() {
        let creds = Credentials::new("testid", "testsecret").with_token("sts-token");
        let req = signed(creds, post_request());
        assert_eq!(
            req.url,
            "http://my-project.127.0.0.1:8080/logstores/ls-1/logs"
        );
        assert_eq!(req.body, BODY);
        assert_eq!(
            header(&req, "content-md5"),
            Some("D3928347CFD37C24B69B89A0C49CB9CA")
        );
        assert_eq!(header(&req, "x-log-bodyrawsize"), Some("58"));
        assert_eq!(header(&req, "x-acs-security-token"), Some("sts-token"));
        assert_eq!(
            header(&req, "authorization"),
            Some("LOG testid:H3MQeZxQAfp+q5M9yLF2rzYpXvdDQFiBsFtYDO0bj+c=")
        );
    }

    #[test]
    fn a_host_parameter_that_is_not_a_host_label_is_refused_by_name() {
        for bad in ["", "a.b", "a_b", "-a", "a-", &"x".repeat(64)] {
            let mut r = get_request();
            r.host_param = Some(("project", bad.to_owned()));
            let config = Config::builder(Credentials::new("testid", "testsecret")).build();
            let err = sign(&sls_service(), &config, &Payload::Rest(r), NOW).unwrap_err();
            assert!(
                matches!(&err, PayloadError::InvalidHostParameter { name, .. } if name == "project"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn the_signers_headers_cannot_be_set_by_the_action() {
        let mut r = post_request();
        r.headers.push(("Date".into(), "yesterday".into()));
        let config = Config::builder(Credentials::new("testid", "testsecret")).build();
        let err = sign(&sls_service(), &config, &Payload::Rest(r), NOW).unwrap_err();
        assert!(
            matches!(&err, PayloadError::InvalidHeader { name, .. } if name == "date"),
            "{err}"
        );
    }

    #[test]
    fn other_signings_are_refused() {
        let config = Config::builder(Credentials::new("testid", "testsecret"))
            .signing(Signing::Acs3HmacSha256)
            .build();
        let err = sign(&sls_service(), &config, &Payload::Rest(get_request()), NOW).unwrap_err();
        assert!(
            matches!(err, PayloadError::UnsupportedSigning { .. }),
            "{err}"
        );
    }

    #[test]
    fn errors_keep_the_code_message_and_the_request_id_header() {
        let headers = pairs(&[("x-log-requestid", "65A1B2C3D4E5F6")]);
        let e = Sls
            .parse_error(
                404,
                &headers,
                br#"{"errorCode":"ProjectNotExist","errorMessage":"The Project does not exist : p"}"#,
            )
            .unwrap();
        assert_eq!(
            (e.code(), e.message(), e.request_id(), e.http_status()),
            (
                "ProjectNotExist",
                "The Project does not exist : p",
                Some("65A1B2C3D4E5F6"),
                404
            )
        );
        // A gateway in front of the service answers in Alibaba Cloud's common body.
        let e = Sls
            .parse_error(
                403,
                &headers,
                br#"{"Code":"Forbidden.RAM","Message":"denied","RequestId":"R-1"}"#,
            )
            .unwrap();
        assert_eq!((e.code(), e.request_id()), ("Forbidden.RAM", Some("R-1")));
        assert!(Sls.parse_error(200, &headers, b"{}").is_none());
        assert!(Sls
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
            Sls.verify(req, &keys(), now, &VerifyOptions::new(Protocol::Sls))
        }

        #[test]
        fn what_the_client_signs_the_server_verifies_and_any_change_is_refused() {
            for rest in [get_request(), post_request()] {
                let req = received(&signed(Credentials::new("testid", "testsecret"), rest));
                let ok = verify(&req, NOW + 60).unwrap();
                assert_eq!(
                    (
                        ok.access_key_id.as_str(),
                        ok.signing,
                        ok.timestamp,
                        ok.nonce
                    ),
                    ("testid", Signing::SlsHmacSha256, NOW, None)
                );
                let mut tampered = req.clone();
                tampered.path.push('x');
                assert_eq!(
                    verify(&tampered, NOW).unwrap_err().code,
                    "SignatureNotMatch"
                );
                let mut tampered = req.clone();
                tampered.query.push(("size".into(), "11".into()));
                assert_eq!(
                    verify(&tampered, NOW).unwrap_err().code,
                    "SignatureNotMatch"
                );
                assert_eq!(
                    verify(&req, NOW + WINDOW_SECS + 1).unwrap_err().code,
                    "RequestTimeExpired"
                );
            }
            let mut req = received(&signed(
                Credentials::new("testid", "testsecret"),
                post_request(),
            ));
            req.body[2] ^= 1;
            assert_eq!(verify(&req, NOW).unwrap_err().code, "InvalidContentMD5");
            let req = received(&signed(Credentials::new("other", "x"), get_request()));
            assert_eq!(
                verify(&req, NOW).unwrap_err().kind,
                VerifyErrorKind::UnknownAccessKey
            );
        }

        #[test]
        fn the_action_is_found_by_method_and_path_the_most_literal_first() {
            use crate::protocol::layout::{BodyFormat, RequestLayout};
            static GET_LOGSTORE: RequestLayout = RequestLayout {
                method: "GET",
                path: "/logstores/{logstore}",
                body: BodyFormat::Json,
                params: &[],
            };
            static LIST_LOGSTORES: RequestLayout = RequestLayout {
                method: "GET",
                path: "/logstores",
                body: BodyFormat::Json,
                params: &[],
            };
            static GET_INDEX: RequestLayout = RequestLayout {
                method: "GET",
                path: "/logstores/{logstore}/index",
                body: BodyFormat::Json,
                params: &[],
            };
            static DELETE_LOGSTORE: RequestLayout = RequestLayout {
                method: "DELETE",
                path: "/logstores/{logstore}",
                body: BodyFormat::Json,
                params: &[],
            };
            static GET_INTERNAL: RequestLayout = RequestLayout {
                method: "GET",
                path: "/logstores/internal",
                body: BodyFormat::Json,
                params: &[],
            };
            // The same method and path, told apart by the path's fixed query.
            static UPDATE_ETL: RequestLayout = RequestLayout {
                method: "PUT",
                path: "/etls/{etlName}",
                body: BodyFormat::Json,
                params: &[],
            };
            static STOP_ETL: RequestLayout = RequestLayout {
                method: "PUT",
                path: "/etls/{etlName}?action=STOP",
                body: BodyFormat::Json,
                params: &[],
            };
            static START_ETL: RequestLayout = RequestLayout {
                method: "PUT",
                path: "/etls/{etlName}?action=START",
                body: BodyFormat::Json,
                params: &[],
            };
            let layouts = [
                ("GetLogStore", &GET_LOGSTORE),
                ("ListLogStores", &LIST_LOGSTORES),
                ("GetIndex", &GET_INDEX),
                ("DeleteLogStore", &DELETE_LOGSTORE),
                ("GetInternal", &GET_INTERNAL),
                ("UpdateETL", &UPDATE_ETL),
                ("StopETL", &STOP_ETL),
                ("StartETL", &START_ETL),
            ];
            let route = |method: &str, target: &str| {
                Sls.route(
                    &layouts,
                    &ReceivedRequest::from_parts(method, target, Vec::new(), Vec::new()),
                )
            };
            assert_eq!(
                route("GET", "/logstores/ls-1").as_deref(),
                Some("GetLogStore")
            );
            assert_eq!(
                route("GET", "/logstores?size=1").as_deref(),
                Some("ListLogStores")
            );
            assert_eq!(
                route("GET", "/logstores/ls-1/index").as_deref(),
                Some("GetIndex")
            );
            assert_eq!(
                route("DELETE", "/logstores/ls-1").as_deref(),
                Some("DeleteLogStore")
            );
            assert_eq!(
                route("GET", "/logstores/internal").as_deref(),
                Some("GetInternal")
            );
            assert_eq!(route("PUT", "/logstores/ls-1"), None);
            assert_eq!(route("GET", "/machinegroups"), None);
            assert_eq!(route("PUT", "/etls/e1").as_deref(), Some("UpdateETL"));
            assert_eq!(
                route("PUT", "/etls/e1?action=STOP").as_deref(),
                Some("StopETL")
            );
            assert_eq!(
                route("PUT", "/etls/e1?x=1&action=START").as_deref(),
                Some("StartETL")
            );
            // An action value no layout names is the plain update.
            assert_eq!(
                route("PUT", "/etls/e1?action=PAUSE").as_deref(),
                Some("UpdateETL")
            );
        }

        #[test]
        fn the_host_label_is_read_from_names_not_addresses() {
            assert_eq!(
                received_host_label("my-project.localhost:8080"),
                Some("my-project")
            );
            assert_eq!(
                received_host_label("p.cn-hangzhou.log.aliyuncs.com"),
                Some("p")
            );
            assert_eq!(received_host_label("127.0.0.1:8080"), None);
            assert_eq!(received_host_label("localhost:8080"), None);
            assert_eq!(received_host_label("[::1]:8080"), None);
        }

        #[test]
        fn errors_and_successes_carry_the_request_id_header() {
            let req = received(&signed(
                Credentials::new("testid", "testsecret"),
                get_request(),
            ));
            let service = sls_service();
            let e = ErrorMetadata::new(
                "ProjectNotExist",
                "no such project",
                Some("RID-1".into()),
                404,
            );
            let resp = Sls.error_response(&service, &req, &e);
            assert_eq!(resp.status, 404);
            let back = Sls
                .parse_error(resp.status, &resp.headers, &resp.body)
                .unwrap();
            assert_eq!(
                (back.code(), back.message(), back.request_id()),
                ("ProjectNotExist", "no such project", Some("RID-1"))
            );
            let resp = Sls.success_response(
                &req,
                "GetLogStore",
                json!({"logstoreName": "ls-1"}),
                "RID-2",
            );
            assert_eq!(resp.body, br#"{"logstoreName":"ls-1"}"#);
            assert!(resp
                .headers
                .iter()
                .any(|(k, v)| k == REQUEST_ID_HEADER && v == "RID-2"));
            // An answer that is not an object (a JSON array, text) is sent as it is.
            let resp = Sls.whole_response("application/json", b"[0,1]".to_vec(), "RID-3");
            assert_eq!(resp.body, b"[0,1]");
            assert!(resp
                .headers
                .iter()
                .any(|(k, v)| k == REQUEST_ID_HEADER && v == "RID-3"));
        }
    }
}
