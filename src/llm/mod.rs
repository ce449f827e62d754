//! The LLM Gateway (`llm-gateway.assemblyai.com`, LeMUR's successor): chat
//! completions over a transcript, the model catalogue, and Speech
//! Understanding on finished transcripts. Methods of the one [`Client`], on
//! its request path: the same key, retries, deadline and reply cap.
//!
//! ```no_run
//! use assemblyai::Client;
//! use assemblyai::llm::{ChatRequest, Message};
//!
//! let client = Client::from_env()?;
//! // The catalogue changes monthly: pick a model from it rather than by name.
//! let models = client.models()?;
//! let model = &models.data[0].id;
//! let request = ChatRequest::new(model.as_str())
//!     .message(Message::user("List the action items.\n\n{{ transcript }}"))
//!     .transcript("5551722-f677-48a6-9287-39c0aafd9ac1");
//! println!("{}", client.chat(&request)?.text());
//! # Ok::<(), assemblyai::Error>(())
//! ```
//!
//! # Hosts
//!
//! The gateway has a host per region ([`Service::LlmGateway`]); a client of
//! the EU REST host talks to the EU gateway. A base URL that is not
//! AssemblyAI's (the emulator) serves the gateway itself.
//!
//! # Rate limit
//!
//! The gateway allows 30 requests a minute per model (and 30 a minute to
//! `/v1/understanding`). Every clone of a client shares one budget per
//! model ([`ClientBuilder::model_requests_per_minute`]), so threads wait
//! their turn instead of meeting 429; a 429 that comes anyway pauses the
//! model's budget for its `Retry-After` or `X-RateLimit-Reset`.
//!
//! # Paid requests
//!
//! A chat or understanding request is billed once the gateway acts on it, so
//! it is retried only when the failure proves it was not acted on (429, 503,
//! no connection): an answer is never paid for twice by the client.
//!
//! [`ClientBuilder::model_requests_per_minute`]: crate::ClientBuilder::model_requests_per_minute

mod limits;
mod loose;
mod models;
mod reply;
mod request;
mod stream;
mod understand;

pub use limits::DOCUMENTED_MODEL_REQUESTS_PER_MINUTE;
pub(crate) use limits::ModelLimits;
pub use models::{Model, ModelList, Price, Pricing};
pub use reply::{AssistantMessage, ChatReply, Choice, Usage};
pub use request::{
    ChatRequest, Fallback, FallbackConfig, JsonSchema, Message, Reasoning, ResponseFormat, Tool,
    ToolChoice,
};
pub use stream::{ChatChunk, ChatStream, ChunkChoice};
pub use understand::Understanding;

use crate::request::{Call, Payload, Safety, check_transcript_id};
use crate::{Client, Error, Result, Service, SpeechUnderstandingRequest};

impl Client {
    /// Asks a model: `POST /v1/chat/completions` on the LLM Gateway.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the request names no model or has neither
    /// messages nor a prompt (nothing is sent); [`Error::Api`] with the
    /// gateway's message and [`request_id`](Error::request_id) (an unknown
    /// model, a deleted transcript, a wrong key); transport errors.
    pub fn chat(&self, request: &ChatRequest) -> Result<ChatReply> {
        let call = self.chat_call(request, false)?;
        let reply = self.fetch(call)?;
        self.decode(&reply)
    }

    /// Asks a model and streams its answer: an iterator of [`ChatChunk`]s,
    /// each as the gateway sends it (`stream: true`; the gateway streams
    /// OpenAI-routed models).
    ///
    /// ```no_run
    /// use std::io::Write;
    /// use assemblyai::llm::{ChatRequest, Message};
    ///
    /// let client = assemblyai::Client::from_env()?;
    /// let request = ChatRequest::new("gpt-5-mini").message(Message::user("Hello"));
    /// for chunk in client.chat_stream(&request)? {
    ///     print!("{}", chunk?.text());
    ///     std::io::stdout().flush().ok();
    /// }
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`chat`](Self::chat) up to the reply's headers; then each item can
    /// fail, the last with a clear error when the stream is cut short.
    pub fn chat_stream(&self, request: &ChatRequest) -> Result<ChatStream> {
        let mut call = self.chat_call(request, true)?;
        let response = self.open(&mut call)?;
        let body = response.into_body().into_reader();
        let key_client = self.clone();
        Ok(ChatStream::new(
            Box::new(body),
            self.shared.max_reply_bytes,
            Box::new(move |text| key_client.redact(text)),
        ))
    }

    /// The gateway's models: `GET /v1/models`, which needs no key.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] and transport errors.
    pub fn models(&self) -> Result<ModelList> {
        let call = Call::get("/v1/models".to_owned())
            .on(Service::LlmGateway)
            .without_key();
        let reply = self.fetch(call)?;
        self.decode(&reply)
    }

    /// Runs Speech Understanding tasks on the finished transcript `id`
    /// (`POST /v1/understanding`), without transcribing it again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an id that is not one; [`Error::Api`] for
    /// a transcript that is unknown or deleted (404), a task the gateway
    /// refuses (400, its reasons in the message), a wrong key.
    pub fn understand(
        &self,
        id: &str,
        request: &SpeechUnderstandingRequest,
    ) -> Result<Understanding> {
        let reply = self.fetch(self.understanding_call("/v1/understanding", id, request)?)?;
        self.decode(&reply)
    }

    /// Checks Speech Understanding tasks for transcript `id` without running
    /// them (`POST /v1/understanding/validate`): `Ok` when the gateway would
    /// accept them.
    ///
    /// # Errors
    ///
    /// As [`understand`](Self::understand): a refused request is an
    /// [`Error::Api`] whose message lists the gateway's reasons.
    pub fn validate_understanding(
        &self,
        id: &str,
        request: &SpeechUnderstandingRequest,
    ) -> Result<()> {
        // Valid is a 200 with an empty body (api-2026.md §8.2).
        let call = self.understanding_call("/v1/understanding/validate", id, request)?;
        self.fetch(call.answered_without_body())?;
        Ok(())
    }

    fn chat_call<'a>(&self, request: &'a ChatRequest, stream: bool) -> Result<Call<'a>> {
        if request.model.trim().is_empty() {
            return Err(Error::invalid_input(
                "the chat request names no model: set ChatRequest::model to one of the ids \
                 Client::models lists (aai models)",
            ));
        }
        if request.messages.is_empty() && request.prompt.is_none() {
            return Err(Error::invalid_input(
                "the chat request has neither messages nor a prompt: add one",
            ));
        }
        let mut body = request.clone();
        body.stream = stream.then_some(true);
        let json = serde_json::to_vec(&body).map_err(|err| {
            Error::invalid_input(format!("cannot encode the chat request: {err}"))
        })?;
        let call = Call::post("/v1/chat/completions", Payload::Json(json), Safety::Paid)
            .on(Service::LlmGateway)
            .limited_by(self.shared.model_limits.of(&request.model))
            .within(self.deadline);
        // An error about the transcript asked about names it.
        let call = match request.transcript_id.as_deref() {
            Some(id) => call.about(id),
            None => call,
        };
        Ok(if stream {
            call.accepting("text/event-stream")
        } else {
            call
        })
    }

    fn understanding_call<'a>(
        &self,
        path: &'static str,
        id: &'a str,
        request: &SpeechUnderstandingRequest,
    ) -> Result<Call<'a>> {
        check_transcript_id(id)?;
        let body = understand::UnderstandingBody {
            transcript_id: id,
            speech_understanding: request,
        };
        let json = serde_json::to_vec(&body).map_err(|err| {
            Error::invalid_input(format!("cannot encode the understanding request: {err}"))
        })?;
        Ok(Call::post(path, Payload::Json(json), Safety::Paid)
            .on(Service::LlmGateway)
            .limited_by(self.shared.model_limits.of(limits::UNDERSTANDING))
            .within(self.deadline)
            .about(id))
    }
}
