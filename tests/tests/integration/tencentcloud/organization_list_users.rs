//! ListUsers (Tencent Cloud Organization 2021-03-31): decoding, validation, wire format, errors.

use cloudapi::runtime::codec::tolerant::StringEnum;
use cloudapi::runtime::ViolationKind;
use cloudapi::tencentcloud::organization::v20210331::list_users::{
    self, SortField, SortType, UserStatus, UserType, EXAMPLE_RESPONSE_JSON,
};
use cloudapi::tencentcloud::organization::v20210331::{
    CommonError, ListUsersError, ListUsersRequest, ListUsersResponse,
};
use serde_json::json;

#[test]
fn the_spec_keeps_the_documents_response_example_verbatim() {
    let doc = cloudapi_tests::seed("003_118c4208ee91e0ab.txt");
    let printed = cloudapi_tests::between(&doc, "输出示例\n", "5. 开发者资源");
    assert_eq!(EXAMPLE_RESPONSE_JSON, printed);
}

#[test]
fn decodes_the_documents_example_exactly_as_printed() {
    let r = ListUsersResponse::from_json(EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
    assert_eq!(r.total_counts, Some(50));
    assert_eq!(r.max_results, Some(20));
    assert_eq!(
        r.next_token.as_deref(),
        Some("OTM0YzE4MzY2ZjdhMWM0MYZDhnYaxsiYTLI=")
    );
    assert_eq!(r.is_truncated, Some(true));
    assert_eq!(
        r.request_id.as_deref(),
        Some("e297543a-80de-4039-83c8-9d35d4545")
    );
    assert_eq!(r.users.len(), 1);
    let u = &r.users[0];
    assert_eq!(u.user_name.as_deref(), Some("test"));
    assert_eq!(u.first_name.as_deref(), Some("test"));
    assert_eq!(u.last_name.as_deref(), Some("test"));
    assert_eq!(u.display_name.as_deref(), Some("test"));
    assert_eq!(u.description.as_deref(), Some("this is user"));
    assert_eq!(u.email.as_deref(), Some("test@example"));
    assert_eq!(u.user_status, Some(UserStatus::Enabled));
    assert_eq!(u.user_type, Some(UserType::Manual));
    assert_eq!(u.user_id.as_deref(), Some("u-2s334e3***"));
    assert_eq!(u.create_time.as_deref(), Some("2024-03-12 12:12:12"));
    assert_eq!(u.update_time.as_deref(), Some("2024-03-12 12:12:12"));
    assert_eq!(u.is_selected, None);
}

#[test]
fn accepts_strings_for_numbers_and_booleans_and_keeps_unknown_values() {
    let body = json!({"Response": {
        "TotalCounts": "3", "MaxResults": "10", "IsTruncated": "false",
        "Users": [{"UserStatus": "Locked", "UserType": "Synchronized", "IsSelected": "1", "Brand": "new"}],
        "SomethingNew": {"a": 1}, "RequestId": "r-1"
    }});
    let r = ListUsersResponse::from_json(body.to_string().as_bytes()).unwrap();
    assert_eq!(r.total_counts, Some(3));
    assert_eq!(r.is_truncated, Some(false));
    assert_eq!(
        r.users[0].user_status,
        Some(UserStatus::Unknown("Locked".into()))
    );
    assert_eq!(r.users[0].user_type, Some(UserType::Synchronized));
    assert_eq!(r.users[0].is_selected, Some(1));
    assert!(!r.users[0].user_status.as_ref().unwrap().is_known());
}

#[test]
fn a_boolean_is_selected_decodes_as_the_official_sdk_sends_it() {
    // The document says integer; the service and the official SDK's model say boolean.
    // One field of one user must not fail the whole page.
    let r = ListUsersResponse::from_json(
        br#"{"Response":{"Users":[{"UserId":"u-1","IsSelected":true},{"UserId":"u-2","IsSelected":false}],"RequestId":"r"}}"#,
    )
    .unwrap();
    assert_eq!(r.users[0].is_selected, Some(1));
    assert_eq!(r.users[1].is_selected, Some(0));
}

#[test]
fn nulls_and_missing_fields_are_absent_and_a_bad_field_is_named() {
    let r =
        ListUsersResponse::from_json(br#"{"Response":{"Users":null,"TotalCounts":null}}"#).unwrap();
    assert!(r.users.is_empty());
    assert_eq!(r.total_counts, None);
    let e = ListUsersResponse::from_json(br#"{"Response":{"Users":[{"IsSelected":"yes"}]}}"#)
        .unwrap_err();
    assert_eq!(e.path(), "Response.Users[0].IsSelected");
    assert!(e.message().contains("integer"), "{e}");
    assert!(e.body().contains("\"yes\""));
    let e = ListUsersResponse::from_json(b"").unwrap_err();
    assert_eq!(e.message(), "the body is empty");
}

#[test]
fn round_trips_through_json() {
    let r = ListUsersResponse::from_json(EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
    let wrapped = json!({ "Response": serde_json::to_value(&r).unwrap() });
    let again = ListUsersResponse::from_json(wrapped.to_string().as_bytes()).unwrap();
    assert_eq!(r, again);
}

/// The JSON body the client sends for `req`.
fn json_body(req: &ListUsersRequest) -> serde_json::Value {
    match cloudapi::runtime::client::action::payload(req) {
        cloudapi::runtime::protocol::Payload::Json(body) => serde_json::from_slice(&body).unwrap(),
        other => panic!("a POST action sends a JSON body, got {other:?}"),
    }
}

#[test]
fn the_minimal_request_is_the_documents_input_example() {
    let req = ListUsersRequest::builder()
        .zone_id("z-2sw22w3")
        .build()
        .unwrap();
    let body: serde_json::Value = json_body(&req);
    assert_eq!(body, json!({"ZoneId": "z-2sw22w3"}));
    assert_eq!(ListUsersRequest::ACTION, "ListUsers");
    assert_eq!(ListUsersRequest::VERSION, "2021-03-31");
}

#[test]
fn every_parameter_reaches_the_json_body_with_filter_groups_as_an_array() {
    let req = ListUsersRequest::builder()
        .zone_id("z-1")
        .user_status(UserStatus::Disabled)
        .user_type("Manual")
        .filter("张三")
        .max_results(100)
        .next_token("tok")
        .filter_groups(["g-sjwidjssd", "g-djsiendidmd"])
        .sort_field(SortField::CreateTime)
        .sort_type(SortType::Asc)
        .build()
        .unwrap();
    let body: serde_json::Value = json_body(&req);
    assert_eq!(
        body,
        json!({"ZoneId": "z-1", "UserStatus": "Disabled", "UserType": "Manual", "Filter": "张三", "MaxResults": 100,
               "NextToken": "tok", "FilterGroups": ["g-sjwidjssd", "g-djsiendidmd"], "SortField": "CreateTime", "SortType": "Asc"})
    );
    // The request decodes back (the stub server reads requests this way).
    let back: ListUsersRequest = serde_json::from_value(body).unwrap();
    assert_eq!(back, req);
}

#[test]
fn zone_id_is_required() {
    let e = ListUsersRequest::builder().build().unwrap_err();
    assert_eq!(e.violations().len(), 1);
    assert_eq!(e.violations()[0].parameter, "ZoneId");
    assert_eq!(e.violations()[0].kind, ViolationKind::Required);
    // build_unchecked still enforces required parameters.
    assert!(ListUsersRequest::builder().build_unchecked().is_err());
}

#[test]
fn max_results_range_edges() {
    for (value, ok) in [
        (0, false),
        (1, true),
        (10, true),
        (100, true),
        (101, false),
        (-5, false),
    ] {
        let r = ListUsersRequest::builder()
            .zone_id("z")
            .max_results(value)
            .build();
        assert_eq!(r.is_ok(), ok, "MaxResults = {value}");
    }
    let e = ListUsersRequest::builder()
        .zone_id("z")
        .max_results(101)
        .build()
        .unwrap_err();
    assert_eq!(
        e.violations()[0].message,
        "The parameter MaxResults must be less than or equal to 100."
    );
    assert_eq!(
        e.violations()[0].kind,
        ViolationKind::Maximum {
            max: 100,
            actual: 101
        }
    );
    let e = ListUsersRequest::builder()
        .zone_id("z")
        .max_results(0)
        .build()
        .unwrap_err();
    assert_eq!(
        e.violations()[0].kind,
        ViolationKind::Minimum { min: 1, actual: 0 }
    );
    // The opt-out lets a stale limit through.
    assert_eq!(
        ListUsersRequest::builder()
            .zone_id("z")
            .max_results(500)
            .build_unchecked()
            .unwrap()
            .max_results,
        Some(500)
    );
}

#[test]
fn every_documented_enum_value_is_accepted_and_others_are_rejected() {
    for v in UserStatus::VALUES {
        assert!(
            ListUsersRequest::builder()
                .zone_id("z")
                .user_status(*v)
                .build()
                .is_ok(),
            "UserStatus {v}"
        );
    }
    for v in UserType::VALUES {
        assert!(
            ListUsersRequest::builder()
                .zone_id("z")
                .user_type(*v)
                .build()
                .is_ok(),
            "UserType {v}"
        );
    }
    for v in SortField::VALUES {
        assert!(
            ListUsersRequest::builder()
                .zone_id("z")
                .sort_field(*v)
                .build()
                .is_ok(),
            "SortField {v}"
        );
    }
    for v in SortType::VALUES {
        assert!(
            ListUsersRequest::builder()
                .zone_id("z")
                .sort_field("CreateTime")
                .sort_type(*v)
                .build()
                .is_ok(),
            "SortType {v}"
        );
    }
    assert_eq!(UserStatus::VALUES, ["Enabled", "Disabled"]);
    assert_eq!(UserType::VALUES, ["Manual", "Synchronized"]);
    assert_eq!(SortField::VALUES, ["CreateTime"]);
    assert_eq!(SortType::VALUES, ["Desc", "Asc"]);
    let e = ListUsersRequest::builder()
        .zone_id("z")
        .user_status("Deleted")
        .build()
        .unwrap_err();
    assert_eq!(e.violations()[0].parameter, "UserStatus");
    assert!(
        matches!(&e.violations()[0].kind, ViolationKind::NotInEnum { value, .. } if value == "Deleted")
    );
    assert!(ListUsersRequest::builder()
        .zone_id("z")
        .user_status("Deleted")
        .build_unchecked()
        .is_ok());
}

#[test]
fn sort_type_requires_sort_field() {
    let e = ListUsersRequest::builder()
        .zone_id("z")
        .sort_type(SortType::Desc)
        .build()
        .unwrap_err();
    assert_eq!(e.violations()[0].parameter, "SortType");
    assert_eq!(
        e.violations()[0].kind,
        ViolationKind::Requires { other: "SortField" }
    );
    assert!(ListUsersRequest::builder()
        .zone_id("z")
        .sort_field(SortField::CreateTime)
        .build()
        .is_ok());
}

#[test]
fn offset_must_not_be_combined_with_next_token() {
    let e = ListUsersRequest::builder()
        .zone_id("z")
        .offset(0)
        .next_token("t")
        .build()
        .unwrap_err();
    assert_eq!(
        e.violations()[0].kind,
        ViolationKind::Conflicts { other: "NextToken" }
    );
    assert!(ListUsersRequest::builder()
        .zone_id("z")
        .offset(20)
        .build()
        .is_ok());
    // The service lets NextToken win; the opt-out sends both.
    assert!(ListUsersRequest::builder()
        .zone_id("z")
        .offset(0)
        .next_token("t")
        .build_unchecked()
        .is_ok());
}

#[test]
fn all_violations_are_reported_at_once() {
    let e = ListUsersRequest::builder()
        .max_results(0)
        .user_type("Robot")
        .sort_type("Desc")
        .offset(1)
        .next_token("t")
        .build()
        .unwrap_err();
    let params: Vec<&str> = e.violations().iter().map(|v| &*v.parameter).collect();
    assert_eq!(
        params,
        ["ZoneId", "UserType", "MaxResults", "SortType", "Offset"]
    );
    let text = e.to_string();
    assert!(
        text.starts_with("invalid ListUsers request: The parameter ZoneId is required."),
        "{text}"
    );
}

#[test]
#[allow(deprecated)] // checks the mapping to the deprecated `Unhandled` variant
fn every_documented_error_code_decodes_to_its_variant() {
    assert_eq!(ListUsersError::CODES.len(), 4);
    // The provider's 33 common codes and the product's 315 from its SDK's errorcodes.py.
    assert_eq!(CommonError::CODES.len(), 33 + 315);
    for code in ListUsersError::CODES.iter().chain(CommonError::CODES) {
        let body = json!({"Response": {"Error": {"Code": code, "Message": format!("msg {code}")}, "RequestId": "req-9"}});
        let e = ListUsersError::from_body(200, body.to_string().as_bytes()).unwrap();
        assert!(
            !matches!(e, ListUsersError::Unhandled(_)),
            "{code} fell through"
        );
        // The action's own codes match first, even where the product lists them too.
        assert_eq!(
            matches!(e, ListUsersError::Common(_)),
            !ListUsersError::CODES.contains(code),
            "{code}"
        );
        assert_eq!(e.code(), *code);
        assert_eq!(e.message(), format!("msg {code}"));
        assert_eq!(e.request_id(), Some("req-9"));
        assert_eq!(e.http_status(), 200);
        let retry = code.starts_with("RequestLimitExceeded");
        assert_eq!(e.is_retryable(), retry, "{code}");
    }
    let e = ListUsersError::from_body(200, br#"{"Response":{"Error":{"Code":"FailedOperation.ZoneIdNotExist","Message":"m"},"RequestId":"r"}}"#).unwrap();
    assert!(matches!(
        e,
        ListUsersError::FailedOperationZoneIdNotExist(_)
    ));
    assert!(matches!(
        ListUsersError::from_body(
            200,
            br#"{"Response":{"Error":{"Code":"InternalError","Message":"m"}}}"#
        )
        .unwrap(),
        ListUsersError::Common(CommonError::InternalError(_))
    ));
}

#[test]
#[allow(deprecated)] // checks the mapping to the deprecated `Unhandled` variant
fn unknown_codes_fall_back_and_non_errors_are_not_errors() {
    let e = ListUsersError::from_body(
        200,
        br#"{"Response":{"Error":{"Code":"Brand.NewCode","Message":"m"},"RequestId":"r"}}"#,
    )
    .unwrap();
    assert!(matches!(&e, ListUsersError::Unhandled(u) if u.meta().code() == "Brand.NewCode"));
    assert_eq!(e.meta().request_id(), Some("r"));
    assert!(ListUsersError::from_body(200, EXAMPLE_RESPONSE_JSON.as_bytes()).is_none());
    assert!(ListUsersError::from_body(502, b"<html>bad gateway</html>").is_none());
    let shown = e.to_string();
    assert!(
        shown.contains("Brand.NewCode") && shown.contains("r"),
        "{shown}"
    );
}

#[test]
fn module_constants_come_from_the_spec() {
    use cloudapi::tencentcloud::organization::v20210331 as m;
    assert_eq!(m::ENDPOINT, "organization.tencentcloudapi.com");
    assert_eq!(m::SERVICE, "organization");
    assert_eq!(m::VERSION, "2021-03-31");
    assert_eq!(list_users::ListUsersRequest::ACTION, "ListUsers");
}
