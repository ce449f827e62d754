//! `aai transcribe` (upload, start, wait, print) and `aai submit` (start only).

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use assemblyai::{AudioSource, Client, WaitOptions};

use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, flags};
use crate::failure::{CliResult, Failure};
use crate::output::Output;
use crate::render::Presentation;
use crate::request_flags;
use crate::status::Watcher;

pub static TRANSCRIBE: Command = Command {
    name: "transcribe",
    summary: "upload (when local), start, wait, print the transcript",
    operands: &["FILE|URL|-"],
    completes: Operands::Files,
    groups: &[
        &flags::CONNECTION,
        &flags::PRESENTATION,
        &JOB,
        &flags::WAITING,
        &super::sync::TRANSCRIBE_SYNC,
        &flags::REQUEST,
    ],
    about: "\
  FILE    a local audio or video file (up to 2.2 GB), streamed to the API
  URL     an http(s) URL the API downloads itself (up to 5 GB)
  -       read the audio from stdin

With --timeout the wait gives up after that long; the job goes on, its id is printed, \
and aai wait ID picks it up. Defaults for any option: aai config set OPTION VALUE \
(see aai config --help).",
    examples: "\
  aai transcribe meeting.mp3
  aai transcribe call.wav --speaker-labels --format utterances
  aai transcribe talk.mp4 --format srt --chars-per-caption 32 -o talk.srt
  aai transcribe call.wav --redact-pii \\
      --redact-pii-policies person_name,phone_number
  aai batch talks/ --out-dir subtitles --format vtt   # a folder of videos
  ffmpeg -i video.mkv -f mp3 - | aai transcribe - --language-code de
  aai transcribe https://example.com/a.mp3 --no-wait --id-file job.id",
    run: transcribe,
};

static NO_WAIT: Flag = Flag::switch(
    "--no-wait",
    "only start the job and print its id (not with --timeout)",
);

/// What a run that starts a job does with it.
static JOB: Group = Group {
    title: "Job options",
    flags: Members::Fixed(&[&NO_WAIT, &flags::ID_FILE]),
};

pub static SUBMIT: Command = Command {
    name: "submit",
    summary: "start a transcript and print its id",
    operands: &["URL"],
    completes: Operands::Words,
    groups: &[&flags::CONNECTION, &CREATED, &flags::REQUEST],
    about: "Starts transcribing an http(s) URL the API fetches itself, and prints the \
transcript id (with --json, the created transcript object). To upload a local file \
first: aai upload, or aai transcribe --no-wait.",
    examples: "\
  aai submit https://example.com/podcast.mp3 --speaker-labels
  id=$(aai submit \"$(aai upload call.wav)\") && aai wait \"$id\"",
    run: submit,
};

/// Where the id of a created job goes.
static CREATED: Group = Group {
    title: "Output options",
    flags: Members::Fixed(&[&flags::OUTPUT, &flags::ID_FILE]),
};

pub fn transcribe(mut args: Args) -> CliResult {
    // One request for a short clip: the Sync STT API, with `aai sync`'s options.
    if args.flag("--sync") {
        return super::sync::transcribe_sync(args);
    }
    let connection = Connection::parse(&mut args)?;
    let quiet = args.flag(["-q", "--quiet"]);
    let no_wait = args.flag("--no-wait");
    let id_file = args.path("--id-file")?;
    let wait = wait_options(&mut args)?;
    // --timeout and --poll-interval shape the wait; a run that does not wait
    // could only ignore them, leaving the caller to believe they applied.
    if no_wait && wait != WaitOptions::default() {
        return Err(Failure::usage(
            "--timeout and --poll-interval shape the wait, and --no-wait does not wait; \
             give one or the other",
        )
        .with_hint("to bound the wait later: aai wait ID --timeout DURATION"));
    }
    let mut presentation = Presentation::parse(&mut args)?;
    let request = request_flags::parse(&mut args)?;
    let source = args.finish()?.remove(0);
    presentation.check()?;
    presentation.check_request(&request)?;
    presentation.for_request(&request);
    check_id_file(&id_file)?;
    let recording = match AudioSource::from(source.as_str()) {
        AudioSource::File(path) if source != "-" => Some(path),
        _ => None,
    };
    let reads: Vec<(&str, &std::path::Path)> = recording
        .iter()
        .map(|path| ("the recording to transcribe", path.as_path()))
        .collect();
    let id_output = Output::from_flag(id_file.clone());
    Output::check_distinct(
        &[("-o", presentation.output()), ("--id-file", &id_output)],
        &reads,
    )?;

    let status = Watcher::new(quiet, presentation.is_json(), id_file);
    let client = status.observe(&connection.client(presentation.is_json())?);
    let outcome = if no_wait {
        client
            .start_transcript(audio_source(&source), &request)
            .map_err(Failure::from)
            .and_then(|created| presentation.created(&created))
    } else {
        client
            .transcribe(audio_source(&source), &request, &wait)
            .map_err(Failure::from)
            .and_then(|transcript| presentation.finished(&client, &transcript))
    };
    // The id of a job that exists must survive every failure, the CLI's own
    // (writing the output or the id file) included, with the hint to resume it.
    outcome
        .and_then(|()| status.id_file_written())
        .map_err(|failure| failure.about(status.created_id().as_deref()))
}

pub fn submit(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let quiet = args.flag(["-q", "--quiet"]);
    let id_file = args.path("--id-file")?;
    let presentation = Presentation::for_created(&mut args)?;
    let mut request = request_flags::parse(&mut args)?;
    let url = args.finish()?.remove(0);
    presentation.check()?;
    check_id_file(&id_file)?;
    Output::check_distinct(
        &[
            ("-o", presentation.output()),
            ("--id-file", &Output::from_flag(id_file.clone())),
        ],
        &[],
    )?;
    if !matches!(AudioSource::from(url.as_str()), AudioSource::Url(_)) {
        return Err(Failure::usage(format!(
            "aai submit takes an http(s) URL the API can fetch, not \"{url}\""
        ))
        .with_hint(format!(
            "to upload a local file and start it: aai transcribe --no-wait {url}"
        )));
    }
    let status = Watcher::new(quiet, presentation.is_json(), id_file);
    let client = status.observe(&within(connection.client(presentation.is_json())?, timeout));
    request.audio_url = url;
    let created = client.create_transcript(&request)?;
    presentation
        .created(&created)
        .and_then(|()| status.id_file_written())
        .map_err(|failure| failure.about(Some(&created.id)))
}

/// Checks before any request, like `-o`, that `--id-file` can be written: a
/// script relying on it must not learn only after the job started that it
/// has no id.
fn check_id_file(id_file: &Option<PathBuf>) -> CliResult {
    match id_file {
        Some(path) => Output::from_flag(Some(path.clone())).check_writable(),
        None => Ok(()),
    }
}

/// The shortest `--poll-interval`: more than twenty polls a second only
/// spends the rate limit (the API's own SDKs poll every 3 s).
const MIN_POLL_INTERVAL: Duration = Duration::from_millis(50);

/// `--timeout` and the poll schedule flags, shared with `aai wait`.
pub fn wait_options(args: &mut Args) -> CliResult<WaitOptions> {
    let mut wait = WaitOptions::default();
    wait.timeout = timeout_flag(args)?;
    let interval = args.value_with(
        "--poll-interval",
        |text| match crate::duration::parse_duration(text)? {
            fast if fast < MIN_POLL_INTERVAL => Err(format!(
                "must be at least {}ms, or the polls only spend the rate limit",
                MIN_POLL_INTERVAL.as_millis()
            )),
            interval => Ok(interval),
        },
    )?;
    if let Some(interval) = interval {
        wait.poll = assemblyai::PollSchedule::fixed(interval);
    }
    Ok(wait)
}

/// `--timeout`, which every command that talks to the API accepts: one
/// deadline for the whole run.
pub fn timeout_flag(args: &mut Args) -> CliResult<Option<Duration>> {
    args.value_with("--timeout", positive_duration)
}

/// The client, bounded by `--timeout` when given: no request of the run,
/// retries included, outlasts it.
pub fn within(client: Client, timeout: Option<Duration>) -> Client {
    match timeout {
        Some(limit) => client.with_timeout(limit),
        None => client,
    }
}

fn positive_duration(text: &str) -> Result<std::time::Duration, String> {
    match crate::duration::parse_duration(text)? {
        zero if zero.is_zero() => Err("must be longer than zero".to_owned()),
        duration => Ok(duration),
    }
}

/// `-` is stdin; a URL is fetched by the API; anything else is a file.
fn audio_source(source: &str) -> AudioSource<'static> {
    if source == "-" {
        AudioSource::reader(io::stdin())
    } else {
        AudioSource::from(source)
    }
}
