//! `POST /v1/chat/completions`.

use serde_json::{Map, Value, json};

use super::super::http::Response;
use super::answer;
use super::{Call, errors, schema};

impl Call<'_> {
    pub(super) fn chat(&self) -> Result<Response, Response> {
        let body = self.body()?;
        let gateway = &self.shared.gateway;
        let Some(model) = body.get("model").and_then(Value::as_str) else {
            return Err(self.invalid(&["model is required"]));
        };
        if !gateway.serves(model) {
            return Err(self.invalid(&[&format!("model {model} is not supported")]));
        }
        let headers = gateway.admit(model, &self.request_id)?;
        let mut messages = match (body.get("messages"), body.get("prompt")) {
            (Some(Value::Array(messages)), _) if !messages.is_empty() => messages.clone(),
            (_, Some(Value::String(prompt))) => vec![json!({"role": "user", "content": prompt})],
            _ => return Err(self.invalid(&["one of messages or prompt required"])),
        };
        if body
            .get("fallback_config")
            .and_then(|c| c["depth"].as_u64())
            .is_some_and(|depth| depth > 2)
        {
            return Err(self.invalid(&["fallback_config depth cannot be greater than 2"]));
        }
        if body
            .get("model_region")
            .is_some_and(|region| region != "global")
        {
            return Err(self.invalid(&["model_region can only be set to global"]));
        }
        let fallbacks: Vec<String> = body
            .get("fallbacks")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|f| f["model"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(unknown) = fallbacks.iter().find(|m| !gateway.serves(m)) {
            return Err(self.invalid(&[&format!("model {unknown} is not supported")]));
        }
        let schema = match body.get("response_format") {
            None | Some(Value::Null) => None,
            Some(format) if format["type"] == "json_schema" => {
                match format["json_schema"]["schema"].as_object() {
                    Some(_) => Some(format["json_schema"]["schema"].clone()),
                    None => {
                        return Err(self.invalid(&[
                            "response_format is invalid: json_schema.schema must be an object",
                        ]));
                    }
                }
            }
            Some(format) if format["type"] == "text" || format["type"] == "json_object" => None,
            Some(_) => {
                return Err(self.invalid(&["response_format is invalid: unknown type"]));
            }
        };

        let question = answer::question(&messages);
        let transcript = match body.get("transcript_id").and_then(Value::as_str) {
            Some(id) => {
                let (_, text) = self.transcript(id)?;
                answer::substitute(&mut messages, &text).then_some(text)
            }
            None => None,
        };

        // The first model that does not fail answers, up to the fallback depth.
        let depth = body
            .get("fallback_config")
            .and_then(|c| c["depth"].as_u64())
            .unwrap_or(2) as usize;
        let candidates = std::iter::once(model.to_owned()).chain(fallbacks.into_iter().take(depth));
        let Some(answering) = candidates
            .into_iter()
            .find(|m| !gateway.failing.contains(m))
        else {
            return Err(errors::flat(
                500,
                "model request failed",
                &[&format!("model {model} failed")],
                &self.request_id,
            ));
        };

        let input: u64 = messages
            .iter()
            .map(|m| answer::tokens(&answer::content_text(&m["content"])))
            .sum();
        let context = gateway
            .catalogue
            .iter()
            .find(|m| m["id"] == answering.as_str())
            .and_then(|m| m["context_length"].as_u64())
            .unwrap_or(u64::MAX);
        if input > context {
            return Err(self.invalid(&["model context limit exceeded"]));
        }
        let text = answer::answer(&question, &answering, transcript.as_deref());
        let content = match &schema {
            Some(schema) => schema::conforming(schema, &text).to_string(),
            None => text,
        };
        let output = answer::tokens(&content);
        let mut echo = Map::new();
        echo.insert("model".into(), json!(answering));
        for field in ["max_tokens", "temperature"] {
            if let Some(value) = body.get(field) {
                echo.insert(field.into(), value.clone());
            }
        }
        let streamed = body.get("stream") == Some(&Value::Bool(true));
        let mut response = if streamed {
            sse(&self.request_id, &answering, &content, input, output)
        } else {
            Response::json(
                200,
                &json!({
                    "request_id": self.request_id,
                    "choices": [{
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content, "tool_calls": null},
                    }],
                    "request": echo,
                    "usage": usage(input, output),
                    "http_status_code": 200,
                    "response_time": 1_000_000,
                    "llm_status_code": 200,
                }),
            )
        };
        response.headers = headers;
        Ok(response)
    }
}

/// Both pairs of names, as the newest SDK reads them (api-2026.md §4.2).
fn usage(input: u64, output: u64) -> Value {
    json!({
        "input_tokens": input, "output_tokens": output,
        "prompt_tokens": input, "completion_tokens": output,
        "total_tokens": input + output,
    })
}

/// The answer as server-sent events: a role chunk, a chunk per word, a last
/// chunk with `finish_reason` and the usage (OpenAI's names only, as a
/// streamed usage has), then `data: [DONE]`.
fn sse(id: &str, model: &str, content: &str, input: u64, output: u64) -> Response {
    let chunk = |delta: Value, finish: Value, usage: Option<Value>| {
        let mut chunk = json!({
            "id": id, "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        });
        if let Some(usage) = usage {
            chunk["usage"] = usage;
        }
        format!("data: {chunk}\n\n")
    };
    let mut body = chunk(
        json!({"role": "assistant", "content": ""}),
        Value::Null,
        None,
    );
    let mut rest = content;
    while !rest.is_empty() {
        // Words with the space after them, so the chunks join to the content.
        let end = rest.find(' ').map_or(rest.len(), |i| i + 1);
        body.push_str(&chunk(json!({"content": &rest[..end]}), Value::Null, None));
        rest = &rest[end..];
    }
    let usage = json!({"prompt_tokens": input, "completion_tokens": output, "total_tokens": input + output});
    body.push_str(&chunk(json!({}), json!("stop"), Some(usage)));
    body.push_str("data: [DONE]\n\n");
    Response::new(200, "text/event-stream", body.into_bytes())
}
