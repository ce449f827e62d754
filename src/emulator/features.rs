//! What a completed transcript adds for the features of 2026
//! (`../shared/api-2026.md` §2 and §3, as §8.1 asks): `metadata` for Medical
//! Mode, the unredacted text, and the Speech Understanding results, each
//! derived from the transcript itself so that a test can predict it.

use serde_json::{Map, Value, json};

/// Languages Medical Mode supports (DMED).
const MEDICAL_LANGUAGES: &[&str] = &["en", "es", "de", "fr"];

/// The warning of a skipped Medical Mode, as the docs word it (DMED).
pub const MEDICAL_SKIPPED: &str =
    "Skipped medical-v1 domain correction because the language is not supported";

/// Adds to a completed transcript `t` (its request options already echoed
/// in it) what the features it asked for produce.
pub(super) fn complete(t: &mut Map<String, Value>) {
    model_fallback(t);
    medical_mode(t);
    unredacted(t);
    understanding(t);
}

/// The languages of Universal-3.5 Pro (§1.1); others go to universal-2.
const U35_LANGUAGES: &[&str] = &[
    "en", "es", "de", "fr", "pt", "it", "tr", "nl", "sv", "no", "da", "fi", "hi", "vi", "ar", "he",
    "ja", "zh",
];

/// The language of the audio without its region: `en_us` is `en`.
fn base_language(t: &Map<String, Value>) -> String {
    let language = t
        .get("language_code")
        .and_then(Value::as_str)
        .unwrap_or("en");
    language
        .split(['_', '-'])
        .next()
        .unwrap_or(language)
        .to_owned()
}

/// `universal-3-5-pro` first on a language it lacks: the job goes to
/// universal-2, silently when the list names it, with the API's warning
/// when the list is that model alone (§1.5, SKILLA). What stt-3-7 alone does
/// then is not known, so the emulator leaves it be.
fn model_fallback(t: &mut Map<String, Value>) {
    let models: Vec<String> = t
        .get("speech_models")
        .and_then(Value::as_array)
        .map(|models| {
            models
                .iter()
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let language = base_language(t);
    if models.first().map(String::as_str) != Some("universal-3-5-pro")
        || U35_LANGUAGES.contains(&language.as_str())
    {
        return;
    }
    t.insert("speech_model_used".into(), json!("universal-2"));
    if models.len() == 1 {
        add_warning(
            t,
            &format!(
                "'{language}' is not supported in universal-3-5-pro \u{2014} transcription is \
                 handled by universal-2. To silence this warning, set speech_models: \
                 [\"universal-3-5-pro\", \"universal-2\"]."
            ),
        );
    }
}

/// Adds a warning to `metadata`, made with `domain_used: null` when there
/// was none (the API always sends `domain_used` with `metadata`).
fn add_warning(t: &mut Map<String, Value>, message: &str) {
    let metadata = t
        .entry("metadata")
        .or_insert_with(|| json!({"domain_used": null}));
    if !metadata.is_object() {
        *metadata = json!({"domain_used": null});
    }
    let warnings = metadata
        .as_object_mut()
        .map(|m| m.entry("warnings").or_insert_with(|| json!([])));
    if let Some(Value::Array(warnings)) = warnings {
        warnings.push(json!({ "message": message }));
    }
}

/// `domain: medical-v1` runs on a supported language, and is skipped with a
/// warning on any other; `metadata` is there only when there is something
/// to say.
fn medical_mode(t: &mut Map<String, Value>) {
    let Some(domain) = t.get("domain").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    let language = base_language(t);
    if domain == "medical-v1" && !MEDICAL_LANGUAGES.contains(&language.as_str()) {
        add_warning(t, MEDICAL_SKIPPED);
    } else if let Some(Value::Object(metadata)) = t.get_mut("metadata") {
        metadata.insert("domain_used".into(), json!(domain));
    } else {
        t.insert("metadata".into(), json!({ "domain_used": domain }));
    }
}

/// With `redact_pii_return_unredacted`, the text as it was before redaction
/// (the emulator redacts nothing, so the same); utterances only when there
/// are some.
fn unredacted(t: &mut Map<String, Value>) {
    if t.get("redact_pii_return_unredacted") != Some(&Value::Bool(true)) {
        return;
    }
    for (from, to) in [
        ("text", "unredacted_text"),
        ("words", "unredacted_words"),
        ("utterances", "unredacted_utterances"),
    ] {
        let value = t.get(from).cloned().unwrap_or(Value::Null);
        t.insert(to.into(), value);
    }
}

/// One result per task asked for, `status: success`.
pub(super) fn understanding(t: &mut Map<String, Value>) {
    let Some(Value::Object(tasks)) = t
        .get("speech_understanding")
        .and_then(|su| su.get("request"))
        .cloned()
    else {
        return;
    };
    let words = timed_words(t);
    let text = t
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let mut response = Map::new();
    for (task, options) in &tasks {
        let result = match task.as_str() {
            "summarization" => summarization(&words, options),
            "action_items" => action_items(&words, options),
            "translation" => {
                let mut texts = Map::new();
                for lang in options["target_languages"].as_array().into_iter().flatten() {
                    if let Some(lang) = lang.as_str() {
                        texts.insert(lang.into(), json!(format!("[{lang}] {text}")));
                    }
                }
                t.insert("translated_texts".into(), Value::Object(texts));
                json!({"status": "success"})
            }
            "speaker_identification" => {
                let names = options["known_values"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let mut mapping = Map::new();
                for (label, name) in ["A", "B", "C", "D"].iter().zip(names) {
                    mapping.insert((*label).into(), name);
                }
                json!({"status": "success", "mapping": mapping})
            }
            "custom_formatting" => {
                json!({"status": "success", "mapping": {}, "formatted_text": text})
            }
            // A task the API does not run is not reported by the emulator either.
            _ => continue,
        };
        response.insert(task.clone(), result);
    }
    if let Some(Value::Object(su)) = t.get_mut("speech_understanding") {
        su.insert("response".into(), Value::Object(response));
    }
}

/// A word with its times, from the transcript's `words`.
struct Timed {
    text: String,
    start: i64,
    end: i64,
}

fn timed_words(t: &Map<String, Value>) -> Vec<Timed> {
    let words = t.get("words").and_then(Value::as_array);
    let timed: Vec<Timed> = words
        .into_iter()
        .flatten()
        .filter_map(|word| {
            Some(Timed {
                text: word["text"].as_str()?.to_owned(),
                start: word["start"].as_i64().unwrap_or(0),
                end: word["end"].as_i64().unwrap_or(0),
            })
        })
        .collect();
    if !timed.is_empty() {
        return timed;
    }
    // No words (a scripted transcript): the text's words, untimed.
    let text = t.get("text").and_then(Value::as_str).unwrap_or("");
    text.split_whitespace()
        .map(|word| Timed {
            text: word.to_owned(),
            start: 0,
            end: 0,
        })
        .collect()
}

/// The words split into sentences (ending in `.`, `?` or `!`).
fn sentences(words: &[Timed]) -> Vec<&[Timed]> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, word) in words.iter().enumerate() {
        if word.text.ends_with(['.', '?', '!']) || i + 1 == words.len() {
            out.push(&words[from..=i]);
            from = i + 1;
        }
    }
    out
}

fn joined(words: &[Timed]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sections of about four sentences; the headline is the section's first
/// five words, the text its first sentence (a paragraph) or each sentence
/// as a bullet.
fn summarization(words: &[Timed], options: &Value) -> Value {
    let summary_type = options["summary_type"].as_str().unwrap_or("bullets");
    let effort = options["effort"].as_str().unwrap_or("low");
    let sentences = sentences(words);
    let sections: Vec<Value> = sentences
        .chunks(4)
        .map(|group| {
            let first = group[0];
            let last = group[group.len() - 1];
            let headline = joined(&first[..first.len().min(5)]);
            let text = if summary_type == "paragraph" {
                joined(first)
            } else {
                group
                    .iter()
                    .map(|sentence| format!("- {}", joined(sentence)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            json!({
                "start": first[0].start,
                "end": last[last.len() - 1].end,
                "text": text,
                "headline": headline.trim_end_matches(['.', ',', '?', '!']),
            })
        })
        .collect();
    json!({"status": "success", "summary_type": summary_type, "effort": effort, "summary": sections})
}

/// An item for every third sentence, quoting it; with `include_decisions`
/// the last sentence is a decision too.
fn action_items(words: &[Timed], options: &Value) -> Value {
    let effort = options["effort"].as_str().unwrap_or("low");
    let sentences = sentences(words);
    let mut items: Vec<Value> = sentences
        .iter()
        .step_by(3)
        .map(|sentence| {
            let quote = joined(sentence);
            json!({
                "action_item": format!("Follow up on: {}", joined(&sentence[..sentence.len().min(6)])),
                "quote": quote,
                "timestamp": sentence[0].start,
            })
        })
        .collect();
    if options["include_decisions"] == Value::Bool(true) {
        if let Some(last) = sentences.last() {
            items.push(json!({
                "action_item": format!("Decision: {}", joined(last)),
                "quote": joined(last),
                "timestamp": last[0].start,
            }));
        }
    }
    json!({"status": "success", "effort": effort, "items": items})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completed(request: Value) -> Map<String, Value> {
        let mut t = json!({
            "text": "Smoke is here. Stay inside. Check the air. Rain comes.",
            "words": [
                {"text": "Smoke", "start": 0, "end": 100}, {"text": "is", "start": 100, "end": 200},
                {"text": "here.", "start": 200, "end": 300}, {"text": "Stay", "start": 1000, "end": 1100},
                {"text": "inside.", "start": 1100, "end": 1200}, {"text": "Check", "start": 2000, "end": 2100},
                {"text": "the", "start": 2100, "end": 2200}, {"text": "air.", "start": 2200, "end": 2300},
                {"text": "Rain", "start": 3000, "end": 3100}, {"text": "comes.", "start": 3100, "end": 3200}
            ]
        });
        for (key, value) in request.as_object().unwrap() {
            t[key] = value.clone();
        }
        let Value::Object(mut t) = t else { panic!() };
        complete(&mut t);
        t
    }

    #[test]
    fn summary_and_action_items_come_from_the_words() {
        let t = completed(json!({"speech_understanding": {"request": {
            "summarization": {"summary_type": "bullets"}, "action_items": {"include_decisions": true}
        }}}));
        let response = &t["speech_understanding"]["response"];
        let section = &response["summarization"]["summary"][0];
        assert_eq!(section["headline"], "Smoke is here");
        assert_eq!(
            section["text"],
            "- Smoke is here.\n- Stay inside.\n- Check the air.\n- Rain comes."
        );
        assert_eq!(
            (section["start"].as_i64(), section["end"].as_i64()),
            (Some(0), Some(3200))
        );
        let items = response["action_items"]["items"].as_array().unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[1]["timestamp"], 3000);
        assert_eq!(items[2]["action_item"], "Decision: Rain comes.");
        assert_eq!(response["action_items"]["status"], "success");
    }

    #[test]
    fn medical_mode_on_an_unsupported_language_completes_with_a_warning() {
        let skipped = completed(json!({"domain": "medical-v1", "language_code": "ja"}));
        assert_eq!(skipped["metadata"]["domain_used"], Value::Null);
        assert_eq!(
            skipped["metadata"]["warnings"][0]["message"],
            MEDICAL_SKIPPED
        );
        let ran = completed(json!({"domain": "medical-v1", "language_code": "en_us"}));
        assert_eq!(ran["metadata"], json!({"domain_used": "medical-v1"}));
        assert!(!completed(json!({})).contains_key("metadata"));
    }

    #[test]
    fn universal_3_5_pro_alone_on_a_language_it_lacks_falls_back_with_a_warning() {
        let alone =
            completed(json!({"speech_models": ["universal-3-5-pro"], "language_code": "ur"}));
        assert_eq!(alone["speech_model_used"], "universal-2");
        let warning = alone["metadata"]["warnings"][0]["message"]
            .as_str()
            .unwrap();
        assert!(
            warning.starts_with("'ur' is not supported in universal-3-5-pro"),
            "{warning}"
        );
        assert_eq!(alone["metadata"]["domain_used"], Value::Null);
        let listed = completed(
            json!({"speech_models": ["universal-3-5-pro", "universal-2"],
            "language_code": "ur"}),
        );
        assert_eq!(listed["speech_model_used"], "universal-2");
        assert!(
            !listed.contains_key("metadata"),
            "silent when universal-2 is listed"
        );
        let supported =
            completed(json!({"speech_models": ["universal-3-5-pro"], "language_code": "de"}));
        assert!(!supported.contains_key("metadata"));
    }

    #[test]
    fn unredacted_text_is_there_only_when_asked() {
        let t = completed(json!({"redact_pii": true, "redact_pii_return_unredacted": true}));
        assert_eq!(t["unredacted_text"], t["text"]);
        assert_eq!(t["unredacted_words"], t["words"]);
        assert!(!completed(json!({"redact_pii": true})).contains_key("unredacted_text"));
    }
}
