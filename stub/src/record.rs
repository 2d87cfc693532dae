//! `serve --record DIR`: every request saved as the raw HTTP/1.1 bytes the client sent
//! (request line, headers, body), one file each, for `verify` or a bug report.
//!
//! The listening socket is a byte-for-byte relay in front of the stub: what a client sends
//! is split into requests by their heads and `Content-Length`, each saved before its last
//! byte goes on to the stub (so its file exists before the answer does), and the stub's
//! answer is relayed back unchanged; a connection the stub resets is reset for the client.
//! Files are named `NNNNNN-ACTION.http` (the arrival order, then the action from
//! `X-TC-Action`, `x-acs-action` or `Action`, or `unknown`), numbered on from the highest
//! number already in the folder; a file is created new, never over an existing file or
//! through a symlink. Recording is bounded: at most [`Recorder::max_files`] files and
//! [`Recorder::max_bytes`] bytes, and a request is saved only if the stub will read it
//! (its body within the stub's largest, [`Splitter::new`]); a chunked or unreadable request,
//! a `Content-Length` that is not one number, or repeated ones that differ, stop recording
//! on its connection (the relay goes on; the stub refuses such requests). What is not
//! recorded is said on stderr. A connection buffers at most one request (its head,
//! [`MAX_HEAD_BYTES`], and its body), and all connections together at most
//! [`DEFAULT_BUFFER_BUDGET`] of bodies: past it a request is relayed without being saved.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::raw;

/// The most bytes of a request line and headers looked for before giving up on a
/// connection.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The most files `serve --record` writes unless told otherwise.
pub const DEFAULT_MAX_FILES: u64 = 10_000;

/// The most bytes `serve --record` writes unless told otherwise (1 GiB).
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// The most bytes of request bodies the relay buffers at once across connections to save
/// them (128 MiB); past it a request is relayed without being saved.
pub const DEFAULT_BUFFER_BUDGET: usize = 128 << 20;

/// Saves requests into a directory, numbered in arrival order.
#[derive(Debug)]
pub struct Recorder {
    dir: PathBuf,
    max_files: u64,
    max_bytes: u64,
    /// Files written (or being written).
    files: AtomicU64,
    bytes: AtomicU64,
    /// The number of the last file named.
    next: AtomicU64,
    full_said: AtomicBool,
}

impl Recorder {
    /// Records into `dir` (created if missing), at most `max_files` files and `max_bytes`
    /// bytes; numbering goes on after the highest `NNNNNN-` already in `dir`.
    pub fn new(dir: &Path, max_files: u64, max_bytes: u64) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut last = 0;
        for entry in std::fs::read_dir(dir)? {
            let name = entry?.file_name();
            let name = name.to_string_lossy();
            if let Some(n) = name
                .split_once('-')
                .and_then(|(n, _)| n.parse::<u64>().ok())
            {
                last = last.max(n);
            }
        }
        Ok(Recorder {
            dir: dir.to_owned(),
            max_files,
            max_bytes,
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            next: AtomicU64::new(last),
            full_said: AtomicBool::new(false),
        })
    }

    /// The most files written.
    pub fn max_files(&self) -> u64 {
        self.max_files
    }

    /// The most bytes written.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Saves one raw request in a new file; the path written, or `None` once `max_files`
    /// or `max_bytes` are reached (said once on stderr) or when the file cannot be created
    /// new (it exists, or is a symlink) or written (said on stderr).
    pub async fn save(&self, request: &[u8]) -> Option<PathBuf> {
        let len = request.len() as u64;
        let files = self.files.fetch_add(1, Ordering::AcqRel);
        let bytes = self.bytes.fetch_add(len, Ordering::AcqRel);
        if files >= self.max_files || bytes.saturating_add(len) > self.max_bytes {
            self.files.fetch_sub(1, Ordering::AcqRel);
            self.bytes.fetch_sub(len, Ordering::AcqRel);
            if !self.full_said.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "cloudapi-stub: --record: the most files ({}, --record-max) or bytes ({}, --record-max-bytes) are saved; later requests are not saved",
                    self.max_files, self.max_bytes
                );
            }
            return None;
        }
        let n = self.next.fetch_add(1, Ordering::AcqRel) + 1;
        let path = self.dir.join(file_name(n, request));
        match write_new(&path, request).await {
            Ok(()) => Some(path),
            Err(e) => {
                self.files.fetch_sub(1, Ordering::AcqRel);
                self.bytes.fetch_sub(len, Ordering::AcqRel);
                eprintln!("cloudapi-stub: --record: {}: {e}", path.display());
                None
            }
        }
    }
}

/// Writes `bytes` to a file that must not exist yet: `create_new` (O_EXCL) refuses an
/// existing file and any symlink, dangling or not.
async fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .await?;
    file.write_all(bytes).await?;
    file.flush().await
}

/// Bytes of bodies the relay buffers across connections, shared by their [`Splitter`]s.
#[derive(Debug, Clone)]
pub struct BufferBudget {
    used: Arc<AtomicUsize>,
    limit: usize,
}

impl BufferBudget {
    /// A budget of `limit` bytes.
    pub fn new(limit: usize) -> Self {
        BufferBudget {
            used: Arc::new(AtomicUsize::new(0)),
            limit,
        }
    }

    /// The bytes held now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }

    fn take(&self, n: usize) -> bool {
        let before = self.used.fetch_add(n, Ordering::AcqRel);
        if before.saturating_add(n) > self.limit {
            self.used.fetch_sub(n, Ordering::AcqRel);
            false
        } else {
            true
        }
    }

    fn give(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::AcqRel);
    }
}

/// `NNNNNN-ACTION.http`: the counter, then the request's action (letters, digits, `.`,
/// `_`, `-`; at most 64 of them), or `unknown`.
pub fn file_name(n: u64, request: &[u8]) -> String {
    let action = raw::parse_request(request).ok().and_then(|r| {
        r.header("x-tc-action")
            .or_else(|| r.header("x-acs-action"))
            .or_else(|| r.param("Action"))
            .map(|a| {
                a.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                    .take(64)
                    .collect::<String>()
            })
    });
    let action = action
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    format!("{n:06}-{action}.http")
}

/// Splits the bytes a client sends on one connection into raw requests.
#[derive(Debug)]
pub struct Splitter {
    buf: Vec<u8>,
    /// The head's length and the body's, once a head is read.
    pending: Option<(usize, usize)>,
    /// Body bytes of a request not saved, still to pass by.
    skip: u64,
    /// Why recording stopped on this connection.
    stopped: Option<String>,
    /// The largest body saved (the stub's largest).
    max_body: usize,
    budget: BufferBudget,
    /// The bytes of `budget` this connection holds.
    held: usize,
}

impl Default for Splitter {
    /// Bodies up to the stub's default largest, [`DEFAULT_BUFFER_BUDGET`] of its own.
    fn default() -> Self {
        Splitter::new(
            cloudapi::runtime::server::MAX_REQUEST_BODY,
            BufferBudget::new(DEFAULT_BUFFER_BUDGET),
        )
    }
}

impl Drop for Splitter {
    fn drop(&mut self) {
        self.budget.give(std::mem::take(&mut self.held));
    }
}

/// What [`Splitter::feed`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A whole request, as sent.
    Request(Vec<u8>),
    /// A request that is not saved, and why (it is passed on all the same).
    Skipped(String),
    /// Recording stops on this connection, and why.
    Stopped(String),
}

impl Splitter {
    /// Saves requests whose body is at most `max_body` bytes (what the stub reads),
    /// buffering them within `budget`, shared with the other connections.
    pub fn new(max_body: usize, budget: BufferBudget) -> Self {
        Splitter {
            buf: Vec::new(),
            pending: None,
            skip: 0,
            stopped: None,
            max_body,
            budget,
            held: 0,
        }
    }

    /// Takes the next bytes the client sent: the requests they complete, in order.
    pub fn feed(&mut self, mut data: &[u8]) -> Vec<Piece> {
        let mut out = Vec::new();
        if self.stopped.is_some() {
            return out;
        }
        if self.skip > 0 {
            let n = data
                .len()
                .min(usize::try_from(self.skip).unwrap_or(usize::MAX));
            self.skip -= n as u64;
            data = &data[n..];
        }
        self.buf.extend_from_slice(data);
        loop {
            if self.skip > 0 {
                // A skipped body's start was in the buffer.
                let n = self
                    .buf
                    .len()
                    .min(usize::try_from(self.skip).unwrap_or(usize::MAX));
                self.buf.drain(..n);
                self.skip -= n as u64;
                if self.skip > 0 {
                    break;
                }
            }
            let (head, body) = match self.pending {
                Some(p) => p,
                None => match self.head() {
                    Ok(Some((head, body))) => {
                        let why = if body > self.max_body as u64 {
                            Some(format!(
                                "a request body of {body} bytes, more than {} (the stub refuses it)",
                                self.max_body
                            ))
                        } else if !self.budget.take(body as usize) {
                            Some(format!(
                                "a request body of {body} bytes: the relay already buffers {} bytes of bodies",
                                self.budget.used()
                            ))
                        } else {
                            None
                        };
                        if let Some(why) = why {
                            let total = (head as u64).saturating_add(body);
                            let have = self
                                .buf
                                .len()
                                .min(usize::try_from(total).unwrap_or(usize::MAX));
                            self.buf.drain(..have);
                            self.skip = total - have as u64;
                            out.push(Piece::Skipped(why));
                            continue;
                        }
                        self.held = body as usize;
                        (head, body as usize)
                    }
                    Ok(None) => break,
                    Err(why) => {
                        self.buf = Vec::new();
                        self.stopped = Some(why.clone());
                        out.push(Piece::Stopped(why));
                        break;
                    }
                },
            };
            // Both are bounded (the head by MAX_HEAD_BYTES, the body by max_body).
            let total = head + body;
            if self.buf.len() < total {
                self.pending = Some((head, body));
                break;
            }
            let rest = self.buf.split_off(total);
            out.push(Piece::Request(std::mem::replace(&mut self.buf, rest)));
            self.pending = None;
            self.budget.give(std::mem::take(&mut self.held));
        }
        out
    }

    /// The buffered head's length and its body's (`Content-Length`), once the head is
    /// whole; an error when the connection cannot be followed further.
    fn head(&self) -> Result<Option<(usize, u64)>, String> {
        let mut headers = [httparse::EMPTY_HEADER; raw::MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        let head = match req.parse(&self.buf) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) if self.buf.len() > MAX_HEAD_BYTES => {
                return Err(format!("a request head longer than {MAX_HEAD_BYTES} bytes"))
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(e) => return Err(format!("not an HTTP/1.1 request: {e}")),
        };
        if head > MAX_HEAD_BYTES {
            return Err(format!("a request head longer than {MAX_HEAD_BYTES} bytes"));
        }
        let mut length: Option<u64> = None;
        for h in req.headers.iter() {
            if h.name.eq_ignore_ascii_case("transfer-encoding") {
                return Err("a chunked request body (only Content-Length is followed)".into());
            }
            if h.name.eq_ignore_ascii_case("content-length") {
                let n = raw::content_length(h.value)
                    .ok_or_else(|| "a Content-Length that is not a number".to_owned())?;
                if length.is_some_and(|l| l != n) {
                    return Err("Content-Length headers that differ".into());
                }
                length = Some(n);
            }
        }
        Ok(Some((head, length.unwrap_or(0))))
    }
}

/// Accepts clients on `listener` and relays each connection to the stub at `stub`,
/// saving what clients send with `recorder`; runs until the task is dropped.
/// Requests whose body is larger than `max_body` (the stub's largest) are relayed without
/// being saved; `budget` bounds the bodies buffered across connections.
pub async fn relay(
    listener: TcpListener,
    stub: SocketAddr,
    recorder: Arc<Recorder>,
    max_body: usize,
    budget: BufferBudget,
) {
    let mut backoff = std::time::Duration::ZERO;
    loop {
        let client = match listener.accept().await {
            Ok((client, _)) => {
                backoff = std::time::Duration::ZERO;
                client
            }
            Err(_) => {
                // Out of descriptors, say: wait instead of spinning, longer while it lasts.
                backoff = (backoff * 2).clamp(
                    std::time::Duration::from_millis(5),
                    std::time::Duration::from_secs(1),
                );
                tokio::time::sleep(backoff).await;
                continue;
            }
        };
        let recorder = recorder.clone();
        let splitter = Splitter::new(max_body, budget.clone());
        tokio::spawn(async move {
            if let Ok(upstream) = TcpStream::connect(stub).await {
                connection(client, upstream, &recorder, splitter).await;
            }
        });
    }
}

/// How a relayed connection ended.
enum End {
    /// The client closed or reset its side.
    Client { reset: bool },
    /// The stub closed or reset its side.
    Stub { reset: bool },
    /// The stub takes no more bytes; what it sends is still relayed.
    StubStoppedReading,
}

async fn connection(
    mut client: TcpStream,
    mut upstream: TcpStream,
    recorder: &Recorder,
    mut splitter: Splitter,
) {
    let _ = client.set_nodelay(true);
    let _ = upstream.set_nodelay(true);
    let end = {
        let (mut from_client, mut to_client) = client.split();
        let (mut from_stub, mut to_stub) = upstream.split();
        let up = async {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match from_client.read(&mut buf).await {
                    Ok(0) => {
                        // The client is done sending; the stub's answer may still come.
                        let _ = to_stub.shutdown().await;
                        return End::Client { reset: false };
                    }
                    Ok(n) => n,
                    Err(_) => return End::Client { reset: true },
                };
                for piece in splitter.feed(&buf[..n]) {
                    match piece {
                        Piece::Request(bytes) => {
                            recorder.save(&bytes).await;
                        }
                        Piece::Skipped(why) => {
                            eprintln!("cloudapi-stub: --record: not saved: {why}");
                        }
                        Piece::Stopped(why) => {
                            eprintln!(
                                "cloudapi-stub: --record: no more requests saved from this connection: {why}"
                            );
                        }
                    }
                }
                if to_stub.write_all(&buf[..n]).await.is_err() {
                    // The stub stopped reading (it answered early, e.g. a body too large
                    // or past the budget, and closed): its answer still comes down.
                    return End::StubStoppedReading;
                }
            }
        };
        let down = async {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match from_stub.read(&mut buf).await {
                    Ok(0) => return End::Stub { reset: false },
                    Ok(n) => n,
                    Err(_) => return End::Stub { reset: true },
                };
                if to_client.write_all(&buf[..n]).await.is_err() {
                    return End::Client { reset: true };
                }
            }
        };
        tokio::pin!(up, down);
        let mut sending = true;
        loop {
            tokio::select! {
                end = &mut up, if sending => match end {
                    End::Client { reset: false } | End::StubStoppedReading => sending = false,
                    end => break end,
                },
                end = &mut down => break end,
            }
        }
    };
    // A reset on one side is a reset on the other (the stub's `reset_mid_body` fault).
    match end {
        End::Stub { reset: true } => {
            let _ = client.set_zero_linger();
        }
        End::Client { reset: true } => {
            let _ = upstream.set_zero_linger();
        }
        End::Stub { reset: false } => {
            let _ = client.shutdown().await;
        }
        End::Client { reset: false } | End::StubStoppedReading => {}
    }
}
