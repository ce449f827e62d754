//! Serves the tests' fake AssemblyAI API (`tests/support`, a shim over the library's emulator) on
//! its own, with the tests' defaults (any bytes transcribe, one key), for the bench harness
//! (bench/run.py reads its tab-separated `--log`); it never touches the network beyond
//! 127.0.0.1. For anything else, `aai emulator` is the same server with the API's realism.
//!
//! ```text
//! cargo run --example fake_api -- --port 8080 --script after:5s --words 100000
//! curl -H 'Authorization: aai-test-key-7d1f0c2e9b' http://127.0.0.1:8080/v2/transcript
//! ```

#[path = "../tests/support/mod.rs"]
mod support;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use support::{FakeApi, RecordedRequest, Script};

const USAGE: &str = "\
usage: fake_api [--port N] [--key KEY] [--script SCRIPT] [--words N] [--no-hash] [--log FILE]

  --port N         port on 127.0.0.1 (default 0: any free port)
  --key KEY        the API key to accept (default the tests' key)
  --script SCRIPT  how every job goes (default polls:0,1):
                     after:5s | after:500ms  completed after that time
                     polls:Q,P               Q GETs see queued, the next P processing
                     never                   processing forever
                     fail:MESSAGE            status error at the first GET
  --words N        completed transcripts hold N generated words
  --rate-limit N/W at most N requests in any window W (e.g. 200/3s), then 429 + Retry-After
  --concurrency N  at most N jobs processed at once; later ones stay queued, throttled
  --no-hash        don't hash request bodies (upload benchmarks: the hash is slower than
                   the clients)
  --log FILE       append a line per request as it arrives, tab-separated:
                     unix time (s, microseconds), method, path, body bytes, user agent

Prints `listening on http://127.0.0.1:PORT` once it serves; stop it with Ctrl-C.";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(api)) => {
            println!("listening on {}", api.base_url());
            loop {
                std::thread::park(); // the server threads do the work
            }
        }
        Err(message) => {
            eprintln!("fake_api: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The started server, or `None` for `--help`.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<FakeApi>, String> {
    let mut builder = FakeApi::builder();
    let mut script = Script::default();
    let mut words = None;
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        if flag == "--no-hash" {
            builder = builder.hash_bodies(false);
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--port" => builder = builder.port(number(&flag, &value)?),
            "--key" => builder = builder.key(&value),
            "--script" => script = parse_script(&value)?,
            "--words" => words = Some(number(&flag, &value)?),
            "--rate-limit" => {
                let (max, window) = value.split_once('/').ok_or_else(|| {
                    format!("--rate-limit wants N/WINDOW, e.g. 200/3s, not {value:?}")
                })?;
                builder = builder.rate_limit(number(&flag, max)?, parse_duration(window)?);
            }
            "--concurrency" => builder = builder.concurrency_limit(number(&flag, &value)?),
            "--log" => {
                let file = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&value)
                    .map_err(|e| format!("cannot open {value}: {e}"))?;
                builder = builder.on_request(log_line(file));
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if let Some(words) = words {
        script = script.with_words(words);
    }
    Ok(Some(builder.script(script).start()))
}

/// Writes each request as one line, in one `write` so lines never interleave; the times are wall
/// clock, so a benchmark can set them beside its own.
fn log_line(file: File) -> impl Fn(&RecordedRequest) + Send + Sync + 'static {
    let file = Mutex::new(file);
    let (wall, clock) = (SystemTime::now(), Instant::now());
    move |request| {
        let at = wall + request.at.saturating_duration_since(clock);
        let secs = at
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        let agent = request.header("user-agent").unwrap_or("-");
        let line = format!(
            "{secs:.6}\t{}\t{}\t{}\t{agent}\n",
            request.method, request.path, request.body_len
        );
        let mut file = file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let _ = file.write_all(line.as_bytes());
    }
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} wants a number, not {value:?}"))
}

fn parse_script(spec: &str) -> Result<Script, String> {
    match spec.split_once(':') {
        None if spec == "never" => Ok(Script::never()),
        Some(("after", time)) => parse_duration(time).map(Script::after),
        Some(("polls", counts)) => {
            let (queued, processing) = counts
                .split_once(',')
                .ok_or_else(|| format!("polls wants Q,P, not {counts:?}"))?;
            Ok(Script::after_polls(
                number("polls", queued)?,
                number("polls", processing)?,
            ))
        }
        Some(("fail", message)) => Ok(Script::fail(message)),
        _ => Err(format!("unknown script {spec:?}")),
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    if let Some(ms) = text.strip_suffix("ms") {
        return number("after", ms).map(Duration::from_millis);
    }
    match text.strip_suffix('s') {
        Some(secs) => number("after", secs).map(Duration::from_secs_f64),
        None => Err(format!("after wants a time like 5s or 500ms, not {text:?}")),
    }
}
