//! The Sync STT and Dictation APIs on the emulator's port: `/sync/...` and
//! `/dictation/...` (the prefixes [`crate::Service::url_for`] gives a
//! non-AssemblyAI base URL; the official SDKs take them as their
//! `syncBaseUrl`/`dictationBaseUrl`, `sync_base_url`/`dictation_base_url`).
//!
//! Each serves `POST /v1/transcribe/live` (also `/v1/transcribe/stream`),
//! `POST /v1/transcribe` and `GET /warm`, `/v1/warm`; Sync also the
//! unprefixed `POST /transcribe`. The body is parsed as it streams in
//! (`clip_form.rs`), so a clip over its route's limit gets its 413 the
//! moment the limit is crossed, mid-upload, as the service sends it; the
//! rest of the body is then read and dropped, so any client (one that reads
//! the reply only after sending everything, too) gets the answer. Such a
//! request is recorded when it is answered, with the body read by then. The
//! replies and errors are api-2026.md §5–6 and §8.3.

use std::io::{self, BufRead};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::clip_form::{self, FormStream};
use super::clip_reply::{self, Audio};
use super::http::{self, Framing, Head, Response};
use super::{Shared, lock};

/// Which of the two services a request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ClipService {
    Sync,
    Dictation,
}

/// Which shape the short-clip APIs' errors take (except request-parse
/// errors, which always come as `{"error", "error_code"}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClipErrorShape {
    /// RFC 9457 problem details, `{"status","title","detail"}`: what the
    /// SDKs call the primary shape.
    #[default]
    Problem,
    /// The legacy `{"error_code","message"}` of the Sync docs' example.
    Legacy,
}

/// The short-clip APIs' settings of an emulator.
#[derive(Clone, Debug, Default)]
pub(super) struct ClipOptions {
    pub shape: ClipErrorShape,
    /// The `llm_error` every dictation reports instead of its clean-up.
    pub llm_error: Option<String>,
}

/// The route a path takes, when it is one of these services'.
pub(super) fn route(path: &str) -> Option<(ClipService, &str)> {
    if let Some(rest) = path.strip_prefix("/sync") {
        return Some((ClipService::Sync, rest));
    }
    path.strip_prefix("/dictation")
        .map(|rest| (ClipService::Dictation, rest))
}

/// The longest audio each route takes.
fn max_duration(service: ClipService, path: &str) -> Duration {
    match (service, path) {
        (ClipService::Dictation, "/v1/transcribe") => Duration::from_secs(20 * 60),
        _ => Duration::from_secs(120),
    }
}

/// The most bytes Sync takes (40 MB).
const SYNC_MAX_BYTES: u64 = 40_000_000;

/// An error body in the configured shape; `code` is the `error_code` the
/// legacy shape carries and the title snake-cases to.
pub(super) fn error(shape: ClipErrorShape, status: u16, title: &str, detail: &str) -> Response {
    let mut response = match shape {
        ClipErrorShape::Problem => Response::json(
            status,
            &json!({"status": status, "title": title, "detail": detail}),
        ),
        ClipErrorShape::Legacy => Response::json(
            status,
            &json!({
                "error_code": title.to_lowercase().replace(' ', "_"),
                "message": detail,
            }),
        ),
    };
    response.content_type = "application/json".into();
    response
}

/// The request-parse error both services send in the one shape.
fn not_a_form() -> Response {
    Response::json(
        400,
        &json!({
            "error": "request must be multipart/form-data with a `config` part followed by an `audio` part",
            "error_code": "bad_request",
        }),
    )
}

/// Serves one request to these services on the connection; returns whether
/// the connection may serve another.
#[allow(clippy::too_many_arguments)] // one request's pieces, as `conn::serve` holds them
pub(super) fn serve(
    shared: &Shared,
    service: ClipService,
    path: &str,
    head: Head,
    framing: Framing,
    at: Instant,
    reader: &mut impl BufRead,
    writer: &mut &TcpStream,
) -> io::Result<()> {
    let options = lock(&shared.clip_options).clone();
    let shape = options.shape;
    let route = path.to_owned();
    let early = early_answer(shared, service, &route, &head, shape);
    // A request answered before its body ends is recorded as it is answered,
    // with the body received so far: a client may act on the answer (and a
    // test count requests) before the rest has been read and dropped.
    let record = |body: &http::BodySummary| {
        let request = head.clone().record(body.clone(), framing, at);
        super::conn::remember(shared, &request);
    };
    let mut answered = early.is_some();
    if let Some(response) = &early {
        record(&http::read_body(
            &mut io::empty(),
            Framing::Length(0),
            None,
            false,
        )?);
        response.write_to(writer, false)?;
    }
    let mut form = head
        .header("content-type")
        .and_then(clip_form::boundary)
        .map(|b| FormStream::new(&b));
    let limit = max_duration(service, &route);
    let max_bytes = (service == ClipService::Sync).then_some(SYNC_MAX_BYTES);
    let body = http::read_body_observed(
        reader,
        framing,
        None,
        shared.hash_bodies,
        &mut |bytes, so_far| {
            let Some(form) = form.as_mut() else {
                return Ok(());
            };
            form.feed(bytes);
            if answered {
                return Ok(());
            }
            let over = form.parts().and_then(|parts| {
                let seen = form.audio_seen();
                let audio = Audio::read(parts, form.audio_prefix(), seen);
                if let Some(max) = max_bytes.filter(|&max| seen > max) {
                    return Some(format!("audio size {seen} bytes exceeds limit {max} bytes"));
                }
                let duration = audio.duration.filter(|&duration| duration > limit)?;
                Some(format!(
                    "audio duration {} ms exceeds limit {} ms",
                    duration.as_millis(),
                    limit.as_millis()
                ))
            });
            if let Some(detail) = over {
                let response = error(shape, 413, "Audio Too Large", &detail);
                // Mid-upload, as the service answers: the rest is read and dropped.
                record(so_far);
                response.write_to(writer, false)?;
                answered = true;
            }
            Ok(())
        },
    )?;
    if answered {
        return Ok(());
    }
    let request = head.record(body, framing, at);
    super::conn::remember(shared, &request);
    let response = match (&form, request.method.as_str()) {
        (_, "GET") => Response::error(404, "Not found"),
        (None, _) => not_a_form(),
        (Some(form), _) => answer(service, &route, form, &options),
    };
    response.write_to(writer, false)
}

/// What is answered before the body is read: warm-ups, unknown routes,
/// a missing or wrong key, Sync's missing model header.
fn early_answer(
    shared: &Shared,
    service: ClipService,
    path: &str,
    head: &Head,
    shape: ClipErrorShape,
) -> Option<Response> {
    let transcribe = match (service, head.method.as_str(), path) {
        (_, "GET", "/warm" | "/v1/warm") => {
            return Some(Response::json(200, &json!({"warm": "toasty"})));
        }
        (_, "POST", "/v1/transcribe" | "/v1/transcribe/live" | "/v1/transcribe/stream") => true,
        (ClipService::Sync, "POST", "/transcribe") => true,
        _ => false,
    };
    if !transcribe {
        return Some(error(shape, 404, "Not Found", "no such route"));
    }
    let key = key_of(service, head);
    if key.is_empty() {
        return Some(error(
            shape,
            401,
            "Unauthorized",
            "Missing Authorization header",
        ));
    }
    if shared.state().project_of(&key).is_none() {
        return Some(error(shape, 401, "Unauthorized", "Invalid API key"));
    }
    if service == ClipService::Sync && head.header("x-aai-model").is_none_or(str::is_empty) {
        return Some(error(
            shape,
            400,
            "Bad Request",
            "the X-AAI-Model header is required (e.g. universal-3-5-pro)",
        ));
    }
    None
}

/// The key a request carries: the raw `Authorization` header; Sync also
/// takes a `Bearer ` prefix or `?token=` (the header wins).
fn key_of(service: ClipService, head: &Head) -> String {
    let header = head.header("authorization").unwrap_or("").trim();
    if service == ClipService::Sync {
        if let Some(token) = header.strip_prefix("Bearer ") {
            return token.trim().to_owned();
        }
        if header.is_empty() {
            let query = http::parse_query(&head.raw_query);
            if let Some((_, token)) = query.into_iter().find(|(name, _)| name == "token") {
                return token;
            }
        }
    }
    header.to_owned()
}

/// The answer to a whole, well-framed request.
fn answer(service: ClipService, path: &str, form: &FormStream, options: &ClipOptions) -> Response {
    let shape = options.shape;
    let live = path != "/v1/transcribe" || service == ClipService::Sync;
    let (Some(parts), None) = (form.parts(), form.failed) else {
        return not_a_form();
    };
    if live && parts.config.is_none() {
        return not_a_form();
    }
    let config = match parts.config.as_deref().map(serde_json::from_slice::<Value>) {
        None => json!({}),
        Some(Ok(config @ Value::Object(_))) => config,
        Some(_) => return error(shape, 400, "Bad Request", "config is not a JSON object"),
    };
    let Some(audio_len) = form.audio_len() else {
        return not_a_form();
    };
    let audio = Audio::read(parts, form.audio_prefix(), audio_len);
    let reply = match service {
        ClipService::Sync => clip_reply::sync(&config, &audio),
        ClipService::Dictation => clip_reply::dictation(&config, &audio, live, options),
    };
    reply.unwrap_or_else(|(status, title, detail)| error(shape, status, title, &detail))
}
