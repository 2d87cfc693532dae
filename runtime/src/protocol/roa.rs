//! Alibaba Cloud ROA (RESTful): an action is an HTTP method on a path whose `{Name}`
//! segments carry parameters (percent-encoded), with query parameters, the action's own
//! headers and a JSON or form body, signed with ACS3-HMAC-SHA256 (`Action` and `Version`
//! in `x-acs-*` headers), as `alibabacloud_tea_openapi`'s `do_request` lays out style
//! `ROA`. Successes are the top-level JSON value (no XML); errors come with 4xx/5xx as a
//! JSON object, `{code, message, requestId, data}` from the product or
//! `{Code, Message, RequestId, HostId, Recommend}` from the gateway, the request id also
//! in the `x-acs-request-id` header.

use super::Protocol;
#[cfg(feature = "stub-server")]
use super::WireServer;
use super::{acs3, rpc};
use super::{
    Body, Envelope, Payload, PayloadError, RequestContext, RestRequest, WireProtocol, WireVerify,
};
use crate::codec::flat::Base;
use crate::http::HttpRequest;
use crate::protocol::error::ErrorMetadata;
use crate::protocol::layout::{BodyFormat, OutgoingRequest, Position, Query};
use crate::protocol::service::Signing;

use super::{CredentialLookup, ReceivedRequest, Verified, VerifyError};
#[cfg(feature = "stub-server")]
use crate::http::HttpResponse;
#[cfg(feature = "stub-server")]
use crate::protocol::service::Service;
use crate::protocol::verify::VerifyOptions;
#[cfg(feature = "stub-server")]
use serde_json::{json, Value};

/// The `content-type` of a JSON body, as the official SDKs send it.
const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// The header the request id travels in, besides the body.
#[cfg(feature = "stub-server")]
const REQUEST_ID_HEADER: &str = "x-acs-request-id";

/// Alibaba Cloud ROA.
#[derive(Debug)]
pub(super) struct Roa;

impl super::sealed::Sealed for Roa {}

impl Roa {
    /// Lays out and signs `rest` with `nonce` as `x-acs-signature-nonce`.
    ///
    /// The URL's path is [`RestRequest::expand_path`] (also the canonical URI), the query
    /// is encoded as Alibaba Cloud encodes it (`%20`, `%2A`, `~` kept) in the request's
    /// order (the signature sorts it). Signed: `host`, `accept`, `content-type` when
    /// there is a body, every `x-acs-*` header and the action's own headers.
    fn layout(
        ctx: &RequestContext<'_>,
        rest: &RestRequest,
        nonce: &str,
    ) -> Result<HttpRequest, PayloadError> {
        let path = rest.expand_path()?;
        let (body, content_type) = rest.body.encoded(JSON_CONTENT_TYPE);
        let mut headers = rest.own_headers(|name| {
            if acs3::SIGNER_HEADERS.contains(&name) {
                Some("the ACS3 signature sets it")
            } else if name == "content-type" && content_type.is_some() {
                Some("the body sets it")
            } else {
                None
            }
        })?;
        if let Some(ct) = content_type {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        let input = acs3::Input {
            method: rest.method,
            path: &path,
            query: &rest.query.0,
            headers: &headers,
            body: &body,
            action: ctx.operation.action,
            version: ctx.service.version,
            host: ctx.host,
            now: ctx.now,
            nonce,
        };
        let headers = acs3::signed_headers(&input, ctx.credentials());
        let url = super::url_with_query(ctx.base_url, &path, &rest.query.0);
        Ok(HttpRequest {
            method: rest.method,
            url,
            headers,
            body,
        })
    }
}

/// A path, header or other single value as text: strings as they are, numbers and
/// booleans printed; `null`, lists and objects are not single values.
pub(super) fn scalar_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A header parameter's value as its header carries it: a scalar as text; a structure,
/// list or map of `style: json` as its compact JSON text (aliding's `AccountContext:
/// {"accountId":"…"}`, as the SDKs send a shrunk header). `None`: nothing to send.
fn header_text(
    param: &crate::protocol::layout::WireParam,
    value: &serde_json::Value,
) -> Option<String> {
    match value {
        serde_json::Value::Object(_) | serde_json::Value::Array(_)
            if param.style == crate::codec::flat::Style::Json =>
        {
            serde_json::to_string(value).ok()
        }
        _ => scalar_text(value),
    }
}

/// The path parameters of `path` (as received, percent-encoded) under `template`
/// (`/clusters/{ClusterId}`), decoded; `None` when the path does not fit the template.
#[cfg(feature = "stub-server")]
pub(super) fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let t: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut out = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        match ts.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            Some(name) => {
                let value = percent_encoding::percent_decode_str(ps)
                    .decode_utf8()
                    .ok()?;
                out.push((name.to_owned(), value.into_owned()));
            }
            None if ts == ps => {}
            None => return None,
        }
    }
    Some(out)
}

/// An outgoing request as a [`RestRequest`] (ROA and Simple Log Service): path
/// parameters into the path template, query parameters flattened with indexes from 1,
/// header parameters as headers, body parameters as a JSON object or a form.
pub(super) fn rest_request(request: &OutgoingRequest) -> RestRequest {
    let layout = request.layout;
    let mut rest = RestRequest::new(layout.method, layout.template());
    for (k, v) in layout.fixed_query() {
        rest.query.0.push((k.to_owned(), v.to_owned()));
    }
    for p in layout.at(Position::Path) {
        if let Some(v) = request.value.get(p.name).and_then(scalar_text) {
            rest.path_params.push((p.name, v));
        }
    }
    for p in layout.at(Position::Header) {
        if let Some(v) = request.value.get(p.name).and_then(|v| header_text(p, v)) {
            rest.headers.push((p.name.to_owned(), v));
        }
    }
    layout.flatten(
        &request.value,
        &[Position::Query],
        Base::One,
        &mut rest.query.0,
    );
    let mut body = serde_json::Map::new();
    for p in layout.at(Position::Body) {
        if let Some(v) = request.value.get(p.name).filter(|v| !v.is_null()) {
            body.insert(p.name.to_owned(), v.clone());
        }
    }
    rest.body = match layout.body {
        _ if body.is_empty() => Body::Empty,
        BodyFormat::Value => match body.into_iter().next() {
            Some((_, value)) => Body::Json(crate::protocol::layout::to_json_body(&value)),
            None => Body::Empty,
        },
        // The one body parameter is a `Blob`, serialized as base64 in the request's tree.
        format @ (BodyFormat::Binary | BodyFormat::Protobuf) => {
            Body::raw(format, body.values().next()).unwrap_or_default()
        }
        BodyFormat::Json => Body::Json(crate::protocol::layout::to_json_body(
            &serde_json::Value::Object(body),
        )),
        BodyFormat::Form => {
            let mut form = Query::default();
            layout.flatten(
                &serde_json::Value::Object(body),
                &[Position::Body],
                Base::One,
                &mut form.0,
            );
            Body::Form(form)
        }
    };
    rest
}

/// Server side: a received RESTful request read back into a JSON object keyed by wire
/// names: the query unflattened, path segments and headers picked out, the body (JSON
/// or form) merged in.
#[cfg(feature = "stub-server")]
pub(super) fn read_rest_request(
    layout: &crate::protocol::layout::RequestLayout,
    request: &crate::protocol::Incoming,
) -> Result<Value, crate::codec::flat::FlatError> {
    use serde::de::Error as _;
    // The path's fixed query (`?action=STOP`) is no parameter.
    let fixed: Vec<(&str, &str)> = layout.fixed_query().collect();
    let params: Vec<(String, String)> = request
        .params
        .0
        .iter()
        .filter(|(k, v)| !fixed.contains(&(k.as_str(), v.as_str())))
        .cloned()
        .collect();
    let mut out = layout.unflatten_declared(&params, Base::One)?;
    let Value::Object(obj) = &mut out else {
        return Ok(out);
    };
    for (name, value) in match_path(layout.template(), &request.path).unwrap_or_default() {
        obj.insert(name, Value::String(value));
    }
    for p in layout.at(Position::Header) {
        if let Some(v) = request.header(p.name) {
            // A `style: json` header carries JSON text; a scalar's text is read as the
            // declared type reads it.
            let value = if p.style == crate::codec::flat::Style::Json {
                serde_json::from_str(v).map_err(|e| {
                    crate::codec::flat::FlatError::custom(format!(
                        "the header `{}` is not JSON text: {e}",
                        p.name
                    ))
                })?
            } else {
                Value::String(v.to_owned())
            };
            obj.insert(p.name.to_owned(), value);
        }
    }
    if layout.body.raw_content_type().is_some() {
        // A binary or protobuf body is the one body parameter's bytes, as a `Blob` reads
        // them back (base64 in the request's tree).
        obj.extend(super::raw_body_param(layout, &request.body));
    } else if !request.body.iter().all(u8::is_ascii_whitespace) {
        let json = || {
            serde_json::from_slice::<Value>(&request.body).map_err(|e| {
                crate::codec::flat::FlatError::custom(format!("the body is not JSON: {e}"))
            })
        };
        let body = match layout.body {
            BodyFormat::Json => json()?,
            BodyFormat::Form => layout.unflatten_declared(&request.form(), Base::One)?,
            BodyFormat::Value => match layout.at(Position::Body).next() {
                Some(p) => serde_json::json!({ p.name: json()? }),
                None => Value::Null,
            },
            // Read above.
            _ => Value::Null,
        };
        if let Value::Object(members) = body {
            obj.extend(members);
        }
    }
    Ok(out)
}

/// The request id a ROA success body carries (`requestId`, or `RequestId`).
#[cfg(feature = "stub-server")]
fn body_request_id(body: &Value) -> Option<&str> {
    ["requestId", "RequestId"]
        .iter()
        .find_map(|k| body.get(*k)?.as_str())
}

/// A JSON response with the request id in `x-acs-request-id` where there is one.
#[cfg(feature = "stub-server")]
fn json_response(status: u16, body: Vec<u8>, request_id: Option<&str>) -> HttpResponse {
    let mut resp = HttpResponse::new(status, "application/json", body);
    if let Some(id) = request_id {
        resp.headers
            .push((REQUEST_ID_HEADER.to_owned(), id.to_owned()));
    }
    resp
}

impl WireProtocol for Roa {
    fn name(&self) -> &'static str {
        Protocol::Roa.name()
    }

    /// Path parameters into the path template, query parameters flattened with indexes
    /// from 1, header parameters as headers, body parameters as a JSON object or a form.
    fn lay_out(&self, request: &OutgoingRequest) -> Payload {
        Payload::Rest(rest_request(request))
    }

    /// Signs with ACS3-HMAC-SHA256 only: a configured HMAC-SHA1 (the legacy ROA
    /// signature) is refused rather than silently replaced.
    fn sign(
        &self,
        ctx: &RequestContext<'_>,
        payload: &Payload,
    ) -> Result<HttpRequest, PayloadError> {
        let Payload::Rest(rest) = payload else {
            return Err(PayloadError::unsupported(self, payload));
        };
        match ctx.signing() {
            Signing::Acs3HmacSha256 => Self::layout(ctx, rest, &super::nonce()),
            signing => Err(PayloadError::UnsupportedSigning {
                protocol: self.name(),
                signing,
            }),
        }
    }

    /// Only a non-2xx response is an error; its body is a JSON object in either
    /// spelling (shared with RPC), the request id falling back to `x-acs-request-id`.
    fn parse_error(
        &self,
        http_status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<ErrorMetadata> {
        if (200..300).contains(&http_status) {
            return None;
        }
        rpc::parse_json_error(http_status, headers, body)
    }

    fn json_envelope(&self) -> Envelope {
        Protocol::Roa.descriptor().success
    }
}

impl WireVerify for Roa {
    fn default_window_secs(&self) -> i64 {
        Protocol::Roa.descriptor().window_secs
    }

    fn verify(
        &self,
        request: &ReceivedRequest,
        keys: &dyn CredentialLookup,
        now: i64,
        options: &VerifyOptions,
    ) -> Result<Verified, VerifyError> {
        acs3::verify_request(request, keys, now, options)
    }
}

#[cfg(feature = "stub-server")]
impl WireServer for Roa {
    fn read_request(
        &self,
        layout: &crate::protocol::layout::RequestLayout,
        request: &crate::protocol::Incoming,
    ) -> Result<Value, crate::codec::flat::FlatError> {
        read_rest_request(layout, request)
    }

    fn action(&self, request: &ReceivedRequest) -> Option<String> {
        Protocol::Roa
            .descriptor()
            .action_of(|h| request.header(h), |p| request.param(p))
            .map(str::to_owned)
    }

    /// The query alone: a form body is the action's body, not more parameters.
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
            "requestId": error.request_id(),
        });
        json_response(
            error.http_status(),
            serde_json::to_vec(&body).unwrap_or_default(),
            error.request_id(),
        )
    }

    fn success_response(
        &self,
        _request: &ReceivedRequest,
        _action: &str,
        mut body: Value,
        request_id: &str,
    ) -> HttpResponse {
        if let Value::Object(m) = &mut body {
            if !m.contains_key("requestId") && !m.contains_key("RequestId") {
                m.insert("requestId".to_owned(), Value::String(request_id.to_owned()));
            }
        }
        let id = body_request_id(&body).unwrap_or(request_id).to_owned();
        json_response(
            200,
            serde_json::to_vec(&body).unwrap_or_default(),
            Some(&id),
        )
    }

    fn example_response(
        &self,
        _request: &ReceivedRequest,
        json: &str,
        _xml: Option<&str>,
    ) -> HttpResponse {
        let parsed: Option<Value> = serde_json::from_str(json).ok();
        let id = parsed.as_ref().and_then(body_request_id);
        json_response(200, json.as_bytes().to_vec(), id)
    }

    fn whole_response(&self, content_type: &str, body: Vec<u8>, request_id: &str) -> HttpResponse {
        super::whole_response_with_id(content_type, body, REQUEST_ID_HEADER, request_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::config::Config;
    use crate::codec::response::ResponseLayout;
    use crate::credentials::Credentials;
    use crate::protocol::layout::Query;
    use crate::protocol::service::Service;
    use crate::protocol::sign;
    use crate::protocol::testing::{self, sign};
    use crate::protocol::Format;
    use crate::protocol::Protocol;
    use crate::protocol::ProtocolWire as _;

    /// 2023-11-14T22:13:20Z.
    const NOW: i64 = 1_700_000_000;
    const NONCE: &str = "0123456789abcdef0123456789abcdef";

    fn roa_service() -> Service {
        testing::service(Protocol::Roa, Signing::Acs3HmacSha256)
    }

    /// `rest` laid out at `NOW` with `NONCE`, as the client would send it.
    fn laid_out(creds: Credentials, rest: &RestRequest) -> HttpRequest {
        let service = roa_service();
        let config = Config::builder(creds.clone()).build();
        let ctx = crate::client::request_context(
            &config,
            &service,
            &testing::OPERATION,
            "http://127.0.0.1:8080",
            "127.0.0.1:8080",
            NOW,
            &creds,
        );
        Roa::layout(&ctx, rest, NONCE).unwrap()
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

    /// A GET whose path parameter needs encoding, with a query.
    fn get_request() -> RestRequest {
        let mut r = RestRequest::new("GET", "/clusters/{ClusterId}/nodes");
        r.path_params.push(("ClusterId", "c 1/x*".into()));
        r.query = Query(pairs(&[("pageSize", "10"), ("name", "a b")]));
        r
    }

    const JSON_BODY: &[u8] = br#"{"name":"n 1","size":3}"#;

    /// A PUT with a JSON body.
    fn json_request() -> RestRequest {
        let mut r = RestRequest::new("PUT", "/things/{Id}");
        r.path_params.push(("Id", "t-1".into()));
        r.body = Body::Json(JSON_BODY.to_vec());
        r
    }

    /// A POST with a form body, a query and a header of the action's own.
    fn form_request() -> RestRequest {
        let mut r = RestRequest::new("POST", "/things");
        r.query = Query(pairs(&[("dryRun", "true")]));
        r.headers
            .push(("X-Acs-ResourceGroup-Id".into(), "rg-1".into()));
        r.body = Body::Form(Query(pairs(&[("Name", "a b&c=d"), ("Tag.1", "x*y+z")])));
        r
    }

    // The expected `Authorization` values below were computed with the canonicalisation
    // and signing code of alibabacloud_tea_openapi 0.4.6 (`Utils.get_authorization`,
    // `get_canonical_query_string`, `get_canonicalized_headers`, `get_encode_param`) on
    // the same method, path, query, headers and body.

    /// `PUT /etls/{etlName}?action=STOP` (Simple Log Service's StopETL, laid out as ROA):
    /// a path whose document gives it a fixed query.
    static STOP_ETL: crate::protocol::layout::RequestLayout =
        crate::protocol::layout::RequestLayout {
            method: "PUT",
            path: "/etls/{etlName}?action=STOP&mode=force",
            body: crate::protocol::layout::BodyFormat::Json,
            params: &[
                crate::protocol::layout::WireParam {
                    name: "etlName",
                    position: Position::Path,
                    style: crate::codec::flat::Style::Flat,
                },
                crate::protocol::layout::WireParam {
                    name: "reason",
                    position: Position::Query,
                    style: crate::codec::flat::Style::Flat,
                },
            ],
        };

    #[test]
    fn a_paths_fixed_query_is_sent_as_query_parameters() {
        assert_eq!(STOP_ETL.template(), "/etls/{etlName}");
        assert_eq!(
            STOP_ETL.fixed_query().collect::<Vec<_>>(),
            [("action", "STOP"), ("mode", "force")]
        );
        let rest = rest_request(&OutgoingRequest {
            action: "StopETL",
            version: "2020-12-30",
            layout: &STOP_ETL,
            value: serde_json::json!({"etlName": "etl 1", "reason": "done"}),
        });
        assert_eq!(rest.path, "/etls/{etlName}");
        assert_eq!(rest.expand_path().unwrap(), "/etls/etl%201");
        assert_eq!(
            rest.query.0,
            pairs(&[("action", "STOP"), ("mode", "force"), ("reason", "done")])
        );
        // Read back, the fixed query is no parameter.
        #[cfg(feature = "stub-server")]
        {
            let incoming = crate::protocol::Incoming {
                action: "StopETL".into(),
                method: "PUT".into(),
                path: "/etls/etl%201".into(),
                params: rest.query.clone(),
                headers: Vec::new(),
                body: Vec::new(),
            };
            assert_eq!(
                read_rest_request(&STOP_ETL, &incoming).unwrap(),
                serde_json::json!({"etlName": "etl 1", "reason": "done"})
            );
        }
    }

    /// `POST /v1.0/calendar/events/attendees` (aliding's AddAttendee): a structure sent as
    /// the JSON text of a header, beside a scalar header.
    static ADD_ATTENDEE: crate::protocol::layout::RequestLayout =
        crate::protocol::layout::RequestLayout {
            method: "POST",
            path: "/v1.0/calendar/events/attendees",
            body: crate::protocol::layout::BodyFormat::Json,
            params: &[
                crate::protocol::layout::WireParam::header("AccountContext").json(),
                crate::protocol::layout::WireParam::header("X-Load-Test"),
                crate::protocol::layout::WireParam::body("EventId"),
            ],
        };

    #[test]
    fn a_json_header_carries_the_structures_json_text_and_reads_back() {
        let value = serde_json::json!({
            "AccountContext": {"accountId": "0123", "name": "张 三"},
            "X-Load-Test": true,
            "EventId": "e-1",
        });
        let rest = rest_request(&OutgoingRequest {
            action: "AddAttendee",
            version: "2023-04-26",
            layout: &ADD_ATTENDEE,
            value: value.clone(),
        });
        assert_eq!(
            rest.headers,
            pairs(&[
                ("AccountContext", r#"{"accountId":"0123","name":"张 三"}"#),
                ("X-Load-Test", "true"),
            ])
        );
        #[cfg(feature = "stub-server")]
        {
            let Body::Json(body) = &rest.body else {
                panic!("{:?}", rest.body)
            };
            let mut incoming = crate::protocol::Incoming {
                action: "AddAttendee".into(),
                method: "POST".into(),
                path: "/v1.0/calendar/events/attendees".into(),
                params: rest.query.clone(),
                headers: rest.headers.clone(),
                body: body.clone(),
            };
            let mut read = read_rest_request(&ADD_ATTENDEE, &incoming).unwrap();
            // A scalar header reads back as its text, which the declared type accepts.
            assert_eq!(read["X-Load-Test"], "true");
            read["X-Load-Test"] = serde_json::Value::Bool(true);
            assert_eq!(read, value);
            incoming.headers[0].1 = "{not json".into();
            let err = read_rest_request(&ADD_ATTENDEE, &incoming).unwrap_err();
            assert!(err.to_string().contains("`AccountContext`"), "{err}");
        }
    }

    /// `POST /logstores/{logstore}/shards/lb` with a protobuf body (Simple Log Service's
    /// PutLogs, laid out as ROA), and the same with `body: binary`.
    fn raw_body_layout(
        body: crate::protocol::layout::BodyFormat,
    ) -> &'static crate::protocol::layout::RequestLayout {
        const PARAMS: &[crate::protocol::layout::WireParam] = &[
            crate::protocol::layout::WireParam::path("logstore"),
            crate::protocol::layout::WireParam::body("body"),
        ];
        Box::leak(Box::new(crate::protocol::layout::RequestLayout {
            method: "POST",
            path: "/logstores/{logstore}/shards/lb",
            body,
            params: PARAMS,
        }))
    }

    #[test]
    fn a_binary_or_protobuf_body_is_the_blobs_bytes_with_its_content_type() {
        use crate::protocol::layout::BodyFormat;
        // Bytes that are not UTF-8, and a body of whitespace only: sent as they are.
        for (bytes, format, content_type) in [
            (
                vec![0x0a, 0x03, 0xff, 0x00, 0x20],
                BodyFormat::Protobuf,
                "application/x-protobuf",
            ),
            (
                b"  \n".to_vec(),
                BodyFormat::Binary,
                "application/octet-stream",
            ),
        ] {
            let layout = raw_body_layout(format);
            let value = serde_json::to_value(
                serde_json::json!({"logstore": "ls", "body": crate::Blob::new(bytes.clone())}),
            )
            .unwrap();
            let rest = rest_request(&OutgoingRequest {
                action: "PutLogs",
                version: "2020-12-30",
                layout,
                value,
            });
            assert_eq!(
                rest.body,
                Body::Raw {
                    content_type,
                    bytes: bytes.clone()
                }
            );
            let req = laid_out(Credentials::new("testid", "testsecret"), &rest);
            assert_eq!(req.body, bytes);
            assert_eq!(header(&req, "content-type"), Some(content_type));
            assert!(header(&req, "authorization")
                .unwrap()
                .contains("content-type;"));
            #[cfg(feature = "stub-server")]
            {
                let incoming = crate::protocol::Incoming {
                    action: "PutLogs".into(),
                    method: "POST".into(),
                    path: "/logstores/ls/shards/lb".into(),
                    params: Query::default(),
                    headers: vec![("content-type".into(), content_type.into())],
                    body: bytes.clone(),
                };
                let read = read_rest_request(layout, &incoming).unwrap();
                assert_eq!(
                    read,
                    serde_json::json!({
                        "logstore": "ls",
                        "body": crate::Blob::new(bytes).to_base64()
                    })
                );
            }
        }
        // No body set: none sent.
        let rest = rest_request(&OutgoingRequest {
            action: "PutLogs",
            version: "2020-12-30",
            layout: raw_body_layout(BodyFormat::Protobuf),
            value: serde_json::json!({"logstore": "ls"}),
        });
        assert_eq!(rest.body, Body::Empty);
    }

    #[test]
    fn a_get_encodes_its_path_and_query_and_signs_as_the_official_sdk_does() {
        let req = laid_out(Credentials::new("testid", "testsecret"), &get_request());
        assert_eq!(req.method, "GET");
        assert_eq!(
            req.url,
            "http://127.0.0.1:8080/clusters/c%201%2Fx%2A/nodes?pageSize=10&name=a%20b"
        );
        assert!(req.body.is_empty());
        assert_eq!(header(&req, "content-type"), None);
        assert_eq!(header(&req, "host"), None, "the transport sends the host");
        assert_eq!(
            (
                header(&req, "x-acs-action"),
                header(&req, "x-acs-version"),
                header(&req, "x-acs-date"),
                header(&req, "x-acs-signature-nonce"),
                header(&req, "x-acs-content-sha256"),
            ),
            (
                Some("ListThings"),
                Some("2020-07-01"),
                Some("2023-11-14T22:13:20Z"),
                Some(NONCE),
                Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            )
        );
        assert_eq!(
            header(&req, "authorization"),
            Some("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=df0a10fb56ee7773111acc17b836e85fe0b73c32f0cb827cb2fde1b15c57b37e")
        );
        assert_eq!(req.headers.last().unwrap().0, "Authorization");
    }

    #[test]
    fn a_json_body_is_typed_hashed_and_signed_with_the_sts_headers() {
        let creds = Credentials::new("testid", "testsecret").with_token("sts-token");
        let req = laid_out(creds, &json_request());
        assert_eq!(req.method, "PUT");
        assert_eq!(req.url, "http://127.0.0.1:8080/things/t-1");
        assert_eq!(req.body, JSON_BODY);
        assert_eq!(
            header(&req, "content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(
            header(&req, "x-acs-content-sha256"),
            Some(sign::acs3::payload_hash(JSON_BODY).as_str())
        );
        assert_eq!(
            (
                header(&req, "x-acs-security-token"),
                header(&req, "x-acs-accesskey-id")
            ),
            (Some("sts-token"), Some("testid"))
        );
        assert_eq!(
            header(&req, "authorization"),
            Some("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;content-type;host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=a6adbb3f890e6b2b3a9833e2a309f5f1cee16e39a1a884241b28d276774a9b74")
        );
    }

    #[test]
    fn a_form_body_is_encoded_pairs_and_the_actions_headers_are_signed() {
        let req = laid_out(Credentials::new("testid", "testsecret"), &form_request());
        assert_eq!(req.url, "http://127.0.0.1:8080/things?dryRun=true");
        assert_eq!(req.body, b"Name=a%20b%26c%3Dd&Tag.1=x%2Ay%2Bz");
        assert_eq!(
            header(&req, "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(header(&req, "x-acs-resourcegroup-id"), Some("rg-1"));
        assert!(header(&req, "authorization").unwrap().contains(
            "SignedHeaders=accept;content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-resourcegroup-id;x-acs-signature-nonce;x-acs-version,"
        ));
    }

    #[test]
    fn the_client_signs_through_the_trait_with_a_fresh_nonce() {
        let service = roa_service();
        let config = Config::builder(Credentials::new("testid", "testsecret")).build();
        let payload = Payload::Rest(get_request());
        let a = sign(&service, &config, &payload, NOW).unwrap();
        let b = sign(&service, &config, &payload, NOW).unwrap();
        assert_eq!(a.url, b.url);
        assert_ne!(
            header(&a, "x-acs-signature-nonce"),
            header(&b, "x-acs-signature-nonce")
        );
        assert_eq!(header(&a, "x-acs-signature-nonce").unwrap().len(), 32);
    }

    #[test]
    fn payloads_headers_and_signings_roa_cannot_send_are_refused() {
        let service = roa_service();
        let config = Config::builder(Credentials::new("id", "s")).build();
        let query = Payload::Query(Query::new("ListThings", "v"));
        assert_eq!(
            sign(&service, &config, &query, NOW).unwrap_err(),
            PayloadError::Unsupported {
                protocol: "roa",
                payload: "query parameters"
            }
        );
        let v2 = Config::builder(Credentials::new("id", "s"))
            .signing(Signing::HmacSha1)
            .build();
        let e = sign(&service, &v2, &Payload::Rest(get_request()), NOW).unwrap_err();
        assert_eq!(e.to_string(), "the roa protocol cannot sign with HmacSha1");

        let refused = |edit: fn(&mut RestRequest)| {
            let mut r = json_request();
            edit(&mut r);
            sign(&service, &config, &Payload::Rest(r), NOW).unwrap_err()
        };
        assert_eq!(
            refused(|r| r.headers.push(("X-Acs-Date".into(), "x".into()))),
            PayloadError::InvalidHeader {
                name: "x-acs-date".into(),
                reason: "the ACS3 signature sets it"
            }
        );
        assert_eq!(
            refused(|r| r.headers.push(("Content-Type".into(), "text/plain".into()))),
            PayloadError::InvalidHeader {
                name: "content-type".into(),
                reason: "the body sets it"
            }
        );
        let twice = refused(|r| {
            r.headers.push(("x-a".into(), "1".into()));
            r.headers.push(("X-A".into(), "2".into()));
        });
        assert_eq!(
            twice.to_string(),
            "the header x-a cannot be sent: it is set more than once"
        );
        for bad in ["", ".", ".."] {
            let mut r = json_request();
            r.path_params[0].1 = bad.into();
            let e = sign(&service, &config, &Payload::Rest(r), NOW).unwrap_err();
            assert!(
                matches!(&e, PayloadError::InvalidPathParameter { name, .. } if name == "Id"),
                "{bad:?}: {e}"
            );
        }
        let mut r = json_request();
        r.path_params.clear();
        assert_eq!(
            sign(&service, &config, &Payload::Rest(r), NOW).unwrap_err(),
            PayloadError::MissingPathParameter("Id".into())
        );
        // A content type of the action's own goes out with an empty body.
        let mut r = get_request();
        r.headers.push(("Content-Type".into(), "text/plain".into()));
        let req = sign(&service, &config, &Payload::Rest(r), NOW).unwrap();
        assert_eq!(header(&req, "content-type"), Some("text/plain"));
    }

    #[test]
    fn errors_parse_in_both_spellings_only_with_an_error_status() {
        let product = br#"{"code":"ErrorClusterNotFound","message":"cluster c-1 not found","requestId":"r-1","data":{"clusterId":"c-1"}}"#;
        let m = Roa.parse_error(404, &[], product).unwrap();
        assert_eq!(
            (m.code(), m.message(), m.request_id(), m.http_status()),
            (
                "ErrorClusterNotFound",
                "cluster c-1 not found",
                Some("r-1"),
                404
            )
        );
        assert_eq!((m.host_id(), m.recommend()), (None, None));

        let gateway = br#"{"RequestId":"r-2","HostId":"cs.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"bad signature","Recommend":"https://r"}"#;
        let m = Roa.parse_error(400, &[], gateway).unwrap();
        assert_eq!(
            (m.code(), m.message(), m.request_id(), m.http_status()),
            ("SignatureDoesNotMatch", "bad signature", Some("r-2"), 400)
        );
        assert_eq!(
            (m.host_id(), m.recommend()),
            (Some("cs.aliyuncs.com"), Some("https://r"))
        );

        let headers = vec![("X-Acs-Request-Id".to_owned(), "r-3".to_owned())];
        let m = Roa
            .parse_error(500, &headers, br#"{"code":500,"message":"boom"}"#)
            .unwrap();
        assert_eq!(
            (m.code(), m.message(), m.request_id()),
            ("500", "boom", Some("r-3"))
        );
        let m = Roa.parse_error(400, &headers, product).unwrap();
        assert_eq!(m.request_id(), Some("r-1"), "the body's id comes first");

        assert!(Roa.parse_error(200, &[], product).is_none());
        assert!(Roa.parse_error(204, &headers, b"").is_none());
        assert!(Roa
            .parse_error(502, &[], b"<html><body>502 Bad Gateway</body></html>")
            .is_none());
        assert!(Roa.parse_error(400, &headers, b"").is_none());
        assert!(Roa.parse_error(400, &[], b"[1,2]").is_none());
    }

    #[test]
    fn successes_are_top_level_json_whatever_the_format() {
        for format in [Format::Json, Format::Xml] {
            assert_eq!(
                Roa.success_layout("ListThings", format),
                ResponseLayout::Json(Envelope::BareOrEmpty)
            );
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Things {
            #[serde(rename = "totalCount")]
            total_count: i64,
            #[serde(rename = "requestId")]
            request_id: String,
        }
        let things: Things = crate::codec::response::decode_response_serde(
            &Roa.success_layout("ListThings", Format::Json),
            br#"{"totalCount":3,"requestId":"r-4"}"#,
        )
        .unwrap();
        assert_eq!(
            things,
            Things {
                total_count: 3,
                request_id: "r-4".into()
            }
        );
    }

    #[test]
    fn alibaba_cloud_protocols_share_the_credential_environment() {
        assert_eq!(Protocol::Roa.cloud(), Protocol::Rpc.cloud());
        assert_eq!(Protocol::Roa.wire().name(), "roa");
    }

    #[cfg(feature = "stub-server")]
    mod stub {
        use super::*;
        use crate::protocol::service::Operation;
        use crate::protocol::VerifyErrorKind;

        fn verified(req: &ReceivedRequest, keys: &Credentials, at: i64) -> Result<(), String> {
            Roa.verify(req, keys, at, &VerifyOptions::new(Protocol::Roa))
                .map(|v| assert_eq!(v.access_key_id, "testid"))
                .map_err(|e| format!("{:?} {} {}", e.kind, e.code, e.http_status))
        }

        /// Changes the last byte of `s` to another character.
        fn flip_last(s: &mut String) {
            let last = s.pop().unwrap();
            s.push(if last == 'x' { 'y' } else { 'x' });
        }

        fn set_header(req: &mut ReceivedRequest, name: &str, edit: fn(&mut String)) {
            let h = req.headers.iter_mut().find(|(k, _)| k == name).unwrap();
            edit(&mut h.1);
        }

        #[test]
        fn the_stub_verifies_what_the_client_signs_and_refuses_any_one_byte_change() {
            let creds = Credentials::new("testid", "testsecret");
            let mismatch = Err("Mismatch SignatureDoesNotMatch 400".to_owned());
            for rest in [get_request(), json_request(), form_request()] {
                let what = format!("{} {}", rest.method, rest.path);
                let req = testing::received(&laid_out(creds.clone(), &rest));
                assert_eq!(Roa.action(&req).as_deref(), Some("ListThings"), "{what}");
                assert_eq!(verified(&req, &creds, NOW), Ok(()), "{what}");
                assert_eq!(
                    verified(&req, &Credentials::new("testid", "other"), NOW),
                    mismatch,
                    "{what}"
                );
                assert_eq!(
                    verified(&req, &creds, NOW + 901),
                    Err("Expired InvalidTimeStamp.Expired 400".to_owned()),
                    "{what}"
                );

                let mut path = req.clone();
                flip_last(&mut path.path);
                assert_eq!(verified(&path, &creds, NOW), mismatch, "{what}: path");

                let mut method = req.clone();
                method.method = "DELETE".into();
                assert_eq!(verified(&method, &creds, NOW), mismatch, "{what}: method");

                let mut action = req.clone();
                set_header(&mut action, "x-acs-action", flip_last);
                assert_eq!(verified(&action, &creds, NOW), mismatch, "{what}: action");

                let mut accept = req.clone();
                set_header(&mut accept, "accept", flip_last);
                assert_eq!(verified(&accept, &creds, NOW), mismatch, "{what}: accept");

                if let Some((_, v)) = req.query.first() {
                    let mut query = req.clone();
                    let mut v = v.clone();
                    flip_last(&mut v);
                    query.query[0].1 = v;
                    assert_eq!(verified(&query, &creds, NOW), mismatch, "{what}: query");
                    let mut extra = req.clone();
                    extra.query.push(("more".into(), "1".into()));
                    assert_eq!(verified(&extra, &creds, NOW), mismatch, "{what}: query");
                }
                if !req.body.is_empty() {
                    let mut body = req.clone();
                    *body.body.last_mut().unwrap() ^= 1;
                    assert_eq!(verified(&body, &creds, NOW), mismatch, "{what}: body");
                    let mut ct = req.clone();
                    set_header(&mut ct, "content-type", flip_last);
                    assert_eq!(verified(&ct, &creds, NOW), mismatch, "{what}: type");
                }

                let mut unsigned = req.clone();
                unsigned.headers.retain(|(k, _)| k != "authorization");
                assert_eq!(
                    verified(&unsigned, &creds, NOW),
                    Err("Missing IncompleteSignature 400".to_owned()),
                    "{what}"
                );
                assert_eq!(
                    Roa.verify(
                        &req,
                        &Credentials::new("other", "testsecret"),
                        NOW,
                        &VerifyOptions::new(Protocol::Roa)
                    )
                    .unwrap_err()
                    .kind,
                    VerifyErrorKind::UnknownAccessKey
                );
            }
        }

        #[test]
        fn handlers_get_the_query_alone_as_parameters() {
            let req = testing::received(&laid_out(
                Credentials::new("testid", "testsecret"),
                &form_request(),
            ));
            let mut with_form = req.clone();
            with_form.form =
                crate::protocol::parse_pairs(&String::from_utf8_lossy(&req.body), true);
            assert_eq!(Roa.handler_params(&with_form), pairs(&[("dryRun", "true")]));
            assert_eq!(
                with_form.form,
                pairs(&[("Name", "a b&c=d"), ("Tag.1", "x*y+z")])
            );
            assert_eq!(
                Protocol::Rpc.wire_server().handler_params(&with_form).len(),
                3,
                "RPC merges the form"
            );
        }

        #[test]
        fn rendered_errors_successes_and_examples_read_back() {
            let service = roa_service();
            let req = testing::received(&laid_out(
                Credentials::new("testid", "testsecret"),
                &get_request(),
            ));
            let error = ErrorMetadata::new("Throttling", "later", Some("stub-1".into()), 503);
            let resp = Roa.error_response(&service, &req, &error);
            assert_eq!(resp.status, 503);
            assert_eq!(resp.header("content-type"), Some("application/json"));
            assert_eq!(resp.header("x-acs-request-id"), Some("stub-1"));
            let body: Value = serde_json::from_slice(&resp.body).unwrap();
            assert_eq!(
                body,
                json!({"code": "Throttling", "message": "later", "requestId": "stub-1"})
            );
            let back = Roa
                .parse_error(resp.status, &resp.headers, &resp.body)
                .unwrap();
            assert_eq!(back, error);

            let ok = Roa.success_response(&req, "ListThings", json!({"totalCount": 3}), "stub-2");
            assert_eq!(
                (ok.status, ok.header("x-acs-request-id")),
                (200, Some("stub-2"))
            );
            let body: Value = serde_json::from_slice(&ok.body).unwrap();
            assert_eq!(body, json!({"totalCount": 3, "requestId": "stub-2"}));
            assert!(Roa.parse_error(ok.status, &ok.headers, &ok.body).is_none());

            let own =
                Roa.success_response(&req, "ListThings", json!({"RequestId": "own"}), "stub-3");
            assert_eq!(own.header("x-acs-request-id"), Some("own"));
            let body: Value = serde_json::from_slice(&own.body).unwrap();
            assert_eq!(body, json!({"RequestId": "own"}));

            let list = Roa.success_response(&req, "ListThings", json!([1, 2]), "stub-4");
            assert_eq!(list.body, b"[1,2]");
            assert_eq!(list.header("x-acs-request-id"), Some("stub-4"));

            let text =
                Roa.whole_response("text/plain; charset=utf-8", b"policy".to_vec(), "stub-5");
            assert_eq!(text.body, b"policy");
            assert_eq!(
                text.header("content-type"),
                Some("text/plain; charset=utf-8")
            );
            assert_eq!(text.header("x-acs-request-id"), Some("stub-5"));

            let example = r#"{"requestId": "ex-1", "items": []}"#;
            let ex = Roa.example_response(&req, example, Some("<xml/>"));
            assert_eq!(ex.body, example.as_bytes());
            assert_eq!(ex.header("content-type"), Some("application/json"));
            assert_eq!(ex.header("x-acs-request-id"), Some("ex-1"));
        }

        #[derive(Debug)]
        struct TestError(ErrorMetadata);

        impl std::fmt::Display for TestError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::error::Error for TestError {}

        impl crate::ServiceError for TestError {
            fn from_metadata(meta: ErrorMetadata) -> Self {
                TestError(meta)
            }
            fn meta(&self) -> &ErrorMetadata {
                &self.0
            }
            fn is_retryable(&self) -> bool {
                false
            }
        }

        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Thing {
            name: String,
            #[serde(rename = "requestId")]
            request_id: String,
        }

        impl crate::codec::response::Model for Thing {
            fn decode(
                layout: &crate::codec::response::ResponseLayout,
                body: &[u8],
            ) -> Result<Self, crate::codec::response::DecodeError> {
                crate::codec::response::decode_response_serde(layout, body)
            }
        }

        #[tokio::test]
        async fn a_client_and_the_stub_round_trip_rest_requests() {
            use crate::server::{Handler, Outcome, Reply, StubBuilder};
            use std::sync::Arc;

            let creds = Credentials::new("testid", "testsecret");
            let handler: Handler = Arc::new(|incoming| {
                let name = match incoming.method.as_str() {
                    "GET" => incoming.path.clone(),
                    "PUT" => String::from_utf8_lossy(&incoming.body).into_owned(),
                    _ => format!("{:?}", incoming.form()),
                };
                if incoming.params.get("fail").is_some() {
                    return Outcome::Reply(Reply::Error {
                        code: "ErrorThingNotFound".into(),
                        message: "no such thing".into(),
                        http_status: 404,
                    });
                }
                Outcome::Reply(Reply::Ok(json!({ "name": name })))
            });
            let stub = StubBuilder::new(roa_service(), creds.clone())
                .handler("ListThings", handler)
                .start()
                .await
                .unwrap();
            let config = Config::builder(creds)
                .endpoint(stub.endpoint())
                .format(Format::Xml)
                .build();
            let client = crate::client::Client::new(config, roa_service()).unwrap();
            let op = Operation {
                action: "ListThings",
                requests_per_second: None,
                idempotent: true,
                idempotency_token: None,
            };
            let call = |rest: RestRequest| {
                let client = client.clone();
                async move {
                    client
                        .call_payload::<Thing, TestError>(&op, Payload::Rest(rest))
                        .await
                }
            };

            let got = call(get_request()).await.unwrap();
            assert_eq!(got.name, "/clusters/c%201%2Fx%2A/nodes");
            assert!(got.request_id.starts_with("stub-"));
            let got = call(json_request()).await.unwrap();
            assert_eq!(got.name.as_bytes(), JSON_BODY);
            let got = call(form_request()).await.unwrap();
            assert_eq!(
                got.name,
                format!("{:?}", pairs(&[("Name", "a b&c=d"), ("Tag.1", "x*y+z")]))
            );

            let mut failing = get_request();
            failing.query.0.push(("fail".into(), "1".into()));
            let e = call(failing).await.unwrap_err();
            let e = e.service_error().expect("a service error");
            assert_eq!(
                (e.0.code(), e.0.message(), e.0.http_status()),
                ("ErrorThingNotFound", "no such thing", 404)
            );
            assert!(e.0.request_id().is_some_and(|id| id.starts_with("stub-")));

            let received = stub.received();
            assert_eq!(received.len(), 4);
            assert_eq!(received[0].method, "GET");
            assert_eq!(
                received[0].params.0,
                pairs(&[("pageSize", "10"), ("name", "a b")])
            );
            assert_eq!(received[2].params.0, pairs(&[("dryRun", "true")]));
            assert_eq!(received[2].header("x-acs-resourcegroup-id"), Some("rg-1"));
        }
    }
}
