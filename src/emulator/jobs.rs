//! What the API remembers: keys and projects, uploads, and jobs with their state machine.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, OnceLock};
use std::time::{Instant, SystemTime};

use serde_json::{Map, Value, json};

use super::NotFoundStyle;
use super::content::{self, LongTranscript};
use super::http::Response;
use super::ids::{is_id, naive_iso, new_id};
use super::media::Media;
use super::script::{Content, Script, Stage};
use super::shape;

pub(super) const LOOKUP_ERROR: &str = "Transcript lookup error, transcript id not found";

/// An uploaded file as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadRecord {
    /// The `upload_url` returned (on the fake server).
    pub url: String,
    /// Bytes received.
    pub len: u64,
    /// FNV-1a 64 of the bytes received.
    pub fnv: u64,
    /// Whether the body came chunked.
    pub chunked: bool,
}

/// Everything the API remembers.
pub(super) struct State {
    /// API key -> project; uploads and transcripts belong to a project.
    pub keys: HashMap<String, String>,
    pub default_script: Script,
    /// Scripts for the next created jobs, before `default_script`.
    pub next_scripts: VecDeque<Script>,
    pub not_found: NotFoundStyle,
    /// In creation order, which is also the list endpoint's order (reversed).
    pub jobs: Vec<Job>,
    /// Each upload with the project of the key that sent it and what it holds.
    pub uploads: Vec<(UploadRecord, String, Media)>,
    /// Whether a key not in `keys` is accepted (for the main project).
    pub any_key: bool,
    /// At most this many jobs are processed at once; `None`: no limit.
    pub concurrency_limit: Option<usize>,
    /// Whether jobs are shaped by their upload (see `EmulatorBuilder::realistic`).
    pub realistic: bool,
    /// Jobs created through the API so far: the draw of a varying script.
    pub created_count: u64,
    /// Seconds added to the list's `created` and `completed` times: a server listing local time.
    pub list_clock_offset: i64,
    /// The model a job runs on when its request names none.
    pub account_model: String,
}

pub(super) struct Job {
    pub spec: Arc<JobSpec>,
    pub project: String,
    created: SystemTime,
    pub created_at: Instant,
    /// GETs of the transcript so far; the script's clock for `Script::after_polls`.
    pub polls: u32,
    /// When the job got a processing slot and its GETs by then; `None` while throttled.
    pub started: Option<(Instant, u32)>,
    /// When the job was first seen done (the end of a poll-counted job).
    pub done_at: Option<Instant>,
    redacted_audio_polls: u32,
    completed: Option<SystemTime>,
    pub deleted: bool,
}

/// The immutable part of a job, shared so its final body can be built outside the state lock.
pub(super) struct JobSpec {
    pub id: String,
    pub kind: Kind,
    /// The serialized end state, built on first demand: a long transcript is built only once.
    final_body: OnceLock<Arc<[u8]>>,
}

pub(super) enum Kind {
    /// Created through the API: the request's parameters as the API echoes them, the script,
    /// and what the audio turned out to be.
    Scripted {
        echo: Map<String, Value>,
        script: Script,
        source: Source,
    },
    /// Inserted by a test, shown exactly as given.
    Fixed(Value),
}

/// The audio of a job, as far as the emulator shapes jobs by it (`EmulatorBuilder::realistic`).
pub(super) enum Source {
    /// Not realistic: the script's content whatever the audio.
    Unshaped,
    /// An upload to this emulator, as sniffed.
    Upload(Media),
    /// Any other URL: never fetched (see `Source::failure`).
    Url(String),
}

impl Source {
    /// Why the API would fail this audio, if it would.
    fn failure(&self) -> Option<String> {
        match self {
            Source::Upload(Media::NotAudio { file_type }) => Some(format!(
                "File does not appear to contain audio. File type is {file_type}."
            )),
            Source::Upload(Media::Audio {
                duration_ms: Some(ms),
            }) if *ms < MIN_DURATION_MS => Some("Audio duration is too short.".into()),
            // The emulator fetches nothing; a host that can never resolve (RFC 6761's
            // `.invalid`) fails as an unreachable file does.
            Source::Url(url) if url_host(url).is_some_and(|h| h.ends_with(".invalid")) => {
                Some(format!(
                    "Download error, unable to download {url}. Please make sure the file exists and is accessible from the internet."
                ))
            }
            _ => None,
        }
    }

    fn duration_ms(&self) -> Option<u64> {
        match self {
            Source::Upload(Media::Audio { duration_ms }) => *duration_ms,
            _ => None,
        }
    }
}

/// The shortest audio the API transcribes (its docs: 160 ms).
const MIN_DURATION_MS: u64 = 160;

/// The host of an http(s) URL, lower-cased.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    Some(host.to_ascii_lowercase())
}

/// A transcript body, the final one possibly not built yet.
pub(super) enum View {
    Now(Value),
    Final(Arc<JobSpec>),
}

impl View {
    pub fn bytes(self) -> Arc<[u8]> {
        match self {
            View::Now(v) => v.to_string().into_bytes().into(),
            View::Final(spec) => spec.final_body().clone(),
        }
    }

    pub fn value(self) -> Value {
        match self {
            View::Now(v) => v,
            View::Final(spec) => serde_json::from_slice(spec.final_body()).expect("own JSON"),
        }
    }
}

/// How many speakers a request with `speaker_labels` hears: `speakers_expected`, else the
/// least of `speaker_options`, else two. `None` without `speaker_labels`.
fn speakers(echo: &Map<String, Value>) -> Option<usize> {
    if echo.get("speaker_labels") != Some(&Value::Bool(true)) {
        return None;
    }
    let expected = echo.get("speakers_expected").and_then(Value::as_u64);
    let min = echo
        .get("speaker_options")
        .and_then(|o| o.get("min_speakers_expected"))
        .and_then(Value::as_u64);
    Some(expected.or(min).unwrap_or(2).clamp(1, 26) as usize)
}

impl Kind {
    /// The `error` a scripted job ends with: its script's, else its audio's; `None` to complete.
    pub fn failure(&self) -> Option<String> {
        match self {
            Kind::Scripted { script, source, .. } => {
                script.failure.clone().or_else(|| source.failure())
            }
            Kind::Fixed(_) => None,
        }
    }
}

impl JobSpec {
    fn final_body(&self) -> &Arc<[u8]> {
        self.final_body
            .get_or_init(|| self.build_final_body().into())
    }

    fn build_final_body(&self) -> Vec<u8> {
        let (echo, script, source) = match &self.kind {
            Kind::Fixed(value) => return value.to_string().into_bytes(),
            Kind::Scripted {
                echo,
                script,
                source,
            } => (echo, script, source),
        };
        let failure = self.kind.failure();
        let spoken = |text: &str, content_duration: Option<u64>| {
            let duration = source.duration_ms().or(content_duration);
            let mut fields = content::example().clone();
            fields.extend(shape::spoken(text, duration, speakers(echo)));
            Some(fields)
        };
        let (status, content) = match (&failure, &script.content) {
            (Some(_), _) => ("error", None),
            (None, Content::Example) if !matches!(source, Source::Unshaped) => {
                let example = content::example();
                let seconds = example["audio_duration"].as_u64().map(|s| s * 1000);
                (
                    "completed",
                    spoken(example["text"].as_str().unwrap_or(""), seconds),
                )
            }
            (None, Content::Text(text)) => ("completed", spoken(text, None)),
            (None, Content::Example) => ("completed", Some(content::example().clone())),
            (None, Content::Custom(v)) => ("completed", v.as_object().cloned()),
            (None, Content::Words(n)) => {
                let mut long = LongTranscript::generate(*n);
                let fields = std::mem::take(&mut long.fields);
                let mut t = content::transcript(&self.id, "completed", echo, Some(fields), None);
                super::features::complete(&mut t);
                return long.serialize(t);
            }
        };
        let mut t = content::transcript(&self.id, status, echo, content, failure.as_deref());
        if status == "completed" {
            super::features::complete(&mut t);
        }
        Value::Object(t).to_string().into_bytes()
    }
}

impl Job {
    fn stage(&self) -> Stage {
        match &self.spec.kind {
            Kind::Scripted { .. } if self.started.is_none() => Stage::Queued,
            Kind::Scripted { script, .. } => {
                let (start, polls_then) = self.started.unwrap_or((self.created_at, 0));
                script.stage(self.polls - polls_then, start.elapsed())
            }
            Kind::Fixed(v) => match v["status"].as_str() {
                Some("queued") => Stage::Queued,
                Some("processing") => Stage::Processing,
                _ => Stage::Done,
            },
        }
    }

    /// The job's status now; records when it first reached its end.
    pub fn status(&mut self) -> String {
        let stage = self.stage();
        if stage == Stage::Done && self.completed.is_none() {
            self.completed = Some(SystemTime::now());
            self.done_at = Some(Instant::now());
        }
        match (&self.spec.kind, stage) {
            (_, Stage::Queued) => "queued".into(),
            (_, Stage::Processing) => "processing".into(),
            (kind @ Kind::Scripted { .. }, Stage::Done) if kind.failure().is_some() => {
                "error".into()
            }
            (Kind::Scripted { .. }, Stage::Done) => "completed".into(),
            (Kind::Fixed(v), Stage::Done) => v["status"].as_str().unwrap_or("completed").into(),
        }
    }

    /// The transcript as a GET shows it now.
    pub fn view(&mut self) -> View {
        let status = self.status();
        match &self.spec.kind {
            _ if self.deleted => View::Now(content::deleted(&self.spec.id, &status)),
            Kind::Scripted { echo, .. } if in_progress(&status) => {
                let mut t = content::transcript(&self.spec.id, &status, echo, None, None);
                if self.throttled() {
                    t.insert("throttled".into(), json!(true));
                }
                View::Now(Value::Object(t))
            }
            _ => View::Final(Arc::clone(&self.spec)),
        }
    }

    /// Whether the job waits for a slot under the concurrency limit.
    pub fn throttled(&self) -> bool {
        matches!(self.spec.kind, Kind::Scripted { .. }) && self.started.is_none()
    }

    /// When the job's end frees its processing slot: known ahead for a time-based script, when
    /// it was seen done otherwise; `None` while that is unknown (or for an inserted job).
    pub fn end(&self) -> Option<Instant> {
        let Kind::Scripted { script, .. } = &self.spec.kind else {
            return None;
        };
        let (start, _) = self.started?;
        match script.total() {
            Some(total) => Some(start + total),
            None => self.done_at,
        }
    }

    fn field(&self, name: &str) -> Value {
        match &self.spec.kind {
            Kind::Scripted { echo, .. } => echo.get(name).cloned().unwrap_or(Value::Null),
            Kind::Fixed(v) => v[name].clone(),
        }
    }

    /// GET .../redacted-audio of a completed job: 202 until the script's polls are used up,
    /// then the URL of the file on this server.
    pub fn redacted_audio(&mut self, base_url: &str) -> Response {
        let polls_needed = match &self.spec.kind {
            Kind::Scripted { script, .. } => script.redacted_audio_polls,
            Kind::Fixed(_) => 0,
        };
        if self.field("redact_pii_audio") != json!(true) {
            return Response::error(
                400,
                "Redacted audio is only available for transcripts created with redact_pii_audio",
            );
        }
        if self.redacted_audio_polls < polls_needed {
            self.redacted_audio_polls += 1;
            return Response::json(
                202,
                &json!({ "status": "processing", "redacted_audio_url": null }),
            );
        }
        let ext = match self.field("redact_pii_audio_quality").as_str() {
            Some("wav") => "wav",
            _ => "mp3",
        };
        let url = format!("{base_url}/redacted/{}.{ext}", self.spec.id);
        Response::json(
            200,
            &json!({ "status": "redacted_audio_ready", "redacted_audio_url": url }),
        )
    }

    pub fn list_item(&mut self, base_url: &str, clock_offset: i64) -> Value {
        let status = self.status();
        let error = match &self.spec.kind {
            kind @ Kind::Scripted { .. } if status == "error" => json!(kind.failure()),
            Kind::Fixed(v) => v["error"].clone(),
            Kind::Scripted { .. } => Value::Null,
        };
        let audio_url = match self.deleted {
            true => json!("http://deleted_by_user"),
            false => self.field("audio_url"),
        };
        // An inserted transcript may be dated in the past, e.g. one created days before a test.
        let shift = |t: SystemTime| {
            let by = std::time::Duration::from_secs(clock_offset.unsigned_abs());
            naive_iso(if clock_offset < 0 { t - by } else { t + by })
        };
        let created = match &self.spec.kind {
            Kind::Fixed(v) if v["created"].is_string() => v["created"].clone(),
            _ => json!(shift(self.created)),
        };
        json!({
            "id": self.spec.id,
            "resource_url": format!("{base_url}/v2/transcript/{}", self.spec.id),
            "status": status,
            "created": created,
            "completed": self.completed.map(shift),
            "audio_url": audio_url,
            "error": error,
        })
    }
}

impl State {
    pub fn new(
        key: Option<&str>,
        script: Script,
        not_found: NotFoundStyle,
        concurrency_limit: Option<usize>,
        realistic: bool,
    ) -> State {
        let keys = key.map(|k| (k.to_string(), super::MAIN_PROJECT.to_string()));
        State {
            keys: keys.into_iter().collect(),
            any_key: key.is_none(),
            concurrency_limit,
            realistic,
            created_count: 0,
            default_script: script,
            next_scripts: VecDeque::new(),
            not_found,
            jobs: Vec::new(),
            uploads: Vec::new(),
            list_clock_offset: 0,
            account_model: super::models::DEFAULT_ACCOUNT_MODEL.to_owned(),
        }
    }

    pub fn uploads(&self) -> Vec<UploadRecord> {
        self.uploads.iter().map(|(u, _, _)| u.clone()).collect()
    }

    /// The project of an `Authorization` header's key, or `None` when the key is refused.
    pub fn project_of(&self, key: &str) -> Option<String> {
        match self.keys.get(key) {
            Some(project) => Some(project.clone()),
            None if self.any_key && !key.trim().is_empty() => Some(super::MAIN_PROJECT.into()),
            None => None,
        }
    }

    /// The script of the next job created through the API, its varying timing drawn.
    pub fn next_script(&mut self) -> Script {
        let script = match self.next_scripts.pop_front() {
            Some(script) => script,
            None => self.default_script.clone(),
        };
        self.created_count += 1;
        script.for_job(self.created_count - 1)
    }

    /// Every job's transcript as a GET would show it now (without counting as a poll).
    pub fn transcripts(&mut self) -> Vec<Value> {
        self.schedule(Instant::now());
        self.jobs.iter_mut().map(|j| j.view().value()).collect()
    }

    /// Adds a finished job of the main project; returns its id.
    pub fn insert(&mut self, mut transcript: Value) -> String {
        let t = transcript
            .as_object_mut()
            .expect("insert_transcript takes a JSON object");
        let id = t.entry("id").or_insert_with(|| json!(new_id())).clone();
        t.entry("status").or_insert(json!("completed"));
        t.entry("audio_url")
            .or_insert(json!("https://assembly.ai/wildfires.mp3"));
        let id = id.as_str().expect("transcript id is a string").to_string();
        self.push_job(super::MAIN_PROJECT, id.clone(), Kind::Fixed(transcript));
        id
    }

    pub fn push_job(&mut self, project: &str, id: String, kind: Kind) {
        let now = Instant::now();
        // Without a limit every job starts at once; with one, `schedule` hands out the slots.
        let started = match (&kind, self.concurrency_limit) {
            (Kind::Scripted { .. }, Some(_)) => None,
            _ => Some((now, 0)),
        };
        self.jobs.push(Job {
            spec: Arc::new(JobSpec {
                id,
                kind,
                final_body: OnceLock::new(),
            }),
            project: project.to_string(),
            created: SystemTime::now(),
            created_at: now,
            polls: 0,
            started,
            done_at: None,
            redacted_audio_polls: 0,
            completed: None,
            deleted: false,
        });
    }

    /// The index of job `id` of `project`, or the API's answer for an unknown id. An id of
    /// another shape is found when a test inserted it (the real API's older ids are not
    /// UUIDs), and is otherwise the API's lookup error.
    pub fn find(&self, project: &str, id: &str) -> Result<usize, Response> {
        let found = self
            .jobs
            .iter()
            .position(|j| j.spec.id == id && j.project == project);
        if found.is_none() && !is_id(id) {
            return Err(Response::error(400, LOOKUP_ERROR));
        }
        found.ok_or_else(|| match self.not_found {
            NotFoundStyle::Status404 => Response::error(404, "Not found"),
            NotFoundStyle::LookupError400 => Response::error(400, LOOKUP_ERROR),
        })
    }
}

/// Whether a job with this status may still change.
pub(super) fn in_progress(status: &str) -> bool {
    status == "queued" || status == "processing"
}

/// The bytes served as job `id`'s redacted audio: 16 KiB derived from the id.
pub(super) fn redacted_audio(id: &str) -> Vec<u8> {
    id.bytes().cycle().take(16 * 1024).collect()
}
