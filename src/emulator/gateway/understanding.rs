//! `POST /v1/understanding` and `/v1/understanding/validate`.

use serde_json::{Value, json};

use super::super::http::Response;
use super::{Call, tasks};

/// The rate-limit bucket of the understanding endpoints, apart from models.
const BUCKET: &str = "/v1/understanding";

impl Call<'_> {
    pub(super) fn understanding(&self, validate_only: bool) -> Result<Response, Response> {
        let body = self.body()?;
        let headers = self.shared.gateway.admit(BUCKET, &self.request_id)?;
        let request = match body
            .get("speech_understanding")
            .and_then(|s| s.get("request"))
        {
            Some(Value::Object(request)) if !request.is_empty() => request.clone(),
            _ => {
                return Err(self.invalid(&[
                    "speech_understanding.request must be a non-empty object of tasks",
                ]));
            }
        };
        let reasons = tasks::refusals(&request);
        if !reasons.is_empty() {
            let reasons: Vec<&str> = reasons.iter().map(String::as_str).collect();
            return Err(self.invalid(&reasons));
        }
        let Some(id) = body.get("transcript_id").and_then(Value::as_str) else {
            return Err(self.invalid(&["transcript_id is required"]));
        };
        let (transcript, _) = self.transcript(id)?;
        let mut reply = if validate_only {
            Response::new(200, "application/json", Vec::new())
        } else {
            let done = tasks::run(&transcript, &request);
            let mut reply = json!({
                "request_id": self.request_id,
                "speech_understanding": done["speech_understanding"],
            });
            if let Some(texts) = done.get("translated_texts") {
                reply["translated_texts"] = texts.clone();
            }
            let touches_parts = request.contains_key("speaker_identification")
                || request
                    .get("translation")
                    .is_some_and(|t| t["match_original_utterance"] == true);
            if touches_parts {
                reply["utterances"] = done.get("utterances").cloned().unwrap_or(Value::Null);
                reply["words"] = done.get("words").cloned().unwrap_or(Value::Null);
            }
            Response::json(200, &reply)
        };
        reply.headers = headers;
        Ok(reply)
    }
}
