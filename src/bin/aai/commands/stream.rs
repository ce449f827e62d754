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
use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, Takes, flags};
use crate::commands::transcribe::{timeout_flag, within};
use crate::failure::{CliResult, Failure, Kind};

/// Environment variable overriding the streaming host.
const STREAMING_URL_VARIABLE: &str = "ASSEMBLYAI_STREAMING_URL";

pub static STREAM: Command = Command {
    name: "stream",
    summary: "transcribe live audio (a WAV, raw PCM, a microphone) turn by turn",
    operands: &["FILE|-"],
    completes: Operands::Files,
    groups: &[&flags::CONNECTION, &SOURCE, &STREAMING_HOST, &PARAMETERS],
    about: "\
  FILE    a WAV file: PCM 16-bit at any sample rate, mono or stereo (downmixed
          to mono), or mono µ-law; sent at real-time pace, as a live source is
  -       stdin: a WAV stream, or raw samples when --sample-rate is given

Anything else (mp3, video, ...) converts on the fly through ffmpeg (see the examples).

stdout gets each final turn's transcript as one line (with --json, the server's Turn \
message); partial turns show live on stderr when it is a terminal. Ctrl-C ends the session \
cleanly: the last turns are still printed (Ctrl-C twice quits at once; while connecting, \
once); --timeout ends it the same way after that long. The session id, the model the server \
runs it on and the billed session time go to stderr, with every warning the server sends. \
Settings left out are the server's to choose (the model included); nothing is pinned.",
    examples: "\
  aai stream meeting.wav > meeting.txt
  ffmpeg -i talk.mp4 -f s16le -ar 16000 -ac 1 - |
      aai stream - --sample-rate 16000 --format-turns
  arecord -q -f S16_LE -r 16000 -c 1 -t raw |
      aai stream - --sample-rate 16000 --mode min_latency
  ffmpeg -f pulse -i default -f s16le -ar 16000 -ac 1 - |
      aai stream - --sample-rate 16000 --json",
    run: stream,
};

static SAMPLE_RATE: Flag = Flag::valued(
    "--sample-rate",
    Takes::Value,
    "N",
    "raw input's rate in Hz (a WAV says its own)",
);
static ENCODING: Flag = Flag::valued(
    "--encoding",
    Takes::Value,
    "ENC",
    "raw input's encoding: pcm_s16le (default) or pcm_mulaw; or compressed audio on stdin, \
     paced by its source: ogg_opus, opus, aac",
)
.knows(AudioEncoding::KNOWN);

/// What is streamed.
static SOURCE: Group = Group {
    title: "Audio options",
    flags: Members::Fixed(&[&SAMPLE_RATE, &ENCODING]),
};

static STREAMING_URL: Flag = Flag::valued(
    "--streaming-url",
    Takes::Value,
    "URL",
    "the WebSocket endpoint [env: ASSEMBLYAI_STREAMING_URL]; by default the streaming host \
     of the REST host (--base-url, ASSEMBLYAI_BASE_URL, --region), which the emulator serves \
     on its own port; ws:// only to this machine",
);

/// Where streaming connects.
static STREAMING_HOST: Group = Group {
    title: "Streaming host",
    flags: Members::Fixed(&[&STREAMING_URL]),
};

static SPEECH_MODEL: Flag = Flag::valued(
    "--speech-model",
    Takes::Value,
    "MODEL",
    "the streaming model, e.g. universal-3-6-pro (any name is sent as given)",
)
.knows(StreamingModel::KNOWN);
static MODE: Flag = Flag::valued(
    "--mode",
    Takes::Value,
    "PRESET",
    "turn detection preset: min_latency, balanced or max_accuracy",
)
.knows(StreamingMode::KNOWN);
static FORMAT_TURNS: Flag = Flag::switch("--format-turns", "punctuate and case final turns");
static END_OF_TURN: Flag = Flag::valued(
    "--end-of-turn-confidence-threshold",
    Takes::Value,
    "X",
    "0.0 to 1.0",
);
static MIN_TURN_SILENCE: Flag = Flag::valued(
    "--min-turn-silence",
    Takes::Value,
    "MS",
    "silence that ends a turn when confident",
);
static MAX_TURN_SILENCE: Flag = Flag::valued(
    "--max-turn-silence",
    Takes::Value,
    "MS",
    "silence that ends a turn regardless",
);
static VAD_THRESHOLD: Flag = Flag::valued(
    "--vad-threshold",
    Takes::Value,
    "X",
    "0.0 to 1.0; raise it for noisy audio",
);
static INACTIVITY_TIMEOUT: Flag = Flag::valued(
    "--inactivity-timeout",
    Takes::Value,
    "SECONDS",
    "5 to 3600; KeepAlive is sent during gaps",
);
static KEYTERMS_PROMPT: Flag = Flag::valued(
    "--keyterms-prompt",
    Takes::List,
    "TERMS",
    "words or phrases to favour, comma-separated (repeatable, up to 100)",
);
static PROMPT: Flag = Flag::valued("--prompt", Takes::Value, "TEXT", "context about the audio");
static AGENT_CONTEXT: Flag = Flag::valued(
    "--agent-context",
    Takes::Value,
    "TEXT",
    "what the voice agent said last",
);
static PREVIOUS_CONTEXT_N_TURNS: Flag = Flag::valued(
    "--previous-context-n-turns",
    Takes::Value,
    "N",
    "earlier turns kept as context (0: none)",
);
static LANGUAGE_CODES: Flag = Flag::valued(
    "--language-codes",
    Takes::List,
    "CODES",
    "languages to favour, comma-separated",
);
static CONTINUOUS_PARTIALS: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch("--continuous-partials", "steady partials (or --no-: fewer)")
};
static INTERRUPTION_DELAY: Flag = Flag::valued(
    "--interruption-delay",
    Takes::Value,
    "MS",
    "delay before a turn's first early partial",
);
static VOICE_FOCUS: Flag = Flag::valued(
    "--voice-focus",
    Takes::Value,
    "FIELD",
    "near-field or far-field voice isolation",
)
.knows(VoiceFocus::KNOWN);
static VOICE_FOCUS_THRESHOLD: Flag = Flag::valued(
    "--voice-focus-threshold",
    Takes::Value,
    "X",
    "0.0 to 1.0, with --voice-focus",
);
static SPEAKER_REVISION: Flag = Flag::valued(
    "--speaker-labels-revision-interval-ms",
    Takes::Value,
    "MS",
    "how often earlier speakers may be revised",
);
static DOMAIN: Flag = Flag::valued("--domain", Takes::Value, "DOMAIN", "e.g. medical-v1");
static REDACT_PII: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch("--redact-pii", "redact personal data in final turns")
};
static REDACT_PII_POLICIES: Flag = Flag::valued(
    "--redact-pii-policies",
    Takes::List,
    "POLICIES",
    "what to redact, comma-separated",
);
static REDACT_PII_SUB: Flag = Flag::valued(
    "--redact-pii-sub",
    Takes::Value,
    "entity_name|hash",
    "what replaces redacted text",
);
static SESSION_HEARTBEAT: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch(
        "--session-heartbeat",
        "the server sends a Heartbeat every 5 s",
    )
};
static LANGUAGE_DETECTION: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch("--language-detection", "add language_code to turns")
};
static LANGUAGE: Flag = Flag::valued(
    "--language",
    Takes::Value,
    "LANG",
    "deprecated: use --speech-model",
)
.knows(&["en", "multi"]);
static SPEAKER_LABELS: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch(
        "--speaker-labels",
        "label turns by speaker (PENDING while undecided)",
    )
};
static MAX_SPEAKERS: Flag = Flag::valued(
    "--max-speakers",
    Takes::Value,
    "N",
    "1 to 10 speakers, with --speaker-labels",
);
static FILTER_PROFANITY: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch("--filter-profanity", "mask profanity")
};
static WEBHOOK_URL: Flag = Flag::valued(
    "--webhook-url",
    Takes::Value,
    "URL",
    "URL notified when the session ends",
);
static WEBHOOK_AUTH_HEADER_NAME: Flag = Flag::valued(
    "--webhook-auth-header-name",
    Takes::Value,
    "NAME",
    "header sent with the webhook",
);
static WEBHOOK_AUTH_HEADER_VALUE_FILE: Flag = Flag::valued(
    "--webhook-auth-header-value-file",
    Takes::Path,
    "PATH",
    "file holding that header's secret value",
);

/// The session's connection parameters (see the streaming API reference).
static PARAMETERS: Group = Group {
    title: "Connection parameters (the streaming API's, in kebab-case)",
    flags: Members::Fixed(&[
        &SPEECH_MODEL,
        &MODE,
        &FORMAT_TURNS,
        &END_OF_TURN,
        &MIN_TURN_SILENCE,
        &MAX_TURN_SILENCE,
        &VAD_THRESHOLD,
        &INACTIVITY_TIMEOUT,
        &KEYTERMS_PROMPT,
        &PROMPT,
        &AGENT_CONTEXT,
        &PREVIOUS_CONTEXT_N_TURNS,
        &LANGUAGE_CODES,
        &LANGUAGE_DETECTION,
        &LANGUAGE,
        &CONTINUOUS_PARTIALS,
        &INTERRUPTION_DELAY,
        &VOICE_FOCUS,
        &VOICE_FOCUS_THRESHOLD,
        &SPEAKER_LABELS,
        &MAX_SPEAKERS,
        &SPEAKER_REVISION,
        &DOMAIN,
        &REDACT_PII,
        &REDACT_PII_POLICIES,
        &REDACT_PII_SUB,
        &FILTER_PROFANITY,
        &SESSION_HEARTBEAT,
        &WEBHOOK_URL,
        &WEBHOOK_AUTH_HEADER_NAME,
        &WEBHOOK_AUTH_HEADER_VALUE_FILE,
        &CONFIG,
    ]),
};

/// `--config` as `aai transcribe` takes it, for the session's parameters.
static CONFIG: Flag = Flag::valued(
    "--config",
    Takes::Repeated,
    "KEY=VALUE",
    "any other connection parameter (VALUE is JSON or text), repeatable",
);

pub static STREAM_TOKEN: Command = Command {
    name: "stream-token",
    summary: "print a temporary token for one streaming session",
    operands: &[],
    completes: Operands::Nothing,
    groups: &[&flags::CONNECTION, &STREAMING_HOST, &TOKEN],
    about: "The token starts one session within --expires-in (1 to 600 s) and caps it at \
--max-session (60 to 10800 s; 3 hours by default). Hand it to a browser or device instead of \
the key; its usage is billed to the key that minted it. With --json it prints \
{\"token\": ..., \"expires_in_seconds\": ...}.",
    examples: "\
  aai stream-token --expires-in 60
  aai stream-token --expires-in 5m --max-session 1h --json",
    run: stream_token,
};

static EXPIRES_IN: Flag = Flag::valued(
    "--expires-in",
    Takes::Value,
    "SECONDS",
    "how long it can start a session (e.g. 60, 10m) (required)",
);
static MAX_SESSION: Flag = Flag::valued(
    "--max-session",
    Takes::Value,
    "SECONDS",
    "the longest session it opens",
);

/// The token's lifetimes.
static TOKEN: Group = Group {
    title: "Token options",
    flags: Members::Fixed(&[&EXPIRES_IN, &MAX_SESSION]),
};

pub fn stream(mut args: Args) -> CliResult {
    let host = StreamingHost::parse(&mut args)?;
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let json = args.flag("--json");
    let quiet = args.flag(["-q", "--quiet"]);
    let sample_rate = args.value::<u32>("--sample-rate")?;
    let encoding = args.value::<AudioEncoding>("--encoding")?;
    let mut params = parse_params(&mut args)?;
    let source = args.finish()?.remove(0);

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
    args.finish()?;
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
    params.format_turns = args.flag("--format-turns").then_some(true);
    params.end_of_turn_confidence_threshold = args.value("--end-of-turn-confidence-threshold")?;
    params.min_turn_silence = args.value("--min-turn-silence")?;
    params.max_turn_silence = args.value("--max-turn-silence")?;
    params.vad_threshold = args.value("--vad-threshold")?;
    params.inactivity_timeout = args.value("--inactivity-timeout")?;
    params.keyterms_prompt = args.list("--keyterms-prompt")?;
    params.prompt = args.value("--prompt")?;
    params.agent_context = args.value("--agent-context")?;
    params.previous_context_n_turns = args.value("--previous-context-n-turns")?;
    params.language_codes = args.list("--language-codes")?;
    params.language_detection = args.switch("--language-detection");
    params.language = args.value("--language")?;
    params.continuous_partials = args.switch("--continuous-partials");
    params.interruption_delay = args.value("--interruption-delay")?;
    params.voice_focus = args.value::<VoiceFocus>("--voice-focus")?;
    params.voice_focus_threshold = args.value("--voice-focus-threshold")?;
    params.speaker_labels = args.switch("--speaker-labels");
    params.max_speakers = args.value("--max-speakers")?;
    params.speaker_labels_revision_interval_ms =
        args.value("--speaker-labels-revision-interval-ms")?;
    params.domain = args.value("--domain")?;
    params.redact_pii = args.switch("--redact-pii");
    params.redact_pii_policies = args.list("--redact-pii-policies")?;
    params.redact_pii_sub = args.value("--redact-pii-sub")?;
    params.filter_profanity = args.switch("--filter-profanity");
    params.session_heartbeat = args.switch("--session-heartbeat");
    params.webhook_url = args.value("--webhook-url")?;
    params.webhook_auth_header_name = args.value("--webhook-auth-header-name")?;
    // Read as aai transcribe reads it: a FIFO or device is refused at once
    // rather than waited on, an empty file is an error.
    if let Some(path) = args.value::<String>("--webhook-auth-header-value-file")? {
        let secret = crate::request_flags::read_secret("--webhook-auth-header-value-file", &path)?;
        params.webhook_auth_header_value = Some(Secret::new(secret));
    }
    for setting in args.values("--config")? {
        let (key, text) = setting.split_once('=').ok_or_else(|| {
            Failure::usage(format!("--config takes KEY=VALUE, got \"{setting}\""))
        })?;
        // A secret on the command line is refused, as in aai transcribe.
        crate::request_flags::refuse_secret(key.trim())?;
        // JSON when it parses (true, 5, ["a"], {"model": ...}), else a string.
        let value = serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::from(text));
        params.extra.insert(key.trim().to_owned(), value);
    }
    Ok(params)
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
            crate::live::show(crate::live::Live::Tail(text.to_owned()));
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
