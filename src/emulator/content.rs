//! Transcript bodies: the spec's examples, what a job shows at each stage, and generated long
//! transcripts.

use std::fmt::Write;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};

/// The spec's `components.schemas.Transcript.example`: a completed transcript of wildfires.mp3.
pub(super) fn example() -> &'static Map<String, Value> {
    static EXAMPLE: OnceLock<Map<String, Value>> = OnceLock::new();
    EXAMPLE.get_or_init(|| object(include_str!("transcript_example.json")))
}

fn object(json: &str) -> Map<String, Value> {
    match serde_json::from_str(json) {
        Ok(Value::Object(map)) => map,
        other => panic!("embedded example is not a JSON object: {other:?}"),
    }
}

/// Fields that describe the job rather than its content; content never overrides them.
const JOB_FIELDS: [&str; 4] = ["id", "status", "audio_url", "error"];

/// A transcript as the API shows it: every key the API sends, null until known; then `content`
/// (what a finished transcript holds); then `echo` (the create request's parameters, which the
/// API echoes back); then the job's id and status, and `error` when it failed.
/// Request flags and the result field each one fills.
const FEATURE_RESULTS: &[(&str, &str)] = &[
    ("auto_highlights", "auto_highlights_result"),
    ("content_safety", "content_safety_labels"),
    ("iab_categories", "iab_categories_result"),
    ("entity_detection", "entities"),
    ("sentiment_analysis", "sentiment_analysis_results"),
    ("auto_chapters", "chapters"),
    ("summarization", "summary"),
];

/// Request options the example transcript has set, with what the API echoes when they are not
/// asked for.
const UNASKED_OPTIONS: &[(&str, Value)] = &[
    ("speaker_labels", Value::Bool(false)),
    ("speakers_expected", Value::Null),
    ("multichannel", Value::Bool(false)),
    ("redact_pii", Value::Bool(false)),
    ("redact_pii_audio", Value::Bool(false)),
    ("redact_pii_policies", Value::Null),
    ("filter_profanity", Value::Bool(false)),
    ("custom_topics", Value::Bool(false)),
    // Never null: the spec types it as an array (the example's unasked value is `[]`).
    ("topics", Value::Array(Vec::new())),
    ("webhook_url", Value::Null),
    ("webhook_status_code", Value::Null),
    ("webhook_auth_header_name", Value::Null),
    ("audio_start_from", Value::Null),
    ("audio_end_at", Value::Null),
    ("disfluencies", Value::Bool(false)),
    ("custom_spelling", Value::Null),
];

pub(super) fn transcript(
    id: &str,
    status: &str,
    echo: &Map<String, Value>,
    content: Option<Map<String, Value>>,
    error: Option<&str>,
) -> Map<String, Value> {
    let mut t: Map<String, Value> = example().keys().map(|k| (k.clone(), Value::Null)).collect();
    // Keys the spec marks required, with the values the API reports when the option is unset.
    for (key, value) in [
        // Documented defaults, for the keys the spec says are never null.
        ("language_code", json!("en_us")),
        ("redact_pii_sub", json!("hash")),
        ("topics", json!([])),
        ("language_model", json!("assemblyai_default")),
        ("acoustic_model", json!("assemblyai_default")),
        ("webhook_auth", json!(false)),
        ("auto_highlights", json!(false)),
        ("redact_pii", json!(false)),
        ("summarization", json!(false)),
    ] {
        t.insert(key.to_string(), value);
    }
    for (key, value) in content.into_iter().flatten() {
        if !JOB_FIELDS.contains(&key.as_str()) {
            t.insert(key, value);
        }
    }
    t.extend(echo.iter().map(|(k, v)| (k.clone(), v.clone())));
    // Like the API, a result appears only when its feature was asked for,
    // whatever the example content holds.
    for (flag, result) in FEATURE_RESULTS {
        if echo.get(*flag) != Some(&Value::Bool(true)) {
            t.insert(flag.to_string(), json!(false));
            t.insert(result.to_string(), Value::Null);
        }
    }
    // Nor does it claim options nobody asked for, as the example's would; a
    // transcript a test scripted keeps what it says.
    for (key, unset) in UNASKED_OPTIONS {
        let from_example = example().get(*key).is_some_and(|v| t.get(*key) == Some(v));
        if !echo.contains_key(*key) && from_example {
            t.insert(key.to_string(), unset.clone());
        }
    }
    // The model that ran is known once the job is done: the first named,
    // else the account's default the create chose (kept in the echo).
    if status != "completed" {
        t.insert("speech_model_used".into(), Value::Null);
    } else if t.get("speech_model_used").is_none_or(Value::is_null) {
        let first_model = echo.get("speech_models").and_then(|m| m.get(0)).cloned();
        t.insert(
            "speech_model_used".into(),
            first_model.unwrap_or(Value::Null),
        );
    }
    t.insert("id".into(), json!(id));
    t.insert("status".into(), json!(status));
    // `error` is a string when the job failed and absent otherwise, never null.
    match error {
        Some(message) => t.insert("error".into(), json!(message)),
        None => t.remove("error"),
    };
    t
}

/// What DELETE returns and later GETs show: the spec's `DeleteTranscriptResponse` example
/// (text "Deleted by user.", audio_url "http://deleted_by_user", words null...) for this job.
pub(super) fn deleted(id: &str, status: &str) -> Value {
    static DELETED: OnceLock<Map<String, Value>> = OnceLock::new();
    let mut t = DELETED
        .get_or_init(|| object(include_str!("deleted_example.json")))
        .clone();
    t.insert("id".into(), json!(id));
    t.insert("status".into(), json!(status));
    Value::Object(t)
}

const VOCABULARY: [&str; 32] = [
    "smoke",
    "from",
    "hundreds",
    "of",
    "wildfires",
    "in",
    "canada",
    "is",
    "triggering",
    "air",
    "quality",
    "alerts",
    "throughout",
    "the",
    "us",
    "skylines",
    "maine",
    "to",
    "maryland",
    "minnesota",
    "are",
    "gray",
    "and",
    "smoggy",
    "some",
    "places",
    "warnings",
    "include",
    "stay",
    "inside",
    "professor",
    "morning",
];

/// A generated transcript (see `Script::with_words`). Its words and utterances are kept as JSON
/// text: building 200,000 `Value`s for them would take seconds in a debug build.
pub(super) struct LongTranscript {
    /// Everything but the words and utterances.
    pub fields: Map<String, Value>,
    words: String,
    utterances: String,
}

impl LongTranscript {
    pub fn generate(n: usize) -> LongTranscript {
        let mut words = String::with_capacity(n * 90);
        let mut utterances = String::with_capacity(n * 100);
        let mut text = String::with_capacity(n * 10);
        let mut speaker = 'A';
        let (mut sentence, mut in_sentence, mut sentence_len) = (0, 0, 8);
        let mut clock = 250;
        let mut confidence_sum = 0.0;
        // The open utterance: where it starts in `words` and `text`, its start time, its words.
        let (mut u_words, mut u_text, mut u_start, mut u_len, mut u_confidence) = (0, 0, 0, 0, 0.0);
        for i in 0..n {
            let mut word = VOCABULARY[(i * 7 + i / 31) % VOCABULARY.len()].to_string();
            if in_sentence == 0 {
                word[..1].make_ascii_uppercase();
            }
            in_sentence += 1;
            let ends_sentence = in_sentence == sentence_len || i + 1 == n;
            if ends_sentence {
                word.push(if sentence % 4 == 3 { '?' } else { '.' });
            }
            let (start, end) = (clock, clock + 200 + (i % 7) * 40);
            clock = end + if ends_sentence { 400 } else { 60 };
            let confidence = (900 + i * 37 % 100) as f64 / 1000.0;
            confidence_sum += confidence;
            if u_len == 0 {
                (u_words, u_text, u_start) = (words.len(), text.len(), start);
            }
            (u_len, u_confidence) = (u_len + 1, u_confidence + confidence);
            // VOCABULARY and the punctuation added need no JSON escaping.
            let _ = write!(
                words,
                r#"{{"text":"{word}","start":{start},"end":{end},"confidence":{confidence},"speaker":"{speaker}"}},"#
            );
            text.push_str(&word);
            text.push(' ');
            if ends_sentence {
                sentence += 1;
                in_sentence = 0;
                sentence_len = 8 + sentence % 8;
                if u_len >= 20 || i + 1 == n {
                    let _ = write!(
                        utterances,
                        r#"{{"text":"{}","start":{u_start},"end":{end},"confidence":{},"speaker":"{speaker}","words":[{}]}},"#,
                        text[u_text..].trim_end(),
                        u_confidence / u_len as f64,
                        words[u_words..].trim_end_matches(','),
                    );
                    (u_len, u_confidence) = (0, 0.0);
                    speaker = if speaker == 'A' { 'B' } else { 'A' };
                }
            }
        }
        let mut fields = Map::new();
        fields.insert("text".into(), json!(text.trim_end()));
        fields.insert("confidence".into(), json!(confidence_sum / n.max(1) as f64));
        fields.insert("audio_duration".into(), json!(clock / 1000));
        fields.insert("speaker_labels".into(), json!(true));
        fields.insert("language_code".into(), json!("en_us"));
        LongTranscript {
            fields,
            words: format!("[{}]", words.trim_end_matches(',')),
            utterances: format!("[{}]", utterances.trim_end_matches(',')),
        }
    }

    /// `transcript` (built from `fields`) serialized with the words and utterances in it.
    pub fn serialize(&self, mut transcript: Map<String, Value>) -> Vec<u8> {
        transcript.remove("words");
        transcript.remove("utterances");
        let mut json = Value::Object(transcript).to_string();
        json.pop(); // the closing brace; the object is never empty, it has an id
        let _ = write!(
            json,
            r#","words":{},"utterances":{}}}"#,
            self.words, self.utterances
        );
        json.into_bytes()
    }
}

/// A span of words as the API groups them (utterances, sentences, paragraphs): their text joined
/// by spaces, first start, last end, mean confidence. `words` must not be empty.
pub(super) fn span(words: &[Value]) -> Map<String, Value> {
    let texts: Vec<&str> = words.iter().filter_map(|w| w["text"].as_str()).collect();
    let mut span = Map::new();
    span.insert("text".into(), json!(texts.join(" ")));
    span.insert("start".into(), words[0]["start"].clone());
    span.insert("end".into(), words[words.len() - 1]["end"].clone());
    span.insert("confidence".into(), json!(mean_confidence(words)));
    span.insert("words".into(), Value::Array(words.to_vec()));
    span
}

fn mean_confidence(words: &[Value]) -> f64 {
    let sum: f64 = words.iter().filter_map(|w| w["confidence"].as_f64()).sum();
    if words.is_empty() {
        0.0
    } else {
        sum / words.len() as f64
    }
}
