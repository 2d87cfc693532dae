//! List every user of a Tencent Cloud organization zone with the paginator: each page is one
//! `ListUsers` call, the stream follows `NextToken` until the last page.
//!
//! Runs against the in-process stub (no account needed):
//! `cargo run -p cloudapi-tests --example list_users`.
//! Against the real cloud, build the client with `Client::from_env()?` (reads
//! `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY`) instead of the stub's endpoint.

use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, Credentials};
use cloudapi::tencentcloud::organization::v20210331::list_users::UserInfo;
use cloudapi::tencentcloud::organization::v20210331::stub::StubServer;
use cloudapi::tencentcloud::organization::v20210331::{
    Client, ListUsers, ListUsersRequest, ListUsersResponse,
};
use futures_util::StreamExt;

/// The stub's users: 5 of them, 2 per page.
fn page(req: ListUsersRequest) -> Reply<ListUsersResponse> {
    let start: usize = req
        .next_token
        .as_deref()
        .map_or(0, |t| t.parse().unwrap_or(0));
    let end = (start + 2).min(5);
    let mut r = ListUsersResponse::default();
    r.users = (start..end)
        .map(|i| {
            let mut u = UserInfo::default();
            u.user_id = Some(format!("user-{i}"));
            u
        })
        .collect();
    r.next_token = (end < 5).then(|| end.to_string());
    r.is_truncated = Some(end < 5);
    Reply::Ok(r)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = Credentials::new("AKIDexample", "example-secret");
    let stub = StubServer::builder(credentials.clone())
        .on::<ListUsers>(page)
        .start()
        .await?;
    let client = Client::new(
        Config::builder(credentials)
            .endpoint(stub.endpoint())
            .build(),
    )?;

    // Streams are not `Unpin`: pin it to poll it in a loop.
    let mut users = std::pin::pin!(client.list_users().zone_id("z-1").into_paginator().items());
    let mut n = 0;
    while let Some(user) = users.next().await {
        let user = user?;
        println!("{}", user.user_id.as_deref().unwrap_or("?"));
        n += 1;
    }
    assert_eq!(n, 5, "every user, once");
    println!("{n} users in {} calls", stub.received().len());
    Ok(())
}
