//! A fixed sample of each imported product's actions, end to end through the generated
//! stub server over real HTTP on 127.0.0.1, signed by the client and verified by the stub:
//! Tencent Cloud Organization 2021-03-31 (TC3, JSON bodies) and Alibaba Cloud CCC
//! 2020-07-01 (RPC, query and form parameters, HMAC-SHA1 and ACS3).
//!
//! Each sampled action is sent once with values from its document's examples where the
//! document gives them. The stub's handler records the request it decoded, which must equal
//! the one the client built; the wire form (JSON body, query or form parameters) is checked
//! against the document's example request; the decoded response must equal the document's
//! example (`EXAMPLE_RESPONSE_JSON`) or, where the document shows none, the one synthesized
//! from the model (`SYNTHESIZED_RESPONSE_JSON`). Besides: one paginated action through its
//! `_items` stream, one documented error code per product decoded into its variant, and
//! requests that break a documented constraint, refused by the builder before sending.

use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudapi::runtime::protocol::Incoming;
use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, ConfigBuilder, Credentials, DecodeError, RetryPolicy, SdkError};

/// The requests one stub handler decoded, in order.
type Seen<T> = Arc<Mutex<Vec<T>>>;

/// A handler that records each decoded request and answers with the action's example.
fn recorder<Req: Send + 'static, Resp>() -> (
    Seen<Req>,
    impl Fn(Req) -> Reply<Resp> + Send + Sync + 'static,
) {
    let seen: Seen<Req> = Arc::default();
    let inner = seen.clone();
    (seen, move |req| {
        inner.lock().unwrap().push(req);
        Reply::Example
    })
}

/// A client configuration for a stub: no retries (a failure must surface at once) and a
/// short timeout (a hang fails the test quickly).
fn config(credentials: Credentials, endpoint: &str) -> ConfigBuilder {
    Config::builder(credentials)
        .endpoint(endpoint)
        .retry(RetryPolicy::none())
        .request_timeout(Duration::from_secs(5))
}

/// Sends `req` with `send`; the handler must have decoded exactly `req`, and the response
/// must equal `expected_json` decoded by `decode` (the document's or the synthesized
/// example, which the stub's default handler answers with).
async fn round_trip<Req, Resp, E, Fut>(
    seen: &Seen<Req>,
    req: Req,
    send: impl FnOnce(Req) -> Fut,
    expected_json: &str,
    decode: fn(&[u8]) -> Result<Resp, DecodeError>,
) -> Resp
where
    Req: Clone + PartialEq + Debug,
    Resp: PartialEq + Debug,
    E: Debug,
    Fut: Future<Output = Result<Resp, SdkError<E>>>,
{
    let before = seen.lock().unwrap().len();
    let resp = send(req.clone())
        .await
        .unwrap_or_else(|e| panic!("{req:?} failed: {e:?}"));
    {
        let got = seen.lock().unwrap();
        assert_eq!(got.len(), before + 1, "the handler ran once for {req:?}");
        assert_eq!(got[before], req, "the stub decoded what the client built");
    }
    let expected = decode(expected_json.as_bytes()).expect("the example decodes");
    assert_eq!(resp, expected, "the response is the example, decoded");
    resp
}

/// The last request the stub received for `action`.
fn last(received: &[Incoming], action: &str) -> Incoming {
    received
        .iter()
        .rev()
        .find(|r| r.action == action)
        .unwrap_or_else(|| panic!("the stub received no {action}"))
        .clone()
}

mod tencent_organization {
    use super::*;

    use cloudapi::runtime::ViolationKind;
    use cloudapi::tencentcloud::organization::v20210331 as org;
    use futures_util::StreamExt;
    use org::stub::StubServer;
    use org::types::{RoleAssignmentInfo, Tag};
    use org::{Client, CommonError};
    use serde_json::{json, Value};

    fn creds() -> Credentials {
        Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        )
    }

    /// The JSON body the stub received for `action`.
    fn body(received: &[Incoming], action: &str) -> Value {
        let r = last(received, action);
        assert_eq!(r.method, "POST", "{action}");
        assert_eq!(r.header("x-tc-action"), Some(action));
        assert_eq!(r.header("x-tc-version"), Some("2021-03-31"));
        assert!(
            r.header("authorization").is_some_and(|a| a
                .starts_with("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/")),
            "{action} is signed with TC3: {:?}",
            r.header("authorization")
        );
        serde_json::from_slice(&r.body)
            .unwrap_or_else(|e| panic!("{action}: the body is not JSON ({e})"))
    }

    /// A response member the spec marks `secret` decodes as sent and prints redacted.
    #[test]
    fn a_secret_in_a_response_is_redacted_in_debug() {
        let resp = org::GetUserResponse::from_json(
            br#"{"Response": {"UserInfo": {"UserName": "Alice", "Password": "d2!x93nesA"}, "RequestId": "r-1"}}"#,
        )
        .unwrap();
        let user = resp.user_info.as_ref().unwrap();
        assert_eq!(user.password.as_deref(), Some("d2!x93nesA"));
        let shown = format!("{resp:?}");
        assert!(!shown.contains("d2!x93nesA"), "{shown}");
        assert!(
            shown.contains("password: Some(\"** redacted **\")"),
            "{shown}"
        );
        assert!(shown.contains("Alice"), "{shown}");
        let mut unset = user.clone();
        unset.password = None;
        assert!(format!("{unset:?}").contains("password: None"));
    }

    /// Twelve actions, each with the document's example values, over one stub.
    #[tokio::test]
    async fn a_sample_of_actions_round_trips_with_the_documents_examples() {
        use org::add_organization_node::{AddOrganizationNodeRequest, AddOrganizationNodeResponse};
        use org::add_share_unit_resources::{
            AddShareUnitResourcesRequest, AddShareUnitResourcesResponse, ProductResource,
        };
        use org::audit_permission_apply_order::{
            AuditPermissionApplyOrderRequest, AuditPermissionApplyOrderResponse, AuditResult,
        };
        use org::check_account_delete::{CheckAccountDeleteRequest, CheckAccountDeleteResponse};
        use org::create_role_assignment::{
            CreateRoleAssignmentRequest, CreateRoleAssignmentResponse,
        };
        use org::create_role_configuration::{
            CreateRoleConfigurationRequest, CreateRoleConfigurationResponse,
        };
        use org::describe_identity_center::{
            DescribeIdentityCenterRequest, DescribeIdentityCenterResponse,
        };
        use org::describe_organization::{
            DescribeOrganizationRequest, DescribeOrganizationResponse,
        };
        use org::describe_organization_financial_by_month::{
            DescribeOrganizationFinancialByMonthRequest,
            DescribeOrganizationFinancialByMonthResponse,
        };
        use org::describe_organization_members::{
            DescribeOrganizationMembersRequest, DescribeOrganizationMembersResponse,
        };
        use org::get_user::{GetUserRequest, GetUserResponse};
        use org::update_ip_whitelist::{UpdateIpWhitelistRequest, UpdateIpWhitelistResponse};

        let (s_describe_org, h1) = recorder();
        let (s_identity_center, h2) = recorder();
        let (s_add_resources, h3) = recorder();
        let (s_role_assignment, h4) = recorder();
        let (s_add_node, h5) = recorder();
        let (s_financial, h6) = recorder();
        let (s_audit, h7) = recorder();
        let (s_get_user, h8) = recorder();
        let (s_check_delete, h9) = recorder();
        let (s_members, h10) = recorder();
        let (s_whitelist, h11) = recorder();
        let (s_role_config, h12) = recorder();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::tencentcloud::organization::v20210331::DescribeOrganization>(h1)
            .on::<cloudapi::tencentcloud::organization::v20210331::DescribeIdentityCenter>(h2)
            .on::<cloudapi::tencentcloud::organization::v20210331::AddShareUnitResources>(h3)
            .on::<cloudapi::tencentcloud::organization::v20210331::CreateRoleAssignment>(h4)
            .on::<cloudapi::tencentcloud::organization::v20210331::AddOrganizationNode>(h5)
            .on::<cloudapi::tencentcloud::organization::v20210331::DescribeOrganizationFinancialByMonth>(h6)
            .on::<cloudapi::tencentcloud::organization::v20210331::AuditPermissionApplyOrder>(h7)
            .on::<cloudapi::tencentcloud::organization::v20210331::GetUser>(h8)
            .on::<cloudapi::tencentcloud::organization::v20210331::CheckAccountDelete>(h9)
            .on::<cloudapi::tencentcloud::organization::v20210331::DescribeOrganizationMembers>(h10)
            .on::<cloudapi::tencentcloud::organization::v20210331::UpdateIpWhitelist>(h11)
            .on::<cloudapi::tencentcloud::organization::v20210331::CreateRoleConfiguration>(h12)
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).build()).unwrap();

        // No parameters at all; optional parameters left out (the document's `{}`).
        let r = round_trip(
            &s_describe_org,
            DescribeOrganizationRequest::builder().build().unwrap(),
            |r| c.call(r),
            org::describe_organization::EXAMPLE_RESPONSE_JSON,
            DescribeOrganizationResponse::from_json,
        )
        .await;
        assert_eq!(r.org_id, Some(101));
        assert_eq!(r.org_permission.len(), 2);
        let r = round_trip(
            &s_identity_center,
            DescribeIdentityCenterRequest::builder().build().unwrap(),
            |r| c.call(r),
            org::describe_identity_center::EXAMPLE_RESPONSE_JSON,
            DescribeIdentityCenterResponse::from_json,
        )
        .await;
        assert_eq!(r.zone_id.as_deref(), Some("z-vft38p2hq8tq"));

        // A required list of structures, nested in the JSON body.
        round_trip(
            &s_add_resources,
            AddShareUnitResourcesRequest::builder()
                .unit_id("shareUnit-xhre**ra2p")
                .area("ap-guangzhou")
                .type_("secret")
                .resources([ProductResource::default().product_resource_id("sec***002")])
                .build()
                .unwrap(),
            |r| c.call(r),
            org::add_share_unit_resources::EXAMPLE_RESPONSE_JSON,
            AddShareUnitResourcesResponse::from_json,
        )
        .await;
        // An optional list of structures with an integer member; a list in the response.
        let r = round_trip(
            &s_role_assignment,
            CreateRoleAssignmentRequest::builder()
                .zone_id("z-djw83n***")
                .role_assignment_info([RoleAssignmentInfo::default()
                    .role_configuration_id("rc-sjsiw2***")
                    .target_type("MemberUin")
                    .target_uin(1000023222i64)
                    .principal_type("User")
                    .principal_id("u-0829jd8d***")])
                .build()
                .unwrap(),
            |r| c.call(r),
            org::create_role_assignment::EXAMPLE_RESPONSE_JSON,
            CreateRoleAssignmentResponse::from_json,
        )
        .await;
        assert_eq!(r.tasks[0].status.as_deref(), Some("InProgress"));
        // A shared structure type (`Tag`) in a list, beside a u64.
        let r = round_trip(
            &s_add_node,
            AddOrganizationNodeRequest::builder()
                .parent_node_id(101u64)
                .name("node_name")
                .tags([Tag::default().tag_key("key").tag_value("value")])
                .build()
                .unwrap(),
            |r| c.call(r),
            org::add_organization_node::EXAMPLE_RESPONSE_JSON,
            AddOrganizationNodeResponse::from_json,
        )
        .await;
        assert_eq!(r.node_id, Some(1001));
        // No required parameters; lists of integers and strings; a ranged integer.
        let r = round_trip(
            &s_financial,
            DescribeOrganizationFinancialByMonthRequest::builder()
                .limit(5)
                .end_month("2023-01")
                .member_uins([100000000001i64])
                .product_codes(["p_cvm"])
                .build()
                .unwrap(),
            |r| c.call(r),
            org::describe_organization_financial_by_month::EXAMPLE_RESPONSE_JSON,
            DescribeOrganizationFinancialByMonthResponse::from_json,
        )
        .await;
        assert_eq!(r.items.len(), 3);
        assert_eq!(r.items[0].total_cost, Some(1002.1));
        // An enumerated parameter and non-ASCII text.
        round_trip(
            &s_audit,
            AuditPermissionApplyOrderRequest::builder()
                .zone_id("z-a1b2c3d4e5")
                .apply_id("apply-3f5a7c9e1b2d4f6a")
                .audit_result(AuditResult::Reject)
                .audit_opinion("权限范围过大，请拆分后重新申请")
                .build()
                .unwrap(),
            |r| c.call(r),
            org::audit_permission_apply_order::EXAMPLE_RESPONSE_JSON,
            AuditPermissionApplyOrderResponse::from_json,
        )
        .await;
        // Two required strings; a structure in the response.
        let r = round_trip(
            &s_get_user,
            GetUserRequest::builder()
                .user_id("u-4i293bf3indh")
                .zone_id("z-hfp2qqncf343")
                .build()
                .unwrap(),
            |r| c.call(r),
            org::get_user::EXAMPLE_RESPONSE_JSON,
            GetUserResponse::from_json,
        )
        .await;
        assert_eq!(
            r.user_info.and_then(|u| u.email).as_deref(),
            Some("test@example.com")
        );
        // A 12-digit integer; a nested structure with empty lists in the response.
        let r = round_trip(
            &s_check_delete,
            CheckAccountDeleteRequest::builder()
                .member_uin(111111111111i64)
                .build()
                .unwrap(),
            |r| c.call(r),
            org::check_account_delete::EXAMPLE_RESPONSE_JSON,
            CheckAccountDeleteResponse::from_json,
        )
        .await;
        assert_eq!(r.allow_delete, Some(true));
        assert_eq!(
            r.not_allow_reason.and_then(|n| n.billing_permission),
            Some(true)
        );
        // Required integers, one ranged, with an optional string.
        let r = round_trip(
            &s_members,
            DescribeOrganizationMembersRequest::builder()
                .lang("zh")
                .limit(10u64)
                .offset(0u64)
                .build()
                .unwrap(),
            |r| c.call(r),
            org::describe_organization_members::EXAMPLE_RESPONSE_JSON,
            DescribeOrganizationMembersResponse::from_json,
        )
        .await;
        assert_eq!(r.items[0].member_uin, Some(111111111111));
        // A list of strings, nothing required.
        let r = round_trip(
            &s_whitelist,
            UpdateIpWhitelistRequest::builder()
                .zone_id("z-dh5i84h4u***")
                .ip_whitelist(["21.36.103.0/8"])
                .build()
                .unwrap(),
            |r| c.call(r),
            org::update_ip_whitelist::EXAMPLE_RESPONSE_JSON,
            UpdateIpWhitelistResponse::from_json,
        )
        .await;
        assert_eq!(r.success, Some(true));
        // A ranged integer at its documented minimum, among optional strings.
        let r = round_trip(
            &s_role_config,
            CreateRoleConfigurationRequest::builder()
                .zone_id("z-33923n")
                .role_configuration_name("conf1")
                .description("this is role configuration")
                .session_duration(900)
                .relay_state("https://console.cloud.tencent.com")
                .build()
                .unwrap(),
            |r| c.call(r),
            org::create_role_configuration::EXAMPLE_RESPONSE_JSON,
            CreateRoleConfigurationResponse::from_json,
        )
        .await;
        assert_eq!(
            r.role_configuration_info
                .and_then(|i| i.role_configuration_id)
                .as_deref(),
            Some("rc-s2ns92ns***")
        );

        // On the wire: each body is the document's example request body (with the
        // parameter examples added where the request example leaves a list out).
        let got = stub.received();
        assert_eq!(got.len(), 12, "one HTTP request per action");
        let expected = [
            ("DescribeOrganization", json!({})),
            ("DescribeIdentityCenter", json!({})),
            (
                "AddShareUnitResources",
                json!({"Area": "ap-guangzhou", "Type": "secret",
                       "Resources": [{"ProductResourceId": "sec***002"}],
                       "UnitId": "shareUnit-xhre**ra2p"}),
            ),
            (
                "CreateRoleAssignment",
                json!({"ZoneId": "z-djw83n***", "RoleAssignmentInfo": [{
                    "RoleConfigurationId": "rc-sjsiw2***", "TargetType": "MemberUin",
                    "TargetUin": 1000023222u64, "PrincipalType": "User",
                    "PrincipalId": "u-0829jd8d***"}]}),
            ),
            (
                "AddOrganizationNode",
                json!({"Name": "node_name", "ParentNodeId": 101,
                       "Tags": [{"TagKey": "key", "TagValue": "value"}]}),
            ),
            (
                "DescribeOrganizationFinancialByMonth",
                json!({"Limit": 5, "EndMonth": "2023-01", "MemberUins": [100000000001u64],
                       "ProductCodes": ["p_cvm"]}),
            ),
            (
                "AuditPermissionApplyOrder",
                json!({"ZoneId": "z-a1b2c3d4e5", "ApplyId": "apply-3f5a7c9e1b2d4f6a",
                       "AuditResult": "Reject", "AuditOpinion": "权限范围过大，请拆分后重新申请"}),
            ),
            (
                "GetUser",
                json!({"UserId": "u-4i293bf3indh", "ZoneId": "z-hfp2qqncf343"}),
            ),
            ("CheckAccountDelete", json!({"MemberUin": 111111111111u64})),
            (
                "DescribeOrganizationMembers",
                json!({"Lang": "zh", "Limit": 10, "Offset": 0}),
            ),
            (
                "UpdateIPWhitelist",
                json!({"ZoneId": "z-dh5i84h4u***", "IpWhitelist": ["21.36.103.0/8"]}),
            ),
            (
                "CreateRoleConfiguration",
                json!({"ZoneId": "z-33923n", "RoleConfigurationName": "conf1",
                       "Description": "this is role configuration", "SessionDuration": 900,
                       "RelayState": "https://console.cloud.tencent.com"}),
            ),
        ];
        let order: Vec<&str> = got.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            order,
            expected.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
            "the stub saw the sample's actions in order"
        );
        for (action, want) in expected {
            assert_eq!(body(&got, action), want, "{action}'s JSON body");
        }
    }

    /// ListUsers through its `_items` stream: every user of every page once, the token
    /// handed back.
    #[tokio::test]
    async fn the_paginated_action_streams_every_item_once() {
        use org::list_users::{ListUsersRequest, ListUsersResponse, EXAMPLE_RESPONSE_JSON};

        let template = ListUsersResponse::from_json(EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
        let seen: Seen<ListUsersRequest> = Arc::default();
        let inner = seen.clone();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(move |req| {
                inner.lock().unwrap().push(req.clone());
                let mut page = template.clone();
                let user = page.users[0].clone();
                let ids: &[&str] = match req.next_token.as_deref() {
                    None => &["u-1", "u-2"],
                    Some("p2") => &["u-3"],
                    Some(other) => return Reply::error("InvalidParameter", other.to_owned()),
                };
                page.users = ids
                    .iter()
                    .map(|id| {
                        let mut u = user.clone();
                        u.user_id = Some((*id).to_owned());
                        u
                    })
                    .collect();
                let more = req.next_token.is_none();
                page.is_truncated = Some(more);
                page.next_token = more.then(|| "p2".to_owned());
                Reply::Ok(page)
            })
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).build()).unwrap();
        let req = ListUsersRequest::builder()
            .zone_id("z-2sw22w3")
            .build()
            .unwrap();
        let users: Vec<_> = c
            .paginator(req.clone())
            .items()
            .map(|u| u.unwrap())
            .collect()
            .await;
        let ids: Vec<_> = users
            .iter()
            .map(|u| u.user_id.as_deref().unwrap())
            .collect();
        assert_eq!(ids, ["u-1", "u-2", "u-3"]);
        assert_eq!(users[2].email.as_deref(), Some("test@example"));
        let mut second = req.clone();
        second.next_token = Some("p2".into());
        assert_eq!(*seen.lock().unwrap(), [req, second]);
        let bodies: Vec<Value> = stub
            .received()
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
        assert_eq!(
            bodies,
            [
                json!({"ZoneId": "z-2sw22w3"}),
                json!({"ZoneId": "z-2sw22w3", "NextToken": "p2"})
            ]
        );
    }

    /// A documented product code answered by a handler reaches the caller as its variant,
    /// code, message and request id kept; a wrong secret never reaches the handler.
    #[tokio::test]
    async fn a_documented_error_code_decodes_into_its_variant() {
        use org::get_user::{GetUserError, GetUserRequest};

        let seen: Seen<GetUserRequest> = Arc::default();
        let inner = seen.clone();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::tencentcloud::organization::v20210331::GetUser>(move |req| {
                inner.lock().unwrap().push(req);
                Reply::error("ResourceNotFound.UserNotExist", "用户不存在。")
            })
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).build()).unwrap();
        let req = GetUserRequest::builder()
            .user_id("u-23w3nwlsa")
            .zone_id("z-hfp2qqncfthb")
            .build()
            .unwrap();
        match c.call(req.clone()).await {
            Err(SdkError::Service(
                e @ GetUserError::Common(CommonError::ResourceNotFoundUserNotExist(_)),
            )) => {
                assert_eq!(e.code(), "ResourceNotFound.UserNotExist");
                assert_eq!(e.message(), "用户不存在。");
                let id = e.request_id().expect("the request id is kept");
                assert!(id.starts_with("stub-") && id.len() > 5, "{id}");
                assert_eq!(e.http_status(), 200, "Tencent Cloud errors come with 200");
                assert!(!e.is_retryable());
            }
            other => panic!("expected ResourceNotFound.UserNotExist, got {other:?}"),
        }
        assert_eq!(seen.lock().unwrap().as_slice(), std::slice::from_ref(&req));

        let wrong = Client::new(
            config(
                Credentials::new(creds().access_key_id(), "not-the-secret"),
                &stub.endpoint(),
            )
            .build(),
        )
        .unwrap();
        assert!(
            matches!(
                wrong.call(req).await,
                Err(SdkError::Service(GetUserError::Common(
                    CommonError::AuthFailureSignatureFailure(_)
                )))
            ),
            "a bad signature is refused"
        );
        assert_eq!(
            seen.lock().unwrap().len(),
            1,
            "and never reaches the handler"
        );
    }

    /// Requests breaking a documented range, enum or nested required field are refused by
    /// `build()`, naming the parameter; sent anyway (`build_unchecked`), the stub refuses
    /// them too, without calling the handler.
    #[tokio::test]
    async fn a_request_breaking_a_documented_constraint_is_refused_before_sending() {
        use org::add_share_unit_resources::{AddShareUnitResourcesRequest, ProductResource};
        use org::audit_permission_apply_order::AuditPermissionApplyOrderRequest;
        use org::describe_organization_members::{
            DescribeOrganizationMembersError, DescribeOrganizationMembersRequest,
        };

        let members = || {
            DescribeOrganizationMembersRequest::builder()
                .offset(0u64)
                .limit(51u64)
        };
        let e = members().build().unwrap_err();
        assert_eq!(e.action(), "DescribeOrganizationMembers");
        assert_eq!(e.violations().len(), 1, "{e}");
        let v = e.for_parameter("Limit").expect("names Limit");
        assert_eq!(
            v.kind,
            ViolationKind::Maximum {
                max: 50,
                actual: 51
            }
        );
        assert!(e.to_string().contains("Limit"), "{e}");

        let e = AuditPermissionApplyOrderRequest::builder()
            .zone_id("z-a1b2c3d4e5")
            .apply_id("apply-3f5a7c9e1b2d4f6a")
            .audit_result("Maybe")
            .build()
            .unwrap_err();
        assert!(
            matches!(
                &e.for_parameter("AuditResult").expect("names AuditResult").kind,
                ViolationKind::NotInEnum { value, .. } if value == "Maybe"
            ),
            "{e}"
        );

        let e = AddShareUnitResourcesRequest::builder()
            .unit_id("shareUnit-xhre**ra2p")
            .area("ap-guangzhou")
            .type_("secret")
            .resources([ProductResource::default()])
            .build()
            .unwrap_err();
        assert_eq!(
            e.for_parameter("Resources[0].ProductResourceId")
                .map(|v| &v.kind),
            Some(&ViolationKind::Required),
            "{e}"
        );

        let (seen, handler) = recorder();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::tencentcloud::organization::v20210331::DescribeOrganizationMembers>(
                handler,
            )
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).build()).unwrap();
        match c.call(members().build_unchecked().unwrap()).await {
            Err(SdkError::Service(
                e @ DescribeOrganizationMembersError::Common(CommonError::InvalidParameterValue(_)),
            )) => assert!(e.message().contains("Limit"), "{e}"),
            other => panic!("expected the provider's range error, got {other:?}"),
        }
        assert!(seen.lock().unwrap().is_empty(), "the handler never ran");
        assert_eq!(stub.received().len(), 1);
    }
}

mod aliyun_ccc {
    use super::*;

    use ccc::stub::StubServer;
    use ccc::{Client, CommonError};
    use cloudapi::aliyun::ccc::v20200701 as ccc;
    use cloudapi::runtime::Signing;
    use cloudapi::runtime::ViolationKind;
    use futures_util::StreamExt;
    use serde_json::{json, Value};

    fn creds() -> Credentials {
        Credentials::new("testid", "testsecret")
    }

    /// A parameter as the stub received it (RPC: the query and any form body, merged).
    fn param(r: &Incoming, name: &str) -> String {
        r.params
            .get(name)
            .unwrap_or_else(|| panic!("{} has no parameter {name}", r.action))
            .to_owned()
    }

    /// A JSON-style parameter (one JSON text), parsed.
    fn json_param(r: &Incoming, name: &str) -> Value {
        let text = param(r, name);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{name} is not JSON text ({e}): {text}"))
    }

    /// A password the spec marks `secret` is sent as given, and `Debug` of the request and
    /// its builder shows it redacted.
    #[tokio::test]
    async fn a_secret_is_sent_but_redacted_in_debug() {
        use ccc::reset_user_password::ResetUserPasswordRequest;
        let seen = Arc::new(std::sync::Mutex::new(None));
        let handler_seen = seen.clone();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::ccc::v20200701::ResetUserPassword>(
                move |req: ResetUserPasswordRequest| {
                    *handler_seen.lock().unwrap() = Some(req.password.clone());
                    cloudapi::runtime::server::Reply::Example
                },
            )
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).build()).unwrap();
        let builder = ResetUserPasswordRequest::builder()
            .instance_id("ccc-test")
            .user_id("agent@ccc-test")
            .password("hunter2-密码");
        let req = builder.clone().build().unwrap();
        for shown in [
            format!("{req:?}"),
            format!("{req:#?}"),
            format!("{builder:?}"),
        ] {
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("** redacted **"), "{shown}");
            // The other members are shown as they are.
            assert!(shown.contains("agent@ccc-test"), "{shown}");
        }
        c.call(req).await.unwrap();
        assert_eq!(seen.lock().unwrap().as_deref(), Some("hunter2-密码"));
        assert_eq!(
            param(&last(&stub.received(), "ResetUserPassword"), "Password"),
            "hunter2-密码"
        );
    }

    /// Twelve actions over one stub, signed with `signing`.
    async fn run_sample(signing: Signing) {
        use ccc::add_cases::{AddCasesRequest, AddCasesResponse};
        use ccc::add_schema_property::{AddSchemaPropertyRequest, AddSchemaPropertyResponse};
        use ccc::create_campaign::{CreateCampaignRequest, CreateCampaignResponse};
        use ccc::delete_documents::{DeleteDocumentsRequest, DeleteDocumentsResponse};
        use ccc::get_access_channel_of_staging::{
            GetAccessChannelOfStagingRequest, GetAccessChannelOfStagingResponse,
        };
        use ccc::get_instance::{GetInstanceRequest, GetInstanceResponse};
        use ccc::list_call_summaries::{ListCallSummariesRequest, ListCallSummariesResponse};
        use ccc::list_documents::{ListDocumentsRequest, ListDocumentsResponse, Sorts};
        use ccc::list_feedbacks::{ListFeedbacksRequest, ListFeedbacksResponse};
        use ccc::list_instances_of_user::{
            ListInstancesOfUserRequest, ListInstancesOfUserResponse,
        };
        use ccc::make_call::{MakeCallRequest, MakeCallResponse};
        use ccc::start_chat::{StartChatRequest, StartChatResponse, UserList};
        use ccc::types::Property;

        let (s_instances, h1) = recorder();
        let (s_staging, h2) = recorder();
        let (s_feedbacks, h3) = recorder();
        let (s_instance, h4) = recorder();
        let (s_cases, h5) = recorder();
        let (s_campaign, h6) = recorder();
        let (s_property, h7) = recorder();
        let (s_documents, h8) = recorder();
        let (s_delete_docs, h9) = recorder();
        let (s_chat, h10) = recorder();
        let (s_summaries, h11) = recorder();
        let (s_call, h12) = recorder();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(h1)
            .on::<cloudapi::aliyun::ccc::v20200701::GetAccessChannelOfStaging>(h2)
            .on::<cloudapi::aliyun::ccc::v20200701::ListFeedbacks>(h3)
            .on::<cloudapi::aliyun::ccc::v20200701::GetInstance>(h4)
            .on::<cloudapi::aliyun::ccc::v20200701::AddCases>(h5)
            .on::<cloudapi::aliyun::ccc::v20200701::CreateCampaign>(h6)
            .on::<cloudapi::aliyun::ccc::v20200701::AddSchemaProperty>(h7)
            .on::<cloudapi::aliyun::ccc::v20200701::ListDocuments>(h8)
            .on::<cloudapi::aliyun::ccc::v20200701::DeleteDocuments>(h9)
            .on::<cloudapi::aliyun::ccc::v20200701::StartChat>(h10)
            .on::<cloudapi::aliyun::ccc::v20200701::ListCallSummaries>(h11)
            .on::<cloudapi::aliyun::ccc::v20200701::MakeCall>(h12)
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).signing(signing).build()).unwrap();

        // The document's example, request and response.
        let r = round_trip(
            &s_instances,
            ListInstancesOfUserRequest::builder()
                .page_number(1)
                .page_size(10)
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::list_instances_of_user::EXAMPLE_RESPONSE_JSON,
            ListInstancesOfUserResponse::from_json,
        )
        .await;
        assert_eq!(
            r.data
                .and_then(|d| d.list.into_iter().next())
                .and_then(|i| i.name)
                .as_deref(),
            Some("云呼测试实例")
        );
        // The rest have no documented example: each answers with the synthesized one.
        // Documented as a GET; no required parameter; text that needs percent-encoding.
        round_trip(
            &s_staging,
            GetAccessChannelOfStagingRequest::builder()
                .search_pattern("张三 +*~/&=")
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::get_access_channel_of_staging::SYNTHESIZED_RESPONSE_JSON,
            GetAccessChannelOfStagingResponse::from_json,
        )
        .await;
        // No parameters at all.
        let r = round_trip(
            &s_feedbacks,
            ListFeedbacksRequest::builder().build().unwrap(),
            |r| c.call(r),
            ccc::list_feedbacks::SYNTHESIZED_RESPONSE_JSON,
            ListFeedbacksResponse::from_json,
        )
        .await;
        assert_eq!(r.data[0].task_id.as_deref(), Some("example"));
        // One required parameter; nested lists in the response.
        let r = round_trip(
            &s_instance,
            GetInstanceRequest::builder()
                .instance_id("ccc-test")
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::get_instance::SYNTHESIZED_RESPONSE_JSON,
            GetInstanceResponse::from_json,
        )
        .await;
        assert!(r.data.is_some());
        // A list of structures sent as one JSON text in the query.
        round_trip(
            &s_cases,
            AddCasesRequest::builder()
                .instance_id("ccc-test")
                .campaign_id("c-1")
                .case_list([
                    ccc::add_cases::CaseList::default()
                        .phone_number("1390000****")
                        .reference_id("ref-1")
                        .custom_variables(r#"{"name":"张三"}"#),
                    ccc::add_cases::CaseList::default().phone_number("1380000****"),
                ])
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::add_cases::SYNTHESIZED_RESPONSE_JSON,
            AddCasesResponse::from_json,
        )
        .await;
        // Eleven required parameters, integers and booleans, two JSON lists.
        round_trip(
            &s_campaign,
            CreateCampaignRequest::builder()
                .instance_id("ccc-test")
                .name("campaign 1")
                .contact_flow_id("cf-1")
                .queue_id("sg-1")
                .start_time("2024-01-01")
                .end_time("2024-01-31")
                .callable_time(r#"[{"begin":"09:00","end":"18:00"}]"#)
                .max_attempt_count(3)
                .min_attempt_interval(10)
                .strategy_type("PREDICTIVE")
                .strategy_parameters(r#"{"ratio":1.5}"#)
                .simulation(false)
                .executing_until_timeout(true)
                .number_list(["1390000****", "1380000****"])
                .case_list([ccc::create_campaign::CaseList::default()
                    .phone_number("1390000****")
                    .reference_id("ref-2")])
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::create_campaign::SYNTHESIZED_RESPONSE_JSON,
            CreateCampaignResponse::from_json,
        )
        .await;
        // A structure sent as JSON text in the form body.
        round_trip(
            &s_property,
            AddSchemaPropertyRequest::builder()
                .instance_id("ccc-test")
                .schema_id("profile")
                .property(
                    Property::default()
                        .name("age")
                        .data_type("number")
                        .minimum(0.5)
                        .required(true)
                        .display_name("年龄"),
                )
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::add_schema_property::SYNTHESIZED_RESPONSE_JSON,
            AddSchemaPropertyResponse::from_json,
        )
        .await;
        // A list of structures as JSON text in the form body, beside an integer.
        round_trip(
            &s_documents,
            ListDocumentsRequest::builder()
                .instance_id("ccc-test")
                .schema_id("profile")
                .page_size(20)
                .sorts([Sorts::default().property_name("age").order("DESC")])
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::list_documents::SYNTHESIZED_RESPONSE_JSON,
            ListDocumentsResponse::from_json,
        )
        .await;
        // A list of strings as JSON text in the form body.
        round_trip(
            &s_delete_docs,
            DeleteDocumentsRequest::builder()
                .instance_id("ccc-test")
                .schema_id("profile")
                .document_ids(["d-1", "d-2"])
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::delete_documents::SYNTHESIZED_RESPONSE_JSON,
            DeleteDocumentsResponse::from_json,
        )
        .await;
        // A required JSON list of structures, in the query.
        round_trip(
            &s_chat,
            StartChatRequest::builder()
                .instance_id("ccc-test")
                .user_list([UserList::default()
                    .user_id("u-1")
                    .user_type("Visitor")
                    .nickname("访客 1")])
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::start_chat::SYNTHESIZED_RESPONSE_JSON,
            StartChatResponse::from_json,
        )
        .await;
        // A JSON list of strings in the query.
        round_trip(
            &s_summaries,
            ListCallSummariesRequest::builder()
                .instance_id("ccc-test")
                .contact_id_list(["job-1", "job-2"])
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::list_call_summaries::SYNTHESIZED_RESPONSE_JSON,
            ListCallSummariesResponse::from_json,
        )
        .await;
        // Required and optional scalars, an integer; deeply nested response.
        let r = round_trip(
            &s_call,
            MakeCallRequest::builder()
                .instance_id("ccc-test")
                .callee("1390000****")
                .caller("0571000****")
                .timeout_seconds(30)
                .build()
                .unwrap(),
            |r| c.call(r),
            ccc::make_call::SYNTHESIZED_RESPONSE_JSON,
            MakeCallResponse::from_json,
        )
        .await;
        assert_eq!(
            r.data
                .and_then(|d| d.call_context)
                .map(|cc| cc.channel_contexts.len()),
            Some(1)
        );

        // On the wire.
        let got = stub.received();
        assert_eq!(got.len(), 12, "{signing:?}: one HTTP request per action");
        for r in &got {
            match signing {
                Signing::HmacSha1 => {
                    assert_eq!(r.params.get("SignatureMethod"), Some("HMAC-SHA1"));
                    assert_eq!(r.params.get("AccessKeyId"), Some("testid"));
                    assert_eq!(r.params.get("Action"), Some(r.action.as_str()));
                }
                _ => {
                    assert!(
                        r.header("authorization")
                            .is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256 Credential=testid,")),
                        "{}",
                        r.action
                    );
                    assert_eq!(r.header("x-acs-action"), Some(r.action.as_str()));
                    assert_eq!(r.header("x-acs-version"), Some("2020-07-01"));
                }
            }
        }
        let r = last(&got, "ListInstancesOfUser");
        assert_eq!(
            (param(&r, "PageNumber"), param(&r, "PageSize")),
            ("1".into(), "10".into())
        );
        // The document says GET (`LAYOUT.method`); the RPC runtime sends every action as a
        // POST with its parameters in the query (reported, not asserted here).
        let r = last(&got, "GetAccessChannelOfStaging");
        assert_eq!(
            ccc::get_access_channel_of_staging::LAYOUT.method,
            "GET",
            "the sampled GET"
        );
        assert_eq!(param(&r, "SearchPattern"), "张三 +*~/&=");
        let r = last(&got, "ListFeedbacks");
        assert_eq!(r.params.get("InstanceId"), None);
        assert!(r.body.is_empty(), "nothing in the body");
        assert_eq!(param(&last(&got, "GetInstance"), "InstanceId"), "ccc-test");
        assert_eq!(
            json_param(&last(&got, "AddCases"), "CaseList"),
            json!([{"PhoneNumber": "1390000****", "ReferenceId": "ref-1",
                    "CustomVariables": "{\"name\":\"张三\"}"},
                   {"PhoneNumber": "1380000****"}])
        );
        let r = last(&got, "CreateCampaign");
        for (name, value) in [
            ("MaxAttemptCount", "3"),
            ("MinAttemptInterval", "10"),
            ("Simulation", "false"),
            ("ExecutingUntilTimeout", "true"),
            ("StrategyParameters", r#"{"ratio":1.5}"#),
            ("Name", "campaign 1"),
        ] {
            assert_eq!(param(&r, name), value, "{name}");
        }
        assert_eq!(
            json_param(&r, "NumberList"),
            json!(["1390000****", "1380000****"])
        );
        assert_eq!(
            json_param(&r, "CaseList"),
            json!([{"PhoneNumber": "1390000****", "ReferenceId": "ref-2"}])
        );
        // AddSchemaProperty, ListDocuments and DeleteDocuments take their parameters in
        // the body per the official SDK (`Position::Body`); the RPC runtime sends them in
        // the query like the rest, and `params` holds both.
        let r = last(&got, "AddSchemaProperty");
        assert_eq!(
            json_param(&r, "Property"),
            json!({"Name": "age", "DataType": "number", "Minimum": 0.5,
                   "Required": true, "DisplayName": "年龄"})
        );
        assert_eq!(param(&r, "SchemaId"), "profile");
        let r = last(&got, "ListDocuments");
        assert_eq!(
            json_param(&r, "Sorts"),
            json!([{"PropertyName": "age", "Order": "DESC"}])
        );
        assert_eq!(param(&r, "PageSize"), "20");
        assert_eq!(
            json_param(&last(&got, "DeleteDocuments"), "DocumentIds"),
            json!(["d-1", "d-2"])
        );
        assert_eq!(
            json_param(&last(&got, "StartChat"), "UserList"),
            json!([{"UserId": "u-1", "UserType": "Visitor", "Nickname": "访客 1"}])
        );
        assert_eq!(
            json_param(&last(&got, "ListCallSummaries"), "ContactIdList"),
            json!(["job-1", "job-2"])
        );
        let r = last(&got, "MakeCall");
        assert_eq!(param(&r, "TimeoutSeconds"), "30");
        assert_eq!(param(&r, "Callee"), "1390000****");
    }

    #[tokio::test]
    async fn a_sample_of_actions_round_trips_signed_with_hmac_sha1() {
        run_sample(Signing::HmacSha1).await;
    }

    #[tokio::test]
    async fn a_sample_of_actions_round_trips_signed_with_acs3() {
        run_sample(Signing::Acs3HmacSha256).await;
    }

    /// ListInstancesOfUser through its `_items` stream: page numbers advance until the
    /// total is reached, every instance once.
    #[tokio::test]
    async fn the_paginated_action_streams_every_item_once() {
        use ccc::list_instances_of_user::{
            ListInstancesOfUserRequest, ListInstancesOfUserResponse, EXAMPLE_RESPONSE_JSON,
        };
        const TOTAL: i64 = 7;

        let template =
            ListInstancesOfUserResponse::from_json(EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
        let seen: Seen<ListInstancesOfUserRequest> = Arc::default();
        let inner = seen.clone();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(move |req| {
                inner.lock().unwrap().push(req.clone());
                let mut page = template.clone();
                let data = page.data.as_mut().unwrap();
                let instance = data.list[0].clone();
                let start = (req.page_number - 1) * req.page_size;
                data.list = (start..(start + req.page_size).min(TOTAL))
                    .map(|i| {
                        let mut inst = instance.clone();
                        inst.id = Some(format!("ccc-{i}"));
                        inst
                    })
                    .collect();
                data.total_count = Some(TOTAL);
                data.page_number = Some(req.page_number);
                data.page_size = Some(req.page_size);
                Reply::Ok(page)
            })
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).build()).unwrap();
        let req = ListInstancesOfUserRequest::builder()
            .page_number(1)
            .page_size(3)
            .build()
            .unwrap();
        let items: Vec<_> = c.paginator(req).items().map(|i| i.unwrap()).collect().await;
        let ids: Vec<_> = items.iter().map(|i| i.id.as_deref().unwrap()).collect();
        assert_eq!(
            ids,
            (0..TOTAL).map(|i| format!("ccc-{i}")).collect::<Vec<_>>()
        );
        assert_eq!(items[6].name.as_deref(), Some("云呼测试实例"));
        let pages: Vec<(i64, i64)> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| (r.page_number, r.page_size))
            .collect();
        assert_eq!(pages, [(1, 3), (2, 3), (3, 3)]);
        let on_wire: Vec<_> = stub
            .received()
            .iter()
            .map(|r| r.params.get("PageNumber").unwrap().to_owned())
            .collect();
        assert_eq!(on_wire, ["1", "2", "3"]);
    }

    /// A documented code answered by a handler reaches the caller as the action's variant,
    /// with code, message, request id and HTTP status kept; a common code as `Common`.
    #[tokio::test]
    async fn a_documented_error_code_decodes_into_its_variant() {
        use ccc::get_instance::{GetInstanceError, GetInstanceRequest};
        use ccc::list_instances_of_user::{ListInstancesOfUserError, ListInstancesOfUserRequest};

        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(|_| Reply::Error {
                code: "Parameter.Minimum".into(),
                message: "The parameter PageNumber must be greater than or equal to 1.".into(),
                http_status: 400,
            })
            .on::<cloudapi::aliyun::ccc::v20200701::GetInstance>(|_| Reply::Error {
                code: "MissingParameter".into(),
                message: "InstanceId is mandatory for this action.".into(),
                http_status: 404,
            })
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).build()).unwrap();
        let req = ListInstancesOfUserRequest::builder()
            .page_number(1)
            .page_size(10)
            .build()
            .unwrap();
        match c.call(req).await {
            Err(SdkError::Service(e @ ListInstancesOfUserError::ParameterMinimum(_))) => {
                assert_eq!(e.code(), "Parameter.Minimum");
                assert_eq!(
                    e.message(),
                    "The parameter PageNumber must be greater than or equal to 1."
                );
                let id = e.request_id().expect("the request id is kept");
                assert!(id.starts_with("stub-") && id.len() > 5, "{id}");
                assert_eq!(e.http_status(), 400);
            }
            other => panic!("expected Parameter.Minimum, got {other:?}"),
        }
        let req = GetInstanceRequest::builder()
            .instance_id("ccc-test")
            .build()
            .unwrap();
        match c.call(req).await {
            Err(SdkError::Service(
                e @ GetInstanceError::Common(CommonError::MissingParameter(_)),
            )) => {
                assert_eq!(e.code(), "MissingParameter");
                assert_eq!(e.message(), "InstanceId is mandatory for this action.");
                assert!(e.request_id().is_some_and(|id| id.starts_with("stub-")));
                assert_eq!(e.http_status(), 404);
            }
            other => panic!("expected MissingParameter, got {other:?}"),
        }
        // A bad signature, either way, is refused before any handler runs.
        for signing in [Signing::HmacSha1, Signing::Acs3HmacSha256] {
            let wrong = Client::new(
                config(
                    Credentials::new("testid", "not-the-secret"),
                    &stub.endpoint(),
                )
                .signing(signing)
                .build(),
            )
            .unwrap();
            let req = GetInstanceRequest::builder()
                .instance_id("ccc-test")
                .build()
                .unwrap();
            match wrong.call(req).await {
                Err(SdkError::Service(
                    e @ GetInstanceError::Common(CommonError::SignatureDoesNotMatch(_)),
                )) => assert_eq!(e.http_status(), 400, "{signing:?}"),
                other => panic!("{signing:?}: expected SignatureDoesNotMatch, got {other:?}"),
            }
        }
    }

    /// Requests breaking a documented range, a required list or a nested required field
    /// are refused by `build()`, naming the parameter; the range sent anyway is refused by
    /// the stub with the document's code, without calling the handler.
    #[tokio::test]
    async fn a_request_breaking_a_documented_constraint_is_refused_before_sending() {
        use ccc::add_schema_property::AddSchemaPropertyRequest;
        use ccc::list_instances_of_user::{ListInstancesOfUserError, ListInstancesOfUserRequest};
        use ccc::start_chat::StartChatRequest;
        use ccc::types::Property;

        let too_big = || {
            ListInstancesOfUserRequest::builder()
                .page_number(1)
                .page_size(101)
        };
        let e = too_big().build().unwrap_err();
        assert_eq!(e.action(), "ListInstancesOfUser");
        assert_eq!(e.violations().len(), 1, "{e}");
        let v = e.for_parameter("PageSize").expect("names PageSize");
        assert_eq!(
            v.kind,
            ViolationKind::Maximum {
                max: 100,
                actual: 101
            }
        );
        assert_eq!(
            v.message,
            "The parameter PageSize must be less than or equal to 100."
        );

        let e = StartChatRequest::builder()
            .instance_id("ccc-test")
            .build()
            .unwrap_err();
        assert_eq!(
            e.for_parameter("UserList").map(|v| &v.kind),
            Some(&ViolationKind::Required),
            "{e}"
        );

        let e = AddSchemaPropertyRequest::builder()
            .instance_id("ccc-test")
            .schema_id("profile")
            .property(Property::default().name("age"))
            .build()
            .unwrap_err();
        assert_eq!(
            e.for_parameter("Property.DataType").map(|v| &v.kind),
            Some(&ViolationKind::Required),
            "{e}"
        );

        let (seen, handler) = recorder();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(handler)
            .start()
            .await
            .unwrap();
        let c = Client::new(config(creds(), &stub.endpoint()).build()).unwrap();
        match c.call(too_big().build_unchecked().unwrap()).await {
            Err(SdkError::Service(e @ ListInstancesOfUserError::ParameterMaximum(_))) => {
                assert_eq!(
                    e.message(),
                    "The parameter PageSize must be less than or equal to 100."
                );
            }
            other => panic!("expected Parameter.Maximum, got {other:?}"),
        }
        assert!(seen.lock().unwrap().is_empty(), "the handler never ran");
        assert_eq!(stub.received().len(), 1);
    }
}

/// Alibaba Cloud Simple Log Service 2020-12-30 (protocol `sls`, imported): requests go to
/// `<project>.<endpoint>` and are signed with the `LOG` scheme; the stub finds each action
/// by method and path and reads the project back from the `Host` header.
mod aliyun_sls {
    use super::*;

    use cloudapi::aliyun::sls::v20201230 as sls;
    use cloudapi::runtime::http::ReqwestTransport;
    use sls::create_log_store::{CreateLogStoreRequest, CreateLogStoreResponse};
    use sls::delete_log_store::DeleteLogStoreRequest;
    use sls::get_log_store::{GetLogStoreRequest, GetLogStoreResponse};
    use sls::list_log_stores::{ListLogStoresRequest, ListLogStoresResponse};
    use sls::stub::StubServer;
    use sls::Client;

    const PROJECT: &str = "my-project";

    fn creds() -> Credentials {
        Credentials::new("LTAI5tEXAMPLEsls", "sls-secret-EXAMPLE")
    }

    /// A client for the stub at `addr` through `http://localhost:PORT`, whose transport
    /// resolves the project's host name to the stub (as DNS resolves
    /// `<project>.cn-hangzhou.log.aliyuncs.com` in production).
    fn client(addr: std::net::SocketAddr, credentials: Credentials) -> Client {
        let http = reqwest::Client::builder()
            .resolve(&format!("{PROJECT}.localhost"), addr)
            .build()
            .unwrap();
        let config = config(credentials, &format!("http://localhost:{}", addr.port()))
            .transport(Arc::new(ReqwestTransport::from_client(http)))
            .build();
        Client::new(config).unwrap()
    }

    /// CreateIndex's one body member (`body = Utils.parse_to_map(request.body)` in the SDK)
    /// is the whole JSON body, and the stub decodes it back into the structure.
    #[tokio::test]
    async fn create_index_sends_the_index_as_the_whole_body() {
        use sls::create_index::{CreateIndexRequest, CreateIndexResponse, Index, IndexLine};
        let (seen, handler) = recorder();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::sls::v20201230::CreateIndex>(handler)
            .start()
            .await
            .unwrap();
        let c = client(stub.addr(), creds());
        round_trip(
            &seen,
            CreateIndexRequest::builder()
                .project(PROJECT)
                .logstore("app-log")
                .body(
                    Index::default()
                        .line(IndexLine::default().token([",", " "]).case_sensitive(false))
                        .log_reduce(true),
                )
                .build()
                .unwrap(),
            |r| c.call(r),
            sls::create_index::SYNTHESIZED_RESPONSE_JSON,
            CreateIndexResponse::from_json,
        )
        .await;
        let sent = last(&stub.received(), "CreateIndex");
        assert_eq!(
            (sent.method.as_str(), sent.path.as_str()),
            ("POST", "/logstores/app-log/index")
        );
        let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"line": {"token": [",", " "], "caseSensitive": false}, "log_reduce": true})
        );
    }

    /// PutLogs's body is protocol buffers (`req_body_type = 'protobuf'` in the SDK; `body:
    /// protobuf` in the spec): the bytes the caller encoded are the whole body, sent as
    /// they are with `application/x-protobuf`, signed (`content-md5`, the raw size), and
    /// the stub hands them back to the handler as the same `Blob`.
    #[tokio::test]
    async fn put_logs_sends_the_callers_protobuf_bytes_as_the_body() {
        use cloudapi::runtime::Blob;
        use sls::put_logs::{PutLogsRequest, PutLogsResponse};
        // A `LogGroup` with one log of one content (`__time__` 1700000000, `k` = `v`),
        // encoded by hand: bytes that are not UTF-8 and contain whitespace.
        let log_group: Vec<u8> = vec![
            0x0a, 0x0d, 0x08, 0x80, 0xe2, 0xcf, 0xaa, 0x06, 0x12, 0x06, 0x0a, 0x01, b'k', 0x12,
            0x01, b'v', 0x1a, 0x00, 0x20, 0x0a,
        ];
        let (seen, handler) = recorder();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::sls::v20201230::PutLogs>(handler)
            .start()
            .await
            .unwrap();
        let c = client(stub.addr(), creds());
        round_trip(
            &seen,
            PutLogsRequest::builder()
                .project(PROJECT)
                .logstore("app-log")
                .body(log_group.clone())
                .build()
                .unwrap(),
            |r| c.call(r),
            sls::put_logs::SYNTHESIZED_RESPONSE_JSON,
            PutLogsResponse::from_json,
        )
        .await;
        assert_eq!(
            seen.lock().unwrap()[0].body,
            Some(Blob::new(log_group.clone()))
        );
        let sent = last(&stub.received(), "PutLogs");
        assert_eq!(
            (sent.method.as_str(), sent.path.as_str()),
            ("POST", "/logstores/app-log/shards/lb")
        );
        assert_eq!(sent.body, log_group);
        assert_eq!(sent.header("content-type"), Some("application/x-protobuf"));
        assert_eq!(sent.header("x-log-bodyrawsize"), Some("20"));
        assert!(sent.header("content-md5").is_some());
        assert!(sent
            .header("authorization")
            .is_some_and(|a| a.starts_with("LOG LTAI5tEXAMPLEsls:")));
    }

    #[tokio::test]
    async fn actions_reach_the_projects_host_signed_and_routed_by_method_and_path() {
        let (s_create, h_create) = recorder();
        let (s_get, h_get) = recorder();
        let (s_list, h_list) = recorder();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::sls::v20201230::CreateLogStore>(h_create)
            .on::<cloudapi::aliyun::sls::v20201230::GetLogStore>(h_get)
            .on::<cloudapi::aliyun::sls::v20201230::ListLogStores>(h_list)
            .on::<cloudapi::aliyun::sls::v20201230::DeleteLogStore>(|req: DeleteLogStoreRequest| {
                cloudapi::runtime::server::Reply::Error {
                    code: "LogStoreNotExist".into(),
                    message: format!("logstore {} does not exist", req.logstore),
                    http_status: 404,
                }
            })
            .start()
            .await
            .unwrap();
        let c = client(stub.addr(), creds());

        // POST /logstores with a JSON body; the project travels in the host.
        round_trip(
            &s_create,
            CreateLogStoreRequest::builder()
                .project(PROJECT)
                .logstore_name("app-log")
                .ttl(30)
                .shard_count(2)
                .auto_split(true)
                .build()
                .unwrap(),
            |r| c.call(r),
            sls::create_log_store::SYNTHESIZED_RESPONSE_JSON,
            CreateLogStoreResponse::from_json,
        )
        .await;
        let sent = last(&stub.received(), "CreateLogStore");
        assert_eq!(
            (sent.method.as_str(), sent.path.as_str()),
            ("POST", "/logstores")
        );
        assert!(sent
            .header("host")
            .unwrap()
            .starts_with("my-project.localhost:"));
        assert!(sent
            .header("authorization")
            .is_some_and(|a| a.starts_with("LOG LTAI5tEXAMPLEsls:")));
        let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"logstoreName": "app-log", "ttl": 30, "shardCount": 2, "autoSplit": true})
        );

        // GET /logstores/{logstore}: a path parameter, the answer synthesized from the model.
        let r = round_trip(
            &s_get,
            GetLogStoreRequest::builder()
                .project(PROJECT)
                .logstore("app-log")
                .build()
                .unwrap(),
            |r| c.call(r),
            sls::get_log_store::SYNTHESIZED_RESPONSE_JSON,
            GetLogStoreResponse::from_json,
        )
        .await;
        assert_eq!(r.logstore_name.as_deref(), Some("example"));
        assert_eq!(
            last(&stub.received(), "GetLogStore").path,
            "/logstores/app-log"
        );

        // GET /logstores: the same method on a shorter path is another action; a query.
        round_trip(
            &s_list,
            ListLogStoresRequest::builder()
                .project(PROJECT)
                .offset(0)
                .size(100)
                .logstore_name("app")
                .build()
                .unwrap(),
            |r| c.call(r),
            sls::list_log_stores::SYNTHESIZED_RESPONSE_JSON,
            ListLogStoresResponse::from_json,
        )
        .await;
        let sent = last(&stub.received(), "ListLogStores");
        assert_eq!(sent.path, "/logstores");
        assert!(sent
            .params
            .0
            .contains(&("size".to_owned(), "100".to_owned())));

        // An error keeps the service's code, message, status and request id.
        let e = c
            .call(
                DeleteLogStoreRequest::builder()
                    .project(PROJECT)
                    .logstore("gone")
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap_err();
        let SdkError::Service(e) = e else {
            panic!("a service error: {e:?}")
        };
        assert_eq!(
            (e.code(), e.message(), e.http_status()),
            ("LogStoreNotExist", "logstore gone does not exist", 404)
        );
        assert!(e.request_id().is_some_and(|id| !id.is_empty()));

        // A wrong secret is refused by the stub as the service refuses it.
        let bad = client(stub.addr(), Credentials::new("LTAI5tEXAMPLEsls", "wrong"));
        let e = bad
            .call(
                GetLogStoreRequest::builder()
                    .project(PROJECT)
                    .logstore("app-log")
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap_err();
        let SdkError::Service(e) = e else {
            panic!("a service error: {e:?}")
        };
        assert_eq!((e.code(), e.http_status()), ("SignatureNotMatch", 401));
        assert_eq!(s_get.lock().unwrap().len(), 1, "the handler never saw it");
    }

    #[tokio::test]
    async fn a_paths_fixed_query_is_sent_and_tells_actions_on_one_path_apart() {
        use sls::start_etl::StartEtlRequest;
        use sls::stop_etl::StopEtlRequest;
        // Which handler ran, in order (the same PUT and path for all three).
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (stop, start, update) = (seen.clone(), seen.clone(), seen.clone());
        let stub = StubServer::builder(creds())
            .on::<cloudapi::aliyun::sls::v20201230::StopEtl>(move |req: StopEtlRequest| {
                stop.lock().unwrap().push(("StopETL", req.etl_name));
                cloudapi::runtime::server::Reply::Ok(Default::default())
            })
            .on::<cloudapi::aliyun::sls::v20201230::StartEtl>(move |req: StartEtlRequest| {
                start.lock().unwrap().push(("StartETL", req.etl_name));
                cloudapi::runtime::server::Reply::Ok(Default::default())
            })
            .on::<cloudapi::aliyun::sls::v20201230::UpdateEtl>(
                move |req: sls::update_etl::UpdateEtlRequest| {
                    update.lock().unwrap().push(("UpdateETL", req.etl_name));
                    cloudapi::runtime::server::Reply::Ok(Default::default())
                },
            )
            .start()
            .await
            .unwrap();
        let c = client(stub.addr(), creds());
        c.call(
            StopEtlRequest::builder()
                .project(PROJECT)
                .etl_name("etl-1")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
        c.call(
            StartEtlRequest::builder()
                .project(PROJECT)
                .etl_name("etl-2")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
        let sent = last(&stub.received(), "StopETL");
        assert_eq!(
            (sent.method.as_str(), sent.path.as_str()),
            ("PUT", "/etls/etl-1")
        );
        assert_eq!(sent.params.0, [("action".to_owned(), "STOP".to_owned())]);
        assert_eq!(
            *seen.lock().unwrap(),
            [
                ("StopETL", "etl-1".to_owned()),
                ("StartETL", "etl-2".to_owned())
            ]
        );
    }

    #[tokio::test]
    async fn a_project_that_cannot_be_a_host_label_is_refused_before_sending() {
        let stub = StubServer::builder(creds()).start().await.unwrap();
        let c = client(stub.addr(), creds());
        let e = c
            .call(
                GetLogStoreRequest::builder()
                    .project("my.project")
                    .logstore("app-log")
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap_err();
        let mut chain = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            chain.push_str(&format!(": {s}"));
            source = s.source();
        }
        assert!(
            chain.contains("the host parameter project is invalid"),
            "the error names the parameter: {chain}"
        );
        assert!(stub.received().is_empty(), "nothing was sent");
    }
}
