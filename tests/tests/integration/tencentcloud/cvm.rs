//! End to end: CVM 2017-03-12 (structure-valued parameters) against the generated stub
//! server over real HTTP on 127.0.0.1, with TC3 signatures checked by the stub.
//!
//! DescribeInstances is a POST with `Filters` (a list of `Filter` structures) in the JSON
//! body; DescribeImages is a GET, whose parameters are flattened into the query with
//! indexes from 0 (`Filters.0.Values.1`), as the official SDKs send them.

use std::sync::{Arc, Mutex};

use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, Credentials, RetryPolicy, SdkError, ViolationKind};
use cloudapi::tencentcloud::cvm::v20170312::stub::StubServer;
use cloudapi::tencentcloud::cvm::v20170312::types::Filter;
use cloudapi::tencentcloud::cvm::v20170312::{
    describe_images, describe_instances, Client, CommonError, DescribeImagesError,
    DescribeImagesRequest, DescribeImagesResponse, DescribeInstancesError,
    DescribeInstancesRequest, DescribeInstancesResponse,
};
use serde_json::json;

fn creds() -> Credentials {
    Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
}

fn client(endpoint: &str) -> Client {
    Client::new(
        Config::builder(creds())
            .endpoint(endpoint)
            .retry(RetryPolicy::none())
            .build(),
    )
    .unwrap()
}

/// The two filters the tests send: one value, then two values with characters that need
/// encoding in a query (space, `+`, `/`, `&`, `=`, non-ASCII).
fn two_filters() -> Vec<Filter> {
    vec![
        Filter::default().name("zone").values(["ap-guangzhou-1"]),
        Filter::default()
            .name("instance-name")
            .values(["web 1+2/3", "名称&x=y"]),
    ]
}

/// A handler that keeps the typed request it was given and answers with `reply`.
fn keeping<Req: Send + 'static, Resp>(
    seen: &Arc<Mutex<Vec<Req>>>,
    reply: impl Fn() -> Reply<Resp> + Send + Sync + 'static,
) -> impl Fn(Req) -> Reply<Resp> + Send + Sync + 'static {
    let seen = seen.clone();
    move |req| {
        seen.lock().unwrap().push(req);
        reply()
    }
}

#[tokio::test]
async fn describe_instances_sends_filters_as_json_structures_and_decodes_the_instances() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeInstances>(keeping(&seen, || {
            Reply::Example
        }))
        .start()
        .await
        .unwrap();
    let request = DescribeInstancesRequest::builder()
        .filters(two_filters())
        .limit(20)
        .build()
        .unwrap();
    let resp = client(&stub.endpoint())
        .call(request.clone())
        .await
        .unwrap();

    // What arrived: a POST whose JSON body holds the filters as structures, and nothing unset.
    let got = stub.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].method.as_str(), got[0].path.as_str()),
        ("POST", "/")
    );
    assert_eq!(got[0].action, "DescribeInstances");
    assert_eq!(got[0].header("x-tc-version"), Some("2017-03-12"));
    assert!(got[0].params.0.is_empty(), "{:?}", got[0].params);
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(
        body,
        json!({
            "Filters": [
                {"Name": "zone", "Values": ["ap-guangzhou-1"]},
                {"Name": "instance-name", "Values": ["web 1+2/3", "名称&x=y"]}
            ],
            "Limit": 20
        })
    );

    // The typed handler saw exactly the filters sent.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0], request);
    assert_eq!(seen[0].filters.as_deref(), Some(&two_filters()[..]));
    assert_eq!(seen[0].instance_ids, None);

    // The example decodes: nested list, nested structure, date-time.
    assert_eq!(resp.total_count, Some(1));
    assert_eq!(
        resp.request_id.as_deref(),
        Some("b5b41468-520d-4192-b42f-595cc34b6c1c")
    );
    let [inst] = &resp.instance_set[..] else {
        panic!("one instance expected: {resp:?}")
    };
    assert_eq!(inst.instance_id.as_deref(), Some("ins-xlsyru2j"));
    assert_eq!(inst.instance_state.as_deref(), Some("RUNNING"));
    assert_eq!((inst.cpu, inst.memory), (Some(1), Some(1)));
    let placement = inst.placement.as_ref().unwrap();
    assert_eq!(placement.zone.as_deref(), Some("ap-guangzhou-1"));
    assert_eq!(placement.project_id, Some(0));
    let created = inst.created_time.as_ref().unwrap();
    assert_eq!(created.as_str(), "2020-09-22T00:00:00+00:00");
    assert_eq!(created.unix_seconds(), Some(1_600_732_800));
}

#[tokio::test]
async fn a_handler_can_answer_from_the_filters_it_received() {
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeInstances>(|req| {
            let mut resp = DescribeInstancesResponse::from_json(
                describe_instances::EXAMPLE_RESPONSE_JSON.as_bytes(),
            )
            .unwrap();
            // One instance per zone asked for, in the order of the filter's values.
            let zones = req
                .filters
                .iter()
                .flatten()
                .find(|f| f.name.as_deref() == Some("zone"))
                .map(|f| f.values.clone())
                .unwrap_or_default();
            let template = resp.instance_set[0].clone();
            resp.instance_set = zones
                .iter()
                .map(|z| {
                    let mut i = template.clone();
                    i.placement.as_mut().unwrap().zone = Some(z.clone());
                    i
                })
                .collect();
            resp.total_count = Some(zones.len() as i64);
            Reply::Ok(resp)
        })
        .start()
        .await
        .unwrap();
    let resp = client(&stub.endpoint())
        .call(
            DescribeInstancesRequest::builder()
                .filters([Filter::default()
                    .name("zone")
                    .values(["ap-guangzhou-3", "ap-guangzhou-6"])])
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let zones: Vec<_> = resp
        .instance_set
        .iter()
        .map(|i| i.placement.as_ref().unwrap().zone.clone().unwrap())
        .collect();
    assert_eq!(zones, ["ap-guangzhou-3", "ap-guangzhou-6"]);
    assert_eq!(resp.total_count, Some(2));
    // The date-time went back out as the same text.
    assert_eq!(
        resp.instance_set[1]
            .created_time
            .as_ref()
            .and_then(|t| t.unix_seconds()),
        Some(1_600_732_800)
    );
}

#[tokio::test]
async fn describe_images_is_a_get_with_filters_flattened_from_index_0() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeImages>(keeping(&seen, || {
            Reply::Example
        }))
        .start()
        .await
        .unwrap();
    // An offset beyond i64::MAX: uint64 is carried as such, on the wire and back.
    let offset = u64::MAX - 6;
    let request = DescribeImagesRequest::builder()
        .image_ids(["img-6pb6lrmy", "img-9qabwvbn"])
        .filters(two_filters())
        .offset(offset)
        .limit(100u64)
        .build()
        .unwrap();
    let resp = client(&stub.endpoint())
        .call(request.clone())
        .await
        .unwrap();

    let got = stub.received();
    assert_eq!(got.len(), 1);
    let got = &got[0];
    assert_eq!((got.method.as_str(), got.path.as_str()), ("GET", "/"));
    assert_eq!(got.action, "DescribeImages");
    assert!(got.body.is_empty(), "a GET has no body: {:?}", got.body);
    let params: Vec<(&str, &str)> = got
        .params
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut sorted = params.clone();
    sorted.sort();
    let offset_text = offset.to_string();
    let mut expected = vec![
        ("Filters.0.Name", "zone"),
        ("Filters.0.Values.0", "ap-guangzhou-1"),
        ("Filters.1.Name", "instance-name"),
        ("Filters.1.Values.0", "web 1+2/3"),
        ("Filters.1.Values.1", "名称&x=y"),
        ("ImageIds.0", "img-6pb6lrmy"),
        ("ImageIds.1", "img-9qabwvbn"),
        ("Limit", "100"),
        ("Offset", offset_text.as_str()),
    ];
    expected.sort();
    assert_eq!(sorted, expected, "as received: {params:?}");

    // The handler got the typed request back, equal to what was sent.
    assert_eq!(*seen.lock().unwrap(), [request]);

    // No example in the document: the stub answers with the synthesized body.
    assert_eq!(
        resp,
        DescribeImagesResponse::from_json(describe_images::SYNTHESIZED_RESPONSE_JSON.as_bytes())
            .unwrap()
    );
    let [image] = &resp.image_set[..] else {
        panic!("one image expected: {resp:?}")
    };
    assert_eq!(image.image_id.as_deref(), Some("img-9qabwvbn"));
    assert_eq!(image.image_size, Some(50));
    assert_eq!(image.is_support_cloudinit, Some(true));
    assert_eq!(image.tags[0].key.as_deref(), Some("owner"));
    assert_eq!(resp.total_count, Some(1));
}

#[tokio::test]
async fn a_get_request_with_only_some_parameters_sends_only_those() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeImages>(keeping(&seen, || {
            Reply::Example
        }))
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint());
    let empty = DescribeImagesRequest::builder().build().unwrap();
    c.call(empty.clone()).await.unwrap();
    let one = DescribeImagesRequest::builder()
        .filters([Filter::default()
            .name("image-type")
            .values(["PUBLIC_IMAGE"])])
        .build()
        .unwrap();
    c.call(one.clone()).await.unwrap();
    let got = stub.received();
    assert!(got[0].params.0.is_empty(), "{:?}", got[0].params);
    assert_eq!(
        got[1].params.0,
        [
            ("Filters.0.Name".to_owned(), "image-type".to_owned()),
            ("Filters.0.Values.0".to_owned(), "PUBLIC_IMAGE".to_owned()),
        ]
    );
    assert_eq!(*seen.lock().unwrap(), [empty, one]);
}

#[test]
fn a_filter_without_its_required_name_is_refused_by_its_index_path() {
    let filters = [
        Filter::default().name("zone").values(["ap-guangzhou-1"]),
        Filter::default().values(["x"]),
    ];
    let e = DescribeInstancesRequest::builder()
        .filters(filters.clone())
        .build()
        .unwrap_err();
    assert_eq!(e.violations().len(), 1, "{e}");
    let v = &e.violations()[0];
    assert_eq!(v.parameter, "Filters[1].Name");
    assert_eq!(v.kind, ViolationKind::Required);
    assert_eq!(v.message, "The parameter Filters[1].Name is required.");
    assert!(e.to_string().contains("Filters[1].Name"), "{e}");
    // Required fields of nested structures are checked by build_unchecked too.
    let e = DescribeInstancesRequest::builder()
        .filters(filters.clone())
        .build_unchecked()
        .unwrap_err();
    assert_eq!(e.violations()[0].parameter, "Filters[1].Name");
    // The same for the GET action, and every missing field is reported at once.
    let e = DescribeImagesRequest::builder()
        .filters([Filter::default(), Filter::default().name("a").values(["b"])])
        .build_unchecked()
        .unwrap_err();
    let paths: Vec<_> = e.violations().iter().map(|v| &*v.parameter).collect();
    assert_eq!(paths, ["Filters[0].Name", "Filters[0].Values"]);
}

#[test]
fn limit_ranges_and_the_instance_ids_filters_conflict_are_checked_by_build_only() {
    for (limit, kind) in [
        (0, ViolationKind::Minimum { min: 1, actual: 0 }),
        (
            101,
            ViolationKind::Maximum {
                max: 100,
                actual: 101,
            },
        ),
    ] {
        let e = DescribeInstancesRequest::builder()
            .limit(limit)
            .build()
            .unwrap_err();
        let v = e.for_parameter("Limit").unwrap();
        assert_eq!(v.kind, kind);
        assert!(DescribeInstancesRequest::builder()
            .limit(limit)
            .build_unchecked()
            .is_ok());
    }
    for limit in [1, 100] {
        assert!(DescribeInstancesRequest::builder()
            .limit(limit)
            .build()
            .is_ok());
    }
    // uint64 Limit: a value beyond i64 is still above the maximum, not wrapped around.
    let e = DescribeImagesRequest::builder()
        .limit(u64::MAX)
        .build()
        .unwrap_err();
    assert!(matches!(
        e.for_parameter("Limit").unwrap().kind,
        ViolationKind::Maximum { max: 100, .. }
    ));
    assert!(DescribeImagesRequest::builder()
        .limit(0u64)
        .build()
        .is_err());

    let both = DescribeInstancesRequest::builder()
        .instance_ids(["ins-r8hr2upy"])
        .filters([Filter::default().name("zone").values(["ap-guangzhou-1"])]);
    let e = both.clone().build().unwrap_err();
    assert_eq!(e.violations().len(), 1, "{e}");
    assert_eq!(e.violations()[0].parameter, "InstanceIds");
    assert_eq!(
        e.violations()[0].kind,
        ViolationKind::Conflicts { other: "Filters" }
    );
    assert!(both.build_unchecked().is_ok());
    // Either one alone is fine.
    assert!(DescribeInstancesRequest::builder()
        .instance_ids(["ins-r8hr2upy"])
        .build()
        .is_ok());
}

#[tokio::test]
async fn requests_breaking_constraints_are_refused_by_the_stub_too() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint());

    let over = DescribeInstancesRequest::builder()
        .limit(101)
        .build_unchecked()
        .unwrap();
    match c.call(over).await {
        Err(SdkError::Service(
            e @ DescribeInstancesError::Common(CommonError::InvalidParameterValue(_)),
        )) => assert_eq!(
            e.message(),
            "The parameter Limit must be less than or equal to 100."
        ),
        other => panic!("{other:?}"),
    }

    let both = DescribeInstancesRequest::builder()
        .instance_ids(["ins-r8hr2upy"])
        .filters(two_filters())
        .build_unchecked()
        .unwrap();
    match c.call(both).await {
        Err(SdkError::Service(e)) => {
            assert_eq!(e.code(), "InvalidParameterValue");
            assert_eq!(
                e.message(),
                "The parameter InstanceIds must not be combined with Filters."
            );
        }
        other => panic!("{other:?}"),
    }

    // A filter without its name cannot be built, but can be decoded from JSON by hand
    // and sent: the stub names the nested parameter.
    let nameless: DescribeImagesRequest = serde_json::from_value(
        json!({"Filters": [{"Name": "a", "Values": ["b"]}, {"Values": ["x"]}]}),
    )
    .unwrap();
    match c.call(nameless).await {
        Err(SdkError::Service(
            e @ DescribeImagesError::Common(CommonError::MissingParameter(_)),
        )) => assert_eq!(e.message(), "The parameter Filters[1].Name is required."),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        stub.received()[2].params.get("Filters.1.Values.0"),
        Some("x")
    );
}

#[tokio::test]
async fn every_example_decodes_and_round_trips_through_the_stub() {
    let instances =
        DescribeInstancesResponse::from_json(describe_instances::EXAMPLE_RESPONSE_JSON.as_bytes())
            .unwrap();
    let images =
        DescribeImagesResponse::from_json(describe_images::SYNTHESIZED_RESPONSE_JSON.as_bytes())
            .unwrap();
    assert_eq!(instances.instance_set.len(), 1);
    assert_eq!(images.image_set.len(), 1);

    // Default replies (the examples, verbatim) decode to the same models.
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint());
    let all = || DescribeInstancesRequest::builder().build().unwrap();
    let all_images = || DescribeImagesRequest::builder().build().unwrap();
    assert_eq!(c.call(all()).await.unwrap(), instances);
    assert_eq!(c.call(all_images()).await.unwrap(), images);

    // The models, serialized back by the stub, decode to themselves.
    let (i, m) = (instances.clone(), images.clone());
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeInstances>(move |_| {
            Reply::Ok(i.clone())
        })
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeImages>(move |_| Reply::Ok(m.clone()))
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint());
    assert_eq!(c.call(all()).await.unwrap(), instances);
    assert_eq!(c.call(all_images()).await.unwrap(), images);

    // And serialized by hand into the envelope, they are the documents' JSON.
    for (model, text) in [
        (
            serde_json::to_value(&instances).unwrap(),
            describe_instances::EXAMPLE_RESPONSE_JSON,
        ),
        (
            serde_json::to_value(&images).unwrap(),
            describe_images::SYNTHESIZED_RESPONSE_JSON,
        ),
    ] {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(json!({ "Response": model }), doc);
    }
}

/// 7 images served 3 (or fewer) at a time by `Offset`/`Limit`, with `TotalCount`.
fn paged_images(req: DescribeImagesRequest, cap: u64) -> Reply<DescribeImagesResponse> {
    let offset = req.offset.unwrap_or(0);
    let limit = req.limit.unwrap_or(20).min(cap);
    let mut r = DescribeImagesResponse::default();
    r.image_set = (offset..(offset + limit).min(7))
        .map(|i| {
            let mut image = describe_images::Image::default();
            image.image_id = Some(format!("img-{i}"));
            image
        })
        .collect();
    r.total_count = Some(7);
    Reply::Ok(r)
}

#[tokio::test]
async fn offset_pagination_returns_every_image_exactly_once() {
    use futures_util::StreamExt;
    for (limit, cap, pages) in [(3u64, 100, 3), (10, 2, 4), (7, 100, 1)] {
        let offsets = Arc::new(Mutex::new(Vec::new()));
        let seen = offsets.clone();
        let stub = StubServer::builder(creds())
            .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeImages>(
                move |req: DescribeImagesRequest| {
                    seen.lock().unwrap().push(req.offset);
                    paged_images(req, cap)
                },
            )
            .start()
            .await
            .unwrap();
        let c = client(&stub.endpoint());
        let request = DescribeImagesRequest::builder()
            .limit(limit)
            .build()
            .unwrap();
        let ids: Vec<String> = c
            .paginator(request)
            .items()
            .map(|i| i.unwrap().image_id.unwrap())
            .collect()
            .await;
        assert_eq!(
            ids,
            (0..7).map(|i| format!("img-{i}")).collect::<Vec<_>>(),
            "limit {limit}, server cap {cap}"
        );
        // The server capping the limit is followed by the items received, and the
        // total stops the stream without an extra empty page.
        assert_eq!(
            offsets.lock().unwrap().len(),
            pages,
            "limit {limit}, cap {cap}"
        );
    }
}

#[tokio::test]
async fn offset_pagination_stops_on_a_short_or_empty_page_without_a_total() {
    use futures_util::StreamExt;
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeImages>(
            |req: DescribeImagesRequest| {
                let offset = req.offset.unwrap_or(0);
                let mut r = DescribeImagesResponse::default();
                // No TotalCount; 5 images in all.
                r.image_set = (offset..(offset + 2).min(5))
                    .map(|_| describe_images::Image::default())
                    .collect();
                Reply::Ok(r)
            },
        )
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint());
    let request = DescribeImagesRequest::builder()
        .limit(2u64)
        .build()
        .unwrap();
    let pages: Vec<_> = c.paginator(request).pages().collect().await;
    // 2 + 2 + 1: the short third page ends it.
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.as_ref().unwrap().image_set.len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
}
