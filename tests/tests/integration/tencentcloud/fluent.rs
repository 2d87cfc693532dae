//! The fluent form, `client.<action>()…send()`, against the generated stub over real HTTP:
//! validation at send time, the way around it for a stale limit, paginators started from a
//! call, and a request built apart sent with `call`.

use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, Credentials, SdkError};
use cloudapi::tencentcloud::organization::v20210331::stub::StubServer;
use cloudapi::tencentcloud::organization::v20210331::{
    Client, ListUsers, ListUsersRequest, ListUsersResponse,
};
use futures_util::StreamExt;

fn creds() -> Credentials {
    Credentials::new("AKIDfluentexample", "fluent-example-secret")
}

fn client(endpoint: &str) -> Client {
    Client::new(Config::builder(creds()).endpoint(endpoint).build()).unwrap()
}

#[tokio::test]
async fn send_validates_first_and_sends_nothing_on_a_broken_constraint() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint());

    let missing = c.list_users().max_results(10).send().await.unwrap_err();
    match &missing {
        SdkError::Construction(e) => assert!(e.to_string().contains("ZoneId"), "{e}"),
        other => panic!("expected a construction error, got {other:?}"),
    }
    let too_many = c.list_users().zone_id("z-1").max_results(1000).send().await;
    assert!(
        matches!(too_many, Err(SdkError::Construction(_))),
        "{too_many:?}"
    );
    assert!(stub.received().is_empty(), "nothing was sent");

    let ok = c
        .list_users()
        .zone_id("z-1")
        .max_results(50)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.total_counts, Some(50), "the document's example");
    let sent = stub.received();
    assert_eq!(sent.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(body, serde_json::json!({"ZoneId": "z-1", "MaxResults": 50}));
}

#[tokio::test]
async fn send_unchecked_sends_past_a_stale_limit_but_not_without_a_required_parameter() {
    let stub = StubServer::builder(creds())
        .on::<ListUsers>(|req| {
            let mut r = ListUsersResponse::default();
            r.max_results = req.max_results;
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint());
    let missing = c.list_users().max_results(1000).send_unchecked().await;
    assert!(
        matches!(missing, Err(SdkError::Construction(_))),
        "{missing:?}"
    );
    assert!(stub.received().is_empty());

    // The stub enforces the documented maximum as the provider does: the request went out
    // and the provider's own error came back.
    let stale = c
        .list_users()
        .zone_id("z-1")
        .max_results(1000)
        .send_unchecked()
        .await;
    assert_eq!(stub.received().len(), 1, "sent: {stale:?}");
    match stale {
        Err(SdkError::Service(e)) => assert!(e.code().starts_with("InvalidParameter"), "{e}"),
        other => panic!("expected the provider's error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_paginator_from_a_call_follows_every_page_and_validates_first() {
    let stub = StubServer::builder(creds())
        .on::<ListUsers>(|req: ListUsersRequest| {
            let start: usize = req.next_token.as_deref().map_or(0, |t| t.parse().unwrap());
            let mut r = ListUsersResponse::default();
            r.users = (start..(start + 2).min(5))
                .map(|i| {
                    let mut u = cloudapi::tencentcloud::organization::v20210331::list_users::UserInfo::default();
                    u.user_id = Some(format!("u-{i}"));
                    u
                })
                .collect();
            let end = start + r.users.len();
            r.next_token = (end < 5).then(|| end.to_string());
            r.is_truncated = Some(end < 5);
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint());
    let ids: Vec<String> = c
        .list_users()
        .zone_id("z-1")
        .into_paginator()
        .items()
        .map(|u| u.unwrap().user_id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["u-0", "u-1", "u-2", "u-3", "u-4"]);
    assert_eq!(stub.received().len(), 3, "one call per page");

    // A paginator over a request that breaks a constraint yields that error once.
    let broken: Vec<_> = c.list_users().into_paginator().pages().collect().await;
    assert_eq!(broken.len(), 1);
    assert!(
        matches!(broken[0], Err(SdkError::Construction(_))),
        "{broken:?}"
    );
    assert_eq!(stub.received().len(), 3, "nothing more was sent");

    // The same pages from a request built apart.
    let pages: Vec<_> = c
        .paginator(ListUsersRequest::builder().zone_id("z-1").build().unwrap())
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
}

#[tokio::test]
async fn the_fluent_call_and_a_request_built_apart_send_the_same_body() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint());
    let fluent = c
        .list_users()
        .zone_id("z-1")
        .filter_groups(["g-1", "g-2"])
        .send()
        .await
        .unwrap();
    let built = ListUsersRequest::builder()
        .zone_id("z-1")
        .filter_groups(["g-1", "g-2"])
        .build()
        .unwrap();
    let apart = c.call(built).await.unwrap();
    assert_eq!(fluent, apart);
    let sent = stub.received();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
    // `as_builder` shows what a call holds before it is sent.
    let call = c.list_users().zone_id("z-9");
    assert_eq!(
        call.as_builder().clone().build().unwrap(),
        ListUsersRequest::builder().zone_id("z-9").build().unwrap()
    );
}
