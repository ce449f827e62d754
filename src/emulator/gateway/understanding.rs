//! `POST /v1/understanding` and `/v1/understanding/validate`.

use serde_json::{Map, Value, json};

use super::super::http::Response;
use super::Call;
use super::tasks::{self, Parts};

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
        let Some(id) = body.get("transcript_id").and_then(Value::as_str) else {
            return Err(self.invalid(&["transcript_id is required"]));
        };
        let (transcript, _) = self.transcript(id)?;
        let mut parts = Parts::of(&transcript);
        let mut response = Map::new();
        let mut reasons = Vec::new();
        for (task, params) in &request {
            match tasks::run(task, params, &mut parts) {
                Ok(result) => {
                    response.insert(task.clone(), result);
                }
                Err(mut why) => reasons.append(&mut why),
            }
        }
        if !reasons.is_empty() {
            let reasons: Vec<&str> = reasons.iter().map(String::as_str).collect();
            return Err(self.invalid(&reasons));
        }
        let mut reply = if validate_only {
            Response::new(200, "application/json", Vec::new())
        } else {
            let mut reply = json!({
                "request_id": self.request_id,
                "speech_understanding": {"request": request, "response": response},
            });
            if let Some(texts) = parts.translated_texts {
                reply["translated_texts"] = Value::Object(texts);
            }
            if request.contains_key("speaker_identification")
                || request
                    .get("translation")
                    .is_some_and(|t| t["match_original_utterance"] == true)
            {
                reply["utterances"] = json!(parts.utterances);
                reply["words"] = json!(parts.words);
            }
            Response::json(200, &reply)
        };
        reply.headers = headers;
        Ok(reply)
    }
}
