//! ListInstancesOfUser (Alibaba Cloud CCC 2020-07-01): decoding, validation, wire format, errors.

use cloudapi::aliyun::ccc::v20200701::list_instances_of_user::{
    InstanceStatus, NumberUsage, RoleName, WorkMode, EXAMPLE_RESPONSE_JSON, EXAMPLE_RESPONSE_XML,
};
use cloudapi::aliyun::ccc::v20200701::{
    CommonError, ListInstancesOfUserError, ListInstancesOfUserRequest, ListInstancesOfUserResponse,
};
use cloudapi::runtime::codec::tolerant::StringEnum;
use cloudapi::runtime::ViolationKind;
use serde_json::json;

fn request(
    page_number: i64,
    page_size: i64,
) -> Result<ListInstancesOfUserRequest, cloudapi::runtime::ValidationError> {
    ListInstancesOfUserRequest::builder()
        .page_number(page_number)
        .page_size(page_size)
        .build()
}

#[test]
fn the_spec_keeps_the_documents_examples_verbatim() {
    let doc = cloudapi_tests::seed("000_d03322ca07500d3d.txt");
    let blocks = cloudapi_tests::fenced_blocks(&doc);
    assert_eq!(blocks.len(), 3, "request, XML and JSON examples");
    assert_eq!(EXAMPLE_RESPONSE_XML, blocks[1]);
    assert_eq!(EXAMPLE_RESPONSE_JSON, blocks[2]);
    assert_eq!(
        cloudapi::aliyun::ccc::v20200701::list_instances_of_user::EXAMPLE_REQUEST,
        blocks[0]
    );
}

#[test]
fn decodes_the_documents_json_example_with_strings_for_numbers_and_booleans() {
    let r = ListInstancesOfUserResponse::from_json(EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
    assert_eq!(
        r.request_id.as_deref(),
        Some("3969FC68-CEC2-4398-B76A-60D2F7EDEBAF")
    );
    assert_eq!(r.message.as_deref(), Some("无"));
    assert_eq!(r.http_status_code, Some(200));
    assert_eq!(
        r.params,
        vec!["无".to_owned()],
        "a List that arrives as a string is kept"
    );
    assert_eq!(r.code.as_deref(), Some("OK"));
    let data = r.data.as_ref().unwrap();
    assert_eq!(
        (data.total_count, data.page_size, data.page_number),
        (Some(1), Some(10), Some(1))
    );
    assert_eq!(data.list.len(), 1);
    let inst = &data.list[0];
    assert_eq!(inst.status, Some(InstanceStatus::Running));
    assert_eq!(inst.description.as_deref(), Some("测试实例"));
    assert_eq!(inst.domain_name.as_deref(), Some("ccc-test"));
    assert_eq!(
        inst.console_url.as_deref(),
        Some("https://ccc-v2.aliyun.com/#/workbench/ccc-test")
    );
    assert_eq!(inst.aliyun_uid.as_deref(), Some("1571234567890123"));
    assert_eq!(inst.id.as_deref(), Some("ccc-test"));
    assert_eq!(inst.name.as_deref(), Some("云呼测试实例"));
    let admin = &inst.admin_list[0];
    assert_eq!(admin.extension.as_deref(), Some("80326034"));
    assert_eq!(admin.login_name.as_deref(), Some("user-test"));
    assert_eq!(admin.role_name, Some(RoleName::Admin));
    assert_eq!(admin.email.as_deref(), Some("18866668888@163.com"));
    assert_eq!(admin.instance_id.as_deref(), Some("ccc-test"));
    assert_eq!(admin.user_id.as_deref(), Some("user-test@ccc-test"));
    assert_eq!(admin.display_name.as_deref(), Some("云呼测试1"));
    assert_eq!(admin.role_id.as_deref(), Some("Admin@ccc-test"));
    assert_eq!(admin.mobile.as_deref(), Some("138xxxx2114"));
    assert_eq!(admin.work_mode, Some(WorkMode::OnSite));
    let number = &inst.number_list[0];
    assert_eq!(number.usage, Some(NumberUsage::Bidirection));
    assert_eq!(number.active, Some(true));
    assert_eq!(number.number.as_deref(), Some("083xxxx0011"));
    assert_eq!(
        number.contact_flow_id.as_deref(),
        Some("a3fb6c62-9b49-4942-ae5b-cf2abd4123ek")
    );
    assert_eq!(number.user_id.as_deref(), Some("user-test@ccc-test"));
    assert_eq!(number.city.as_deref(), Some("乐山"));
    assert_eq!(number.province.as_deref(), Some("四川"));
    let group = &number.skill_groups[0];
    assert_eq!(group.description.as_deref(), Some("测试"));
    assert_eq!(group.phone_number_count, Some(1));
    assert_eq!(group.instance_id.as_deref(), Some("ccc-test"));
    assert_eq!(group.user_count, Some(2));
    assert_eq!(group.display_name.as_deref(), Some("测试技能组"));
    assert_eq!(group.skill_group_id.as_deref(), Some("test@ccc-test"));
    assert_eq!(group.name.as_deref(), Some("test"));
}

#[test]
fn wire_typed_numbers_and_booleans_decode_to_the_same_model() {
    let mut v: serde_json::Value = serde_json::from_str(EXAMPLE_RESPONSE_JSON).unwrap();
    v["HttpStatusCode"] = json!(200);
    v["Data"]["TotalCount"] = json!(1);
    v["Data"]["PageSize"] = json!(10);
    v["Data"]["PageNumber"] = json!(1);
    v["Data"]["List"][0]["NumberList"][0]["Active"] = json!(true);
    v["Data"]["List"][0]["NumberList"][0]["SkillGroups"][0]["PhoneNumberCount"] = json!(1);
    v["Data"]["List"][0]["NumberList"][0]["SkillGroups"][0]["UserCount"] = json!(2);
    v["Data"]["List"][0]["AliyunUid"] = json!(1571234567890123u64);
    v["Params"] = json!(["无"]);
    let typed = ListInstancesOfUserResponse::from_json(v.to_string().as_bytes()).unwrap();
    let printed = ListInstancesOfUserResponse::from_json(EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
    assert_eq!(typed, printed);
}

#[test]
fn round_trips_through_json() {
    let r = ListInstancesOfUserResponse::from_json(EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
    let again = ListInstancesOfUserResponse::from_json(&serde_json::to_vec(&r).unwrap()).unwrap();
    assert_eq!(r, again);
}

#[test]
fn response_enums_keep_unknown_values() {
    let body = json!({"Data": {"List": [{"Status": "STOPPED", "AdminList": [{"RoleName": "Supervisor", "WorkMode": "OFFICE_PHONE"}],
        "NumberList": [{"Usage": "Inbound"}]}]}});
    let r = ListInstancesOfUserResponse::from_json(body.to_string().as_bytes()).unwrap();
    let inst = &r.data.unwrap().list[0];
    assert_eq!(inst.status, Some(InstanceStatus::Unknown("STOPPED".into())));
    assert_eq!(
        inst.admin_list[0].role_name.as_ref().map(RoleName::as_str),
        Some("Supervisor")
    );
    assert_eq!(
        inst.admin_list[0].work_mode,
        Some(WorkMode::Unknown("OFFICE_PHONE".into()))
    );
    assert_eq!(
        inst.number_list[0].usage.as_ref().unwrap().to_string(),
        "Inbound"
    );
    assert_eq!(RoleName::VALUES, ["Admin", "Manager", "Agent"]);
    for v in RoleName::VALUES {
        assert!(RoleName::from(*v).is_known());
    }
}

#[test]
fn a_single_object_where_a_list_is_expected_is_a_one_element_list() {
    let body = json!({"Data": {"List": {"Id": "only", "AdminList": {"UserId": "u"}}}});
    let r = ListInstancesOfUserResponse::from_json(body.to_string().as_bytes()).unwrap();
    let data = r.data.unwrap();
    assert_eq!(data.list.len(), 1);
    assert_eq!(data.list[0].admin_list[0].user_id.as_deref(), Some("u"));
}

#[test]
fn a_wrong_type_names_the_field_path() {
    let e = ListInstancesOfUserResponse::from_json(
        br#"{"Data":{"List":[{"NumberList":[{"Active":"maybe"}]}]}}"#,
    )
    .unwrap_err();
    assert_eq!(e.path(), "Data.List[0].NumberList[0].Active");
    let e = ListInstancesOfUserResponse::from_json(br#"{"Data":{"TotalCount":"1"#).unwrap_err();
    assert!(e.message().contains("EOF"), "{e}");
}

#[test]
fn the_query_is_ordered_action_version_then_parameters() {
    let req = request(1, 10).unwrap();
    let cloudapi::runtime::protocol::Payload::Query(q) =
        cloudapi::runtime::client::action::payload(&req)
    else {
        panic!("an RPC action sends query parameters");
    };
    assert_eq!(
        q.0,
        [
            ("Action", "ListInstancesOfUser"),
            ("Version", "2020-07-01"),
            ("PageNumber", "1"),
            ("PageSize", "10")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(q.get("PageSize"), Some("10"));
}

#[test]
fn page_number_and_page_size_range_edges_read_like_the_providers_messages() {
    for (n, ok) in [(0, false), (1, true), (50, true), (100, true), (101, false)] {
        assert_eq!(request(n, 10).is_ok(), ok, "PageNumber = {n}");
        assert_eq!(request(1, n).is_ok(), ok, "PageSize = {n}");
    }
    let e = request(1, 101).unwrap_err();
    assert_eq!(
        e.violations()[0].message,
        "The parameter PageSize must be less than or equal to 100."
    );
    let e = request(0, 10).unwrap_err();
    assert_eq!(
        e.violations()[0].message,
        "The parameter PageNumber must be greater than or equal to 1."
    );
    let e = request(0, 1000).unwrap_err();
    assert_eq!(e.violations().len(), 2);
    assert_eq!(
        e.for_parameter("PageSize").unwrap().kind,
        ViolationKind::Maximum {
            max: 100,
            actual: 1000
        }
    );
    // Opt-out for stale limits; required parameters are still enforced.
    assert!(ListInstancesOfUserRequest::builder()
        .page_number(1)
        .page_size(1000)
        .build_unchecked()
        .is_ok());
    let e = ListInstancesOfUserRequest::builder()
        .page_size(10)
        .build_unchecked()
        .unwrap_err();
    assert_eq!(e.violations()[0].parameter, "PageNumber");
    assert_eq!(
        ListInstancesOfUserRequest::builder()
            .build()
            .unwrap_err()
            .violations()
            .len(),
        2
    );
}

#[test]
#[allow(deprecated)] // checks the mapping to the deprecated `Unhandled` variant
fn every_documented_error_code_decodes_to_its_variant() {
    assert_eq!(ListInstancesOfUserError::CODES.len(), 2);
    assert_eq!(CommonError::CODES.len(), 11);
    for code in ListInstancesOfUserError::CODES
        .iter()
        .chain(CommonError::CODES)
    {
        let body = json!({"RequestId": "R-1", "HostId": "ccc.cn-shanghai.aliyuncs.com", "Code": code, "Message": "The parameter PageSize must be less than or equal to 100.", "Recommend": "https://next.api.aliyun.com/troubleshoot"});
        let e = ListInstancesOfUserError::from_body(400, body.to_string().as_bytes()).unwrap();
        assert!(
            !matches!(e, ListInstancesOfUserError::Unhandled(_)),
            "{code}"
        );
        assert_eq!(e.code(), *code);
        assert_eq!(e.request_id(), Some("R-1"));
        assert_eq!(e.http_status(), 400);
        assert_eq!(
            cloudapi::runtime::ServiceError::meta(&e).host_id(),
            Some("ccc.cn-shanghai.aliyuncs.com")
        );
        let retry = code.starts_with("Throttling")
            || *code == "InternalError"
            || *code == "ServiceUnavailable";
        assert_eq!(e.is_retryable(), retry, "{code}");
    }
    let e = ListInstancesOfUserError::from_body(400, br#"{"Code":"Parameter.Maximum","Message":"The parameter PageSize must be less than or equal to 100.","RequestId":"x"}"#).unwrap();
    assert!(matches!(e, ListInstancesOfUserError::ParameterMaximum(_)));
    // A success body with "Code": "OK" is not an error; an unknown 503 is retryable.
    assert!(ListInstancesOfUserError::from_body(200, EXAMPLE_RESPONSE_JSON.as_bytes()).is_none());
    let e =
        ListInstancesOfUserError::from_body(503, br#"{"Code":"Brand.New","Message":"m"}"#).unwrap();
    assert!(matches!(e, ListInstancesOfUserError::Unhandled(_)) && e.is_retryable());
}

#[test]
fn the_documents_xml_example_decodes_to_the_same_model_as_its_json_example() {
    let from_xml = ListInstancesOfUserResponse::from_xml(EXAMPLE_RESPONSE_XML.as_bytes()).unwrap();
    let from_json =
        ListInstancesOfUserResponse::from_json(EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
    assert_eq!(from_xml, from_json);
    // A real server wraps the fields in a root element; two list items become a list.
    let wrapped = format!(
        "<?xml version='1.0' encoding='UTF-8'?><ListInstancesOfUserResponse>{}</ListInstancesOfUserResponse>",
        EXAMPLE_RESPONSE_XML.replace("</List>", "</List><List><Id>second</Id></List>")
    );
    let r = ListInstancesOfUserResponse::from_xml(wrapped.as_bytes()).unwrap();
    let list = &r.data.as_ref().unwrap().list;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0], from_json.data.as_ref().unwrap().list[0]);
    assert_eq!(list[1].id.as_deref(), Some("second"));
    let e = ListInstancesOfUserResponse::from_xml(b"<Data><TotalCount>many</TotalCount></Data>")
        .unwrap_err();
    assert_eq!(e.path(), "Data.TotalCount");
}

#[test]
fn empty_xml_elements_decode_as_empty_structures_and_lists() {
    let empty_data = ListInstancesOfUserResponse::from_xml(
        b"<ListInstancesOfUserResponse><RequestId>r</RequestId><Data/></ListInstancesOfUserResponse>",
    )
    .unwrap();
    assert_eq!(empty_data.request_id.as_deref(), Some("r"));
    let data = empty_data
        .data
        .expect("an empty <Data/> is an empty structure, not absent");
    assert!(data.list.is_empty() && data.total_count.is_none());
    for body in [
        "<ListInstancesOfUserResponse><Data><List/></Data></ListInstancesOfUserResponse>",
        "<ListInstancesOfUserResponse><Data><List></List></Data></ListInstancesOfUserResponse>",
        "<ListInstancesOfUserResponse><Data>\n  </Data></ListInstancesOfUserResponse>",
    ] {
        let r = ListInstancesOfUserResponse::from_xml(body.as_bytes())
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        assert!(r.data.unwrap().list.is_empty(), "{body}");
    }
    let one = ListInstancesOfUserResponse::from_xml(
        b"<ListInstancesOfUserResponse><Data><List><Id>a</Id><AdminList/></List></Data></ListInstancesOfUserResponse>",
    )
    .unwrap();
    let list = one.data.unwrap().list;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id.as_deref(), Some("a"));
    assert!(list[0].admin_list.is_empty());
    // Text where a structure belongs is still an error naming the field.
    let e = ListInstancesOfUserResponse::from_xml(
        b"<ListInstancesOfUserResponse><Data>oops</Data></ListInstancesOfUserResponse>",
    )
    .unwrap_err();
    assert_eq!(e.path(), "Data");
}
