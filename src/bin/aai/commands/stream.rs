//! `aai stream`: live transcription of a WAV file, a pipe or a microphone,
//! one final turn per line; `aai stream-token`: a temporary token.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use assemblyai::streaming::{
    AudioEncoding, StreamEvent, StreamingClient, StreamingModel, StreamingParams, Summary,
};
use assemblyai::{Region, Secret};
use serde_json::{Value, json};

use super::stream_input;
use crate::args::{Args, Connection};
use crate::failure::{CliResult, Failure, Kind};

/// Environment variable overriding the streaming host.
const STREAMING_URL_VARIABLE: &str = "ASSEMBLYAI_STREAMING_URL";

pub fn stream(mut args: Args) -> CliResult {
    let host = StreamingHost::parse(&mut args)?;
    let connection = Connection::parse(&mut args)?;
    let json = args.flag("--json");
    let quiet = args.flag(["-q", "--quiet"]);
    let sample_rate = args.value::<u32>("--sample-rate")?;
    let encoding = args.value::<AudioEncoding>("--encoding")?;
    let mut params = parse_params(&mut args)?;
    let source = args.finish(&["FILE|-"])?.remove(0);

    let input = stream_input::open(&source, sample_rate, encoding)?;
    params.sample_rate = input.rate;
    params.encoding = input.encoding;
    let client = host.client(&connection)?;
    let status = Reporter::new(json, quiet);

    let stop = crate::interrupt::graceful();
    let mut session = client.connect(&params)?;
    status.began(&session.begin().id, &input.description, &params);
    let stdout_gone = AtomicBool::new(false);
    let mut live = Live::new(json || quiet);
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
            let mut out = io::stdout().lock();
            if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
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
            status.restarted(&previous_session_id, &begin.id, &reason, audio_lost);
        }
        StreamEvent::Warning { message, .. } => {
            live.clear();
            status.warn(&format!("the server warns: {message}"));
        }
        _ => {}
    });
    live.clear();
    let summary = result?;
    status.ended(&summary);
    if stdout_gone.load(Ordering::Relaxed) {
        return Ok(());
    }
    if stop.load(Ordering::Relaxed) {
        return Err(Failure::new(
            Kind::Interrupted,
            "interrupted: the session was terminated and every final turn it sent was printed",
        ));
    }
    Ok(())
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
    args.finish(&[])?;
    let client = host.client(&connection)?;
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

    fn client(self, connection: &Connection) -> CliResult<StreamingClient> {
        let mut client = connection.client(false)?.streaming();
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
        let options = assemblyai::streaming::StreamingOptions::default().user_agent(user_agent);
        Ok(client.options(options))
    }
}

/// Every connection parameter as a flag named after it.
fn parse_params(args: &mut Args) -> CliResult<StreamingParams> {
    let mut params = StreamingParams::new(16_000);
    if let Some(model) = args.value::<String>("--speech-model")? {
        params.speech_model = StreamingModel::from(model.as_str());
    }
    let on = |args: &mut Args, name: &'static str| args.flag(name).then_some(true);
    params.format_turns = on(args, "--format-turns");
    params.end_of_turn_confidence_threshold = args.value("--end-of-turn-confidence-threshold")?;
    params.min_turn_silence = args.value("--min-turn-silence")?;
    params.max_turn_silence = args.value("--max-turn-silence")?;
    params.vad_threshold = args.value("--vad-threshold")?;
    params.inactivity_timeout = args.value("--inactivity-timeout")?;
    let terms = args.values("--keyterms-prompt")?;
    params.keyterms_prompt = (!terms.is_empty()).then_some(terms);
    params.prompt = args.value("--prompt")?;
    params.language_detection = on(args, "--language-detection");
    params.language = args.value("--language")?;
    params.speaker_labels = on(args, "--speaker-labels");
    params.max_speakers = args.value("--max-speakers")?;
    params.filter_profanity = on(args, "--filter-profanity");
    params.webhook_url = args.value("--webhook-url")?;
    params.webhook_auth_header_name = args.value("--webhook-auth-header-name")?;
    if let Some(path) = args.path("--webhook-auth-header-value-file")? {
        let value = std::fs::read_to_string(&path)
            .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
        params.webhook_auth_header_value = Some(Secret::new(value.trim()));
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

/// The partial turn, redrawn in place on stderr, on a terminal only.
struct Live {
    enabled: bool,
    shown: bool,
}

impl Live {
    fn new(off: bool) -> Live {
        // Where progress lines animate: a terminal that can redraw a line.
        let enabled = !off && crate::live::can_animate();
        Live {
            enabled,
            shown: false,
        }
    }

    fn show(&mut self, text: &str) {
        if !self.enabled {
            return;
        }
        // The end of a long partial, so the line never wraps on a narrow terminal.
        let chars: Vec<char> = text.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(70)..].iter().collect();
        eprint!("\r\x1b[2K… {tail}");
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

/// Session status on stderr: lines, or JSON objects with `--json`.
struct Reporter {
    json: bool,
    quiet: bool,
}

impl Reporter {
    fn new(json: bool, quiet: bool) -> Reporter {
        Reporter { json, quiet }
    }

    fn emit(&self, object: Value, text: String) {
        if self.json {
            eprintln!("{object}");
        } else if !self.quiet {
            eprintln!("aai: {text}");
        }
    }

    fn began(&self, id: &str, input: &str, params: &StreamingParams) {
        self.emit(
            json!({"event": "session_began", "session_id": id}),
            format!(
                "streaming {input} to session {id} ({})",
                params.speech_model
            ),
        );
    }

    fn restarted(&self, previous: &str, id: &str, reason: &str, lost: Duration) {
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
                   "session_id": id, "reason": reason, "audio_lost_seconds": lost.as_secs_f64()}),
            text,
        );
    }

    fn warn(&self, text: &str) {
        if self.json {
            eprintln!("{}", json!({"event": "warning", "message": text}));
        } else {
            eprintln!("aai: warning: {text}");
        }
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
            self.warn("the server sent no Termination: the last turn may be missing");
        }
    }
}
