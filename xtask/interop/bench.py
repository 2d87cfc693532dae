"""The official Python SDKs doing what tests/benches/runtime.rs measures; prints
{"key": nanoseconds per operation} for `cargo xtask bench`."""

import copy
import json
import sys
import timeit
import types

sys.path.insert(0, __file__.rsplit("/", 1)[0])


def example(path, key):
    """The document's example from the spec file, between `response_json: |` and the next key."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == key + ": |")
    out = []
    for l in lines[start + 1:]:
        if l.startswith("      ") or l.strip() == "":
            out.append(l[6:])
        else:
            break
    return "\n".join(out).strip() + "\n"


def page(body, path, id_field, n):
    v = json.loads(body)
    at = v
    for k in path[:-1]:
        at = at[k]
    item = at[path[-1]][0]
    items = []
    for i in range(n):
        it = copy.deepcopy(item)
        it[id_field] = f"id-{i}"
        items.append(it)
    at[path[-1]] = items
    return json.dumps(v, ensure_ascii=False)


def per_op(fn):
    t = timeit.Timer(fn)
    n, _ = t.autorange()
    best = min(t.repeat(repeat=5, number=n))
    return best / n * 1e9


def main():
    root = __file__.rsplit("/xtask/", 1)[0]
    users = example(f"{root}/specs/tencentcloud/organization/2021-03-31/ListUsers.yaml", "response_json")
    instances = example(f"{root}/specs/aliyun/ccc/2020-07-01/ListInstancesOfUser.yaml", "response_json")
    users_1000 = page(users, ["Response", "Users"], "UserId", 1000)
    instances_1000 = page(instances, ["Data", "List"], "Id", 1000)

    from alibabacloud_ccc20200701 import models as ccc_models
    from alibabacloud_tea_openapi.utils import Utils
    from tencentcloud.common import credential
    from tencentcloud.common.http.request import RequestInternal
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.organization.v20210331 import models, organization_client

    def decode_users(body):
        r = models.ListUsersResponse()
        r._deserialize(json.loads(body)["Response"])
        return r

    def decode_instances(body):
        return ccc_models.ListInstancesOfUserResponseBody().from_map(json.loads(body))

    tc = organization_client.OrganizationClient(credential.Credential("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"), "", ClientProfile())

    def request_list_users():
        req = models.ListUsersRequest()
        req.from_json_string(json.dumps({"ZoneId": "z-00fc2p61****", "UserStatus": "Enabled", "MaxResults": 50, "Filter": "张三",
                                         "FilterGroups": ["g-sjwidjssd", "g-djsiendidmd"], "SortField": "CreateTime", "SortType": "Desc"}))
        params = req._serialize()
        r = RequestInternal("organization.tencentcloudapi.com", "POST", "/")
        tc._build_req_with_tc3_signature("ListUsers", params, r)
        return r

    def rpc_params():
        req = ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=10)
        q = {k: str(v) for k, v in req.to_map().items()}
        q.update({"Action": "ListInstancesOfUser", "Version": "2020-07-01", "Format": "JSON", "AccessKeyId": "testid",
                  "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": Utils.get_nonce(), "Timestamp": "2016-02-23T12:46:24Z"})
        return q

    def request_v2():
        return Utils.get_rpcsignature(rpc_params(), "POST", "testsecret")

    def request_v3():
        req = ccc_models.ListInstancesOfUserRequest(page_number=1, page_size=10)
        query = {k: str(v) for k, v in req.to_map().items()}
        headers = {"host": "ccc.cn-shanghai.aliyuncs.com", "x-acs-action": "ListInstancesOfUser", "x-acs-version": "2020-07-01",
                   "x-acs-date": "2023-10-26T10:22:32Z", "x-acs-signature-nonce": Utils.get_nonce(),
                   "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}
        request = types.SimpleNamespace(pathname="/", query=query, headers=headers, method="POST")
        return Utils.get_authorization(request, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], "testid", "testsecret")

    out = {
        "decode_list_users_example": per_op(lambda: decode_users(users)),
        "decode_list_users_1000": per_op(lambda: decode_users(users_1000)),
        "decode_list_instances_example": per_op(lambda: decode_instances(instances)),
        "decode_list_instances_1000": per_op(lambda: decode_instances(instances_1000)),
        "request_list_users": per_op(request_list_users),
        "request_list_instances_v2": per_op(request_v2),
        "request_list_instances_v3": per_op(request_v3),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
