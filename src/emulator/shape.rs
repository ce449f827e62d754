//! Speech made up to fit a recording: words at a natural pace over its duration, with speakers
//! and utterances when diarization was asked for, so every export agrees with the audio.

use serde_json::{Map, Value, json};

use super::content::span;

/// The pace of the generated speech: the spec example's (861 words in 281 s).
const WORDS_PER_SECOND: f64 = 3.0;
/// Sentences a speaker says before the next one takes over.
const SENTENCES_PER_TURN: usize = 3;

/// A transcript's spoken content (`text`, `words`, `utterances`, `confidence`,
/// `audio_duration`) saying `text`'s words, repeated or cut to fill `duration_ms` when given.
/// With `speakers`, turns pass between that many speakers (A, B, ...) every few sentences;
/// without, words have no speaker and there are no utterances, as without `speaker_labels`.
pub(super) fn spoken(
    text: &str,
    duration_ms: Option<u64>,
    speakers: Option<usize>,
) -> Map<String, Value> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let tokens = if tokens.is_empty() {
        vec!["(silence)"]
    } else {
        tokens
    };
    // Bounded whatever the caller says: every export is derived from these words, so this
    // bounds what one request can cost.
    let duration_ms = duration_ms.map(|ms| ms.min(super::media::LONGEST_MS));
    let n = match duration_ms {
        Some(ms) => ((ms as f64 / 1000.0 * WORDS_PER_SECOND).round() as usize).max(1),
        None => tokens.len(),
    };
    let total = duration_ms.unwrap_or((n as f64 * 1000.0 / WORDS_PER_SECOND) as u64);
    let slot = total as f64 / n as f64;
    let mut words = Vec::with_capacity(n);
    let (mut sentences, mut confidence_sum) = (0, 0.0);
    for i in 0..n {
        let word = tokens[i % tokens.len()];
        let start = (i as f64 * slot) as u64;
        let end = ((i as f64 + 0.85) * slot) as u64;
        let confidence = (900 + i * 37 % 100) as f64 / 1000.0;
        confidence_sum += confidence;
        let speaker = speakers.map(|k| {
            let turn = sentences / SENTENCES_PER_TURN % k.max(1);
            char::from(b'A' + (turn % 26) as u8).to_string()
        });
        if word.ends_with(['.', '?', '!']) {
            sentences += 1;
        }
        words.push(json!({
            "text": word,
            "start": start,
            "end": end.max(start + 1),
            "confidence": confidence,
            "speaker": speaker,
        }));
    }
    let utterances = speakers.map(|_| {
        let turns = words.chunk_by(|a, b| a["speaker"] == b["speaker"]);
        let utterances = turns.map(|turn| {
            let mut u = span(turn);
            u.insert("speaker".into(), turn[0]["speaker"].clone());
            Value::Object(u)
        });
        utterances.collect::<Vec<_>>()
    });
    let texts: Vec<&str> = words.iter().filter_map(|w| w["text"].as_str()).collect();
    let mut fields = Map::new();
    fields.insert("text".into(), json!(texts.join(" ")));
    fields.insert("confidence".into(), json!(confidence_sum / n as f64));
    fields.insert(
        "audio_duration".into(),
        json!((total as f64 / 1000.0).round() as u64),
    );
    fields.insert("words".into(), Value::Array(words));
    fields.insert("utterances".into(), json!(utterances));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fill_the_duration_at_a_natural_pace() {
        let t = spoken("One two three. Four five six.", Some(4_000), None);
        let words = t["words"].as_array().unwrap();
        assert_eq!(words.len(), 12);
        assert_eq!(t["audio_duration"], 4);
        assert!(words.last().unwrap()["end"].as_u64().unwrap() <= 4_000);
        assert!(
            words
                .windows(2)
                .all(|w| w[0]["end"].as_u64() <= w[1]["start"].as_u64())
        );
        assert_eq!(t["text"].as_str().unwrap().split(' ').count(), 12);
        assert!(t["utterances"].is_null() && words[0]["speaker"].is_null());
    }

    #[test]
    fn speakers_take_turns_and_utterances_cover_every_word() {
        let text = "A b. C d. E f. G h. I j. K l. M n.";
        let t = spoken(text, None, Some(2));
        let utterances = t["utterances"].as_array().unwrap();
        let speakers: Vec<&str> = utterances
            .iter()
            .map(|u| u["speaker"].as_str().unwrap())
            .collect();
        assert_eq!(speakers, ["A", "B", "A"]);
        let covered: usize = utterances
            .iter()
            .map(|u| u["words"].as_array().unwrap().len())
            .sum();
        assert_eq!(covered, 14);
    }
}
