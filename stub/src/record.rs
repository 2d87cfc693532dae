//! `serve --record DIR`: every request saved as the raw HTTP/1.1 bytes the client sent
//! (request line, headers, body), one file each, for `verify` or a bug report.
//!
//! The listening socket is a byte-for-byte relay in front of the stub: what a client sends
//! is split into requests by their heads and `Content-Length`, each saved before its last
//! byte goes on to the stub (so its file exists before the answer does), and the stub's
//! answer is relayed back unchanged; a connection the stub resets is reset for the client.
//! Files are named `NNNNNN-ACTION.http` (the arrival order, then the action from
//! `X-TC-Action`, `x-acs-action` or `Action`, or `unknown`). Recording is bounded: at most
//! [`Recorder::max_files`] files, and a request is saved only if it fits
//! [`crate::raw::MAX_REQUEST_BYTES`]; a chunked or unreadable request stops recording on
//! its connection (the relay goes on). What is not recorded is said on stderr. A
//! connection buffers at most one request (its head, [`MAX_HEAD_BYTES`], and its body).

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::raw;

/// The most bytes of a request line and headers looked for before giving up on a
/// connection.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The most files `serve --record` writes unless told otherwise.
pub const DEFAULT_MAX_FILES: u64 = 10_000;

/// Saves requests into a directory, numbered in arrival order.
#[derive(Debug)]
pub struct Recorder {
    dir: PathBuf,
    max_files: u64,
    next: AtomicU64,
    full_said: AtomicBool,
}

impl Recorder {
    /// Records into `dir` (created if missing), at most `max_files` files.
    pub fn new(dir: &Path, max_files: u64) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Recorder {
            dir: dir.to_owned(),
            max_files,
            next: AtomicU64::new(0),
            full_said: AtomicBool::new(false),
        })
    }

    /// The most files written.
    pub fn max_files(&self) -> u64 {
        self.max_files
    }

    /// Saves one raw request; the path written, or `None` once `max_files` are written
    /// (said once on stderr) or when writing fails (said on stderr).
    pub async fn save(&self, request: &[u8]) -> Option<PathBuf> {
        let n = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        if n > self.max_files {
            if !self.full_said.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "cloudapi-stub: --record: {} requests saved, the most (--record-max); later ones are not saved",
                    self.max_files
                );
            }
            return None;
        }
        let path = self.dir.join(file_name(n, request));
        match tokio::fs::write(&path, request).await {
            Ok(()) => Some(path),
            Err(e) => {
                eprintln!("cloudapi-stub: --record: {}: {e}", path.display());
                None
            }
        }
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
#[derive(Debug, Default)]
pub struct Splitter {
    buf: Vec<u8>,
    /// The head's length and the body's, once a head is read.
    pending: Option<(usize, usize)>,
    /// Body bytes of a request too large to save, still to pass by.
    skip: usize,
    /// Why recording stopped on this connection.
    stopped: Option<String>,
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
    /// Takes the next bytes the client sent: the requests they complete, in order.
    pub fn feed(&mut self, mut data: &[u8]) -> Vec<Piece> {
        let mut out = Vec::new();
        if self.stopped.is_some() {
            return out;
        }
        if self.skip > 0 {
            let n = self.skip.min(data.len());
            self.skip -= n;
            data = &data[n..];
        }
        self.buf.extend_from_slice(data);
        loop {
            if self.skip > 0 {
                // A skipped body's start was in the buffer.
                let n = self.skip.min(self.buf.len());
                self.buf.drain(..n);
                self.skip -= n;
                if self.skip > 0 {
                    break;
                }
            }
            let (head, body) = match self.pending {
                Some(p) => p,
                None => match self.head() {
                    Ok(Some(p)) => p,
                    Ok(None) => break,
                    Err(why) => {
                        self.buf = Vec::new();
                        self.stopped = Some(why.clone());
                        out.push(Piece::Stopped(why));
                        break;
                    }
                },
            };
            let total = head + body;
            if total as u64 > raw::MAX_REQUEST_BYTES {
                let have = self.buf.len().min(total);
                self.buf.drain(..have);
                self.skip = total - have;
                self.pending = None;
                out.push(Piece::Skipped(format!(
                    "a request of {total} bytes, more than {} (the most saved)",
                    raw::MAX_REQUEST_BYTES
                )));
                continue;
            }
            if self.buf.len() < total {
                self.pending = Some((head, body));
                break;
            }
            let rest = self.buf.split_off(total);
            out.push(Piece::Request(std::mem::replace(&mut self.buf, rest)));
            self.pending = None;
        }
        out
    }

    /// The buffered head's length and its body's (`Content-Length`), once the head is
    /// whole; an error when the connection cannot be followed further.
    fn head(&self) -> Result<Option<(usize, usize)>, String> {
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
        let mut length = 0;
        for h in req.headers.iter() {
            if h.name.eq_ignore_ascii_case("transfer-encoding") {
                return Err("a chunked request body (only Content-Length is followed)".into());
            }
            if h.name.eq_ignore_ascii_case("content-length") {
                length = std::str::from_utf8(h.value)
                    .ok()
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .ok_or_else(|| "a Content-Length that is not a number".to_owned())?;
            }
        }
        Ok(Some((head, length)))
    }
}

/// Accepts clients on `listener` and relays each connection to the stub at `stub`,
/// saving what clients send with `recorder`; runs until the task is dropped.
pub async fn relay(listener: TcpListener, stub: SocketAddr, recorder: Arc<Recorder>) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            // Out of descriptors, say: wait instead of spinning.
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            continue;
        };
        let recorder = recorder.clone();
        tokio::spawn(async move {
            if let Ok(upstream) = TcpStream::connect(stub).await {
                connection(client, upstream, &recorder).await;
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
}

async fn connection(mut client: TcpStream, mut upstream: TcpStream, recorder: &Recorder) {
    let _ = client.set_nodelay(true);
    let _ = upstream.set_nodelay(true);
    let end = {
        let (mut from_client, mut to_client) = client.split();
        let (mut from_stub, mut to_stub) = upstream.split();
        let up = async {
            let mut splitter = Splitter::default();
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
                    return End::Stub { reset: true };
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
                    End::Client { reset: false } => sending = false,
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
        End::Client { reset: false } => {}
    }
}
