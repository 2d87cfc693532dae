//! Which host a client calls: the product's endpoint metadata (the spec's `endpoints:`
//! block, [`Endpoints`]) and the configuration's region, network, suffix and Tencent
//! Cloud host settings, resolved once, when the client is built ([`resolve_host`]).
//!
//! The precedence is the official SDKs':
//!
//! 1. an explicit [`ConfigBuilder::endpoint`](crate::ConfigBuilder::endpoint);
//! 2. the product's per-region map entry for the region (Alibaba Cloud's `_endpoint_map`;
//!    it wins whatever the network, as in `alibabacloud-tea-openapi`);
//! 3. the product's rule: Alibaba Cloud's `regional` (`<product>.<region>.aliyuncs.com`)
//!    or `central` (`<product>.aliyuncs.com`), with `-<suffix>` and then `-<network>` after
//!    the product for a suffix and a network other than `public` (as the Go SDK's
//!    `GetEndpointRules`; the Python SDK ignores the suffix); Tencent Cloud's
//!    `<service>.<root domain>`, `<service>.<region>.<root domain>` (regional) or
//!    `<service>.internal.<root domain>` (internal); Simple Log Service's gateway's
//!    `<region>.log.aliyuncs.com` (`-intranet`, `-share`);
//! 4. a product without endpoint metadata keeps its spec's one `endpoint`.

use cloudapi_protocol::host::{is_host, is_label};
use std::fmt;

use crate::client::config::Config;
use crate::protocol::service::{EndpointRule, Endpoints, Service};

/// Tencent Cloud's default root domain (`HttpProfile.rootDomain`).
pub const TENCENT_ROOT_DOMAIN: &str = "tencentcloudapi.com";

/// Why no host could be resolved for a product; returned when the client is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    product: String,
    region: Option<String>,
    message: String,
}

impl EndpointError {
    fn new(product: &str, region: Option<&str>, message: impl Into<String>) -> Self {
        EndpointError {
            product: product.to_owned(),
            region: region.map(str::to_owned),
            message: message.into(),
        }
    }
    /// The product (its endpoint product id).
    pub fn product(&self) -> &str {
        &self.product
    }
    /// The region asked for, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.region {
            Some(r) => write!(
                f,
                "no endpoint for product `{}` in region `{r}`: {}",
                self.product, self.message
            ),
            None => write!(
                f,
                "no endpoint for product `{}`: {}",
                self.product, self.message
            ),
        }
    }
}

impl std::error::Error for EndpointError {}

/// The host (and scheme) the client calls: `https://<host>` unless an explicit endpoint
/// names its scheme. See the [module documentation](self) for the precedence.
pub fn resolve_base_url(config: &Config, service: &Service) -> Result<String, EndpointError> {
    Ok(match &config.endpoint {
        Some(e) if e.contains("://") => e.trim_end_matches('/').to_owned(),
        Some(e) => format!("https://{}", e.trim_end_matches('/')),
        None => format!("https://{}", resolve_host(config, service)?),
    })
}

/// The host the official SDKs would compute for `service` under `config`, ignoring an
/// explicit endpoint (which wins over it; see [`resolve_base_url`]).
pub fn resolve_host(config: &Config, service: &Service) -> Result<String, EndpointError> {
    resolve(
        config,
        service.endpoint,
        service.default_region,
        service.endpoints,
    )
}

/// [`resolve_host`] from the parts of a [`Service`] it reads: the spec's one `endpoint`,
/// its default region and its endpoint metadata.
pub fn resolve(
    config: &Config,
    endpoint: &str,
    default_region: Option<&str>,
    endpoints: Option<&Endpoints>,
) -> Result<String, EndpointError> {
    let Some(ep) = endpoints else {
        return Ok(endpoint.to_owned());
    };
    let region = config
        .region
        .as_deref()
        .or(default_region)
        .filter(|r| !r.is_empty());
    let product = ep.product_id.to_ascii_lowercase();
    let err = |message: String| EndpointError::new(ep.product_id, region, message);
    match ep.rule {
        EndpointRule::Regional | EndpointRule::Central => {
            if let Some(host) = region.and_then(|r| ep.region_host(r)) {
                return Ok(host.to_owned());
            }
            let mut first = product;
            if let Some(suffix) = config.suffix.as_deref().filter(|s| !s.is_empty()) {
                if !is_label(suffix) {
                    return Err(err(format!(
                        "the suffix `{suffix}` is not a host label (letters, digits and `-`)"
                    )));
                }
                first = format!("{first}-{suffix}");
            }
            if let Some(network) = config
                .network
                .as_deref()
                .filter(|n| !n.is_empty() && *n != "public")
            {
                if !is_label(network) {
                    return Err(err(format!(
                        "the network `{network}` is not a host label (letters, digits and `-`)"
                    )));
                }
                first = format!("{first}-{network}");
            }
            if ep.rule == EndpointRule::Central {
                return Ok(format!("{first}.aliyuncs.com"));
            }
            match region {
                None => Err(err(
                    "the product's endpoints are regional: set a region (ConfigBuilder::region) or an endpoint"
                        .to_owned(),
                )),
                Some(r) if !is_label(r) => Err(err(
                    "a region is one host label (letters, digits and `-`), such as `cn-beijing`"
                        .to_owned(),
                )),
                Some(r) => Ok(format!("{first}.{r}.aliyuncs.com")),
            }
        }
        EndpointRule::Sls => {
            if let Some(host) = region.and_then(|r| ep.region_host(r)) {
                return Ok(host.to_owned());
            }
            // The gateway's own default region.
            let r = region.unwrap_or("cn-hangzhou");
            if !is_label(r) {
                return Err(err(
                    "a region is one host label (letters, digits and `-`), such as `cn-hangzhou`"
                        .to_owned(),
                ));
            }
            Ok(match config.network.as_deref().unwrap_or("") {
                "intranet" => format!("{r}-intranet.log.aliyuncs.com"),
                "accelerate" => "log-global.aliyuncs.com".to_owned(),
                "share" => match r {
                    "cn-hangzhou-corp" | "cn-shanghai-corp" => format!("{r}.sls.aliyuncs.com"),
                    "cn-zhangbei-corp" => "zhangbei-corp-share.log.aliyuncs.com".to_owned(),
                    _ => format!("{r}-share.log.aliyuncs.com"),
                },
                _ => format!("{r}.log.aliyuncs.com"),
            })
        }
        EndpointRule::Tencent => {
            let root = config.root_domain.as_deref().unwrap_or(TENCENT_ROOT_DOMAIN);
            if !is_host(root) {
                return Err(err(format!("the root domain `{root}` is not a host name")));
            }
            let second = match (config.internal, config.regional_endpoint) {
                (true, true) => {
                    return Err(err(
                        "internal and regional endpoints exclude each other: choose one".to_owned(),
                    ))
                }
                (true, false) => Some("internal"),
                (false, true) => match region {
                    None => {
                        return Err(err(
                            "a regional endpoint needs a region (ConfigBuilder::region)"
                                .to_owned(),
                        ))
                    }
                    Some(r) if !is_label(r) => {
                        return Err(err(
                            "a region is one host label (letters, digits and `-`), such as `ap-guangzhou`"
                                .to_owned(),
                        ))
                    }
                    Some(r) => Some(r),
                },
                (false, false) => None,
            };
            Ok(match second {
                Some(s) => format!("{product}.{s}.{root}"),
                None => format!("{product}.{root}"),
            })
        }
    }
}

/// The regions every product's endpoints are compared in with the official SDKs, besides
/// those its map names (`cargo xtask interop` and the coverage runs).
pub const COMPARED_REGIONS: &[&str] = &[
    "cn-hangzhou",
    "cn-beijing",
    "ap-southeast-1",
    "us-west-1",
    "eu-central-1",
];

/// The cases an endpoint comparison with the official SDKs covers for `ep`: each region of
/// its map and of [`COMPARED_REGIONS`], sorted, times each setting of its rule. A setting
/// is an Alibaba Cloud network (`public`, `vpc`; SLS also `intranet`, `share`) or a Tencent
/// Cloud host choice (`global`, `regional`, `internal`, `root=<domain>`), applied by
/// [`apply_setting`].
pub fn comparison_cases(ep: &Endpoints) -> Vec<(String, &'static str)> {
    let mut regions: Vec<&str> = ep.regions.iter().map(|(r, _)| *r).collect();
    regions.extend(COMPARED_REGIONS);
    regions.sort_unstable();
    regions.dedup();
    let settings: &[&'static str] = match ep.rule {
        EndpointRule::Tencent => &[
            "global",
            "regional",
            "internal",
            "root=tencentcloudapi.woa.com",
        ],
        EndpointRule::Sls => &["public", "vpc", "intranet", "share"],
        EndpointRule::Regional | EndpointRule::Central => &["public", "vpc"],
    };
    regions
        .iter()
        .flat_map(|r| settings.iter().map(move |s| ((*r).to_owned(), *s)))
        .collect()
}

/// A [`comparison_cases`] setting applied to a configuration.
pub fn apply_setting(c: crate::ConfigBuilder, setting: &str) -> crate::ConfigBuilder {
    match setting {
        "global" => c,
        "regional" => c.regional_endpoint(true),
        "internal" => c.internal(true),
        s => match s.strip_prefix("root=") {
            Some(root) => c.root_domain(root),
            None => c.network(s),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::protocol::service::Signing;
    use crate::protocol::Protocol;

    const VPC_MAP: &[(&str, &str)] = &[
        ("cn-edge-1", "vpc-nebula.cn-qingdao-nebula.aliyuncs.com"),
        ("cn-hangzhou", "vpc.aliyuncs.com"),
    ];

    fn service(rule: EndpointRule, product_id: &'static str) -> Service {
        let endpoints: &'static Endpoints = Box::leak(Box::new(Endpoints {
            rule,
            product_id,
            regions: VPC_MAP,
        }));
        Service {
            protocol: Protocol::Rpc,
            signing: Signing::HmacSha1,
            version: "2016-04-28",
            endpoint: "vpc.aliyuncs.com",
            service: "vpc",
            default_region: None,
            endpoints: Some(endpoints),
        }
    }

    fn host(
        s: &Service,
        f: impl FnOnce(crate::ConfigBuilder) -> crate::ConfigBuilder,
    ) -> Result<String, EndpointError> {
        resolve_host(&f(Config::builder(Credentials::new("a", "b"))).build(), s)
    }

    /// Every host the rules resolve to is one the stub recognises as the product's, and
    /// other products' hosts are not.
    #[test]
    fn resolved_hosts_are_named_by_their_product() {
        for rule in [
            EndpointRule::Regional,
            EndpointRule::Central,
            EndpointRule::Tencent,
            EndpointRule::Sls,
        ] {
            let s = service(rule, "vpc");
            let ep = s.endpoints.unwrap();
            for region in ["cn-beijing", "cn-edge-1", "ap-guangzhou", "cn-hangzhou"] {
                for network in [None, Some("vpc"), Some("intranet"), Some("share")] {
                    for (internal, regional) in [(false, false), (true, false), (false, true)] {
                        let got = host(&s, |c| {
                            let c = c
                                .region(region)
                                .internal(internal)
                                .regional_endpoint(regional);
                            match network {
                                Some(n) => c.network(n),
                                None => c,
                            }
                        })
                        .unwrap();
                        assert!(ep.names_host(&got), "{rule:?}: {got}");
                        assert!(ep.names_host(&format!("{got}:443")), "{rule:?}: {got}");
                    }
                }
            }
        }
        let vpc = service(EndpointRule::Regional, "vpc");
        let ep = vpc.endpoints.unwrap();
        assert!(ep.names_host("VPC-NEBULA.cn-qingdao-nebula.aliyuncs.com."));
        for other in [
            "ecs.cn-beijing.aliyuncs.com",
            "vpcx.cn-beijing.aliyuncs.com",
            "vpc.tencentcloudapi.com",
            "127.0.0.1:8080",
            "[::1]:80",
            "",
        ] {
            assert!(!ep.names_host(other), "{other}");
        }
        let cvm = service(EndpointRule::Tencent, "cvm");
        let ep = cvm.endpoints.unwrap();
        assert!(ep.names_host("cvm.internal.example.com"));
        assert!(!ep.names_host("cbs.tencentcloudapi.com"));
    }

    #[test]
    fn alibaba_map_then_rule() {
        let vpc = service(EndpointRule::Regional, "vpc");
        assert_eq!(
            host(&vpc, |c| c.region("cn-beijing")).unwrap(),
            "vpc.cn-beijing.aliyuncs.com"
        );
        assert_eq!(
            host(&vpc, |c| c.region("cn-edge-1")).unwrap(),
            "vpc-nebula.cn-qingdao-nebula.aliyuncs.com"
        );
        assert_eq!(
            host(&vpc, |c| c.region("cn-beijing").network("vpc")).unwrap(),
            "vpc-vpc.cn-beijing.aliyuncs.com"
        );
        assert_eq!(
            host(&vpc, |c| c.region("cn-beijing").network("public")).unwrap(),
            "vpc.cn-beijing.aliyuncs.com"
        );
        // The map wins whatever the network, as in the official SDKs.
        assert_eq!(
            host(&vpc, |c| c.region("cn-hangzhou").network("vpc")).unwrap(),
            "vpc.aliyuncs.com"
        );
        assert_eq!(
            host(&vpc, |c| c
                .region("cn-beijing")
                .network("vpc")
                .suffix("test"))
            .unwrap(),
            "vpc-test-vpc.cn-beijing.aliyuncs.com"
        );
        let central = service(EndpointRule::Central, "Sls");
        assert_eq!(
            host(&central, |c| c.region("us-west-1").network("vpc")).unwrap(),
            "sls-vpc.aliyuncs.com"
        );
        assert_eq!(host(&central, |c| c).unwrap(), "sls.aliyuncs.com");
    }

    #[test]
    fn sls_hosts_as_its_gateway() {
        let mut sls = service(EndpointRule::Sls, "sls");
        sls.endpoints = Some(&Endpoints {
            rule: EndpointRule::Sls,
            product_id: "sls",
            regions: &[],
        });
        let at = |f: fn(crate::ConfigBuilder) -> crate::ConfigBuilder| host(&sls, f).unwrap();
        assert_eq!(at(|c| c), "cn-hangzhou.log.aliyuncs.com");
        assert_eq!(
            at(|c| c.region("cn-beijing")),
            "cn-beijing.log.aliyuncs.com"
        );
        assert_eq!(
            at(|c| c.region("cn-beijing").network("intranet")),
            "cn-beijing-intranet.log.aliyuncs.com"
        );
        assert_eq!(
            at(|c| c.region("cn-beijing").network("share")),
            "cn-beijing-share.log.aliyuncs.com"
        );
        assert_eq!(
            at(|c| c.region("cn-beijing").network("accelerate")),
            "log-global.aliyuncs.com"
        );
        assert_eq!(
            at(|c| c.region("cn-beijing").network("vpc")),
            "cn-beijing.log.aliyuncs.com"
        );
    }

    #[test]
    fn a_regional_product_without_a_usable_region_is_an_error() {
        let vpc = service(EndpointRule::Regional, "vpc");
        let e = host(&vpc, |c| c).unwrap_err();
        assert_eq!(e.product(), "vpc");
        assert!(e.to_string().contains("set a region"), "{e}");
        let e = host(&vpc, |c| c.region("cn beijing")).unwrap_err();
        assert_eq!(e.region(), Some("cn beijing"));
        assert!(e.to_string().contains("`cn beijing`"), "{e}");
        let e = host(&vpc, |c| c.region("cn-beijing").network("v.pc")).unwrap_err();
        assert!(e.to_string().contains("network"), "{e}");
    }

    #[test]
    fn tencent_hosts() {
        let cvm = Service {
            endpoints: Some(&Endpoints {
                rule: EndpointRule::Tencent,
                product_id: "cvm",
                regions: &[],
            }),
            ..service(EndpointRule::Tencent, "cvm")
        };
        let at = |f: fn(crate::ConfigBuilder) -> crate::ConfigBuilder| host(&cvm, f);
        assert_eq!(
            at(|c| c.region("ap-guangzhou")).unwrap(),
            "cvm.tencentcloudapi.com"
        );
        assert_eq!(
            at(|c| c.region("ap-guangzhou").regional_endpoint(true)).unwrap(),
            "cvm.ap-guangzhou.tencentcloudapi.com"
        );
        assert_eq!(
            at(|c| c.internal(true)).unwrap(),
            "cvm.internal.tencentcloudapi.com"
        );
        assert_eq!(
            at(|c| c.root_domain("tencentcloudapi.woa.com")).unwrap(),
            "cvm.tencentcloudapi.woa.com"
        );
        assert!(at(|c| c.regional_endpoint(true)).is_err());
        assert!(at(|c| c.internal(true).regional_endpoint(true)).is_err());
        assert!(at(|c| c.root_domain("a/b")).is_err());
    }

    #[test]
    fn no_metadata_keeps_the_spec_endpoint_and_an_explicit_endpoint_wins() {
        let mut plain = service(EndpointRule::Regional, "vpc");
        plain.endpoints = None;
        assert_eq!(
            host(&plain, |c| c.region("cn-beijing")).unwrap(),
            "vpc.aliyuncs.com"
        );
        let vpc = service(EndpointRule::Regional, "vpc");
        let config = Config::builder(Credentials::new("a", "b"))
            .endpoint("http://127.0.0.1:9")
            .build();
        assert_eq!(
            resolve_base_url(&config, &vpc).unwrap(),
            "http://127.0.0.1:9"
        );
    }
}
