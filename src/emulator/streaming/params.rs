//! What a session's query asks for, checked as the service checks it (api-2026.md §7–8.4):
//! known values for known parameters (a bad one is `Error` + close 3006), unknown parameters
//! ignored, the model resolved (none: the default; a retired name: its redirect).

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

/// The models a session runs on, as `Begin` names them.
const MODELS: [&str; 5] = [
    "universal-3-6-pro",
    "universal-3-5-pro",
    "universal-streaming-english",
    "universal-streaming-multilingual",
    "whisper-rt",
];
/// The model of a session that names none (api-2026.md §7.1, since 2026-09-29).
const DEFAULT_MODEL: &str = "universal-3-6-pro";
/// Retired names the server redirects, and where to.
const REDIRECTED: [(&str, &str); 2] = [
    ("u3-rt-pro", "universal-3-5-pro"),
    ("u3-pro", "universal-3-5-pro"),
];
const ENCODINGS: [&str; 5] = ["pcm_s16le", "pcm_mulaw", "opus", "ogg_opus", "aac"];
const MODES: [&str; 3] = ["min_latency", "balanced", "max_accuracy"];

/// The settings a session applies, from its query.
pub(super) struct Config {
    pub model: String,
    pub mode: String,
    pub rate: u32,
    /// Bytes per sample of a raw encoding; `None` for compressed audio (not decoded).
    pub sample_bytes: Option<u32>,
    pub mulaw: bool,
    pub formatted: bool,
    pub speaker_labels: bool,
    pub heartbeat: bool,
    pub min_turn_silence: Option<u64>,
    pub inactivity: Option<Duration>,
}

/// The server's checks of the query: known values for known parameters (a bad one is 3006),
/// unknown parameters ignored.
pub(super) fn check_params(query: &BTreeMap<String, String>) -> Result<Config, String> {
    let model = match query.get("speech_model").map(String::as_str) {
        None => DEFAULT_MODEL.to_owned(),
        Some(asked) => match REDIRECTED.iter().find(|(old, _)| *old == asked) {
            Some((_, new)) => (*new).to_owned(),
            None if MODELS.contains(&asked) => asked.to_owned(),
            None => return Err(format!("Invalid 'speech_model': {asked}")),
        },
    };
    let encoding = query.get("encoding").map_or("pcm_s16le", String::as_str);
    if !ENCODINGS.contains(&encoding) {
        return Err(format!("Invalid 'encoding': {encoding}"));
    }
    let sample_bytes = match encoding {
        "pcm_s16le" => Some(2),
        "pcm_mulaw" => Some(1),
        _ => None,
    };
    let rate = match query.get("sample_rate").map(|v| v.parse::<u32>()) {
        Some(Ok(rate)) if (8_000..=96_000).contains(&rate) => rate,
        None if sample_bytes.is_none() => 16_000,
        _ => return Err("Invalid 'sample_rate': PCM takes 8000 to 96000 Hz".into()),
    };
    let mode = query.get("mode").map_or("balanced", String::as_str);
    if !MODES.contains(&mode) {
        return Err(format!("Invalid 'mode': {mode}"));
    }
    for list in ["keyterms_prompt", "language_codes"] {
        if let Some(items) = query.get(list) {
            match serde_json::from_str::<Value>(items) {
                Ok(Value::Array(items)) if items.iter().all(Value::is_string) => {}
                _ => return Err(format!("Invalid '{list}': Invalid JSON array")),
            }
        }
    }
    for flag in [
        "format_turns",
        "speaker_labels",
        "language_detection",
        "filter_profanity",
        "continuous_partials",
        "include_partial_turns",
        "session_heartbeat",
        "redact_pii",
    ] {
        if let Some(value) = query.get(flag) {
            if !["true", "false", "True", "False"].contains(&value.as_str()) {
                return Err(format!("Invalid '{flag}': {value}"));
            }
        }
    }
    let whole = |name: &str| -> Result<Option<u64>, String> {
        query
            .get(name)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| format!("Invalid '{name}': {v}"))
            })
            .transpose()
    };
    for name in [
        "max_turn_silence",
        "previous_context_n_turns",
        "interruption_delay",
        "max_speakers",
        "speaker_labels_revision_interval_ms",
    ] {
        whole(name)?;
    }
    for name in [
        "end_of_turn_confidence_threshold",
        "vad_threshold",
        "voice_focus_threshold",
    ] {
        if let Some(v) = query.get(name) {
            match v.parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => {}
                _ => return Err(format!("Invalid '{name}': {v}")),
            }
        }
    }
    if let Some(focus) = query.get("voice_focus") {
        if !["near-field", "far-field"].contains(&focus.as_str()) {
            return Err(format!("Invalid 'voice_focus': {focus}"));
        }
    }
    let inactivity = match whole("inactivity_timeout")? {
        Some(seconds) if (5..=3600).contains(&seconds) => Some(Duration::from_secs(seconds)),
        Some(seconds) => return Err(format!("Invalid 'inactivity_timeout': {seconds}")),
        None => None,
    };
    let on = |name: &str| {
        query
            .get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    };
    Ok(Config {
        model,
        mode: mode.to_owned(),
        rate,
        sample_bytes,
        mulaw: encoding == "pcm_mulaw",
        formatted: on("format_turns"),
        speaker_labels: on("speaker_labels"),
        heartbeat: on("session_heartbeat"),
        min_turn_silence: whole("min_turn_silence")?,
        inactivity,
    })
}
