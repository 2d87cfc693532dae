//! The YAML layer's enums as the IR's: the only place that names both (with `check`).

use crate::{ir, spec};

impl From<spec::Protocol> for ir::Protocol {
    fn from(p: spec::Protocol) -> Self {
        match p {
            spec::Protocol::Rpc => ir::Protocol::Rpc,
            spec::Protocol::Roa => ir::Protocol::Roa,
            spec::Protocol::Tc3 => ir::Protocol::Tc3,
            spec::Protocol::Sls => ir::Protocol::Sls,
        }
    }
}

impl From<spec::Signing> for ir::Signing {
    fn from(s: spec::Signing) -> Self {
        match s {
            spec::Signing::HmacSha1 => ir::Signing::HmacSha1,
            spec::Signing::Acs3HmacSha256 => ir::Signing::Acs3HmacSha256,
            spec::Signing::Tc3HmacSha256 => ir::Signing::Tc3HmacSha256,
            spec::Signing::SlsHmacSha256 => ir::Signing::SlsHmacSha256,
        }
    }
}

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

impl From<spec::Position> for ir::Position {
    fn from(p: spec::Position) -> Self {
        match p {
            spec::Position::Query => ir::Position::Query,
            spec::Position::Body => ir::Position::Body,
            spec::Position::Path => ir::Position::Path,
            spec::Position::Header => ir::Position::Header,
            spec::Position::Host => ir::Position::Host,
        }
    }
}

impl From<spec::ParamStyle> for ir::ParamStyle {
    fn from(s: spec::ParamStyle) -> Self {
        match s {
            spec::ParamStyle::Flat => ir::ParamStyle::Flat,
            spec::ParamStyle::Json => ir::ParamStyle::Json,
            spec::ParamStyle::Simple => ir::ParamStyle::Simple,
        }
    }
}

impl From<spec::BodyFormat> for ir::BodyFormat {
    fn from(b: spec::BodyFormat) -> Self {
        match b {
            spec::BodyFormat::Json => ir::BodyFormat::Json,
            spec::BodyFormat::Form => ir::BodyFormat::Form,
            spec::BodyFormat::Value => ir::BodyFormat::Value,
            spec::BodyFormat::Binary => ir::BodyFormat::Binary,
            spec::BodyFormat::Protobuf => ir::BodyFormat::Protobuf,
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
