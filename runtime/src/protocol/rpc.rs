//! Alibaba Cloud RPC: a request to `/` with the action's method (POST mostly; GET, PUT…
//! where the document says so), its query parameters in the query and its body parameters
//! in a form body, signed one of two ways: HMAC-SHA1 (SignatureVersion 1.0) as query
//! parameters over the method and every query and form parameter, or ACS3-HMAC-SHA256 in
//! headers (with `Action` and `Version` as `x-acs-*` headers) over the method, the query
//! and the body's hash, as alibabacloud-tea-openapi sends them. Successes are the
//! top-level JSON object, or `<ActionResponse>` in XML (`Format=XML`); errors come with
//! 4xx/5xx as `{Code, Message, RequestId, HostId, Recommend}` in JSON or `<Error>` in XML.

use super::acs3;
use super::Protocol;
#[cfg(feature = "stub-server")]
use super::WireServer;
use super::{
    Body, Envelope, Payload, PayloadError, RequestContext, ResponseLayout, RestRequest,
    WireProtocol, WireVerify,
};
use crate::codec::flat::Base;
use crate::http::HttpRequest;
use crate::protocol::error::ErrorMetadata;
use crate::protocol::layout::{OutgoingRequest, Position, Query};
use crate::protocol::service::Signing;
use crate::protocol::sign;
use crate::protocol::Format;

use super::{CredentialLookup, ReceivedRequest, Verified, VerifyError, VerifyErrorKind};
#[cfg(feature = "stub-server")]
use crate::http::HttpResponse;
#[cfg(feature = "stub-server")]
use crate::protocol::service::Service;
use crate::protocol::verify::VerifyOptions;
#[cfg(feature = "stub-server")]
use serde_json::{json, Value};

/// Alibaba Cloud RPC.
#[derive(Debug)]
pub(super) struct Rpc;

impl super::sealed::Sealed for Rpc {}

/// An Alibaba Cloud error envelope's fields (RPC and ROA; JSON, or XML read as JSON):
/// `Code`, `Message`, `RequestId`, `HostId` and `Recommend`, or their lower-camel
/// spellings `code`, `message`, `requestId`, `hostId`, `recommend` (ROA products' own
/// errors). The request id falls back to the `x-acs-request-id` header, then to the
/// protocol's own (`also_header`: `x-log-requestid`, `x-ca-request-id`). Strings are taken
/// as they are, numbers and booleans as their JSON text; anything else is absent.
pub(super) fn error_from_fields(
    fields: &serde_json::Map<String, serde_json::Value>,
    http_status: u16,
    headers: &[(String, String)],
    also_header: Option<&str>,
) -> ErrorMetadata {
    let field = |names: [&str; 2]| {
        names.iter().find_map(|n| match fields.get(*n)? {
            serde_json::Value::String(s) => Some(s.clone()),
            v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => Some(v.to_string()),
            _ => None,
        })
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let request_id = field(["RequestId", "requestId"])
        .or_else(|| header("x-acs-request-id"))
        .or_else(|| also_header.and_then(header));
    ErrorMetadata::new(
        field(["Code", "code"]).unwrap_or_default(),
        field(["Message", "message"]).unwrap_or_default(),
        request_id,
        http_status,
    )
    .with_details(
        field(["HostId", "hostId"]),
        field(["Recommend", "recommend"]),
    )
}

/// Alibaba Cloud's JSON error body (RPC and ROA): any JSON object, whatever the status
/// (the caller decides which statuses are errors); `None` for anything else.
pub(super) fn parse_json_error(
    http_status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<ErrorMetadata> {
    let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).ok()?;
    Some(error_from_fields(&fields, http_status, headers, None))
}

/// Alibaba Cloud's error body (RPC and ROA), as a JSON value.
#[cfg(feature = "stub-server")]
pub(super) fn error_body(service: &Service, error: &ErrorMetadata) -> Value {
    let code = error.code();
    json!({
        "RequestId": error.request_id(),
        "HostId": service.endpoint,
        "Code": code,
        "Message": error.message(),
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}")
    })
}

/// The `Format` parameter asking for `format`.
fn format_param(format: Format) -> &'static str {
    match format {
        Format::Json => "JSON",
        Format::Xml => "XML",
    }
}

/// One RPC request before signing: the method, the query (`Action`, `Version`, then the
/// action's query parameters) and the form body's parameters, or the caller's bytes as
/// the body (`body: binary` / `protobuf`, with their content type).
#[derive(Debug, Clone, PartialEq, Eq)]
struct RpcRequest<'a> {
    method: &'static str,
    query: Vec<(String, String)>,
    form: &'a [(String, String)],
    raw: Option<(&'static str, &'a [u8])>,
}

impl<'a> RpcRequest<'a> {
    /// A [`Payload::Query`] is a POST without a body (what a plain RPC action lays out, and
    /// what hand-built calls such as STS send); a [`Payload::Rest`] to `/` carries another
    /// method or a form body. Anything else (a path, headers, a JSON body, a host
    /// parameter) is not an RPC request.
    fn from_payload(ctx: &RequestContext<'_>, payload: &'a Payload) -> Option<Self> {
        match payload {
            Payload::Query(q) => Some(RpcRequest {
                method: "POST",
                query: q.0.clone(),
                form: &[],
                raw: None,
            }),
            Payload::Rest(r) => {
                let (form, raw): (&[(String, String)], _) = match &r.body {
                    Body::Empty => (&[], None),
                    Body::Form(f) => (&f.0, None),
                    Body::Raw {
                        content_type,
                        bytes,
                    } => (&[], Some((*content_type, bytes.as_slice()))),
                    Body::Json(_) => return None,
                };
                if r.path != "/"
                    || !r.path_params.is_empty()
                    || !r.headers.is_empty()
                    || r.host_param.is_some()
                {
                    return None;
                }
                let mut query = Query::new(ctx.operation.action, ctx.service.version).0;
                query.extend(r.query.0.iter().cloned());
                Some(RpcRequest {
                    method: r.method,
                    query,
                    form,
                    raw,
                })
            }
            Payload::Json(_) => None,
        }
    }

    /// The form body (or the raw bytes) and its `content-type` header, or nothing without
    /// body parameters.
    fn body(&self) -> (Vec<u8>, Vec<(String, String)>) {
        if let Some((content_type, bytes)) = self.raw {
            return (
                bytes.to_vec(),
                vec![("content-type".to_owned(), content_type.to_owned())],
            );
        }
        if self.form.is_empty() {
            return (Vec::new(), Vec::new());
        }
        (
            sign::rpc::encode_query(self.form).into_bytes(),
            vec![(
                "content-type".to_owned(),
                super::FORM_CONTENT_TYPE.to_owned(),
            )],
        )
    }
}

impl Rpc {
    /// HMAC-SHA1: the common parameters and the signature join the query; the string to
    /// sign covers the method and every query and form parameter
    /// (`Utils.get_rpcsignature` over the query merged with the body).
    fn sign_hmac_sha1(ctx: &RequestContext<'_>, req: &RpcRequest<'_>, nonce: &str) -> HttpRequest {
        let creds = ctx.credentials();
        let mut params = req.query.clone();
        params.extend([
            ("Format".to_owned(), format_param(ctx.format).to_owned()),
            ("AccessKeyId".to_owned(), creds.access_key_id().to_owned()),
            ("SignatureMethod".to_owned(), "HMAC-SHA1".to_owned()),
            ("SignatureVersion".to_owned(), "1.0".to_owned()),
            ("SignatureNonce".to_owned(), nonce.to_owned()),
            ("Timestamp".to_owned(), crate::codec::time::iso8601(ctx.now)),
        ]);
        // The configured region fills in only for an action without a `RegionId` of its
        // own (as the official SDKs do): a parameter is never sent twice.
        if let Some(r) = ctx
            .region()
            .filter(|_| !params.iter().chain(req.form).any(|(k, _)| k == "RegionId"))
        {
            params.push(("RegionId".to_owned(), r.to_owned()));
        }
        if let Some(t) = creds.token() {
            params.push(("SecurityToken".to_owned(), t.to_owned()));
        }
        let signed: Vec<(String, String)> = params.iter().chain(req.form).cloned().collect();
        let sts = sign::rpc::string_to_sign(req.method, &signed);
        params.push((
            "Signature".to_owned(),
            sign::rpc::signature(&sts, creds.secret()),
        ));
        let (body, headers) = req.body();
        HttpRequest {
            method: req.method,
            url: format!("{}/?{}", ctx.base_url, sign::rpc::encode_query(&params)),
            headers,
            body,
        }
    }

    /// ACS3: `Action` and `Version` travel in headers, the action's own parameters in the
    /// query, its body parameters in a form body (`content-type` signed, the body hashed).
    /// XML is asked for with `Format=XML` in the (signed) query, the way the official SDKs
    /// carry `Format` with ACS3; JSON, the server's default, sends none, as the official
    /// SDKs do.
    fn sign_acs3(ctx: &RequestContext<'_>, req: &RpcRequest<'_>, nonce: &str) -> HttpRequest {
        let mut params: Vec<(String, String)> = req
            .query
            .iter()
            .filter(|(k, _)| k != "Action" && k != "Version")
            .cloned()
            .collect();
        if ctx.format == Format::Xml {
            params.push(("Format".to_owned(), format_param(Format::Xml).to_owned()));
        }
        let (body, headers) = req.body();
        let input = acs3::Input {
            method: req.method,
            path: "/",
            query: &params,
            headers: &headers,
            body: &body,
            action: ctx.operation.action,
            version: ctx.service.version,
            host: ctx.host,
            now: ctx.now,
            nonce,
        };
        let headers = acs3::signed_headers(&input, ctx.credentials());
        let url = super::url_with_query(ctx.base_url, "/", &params);
        HttpRequest {
            method: req.method,
            url,
            headers,
            body,
        }
    }

    /// Checks an HMAC-SHA1 signature in the parameters (query and form): the string to
    /// sign covers the method and every parameter but `Signature` (the path is not
    /// signed); `Timestamp` must be within the window and `SignatureNonce` sent.
    fn verify_hmac_sha1(
        request: &ReceivedRequest,
        keys: &dyn CredentialLookup,
        now: i64,
        options: &VerifyOptions,
    ) -> Result<Verified, VerifyError> {
        use VerifyErrorKind as K;
        let signature = request.param("Signature").ok_or_else(|| {
            acs3::incomplete_signature(
                K::Missing,
                "neither a Signature parameter nor an ACS3-HMAC-SHA256 Authorization header.",
            )
        })?;
        let id = request.param("AccessKeyId").unwrap_or("");
        let creds = keys.find(id).ok_or_else(acs3::unknown_access_key)?;
        let ts = acs3::signed_time(request.param("Timestamp"), "Timestamp", now, options)?;
        let nonce = acs3::signed_nonce(request.param("SignatureNonce"), "SignatureNonce")?;
        let sts = sign::rpc::string_to_sign(&request.method, &request.params());
        let expected = sign::rpc::signature(&sts, creds.secret());
        if !sign::same(&expected, signature) {
            let message = format!("Specified signature is not matched with our calculation. server string to sign is:{sts}");
            return Err(
                VerifyError::new(K::Mismatch, "SignatureDoesNotMatch", message, 400)
                    .with_canonical(sts),
            );
        }
        Ok(Verified {
            access_key_id: id.to_owned(),
            signing: Signing::HmacSha1,
            timestamp: ts,
            nonce: Some(nonce),
        })
    }
}

/// Whether the request asked for XML (`Format=XML`).
#[cfg(feature = "stub-server")]
fn wants_xml(request: &ReceivedRequest) -> bool {
    request
        .param("Format")
        .is_some_and(|f| f.eq_ignore_ascii_case("XML"))
}

impl WireProtocol for Rpc {
    fn name(&self) -> &'static str {
        Protocol::Rpc.name()
    }

    /// Query parameters in the query, body parameters in a form body, structures and
    /// lists flattened with indexes from 1 (`Tag.1.Key`), JSON-style parameters as one
    /// JSON text, as alibabacloud-tea-openapi sends them. A POST without body parameters
    /// (most actions) is a [`Payload::Query`]: `Action`, `Version`, then the parameters;
    /// another method (`GET`, `PUT`…) or a form body is a [`Payload::Rest`] to `/` with the
    /// layout's method, whose query leaves `Action` and `Version` to the signer.
    fn lay_out(&self, request: &OutgoingRequest) -> Payload {
        let layout = request.layout;
        // The caller's bytes as the body (OCR's images), the parameters in the query.
        let raw = layout
            .at(Position::Body)
            .next()
            .and_then(|p| request.value.get(p.name))
            .filter(|v| !v.is_null())
            .and_then(|blob| Body::raw(layout.body, Some(blob)));
        let mut form = Query::default();
        if raw.is_none() {
            layout.flatten(&request.value, &[Position::Body], Base::One, &mut form.0);
            if layout.method == "POST" && form.0.is_empty() {
                let mut q = Query::new(request.action, request.version);
                layout.flatten(&request.value, &[Position::Query], Base::One, &mut q.0);
                return Payload::Query(q);
            }
        }
        let mut rest = RestRequest::new(layout.method, "/");
        layout.flatten(
            &request.value,
            &[Position::Query],
            Base::One,
            &mut rest.query.0,
        );
        rest.body = match raw {
            Some(raw) => raw,
            None if form.0.is_empty() => Body::Empty,
            None => Body::Form(form),
        };
        Payload::Rest(rest)
    }

    /// Signs a [`Payload::Query`] (a POST) or a [`Payload::Rest`] to `/` with no path
    /// parameters, headers or host parameter and an empty or form body (the action's
    /// method); anything else is [`PayloadError::Unsupported`].
    fn sign(
        &self,
        ctx: &RequestContext<'_>,
        payload: &Payload,
    ) -> Result<HttpRequest, PayloadError> {
        let req = RpcRequest::from_payload(ctx, payload)
            .ok_or_else(|| PayloadError::unsupported(self, payload))?;
        let nonce = super::nonce();
        // A raw body is signed with ACS3 whatever the configured signing: HMAC-SHA1 covers
        // parameters only, and the official SDKs send such a body only through ACS3
        // (`do_request`: `stream`, hashed into `x-acs-content-sha256`).
        Ok(
            if req.raw.is_some() || ctx.signing() == Signing::Acs3HmacSha256 {
                Self::sign_acs3(ctx, &req, &nonce)
            } else {
                Self::sign_hmac_sha1(ctx, &req, &nonce)
            },
        )
    }

    /// Only a non-2xx response is an error: success bodies may carry `"Code": "OK"`.
    /// An XML body is an error when it has a `Code`, `Message` or `RequestId`.
    fn parse_error(
        &self,
        http_status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<ErrorMetadata> {
        if (200..300).contains(&http_status) {
            return None;
        }
        if body.trim_ascii_start().starts_with(b"<") {
            let value = crate::codec::xml::to_value(body, "Error").ok()?;
            let fields = value.as_object()?;
            if !["Code", "Message", "RequestId"]
                .iter()
                .any(|k| fields.contains_key(*k))
            {
                return None;
            }
            return Some(error_from_fields(fields, http_status, headers, None));
        }
        parse_json_error(http_status, headers, body)
    }

    fn json_envelope(&self) -> Envelope {
        Protocol::Rpc.descriptor().success
    }

    fn success_layout(&self, action: &str, format: Format) -> ResponseLayout {
        match format {
            Format::Json => ResponseLayout::Json(Envelope::Bare),
            Format::Xml => ResponseLayout::Xml {
                root: format!("{action}Response"),
            },
        }
    }
}

impl WireVerify for Rpc {
    fn default_window_secs(&self) -> i64 {
        Protocol::Rpc.descriptor().window_secs
    }

    /// ACS3 when the request carries an `ACS3-HMAC-SHA256` `Authorization` header,
    /// HMAC-SHA1 in the parameters otherwise.
    fn verify(
        &self,
        request: &ReceivedRequest,
        keys: &dyn CredentialLookup,
        now: i64,
        options: &VerifyOptions,
    ) -> Result<Verified, VerifyError> {
        match request.header("authorization") {
            Some(auth) if auth.starts_with("ACS3-HMAC-SHA256 ") => {
                acs3::verify(request, auth, keys, now, options)
            }
            _ => Self::verify_hmac_sha1(request, keys, now, options),
        }
    }
}

#[cfg(feature = "stub-server")]
impl WireServer for Rpc {
    fn read_request(
        &self,
        layout: &crate::protocol::layout::RequestLayout,
        request: &crate::protocol::Incoming,
    ) -> Result<serde_json::Value, crate::codec::flat::FlatError> {
        let mut value = layout.unflatten_declared(&request.params.0, Base::One)?;
        // A raw body is the one body parameter's bytes, as a `Blob` reads them back.
        if let (Some((name, bytes)), serde_json::Value::Object(obj)) =
            (super::raw_body_param(layout, &request.body), &mut value)
        {
            obj.insert(name, bytes);
        }
        Ok(value)
    }

    fn action(&self, request: &ReceivedRequest) -> Option<String> {
        Protocol::Rpc
            .descriptor()
            .action_of(|h| request.header(h), |p| request.param(p))
            .map(str::to_owned)
    }

    fn invalid_value_code(&self) -> &'static str {
        "InvalidParameter"
    }

    fn error_response(
        &self,
        service: &Service,
        request: &ReceivedRequest,
        error: &ErrorMetadata,
    ) -> HttpResponse {
        let body = error_body(service, error);
        if wants_xml(request) {
            HttpResponse::new(
                error.http_status(),
                "application/xml",
                crate::codec::xml::from_json("Error", &body).into_bytes(),
            )
        } else {
            HttpResponse::new(
                error.http_status(),
                "application/json",
                serde_json::to_vec(&body).unwrap_or_default(),
            )
        }
    }

    fn success_response(
        &self,
        request: &ReceivedRequest,
        action: &str,
        mut body: Value,
        request_id: &str,
    ) -> HttpResponse {
        super::with_request_id(&mut body, request_id);
        if wants_xml(request) {
            HttpResponse::new(
                200,
                "application/xml",
                crate::codec::xml::from_json(&format!("{action}Response"), &body).into_bytes(),
            )
        } else {
            HttpResponse::new(
                200,
                "application/json",
                serde_json::to_vec(&body).unwrap_or_default(),
            )
        }
    }

    fn example_response(
        &self,
        request: &ReceivedRequest,
        json: &str,
        xml: Option<&str>,
    ) -> HttpResponse {
        let json_response = || HttpResponse::new(200, "application/json", json.as_bytes().to_vec());
        if !wants_xml(request) {
            return json_response();
        }
        if let Some(x) = xml {
            return HttpResponse::new(200, "application/xml", x.as_bytes().to_vec());
        }
        // A document with a JSON example only: the same example as XML, as a typed
        // reply would be.
        match (serde_json::from_str::<Value>(json), self.action(request)) {
            (Ok(value), Some(action)) => HttpResponse::new(
                200,
                "application/xml",
                crate::codec::xml::from_json(&format!("{action}Response"), &value).into_bytes(),
            ),
            _ => json_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::config::Config;
    use crate::credentials::Credentials;
    use crate::protocol::layout::Query;
    use crate::protocol::testing::{self, sign};
    use crate::protocol::Protocol;
    #[cfg(not(feature = "stub-server"))]
    use serde_json::{json, Value};

    fn now() -> i64 {
        crate::codec::time::now()
    }

    fn signed(signing: Signing, creds: Credentials, format: Format) -> HttpRequest {
        let service = testing::service(Protocol::Rpc, Signing::HmacSha1);
        let config = Config::builder(creds)
            .signing(signing)
            .format(format)
            .build();
        let mut query = Query::new("ListThings", "2020-07-01");
        query.push("PageSize", &10i64);
        query.push("Name", &"a b*c~".to_owned());
        sign(&service, &config, &Payload::Query(query), now()).unwrap()
    }

    /// The signing time and nonce of the expected signatures below.
    const AT: i64 = 1_456_231_584; // 2016-02-23T12:46:24Z
    const NONCE: &str = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";

    const fn param(name: &'static str, position: Position) -> crate::protocol::layout::WireParam {
        crate::protocol::layout::WireParam {
            name,
            position,
            style: crate::codec::flat::Style::Flat,
        }
    }

    static PARAMS: [crate::protocol::layout::WireParam; 4] = [
        param("ConnectionId", Position::Query),
        param("PageSize", Position::Query),
        param("Content", Position::Query),
        param("Note", Position::Body),
    ];

    /// An action sent with `method`: `ConnectionId`/`PageSize` and `Content` in the query,
    /// `Note` in the body.
    const fn layout(method: &'static str) -> crate::protocol::layout::RequestLayout {
        crate::protocol::layout::RequestLayout {
            method,
            path: "/",
            body: crate::protocol::layout::BodyFormat::Json,
            params: &PARAMS,
        }
    }
    static PUT: crate::protocol::layout::RequestLayout = layout("PUT");
    static GET: crate::protocol::layout::RequestLayout = layout("GET");
    static POST: crate::protocol::layout::RequestLayout = layout("POST");

    fn laid_out(layout: &'static crate::protocol::layout::RequestLayout, value: Value) -> Payload {
        Rpc.lay_out(&OutgoingRequest {
            action: "ListThings",
            version: "2020-07-01",
            layout,
            value,
        })
    }

    /// Signs `payload` as `testid`/`testsecret` at [`AT`] with [`NONCE`].
    fn signed_at(signing: Signing, payload: &Payload) -> HttpRequest {
        let service = testing::service(Protocol::Rpc, signing);
        let config = Config::builder(Credentials::new("testid", "testsecret")).build();
        let ctx = crate::client::request_context(
            &config,
            &service,
            &testing::OPERATION,
            "http://127.0.0.1:8080",
            "127.0.0.1:8080",
            AT,
            config.credentials.as_static().unwrap(),
        );
        let req = RpcRequest::from_payload(&ctx, payload).unwrap();
        match signing {
            Signing::Acs3HmacSha256 => Rpc::sign_acs3(&ctx, &req, NONCE),
            _ => Rpc::sign_hmac_sha1(&ctx, &req, NONCE),
        }
    }

    fn query_param<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
        let query = req.url.split_once('?')?.1;
        query
            .split('&')
            .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
    }

    fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The expected signatures are alibabacloud-tea-openapi 0.4.6's own (`Utils.get_rpcsignature`
    /// over the query merged with the body's parameters, as `do_rpcrequest` signs;
    /// `Utils.get_authorization` over the method, `/`, the query and the headers sent, as
    /// `do_request` signs), for testid/testsecret at 2016-02-23T12:46:24Z with the nonce
    /// 3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf, Action ListThings, Version 2020-07-01,
    /// RegionId cn-shanghai, host 127.0.0.1:8080:
    ///
    /// ```python
    /// from alibabacloud_tea_openapi.utils import Utils
    /// common = {"Action": "ListThings", "Version": "2020-07-01", "Format": "JSON",
    ///   "AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
    ///   "SignatureNonce": NONCE, "Timestamp": "2016-02-23T12:46:24Z", "RegionId": "cn-shanghai"}
    /// Utils.get_rpcsignature(dict(common, ConnectionId="1", Content="a b*c~"), "PUT", "testsecret")
    /// # TUV03wQbrNgGLys5+1yOqxlN2es=
    /// Utils.get_rpcsignature(dict(common, PageSize="10", Note="a b*c~"), "GET", "testsecret")
    /// # 6XzhmzS9GJm/Wf44QUdcHSnvsOo=
    /// # get_authorization(req, "ACS3-HMAC-SHA256", sha256(body).hex(), "testid", "testsecret"),
    /// # req.method / pathname "/" / query / headers {host, x-acs-action, x-acs-version,
    /// # x-acs-date, x-acs-signature-nonce, x-acs-content-sha256[, content-type]}:
    /// # PUT, query {ConnectionId: "1", Content: "a b*c~"}, empty body:
    /// #   Signature=18c165d7cb588fe114b2ac097335371f5b61e85ff31c8219caa1242babfa8621
    /// # POST, query {PageSize: "10"}, body b"Note=a%20b%2Ac~" (application/x-www-form-urlencoded):
    /// #   Signature=b3e610d1eb0f93644c741f25ba15c0d9326a85a95a43eb38f68df147d147f76f
    /// ```
    #[test]
    fn the_actions_method_and_form_body_are_sent_and_signed_as_the_official_sdk_signs_them() {
        let put = laid_out(&PUT, json!({"ConnectionId": "1", "Content": "a b*c~"}));
        let Payload::Rest(rest) = &put else {
            panic!("a PUT action is a RESTful request to /: {put:?}")
        };
        assert_eq!(
            (rest.method, rest.path, &rest.body),
            ("PUT", "/", &Body::Empty)
        );

        let req = signed_at(Signing::HmacSha1, &put);
        assert_eq!(req.method, "PUT");
        assert!(req.body.is_empty() && req.headers.is_empty(), "{req:?}");
        assert_eq!(
            query_param(&req, "Signature"),
            Some("TUV03wQbrNgGLys5%2B1yOqxlN2es%3D")
        );
        assert_eq!(query_param(&req, "Action"), Some("ListThings"));

        let get = laid_out(&GET, json!({"PageSize": 10, "Note": "a b*c~"}));
        let req = signed_at(Signing::HmacSha1, &get);
        assert_eq!(req.method, "GET");
        assert_eq!(
            query_param(&req, "Signature"),
            Some("6XzhmzS9GJm%2FWf44QUdcHSnvsOo%3D")
        );
        assert_eq!(query_param(&req, "Note"), None, "a body parameter");
        assert_eq!(req.body, b"Note=a%20b%2Ac~");
        assert_eq!(
            header(&req, "content-type"),
            Some("application/x-www-form-urlencoded")
        );

        let req = signed_at(Signing::Acs3HmacSha256, &put);
        assert_eq!(req.method, "PUT");
        assert_eq!(
            req.url,
            "http://127.0.0.1:8080/?ConnectionId=1&Content=a%20b%2Ac~"
        );
        assert_eq!(
            header(&req, "Authorization"),
            Some("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=18c165d7cb588fe114b2ac097335371f5b61e85ff31c8219caa1242babfa8621")
        );

        let post_form = laid_out(&POST, json!({"PageSize": 10, "Note": "a b*c~"}));
        let req = signed_at(Signing::Acs3HmacSha256, &post_form);
        assert_eq!(req.method, "POST");
        assert_eq!(req.url, "http://127.0.0.1:8080/?PageSize=10");
        assert_eq!(req.body, b"Note=a%20b%2Ac~");
        assert_eq!(
            header(&req, "Authorization"),
            Some("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=b3e610d1eb0f93644c741f25ba15c0d9326a85a95a43eb38f68df147d147f76f")
        );
    }

    #[test]
    fn a_post_without_body_parameters_stays_a_query_payload() {
        let payload = laid_out(&POST, json!({"PageSize": 10, "Content": "x"}));
        assert_eq!(
            payload,
            Payload::Query(Query(
                [
                    ("Action", "ListThings"),
                    ("Version", "2020-07-01"),
                    ("PageSize", "10"),
                    ("Content", "x")
                ]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .to_vec()
            ))
        );
        let req = signed_at(Signing::HmacSha1, &payload);
        assert_eq!((req.method, req.body.len()), ("POST", 0));
    }

    #[test]
    fn a_restful_request_elsewhere_than_slash_or_with_json_is_not_rpc() {
        let service = testing::service(Protocol::Rpc, Signing::HmacSha1);
        let config = Config::builder(Credentials::new("testid", "testsecret")).build();
        let mut json_body = RestRequest::new("PUT", "/");
        json_body.body = Body::Json(b"{}".to_vec());
        let mut header = RestRequest::new("GET", "/");
        header.headers.push(("x-acs-thing".into(), "1".into()));
        for rest in [RestRequest::new("PUT", "/things"), json_body, header] {
            assert_eq!(
                sign(&service, &config, &Payload::Rest(rest.clone()), AT),
                Err(PayloadError::Unsupported {
                    protocol: "rpc",
                    payload: "a RESTful request"
                }),
                "{rest:?}"
            );
        }
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn the_stub_verifies_with_the_received_method_and_reads_the_form_body() {
        let creds = Credentials::new("testid", "testsecret");
        let options = VerifyOptions::new(Protocol::Rpc);
        for signing in [Signing::HmacSha1, Signing::Acs3HmacSha256] {
            for payload in [
                laid_out(&PUT, json!({"ConnectionId": "1", "Content": "a b*c~"})),
                laid_out(&GET, json!({"PageSize": 10, "Note": "a b*c~"})),
                laid_out(&POST, json!({"PageSize": 10, "Note": "a b*c~"})),
            ] {
                let req = testing::received(&signed_at(signing, &payload));
                assert_eq!(
                    Rpc.verify(&req, &creds, AT, &options)
                        .map(|v| v.access_key_id),
                    Ok("testid".to_owned()),
                    "{signing:?} {payload:?}"
                );
                assert_eq!(Rpc.action(&req).as_deref(), Some("ListThings"));
                let mut other_method = req.clone();
                other_method.method = if req.method == "POST" { "PUT" } else { "POST" }.into();
                assert_eq!(
                    Rpc.verify(&other_method, &creds, AT, &options)
                        .unwrap_err()
                        .code,
                    "SignatureDoesNotMatch",
                    "{signing:?} {payload:?}: the method is signed"
                );
                if !req.form.is_empty() {
                    assert!(
                        Rpc.handler_params(&req)
                            .contains(&("Note".to_owned(), "a b*c~".to_owned())),
                        "{req:?}"
                    );
                    let mut tampered = req.clone();
                    tampered.form[0].1 = "a b*c!".into();
                    tampered.body = b"Note=a%20b%2Ac%21".to_vec();
                    assert_eq!(
                        Rpc.verify(&tampered, &creds, AT, &options)
                            .unwrap_err()
                            .code,
                        "SignatureDoesNotMatch",
                        "{signing:?}: the body is signed"
                    );
                }
            }
        }
    }

    #[test]
    fn hmac_sha1_signs_the_query() {
        let req = signed(
            Signing::HmacSha1,
            Credentials::new("testid", "testsecret").with_token("sts"),
            Format::Xml,
        );
        assert!(req.headers.is_empty() && req.body.is_empty());
        let query = req.url.split_once('?').unwrap().1;
        for part in [
            "Action=ListThings",
            "Version=2020-07-01",
            "Name=a%20b%2Ac~",
            "Format=XML",
            "SignatureMethod=HMAC-SHA1",
            "RegionId=cn-shanghai",
            "SecurityToken=sts",
            "Signature=",
        ] {
            assert!(query.contains(part), "{part} in {query}");
        }
    }

    #[test]
    fn hmac_sha1_keeps_the_actions_own_region_id() {
        let service = testing::service(Protocol::Rpc, Signing::HmacSha1);
        let config = Config::builder(Credentials::new("testid", "testsecret"))
            .region("cn-hangzhou")
            .build();
        let mut query = Query::new("InvokeCommand", "2014-05-26");
        query.push("RegionId", &"cn-shanghai".to_owned());
        let req = sign(&service, &config, &Payload::Query(query), now()).unwrap();
        let regions: Vec<&str> = req
            .url
            .split_once('?')
            .unwrap()
            .1
            .split('&')
            .filter(|p| p.starts_with("RegionId="))
            .collect();
        assert_eq!(regions, ["RegionId=cn-shanghai"]);
    }

    #[test]
    fn acs3_moves_action_and_version_to_headers() {
        let req = signed(
            Signing::Acs3HmacSha256,
            Credentials::new("testid", "testsecret"),
            Format::Json,
        );
        assert_eq!(
            req.url,
            "http://127.0.0.1:8080/?PageSize=10&Name=a%20b%2Ac~"
        );
        let header = |n: &str| {
            req.headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(
            (header("x-acs-action"), header("x-acs-version")),
            (Some("ListThings"), Some("2020-07-01"))
        );
        assert!(header("Authorization").unwrap().starts_with(
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="
        ));
        assert_eq!(req.headers.last().unwrap().0, "Authorization");
        assert!(header("host").is_none(), "the transport sends the host");
    }

    #[test]
    fn acs3_asks_for_xml_with_a_signed_format_parameter() {
        let creds = Credentials::new("testid", "testsecret");
        let xml = signed(Signing::Acs3HmacSha256, creds.clone(), Format::Xml);
        assert_eq!(
            xml.url,
            "http://127.0.0.1:8080/?PageSize=10&Name=a%20b%2Ac~&Format=XML"
        );
        assert!(xml.headers.iter().all(|(k, _)| k != "Format"));
        let json = signed(Signing::Acs3HmacSha256, creds, Format::Json);
        assert!(!json.url.contains("Format"), "{}", json.url);
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn the_stub_answers_xml_to_both_signatures_when_asked() {
        let creds = Credentials::new("testid", "testsecret");
        let service = testing::service(Protocol::Rpc, Signing::HmacSha1);
        let example_json = r#"{"TotalCount":"3","RequestId":"ex"}"#;
        let example_xml = "<ListThingsResponse><TotalCount>3</TotalCount></ListThingsResponse>";
        for signing in [Signing::HmacSha1, Signing::Acs3HmacSha256] {
            for format in [Format::Json, Format::Xml] {
                let req = testing::received(&signed(signing, creds.clone(), format));
                assert_eq!(
                    Rpc.verify(&req, &creds, now(), &VerifyOptions::new(Protocol::Rpc))
                        .map(|v| v.access_key_id),
                    Ok("testid".to_owned()),
                    "{signing:?} {format:?}"
                );
                let mut tampered = req.clone();
                tampered.query.retain(|(k, _)| k != "Format");
                if format == Format::Xml {
                    assert_eq!(
                        Rpc.verify(&tampered, &creds, now(), &VerifyOptions::new(Protocol::Rpc))
                            .unwrap_err()
                            .code,
                        "SignatureDoesNotMatch",
                        "{signing:?}: Format is signed"
                    );
                }
                let expected = match format {
                    Format::Json => "application/json",
                    Format::Xml => "application/xml",
                };
                let ok = Rpc.success_response(&req, "ListThings", json!({"TotalCount": "3"}), "s");
                let example = Rpc.example_response(&req, example_json, Some(example_xml));
                let error = Rpc.error_response(
                    &service,
                    &req,
                    &ErrorMetadata::new("Throttling", "later", Some("e".into()), 503),
                );
                for (what, resp) in [("success", &ok), ("example", &example), ("error", &error)] {
                    assert_eq!(
                        resp.header("content-type"),
                        Some(expected),
                        "{signing:?} {format:?} {what}"
                    );
                }
                let layout = Rpc.success_layout("ListThings", format);
                let v: Value =
                    crate::codec::response::decode_response_serde(&layout, &ok.body).unwrap();
                assert_eq!(v["TotalCount"], "3", "{signing:?} {format:?}");
                if format == Format::Xml {
                    assert_eq!(example.body, example_xml.as_bytes());
                }
                // Without an XML example, the JSON one is converted when XML is asked for.
                let converted = Rpc.example_response(&req, example_json, None);
                assert_eq!(
                    converted.header("content-type"),
                    Some(expected),
                    "{signing:?} {format:?} example without XML"
                );
                let v: Value =
                    crate::codec::response::decode_response_serde(&layout, &converted.body)
                        .unwrap();
                assert_eq!(
                    (&v["TotalCount"], &v["RequestId"]),
                    (&json!("3"), &json!("ex")),
                    "{signing:?} {format:?}"
                );
            }
        }
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn the_stub_accepts_both_signatures_the_client_makes_and_refuses_others() {
        let creds = Credentials::new("testid", "testsecret");
        for signing in [Signing::HmacSha1, Signing::Acs3HmacSha256] {
            let req = testing::received(&signed(signing, creds.clone(), Format::Json));
            assert_eq!(
                Rpc.action(&req).as_deref(),
                Some("ListThings"),
                "{signing:?}"
            );
            assert_eq!(
                Rpc.verify(&req, &creds, now(), &VerifyOptions::new(Protocol::Rpc))
                    .map(|v| v.access_key_id),
                Ok("testid".to_owned()),
                "{signing:?}"
            );

            let refused = |req: &ReceivedRequest, keys: &Credentials, at: i64| {
                Rpc.verify(req, keys, at, &VerifyOptions::new(Protocol::Rpc))
                    .map(|_| ())
                    .map_err(|e| (e.kind, e.code, e.http_status))
            };
            let wrong = Err((VerifyErrorKind::Mismatch, "SignatureDoesNotMatch", 400));
            assert_eq!(
                refused(&req, &Credentials::new("testid", "nope"), now()),
                wrong,
                "{signing:?}"
            );
            assert_eq!(
                refused(&req, &Credentials::new("other", "testsecret"), now()),
                Err((
                    VerifyErrorKind::UnknownAccessKey,
                    "InvalidAccessKeyId.NotFound",
                    404
                ))
            );
            assert_eq!(
                refused(&req, &creds, now() + 901),
                Err((VerifyErrorKind::Expired, "InvalidTimeStamp.Expired", 400)),
                "{signing:?}"
            );
            let mut tampered = req.clone();
            let page = tampered
                .query
                .iter_mut()
                .find(|(k, _)| k == "PageSize")
                .unwrap();
            page.1 = "100".into();
            assert_eq!(refused(&tampered, &creds, now()), wrong, "{signing:?}");
        }
        let mut unsigned =
            testing::received(&signed(Signing::HmacSha1, creds.clone(), Format::Json));
        unsigned.query.retain(|(k, _)| k != "Signature");
        assert_eq!(
            Rpc.verify(&unsigned, &creds, now(), &VerifyOptions::new(Protocol::Rpc))
                .unwrap_err()
                .code,
            "IncompleteSignature"
        );
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn the_stub_reads_a_space_written_as_plus_as_the_official_sdks_send_it() {
        // alibabacloud-tea-openapi writes the query with Python's `urlencode`: `Name=a+b`.
        let creds = Credentials::new("testid", "testsecret");
        for signing in [Signing::HmacSha1, Signing::Acs3HmacSha256] {
            let mut sent = signed(signing, creds.clone(), Format::Json);
            sent.url = sent.url.replace("%20", "+");
            assert!(sent.url.contains("Name=a+b%2Ac~"), "{}", sent.url);
            let req = testing::received(&sent);
            assert_eq!(req.param("Name"), Some("a b*c~"), "{signing:?}");
            assert!(
                Rpc.verify(
                    &req,
                    &creds,
                    now(),
                    &crate::protocol::verify::VerifyOptions::new(Protocol::Rpc)
                )
                .is_ok(),
                "{signing:?}"
            );
        }
    }

    #[test]
    fn json_error_envelopes_parse_only_with_an_error_status() {
        let body = br#"{"RequestId":"r-1","HostId":"ccc.aliyuncs.com","Code":"Throttling.User","Message":"slow down","Recommend":"https://x"}"#;
        let m = Rpc.parse_error(400, &[], body).unwrap();
        assert_eq!(
            (m.code(), m.message(), m.request_id(), m.http_status()),
            ("Throttling.User", "slow down", Some("r-1"), 400)
        );
        assert_eq!(
            (m.host_id(), m.recommend()),
            (Some("ccc.aliyuncs.com"), Some("https://x"))
        );
        assert!(Rpc
            .parse_error(200, &[], br#"{"Code":"OK","RequestId":"r"}"#)
            .is_none());
        assert_eq!(
            Rpc.parse_error(404, &[], b"{}")
                .map(|m| m.code().to_owned()),
            Some(String::new())
        );
        assert!(Rpc.parse_error(400, &[], b"").is_none());
        let headers = vec![("x-acs-request-id".to_owned(), "r-h".to_owned())];
        let m = Rpc
            .parse_error(503, &headers, br#"{"code":"ServiceUnavailable"}"#)
            .unwrap();
        assert_eq!(
            (m.code(), m.request_id()),
            ("ServiceUnavailable", Some("r-h"))
        );
    }

    #[test]
    fn xml_error_envelopes_parse_and_html_pages_do_not() {
        let body = b"<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>r-2</RequestId><HostId>h</HostId><Code>SignatureDoesNotMatch</Code><Message>a &amp; b</Message></Error>";
        let m = Rpc.parse_error(400, &[], body).unwrap();
        assert_eq!(
            (m.code(), m.message(), m.request_id(), m.host_id()),
            ("SignatureDoesNotMatch", "a & b", Some("r-2"), Some("h"))
        );
        assert!(Rpc.parse_error(200, &[], body).is_none());
        assert!(Rpc
            .parse_error(502, &[], b"<html><body>502 Bad Gateway</body></html>")
            .is_none());
        assert!(Rpc.parse_error(502, &[], b"<Error>").is_none());
    }

    #[test]
    fn xml_successes_are_wrapped_in_the_action_response() {
        assert_eq!(
            Rpc.success_layout("ListThings", Format::Xml),
            ResponseLayout::Xml {
                root: "ListThingsResponse".into()
            }
        );
        assert_eq!(
            Rpc.success_layout("ListThings", Format::Json),
            ResponseLayout::Json(Envelope::Bare)
        );
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn rendered_errors_read_back_in_json_and_xml() {
        let service = testing::service(Protocol::Rpc, Signing::HmacSha1);
        let error = ErrorMetadata::new("Throttling", "later", Some("stub-1".into()), 503);
        for format in [Format::Json, Format::Xml] {
            let req = testing::received(&signed(
                Signing::HmacSha1,
                Credentials::new("id", "s"),
                format,
            ));
            let resp = Rpc.error_response(&service, &req, &error);
            assert_eq!(resp.status, 503);
            let expected_type = if format == Format::Xml {
                "application/xml"
            } else {
                "application/json"
            };
            assert_eq!(resp.header("content-type"), Some(expected_type));
            let back = Rpc
                .parse_error(resp.status, &resp.headers, &resp.body)
                .unwrap();
            assert_eq!(
                (
                    back.code(),
                    back.message(),
                    back.request_id(),
                    back.http_status()
                ),
                ("Throttling", "later", Some("stub-1"), 503)
            );
            assert_eq!(back.host_id(), Some("api.example.com"));
            assert_eq!(
                back.recommend(),
                Some("https://api.aliyun.com/troubleshoot?q=Throttling")
            );
        }
    }

    #[cfg(feature = "stub-server")]
    #[test]
    fn rendered_successes_decode_in_json_and_xml() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Things {
            #[serde(rename = "TotalCount")]
            total_count: String,
            #[serde(rename = "RequestId")]
            request_id: String,
        }
        for format in [Format::Json, Format::Xml] {
            let req = testing::received(&signed(
                Signing::HmacSha1,
                Credentials::new("id", "s"),
                format,
            ));
            let resp =
                Rpc.success_response(&req, "ListThings", json!({"TotalCount": "3"}), "stub-2");
            let layout = Rpc.success_layout("ListThings", format);
            let things: Things =
                crate::codec::response::decode_response_serde(&layout, &resp.body).unwrap();
            assert_eq!(
                things,
                Things {
                    total_count: "3".into(),
                    request_id: "stub-2".into()
                },
                "{format:?}"
            );
        }
    }

    static OCR_PARAMS: [crate::protocol::layout::WireParam; 2] =
        [param("Url", Position::Query), param("body", Position::Body)];

    /// Alibaba OCR's `RecognizeAdvanced`: the parameters in the query, the image as the body.
    static OCR: crate::protocol::layout::RequestLayout = crate::protocol::layout::RequestLayout {
        method: "POST",
        path: "/",
        body: crate::protocol::layout::BodyFormat::Binary,
        params: &OCR_PARAMS,
    };

    #[test]
    fn a_raw_body_is_sent_as_its_bytes_and_signed_with_acs3_whatever_the_configured_signing() {
        let bytes = vec![0x89, b'P', b'N', b'G', 0x00, 0xff];
        let blob = crate::codec::scalar::Blob::new(bytes.clone()).to_base64();
        let payload = Rpc.lay_out(&OutgoingRequest {
            action: "RecognizeAdvanced",
            version: "2021-07-07",
            layout: &OCR,
            value: serde_json::json!({"Url": "u", "body": blob}),
        });
        let Payload::Rest(rest) = &payload else {
            panic!("a raw body is a request to / with a body: {payload:?}")
        };
        assert_eq!(
            rest.body,
            Body::Raw {
                content_type: "application/octet-stream",
                bytes: bytes.clone()
            }
        );
        assert_eq!(rest.query.0, [("Url".to_owned(), "u".to_owned())]);
        // The product signs with HMAC-SHA1; the raw body goes with ACS3, as the SDK's
        // `do_request` sends a stream.
        let service = testing::service(Protocol::Rpc, Signing::HmacSha1);
        let creds = Credentials::new("testid", "testsecret");
        let config = Config::builder(creds.clone()).build();
        let req = sign(&service, &config, &payload, now()).unwrap();
        assert_eq!(req.body, bytes);
        assert!(
            header(&req, "authorization").is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256 ")),
            "{req:?}"
        );
        assert_eq!(
            header(&req, "content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(
            header(&req, "x-acs-content-sha256"),
            Some(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)).as_str())
        );
        assert_eq!(query_param(&req, "Url"), Some("u"));
        assert_eq!(query_param(&req, "Signature"), None);
        #[cfg(feature = "stub-server")]
        {
            let received = testing::received(&req);
            assert_eq!(
                Rpc.verify(&received, &creds, now(), &VerifyOptions::new(Protocol::Rpc))
                    .map(|v| v.access_key_id),
                Ok("testid".to_owned())
            );
            let incoming = crate::protocol::Incoming {
                action: "RecognizeAdvanced".into(),
                method: "POST".into(),
                path: "/".into(),
                params: rest.query.clone(),
                headers: Vec::new(),
                body: bytes.clone(),
            };
            assert_eq!(
                Rpc.read_request(&OCR, &incoming).unwrap(),
                serde_json::json!({"Url": "u", "body": crate::codec::scalar::Blob::new(bytes).to_base64()})
            );
        }
    }
}
