"""Interop with the providers' official Python SDKs (run by `cargo xtask interop`).

1. The official clients call our generated stub servers: the stubs verify the official
   signatures with our verifiers and parse the parameters with our generated request types
   (echoed back for comparison); the official clients parse our responses into their models.
2. For fixed credentials and timestamps, the signatures (and canonical requests) our client
   produces equal what the official SDKs' signers produce for the same request.

Any mismatch is printed with both sides and makes the run fail.
"""

import hashlib
import json
import subprocess
import sys
import types
import urllib.parse

TENCENT_ID, TENCENT_KEY = "AKIDinteropEXAMPLE", "interopSecretKeyEXAMPLE"
ALIYUN_ID, ALIYUN_SECRET = "LTAIinteropEXAMPLE", "interopAccessKeySecret"

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


def main():
    endpoints = json.loads(sys.argv[1])
    signer = sys.argv[2]
    tencent_official_against_our_stub(endpoints["tencentcloud"])
    aliyun_official_against_our_stub(endpoints["aliyun"])
    our_signatures_equal_the_official_signers(signer)
    for f in failures:
        print("MISMATCH " + f)
    print(f"interop: {passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
