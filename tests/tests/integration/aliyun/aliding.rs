//! aliding 2023-04-26 (ROA): a structure sent as the JSON text of a header
//! (`AccountContext: {"accountId":"…"}`, `style: json`), as the official SDK sends its
//! shrunk headers; the stub reads it back into the structure.

use cloudapi::aliyun::aliding::v20230426::add_attendee::{AccountContext, AttendeesToAdd};
use cloudapi::aliyun::aliding::v20230426::stub::StubServer;
use cloudapi::aliyun::aliding::v20230426::{AddAttendee, AddAttendeeResponse, Client};
use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, Credentials};

fn creds() -> Credentials {
    Credentials::new("LTAIalidingexample", "aliding-example-secret")
}

#[tokio::test]
async fn a_structure_travels_as_the_json_text_of_its_header_and_reads_back() {
    let stub = StubServer::builder(creds())
        .on::<AddAttendee>(|req| {
            let mut r = AddAttendeeResponse::default();
            r.error_msg = Some(format!(
                "account={:?} event={}",
                req.account_context
                    .as_ref()
                    .and_then(|a| a.account_id.as_deref()),
                req.event_id
            ));
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let client = Client::new(Config::builder(creds()).endpoint(stub.endpoint()).build()).unwrap();
    let answer = client
        .add_attendee()
        .calendar_id("primary")
        .event_id("e-1")
        .attendees_to_add(vec![AttendeesToAdd::default().id("u 1").is_optional(true)])
        .account_context(AccountContext::default().account_id("0123 张"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.error_msg.as_deref(),
        Some(r#"account=Some("0123 张") event=e-1"#)
    );

    let sent = stub.received();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].header("AccountContext"),
        Some(r#"{"accountId":"0123 张"}"#),
        "the header is the structure's compact JSON text"
    );
}

/// `QueryOrgHonors` pages by a token its request requires: the first page is asked with
/// the caller's token, each next one with the token the previous answer gave.
#[tokio::test]
async fn a_required_page_token_is_followed() {
    use cloudapi::aliyun::aliding::v20230426::query_org_honors::OpenHonors;
    use cloudapi::aliyun::aliding::v20230426::{QueryOrgHonors, QueryOrgHonorsResponse};
    use futures_util::StreamExt;

    let stub = StubServer::builder(creds())
        .on::<QueryOrgHonors>(|req| {
            let page: u32 = req.next_token.parse().unwrap_or(0);
            let mut r = QueryOrgHonorsResponse::default();
            let mut honor = OpenHonors::default();
            honor.honor_id = Some(i64::from(page));
            r.open_honors = vec![honor];
            r.next_token = (page < 2).then(|| (page + 1).to_string());
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let client = Client::new(Config::builder(creds()).endpoint(stub.endpoint()).build()).unwrap();
    let ids: Vec<i64> = client
        .query_org_honors()
        .org_id(7)
        .next_token("0")
        .into_paginator()
        .items()
        .map(|h| h.unwrap().honor_id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, [0, 1, 2]);
    assert_eq!(stub.received().len(), 3, "one call per page");
}
