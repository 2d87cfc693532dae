//! Alibaba Cloud V3 request signing (ACS3-HMAC-SHA256) in headers, shared by the Alibaba
//! Cloud protocols: RPC when configured for it (the action's method to `/`, its parameters
//! in the query and its body parameters in a form) and ROA always (any method, an encoded path, a query, the action's
//! headers and a JSON or form body). Both sides of the signature live here: the client's
//! [`signed_headers`] and the stub's [`verify_request`].

use crate::credentials::Credentials;
use crate::protocol::service::Signing;
use crate::protocol::sign;
use crate::protocol::verify::VerifyOptions;

use super::{CredentialLookup, ReceivedRequest, Verified, VerifyError, VerifyErrorKind};

/// Alibaba Cloud's answer to an access key id it does not know, whatever the signature.
pub(super) fn unknown_access_key() -> VerifyError {
    VerifyError::new(
        VerifyErrorKind::UnknownAccessKey,
        "InvalidAccessKeyId.NotFound",
        "Specified access key is not found.",
        404,
    )
}

/// `IncompleteSignature`, with Alibaba Cloud's message and `detail`.
pub(super) fn incomplete_signature(kind: VerifyErrorKind, detail: &str) -> VerifyError {
    VerifyError::new(
        kind,
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards: {detail}"),
        400,
    )
}

/// Alibaba Cloud's answer to a parameter or header that must be sent and is not:
/// `code`, and the gateway's message naming it.
fn not_supplied(code: &'static str, name: &str) -> VerifyError {
    VerifyError::new(
        VerifyErrorKind::Missing,
        code,
        format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        400,
    )
}

/// The signed time `value` (of the parameter or header `name`), checked against the
/// window: `IllegalTimestamp` when it is missing, `InvalidTimeStamp.Format` when it is
/// not `yyyy-MM-ddTHH:mm:ssZ`, `InvalidTimeStamp.Expired` (the gateway's message) when it
/// is further than the window from `now`.
pub(super) fn signed_time(
    value: Option<&str>,
    name: &str,
    now: i64,
    options: &VerifyOptions,
) -> Result<i64, VerifyError> {
    let value = value.ok_or_else(|| not_supplied("IllegalTimestamp", name))?;
    let ts = crate::codec::time::parse_iso8601(value).ok_or_else(|| {
        VerifyError::new(
            VerifyErrorKind::Malformed,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
            400,
        )
    })?;
    if now.abs_diff(ts) > options.window_secs().unsigned_abs() {
        return Err(VerifyError::new(
            VerifyErrorKind::Expired,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
            400,
        ));
    }
    Ok(ts)
}

/// The signed nonce `value` (of the parameter or header `name`), which must be sent and
/// not be empty.
pub(super) fn signed_nonce(value: Option<&str>, name: &str) -> Result<String, VerifyError> {
    match value {
        Some(n) if !n.is_empty() => Ok(n.to_owned()),
        _ => Err(not_supplied("MissingSignatureNonce", name)),
    }
}

/// The headers [`signed_headers`] sets itself (lowercase): a request's own headers must
/// not repeat them.
pub(super) const SIGNER_HEADERS: [&str; 9] = [
    "authorization",
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-security-token",
    "x-acs-signature-nonce",
    "x-acs-version",
    "x-acs-accesskey-id",
];

/// What an ACS3 signature covers.
#[derive(Debug, Clone, Copy)]
pub(super) struct Input<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The canonical URI: the path exactly as sent, path parameters already
    /// percent-encoded (`/clusters/c%201`).
    pub path: &'a str,
    /// The query parameters (decoded; the canonical query encodes and sorts them).
    pub query: &'a [(String, String)],
    /// The request's other headers, sent and signed too (lowercase names, none of
    /// [`SIGNER_HEADERS`]), e.g. `content-type` for a body.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
    /// `x-acs-action`.
    pub action: &'a str,
    /// `x-acs-version`.
    pub version: &'a str,
    /// The host as sent.
    pub host: &'a str,
    /// The signing time, Unix seconds.
    pub now: i64,
    /// `x-acs-signature-nonce`: unique per attempt ([`super::nonce`]).
    pub nonce: &'a str,
}

/// The headers to send (the signer's `x-acs-*`, the token with STS credentials, then
/// `input.headers`), `Authorization` last, which signs all of them and `host`; `host` itself
/// is left to the transport.
pub(super) fn signed_headers(input: &Input<'_>, creds: &Credentials) -> Vec<(String, String)> {
    let hash = sign::acs3::payload_hash(input.body);
    let mut signed = vec![
        ("host".to_owned(), input.host.to_owned()),
        ("x-acs-action".to_owned(), input.action.to_owned()),
        ("x-acs-content-sha256".to_owned(), hash.clone()),
        (
            "x-acs-date".to_owned(),
            crate::codec::time::iso8601(input.now),
        ),
        ("x-acs-signature-nonce".to_owned(), input.nonce.to_owned()),
        ("x-acs-version".to_owned(), input.version.to_owned()),
    ];
    if let Some(t) = creds.token() {
        // As the official SDKs send them with STS credentials.
        signed.push((
            "x-acs-accesskey-id".to_owned(),
            creds.access_key_id().to_owned(),
        ));
        signed.push(("x-acs-security-token".to_owned(), t.to_owned()));
    }
    signed.extend(input.headers.iter().cloned());
    let cr = sign::acs3::canonical_request(input.method, input.path, input.query, &signed, &hash);
    let signature = sign::acs3::signature(&cr, creds.secret());
    let names = {
        let mut n: Vec<&str> = signed.iter().map(|(k, _)| k.as_str()).collect();
        n.sort_unstable();
        n.join(";")
    };
    let mut headers: Vec<(String, String)> =
        signed.into_iter().filter(|(k, _)| k != "host").collect();
    headers.push((
        "Authorization".to_owned(),
        format!(
            "ACS3-HMAC-SHA256 Credential={},SignedHeaders={names},Signature={signature}",
            creds.access_key_id()
        ),
    ));
    headers
}

/// Checks a request that must carry an `ACS3-HMAC-SHA256` `Authorization` header.
pub(super) fn verify_request(
    request: &ReceivedRequest,
    keys: &dyn CredentialLookup,
    now: i64,
    options: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    match request.header("authorization") {
        Some(auth) if auth.starts_with("ACS3-HMAC-SHA256 ") => {
            verify(request, auth, keys, now, options)
        }
        _ => Err(incomplete_signature(
            VerifyErrorKind::Missing,
            "no ACS3-HMAC-SHA256 Authorization header.",
        )),
    }
}

/// Checks an `ACS3-HMAC-SHA256` `Authorization` header, rebuilding the canonical request
/// from the headers it lists (the official SDKs sign every header they send). The list
/// must be lowercase, name each header once and include `host`, every `x-acs-*` header
/// sent (the date and the nonce among them) and, with a body, `content-type`;
/// `x-acs-date` must be within the window and `x-acs-signature-nonce` sent.
pub(super) fn verify(
    request: &ReceivedRequest,
    auth: &str,
    keys: &dyn CredentialLookup,
    now: i64,
    options: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    use VerifyErrorKind as K;
    let (id, signed, signature) = sign::acs3::parse_authorization(auth).ok_or_else(|| {
        incomplete_signature(
            K::Malformed,
            "the Authorization header is not `ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...`.",
        )
    })?;
    let well_formed = signed.iter().enumerate().all(|(i, n)| {
        !n.is_empty()
            && !n
                .bytes()
                .any(|b| b.is_ascii_uppercase() || b.is_ascii_whitespace())
            && !signed[..i].contains(n)
    });
    if !well_formed {
        return Err(incomplete_signature(
            K::Malformed,
            "SignedHeaders must name each header once, in lowercase.",
        ));
    }
    let body_type = (!request.body.is_empty() && request.header("content-type").is_some())
        .then_some("content-type");
    let required = request
        .headers
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| k.starts_with("x-acs-"))
        .chain(["host"])
        .chain(body_type);
    for name in required {
        if !signed.iter().any(|s| s == name) {
            return Err(incomplete_signature(
                K::Malformed,
                &format!("the header {name} is sent but not signed."),
            ));
        }
    }
    let creds = keys.find(&id).ok_or_else(unknown_access_key)?;
    let date = signed_time(request.header("x-acs-date"), "x-acs-date", now, options)?;
    let nonce = signed_nonce(
        request.header("x-acs-signature-nonce"),
        "x-acs-signature-nonce",
    )?;
    let hash = sign::acs3::payload_hash(&request.body);
    let sent_hash = request.header("x-acs-content-sha256");
    if sent_hash.is_some_and(|h| h != hash) {
        return Err(VerifyError::new(
            K::Mismatch,
            "SignatureDoesNotMatch",
            "The x-acs-content-sha256 header does not match the body.",
            400,
        ));
    }
    let values: Vec<(String, String)> = signed
        .iter()
        .map(|n| (n.clone(), request.header(n).unwrap_or("").to_owned()))
        .collect();
    let cr = sign::acs3::canonical_request(
        &request.method,
        &request.path,
        &request.query,
        &values,
        &hash,
    );
    let expected = sign::acs3::signature(&cr, creds.secret());
    if !sign::same(&expected, &signature) {
        let message = format!(
            "Specified signature is not matched with our calculation. server string to sign is:{}",
            cr.replace('\n', "\\n")
        );
        return Err(
            VerifyError::new(K::Mismatch, "SignatureDoesNotMatch", message, 400).with_canonical(cr),
        );
    }
    Ok(Verified {
        access_key_id: id,
        signing: Signing::Acs3HmacSha256,
        timestamp: date,
        nonce: Some(nonce),
    })
}
