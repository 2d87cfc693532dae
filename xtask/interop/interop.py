"""Interop with the providers' official Python SDKs (run by `cargo xtask interop`).

1. The official clients call our generated stub servers: the stubs verify the official
   signatures with our verifiers and parse the parameters with our generated request types
   (echoed back for comparison); the official clients parse our responses into their models.
2. For fixed credentials and timestamps, the signatures (and canonical requests) our client
   produces equal what the official SDKs' signers produce for the same request.
3. For the request shapes beyond flat parameters (Tencent CVM: struct lists in a JSON body
   and flattened in a GET query; Alibaba ECS: `InstanceId.N`, `Tag.N.Key` and a map sent as
   one JSON text; Alibaba CS, ROA: a path parameter and a JSON body), our client lays out
   what the official client lays out for the same request (captured unsent), and 1. and 2.
   hold for them too. ECS DescribeRegions answers a wrapped list, in JSON and in XML.
4. The official Simple Log Service client (its own gateway: the project in the host name,
   the `LOG` signature, actions found by method and path) calls our generated SLS stub.

Any mismatch is printed with both sides and makes the run fail.
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import types
import urllib.parse



def credentials(var):
    """`ID:SECRET` from the environment: `cargo xtask interop` makes new ones each run and
    gives the same to our stubs and signer."""
    value = os.environ.get(var, "")
    if ":" not in value:
        sys.exit(f"interop.py: set {var}=ID:SECRET (cargo xtask interop does)")
    return tuple(value.split(":", 1))


TENCENT_ID, TENCENT_KEY = credentials("INTEROP_TENCENT_CREDENTIALS")
ALIYUN_ID, ALIYUN_SECRET = credentials("INTEROP_ALIYUN_CREDENTIALS")

failures = []
passed = 0


def check(label, ours, theirs):
    global passed
    if ours == theirs:
        passed += 1
    else:
        failures.append(f"{label}\n    ours:   {ours!r}\n    theirs: {theirs!r}")


TENCENT_CASES = [
    {"ZoneId": "z-2sw22w3"},
    {
        "ZoneId": "z-00fc2p61****",
        "UserStatus": "Enabled",
        "UserType": "Manual",
        "Filter": "test",
        "MaxResults": 100,
        "NextToken": "OTM0YzE4MzY2ZjdhMWM0MYZDhnYaxsiYTLI=",
        "FilterGroups": ["g-sjwidjssd", "g-djsiendidmd"],
        "SortField": "CreateTime",
        "SortType": "Desc",
    },
    {"ZoneId": "z-1", "Filter": "张三的用户组", "FilterGroups": ["组-一", "g-2", "g-3"]},
    {"ZoneId": "z-1", "Filter": "a b*c~d+e/f=g&h%", "Offset": 20, "SortField": "CreateTime", "SortType": "Asc"},
]


def tencent_official_against_our_stub(endpoint):
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.organization.v20210331 import models, organization_client

    host = endpoint.split("://", 1)[1]

    def client(key=TENCENT_KEY):
        profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=host, reqMethod="POST"))
        return organization_client.OrganizationClient(credential.Credential(TENCENT_ID, key), "", profile)

    for params in TENCENT_CASES:
        req = models.ListUsersRequest()
        req.from_json_string(json.dumps(params))
        label = f"tencentcloud ListUsers {json.dumps(params, ensure_ascii=False)}"
        try:
            resp = client().ListUsers(req)
        except TencentCloudSDKException as e:
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: TotalCounts", resp.TotalCounts, 50)
        check(f"{label}: MaxResults", resp.MaxResults, 20)
        check(f"{label}: IsTruncated", resp.IsTruncated, True)
        check(f"{label}: NextToken", resp.NextToken, "OTM0YzE4MzY2ZjdhMWM0MYZDhnYaxsiYTLI=")
        check(f"{label}: RequestId", resp.RequestId, "e297543a-80de-4039-83c8-9d35d4545")
        u = resp.Users[0]
        for field, want in [("UserName", "test"), ("Email", "test@example"), ("UserStatus", "Enabled"), ("UserType", "Manual"), ("UserId", "u-2s334e3***"), ("CreateTime", "2024-03-12 12:12:12")]:
            check(f"{label}: Users[0].{field}", getattr(u, field), want)
        # Our generated ListUsersRequest parsed the official client's body into this:
        check(f"{label}: the request as our types parsed it", json.loads(u.Description), params)

    bad = models.ListUsersRequest()
    bad.from_json_string(json.dumps({"ZoneId": "z-1", "MaxResults": 500}))
    try:
        client().ListUsers(bad)
        failures.append("tencentcloud: MaxResults=500 was accepted")
    except TencentCloudSDKException as e:
        check("tencentcloud MaxResults=500: code", e.get_code(), "InvalidParameterValue")
        check("tencentcloud MaxResults=500: message", e.get_message(), "The parameter MaxResults must be less than or equal to 100.")
        check("tencentcloud MaxResults=500: request id", bool(e.get_request_id()), True)
    try:
        client(key="wrong").ListUsers(bad)
        failures.append("tencentcloud: a wrong secret key was accepted")
    except TencentCloudSDKException as e:
        check("tencentcloud wrong key: code", e.get_code(), "AuthFailure.SignatureFailure")


def aliyun_official_against_our_stub(endpoint):
    from alibabacloud_ccc20200701 import models as ccc_models
    from alibabacloud_ccc20200701.client import Client
    from alibabacloud_tea_openapi.utils_models import Config

    host = endpoint.split("://", 1)[1]
    for algorithm in [None, "v2"]:
        kw = {"signature_algorithm": algorithm} if algorithm else {}
        client = Client(Config(access_key_id=ALIYUN_ID, access_key_secret=ALIYUN_SECRET, endpoint=host, protocol="http", **kw))
        for page_number, page_size in [(1, 10), (2, 20), (100, 100)]:
            label = f"aliyun ListInstancesOfUser signature={algorithm or 'v3 (ACS3)'} page {page_number}/{page_size}"
            try:
                resp = client.list_instances_of_user(ccc_models.ListInstancesOfUserRequest(page_number=page_number, page_size=page_size))
            except Exception as e:  # the official client raises its own exception types
                failures.append(f"{label}: the official client failed: {e}")
                continue
            b = resp.body
            check(f"{label}: status", resp.status_code, 200)
            check(f"{label}: Code", b.code, "OK")
            check(f"{label}: RequestId", b.request_id, "3969FC68-CEC2-4398-B76A-60D2F7EDEBAF")
            check(f"{label}: Data.PageSize", str(b.data.page_size), str(page_size))
            check(f"{label}: Data.PageNumber (the stub parsed our type)", str(b.data.page_number), str(page_number) if page_size != 10 else "1")
            inst = b.data.list[0]
            check(f"{label}: List[0].Name", inst.name, "云呼测试实例")
            check(f"{label}: List[0].AdminList[0].RoleName", inst.admin_list[0].role_name, "Admin")
            check(f"{label}: List[0].NumberList[0].City", inst.number_list[0].city, "乐山")
            check(f"{label}: SkillGroups[0].UserCount", str(inst.number_list[0].skill_groups[0].user_count), "2")
        try:
            client.list_instances_of_user(ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=101))
            failures.append("aliyun: PageSize=101 was accepted")
        except Exception as e:
            check(f"aliyun PageSize=101 ({algorithm or 'v3'}): code", getattr(e, "code", None), "Parameter.Maximum")
            data = getattr(e, "data", None) or {}
            check(f"aliyun PageSize=101 ({algorithm or 'v3'}): message", data.get("Message"), "The parameter PageSize must be less than or equal to 100.")
            check(f"aliyun PageSize=101 ({algorithm or 'v3'}): request id", bool(data.get("RequestId")), True)
            check(f"aliyun PageSize=101 ({algorithm or 'v3'}): status", getattr(e, "status_code", None) or getattr(e, "statusCode", None), 400)


# --- CVM (Tencent Cloud): struct lists in a POST JSON body, and flattened in a GET query.

CVM_INSTANCES_CASES = [
    {"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-1"]}], "Limit": 20, "Offset": 0},
    {
        "Filters": [
            {"Name": "zone", "Values": ["ap-guangzhou-1", "ap-guangzhou-3"]},
            {"Name": "instance-name", "Values": ["web server 张三 a+b/c*d~&e=f%"]},
        ],
        "Offset": 40,
        "Limit": 100,
    },
    {"InstanceIds": ["ins-r8hr2upy", "ins-xlsyru2j"]},
]

CVM_IMAGES_CASES = [
    {"ImageIds": ["img-6pb6lrmy"]},
    {
        "Filters": [
            {"Name": "image-type", "Values": ["PUBLIC_IMAGE", "PRIVATE_IMAGE"]},
            {"Name": "image-name", "Values": ["Tencent OS 3.1 (x86_64)", "镜像 a+b/c*d~&e=f%"]},
        ],
        # uint64: beyond the largest i64.
        "Offset": 9223372036854775808,
        "Limit": 100,
    },
    {"ImageIds": ["img-6pb6lrmy", "img-9qabwvbn", "img-a b"], "Offset": 0, "Limit": 1},
]


def tencent_cvm_client(host, method, key=TENCENT_KEY, protocol="http"):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client

    profile = ClientProfile(httpProfile=HttpProfile(protocol=protocol, endpoint=host, reqMethod=method))
    return cvm_client.CvmClient(credential.Credential(TENCENT_ID, key), "ap-guangzhou", profile)


def cvm_request(name, params):
    from tencentcloud.cvm.v20170312 import models

    req = getattr(models, f"{name}Request")()
    req.from_json_string(json.dumps(params))
    return req


def tencent_cvm_official_against_our_stub(endpoint):
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

    host = endpoint.split("://", 1)[1]
    for params in CVM_INSTANCES_CASES:
        req = cvm_request("DescribeInstances", params)
        label = f"tencentcloud DescribeInstances (POST) {json.dumps(params, ensure_ascii=False)}"
        try:
            resp = tencent_cvm_client(host, "POST").DescribeInstances(req)
        except TencentCloudSDKException as e:
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: TotalCount", resp.TotalCount, 1)
        check(f"{label}: RequestId", resp.RequestId, "b5b41468-520d-4192-b42f-595cc34b6c1c")
        i = resp.InstanceSet[0]
        for field, want in [("InstanceId", "ins-xlsyru2j"), ("InstanceState", "RUNNING"), ("CPU", 1), ("Memory", 1), ("CreatedTime", "2020-09-22T00:00:00+00:00")]:
            check(f"{label}: InstanceSet[0].{field}", getattr(i, field), want)
        check(f"{label}: InstanceSet[0].Placement", (i.Placement.Zone, i.Placement.ProjectId), ("ap-guangzhou-1", 0))
        # Our generated DescribeInstancesRequest parsed the official client's JSON body into this:
        check(f"{label}: the request as our types parsed it", json.loads(i.InstanceName), req._serialize())
        check(f"{label}: the official client sent the case", req._serialize(), params)

    for params in CVM_IMAGES_CASES:
        req = cvm_request("DescribeImages", params)
        label = f"tencentcloud DescribeImages (GET) {json.dumps(params, ensure_ascii=False)}"
        try:
            resp = tencent_cvm_client(host, "GET").DescribeImages(req)
        except TencentCloudSDKException as e:
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: TotalCount", resp.TotalCount, 1)
        check(f"{label}: RequestId", bool(resp.RequestId), True)
        img = resp.ImageSet[0]
        check(f"{label}: ImageSet[0].ImageId", img.ImageId, "img-9qabwvbn")
        check(f"{label}: ImageSet[0].ImageSize (uint64)", img.ImageSize, 2**64 - 1)
        check(f"{label}: ImageSet[0].IsSupportCloudinit", img.IsSupportCloudinit, True)
        check(f"{label}: ImageSet[0].Tags[0]", (img.Tags[0].Key, img.Tags[0].Value), ("owner", "alice"))
        # Our stub unflattened the official client's `Filters.0.Values.1` query into this:
        check(f"{label}: the request as our types parsed it", json.loads(img.OsName), req._serialize())
        check(f"{label}: the official client sent the case", req._serialize(), params)

    for method, name, params, code in [
        ("GET", "DescribeImages", {"ImageIds": ["img-1"], "Limit": 101}, "InvalidParameterValue"),
        ("POST", "DescribeInstances", {"Filters": [{"Name": "zone", "Values": ["z"]}], "Limit": 0}, "InvalidParameterValue"),
    ]:
        label = f"tencentcloud {name} ({method}) {json.dumps(params)}"
        try:
            getattr(tencent_cvm_client(host, method), name)(cvm_request(name, params))
            failures.append(f"{label}: was accepted")
        except TencentCloudSDKException as e:
            check(f"{label}: code", e.get_code(), code)
            check(f"{label}: message names Limit", "Limit" in e.get_message(), True)
    for method, name, params in [("GET", "DescribeImages", CVM_IMAGES_CASES[1]), ("POST", "DescribeInstances", CVM_INSTANCES_CASES[1])]:
        try:
            getattr(tencent_cvm_client(host, method, key="wrong"), name)(cvm_request(name, params))
            failures.append(f"tencentcloud {name} ({method}): a wrong secret key was accepted")
        except TencentCloudSDKException as e:
            check(f"tencentcloud {name} ({method}) wrong key: code", e.get_code(), "AuthFailure.SignatureFailure")


# --- ECS (Alibaba Cloud RPC): `InstanceId.1`, `Tag.1.Key`, a map sent as one JSON text
# ("shrink"), and a wrapped list in the response (JSON and XML).

def invoke_command_cases():
    from alibabacloud_ecs20140526 import models

    return [
        # The document's example.
        models.InvokeCommandRequest(
            region_id="cn-hangzhou", command_id="c-e996287206324975b5fbe1d****", instance_id=["i-bp185dy2o3o6neg****"],
            parameters={"name": "Jack"}, tag=[models.InvokeCommandRequestTag(key="TestKey", value="TestValue")],
        ),
        models.InvokeCommandRequest(
            region_id="cn-shanghai", command_id="c-1", instance_id=["i-1", "i-2", "i-3"],
            parameters={"name": "Jack Ma", "count": 3, "enabled": True, "nested": {"list": [1, "two", None]}, "中文": "值 a+b/c*d~&e=f%"},
            tag=[models.InvokeCommandRequestTag(key="env", value="prod"), models.InvokeCommandRequestTag(key="team", value="a b+c")],
            timed=False, repeat_mode="Once", username="root", timeout=3600,
        ),
        models.InvokeCommandRequest(region_id="cn-beijing", command_id="c-2", instance_id=["i-9"], timed=True, tag=[models.InvokeCommandRequestTag(key="only-key")]),
    ]


def sent_rpc_request(request):
    """The parameters the official client sends for an RPC request model: its `to_map`, where
    an empty list sends nothing."""
    return {k: v for k, v in request.to_map().items() if v != []}


def captured_call(client, call):
    """What the official client hands to `call_api` (params, OpenApiRequest), without sending."""
    seen = []

    class Captured(Exception):
        pass

    def capture(params, request, runtime):
        seen.append((params, request))
        raise Captured()

    original = client.call_api
    client.call_api = capture
    try:
        call(client)
    except Captured:
        pass
    finally:
        client.call_api = original
    return seen[0]


def aliyun_config(host, secret=ALIYUN_SECRET, algorithm=None):
    from alibabacloud_tea_openapi.utils_models import Config

    kw = {"signature_algorithm": algorithm} if algorithm else {}
    return Config(access_key_id=ALIYUN_ID, access_key_secret=secret, endpoint=host, protocol="http", **kw)


def aliyun_ecs_official_against_our_stub(endpoint):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import utils_models
    from darabonba.runtime import RuntimeOptions
    from darabonba.utils.xml import XML

    host = endpoint.split("://", 1)[1]
    for algorithm in [None, "v2"]:
        alg = algorithm or "v3 (ACS3)"
        client = Client(aliyun_config(host, algorithm=algorithm))
        for req in invoke_command_cases():
            sent = sent_rpc_request(req)
            label = f"aliyun InvokeCommand signature={alg} {json.dumps(sent, ensure_ascii=False)}"
            try:
                resp = client.invoke_command(req)
            except Exception as e:
                failures.append(f"{label}: the official client failed: {e}")
                continue
            check(f"{label}: status", resp.status_code, 200)
            check(f"{label}: RequestId", resp.body.request_id, "E69EF3CC-94CD-42E7-8926-F133B86387C0")
            # Our generated InvokeCommandRequest parsed `InstanceId.N`, `Tag.N.Key` and the
            # `Parameters` JSON text of the official query into this:
            check(f"{label}: the request as our types parsed it", json.loads(resp.body.invoke_id), sent)

        req = models.DescribeRegionsRequest(instance_charge_type="PrePaid", resource_type="instance", accept_language="en-US")
        label = f"aliyun DescribeRegions signature={alg}"
        try:
            resp = client.describe_regions(req)
            regions = resp.body.regions.region
            check(f"{label}: RequestId", resp.body.request_id, "0BDC5D8E-E1B6-4F32-8DB7-0A3C5A1F2B3C")
            check(f"{label}: Regions.Region (wrapped) length", len(regions), 2)
            check(f"{label}: Region[0]", (regions[0].region_id, regions[0].local_name, regions[0].region_endpoint, regions[0].status), ("cn-hangzhou", "华东 1（杭州）", "ecs.cn-hangzhou.aliyuncs.com", "available"))
            check(f"{label}: Region[1].Status", regions[1].status, "soldOut")
            check(f"{label}: the request as our types parsed it", json.loads(regions[1].local_name), sent_rpc_request(req))
        except Exception as e:
            failures.append(f"{label}: the official client failed: {e}")

        # XML: the official client's own DescribeRegions request with `Format=XML` added,
        # the body read with the official XML parser into the official model.
        label = f"aliyun DescribeRegions Format=XML signature={alg}"
        params, request = captured_call(client, lambda c: c.describe_regions(req))
        params.body_type = "string"
        query = dict(request.query)
        query["Format"] = "XML"
        try:
            raw = client.call_api(params, utils_models.OpenApiRequest(query=query), RuntimeOptions())
            parsed = XML.parse_xml(raw["body"])
            body = models.DescribeRegionsResponseBody().from_map(parsed.get("DescribeRegionsResponse"))
            regions = body.regions.region
            check(f"{label}: RequestId", body.request_id, "0BDC5D8E-E1B6-4F32-8DB7-0A3C5A1F2B3C")
            check(f"{label}: Regions.Region length", len(regions), 2)
            check(f"{label}: Region[0]", (regions[0].region_id, regions[0].local_name, regions[0].status), ("cn-hangzhou", "华东 1（杭州）", "available"))
            check(f"{label}: the request as our types parsed it", json.loads(regions[1].local_name), sent_rpc_request(req))
        except Exception as e:
            failures.append(f"{label}: the official client failed: {e}")

        bad = models.InvokeCommandRequest(region_id="cn-hangzhou", command_id="c-1", instance_id=["i-1"], timeout=5)
        try:
            client.invoke_command(bad)
            failures.append(f"aliyun InvokeCommand Timeout=5 ({alg}): was accepted")
        except Exception as e:
            data = getattr(e, "data", None) or {}
            check(f"aliyun InvokeCommand Timeout=5 ({alg}): status", getattr(e, "status_code", None), 400)
            check(f"aliyun InvokeCommand Timeout=5 ({alg}): code", getattr(e, "code", None), "InvalidParameter")
            check(f"aliyun InvokeCommand Timeout=5 ({alg}): message names Timeout", "Timeout" in (data.get("Message") or ""), True)
    try:
        Client(aliyun_config(host, secret="wrong")).invoke_command(invoke_command_cases()[1])
        failures.append("aliyun InvokeCommand: a wrong secret was accepted")
    except Exception as e:
        check("aliyun InvokeCommand wrong secret: code", getattr(e, "code", None), "SignatureDoesNotMatch")


# --- CS (Alibaba Cloud ROA): a path parameter and a JSON body, signed with ACS3.

CLUSTER_IDS = ["c82e6987e2961451182edacd74faf****", "c-集群 1/x~*+"]


def modify_cluster_cases():
    from alibabacloud_cs20151215 import models

    return [
        # The document's example.
        (CLUSTER_IDS[0], models.ModifyClusterRequest(
            deletion_protection=True, cluster_name="cluster-new-name",
            maintenance_window=models.MaintenanceWindow(enable=False, maintenance_time="2020-10-15T12:31:00.000+08:00", duration="3h", weekly_period="Monday,Thursday"),
        )),
        (CLUSTER_IDS[1], models.ModifyClusterRequest(
            cluster_name="集群 新名字 a+b", instance_deletion_protection=False, resource_group_id="rg-acfmyvw3wjm****",
            maintenance_window=models.MaintenanceWindow(enable=True, weekly_period="Monday"),
            api_server_custom_cert_sans=models.ModifyClusterRequestApiServerCustomCertSans(action="overwrite", subject_alternative_names=["example.com", "*.example.com"]),
        )),
    ]


def sent_roa_body(request):
    """The JSON body the official client sends (`DaraCore.to_json_string` of the body map),
    parsed, less what our spec does not model: `maintenance_window.exclusions`, which the
    official model always sends, empty."""
    from darabonba.core import DaraCore

    body = json.loads(DaraCore.to_json_string(request.body))
    if not isinstance(body, dict):
        return body
    window = body.get("maintenance_window")
    if isinstance(window, dict) and window.get("exclusions") == []:
        del window["exclusions"]
    return body


def modify_cluster_tags_cases():
    from alibabacloud_cs20151215 import models

    return [
        (CLUSTER_IDS[0], models.ModifyClusterTagsRequest(body=[models.Tag(key="env", value="prod"), models.Tag(key="团队", value="a b+c/d")])),
        (CLUSTER_IDS[1], models.ModifyClusterTagsRequest(body=[models.Tag(key="k")])),
    ]


def roa_case_params(action, path, request):
    """The parameters of a captured ROA call, keyed as our request type names them: the
    path parameters, and the JSON body's members, or (a body that is one parameter's value,
    ModifyClusterTags' list) the body as `body`."""
    if request.body is None:
        return dict(path)
    body = sent_roa_body(request)
    return {**path, **body} if isinstance(body, dict) else {**path, "body": body}


def aliyun_cs_official_against_our_stub(endpoint):
    from alibabacloud_cs20151215.client import Client

    host = endpoint.split("://", 1)[1]
    client = Client(aliyun_config(host))
    for cluster_id, req in modify_cluster_cases():
        params, request = captured_call(client, lambda c: c.modify_cluster(cluster_id, req))
        sent = {"ClusterId": cluster_id, **sent_roa_body(request)}
        label = f"aliyun ModifyCluster (PUT {params.pathname}) {json.dumps(sent, ensure_ascii=False)}"
        try:
            resp = client.modify_cluster(cluster_id, req)
        except Exception as e:
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: status", resp.status_code, 200)
        check(f"{label}: cluster_id (from the path)", resp.body.cluster_id, cluster_id)
        check(f"{label}: request_id", resp.body.request_id, "687C5BAA-D103-4993-884B-C35E4314A1E1")
        # Our stub matched the path template and parsed the JSON body into this:
        check(f"{label}: the request as our types parsed it", json.loads(resp.body.task_id), sent)

    for cluster_id in CLUSTER_IDS:
        label = f"aliyun DescribeClusterDetail (GET) {cluster_id}"
        try:
            b = client.describe_cluster_detail(cluster_id).body
        except Exception as e:
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: cluster_id", b.cluster_id, cluster_id)
        check(f"{label}: the request as our types parsed it", json.loads(b.name), {"ClusterId": cluster_id})
        check(f"{label}: scalars", (b.cluster_type, b.created, b.current_version, b.deletion_protection, b.region_id, b.size, b.state), ("ManagedKubernetes", "2019-11-25T15:50:20+08:00", "1.16.9-aliyun.1", True, "cn-beijing", 5, "running"))
        check(f"{label}: tags[0]", (b.tags[0].key, b.tags[0].value), ("env", "prod"))
        w = b.maintenance_window
        check(f"{label}: maintenance_window", (w.enable, w.maintenance_time, w.duration, w.weekly_period), (False, "2020-10-15T12:31:00.000+08:00", "3h", "Monday,Thursday"))
        check(f"{label}: parameters (map)", b.parameters, {"Eip": "True"})
    for cluster_id, req in modify_cluster_tags_cases():
        label = f"aliyun ModifyClusterTags (POST, a JSON array body) {cluster_id}"
        try:
            client.modify_cluster_tags(cluster_id, req)
            failures.append(f"{label}: the echo handler answers an error, the official client saw none")
        except Exception as e:
            check(f"{label}: code", getattr(e, "code", None), "Echo")
            message = getattr(e, "message", "")
            # The official client wraps the server's message: `code: 400, <message> request id: …`.
            echoed = message[message.find("{"):message.rfind("}") + 1] if "{" in message else message
            try:
                parsed = json.loads(echoed)
            except ValueError:
                parsed = message
            check(f"{label}: the request as our types parsed it", parsed, roa_case_params("ModifyClusterTags", {"ClusterId": cluster_id}, captured_call(client, lambda c: c.modify_cluster_tags(cluster_id, req))[1]))
    try:
        Client(aliyun_config(host, secret="wrong")).modify_cluster(*modify_cluster_cases()[0])
        failures.append("aliyun ModifyCluster: a wrong secret was accepted")
    except Exception as e:
        check("aliyun ModifyCluster wrong secret: code", getattr(e, "code", None), "SignatureDoesNotMatch")


# --- OCR (Alibaba Cloud RPC): an image as the request body, the parameters in the query.

OCR_IMAGE = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0x26, 0x3D]) + "图片 a+b".encode()


def aliyun_ocr_official_against_our_stub(endpoint):
    import base64
    import io

    from alibabacloud_ocr_api20210707 import models as ocr_models
    from alibabacloud_ocr_api20210707.client import Client

    host = endpoint.split("://", 1)[1]
    client = Client(aliyun_config(host))
    for url in [None, "https://example.com/a b.png?x=1&y=图"]:
        label = f"aliyun OCR RecognizeGeneral (an image as the RPC body, ACS3) url={url}"
        try:
            resp = client.recognize_general(ocr_models.RecognizeGeneralRequest(url=url, body=io.BytesIO(OCR_IMAGE)))
        except Exception as e:  # the official client raises its own exception types
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: status", resp.status_code, 200)
        expected = {"body": base64.b64encode(OCR_IMAGE).decode()}
        if url is not None:
            expected["Url"] = url
        check(f"{label}: the request as our types parsed it", json.loads(resp.body.data), expected)
    try:
        Client(aliyun_config(host, secret="wrong")).recognize_general(ocr_models.RecognizeGeneralRequest(body=io.BytesIO(OCR_IMAGE)))
        failures.append("aliyun OCR RecognizeGeneral: a wrong secret was accepted")
    except Exception as e:
        check("aliyun OCR RecognizeGeneral wrong secret: code", getattr(e, "code", None), "SignatureDoesNotMatch")


# --- aliding (Alibaba Cloud ROA): a structure sent as the JSON text of a header.


def aliyun_aliding_official_against_our_stub(endpoint):
    from alibabacloud_aliding20230426 import models as aliding_models
    from alibabacloud_aliding20230426.client import Client
    from darabonba.runtime import RuntimeOptions

    host = endpoint.split("://", 1)[1]
    client = Client(aliyun_config(host))
    # Python's HTTP stack sends header values as Latin-1 only: ASCII accounts.
    for account in ["0123", "a \"b\" c\\d"]:
        label = f"aliyun aliding AddAttendee (AccountContext as a JSON-text header) account={account}"
        request = aliding_models.AddAttendeeRequest(
            calendar_id="primary",
            event_id="e-1",
            attendees_to_add=[aliding_models.AddAttendeeRequestAttendeesToAdd(id="u 1", is_optional=True)],
        )
        headers = aliding_models.AddAttendeeHeaders(account_context=aliding_models.AddAttendeeHeadersAccountContext(account_id=account))
        try:
            resp = client.add_attendee_with_options(request, headers, RuntimeOptions())
        except Exception as e:  # the official client raises its own exception types
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: status", resp.status_code, 200)
        check(f"{label}: the request as our types parsed it", json.loads(resp.body.error_msg), {
            "AccountContext": {"accountId": account},
            "AttendeesToAdd": [{"id": "u 1", "isOptional": True}],
            "CalendarId": "primary",
            "EventId": "e-1",
        })


# --- PDS (Alibaba Cloud's PDS gateway): JSON bodies, the classic ROA signature, a bytes
# answer, errors with the request id in x-ca-request-id.


def aliyun_pds_official_against_our_stub(endpoint):
    from alibabacloud_pds20220301 import models as pds_models
    from alibabacloud_pds20220301.client import Client

    host = endpoint.split("://", 1)[1]
    client = Client(aliyun_config(host))

    def call(label, f):
        try:
            return f()
        except Exception as e:  # the official client raises its own exception types
            failures.append(f"{label}: the official client failed: {e}")
            return None

    for limit, marker in [(20, "m 1/图"), (None, None)]:
        label = f"aliyun PDS ListMyDrives (POST, a JSON body) limit={limit} marker={marker}"
        resp = call(label, lambda: client.list_my_drives(pds_models.ListMyDrivesRequest(limit=limit, marker=marker)))
        if resp is not None:
            check(f"{label}: status", resp.status_code, 200)
            expected = {k: v for k, v in {"limit": limit, "marker": marker}.items() if v is not None}
            check(f"{label}: the request as our types parsed it", json.loads(resp.body.next_marker), expected)
    label = "aliyun PDS GetDownloadUrl (POST, a JSON body)"
    resp = call(label, lambda: client.get_download_url(pds_models.GetDownloadUrlRequest(drive_id="1", file_id="f 1", expire_sec=60, file_name="a+b 图.png")))
    if resp is not None:
        check(f"{label}: size", resp.body.size, 1048576)
        check(f"{label}: the request as our types parsed it", json.loads(resp.body.url), {"drive_id": "1", "file_id": "f 1", "expire_sec": 60, "file_name": "a+b 图.png"})
    # GET with the parameters in the query, answered with bytes; the gateway signs it with a
    # form content type it does not send.
    label = "aliyun PDS DownloadFile (GET, a bytes answer)"
    resp = call(label, lambda: client.download_file(pds_models.DownloadFileRequest(drive_id="1", file_id="f 1")))
    if resp is not None:
        # The official model keeps the status and headers, not the bytes.
        check(f"{label}: status", resp.status_code, 200)
        check(f"{label}: the request id header", (resp.headers or {}).get("x-ca-request-id", "").startswith("stub-"), True)
    label = "aliyun PDS DownloadFile (GET, the query parsed)"
    try:
        client.download_file(pds_models.DownloadFileRequest(drive_id="echo", file_id="f/1 x&y=图"))
        failures.append(f"{label}: the echo handler answers an error, the official client saw none")
    except Exception as e:
        check(f"{label}: code", getattr(e, "code", None), "Echo")
        check(f"{label}: the request as our types parsed it", json.loads(getattr(e, "message", "") or "null"), {"drive_id": "echo", "file_id": "f/1 x&y=图"})
    label = "aliyun PDS DeleteFile (an error)"
    try:
        client.delete_file(pds_models.DeleteFileRequest(drive_id="1", file_id="gone"))
        failures.append(f"{label}: the official client saw no error")
    except Exception as e:
        check(f"{label}: code", getattr(e, "code", None), "NotFound.File")
        check(f"{label}: message", getattr(e, "message", None), "file gone not found")
        data = getattr(e, "data", None) or {}
        check(f"{label}: status", data.get("statusCode"), 404)
        check(f"{label}: the request id header is read", str(data.get("requestId") or "").startswith("stub-"), True)
    try:
        Client(aliyun_config(host, secret="wrong")).delete_file(pds_models.DeleteFileRequest(drive_id="1", file_id="f"))
        failures.append("aliyun PDS DeleteFile: a wrong secret was accepted")
    except Exception as e:
        check("aliyun PDS DeleteFile wrong secret: code", getattr(e, "code", None), "SignatureDoesNotMatch")


SLS_PROJECT = "my-project"


def resolve_localhost_subdomains():
    """Simple Log Service sends each request to `<project>.<endpoint>`; with the endpoint
    `localhost:PORT` that is `my-project.localhost:PORT`, which resolves to loopback as
    RFC 6761 reserves it to, though not every resolver does: this one does, for this run."""
    import socket

    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".localhost"):
            host = "127.0.0.1"
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def sls_client(endpoint, secret=ALIYUN_SECRET):
    from alibabacloud_sls20201230.client import Client

    port = endpoint.rsplit(":", 1)[1]
    return Client(aliyun_config(f"localhost:{port}", secret=secret))


def sls_sent(request, **path):
    """What our stub should have parsed from an official SLS call: the project (from the
    host), the path parameters, and the request model's members (query or JSON body) by
    wire name."""
    return {"project": SLS_PROJECT, **path, **request.to_map()}


def sls_echo_in_error(label, call, expected, code="Echo"):
    """Actions that answer nothing: our stub's handler answers the request as our types
    parsed it as an error's message (the SLS gateway gives it verbatim), with the error code
    `code` (naming the handler that ran, where that is in question)."""
    try:
        call()
        failures.append(f"{label}: the echo handler answers an error, the official client saw none")
    except Exception as e:
        check(f"{label}: code", getattr(e, "code", None), code)
        try:
            parsed = json.loads(getattr(e, "message", ""))
        except ValueError:
            parsed = getattr(e, "message", None)
        check(f"{label}: the request as our types parsed it", parsed, expected)


def aliyun_sls_official_against_our_stub(endpoint):
    """The official Simple Log Service client (its own gateway: the project in the host,
    the `LOG` signature) against our stub: our verifier accepts its signatures, our stub
    routes by method and path and parses what it sends, and it parses our answers."""
    from alibabacloud_sls20201230 import models

    resolve_localhost_subdomains()
    client = sls_client(endpoint)
    creates = [
        models.CreateLogStoreRequest(logstore_name="app-log", ttl=30, shard_count=2, auto_split=True, max_split_shard=64),
        models.CreateLogStoreRequest(
            logstore_name="审计-log", ttl=3650, shard_count=1, append_meta=True, enable_tracking=False, hot_ttl=7, mode="standard",
            encrypt_conf=models.EncryptConf(enable=True, encrypt_type="default", user_cmk_info=models.EncryptUserCmkConf(cmk_key_id="key-1", arn="acs:ram::1:role/a b", region_id="cn-hangzhou")),
            telemetry_type="None",
        ),
    ]
    for req in creates:
        label = f"aliyun sls CreateLogStore (POST /logstores, JSON body) {req.logstore_name}"
        sls_echo_in_error(label, lambda: client.create_log_store(SLS_PROJECT, req), sls_sent(req))
    update = models.UpdateLogStoreRequest(logstore_name="app-log", ttl=60, shard_count=2, auto_split=False)
    sls_echo_in_error(
        "aliyun sls UpdateLogStore (PUT /logstores/{logstore}, JSON body)",
        lambda: client.update_log_store(SLS_PROJECT, "app-log", update),
        sls_sent(update, logstore="app-log"),
    )
    for logstore in ["app-log", "日志_a-b"]:
        label = f"aliyun sls GetLogStore (GET /logstores/{{logstore}}) {logstore}"
        try:
            b = client.get_log_store(SLS_PROJECT, logstore).body
        except Exception as e:
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: scalars", (b.logstore_name, b.ttl, b.shard_count, b.auto_split, b.create_time), (logstore, 30, 2, True, 1524155379))
        check(f"{label}: the request as our types parsed it", json.loads(b.mode), {"project": SLS_PROJECT, "logstore": logstore})
    lists = [
        models.ListLogStoresRequest(),
        models.ListLogStoresRequest(offset=0, size=100, logstore_name="app"),
        models.ListLogStoresRequest(offset=200, size=500, logstore_name="日志 a+b/c=d&e%", mode="query", telemetry_type="Metrics"),
    ]
    for req in lists:
        label = f"aliyun sls ListLogStores (GET /logstores, a query) {json.dumps(req.to_map(), ensure_ascii=False)}"
        try:
            b = client.list_log_stores(SLS_PROJECT, req).body
        except Exception as e:
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: count, total", (b.count, b.total, len(b.logstores), b.logstores[0]), (2, 2, 2, "app-log"))
        check(f"{label}: the request as our types parsed it", json.loads(b.logstores[1]), sls_sent(req))
    # A path with a fixed query (`/etls/{etlName}?action=STOP`): the gateway sends it as a
    # query parameter and signs it; our stub tells StopETL, StartETL and UpdateETL (the same
    # PUT and path) apart by it, and does not take it for a parameter.
    etl = {"project": SLS_PROJECT, "etlName": "etl-1"}
    sls_echo_in_error("aliyun sls StopETL (PUT /etls/{etlName}?action=STOP)", lambda: client.stop_etl(SLS_PROJECT, "etl-1"), etl, code="EchoStopETL")
    sls_echo_in_error("aliyun sls StartETL (PUT /etls/{etlName}?action=START)", lambda: client.start_etl(SLS_PROJECT, "etl-1"), etl, code="EchoStartETL")
    update = models.UpdateETLRequest(
        display_name="清洗 etl", description="a+b c",
        configuration=models.ETLConfiguration(
            from_time=1700000000, to_time=0, logstore="app-log", role_arn="acs:ram::1:role/etl", script="e_set('k', 'v')",
            sinks=[models.ETLConfigurationSink(name="out", endpoint="cn-hangzhou-intranet.log.aliyuncs.com", project="p2", logstore="out-log", role_arn="acs:ram::1:role/etl")],
        ),
    )
    sls_echo_in_error("aliyun sls UpdateETL (PUT /etls/{etlName}, no fixed query)", lambda: client.update_etl(SLS_PROJECT, "etl-1", update), sls_sent(update, etlName="etl-1"), code="EchoUpdateETL")
    for start in ["begin", "1700000000"]:
        label = f"aliyun sls GetCursor (GET …/shards/{{shardId}}?type=cursor, and a query) from={start}"
        req = models.GetCursorRequest(from_=start)
        try:
            b = client.get_cursor(SLS_PROJECT, "app-log", "0", req).body
        except Exception as e:
            failures.append(f"{label}: the official client failed: {e}")
            continue
        check(f"{label}: the request as our types parsed it", json.loads(b.cursor), sls_sent(req, logstore="app-log", shardId="0"))
    try:
        client.delete_log_store(SLS_PROJECT, "gone")
        failures.append("aliyun sls DeleteLogStore: the handler answers 404, the official client saw none")
    except Exception as e:
        data = getattr(e, "data", None) or {}
        check("aliyun sls DeleteLogStore 404: code, message, status", (getattr(e, "code", None), getattr(e, "message", None), data.get("httpCode")), ("LogStoreNotExist", "logstore gone does not exist", 404))
        check("aliyun sls DeleteLogStore 404: a request id in x-log-requestid", bool(data.get("requestId")), True)
    try:
        sls_client(endpoint, secret="wrong").get_log_store(SLS_PROJECT, "app-log")
        failures.append("aliyun sls GetLogStore: a wrong secret was accepted")
    except Exception as e:
        data = getattr(e, "data", None) or {}
        check("aliyun sls GetLogStore wrong secret: code, status", (getattr(e, "code", None), data.get("httpCode")), ("SignatureNotMatch", 401))


def our_signatures_equal_the_official_signers(signer):
    import tencentcloud.common.abstract_client as tc_abstract
    from alibabacloud_tea_openapi.utils import Utils, get_canonical_query_string, get_canonicalized_headers
    from tencentcloud.common.http.request import RequestInternal
    from tencentcloud.organization.v20210331 import organization_client

    ts = 1551113065
    cases = [{"provider": "tencentcloud", "signing": "tc3", "timestamp": ts + i, "endpoint": ep, "params": p}
             for i, p in enumerate(TENCENT_CASES) for ep in ["https://organization.tencentcloudapi.com", "http://127.0.0.1:8080"]]
    cases.append({"provider": "tencentcloud", "signing": "tc3", "timestamp": ts, "region": "ap-guangzhou", "params": TENCENT_CASES[2]})
    special = {"PageNumber": "1", "PageSize": "10", "Filter": "a b*c~d+e/f=g&h%", "Name": "张三", "Tags.1": "x y", "Tags.2": "~*+"}
    for signing in ["hmac-sha1", "acs3"]:
        for params in [{"PageNumber": "1", "PageSize": "10"}, {"PageNumber": "100", "PageSize": "100"}, special]:
            cases.append({"provider": "aliyun", "signing": signing, "timestamp": 1456231584, "endpoint": "https://ccc.cn-shanghai.aliyuncs.com", "region": "cn-shanghai", "params": params})
    out = subprocess.run([signer, "sign"], input="\n".join(json.dumps(c, ensure_ascii=False) for c in cases), capture_output=True, text=True)
    if out.returncode != 0:
        failures.append(f"our signer failed: {out.stderr}")
        return
    signed = [json.loads(line) for line in out.stdout.splitlines()]
    check("signed requests", len(signed), len(cases))

    # Capture the canonical request the official Tencent signer hashes.
    hashed = []

    class Capture:
        def __getattr__(self, name):
            return getattr(hashlib, name)

        def sha256(self, data=b""):
            hashed.append(data)
            return hashlib.sha256(data)

    tc_abstract.hashlib = Capture()
    official_tc = organization_client.OrganizationClient.__new__(organization_client.OrganizationClient)

    for case, ours in zip(cases, signed):
        headers = {k: v for k, v in ours["headers"]}
        host = urllib.parse.urlsplit(ours["url"]).netloc
        label = f"{case['provider']} {case['signing']} {json.dumps(case['params'], ensure_ascii=False)} @ {host}"
        if case["provider"] == "tencentcloud":
            req = RequestInternal(host=host, method="POST", uri="/", header={"Content-Type": headers["Content-Type"], "Host": host, "X-TC-Timestamp": headers["X-TC-Timestamp"]}, data=ours["body"])
            hashed.clear()
            date = "2019-02-25"
            theirs = tc_abstract.AbstractClient._get_tc3_signature(official_tc, None, req, date, "organization", TENCENT_KEY)
            our_sig = headers["Authorization"].rsplit("Signature=", 1)[1]
            check(f"{label}: TC3 signature", our_sig, theirs)
            their_canonical = hashed[-1].decode() if hashed else None
            check(f"{label}: TC3 canonical request", ours["canonical"], their_canonical)
            check(f"{label}: X-TC headers", (headers["X-TC-Action"], headers["X-TC-Version"]), ("ListUsers", "2021-03-31"))
        elif case["signing"] == "hmac-sha1":
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(ours["url"]).query, keep_blank_values=True))
            our_sig = query.pop("Signature")
            theirs = Utils.get_rpcsignature(query, "POST", ALIYUN_SECRET)
            check(f"{label}: HMAC-SHA1 signature (our string to sign: {ours['canonical']})", our_sig, theirs)
            for k, v in case["params"].items():
                check(f"{label}: parameter {k} on the wire", query.get(k), v)
        else:
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(ours["url"]).query, keep_blank_values=True))
            signed_headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            signed_headers["host"] = host
            request = types.SimpleNamespace(pathname="/", query=query, headers=signed_headers, method="POST")
            theirs = Utils.get_authorization(request, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], ALIYUN_ID, ALIYUN_SECRET)
            check(f"{label}: ACS3 Authorization", headers["Authorization"], theirs)
            canonical_headers, names = get_canonicalized_headers(signed_headers)
            their_canonical = f"POST\n/\n{get_canonical_query_string(query)}\n{canonical_headers}\n{names}\n{headers['x-acs-content-sha256']}"
            check(f"{label}: ACS3 canonical request", ours["canonical"], their_canonical)


def run_signer(signer, cases):
    """Our client's signed requests for `cases` (see `interop sign`), or None on failure."""
    out = subprocess.run([signer, "sign"], input="\n".join(json.dumps(c, ensure_ascii=False) for c in cases), capture_output=True, text=True)
    if out.returncode != 0:
        failures.append(f"our signer failed: {out.stderr}")
        return None
    signed = [json.loads(line) for line in out.stdout.splitlines()]
    check("signed requests", len(signed), len(cases))
    return signed


RPC_COMMON = {"Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature"}


def new_shapes_equal_the_official_sdks(signer):
    """For the new request shapes (Tencent JSON body with struct lists, Tencent GET with
    flattened parameters, Alibaba RPC with `Tag.N.Key` and a shrunk JSON map, Alibaba ROA
    with a path parameter and a JSON body), at fixed timestamps: our layout equals what the
    official client lays out for the same request, and the official signer, given our
    request, computes our signature and canonical request."""
    import tencentcloud.common.abstract_client as tc_abstract
    from alibabacloud_cs20151215.client import Client as CsClient
    from alibabacloud_ecs20140526.client import Client as EcsClient
    from alibabacloud_tea_openapi.utils import Utils, get_canonical_query_string, get_canonicalized_headers
    from darabonba.core import DaraCore
    from tencentcloud.common.http.request import RequestInternal

    ts = 1551113065
    tencent = [("POST", "DescribeInstances", p) for p in CVM_INSTANCES_CASES] + [("GET", "DescribeImages", p) for p in CVM_IMAGES_CASES]
    invoke = [(signing, req) for signing in ["acs3", "hmac-sha1"] for req in invoke_command_cases()]
    cs_client = CsClient(aliyun_config("cs.cn-hangzhou.aliyuncs.com"))
    roa = [(captured_call(cs_client, lambda c: c.modify_cluster(cid, req)), {"ClusterId": cid}) for cid, req in modify_cluster_cases()]
    roa += [(captured_call(cs_client, lambda c: c.describe_cluster_detail(cid)), {"ClusterId": cid}) for cid in CLUSTER_IDS]
    roa += [(captured_call(cs_client, lambda c: c.modify_cluster_tags(cid, req)), {"ClusterId": cid}) for cid, req in modify_cluster_tags_cases()]
    cases = [{"provider": "tencentcloud", "action": name, "signing": "tc3", "timestamp": ts + i, "region": "ap-guangzhou", "params": p} for i, (_, name, p) in enumerate(tencent)]
    cases += [{"provider": "aliyun", "action": "InvokeCommand", "signing": signing, "timestamp": 1456231584, "params": sent_rpc_request(req)} for signing, req in invoke]
    cases += [{"provider": "aliyun", "action": params.action, "signing": "acs3", "timestamp": 1456231584, "params": roa_case_params(params.action, path, request)} for (params, request), path in roa]
    signed = run_signer(signer, cases)
    if signed is None:
        return
    signed = iter(signed)

    # The canonical request the official Tencent signer hashes (the last sha256 input).
    hashed = []

    class Capture:
        def __getattr__(self, name):
            return getattr(hashlib, name)

        def sha256(self, data=b""):
            hashed.append(data)
            return hashlib.sha256(data)

    saved_hashlib, saved_time = tc_abstract.hashlib, tc_abstract.time
    tc_abstract.hashlib = Capture()
    try:
        for i, (method, name, params) in enumerate(tencent):
            ours = next(signed)
            headers = dict(ours["headers"])
            label = f"tencentcloud {name} ({method}) {json.dumps(params, ensure_ascii=False)}"
            # The official client's own request at the same timestamp, captured unsent.
            client = tencent_cvm_client("cvm.tencentcloudapi.com", method, protocol="https")
            sent = []

            def send_request(req, sent=sent):
                sent.append(req)
                raise RuntimeError("captured")

            client.request.send_request = send_request
            tc_abstract.time = types.SimpleNamespace(time=lambda: ts + i)
            hashed.clear()
            try:
                getattr(client, name)(cvm_request(name, params))
            except Exception:
                pass
            finally:
                tc_abstract.time = saved_time
            if not sent:
                failures.append(f"{label}: the official client built no request")
                continue
            theirs = sent[0]
            their_canonical = hashed[-1].decode()
            url = urllib.parse.urlsplit(ours["url"])
            check(f"{label}: method", ours["method"], theirs.method)
            for h in ["Content-Type", "X-TC-Action", "X-TC-Version", "X-TC-Region", "X-TC-Timestamp"]:
                check(f"{label}: header {h}", headers.get(h), theirs.header.get(h))
            if method == "GET":
                # Flattened from 0 (`Filters.0.Values.1`), form-encoded, in field order.
                check(f"{label}: the query string", url.query, theirs.data)
                check(f"{label}: empty body", ours["body"], "")
                check(f"{label}: TC3 canonical request", ours["canonical"], their_canonical)
                check(f"{label}: Authorization (the official client's own)", headers["Authorization"], theirs.header["Authorization"])
            else:
                check(f"{label}: the JSON body (parsed)", json.loads(ours["body"]), json.loads(theirs.data))
                check(f"{label}: no query", url.query, "")
                # The official signer over our body (its own body has other whitespace and escapes).
                req = RequestInternal(host=url.netloc, method="POST", uri="/", header={"Content-Type": headers["Content-Type"], "Host": url.netloc, "X-TC-Timestamp": headers["X-TC-Timestamp"]}, data=ours["body"])
                hashed.clear()
                sig = tc_abstract.AbstractClient._get_tc3_signature(client, None, req, "2019-02-25", "cvm", TENCENT_KEY)
                check(f"{label}: TC3 signature", headers["Authorization"].rsplit("Signature=", 1)[1], sig)
                check(f"{label}: TC3 canonical request", ours["canonical"], hashed[-1].decode())
                check(f"{label}: Authorization before the signature", headers["Authorization"].rsplit("Signature=", 1)[0], theirs.header["Authorization"].rsplit("Signature=", 1)[0])
    finally:
        tc_abstract.hashlib, tc_abstract.time = saved_hashlib, saved_time

    def acs3_checks(label, ours, method):
        headers = dict(ours["headers"])
        url = urllib.parse.urlsplit(ours["url"])
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        signed_headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        signed_headers["host"] = url.netloc
        request = types.SimpleNamespace(pathname=url.path, query=query, headers=signed_headers, method=method)
        theirs = Utils.get_authorization(request, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], ALIYUN_ID, ALIYUN_SECRET)
        check(f"{label}: ACS3 Authorization", headers["Authorization"], theirs)
        canonical_headers, names = get_canonicalized_headers(signed_headers)
        their_canonical = f"{method}\n{url.path}\n{get_canonical_query_string(query)}\n{canonical_headers}\n{names}\n{headers['x-acs-content-sha256']}"
        check(f"{label}: ACS3 canonical request", ours["canonical"], their_canonical)
        check(f"{label}: x-acs-content-sha256", headers["x-acs-content-sha256"], hashlib.sha256(ours["body"].encode()).hexdigest())

    ecs_client = EcsClient(aliyun_config("ecs.aliyuncs.com"))
    for signing, req in invoke:
        ours = next(signed)
        params, request = captured_call(ecs_client, lambda c: c.invoke_command(req))
        label = f"aliyun InvokeCommand {signing} {json.dumps(sent_rpc_request(req), ensure_ascii=False)}"
        url = urllib.parse.urlsplit(ours["url"])
        pairs = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        action_params = [(k, v) for k, v in pairs if k not in RPC_COMMON]
        check(f"{label}: each parameter once", sorted(k for k, _ in action_params), sorted(set(k for k, _ in action_params)))
        ours_q, theirs_q = dict(action_params), dict(request.query)
        check(f"{label}: the parameters (InstanceId.N, Tag.N.Key, ...)", sorted(ours_q), sorted(theirs_q))
        for k in sorted(set(ours_q) & set(theirs_q)):
            o, t = ours_q[k], theirs_q[k]
            if k == "Parameters":
                # The shrunk map: one compact JSON text, ours with its keys sorted; byte for
                # byte the official text where that has them sorted too.
                check(f"{label}: {k} (JSON text, parsed)", json.loads(o), json.loads(t))
                if t == json.dumps(json.loads(t), sort_keys=True, ensure_ascii=False, separators=(",", ":")):
                    check(f"{label}: {k} (JSON text)", o, t)
            elif t in ("True", "False"):
                # Python's str(bool); the documents and other SDKs send true/false.
                check(f"{label}: {k} (boolean)", o, t.lower())
            else:
                check(f"{label}: {k}", o, t)
        check(f"{label}: method and path", (ours["method"], url.path), (params.method, params.pathname))
        if signing == "acs3":
            acs3_checks(label, ours, params.method)
        else:
            query = dict(pairs)
            our_sig = query.pop("Signature")
            check(f"{label}: HMAC-SHA1 signature", our_sig, Utils.get_rpcsignature(query, "POST", ALIYUN_SECRET))

    for (params, request), path in roa:
        ours = next(signed)
        headers = dict(ours["headers"])
        url = urllib.parse.urlsplit(ours["url"])
        label = f"aliyun {params.action} ({params.method} {params.pathname})"
        check(f"{label}: method", ours["method"], params.method)
        check(f"{label}: the path (percent-encoded value)", url.path, params.pathname)
        check(f"{label}: no query", url.query, "")
        check(f"{label}: accept", headers.get("accept"), "application/json")
        if request.body is None:
            check(f"{label}: no body", (ours["body"], headers.get("content-type")), ("", None))
        else:
            check(f"{label}: content-type", headers.get("content-type"), "application/json; charset=utf-8")
            check(f"{label}: the JSON body (parsed)", json.loads(ours["body"]), sent_roa_body(request))
            # Byte for byte what the official serializer writes for it (compact UTF-8,
            # the official models' alphabetical member order), so the payload hash is theirs.
            check(f"{label}: the JSON body (bytes)", ours["body"], DaraCore.to_json_string(sent_roa_body(request)))
        acs3_checks(label, ours, params.method)


# --- The standalone stub binary: `cloudapi-stub serve`, every product on one port, routed
# by action and version (an IP names no product), requests saved by `--record`; then
# `cloudapi-stub verify` on what the official SDKs signed, as sent and tampered with.

def stub_binary():
    e = os.environ
    return types.SimpleNamespace(
        bin=e["CLOUDAPI_STUB_BIN"], endpoint=e["CLOUDAPI_STUB_ENDPOINT"], record=e["CLOUDAPI_STUB_RECORD"],
        faults_endpoint=e["CLOUDAPI_STUB_FAULTS_ENDPOINT"], faults_record=e["CLOUDAPI_STUB_FAULTS_RECORD"],
        throttle_every=int(e["CLOUDAPI_STUB_THROTTLE_EVERY"]), work=e["CLOUDAPI_STUB_WORK"],
    )


class Recorded:
    """The files a `serve --record DIR` saved, each given to the call that sent it (the
    calls are one after another, and a file is written before its request is answered)."""

    def __init__(self, directory):
        self.dir = directory
        self.calls = []  # (label, [file name], signed with the right secret)

    def call(self, label, fn, right_secret=True):
        before = set(os.listdir(self.dir))
        try:
            result, error = fn(), None
        except Exception as e:  # the official clients raise their own exception types
            result, error = None, e
        files = sorted(set(os.listdir(self.dir)) - before)
        check(f"{label}: saved by --record", bool(files), True)
        self.calls.append((label, files, right_secret))
        return result, error, files


def error_code(e):
    return e.get_code() if hasattr(e, "get_code") else getattr(e, "code", None)


def succeeded(label, error):
    if error is not None:
        failures.append(f"{label}: the official client failed: {error!r}")
        return False
    return True


def refused(label, error, code, status=None):
    if error is None:
        failures.append(f"{label}: was accepted")
        return
    check(f"{label}: the provider's code, as the official client reports it", error_code(error), code)
    if status is not None:
        check(f"{label}: HTTP status", getattr(error, "status_code", None), status)


def tencent_client(product, host, method="POST", key=None, retryer=None):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client
    from tencentcloud.organization.v20210331 import organization_client

    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=host, reqMethod=method), retryer=retryer)
    cred = credential.Credential(TENCENT_ID, key or TENCENT_KEY)
    if product == "organization":
        return organization_client.OrganizationClient(cred, "", profile)
    return cvm_client.CvmClient(cred, "ap-guangzhou", profile)


def org_request(name, params):
    from tencentcloud.organization.v20210331 import models

    req = getattr(models, f"{name}Request")()
    req.from_json_string(json.dumps(params))
    return req


def official_sdks_against_the_stub_binary(stub):
    """Every product on the one port of `cloudapi-stub serve`: the official clients decode
    the documents' examples (or the synthesized answers) into their models, a wrong secret
    and an out-of-range parameter get the provider's codes."""
    from alibabacloud_ccc20200701 import models as ccc_models
    from alibabacloud_ccc20200701.client import Client as CccClient
    from alibabacloud_cs20151215.client import Client as CsClient
    from alibabacloud_ecs20140526 import models as ecs_models
    from alibabacloud_ecs20140526.client import Client as EcsClient

    rec = Recorded(stub.record)
    host = stub.endpoint.split("://", 1)[1]
    tc = "cloudapi-stub: tencentcloud"

    label = f"{tc} organization ListUsers"
    resp, err, _ = rec.call(label, lambda: tencent_client("organization", host).ListUsers(org_request("ListUsers", {"ZoneId": "z-1"})))
    if succeeded(label, err):
        check(f"{label}: TotalCounts", resp.TotalCounts, 50)
        check(f"{label}: RequestId", resp.RequestId, "e297543a-80de-4039-83c8-9d35d4545")
        check(f"{label}: Users[0]", (resp.Users[0].UserName, resp.Users[0].UserId, resp.Users[0].UserStatus), ("test", "u-2s334e3***", "Enabled"))

    label = f"{tc} cvm DescribeInstances (POST)"
    resp, err, _ = rec.call(label, lambda: tencent_client("cvm", host).DescribeInstances(cvm_request("DescribeInstances", CVM_INSTANCES_CASES[1])))
    if succeeded(label, err):
        check(f"{label}: TotalCount", resp.TotalCount, 1)
        i = resp.InstanceSet[0]
        check(f"{label}: InstanceSet[0]", (i.InstanceId, i.InstanceState, i.CPU, i.Placement.Zone), ("ins-xlsyru2j", "RUNNING", 1, "ap-guangzhou-1"))

    label = f"{tc} cvm DescribeImages (GET)"
    resp, err, _ = rec.call(label, lambda: tencent_client("cvm", host, "GET").DescribeImages(cvm_request("DescribeImages", CVM_IMAGES_CASES[1])))
    if succeeded(label, err):
        # The document has no example: synthesized from the model's field examples.
        img = resp.ImageSet[0]
        check(f"{label}: ImageSet[0] (synthesized)", (img.ImageId, img.OsName, img.Architecture), ("img-9qabwvbn", "TencentOS Server 3.1", "x86_64"))
        check(f"{label}: RequestId", bool(resp.RequestId), True)

    for product, method, name, request in [
        ("organization", "POST", "ListUsers", lambda: org_request("ListUsers", {"ZoneId": "z-1"})),
        ("cvm", "GET", "DescribeImages", lambda: cvm_request("DescribeImages", CVM_IMAGES_CASES[0])),
    ]:
        label = f"{tc} {product} {name} ({method}) wrong secret"
        _, err, _ = rec.call(label, lambda: getattr(tencent_client(product, host, method, key="wrong"), name)(request()), right_secret=False)
        refused(label, err, "AuthFailure.SignatureFailure")

    for product, method, name, request in [
        ("organization", "POST", "ListUsers", lambda: org_request("ListUsers", {"ZoneId": "z-1", "MaxResults": 500})),
        ("cvm", "POST", "DescribeInstances", lambda: cvm_request("DescribeInstances", {"Limit": 0})),
    ]:
        label = f"{tc} {product} {name} out of range"
        _, err, _ = rec.call(label, lambda: getattr(tencent_client(product, host, method), name)(request()))
        refused(label, err, "InvalidParameterValue")

    for algorithm in [None, "v2"]:
        al = f"cloudapi-stub: aliyun ({algorithm or 'ACS3'})"
        config = aliyun_config(host, algorithm=algorithm)

        label = f"{al} ccc ListInstancesOfUser"
        resp, err, _ = rec.call(label, lambda: CccClient(config).list_instances_of_user(ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=10)))
        if succeeded(label, err):
            b = resp.body
            check(f"{label}: Code, RequestId", (b.code, b.request_id), ("OK", "3969FC68-CEC2-4398-B76A-60D2F7EDEBAF"))
            check(f"{label}: Data.List[0]", (b.data.list[0].name, b.data.list[0].admin_list[0].role_name), ("云呼测试实例", "Admin"))

        label = f"{al} ecs DescribeRegions"
        resp, err, _ = rec.call(label, lambda: EcsClient(config).describe_regions(ecs_models.DescribeRegionsRequest(accept_language="en-US")))
        if succeeded(label, err):
            r = resp.body.regions.region[0]
            check(f"{label}: Regions.Region[0]", (r.region_id, r.local_name, r.status), ("cn-hangzhou", "华东 1（杭州）", "available"))
            check(f"{label}: RequestId", resp.body.request_id, "0BDC5D8E-E1B6-4F32-8DB7-0A3C5A1F2B3C")

        label = f"{al} ecs InvokeCommand"
        resp, err, _ = rec.call(label, lambda: EcsClient(config).invoke_command(invoke_command_cases()[1]))
        if succeeded(label, err):
            check(f"{label}: InvokeId, RequestId", (resp.body.invoke_id, resp.body.request_id), ("t-7d2a745b412b4601b2d47f6a768d****", "E69EF3CC-94CD-42E7-8926-F133B86387C0"))

        # RPC with the action's method and its body parameters: ListSkillGroupStates is a
        # GET (the method is in both signatures), CreateChatMediaUrl sends its parameters
        # as a form body (signed with the query under v2, hashed under ACS3).
        label = f"{al} ccc ListSkillGroupStates (GET)"
        resp, err, _ = rec.call(label, lambda: CccClient(config).list_skill_group_states(ccc_models.ListSkillGroupStatesRequest(instance_id="i-1", page_number=1, page_size=10)))
        if succeeded(label, err):
            check(f"{label}: RequestId (synthesized)", bool(resp.body.request_id), True)

        label = f"{al} ccc CreateChatMediaUrl (form body)"
        resp, err, _ = rec.call(label, lambda: CccClient(config).create_chat_media_url(ccc_models.CreateChatMediaUrlRequest(instance_id="i-1", mime_type="image/png")))
        if succeeded(label, err):
            check(f"{label}: RequestId (synthesized)", bool(resp.body.request_id), True)

        label = f"{al} ccc ListInstancesOfUser wrong secret"
        _, err, _ = rec.call(label, lambda: CccClient(aliyun_config(host, secret="wrong", algorithm=algorithm)).list_instances_of_user(ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=10)), right_secret=False)
        refused(label, err, "SignatureDoesNotMatch", 400)

        label = f"{al} ccc ListInstancesOfUser PageSize=101"
        _, err, _ = rec.call(label, lambda: CccClient(config).list_instances_of_user(ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=101)))
        refused(label, err, "Parameter.Maximum", 400)

        label = f"{al} ecs InvokeCommand Timeout=5"
        _, err, _ = rec.call(label, lambda: EcsClient(config).invoke_command(ecs_models.InvokeCommandRequest(region_id="cn-hangzhou", command_id="c-1", instance_id=["i-1"], timeout=5)))
        refused(label, err, "InvalidParameter", 400)

    # CS is ROA: the official client signs it with ACS3 (its `v2` is the older ROA
    # signature, which the stub does not verify).
    al = "cloudapi-stub: aliyun (ACS3) cs"
    cs = CsClient(aliyun_config(host))
    label = f"{al} DescribeClusterDetail"
    resp, err, _ = rec.call(label, lambda: cs.describe_cluster_detail(CLUSTER_IDS[1]))
    if succeeded(label, err):
        b = resp.body
        check(f"{label}: the document's example", (b.cluster_type, b.state, b.region_id, b.size, b.maintenance_window.duration), ("ManagedKubernetes", "running", "cn-beijing", 5, "3h"))
    label = f"{al} ModifyCluster"
    resp, err, _ = rec.call(label, lambda: cs.modify_cluster(*modify_cluster_cases()[0]))
    if succeeded(label, err):
        check(f"{label}: the document's example", (resp.status_code, resp.body.request_id, resp.body.task_id), (200, "687C5BAA-D103-4993-884B-C35E4314A1E1", "T-5a54309c80282e39ea00002f"))
    label = f"{al} ModifyCluster wrong secret"
    _, err, _ = rec.call(label, lambda: CsClient(aliyun_config(host, secret="wrong")).modify_cluster(*modify_cluster_cases()[1]), right_secret=False)
    refused(label, err, "SignatureDoesNotMatch", 400)
    return rec


def number(file_name):
    return int(file_name.split("-", 1)[0])


def throttling_through_the_official_sdks(stub):
    """`serve --scenario` with `{"every": N, "throttle": true}`: every N-th request is
    answered with the provider's throttling error, which the official clients report by
    its code; with their retries turned on they retry it and succeed. Every request here
    is signed right, so the scenario's count is the `--record` file's number."""
    from alibabacloud_ccc20200701 import models as ccc_models
    from alibabacloud_ccc20200701.client import Client as CccClient
    from alibabacloud_cs20151215.client import Client as CsClient
    from darabonba.policy.retry import RetryCondition, RetryOptions
    from tencentcloud.common.retry import StandardRetryer

    n = stub.throttle_every
    rec = Recorded(stub.faults_record)
    host = stub.faults_endpoint.split("://", 1)[1]
    throttled = {"tencentcloud": 0, "aliyun": 0}
    calls = [
        ("tencentcloud", "organization ListUsers", lambda: tencent_client("organization", host).ListUsers(org_request("ListUsers", {"ZoneId": "z-1"}))),
        ("tencentcloud", "cvm DescribeImages (GET)", lambda: tencent_client("cvm", host, "GET").DescribeImages(cvm_request("DescribeImages", CVM_IMAGES_CASES[0]))),
        ("aliyun", "ccc ListInstancesOfUser (ACS3)", lambda: CccClient(aliyun_config(host)).list_instances_of_user(ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=10))),
        ("aliyun", "ccc ListInstancesOfUser (HMAC-SHA1)", lambda: CccClient(aliyun_config(host, algorithm="v2")).list_instances_of_user(ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=10))),
        ("aliyun", "cs DescribeClusterDetail (ROA)", lambda: CsClient(aliyun_config(host)).describe_cluster_detail(CLUSTER_IDS[0])),
    ]
    for provider, name, call in calls:
        for i in range(n):
            label = f"cloudapi-stub --scenario: {provider} {name} call {i + 1} of {n}"
            _, err, files = rec.call(label, call)
            check(f"{label}: one request (no retry by default)", len(files), 1)
            if files and number(files[-1]) % n == 0:
                throttled[provider] += 1
                refused(label, err, "RequestLimitExceeded" if provider == "tencentcloud" else "Throttling", None if provider == "tencentcloud" else 400)
            else:
                succeeded(label, err)
    check(f"cloudapi-stub --scenario: Tencent Cloud requests throttled (every {n}th)", throttled["tencentcloud"] >= 1, True)
    check(f"cloudapi-stub --scenario: Alibaba Cloud requests throttled (every {n}th)", throttled["aliyun"] >= 1, True)

    # With retries on, the official clients retry a throttled attempt (signed anew; the
    # stub verifies each attempt, nonces included) and the stub answers the retry.
    class CountingRetryer(StandardRetryer):
        def __init__(self):
            super().__init__(max_attempts=3, backoff_fn=lambda attempt: 0)
            self.retries = 0

        def on_retry(self, *args):
            self.retries += 1

    retry_options = RetryOptions({"retryable": True, "retryCondition": [RetryCondition({"errorCode": ["Throttling"], "maxAttempts": 3})]})
    aliyun_retrying = aliyun_config(host)
    aliyun_retrying.retry_options = retry_options
    for provider, name in [("tencentcloud", "organization ListUsers (StandardRetryer)"), ("aliyun", "ccc ListInstancesOfUser (RetryOptions on Throttling)")]:
        retried = 0
        for i in range(n):
            label = f"cloudapi-stub --scenario: {provider} {name} call {i + 1} of {n}"
            retryer = CountingRetryer()
            if provider == "tencentcloud":
                call = lambda: tencent_client("organization", host, retryer=retryer).ListUsers(org_request("ListUsers", {"ZoneId": "z-1"}))
            else:
                call = lambda: CccClient(aliyun_retrying).list_instances_of_user(ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=10))
            _, err, files = rec.call(label, call)
            numbers = [number(f) for f in files]
            if not numbers or numbers[0] % n != 0:
                check(f"{label}: attempts {numbers}: one, not throttled", len(numbers), 1)
                succeeded(label, err)
                continue
            retried += 1
            check(f"{label}: attempts {numbers}: the first throttled, then retried and answered", [k % n == 0 for k in numbers[:2]], [True, False])
            if provider == "aliyun":
                check(f"{label}: attempts", len(numbers), 2)
                succeeded(label, err)
            else:
                # tencentcloud-sdk-python-common 3.1.195's StandardRetryer never clears the
                # first attempt's error: after a successful retry it retries on until
                # max_attempts and then raises that first error.
                check(f"{label}: attempts (the official retryer's max_attempts)", len(numbers), 3)
                check(f"{label}: the official retryer's retries", retryer.retries, 3)
                check(f"{label}: the later attempts were answered (not throttled)", [k % n == 0 for k in numbers[1:]], [False, False])
                refused(f"{label}: the official retryer's result", err, "RequestLimitExceeded")
        check(f"cloudapi-stub --scenario: {provider} {name}: a throttled call was retried", retried >= 1, True)
    return rec


# One-byte changes of a saved request.

def flip_at(data, start, end):
    """`data` with one byte in [start, end) changed: the last digit outside a `%XX` escape
    (to the next digit, so hex and timestamps stay well formed), else the last letter,
    else the last byte becomes `.`."""
    escaped = set()
    for m in re.finditer(rb"%[0-9A-Fa-f]{2}", data[start:end]):
        escaped.update(range(start + m.start(), start + m.end()))
    candidates = [i for i in range(start, end) if i not in escaped]
    at = next((i for i in reversed(candidates) if chr(data[i]).isdigit()), None)
    if at is not None:
        new = ord("0") + (data[at] - ord("0") + 1) % 10
    else:
        at = next((i for i in reversed(candidates) if chr(data[i]).isalpha() and data[i] < 128), None)
        if at is not None:
            base = ord("a") if chr(data[at]).islower() else ord("A")
            new = base + (data[at] - base + 1) % 26
        elif end > start:
            at = end - 1
            new = ord(".") if data[at] != ord(".") else ord("_")
        else:
            return None
    return data[:at] + bytes([new]) + data[at + 1:]


def signed_parts(data):
    """The byte ranges of a saved request that its signature covers, by name: method,
    path (not for HMAC-SHA1, which signs `/` whatever the path), each query (and form)
    value, each signed header's value, the signed time, the body, and the signature."""
    head_end = data.index(b"\r\n\r\n")
    lines = data[:head_end].split(b"\r\n")
    method, target, _ = lines[0].split(b" ")
    parts = [("method", 0, len(method))]
    target_at = len(method) + 1
    path, _, query = target.partition(b"?")
    headers, at = {}, len(lines[0]) + 2
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        start = at + len(name) + 1 + (len(value) - len(value.lstrip()))
        headers[name.decode().lower()] = (value.strip().decode(), start, at + len(line))
        at += len(line) + 2
    auth = headers.get("authorization", ("", 0, 0))
    body = (head_end + 4, len(data))
    params = []
    q_at = target_at + len(path) + 1
    for pair in query.split(b"&") if query else []:
        name, _, value = pair.partition(b"=")
        params.append((name.decode(), q_at + len(name) + 1, q_at + len(pair)))
        q_at += len(pair) + 1
    if auth[0].startswith(("TC3-HMAC-SHA256", "ACS3-HMAC-SHA256")):
        parts.append(("path", target_at, target_at + len(path)))
        parts += [(f"query {k}", s, e) for k, s, e in params if e > s]
        signed = re.search(r"SignedHeaders=([^,\s]+)", auth[0]).group(1).split(";")
        parts += [(f"header {h}", headers[h][1], headers[h][2]) for h in signed if h in headers]
        if "x-tc-timestamp" in headers and "x-tc-timestamp" not in signed:
            parts.append(("header x-tc-timestamp (the signed time)", headers["x-tc-timestamp"][1], headers["x-tc-timestamp"][2]))
        sig = auth[0].index("Signature=") + len("Signature=")
        parts.append(("signature", auth[1] + sig, auth[2]))
    else:
        # HMAC-SHA1: the method and every parameter, the query's and a form body's.
        parts += [(f"query {k}" if k != "Signature" else "signature", s, e) for k, s, e in params if e > s]
    if body[1] > body[0]:
        parts.append(("body", *body))
    return parts


def signed_at(data):
    """The request's own signed time, read here independently of `verify --now auto`."""
    text = data.decode("utf-8", "replace")
    m = re.search(r"(?im)^x-tc-timestamp:\s*(\d+)\s*$", text)
    if m:
        return int(m.group(1))
    m = re.search(r"(?im)^x-acs-date:\s*(\S+)\s*$", text) or re.search(r"[?&]Timestamp=([^&\s]+)", text)
    iso = urllib.parse.unquote(m.group(1))
    import calendar
    import time

    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def saved_requests_verify(stub, recordings):
    """`cloudapi-stub verify` on every request the official SDKs sent: accepted at its own
    time (`--now auto`, and `--now` with the time read here), refused an hour later, and
    refused after any one-byte change to a part its signature covers; requests signed with
    a wrong secret are refused."""
    creds = ["--credentials", f"{TENCENT_ID}:{TENCENT_KEY}", "--credentials", f"{ALIYUN_ID}:{ALIYUN_SECRET}"]

    def verify(now, paths):
        out = subprocess.run([stub.bin, "verify", *creds, "--now", str(now), *paths], capture_output=True, text=True)
        return out.returncode, out.stdout.splitlines(), out.stderr.strip()

    right, wrong = [], []
    for rec in recordings:
        for label, files, right_secret in rec.calls:
            for f in files:
                (right if right_secret else wrong).append((label, os.path.join(rec.dir, f)))
    label = f"cloudapi-stub verify --now auto: {len(right)} requests the official SDKs signed with the right secret"
    check(label, verify("auto", [p for _, p in right]), (0, ["accepted"] * len(right), ""))
    expired = 0
    for label, path in right:
        data = open(path, "rb").read()
        at = signed_at(data)
        check(f"cloudapi-stub verify --now {at} (its own time): {label} ({os.path.basename(path)})", verify(at, [path]), (0, ["accepted"], ""))
        code, lines, _ = verify(at + 3600, [path])
        expired += code == 1 and len(lines) == 1 and lines[0].startswith("rejected: ")
    check("cloudapi-stub verify: each refused an hour after it was signed", expired, len(right))
    for label, path in wrong:
        code, lines, _ = verify("auto", [path])
        check(f"cloudapi-stub verify: {label} ({os.path.basename(path)}): exit", code, 1)
        check(f"cloudapi-stub verify: {label}: refused as a bad signature", bool(re.match(r"rejected: (AuthFailure\.SignatureFailure|SignatureDoesNotMatch): ", lines[0] if lines else "")), True)

    tampered_dir = os.path.join(stub.work, "tampered")
    os.makedirs(tampered_dir, exist_ok=True)
    tampered, codes, kinds = 0, {}, set()
    for label, path in right:
        data = open(path, "rb").read()
        for k, (part, start, end) in enumerate(signed_parts(data)):
            copy = flip_at(data, start, end)
            what = f"{os.path.basename(path)} ({label}) with one byte of its {part} changed"
            if copy is None or len(copy) != len(data) or sum(a != b for a, b in zip(copy, data)) != 1:
                failures.append(f"{what}: not a one-byte change")
                continue
            name = os.path.join(tampered_dir, f"{os.path.basename(path)[:-5]}-{k:02}.http")
            with open(name, "wb") as out:
                out.write(copy)
            code, lines, err = verify("auto", [name])
            ok = code == 1 and len(lines) == 1 and lines[0].startswith("rejected: ")
            check(f"cloudapi-stub verify: {what}: refused (exit 1)", (ok, lines, err) if not ok else True, True)
            tampered += 1
            kinds.add(part.split(" ")[0])
            if lines:
                c = lines[0].split(": ")[1] if lines[0].startswith("rejected: ") else lines[0]
                codes[c] = codes.get(c, 0) + 1
    check("cloudapi-stub verify: tampered parts covered", sorted(kinds), ["body", "header", "method", "path", "query", "signature"])
    print(f"cloudapi-stub: {len(right)} saved requests accepted at their own time, {len(wrong)} signed with a wrong secret refused, "
          f"{tampered} one-byte-tampered copies refused ({', '.join(f'{c}: {n}' for c, n in sorted(codes.items()))})")


# The official client module of each committed product with endpoint metadata.
OFFICIAL_MODULES = {
    "aliyun/vpc": "alibabacloud_vpc20160428",
    "aliyun/ccc": "alibabacloud_ccc20200701",
    "aliyun/sls": "alibabacloud_sls20201230",
    "tencentcloud/cvm": "tencentcloud.cvm.v20170312.cvm_client",
    "tencentcloud/organization": "tencentcloud.organization.v20210331.organization_client",
}


def official_host(product, region, setting):
    """The host the official Python SDK computes (see official_endpoints.py)."""
    from official_endpoints import official_host as host

    return host(product.split("/")[0], OFFICIAL_MODULES[product], region, setting)


def endpoints_equal_the_official_sdks(signer):
    """Every committed product with endpoint metadata: for each region of its map plus
    five ordinary ones, and each network (Tencent: host setting), our client's host equals
    the official Python SDK's. Prints matched / compared per product."""
    out = subprocess.run([signer, "endpoints"], check=True, capture_output=True, text=True).stdout
    counts = {}
    for line in out.splitlines():
        product, region, setting, ours = line.split("\t")
        try:
            theirs = official_host(product, region, setting)
        except Exception as e:  # the SDK refuses: so must we
            theirs = f"error: {e}"
        matched, compared = counts.get(product, (0, 0))
        same = ours == theirs or (ours.startswith("error: ") and theirs.startswith("error: "))
        counts[product] = (matched + same, compared + 1)
        check(f"endpoint of {product} in {region} ({setting})", ours, theirs if not same else ours)
    for product, (matched, compared) in sorted(counts.items()):
        print(f"interop: endpoints {product}: {matched}/{compared} matched the official SDK")
    check("products with endpoint metadata compared", len(counts), 5)


def main():
    endpoints = json.loads(sys.argv[1])
    signer = sys.argv[2]
    tencent_official_against_our_stub(endpoints["tencentcloud"])
    aliyun_official_against_our_stub(endpoints["aliyun"])
    tencent_cvm_official_against_our_stub(endpoints["tencentcloud-cvm"])
    aliyun_ecs_official_against_our_stub(endpoints["aliyun-ecs"])
    aliyun_cs_official_against_our_stub(endpoints["aliyun-cs"])
    aliyun_ocr_official_against_our_stub(endpoints["aliyun-ocr"])
    aliyun_aliding_official_against_our_stub(endpoints["aliyun-aliding"])
    aliyun_pds_official_against_our_stub(endpoints["aliyun-pds"])
    aliyun_sls_official_against_our_stub(endpoints["aliyun-sls"])
    our_signatures_equal_the_official_signers(signer)
    new_shapes_equal_the_official_sdks(signer)
    endpoints_equal_the_official_sdks(signer)
    stub = stub_binary()
    recordings = [official_sdks_against_the_stub_binary(stub), throttling_through_the_official_sdks(stub)]
    saved_requests_verify(stub, recordings)
    for f in failures:
        print("MISMATCH " + f)
    print(f"interop: {passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
