//! Raw HTTP/1.1 requests, as saved in files: the request line, headers and a body of
//! `Content-Length` bytes.

use std::fmt;

use cloudapi::runtime::protocol::ReceivedRequest;
use cloudapi::runtime::server::received_request;

/// The most headers a request may have.
pub const MAX_HEADERS: usize = 128;

/// The largest request file read (the stub's own body limit plus room for headers).
pub const MAX_REQUEST_BYTES: u64 = cloudapi::runtime::server::MAX_REQUEST_BODY as u64 + (1 << 20);

/// A file that is not one raw HTTP/1.1 request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawError(pub String);

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RawError {}

/// Parses one request. Bytes after the body are ignored when they are only whitespace
/// (an editor's final newline), as a server would read only `Content-Length` bytes;
/// anything else there is an error.
pub fn parse_request(bytes: &[u8]) -> Result<ReceivedRequest, RawError> {
    let err = |m: String| RawError(m);
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let head_len = match req.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            return Err(err(
                "the headers do not end (no empty line after them)".into()
            ))
        }
        Err(e) => return Err(err(format!("not an HTTP/1.1 request: {e}"))),
    };
    let method = req.method.unwrap_or("GET").to_owned();
    let target = req.path.unwrap_or("/").to_owned();
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    if headers.iter().any(|(k, _)| k == "transfer-encoding") {
        return Err(err(
            "Transfer-Encoding is not supported: save the body with Content-Length".into(),
        ));
    }
    let rest = &bytes[head_len..];
    let mut length: Option<usize> = None;
    for (_, v) in headers.iter().filter(|(k, _)| k == "content-length") {
        let n = content_length(v.as_bytes())
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| err(format!("Content-Length `{v}` is not a number")))?;
        if length.is_some_and(|l| l != n) {
            return Err(err("Content-Length headers that differ".into()));
        }
        length = Some(n);
    }
    let length = length.unwrap_or(0);
    if rest.len() < length {
        return Err(err(format!(
            "the body has {} bytes, Content-Length says {length}",
            rest.len()
        )));
    }
    let (body, after) = rest.split_at(length);
    if !after.iter().all(u8::is_ascii_whitespace) {
        return Err(err(format!(
            "{} bytes follow the body of {length} bytes (Content-Length): one request per file",
            after.len()
        )));
    }
    Ok(received_request(&method, &target, headers, body.to_vec()))
}

/// A `Content-Length` value: digits only (surrounding spaces aside), within `u64`; `None`
/// otherwise (a sign, a list, an overflow).
pub fn content_length(value: &[u8]) -> Option<u64> {
    let v = std::str::from_utf8(value).ok()?.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

/// The time a request says it was signed at, Unix seconds: `X-TC-Timestamp` (Tencent
/// Cloud), `x-acs-date` (ACS3) or the `Timestamp` parameter (Alibaba Cloud HMAC-SHA1);
/// `None` when it names none that can be read.
pub fn signed_time(request: &ReceivedRequest) -> Option<i64> {
    if let Some(ts) = request.header("x-tc-timestamp") {
        return ts.trim().parse().ok();
    }
    let iso = request
        .header("x-acs-date")
        .or_else(|| request.param("Timestamp"))?;
    cloudapi::runtime::codec::time::parse_iso8601(iso.trim())
}
