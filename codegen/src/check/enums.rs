//! The YAML layer's enums as the IR's, for lowering: with the rest of `check`, the only
//! code that names both.
//! The protocol descriptor's enums (`cloudapi_protocol`: protocol, signing, position,
//! style, body format) are the same type in both layers and need no translation.

use crate::{ir, spec};

impl From<spec::HttpMethod> for ir::HttpMethod {
    fn from(m: spec::HttpMethod) -> Self {
        match m {
            spec::HttpMethod::Get => ir::HttpMethod::Get,
            spec::HttpMethod::Post => ir::HttpMethod::Post,
            spec::HttpMethod::Put => ir::HttpMethod::Put,
            spec::HttpMethod::Delete => ir::HttpMethod::Delete,
            spec::HttpMethod::Patch => ir::HttpMethod::Patch,
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

impl From<spec::ResponseBody> for ir::Answer {
    fn from(b: spec::ResponseBody) -> Self {
        match b {
            spec::ResponseBody::Json => ir::Answer::Object,
            spec::ResponseBody::Value => ir::Answer::Value,
            spec::ResponseBody::Text => ir::Answer::Text,
            spec::ResponseBody::Binary => ir::Answer::Bytes,
        }
    }
}
