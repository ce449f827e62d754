//! The CLI against the API as it answers in December 2026 (issue 15): no
//! model pinned, the model that ran and every server warning shown, a
//! retired model a configuration error sent at most once, the 2026 request
//! fields sent as the API names them, and the Speech Understanding formats.

mod cli_common;
mod support;

use cli_common::{TempDir, aai, run};
use serde_json::{Value, json};
use support::{FakeApi, Script};

const URL: &str = "https://example.com/talk.mp3";

fn created_body(fake: &FakeApi) -> Value {
    let creates = fake.requests_to("POST", "/v2/transcript");
    assert_eq!(creates.len(), 1, "one create");
    creates[0].json()
}

#[test]
fn a_default_transcribe_sends_no_model_and_names_the_one_that_ran() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).args(["transcribe", URL, "--poll-interval", "50ms"]));
    out.expect_ok()
        .stderr_mentions(&["completed", "(assemblyai-stt-3-7)"]);
    assert!(!out.stdout.is_empty(), "the text is on stdout");
    let body = created_body(&fake);
    assert_eq!(body.get("speech_models"), None, "{body}");
    assert_eq!(body.get("speech_model"), None, "{body}");

    let json = run(aai(&fake).args(["transcribe", URL, "--json", "--poll-interval", "50ms"]));
    json.expect_ok();
    let done = json
        .stderr_json_lines()
        .into_iter()
        .find(|line| line["event"] == "done")
        .expect("a done event");
    assert_eq!(done["speech_model_used"], "assemblyai-stt-3-7");
}

#[test]
fn a_retired_model_pinned_is_refused_before_any_upload_naming_where_it_came_from() {
    let fake = FakeApi::start();
    let dir = TempDir::new("retired");
    let audio = dir.file("talk.wav", &cli_common::audio_bytes(4000));
    let flag = run(aai(&fake)
        .args([
            "transcribe",
            "--speech-models",
            "universal-3-pro,universal-2",
        ])
        .arg(&audio));
    flag.expect_code(2).stderr_mentions(&[
        "--speech-models: ",
        "\"universal-3-pro\" is retired",
        "have been deprecated",
        "hint: change or remove it in --speech-models",
    ]);
    let config = run(aai(&fake)
        .args(["transcribe", "--config", "speech_model=best"])
        .arg(&audio));
    config
        .expect_code(2)
        .stderr_mentions(&["--config speech_model: ", "speech_model is deprecated"]);
    assert!(fake.requests().is_empty(), "nothing was sent");

    let home = TempDir::new("retired-config");
    let set = run(aai(&fake)
        .env("XDG_CONFIG_HOME", home.path())
        .env("HOME", home.path())
        .args(["config", "set", "speech-models", "slam-1"]));
    set.expect_code(2)
        .stderr_mentions(&["\"slam-1\" is retired"]);
}

#[test]
fn the_servers_refusal_of_a_model_is_a_usage_error_naming_the_flag_sent_once() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).args([
        "submit",
        URL,
        "--speech-models",
        "universal-9-typo",
        "--json",
    ]));
    out.expect_code(2);
    let error = out.json_error();
    assert_eq!(error["kind"], "usage");
    assert_eq!(error["status"], 400);
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("--speech-models"), "{message}");
    assert!(message.contains("must be a non-empty list"), "{message}");
    assert_eq!(fake.count("POST", "/v2/transcript"), 1, "never retried");
}

#[test]
fn server_warnings_reach_stderr_as_text_and_as_json_events() {
    let fake = FakeApi::start();
    let flags = [
        "--domain",
        "medical-v1",
        "--language-code",
        "ja",
        "--poll-interval",
        "50ms",
    ];
    let out = run(aai(&fake).args(["transcribe", URL]).args(flags));
    out.expect_ok().stderr_mentions(&[
        "aai: warning: transcript ",
        "Skipped medical-v1 domain correction",
    ]);
    assert!(!out.stdout.contains("Skipped"), "stdout has only the text");

    let json = run(aai(&fake).args(["transcribe", URL, "--json"]).args(flags));
    json.expect_ok();
    let warnings: Vec<Value> = json
        .stderr_json_lines()
        .into_iter()
        .filter(|line| line["event"] == "warning")
        .collect();
    assert_eq!(warnings.len(), 1, "{}", json.stderr);
    assert!(warnings[0]["transcript_id"].is_string());
    let stdout: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(stdout["metadata"]["domain_used"], Value::Null);
}

#[test]
fn a_task_that_did_not_succeed_is_a_warning_naming_it_and_the_text_still_comes() {
    let fake = FakeApi::start();
    fake.set_script(Script::after_polls(0, 1).with_transcript(json!({
        "text": "Smoke is here.",
        "speech_understanding": {"response": {"summarization": {"status": "error"}}}
    })));
    let out = run(aai(&fake).args(["transcribe", URL, "--poll-interval", "50ms"]));
    out.expect_ok()
        .stderr_mentions(&["summarization did not succeed (status: error)"]);
    assert_eq!(out.stdout, "Smoke is here.\n");
}

#[test]
fn summarize_with_action_items_prints_the_summary_and_get_prints_the_items() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).args([
        "transcribe",
        URL,
        "--summarize",
        "bullets",
        "--action-items",
        "--format",
        "summary",
        "--poll-interval",
        "50ms",
    ]));
    out.expect_ok();
    assert!(out.stdout.starts_with("[00:00] "), "{}", out.stdout);
    assert!(out.stdout.contains("\n- "), "bullets: {}", out.stdout);
    let body = created_body(&fake);
    assert_eq!(
        body["speech_understanding"],
        json!({"request": {"summarization": {"summary_type": "bullets"}, "action_items": {}}})
    );

    let id = fake.transcripts()[0]["id"].as_str().unwrap().to_owned();
    let items = run(aai(&fake).args(["get", &id, "--format", "action-items"]));
    items.expect_ok();
    let lines: Vec<&str> = items.stdout.lines().collect();
    assert!(!lines.is_empty());
    for line in lines {
        assert!(line.starts_with('['), "{line}");
        assert!(
            line.contains("Follow up on: ") && line.contains('"'),
            "{line}"
        );
    }
}

#[test]
fn a_summary_format_without_asking_for_a_summary_is_refused_before_sending() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).args(["transcribe", URL, "--format", "summary"]));
    out.expect_code(2)
        .stderr_mentions(&["--format summary needs --summarize"]);
    assert!(fake.requests().is_empty());
}

#[test]
fn every_2026_option_reaches_the_api_as_it_names_it() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).args([
        "submit",
        URL,
        "--redact-pii",
        "--redact-pii-return-unredacted",
        "--redact-static-entities",
        r#"{"INTERNAL_TOOL":["Bearclaw"]}"#,
        "--redact-pii-policies",
        "location_zip,a_policy_from_next_year",
        "--domain",
        "medical-v1",
        "--keyterms-prompt",
        "Bearclaw",
        "--keyterms-match-strength",
        "high",
        "--prompt",
        "A call about a tool.",
        "--language-detection",
        "--localization",
        "en_au",
        "--remove-audio-tags",
        "speaker",
        "--target-languages",
        "es",
        "--force-translation",
        "--custom-formatting-date",
        "mm/dd/yyyy",
        "--format-utterances",
        "--summarize",
        "paragraph",
        "--summary-effort",
        "medium",
        "--include-decisions",
        "--action-items-effort",
        "low",
    ]));
    out.expect_ok()
        .stderr_mentions(&["\"a_policy_from_next_year\" is not a value this version knows"]);
    let body = created_body(&fake);
    assert_eq!(body["redact_pii_return_unredacted"], true);
    assert_eq!(
        body["redact_static_entities"],
        json!({"INTERNAL_TOOL": ["Bearclaw"]})
    );
    assert_eq!(
        body["redact_pii_policies"],
        json!(["location_zip", "a_policy_from_next_year"])
    );
    assert_eq!(body["domain"], "medical-v1");
    assert_eq!(
        body["keyterms_prompt_options"],
        json!({"keyterms_match_strength": "high"})
    );
    assert_eq!(body["prompt"], "A call about a tool.", "with keyterms");
    assert_eq!(
        body["language_detection_options"],
        json!({"localization": "en_au"})
    );
    assert_eq!(body["remove_audio_tags"], "speaker");
    assert_eq!(
        body["speech_understanding"]["request"],
        json!({
            "translation": {"target_languages": ["es"], "force_translation": true},
            "custom_formatting": {"date": "mm/dd/yyyy", "format_utterances": true},
            "summarization": {"summary_type": "paragraph", "effort": "medium"},
            "action_items": {"include_decisions": true, "effort": "low"}
        })
    );
}

#[test]
fn deprecated_summaries_are_still_sent_with_a_warning_pointing_at_summarize() {
    let fake = FakeApi::start();
    let out = run(aai(&fake).args([
        "submit",
        URL,
        "--summarization",
        "--summary-type",
        "bullets",
        "--auto-chapters",
    ]));
    out.expect_ok().stderr_mentions(&[
        "--summarization is deprecated",
        "--summary-type is deprecated",
        "--auto-chapters is deprecated",
        "use --summarize",
    ]);
    let body = created_body(&fake);
    assert_eq!(
        (
            &body["summarization"],
            &body["summary_type"],
            &body["auto_chapters"]
        ),
        (&json!(true), &json!("bullets"), &json!(true))
    );
}

#[test]
fn the_help_states_no_default_model_or_language() {
    let fake = FakeApi::start();
    let help = run(aai(&fake).args(["transcribe", "--help"]));
    help.expect_ok();
    let options = help
        .stdout
        .split("Request options")
        .nth(1)
        .expect("a request options section");
    for stale in ["universal-3-pro", "en_us]", "[default:"] {
        assert!(!options.contains(stale), "{stale}: {options}");
    }
    assert!(help.stdout.contains("--summarize paragraph|bullets"));
}

#[test]
fn batch_writes_summary_and_action_item_files_and_reports_model_and_warnings() {
    // A batch watches the list, not each job: a job that ends in time.
    let fake = FakeApi::builder()
        .script(Script::after(std::time::Duration::from_millis(200)))
        .start();
    let dir = TempDir::new("batch-2026");
    let out_dir = dir.join("out");
    let report = dir.join("report.jsonl");
    let batch = run(aai(&fake)
        .args(["batch", URL, "--out-dir"])
        .arg(&out_dir)
        .args(["--report"])
        .arg(&report)
        .args([
            "--format",
            "text,summary,action-items",
            "--summarize",
            "paragraph",
            "--action-items",
            "--domain",
            "medical-v1",
            "--language-code",
            "ja",
        ]));
    batch
        .expect_ok()
        .stderr_mentions(&["warning: ", "Skipped medical-v1", "(assemblyai-stt-3-7)"]);
    let mut written = dir_files(&out_dir);
    written.retain(|name| !name.starts_with(".aai-batch"));
    written.sort();
    assert_eq!(
        written,
        ["talk.action-items.txt", "talk.summary.txt", "talk.txt"],
        "one file per format"
    );
    let summary = "talk.summary.txt";
    let text = std::fs::read_to_string(out_dir.join(summary)).unwrap();
    assert!(text.starts_with("[00:00] "), "{text}");

    let lines: Vec<Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines[0]["speech_model_used"], "assemblyai-stt-3-7");
    assert!(
        lines[0]["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("Skipped medical-v1")
    );

    let status = run(aai(&fake)
        .args(["batch", "--json", "--status"])
        .arg(&out_dir));
    status.expect_ok();
    let reported = status
        .stderr_json_lines()
        .into_iter()
        .find(|line| line["event"] == "report")
        .expect("a report line");
    assert_eq!(
        reported["outcome"]["speech_model_used"],
        "assemblyai-stt-3-7"
    );
    assert_eq!(reported["outcome"]["warnings"].as_array().unwrap().len(), 1);
}

/// The files under `dir`, as paths relative to it.
fn dir_files(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found
}

#[test]
fn the_emulator_command_runs_unnamed_models_on_the_account_default_it_is_given() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let mut emulator = cli_common::bare_aai()
        .args([
            "emulator",
            "--port",
            "0",
            "--quiet",
            "--complete-after",
            "0s",
            "--account-default-model",
            "universal-2",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(emulator.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base_url = first.trim().to_owned();
    let out = run(cli_common::bare_aai()
        .env("ASSEMBLYAI_BASE_URL", &base_url)
        .env("ASSEMBLYAI_API_KEY", "made-up-test-key")
        .args(["transcribe", URL, "--poll-interval", "50ms"]));
    emulator.kill().unwrap();
    emulator.wait().unwrap();
    out.expect_ok().stderr_mentions(&["(universal-2)"]);
}
