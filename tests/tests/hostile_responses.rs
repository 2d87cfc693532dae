//! A corpus of malformed and surprising response bodies for both actions: each must give
//! either a correct tolerant decode or a typed error naming the field — never a panic.

use cloudapi::aliyun::ccc::v20200701::{ListInstancesOfUserError, ListInstancesOfUserResponse};
use cloudapi::runtime::DecodeError;
use cloudapi::tencentcloud::organization::v20210331::{ListUsersError, ListUsersResponse};

/// What a case must give.
enum Expect {
    /// Decodes; the check sees the result.
    Ok(fn(&str, &dyn std::fmt::Debug)),
    /// Fails at this path (prefix), with a message containing this text.
    Err(&'static str, &'static str),
}

fn ok(_: &str, _: &dyn std::fmt::Debug) {}

/// (name, body, expectation, extra check of a successful decode)
type Case<T> = (&'static str, Vec<u8>, Expect, Option<fn(&T)>);
/// (body, expected (code, message, request id) of the error, if it is one)
type EnvelopeCase = (&'static [u8], Option<(&'static str, &'static str, Option<&'static str>)>);

fn run<T: std::fmt::Debug>(name: &str, decode: impl Fn(&[u8]) -> Result<T, DecodeError> + std::panic::RefUnwindSafe, body: &[u8], expect: &Expect, check: Option<fn(&T)>) {
    let result = std::panic::catch_unwind(|| decode(body)).unwrap_or_else(|_| panic!("case `{name}` panicked"));
    match (result, expect) {
        (Ok(v), Expect::Ok(f)) => {
            f(name, &v);
            if let Some(c) = check {
                c(&v);
            }
        }
        (Err(e), Expect::Err(path, text)) => {
            assert!(e.path().starts_with(path), "case `{name}`: path `{}` does not start with `{path}` ({e})", e.path());
            assert!(e.message().contains(text), "case `{name}`: message `{}` lacks `{text}`", e.message());
            assert_eq!(e.body().as_bytes(), String::from_utf8_lossy(body).as_bytes(), "case `{name}`: the raw body is kept");
        }
        (Ok(v), Expect::Err(..)) => panic!("case `{name}` decoded but should fail: {v:?}"),
        (Err(e), Expect::Ok(_)) => panic!("case `{name}` failed but should decode: {e}"),
    }
}

fn huge_users(n: usize) -> Vec<u8> {
    let users: Vec<String> = (0..n).map(|i| format!(r#"{{"UserId":"u-{i}","UserName":"用户{i}","IsSelected":{}}}"#, i % 2)).collect();
    format!(r#"{{"Response":{{"TotalCounts":{n},"Users":[{}],"RequestId":"r"}}}}"#, users.join(",")).into_bytes()
}

#[test]
fn tencent_list_users_corpus() {
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
        ("integer as bool", br#"{"Response":{"TotalCounts":true}}"#.to_vec(), Expect::Err("Response.TotalCounts", "integer"), None),
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
fn aliyun_list_instances_of_user_corpus() {
    let json = |b: &[u8]| ListInstancesOfUserResponse::from_json(b);
    let xml = |b: &[u8]| ListInstancesOfUserResponse::from_xml(b);
    let json_cases: Vec<Case<ListInstancesOfUserResponse>> = vec![
        ("empty body", b"".to_vec(), Expect::Err(".", "empty"), None),
        ("truncated", br#"{"Data":{"List":[{"AdminList":[{"RoleName":"Adm"#.to_vec(), Expect::Err("Data.List[0].AdminList[0].RoleName", "EOF"), None),
        ("Params as the document's string", r#"{"Params":"无"}"#.as_bytes().to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.params, ["无"]))),
        ("Params as a real list", br#"{"Params":["a","b"]}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.params, ["a", "b"]))),
        ("Params as a number", br#"{"Params":5}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.params, ["5"]))),
        ("Params as an object", br#"{"Params":{"k":"v"}}"#.to_vec(), Expect::Err("Params", "string"), None),
        ("Data missing", br#"{"Code":"OK"}"#.to_vec(), Expect::Ok(ok), Some(|r| assert!(r.data.is_none()))),
        ("Data null", br#"{"Data":null}"#.to_vec(), Expect::Ok(ok), Some(|r| assert!(r.data.is_none()))),
        ("Data as [] (PHP-style empty object)", br#"{"Data":[]}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.data.as_ref().unwrap().list.len(), 0))),
        ("Data as a string", br#"{"Data":"none"}"#.to_vec(), Expect::Err("Data", "invalid type"), None),
        ("List as one object", br#"{"Data":{"List":{"Id":"x"}}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.data.as_ref().unwrap().list[0].id.as_deref(), Some("x")))),
        ("Active as 1", br#"{"Data":{"List":[{"NumberList":[{"Active":1}]}]}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.data.as_ref().unwrap().list[0].number_list[0].active, Some(true)))),
        ("Active as maybe", br#"{"Data":{"List":[{"NumberList":[{"Active":"maybe"}]}]}}"#.to_vec(), Expect::Err("Data.List[0].NumberList[0].Active", "boolean"), None),
        ("UserCount as string", br#"{"Data":{"List":[{"NumberList":[{"SkillGroups":[{"UserCount":"12"}]}]}]}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.data.as_ref().unwrap().list[0].number_list[0].skill_groups[0].user_count, Some(12)))),
        ("UserCount with spaces", br#"{"Data":{"List":[{"NumberList":[{"SkillGroups":[{"UserCount":" 12 "}]}]}]}}"#.to_vec(), Expect::Ok(ok), None),
        ("AliyunUid as a big number", br#"{"Data":{"List":[{"AliyunUid":1571234567890123}]}}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.data.as_ref().unwrap().list[0].aliyun_uid.as_deref(), Some("1571234567890123")))),
        ("HttpStatusCode as string", br#"{"HttpStatusCode":"200"}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.http_status_code, Some(200)))),
        ("unknown role", br#"{"Data":{"List":[{"AdminList":[{"RoleName":"Auditor"}]}]}}"#.to_vec(), Expect::Ok(ok), None),
        ("error body decoded as a response", br#"{"RequestId":"r","HostId":"h","Code":"Throttling","Message":"m"}"#.to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.code.as_deref(), Some("Throttling")))),
        ("HTML page", b"<!DOCTYPE html><html>504 Gateway Time-out</html>".to_vec(), Expect::Err(".", "expected"), None),
        ("text/plain", b"Too Many Requests".to_vec(), Expect::Err(".", "expected"), None),
    ];
    let xml_cases: Vec<Case<ListInstancesOfUserResponse>> = vec![
        ("xml: empty", b"".to_vec(), Expect::Err(".", "empty"), None),
        ("xml: text only", b"hello".to_vec(), Expect::Err(".", "not XML"), None),
        ("xml: truncated", b"<Data><TotalCount>1</TotalCount><List><Id>x".to_vec(), Expect::Err(".", "truncated"), None),
        ("xml: mismatched tags", b"<Data><TotalCount>1</Data>".to_vec(), Expect::Err(".", "XML"), None),
        ("xml: wrapped in the response root", b"<ListInstancesOfUserResponse><Code>OK</Code></ListInstancesOfUserResponse>".to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.code.as_deref(), Some("OK")))),
        ("xml: empty element", b"<Data><TotalCount/></Data>".to_vec(), Expect::Err("Data.TotalCount", "integer"), None),
        ("xml: entity in text", b"<Message>a &amp; b &lt; c</Message>".to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.message.as_deref(), Some("a & b < c")))),
        ("xml: CDATA", b"<Message><![CDATA[<raw>]]></Message>".to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.message.as_deref(), Some("<raw>")))),
        ("xml: bad integer", b"<Data><PageSize>ten</PageSize></Data>".to_vec(), Expect::Err("Data.PageSize", "integer"), None),
        ("xml: repeated list", b"<Data><List><Id>a</Id></List><List><Id>b</Id></List></Data>".to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(r.data.as_ref().unwrap().list.len(), 2))),
        ("xml: deep nesting", format!("{}x{}", "<A>".repeat(200), "</A>".repeat(200)).into_bytes(), Expect::Err(".", "deeper"), None),
        ("xml: HTML error page", b"<html><body>502</body></html>".to_vec(), Expect::Ok(ok), Some(|r| assert_eq!(*r, ListInstancesOfUserResponse::default()))),
    ];
    let n = json_cases.len() + xml_cases.len();
    for (name, body, expect, check) in &json_cases {
        run(name, json, body, expect, *check);
    }
    for (name, body, expect, check) in &xml_cases {
        run(name, xml, body, expect, *check);
    }
    assert!(n >= 30, "{n} cases");
}

#[test]
fn error_envelopes_with_missing_parts_are_still_typed_errors() {
    let cases: &[EnvelopeCase] = &[
        (br#"{"Response":{"Error":{"Code":"InternalError"},"RequestId":"r"}}"#, Some(("InternalError", "", Some("r")))),
        (br#"{"Response":{"Error":{"Message":"no code"}}}"#, Some(("", "no code", None))),
        (br#"{"Response":{"Error":{}}}"#, Some(("", "", None))),
        (br#"{"Response":{"Error":null}}"#, None),
        (br#"{"Response":{"Error":"InternalError"}}"#, None),
        (br#"{"Error":{"Code":"X"}}"#, None),
        (b"", None),
        (b"<html/>", None),
    ];
    for (body, want) in cases {
        let got = std::panic::catch_unwind(|| ListUsersError::from_body(200, body)).expect("no panic");
        match (got, want) {
            (Some(e), Some((code, message, rid))) => {
                assert_eq!((e.code(), e.message(), e.request_id()), (*code, *message, *rid), "{}", String::from_utf8_lossy(body));
            }
            (None, None) => {}
            (got, _) => panic!("{}: {got:?}", String::from_utf8_lossy(body)),
        }
    }
    let ali: &[(u16, &[u8], Option<&str>)] = &[
        (400, br#"{"Code":"Parameter.Maximum"}"#, Some("Parameter.Maximum")),
        (500, br#"{"Message":"no code"}"#, Some("")),
        (404, br#"{}"#, Some("")),
        (200, br#"{"Code":"Throttling"}"#, None),
        (502, b"<html>bad gateway</html>", None),
        (400, b"", None),
    ];
    for (status, body, want) in ali {
        let got = std::panic::catch_unwind(|| ListInstancesOfUserError::from_body(*status, body)).expect("no panic");
        assert_eq!(got.as_ref().map(|e| e.code()), *want, "{status} {}", String::from_utf8_lossy(body));
    }
}
