//! `aai` against replies shaped like the live API's (tests/fixtures/live/): a field that doesn't
//! fit the spec never loses a finished transcript, and `--json` prints what the server sent.

mod cli_common;
mod live_fixtures;
mod support;

use cli_common::{TempDir, aai, audio_bytes, run};
use live_fixtures::{answer_with, fixture, serving, value};
use serde_json::Value;
use support::{FakeApi, Script};

const COMPLETED: [&str; 4] = [
    "transcript_2020.json",
    "transcript_2022.json",
    "transcript_2024.json",
    "transcript_2026.json",
];

/// A fake holding `name` as a finished job, whose first GET of it answers with the fixture's
/// bytes exactly (later ones with the same JSON as the fake writes it). Returns the id.
fn holding(api: &FakeApi, name: &str) -> String {
    let id = api.insert_transcript(value(name));
    answer_with(api, name, "GET", &format!("/v2/transcript/{id}"));
    id
}

#[test]
fn wait_prints_the_text_of_every_recorded_transcript_and_exits_0() {
    for name in COMPLETED {
        let api = FakeApi::start();
        let id = holding(&api, name);
        let out = run(aai(&api).args(["wait", &id, "--poll-interval", "50ms"]));
        out.expect_ok();
        let text = value(name)["text"].as_str().unwrap().to_owned();
        assert!(
            out.stdout.starts_with(&text),
            "{name}: {}\n{}",
            out.stdout,
            out.stderr
        );
        assert_eq!(api.count("GET", "/v2/transcript/"), 1, "{name}: no retries");
    }
}

#[test]
fn wait_json_prints_the_server_bytes_of_an_odd_transcript_exactly() {
    for name in COMPLETED {
        let api = FakeApi::start();
        let id = holding(&api, name);
        let out = run(aai(&api).args(["wait", &id, "--json", "--poll-interval", "50ms"]));
        out.expect_ok();
        assert_eq!(out.stdout.trim_end(), fixture(name).trim_end(), "{name}");
    }
}

#[test]
fn export_json_prints_the_server_bytes_of_an_odd_transcript_exactly() {
    let api = FakeApi::start();
    let id = holding(&api, "transcript_2020.json");
    let out = run(aai(&api).args(["export", &id, "--json"]));
    out.expect_ok();
    assert_eq!(
        out.stdout.trim_end(),
        fixture("transcript_2020.json").trim_end()
    );
}

#[test]
fn transcribe_json_keeps_unknown_fields_and_values_as_sent() {
    let api = FakeApi::start();
    let mut odd = value("transcript_2020.json");
    let fields = odd.as_object_mut().unwrap();
    for own in ["id", "status", "audio_url"] {
        fields.remove(own);
    }
    // A string for a documented integer, on a key the request does not echo.
    fields.insert("webhook_status_code".into(), "200".into());
    api.push_script(Script::after_polls(0, 1).with_transcript(odd));
    let out = run(aai(&api).args([
        "transcribe",
        "https://example.com/a.mp3",
        "--json",
        "--poll-interval",
        "50ms",
    ]));
    out.expect_ok();
    let printed: Value = serde_json::from_str(&out.stdout).unwrap();
    let served = api.transcripts().remove(0);
    assert_eq!(printed, served);
    // The values the types coerce or drop are printed as the server sent them.
    assert_eq!(printed["webhook_status_code"], "200");
    assert_eq!(printed["audio_duration"].as_f64(), Some(36.288));
    assert_eq!(printed["words"][0]["confidence"].as_u64(), Some(1));
    assert_eq!(printed["word_boost"], Value::Array(vec![]));
    assert!(printed.get("cluster_id").is_some());
}

#[test]
fn get_reads_a_queued_reply_with_empty_result_objects() {
    let api = FakeApi::start();
    let id = holding(&api, "transcript_2021_queued.json");
    let out = run(aai(&api).args(["get", &id]));
    out.expect_ok();
    assert_eq!(out.stdout, "queued\n");
}

#[test]
fn list_search_upload_and_redacted_audio_json_print_the_server_bytes() {
    const ID: &str = "d5a3d302-066e-43fb-b63b-8f57baf185db";
    let dir = TempDir::new("live-json");
    let audio = dir.file("a.wav", &audio_bytes(2000));
    let audio = audio.to_str().unwrap();
    let search = format!("/v2/transcript/{ID}/word-search");
    let redacted = format!("/v2/transcript/{ID}/redacted-audio");
    for (name, method, path, args) in [
        (
            "list_2024.json",
            "GET",
            "/v2/transcript",
            vec!["list", "--json"],
        ),
        (
            "word_search_2022.json",
            "GET",
            &search,
            vec!["search", ID, "tv", "--json"],
        ),
        (
            "upload_2020.json",
            "POST",
            "/v2/upload",
            vec!["upload", audio, "--json"],
        ),
        (
            "redacted_audio_2023.json",
            "GET",
            &redacted,
            vec!["redacted-audio", ID, "--json"],
        ),
    ] {
        let api = serving(name, method, path);
        let out = run(aai(&api).args(&args));
        out.expect_ok();
        assert_eq!(out.stdout.trim_end(), fixture(name).trim_end(), "{name}");
    }
}

#[test]
fn list_all_json_prints_each_entry_as_sent() {
    let api = serving("list_2024.json", "GET", "/v2/transcript");
    // The page after is asked for as older than the page's last entry; the fake must know it.
    let sent = value("list_2024.json")["transcripts"].clone();
    api.insert_transcript(sent[1].clone());
    let out = run(aai(&api).args(["list", "--all", "--json"]));
    out.expect_ok();
    let printed: Vec<Value> = out
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(Value::Array(printed), sent);
    assert_eq!(
        api.count("GET", "/v2/transcript"),
        2,
        "the page after was asked for"
    );
}
