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

use super::{roa, rpc};
use super::{
    Body, CredentialEnv, CredentialLookup, Envelope, Payload, PayloadError, ReceivedRequest,
    RequestContext, RestRequest, Verified, VerifyError, VerifyErrorKind, WireProtocol,
};
use crate::client::Signing;
use crate::error::ErrorMetadata;
use crate::http::HttpRequest;
use crate::sign;
use crate::verify::VerifyOptions;
use crate::wire::{OutgoingRequest, Position};

#[cfg(feature = "stub-server")]
use crate::client::Service;
#[cfg(feature = "stub-server")]
use crate::http::HttpResponse;
#[cfg(feature = "stub-server")]
use serde_json::{json, Value};

/// `x-log-apiversion`, as the official SDK sends it.
const API_VERSION: &str = "0.6.0";
/// The `content-type` of every request (the official SDK sets it even without a body).
const JSON_CONTENT_TYPE: &str = "application/json";
/// The `content-type` of a form body.
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The header the request id travels in.
const REQUEST_ID_HEADER: &str = "x-log-requestid";
/// How far `date` may be from the server's clock (15 minutes).
const WINDOW_SECS: i64 = 900;
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
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        if let Some((name, label)) = &rest.host_param {
            if let Some(reason) = host_label_problem(label) {
                return Err(PayloadError::InvalidHostParameter {
                    name: (*name).to_owned(),
                    reason,
                });
            }
        }
        let (body, content_type) = match &rest.body {
            Body::Empty => (Vec::new(), JSON_CONTENT_TYPE),
            Body::Json(bytes) => (bytes.clone(), JSON_CONTENT_TYPE),
            Body::Form(form) => (
                sign::rpc::encode_query(&form.0).into_bytes(),
                FORM_CONTENT_TYPE,
            ),
        };
        let mut headers: Vec<(String, String)> = Vec::with_capacity(rest.headers.len() + 8);
        for (name, value) in &rest.headers {
            let name = name.to_ascii_lowercase();
            let reason = if SIGNER_HEADERS.contains(&name.as_str()) {
                Some("the LOG signature sets it")
            } else if headers.iter().any(|(k, _)| *k == name) {
                Some("it is set more than once")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(PayloadError::InvalidHeader { name, reason });
            }
            headers.push((name, value.clone()));
        }
        if !headers.iter().any(|(k, _)| k == "accept") {
            headers.push(("accept".to_owned(), "application/json".to_owned()));
        }
        let creds = ctx.credentials();
        headers.extend([
            ("content-type".to_owned(), content_type.to_owned()),
            ("x-log-apiversion".to_owned(), API_VERSION.to_owned()),
            ("x-log-bodyrawsize".to_owned(), body.len().to_string()),
            ("x-log-signaturemethod".to_owned(), "hmac-sha256".to_owned()),
            ("date".to_owned(), crate::time::http_date(ctx.now)),
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
        let url = if rest.query.0.is_empty() {
            format!("{base_url}{path}")
        } else {
            format!(
                "{base_url}{path}?{}",
                sign::rpc::encode_query(&rest.query.0)
            )
        };
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
        None => {
            let mut e = rpc::error_from_fields(&fields, http_status, headers);
            if e.request_id().is_none() {
                if let Some(id) = header_id {
                    e = ErrorMetadata::new(e.code(), e.message(), Some(id), http_status);
                }
            }
            Some(e)
        }
    }
}

/// A refusal with Simple Log Service's code, message and status.
fn refused(kind: VerifyErrorKind, code: &'static str, message: String, status: u16) -> VerifyError {
    VerifyError::new(kind, code, message, status)
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
        "sls"
    }

    fn credential_env(&self) -> CredentialEnv {
        rpc::ALIBABA_CLOUD_ENV
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

    /// As ROA reads it back, with the host parameter from the `host` header's first
    /// label (a request sent to an IP address carries none).
    #[cfg(feature = "stub-server")]
    fn read_request(
        &self,
        layout: &crate::wire::RequestLayout,
        request: &crate::stub::Incoming,
    ) -> Result<Value, crate::flat::FlatError> {
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
        Envelope::Bare
    }

    /// Requests do not name their action; see [`route`](WireProtocol::route).
    fn action(&self, _request: &ReceivedRequest) -> Option<String> {
        None
    }

    /// The served action whose method is the request's and whose path template fits the
    /// request's path; of several, the one with the most literal segments.
    #[cfg(feature = "stub-server")]
    fn route(
        &self,
        layouts: &[(&'static str, &'static crate::wire::RequestLayout)],
        request: &ReceivedRequest,
    ) -> Option<String> {
        layouts
            .iter()
            .filter(|(_, l)| l.method.eq_ignore_ascii_case(&request.method))
            .filter(|(_, l)| roa::match_path(l.path, &request.path).is_some())
            .max_by_key(|(action, l)| {
                let literal = l.path.split('/').filter(|s| !s.starts_with('{')).count();
                // Deterministic among equals: the smallest action name wins.
                (literal, std::cmp::Reverse(*action))
            })
            .map(|(action, _)| (*action).to_owned())
    }

    fn default_window_secs(&self) -> i64 {
        WINDOW_SECS
    }

    /// The query alone, as ROA.
    #[cfg(feature = "stub-server")]
    fn handler_params(&self, request: &ReceivedRequest) -> Vec<(String, String)> {
        request.query.clone()
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
            refused(
                K::Missing,
                "Unauthorized",
                "The Authorization header is missing.".into(),
                401,
            )
        })?;
        let (id, signature) = sign::sls::parse_authorization(auth).ok_or_else(|| {
            refused(
                K::Malformed,
                "Unauthorized",
                "The Authorization header is not `LOG <AccessKeyId>:<Signature>`.".into(),
                401,
            )
        })?;
        let creds = keys.find(id).ok_or_else(|| {
            refused(
                K::UnknownAccessKey,
                "Unauthorized",
                format!("AccessKeyId not found: {id}"),
                401,
            )
        })?;
        let date = request.header("date").ok_or_else(|| {
            refused(
                K::Missing,
                "MissingDate",
                "Header date is missing in the request.".into(),
                400,
            )
        })?;
        let ts = crate::time::parse_http_date(date).ok_or_else(|| {
            refused(
                K::Malformed,
                "InvalidDateFormat",
                format!("Header date {date} is not in RFC 1123 format."),
                400,
            )
        })?;
        if now.abs_diff(ts) > options.window_secs().unsigned_abs() {
            return Err(refused(
                K::Expired,
                "RequestTimeExpired",
                format!(
                    "Request time {date} has been expired while server time is {}.",
                    crate::time::http_date(now)
                ),
                400,
            ));
        }
        if !request.body.is_empty()
            && request.header("content-md5") != Some(sign::sls::content_md5(&request.body).as_str())
        {
            return Err(refused(
                K::Mismatch,
                "InvalidContentMD5",
                "The content-md5 header does not match the body.".into(),
                400,
            ));
        }
        let path = percent_encoding::percent_decode_str(&request.path)
            .decode_utf8_lossy()
            .into_owned();
        // The official SDK signs the path as it holds it, before encoding; the runtime
        // signs the path as sent. Either checks out.
        let candidates = [request.path.as_str(), path.as_str()];
        let mut last = String::new();
        for p in candidates {
            let sts =
                sign::sls::string_to_sign(&request.method, p, &request.query, &request.headers);
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
        Err(refused(
            K::Mismatch,
            "SignatureNotMatch",
            format!("Signature {signature} not matched."),
            401,
        )
        .with_canonical(last))
    }

    #[cfg(feature = "stub-server")]
    fn invalid_value_code(&self) -> &'static str {
        "ParameterInvalid"
    }

    #[cfg(feature = "stub-server")]
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
    #[cfg(feature = "stub-server")]
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

    #[cfg(feature = "stub-server")]
    fn example_response(
        &self,
        _request: &ReceivedRequest,
        json: &str,
        _xml: Option<&str>,
    ) -> HttpResponse {
        json_response(200, json.as_bytes().to_vec(), &super::nonce())
    }
}
