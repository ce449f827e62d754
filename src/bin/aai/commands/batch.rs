//! `aai batch`: many recordings into one output directory, a thin layer over
//! the library's `Batch` (which keeps the journal, the rate limit and the
//! list polling); this file parses flags and writes each output with the
//! same rendering as `aai transcribe`.

use std::ffi::OsString;
use std::io::{self, Read};
use std::path::PathBuf;

use assemblyai::batch::{
    self, Batch, Delivery, FailureKind, Shard, SourceFailure as BatchFailure, Sources,
};
use assemblyai::{RateLimiter, RetryPolicy, TranscriptRequest};

use crate::batch_progress::{self, Progress};
use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, Takes, flags};
use crate::failure::{CliResult, Failure, Kind};
use crate::render::{Format, Presentation};
use crate::request_flags;

/// Requests a batch sends at most, once retries are counted: a batch rides
/// out a long 429 or outage rather than failing sources to it.
const BATCH_ATTEMPTS: u32 = 10;
/// The longest pause between attempts, and the longest `Retry-After` obeyed:
/// the documented limit's window is 5 minutes, and a 429 may ask for all of it.
const BATCH_MAX_BACKOFF: std::time::Duration = std::time::Duration::from_secs(300);

pub static BATCH: Command = Command {
    name: "batch",
    summary: "transcribe many files, folders or URLs into --out-dir, resumably",
    operands: &["SOURCE..."],
    completes: Operands::Files,
    groups: &[
        &flags::CONNECTION,
        &RUN,
        &OUTPUTS,
        &super::batch_ask::ASKING,
        &super::ask::LLM,
        &flags::REQUEST,
    ],
    about: "\
  aai batch [OPTIONS] --out-dir DIR SOURCE...
  aai batch --status DIR

  SOURCE  a file; a directory, searched (recursively) for mp3 mp4 m4a wav flac
          ogg opus webm mov mkv aac wma amr files; or an http(s) URL

Each source gets one output per format: DIR/<its path inside the directory given, or below \
the folder all files named on their own share> with the extension replaced (text .txt, json \
.json, srt .srt, vtt .vtt, sentences .sentences.txt, paragraphs .paragraphs.txt, utterances \
.utterances.txt, summary .summary.txt, action-items .action-items.txt), written atomically. \
Two sources that would still share an output are refused before anything is sent. Every \
request option of aai transcribe applies to every job.

Each source is claimed in DIR/.aai-batch/ before anything is paid for, and its claim records \
each step: any runs sharing DIR (other shards, the same shard twice, another shard count, a \
rerun) pay once per source. A source another live run holds is waited for; one whose run \
stopped renewing its lease is taken over, and a create it left open is resolved from the \
account's list before anything is sent again. Run the same command again after a crash, kill \
or reboot: finished sources are skipped without a request, started transcripts are waited on \
by id, failed ones are kept unless --retry-failed, and a file changed since its transcript is \
done again.

It prints a summary line (also with -q) and the failures; -v lists every source. Exit 0 when every source \
succeeded, otherwise the code of the worst failure class (auth, usage, network, timeout, API, \
local file, transcript failed).",
    examples: "\
  aai batch recordings/ --out-dir transcripts --format text,srt --speaker-labels
  find /calls -name '*.wav' -print0 |
      aai batch --from-file - --out-dir /calls-text -q
  # in a job array of 8 (Slurm, a Kubernetes Indexed Job, AWS Batch)
  aai batch --from-file list.txt --out-dir /shared/out --shard auto/8
  aai batch --status /shared/out
  aai batch calls/ --out-dir out --ask \"What did the customer ask for?\" \\
      --ask-reduce \"What do customers ask for most?\"",
    run: batch,
};

static OUT_DIR: Flag = Flag::valued(
    "--out-dir",
    Takes::Path,
    "DIR",
    "where the outputs and the journal go (required)",
);
static FROM_FILE: Flag = Flag::valued(
    "--from-file",
    Takes::Path,
    "LIST",
    "also read sources from LIST, one a line (- for stdin; blank lines and # comments \
     skipped), or NUL-separated (find -print0)",
);
static JOBS: Flag = Flag::valued(
    "--jobs",
    Takes::Value,
    "N",
    "transcripts in flight at most [default: 1000; the API runs your account's concurrency \
     and queues the rest as throttled, which is no error]",
);
static UPLOADS: Flag = Flag::valued(
    "--uploads",
    Takes::Value,
    "N",
    "uploads at once [default: 8]",
);
static MAX_RPS: Flag = Flag::valued(
    "--max-rps",
    Takes::Value,
    "R",
    "a steady R requests a second for the whole run [default: bursts of 4,000, then 50/s: \
     under the documented 20,000 per 5 minutes]",
);
static SHARD: Flag = Flag::valued(
    "--shard",
    Takes::Value,
    "K/N",
    "take the K-th of N shares of the sources (by a hash of each, so adding sources moves \
     none); auto or auto/N reads a Slurm job array (SLURM_ARRAY_TASK_ID, _MIN, _MAX, _STEP, \
     _COUNT), a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or AWS Batch \
     (AWS_BATCH_JOB_ARRAY_INDEX, _SIZE); N or AAI_SHARDS gives the count, indexes from 0; the \
     last --shard given wins",
);
static LEASE: Flag = Flag::valued(
    "--lease",
    Takes::Value,
    "DURATION",
    "how long a run sharing DIR may go without renewing its lease before its sources are \
     taken over [default: 30s]",
);
static RETRY_FAILED: Flag = Flag::switch(
    "--retry-failed",
    "try again the sources that failed in an earlier run",
);
static REPORT: Flag = Flag::valued(
    "--report",
    Takes::Path,
    "FILE",
    "write the final report as JSON lines (one object per source)",
);
static STATUS: Flag = Flag::valued(
    "--status",
    Takes::Path,
    "DIR",
    "print the report of DIR's journals (all shards) on stdout; no requests",
);

/// How the batch runs.
static RUN: Group = Group {
    title: "Batch options",
    flags: Members::Fixed(&[
        &OUT_DIR,
        &FROM_FILE,
        &JOBS,
        &UPLOADS,
        &MAX_RPS,
        &SHARD,
        &LEASE,
        &RETRY_FAILED,
        &REPORT,
        &STATUS,
    ]),
};

/// What each source's outputs are.
static OUTPUTS: Group = Group {
    title: "Output options",
    flags: Members::Fixed(&[&flags::FORMAT, &flags::CHARS_PER_CAPTION]),
};

pub fn batch(mut args: Args) -> CliResult {
    if let Some(dir) = args.path("--status")? {
        let reader = batch_progress::Reader {
            json: args.flag("--json"),
            quiet: args.flag(["-q", "--quiet"]),
            // The report is what --status is for: every source, on stdout.
            every_source: true,
            stdout: true,
        };
        args.finish()?;
        let outcomes = batch::read_status(&dir)?;
        return batch_progress::final_report(&outcomes, reader, None);
    }
    let connection = Connection::parse(&mut args)?;
    let timeout = crate::commands::transcribe::timeout_flag(&mut args)?;
    let quiet = args.flag(["-q", "--quiet"]);
    let json = args.flag("--json");
    let out_dir = args.path("--out-dir")?;
    let from_file = args.value::<String>("--from-file")?;
    let formats = args.value_with("--format", parse_formats)?;
    let formats = formats.unwrap_or_else(|| vec![Format::Text]);
    let chars_per_caption = args.value_with("--chars-per-caption", |text| {
        text.parse::<u32>()
            .ok()
            .filter(|chars| *chars > 0)
            .ok_or_else(|| format!("expected a number of characters above 0, got \"{text}\""))
    })?;
    let jobs = args.value_with("--jobs", positive)?;
    let uploads = args.value_with("--uploads", positive)?;
    let max_rps = args.value_with("--max-rps", |text| match text.parse::<f64>() {
        Ok(rate) if rate > 0.0 && rate.is_finite() => Ok(rate),
        _ => Err(format!(
            "expected requests a second above 0, got \"{text}\""
        )),
    })?;
    // The last --shard wins: a scheduler script's own `--shard auto` is
    // overridden by one given after it (`sbatch script.sbatch --shard 3/8`).
    let shard = match args.values("--shard")?.pop() {
        Some(text) => {
            Some(parse_shard(&text).map_err(|err| Failure::usage(format!("--shard: {err}")))?)
        }
        None => None,
    };
    let retry_failed = args.flag("--retry-failed");
    let lease = args.value_with("--lease", crate::duration::parse_duration)?;
    let report = args.path("--report")?;
    let ask = super::batch_ask::AskFlags::parse(&mut args)?;
    let request = request_flags::parse(&mut args)?;
    let mut inputs: Vec<OsString> = args.finish()?.into_iter().map(OsString::from).collect();
    let Some(out_dir) = out_dir else {
        return Err(Failure::usage(
            "aai batch needs --out-dir DIR, where the outputs and \
                                   the journal go",
        )
        .with_hint("see: aai batch --help"));
    };
    if chars_per_caption.is_some()
        && !formats
            .iter()
            .any(|f| matches!(f, Format::Srt | Format::Vtt))
    {
        return Err(Failure::usage(
            "--chars-per-caption goes with --format srt or vtt",
        ));
    }
    for format in &formats {
        Presentation::to_file(*format, None, PathBuf::new(), &request).check_request(&request)?;
    }
    if let Some(list) = &from_file {
        inputs.extend(read_list(list)?);
    }
    if inputs.is_empty() {
        return Err(Failure::usage(
            "aai batch needs a SOURCE (file, directory or URL) or \
                                   --from-file LIST",
        )
        .with_hint("see: aai batch --help"));
    }
    // Made now, so that a --report inside it (a usual place) can be checked.
    std::fs::create_dir_all(&out_dir).map_err(|err| {
        Failure::input(format!(
            "cannot create the --out-dir {}: {err}",
            out_dir.display()
        ))
    })?;
    let shard = shard.unwrap_or_else(|| Ok(Shard::whole()))?;
    let collected = Sources::collect(&inputs)?;
    drop(inputs); // the sources hold what is needed, and a list may be long
    if let Some(path) = &report {
        check_report(path, &out_dir, from_file.as_deref(), &collected.sources)?;
    }

    // Shards run at once on one account: each takes its share of the budget.
    let limiter = match max_rps {
        Some(rate) => RateLimiter::per_second(rate),
        None => RateLimiter::documented_share(shard.count()),
    };
    let keep_json = formats.contains(&Format::Json);
    let progress = Progress::new(quiet, json, collected.skipped, limiter.clone());
    // --timeout bounds the whole run: a source not done by then fails as
    // timed out, kept in the journal for the next run.
    let client = crate::commands::transcribe::within(connection.client(keep_json)?, timeout)
        .with_rate_limiter(limiter)
        .with_retry(
            RetryPolicy::default()
                .max_attempts(BATCH_ATTEMPTS)
                .max_backoff(BATCH_MAX_BACKOFF),
        );
    let client = progress.observe(&client);
    let mut runner = Batch::new(&client, &out_dir)
        .request(request.clone())
        .outputs(formats.iter().map(|format| suffix(*format)))
        .shard(shard)
        .retry_failed(retry_failed);
    if let Some(jobs) = jobs {
        runner = runner.jobs(jobs);
    }
    if let Some(uploads) = uploads {
        runner = runner.uploads(uploads);
    }
    if let Some(lease) = lease {
        runner = runner.lease(lease);
    }
    // Through notice, so that with --json the interruption is a JSON error.
    crate::notice::on_interrupt(
        "interrupted; every step so far is in the journal: run the same command again \
         to go on where this run stopped",
        None,
    );
    let deliver = move |delivery: &Delivery<'_>| {
        write_outputs(delivery, &formats, chars_per_caption, &request)
    };
    // The run's lease goes with it on Ctrl-C or SIGTERM, so the next run
    // takes its sources over at once instead of after the lease.
    let lease_guard = std::sync::Mutex::new(None);
    let outcome = runner.run(&collected.sources, &deliver, &|event| {
        if let batch::BatchEvent::Started { lease } = event {
            *lease_guard.lock().unwrap_or_else(|p| p.into_inner()) =
                Some(crate::interrupt::remove_on_interrupt(lease));
        }
        progress.on_event(event)
    })?;
    drop(lease_guard);
    progress.finish();
    let reader = batch_progress::Reader {
        json,
        quiet,
        every_source: crate::notice::verbosity() > 0,
        stdout: false,
    };
    let transcribed = batch_progress::final_report(&outcome.outcomes, reader, report.as_deref());
    // The question step runs over whatever succeeded, even when some failed.
    let asked = match &ask {
        Some(ask) => ask.run(
            &client,
            &out_dir,
            shard,
            &collected.sources,
            &outcome,
            &|event| progress.on_event(event),
        ),
        None => Ok(()),
    };
    transcribed.and(asked)
}

/// Refuses a `--report` that would overwrite what the run reads or keeps:
/// a recording, the list, or the batch's own state.
fn check_report(
    path: &std::path::Path,
    out_dir: &std::path::Path,
    list: Option<&str>,
    sources: &[batch::Source],
) -> CliResult {
    let state = out_dir.join(".aai-batch");
    let inside_state = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .and_then(|parent| std::fs::canonicalize(parent).ok())
        .zip(std::fs::canonicalize(&state).ok())
        .is_some_and(|(parent, state)| parent.starts_with(state));
    if inside_state {
        return Err(Failure::usage(format!(
            "--report {} is inside the batch's own state ({}): give a path outside it",
            crate::visible::one_line(&path.to_string_lossy()),
            state.display()
        )));
    }
    if let Some(list) = list.filter(|list| *list != "-") {
        crate::output::reads(std::path::Path::new(list), "the --from-file list");
    }
    for source in sources {
        if let Some(recording) = source.path() {
            crate::output::reads(recording, "a recording of this batch");
        }
    }
    crate::output::Output::File(path.to_owned()).check_writable()
}

/// Writes one output per format, fetching the transcript at most once.
fn write_outputs(
    delivery: &Delivery<'_>,
    formats: &[Format],
    chars_per_caption: Option<u32>,
    request: &TranscriptRequest,
) -> Result<(), BatchFailure> {
    let id = delivery.transcript_id;
    let needs_transcript = formats.iter().any(|format| {
        Presentation::to_file(*format, None, PathBuf::new(), request).needs_transcript()
    });
    let fetched;
    let transcript = match delivery.transcript {
        Some(transcript) => Some(transcript),
        None if needs_transcript => {
            fetched = delivery.client.get_transcript(id)?;
            Some(&fetched)
        }
        None => None,
    };
    for (format, path) in formats.iter().zip(delivery.outputs) {
        Presentation::to_file(*format, chars_per_caption, path.clone(), request)
            .print(delivery.client, id, transcript)
            .map_err(|failure| BatchFailure::new(batch_kind(failure.kind), failure.message))?;
    }
    Ok(())
}

/// The extension of a format's output.
fn suffix(format: Format) -> &'static str {
    match format {
        Format::Text | Format::Id => "txt",
        Format::Json => "json",
        Format::Srt => "srt",
        Format::Vtt => "vtt",
        Format::Sentences => "sentences.txt",
        Format::Paragraphs => "paragraphs.txt",
        Format::Utterances => "utterances.txt",
        Format::Summary => "summary.txt",
        Format::ActionItems => "action-items.txt",
    }
}

fn parse_formats(text: &str) -> Result<Vec<Format>, String> {
    let mut formats = Vec::new();
    for name in text
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        let format: Format = name.parse()?;
        if format == Format::Id {
            return Err(
                "id is no output of a batch: the report lists every transcript id \
                        (--report FILE writes it as JSON lines)"
                    .to_owned(),
            );
        }
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if formats.is_empty() {
        return Err("expected one or more formats, e.g. text,srt".to_owned());
    }
    Ok(formats)
}

/// `K/N`, or `auto` / `auto/N` for the shard of a Slurm job array or a
/// Kubernetes Indexed Job. Errors from the environment are kept for later:
/// they are usage errors only if the flag was given.
fn parse_shard(text: &str) -> Result<assemblyai::Result<Shard>, String> {
    match text.strip_prefix("auto") {
        Some("") => Ok(Shard::from_env(None)),
        Some(rest) => match rest.strip_prefix('/').and_then(|n| n.parse::<u32>().ok()) {
            Some(count) => Ok(Shard::from_env(Some(count))),
            None => Err(format!("expected auto or auto/N, got \"{text}\"")),
        },
        None => text.parse::<Shard>().map(Ok).map_err(|err| err.to_string()),
    }
}

fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("expected a whole number above 0, got \"{text}\"")),
    }
}

/// The sources of `--from-file`: one a line, blank lines and `#` comments
/// skipped; `-` reads stdin. A list holding a NUL byte is NUL-separated
/// (`find -print0`), the only way to name a file whose name holds a
/// newline; its entries are taken as they are. Entries are paths, not text:
/// a file name that is not UTF-8 is kept as it is (on Unix).
fn read_list(list: &str) -> CliResult<Vec<OsString>> {
    let cannot = |err: io::Error| Failure::input(format!("cannot read the list {list}: {err}"));
    let mut bytes = Vec::new();
    if list == "-" {
        io::stdin().lock().read_to_end(&mut bytes).map_err(cannot)?;
    } else {
        std::fs::File::open(list)
            .and_then(|mut file| file.read_to_end(&mut bytes))
            .map_err(cannot)?;
    }
    if bytes.contains(&0) {
        return Ok(bytes
            .split(|&byte| byte == 0)
            .filter(|entry| !entry.is_empty())
            .map(|entry| os_string(entry.to_vec()))
            .collect());
    }
    Ok(bytes
        .split(|&byte| byte == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|line| !line.is_empty() && !line.starts_with(b"#"))
        .map(|line| os_string(line.to_vec()))
        .collect())
}

#[cfg(unix)]
fn os_string(bytes: Vec<u8>) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(bytes)
}

#[cfg(not(unix))]
fn os_string(bytes: Vec<u8>) -> OsString {
    OsString::from(String::from_utf8_lossy(&bytes).into_owned())
}

fn batch_kind(kind: Kind) -> FailureKind {
    match kind {
        Kind::Input => FailureKind::Input,
        Kind::Api => FailureKind::Api,
        Kind::Auth => FailureKind::Auth,
        Kind::TranscriptFailed => FailureKind::TranscriptFailed,
        Kind::Timeout => FailureKind::Timeout,
        Kind::Network => FailureKind::Network,
        Kind::Usage => FailureKind::Usage,
        // A batch stopped by a signal ends its run; what it had is journaled.
        Kind::Internal | Kind::Interrupted | Kind::NothingFound => FailureKind::Internal,
    }
}
