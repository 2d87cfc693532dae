//! The YAML layer's enums as the IR's: the only place that names both (with `check`).

use crate::{ir, spec};

impl From<spec::Protocol> for ir::Protocol {
    fn from(p: spec::Protocol) -> Self {
        match p {
            spec::Protocol::Rpc => ir::Protocol::Rpc,
            spec::Protocol::Tc3 => ir::Protocol::Tc3,
        }
    }
}

impl From<spec::Signing> for ir::Signing {
    fn from(s: spec::Signing) -> Self {
        match s {
            spec::Signing::HmacSha1 => ir::Signing::HmacSha1,
            spec::Signing::Acs3HmacSha256 => ir::Signing::Acs3HmacSha256,
            spec::Signing::Tc3HmacSha256 => ir::Signing::Tc3HmacSha256,
        }
    }
}

impl From<spec::HttpMethod> for ir::HttpMethod {
    fn from(m: spec::HttpMethod) -> Self {
        match m {
            spec::HttpMethod::Get => ir::HttpMethod::Get,
            spec::HttpMethod::Post => ir::HttpMethod::Post,
        }
    }
}

impl From<spec::ViolationKind> for ir::ViolationKind {
    fn from(v: spec::ViolationKind) -> Self {
        match v {
            spec::ViolationKind::Required => ir::ViolationKind::Required,
            spec::ViolationKind::Minimum => ir::ViolationKind::Minimum,
            spec::ViolationKind::Maximum => ir::ViolationKind::Maximum,
            spec::ViolationKind::Enum => ir::ViolationKind::Enum,
        }
    }
}
