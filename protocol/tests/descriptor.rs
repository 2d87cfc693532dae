//! The descriptor is data: every fact of a protocol is a field of its [`Descriptor`], so a
//! protocol that does not exist yet is one more `const`, and everything that reads the
//! facts (the checker's tables, a server's routing) works for it unchanged.

use cloudapi_protocol::descriptor::{
    Carrier, Cloud, Descriptor, EndpointRule, Envelope, ErrorEnvelope, Position, Protocol, Shape,
    Signing, Style,
};

/// A scratch protocol: JSON-RPC-like, on the Alibaba Cloud side, action and version in
/// headers of its own, the answer wrapped in `result`.
const TOY: Descriptor = Descriptor {
    name: "toy",
    rust_name: "Toy",
    cloud: Cloud::Alibaba,
    signings: &[Signing::Acs3HmacSha256],
    positions: &[Position::Body, Position::Header],
    default_position: Position::Body,
    styles: &[Style::Flat, Style::Json],
    methods: Some(&["POST"]),
    rest: false,
    raw_body: false,
    whole_answers: false,
    endpoint_rules: &[EndpointRule::Central],
    region_hosts: false,
    success: Envelope::Member("result"),
    error: ErrorEnvelope {
        path: &["error"],
        code: &["code"],
        message: &["message"],
        request_id: &["id"],
        request_id_header: Some("x-toy-request-id"),
        http_200: true,
    },
    xml: false,
    action: &[Carrier::Header("x-toy-method"), Carrier::Param("method")],
    version: &[Carrier::Header("x-toy-version")],
    shape: Shape::ActionHeader,
    window_secs: 60,
    gateway: None,
};

fn headers<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> {
    move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
}

#[test]
fn a_scratch_protocol_is_one_more_const() {
    assert!(TOY.allows_signing(Signing::Acs3HmacSha256));
    assert!(!TOY.allows_signing(Signing::HmacSha1));
    assert!(TOY.allows_position(Position::Header));
    assert!(!TOY.allows_position(Position::Query));
    assert!(TOY.allows_style(Style::Json) && !TOY.allows_style(Style::Simple));
    assert!(TOY.allows_method("POST") && !TOY.allows_method("GET"));
    assert!(TOY.allows_endpoint_rule(EndpointRule::Central));
    assert!(!TOY.allows_endpoint_rule(EndpointRule::Regional));
    assert!(TOY.names_action());

    let h = [("x-toy-method", "Ping"), ("x-toy-version", "2024-01-01")];
    let none = |_: &str| None;
    assert_eq!(TOY.action_of(headers(&h), none), Some("Ping"));
    assert_eq!(TOY.version_of(headers(&h), none), Some("2024-01-01"));
    let q = [("method", "Pong")];
    assert_eq!(TOY.action_of(none, headers(&q)), Some("Pong"));
    assert!(TOY.shaped_for("/anything", headers(&h)));
    assert!(!TOY.shaped_for("/", none));
    // Its provider's facts come with it.
    assert_eq!(TOY.cloud.descriptor().throttling_code, "Throttling");
}

#[test]
fn the_real_protocols_read_requests_as_before() {
    let none = |_: &str| None;
    let tc3 = Protocol::Tc3.descriptor();
    let h = [
        ("x-tc-action", "DescribeRegions"),
        ("x-tc-version", "2017-03-12"),
    ];
    assert_eq!(tc3.action_of(headers(&h), none), Some("DescribeRegions"));
    assert_eq!(tc3.version_of(headers(&h), none), Some("2017-03-12"));
    assert!(tc3.shaped_for("/", headers(&h)));

    let rpc = Protocol::Rpc.descriptor();
    let q = [("Action", "DescribeVpcs"), ("Version", "2016-04-28")];
    assert_eq!(rpc.action_of(none, headers(&q)), Some("DescribeVpcs"));
    assert_eq!(rpc.version_of(none, headers(&q)), Some("2016-04-28"));
    let acs3 = [("x-acs-action", "A")];
    assert_eq!(rpc.action_of(headers(&acs3), headers(&q)), Some("A"));
    assert!(rpc.shaped_for("/", none) && !rpc.shaped_for("/x", none));

    let roa = Protocol::Roa.descriptor();
    assert!(roa.shaped_for("/clusters", none) && !roa.shaped_for("/", none));

    let sls = Protocol::Sls.descriptor();
    assert!(!sls.names_action() && !sls.shaped_for("/logstores", none));
}

#[test]
fn every_protocol_is_consistent() {
    for p in Protocol::ALL {
        let d = p.descriptor();
        // The variant generated code names is the enum's own.
        assert_eq!(format!("{p:?}"), d.rust_name);
        assert_eq!(p.name(), d.rust_name.to_ascii_lowercase());
        assert!(!d.signings.is_empty(), "{}", d.name);
        assert!(d.allows_position(d.default_position), "{}", d.name);
        assert!(d.allows_style(Style::Flat), "{}", d.name);
        // A host comes from an endpoint rule, or is the gateway's when the caller names
        // none (PDS: the caller's domain host).
        assert!(
            !d.endpoint_rules.is_empty() || d.gateway.is_some_and(|g| g.default_host.is_some()),
            "{}",
            d.name
        );
        // A protocol whose requests do not name their action is found by method and path.
        assert_eq!(d.names_action(), d.shape != Shape::Never, "{}", d.name);
        assert!(!d.xml || matches!(d.success, Envelope::Bare), "{}", d.name);
        // Its provider's STS speaks one of the provider's protocols.
        assert_eq!(d.cloud.descriptor().sts.protocol.cloud(), d.cloud);
    }
    for s in Signing::ALL {
        assert_eq!(format!("{s:?}"), s.rust_name());
        // The spec name is the variant's, in kebab case (`Acs3HmacSha256`:
        // `acs3-hmac-sha256`).
        let kebab: String = s
            .rust_name()
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let dash = (i > 0 && c.is_ascii_uppercase()).then_some('-');
                dash.into_iter().chain([c.to_ascii_lowercase()])
            })
            .collect();
        assert_eq!(s.name(), kebab);
        assert!(Protocol::ALL
            .iter()
            .any(|p| p.descriptor().allows_signing(s)));
    }
    for r in EndpointRule::ALL {
        assert_eq!(format!("{r:?}"), r.rust_name());
        assert_eq!(EndpointRule::from_name(r.name()), Some(r));
    }
    for pos in Position::ALL {
        assert_eq!(format!("{pos:?}").to_ascii_lowercase(), pos.name());
    }
    for c in Cloud::ALL {
        assert_eq!(Cloud::from_spec_name(c.spec_name()), Some(c));
        let sts = c.descriptor().sts;
        assert!(sts.min_duration_secs <= sts.default_duration_secs);
        assert!(sts.default_duration_secs <= sts.max_duration_secs);
    }
}
