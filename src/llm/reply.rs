//! What `POST /v1/chat/completions` answers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::loose::{loose, loose_list};

/// A chat completion (`POST /v1/chat/completions`).
///
/// Serializing it gives back the reply as sent, fields this crate does not
/// know included (`extra`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatReply {
    /// The gateway's id for this request, to quote to support.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// The answers; usually one. A reply may spread over several.
    #[serde(default, deserialize_with = "loose_list")]
    pub choices: Vec<Choice>,
    /// What was sent to the model that answered, as the gateway reports it
    /// (the model among them, after any fallback).
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub request: Option<Map<String, Value>>,
    /// Tokens spent.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub usage: Option<Usage>,
    /// The model that answered, when the reply names it at the top level.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub model: Option<String>,
    /// Everything else the gateway sent (`response_time` in nanoseconds,
    /// `http_status_code`, ...), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatReply {
    /// The answer's text: the content of every choice, joined.
    pub fn text(&self) -> String {
        self.choices
            .iter()
            .filter_map(|choice| choice.message.as_ref())
            .map(AssistantMessage::text)
            .collect::<Vec<_>>()
            .join("")
    }

    /// The model that answered: the top-level `model`, else the one in
    /// `request` (after any fallback the gateway made).
    pub fn model_used(&self) -> Option<&str> {
        self.model.as_deref().or_else(|| {
            self.request
                .as_ref()
                .and_then(|request| request.get("model"))
                .and_then(Value::as_str)
        })
    }

    /// The tool calls the model made, from every choice.
    pub fn tool_calls(&self) -> Vec<&Value> {
        self.choices
            .iter()
            .filter_map(|choice| choice.message.as_ref())
            .flat_map(|message| message.tool_calls.iter())
            .collect()
    }
}

/// One answer of a [`ChatReply`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Choice {
    /// Its position among the choices.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub index: Option<u32>,
    /// Why the model stopped, in its provider's words (`stop`, `end_turn`,
    /// `tool_calls`, `length`, ...).
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub finish_reason: Option<String>,
    /// The answer.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<AssistantMessage>,
    /// Anything else, kept as sent (the March spec's `tool_calls` here).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The model's message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AssistantMessage {
    /// `assistant`.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    /// The text, or content parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
    /// Functions the model asks to call.
    #[serde(
        default,
        deserialize_with = "loose_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tool_calls: Vec<Value>,
    /// Anything else, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AssistantMessage {
    /// The text: the content string, or its text parts joined.
    pub fn text(&self) -> String {
        content_text(self.content.as_ref())
    }
}

/// The text of a message content: a string, or `[{"type":"text","text":...}]`.
pub(crate) fn content_text(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|part| part.get("text").and_then(Value::as_str))
            .collect(),
        _ => String::new(),
    }
}

/// Tokens spent, under either pair of names the gateway uses: its own
/// `input_tokens`/`output_tokens` (the spec) or OpenAI's
/// `prompt_tokens`/`completion_tokens` (the Node SDK, and streamed replies).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Usage {
    /// Tokens read, the gateway's name.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub input_tokens: Option<u64>,
    /// Tokens written, the gateway's name.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_tokens: Option<u64>,
    /// Tokens read, OpenAI's name.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub prompt_tokens: Option<u64>,
    /// Tokens written, OpenAI's name.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub completion_tokens: Option<u64>,
    /// Both together.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_tokens: Option<u64>,
    /// Details (`prompt_tokens_details`, ...), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Usage {
    /// Tokens read, by whichever name the reply used.
    pub fn input(&self) -> Option<u64> {
        self.input_tokens.or(self.prompt_tokens)
    }

    /// Tokens written, by whichever name the reply used.
    pub fn output(&self) -> Option<u64> {
        self.output_tokens.or(self.completion_tokens)
    }

    /// Both together: `total_tokens`, else the sum of the two.
    pub fn total(&self) -> Option<u64> {
        self.total_tokens
            .or_else(|| Some(self.input()? + self.output()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_usage_spellings_parse_to_the_same_counts() {
        let gateway: Usage =
            serde_json::from_str(r#"{"input_tokens":150,"output_tokens":200}"#).unwrap();
        let openai: Usage =
            serde_json::from_str(r#"{"prompt_tokens":150,"completion_tokens":200}"#).unwrap();
        for usage in [gateway, openai] {
            assert_eq!(
                (usage.input(), usage.output(), usage.total()),
                (Some(150), Some(200), Some(350))
            );
        }
    }

    #[test]
    fn a_reply_with_nulls_and_odd_fields_keeps_its_answer() {
        let reply: ChatReply = serde_json::from_str(
            r#"{"request_id":"r1","choices":[{"index":0,"finish_reason":"end_turn",
                "message":{"role":"assistant","content":"Paris.","tool_calls":null}}],
                "request":{"model":"claude-x"},"usage":"n/a","response_time":275510459}"#,
        )
        .unwrap();
        assert_eq!(reply.text(), "Paris.");
        assert_eq!(reply.model_used(), Some("claude-x"));
        assert_eq!(reply.usage, None);
        assert_eq!(reply.extra["response_time"], 275510459);
        assert!(reply.tool_calls().is_empty());
    }
}
