//! The emulator against the published spec: every endpoint called through Prism in proxy mode
//! (`prism proxy`), which validates each request and each of the emulator's answers against
//! the spec; and the emulator's export bodies shaped like the spec's fixtures.
//!
//! Three kinds of violation are expected and allowed, each for a stated reason: URLs on the
//! emulator's own loopback host (the spec's `url` format refuses loopback addresses, but
//! uploads, paging and redacted audio must come back to the emulator); the 202 of a redacted
//! audio not ready yet (the API's behaviour, which the spec omits); and the nulls of the
//! deleted object, which is the spec's own `DeleteTranscriptResponse` example.
//!
//! Skipped, saying why, when Prism or the spec is missing (`.ci/run` installs Prism).

mod contract_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use assemblyai::emulator::{Emulator, Script};
use assemblyai::{
    Client, ListQuery, PiiPolicy, PollSchedule, RetryPolicy, SubtitleFormat, TranscriptRequest,
    TranscriptStatus, WaitOptions,
};
use contract_support::KEY;
use contract_support::prism::{LISTENING, locate};
use serde_json::Value;

/// `prism proxy` in front of an upstream, logging to a file; killed on drop.
struct Proxy {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Proxy {
    fn start(bin: &Path, spec: &Path, upstream: &str) -> Proxy {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("prism-proxy-{}-{port}.log", std::process::id()));
        let file = fs::File::create(&log).unwrap();
        let child = Command::new(bin)
            .args(["proxy", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .arg(upstream)
            .env("FORCE_COLOR", "0")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .expect("Prism runs");
        let proxy = Proxy { child, port, log };
        let give_up = Instant::now() + Duration::from_secs(60);
        while !proxy.log_text().contains(LISTENING) {
            assert!(
                Instant::now() < give_up,
                "Prism did not start:\n{}",
                proxy.log_text()
            );
            thread::sleep(Duration::from_millis(100));
        }
        proxy
    }

    fn log_text(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The violation lines Prism logged, each without its timestamp.
    fn violations(&self) -> Vec<String> {
        // Prism may log a violation just after it answered.
        thread::sleep(Duration::from_millis(300));
        let text = self.log_text();
        let lines = text.lines().filter(|l| l.contains("Violation:"));
        lines
            .map(|l| l.split("Violation:").nth(1).unwrap().trim().to_string())
            .collect()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A spec-format `url` refusal of a URL the emulator must point at itself.
fn is_loopback_url_refusal(violation: &str) -> bool {
    violation.ends_with("must match format \"url\"")
}

/// The 202 of `/redacted-audio` while the file is being made: the API's behaviour (the SDKs
/// rely on it), which the spec doesn't list.
fn is_redacted_audio_202(violation: &str) -> bool {
    violation.starts_with("response Unable to match the returned status code")
}

/// The nulls (and `http://deleted_by_user` URL) of the spec's `DeleteTranscriptResponse`.
fn is_deleted_example_refusal(violation: &str) -> bool {
    [
        "language_code",
        "redact_pii_sub",
        "error",
        "topics",
        "webhook_url",
        "audio_url",
    ]
    .iter()
    .any(|field| violation.starts_with(&format!("response.body.{field} ")))
}

fn sample_wav() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/hello.wav")
}

#[test]
fn every_endpoint_answers_as_the_spec_says_through_a_validating_proxy() {
    let (bin, spec) = match locate() {
        Ok(found) => found,
        Err(why) => {
            eprintln!("skipped: {why} (.ci/run installs Prism)");
            return;
        }
    };
    let emulator = Emulator::builder()
        .key(KEY)
        .script(Script::after_polls(0, 1).redacted_audio_after(1))
        .start()
        .unwrap();
    let proxy = Proxy::start(&bin, &spec, emulator.base_url());
    let client = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{}", proxy.port))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let wait = WaitOptions::default().poll(PollSchedule::fixed(Duration::from_millis(20)));

    let mut request = TranscriptRequest::default();
    request.speaker_labels = Some(true);
    let done = client
        .transcribe(sample_wav().as_path(), &request, &wait)
        .unwrap();
    let id = done.id.as_str();
    assert_eq!(done.status, TranscriptStatus::Completed);
    client
        .get_subtitles(id, SubtitleFormat::Srt, Some(32))
        .unwrap();
    client.get_subtitles(id, SubtitleFormat::Vtt, None).unwrap();
    client.get_sentences(id).unwrap();
    client.get_paragraphs(id).unwrap();
    client.word_search(id, &["smoke", "air quality"]).unwrap();

    let mut redacted = TranscriptRequest::new("https://example.com/call.mp3");
    redacted.redact_pii = Some(true);
    redacted.redact_pii_audio = Some(true);
    redacted.redact_pii_policies = Some(vec![PiiPolicy::PersonName]);
    let job = client.create_transcript(&redacted).unwrap();
    client.wait_for_transcript(&job.id, &wait).unwrap();
    assert!(
        client.get_redacted_audio(&job.id).unwrap().is_none(),
        "202 first"
    );
    assert!(client.get_redacted_audio(&job.id).unwrap().is_some());

    let failing = client.transcribe(
        "https://files.example.invalid/gone.mp3",
        &TranscriptRequest::default(),
        &wait,
    );
    assert!(failing.is_err());
    let mut query = ListQuery::new();
    query.limit = Some(2);
    let page = client.list_transcripts(&query).unwrap();
    assert_eq!(page.transcripts.len(), 2);
    query.status = Some(TranscriptStatus::Error);
    client.list_transcripts(&query).unwrap();
    assert!(
        client
            .get_transcript("00000000-0000-4000-8000-000000000000")
            .is_err()
    );

    let before_delete = proxy.violations().len();
    client.delete_transcript(id).unwrap();
    client.get_transcript(id).unwrap();

    let violations = proxy.violations();
    let (before, after) = violations.split_at(before_delete);
    let unexpected: Vec<&String> = before
        .iter()
        .filter(|v| !is_loopback_url_refusal(v) && !is_redacted_audio_202(v))
        .chain(after.iter().filter(|v| !is_deleted_example_refusal(v)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "the emulator broke the spec:\n{unexpected:#?}\n(Prism's log: {})",
        proxy.log.display()
    );
    assert!(
        proxy.log_text().matches("Forwarding").count() > 10,
        "the calls went through the proxy"
    );
}

/// The keys of `value` and, for arrays, of their first element, as `a.b[].c` paths.
fn shape(value: &Value, at: &str, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = format!("{at}.{key}");
                into.push(path.clone());
                shape(inner, &path, into);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                shape(first, &format!("{at}[]"), into);
            }
        }
        _ => {}
    }
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn export_bodies_have_the_shape_of_the_specs_fixtures() {
    let emulator = Emulator::builder().key(KEY).start().unwrap();
    let client = Client::builder(KEY)
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let wait = WaitOptions::default().poll(PollSchedule::fixed(Duration::from_millis(10)));
    let mut request = TranscriptRequest::default();
    request.speaker_labels = Some(true);
    let id = client
        .transcribe(sample_wav().as_path(), &request, &wait)
        .unwrap()
        .id;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for (path, name) in [
        (format!("/v2/transcript/{id}/sentences"), "sentences.json"),
        (format!("/v2/transcript/{id}/paragraphs"), "paragraphs.json"),
        (
            format!("/v2/transcript/{id}/word-search?words=smoke"),
            "word_search.json",
        ),
        ("/v2/transcript?limit=1".to_string(), "transcript_list.json"),
    ] {
        let url = format!("{}{path}", emulator.base_url());
        let mut reply = agent.get(&url).header("Authorization", KEY).call().unwrap();
        let ours: Value =
            serde_json::from_str(&reply.body_mut().read_to_string().unwrap()).unwrap();
        let (mut want, mut got) = (Vec::new(), Vec::new());
        shape(&fixture(name), "", &mut want);
        shape(&ours, "", &mut got);
        let missing: Vec<&String> = want.iter().filter(|k| !got.contains(k)).collect();
        assert!(
            missing.is_empty(),
            "{name}: the emulator's answer lacks {missing:?}\n{ours:#}"
        );
    }
}
