//! The library's `Batch` against the fake API: every source ends with exactly one transcript
//! (counted by the fake), despite faults; reruns resume from the journal.

mod common;
mod support;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assemblyai::batch::{
    Batch, BatchEvent as Event, Delivery, Outcome, Shard, Source, SourceFailure as Failure,
    SourceStatus as Status, Sources,
};
use assemblyai::{Client, RateLimiter, TranscriptRequest};
use support::{FakeApi, Fault, Script, fnv1a64};

/// A directory under the system temp dir, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let path = std::env::temp_dir().join(format!("aai-batch-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Dir(path)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn content(i: usize) -> Vec<u8> {
    format!("recording number {i}; ").repeat(40).into_bytes()
}

/// `n` recordings with distinct contents in `dir/in`, as sources.
fn recordings(dir: &Dir, n: usize) -> Vec<Source> {
    let input = dir.0.join("in");
    fs::create_dir_all(&input).unwrap();
    for i in 0..n {
        fs::write(input.join(format!("r{i:04}.mp3")), content(i)).unwrap();
    }
    Sources::collect([input.to_str().unwrap()]).unwrap().sources
}

fn request() -> TranscriptRequest {
    let mut request = TranscriptRequest::default();
    request.speech_models = Some(vec!["universal-2".into()]);
    request
}

fn client(api: &FakeApi) -> Client {
    common::builder(api)
        // The documented budget, ten times faster: a 429 ends bursts for the run.
        .rate_limiter(RateLimiter::per_second(500.0))
        .retry(common::fast_retry().max_attempts(10))
        .build()
        .unwrap()
}

/// Writes each transcript's JSON as the API sent it.
fn write_json(delivery: &Delivery<'_>) -> Result<(), Failure> {
    let mut file = fs::File::create(&delivery.outputs[0])?;
    delivery
        .client
        .download_transcript_json(delivery.transcript_id, &mut file)?;
    Ok(())
}

fn run(client: &Client, out: &Path, sources: &[Source]) -> Vec<Outcome> {
    Batch::new(client, out)
        .request(request())
        .outputs(["json"])
        .run(sources, &write_json, &|_| {})
        .unwrap()
        .outcomes
}

/// How many transcripts the fake made for each source, by the content of the upload each
/// transcript's audio_url names.
fn transcripts_per_source(api: &FakeApi, n: usize) -> Vec<usize> {
    let by_url: HashMap<String, u64> = api.uploads().into_iter().map(|u| (u.url, u.fnv)).collect();
    let source_of: HashMap<u64, usize> = (0..n).map(|i| (fnv1a64(&content(i)), i)).collect();
    let mut counts = vec![0; n];
    for transcript in api.transcripts() {
        let url = transcript["audio_url"].as_str().unwrap();
        counts[source_of[&by_url[url]]] += 1;
    }
    counts
}

#[test]
fn every_source_gets_one_transcript_and_its_output_in_input_order() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(300)))
        .start();
    let dir = Dir::new("basic");
    let sources = recordings(&dir, 40);
    let out = dir.0.join("out");

    let outcomes = run(&client(&api), &out, &sources);

    assert_eq!(transcripts_per_source(&api, 40), vec![1; 40]);
    let shown: Vec<String> = outcomes.iter().map(|o| o.source.clone()).collect();
    let expected: Vec<String> = sources.iter().map(Source::shown).collect();
    assert_eq!(shown, expected, "the report is in input order");
    for (i, outcome) in outcomes.iter().enumerate() {
        assert_eq!(outcome.status, Status::Done, "{outcome:?}");
        let written = fs::read_to_string(out.join(format!("r{i:04}.json"))).unwrap();
        assert!(written.contains(outcome.transcript_id.as_deref().unwrap()));
    }
}

#[test]
fn waiting_reads_list_pages_instead_of_a_get_per_job() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(1500)))
        .start();
    let dir = Dir::new("list");
    let sources = recordings(&dir, 60);

    run(&client(&api), &dir.0.join("out"), &sources);

    // Two GETs per job, both at its delivery: the transcript, whose model
    // and warnings go in the report, and the JSON this delivery downloads
    // (the CLI's reuses the first). Polling went through the list.
    let gets = api
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/v2/transcript/"))
        .count();
    assert_eq!(gets, 120);
    let lists = api.count("GET", "/v2/transcript");
    assert!(lists - gets < 20, "{} list requests", lists - gets);
}

#[test]
fn a_rerun_sends_nothing_for_finished_sources_and_redoes_a_changed_file_alone() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(200)))
        .start();
    let dir = Dir::new("rerun");
    let sources = recordings(&dir, 12);
    let out = dir.0.join("out");
    let client = client(&api);
    run(&client, &out, &sources);
    let before = api.requests().len();

    let again = run(&client, &out, &sources);
    assert_eq!(
        api.requests().len(),
        before,
        "a rerun of a finished batch sent requests"
    );
    assert!(again.iter().all(|o| o.status == Status::AlreadyDone));

    let changed = dir.0.join("in/r0005.mp3");
    fs::write(&changed, b"a new take of the fifth recording").unwrap();
    let third = run(&client, &out, &sources);
    assert_eq!(
        api.uploads().len(),
        13,
        "only the changed file is uploaded again"
    );
    assert_eq!(api.transcripts().len(), 13);
    assert!(third[5].changed && third[5].status == Status::Done);
    assert!(
        third
            .iter()
            .enumerate()
            .all(|(i, o)| i == 5 || o.status == Status::AlreadyDone)
    );
}

#[test]
fn a_file_copied_over_with_a_new_time_but_the_same_content_is_not_transcribed_again() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = Dir::new("touched");
    let sources = recordings(&dir, 3);
    let out = dir.0.join("out");
    let client = client(&api);
    run(&client, &out, &sources);
    // `cp` over itself without -p, or an rsync without -t: new times, same bytes; one file
    // really changed, with the same size.
    let later = std::time::SystemTime::now() + Duration::from_secs(3600);
    for source in &sources {
        let file = fs::OpenOptions::new()
            .write(true)
            .open(source.path().unwrap())
            .unwrap();
        file.set_modified(later).unwrap();
    }
    let mut changed = content(2);
    changed[0] ^= 1;
    fs::write(sources[2].path().unwrap(), &changed).unwrap();

    let outcomes = run(&client, &out, &sources);

    assert_eq!(outcomes[0].status, Status::AlreadyDone, "{:?}", outcomes[0]);
    assert_eq!(outcomes[1].status, Status::AlreadyDone);
    assert_eq!(outcomes[2].status, Status::Done);
    assert!(outcomes[2].changed);
    assert_eq!(api.transcripts().len(), 4);
}

#[test]
fn failed_sources_are_kept_until_retry_failed() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)).failing("Audio duration is too short."))
        .start();
    let dir = Dir::new("failed");
    let sources = recordings(&dir, 3);
    let out = dir.0.join("out");
    let client = client(&api);

    let first = run(&client, &out, &sources);
    assert!(first.iter().all(|o| o.status == Status::Failed));
    let failure = first[0].failure.as_ref().unwrap();
    assert!(
        failure.message.contains("Audio duration is too short."),
        "{failure:?}"
    );
    assert!(
        first[0].transcript_id.is_some(),
        "a failed transcript keeps its id"
    );

    api.set_script(Script::after(Duration::from_millis(100)));
    let kept = run(&client, &out, &sources);
    assert!(kept.iter().all(|o| o.status == Status::FailedBefore));
    assert_eq!(
        api.transcripts().len(),
        3,
        "failed sources were retried unasked"
    );

    let retried = Batch::new(&client, &out)
        .request(request())
        .outputs(["json"])
        .retry_failed(true)
        .run(&sources, &write_json, &|_| {})
        .unwrap();
    assert!(retried.outcomes.iter().all(|o| o.status == Status::Done));
    assert_eq!(api.transcripts().len(), 6);
}

#[test]
fn faults_on_every_route_still_give_each_source_exactly_one_transcript() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(300)))
        .start();
    api.inject(Fault::too_many_requests(1).on("*", "/v2/").times(8));
    api.inject(Fault::status(500).on("POST", "/v2/upload").times(5));
    api.inject(Fault::DropAfterCreate.on("POST", "/v2/transcript").times(6));
    api.inject(Fault::status(502).on("POST", "/v2/transcript").times(3));
    api.inject(
        Fault::DropBeforeResponse
            .on("GET", "/v2/transcript")
            .times(4),
    );
    api.inject(Fault::DropMidResponse.on("GET", "/v2/transcript/").times(4));
    let dir = Dir::new("faults");
    let n = 200;
    let sources = recordings(&dir, n);
    let out = dir.0.join("out");

    let outcomes = run(&client(&api), &out, &sources);

    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.succeeded()).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(transcripts_per_source(&api, n), vec![1; n]);
    for i in 0..n {
        assert!(
            out.join(format!("r{i:04}.json")).is_file(),
            "output {i} is missing"
        );
    }
}

#[test]
fn a_create_cut_off_by_a_crash_is_adopted_from_the_list_not_repeated() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = Dir::new("adopt");
    let sources = recordings(&dir, 2);
    let out = dir.0.join("out");
    let client = client(&api);
    // A run killed after it announced the create and after the API made the job, before the
    // reply came: the journal ends with "creating".
    let uploaded = client.upload_file(sources[0].path().unwrap()).unwrap();
    let mut job = request();
    job.audio_url = uploaded.upload_url.clone();
    let existing = client.create_transcript(&job).unwrap();
    fs::create_dir_all(out.join(".aai-batch")).unwrap();
    let line = serde_json::json!({"n": 0, "key": sources[0].key(), "step": "creating",
        "url": uploaded.upload_url, "at": 1.0});
    fs::write(
        out.join(".aai-batch/journal.1-of-1.jsonl"),
        format!("{line}\n"),
    )
    .unwrap();

    let outcomes = run(&client, &out, &sources);

    assert_eq!(
        outcomes[0].transcript_id.as_deref(),
        Some(existing.id.as_str())
    );
    assert_eq!(
        api.transcripts().len(),
        2,
        "the existing job was created again"
    );
    assert_eq!(
        api.uploads().len(),
        2,
        "the uploaded file was uploaded again"
    );
}

#[test]
fn a_journal_an_earlier_version_wrote_under_another_shard_count_is_honoured() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = Dir::new("legacy");
    let sources = recordings(&dir, 2);
    let out = dir.0.join("out");
    let client = client(&api);
    // Source 0 done by an old run as shard 3 of 7: its transcript and output exist.
    let uploaded = client.upload_file(sources[0].path().unwrap()).unwrap();
    let mut job = request();
    job.audio_url = uploaded.upload_url;
    let done = client.create_transcript(&job).unwrap();
    fs::create_dir_all(out.join(".aai-batch")).unwrap();
    fs::write(out.join("r0000.json"), "{}").unwrap();
    let line = serde_json::json!({"n": 0, "key": sources[0].key(), "step": "done",
        "id": done.id, "outputs": ["r0000.json"], "at": 1.0});
    fs::write(
        out.join(".aai-batch/journal.3-of-7.jsonl"),
        format!("{line}\n"),
    )
    .unwrap();
    let requests = api.requests().len();

    let outcomes = run(&client, &out, &sources);

    assert_eq!(outcomes[0].status, Status::AlreadyDone, "{:?}", outcomes[0]);
    assert_eq!(outcomes[0].transcript_id.as_deref(), Some(done.id.as_str()));
    assert_eq!(outcomes[1].status, Status::Done);
    assert_eq!(
        api.transcripts().len(),
        2,
        "the old shard's source was paid again"
    );
    assert!(
        api.requests().len() - requests <= 6,
        "only source 1 sent requests"
    );
}

#[test]
fn shards_split_the_sources_and_together_cover_them_once() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = Dir::new("shards");
    let n = 30;
    let sources = recordings(&dir, n);
    let out = dir.0.join("out");
    let client = client(&api);
    let mut owned = 0;
    for k in 1..=3 {
        let report = Batch::new(&client, &out)
            .request(request())
            .outputs(["json"])
            .shard(Shard::new(k, 3).unwrap())
            .run(&sources, &write_json, &|_| {})
            .unwrap();
        owned += report.outcomes.len();
        assert!(report.outcomes.len() < n, "shard {k} took everything");
    }
    assert_eq!(owned, n);
    assert_eq!(transcripts_per_source(&api, n), vec![1; n]);
    let status = assemblyai::batch::read_status(&out).unwrap();
    assert_eq!(status.len(), n);
    assert!(status.iter().all(|o| o.status == Status::Done));
    let indexes: Vec<usize> = status.iter().map(|o| o.index).collect();
    assert_eq!(
        indexes,
        (0..n).collect::<Vec<_>>(),
        "the combined report is in input order"
    );
}

#[test]
fn runs_racing_over_the_same_sources_with_any_shards_make_one_transcript_each() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(300)))
        .start();
    let dir = Dir::new("race");
    let n = 24;
    let sources = recordings(&dir, n);
    let out = dir.0.join("out");
    let client = client(&api);
    // The whole list twice at once, beside shard 2 of 3 and shard 1 of 2 (another count):
    // what duplicated pods, a resubmitted task and a rerun with another count do.
    let shards = [
        Shard::whole(),
        Shard::whole(),
        Shard::new(2, 3).unwrap(),
        Shard::new(1, 2).unwrap(),
    ];
    let reports: Vec<Vec<Outcome>> = std::thread::scope(|scope| {
        let runs: Vec<_> = shards
            .iter()
            .map(|shard| {
                let (client, out, sources) = (&client, &out, &sources);
                scope.spawn(move || {
                    Batch::new(client, out)
                        .request(request())
                        .outputs(["json"])
                        .shard(*shard)
                        // The default lease: on this busy machine a short one may pass
                        // while a run is only slow, and a takeover uploads again.
                        .lease(Duration::from_secs(30))
                        .run(sources, &write_json, &|_| {})
                        .unwrap()
                        .outcomes
                })
            })
            .collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });

    assert_eq!(transcripts_per_source(&api, n), vec![1; n]);
    assert_eq!(api.uploads().len(), n, "a source was uploaded by two runs");
    for outcomes in &reports {
        // Each run ends only when each of its sources is done, by it or by another.
        assert!(outcomes.iter().all(Outcome::succeeded), "{outcomes:?}");
    }
    let ids: std::collections::HashSet<_> = reports[0]
        .iter()
        .chain(&reports[1])
        .map(|o| o.transcript_id.clone().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        n,
        "two runs reported different transcripts of one source"
    );
}

/// FNV-1a, 128 bits, as claims are named.
fn fnv1a128(bytes: &[u8]) -> u128 {
    bytes
        .iter()
        .fold(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d, |hash, &byte| {
            (hash ^ u128::from(byte)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b)
        })
}

/// Writes the claim a killed run left for `source`: held by `run`, with `lines` after.
fn plant_claim(out: &Path, source: &Source, run: &str, lines: &[serde_json::Value]) {
    let hash = format!("{:032x}", fnv1a128(source.key().as_bytes()));
    let dir = out.join(".aai-batch/claims").join(&hash[..2]);
    fs::create_dir_all(&dir).unwrap();
    let mut text = format!(
        "{}\n",
        serde_json::json!({"n": 0, "key": source.key(), "step": "claim", "run": run, "at": 1.0})
    );
    for line in lines {
        text.push_str(&format!("{line}\n"));
    }
    fs::write(dir.join(format!("{hash}.1")), text).unwrap();
}

#[test]
fn a_dead_run_s_claim_is_taken_over_after_its_lease_and_its_job_adopted_not_repeated() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = Dir::new("takeover");
    let sources = recordings(&dir, 2);
    let out = dir.0.join("out");
    let client = client(&api);
    // A run on another node was killed after its create reached the API: its claim ends with
    // "creating", and its lease file stays, never beating again.
    let uploaded = client.upload_file(sources[0].path().unwrap()).unwrap();
    let mut job = request();
    job.audio_url = uploaded.upload_url.clone();
    let existing = client.create_transcript(&job).unwrap();
    let dead = "00000000deadbeef";
    fs::create_dir_all(out.join(".aai-batch/runs")).unwrap();
    fs::write(out.join(format!(".aai-batch/runs/{dead}.lease")), "41\n").unwrap();
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    plant_claim(
        &out,
        &sources[0],
        dead,
        &[
            serde_json::json!({"n": 0, "key": sources[0].key(), "step": "creating",
            "url": uploaded.upload_url, "at": at}),
        ],
    );
    let waited = std::sync::atomic::AtomicBool::new(false);

    let report = Batch::new(&client, &out)
        .request(request())
        .outputs(["json"])
        .lease(Duration::from_millis(400))
        .run(&sources, &write_json, &|event| {
            if matches!(event, Event::Warning { message } if message.contains("another run")) {
                waited.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        })
        .unwrap();

    assert!(
        waited.into_inner(),
        "the held source was not left to its owner first"
    );
    assert_eq!(
        report.outcomes[0].transcript_id.as_deref(),
        Some(existing.id.as_str())
    );
    assert!(
        report.outcomes.iter().all(Outcome::succeeded),
        "{:?}",
        report.outcomes
    );
    assert_eq!(
        api.transcripts().len(),
        2,
        "the dead run's job was created again"
    );
    assert_eq!(api.uploads().len(), 2, "the dead run's upload was redone");
}

#[test]
fn a_dead_run_s_open_create_is_not_settled_by_a_stranger_s_job_of_the_same_audio() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = Dir::new("unsettled");
    let sources = vec![Source::url("https://example.com/talk.mp3")];
    let out = dir.0.join("out");
    let client = client(&api);
    // A job of the same audio from the span of the dead run's create, asked with another
    // model: someone else's, never adopted.
    let mut other = request();
    other.audio_url = "https://example.com/talk.mp3".into();
    other.speech_models = Some(vec!["universal-3-5-pro".into()]);
    let stranger = client.create_transcript(&other).unwrap().id;
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        - 5.0;
    plant_claim(
        &out,
        &sources[0],
        "00000000deadbeef",
        &[
            serde_json::json!({"n": 0, "key": sources[0].key(), "step": "creating",
            "url": "https://example.com/talk.mp3", "at": at}),
        ],
    );

    let outcomes = run(&client, &out, &sources);

    // The stranger's job is not ours; the whole span was read and holds no job of ours, so
    // the create is sent (once) with our options.
    assert_eq!(outcomes[0].status, Status::Done, "{:?}", outcomes[0]);
    assert_ne!(
        outcomes[0].transcript_id.as_deref(),
        Some(stranger.as_str())
    );
    assert_eq!(api.transcripts().len(), 2);
}

#[test]
fn an_open_create_that_evidence_cannot_settle_stays_open_and_is_reported_not_sent() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    let dir = Dir::new("maybe");
    let sources = vec![Source::url("https://example.com/call.mp3")];
    let out = dir.0.join("out");
    let client = client(&api);
    // A job of the same audio, in the span, that asked for more (speaker labels): ours if the
    // API turned them on, a stranger's otherwise. It may be ours, so nothing is sent.
    let mut more = request();
    more.audio_url = "https://example.com/call.mp3".into();
    more.speaker_labels = Some(true);
    let maybe = client.create_transcript(&more).unwrap().id;
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        - 5.0;
    plant_claim(
        &out,
        &sources[0],
        "00000000deadbeef",
        &[
            serde_json::json!({"n": 0, "key": sources[0].key(), "step": "creating",
            "url": "https://example.com/call.mp3", "at": at}),
        ],
    );

    for _ in 0..2 {
        let outcomes = run(&client, &out, &sources);
        assert_eq!(outcomes[0].status, Status::Failed, "{:?}", outcomes[0]);
        let message = &outcomes[0].failure.as_ref().unwrap().message;
        assert!(
            message.contains(&maybe),
            "the candidate is not named: {message}"
        );
        assert!(message.contains("nothing was sent again"), "{message}");
        assert_eq!(
            api.transcripts().len(),
            1,
            "an open create was guessed away"
        );
    }
}

#[test]
fn one_file_name_in_two_folders_mirrors_the_folders_and_one_output_name_twice_is_refused() {
    let dir = Dir::new("collide");
    for sub in ["a", "b"] {
        fs::create_dir_all(dir.0.join(sub)).unwrap();
        fs::write(dir.0.join(sub).join("x.mp3"), sub).unwrap();
    }
    let a = dir.0.join("a/x.mp3");
    let b = dir.0.join("b/x.mp3");
    let sources = Sources::collect([&a, &b]).unwrap().sources;
    let stems: Vec<&str> = sources.iter().map(Source::stem).collect();
    assert_eq!(stems, ["a/x", "b/x"]);

    // Two recordings of one name in one folder would still write one output.
    let wav = dir.0.join("a/x.wav");
    fs::write(&wav, b"y").unwrap();
    let error = Sources::collect([&a, &wav]).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("a/x.mp3") && message.contains("a/x.wav"),
        "{message}"
    );
}

#[test]
fn under_the_account_rate_limit_every_source_completes_with_few_429s() {
    // The server admits 150 requests a second and processes 20 jobs at once (the rest wait,
    // throttled); jobs take 100 to 600 ms, finishing out of order.
    let api = FakeApi::builder()
        .script(Script::after_between(
            Duration::from_millis(100),
            Duration::from_millis(600),
        ))
        .rate_limit(150, Duration::from_secs(1))
        .concurrency_limit(20)
        .start();
    let dir = Dir::new("ratelimit");
    let n = 120;
    let sources = recordings(&dir, n);
    let out = dir.0.join("out");
    // A burst far beyond the server's window, then a steady rate under it: the first 429s
    // must end the burst for every thread at once.
    let limiter = RateLimiter::new(120.0, 2000);
    let client = common::builder(&api)
        .rate_limiter(limiter.clone())
        .retry(common::fast_retry().max_attempts(10))
        .build()
        .unwrap();

    let outcomes = run(&client, &out, &sources);

    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.succeeded()).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(transcripts_per_source(&api, n), vec![1; n]);
    let requests = api.requests();
    let refused = requests.iter().filter(|r| r.rate_limited).count();
    assert!(
        refused * 20 < requests.len(),
        "{refused} of {} requests were answered 429",
        requests.len()
    );
    assert_eq!(
        limiter.throttled() as usize,
        refused,
        "every 429 reached the shared limiter"
    );
}

#[test]
fn a_create_whose_outcome_stays_unknown_is_left_open_and_resolved_by_the_next_run() {
    let api = FakeApi::builder()
        .script(Script::after(Duration::from_millis(100)))
        .start();
    // Every attempt of the create is read, then the connection drops: the client can't tell
    // whether a job was made, and gives up.
    api.inject(
        Fault::DropBeforeResponse
            .on("POST", "/v2/transcript")
            .times(3),
    );
    let dir = Dir::new("open-create");
    let sources = recordings(&dir, 1);
    let out = dir.0.join("out");
    let client = common::builder(&api)
        .retry(common::fast_retry().max_attempts(3))
        .build()
        .unwrap();

    let first = run(&client, &out, &sources);
    assert_eq!(first[0].status, Status::Failed);
    let message = &first[0].failure.as_ref().unwrap().message;
    assert!(message.contains("a rerun looks for it"), "{message}");
    assert!(api.transcripts().is_empty());

    let second = run(&client, &out, &sources);
    assert_eq!(second[0].status, Status::Done, "{:?}", second[0]);
    assert_eq!(api.transcripts().len(), 1);
    assert_eq!(
        api.uploads().len(),
        1,
        "the upload was redone instead of reused"
    );
}
