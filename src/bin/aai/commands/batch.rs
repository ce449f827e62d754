//! `aai batch`: many recordings into one output directory, a thin layer over
//! the library's `Batch` (which keeps the journal, the rate limit and the
//! list polling); this file parses flags and writes each output with the
//! same rendering as `aai transcribe`.

use std::ffi::OsString;
use std::io::{self, Read};
use std::path::PathBuf;

use assemblyai::batch::{
    self, Batch, Delivery, Failure as BatchFailure, FailureKind, Shard, Sources,
};
use assemblyai::{RateLimiter, RetryPolicy, TranscriptRequest};

use crate::args::{Args, Connection};
use crate::batch_progress::{self, Progress};
use crate::failure::{CliResult, Failure, Kind};
use crate::interrupt;
use crate::render::{Format, Presentation};
use crate::request_flags;

/// Requests a batch sends at most, once retries are counted: a batch rides
/// out a long 429 or outage rather than failing sources to it.
const BATCH_ATTEMPTS: u32 = 10;
/// The longest pause between attempts, and the longest `Retry-After` obeyed:
/// the documented limit's window is 5 minutes, and a 429 may ask for all of it.
const BATCH_MAX_BACKOFF: std::time::Duration = std::time::Duration::from_secs(300);

pub fn batch(mut args: Args) -> CliResult {
    if let Some(dir) = args.path("--status")? {
        let json = args.flag("--json");
        let quiet = args.flag(["-q", "--quiet"]);
        args.finish(&[])?;
        let outcomes = batch::read_status(&dir)?;
        return batch_progress::final_report(&outcomes, quiet, json, None);
    }
    let connection = Connection::parse(&mut args)?;
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
    let request = request_flags::parse(&mut args)?;
    let mut inputs: Vec<OsString> = args
        .finish(&["SOURCE..."])?
        .into_iter()
        .map(OsString::from)
        .collect();
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
    let client = connection
        .client(keep_json)?
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
    interrupt::on_interrupt(
        "\naai: interrupted; every step so far is in the journal: run the same command again \
         to go on where this run stopped\n",
    );
    let deliver = move |delivery: &Delivery<'_>| {
        write_outputs(delivery, &formats, chars_per_caption, &request)
    };
    // The run's lease goes with it on Ctrl-C or SIGTERM, so the next run
    // takes its sources over at once instead of after the lease.
    let lease_guard = std::sync::Mutex::new(None);
    let outcome = runner.run(&collected.sources, &deliver, &|event| {
        if let batch::Event::Started { lease } = event {
            *lease_guard.lock().unwrap_or_else(|p| p.into_inner()) =
                Some(interrupt::remove_on_interrupt(lease));
        }
        progress.on_event(event)
    })?;
    drop(lease_guard);
    progress.finish();
    batch_progress::final_report(&outcome.outcomes, quiet, json, report.as_deref())
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

/// The CLI's class of a batch failure.
pub fn cli_kind(kind: FailureKind) -> Kind {
    match kind {
        FailureKind::Input => Kind::Input,
        FailureKind::Api => Kind::Api,
        FailureKind::Auth => Kind::Auth,
        FailureKind::TranscriptFailed => Kind::TranscriptFailed,
        FailureKind::Timeout => Kind::Timeout,
        FailureKind::Network => Kind::Network,
        FailureKind::Usage => Kind::Usage,
        _ => Kind::Internal,
    }
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
        Kind::Internal | Kind::Interrupted => FailureKind::Internal,
    }
}
