//! Hostile responses for ListUsers (Tencent Cloud Organization 2021-03-31): malformed and
//! surprising bodies give a correct tolerant decode or a typed error naming the field —
//! never a panic.

use cloudapi::tencentcloud::organization::v20210331::{ListUsersError, ListUsersResponse};
use cloudapi_tests::hostile::{ok, run, Case, Expect};

/// (body, expected (code, message, request id) of the error, if it is one)
type EnvelopeCase = (
    &'static [u8],
    Option<(&'static str, &'static str, Option<&'static str>)>,
);

fn huge_users(n: usize) -> Vec<u8> {
    let users: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"UserId":"u-{i}","UserName":"用户{i}","IsSelected":{}}}"#,
                i % 2
            )
        })
        .collect();
    format!(
        r#"{{"Response":{{"TotalCounts":{n},"Users":[{}],"RequestId":"r"}}}}"#,
        users.join(",")
    )
    .into_bytes()
}

#[test]
fn list_users_corpus() {
    let decode = |b: &[u8]| ListUsersResponse::from_json(b);
    let cases: Vec<Case<ListUsersResponse>> = vec![
        ("empty body", b"".to_vec(), Expect::Err(".", "empty"), None),
        ("whitespace body", b"  \n".to_vec(), Expect::Err(".", "empty"), None),
        ("truncated object", br#"{"Response":{"TotalCounts":5"#.to_vec(), Expect::Err("Response", "EOF"), None),
        ("truncated in a user", br#"{"Response":{"Users":[{"UserName":"a"#.to_vec(), Expect::Err("Response.Users[0]", "EOF"), None),
        ("truncated mid-string escape", br#"{"Response":{"NextToken":"\u12"#.to_vec(), Expect::Err("Response", ""), None),
        ("not JSON at all", b"Service Unavailable".to_vec(), Expect::Err(".", "expected"), None),
        ("HTML page from a proxy", b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(), Expect::Err(".", "expected"), None),
        ("JSON array", b"[]".to_vec(), Expect::Err(".", "expected struct"), None),
        ("null body", b"null".to_vec(), Expect::Err(".", "invalid type"), None),
        ("no envelope", br#"{"TotalCounts":1}"#.to_vec(), Expect::Err(".", "missing field `Response`"), None),
        ("envelope is null", br#"{"Response":null}"#.to_vec(), Expect::Err("Response", "invalid type"), None),
        ("envelope is a string", br#"{"Response":"ok"}"#.to_vec(), Expect::Err("Response", "invalid type"), None),
        ("empty envelope", br#"{"Response":{}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(*r, ListUsersResponse::default()))),
        ("integer as string", br#"{"Response":{"TotalCounts":"7"}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.total_counts, Some(7)))),
        ("integer as float", br#"{"Response":{"TotalCounts":7.0}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.total_counts, Some(7)))),
        ("integer as fractional float", br#"{"Response":{"TotalCounts":7.5}}"#.to_vec(), Expect::Err("Response.TotalCounts", "integer"), None),
        ("integer as word", br#"{"Response":{"TotalCounts":"seven"}}"#.to_vec(), Expect::Err("Response.TotalCounts", "integer"), None),
        ("integer too large", br#"{"Response":{"TotalCounts":99999999999999999999}}"#.to_vec(), Expect::Err("Response.TotalCounts", ""), None),
        // Booleans and integers accept each other's encodings (a 0/1 flag sent as a boolean).
        ("integer as bool", br#"{"Response":{"TotalCounts":true}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.total_counts, Some(1)))),
        ("integer as the string false", br#"{"Response":{"TotalCounts":"false"}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.total_counts, Some(0)))),
        ("integer as an object", br#"{"Response":{"TotalCounts":{"n":1}}}"#.to_vec(), Expect::Err("Response.TotalCounts", "integer"), None),
        ("negative integer", br#"{"Response":{"TotalCounts":-1}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.total_counts, Some(-1)))),
        ("boolean as string", br#"{"Response":{"IsTruncated":"true"}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.is_truncated, Some(true)))),
        ("boolean as TRUE", br#"{"Response":{"IsTruncated":"TRUE"}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.is_truncated, Some(true)))),
        ("boolean as 0", br#"{"Response":{"IsTruncated":0}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.is_truncated, Some(false)))),
        ("boolean as 2", br#"{"Response":{"IsTruncated":2}}"#.to_vec(), Expect::Err("Response.IsTruncated", "boolean"), None),
        ("boolean as word", br#"{"Response":{"IsTruncated":"yes"}}"#.to_vec(), Expect::Err("Response.IsTruncated", "boolean"), None),
        ("string as number", br#"{"Response":{"NextToken":12345}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.next_token.as_deref(), Some("12345")))),
        ("string as object", br#"{"Response":{"NextToken":{"a":1}}}"#.to_vec(), Expect::Err("Response.NextToken", "string"), None),
        ("nulls everywhere", br#"{"Response":{"TotalCounts":null,"MaxResults":null,"Users":null,"NextToken":null,"IsTruncated":null,"RequestId":null}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert!(r.users.is_empty() && r.request_id.is_none()))),
        ("null user in the list", br#"{"Response":{"Users":[null,{"UserId":"u"}]}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.users.len(), 1))),
        ("users as one object", br#"{"Response":{"Users":{"UserId":"u"}}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.users[0].user_id.as_deref(), Some("u")))),
        ("users as empty string", br#"{"Response":{"Users":""}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert!(r.users.is_empty()))),
        ("users as a number", br#"{"Response":{"Users":3}}"#.to_vec(), Expect::Err("Response.Users", "invalid type"), None),
        ("user is a string", br#"{"Response":{"Users":["u-1"]}}"#.to_vec(), Expect::Err("Response.Users[0]", "invalid type"), None),
        ("unknown enum values", br#"{"Response":{"Users":[{"UserStatus":"Frozen","UserType":""}]}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.users[0].user_status.as_ref().unwrap().as_str(), "Frozen"))),
        ("enum as number", br#"{"Response":{"Users":[{"UserStatus":1}]}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.users[0].user_status.as_ref().unwrap().as_str(), "1"))),
        ("extra fields", br#"{"Response":{"Brand":{"New":[1,2]},"Users":[{"Extra":true}],"TotalCounts":1}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.total_counts, Some(1)))),
        ("duplicate key (the last one wins)", br#"{"Response":{"TotalCounts":1,"TotalCounts":2}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.total_counts, Some(2)))),
        ("deeply nested extra field", format!(r#"{{"Response":{{"X":{}1{}}}}}"#, "[".repeat(100), "]".repeat(100)).into_bytes(), Expect::Ok(ok), None),
        ("unknown field nested 100,000 deep", format!(r#"{{"Response":{{"X":{}1{}}}}}"#, "[".repeat(100_000), "]".repeat(100_000)).into_bytes(), Expect::Ok(ok), None),
        ("known list nested 200 deep", format!(r#"{{"Response":{{"Users":{}1{}}}}}"#, "[".repeat(200), "]".repeat(200)).into_bytes(), Expect::Err("Response.Users[0]", "invalid type"), None),
        ("unicode escapes", br#"{"Response":{"Users":[{"UserName":"\u672a\u547d\u540d"}]}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.users[0].user_name.as_deref(), Some("未命名")))),
        ("invalid UTF-8", b"{\"Response\":{\"NextToken\":\"\xff\xfe\"}}".to_vec(), Expect::Err("Response.NextToken", "invalid unicode"), None),
        ("BOM before the body", b"\xef\xbb\xbf{\"Response\":{}}".to_vec(), Expect::Err(".", "expected"), None),
        ("trailing garbage", br#"{"Response":{}} trailing"#.to_vec(), Expect::Err(".", "trailing"), None),
        ("huge page of 10,000 users", huge_users(10_000), Expect::Ok(ok), Some(|r| assert_eq!(r.users.len(), 10_000))),
        ("error envelope (not a success)", br#"{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"r"}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.request_id.as_deref(), Some("r")))),
    ];
    let n = cases.len();
    for (name, body, expect, check) in &cases {
        run(name, decode, body, expect, *check);
    }
    assert!(n >= 40, "{n} cases");
}

#[test]
fn error_envelopes_with_missing_parts_are_still_typed_errors() {
    let cases: &[EnvelopeCase] = &[
        (
            br#"{"Response":{"Error":{"Code":"InternalError"},"RequestId":"r"}}"#,
            Some(("InternalError", "", Some("r"))),
        ),
        (
            br#"{"Response":{"Error":{"Message":"no code"}}}"#,
            Some(("", "no code", None)),
        ),
        (br#"{"Response":{"Error":{}}}"#, Some(("", "", None))),
        (br#"{"Response":{"Error":null}}"#, None),
        (br#"{"Response":{"Error":"InternalError"}}"#, None),
        (br#"{"Error":{"Code":"X"}}"#, None),
        (b"", None),
        (b"<html/>", None),
    ];
    for (body, want) in cases {
        let got =
            std::panic::catch_unwind(|| ListUsersError::from_body(200, body)).expect("no panic");
        match (got, want) {
            (Some(e), Some((code, message, rid))) => {
                assert_eq!(
                    (e.code(), e.message(), e.request_id()),
                    (*code, *message, *rid),
                    "{}",
                    String::from_utf8_lossy(body)
                );
            }
            (None, None) => {}
            (got, _) => panic!("{}: {got:?}", String::from_utf8_lossy(body)),
        }
    }
}
