//! `aai ask`, `aai understand` and `aai models` against the emulator's LLM Gateway: the
//! answer on stdout, a transcript made first from audio, schema output checked as JSON,
//! streaming, fallbacks, the model rule, and clear errors with the request id.

mod cli_common;
mod support;

use cli_common::{TempDir, aai, aai_with_key, bare_aai, run};
use serde_json::{Value, json};
use support::FakeApi;

const MODEL: &str = "claude-sonnet-4-6";

/// A finished transcript of two speakers, and its id.
fn transcript(api: &FakeApi) -> String {
    let words: Vec<Value> = "Ana will send the report. Ben should call the client."
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            json!({"text": w, "start": i * 500, "end": i * 500 + 400, "confidence": 0.9,
                   "speaker": if i < 5 { "A" } else { "B" }})
        })
        .collect();
    api.insert_transcript(json!({
        "status": "completed",
        "text": "Ana will send the report. Ben should call the client.",
        "words": words,
    }))
}

#[test]
fn ask_prints_the_answer_about_a_transcript_id_on_stdout() {
    let api = FakeApi::start();
    let id = transcript(&api);
    let out = run(aai(&api).args(["ask", &id, "Who sends the report?", "--model", MODEL]));
    out.expect_ok();
    assert_eq!(
        out.stdout,
        "\"Who sends the report?\" answered by claude-sonnet-4-6 from 10 words: \
         \"Ana will send the report. Ben should call the client.\"\n"
    );
    let sent = api.requests_to("POST", "/v1/chat/completions")[0].json();
    assert_eq!(sent["transcript_id"], json!(id));
    assert_eq!(
        sent["messages"][0]["content"],
        json!("{{ transcript }}\n\nWho sends the report?")
    );
    assert!(sent.get("max_tokens").is_none() && sent.get("temperature").is_none());
}

#[test]
fn ask_on_a_file_transcribes_it_first_then_asks_once() {
    let api = FakeApi::start();
    let dir = TempDir::new("ask-file");
    let audio = dir.file("call.wav", &cli_common::audio_bytes(2048));
    let out = run(aai(&api).args([
        "ask",
        audio.to_str().unwrap(),
        "Summarize",
        "--model",
        MODEL,
        "--poll-interval",
        "50ms",
    ]));
    out.expect_ok();
    assert!(
        out.stdout.starts_with("\"Summarize\" answered by"),
        "{}",
        out.stdout
    );
    assert_eq!(api.count("POST", "/v2/upload"), 1);
    assert_eq!(api.count("POST", "/v2/transcript"), 1);
    assert_eq!(api.count("POST", "/v1/chat/completions"), 1);
    let created = &api.transcripts()[0]["id"];
    assert_eq!(
        api.requests_to("POST", "/v1/chat/completions")[0].json()["transcript_id"],
        *created
    );
}

#[test]
fn ask_with_a_schema_prints_the_json_object() {
    let api = FakeApi::start();
    let id = transcript(&api);
    let dir = TempDir::new("ask-schema");
    let schema = dir.file(
        "s.json",
        br#"{"type":"object","properties":{"owner":{"type":"string"},"count":{"type":"integer"}},"required":["owner","count"]}"#,
    );
    let out = run(aai(&api).args([
        "ask",
        &id,
        "Who?",
        "--model",
        MODEL,
        "--schema",
        schema.to_str().unwrap(),
    ]));
    out.expect_ok();
    let answer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(answer["owner"].is_string());
    assert_eq!(answer["count"], json!(0));
    let sent = api.requests_to("POST", "/v1/chat/completions")[0].json();
    assert_eq!(sent["response_format"]["type"], json!("json_schema"));
}

#[test]
fn a_schema_that_is_not_json_is_refused_before_anything_is_sent() {
    let api = FakeApi::start();
    let dir = TempDir::new("ask-bad-schema");
    let schema = dir.file("s.json", b"{not json");
    let out = run(aai(&api).args([
        "ask",
        "5551722-f677-48a6-9287-39c0aafd9ac1",
        "Q",
        "--model",
        MODEL,
        "--schema",
        schema.to_str().unwrap(),
    ]));
    out.expect_code(3).stderr_mentions(&["not valid JSON"]);
    assert!(api.requests().is_empty());
}

#[test]
fn ask_streams_the_same_answer_and_json_gives_the_whole_reply() {
    let api = FakeApi::start();
    let id = transcript(&api);
    let whole = run(aai(&api).args(["ask", &id, "Q", "--model", MODEL]));
    let streamed = run(aai(&api).args(["ask", &id, "Q", "--model", MODEL, "--stream"]));
    streamed.expect_ok();
    assert_eq!(streamed.stdout, whole.stdout);
    let json_run = run(aai(&api).args(["ask", &id, "Q", "--model", MODEL, "--json"]));
    let reply: Value = serde_json::from_str(&json_run.stdout).unwrap();
    assert!(reply["request_id"].is_string());
    assert_eq!(
        reply["usage"]["prompt_tokens"],
        reply["usage"]["input_tokens"]
    );
}

#[test]
fn ask_with_a_failing_model_says_which_fallback_answered() {
    let api = FakeApi::start();
    let emulator = assemblyai::emulator::Emulator::builder()
        .key(api.key())
        .gateway_failing_model(MODEL)
        .start()
        .unwrap();
    let id = emulator.insert_transcript(json!({"status": "completed", "text": "hello there"}));
    let out = run(bare_aai()
        .env("ASSEMBLYAI_BASE_URL", emulator.base_url())
        .env("ASSEMBLYAI_API_KEY", api.key())
        .args([
            "ask",
            &id,
            "Q",
            "--model",
            MODEL,
            "--fallback",
            "gpt-5-mini",
        ]));
    out.expect_ok().stderr_mentions(&["fallback gpt-5-mini"]);
    assert!(out.stdout.contains("answered by gpt-5-mini"));
    let sent = emulator.requests_to("POST", "/v1/chat/completions")[0].json();
    assert_eq!(sent["fallbacks"], json!([{"model": "gpt-5-mini"}]));
}

#[test]
fn without_a_model_the_rule_picks_one_from_the_catalogue_and_says_so() {
    let api = FakeApi::start();
    let id = transcript(&api);
    let out = run(aai(&api).args(["ask", &id, "Q"]));
    out.expect_ok()
        .stderr_mentions(&["asking gemini-2.5-flash-lite", "--model"]);
    assert_eq!(api.count("GET", "/v1/models"), 1);
}

#[test]
fn an_unknown_model_fails_listing_the_current_ones_with_the_request_id() {
    let api = FakeApi::start();
    let id = transcript(&api);
    let out = run(aai(&api).args(["ask", &id, "Q", "--model", "retired-model-1"]));
    out.expect_code(4).stderr_mentions(&[
        "model retired-model-1 is not supported",
        "(request ",
        MODEL,
        "gpt-5-mini",
    ]);
}

#[test]
fn a_wrong_key_is_an_auth_failure_with_the_request_id() {
    let api = FakeApi::start();
    let id = transcript(&api);
    let out = run(aai_with_key(&api, "wrong-key-123456").args(["ask", &id, "Q", "--model", MODEL]));
    out.expect_code(5)
        .stderr_mentions(&["API token missing/invalid", "(request "]);
}

#[test]
fn a_deleted_transcript_is_a_clear_error_naming_it() {
    let api = FakeApi::start();
    let emulator = api.emulator();
    let wait = run(aai(&api).args(["submit", "https://example.com/a.mp3"]));
    let id = wait.stdout.trim().to_owned();
    run(aai(&api).args(["wait", &id, "-q", "--poll-interval", "50ms"])).expect_ok();
    run(aai(&api).args(["delete", &id])).expect_ok();
    let out = run(aai(&api).args(["ask", &id, "Q", "--model", MODEL]));
    out.expect_code(4)
        .stderr_mentions(&["transcript deleted", "(request ", &id]);
    let out = run(aai(&api).args(["understand", &id, "--action-items"]));
    out.expect_code(4).stderr_mentions(&["transcript deleted"]);
    assert_eq!(emulator.count("POST", "/v1/understanding"), 1);
}

#[test]
fn understand_runs_several_tasks_in_one_request_and_prints_each() {
    let api = FakeApi::start();
    let id = transcript(&api);
    let out = run(aai(&api).args([
        "understand",
        &id,
        "--summarize",
        "bullets",
        "--action-items",
        "--translate",
        "es,de",
        "--identify-speakers",
        "name",
        "--known-values",
        "Ana,Ben",
    ]));
    out.expect_ok();
    assert_eq!(api.count("POST", "/v1/understanding"), 1);
    for part in ["# summary", "# action-items", "# translation", "# speakers"] {
        assert!(out.stdout.contains(part), "{part} missing:\n{}", out.stdout);
    }
    assert!(
        out.stdout
            .contains("[00:00] Follow up on: Ana will send the report."),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("[es] Ana will send"), "{}", out.stdout);
    assert!(out.stdout.contains("A = Ana\nB = Ben\n"), "{}", out.stdout);
    let sent = api.requests_to("POST", "/v1/understanding")[0].json();
    assert_eq!(
        sent["speech_understanding"]["request"]["summarization"],
        json!({"summary_type": "bullets"})
    );
    assert_eq!(
        sent["speech_understanding"]["request"]["action_items"],
        json!({})
    );

    let only = run(aai(&api).args([
        "understand",
        &id,
        "--action-items",
        "--format",
        "action-items",
    ]));
    // The same rendering as aai transcribe --format action-items.
    assert_eq!(
        only.stdout,
        "[00:00] Follow up on: Ana will send the report.  \"Ana will send the report.\"\n"
    );
}

#[test]
fn understand_without_a_task_is_a_usage_error() {
    let api = FakeApi::start();
    run(aai(&api).args(["understand", "5551722-f677-48a6-9287-39c0aafd9ac1"]))
        .expect_code(2)
        .stderr_mentions(&["no task"]);
    assert!(api.requests().is_empty());
}

#[test]
fn models_lists_the_catalogue_without_a_key() {
    let api = FakeApi::start();
    let out = run(bare_aai()
        .env("ASSEMBLYAI_BASE_URL", api.base_url())
        .arg("models"));
    out.expect_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("ID"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(MODEL) && l.contains("200000") && l.contains("us,eu,global"))
    );
    let json_run = run(bare_aai()
        .env("ASSEMBLYAI_BASE_URL", api.base_url())
        .args(["models", "--json"]));
    let list: Value = serde_json::from_str(&json_run.stdout).unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 3);
}

#[test]
fn the_configured_model_is_asked_without_reading_the_catalogue() {
    let api = FakeApi::start();
    let id = transcript(&api);
    let config = TempDir::new("ask-config");
    run(aai(&api).env("XDG_CONFIG_HOME", config.path()).args([
        "config",
        "set",
        "llm-model",
        "gpt-5-mini",
    ]))
    .expect_ok();
    let out = run(aai(&api)
        .env("XDG_CONFIG_HOME", config.path())
        .args(["ask", &id, "Q"]));
    out.expect_ok();
    assert!(
        out.stdout.contains("answered by gpt-5-mini"),
        "{}",
        out.stdout
    );
    assert_eq!(api.count("GET", "/v1/models"), 0);
}
