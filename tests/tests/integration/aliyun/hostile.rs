//! Hostile responses for ListInstancesOfUser (Alibaba Cloud CCC 2020-07-01), JSON and XML:
//! malformed and surprising bodies give a correct tolerant decode or a typed error naming
//! the field — never a panic.

use cloudapi::aliyun::ccc::v20200701::{ListInstancesOfUserError, ListInstancesOfUserResponse};
use cloudapi_tests::hostile::{ok, run, Case, Expect};

#[test]
fn list_instances_of_user_corpus() {
    let json = |b: &[u8]| ListInstancesOfUserResponse::from_json(b);
    let xml = |b: &[u8]| ListInstancesOfUserResponse::from_xml(b);
    let json_cases: Vec<Case<ListInstancesOfUserResponse>> = vec![
        ("empty body", b"".to_vec(), Expect::Err(".", "empty"), None),
        (
            "truncated",
            br#"{"Data":{"List":[{"AdminList":[{"RoleName":"Adm"#.to_vec(),
            Expect::Err("Data.List[0].AdminList[0].RoleName", "EOF"),
            None,
        ),
        (
            "Params as the document's string",
            r#"{"Params":"无"}"#.as_bytes().to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.params, ["无"])),
        ),
        (
            "Params as a real list",
            br#"{"Params":["a","b"]}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.params, ["a", "b"])),
        ),
        (
            "Params as a number",
            br#"{"Params":5}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.params, ["5"])),
        ),
        (
            "Params as an object",
            br#"{"Params":{"k":"v"}}"#.to_vec(),
            Expect::Err("Params", "string"),
            None,
        ),
        (
            "Data missing",
            br#"{"Code":"OK"}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| assert!(r.data.is_none())),
        ),
        (
            "Data null",
            br#"{"Data":null}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| assert!(r.data.is_none())),
        ),
        (
            "Data as [] (PHP-style empty object)",
            br#"{"Data":[]}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.data.as_ref().unwrap().list.len(), 0)),
        ),
        (
            "Data as a string",
            br#"{"Data":"none"}"#.to_vec(),
            Expect::Err("Data", "invalid type"),
            None,
        ),
        (
            "List as one object",
            br#"{"Data":{"List":{"Id":"x"}}}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.data.as_ref().unwrap().list[0].id.as_deref(), Some("x"))),
        ),
        (
            "Active as 1",
            br#"{"Data":{"List":[{"NumberList":[{"Active":1}]}]}}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| {
                assert_eq!(
                    r.data.as_ref().unwrap().list[0].number_list[0].active,
                    Some(true)
                )
            }),
        ),
        (
            "Active as maybe",
            br#"{"Data":{"List":[{"NumberList":[{"Active":"maybe"}]}]}}"#.to_vec(),
            Expect::Err("Data.List[0].NumberList[0].Active", "boolean"),
            None,
        ),
        (
            "UserCount as string",
            br#"{"Data":{"List":[{"NumberList":[{"SkillGroups":[{"UserCount":"12"}]}]}]}}"#
                .to_vec(),
            Expect::Ok(ok),
            Some(|r| {
                assert_eq!(
                    r.data.as_ref().unwrap().list[0].number_list[0].skill_groups[0].user_count,
                    Some(12)
                )
            }),
        ),
        (
            "UserCount with spaces",
            br#"{"Data":{"List":[{"NumberList":[{"SkillGroups":[{"UserCount":" 12 "}]}]}]}}"#
                .to_vec(),
            Expect::Ok(ok),
            None,
        ),
        (
            "AliyunUid as a big number",
            br#"{"Data":{"List":[{"AliyunUid":1571234567890123}]}}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| {
                assert_eq!(
                    r.data.as_ref().unwrap().list[0].aliyun_uid.as_deref(),
                    Some("1571234567890123")
                )
            }),
        ),
        (
            "HttpStatusCode as string",
            br#"{"HttpStatusCode":"200"}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.http_status_code, Some(200))),
        ),
        (
            "unknown role",
            br#"{"Data":{"List":[{"AdminList":[{"RoleName":"Auditor"}]}]}}"#.to_vec(),
            Expect::Ok(ok),
            None,
        ),
        (
            "error body decoded as a response",
            br#"{"RequestId":"r","HostId":"h","Code":"Throttling","Message":"m"}"#.to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.code.as_deref(), Some("Throttling"))),
        ),
        (
            "HTML page",
            b"<!DOCTYPE html><html>504 Gateway Time-out</html>".to_vec(),
            Expect::Err(".", "expected"),
            None,
        ),
        (
            "text/plain",
            b"Too Many Requests".to_vec(),
            Expect::Err(".", "expected"),
            None,
        ),
    ];
    let xml_cases: Vec<Case<ListInstancesOfUserResponse>> = vec![
        ("xml: empty", b"".to_vec(), Expect::Err(".", "empty"), None),
        (
            "xml: text only",
            b"hello".to_vec(),
            Expect::Err(".", "not XML"),
            None,
        ),
        (
            "xml: truncated",
            b"<Data><TotalCount>1</TotalCount><List><Id>x".to_vec(),
            Expect::Err(".", "truncated"),
            None,
        ),
        (
            "xml: mismatched tags",
            b"<Data><TotalCount>1</Data>".to_vec(),
            Expect::Err(".", "XML"),
            None,
        ),
        (
            "xml: wrapped in the response root",
            b"<ListInstancesOfUserResponse><Code>OK</Code></ListInstancesOfUserResponse>".to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.code.as_deref(), Some("OK"))),
        ),
        (
            "xml: empty element",
            b"<Data><TotalCount/></Data>".to_vec(),
            Expect::Err("Data.TotalCount", "integer"),
            None,
        ),
        (
            "xml: entity in text",
            b"<Message>a &amp; b &lt; c</Message>".to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.message.as_deref(), Some("a & b < c"))),
        ),
        (
            "xml: CDATA",
            b"<Message><![CDATA[<raw>]]></Message>".to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.message.as_deref(), Some("<raw>"))),
        ),
        (
            "xml: bad integer",
            b"<Data><PageSize>ten</PageSize></Data>".to_vec(),
            Expect::Err("Data.PageSize", "integer"),
            None,
        ),
        (
            "xml: repeated list",
            b"<Data><List><Id>a</Id></List><List><Id>b</Id></List></Data>".to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(r.data.as_ref().unwrap().list.len(), 2)),
        ),
        (
            "xml: deep nesting",
            format!("{}x{}", "<A>".repeat(200), "</A>".repeat(200)).into_bytes(),
            Expect::Err(".", "deeper"),
            None,
        ),
        (
            "xml: HTML error page",
            b"<html><body>502</body></html>".to_vec(),
            Expect::Ok(ok),
            Some(|r| assert_eq!(*r, ListInstancesOfUserResponse::default())),
        ),
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
fn error_bodies_with_missing_parts_are_still_typed_errors() {
    let cases: &[(u16, &[u8], Option<&str>)] = &[
        (
            400,
            br#"{"Code":"Parameter.Maximum"}"#,
            Some("Parameter.Maximum"),
        ),
        (500, br#"{"Message":"no code"}"#, Some("")),
        (404, br#"{}"#, Some("")),
        (200, br#"{"Code":"Throttling"}"#, None),
        (502, b"<html>bad gateway</html>", None),
        (400, b"", None),
    ];
    for (status, body, want) in cases {
        let got = std::panic::catch_unwind(|| ListInstancesOfUserError::from_body(*status, body))
            .expect("no panic");
        assert_eq!(
            got.as_ref().map(|e| e.code()),
            *want,
            "{status} {}",
            String::from_utf8_lossy(body)
        );
    }
}
