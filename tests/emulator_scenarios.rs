//! The emulator's account scenarios (concurrency limit, rate limit, varying completion times),
//! through the library API and through the tests' `support` shim, with a plain HTTP client.

mod support;

use std::time::Duration;

use assemblyai::emulator::{Emulator, Script};
use serde_json::{Value, json};

/// A reply: status, `Retry-After` if any, and the body as JSON (`Null` when it isn't).
struct Reply {
    status: u16,
    retry_after: Option<String>,
    json: Value,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn send(base_url: &str, method: &str, path: &str, body: Option<&Value>) -> Reply {
    let url = format!("{base_url}{path}");
    let agent = agent();
    let response = match (method, body) {
        ("POST", Some(body)) => agent
            .post(&url)
            .header("Authorization", support::TEST_KEY)
            .header("Content-Type", "application/json")
            .send(body.to_string().as_bytes()),
        _ => agent
            .get(&url)
            .header("Authorization", support::TEST_KEY)
            .call(),
    };
    let mut response = response.expect("the emulator answers");
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let text = response.body_mut().read_to_string().unwrap();
    Reply {
        status: response.status().as_u16(),
        retry_after,
        json: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

fn create(base_url: &str) -> Value {
    let params = json!({
        "audio_url": "https://assembly.ai/wildfires.mp3",
        "speech_models": ["universal-2"],
    });
    let reply = send(base_url, "POST", "/v2/transcript", Some(&params));
    assert_eq!(reply.status, 200, "{}", reply.json);
    reply.json
}

fn get(base_url: &str, id: &str) -> Value {
    send(base_url, "GET", &format!("/v2/transcript/{id}"), None).json
}

#[test]
fn concurrency_limit_keeps_extra_jobs_queued_and_throttled_until_a_slot_frees() {
    let api = support::FakeApi::builder()
        .concurrency_limit(1)
        .script(Script::after_polls(0, 1))
        .start();
    let base = api.base_url();
    let first = create(&base);
    let second = create(&base);
    let (first, second) = (first["id"].as_str().unwrap(), &second);
    assert_eq!(second["status"], "queued");
    assert_eq!(second["throttled"], true);
    let second = second["id"].as_str().unwrap();

    // However often it is polled, the second job waits while the first holds the only slot.
    for _ in 0..3 {
        let waiting = get(&base, second);
        assert_eq!(
            (waiting["status"].as_str(), waiting["throttled"].as_bool()),
            (Some("queued"), Some(true))
        );
    }
    assert_eq!(get(&base, first)["status"], "processing");
    assert_eq!(get(&base, first)["status"], "completed");

    // The slot is free: the second job starts, and its own script runs from there.
    let started = get(&base, second);
    assert_ne!(started["throttled"], true);
    let statuses: Vec<Value> = (0..3)
        .map(|_| get(&base, second)["status"].clone())
        .collect();
    assert_eq!(statuses.last().unwrap(), "completed", "{statuses:?}");
}

#[test]
fn time_based_jobs_start_when_the_slot_frees_not_when_someone_looks() {
    let emulator = Emulator::builder()
        .concurrency_limit(1)
        .script(Script::after(Duration::from_millis(30)))
        .start()
        .unwrap();
    let base = emulator.base_url();
    let ids: Vec<String> = (0..3)
        .map(|_| create(base)["id"].as_str().unwrap().to_string())
        .collect();
    // One slot, 30 ms a job: the three have run one after the other within 90 ms of their
    // creation, though nobody looked at them meanwhile.
    std::thread::sleep(Duration::from_millis(200));
    for id in &ids {
        assert_eq!(get(base, id)["status"], "completed");
    }
}

#[test]
fn rate_limit_answers_429_with_retry_after_and_lets_refused_requests_go_uncounted() {
    let api = support::FakeApi::builder()
        .rate_limit(2, Duration::from_secs(60))
        .start();
    let base = api.base_url();
    assert_eq!(send(&base, "GET", "/v2/transcript", None).status, 200);
    assert_eq!(send(&base, "GET", "/v2/transcript", None).status, 200);
    for _ in 0..2 {
        let refused = send(&base, "GET", "/v2/transcript", None);
        assert_eq!(refused.status, 429);
        assert_eq!(refused.json, json!({"error": "Too Many Requests"}));
        let secs: u64 = refused.retry_after.expect("Retry-After").parse().unwrap();
        assert!((59..=60).contains(&secs), "Retry-After: {secs}");
    }
    let refused: Vec<bool> = api.requests().iter().map(|r| r.rate_limited).collect();
    assert_eq!(refused, [false, false, true, true]);
}

#[test]
fn varying_completion_times_finish_jobs_out_of_creation_order() {
    let emulator = Emulator::builder()
        .script(Script::after_between(
            Duration::ZERO,
            Duration::from_millis(600),
        ))
        .start()
        .unwrap();
    let base = emulator.base_url();
    let mut running: Vec<(usize, String)> = (0..6)
        .map(|i| (i, create(base)["id"].as_str().unwrap().to_string()))
        .collect();
    let mut finished = Vec::new();
    while !running.is_empty() {
        std::thread::sleep(Duration::from_millis(10));
        running.retain(|(i, id)| {
            let done = get(base, id)["status"] == "completed";
            if done {
                finished.push(*i);
            }
            !done
        });
    }
    let mut in_creation_order = finished.clone();
    in_creation_order.sort();
    assert_ne!(finished, in_creation_order);
}

#[test]
fn speaker_labels_decide_whether_words_have_speakers_and_utterances_exist() {
    let emulator = Emulator::start().unwrap();
    let base = emulator.base_url();
    let ask = |params: Value| {
        let reply = send(base, "POST", "/v2/transcript", Some(&params));
        let id = reply.json["id"].as_str().unwrap().to_string();
        get(base, &id); // processing
        get(base, &id)
    };
    let url = "https://assembly.ai/wildfires.mp3";
    let models = json!(["universal-2"]);
    let plain = ask(json!({"audio_url": url, "speech_models": models}));
    assert_eq!(plain["status"], "completed");
    assert!(plain["utterances"].is_null());
    assert!(
        plain["words"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["speaker"].is_null())
    );

    let three = ask(json!({"audio_url": url, "speech_models": models,
        "speaker_labels": true, "speakers_expected": 3}));
    let mut speakers: Vec<&str> = three["utterances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["speaker"].as_str().unwrap())
        .collect();
    speakers.sort();
    speakers.dedup();
    assert_eq!(speakers, ["A", "B", "C"]);
    // The text is what the words say, so every export derived from them agrees with it.
    let words: Vec<&str> = three["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["text"].as_str().unwrap())
        .collect();
    assert_eq!(words.join(" "), three["text"].as_str().unwrap());
}
