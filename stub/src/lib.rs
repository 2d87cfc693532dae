//! `cloudapi-stub`: every generated product behind one port, for tests in any language.
//!
//! `serve` answers each action with its document's example (or a response synthesized
//! from the model), verifies signatures as the providers do, validates parameters with
//! the generated types and injects faults from flags or a scenario file
//! ([`scenario`]). `verify` checks the signatures of raw HTTP/1.1 requests saved in
//! files ([`raw`]); `serve --record DIR` saves every request it receives as such a file
//! ([`record`]). See the README's "Standalone stub server".
#![warn(missing_docs)]

pub mod raw;
pub mod record;
pub mod scenario;

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use cloudapi::runtime::server::{Clock, Fault, FaultRule, StubBuilder};
use cloudapi::runtime::Credentials;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "cloudapi-stub",
    version,
    about = "A local stub of every generated Alibaba Cloud and Tencent Cloud product, on one port."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serves every product on one port, routed by host, or by action and version.
    Serve(Box<ServeArgs>),
    /// Verifies the signatures of raw HTTP/1.1 requests saved in files: one line per
    /// file, `accepted` or `rejected: <code>: <message>`; exits 1 if any is rejected.
    Verify(VerifyArgs),
}

/// `serve`'s flags.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0: a free one; the first line printed names it).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// Credentials requests may be signed with (repeat for more).
    #[arg(long = "credentials", value_name = "ID:SECRET", required = true, value_parser = parse_credentials)]
    pub credentials: Vec<Credentials>,
    /// The time signatures are checked against: `fixed:UNIX_TS` (or `system`).
    #[arg(long, value_name = "fixed:UNIX_TS", value_parser = parse_clock, conflicts_with = "skew")]
    pub clock: Option<Clock>,
    /// Shifts the system clock by this many seconds (negative: behind).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub skew: Option<i64>,
    /// A JSON file of fault rules (see the README).
    #[arg(long, value_name = "FILE.json")]
    pub scenario: Option<PathBuf>,
    /// Delays every answer this long.
    #[arg(long, value_name = "MS")]
    pub latency_ms: Option<u64>,
    /// Answers every N-th request with the provider's throttling error.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub throttle_every: Option<u64>,
    /// Answers every N-th request with this provider error code (HTTP 400).
    #[arg(long, value_name = "N:CODE", value_parser = parse_every_code)]
    pub error_every: Option<(u64, String)>,
    /// Never answers every N-th request.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub hang_every: Option<u64>,
    /// Resets the connection halfway through every N-th answer's body.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub reset_every: Option<u64>,
    /// Accepts requests whatever their signature.
    #[arg(long)]
    pub no_verify: bool,
    /// Saves every request received as a raw HTTP/1.1 file in this directory
    /// (`NNNNNN-ACTION.http`, exactly the bytes sent), for `verify`.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// The most requests `--record` saves.
    #[arg(long, value_name = "N", default_value_t = record::DEFAULT_MAX_FILES, requires = "record")]
    pub record_max: u64,
    /// The most bytes `--record` saves.
    #[arg(long, value_name = "BYTES", default_value_t = record::DEFAULT_MAX_BYTES, requires = "record")]
    pub record_max_bytes: u64,
    /// The largest request body read; a larger one is answered HTTP 413 (and not saved).
    #[arg(long, value_name = "BYTES", default_value_t = cloudapi::runtime::server::MAX_REQUEST_BODY)]
    pub max_body: usize,
    /// The bytes of request bodies read at once across connections; past it, the
    /// provider's busy error (and, with `--record`, the relay's own buffers too).
    #[arg(long, value_name = "BYTES", default_value_t = cloudapi::runtime::server::DEFAULT_BODY_BUDGET)]
    pub body_budget: usize,
    /// How long a client may take to send a request's head (then the connection is
    /// closed).
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    pub header_timeout_ms: u64,
    /// How long a client may take to send a request's body once its head is read (then
    /// HTTP 408, `RequestTimeout`, and the connection is closed).
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    pub body_timeout_ms: u64,
    /// How long a connection may stay silent both ways before it is closed.
    #[arg(long, value_name = "MS", default_value_t = 120_000)]
    pub idle_timeout_ms: u64,
}

/// `verify`'s flags.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Credentials requests may be signed with (repeat for more).
    #[arg(long = "credentials", value_name = "ID:SECRET", required = true, value_parser = parse_credentials)]
    pub credentials: Vec<Credentials>,
    /// The time to check signature timestamps against: Unix seconds, or `auto`, each
    /// file at the time it was signed at (`X-TC-Timestamp`, `x-acs-date`, `Timestamp`).
    #[arg(long, value_name = "UNIX_TS|auto", allow_negative_numbers = true, value_parser = parse_now)]
    pub now: Now,
    /// Files, each holding one raw HTTP/1.1 request.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// When `verify` checks signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Now {
    /// At this Unix time.
    At(i64),
    /// Each request at its own signed time ([`raw::signed_time`]); one that names none is
    /// checked at the system's time, and refused as its provider refuses a request
    /// without a timestamp.
    Auto,
}

fn parse_now(s: &str) -> Result<Now, String> {
    if s == "auto" {
        return Ok(Now::Auto);
    }
    s.parse::<i64>()
        .map(Now::At)
        .map_err(|_| "expected Unix seconds (e.g. 1700000000) or auto".into())
}

fn parse_credentials(s: &str) -> Result<Credentials, String> {
    match s.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok(Credentials::new(id, secret))
        }
        _ => Err("expected ID:SECRET (the access key id, a colon, the secret)".into()),
    }
}

fn parse_clock(s: &str) -> Result<Clock, String> {
    if s == "system" {
        return Ok(Clock::System);
    }
    s.strip_prefix("fixed:")
        .and_then(|t| t.parse::<i64>().ok())
        .map(Clock::Fixed)
        .ok_or_else(|| "expected fixed:UNIX_TS (e.g. fixed:1700000000) or system".into())
}

fn parse_every_code(s: &str) -> Result<(u64, String), String> {
    match s.split_once(':') {
        Some((n, code)) if !code.is_empty() => match n.parse::<u64>() {
            Ok(n) if n >= 1 => Ok((n, code.to_owned())),
            _ => Err(format!("`{n}` is not a count of at least 1")),
        },
        _ => Err("expected N:CODE (e.g. 3:InternalError)".into()),
    }
}

/// Runs the command line; the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(r) => r,
                Err(e) => return fail(1, &format!("cannot start the runtime: {e}")),
            };
            runtime.block_on(serve(*args))
        }
        Command::Verify(args) => verify(&args),
    }
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("cloudapi-stub: {message}");
    ExitCode::from(code)
}

/// The stub `args` describe, with every generated product; the message of a usage error.
pub fn builder(args: &ServeArgs) -> Result<StubBuilder, String> {
    let mut b = StubBuilder::default()
        .services(cloudapi::stub_services())
        .verify_signatures(!args.no_verify)
        // Nothing reads the received requests of the command-line server: keep none.
        .received_window(0, 0)
        .max_request_body(args.max_body)
        .body_budget(args.body_budget)
        .read_timeouts(
            Duration::from_millis(args.header_timeout_ms),
            Duration::from_millis(args.body_timeout_ms),
        )
        .idle_timeout(Duration::from_millis(args.idle_timeout_ms));
    for c in &args.credentials {
        b = b.credentials(c.clone());
    }
    if let Some(clock) = args.clock {
        b = b.clock(clock);
    }
    if let Some(s) = args.skew {
        b = b.clock(Clock::Skew(s));
    }
    if let Some(path) = &args.scenario {
        for rule in read_scenario(path)? {
            b = b.fault(rule);
        }
    }
    if let Some(ms) = args.latency_ms {
        b = b.fault(FaultRule::new(Fault::Latency(Duration::from_millis(ms))));
    }
    if let Some(n) = args.throttle_every {
        b = b.fault(FaultRule::new(Fault::Throttle).every(n));
    }
    if let Some((n, code)) = &args.error_every {
        b = b.fault(
            FaultRule::new(Fault::Error {
                code: code.clone(),
                message: scenario::DEFAULT_ERROR_MESSAGE.to_owned(),
                http_status: 400,
            })
            .every(*n),
        );
    }
    if let Some(n) = args.hang_every {
        b = b.fault(FaultRule::new(Fault::Hang).every(n));
    }
    if let Some(n) = args.reset_every {
        b = b.fault(FaultRule::new(Fault::ResetMidBody).every(n));
    }
    Ok(b)
}

/// The largest scenario file read.
const MAX_SCENARIO_BYTES: u64 = 1 << 20;

fn read_scenario(path: &Path) -> Result<Vec<FaultRule>, String> {
    let text = read_bounded(path, MAX_SCENARIO_BYTES)?;
    let text = String::from_utf8(text).map_err(|_| format!("{}: not UTF-8", path.display()))?;
    scenario::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A file's bytes, refused when longer than `max`.
fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "{}: larger than {max} bytes, the most read",
            path.display()
        ));
    }
    Ok(bytes)
}

async fn serve(args: ServeArgs) -> ExitCode {
    let builder = match builder(&args) {
        Ok(b) => b,
        Err(e) => return fail(2, &e),
    };
    for s in builder.served() {
        let service = s.service();
        eprintln!(
            "serving {} {} ({}): {}",
            service.endpoint,
            service.version,
            service.protocol.name(),
            s.actions().join(", ")
        );
    }
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => return fail(1, &format!("cannot listen on {}: {e}", args.listen)),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return fail(1, &format!("cannot listen on {}: {e}", args.listen)),
    };
    // With --record, clients talk to a relay that saves their bytes; the stub listens on a
    // private port behind it.
    let (stub, relay) = match &args.record {
        None => match builder.serve(listener) {
            Ok(s) => (s, None),
            Err(e) => return fail(1, &format!("cannot serve on {addr}: {e}")),
        },
        Some(dir) => {
            let recorder = match record::Recorder::new(dir, args.record_max, args.record_max_bytes)
            {
                Ok(r) => std::sync::Arc::new(r),
                Err(e) => return fail(1, &format!("--record {}: {e}", dir.display())),
            };
            let stub = match builder.start().await {
                Ok(s) => s,
                Err(e) => return fail(1, &format!("cannot start the stub: {e}")),
            };
            eprintln!(
                "recording requests into {} (at most {} files, {} bytes)",
                dir.display(),
                args.record_max,
                args.record_max_bytes
            );
            let relay = tokio::spawn(record::relay(
                listener,
                stub.addr(),
                recorder,
                args.max_body,
                record::BufferBudget::new(args.body_budget),
            ));
            (stub, Some(relay))
        }
    };
    // The first line on stdout is the endpoint, for scripts that asked for port 0.
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();
    shutdown_signal().await;
    if let Some(relay) = relay {
        relay.abort();
    }
    drop(stub);
    ExitCode::SUCCESS
}

#[cfg(unix)]
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// `verify`: prints a verdict per file; 0 if all are accepted, 1 if any is rejected, 2
/// when a file cannot be read or is not one HTTP/1.1 request (nothing is printed then).
/// Files are read one at a time, twice (checked, then judged): memory holds one request.
pub fn verify(args: &VerifyArgs) -> ExitCode {
    let read = |path: &PathBuf| {
        read_bounded(path, raw::MAX_REQUEST_BYTES).and_then(|bytes| {
            raw::parse_request(&bytes).map_err(|e| format!("{}: {e}", path.display()))
        })
    };
    for path in &args.files {
        if let Err(e) = read(path) {
            return fail(2, &e);
        }
    }
    let mut stub = StubBuilder::default().services(cloudapi::stub_services());
    for c in &args.credentials {
        stub = stub.credentials(c.clone());
    }
    let mut out = std::io::stdout().lock();
    let mut rejected = false;
    for path in &args.files {
        let request = match read(path) {
            Ok(r) => r,
            // Changed since it was checked.
            Err(e) => return fail(2, &e),
        };
        let request = &request;
        let now = match args.now {
            Now::At(t) => t,
            Now::Auto => {
                raw::signed_time(request).unwrap_or_else(cloudapi::runtime::codec::time::now)
            }
        };
        let line = match stub.verify_request(request, now) {
            Ok(_) => "accepted".to_owned(),
            Err(e) => {
                rejected = true;
                format!("rejected: {}: {}", e.code(), e.message())
            }
        };
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
    if rejected {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
