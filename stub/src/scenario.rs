//! Scenario files: a JSON list of fault rules, each counting its own requests.
//!
//! ```json
//! [
//!   {"action": "ListUsers", "every": 2, "throttle": true},
//!   {"every": 3, "error": {"code": "InternalError", "message": "boom", "status": 500}},
//!   {"latency_ms": 200},
//!   {"action": "DescribeInstances", "every": 5, "hang": true},
//!   {"every": 4, "reset_mid_body": true},
//!   {"action": "ListInstancesOfUser", "body_bytes": 1073741824}
//! ]
//! ```
//!
//! A rule has one fault: `error` (`code`, and optionally `message` and `status`, 400 by
//! default), `throttle`, `latency_ms`, `hang`, `truncate_body`, `reset_mid_body`,
//! `slow_drip_ms` or `body_bytes` (with `chunked` to send it without `Content-Length`);
//! `action` limits it to one action, `every` (1 by default) to every N-th request.

use std::fmt;
use std::time::Duration;

use cloudapi::runtime::server::{Fault, FaultRule};
use serde::Deserialize;

/// A rule as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    action: Option<String>,
    every: Option<u64>,
    error: Option<RawError>,
    throttle: Option<bool>,
    latency_ms: Option<u64>,
    hang: Option<bool>,
    truncate_body: Option<bool>,
    reset_mid_body: Option<bool>,
    slow_drip_ms: Option<u64>,
    body_bytes: Option<u64>,
    chunked: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawError {
    code: String,
    message: Option<String>,
    status: Option<u16>,
}

/// A scenario that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The rule at fault (0-based), when the file is a list of rules.
    pub rule: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            Some(i) => write!(f, "rule {i}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// The message of a provider error injected without one.
pub const DEFAULT_ERROR_MESSAGE: &str = "An error injected by the stub's scenario.";

/// Parses a scenario file's text into fault rules, in order.
pub fn parse(text: &str) -> Result<Vec<FaultRule>, ScenarioError> {
    let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| ScenarioError {
        rule: None,
        message: format!("not a JSON list of rules: {e}"),
    })?;
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let at = |message: String| ScenarioError {
                rule: Some(i),
                message,
            };
            let raw: RawRule = serde_json::from_value(v).map_err(|e| at(e.to_string()))?;
            rule(raw).map_err(at)
        })
        .collect()
}

fn rule(raw: RawRule) -> Result<FaultRule, String> {
    let on = |b: Option<bool>| b == Some(true);
    let mut faults: Vec<(&str, Fault)> = Vec::new();
    if let Some(e) = raw.error {
        let status = e.status.unwrap_or(400);
        if !(100..=599).contains(&status) {
            return Err(format!("error.status {status} is not an HTTP status"));
        }
        faults.push((
            "error",
            Fault::Error {
                code: e.code,
                message: e
                    .message
                    .unwrap_or_else(|| DEFAULT_ERROR_MESSAGE.to_owned()),
                http_status: status,
            },
        ));
    }
    if on(raw.throttle) {
        faults.push(("throttle", Fault::Throttle));
    }
    if let Some(ms) = raw.latency_ms {
        faults.push(("latency_ms", Fault::Latency(Duration::from_millis(ms))));
    }
    if on(raw.hang) {
        faults.push(("hang", Fault::Hang));
    }
    if on(raw.truncate_body) {
        faults.push(("truncate_body", Fault::TruncateBody));
    }
    if on(raw.reset_mid_body) {
        faults.push(("reset_mid_body", Fault::ResetMidBody));
    }
    if let Some(ms) = raw.slow_drip_ms {
        if ms == 0 {
            return Err("slow_drip_ms must be at least 1".into());
        }
        faults.push(("slow_drip_ms", Fault::SlowDrip(Duration::from_millis(ms))));
    }
    if let Some(bytes) = raw.body_bytes {
        faults.push((
            "body_bytes",
            Fault::LargeBody {
                bytes,
                chunked: on(raw.chunked),
            },
        ));
    } else if raw.chunked.is_some() {
        return Err("chunked applies to body_bytes only".into());
    }
    let fault = match faults.len() {
        0 => return Err(
            "no fault: give one of error, throttle, latency_ms, hang, truncate_body, reset_mid_body, slow_drip_ms, body_bytes".into(),
        ),
        1 => faults.remove(0).1,
        _ => {
            let names: Vec<&str> = faults.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "one fault per rule, this one has {}: split it into several rules",
                names.join(", ")
            ));
        }
    };
    let every = raw.every.unwrap_or(1);
    if every == 0 {
        return Err("every must be at least 1".into());
    }
    let mut r = FaultRule::new(fault).every(every);
    if let Some(a) = raw.action {
        r = r.action(a);
    }
    Ok(r)
}
