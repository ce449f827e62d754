//! `aai batch`: many recordings into one output directory, a thin layer over
//! the library's `Batch` (which keeps the journal, the rate limit and the
//! list polling); this file parses flags and writes each output with the
//! same rendering as `aai transcribe`.

use std::io::{self, BufRead, BufReader};
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

Each source gets one output per format: DIR/<its path inside the directory given, or its \
file name> with the extension replaced (text .txt, json .json, srt .srt, vtt .vtt, sentences \
.sentences.txt, paragraphs .paragraphs.txt, utterances .utterances.txt), written atomically. \
Two sources that would share an output are refused before anything is sent. Every request \
option of aai transcribe applies to every job.

A journal in DIR/.aai-batch/ records each step before it is paid for. Run the same command \
again after a crash, kill or reboot: finished sources are skipped without a request, started \
transcripts are waited on by id, failed ones are kept unless --retry-failed, and a file \
changed since its transcript is done again.

It prints a summary and the failures; -v lists every source. Exit 0 when every source \
succeeded, otherwise the code of the worst failure class (auth, usage, network, timeout, API, \
local file, transcript failed).",
    examples: "\
  aai batch recordings/ --out-dir transcripts --format text,srt --speaker-labels
  find /calls -name '*.wav' | aai batch --from-file - --out-dir /calls-text -q
  # in a Kubernetes Indexed Job of 8
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
    "also read sources from LIST, one a line (- for stdin; blank lines and # comments skipped)",
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
    "take the K-th of N shares of the sources (by a hash of each); auto or auto/N reads a \
     Slurm job array or a Kubernetes Indexed Job",
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
    let shard = args.value_with("--shard", parse_shard)?;
    let retry_failed = args.flag("--retry-failed");
    let report = args.path("--report")?;
    let ask = super::batch_ask::AskFlags::parse(&mut args)?;
    let request = request_flags::parse(&mut args)?;
    let mut inputs = args.finish()?;
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
    if let Some(path) = &report {
        crate::output::Output::File(path.clone()).check_writable()?;
    }
    let shard = shard.unwrap_or_else(|| Ok(Shard::whole()))?;
    let collected = Sources::collect(&inputs)?;
    drop(inputs); // the sources hold what is needed, and a list may be long

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
    // Through notice, so that with --json the interruption is a JSON error.
    crate::notice::on_interrupt(
        "interrupted; every step so far is in the journal: run the same command again \
         to go on where this run stopped",
        None,
    );
    let deliver = move |delivery: &Delivery<'_>| {
        write_outputs(delivery, &formats, chars_per_caption, &request)
    };
    let outcome = runner.run(&collected.sources, &deliver, &|event| {
        progress.on_event(event)
    })?;
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
/// skipped; `-` reads stdin.
fn read_list(list: &str) -> CliResult<Vec<String>> {
    let reader: Box<dyn BufRead> = if list == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        let file = std::fs::File::open(list)
            .map_err(|err| Failure::input(format!("cannot read the list {list}: {err}")))?;
        Box::new(BufReader::new(file))
    };
    let mut sources = Vec::new();
    for line in reader.lines() {
        let line =
            line.map_err(|err| Failure::input(format!("cannot read the list {list}: {err}")))?;
        let line = line.trim();
        if !line.is_empty() && !line.starts_with('#') {
            sources.push(line.to_owned());
        }
    }
    Ok(sources)
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
