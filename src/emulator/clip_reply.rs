//! What the Sync STT and Dictation services answer a whole clip: the
//! checks of their config and audio (api-2026.md §5–6), then a transcript
//! whose words follow from the audio's duration (the example transcript's
//! words, one every 400 ms) and, for Dictation, a deterministic clean-up:
//! fillers dropped, a capital and a full stop added, and an
//! `llm_instruction` shown in brackets before it.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::clip_form::Parts;
use super::clips::ClipOptions;
use super::http::Response;
use super::ids::new_id;
use crate::clip::AudioFormat;

/// An error: status, title (its snake case is the `error_code`), detail.
pub(super) type Refusal = (u16, &'static str, String);

/// The languages of Sync (api-2026.md §5.2).
const SYNC_LANGUAGES: &[&str] = &[
    "en", "es", "de", "fr", "it", "pt", "tr", "nl", "sv", "no", "da", "fi", "hi", "vi", "ar", "he",
    "ja", "ur", "zh",
];
/// The 32 languages of Dictation (api-2026.md §6).
const DICTATION_LANGUAGES: &[&str] = &[
    "en", "es", "de", "fr", "it", "pt", "tr", "nl", "sv", "no", "da", "fi", "hi", "vi", "ar", "he",
    "ja", "ur", "zh", "ko", "ca", "gl", "ru", "ro", "et", "fa", "yue", "af", "mr", "zu", "xh",
    "nn",
];
/// The only config fields Dictation takes; any other is a 400.
const DICTATION_FIELDS: &[&str] = &[
    "sample_rate",
    "channels",
    "language_codes",
    "stt_prompt",
    "prompt",
    "keyterms_prompt",
    "keyterms",
    "word_boost",
    "llm_instruction",
    // Newer than the docs; the Python SDK 1.8.2 sends it.
    "rewrite_mode",
];
/// The filler words the stand-in clean-up removes.
const FILLERS: &[&str] = &["um", "uh", "erm"];

/// The audio of a clip, as far as its part tells.
pub(super) struct Audio {
    pub format: AudioFormat,
    /// How long it plays, when that can be known.
    pub duration: Option<Duration>,
    /// Raw PCM without `sample_rate` (or `channels`) in the config.
    pub pcm_without_rate: bool,
}

impl Audio {
    /// Reads the audio part: its first bytes, its length so far, and the
    /// config's `sample_rate`/`channels` for raw PCM.
    pub(super) fn read(parts: &Parts, prefix: &[u8], len: u64) -> Audio {
        let config: Map<String, Value> = parts
            .config
            .as_deref()
            .and_then(|bytes| serde_json::from_slice(bytes).ok())
            .unwrap_or_default();
        let number = |name: &str| config.get(name).and_then(Value::as_u64);
        let rate = number("sample_rate").and_then(|r| u32::try_from(r).ok());
        let channels = number("channels").and_then(|c| u16::try_from(c).ok());
        let format = AudioFormat::sniff(prefix);
        let pcm = rate.zip(channels);
        let duration = match &format {
            // A compressed file: about 128 kbit/s.
            AudioFormat::Compressed { .. } => Some(Duration::from_millis(len / 16)),
            _ => format.duration(len, pcm),
        };
        Audio {
            pcm_without_rate: format == AudioFormat::Raw && pcm.is_none(),
            format,
            duration,
        }
    }
}

/// Dictation's answer; `live` for `/v1/transcribe/live`.
pub(super) fn dictation(
    config: &Value,
    audio: &Audio,
    live: bool,
    options: &ClipOptions,
) -> Result<Response, Refusal> {
    check_dictation_config(config)?;
    if live {
        if let AudioFormat::Compressed { name, .. } = audio.format {
            return Err((
                415,
                "Unsupported Media Type",
                format!(
                    "{name} is not accepted on /v1/transcribe/live: send WAV or 16-bit PCM, or \
                     the finished recording to /v1/transcribe"
                ),
            ));
        }
    }
    let duration = check_audio(audio)?;
    let words = words(duration, false);
    let mut spoken: Vec<Value> = vec![json!({"text": "um", "confidence": 0.82})];
    spoken.extend(words);
    let text = join(&spoken);
    let (llm_response, llm_error) = match &options.llm_error {
        Some(error) => (Value::Null, json!(error)),
        None => {
            let instruction = config.get("llm_instruction").and_then(Value::as_str);
            (json!(clean_up(&text, instruction)), Value::Null)
        }
    };
    Ok(Response::json(
        200,
        &json!({
            "text": text,
            "words": spoken,
            "confidence": 0.94,
            "llm_response": llm_response,
            "llm_error": llm_error,
            "audio_duration_ms": duration.as_millis() as u64,
            "session_id": new_id(),
            "request_time_ms": 812.4,
            "sync_time_ms": 430.1,
            "auth_time_ms": 24.6,
        }),
    ))
}

/// Sync's answer.
pub(super) fn sync(config: &Value, audio: &Audio) -> Result<Response, Refusal> {
    let text = |name: &str| config.get(name).and_then(Value::as_str);
    if text("prompt").is_some_and(|p| p.chars().count() > 6000) {
        return Err(bad_request("prompt is over 6000 characters"));
    }
    check_keyterms(config.get("keyterms_prompt"))?;
    let languages = config
        .get("language_codes")
        .or_else(|| config.get("language_code"));
    check_languages(languages, SYNC_LANGUAGES)?;
    if let AudioFormat::Compressed { name, .. } = audio.format {
        return Err((
            415,
            "Unsupported Media Type",
            format!("{name} is not supported: send WAV or 16-bit PCM"),
        ));
    }
    let duration = check_audio(audio)?;
    let timestamps = config.get("timestamps") == Some(&Value::Bool(true));
    let words = words(duration, timestamps);
    let language = languages
        .and_then(|l| l.as_array().and_then(|a| a.first()).or(Some(l)))
        .and_then(Value::as_str)
        .unwrap_or("en");
    Ok(Response::json(
        200,
        &json!({
            "text": join(&words),
            "words": words,
            "confidence": 0.87,
            "audio_duration_ms": duration.as_millis() as u64,
            "session_id": new_id(),
            "request_time_ms": 134.2,
            "language_code": language,
        }),
    ))
}

/// The audio checks both services make: decodable, 16-bit, at least 80 ms.
fn check_audio(audio: &Audio) -> Result<Duration, Refusal> {
    if audio.pcm_without_rate {
        return Err((
            400,
            "Bad Audio",
            "raw PCM needs sample_rate and channels in the config".to_owned(),
        ));
    }
    if let AudioFormat::Wav {
        bits: Some(bits), ..
    } = audio.format
    {
        if bits != 16 {
            return Err((
                415,
                "Unsupported Media Type",
                format!("{bits}-bit audio is not supported: send 16-bit"),
            ));
        }
    }
    let duration = audio.duration.unwrap_or_default();
    if duration < Duration::from_millis(80) {
        return Err((
            400,
            "Audio Too Short",
            format!(
                "audio duration {} ms is under the minimum 80 ms",
                duration.as_millis()
            ),
        ));
    }
    Ok(duration)
}

fn check_dictation_config(config: &Value) -> Result<(), Refusal> {
    let Some(fields) = config.as_object() else {
        return Err(bad_request("config must be a JSON object"));
    };
    if let Some(unknown) = fields
        .keys()
        .find(|key| !DICTATION_FIELDS.contains(&key.as_str()))
    {
        return Err(bad_request(&format!("unknown config field: {unknown}")));
    }
    if fields.contains_key("prompt") && fields.contains_key("stt_prompt") {
        return Err(bad_request("send stt_prompt or its alias prompt, not both"));
    }
    let aliases = ["keyterms_prompt", "keyterms", "word_boost"];
    let given: Vec<&str> = aliases
        .into_iter()
        .filter(|alias| fields.contains_key(*alias))
        .collect();
    if given.len() > 1 {
        return Err(bad_request(&format!(
            "{} are aliases of one field: send one",
            given.join(" and ")
        )));
    }
    let chars = |name: &str| {
        fields
            .get(name)
            .and_then(Value::as_str)
            .map_or(0, |text| text.chars().count())
    };
    if chars("stt_prompt").max(chars("prompt")) > 6000 {
        return Err(bad_request("stt_prompt is over 6000 characters"));
    }
    if chars("llm_instruction") > 2048 {
        return Err(bad_request("llm_instruction is over 2048 characters"));
    }
    check_keyterms(given.first().and_then(|name| fields.get(*name)))?;
    check_languages(fields.get("language_codes"), DICTATION_LANGUAGES)
}

fn check_keyterms(terms: Option<&Value>) -> Result<(), Refusal> {
    let terms: Vec<&str> = terms
        .and_then(Value::as_array)
        .map(|terms| terms.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let chars: usize = terms.iter().map(|t| t.chars().count()).sum();
    if terms.len() > 100 || chars > 8000 {
        return Err(bad_request(
            "keyterms_prompt is over 100 terms or 8000 characters",
        ));
    }
    Ok(())
}

fn check_languages(codes: Option<&Value>, known: &[&str]) -> Result<(), Refusal> {
    let codes: Vec<&str> = match codes {
        Some(Value::Array(codes)) => codes.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(code)) => vec![code.as_str()],
        _ => Vec::new(),
    };
    match codes.iter().find(|code| !known.contains(code)) {
        Some(code) => Err(bad_request(&format!(
            "language code {code:?} is not supported; supported: {}",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

fn bad_request(detail: &str) -> Refusal {
    (400, "Bad Request", detail.to_owned())
}

/// The example transcript's words, one every 400 ms of `duration` (at least one).
fn words(duration: Duration, timestamps: bool) -> Vec<Value> {
    let text = super::example_text();
    let count = (duration.as_millis() / 400).clamp(1, 5000) as usize;
    text.split_whitespace()
        .cycle()
        .take(count)
        .enumerate()
        .map(|(i, word)| {
            let mut entry = json!({"text": word, "confidence": 0.91});
            if timestamps {
                entry["start"] = json!(i * 400);
                entry["end"] = json!(i * 400 + 360);
            }
            entry
        })
        .collect()
}

fn join(words: &[Value]) -> String {
    let texts: Vec<&str> = words.iter().filter_map(|w| w["text"].as_str()).collect();
    texts.join(" ")
}

/// The stand-in for the LLM clean-up: fillers out, a capital first and a
/// full stop last; an instruction is shown in brackets before the text.
fn clean_up(text: &str, instruction: Option<&str>) -> String {
    let kept: Vec<&str> = text
        .split_whitespace()
        .filter(|word| !FILLERS.contains(&word.trim_matches(',').to_lowercase().as_str()))
        .collect();
    let mut cleaned = kept.join(" ");
    if let Some(first) = cleaned.chars().next() {
        cleaned.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    if !cleaned.ends_with(['.', '!', '?']) {
        cleaned.push('.');
    }
    match instruction {
        Some(instruction) => format!("[{instruction}] {cleaned}"),
        None => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clean_up_drops_fillers_and_is_the_same_every_time() {
        assert_eq!(clean_up("um so we move it", None), "So we move it.");
        assert_eq!(
            clean_up("uh done", Some("Make it a list")),
            "[Make it a list] Done."
        );
    }
}
