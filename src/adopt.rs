//! Telling a listed job that this call made from one that another process
//! made of the same audio: its echoed options, and when it was created.
//!
//! Adopting a stranger's job returns someone else's transcript (another
//! language, no speaker labels) as if it were ours; missing our own job bills
//! the audio twice. So a listed job is adopted only when everything this call
//! can check says it is ours, and a job that only *might* be ours stops the
//! recovery with an error naming it, rather than being adopted or doubled.

use serde_json::{Map, Value};

/// Request fields that ask for something extra and whose unset state the API
/// echoes as `false`, `null` or empty: a job that lacks one this call set was
/// asked for by someone else; one that has one this call did not set may be
/// someone else's (who asked for more) or ours (if the API turned it on by
/// itself), so it is never adopted, and never doubled either. Fields outside
/// this list are compared only when this call sent them, since the API fills
/// in its own defaults for the rest (`punctuate: true`, `language_code`,
/// `speech_model_used`, ...).
const OPT_IN: &[&str] = &[
    "speaker_labels",
    "speakers_expected",
    "multichannel",
    "dual_channel",
    "auto_highlights",
    "content_safety",
    "iab_categories",
    "entity_detection",
    "sentiment_analysis",
    "auto_chapters",
    "summarization",
    "redact_pii",
    "redact_pii_audio",
    "redact_pii_policies",
    "disfluencies",
    "filter_profanity",
    "custom_spelling",
    "keyterms_prompt",
    "prompt",
    "word_boost",
    "custom_topics",
    "topics",
    "webhook_url",
    "webhook_auth",
    "audio_start_from",
    "audio_end_at",
    "speech_understanding",
];

/// How a job's echoed options compare with what this call sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Echo {
    /// Every option this call can check agrees.
    Same,
    /// Nothing contradicts, but the job does not echo some option this call
    /// sent (`null` or absent): it may be ours, and it may not.
    Unknown,
    /// An option differs: someone else asked for this job.
    Different,
}

/// The request as the API echoes it: what was sent, minus `audio_url`
/// (matched apart) and the webhook secret, which the API never echoes; it
/// shows `webhook_auth: true` instead.
pub(crate) fn echo_of(sent: &Value) -> Map<String, Value> {
    let mut echo = sent.as_object().cloned().unwrap_or_default();
    echo.remove("audio_url");
    if echo.remove("webhook_auth_header_value").is_some() {
        echo.insert("webhook_auth".to_owned(), Value::Bool(true));
    }
    echo
}

/// Compares a job's transcript object with the echo of this call's request.
pub(crate) fn compare(ours: &Map<String, Value>, theirs: &Map<String, Value>) -> Echo {
    let mut verdict = Echo::Same;
    for (key, mine) in ours {
        let echoed = theirs.get(key);
        if OPT_IN.contains(&key.as_str()) {
            continue; // Below, both ways.
        }
        match echoed {
            None | Some(Value::Null) if !is_unset(mine) => verdict = Echo::Unknown,
            None | Some(Value::Null) => {}
            Some(echoed) if same(mine, echoed) => {}
            Some(_) => return Echo::Different,
        }
    }
    for key in OPT_IN {
        let (mine, echoed) = (ours.get(*key), theirs.get(*key));
        match (mine.is_none_or(is_unset), echoed.is_none_or(is_unset)) {
            (true, true) => {}
            (false, false)
                if same(mine.unwrap_or(&Value::Null), echoed.unwrap_or(&Value::Null)) => {}
            // Set there, not here: someone asked for more, or the API turned
            // it on by itself. Either may be, so the job is neither adopted
            // nor doubled.
            (true, false) => verdict = Echo::Unknown,
            _ => return Echo::Different,
        }
    }
    verdict
}

/// `false`, `null`, `""`, `[]` or `{}`: an option left unset.
fn is_unset(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(text) => text.is_empty() || text.eq_ignore_ascii_case("false"),
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.values().all(is_unset),
        Value::Number(_) | Value::Bool(true) => false,
    }
}

/// Whether an echoed value says the same as the one sent, allowing for the
/// ways the API is known to re-spell values: `"true"` for `true`, `1.0` for
/// `1`, another letter case, another order of a list, and extra fields in an
/// object (`speech_understanding` echoes its `request` beside a `response`).
fn same(sent: &Value, echoed: &Value) -> bool {
    match (sent, echoed) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Bool(a), Value::String(b)) | (Value::String(b), Value::Bool(a)) => {
            b.eq_ignore_ascii_case(if *a { "true" } else { "false" })
        }
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| same(x, y)))
        }
        (Value::Object(a), Value::Object(b)) => a.iter().all(|(key, x)| match b.get(key) {
            Some(y) => same(x, y),
            None => is_unset(x),
        }),
        (a, b) => a == b,
    }
}

/// How far from UTC a listed time may be, if the list is not in UTC after all:
/// time zones run from UTC-12 to UTC+14, in steps of 15 minutes at the finest.
const ZONE_STEP_SECONDS: i64 = 900;
const ZONE_WEST_SECONDS: i64 = 12 * 3600;
const ZONE_EAST_SECONDS: i64 = 14 * 3600;

/// Where a listed creation time falls relative to this call's attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// Between the first attempt and now, reading the time as UTC.
    During,
    /// Between the first attempt and now only if the list's clock runs in
    /// another time zone: it may be ours, and it may be a job made hours ago.
    Shifted,
    /// Not during the attempt in any time zone.
    Outside,
}

/// The span, in server seconds since the epoch, in which this call's job can
/// have been created.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub(crate) start: f64,
    pub(crate) end: f64,
}

impl Window {
    /// Classifies a listed creation time.
    pub(crate) fn place(&self, listed: f64) -> When {
        let within = |at: f64| self.start <= at && at <= self.end;
        if within(listed) {
            return When::During;
        }
        let steps =
            (-ZONE_WEST_SECONDS / ZONE_STEP_SECONDS)..=(ZONE_EAST_SECONDS / ZONE_STEP_SECONDS);
        let shifted = steps
            .map(|step| (step * ZONE_STEP_SECONDS) as f64)
            .any(|offset| within(listed - offset));
        if shifted {
            When::Shifted
        } else {
            When::Outside
        }
    }

    /// Whether a listed time is older than any job of this call can be, in
    /// any time zone: paging back can stop there.
    pub(crate) fn is_before(&self, listed: f64) -> bool {
        listed < self.start - ZONE_WEST_SECONDS as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn a_job_echoing_what_was_sent_is_the_same() {
        let ours = echo_of(&json!({
            "audio_url": "https://x/a.mp3",
            "speaker_labels": true,
            "language_code": "de",
            "speech_models": ["universal", "slam-1"],
            "webhook_auth_header_name": "X-Auth",
            "webhook_auth_header_value": "secret",
        }));
        let theirs = map(json!({
            "speaker_labels": "true",
            "language_code": "DE",
            "speech_models": ["slam-1", "universal"],
            "webhook_auth": true,
            "webhook_auth_header_name": "X-Auth",
            "punctuate": true,
            "auto_highlights": false,
            "redact_pii_policies": null,
        }));
        assert_eq!(compare(&ours, &theirs), Echo::Same);
    }

    #[test]
    fn an_option_asked_here_but_missing_there_is_different() {
        let ours = echo_of(&json!({"audio_url": "u", "speaker_labels": true}));
        assert_eq!(
            compare(&ours, &map(json!({"speaker_labels": null}))),
            Echo::Different
        );
        let german = echo_of(&json!({"audio_url": "u", "language_code": "de"}));
        assert_eq!(
            compare(&german, &map(json!({"language_code": "fr"}))),
            Echo::Different
        );
    }

    #[test]
    fn an_option_set_only_on_the_job_leaves_it_unknown() {
        let plain = echo_of(&json!({"audio_url": "u"}));
        let labelled = map(json!({"speaker_labels": true, "webhook_url": "https://x/h"}));
        assert_eq!(compare(&plain, &labelled), Echo::Unknown);
        let german = echo_of(&json!({"audio_url": "u", "language_code": "de"}));
        let labelled = map(json!({"language_code": "fr", "speaker_labels": true}));
        assert_eq!(
            compare(&german, &labelled),
            Echo::Different,
            "a difference decides"
        );
    }

    #[test]
    fn an_option_the_job_does_not_echo_leaves_it_unknown() {
        let ours = echo_of(&json!({"audio_url": "u", "new_option": 3, "language_code": "de"}));
        let theirs = map(json!({"language_code": "de"}));
        assert_eq!(compare(&ours, &theirs), Echo::Unknown);
    }

    #[test]
    fn a_time_off_by_whole_hours_is_shifted_not_during() {
        let window = Window {
            start: 10_000_000.0,
            end: 10_000_030.0,
        };
        assert_eq!(window.place(10_000_010.0), When::During);
        assert_eq!(window.place(10_000_010.0 + 5.0 * 3600.0), When::Shifted);
        assert_eq!(window.place(10_000_010.0 - 5.5 * 3600.0), When::Shifted);
        assert_eq!(window.place(10_000_010.0 - 1000.0), When::Outside);
        assert_eq!(window.place(10_000_010.0 + 20.0 * 3600.0), When::Outside);
        assert!(window.is_before(10_000_000.0 - 13.0 * 3600.0));
        assert!(!window.is_before(10_000_000.0 - 11.0 * 3600.0));
    }
}
