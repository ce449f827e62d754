//! The v2 API's routes: authentication, then one handler per endpoint.

use serde_json::{Value, json};

use super::Shared;
use super::content;
use super::exports;
use super::http::{RecordedRequest, Response};
use super::ids::new_id;
use super::jobs::{Kind, Source, UploadRecord, in_progress, redacted_audio};
use super::list;
use super::media;

/// Options the API type-checks; it answers e.g. "format_text must be a Boolean".
const BOOLEAN_PARAMS: [&str; 19] = [
    "punctuate",
    "format_text",
    "disfluencies",
    "filter_profanity",
    "multichannel",
    "speaker_labels",
    "language_detection",
    "redact_pii",
    "redact_pii_audio",
    "redact_pii_return_unredacted",
    "content_safety",
    "iab_categories",
    "auto_highlights",
    "entity_detection",
    "sentiment_analysis",
    "auto_chapters",
    "summarization",
    "custom_topics",
    "speed_boost",
];

/// One authenticated request being answered.
struct Call<'a> {
    shared: &'a Shared,
    req: &'a RecordedRequest,
    project: String,
}

/// Answers a request that no fault intercepted.
pub(super) fn handle(shared: &Shared, req: &RecordedRequest) -> Response {
    let segments: Vec<&str> = req.path.split('/').skip(1).collect();
    match (req.method.as_str(), segments.as_slice()) {
        ("GET", ["redacted", file]) => return redacted_file(shared, file),
        ("GET", ["v3", "token"]) => return super::streaming::token(shared, req),
        (_, ["v1", ..]) => return super::gateway::handle(shared, req),
        (_, ["v2", ..]) => {}
        _ => return Response::error(404, "Not found"),
    }
    let key = req.header("authorization").unwrap_or("");
    let Some(project) = shared.state().project_of(key) else {
        return Response::error(401, "Authentication error, API token missing/invalid");
    };
    let call = Call {
        shared,
        req,
        project,
    };
    let result = match (req.method.as_str(), &segments[1..]) {
        ("POST", ["upload"]) => call.upload(),
        ("POST", ["transcript"]) => call.create(),
        ("GET", ["transcript"]) => call.list(),
        ("GET", ["transcript", id]) => call.get(id),
        ("DELETE", ["transcript", id]) => call.delete(id),
        ("GET", ["transcript", id, export]) => call.export(id, export),
        _ => Err(Response::error(404, "Not found")),
    };
    result.unwrap_or_else(|error_response| error_response)
}

/// The redacted audio "S3" URL: no auth, like a pre-signed URL.
fn redacted_file(shared: &Shared, file: &str) -> Response {
    let (id, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    let known = shared.state().jobs.iter().any(|j| j.spec.id == id);
    match (known, ext) {
        (true, "mp3") => Response::new(200, "audio/mpeg", redacted_audio(id)),
        (true, "wav") => Response::new(200, "audio/wav", redacted_audio(id)),
        _ => Response::error(404, "Not found"),
    }
}

pub(super) fn bad_request(message: &str) -> Response {
    Response::error(400, message)
}

impl Call<'_> {
    fn upload(&self) -> Result<Response, Response> {
        if self.req.body_len == 0 {
            return Err(bad_request("Upload failed: the file is empty"));
        }
        let url = format!("{}/files/{}", self.shared.base_url, new_id());
        let record = UploadRecord {
            url: url.clone(),
            len: self.req.body_len,
            fnv: self.req.body_fnv,
            chunked: self.req.chunked,
        };
        let media = media::sniff(&self.req.body_prefix, self.req.body_len);
        self.shared
            .state()
            .uploads
            .push((record, self.project.clone(), media));
        Ok(Response::json(200, &json!({ "upload_url": url })))
    }

    fn create(&self) -> Result<Response, Response> {
        let Ok(Value::Object(mut echo)) = serde_json::from_slice::<Value>(&self.req.body) else {
            return Err(bad_request("Request body must be a JSON object"));
        };
        let Some(audio_url) = echo
            .get("audio_url")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return Err(bad_request("audio_url is required and must be a string"));
        };
        let account_model = self.shared.state().account_model.clone();
        let model = super::models::choose(&echo, &account_model)?;
        for name in BOOLEAN_PARAMS {
            if echo
                .get(name)
                .is_some_and(|v| !v.is_boolean() && !v.is_null())
            {
                return Err(bad_request(&format!("{name} must be a Boolean")));
            }
        }
        // Both need PII redaction on; the API's wording is not documented (§8.1).
        for name in ["redact_static_entities", "redact_pii_return_unredacted"] {
            let asked = echo
                .get(name)
                .is_some_and(|v| !v.is_null() && *v != json!(false));
            if asked && echo.get("redact_pii") != Some(&json!(true)) {
                return Err(bad_request(&format!(
                    "{name} requires redact_pii to be true"
                )));
            }
        }
        // Shown once the job completes (see `content::transcript`).
        echo.insert("speech_model_used".into(), json!(model));
        let mut state = self.shared.state();
        let upload = state.uploads.iter().find(|(u, _, _)| u.url == audio_url);
        if upload.is_some_and(|(_, project, _)| *project != self.project) {
            return Err(Response::error(403, "Cannot access uploaded file"));
        }
        let source = match upload {
            _ if !state.realistic => Source::Unshaped,
            Some((_, _, media)) => Source::Upload(media.clone()),
            None => Source::Url(audio_url.clone()),
        };
        // The API never echoes the webhook secret, only whether one was given.
        let secret = echo.remove("webhook_auth_header_value");
        let auth =
            secret.is_some_and(|v| v.is_string()) && echo["webhook_auth_header_name"].is_string();
        echo.insert("webhook_auth".into(), json!(auth));
        let script = state.next_script();
        let id = new_id();
        let mut queued = content::transcript(&id, "queued", &echo, None, None);
        state.push_job(
            &self.project,
            id,
            Kind::Scripted {
                echo,
                script,
                source,
            },
        );
        state.schedule(std::time::Instant::now());
        if state.jobs.last().is_some_and(|job| job.throttled()) {
            queued.insert("throttled".into(), json!(true));
        }
        Ok(Response::json(200, &Value::Object(queued)))
    }

    fn get(&self, id: &str) -> Result<Response, Response> {
        let view = {
            let mut state = self.shared.state();
            let i = state.find(&self.project, id)?;
            let job = &mut state.jobs[i];
            job.polls = job.polls.saturating_add(1);
            job.view()
        };
        // Outside the lock: the first completed GET of a long transcript builds megabytes.
        Ok(Response::new(200, "application/json", view.bytes()))
    }

    fn delete(&self, id: &str) -> Result<Response, Response> {
        let mut state = self.shared.state();
        let i = state.find(&self.project, id)?;
        let job = &mut state.jobs[i];
        let status = job.status();
        if in_progress(&status) {
            return Err(bad_request(&format!(
                "Transcript is {status}; it can be deleted once completed or failed"
            )));
        }
        job.deleted = true;
        Ok(Response::json(200, &content::deleted(id, &status)))
    }

    fn list(&self) -> Result<Response, Response> {
        let mut state = self.shared.state();
        let page = list::page(&mut state, &self.project, &self.shared.base_url, self.req)?;
        Ok(Response::json(200, &page))
    }

    fn export(&self, id: &str, export: &str) -> Result<Response, Response> {
        let exports = [
            "srt",
            "vtt",
            "sentences",
            "paragraphs",
            "word-search",
            "redacted-audio",
        ];
        if !exports.contains(&export) {
            return Err(Response::error(404, "Not found"));
        }
        let chars_per_caption = match self.req.query_param("chars_per_caption") {
            None => exports::DEFAULT_CHARS_PER_CAPTION,
            Some(v) => v
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| bad_request("chars_per_caption must be a positive integer"))?,
        };
        let view = {
            let mut state = self.shared.state();
            let i = state.find(&self.project, id)?;
            let job = &mut state.jobs[i];
            let status = job.status();
            if job.deleted {
                return Err(bad_request("Transcript has been deleted"));
            }
            if status != "completed" {
                return Err(bad_request(&format!(
                    "Transcript is not completed (status: {status})"
                )));
            }
            if export == "redacted-audio" {
                return Ok(job.redacted_audio(&self.shared.base_url));
            }
            job.view()
        };
        let transcript = view.value();
        let body = match export {
            "srt" | "vtt" => {
                let text = exports::subtitles(&transcript, export == "vtt", chars_per_caption);
                return Ok(Response::new(
                    200,
                    "text/plain; charset=utf-8",
                    text.into_bytes(),
                ));
            }
            "sentences" => exports::sentences(&transcript),
            "paragraphs" => exports::paragraphs(&transcript),
            _ => {
                let Some(terms) = self.req.query_param("words") else {
                    return Err(bad_request(
                        "words is required: comma-separated words or phrases",
                    ));
                };
                exports::word_search(&transcript, terms)
            }
        };
        Ok(Response::json(200, &body))
    }
}
