//! The HTTP/1.1 wire format: request heads, bodies framed by Content-Length or chunked encoding
//! (streamed through a fixed buffer), the recorded form of a request, and responses.

use std::io::{self, BufRead, Read, Write};
use std::sync::Arc;
use std::time::Instant;

use super::faults::Fault;
use super::hash::Fnv64;
use super::media::PREFIX_LEN;

/// Bodies up to this size are kept for assertions; larger ones (uploads of gigabytes) are only
/// counted and hashed.
pub const KEEP_BODY_LIMIT: usize = 1 << 20;
const MAX_LINE: u64 = 16 * 1024;
const MAX_HEADERS: usize = 200;

/// One request as the server saw it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Upper-case method, e.g. `POST`.
    pub method: String,
    /// The path without the query string, e.g. `/v2/transcript/abc`.
    pub path: String,
    /// The query string as sent, without `?` (empty when there was none).
    pub raw_query: String,
    /// Percent-decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Headers in order, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The whole body when it is at most [`KEEP_BODY_LIMIT`] bytes, else empty (see `body_len`).
    pub body: Vec<u8>,
    /// The first 4 KiB of the body (all of a shorter one), kept whatever its size: what an
    /// upload's container is sniffed from.
    pub body_prefix: Vec<u8>,
    /// Body bytes received (for a body cut short by a fault: the bytes read before the cut; for
    /// a short-clip request answered mid-upload, such as a 413: the bytes read before the answer).
    pub body_len: u64,
    /// FNV-1a 64 of the body bytes received (of none when the server doesn't hash bodies).
    pub body_fnv: u64,
    /// Whether the body came with `Transfer-Encoding: chunked`.
    pub chunked: bool,
    /// When the request head arrived.
    pub at: Instant,
    /// The fault that answered this request instead of the API, if any.
    pub fault: Option<Fault>,
    /// Whether the rate limit refused this request (429 with `Retry-After`).
    pub rate_limited: bool,
    /// The connection that carried it, numbered from 1 in the order they were accepted:
    /// requests of one warm connection share it.
    pub connection: u64,
}

impl RecordedRequest {
    /// The first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body parsed as JSON; panics with the body text when it isn't JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} {} body is not JSON ({e}): {:?}",
                self.method,
                self.path,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Whether this request has `method` (any case) and a path starting with `path_prefix`.
    pub fn is_to(&self, method: &str, path_prefix: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.path.starts_with(path_prefix)
    }

    /// The first decoded query value named `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed request line and headers.
#[derive(Clone)]
pub(super) struct Head {
    pub method: String,
    pub path: String,
    pub raw_query: String,
    pub headers: Vec<(String, String)>,
    http10: bool,
    /// The connection it came on (see [`RecordedRequest::connection`]).
    pub connection: u64,
}

/// How the request body is delimited.
#[derive(Clone, Copy)]
pub(super) enum Framing {
    Length(u64),
    Chunked,
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let mut named = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name));
    named.next().map(|(_, v)| v.as_str())
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    pub fn expects_continue(&self) -> bool {
        self.header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    }

    /// Whether the client asked to close the connection after this exchange.
    pub fn wants_close(&self) -> bool {
        let connection = self.header("connection").map(str::to_ascii_lowercase);
        match connection.as_deref() {
            Some(v) if v.contains("close") => true,
            Some(v) if v.contains("keep-alive") => false,
            _ => self.http10,
        }
    }

    /// How the body is framed, read as strictly as a proxy in front would read it (RFC 9112
    /// §6): a request a proxy and this server could frame differently (request smuggling) is
    /// refused, not guessed at — two `Content-Length`s, a sign or anything but digits in one,
    /// `Content-Length` with `Transfer-Encoding`, a transfer coding that isn't chunked last.
    pub fn framing(&self) -> io::Result<Framing> {
        let all = |name: &'static str| -> Vec<&str> {
            self.headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let lengths = all("content-length");
        let codings = all("transfer-encoding");
        if !codings.is_empty() {
            if !lengths.is_empty() {
                return Err(invalid(
                    "Content-Length and Transfer-Encoding together: send one",
                ));
            }
            let joined = codings.join(",");
            let all: Vec<&str> = joined.split(',').map(str::trim).collect();
            let chunked = |c: &str| c.eq_ignore_ascii_case("chunked");
            // Chunked last and only once (RFC 9112 §6.1): anything else frames differently
            // on another reader.
            let last_only = all.last().is_some_and(|c| chunked(c))
                && all.iter().filter(|c| chunked(c)).count() == 1;
            return if last_only {
                Ok(Framing::Chunked)
            } else {
                Err(invalid("unsupported transfer-encoding"))
            };
        }
        match lengths.as_slice() {
            [] => Ok(Framing::Length(0)),
            [one] if !one.is_empty() && one.bytes().all(|b| b.is_ascii_digit()) => one
                .parse()
                .map(Framing::Length)
                .map_err(|_| invalid("bad content-length")),
            [_] => Err(invalid("bad content-length: digits only")),
            _ => Err(invalid("more than one Content-Length")),
        }
    }

    /// The recorded form of this request, once its body has been read.
    pub fn record(self, body: BodySummary, framing: Framing, at: Instant) -> RecordedRequest {
        RecordedRequest {
            query: parse_query(&self.raw_query),
            method: self.method,
            path: self.path,
            raw_query: self.raw_query,
            headers: self.headers,
            body: body.kept,
            body_prefix: body.prefix,
            body_len: body.len,
            body_fnv: body.fnv.finish(),
            chunked: matches!(framing, Framing::Chunked),
            at,
            fault: None,
            rate_limited: false,
            connection: self.connection,
        }
    }
}

/// A `tchar` of RFC 9110 §5.6.2: what a header name or method is made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// Reads one line without its CRLF (or bare LF); `None` at end of stream before any byte.
fn read_line(r: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut buf = Vec::new();
    if r.take(MAX_LINE).read_until(b'\n', &mut buf)? == 0 {
        return Ok(None);
    }
    if buf.pop() != Some(b'\n') {
        return Err(invalid("line too long or cut short"));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

fn require_line(r: &mut impl BufRead) -> io::Result<String> {
    read_line(r)?.ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
}

/// Reads a request head; `None` when the client closed the connection between requests.
pub(super) fn read_head(r: &mut impl BufRead) -> io::Result<Option<Head>> {
    // RFC 9112 §2.2: ignore empty lines before the request line.
    let line = loop {
        match read_line(r)? {
            None => return Ok(None),
            Some(l) if l.is_empty() => continue,
            Some(l) => break l,
        }
    };
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("bad request line"));
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(invalid("unsupported HTTP version"));
    }
    if method.is_empty() || !method.bytes().all(is_token_byte) || target.is_empty() {
        return Err(invalid("bad request line"));
    }
    let (path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = Vec::new();
    loop {
        let line = require_line(r)?;
        if line.is_empty() {
            break;
        }
        // No folded lines, no space before the colon, a token for a name, no control
        // characters in a value (RFC 9112 §5): what a proxy would refuse is refused here.
        if line.starts_with([' ', '\t']) {
            return Err(invalid("folded header line"));
        }
        let (name, value) = line.split_once(':').ok_or_else(|| invalid("bad header"))?;
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(invalid("bad header name"));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(invalid("bad header value"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        if headers.len() > MAX_HEADERS {
            return Err(invalid("too many headers"));
        }
    }
    Ok(Some(Head {
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        raw_query: raw_query.to_string(),
        headers,
        http10: version == "HTTP/1.0",
        connection: 0,
    }))
}

/// What is left of a body after streaming it: its length, checksum, and the bytes when small.
#[derive(Clone)]
pub(super) struct BodySummary {
    pub kept: Vec<u8>,
    pub prefix: Vec<u8>,
    pub len: u64,
    pub fnv: Fnv64,
}

/// Streams the body through a fixed buffer, stopping early after `stop_after` bytes if given, and
/// hashing it if `hash`.
pub(super) fn read_body(
    r: &mut impl BufRead,
    framing: Framing,
    stop_after: Option<u64>,
    hash: bool,
) -> io::Result<BodySummary> {
    read_body_observed(r, framing, stop_after, hash, &mut |_, _| Ok(()))
}

/// [`read_body`], showing each piece to `observe` as it arrives, with the
/// body so far (a handler that answers mid-upload, as the short-clip APIs do).
pub(super) fn read_body_observed(
    r: &mut impl BufRead,
    framing: Framing,
    stop_after: Option<u64>,
    hash: bool,
    observe: &mut dyn FnMut(&[u8], &BodySummary) -> io::Result<()>,
) -> io::Result<BodySummary> {
    let mut body = BodyReader {
        inner: r,
        chunked: matches!(framing, Framing::Chunked),
        remaining: match framing {
            Framing::Length(n) => n,
            Framing::Chunked => 0,
        },
        in_chunk: false,
        done: matches!(framing, Framing::Length(0)),
    };
    let mut summary = BodySummary {
        kept: Vec::new(),
        prefix: Vec::new(),
        len: 0,
        fnv: Fnv64::new(),
    };
    let mut buf = vec![0; 64 * 1024];
    loop {
        let room = stop_after.map_or(buf.len() as u64, |limit| {
            (limit - summary.len).min(buf.len() as u64)
        });
        if room == 0 {
            return Ok(summary);
        }
        let n = body.read(&mut buf[..room as usize])?;
        if n == 0 {
            return Ok(summary);
        }
        let bytes = &buf[..n];
        summary.len += n as u64;
        let room = PREFIX_LEN.saturating_sub(summary.prefix.len());
        summary.prefix.extend_from_slice(&bytes[..room.min(n)]);
        if hash {
            summary.fnv.update(bytes);
        }
        if summary.len <= KEEP_BODY_LIMIT as u64 {
            summary.kept.extend_from_slice(bytes);
        } else if !summary.kept.is_empty() {
            // Keep all or nothing, so a kept body is never mistaken for the whole one.
            summary.kept = Vec::new();
        }
        observe(bytes, &summary)?;
    }
}

/// The body bytes of one request, whichever framing carries them.
struct BodyReader<'a, R> {
    inner: &'a mut R,
    chunked: bool,
    /// Bytes left in the sized body or in the current chunk.
    remaining: u64,
    /// Whether a chunk's data was read and its closing CRLF is still due.
    in_chunk: bool,
    done: bool,
}

impl<R: BufRead> BodyReader<'_, R> {
    /// Moves to the next chunk; returns false after the last chunk and the trailers.
    fn next_chunk(&mut self) -> io::Result<bool> {
        if self.in_chunk && !require_line(self.inner)?.is_empty() {
            return Err(invalid("chunk data longer than its size"));
        }
        let line = require_line(self.inner)?;
        let size = line.split(';').next().unwrap_or("").trim_end();
        // Hex digits only: `from_str_radix` would also take a sign.
        if size.is_empty() || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid("bad chunk size"));
        }
        let size = u64::from_str_radix(size, 16).map_err(|_| invalid("bad chunk size"))?;
        if size == 0 {
            while !require_line(self.inner)?.is_empty() {} // trailers, ignored
            return Ok(false);
        }
        self.remaining = size;
        self.in_chunk = true;
        Ok(true)
    }
}

impl<R: BufRead> Read for BodyReader<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        if self.remaining == 0 && !(self.chunked && self.next_chunk()?) {
            self.done = true;
            return Ok(0);
        }
        let want = out
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut out[..want])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.remaining -= n as u64;
        if self.remaining == 0 && !self.chunked {
            self.done = true;
        }
        Ok(n)
    }
}

/// Percent-decodes a query string into pairs (`+` is a space, as in HTML forms).
pub(super) fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
                continue;
            }
            (b'+', _) => out.push(b' '),
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A complete response; the body is shared so a cached 18 MB transcript is never copied.
#[derive(Clone, Debug)]
pub(super) struct Response {
    pub status: u16,
    pub content_type: String,
    pub body: Arc<[u8]>,
    pub retry_after: Option<u64>,
    /// More headers, e.g. the LLM Gateway's `X-RateLimit-*`.
    pub headers: Vec<(String, String)>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Arc<[u8]>>) -> Response {
        Response {
            status,
            content_type: content_type.to_string(),
            body: body.into(),
            retry_after: None,
            headers: Vec::new(),
        }
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", value.to_string().into_bytes())
    }

    /// The API's error shape: `{"error": "..."}`.
    pub fn error(status: u16, message: &str) -> Response {
        Response::json(status, &serde_json::json!({ "error": message }))
    }

    /// Status line and headers, announcing the full body length.
    pub fn head(&self, close: bool) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nServer: assemblyai-emulator\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        // Real servers date every reply; the client reads the server's clock from it.
        head.push_str(&format!(
            "Date: {}\r\n",
            super::ids::http_date(std::time::SystemTime::now())
        ));
        if let Some(secs) = self.retry_after {
            head.push_str(&format!("Retry-After: {secs}\r\n"));
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        head.into_bytes()
    }

    pub fn write_to(&self, w: &mut impl Write, close: bool) -> io::Result<()> {
        w.write_all(&self.head(close))?;
        w.write_all(&self.body)?;
        w.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}
