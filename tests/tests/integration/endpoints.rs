//! Endpoint resolution through the generated clients: the host a client calls follows the
//! region, the network and the Tencent Cloud host settings as the official SDKs compute
//! it (`cargo xtask interop` compares every mapped region with the Python SDKs), and a
//! region a regional product cannot resolve fails when the client is built.

use std::sync::{Arc, Mutex};

use cloudapi::aliyun::vpc::v20160428 as vpc;
use cloudapi::runtime::client::BuildError;
use cloudapi::runtime::http::{
    BoxFuture, HttpRequest, HttpResponse, HttpTransport, TransportError,
};
use cloudapi::runtime::{Config, ConfigBuilder, Credentials, RetryPolicy};
use cloudapi::tencentcloud::cvm::v20170312 as cvm;

/// Records the URL of each request and answers with an empty success.
#[derive(Debug, Default)]
struct Urls(Mutex<Vec<String>>);

impl HttpTransport for Urls {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.0.lock().unwrap().push(request.url);
        Box::pin(async {
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: b"{\"RequestId\":\"r\",\"Response\":{\"RequestId\":\"r\"}}".to_vec(),
            })
        })
    }
}

fn config(transport: Arc<Urls>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Config {
    f(Config::builder(Credentials::new("id", "secret"))
        .retry(RetryPolicy::none())
        .transport(transport))
    .build()
}

/// The host a VPC client built with `f` resolves, and the URL its call is sent to.
async fn vpc_call(f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> (String, String) {
    let urls = Arc::new(Urls::default());
    let client = vpc::Client::new(config(urls.clone(), f)).unwrap();
    let request = vpc::describe_vpcs::DescribeVpcsRequest::builder()
        .region_id("cn-beijing")
        .build()
        .unwrap();
    client.call(request).await.unwrap();
    let url = urls.0.lock().unwrap().pop().unwrap();
    (client.endpoint().to_owned(), url)
}

#[tokio::test]
async fn vpc_calls_the_regional_host_the_map_host_and_the_vpc_network_host() {
    let (host, url) = vpc_call(|c| c.region("cn-beijing")).await;
    assert_eq!(host, "vpc.cn-beijing.aliyuncs.com");
    assert!(
        url.starts_with("https://vpc.cn-beijing.aliyuncs.com/?"),
        "{url}"
    );
    let (host, url) = vpc_call(|c| c.region("cn-edge-1")).await;
    assert_eq!(host, "vpc-nebula.cn-qingdao-nebula.aliyuncs.com");
    assert!(
        url.starts_with("https://vpc-nebula.cn-qingdao-nebula.aliyuncs.com/"),
        "{url}"
    );
    let (host, url) = vpc_call(|c| c.region("cn-beijing").network("vpc")).await;
    assert_eq!(host, "vpc-vpc.cn-beijing.aliyuncs.com");
    assert!(
        url.starts_with("https://vpc-vpc.cn-beijing.aliyuncs.com/"),
        "{url}"
    );
    // The map's entry wins whatever the network, as in the official SDKs.
    let (host, _) = vpc_call(|c| c.region("cn-hangzhou").network("vpc")).await;
    assert_eq!(host, "vpc.aliyuncs.com");
    // An explicit endpoint wins over all of it.
    let (host, url) = vpc_call(|c| {
        c.region("cn-beijing")
            .network("vpc")
            .endpoint("http://127.0.0.1:9")
    })
    .await;
    assert_eq!(host, "127.0.0.1:9");
    assert!(url.starts_with("http://127.0.0.1:9/"), "{url}");
}

#[test]
fn a_region_vpc_cannot_resolve_fails_when_the_client_is_built() {
    let urls = Arc::new(Urls::default());
    for (f, region) in [
        ((|c| c) as fn(ConfigBuilder) -> ConfigBuilder, None),
        (|c| c.region("cn beijing"), Some("cn beijing")),
    ] {
        let e = vpc::Client::new(config(urls.clone(), f)).unwrap_err();
        match &e {
            BuildError::Endpoint(e) => {
                assert_eq!(e.product(), "vpc");
                assert_eq!(e.region(), region);
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("product `vpc`"), "{e}");
        if let Some(r) = region {
            assert!(e.to_string().contains(&format!("region `{r}`")), "{e}");
        }
    }
    assert!(urls.0.lock().unwrap().is_empty());
}

/// The host a CVM client built with `f` resolves, and the URL its call is sent to.
async fn cvm_call(f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> (String, String) {
    let urls = Arc::new(Urls::default());
    let client = cvm::Client::new(config(urls.clone(), f)).unwrap();
    let request = cvm::describe_instances::DescribeInstancesRequest::builder()
        .build()
        .unwrap();
    client.call(request).await.unwrap();
    let url = urls.0.lock().unwrap().pop().unwrap();
    (client.endpoint().to_owned(), url)
}

#[tokio::test]
async fn cvm_calls_the_global_regional_internal_and_root_domain_hosts() {
    let (host, url) = cvm_call(|c| c.region("ap-guangzhou")).await;
    assert_eq!(host, "cvm.tencentcloudapi.com");
    assert!(url.starts_with("https://cvm.tencentcloudapi.com/"), "{url}");
    let (host, url) = cvm_call(|c| c.region("ap-guangzhou").regional_endpoint(true)).await;
    assert_eq!(host, "cvm.ap-guangzhou.tencentcloudapi.com");
    assert!(
        url.starts_with("https://cvm.ap-guangzhou.tencentcloudapi.com/"),
        "{url}"
    );
    let (host, _) = cvm_call(|c| c.region("ap-guangzhou").internal(true)).await;
    assert_eq!(host, "cvm.internal.tencentcloudapi.com");
    let (host, _) =
        cvm_call(|c| c.region("ap-guangzhou").root_domain("tencentcloudapi.intl")).await;
    assert_eq!(host, "cvm.tencentcloudapi.intl");
    // CVM's spec names ap-guangzhou as its default region.
    let (host, _) = cvm_call(|c| c.regional_endpoint(true)).await;
    assert_eq!(host, "cvm.ap-guangzhou.tencentcloudapi.com");
    let urls = Arc::new(Urls::default());
    let e = cvm::Client::new(config(urls, |c| {
        c.region("ap guangzhou").regional_endpoint(true)
    }))
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("product `cvm` in region `ap guangzhou`"),
        "{e}"
    );
}
