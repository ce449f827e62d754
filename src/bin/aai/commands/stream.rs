//! `aai stream`: live transcription of a WAV file, a pipe or a microphone,
//! one final turn per line; `aai stream-token`: a temporary token.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use assemblyai::streaming::{
    AudioEncoding, Begin, StreamEvent, StreamingClient, StreamingMode, StreamingModel,
    StreamingOptions, StreamingParams, Summary, VoiceFocus,
};
use assemblyai::{Region, Secret};
use serde_json::{Value, json};

use super::stream_input;
use crate::args::{Args, Connection};
use crate::commands::transcribe::{timeout_flag, within};
use crate::failure::{CliResult, Failure, Kind};

/// Environment variable overriding the streaming host.
const STREAMING_URL_VARIABLE: &str = "ASSEMBLYAI_STREAMING_URL";

pub fn stream(mut args: Args) -> CliResult {
    let host = StreamingHost::parse(&mut args)?;
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let json = args.flag("--json");
    let quiet = args.flag(["-q", "--quiet"]);
    let sample_rate = args.value::<u32>("--sample-rate")?;
    let encoding = args.value::<AudioEncoding>("--encoding")?;
    let mut params = parse_params(&mut args)?;
    let source = args.finish(&["FILE|-"])?.remove(0);

    let input = stream_input::open(&source, sample_rate, encoding)?;
    params.sample_rate = input.rate;
    params.encoding = input.encoding.clone();
    let client = host.client(&connection, timeout)?;
    let status = Reporter::new(quiet);

    // Until a session is open there is nothing to end cleanly: Ctrl-C (or
    // SIGTERM) while connecting, retries included, exits at once.
    crate::notice::on_interrupt("interrupted while connecting: no session was opened", None);
    // --timeout counts from here, connecting (and its retries) included.
    let deadline = timeout.map(|limit| Instant::now() + limit);
    let mut session = client.connect(&params)?;
    let left = deadline.map(|at| at.saturating_duration_since(Instant::now()));
    if left.is_some_and(|left| left.is_zero()) {
        // Dropped: the session is terminated before any audio is sent.
        drop(session);
        return Err(Failure::new(
            Kind::Timeout,
            "the --timeout passed while connecting: the session was ended before any audio",
        ));
    }
    // From now on the first signal ends the session cleanly; a second quits at once.
    crate::notice::on_interrupt(
        "interrupted again: quit without waiting for the session's last turns",
        None,
    );
    let stop = crate::interrupt::graceful();
    let timed_out = stop_after(left, stop);
    status.began(session.begin(), &input.description, &params);
    let stdout_gone = AtomicBool::new(false);
    let live = Partials::new(json || quiet);
    let result = session.stream(input.reader, stop, |event| match event {
        StreamEvent::Final(turn) => {
            live.clear();
            let line = if json {
                turn.raw_json().to_owned()
            } else {
                turn.transcript.clone()
            };
            if !json && line.is_empty() {
                return;
            }
            if !print_final(&line) {
                // `| head`: stop the session cleanly and leave quietly.
                stdout_gone.store(true, Ordering::Relaxed);
                stop.store(true, Ordering::Relaxed);
            }
        }
        StreamEvent::Partial(turn) => live.show(&turn.transcript),
        StreamEvent::Restarted {
            begin,
            previous_session_id,
            reason,
            audio_lost,
            ..
        } => {
            live.clear();
            status.restarted(&previous_session_id, &begin, &reason, audio_lost);
        }
        StreamEvent::Warning { code, message } => {
            live.clear();
            // The server's Warning has a code; the library's own notes (the model the
            // server chose over the one asked for) have none.
            match code {
                Some(_) => crate::notice::warn(&format!("the server warns: {message}")),
                None => crate::notice::warn(&message),
            }
        }
        _ => {}
    });
    live.clear();
    let summary = result?;
    status.ended(&summary);
    if stdout_gone.load(Ordering::Relaxed) {
        return Ok(());
    }
    if timed_out.load(Ordering::Relaxed) {
        let limit = timeout.map(crate::live::clock).unwrap_or_default();
        return Err(Failure::new(
            Kind::Timeout,
            format!(
                "the --timeout of {limit} passed: the session was terminated and every final \
                 turn it sent was printed"
            ),
        ));
    }
    if stop.load(Ordering::Relaxed) {
        return Err(Failure::new(
            Kind::Interrupted,
            "interrupted: the session was terminated and every final turn it sent was printed",
        ));
    }
    Ok(())
}

/// One final turn on stdout, as one line (made visible on a terminal, as
/// every product is); false when the reader is gone.
fn print_final(line: &str) -> bool {
    let mut out = io::stdout().lock();
    let shown = if out.is_terminal() {
        crate::visible::one_line(line)
    } else {
        line.into()
    };
    writeln!(out, "{shown}").and_then(|()| out.flush()).is_ok()
}

/// Sets `stop` once `timeout` has passed, as Ctrl-C would: the session ends
/// cleanly with its last turns printed. The flag returned says it happened.
fn stop_after(timeout: Option<Duration>, stop: &'static AtomicBool) -> &'static AtomicBool {
    static TIMED_OUT: AtomicBool = AtomicBool::new(false);
    if let Some(timeout) = timeout {
        let _ = std::thread::Builder::new()
            .name("aai-stream-timeout".to_owned())
            .spawn(move || {
                std::thread::sleep(timeout);
                if !stop.load(Ordering::Relaxed) {
                    TIMED_OUT.store(true, Ordering::Relaxed);
                    stop.store(true, Ordering::Relaxed);
                }
            });
    }
    &TIMED_OUT
}

pub fn stream_token(mut args: Args) -> CliResult {
    let host = StreamingHost::parse(&mut args)?;
    let connection = Connection::parse(&mut args)?;
    let json = args.flag("--json");
    let seconds = |text: &str| -> Result<Duration, String> {
        let duration = crate::duration::parse_duration(text)?;
        if duration.subsec_nanos() != 0 {
            return Err(format!("\"{text}\" is not a whole number of seconds"));
        }
        Ok(duration)
    };
    let expires_in = args
        .value_with("--expires-in", seconds)?
        .ok_or_else(|| Failure::usage("aai stream-token needs --expires-in SECONDS (1 to 600)"))?;
    let max_session = args.value_with("--max-session", seconds)?;
    let timeout = timeout_flag(&mut args)?;
    args.finish(&[])?;
    let client = host.client(&connection, timeout)?;
    let token = client.create_token(expires_in, max_session)?;
    let text = if json {
        let object = json!({
            "token": token.token.expose(),
            "expires_in_seconds": token.expires_in_seconds,
        });
        format!("{object}\n")
    } else {
        format!("{}\n", token.token.expose())
    };
    crate::output::Output::Stdout.write(text.as_bytes())
}

/// Where to stream: `--streaming-url`, else `--region`, else
/// `ASSEMBLYAI_STREAMING_URL`, else the region of the REST host (the config
/// file's `region`, `ASSEMBLYAI_BASE_URL`), else the default host.
struct StreamingHost {
    url: Option<String>,
    region: Option<Region>,
}

impl StreamingHost {
    /// Reads `--streaming-url` and `--region` before [`Connection::parse`],
    /// so a region on the command line is told from one in the config file.
    fn parse(args: &mut Args) -> CliResult<StreamingHost> {
        let url = args.value::<String>("--streaming-url")?;
        let region = args.value_with("--region", crate::config::parse_region)?;
        if url.is_some() && region.is_some() {
            return Err(Failure::usage("give --region or --streaming-url, not both"));
        }
        Ok(StreamingHost { url, region })
    }

    /// The streaming client; `timeout` (from `--timeout`) bounds the token
    /// request and each connection attempt too.
    fn client(
        self,
        connection: &Connection,
        timeout: Option<Duration>,
    ) -> CliResult<StreamingClient> {
        let mut client = within(connection.client(false)?, timeout).streaming();
        let from_env = || {
            std::env::var(STREAMING_URL_VARIABLE)
                .ok()
                .filter(|url| !url.is_empty())
        };
        if let Some(region) = self.region {
            client = client.region(region);
        } else if let Some(url) = self.url.or_else(from_env) {
            client = client.url(url);
        }
        let user_agent = concat!("aai/", env!("CARGO_PKG_VERSION"));
        let mut options = StreamingOptions::default().user_agent(user_agent);
        if let Some(limit) = timeout {
            options.connect_timeout = options.connect_timeout.min(limit);
            options.begin_timeout = options.begin_timeout.min(limit);
        }
        Ok(client.options(options))
    }
}

/// Every connection parameter as a flag named after it. Nothing is sent
/// that the user did not choose: the server's defaults decide the rest.
fn parse_params(args: &mut Args) -> CliResult<StreamingParams> {
    let mut params = StreamingParams::new(16_000);
    params.speech_model = args.value::<StreamingModel>("--speech-model")?;
    params.mode = args.value::<StreamingMode>("--mode")?;
    let on = |args: &mut Args, name: &'static str| args.flag(name).then_some(true);
    params.format_turns = on(args, "--format-turns");
    params.end_of_turn_confidence_threshold = args.value("--end-of-turn-confidence-threshold")?;
    params.min_turn_silence = args.value("--min-turn-silence")?;
    params.max_turn_silence = args.value("--max-turn-silence")?;
    params.vad_threshold = args.value("--vad-threshold")?;
    params.inactivity_timeout = args.value("--inactivity-timeout")?;
    params.keyterms_prompt = comma_list(args, "--keyterms-prompt")?;
    params.prompt = args.value("--prompt")?;
    params.agent_context = args.value("--agent-context")?;
    params.previous_context_n_turns = args.value("--previous-context-n-turns")?;
    params.language_codes = comma_list(args, "--language-codes")?;
    params.language_detection = on(args, "--language-detection");
    params.language = args.value("--language")?;
    params.continuous_partials = switch(args, "--continuous-partials", "--no-continuous-partials")?;
    params.interruption_delay = args.value("--interruption-delay")?;
    params.voice_focus = args.value::<VoiceFocus>("--voice-focus")?;
    params.voice_focus_threshold = args.value("--voice-focus-threshold")?;
    params.speaker_labels = on(args, "--speaker-labels");
    params.max_speakers = args.value("--max-speakers")?;
    params.speaker_labels_revision_interval_ms =
        args.value("--speaker-labels-revision-interval-ms")?;
    params.domain = args.value("--domain")?;
    params.redact_pii = on(args, "--redact-pii");
    params.redact_pii_policies = comma_list(args, "--redact-pii-policies")?;
    params.redact_pii_sub = args.value("--redact-pii-sub")?;
    params.filter_profanity = on(args, "--filter-profanity");
    params.session_heartbeat = on(args, "--session-heartbeat");
    params.webhook_url = args.value("--webhook-url")?;
    params.webhook_auth_header_name = args.value("--webhook-auth-header-name")?;
    if let Some(path) = args.path("--webhook-auth-header-value-file")? {
        // The same reading as every secret file: a regular file, size-capped,
        // never waiting on a FIFO.
        let text = crate::key::read_small_file(&path, "the webhook secret file")?;
        let secret = text.trim();
        if secret.is_empty() {
            return Err(Failure::input(format!(
                "--webhook-auth-header-value-file: {} is empty",
                path.display()
            )));
        }
        params.webhook_auth_header_value = Some(Secret::new(secret));
    }
    for setting in args.values("--config")? {
        let (key, text) = setting.split_once('=').ok_or_else(|| {
            Failure::usage(format!("--config takes KEY=VALUE, got \"{setting}\""))
        })?;
        // JSON when it parses (true, 5, ["a"], {"model": ...}), else a string.
        let value = serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::from(text));
        params.extra.insert(key.trim().to_owned(), value);
    }
    Ok(params)
}

/// A list flag in the form `aai transcribe` takes: comma-separated, and
/// repeatable (`--keyterms-prompt "a,b" --keyterms-prompt c`).
fn comma_list(args: &mut Args, name: &'static str) -> CliResult<Option<Vec<String>>> {
    let items: Vec<String> = args
        .values(name)?
        .iter()
        .flat_map(|list| list.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((!items.is_empty()).then_some(items))
}

/// A setting the server turns on by default: `on_flag` sends true,
/// `off_flag` false, neither leaves it to the server.
fn switch(
    args: &mut Args,
    on_flag: &'static str,
    off_flag: &'static str,
) -> CliResult<Option<bool>> {
    match (args.flag(on_flag), args.flag(off_flag)) {
        (true, true) => Err(Failure::usage(format!(
            "{on_flag} and {off_flag} contradict each other"
        ))),
        (true, false) => Ok(Some(true)),
        (false, true) => Ok(Some(false)),
        (false, false) => Ok(None),
    }
}

/// The partial turn, redrawn in place on stderr through the one live line
/// (on a terminal only; made visible there like every server text).
struct Partials {
    enabled: bool,
}

impl Partials {
    fn new(off: bool) -> Partials {
        Partials {
            enabled: !off && crate::live::can_animate(),
        }
    }

    fn show(&self, text: &str) {
        if self.enabled {
            crate::live::show(crate::live::Live::Partial(text.to_owned()));
        }
    }

    fn clear(&self) {
        if self.enabled {
            crate::live::settle(None);
        }
    }
}

/// Session status on stderr, through the one output path (`notice`):
/// lines, or JSON objects with `--json`, every server text made visible and
/// the key removed.
struct Reporter {
    quiet: bool,
}

impl Reporter {
    fn new(quiet: bool) -> Reporter {
        Reporter { quiet }
    }

    fn emit(&self, event: Value, text: String) {
        if crate::notice::is_json() || !self.quiet {
            crate::notice::line(&format!("aai: {text}"), &event);
        }
    }

    fn began(&self, begin: &Begin, input: &str, params: &StreamingParams) {
        // The model the server says it runs, else the one asked for: with
        // none asked, the server's default decides, and Begin names it.
        let model = begin
            .model()
            .map(str::to_owned)
            .or_else(|| params.speech_model.as_ref().map(ToString::to_string));
        let shown = model
            .as_deref()
            .map_or("the server's default model".to_owned(), |m| {
                format!("model {m}")
            });
        self.emit(
            json!({"event": "session_began", "session_id": begin.id, "model": model,
                   "mode": begin.mode()}),
            format!("streaming {input} to session {} ({shown})", begin.id),
        );
    }

    fn restarted(&self, previous: &str, begin: &Begin, reason: &str, lost: Duration) {
        let id = &begin.id;
        let mut text = format!(
            "session {previous} ended ({reason}); continuing in new session {id}, \
             whose turn numbers and times start again from 0"
        );
        if !lost.is_zero() {
            text.push_str(&format!(
                "; {:.1}s of audio not yet transcribed could not be sent again",
                lost.as_secs_f64()
            ));
        }
        self.emit(
            json!({"event": "session_restarted", "previous_session_id": previous,
                   "session_id": id, "model": begin.model(), "reason": reason,
                   "audio_lost_seconds": lost.as_secs_f64()}),
            text,
        );
    }

    fn ended(&self, summary: &Summary) {
        let audio = summary.audio_duration().as_secs_f64();
        let billed = summary.session_duration().as_secs_f64();
        let ids: Vec<&str> = summary.sessions.iter().map(|s| s.id.as_str()).collect();
        let sessions = match ids.as_slice() {
            [one] => format!("session {one}"),
            many => format!("{} sessions ({})", many.len(), many.join(", ")),
        };
        self.emit(
            json!({"event": "session_ended", "session_ids": ids,
                   "audio_duration_seconds": audio, "session_duration_seconds": billed,
                   "terminated": summary.terminated()}),
            format!(
                "{sessions} ended: {audio:.1}s of audio, {billed:.1}s of session time (billed)"
            ),
        );
        if !summary.terminated() {
            crate::notice::warn("the server sent no Termination: the last turn may be missing");
        }
    }
}
