//! Every transcript request parameter as a flag of `aai transcribe` and
//! `aai submit`, plus `--config KEY=VALUE` and `--config-file FILE.json` for
//! any field, known to this version or not.
//!
//! Flags are collected into a JSON object that is then decoded into
//! [`TranscriptRequest`], so the flags, the config file and the library share
//! one set of types and one validation.

use std::path::Path;

use assemblyai::TranscriptRequest;
use serde_json::{Map, Value};

use crate::args::Args;
use crate::failure::{CliResult, Failure};

/// How a flag's value is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `--x` is true, `--no-x` is false.
    Bool,
    Integer,
    Number,
    Text,
    /// Comma-separated, and the flag may be repeated.
    List,
    /// A JSON value, for objects with no flags of their own.
    Json,
}

/// One request flag: `--name VALUE` sets the field at `path` (dots for nested
/// objects).
struct Flag {
    name: &'static str,
    path: &'static str,
    kind: Kind,
    value: &'static str,
    help: &'static str,
}

const fn flag(
    name: &'static str,
    path: &'static str,
    kind: Kind,
    value: &'static str,
    help: &'static str,
) -> Flag {
    Flag {
        name,
        path,
        kind,
        value,
        help,
    }
}

use Kind::{Bool, Integer, Json, List, Number, Text};

/// Every parameter of the spec's `TranscriptParams`, grouped as in the help.
const FLAGS: &[Flag] = &[
    flag(
        "--speech-models",
        "speech_models",
        List,
        "MODELS",
        "models in priority order [default: universal-3-pro,universal-2]",
    ),
    flag(
        "--language-code",
        "language_code",
        Text,
        "CODE",
        "language of the audio, e.g. en_us, es, de [default: en_us]",
    ),
    flag(
        "--language-codes",
        "language_codes",
        List,
        "CODES",
        "languages for code switching; one must be en",
    ),
    flag(
        "--language-detection",
        "language_detection",
        Bool,
        "",
        "detect the dominant language",
    ),
    flag(
        "--language-confidence-threshold",
        "language_confidence_threshold",
        Number,
        "0..1",
        "fail when the detected language's confidence is lower",
    ),
    flag(
        "--expected-languages",
        "language_detection_options.expected_languages",
        List,
        "CODES",
        "languages language detection chooses from [default: all]",
    ),
    flag(
        "--fallback-language",
        "language_detection_options.fallback_language",
        Text,
        "CODE",
        "language when none expected is detected [default: auto]",
    ),
    flag(
        "--code-switching",
        "language_detection_options.code_switching",
        Bool,
        "",
        "detect several languages in one file",
    ),
    flag(
        "--code-switching-confidence-threshold",
        "language_detection_options.code_switching_confidence_threshold",
        Number,
        "0..1",
        "confidence to switch language [default: 0.3]",
    ),
    flag(
        "--punctuate",
        "punctuate",
        Bool,
        "",
        "add punctuation [default: on; --no-punctuate]",
    ),
    flag(
        "--format-text",
        "format_text",
        Bool,
        "",
        "casing and number formatting [default: on; --no-format-text]",
    ),
    flag(
        "--disfluencies",
        "disfluencies",
        Bool,
        "",
        "keep filler words like umm",
    ),
    flag(
        "--filter-profanity",
        "filter_profanity",
        Bool,
        "",
        "mask profanity",
    ),
    flag(
        "--multichannel",
        "multichannel",
        Bool,
        "",
        "transcribe each channel separately",
    ),
    flag(
        "--speaker-labels",
        "speaker_labels",
        Bool,
        "",
        "label speakers (fills utterances)",
    ),
    flag(
        "--speakers-expected",
        "speakers_expected",
        Integer,
        "N",
        "exact number of speakers",
    ),
    flag(
        "--min-speakers-expected",
        "speaker_options.min_speakers_expected",
        Integer,
        "N",
        "fewest possible speakers [default: 1]",
    ),
    flag(
        "--max-speakers-expected",
        "speaker_options.max_speakers_expected",
        Integer,
        "N",
        "most possible speakers",
    ),
    flag(
        "--audio-start-from",
        "audio_start_from",
        Integer,
        "MS",
        "start at this offset, in milliseconds",
    ),
    flag(
        "--audio-end-at",
        "audio_end_at",
        Integer,
        "MS",
        "stop at this offset, in milliseconds",
    ),
    flag(
        "--custom-spelling",
        "custom_spelling",
        Json,
        "JSON",
        "replacements, e.g. '[{\"from\":[\"gettleman\"],\"to\":\"Gettleman\"}]'",
    ),
    flag(
        "--keyterms-prompt",
        "keyterms_prompt",
        List,
        "TERMS",
        "domain terms to recognise better (not with --prompt)",
    ),
    flag(
        "--prompt",
        "prompt",
        Text,
        "TEXT",
        "context for the model, up to 1,500 words (universal-3-pro)",
    ),
    flag(
        "--temperature",
        "temperature",
        Number,
        "0..1",
        "decoding randomness [default: 0] (universal-3-pro)",
    ),
    flag(
        "--remove-audio-tags",
        "remove_audio_tags",
        Text,
        "all",
        "strip tags like [music] (universal-3-pro)",
    ),
    flag(
        "--speech-threshold",
        "speech_threshold",
        Number,
        "0..1",
        "reject audio with less speech than this fraction",
    ),
    flag(
        "--redact-pii",
        "redact_pii",
        Bool,
        "",
        "redact personal information in the text",
    ),
    flag(
        "--redact-pii-policies",
        "redact_pii_policies",
        List,
        "POLICIES",
        "what to redact, e.g. person_name,phone_number",
    ),
    flag(
        "--redact-pii-sub",
        "redact_pii_sub",
        Text,
        "entity_name|hash",
        "how redactions read [default: hash]",
    ),
    flag(
        "--redact-pii-audio",
        "redact_pii_audio",
        Bool,
        "",
        "also make audio with PII bleeped (see aai redacted-audio)",
    ),
    flag(
        "--redact-pii-audio-quality",
        "redact_pii_audio_quality",
        Text,
        "mp3|wav",
        "redacted audio file type [default: mp3]",
    ),
    flag(
        "--return-redacted-no-speech-audio",
        "redact_pii_audio_options.return_redacted_no_speech_audio",
        Bool,
        "",
        "redacted audio even without speech",
    ),
    flag(
        "--override-audio-redaction-method",
        "redact_pii_audio_options.override_audio_redaction_method",
        Text,
        "silence",
        "silence PII instead of a beep",
    ),
    flag(
        "--content-safety",
        "content_safety",
        Bool,
        "",
        "content moderation",
    ),
    flag(
        "--content-safety-confidence",
        "content_safety_confidence",
        Integer,
        "25..100",
        "moderation confidence threshold [default: 50]",
    ),
    flag(
        "--iab-categories",
        "iab_categories",
        Bool,
        "",
        "topic detection (IAB categories)",
    ),
    flag(
        "--auto-highlights",
        "auto_highlights",
        Bool,
        "",
        "key phrases",
    ),
    flag(
        "--entity-detection",
        "entity_detection",
        Bool,
        "",
        "named entities",
    ),
    flag(
        "--sentiment-analysis",
        "sentiment_analysis",
        Bool,
        "",
        "sentiment per sentence",
    ),
    flag(
        "--target-languages",
        "speech_understanding.request.translation.target_languages",
        List,
        "CODES",
        "translate into these languages, e.g. es,de",
    ),
    flag(
        "--formal",
        "speech_understanding.request.translation.formal",
        Bool,
        "",
        "formal style for translations [default: on; --no-formal]",
    ),
    flag(
        "--match-original-utterance",
        "speech_understanding.request.translation.match_original_utterance",
        Bool,
        "",
        "translations per utterance (with --speaker-labels)",
    ),
    flag(
        "--speaker-type",
        "speech_understanding.request.speaker_identification.speaker_type",
        Text,
        "role|name",
        "identify speakers by role or by name",
    ),
    flag(
        "--known-values",
        "speech_understanding.request.speaker_identification.known_values",
        List,
        "NAMES",
        "the roles or names to choose from (35 chars each)",
    ),
    flag(
        "--speakers",
        "speech_understanding.request.speaker_identification.speakers",
        Json,
        "JSON",
        "speakers with descriptions, e.g. '[{\"name\":\"Ana\",\"description\":\"host\"}]'",
    ),
    flag(
        "--custom-formatting-date",
        "speech_understanding.request.custom_formatting.date",
        Text,
        "PATTERN",
        "date format, e.g. mm/dd/yyyy",
    ),
    flag(
        "--custom-formatting-phone-number",
        "speech_understanding.request.custom_formatting.phone_number",
        Text,
        "PATTERN",
        "phone format, e.g. (xxx)xxx-xxxx",
    ),
    flag(
        "--custom-formatting-email",
        "speech_understanding.request.custom_formatting.email",
        Text,
        "PATTERN",
        "email format, e.g. username@domain.com",
    ),
    flag(
        "--webhook-url",
        "webhook_url",
        Text,
        "URL",
        "URL notified when the transcript is done",
    ),
    flag(
        "--webhook-auth-header-name",
        "webhook_auth_header_name",
        Text,
        "NAME",
        "header sent with the webhook",
    ),
    flag(
        "--webhook-auth-header-value-file",
        "webhook_auth_header_value",
        Text,
        "PATH",
        "file holding that header's secret value",
    ),
    flag(
        "--speech-model",
        "speech_model",
        Text,
        "MODEL",
        "deprecated: use --speech-models",
    ),
    flag(
        "--auto-chapters",
        "auto_chapters",
        Bool,
        "",
        "deprecated: chapters",
    ),
    flag(
        "--summarization",
        "summarization",
        Bool,
        "",
        "deprecated: summary",
    ),
    flag(
        "--summary-model",
        "summary_model",
        Text,
        "MODEL",
        "deprecated: informative|conversational|catchy",
    ),
    flag(
        "--summary-type",
        "summary_type",
        Text,
        "TYPE",
        "deprecated: bullets|bullets_verbose|gist|headline|paragraph",
    ),
    flag(
        "--custom-topics",
        "custom_topics",
        Bool,
        "",
        "deprecated, no effect",
    ),
    flag(
        "--topics",
        "topics",
        List,
        "TOPICS",
        "deprecated, no effect",
    ),
];

/// The help section listing every request flag, generated from the table so
/// it can't drift from what is parsed.
pub fn help() -> String {
    let mut text = String::from("Request options (the API's parameters, in kebab-case):\n");
    for flag in FLAGS {
        let usage = match flag.kind {
            Bool => format!("{}, --no-{}", flag.name, &flag.name[2..]),
            _ => format!("{} {}", flag.name, flag.value),
        };
        text.push_str(&format!("  {usage:<48} {}\n", flag.help));
    }
    text.push_str(
        "  --config KEY=VALUE                               set any field (VALUE is JSON or text), e.g.\n\
         \x20                                                  --config speaker_options.max_speakers_expected=4\n\
         \x20 --config-file FILE.json                          read fields from a JSON object\n",
    );
    text
}

/// Reads every request flag into a [`TranscriptRequest`] (without
/// `audio_url`), checked against the API's ranges.
pub fn parse(args: &mut Args) -> CliResult<TranscriptRequest> {
    let mut fields = Map::new();
    if let Some(path) = args.path("--config-file")? {
        merge_config_file(&mut fields, &path)?;
    }
    for setting in args.values("--config")? {
        let (key, text) = setting.split_once('=').ok_or_else(|| {
            Failure::usage(format!("--config takes KEY=VALUE, got \"{setting}\""))
        })?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(Failure::usage(format!(
                "--config: \"{key}\" is not a field name"
            )));
        }
        let value = config_value(key, text)?;
        set(&mut fields, key, value);
    }
    for flag in FLAGS {
        read_flag(args, flag, &mut fields)?;
    }
    check_one_task(&fields)?;
    fields.remove("audio_url");
    warn_unknown_fields(&fields);
    let request = decode(fields, "the request options")?;
    request.validate_options()?;
    Ok(request)
}

fn read_flag(args: &mut Args, flag: &Flag, fields: &mut Map<String, Value>) -> CliResult {
    let name = flag.name;
    match flag.kind {
        Bool => {
            let negated = format!("--no-{}", &name[2..]);
            let on = args.flag(name);
            let off = args.flag(leak(negated.clone()));
            match (on, off) {
                (true, true) => {
                    return Err(Failure::usage(format!(
                        "{name} and {negated} contradict each other"
                    )));
                }
                (true, false) => set(fields, flag.path, Value::Bool(true)),
                (false, true) => set(fields, flag.path, Value::Bool(false)),
                (false, false) => {}
            }
        }
        List => {
            let items: Vec<Value> = args
                .values(name)?
                .iter()
                .flat_map(|list| list.split(','))
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_owned()))
                .collect();
            if !items.is_empty() {
                set(fields, flag.path, Value::Array(items));
            }
        }
        _ => {
            let Some(text) = args.value::<String>(name)? else {
                return Ok(());
            };
            let value = match flag.kind {
                Integer => text.trim().parse::<i64>().map(Value::from).map_err(|_| {
                    Failure::usage(format!("{name}: expected a whole number, got \"{text}\""))
                })?,
                Number => text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|number| number.is_finite())
                    .map(Value::from)
                    .ok_or_else(|| {
                        Failure::usage(format!("{name}: expected a number, got \"{text}\""))
                    })?,
                Json => serde_json::from_str(&text)
                    .map_err(|err| Failure::usage(format!("{name}: not valid JSON ({err})")))?,
                _ if name.ends_with("-file") => Value::String(read_secret(name, &text)?),
                _ => Value::String(text),
            };
            set(fields, flag.path, value);
        }
    }
    check_field(flag.path, fields, name)
}

/// A transcript runs one speech understanding task (the spec's `oneOf`);
/// flags of two tasks would otherwise decode as the first, the rest dropped
/// without a word.
fn check_one_task(fields: &Map<String, Value>) -> CliResult {
    let Some(Value::Object(tasks)) = get(fields, "speech_understanding.request") else {
        return Ok(());
    };
    if tasks.len() < 2 {
        return Ok(());
    }
    let names: Vec<&str> = tasks.keys().map(String::as_str).collect();
    Err(Failure::usage(format!(
        "a transcript runs one speech understanding task, got {}",
        names.join(" and ")
    ))
    .with_hint(
        "choose translation (--target-languages), speaker identification (--speaker-type) \
         or custom formatting (--custom-formatting-*)",
    ))
}

/// `--no-NAME` keys must be `'static` for pico-args; the table is small and
/// parsed once per run, so leaking them is harmless.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// A `--config` value: JSON when it parses as JSON that fits the field,
/// otherwise the text itself (so `language_code=es` needs no quotes).
fn config_value(key: &str, text: &str) -> CliResult<Value> {
    if let Ok(json) = serde_json::from_str::<Value>(text) {
        let mut probe = Map::new();
        set(&mut probe, key, json.clone());
        if json.is_string() || decode(probe, key).is_ok() {
            return Ok(json);
        }
    }
    let value = Value::String(text.to_owned());
    let mut probe = Map::new();
    set(&mut probe, key, value.clone());
    decode(probe, &format!("--config {key}"))?;
    Ok(value)
}

/// Checks one field alone, so a type error names the flag that caused it.
fn check_field(path: &str, fields: &Map<String, Value>, shown: &str) -> CliResult {
    let Some(value) = get(fields, path) else {
        return Ok(());
    };
    let mut probe = Map::new();
    set(&mut probe, path, value.clone());
    decode(probe, shown).map(|_| ())
}

fn decode(mut fields: Map<String, Value>, what: &str) -> CliResult<TranscriptRequest> {
    // audio_url is required by the type; the real one is set later.
    fields.insert("audio_url".to_owned(), Value::String(String::new()));
    serde_json::from_value(Value::Object(fields))
        .map_err(|err| Failure::usage(format!("{what}: {err}")))
}

fn merge_config_file(fields: &mut Map<String, Value>, path: &Path) -> CliResult {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|err| Failure::input(format!("cannot read the config file {shown}: {err}")))?;
    let value: Value = serde_json::from_str(&text).map_err(|err| {
        Failure::usage(format!("the config file {shown} is not valid JSON: {err}"))
    })?;
    let Value::Object(object) = value else {
        return Err(Failure::usage(format!(
            "the config file {shown} must hold a JSON object of request fields, like {{\"speaker_labels\": true}}"
        )));
    };
    decode(object.clone(), &format!("the config file {shown}"))?;
    fields.extend(object);
    Ok(())
}

/// Secrets come from files, never from the command line, where other users
/// can read them in the process list.
fn read_secret(flag: &str, path: &str) -> CliResult<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Failure::input(format!("{flag}: cannot read {path}: {err}")))?;
    let secret = text.trim();
    if secret.is_empty() {
        return Err(Failure::input(format!("{flag}: {path} is empty")));
    }
    Ok(secret.to_owned())
}

/// Names a `--config` key that this version would send without knowing it,
/// since a typo there reaches the API as an unknown field.
fn warn_unknown_fields(fields: &Map<String, Value>) {
    let Ok(request) = decode(fields.clone(), "") else {
        return;
    };
    for key in request.extra.keys() {
        eprintln!(
            "aai: warning: \"{key}\" is not a request field this version knows; sending it as is"
        );
    }
}

/// Sets `path` (`a.b.c`) in a JSON object, creating the objects on the way.
fn set(fields: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            fields.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = fields
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(child) = child {
                set(child, rest, value);
            }
        }
    }
}

fn get<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    match path.split_once('.') {
        None => fields.get(path),
        Some((head, rest)) => get(fields.get(head)?.as_object()?, rest),
    }
}
