//! What comes back: whole bodies, streamed bodies, JSON decoding, and the
//! errors made of replies that are not what was asked for. Text from the
//! server passes through [`Client::redact`] before it reaches an error.

use std::io::{self, Read, Write};
use std::time::Duration;

use serde::de::DeserializeOwned;
use ureq::Body;
use ureq::http::{self, Response, header};

use crate::deadline::Deadline;
use crate::request::Call;
use crate::timestamp::{local_now, parse_http_date};
use crate::{Client, Error, Result};

/// The most of an error body worth reading: messages are short, and a
/// misbehaving proxy may send megabytes of HTML.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

impl Client {
    /// Decodes a JSON reply, describing what came instead when it is not the
    /// expected JSON (without the key, should a proxy echo it).
    pub(crate) fn decode<T: DeserializeOwned>(&self, reply: &Reply) -> Result<T> {
        serde_json::from_slice(&reply.body).map_err(|err| {
            let message = if err.is_data() {
                format!("the JSON is not what the API documents: {err}")
            } else {
                format!("expected JSON, got {} ({err})", self.describe(&reply.body))
            };
            // The decoder's text is kept, redacted, rather than its error
            // value: serde quotes the offending value, which could be the key.
            self.invalid_reply(reply, message)
        })
    }

    /// Decodes a reply for the caller, keeping its JSON text beside it when
    /// the client is built to (`keep_raw_json`): the reply as sent, for
    /// lossless output, whatever the types made of it.
    pub(crate) fn decode_kept<T: DeserializeOwned + crate::types::raw::KeepsRawJson>(
        &self,
        reply: Reply,
    ) -> Result<T> {
        let mut value: T = self.decode(&reply)?;
        if self.shared.keep_raw_json {
            // Bytes that parsed as JSON are UTF-8.
            if let Ok(text) = String::from_utf8(reply.body) {
                value.set_raw_json(text.into_boxed_str());
            }
        }
        Ok(value)
    }

    /// The error for a reply that can't be understood.
    pub(crate) fn invalid_reply(&self, reply: &Reply, message: String) -> Error {
        Error::InvalidResponse {
            status: reply.status,
            message: self.redact(message),
            transcript_id: reply.about.clone(),
        }
    }

    /// Removes the key from text that came from the server.
    pub(crate) fn redact(&self, text: String) -> String {
        redact(&text, &self.shared.key)
    }

    /// `text` with this client's API key replaced by `<redacted>`, for
    /// showing text a server sent (a transcript's `error`, a listed field):
    /// a server or proxy that echoes the key must not get it printed. Errors
    /// of this crate are redacted already; this is for the text a caller
    /// takes from the data itself.
    pub fn redact_key(&self, text: &str) -> String {
        redact(text, &self.shared.key)
    }

    /// [`describe_body`] with this client's key.
    pub(crate) fn describe(&self, bytes: &[u8]) -> String {
        describe_body(bytes, &self.shared.key)
    }

    /// The error for a reply with a non-2xx status, keeping the server's message.
    pub(crate) fn status_error(&self, mut response: Response<Body>) -> Error {
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers()).or_else(|| {
            (status == 429)
                .then(|| rate_limit_reset(response.headers()))
                .flatten()
        });
        let header_request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let (message, request_id) = if response.status().is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("nowhere");
            let message = format!(
                "redirect to {location}, which the client does not follow (it would carry \
                 the API key elsewhere); check the base URL"
            );
            (message, None)
        } else {
            match error_body(&mut response) {
                Ok(bytes) => error_reply(&bytes, &self.shared.key),
                Err(broke_off) => (broke_off, None),
            }
        };
        Error::Api {
            status,
            message: self.redact(message),
            transcript_id: None,
            retry_after,
            request_id: request_id.or(header_request_id).map(|id| self.redact(id)),
        }
    }
}

/// The body of an error reply, up to [`ERROR_BODY_LIMIT`]; what to say
/// instead when it broke off.
pub(crate) fn error_body(response: &mut Response<Body>) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(ERROR_BODY_LIMIT)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("the reply broke off: {err}"))?;
    Ok(bytes)
}

/// How long a `Retry-After` header asks to wait: delay-seconds (`120`) or an
/// HTTP date (`Wed, 25 Nov 2026 13:11:19 GMT`, RFC 9110 §10.2.3), counted
/// from the reply's own `Date` so a skewed local clock does not matter. A
/// date in the past means now.
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let text = |name| headers.get(name).and_then(|value| value.to_str().ok());
    let asked = text(header::RETRY_AFTER)?.trim();
    if let Ok(seconds) = asked.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let until = parse_http_date(asked)?;
    let now = text(header::DATE)
        .and_then(parse_http_date)
        .unwrap_or_else(local_now);
    // A date in the past means now; one absurdly far ahead is a pause longer than any
    // policy waits (it was taken as zero, an immediate retry, before).
    if until <= now {
        return Some(Duration::ZERO);
    }
    Some(crate::duration::from_server_seconds(until - now).unwrap_or(Duration::MAX))
}

/// How long a 429 without `Retry-After` asks to wait by the LLM Gateway's
/// `X-RateLimit-Reset`. AssemblyAI's rate-limit page names the header but not
/// its unit (docs/llm-gateway/rate-limits), so both common forms are read:
/// seconds until the window resets (a small number), or the Unix time it
/// resets at (seconds, or milliseconds), counted from the reply's own `Date`.
fn rate_limit_reset(headers: &http::HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let value: f64 = text("x-ratelimit-reset")?.trim().parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    const UNIX_TIME_FROM: f64 = 1e9;
    let seconds = if value < UNIX_TIME_FROM {
        value
    } else {
        let at = if value >= UNIX_TIME_FROM * 1000.0 {
            value / 1000.0
        } else {
            value
        };
        let now = text("date")
            .and_then(parse_http_date)
            .unwrap_or_else(local_now);
        (at - now).max(0.0)
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// A whole reply to a successful request.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Vec<u8>,
    /// The transcript the request was about, for errors.
    pub(crate) about: Option<String>,
}

/// Copies a reply body to `writer`, telling a failed read (the network) from
/// a failed write (the disk); `check` sees each chunk before it is written and
/// can refuse it. Returns the number of bytes copied.
/// A read cut by `deadline` is the caller's timeout, as for whole replies.
pub(crate) fn copy_body(
    reader: &mut dyn Read,
    writer: &mut dyn Write,
    what: &str,
    deadline: Deadline,
    mut check: impl FnMut(&[u8]) -> Result<()>,
) -> Result<u64> {
    let mut buffer = vec![0; 64 * 1024];
    let mut total = 0;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                let source = ureq_error(err);
                if let ureq::Error::Timeout(ureq::Timeout::Global) = source {
                    return Err(deadline.timeout_error(None));
                }
                return Err(Error::Http {
                    context: format!("the download of {what} broke off"),
                    source: Box::new(source),
                    transcript_id: None,
                });
            }
        };
        check(&buffer[..n])?;
        writer
            .write_all(&buffer[..n])
            .map_err(|err| Error::io(format!("cannot write {what}"), err))?;
        total += n as u64;
    }
    writer
        .flush()
        .map_err(|err| Error::io(format!("cannot write {what}"), err))?;
    Ok(total)
}

/// Reads a whole response body, up to `limit` bytes once decompressed. Long
/// transcripts are tens of MB, far more than ureq's convenience readers take
/// (10 MB); the limit (`ClientBuilder::max_reply_bytes`) is for bombs.
pub(crate) fn read_body(
    response: &mut Response<Body>,
    call: &Call<'_>,
    limit: u64,
) -> Result<Vec<u8>> {
    let status = response.status().as_u16();
    let capacity = response
        .body()
        .content_length()
        .unwrap_or(0)
        .min(limit)
        .min(1 << 26);
    let mut bytes = Vec::with_capacity(capacity as usize);
    response
        .body_mut()
        .as_reader()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| {
            let source = ureq_error(err);
            if let ureq::Error::Timeout(ureq::Timeout::Global) = source {
                return call.deadline.timeout_error(call.transcript_id);
            }
            Error::Http {
                context: format!("{} {}: the reply broke off", call.method, call.path),
                source: Box::new(source),
                transcript_id: None,
            }
        })?;
    if bytes.len() as u64 > limit {
        return Err(over_limit(status, limit, call.transcript_id));
    }
    Ok(bytes)
}

/// The transport error behind a failed read of a body (ureq wraps its own
/// errors, a timeout among them, in `io::Error`).
fn ureq_error(err: io::Error) -> ureq::Error {
    match err.downcast::<ureq::Error>() {
        Ok(ureq_error) => ureq_error,
        Err(io_error) => ureq::Error::Io(io_error),
    }
}

/// The error for a reply longer than the client reads.
pub(crate) fn over_limit(status: u16, limit: u64, transcript_id: Option<&str>) -> Error {
    Error::InvalidResponse {
        status,
        message: format!(
            "the reply is over {limit} bytes once decompressed, more than any transcript \
             needs (a compression bomb, or the wrong server?); ClientBuilder::max_reply_bytes \
             sets the limit"
        ),
        transcript_id: transcript_id.map(str::to_owned),
    }
}

/// The message of an error reply: the `error` field of the documented
/// `{"error": "..."}` body, or a description of whatever came instead.
// Only the streaming handshake wants the message alone.
#[cfg_attr(not(feature = "streaming"), allow(dead_code))]
pub(crate) fn error_message(bytes: &[u8], key: &str) -> String {
    error_reply(bytes, key).0
}

/// The message and request id of an error reply, in any of the shapes the
/// APIs send:
///
/// - v2 REST: `{"error": "..."}`;
/// - the LLM Gateway's auth layer: `{"error": "...", "status": "error", "request_id": "..."}`;
/// - the LLM Gateway since June 2026, flattened:
///   `{"code": 400, "message": "...", "request_id": "...", "metadata": {"errors": [...]}}`;
/// - the LLM Gateway before (and its March 2026 spec), nested:
///   `{"error": {"code": 400, "message": "...", "metadata": {...}}}`.
///
/// `metadata.errors` says what the generic message ("invalid request body")
/// does not, so its entries follow the message. The official SDKs read the
/// same fields (api-2026.md §4.6).
pub(crate) fn error_reply(bytes: &[u8], key: &str) -> (String, Option<String>) {
    let Ok(serde_json::Value::Object(body)) = serde_json::from_slice::<serde_json::Value>(bytes)
    else {
        return (describe_body(bytes, key), None);
    };
    let text = |value: Option<&serde_json::Value>| {
        value
            .and_then(serde_json::Value::as_str)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };
    let (envelope, message) = match body.get("error") {
        Some(serde_json::Value::Object(nested)) => (nested, text(nested.get("message"))),
        Some(serde_json::Value::String(_)) => (&body, text(body.get("error"))),
        None => (&body, text(body.get("message"))),
        // An `error` of another shape: the whole body is shown, so nothing
        // of what the server said is lost.
        Some(_) => return (describe_body(bytes, key), text(body.get("request_id"))),
    };
    let request_id = text(envelope.get("request_id")).or_else(|| text(body.get("request_id")));
    let details: Vec<String> = envelope
        .get("metadata")
        .and_then(|metadata| metadata.get("errors"))
        .and_then(serde_json::Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .map(|error| match error {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let message = match (message, details.is_empty()) {
        (Some(message), true) => message,
        (Some(message), false) => format!("{message}: {}", details.join("; ")),
        (None, false) => details.join("; "),
        (None, true) => describe_body(bytes, key),
    };
    (message, request_id)
}

/// The shortest secret that is scrubbed from text. AssemblyAI's keys and
/// tokens are 32 characters or more; a shorter "key" (the emulator takes
/// any, `a` included) says nothing worth hiding, while replacing it would
/// rewrite every word, id and URL that happens to contain it.
const MIN_SECRET_LEN: usize = 8;

/// `text` without `key`. A text cut short (an excerpt, a chunk of a
/// stream) may end in the first part of the key, which a whole-key search
/// cannot find: that part is redacted too, from four characters up (fewer
/// say nothing of a key, and would cut ordinary words). Every scrub of a
/// secret from a server's text goes through here.
pub(crate) fn redact(text: &str, key: &str) -> String {
    if key.len() < MIN_SECRET_LEN {
        return text.to_owned();
    }
    let mut redacted = text.replace(key, "<redacted>");
    let longest = (key.len() - 1).min(redacted.len());
    if let Some(part) = (4..=longest)
        .rev()
        .filter(|&n| key.is_char_boundary(n))
        .find(|&n| redacted.ends_with(&key[..n]))
    {
        redacted.truncate(redacted.len() - part);
        redacted.push_str("<redacted>");
    }
    redacted
}

/// A short description of an unexpected body, safe to print: `an empty body`,
/// `an HTML page`, or an excerpt with control characters removed and the
/// key redacted, before the excerpt is cut, so a key echoed near the cut is
/// not shown in part.
pub(crate) fn describe_body(bytes: &[u8], key: &str) -> String {
    let solid = bytes.trim_ascii_start();
    // Enough to show the excerpt whatever it quotes; the key fits whole in
    // the slack, wherever it starts in the excerpt.
    let window = &solid[..solid.len().min(4096 + key.len())];
    let text = redact(&String::from_utf8_lossy(window), key);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return "an empty body".to_owned();
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return "an HTML page (perhaps a proxy or the wrong base URL)".to_owned();
    }
    const LONGEST: usize = 200;
    let excerpt: String = trimmed
        .chars()
        .take(LONGEST)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if trimmed.chars().nth(LONGEST).is_some() {
        format!("\"{}...\" ({} bytes)", redact(&excerpt, key), bytes.len())
    } else {
        format!("\"{excerpt}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_key_is_scrubbed_and_a_short_one_leaves_the_text_whole() {
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            redact(&format!("bad key {key} here"), key),
            "bad key <redacted> here"
        );
        let id = "227bec2e-a03b-4aaa-9a1b-a0b1c2d3e4f5";
        assert_eq!(redact(id, "a"), id);
        assert_eq!(
            redact("transcript not found", "ant"),
            "transcript not found"
        );
    }

    #[test]
    fn error_bodies_keep_the_server_message_or_describe_the_body() {
        assert_eq!(
            error_message(br#"{"error":"format_text must be a Boolean"}"#, KEY),
            "format_text must be a Boolean"
        );
        assert_eq!(error_message(b"", KEY), "an empty body");
        assert!(error_message(b"<!DOCTYPE html><html>502</html>", KEY).contains("HTML page"));
        assert_eq!(error_message(b"upstream\nreset", KEY), "\"upstream reset\"");
    }

    #[test]
    fn every_gateway_error_envelope_gives_its_message_reasons_and_request_id() {
        let flat = br#"{"code":400,"message":"invalid request body","request_id":"r1","metadata":{"errors":["model foo is not supported"]}}"#;
        assert_eq!(
            error_reply(flat, KEY),
            (
                "invalid request body: model foo is not supported".to_owned(),
                Some("r1".to_owned())
            )
        );
        let nested = br#"{"error":{"code":404,"message":"transcript deleted","request_id":"r2"}}"#;
        assert_eq!(
            error_reply(nested, KEY),
            ("transcript deleted".to_owned(), Some("r2".to_owned()))
        );
        let auth = br#"{"error":"Authentication error, API token missing/invalid","status":"error","request_id":"r3"}"#;
        assert_eq!(
            error_reply(auth, KEY),
            (
                "Authentication error, API token missing/invalid".to_owned(),
                Some("r3".to_owned())
            )
        );
    }

    #[test]
    fn a_rate_limit_reset_counts_as_seconds_or_as_a_unix_time() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = http::HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, http::HeaderValue::from_static(value));
            }
            map
        };
        assert_eq!(
            rate_limit_reset(&headers(&[("x-ratelimit-reset", "12")])),
            Some(Duration::from_secs(12))
        );
        // Wed, 25 Nov 2026 13:11:19 GMT is 1795612279.
        let dated = headers(&[
            ("x-ratelimit-reset", "1795612309"),
            ("date", "Wed, 25 Nov 2026 13:11:19 GMT"),
        ]);
        assert_eq!(rate_limit_reset(&dated), Some(Duration::from_secs(30)));
        assert_eq!(rate_limit_reset(&headers(&[])), None);
    }

    const KEY: &str = "k3yZq9Xw7Vt5Rs1Pm8Ln6Jh4Gf2Dc0Ba";

    /// Whether any 4 characters of the key in a row are in `text`.
    fn shows_key(text: &str) -> bool {
        (0..=KEY.len() - 4).any(|at| text.contains(&KEY[at..at + 4]))
    }

    #[test]
    fn a_key_echoed_at_any_offset_of_an_unreadable_body_is_never_shown_even_in_part() {
        // Every offset around the 200-character excerpt, and around the
        // 4096-byte window read.
        for (body_len, offsets) in [(150, 0..=150), (300, 0..=300), (5000, 4050..=4150)] {
            for at in offsets {
                let mut body = "x".repeat(body_len);
                body.insert_str(at, KEY);
                let shown = describe_body(body.as_bytes(), KEY);
                assert!(!shows_key(&shown), "key at {at} of {body_len}: {shown}");
                // A body cut inside the key (a chunk of a stream).
                for cut in 1..KEY.len() {
                    let cut_body = &body.as_bytes()[..at + cut];
                    let shown = describe_body(cut_body, KEY);
                    assert!(!shows_key(&shown), "cut at {cut} of key at {at}: {shown}");
                }
            }
        }
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = http::HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, http::HeaderValue::from_static(value));
            }
            map
        };
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")])),
            Some(Duration::from_secs(7))
        );
        let dated = headers(&[
            ("retry-after", "Wed, 25 Nov 2026 13:12:19 GMT"),
            ("date", "Wed, 25 Nov 2026 13:11:19 GMT"),
        ]);
        assert_eq!(retry_after(&dated), Some(Duration::from_secs(60)));
        let past = headers(&[
            ("retry-after", "Wed, 25 Nov 2026 13:10:19 GMT"),
            ("date", "Wed, 25 Nov 2026 13:11:19 GMT"),
        ]);
        assert_eq!(retry_after(&past), Some(Duration::ZERO));
        let far = headers(&[
            ("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
            ("date", "Wed, 25 Nov 2026 13:11:19 GMT"),
        ]);
        assert_eq!(
            retry_after(&far),
            Some(Duration::MAX),
            "a pause beyond any policy, not an immediate retry"
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(retry_after(&headers(&[])), None);
    }
}
