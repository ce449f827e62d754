//! The one path every request takes: authentication, bodies, retries, the
//! caller's deadline and status mapping (what comes back is read in
//! `reply.rs`). Each public endpoint is a few lines on top.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::types::raw::KeepsRawJson;
use ureq::http::{self, Method, Response, header};
use ureq::{Body, SendBody};

use crate::client::check_api_key;
use crate::deadline::Deadline;
use crate::event::Event;
use crate::reply::{Reply, read_body};
use crate::{Client, Error, RateLimiter, Result, Service};

/// What a request sends.
pub(crate) enum Payload<'a> {
    None,
    Json(Vec<u8>),
    /// A local file, opened anew for each attempt and sent with its length.
    File {
        path: &'a Path,
        len: u64,
    },
    /// A one-shot stream, sent chunked; it cannot be sent a second time.
    Stream(&'a mut dyn Read),
    /// A body that can start over for each attempt (a multipart clip whose
    /// audio is a file, or a stream kept as it is read), sent with its
    /// length when it is known, chunked otherwise.
    Replayable {
        body: &'a mut dyn ReplayableBody,
        content_type: &'a str,
    },
}

/// A request body that can be sent again from its first byte.
pub(crate) trait ReplayableBody: Read {
    /// Starts the body over, for the next attempt.
    fn restart(&mut self) -> Result<()>;
    /// The body's length, when it is known before sending.
    fn len(&self) -> Option<u64>;
    /// The body as a reader (no trait upcasting before Rust 1.86).
    fn as_read(&mut self) -> &mut dyn Read;
}

/// What may be retried without risk, which differs by endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Safety {
    /// Reads and deletes: sending twice changes nothing.
    Idempotent,
    /// Creating a transcript: never retried here. `create.rs` decides, with
    /// one count of attempts, between sending again (provably no job) and
    /// looking for the job first (maybe a job).
    Creates,
    /// A request billed when the API acts on it (an LLM Gateway call):
    /// retried only when the failure proves the API did not act on it
    /// (refused with 429 or 503, or never connected), so it is never paid
    /// for twice.
    Paid,
    /// A short clip to the Sync STT or Dictation API: retried on 429 and
    /// 503 (the service did not take it) as the policy allows, and once on
    /// 500, 502, 504 or a transport failure, as their error tables say.
    Clip,
}

/// The `Accept` header of every endpoint answering JSON.
const ACCEPT_JSON: &str = "application/json";
/// What a call whose success may carry no body asks for.
const ACCEPT_ANY: &str = "*/*";

/// One API request, with what the retry loop needs to know about it.
pub(crate) struct Call<'a> {
    pub(crate) method: Method,
    /// Path and query, e.g. `/v2/transcript?limit=10`.
    pub(crate) path: String,
    /// The `Accept` header: what the endpoint answers on success.
    pub(crate) accept: &'static str,
    pub(crate) payload: Payload<'a>,
    pub(crate) safety: Safety,
    /// The transcript the request is about, added to errors.
    pub(crate) transcript_id: Option<&'a str>,
    pub(crate) deadline: Deadline,
    /// The API the call goes to; its host comes from `Client::service_url`,
    /// its error bodies from the service.
    pub(crate) service: Service,
    /// Whether the key goes along: `GET /v1/models` is public, so it works
    /// without one.
    pub(crate) authenticated: bool,
    /// The budget this call spends instead of the client's account-wide
    /// one: an LLM Gateway model's own limit.
    pub(crate) limiter: Option<RateLimiter>,
    /// Headers of this endpoint alone (Sync's `X-AAI-Model`).
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl<'a> Call<'a> {
    /// A `GET` of `path` with no overall deadline.
    pub(crate) fn get(path: String) -> Self {
        Call {
            method: Method::GET,
            path,
            accept: ACCEPT_JSON,
            payload: Payload::None,
            safety: Safety::Idempotent,
            transcript_id: None,
            deadline: Deadline::none(),
            service: Service::Transcripts,
            authenticated: true,
            limiter: None,
            headers: Vec::new(),
        }
    }

    /// A `POST` of `payload` to `path`, retried as `safety` allows.
    pub(crate) fn post(path: &str, payload: Payload<'a>, safety: Safety) -> Self {
        Call {
            method: Method::POST,
            payload,
            safety,
            ..Call::get(path.to_owned())
        }
    }

    /// The same call about transcript `id`, whose id errors will carry.
    pub(crate) fn about(mut self, id: &'a str) -> Self {
        self.transcript_id = Some(id);
        self
    }

    /// The same call accepting `media_types` (an `Accept` header value).
    pub(crate) fn accepting(mut self, media_types: &'static str) -> Self {
        self.accept = media_types;
        self
    }

    /// The same call within `deadline`.
    pub(crate) fn within(mut self, deadline: Deadline) -> Self {
        self.deadline = deadline;
        self
    }

    /// The same call to another API's host.
    pub(crate) fn on(mut self, service: Service) -> Self {
        self.service = service;
        self
    }

    /// The same call for an endpoint whose success may have no body at all
    /// (`/v1/understanding/validate`): an empty 200 is then an answer, not
    /// a garbled one to read again.
    pub(crate) fn answered_without_body(mut self) -> Self {
        self.accept = ACCEPT_ANY;
        self
    }

    /// The same call without the key (a public endpoint).
    pub(crate) fn without_key(mut self) -> Self {
        self.authenticated = false;
        self
    }

    /// The same call spending `limiter` instead of the client's budget.
    pub(crate) fn limited_by(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The same call with one more header.
    pub(crate) fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Whether failing with `error` on attempt `attempt` (1-based) leaves the
    /// request safe to send again.
    fn may_retry(&self, error: &Error, attempt: u32) -> bool {
        if matches!(self.payload, Payload::Stream(_)) {
            return false;
        }
        match self.safety {
            // A read answered with something that is not JSON at all (a
            // proxy's page) is sent again like a 5xx.
            Safety::Idempotent => error.is_retryable() || is_garbled(error),
            Safety::Paid => never_reached_the_api(error),
            Safety::Creates => false,
            Safety::Clip => match error.status() {
                Some(429 | 503) => true,
                _ => attempt == 1 && error.is_retryable(),
            },
        }
    }

    /// The budget this call waits on: its own, else the client's.
    fn budget<'c>(&'c self, client: &'c Client) -> Option<&'c RateLimiter> {
        self.limiter.as_ref().or(client.shared.limiter.as_ref())
    }
}

/// How the message of a success reply that is not JSON at all begins.
const GARBLED: &str = "expected JSON, got";

/// A 2xx reply that is not JSON where JSON was asked for: an HTML page a
/// proxy or a captive portal put in the API's place, a body cut short. Like
/// a 5xx, it says nothing about the request, so a read is sent again;
/// a reply that is JSON but not the documented shape is not (it would come
/// back the same).
fn is_garbled(error: &Error) -> bool {
    matches!(error, Error::InvalidResponse { status: 200..=299, message, .. }
        if message.starts_with(GARBLED))
}

/// Whether a body can be JSON: it starts (after blanks) with `{` or `[`, as
/// every JSON answer of the API does.
fn looks_like_json(body: &[u8]) -> bool {
    matches!(body.trim_ascii_start().first(), Some(b'{' | b'['))
}

/// What error messages need to know about a request in flight.
struct Exchange<'a> {
    /// `METHOD /path`, for messages.
    label: String,
    deadline: Deadline,
    transcript_id: Option<&'a str>,
    /// The longest the request body may take to send, when its size is known.
    send_body: Option<Duration>,
}

/// The slowest pace a file upload may go before it is cut off, 16 KiB/s
/// (plus ten minutes): a long upload on a slow link is never cut, while a
/// server that reads a byte a second can't hold it forever. A 2.2 GB file
/// may take 38 hours.
const SLOWEST_UPLOAD_BYTES_PER_SECOND: u64 = 16 * 1024;
const UPLOAD_TIME_FLOOR: Duration = Duration::from_secs(600);

/// Failures that prove the API did not act on the request: it was refused
/// before a connection existed, or the API said it would not process it.
pub(crate) fn never_reached_the_api(error: &Error) -> bool {
    match error {
        Error::Api { status, .. } => matches!(status, 429 | 503),
        _ => error.is_unreachable(),
    }
}

impl Client {
    /// Sends `call`, retrying as the policy and the call's safety allow, and
    /// returns the successful (2xx) response with its whole body. The body is
    /// read within each attempt, so a reply that breaks off midway is retried
    /// like one that never came.
    pub(crate) fn execute(&self, call: &mut Call<'_>) -> Result<Response<Vec<u8>>> {
        self.retrying(call, |client, call| {
            let mut response = client.attempt(call)?;
            let body = read_body(&mut response, call, client.shared.max_reply_bytes)?;
            let status = response.status().as_u16();
            if call.accept == ACCEPT_JSON && status != 204 && !looks_like_json(&body) {
                return Err(Error::InvalidResponse {
                    status,
                    message: client.redact(format!("{GARBLED} {}", client.describe(&body))),
                    transcript_id: None,
                });
            }
            let (parts, _) = response.into_parts();
            Ok(Response::from_parts(parts, body))
        })
    }

    /// Sends `call` with retries up to the response headers, and returns the
    /// body unread, to be streamed: once part of it has been passed on, a
    /// failure can no longer be retried.
    pub(crate) fn open(&self, call: &mut Call<'_>) -> Result<Response<Body>> {
        self.retrying(call, Client::attempt)
    }

    /// Runs `once` until it succeeds or the policy, the call's safety or its
    /// deadline says to stop.
    fn retrying<T>(
        &self,
        call: &mut Call<'_>,
        mut once: impl FnMut(&Client, &mut Call<'_>) -> Result<T>,
    ) -> Result<T> {
        call.deadline = self.bounded(call.deadline);
        let mut attempt = 1;
        loop {
            let error = match once(self, call) {
                Ok(done) => {
                    if let Some(limiter) = &self.shared.limiter {
                        limiter.accepted();
                    }
                    return Ok(done);
                }
                Err(error) => error,
            };
            let error = match call.transcript_id {
                Some(id) => error.with_transcript_id(id),
                None => error,
            };
            match (call.budget(self), error.status()) {
                (Some(limiter), Some(429)) => limiter.too_many_requests(error.retry_after()),
                // Answered, so counted by the server, though not a success.
                (Some(limiter), Some(_)) => limiter.accepted(),
                _ => {}
            }
            if !call.may_retry(&error, attempt) || !self.back_off(attempt, &error, call.deadline) {
                return Err(error);
            }
            attempt += 1;
        }
    }

    /// Sends `call` and reads the whole reply.
    pub(crate) fn fetch(&self, mut call: Call<'_>) -> Result<Reply> {
        let response = self.execute(&mut call)?;
        let status = response.status().as_u16();
        let (parts, body) = response.into_parts();
        Ok(Reply {
            status,
            headers: parts.headers,
            body,
            about: call.transcript_id.map(str::to_owned),
        })
    }

    /// Sends `call` and decodes the JSON reply.
    pub(crate) fn fetch_json<T: DeserializeOwned + KeepsRawJson>(
        &self,
        call: Call<'_>,
    ) -> Result<T> {
        let reply = self.fetch(call)?;
        self.decode_kept(reply)
    }

    /// One attempt, up to a successful status: no retries, body unread.
    fn attempt(&self, call: &mut Call<'_>) -> Result<Response<Body>> {
        if call.deadline.expired() {
            return Err(call.deadline.timeout_error(call.transcript_id));
        }
        let shared = &self.shared;
        if call.authenticated {
            check_api_key(&shared.key)?;
        }
        // Every attempt, retries included, spends from the shared budget.
        if let Some(limiter) = call.budget(self) {
            if !limiter.acquire(call.deadline) {
                return Err(call.deadline.timeout_error(call.transcript_id));
            }
        }
        let url = format!("{}{}", self.service_url(call.service), call.path);
        let mut request = http::Request::builder()
            .method(call.method.clone())
            .uri(&url)
            .header(header::ACCEPT, call.accept);
        if call.authenticated {
            request = request.header(header::AUTHORIZATION, shared.key.as_str());
        }
        for (name, value) in &call.headers {
            request = request.header(*name, value.as_str());
        }

        let slowest = |len: u64| {
            UPLOAD_TIME_FLOOR + Duration::from_secs(len / SLOWEST_UPLOAD_BYTES_PER_SECOND)
        };
        let send_body = match &call.payload {
            Payload::File { len, .. } => Some(slowest(*len)),
            Payload::Replayable { body, .. } => body.len().map(slowest),
            _ => None,
        };
        let exchange = Exchange {
            label: format!("{} {}", call.method, call.path),
            deadline: call.deadline,
            transcript_id: call.transcript_id,
            send_body,
        };
        let started = std::time::Instant::now();
        let sent = match &mut call.payload {
            Payload::None => self.run(request.body(()), &exchange),
            Payload::Json(bytes) => {
                let request = request.header(header::CONTENT_TYPE, "application/json");
                self.run(request.body(bytes.as_slice()), &exchange)
            }
            Payload::File { path, len } => {
                let (path, len): (&Path, u64) = (path, *len);
                let file = File::open(path)
                    .map_err(|err| Error::io(format!("cannot open {}", path.display()), err))?;
                let mut exact = ExactLen {
                    file,
                    expected: len,
                    read: 0,
                    changed: false,
                };
                if exact.size_changed() {
                    return Err(changed_size(path, len));
                }
                let mut progress = Progress {
                    inner: &mut exact,
                    sent: 0,
                    total: Some(len),
                    client: self,
                };
                // A length lets the server refuse an oversized file up front
                // and spares chunk framing on the hot path.
                let request = request
                    .header(header::CONTENT_TYPE, "application/octet-stream")
                    .header(header::CONTENT_LENGTH, len);
                let sent = self.run(
                    request.body(SendBody::from_reader(&mut progress)),
                    &exchange,
                );
                // What the file did matters more than how the request ended.
                if exact.size_changed() {
                    return Err(changed_size(path, len));
                }
                sent
            }
            Payload::Stream(reader) => {
                let mut progress = Progress {
                    inner: *reader,
                    sent: 0,
                    total: None,
                    client: self,
                };
                let request = request.header(header::CONTENT_TYPE, "application/octet-stream");
                self.run(
                    request.body(SendBody::from_reader(&mut progress)),
                    &exchange,
                )
            }
            Payload::Replayable { body, content_type } => {
                body.restart()?;
                let total = body.len();
                let mut request = request.header(header::CONTENT_TYPE, *content_type);
                if let Some(len) = total {
                    request = request.header(header::CONTENT_LENGTH, len);
                }
                let mut progress = Progress {
                    inner: body.as_read(),
                    sent: 0,
                    total,
                    client: self,
                };
                self.run(
                    request.body(SendBody::from_reader(&mut progress)),
                    &exchange,
                )
            }
        };
        self.emit(Event::Exchanged {
            method: call.method.as_str(),
            path: &call.path,
            status: match &sent {
                Ok(response) => Some(response.status().as_u16()),
                Err(error) => error.status(),
            },
            elapsed: started.elapsed(),
        });
        let response = sent?;
        if !response.status().is_success() {
            return Err(match call.service {
                Service::Sync | Service::Dictation => self.clip_error(call.service, response),
                _ => self.status_error(response),
            });
        }
        Ok(response)
    }

    /// Runs one built request within the call's deadline.
    fn run<S: ureq::AsSendBody>(
        &self,
        request: http::Result<http::Request<S>>,
        exchange: &Exchange<'_>,
    ) -> Result<Response<Body>> {
        let request = request.map_err(|err| {
            Error::invalid_input(format!(
                "cannot build the request {}: {err}",
                exchange.label
            ))
        })?;
        let agent = &self.shared.agent;
        let deadline = exchange.deadline;
        let request = agent
            .configure_request(request)
            .timeout_global(deadline.remaining())
            .timeout_send_body(exchange.send_body)
            .build();
        agent.run(request).map_err(|err| match err {
            ureq::Error::Timeout(ureq::Timeout::Global) => {
                deadline.timeout_error(exchange.transcript_id)
            }
            other => Error::Http {
                context: format!("{} failed", exchange.label),
                source: Box::new(other),
                transcript_id: None,
            },
        })
    }
}

/// Counts upload bytes as ureq reads them and reports them to the observer.
struct Progress<'a, 'c> {
    inner: &'a mut dyn Read,
    sent: u64,
    total: Option<u64>,
    client: &'c Client,
}

impl Read for Progress<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sent += n as u64;
        self.client.emit(Event::UploadProgress {
            sent: self.sent,
            total: self.total,
        });
        Ok(n)
    }
}

/// A file read as the length it had when it was checked, which is the
/// `Content-Length` sent: one that grows or shrinks while it uploads (a
/// recording still being written, a file being replaced) would send a body
/// that does not match, which the API would refuse after the whole upload,
/// and every retry would meet again.
struct ExactLen {
    file: File,
    expected: u64,
    read: u64,
    /// Set when the file yielded fewer or more bytes than expected.
    changed: bool,
}

impl ExactLen {
    /// Whether the file's size is no longer the one sent (and marks it).
    fn size_changed(&mut self) -> bool {
        if self
            .file
            .metadata()
            .is_ok_and(|metadata| metadata.len() != self.expected)
        {
            self.changed = true;
        }
        self.changed
    }
}

impl Read for ExactLen {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read += n as u64;
        let short = n == 0 && !buf.is_empty() && self.read < self.expected;
        if short || self.read > self.expected {
            self.changed = true;
            return Err(io::Error::other(
                "the file changed size while it was uploading",
            ));
        }
        Ok(n)
    }
}

/// The error for a file that changed size while it was being uploaded.
fn changed_size(path: &Path, len: u64) -> Error {
    Error::invalid_source(format!(
        "{} changed size while it was uploading (it was {len} bytes when the upload began): \
         upload it once whatever is writing it has finished",
        path.display()
    ))
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
pub(crate) fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Checks that `id` can be put in a URL path as is: transcript ids are UUIDs,
/// and anything with `/`, `?` or `..` would reach another endpoint.
pub(crate) fn check_transcript_id(id: &str) -> Result<()> {
    let valid = !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "\"{}\" is not a transcript id: ids look like 5551722-f677-48a6-9287-39c0aafd9ac1",
            id.escape_debug()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query("foo bar,baz&x"), "foo%20bar%2Cbaz%26x");
        assert_eq!(encode_query("café"), "caf%C3%A9");
    }

    #[test]
    fn transcript_ids_that_would_change_the_path_are_refused() {
        assert!(check_transcript_id("5551722-f677-48a6-9287-39c0aafd9ac1").is_ok());
        assert!(check_transcript_id("../upload").is_err());
        assert!(check_transcript_id("a?b").is_err());
        assert!(check_transcript_id("").is_err());
    }
}
