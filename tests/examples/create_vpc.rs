//! Create a VPC on Alibaba Cloud: the client fills `ClientToken` once per call, so a
//! retried create never makes two VPCs; then handle a typed error by its code.
//!
//! Runs against the in-process stub (no account needed):
//! `cargo run -p cloudapi-tests --example create_vpc`.
//! Against the real cloud, build the client with `Client::from_env()?` (reads
//! `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET`) and a region
//! (`Config::builder(..).region("cn-beijing")`) instead of the stub's endpoint.

use cloudapi::aliyun::vpc::v20160428::stub::StubServer;
use cloudapi::aliyun::vpc::v20160428::{
    Client, CommonError, CreateVpc, CreateVpcError, CreateVpcRequest, CreateVpcResponse,
};
use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, Credentials, SdkError};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = Credentials::new("LTAIexample", "example-secret");
    let stub = StubServer::builder(credentials.clone())
        .on::<CreateVpc>(|req: CreateVpcRequest| {
            if req.cidr_block.as_deref() == Some("10.0.0.0/4") {
                return Reply::error("InvalidParameter", "The specified CidrBlock is not valid.");
            }
            let mut r = CreateVpcResponse::default();
            r.vpc_id = Some("vpc-example".into());
            Reply::Ok(r)
        })
        .start()
        .await?;
    let client = Client::new(
        Config::builder(credentials)
            .endpoint(stub.endpoint())
            .build(),
    )?;

    let created = client
        .create_vpc()
        .region_id("cn-beijing")
        .cidr_block("10.0.0.0/8")
        .vpc_name("example")
        .send()
        .await?;
    let sent = &stub.received()[0];
    println!(
        "created {} (ClientToken {})",
        created.vpc_id.as_deref().unwrap_or("?"),
        sent.params.get("ClientToken").unwrap_or("none")
    );
    assert!(
        sent.params.get("ClientToken").is_some(),
        "the token is filled"
    );

    // A typed error: match the code's variant; `{e}` prints code, message and request id.
    let bad = client
        .create_vpc()
        .region_id("cn-beijing")
        .cidr_block("10.0.0.0/4");
    match bad.send().await {
        Err(SdkError::Service(CreateVpcError::Common(CommonError::InvalidParameter(meta)))) => {
            println!("refused: {} ({})", meta.message(), meta.code());
        }
        Err(e) => return Err(e.into()),
        Ok(_) => return Err("the stub accepted an invalid CIDR block".into()),
    }
    Ok(())
}
