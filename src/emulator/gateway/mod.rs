//! The LLM Gateway, served on the emulator's port beside v2 (`/v1/...`), as it
//! answers since June 2026 (api-2026.md §4, §8.2): chat completions with
//! deterministic answers (`answer.rs`), JSON-schema replies, SSE streaming,
//! the model catalogue, post-hoc Speech Understanding, the flattened error
//! bodies and the per-model rate limit with its `X-RateLimit-*` headers.

mod answer;
mod chat;
mod errors;
mod models;
mod schema;
mod tasks;
mod understanding;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::http::{RecordedRequest, Response};
use super::rate::RateLimit;
use super::{Shared, lock};

pub(super) use models::default_catalogue;

/// The gateway's settings and its rate-limit windows.
pub(super) struct Gateway {
    /// What `GET /v1/models` lists; the models chat accepts.
    pub catalogue: Vec<Value>,
    /// Requests a model (and `/v1/understanding`) admits per `window`.
    pub per_model: u32,
    pub window: Duration,
    /// Models that fail with 500 (to exercise fallbacks).
    pub failing: Vec<String>,
    windows: Mutex<HashMap<String, RateLimit>>,
}

impl Gateway {
    pub fn new(
        catalogue: Vec<Value>,
        per_model: u32,
        window: Duration,
        failing: Vec<String>,
    ) -> Self {
        Gateway {
            catalogue,
            per_model: per_model.max(1),
            window,
            failing,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the catalogue lists `model`.
    pub fn serves(&self, model: &str) -> bool {
        self.catalogue.iter().any(|m| m["id"] == model)
    }

    /// Admits one request against `bucket`'s window: its `X-RateLimit-*`
    /// headers, or the 429 that refuses it.
    fn admit(&self, bucket: &str, request_id: &str) -> Result<Vec<(String, String)>, Response> {
        let mut windows = lock(&self.windows);
        let window = windows
            .entry(bucket.to_owned())
            .or_insert_with(|| RateLimit::new(self.per_model, self.window));
        let now = Instant::now();
        let admitted = window.admit(now);
        let headers = vec![
            ("X-RateLimit-Limit".to_owned(), window.max().to_string()),
            (
                "X-RateLimit-Remaining".to_owned(),
                window.remaining().to_string(),
            ),
            ("X-RateLimit-Reset".to_owned(), window.wait(now).to_string()),
        ];
        match admitted {
            Ok(()) => Ok(headers),
            Err(_) => {
                let mut response = errors::flat(429, "rate limit exceeded", &[], request_id);
                response.headers = headers;
                Err(response)
            }
        }
    }
}

/// One authenticated gateway request being answered.
struct Call<'a> {
    shared: &'a Shared,
    req: &'a RecordedRequest,
    project: String,
    request_id: String,
}

/// Answers a request to `/v1/...`.
pub(super) fn handle(shared: &Shared, req: &RecordedRequest) -> Response {
    let request_id = super::ids::new_id();
    let segments: Vec<&str> = req.path.split('/').skip(1).collect();
    // The catalogue is public (the docs' sample sends no key).
    if let ("GET", ["v1", "models"]) = (req.method.as_str(), segments.as_slice()) {
        return models::list(&shared.gateway);
    }
    let key = req.header("authorization").unwrap_or("");
    let Some(project) = shared.state().project_of(key) else {
        return errors::auth(&request_id);
    };
    let call = Call {
        shared,
        req,
        project,
        request_id,
    };
    let result = match (req.method.as_str(), segments.as_slice()) {
        ("POST", ["v1", "chat", "completions"]) => call.chat(),
        ("POST", ["v1", "understanding"]) => call.understanding(false),
        ("POST", ["v1", "understanding", "validate"]) => call.understanding(true),
        _ => Err(errors::flat(404, "not found", &[], &call.request_id)),
    };
    result.unwrap_or_else(|response| response)
}

impl Call<'_> {
    /// The request body as a JSON object, or the gateway's 400.
    fn body(&self) -> Result<serde_json::Map<String, Value>, Response> {
        match serde_json::from_slice(&self.req.body) {
            Ok(Value::Object(body)) => Ok(body),
            _ => Err(self.invalid(&["request body must be a JSON object"])),
        }
    }

    /// 400 `invalid request body` with `reasons`.
    fn invalid(&self, reasons: &[&str]) -> Response {
        errors::flat(400, "invalid request body", reasons, &self.request_id)
    }

    /// The text of this project's completed transcript `id`, or the
    /// gateway's 404 (unknown, another account's, deleted) or 400 (not done).
    fn transcript(&self, id: &str) -> Result<(Value, String), Response> {
        let mut state = self.shared.state();
        let not_found = |message| errors::flat(404, message, &[], &self.request_id);
        let Ok(i) = state.find(&self.project, id) else {
            return Err(not_found("transcript not found"));
        };
        let job = &mut state.jobs[i];
        if job.deleted {
            return Err(not_found("transcript deleted"));
        }
        let status = job.status();
        if status != "completed" {
            return Err(self.invalid(&[&format!(
                "transcript {id} is not completed (status: {status})"
            )]));
        }
        let transcript = job.view().value();
        let text = transcript["text"].as_str().unwrap_or_default().to_owned();
        Ok((transcript, text))
    }
}
