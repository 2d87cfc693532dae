//! Choosing a region, a VPC endpoint or a Tencent Cloud regional host: the client resolves
//! its host as the official SDKs do (an explicit endpoint, then the product's region map,
//! then its rule) when it is built, and `endpoint()` says which.
//!
//! Needs no account and no network: `cargo run -p cloudapi-tests --example regions_and_endpoints`.
//! Against the real cloud, use the same builders with your credentials.

use cloudapi::aliyun::vpc::v20160428 as vpc;
use cloudapi::runtime::{Config, ConfigBuilder, Credentials};
use cloudapi::tencentcloud::cvm::v20170312 as cvm;

fn aliyun() -> ConfigBuilder {
    Config::builder(Credentials::new("LTAIexample", "example-secret"))
}

fn tencent() -> ConfigBuilder {
    Config::builder(Credentials::new("AKIDexample", "example-secret"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let vpc_host = |c: ConfigBuilder| -> Result<String, Box<dyn std::error::Error>> {
        Ok(vpc::Client::new(c.build())?.endpoint().to_owned())
    };
    let cvm_host = |c: ConfigBuilder| -> Result<String, Box<dyn std::error::Error>> {
        Ok(cvm::Client::new(c.build())?.endpoint().to_owned())
    };
    let cases = [
        (
            "VPC in cn-beijing",
            vpc_host(aliyun().region("cn-beijing"))?,
        ),
        (
            "VPC in cn-edge-1 (the map's host)",
            vpc_host(aliyun().region("cn-edge-1"))?,
        ),
        (
            "VPC from inside a VPC",
            vpc_host(aliyun().region("cn-beijing").network("vpc"))?,
        ),
        (
            "CVM, the global host",
            cvm_host(tencent().region("ap-guangzhou"))?,
        ),
        (
            "CVM, the regional host",
            cvm_host(tencent().region("ap-guangzhou").regional_endpoint(true))?,
        ),
        (
            "CVM, the internal host",
            cvm_host(tencent().region("ap-guangzhou").internal(true))?,
        ),
    ];
    for (what, host) in &cases {
        println!("{what}: {host}");
    }
    assert_eq!(cases[0].1, "vpc.cn-beijing.aliyuncs.com");
    assert_eq!(cases[2].1, "vpc-vpc.cn-beijing.aliyuncs.com");
    assert_eq!(cases[4].1, "cvm.ap-guangzhou.tencentcloudapi.com");

    // A regional product without a region is an error when the client is built, never a
    // silent fallback to another region's host.
    match vpc::Client::new(aliyun().build()) {
        Err(e) => println!("no region: {e}"),
        Ok(c) => return Err(format!("resolved {} without a region", c.endpoint()).into()),
    }
    Ok(())
}
