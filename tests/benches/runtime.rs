//! Runtime benchmarks (run by `cargo xtask bench`): decoding both seed responses with the
//! generated, tolerant models against a hand-written `#[derive(Deserialize)]` struct of the
//! same shape, and building + validating + serializing + signing requests.

use std::hint::black_box;
use std::time::Duration;

use cloudapi::aliyun::ccc::v20200701 as ccc;
use cloudapi::runtime::client::Client;
use cloudapi::runtime::Signing;
use cloudapi::runtime::{Config, Credentials};
use cloudapi::tencentcloud::organization::v20210331 as org;
use criterion::{criterion_group, criterion_main, Criterion};
use serde::Deserialize;

/// Hand-written models of the same shapes, with plain serde (no tolerance). Fields are
/// decoded, not read: that is what is measured.
#[allow(dead_code)]
mod plain {
    use super::Deserialize;

    #[derive(Deserialize)]
    pub struct ListUsersEnvelope {
        #[serde(rename = "Response")]
        pub response: ListUsers,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct ListUsers {
        pub total_counts: Option<i64>,
        pub max_results: Option<i64>,
        #[serde(default)]
        pub users: Vec<User>,
        pub next_token: Option<String>,
        pub is_truncated: Option<bool>,
        pub request_id: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct User {
        pub user_name: Option<String>,
        pub first_name: Option<String>,
        pub last_name: Option<String>,
        pub display_name: Option<String>,
        pub description: Option<String>,
        pub email: Option<String>,
        pub user_status: Option<String>,
        pub user_type: Option<String>,
        pub user_id: Option<String>,
        pub create_time: Option<String>,
        pub update_time: Option<String>,
        pub is_selected: Option<i64>,
    }

    /// The document prints integers and booleans as strings: so does this model.
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct ListInstances {
        pub code: Option<String>,
        pub data: Option<Data>,
        pub http_status_code: Option<String>,
        pub message: Option<String>,
        pub params: Option<String>,
        pub request_id: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Data {
        #[serde(default)]
        pub list: Vec<Instance>,
        pub page_number: Option<String>,
        pub page_size: Option<String>,
        pub total_count: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Instance {
        #[serde(default)]
        pub admin_list: Vec<Admin>,
        pub aliyun_uid: Option<String>,
        pub console_url: Option<String>,
        pub description: Option<String>,
        pub domain_name: Option<String>,
        pub id: Option<String>,
        pub name: Option<String>,
        #[serde(default)]
        pub number_list: Vec<Number>,
        pub status: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Admin {
        pub display_name: Option<String>,
        pub email: Option<String>,
        pub extension: Option<String>,
        pub instance_id: Option<String>,
        pub login_name: Option<String>,
        pub mobile: Option<String>,
        pub role_id: Option<String>,
        pub role_name: Option<String>,
        pub user_id: Option<String>,
        pub work_mode: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Number {
        pub active: Option<String>,
        pub city: Option<String>,
        pub contact_flow_id: Option<String>,
        pub instance_id: Option<String>,
        pub number: Option<String>,
        pub province: Option<String>,
        #[serde(default)]
        pub skill_groups: Vec<SkillGroup>,
        pub usage: Option<String>,
        pub user_id: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct SkillGroup {
        pub description: Option<String>,
        pub display_name: Option<String>,
        pub instance_id: Option<String>,
        pub name: Option<String>,
        pub phone_number_count: Option<String>,
        pub skill_group_id: Option<String>,
        pub user_count: Option<String>,
    }
}

/// The example with its single list item repeated `n` times (ids made distinct).
pub fn page(example: &str, list: &[&str], id_field: &str, n: usize) -> String {
    let mut v: serde_json::Value = serde_json::from_str(example).expect("example");
    let mut at = &mut v;
    for key in &list[..list.len() - 1] {
        at = &mut at[*key];
    }
    let item = at[list[list.len() - 1]][0].clone();
    at[list[list.len() - 1]] = (0..n)
        .map(|i| {
            let mut it = item.clone();
            it[id_field] = serde_json::Value::String(format!("id-{i}"));
            it
        })
        .collect();
    serde_json::to_string(&v).expect("json")
}

fn decode(c: &mut Criterion) {
    let users_1000 = page(
        org::list_users::EXAMPLE_RESPONSE_JSON,
        &["Response", "Users"],
        "UserId",
        1000,
    );
    let instances_1000 = page(
        ccc::list_instances_of_user::EXAMPLE_RESPONSE_JSON,
        &["Data", "List"],
        "Id",
        1000,
    );
    let mut g = c.benchmark_group("decode");
    g.bench_function("list_users_example", |b| {
        b.iter(|| {
            org::ListUsersResponse::from_json(black_box(
                org::list_users::EXAMPLE_RESPONSE_JSON.as_bytes(),
            ))
            .unwrap()
        })
    });
    g.bench_function("list_users_example_derive", |b| {
        b.iter(|| {
            serde_json::from_slice::<plain::ListUsersEnvelope>(black_box(
                org::list_users::EXAMPLE_RESPONSE_JSON.as_bytes(),
            ))
            .unwrap()
        })
    });
    g.bench_function("list_users_1000", |b| {
        b.iter(|| org::ListUsersResponse::from_json(black_box(users_1000.as_bytes())).unwrap())
    });
    g.bench_function("list_users_1000_derive", |b| {
        b.iter(|| {
            serde_json::from_slice::<plain::ListUsersEnvelope>(black_box(users_1000.as_bytes()))
                .unwrap()
        })
    });
    g.bench_function("list_instances_example", |b| {
        b.iter(|| {
            ccc::ListInstancesOfUserResponse::from_json(black_box(
                ccc::list_instances_of_user::EXAMPLE_RESPONSE_JSON.as_bytes(),
            ))
            .unwrap()
        })
    });
    g.bench_function("list_instances_example_derive", |b| {
        b.iter(|| {
            serde_json::from_slice::<plain::ListInstances>(black_box(
                ccc::list_instances_of_user::EXAMPLE_RESPONSE_JSON.as_bytes(),
            ))
            .unwrap()
        })
    });
    g.bench_function("list_instances_1000", |b| {
        b.iter(|| {
            ccc::ListInstancesOfUserResponse::from_json(black_box(instances_1000.as_bytes()))
                .unwrap()
        })
    });
    g.bench_function("list_instances_1000_derive", |b| {
        b.iter(|| {
            serde_json::from_slice::<plain::ListInstances>(black_box(instances_1000.as_bytes()))
                .unwrap()
        })
    });
    g.finish();
}

fn request(c: &mut Criterion) {
    let ts = 1_551_113_065;
    let tc = Client::new(
        Config::builder(Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        ))
        .build(),
        org::client::SERVICE_INFO,
    )
    .unwrap();
    let ali = |s: Signing| {
        Client::new(
            Config::builder(Credentials::new("testid", "testsecret"))
                .signing(s)
                .build(),
            ccc::client::SERVICE_INFO,
        )
        .unwrap()
    };
    let (v1, v3) = (ali(Signing::HmacSha1), ali(Signing::Acs3HmacSha256));
    let mut g = c.benchmark_group("request");
    g.bench_function("list_users", |b| {
        b.iter(|| {
            let req = org::ListUsersRequest::builder()
                .zone_id("z-00fc2p61****")
                .user_status("Enabled")
                .max_results(50)
                .filter("张三")
                .filter_groups(["g-sjwidjssd", "g-djsiendidmd"])
                .sort_field("CreateTime")
                .sort_type("Desc")
                .build()
                .unwrap();
            tc.sign(
                &<org::ListUsers as cloudapi::runtime::Action>::OPERATION,
                &cloudapi::runtime::client::action::payload(&req),
                ts,
            )
        })
    });
    for (id, client) in [
        ("list_instances_hmac_sha1", &v1),
        ("list_instances_acs3", &v3),
    ] {
        g.bench_function(id, |b| {
            b.iter(|| {
                let req = ccc::ListInstancesOfUserRequest::builder()
                    .page_number(1)
                    .page_size(10)
                    .build()
                    .unwrap();
                client.sign(
                    &<ccc::ListInstancesOfUser as cloudapi::runtime::Action>::OPERATION,
                    &cloudapi::runtime::client::action::payload(&req),
                    ts,
                )
            })
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! { name = benches; config = config(); targets = decode, request }
criterion_main!(benches);
