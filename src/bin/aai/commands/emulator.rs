//! `aai emulator`: serve the local AssemblyAI API (`assemblyai::emulator`) until stopped.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use assemblyai::emulator::{ClipErrorShape, Emulator, Fault, FaultRule, RecordedRequest, Script};

use crate::cli::{Args, Command, Flag, Group, Members, Operands, Takes};
use crate::duration::parse_duration;
use crate::failure::{CliResult, Failure};

/// The port when `--port` isn't given: fixed, so the README's commands can be pasted as they are.
pub const DEFAULT_PORT: u16 = 8731;

pub static EMULATOR: Command = Command {
    name: "emulator",
    summary: "serve a local AssemblyAI API to try aai or test against",
    operands: &[],
    completes: Operands::Nothing,
    groups: &[&SERVING],
    about: "Serves until stopped (Ctrl-C or SIGTERM). Prints its base URL as the first line on \
stdout and each request on stderr (not with -q). It serves every v2 endpoint with the API's \
behaviour and error bodies, and v3 streaming (/v3/ws, /v3/token) on the same port, so one \
ASSEMBLYAI_BASE_URL reaches both; it never uses the network: an audio_url is not fetched. An \
upload with no known audio or video signature fails as undecodable audio; a WAV's duration \
sets the transcript's; a URL on a .invalid host fails with the API's download error. A \
streamed recording is heard as the words of the example transcript. The LLM Gateway (/v1: \
chat completions, models, understanding) is served on the same port, with deterministic \
answers; so are the Sync STT and Dictation APIs, under /sync and /dictation (what aai sync \
and aai dictate reach with the same ASSEMBLYAI_BASE_URL; give an SDK BASE/sync and \
BASE/dictation as their base URLs).",
    examples: "\
  aai emulator
  # in another terminal:
  export ASSEMBLYAI_BASE_URL=http://127.0.0.1:8731 ASSEMBLYAI_API_KEY=test
  aai transcribe samples/hello.wav
  aai stream samples/hello.wav
  aai emulator --port 0 --key my-test-key --complete-after 5s
  aai emulator --fault route=POST:/v2/transcript,status=429,retry-after=2",
    run: emulator,
};

static PORT: Flag = Flag::valued(
    "--port",
    Takes::Value,
    "N",
    "port to listen on; 0 picks a free one [default: 8731]",
);
static HOST: Flag = Flag::valued(
    "--host",
    Takes::Value,
    "ADDR",
    "address to bind [default: 127.0.0.1, this machine only]",
);
static KEY: Flag = Flag::valued(
    "--key",
    Takes::Value,
    "KEY",
    "accept only this API key (others get the API's 401) [default: any]",
);
static COMPLETE_AFTER: Flag = Flag::valued(
    "--complete-after",
    Takes::Value,
    "DURATION",
    "how long each job takes [default: 1s]",
);
static TRANSCRIPT: Flag = Flag::valued(
    "--transcript",
    Takes::Path,
    "FILE",
    "what every job says: a transcript JSON, or plain text",
);
static FAIL: Flag = Flag::valued(
    "--fail",
    Takes::Value,
    "MESSAGE",
    "every job ends in status error with this message",
);
static CONCURRENCY: Flag = Flag::valued(
    "--concurrency",
    Takes::Value,
    "N",
    "at most N jobs processed at once; the rest stay queued, throttled",
);
static ACCOUNT_DEFAULT_MODEL: Flag = Flag::valued(
    "--account-default-model",
    Takes::Value,
    "MODEL",
    "the model a job runs on when its request names none (reported in speech_model_used) \
     [default: assemblyai-stt-3-7]",
);
static MODELS: Flag = Flag::valued(
    "--models",
    Takes::Path,
    "FILE",
    "the LLM Gateway's catalogue (/v1/models JSON) [default: three models]",
);
static GATEWAY_RATE_LIMIT: Flag = Flag::valued(
    "--gateway-rate-limit",
    Takes::Value,
    "N/DURATION",
    "the gateway's limit per model [default: 30/60s]",
);
static FAILING_MODEL: Flag = Flag::valued(
    "--failing-model",
    Takes::Repeated,
    "ID",
    "this gateway model fails, so its fallbacks answer (repeatable)",
);
static CLIP_ERRORS: Flag = Flag::valued(
    "--clip-errors",
    Takes::Value,
    "SHAPE",
    "problem or legacy: the shape of Sync and Dictation errors [default: problem, RFC 9457]",
)
.only(&["problem", "legacy"]);
static LLM_ERROR: Flag = Flag::valued(
    "--llm-error",
    Takes::Value,
    "KIND",
    "every dictation's clean-up fails with this llm_error (timeout, error)",
)
.knows(assemblyai::dictation::LlmError::KNOWN);
static RATE_LIMIT: Flag = Flag::valued(
    "--rate-limit",
    Takes::Value,
    "N/DURATION",
    "at most N requests per window (e.g. 100/60s); then 429 + Retry-After",
);
static FAULT: Flag = Flag::valued(
    "--fault",
    Takes::Repeated,
    "SPEC",
    "inject a fault, repeatable: route=METHOD:PATH, then status=CODE [retry-after=SECS], \
     drop or slow=DURATION, and times=N [default: 1]",
);
static LOG: Flag = Flag::valued(
    "--log",
    Takes::Path,
    "FILE",
    "append each request to FILE as a JSON line",
);

/// What the emulator serves and how.
static SERVING: Group = Group {
    title: "Emulator options",
    flags: Members::Fixed(&[
        &PORT,
        &HOST,
        &KEY,
        &COMPLETE_AFTER,
        &TRANSCRIPT,
        &FAIL,
        &CONCURRENCY,
        &ACCOUNT_DEFAULT_MODEL,
        &RATE_LIMIT,
        &FAULT,
        &MODELS,
        &GATEWAY_RATE_LIMIT,
        &FAILING_MODEL,
        &CLIP_ERRORS,
        &LLM_ERROR,
        &LOG,
    ]),
};

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
    let account_model = args.value::<String>("--account-default-model")?;
    let rate_limit = args.value_with("--rate-limit", parse_rate)?;
    let gateway = GatewayFlags::parse(&mut args)?;
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
    args.finish()?;

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
    if let Some(model) = account_model.as_deref().map(str::trim) {
        if model.is_empty() {
            return Err(Failure::usage(
                "--account-default-model takes a model name, e.g. universal-2",
            ));
        }
        builder = builder.account_default_model(model);
    }
    if let Some(jobs) = concurrency {
        builder = builder.concurrency_limit(jobs);
    }
    if let Some((max, window)) = rate_limit {
        builder = builder.rate_limit(max, window);
    }
    builder = gateway.apply(builder);
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
        let serving = format!(
            "aai emulator: serving the AssemblyAI API on {} ({}); stop with Ctrl-C",
            emulator.base_url(),
            match &key {
                Some(_) => "one API key accepted",
                None => "any API key accepted",
            }
        );
        let shown_key = if key.is_some() { "YOUR_KEY" } else { "test" };
        let tries: Vec<String> = ["transcribe", "stream"]
            .iter()
            .map(|command| {
                format!(
                    "  try: ASSEMBLYAI_BASE_URL={} ASSEMBLYAI_API_KEY={shown_key} aai {command} \
                     samples/hello.wav",
                    emulator.base_url(),
                )
            })
            .collect();
        match crate::notice::is_json() {
            true => crate::notice::json(
                &serde_json::json!({"event": "serving", "base_url": emulator.base_url()}),
            ),
            false => {
                let mut lines: Vec<&str> = vec![&serving];
                lines.extend(tries.iter().map(String::as_str));
                crate::notice::text_lines(&lines);
            }
        }
    }
    loop {
        std::thread::park(); // the server's threads do the work until a signal ends the process
    }
}

/// The LLM Gateway's options, read in one place.
struct GatewayFlags {
    models: Option<Vec<serde_json::Value>>,
    rate_limit: Option<(u32, Duration)>,
    failing: Vec<String>,
}

impl GatewayFlags {
    fn parse(args: &mut Args) -> CliResult<GatewayFlags> {
        let models = match args.path("--models")? {
            None => None,
            Some(path) => Some(read_models(&path)?),
        };
        Ok(GatewayFlags {
            models,
            rate_limit: args.value_with("--gateway-rate-limit", parse_rate)?,
            failing: args.values("--failing-model")?,
        })
    }

    fn apply(
        self,
        mut builder: assemblyai::emulator::EmulatorBuilder,
    ) -> assemblyai::emulator::EmulatorBuilder {
        if let Some(models) = self.models {
            builder = builder.gateway_models(models);
        }
        if let Some((max, window)) = self.rate_limit {
            builder = builder.gateway_rate_limit(max, window);
        }
        for model in &self.failing {
            builder = builder.gateway_failing_model(model);
        }
        builder
    }
}

/// `--models FILE`: the catalogue, as `/v1/models` answers it (`{"data": [...]}`) or its list.
fn read_models(path: &Path) -> CliResult<Vec<serde_json::Value>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::input(format!("cannot read --models {}: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::input(format!("--models {} is not JSON: {e}", path.display())))?;
    let list = match value {
        serde_json::Value::Object(mut object) => object.remove("data").unwrap_or_default(),
        other => other,
    };
    match list {
        serde_json::Value::Array(models) if models.iter().all(|m| m["id"].is_string()) => {
            Ok(models)
        }
        _ => Err(Failure::input(format!(
            "--models {}: expected a list of models, each with an \"id\" (or {{\"data\": [...]}})",
            path.display()
        ))),
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
            crate::notice::line(
                &format!(
                    "{} {target} {} bytes{note}",
                    request.method, request.body_len
                ),
                &serde_json::json!({"event": "request", "method": request.method,
                    "target": target, "bytes": request.body_len}),
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
