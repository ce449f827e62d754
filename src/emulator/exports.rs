//! The export endpoints, built from a completed transcript's words: subtitles, sentences,
//! paragraphs and word search.

use serde_json::{Map, Value, json};

use super::content::span;

/// `chars_per_caption` when the request doesn't give one.
pub(super) const DEFAULT_CHARS_PER_CAPTION: usize = 80;
const SENTENCES_PER_PARAGRAPH: usize = 4;

fn words(transcript: &Value) -> &[Value] {
    transcript["words"].as_array().map_or(&[], Vec::as_slice)
}

/// SRT or VTT captions: consecutive words, at most `chars_per_caption` characters per caption
/// (a longer word gets a caption of its own).
pub(super) fn subtitles(transcript: &Value, vtt: bool, chars_per_caption: usize) -> String {
    let mut out = String::from(if vtt { "WEBVTT\n\n" } else { "" });
    let mut cue: Vec<&Value> = Vec::new();
    let mut cue_chars = 0;
    let mut number = 0;
    let mut flush = |cue: &mut Vec<&Value>, out: &mut String| {
        if cue.is_empty() {
            return;
        }
        number += 1;
        let text: Vec<&str> = cue.iter().filter_map(|w| w["text"].as_str()).collect();
        let start = cue[0]["start"].as_u64().unwrap_or(0);
        let end = cue[cue.len() - 1]["end"].as_u64().unwrap_or(0);
        let (start, end) = (timestamp(start, vtt), timestamp(end, vtt));
        if !vtt {
            out.push_str(&format!("{number}\n"));
        }
        out.push_str(&format!("{start} --> {end}\n{}\n\n", text.join(" ")));
        cue.clear();
    };
    for word in words(transcript) {
        let len = word["text"].as_str().map_or(0, |t| t.chars().count());
        if !cue.is_empty() && cue_chars + 1 + len > chars_per_caption {
            flush(&mut cue, &mut out);
        }
        cue_chars = if cue.is_empty() {
            len
        } else {
            cue_chars + 1 + len
        };
        cue.push(word);
    }
    flush(&mut cue, &mut out);
    out
}

/// SRT `HH:MM:SS,mmm`; VTT `MM:SS.mmm`, with hours only past the first hour.
fn timestamp(ms: u64, vtt: bool) -> String {
    let (h, m, s, ms) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    match vtt {
        false => format!("{h:02}:{m:02}:{s:02},{ms:03}"),
        true if h == 0 => format!("{m:02}:{s:02}.{ms:03}"),
        true => format!("{h:02}:{m:02}:{s:02}.{ms:03}"),
    }
}

/// The transcript's words split after each word ending in `.`, `?` or `!`.
fn split_sentences(words: &[Value]) -> Vec<&[Value]> {
    let ends = |w: &Value| {
        w["text"]
            .as_str()
            .is_some_and(|t| t.ends_with(['.', '?', '!']))
    };
    let mut sentences: Vec<&[Value]> = words.split_inclusive(ends).collect();
    sentences.retain(|s| !s.is_empty());
    sentences
}

fn sentence(words: &[Value]) -> Value {
    let mut s = span(words);
    s.insert("speaker".into(), words[0]["speaker"].clone());
    Value::Object(s)
}

/// The reply of an export, with `speech_model_used` as the API has sent it
/// since 2026 (`../shared/api-2026.md` §1.5).
fn export(transcript: &Value, key: &str, items: Vec<Value>) -> Value {
    json!({
        "id": transcript["id"],
        "confidence": transcript["confidence"],
        "audio_duration": transcript["audio_duration"],
        "speech_model_used": transcript["speech_model_used"],
        key: items,
    })
}

/// `SentencesResponse`.
pub(super) fn sentences(transcript: &Value) -> Value {
    let sentences = split_sentences(words(transcript));
    export(
        transcript,
        "sentences",
        sentences.into_iter().map(sentence).collect(),
    )
}

/// `ParagraphsResponse`: a paragraph every few sentences, and at every change of speaker.
pub(super) fn paragraphs(transcript: &Value) -> Value {
    let all = words(transcript);
    let mut paragraphs = Vec::new();
    let (mut start, mut sentences_in) = (0, 0);
    let mut end = 0;
    for s in split_sentences(all) {
        let speaker_changes = all[start]["speaker"] != s[0]["speaker"];
        if end > start && (sentences_in == SENTENCES_PER_PARAGRAPH || speaker_changes) {
            paragraphs.push(Value::Object(span(&all[start..end])));
            (start, sentences_in) = (end, 0);
        }
        end += s.len();
        sentences_in += 1;
    }
    if end > start {
        paragraphs.push(Value::Object(span(&all[start..end])));
    }
    export(transcript, "paragraphs", paragraphs)
}

/// A word as search compares it: lower case, without surrounding punctuation.
fn normalize(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// `WordSearchResponse` for `terms`, the comma-separated `words` query value. Each term (a word
/// or a phrase) matches consecutive words case-insensitively; terms without a match are left out.
pub(super) fn word_search(transcript: &Value, terms: &str) -> Value {
    let words = words(transcript);
    let normalized: Vec<String> = words
        .iter()
        .map(|w| normalize(w["text"].as_str().unwrap_or("")))
        .collect();
    let mut matches = Vec::new();
    let mut total = 0;
    for term in terms.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let tokens: Vec<String> = term.split_whitespace().map(normalize).collect();
        let indexes: Vec<usize> = (0..normalized.len().saturating_sub(tokens.len() - 1))
            .filter(|&i| normalized[i..i + tokens.len()] == tokens[..])
            .collect();
        if indexes.is_empty() {
            continue;
        }
        let timestamps: Vec<Value> = indexes
            .iter()
            .map(|&i| json!([words[i]["start"], words[i + tokens.len() - 1]["end"]]))
            .collect();
        total += indexes.len();
        let mut m = Map::new();
        m.insert("text".into(), json!(term));
        m.insert("count".into(), json!(indexes.len()));
        m.insert("timestamps".into(), Value::Array(timestamps));
        m.insert("indexes".into(), json!(indexes));
        matches.push(Value::Object(m));
    }
    json!({ "id": transcript["id"], "total_count": total, "matches": matches })
}
