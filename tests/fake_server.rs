//! Self-tests of the fake API in `tests/support`, through a raw TCP client so they depend on
//! nothing but the fake itself.

mod support;

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};
use support::{FakeApi, Fault, NotFoundStyle, Script, fnv1a64};

/// A response as the raw client read it.
struct Reply {
    status: u16,
    /// Status line and headers.
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{}: ", name.to_ascii_lowercase());
        let line = self
            .head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))?;
        Some(&line[prefix.len()..])
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

fn connect(api: &FakeApi) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(api.base_url().trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    BufReader::new(stream)
}

/// `request_line`'s head with the API key and `headers`, without the blank line ending it.
fn head(api: &FakeApi, request_line: &str, headers: &[&str]) -> String {
    let mut head = format!("{request_line} HTTP/1.1\r\nAuthorization: {}", api.key());
    for header in headers {
        head = format!("{head}\r\n{header}");
    }
    head
}

/// Sends `head` and `body` as they are, then reads the reply.
fn exchange(conn: &mut BufReader<TcpStream>, head: &str, body: &[u8]) -> io::Result<Reply> {
    let stream = conn.get_mut();
    stream.write_all(format!("{head}\r\n\r\n").as_bytes())?;
    stream.write_all(body)?;
    read_reply(conn)
}

/// Reads one response, its body framed by Content-Length (none: empty).
fn read_reply(conn: &mut BufReader<TcpStream>) -> io::Result<Reply> {
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        if conn.read_line(&mut head)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
    let status = head[9..12].parse().unwrap();
    let mut reply = Reply {
        status,
        head,
        body: Vec::new(),
    };
    let len = reply
        .header("content-length")
        .map_or(0, |v| v.parse().unwrap());
    reply.body.resize(len, 0);
    conn.read_exact(&mut reply.body)?;
    Ok(reply)
}

fn read_to_close(conn: &mut BufReader<TcpStream>) -> Vec<u8> {
    let mut received = Vec::new();
    conn.read_to_end(&mut received).unwrap();
    received
}

fn call(api: &FakeApi, method: &str, target: &str, body: &[u8]) -> Reply {
    let length = format!("Content-Length: {}", body.len());
    let head = head(api, &format!("{method} {target}"), &[&length]);
    exchange(&mut connect(api), &head, body).unwrap()
}

fn get(api: &FakeApi, target: &str) -> Reply {
    call(api, "GET", target, b"")
}

fn create(api: &FakeApi, params: Value) -> Reply {
    call(api, "POST", "/v2/transcript", params.to_string().as_bytes())
}

/// Creates a transcript and returns its id.
fn create_id(api: &FakeApi, params: Value) -> String {
    let created = create(api, params).json();
    created["id"].as_str().unwrap().to_string()
}

fn request_params() -> Value {
    json!({
        "audio_url": "https://assembly.ai/wildfires.mp3",
        "speech_models": ["universal-3-5-pro", "universal-2"],
        "speaker_labels": true,
    })
}

/// `data` in chunks of `size` bytes, with an extension on the first and a trailer at the end.
fn chunked(data: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, chunk) in data.chunks(size).enumerate() {
        let ext = if i == 0 { ";name=value" } else { "" };
        out.extend_from_slice(format!("{:x}{ext}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\nX-Trailer: yes\r\n\r\n");
    out
}

#[test]
fn requests_without_the_raw_key_are_rejected_with_401() {
    let api = FakeApi::start();
    for auth in ["", &format!("Authorization: Bearer {}\r\n", api.key())] {
        let head = format!("GET /v2/transcript HTTP/1.1\r\n{auth}Content-Length: 0");
        let reply = exchange(&mut connect(&api), head.trim_end(), b"").unwrap();
        assert_eq!(reply.status, 401);
        assert_eq!(
            reply.json(),
            json!({"error": "Authentication error, API token missing/invalid"})
        );
    }
    assert_eq!(get(&api, "/v2/transcript").status, 200);
}

#[test]
fn chunked_upload_is_recorded_with_its_length_and_checksum() {
    let api = FakeApi::start();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let head = head(&api, "POST /v2/upload", &["Transfer-Encoding: chunked"]);
    let reply = exchange(&mut connect(&api), &head, &chunked(&data, 65_537)).unwrap();

    assert_eq!(reply.status, 200);
    let url = reply.json()["upload_url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("{}/files/", api.base_url())),
        "{url}"
    );
    let upload = &api.uploads()[0];
    assert_eq!(
        (upload.len, upload.fnv, upload.chunked),
        (3_000_000, fnv1a64(&data), true)
    );
    assert_eq!(upload.url, url);
    let request = &api.requests_to("POST", "/v2/upload")[0];
    assert_eq!((request.body_len, request.chunked), (3_000_000, true));
    assert!(request.body.is_empty(), "bodies over 1 MiB are not kept");
}

#[test]
fn sized_upload_is_kept_whole_when_small() {
    let api = FakeApi::start();
    let reply = call(&api, "POST", "/v2/upload", b"RIFF fake audio");

    assert_eq!(reply.status, 200);
    let request = &api.requests()[0];
    assert_eq!(request.body, b"RIFF fake audio");
    assert_eq!(request.header("Content-Length"), Some("15"));
    assert!(!api.uploads()[0].chunked);
    assert_eq!(call(&api, "POST", "/v2/upload", b"").status, 400);
}

#[test]
fn transcript_goes_queued_processing_completed_with_after_polls() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(1, 1));
    let created = create(&api, request_params()).json();
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["status"], "queued");
    assert_eq!(created["speaker_labels"], true);
    assert_eq!(created["text"], Value::Null);
    assert_eq!(id.len(), 36);

    let statuses: Vec<Value> = (0..3)
        .map(|_| get(&api, &format!("/v2/transcript/{id}")).json())
        .collect();
    assert_eq!(statuses[0]["status"], "queued");
    assert_eq!(statuses[1]["status"], "processing");
    let done = &statuses[2];
    assert_eq!(done["status"], "completed");
    assert_eq!(done["id"], id);
    assert_eq!(done["audio_url"], "https://assembly.ai/wildfires.mp3");
    assert!(
        done["text"]
            .as_str()
            .unwrap()
            .starts_with("Smoke from hundreds of wildfires")
    );
    assert_eq!(done["speech_model_used"], "universal-3-5-pro");
    assert_eq!(api.transcripts()[0]["status"], "completed");
}

#[test]
fn failing_script_ends_in_error_with_its_message() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 1).failing("Audio duration is too short."));
    let id = create_id(&api, request_params());

    assert_eq!(
        get(&api, &format!("/v2/transcript/{id}")).json()["status"],
        "processing"
    );
    let failed = get(&api, &format!("/v2/transcript/{id}")).json();
    assert_eq!(failed["status"], "error");
    assert_eq!(failed["error"], "Audio duration is too short.");
    let sentences = get(&api, &format!("/v2/transcript/{id}/sentences"));
    assert_eq!(sentences.status, 400, "exports need a completed transcript");
}

#[test]
fn create_runs_unnamed_models_on_the_account_default_and_rejects_retired_or_mistyped_ones() {
    let api = FakeApi::start();
    let no_models = create(&api, json!({"audio_url": "https://example.com/a.mp3"}));
    assert_eq!(no_models.status, 200, "speech_models is optional again");
    let retired = create(
        &api,
        json!({"audio_url": "https://example.com/a.mp3", "speech_models": ["universal-3-pro"]}),
    );
    assert_eq!(retired.status, 400);
    assert!(
        retired.json()["error"]
            .as_str()
            .unwrap()
            .contains("have been deprecated")
    );
    assert_eq!(api.transcripts().len(), 1, "only the first was created");

    let mut mistyped = request_params();
    mistyped["format_text"] = json!("yes");
    let reply = create(&api, mistyped);
    assert_eq!(
        (reply.status, reply.json()),
        (400, json!({"error": "format_text must be a Boolean"}))
    );
    assert_eq!(api.transcripts().len(), 1);
}

#[test]
fn unknown_transcript_is_404_or_the_documented_lookup_error() {
    let missing = "/v2/transcript/00000000-0000-4000-8000-000000000000";
    let api = FakeApi::start();
    assert_eq!(get(&api, missing).status, 404);
    assert_eq!(get(&api, "/v2/transcript/not-an-id").status, 400);

    let api = FakeApi::builder()
        .not_found(NotFoundStyle::LookupError400)
        .start();
    let reply = get(&api, missing);
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["error"],
        "Transcript lookup error, transcript id not found"
    );
}

#[test]
fn list_walks_25_transcripts_in_pages_of_10_via_prev_url() {
    let api = FakeApi::start();
    let ids: Vec<String> = (0..25).map(|_| api.insert_transcript(json!({}))).collect();
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut target = "/v2/transcript?limit=10".to_string();
    loop {
        let page = get(&api, &target).json();
        pages += 1;
        let details = &page["page_details"];
        let items = page["transcripts"].as_array().unwrap();
        assert_eq!(details["result_count"], items.len());
        seen.extend(items.iter().map(|t| t["id"].as_str().unwrap().to_string()));
        match details["prev_url"].as_str() {
            Some(url) => target = url.strip_prefix(&api.base_url()).unwrap().to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let newest_first: Vec<String> = ids.into_iter().rev().collect();
    assert_eq!(seen, newest_first);
}

#[test]
fn rate_limit_fault_is_served_once_with_retry_after_then_consumed() {
    let api = FakeApi::start();
    api.inject(Fault::too_many_requests(7).on("POST", "/v2/transcript"));

    let limited = create(&api, request_params());
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("Retry-After"), Some("7"));
    assert_eq!(limited.json(), json!({"error": "Too Many Requests"}));
    assert_eq!(create(&api, request_params()).status, 200);
    assert_eq!(
        api.transcripts().len(),
        1,
        "the faulted request created nothing"
    );
    let recorded = api.requests_to("POST", "/v2/transcript");
    assert!(recorded[0].fault.is_some() && recorded[1].fault.is_none());
}

#[test]
fn drop_before_response_closes_without_a_reply() {
    let api = FakeApi::start();
    api.inject(Fault::DropBeforeResponse.on("GET", "/v2/transcript"));
    let head = head(&api, "GET /v2/transcript", &[]);

    let error = exchange(&mut connect(&api), &head, b"")
        .err()
        .expect("no reply");
    assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    assert_eq!(api.requests()[0].fault, Some(Fault::DropBeforeResponse));
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let api = FakeApi::start();
    let mut conn = connect(&api);
    let head = head(&api, "GET /v2/transcript", &[]);
    for _ in 0..3 {
        assert_eq!(exchange(&mut conn, &head, b"").unwrap().status, 200);
    }
    assert_eq!(api.count("GET", "/v2/transcript"), 3);
}

#[test]
fn expect_100_continue_gets_an_interim_response_before_the_body() {
    let api = FakeApi::start();
    let mut conn = connect(&api);
    let head = head(
        &api,
        "POST /v2/upload",
        &["Content-Length: 3", "Expect: 100-continue"],
    );
    assert_eq!(exchange(&mut conn, &head, b"").unwrap().status, 100);
    conn.get_mut().write_all(b"abc").unwrap();
    assert_eq!(read_reply(&mut conn).unwrap().status, 200);
    assert_eq!(api.uploads()[0].len, 3);
}

#[test]
fn long_transcript_of_100000_words_is_15_to_25_mb_and_text_matches_words() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 0).with_words(100_000));
    let id = create_id(&api, request_params());

    let reply = get(&api, &format!("/v2/transcript/{id}"));
    let mb = reply.body.len() as f64 / 1e6;
    assert!((15.0..25.0).contains(&mb), "{mb} MB");
    let t = reply.json();
    let words = t["words"].as_array().unwrap();
    assert_eq!(words.len(), 100_000);
    let joined: Vec<&str> = words.iter().map(|w| w["text"].as_str().unwrap()).collect();
    assert_eq!(t["text"], joined.join(" "));
    let speakers: Vec<&Value> = t["utterances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| &u["speaker"])
        .take(2)
        .collect();
    assert_eq!(speakers, [&json!("A"), &json!("B")]);
}

#[test]
fn drop_during_body_cuts_the_upload_and_records_the_bytes_read() {
    let api = FakeApi::start();
    let cut = Fault::DropDuringBody {
        after_bytes: 100_000,
    };
    api.inject(cut.on("POST", "/v2/upload"));
    let head = head(&api, "POST /v2/upload", &["Content-Length: 2000000"]);

    assert!(exchange(&mut connect(&api), &head, &[7; 2_000_000]).is_err());
    assert_eq!(api.requests()[0].body_len, 100_000);
    assert!(api.uploads().is_empty());
}

#[test]
fn drop_after_create_creates_the_job_but_sends_no_reply() {
    let api = FakeApi::start();
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript"));
    let body = request_params().to_string();
    let length = format!("Content-Length: {}", body.len());
    let head = head(&api, "POST /v2/transcript", &[&length]);

    assert!(exchange(&mut connect(&api), &head, body.as_bytes()).is_err());
    assert_eq!(api.transcripts().len(), 1);
}

#[test]
fn drop_mid_response_sends_headers_and_half_the_body() {
    let api = FakeApi::start();
    api.inject(Fault::DropMidResponse.on("GET", "/v2/transcript"));
    let mut conn = connect(&api);
    let head = head(&api, "GET /v2/transcript", &[]);
    conn.get_mut()
        .write_all(format!("{head}\r\n\r\n").as_bytes())
        .unwrap();

    let received = String::from_utf8(read_to_close(&mut conn)).unwrap();
    let (head, body) = received.split_once("\r\n\r\n").unwrap();
    let full = get(&api, "/v2/transcript").body.len();
    let announced = format!("Content-Length: {full}");
    assert!(head.lines().any(|line| line == announced), "{head}");
    assert_eq!(body.len(), full / 2);
}

#[test]
fn garbage_is_sent_raw_then_the_connection_closes() {
    let api = FakeApi::start();
    api.inject(Fault::Garbage(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()).on("*", "/"));
    let mut conn = connect(&api);
    conn.get_mut()
        .write_all(b"GET /v2/transcript HTTP/1.1\r\n\r\n")
        .unwrap();

    assert_eq!(read_to_close(&mut conn), b"SSH-2.0-OpenSSH_9.6\r\n");
}

#[test]
fn body_fault_answers_as_given_and_keeps_the_connection() {
    let api = FakeApi::start();
    let truncated = Fault::Body {
        status: 200,
        content_type: "application/json".into(),
        body: br#"{"id": "abc", "sta"#.to_vec(),
    };
    api.inject(truncated.on("GET", "/v2/transcript").times(2));
    let mut conn = connect(&api);
    let head = head(&api, "GET /v2/transcript", &[]);

    for _ in 0..2 {
        let reply = exchange(&mut conn, &head, b"").unwrap();
        assert_eq!(
            (reply.status, reply.body.as_slice()),
            (200, &br#"{"id": "abc", "sta"#[..])
        );
    }
    assert!(exchange(&mut conn, &head, b"").unwrap().json()["page_details"].is_object());
}

#[test]
fn delay_holds_the_reply_then_answers_normally() {
    let api = FakeApi::start();
    api.inject(Fault::Delay(Duration::from_millis(300)).on("GET", "/v2/transcript"));

    let started = std::time::Instant::now();
    assert_eq!(get(&api, "/v2/transcript").status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn upload_from_a_foreign_project_cannot_be_transcribed() {
    let api = FakeApi::start();
    api.add_key("other-project-key", "other");
    let head = "POST /v2/upload HTTP/1.1\r\nAuthorization: other-project-key\r\nContent-Length: 5";
    let upload = exchange(&mut connect(&api), head, b"audio").unwrap().json();

    let mut params = request_params();
    params["audio_url"] = upload["upload_url"].clone();
    let reply = create(&api, params);
    assert_eq!(
        (reply.status, reply.json()),
        (403, json!({"error": "Cannot access uploaded file"}))
    );
}

#[test]
fn time_based_script_is_queued_then_processing_then_completed() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_secs(3)))
        .start();
    let id = create_id(&api, request_params());
    let status = || get(&api, &format!("/v2/transcript/{id}")).json()["status"].clone();

    assert_eq!(status(), "queued");
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(status(), "processing");
    std::thread::sleep(Duration::from_millis(2700));
    assert_eq!(status(), "completed");
}

#[test]
fn exports_are_consistent_with_the_transcript_words() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 0).with_words(200));
    let id = create_id(&api, request_params());
    let t = get(&api, &format!("/v2/transcript/{id}")).json();
    let export = |name: &str| get(&api, &format!("/v2/transcript/{id}/{name}"));

    for key in ["sentences", "paragraphs"] {
        let items = export(key).json()[key].as_array().unwrap().clone();
        let texts: Vec<&str> = items.iter().map(|s| s["text"].as_str().unwrap()).collect();
        assert_eq!(texts.join(" "), t["text"].as_str().unwrap(), "{key}");
    }
    let text = t["text"].as_str().unwrap().to_lowercase();
    let smoke = text
        .split(' ')
        .filter(|w| w.trim_end_matches(['.', '?']) == "smoke")
        .count();
    assert!(smoke > 0);
    let search = export("word-search?words=smoke,nothing%20here").json();
    assert_eq!(search["total_count"], smoke);
    assert_eq!(
        search["matches"][0]["indexes"].as_array().unwrap().len(),
        smoke
    );
    let srt = String::from_utf8(export("srt?chars_per_caption=32").body).unwrap();
    assert!(srt.starts_with("1\n00:00:00,250 --> "), "{srt}");
    assert!(
        srt.split("\n\n")
            .filter_map(|cue| cue.lines().nth(2))
            .all(|line| line.len() <= 32)
    );
}

#[test]
fn redacted_audio_is_accepted_until_ready_then_served() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 0).redacted_audio_after(2));
    let mut params = request_params();
    params["redact_pii_audio"] = json!(true);
    let id = create_id(&api, params);
    get(&api, &format!("/v2/transcript/{id}"));
    let redacted = || get(&api, &format!("/v2/transcript/{id}/redacted-audio"));

    assert_eq!((redacted().status, redacted().status), (202, 202));
    let ready = redacted().json();
    assert_eq!(ready["status"], "redacted_audio_ready");
    let url = ready["redacted_audio_url"].as_str().unwrap();
    let file = get(&api, url.strip_prefix(&api.base_url()).unwrap());
    assert_eq!(file.body, support::redacted_audio(&id));
}

#[test]
fn deleted_transcript_is_scrubbed_like_the_spec_example() {
    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 0));
    let id = create_id(&api, request_params());
    let path = format!("/v2/transcript/{id}");
    let delete = || call(&api, "DELETE", &path, b"");
    assert_eq!(delete().status, 400, "not finished yet");
    get(&api, &path);

    let deleted = delete().json();
    assert_eq!(deleted["text"], "Deleted by user.");
    assert_eq!(deleted["audio_url"], "http://deleted_by_user");
    assert_eq!(deleted["words"], Value::Null);
    assert_eq!(get(&api, &path).json(), deleted);
}

#[test]
fn request_hook_sees_every_request_in_order_even_refused_ones() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    let api = FakeApi::builder()
        .on_request(move |request| {
            let line = format!("{} {} {}", request.method, request.path, request.body_len);
            log.lock().unwrap().push(line);
        })
        .start();
    call(&api, "POST", "/v2/upload", b"audio");
    let id = create_id(&api, request_params());
    assert_eq!(get(&api, "/v2/transcript/not..an-id").status, 400);
    let create_len = request_params().to_string().len();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "POST /v2/upload 5".to_string(),
            format!("POST /v2/transcript {create_len}"),
            "GET /v2/transcript/not..an-id 0".to_string(),
        ]
    );
    assert!(!id.is_empty());
}

#[test]
fn uploads_are_counted_but_not_hashed_when_hashing_is_off() {
    let api = FakeApi::builder().hash_bodies(false).start();
    let data = vec![7u8; 3 << 20];
    assert_eq!(call(&api, "POST", "/v2/upload", &data).status, 200);
    let upload = &api.uploads()[0];
    assert_eq!(upload.len, data.len() as u64);
    assert_eq!(upload.fnv, fnv1a64(b""));
    assert_ne!(fnv1a64(&data), fnv1a64(b""));
}
