//! What the contract tests against Prism found, pinned on the fake API so
//! that it stays fixed where Prism is not installed.

mod support;

use std::process::Command;

use assemblyai::{AudioSource, Client, Error, ListQuery, SubtitleFormat, TranscriptRequest};
use serde_json::json;
use support::{FakeApi, Fault};

const ID: &str = "9ea68fd3-f953-42c1-9742-976c447fb463";

fn client(api: &FakeApi) -> Client {
    Client::builder(api.key())
        .base_url(api.base_url())
        .build()
        .unwrap()
}

fn json_body(status: u16, value: serde_json::Value) -> Fault {
    Fault::Body {
        status,
        content_type: "application/json".into(),
        body: value.to_string().into_bytes(),
    }
}

#[test]
fn subtitles_are_asked_for_as_text() {
    // Asking for JSON only made a negotiating server (Prism) answer 406.
    let api = FakeApi::start();
    let path = format!("/v2/transcript/{ID}/srt");
    api.inject(
        Fault::Body {
            status: 200,
            content_type: "text/plain".into(),
            body: b"1\n00:00:00,250 --> 00:00:02,000\nSmoke\n".to_vec(),
        }
        .on("GET", &path),
    );
    let srt = client(&api)
        .get_subtitles(ID, SubtitleFormat::Srt, Some(32))
        .unwrap();
    assert!(srt.contains("-->"));
    let request = &api.requests_to("GET", &path)[0];
    let accept = request
        .headers
        .iter()
        .find(|(name, _)| name == "accept")
        .map(|(_, value)| value.as_str());
    assert!(
        accept.is_some_and(|accept| accept.starts_with("text/plain")),
        "{accept:?}"
    );
}

#[test]
fn an_upload_answer_whose_url_is_not_a_url_is_refused_before_a_transcript_is_created() {
    let api = FakeApi::start();
    api.inject(
        json_body(200, json!({"upload_url": "dolore adipisicing"})).on("POST", "/v2/upload"),
    );
    let error = client(&api)
        .transcribe(
            AudioSource::reader(&b"some audio"[..]),
            &TranscriptRequest::default(),
            &Default::default(),
        )
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidResponse { message, .. } if message.contains("upload_url")),
        "{error:?}"
    );
    assert_eq!(api.count("POST", "/v2/transcript"), 0);
}

#[test]
fn walking_every_page_stops_when_the_server_answers_the_same_page_again() {
    let api = FakeApi::start();
    let page = json!({
        "page_details": {
            "limit": 2, "result_count": 2,
            "current_url": "https://api.assemblyai.com/v2/transcript?limit=2",
            "prev_url": "https://api.assemblyai.com/v2/transcript?limit=2&before_id=28a73d01-98db-41dd-9e98-2533ba0af117",
            "next_url": null
        },
        "transcripts": [
            {"id": ID, "resource_url": "https://api.assemblyai.com/v2/transcript/x", "status": "completed",
             "created": "2024-03-11T21:29:59.936851", "completed": null, "audio_url": "https://assembly.ai/a.mp3", "error": null},
            {"id": "28a73d01-98db-41dd-9e98-2533ba0af117", "resource_url": "https://api.assemblyai.com/v2/transcript/y",
             "status": "error", "created": "2024-03-11T21:12:57.372215", "completed": null,
             "audio_url": "https://assembly.ai/b.mp3", "error": "Download error"}
        ]
    });
    api.inject(json_body(200, page).on("GET", "/v2/transcript").times(100));
    let ids: Vec<String> = client(&api)
        .list_all_transcripts(&ListQuery::new())
        .take(100)
        .map(|item| item.unwrap().id)
        .collect();
    assert_eq!(ids, [ID, "28a73d01-98db-41dd-9e98-2533ba0af117"]);
    assert_eq!(api.count("GET", "/v2/transcript"), 2);
}

#[test]
fn flags_of_two_speech_understanding_tasks_send_both_in_one_request() {
    // The API runs several tasks per request (api-2026.md §3): the CLI sends
    // every task asked for, none dropped.
    let api = FakeApi::start();
    let output = Command::new(env!("CARGO_BIN_EXE_aai"))
        .args(["submit", "https://example.com/audio.mp3"])
        .args(["--target-languages", "es", "--speaker-type", "name"])
        .env("ASSEMBLYAI_BASE_URL", api.base_url())
        .env("ASSEMBLYAI_API_KEY", api.key())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let create = api
        .requests()
        .into_iter()
        .find(|request| request.method == "POST" && request.path == "/v2/transcript")
        .expect("a create request");
    assert_eq!(
        create.json()["speech_understanding"]["request"],
        serde_json::json!({
            "translation": {"target_languages": ["es"]},
            "speaker_identification": {"speaker_type": "name"}
        })
    );
}
