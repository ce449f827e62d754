//! What `POST /v1/chat/completions` takes: an OpenAI-like request with the
//! gateway's own additions (`transcript_id`, `fallbacks`, `model_region`).
//! Only what the caller sets is sent, so the gateway's defaults decide the
//! rest; `extra` carries what this version does not know.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A chat completion request (`POST /v1/chat/completions`).
///
/// ```
/// use assemblyai::llm::{ChatRequest, Message};
///
/// let request = ChatRequest::new("claude-sonnet-4-6")
///     .message(Message::system("Answer in one sentence."))
///     .message(Message::user("What was promised? {{ transcript }}"))
///     .transcript("5551722-f677-48a6-9287-39c0aafd9ac1");
/// assert_eq!(serde_json::to_value(&request)?["transcript_id"], "5551722-f677-48a6-9287-39c0aafd9ac1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatRequest {
    /// The model's id as `/v1/models` lists it, e.g. `claude-sonnet-4-6`.
    pub model: String,
    /// The conversation; one of `messages` and `prompt` is required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
    /// A single user message, instead of `messages`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// The longest answer, in tokens. The gateway's default applies when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Sampling temperature, 0 to 2. The model's default applies when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// A transcript whose text the gateway puts in place of the first literal
    /// `{{ transcript }}` (with the spaces) of the first message holding one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_id: Option<String>,
    /// Models to try in order when `model` fails, each with optional
    /// overrides of this request's fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallbacks: Vec<Fallback>,
    /// How fallbacks and the gateway's own retry behave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_config: Option<FallbackConfig>,
    /// Constrains the answer, e.g. to JSON matching a schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// How much the model reasons before answering, where it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<Reasoning>,
    /// `"global"` routes outside the account's region, at a lower price.
    /// Left to the gateway when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_region: Option<String>,
    /// Tools (functions) the model may call, in the OpenAI shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// Whether and which tool the model must call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Set by [`Client::chat_stream`](crate::Client::chat_stream) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stream: Option<bool>,
    /// Fields this crate does not know yet, sent as given (and overriding
    /// the typed ones of the same name).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatRequest {
    /// A request to `model`; add messages or a prompt.
    pub fn new(model: impl Into<String>) -> Self {
        ChatRequest {
            model: model.into(),
            ..Self::default()
        }
    }

    /// The same request with `message` added to the conversation.
    pub fn message(mut self, message: Message) -> Self {
        self.messages.push(message);
        self
    }

    /// The same request about transcript `id` (see [`transcript_id`](Self::transcript_id)).
    pub fn transcript(mut self, id: impl Into<String>) -> Self {
        self.transcript_id = Some(id.into());
        self
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// Who speaks: `system`, `user`, `assistant` or `tool`.
    pub role: String,
    /// The text, or content parts (`[{"type": "text", "text": ...}]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
    /// A name for the speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The tool calls an assistant message made (when replaying one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<Value>,
    /// The call a `tool` message answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    /// Fields this crate does not know yet (`cache_control`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Message {
    /// A message from `role` saying `text`.
    pub fn new(role: impl Into<String>, text: impl Into<String>) -> Self {
        Message {
            role: role.into(),
            content: Some(Value::String(text.into())),
            ..Self::default()
        }
    }

    /// A system message: instructions for the model.
    pub fn system(text: impl Into<String>) -> Self {
        Message::new("system", text)
    }

    /// A user message.
    pub fn user(text: impl Into<String>) -> Self {
        Message::new("user", text)
    }

    /// An assistant message (an earlier answer, to continue a conversation).
    pub fn assistant(text: impl Into<String>) -> Self {
        Message::new("assistant", text)
    }
}

/// A model to try when the ones before it failed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Fallback {
    /// The model's id.
    pub model: String,
    /// Fields of the request to change for this model (`max_tokens`, ...).
    #[serde(flatten)]
    pub overrides: Map<String, Value>,
}

impl Fallback {
    /// Falls back to `model` with the same request.
    pub fn new(model: impl Into<String>) -> Self {
        Fallback {
            model: model.into(),
            overrides: Map::new(),
        }
    }
}

/// `fallback_config`: how far fallbacks go and whether the gateway retries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FallbackConfig {
    /// How many fallbacks to try at most (the gateway accepts up to 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    /// Whether the gateway retries a failed model once before falling back.
    /// The gateway's default (true) applies when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<bool>,
}

/// `response_format`: the shape the answer must take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFormat {
    /// `json_schema` for structured output.
    #[serde(rename = "type")]
    pub kind: String,
    /// The schema, for `json_schema`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<JsonSchema>,
}

impl ResponseFormat {
    /// An answer that is a JSON value matching `schema` (a JSON Schema
    /// object), called `name`.
    pub fn json_schema(name: impl Into<String>, schema: Value) -> Self {
        ResponseFormat {
            kind: "json_schema".to_owned(),
            json_schema: Some(JsonSchema {
                name: name.into(),
                schema,
                strict: None,
            }),
        }
    }
}

/// The schema of a `json_schema` response format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JsonSchema {
    /// A name for the schema.
    pub name: String,
    /// The JSON Schema the answer must match.
    pub schema: Value,
    /// Whether the model must follow the schema exactly. The gateway's
    /// default (false) applies when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// `reasoning`: an effort level or a token budget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reasoning {
    /// `low`, `medium` or `high`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
    /// The most tokens to spend reasoning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
}

/// A tool the model may call, in the OpenAI shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tool {
    /// `function`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The function: its name, description and JSON Schema parameters.
    pub function: Value,
}

impl Tool {
    /// A function tool called `name`, taking arguments that match `parameters`
    /// (a JSON Schema object).
    pub fn function(name: &str, description: &str, parameters: Value) -> Self {
        Tool {
            kind: "function".to_owned(),
            function: serde_json::json!({
                "name": name,
                "description": description,
                "parameters": parameters,
            }),
        }
    }
}

/// `tool_choice`: `"auto"`, `"none"`, or a function the model must call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ToolChoice {
    /// A mode by name: `auto` (the model decides) or `none`.
    Mode(String),
    /// A specific tool, e.g. `{"type": "function", "function": {"name": "f"}}`.
    Tool(Value),
}

impl ToolChoice {
    /// The model must call the function `name`.
    pub fn function(name: &str) -> Self {
        ToolChoice::Tool(serde_json::json!({"type": "function", "function": {"name": name}}))
    }
}
