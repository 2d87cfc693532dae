"""The host the official Python SDKs compute for a product, a region and a setting: the one
place both `interop.py` (the committed products) and `cargo xtask coverage endpoints` (the
coverage samples) ask.

A setting is an Alibaba Cloud network (`public`, `vpc`, `intranet`, `share`) or a Tencent
Cloud host choice: `global`, `regional`, `internal`, `root=<domain>` (the Tencent SDK has no
switch for regional or internal hosts; they are given as `HttpProfile(rootDomain=…)`).

Run as a script, it reads a JSON list of cases from stdin,
`{"provider", "module", "region", "setting"}` (`module`: the Alibaba package's module,
`alibabacloud_vpc20160428`, or the Tencent client module,
`tencentcloud.cvm.v20170312.cvm_client`), and writes a JSON list of the hosts, each
`error: …` when the SDK refuses or cannot be loaded.
"""
import importlib
import inspect
import json
import sys


def aliyun_host(module, region, network):
    """`client._endpoint` after construction with `Config(region_id=…, network=…)`; for a
    product behind the SLS gateway, the gateway's `get_endpoint` (which picks the host when
    the request is made)."""
    try:
        from alibabacloud_tea_openapi.utils_models import Config
    except ImportError:  # older tea-openapi
        from alibabacloud_tea_openapi.models import Config
    client_class = importlib.import_module(f"{module}.client").Client
    client = client_class(Config(access_key_id="id", access_key_secret="secret", region_id=region, network=network))
    spi = getattr(client, "_spi", None)
    if spi is not None and type(spi).__module__.startswith("alibabacloud_gateway_sls"):
        return spi.get_endpoint(region, network, client._endpoint)
    # Other gateways (POP, FC) keep the client's endpoint once it is set.
    return client._endpoint


def tencent_host(module, region, setting):
    """`_get_endpoint()` of the service's client with `HttpProfile(rootDomain=…)`."""
    from tencentcloud.common import credential
    from tencentcloud.common.abstract_client import AbstractClient
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    root = None
    if setting == "regional":
        root = f"{region}.tencentcloudapi.com"
    elif setting == "internal":
        root = "internal.tencentcloudapi.com"
    elif setting.startswith("root="):
        root = setting[len("root="):]
    mod = importlib.import_module(module)
    classes = [c for _, c in inspect.getmembers(mod, inspect.isclass)
               if issubclass(c, AbstractClient) and c is not AbstractClient and c.__module__ == mod.__name__]
    if len(classes) != 1:
        raise RuntimeError(f"{module} defines {len(classes)} clients")
    profile = ClientProfile(httpProfile=HttpProfile(rootDomain=root))
    return classes[0](credential.Credential("id", "secret"), region, profile)._get_endpoint()


# What Python's `urllib.parse.urlsplit` removes from any URL before a request is sent: a
# host some endpoint maps end with a tab (fc 2023-03-30) is called without it.
URL_BYTES_REMOVED = str.maketrans("", "", "\t\r\n")


def official_host(provider, module, region, setting):
    if provider == "aliyun":
        host = aliyun_host(module, region, setting)
    else:
        host = tencent_host(module, region, setting)
    return host.translate(URL_BYTES_REMOVED) if isinstance(host, str) else host


def main():
    cases = json.load(sys.stdin)
    hosts = []
    for c in cases:
        try:
            hosts.append(official_host(c["provider"], c["module"], c["region"], c["setting"]))
        except Exception as e:  # the SDK refuses (or cannot load): said, compared as such
            hosts.append(f"error: {type(e).__name__}: {e}")
    json.dump(hosts, sys.stdout)


if __name__ == "__main__":
    main()
