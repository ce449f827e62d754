//! The short-clip APIs' error bodies: RFC 9457 problem details
//! (`{"status":413,"title":"Audio Too Large","detail":"..."}`, what the SDKs
//! call the primary shape) and the legacy `{"error_code":"audio_too_large",
//! "message":"..."}` (the docs' example), with `{"detail"}` and `{"error"}`
//! seen for auth and parse errors. Read as the official Python SDK does
//! (`assemblyai/sync/v1/api.py`, `_error_from_response`): `error_code`, else
//! the `title` snake-cased; `detail`, else `message`, else `error`.

use serde_json::Value;
use ureq::Body;
use ureq::http::Response;

use crate::reply::{describe_body, error_body, retry_after};
use crate::types::string_enum::string_enum;
use crate::{Client, Error, Service};

string_enum! {
    /// What kind of failure a Sync STT or Dictation error reports
    /// ([`Error::Clip`]); the error tables of both APIs' docs.
    pub enum ClipErrorCode {
        /// Malformed WAV, misaligned PCM, or PCM without `sample_rate`/`channels` (400).
        BadAudio = "bad_audio",
        /// Shorter than 80 ms (400).
        AudioTooShort = "audio_too_short",
        /// No `audio` part, `config` not first, bad config JSON, a field over its cap (400).
        BadRequest = "bad_request",
        /// Longer than the route takes (120 s) or over 40 MB (413), maybe mid-upload.
        AudioTooLarge = "audio_too_large",
        /// Not WAV or PCM on a route that takes only those, not 16-bit, or an unsupported rate (415).
        UnsupportedMediaType = "unsupported_media_type",
        /// The account is at its concurrency cap (503, with `Retry-After`).
        CapacityExceeded = "capacity_exceeded",
        /// The model is starting (503).
        ServiceUnavailable = "service_unavailable",
        /// Over the server's deadline (504).
        InferenceTimeout = "inference_timeout",
        /// The model failed (500).
        InferenceError = "inference_error",
        /// A missing or wrong key (401).
        Unauthorized = "unauthorized",
        /// Over the rate limit (429, with `Retry-After`).
        TooManyRequests = "too_many_requests",
    }
}

impl Client {
    /// The error for a short-clip API's reply with a non-2xx status.
    pub(crate) fn clip_error(&self, service: Service, mut response: Response<Body>) -> Error {
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let (code, message) = match error_body(&mut response) {
            Ok(bytes) => read_problem(&bytes, &self.shared.key),
            Err(broke_off) => (None, broke_off),
        };
        Error::Clip {
            service,
            status,
            code,
            message: self.redact(message),
            retry_after,
        }
    }
}

/// The code and message of an error body in either shape, or a description
/// of a body in neither.
fn read_problem(bytes: &[u8], key: &str) -> (Option<ClipErrorCode>, String) {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(bytes) else {
        return (None, describe_body(bytes, key));
    };
    let text = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .filter(|text| !text.is_empty())
    };
    let code = text("error_code")
        .map(str::to_owned)
        .or_else(|| text("title").map(|title| title.to_lowercase().replace(' ', "_")))
        .map(|code| code.parse().unwrap_or(ClipErrorCode::Other(code)));
    let message = text("detail")
        .or_else(|| text("message"))
        .or_else(|| text("error"))
        .map_or_else(|| describe_body(bytes, key), str::to_owned);
    (code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_error_shapes_give_the_code_and_the_message() {
        let rfc = br#"{"status":413,"title":"Audio Too Large","detail":"audio is over 120 s"}"#;
        assert_eq!(
            read_problem(rfc, "k"),
            (
                Some(ClipErrorCode::AudioTooLarge),
                "audio is over 120 s".to_owned()
            )
        );
        let legacy = br#"{"error_code":"capacity_exceeded","message":"at capacity"}"#;
        assert_eq!(
            read_problem(legacy, "k"),
            (
                Some(ClipErrorCode::CapacityExceeded),
                "at capacity".to_owned()
            )
        );
        let parse =
            br#"{"error":"request must be multipart/form-data","error_code":"bad_request"}"#;
        assert_eq!(
            read_problem(parse, "k"),
            (
                Some(ClipErrorCode::BadRequest),
                "request must be multipart/form-data".to_owned()
            )
        );
        let new = br#"{"error_code":"quota_gone","detail":"no"}"#;
        assert_eq!(
            read_problem(new, "k").0,
            Some(ClipErrorCode::Other("quota_gone".to_owned()))
        );
        assert_eq!(read_problem(b"<html>502</html>", "k").0, None);
    }
}
