//! The LLM Gateway through the library, against the emulator's gateway: chat with a
//! transcript, structured output, streaming, fallbacks, the catalogue, post-hoc Speech
//! Understanding, every error envelope with its request id, and the per-model limit.

use std::time::Duration;

use assemblyai::emulator::Emulator;
use assemblyai::llm::{ChatRequest, Fallback, Message, ResponseFormat};
use assemblyai::{
    Client, Error, PollSchedule, RetryPolicy, SpeechUnderstandingRequest, TranscriptRequest,
    TranslationRequest, WaitOptions,
};
use serde_json::json;

const KEY: &str = "gateway-test-key";
const MODEL: &str = "claude-sonnet-4-6";

fn client(emulator: &Emulator) -> Client {
    Client::builder(KEY)
        .base_url(emulator.base_url())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap()
}

/// A completed transcript of the spec's example audio.
fn finished_transcript(client: &Client) -> String {
    let wait = WaitOptions::default().poll(PollSchedule::fixed(Duration::from_millis(5)));
    client
        .transcribe(
            "https://example.com/talk.mp3",
            &TranscriptRequest::default(),
            &wait,
        )
        .unwrap()
        .id
}

fn emulator() -> Emulator {
    Emulator::builder().key(KEY).start().unwrap()
}

#[test]
fn a_question_about_a_transcript_is_answered_from_its_text() {
    let emulator = emulator();
    let client = client(&emulator);
    let id = finished_transcript(&client);
    let request = ChatRequest::new(MODEL)
        .message(Message::user("What is this about?\n\n{{ transcript }}"))
        .transcript(&id);
    let reply = client.chat(&request).unwrap();

    assert_eq!(
        reply.text().split(" from ").next(),
        Some("\"What is this about?\" answered by claude-sonnet-4-6")
    );
    assert!(
        reply.text().contains("\"Smoke from hundreds of wildfires"),
        "{}",
        reply.text()
    );
    assert!(reply.request_id.is_some());
    assert_eq!(reply.model_used(), Some(MODEL));
    let usage = reply.usage.unwrap();
    assert!(
        usage.input().unwrap() > 100,
        "the transcript's words were counted"
    );
    let sent = &emulator.requests_to("POST", "/v1/chat/completions")[0];
    assert_eq!(sent.header("authorization"), Some(KEY));
    assert_eq!(sent.json()["transcript_id"], json!(id));
    assert!(
        sent.json().get("stream").is_none(),
        "nothing unasked is sent"
    );
}

#[test]
fn a_json_schema_reply_is_an_object_matching_the_schema() {
    let emulator = emulator();
    let client = client(&emulator);
    let schema = json!({"type": "object", "properties": {"topic": {"type": "string"}, "urgent": {"type": "boolean"}}, "required": ["topic", "urgent"]});
    let mut request = ChatRequest::new(MODEL).message(Message::user("Classify"));
    request.response_format = Some(ResponseFormat::json_schema("call", schema));
    let reply = client.chat(&request).unwrap();
    let answer: serde_json::Value = serde_json::from_str(&reply.text()).unwrap();
    assert!(answer["topic"].is_string());
    assert_eq!(answer["urgent"], json!(true));
}

#[test]
fn a_streamed_answer_joins_to_the_same_text_as_a_whole_one() {
    let emulator = emulator();
    let client = client(&emulator);
    let request = ChatRequest::new("gpt-5-mini").message(Message::user("Say something"));
    let whole = client.chat(&request).unwrap().text();
    let chunks: Vec<_> = client
        .chat_stream(&request)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(chunks.len() > 2);
    let streamed: String = chunks.iter().map(|c| c.text()).collect();
    assert_eq!(streamed, whole);
    let sent = emulator.requests_to("POST", "/v1/chat/completions");
    assert_eq!(sent[1].json()["stream"], json!(true));
    assert_eq!(sent[1].header("accept"), Some("text/event-stream"));
}

#[test]
fn a_failing_model_is_answered_by_its_fallback() {
    let emulator = Emulator::builder()
        .key(KEY)
        .gateway_failing_model(MODEL)
        .start()
        .unwrap();
    let client = client(&emulator);
    let mut request = ChatRequest::new(MODEL).message(Message::user("Hi"));
    request.fallbacks = vec![Fallback::new("gpt-5-mini")];
    let reply = client.chat(&request).unwrap();
    assert_eq!(reply.model_used(), Some("gpt-5-mini"));
    assert_eq!(emulator.count("POST", "/v1/chat/completions"), 1);
}

#[test]
fn the_catalogue_is_read_without_a_key() {
    let emulator = emulator();
    let anonymous = Client::builder("unused")
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let models = anonymous.models().unwrap();
    assert!(models.data.iter().any(|m| m.id == MODEL));
    assert!(models.data.iter().all(|m| m.context_length.is_some()));
    assert_eq!(
        emulator.requests_to("GET", "/v1/models")[0].header("authorization"),
        None
    );
}

#[test]
fn an_unknown_model_is_refused_with_the_gateways_reason_and_request_id() {
    let emulator = emulator();
    let err = client(&emulator)
        .chat(&ChatRequest::new("no-such-model").message(Message::user("Hi")))
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(
        err.to_string()
            .contains("model no-such-model is not supported"),
        "{err}"
    );
    let request_id = err.request_id().expect("the request id is kept").to_owned();
    assert!(err.to_string().contains(&request_id), "{err}");
    assert_eq!(
        emulator.count("POST", "/v1/chat/completions"),
        1,
        "a 400 is not retried"
    );
}

#[test]
fn a_wrong_key_is_an_auth_error_with_its_request_id() {
    let emulator = emulator();
    let wrong = Client::builder("wrong")
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let err = wrong
        .chat(&ChatRequest::new(MODEL).message(Message::user("Hi")))
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(
        err.to_string().contains("API token missing/invalid"),
        "{err}"
    );
    assert!(err.request_id().is_some());
}

#[test]
fn a_deleted_transcript_is_a_404_naming_the_transcript() {
    let emulator = emulator();
    let client = client(&emulator);
    let id = finished_transcript(&client);
    client.delete_transcript(&id).unwrap();
    let err = client
        .chat(
            &ChatRequest::new(MODEL)
                .message(Message::user("{{ transcript }}"))
                .transcript(&id),
        )
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("transcript deleted"), "{err}");
    let err = client
        .understand(
            &id,
            &SpeechUnderstandingRequest::new(TranslationRequest::new(["es"])),
        )
        .unwrap_err();
    assert_eq!(
        (err.status(), err.transcript_id()),
        (Some(404), Some(id.as_str()))
    );
}

#[test]
fn a_request_without_messages_or_prompt_is_refused_before_sending() {
    let emulator = emulator();
    let err = client(&emulator)
        .chat(&ChatRequest::new(MODEL))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(emulator.requests().len(), 0);
}

#[test]
fn understanding_translates_a_finished_transcript_without_transcribing_again() {
    let emulator = emulator();
    let client = client(&emulator);
    let id = finished_transcript(&client);
    let request = SpeechUnderstandingRequest::new(TranslationRequest::new(["es", "de"]));
    client.validate_understanding(&id, &request).unwrap();
    let result = client.understand(&id, &request).unwrap();
    let texts = result.translated_texts.unwrap();
    assert!(texts["es"].starts_with("[es] Smoke from hundreds"));
    assert!(texts["de"].starts_with("[de] "));
    assert_eq!(emulator.count("POST", "/v2/transcript"), 1);
    let sent = emulator.requests_to("POST", "/v1/understanding")[0].json();
    assert_eq!(sent["transcript_id"], json!(id));
    assert_eq!(
        sent["speech_understanding"]["request"]["translation"]["target_languages"],
        json!(["es", "de"])
    );
}

#[test]
fn a_429_from_the_gateway_is_waited_out_and_the_request_sent_again() {
    let emulator = Emulator::builder()
        .key(KEY)
        .gateway_rate_limit(1, Duration::from_millis(500))
        .start()
        .unwrap();
    // A client that believes it may send far more than the gateway allows.
    let client = Client::builder(KEY)
        .base_url(emulator.base_url())
        .model_requests_per_minute(10_000.0)
        .build()
        .unwrap();
    let request = ChatRequest::new(MODEL).message(Message::user("Hi"));
    client.chat(&request).unwrap();
    client.chat(&request).unwrap();
    let refused = emulator.requests_to("POST", "/v1/chat/completions").len();
    assert_eq!(
        refused, 3,
        "the second request was refused once, then answered"
    );
}

#[test]
fn a_reduce_over_more_answers_than_the_context_holds_is_asked_in_parts_then_over_them() {
    let tiny = json!({"id": "tiny", "context_length": 6_000, "available_regions": ["us"]});
    let emulator = Emulator::builder()
        .key(KEY)
        .gateway_models(vec![tiny])
        .start()
        .unwrap();
    let client = Client::builder(KEY)
        .base_url(emulator.base_url())
        .model_requests_per_minute(10_000.0)
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("aai-reduce-{}", std::process::id()));
    std::fs::create_dir_all(dir.join(".aai-batch")).unwrap();
    // Five answers of 1,500 tokens each by the client's reckoning (4,500 characters), with
    // 4,000 of the 6,000 free for answers: two go in a request, so three requests, then one
    // over their three (short) answers.
    let answers: Vec<(String, String)> = (0..5)
        .map(|i| (format!("call{i}"), format!("answer {i} ").repeat(500)))
        .collect();
    let template = ChatRequest::new("tiny");
    let (path, asked) = assemblyai::batch::reduce(
        &client,
        &dir,
        &template,
        "What matters?",
        &answers,
        Some(6_000),
    )
    .unwrap();
    assert!(asked);
    let parts = emulator.count("POST", "/v1/chat/completions");
    assert_eq!(parts, 4, "three parts, then one over their answers");
    let answer = std::fs::read_to_string(&path).unwrap();
    assert!(
        answer.starts_with("\"What matters? Answer from these"),
        "{answer}"
    );

    let (_, asked_again) = assemblyai::batch::reduce(
        &client,
        &dir,
        &template,
        "What matters?",
        &answers,
        Some(6_000),
    )
    .unwrap();
    assert!(!asked_again);
    assert_eq!(emulator.count("POST", "/v1/chat/completions"), parts);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stream_cut_mid_reply_ends_in_an_error_not_a_short_answer() {
    let emulator = emulator();
    emulator
        .inject(assemblyai::emulator::Fault::DropMidResponse.on("POST", "/v1/chat/completions"));
    let request = ChatRequest::new("gpt-5-mini").message(Message::user("Tell me a long story"));
    let items: Vec<_> = client(&emulator).chat_stream(&request).unwrap().collect();
    let last = items.last().unwrap().as_ref().unwrap_err();
    assert!(last.to_string().contains("cut short"), "{last}");
    assert_eq!(
        emulator.count("POST", "/v1/chat/completions"),
        1,
        "a paid stream is not sent again"
    );
}

#[test]
fn every_gateway_reply_carries_the_per_model_rate_limit_headers() {
    let emulator = Emulator::builder()
        .key(KEY)
        .gateway_rate_limit(2, Duration::from_secs(60))
        .start()
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/v1/chat/completions", emulator.base_url());
    let send = || {
        agent
            .post(&url)
            .header("Authorization", KEY)
            .header("Content-Type", "application/json")
            .send(json!({"model": MODEL, "prompt": "Hi"}).to_string())
            .unwrap()
    };
    let header = |response: &ureq::http::Response<ureq::Body>, name: &str| {
        response
            .headers()
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    let first = send();
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "x-ratelimit-limit"), "2");
    assert_eq!(header(&first, "x-ratelimit-remaining"), "1");
    assert_eq!(send().status(), 200);
    let mut refused = send();
    assert_eq!(refused.status(), 429);
    assert_eq!(header(&refused, "x-ratelimit-remaining"), "0");
    let reset: u64 = header(&refused, "x-ratelimit-reset").parse().unwrap();
    assert!((1..=60).contains(&reset));
    let body: serde_json::Value =
        serde_json::from_str(&refused.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["code"], 429);
    assert!(body["request_id"].is_string());
}
