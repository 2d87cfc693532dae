//! Credentials from the provider's default chain: environment variables, then the
//! credentials file, then the instance's RAM role / CAM role. Here the environment supplies
//! them; on a cloud server with a role attached, nothing needs to be set.
//!
//! Runs against the in-process stub (no account needed):
//! `cargo run -p cloudapi-tests --example default_chain`.
//! Against the real cloud, export `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` (or run
//! on a CVM with a role) and use `Client::from_default_chain()?`.

use std::sync::Arc;

use cloudapi::runtime::credentials::ProvideCredentials;
use cloudapi::runtime::{Config, Credentials, Protocol};
use cloudapi::tencentcloud::organization::v20210331::stub::StubServer;
use cloudapi::tencentcloud::organization::v20210331::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // As a shell would have exported them (set before any other thread reads them).
    std::env::set_var("TENCENTCLOUD_SECRET_ID", "AKIDfromenv");
    std::env::set_var("TENCENTCLOUD_SECRET_KEY", "secret-from-env");

    let stub = StubServer::builder(Credentials::new("AKIDfromenv", "secret-from-env"))
        .start()
        .await?;
    let chain: Arc<dyn ProvideCredentials> = Arc::new(Credentials::default_chain(Protocol::Tc3));
    let client = Client::new(Config::builder(chain).endpoint(stub.endpoint()).build())?;
    let resp = client.list_users().zone_id("z-1").send().await?;
    // The stub verified the signature made with the environment's key.
    println!(
        "signed with the chain's credentials: {} users, request id {}",
        resp.users.len(),
        resp.request_id.as_deref().unwrap_or("?")
    );
    Ok(())
}
