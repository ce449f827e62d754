//! Issue 4's commands and options, run as a process against the fake API:
//! `export` in every format, the text report of audio-intelligence results,
//! `search`, `list`, `delete`, `redacted-audio`, and request flags.

mod cli_common;
mod support;

use std::fs;

use cli_common::{TempDir, aai, run};
use serde_json::{Value, json};
use support::{FakeApi, Script, redacted_audio};

/// Starts a job with `flags` through `aai submit` and waits for it; returns its id.
fn finished_job(fake: &FakeApi, flags: &[&str]) -> String {
    let submitted = run(aai(fake)
        .args(["submit", "https://example.com/talk.mp3"])
        .args(flags));
    submitted.expect_ok();
    let id = submitted.stdout.trim_end().to_owned();
    run(aai(fake).args(["wait", &id, "--format", "id", "--poll-interval", "50ms"])).expect_ok();
    id
}

#[test]
fn export_prints_srt_and_vtt_with_the_caption_length_asked_for() {
    let fake = FakeApi::start();
    let id = finished_job(&fake, &[]);

    let srt = run(aai(&fake).args([
        "export",
        &id,
        "--format",
        "srt",
        "--chars-per-caption",
        "32",
    ]));
    let vtt = run(aai(&fake).args(["export", &id, "--format", "vtt"]));

    srt.expect_ok();
    assert!(srt.stdout.starts_with("1\n00:00:00,"), "{}", srt.stdout);
    let asked = fake.requests_to("GET", &format!("/v2/transcript/{id}/srt"));
    assert_eq!(asked[0].query_param("chars_per_caption"), Some("32"));
    vtt.expect_ok();
    assert!(vtt.stdout.starts_with("WEBVTT"), "{}", vtt.stdout);
}

#[test]
fn export_prints_sentences_and_paragraphs_as_lines() {
    let fake = FakeApi::start();
    fake.set_script(Script::after_polls(0, 1).with_words(300));
    let id = finished_job(&fake, &[]);
    let sentence_count = fake.transcripts()[0]["text"]
        .as_str()
        .unwrap()
        .matches(['.', '?', '!'])
        .count();

    let sentences = run(aai(&fake).args(["export", &id, "--format", "sentences"]));
    let paragraphs = run(aai(&fake).args(["export", &id, "--format", "paragraphs"]));

    sentences.expect_ok();
    assert_eq!(
        sentences.stdout.lines().count(),
        sentence_count,
        "a sentence per line"
    );
    assert!(
        sentences.stdout.starts_with("[00:00:00] "),
        "{}",
        sentences.stdout
    );
    paragraphs.expect_ok();
    let blocks = paragraphs.stdout.trim_end().split("\n\n").count();
    assert!(
        blocks >= 2 && blocks < sentence_count,
        "{}",
        paragraphs.stdout
    );
}

#[test]
fn utterances_show_time_and_speaker() {
    let fake = FakeApi::start();
    // A generated transcript: a new speaker every 20 words, A and B in turn.
    fake.set_script(Script::after_polls(0, 1).with_words(100));
    let id = finished_job(&fake, &["--speaker-labels"]);

    let out = run(aai(&fake).args(["export", &id, "--format", "utterances"]));

    out.expect_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.len() >= 2, "{}", out.stdout);
    assert!(lines[0].starts_with("[00:00:00] A: "), "{}", lines[0]);
    assert!(lines[1].contains("] B: "), "{}", lines[1]);
}

#[test]
fn the_text_report_adds_only_the_results_that_were_requested() {
    let fake = FakeApi::start();
    let plain = finished_job(&fake, &[]);
    let rich = finished_job(
        &fake,
        &[
            "--auto-highlights",
            "--entity-detection",
            "--iab-categories",
            "--content-safety",
        ],
    );

    let plain = run(aai(&fake).args(["export", &plain]));
    let rich = run(aai(&fake).args(["export", &rich]));

    plain.expect_ok();
    assert!(
        !plain.stdout.contains("\nHighlights:"),
        "nothing was asked for"
    );
    rich.expect_ok();
    for section in [
        "\nHighlights:\n",
        "\nEntities:\n",
        "\nTopics:\n",
        "\nContent safety:\n",
    ] {
        assert!(
            rich.stdout.contains(section),
            "missing {section:?} in {}",
            rich.stdout
        );
    }
    assert!(rich.stdout.contains("  [00:00:02] location: Canada\n"));
    assert!(rich.stdout.contains("  NewsAndPolitics>Weather (1.00)\n"));
    assert!(
        !rich.stdout.contains("\nSentiment:"),
        "sentiment was not asked for"
    );
}

#[test]
fn export_of_an_unfinished_transcript_exits_4_saying_to_wait() {
    let fake = FakeApi::start();
    fake.set_script(Script::never());
    let submitted = run(aai(&fake).args(["submit", "https://example.com/talk.mp3"]));
    let id = submitted.stdout.trim_end();

    let out = run(aai(&fake).args(["export", id]));

    // 4, not 2: a request was made, and the API's answer is what stops it.
    out.expect_code(4)
        .stderr_mentions(&["not completed", &format!("aai wait {id}")]);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_failed_transcript_without_a_reason_is_reported_alike_by_export_and_wait() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"status": "error"}));

    for command in ["export", "wait"] {
        let out = run(aai(&fake).args([command, &id]));

        out.expect_code(6)
            .stderr_mentions(&[&id, "failed: the API gave no reason"]);
    }
}

#[test]
fn utterances_of_a_finished_transcript_without_them_fail_naming_the_id_and_the_text_export() {
    let fake = FakeApi::start();
    let id = fake.insert_transcript(json!({"text": "One voice only."}));

    for command in ["wait", "export"] {
        let out = run(aai(&fake).args([command, &id, "--format", "utterances"]));

        out.expect_code(4)
            .stderr_mentions(&["no utterances", &id, &format!("aai export {id}")]);
        assert!(out.stdout.is_empty(), "{command}: {}", out.stdout);
    }
}

#[test]
fn utterances_are_allowed_when_config_or_config_file_asks_for_speakers() {
    let fake = FakeApi::start();
    let dir = TempDir::new("utterances-config");
    let config = dir.file("request.json", br#"{"multichannel": true}"#);
    let url = "https://example.com/talk.mp3";

    let by_config = run(aai(&fake).args([
        "transcribe",
        url,
        "--format",
        "utterances",
        "--config",
        "speaker_labels=true",
    ]));
    let by_file = run(aai(&fake)
        .args(["transcribe", url, "--format", "utterances", "--config-file"])
        .arg(&config));

    by_config.expect_ok();
    by_file.expect_ok();
    assert!(
        by_config.stdout.starts_with("[00:00:"),
        "{}",
        by_config.stdout
    );
    assert_eq!(fake.count("POST", "/v2/transcript"), 2);
}

#[test]
fn search_finds_words_and_phrases_with_their_times() {
    let fake = FakeApi::start();
    let id = finished_job(&fake, &[]);

    let out = run(aai(&fake).args(["search", &id, "smoke", "air quality"]));

    out.expect_ok();
    let asked = fake.requests_to("GET", &format!("/v2/transcript/{id}/word-search"));
    assert_eq!(asked[0].raw_query, "words=smoke,air%20quality");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(lines.iter().any(|line| line.starts_with("air quality\t")));
    let json = run(aai(&fake).args(["search", &id, "smoke", "--json"]));
    let found: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(found["id"], json!(id));
}

#[test]
fn list_prints_a_page_and_walks_every_page_with_all() {
    let fake = FakeApi::start();
    for _ in 0..25 {
        fake.insert_transcript(json!({}));
    }

    let page = run(aai(&fake).args(["list", "--limit", "10"]));
    let all = run(aai(&fake).args(["list", "--all", "--limit", "10"]));
    let json = run(aai(&fake).args(["list", "--json"]));

    page.expect_ok();
    assert_eq!(page.stdout.lines().count(), 10);
    assert_eq!(page.stdout.lines().next().unwrap().split('\t').count(), 4);
    all.expect_ok();
    let mut ids: Vec<&str> = all
        .stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 25);
    ids.dedup();
    assert_eq!(ids.len(), 25, "no transcript twice");
    assert_eq!(
        fake.count("GET", "/v2/transcript?"),
        0,
        "the query is not part of the path"
    );
    let object: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(object["transcripts"].as_array().unwrap().len(), 10);
}

#[test]
fn list_rejects_an_unknown_status_before_asking() {
    let fake = FakeApi::start();

    let out = run(aai(&fake).args(["list", "--status", "done"]));

    out.expect_code(2)
        .stderr_mentions(&["--status", "completed"]);
    assert!(fake.requests().is_empty());
}

#[test]
fn delete_prints_the_id_of_the_deleted_transcript() {
    let fake = FakeApi::start();
    let id = finished_job(&fake, &[]);

    let out = run(aai(&fake).args(["delete", &id]));

    out.expect_ok();
    assert_eq!(out.stdout, format!("{id}\n"));
    assert_eq!(fake.count("DELETE", &format!("/v2/transcript/{id}")), 1);
}

#[test]
fn redacted_audio_waits_until_ready_and_downloads_without_the_key() {
    let fake = FakeApi::start();
    fake.set_script(Script::after_polls(0, 1).redacted_audio_after(2));
    let id = finished_job(&fake, &["--redact-pii", "--redact-pii-audio"]);
    let dir = TempDir::new("redacted");
    let file = dir.join("clean.mp3");

    let out = run(aai(&fake)
        .args(["redacted-audio", &id, "--poll-interval", "50ms", "-o"])
        .arg(&file));

    out.expect_ok();
    assert_eq!(fs::read(&file).unwrap(), redacted_audio(&id));
    assert_eq!(
        fake.count("GET", &format!("/v2/transcript/{id}/redacted-audio")),
        3
    );
    let download = &fake.requests_to("GET", "/redacted/")[0];
    assert_eq!(
        download.header("authorization"),
        None,
        "the key stays with the API"
    );
    assert_eq!(dir.entries(), ["clean.mp3"], "no temporary file left");
}

#[test]
fn redacted_audio_without_o_prints_the_url() {
    let fake = FakeApi::start();
    let id = finished_job(&fake, &["--redact-pii", "--redact-pii-audio"]);

    let out = run(aai(&fake).args(["redacted-audio", &id]));

    out.expect_ok();
    assert_eq!(
        out.stdout,
        format!("{}/redacted/{id}.mp3\n", fake.base_url())
    );
}

#[test]
fn request_flags_config_and_config_file_reach_the_api_as_fields() {
    let fake = FakeApi::start();
    let dir = TempDir::new("flags");
    let config = dir.file(
        "options.json",
        br#"{"disfluencies": true, "language_code": "fr"}"#,
    );

    let out = run(aai(&fake)
        .args([
            "submit",
            "https://example.com/talk.mp3",
            "--speaker-labels",
            "--no-punctuate",
        ])
        .args([
            "--language-code",
            "de",
            "--redact-pii-policies",
            "person_name,phone_number",
        ])
        .args([
            "--max-speakers-expected",
            "4",
            "--target-languages",
            "es,de",
        ])
        .args([
            "--config",
            "speech_threshold=0.5",
            "--config",
            "brand_new_field=1",
        ])
        .arg("--config-file")
        .arg(&config));

    out.expect_ok()
        .stderr_mentions(&["brand_new_field", "not a request field"]);
    let sent = fake.requests_to("POST", "/v2/transcript")[0].json();
    assert_eq!(sent["speaker_labels"], json!(true));
    assert_eq!(sent["punctuate"], json!(false));
    assert_eq!(
        sent["language_code"],
        json!("de"),
        "a flag wins over the config file"
    );
    assert_eq!(sent["disfluencies"], json!(true));
    assert_eq!(
        sent["redact_pii_policies"],
        json!(["person_name", "phone_number"])
    );
    assert_eq!(sent["speaker_options"], json!({"max_speakers_expected": 4}));
    assert_eq!(
        sent["speech_understanding"],
        json!({"request": {"translation": {"target_languages": ["es", "de"]}}})
    );
    assert_eq!(sent["speech_threshold"], json!(0.5));
    assert_eq!(sent["brand_new_field"], json!(1));
    assert_eq!(
        sent.get("speech_models"),
        None,
        "no model is sent unless one was chosen"
    );
}

#[test]
fn transcribe_prints_only_the_text_when_it_asked_for_no_results_whatever_the_server_echoes() {
    let fake = FakeApi::start();
    // A server that echoes a flag and a result this run never asked for.
    let sloppy = json!({
        "id": "5551722-f677-48a6-9287-39c0aafd9ac1",
        "status": "completed",
        "text": "Just the words.",
        "auto_highlights": true,
        "auto_highlights_result": {"status": "success", "results": [
            {"count": 1, "rank": 0.9, "text": "words", "timestamps": [{"start": 0, "end": 5}]}
        ]},
    });
    fake.inject(
        support::Fault::Body {
            status: 200,
            content_type: "application/json".into(),
            body: sloppy.to_string().into_bytes(),
        }
        .on("GET", "/v2/transcript/"),
    );

    let out = run(aai(&fake).args(["transcribe", "https://example.com/talk.mp3"]));

    out.expect_ok();
    assert_eq!(out.stdout, "Just the words.\n");
}
