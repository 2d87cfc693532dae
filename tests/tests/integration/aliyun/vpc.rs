//! VPC 2016-04-28 (imported): structures the SDK sends with `body_flat` go in the form
//! body, flattened as its `Utils.query` does, and come back whole through the stub.

use std::sync::{Arc, Mutex};

use cloudapi::aliyun::vpc::v20160428::create_vpn_connection::{
    TunnelOptionsSpecification, TunnelOptionsSpecificationTunnelIkeConfig,
};
use cloudapi::aliyun::vpc::v20160428::stub::StubServer;
use cloudapi::aliyun::vpc::v20160428::{Client, CreateVpnConnectionRequest};
use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, Credentials, RetryPolicy};

fn creds() -> Credentials {
    Credentials::new("testid", "testsecret")
}

#[tokio::test]
async fn tunnel_options_go_flattened_in_the_form_body_and_decode_whole() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::vpc::v20160428::CreateVpnConnection>(move |req| {
            keep.lock().unwrap().push(req);
            Reply::Example
        })
        .start()
        .await
        .unwrap();
    let config = Config::builder(creds())
        .endpoint(stub.endpoint())
        .retry(RetryPolicy::none())
        .build();
    let client = Client::new(config).unwrap();
    let sent = CreateVpnConnectionRequest::builder()
        .region_id("cn-hangzhou")
        // Set, so the request the handler decodes is the one built (an unset token is
        // filled by the client).
        .client_token("token-1")
        .vpn_gateway_id("vpn-1")
        .local_subnet("10.0.0.0/24")
        .remote_subnet("10.1.0.0/24")
        .tunnel_options_specification([
            TunnelOptionsSpecification::default()
                .customer_gateway_id("cgw-1")
                .role("master")
                .tunnel_ike_config(
                    TunnelOptionsSpecificationTunnelIkeConfig::default()
                        .ike_auth_alg("sha1")
                        .ike_lifetime(86400),
                ),
            TunnelOptionsSpecification::default()
                .customer_gateway_id("cgw-2")
                .role("slave"),
        ])
        .build()
        .unwrap();
    client.call(sent.clone()).await.unwrap();

    let got = stub.received();
    assert_eq!(got.len(), 1);
    let form = String::from_utf8(got[0].body.clone()).unwrap();
    for pair in [
        "TunnelOptionsSpecification.1.CustomerGatewayId=cgw-1",
        "TunnelOptionsSpecification.1.Role=master",
        "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeAuthAlg=sha1",
        "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeLifetime=86400",
        "TunnelOptionsSpecification.2.CustomerGatewayId=cgw-2",
        "TunnelOptionsSpecification.2.Role=slave",
    ] {
        assert!(
            form.split('&').any(|p| p == pair),
            "{pair} in the form body: {form}"
        );
    }
    // The handler got the structures back as they were sent.
    assert_eq!(seen.lock().unwrap().as_slice(), [sent]);
}
