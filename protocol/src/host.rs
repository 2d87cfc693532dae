//! What a host name the clients call may be made of, for the checker (a spec's endpoint
//! ids, regions and hosts) and the runtime (the host it resolves for a call).

/// One label of a host: ASCII letters, digits, `-` and `_`, at most 63 bytes, with `-`
/// at neither end.
///
/// Underscores are no part of a DNS host name, but Alibaba's SDKs send some products to
/// such hosts (`marketing_event.aliyuncs.com`, the product id as `get_endpoint_rules`
/// writes it), and resolvers answer for them.
pub fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A host name: dot-separated [labels](is_label).
pub fn is_host(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_hosts() {
        for ok in ["vpc", "cn-hangzhou", "marketing_event", "a1"] {
            assert!(is_label(ok), "{ok}");
        }
        for bad in [
            "",
            "-vpc",
            "vpc-",
            "things api",
            "a.b",
            "x:80",
            &"a".repeat(64),
        ] {
            assert!(!is_label(bad), "{bad}");
        }
        assert!(is_host("marketing_event.aliyuncs.com"));
        assert!(!is_host("vpc..aliyuncs.com"));
        assert!(!is_host("https://vpc.aliyuncs.com"));
    }
}
