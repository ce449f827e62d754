//! `aai emulator`: serve the local AssemblyAI API (`assemblyai::emulator`) until stopped.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use assemblyai::emulator::{ClipErrorShape, Emulator, Fault, FaultRule, RecordedRequest, Script};

use crate::args::Args;
use crate::duration::parse_duration;
use crate::failure::{CliResult, Failure};

/// The port when `--port` isn't given: fixed, so the README's commands can be pasted as they are.
pub const DEFAULT_PORT: u16 = 8731;

pub fn emulator(mut args: Args) -> CliResult {
    let port = args.value::<u16>("--port")?.unwrap_or(DEFAULT_PORT);
    let host = args
        .value::<String>("--host")?
        .unwrap_or_else(|| "127.0.0.1".into());
    let key = args.value::<String>("--key")?;
    let complete_after = args.value_with("--complete-after", parse_duration)?;
    let transcript = args.path("--transcript")?;
    let fail = args.value::<String>("--fail")?;
    let log = args.path("--log")?;
    let concurrency = args.value::<usize>("--concurrency")?;
    let rate_limit = args.value_with("--rate-limit", parse_rate)?;
    let faults = args
        .values("--fault")?
        .iter()
        .map(|spec| parse_fault(spec).map_err(|e| Failure::usage(format!("--fault {spec}: {e}"))))
        .collect::<CliResult<Vec<FaultRule>>>()?;
    let quiet = args.flag(["-q", "--quiet"]);
    let clip_errors = args.value_with("--clip-errors", |text| match text {
        "problem" => Ok(ClipErrorShape::Problem),
        "legacy" => Ok(ClipErrorShape::Legacy),
        _ => Err(format!("expected problem or legacy, got \"{text}\"")),
    })?;
    let llm_error = args.value::<String>("--llm-error")?;
    args.finish(&[])?;

    let mut script = Script::after(complete_after.unwrap_or(Duration::from_secs(1)));
    if let Some(path) = &transcript {
        script = with_content(script, path)?;
    }
    if let Some(message) = &fail {
        script = script.failing(message);
    }
    let mut builder = Emulator::builder()
        .host(&host)
        .port(port)
        .script(script)
        // A server that runs for days must not keep every request it saw.
        .keep_requests(false);
    if let Some(key) = &key {
        builder = builder.key(key);
    }
    if let Some(jobs) = concurrency {
        builder = builder.concurrency_limit(jobs);
    }
    if let Some((max, window)) = rate_limit {
        builder = builder.rate_limit(max, window);
    }
    let log_file = match &log {
        Some(path) => Some(open_log(path)?),
        None => None,
    };
    builder = builder.on_request(logger(log_file, quiet));
    let emulator = builder.start().map_err(|e| {
        Failure::input(e.to_string())
            .with_hint("choose another port with --port N (0: any free port)")
    })?;
    for rule in faults {
        emulator.inject(rule);
    }
    if let Some(shape) = clip_errors {
        emulator.set_clip_error_shape(shape);
    }
    emulator.set_dictation_llm_error(llm_error.as_deref());
    stop_cleanly_on_signals();
    // The first stdout line is all a script needs to read; flushed, since stdout may be a pipe.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}", emulator.base_url());
    let _ = stdout.flush();
    if !quiet {
        eprintln!(
            "aai emulator: serving the AssemblyAI API on {} ({}); stop with Ctrl-C",
            emulator.base_url(),
            match &key {
                Some(_) => "one API key accepted",
                None => "any API key accepted",
            }
        );
        eprintln!(
            "  try: ASSEMBLYAI_BASE_URL={} ASSEMBLYAI_API_KEY={} aai transcribe samples/hello.wav",
            emulator.base_url(),
            if key.is_some() {
                "<your --key>"
            } else {
                "test"
            }
        );
    }
    loop {
        std::thread::park(); // the server's threads do the work until a signal ends the process
    }
}

/// `--transcript FILE`: a transcript JSON object sets every field it has; anything else is
/// the text said, spread over each recording.
fn with_content(script: Script, path: &Path) -> CliResult<Script> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::input(format!("cannot read --transcript {}: {e}", path.display())))?;
    Ok(match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(value) if value.is_object() => script.with_transcript(value),
        _ => script.with_text(&text),
    })
}

/// `--rate-limit N/DURATION`, e.g. `100/60s`.
fn parse_rate(text: &str) -> Result<(u32, Duration), String> {
    let bad = || format!("invalid rate limit \"{text}\": write it like 100/60s (requests/window)");
    let (count, window) = text.split_once('/').ok_or_else(bad)?;
    let count = count
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(bad)?;
    let window = parse_duration(window).map_err(|_| bad())?;
    Ok((count, window))
}

/// `--fault route=METHOD:PATH,status=CODE[,retry-after=SECS]|drop|slow=DURATION[,times=N]`.
fn parse_fault(spec: &str) -> Result<FaultRule, String> {
    let (mut route, mut fault, mut times, mut retry_after) = (None, None, 1, None);
    let mut status = None;
    for part in spec.split(',').map(str::trim) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        match name {
            "route" => {
                let (method, path) = value
                    .split_once(':')
                    .filter(|(_, path)| path.starts_with('/'))
                    .ok_or("route wants METHOD:/path, e.g. POST:/v2/transcript")?;
                route = Some((method.to_string(), path.to_string()));
            }
            "status" => {
                let code = value
                    .parse::<u16>()
                    .ok()
                    .filter(|c| (100..=599).contains(c))
                    .ok_or("status wants an HTTP status code, e.g. 503")?;
                status = Some(code);
            }
            "retry-after" => {
                retry_after = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_| "retry-after wants seconds")?,
                )
            }
            "drop" => fault = Some(Fault::DropBeforeResponse),
            "slow" => fault = Some(Fault::Delay(parse_duration(value)?)),
            "times" => {
                times = value
                    .parse::<u32>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("times wants a count from 1")?
            }
            _ => return Err(format!("unknown part \"{part}\"")),
        }
    }
    let (method, path) = route.ok_or("route=METHOD:/path is required")?;
    // The short-clip APIs answer in their own error shape.
    let clip_route = path.starts_with("/sync") || path.starts_with("/dictation");
    if let Some(code) = status {
        fault = Some(if clip_route {
            Fault::clip_status(code)
        } else {
            Fault::status(code)
        });
    }
    let mut fault = fault.ok_or("say what happens: status=CODE, drop or slow=DURATION")?;
    if let Some(secs) = retry_after {
        fault = fault.retry_after(secs);
    }
    Ok(fault.on(&method, &path).times(times))
}

fn open_log(path: &Path) -> CliResult<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Failure::input(format!("cannot open --log {}: {e}", path.display())))
}

/// Each request as it arrives: a line on stderr (unless quiet) and a JSON line in the log.
/// Lines are written whole in one call each, so concurrent requests never interleave.
fn logger(log: Option<File>, quiet: bool) -> impl Fn(&RecordedRequest) + Send + Sync + 'static {
    let log = Mutex::new(log);
    let (wall, clock) = (SystemTime::now(), Instant::now());
    move |request| {
        let target = match request.raw_query.as_str() {
            "" => request.path.clone(),
            query => format!("{}?{query}", request.path),
        };
        let note = match (&request.fault, request.rate_limited) {
            (Some(fault), _) => format!(" (fault: {fault:?})"),
            (None, true) => " (rate limited: 429)".into(),
            (None, false) => String::new(),
        };
        if !quiet {
            eprintln!(
                "{} {target} {} bytes{note}",
                request.method, request.body_len
            );
        }
        let mut log = log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(file) = log.as_mut() {
            let at = wall + request.at.saturating_duration_since(clock);
            let secs = at
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs_f64();
            let line = serde_json::json!({
                "time": secs,
                "method": request.method,
                "path": request.path,
                "query": request.raw_query,
                "body_bytes": request.body_len,
                "chunked": request.chunked,
                "user_agent": request.header("user-agent"),
                "fault": request.fault.as_ref().map(|f| format!("{f:?}")),
                "rate_limited": request.rate_limited,
                "connection": request.connection,
            });
            let _ = file.write_all(format!("{line}\n").as_bytes());
        }
    }
}

/// SIGINT and SIGTERM end the server with exit code 0: nothing is buffered (each log line is
/// written whole as it happens), and the sockets close with the process.
#[cfg(unix)]
fn stop_cleanly_on_signals() {
    extern "C" fn stop(_signal: libc::c_int) {
        const MESSAGE: &[u8] = b"aai emulator: stopped\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe; MESSAGE is static.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(0);
        }
    }
    // SAFETY: `stop` has the signature signal(2) expects and only calls async-signal-safe
    // functions.
    unsafe {
        libc::signal(libc::SIGINT, stop as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, stop as *const () as libc::sighandler_t);
    }
}

#[cfg(not(unix))]
fn stop_cleanly_on_signals() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs_name_a_route_a_fault_and_a_count() {
        let rule = parse_fault("route=POST:/v2/transcript,status=429,retry-after=3,times=2");
        let expected = Fault::too_many_requests(3)
            .on("POST", "/v2/transcript")
            .times(2);
        assert_eq!(format!("{:?}", rule.unwrap()), format!("{expected:?}"));
        assert!(parse_fault("route=GET:/v2/upload,drop").is_ok());
        assert!(parse_fault("route=GET:/v2/transcript/,slow=2s").is_ok());
        assert!(parse_fault("status=500").unwrap_err().contains("route"));
        assert!(parse_fault("route=GET:/v2,status=abc").is_err());
        assert!(
            parse_fault("route=GET:/v2,boom")
                .unwrap_err()
                .contains("boom")
        );
    }

    #[test]
    fn rate_limits_are_requests_over_a_window() {
        assert_eq!(parse_rate("100/60s"), Ok((100, Duration::from_secs(60))));
        assert!(parse_rate("0/1s").is_err() && parse_rate("5").is_err());
    }
}
