//! Speech Understanding on `/v1/understanding`: the gateway's checks of the
//! tasks, then the same deterministic results the inline `/v2` tasks give
//! (`features::understanding`, one implementation for both), then what the
//! gateway's reply adds: the words and utterances with the identified
//! speakers, and per-utterance translations.

use serde_json::{Map, Value, json};

use super::super::features;

/// The gateway's reasons to refuse `tasks`, empty when it runs them.
pub(super) fn refusals(tasks: &Map<String, Value>) -> Vec<String> {
    let mut reasons = Vec::new();
    for (task, params) in tasks {
        match task.as_str() {
            "translation" => {
                let none = params["target_languages"]
                    .as_array()
                    .is_none_or(|languages| languages.is_empty());
                if none {
                    reasons.push(
                        "translation.target_languages must list at least one language".into(),
                    );
                }
            }
            "speaker_identification" => {
                let kind = params["speaker_type"].as_str().unwrap_or_default();
                if kind != "name" && kind != "role" {
                    reasons.push("speaker_identification.speaker_type must be name or role".into());
                }
                let (known, speakers) = (params.get("known_values"), params.get("speakers"));
                if known.is_some() && speakers.is_some() {
                    reasons.push(
                        "speaker_identification takes known_values or speakers, not both".into(),
                    );
                }
                if kind == "role" && known.is_none() && speakers.is_none() {
                    reasons.push(
                        "speaker_identification with speaker_type role needs known_values or speakers".into(),
                    );
                }
            }
            "summarization" => {
                let kind = params["summary_type"].as_str().unwrap_or_default();
                if kind != "paragraph" && kind != "bullets" {
                    reasons.push("summarization.summary_type must be paragraph or bullets".into());
                }
            }
            "custom_formatting" | "action_items" => {}
            other => reasons.push(format!("unsupported speech understanding task: {other}")),
        }
    }
    reasons
}

/// Runs `tasks` on `transcript`: the transcript as the gateway returns it,
/// `speech_understanding.response` and `translated_texts` included.
pub(super) fn run(transcript: &Value, tasks: &Map<String, Value>) -> Map<String, Value> {
    let mut t = transcript.as_object().cloned().unwrap_or_default();
    t.insert("speech_understanding".into(), json!({ "request": tasks }));
    features::understanding(&mut t);
    let mapping = t["speech_understanding"]["response"]["speaker_identification"]["mapping"]
        .as_object()
        .cloned();
    if let Some(mapping) = mapping {
        rename_speakers(&mut t, &mapping);
    }
    if tasks
        .get("translation")
        .is_some_and(|task| task["match_original_utterance"] == true)
    {
        translate_utterances(&mut t, &tasks["translation"]);
    }
    t
}

/// Speakers named by `mapping` (label to name) in the words and utterances.
fn rename_speakers(t: &mut Map<String, Value>, mapping: &Map<String, Value>) {
    let rename = |item: &mut Value| {
        if let Some(name) = item["speaker"]
            .as_str()
            .and_then(|label| mapping.get(label))
        {
            item["speaker"] = name.clone();
        }
    };
    if let Some(words) = t.get_mut("words").and_then(Value::as_array_mut) {
        words.iter_mut().for_each(rename);
    }
    if let Some(utterances) = t.get_mut("utterances").and_then(Value::as_array_mut) {
        for utterance in utterances {
            rename(utterance);
            if let Some(words) = utterance["words"].as_array_mut() {
                words.iter_mut().for_each(rename);
            }
        }
    }
}

/// Each utterance's `translated_texts`, as the whole text's are made.
fn translate_utterances(t: &mut Map<String, Value>, task: &Value) {
    let languages: Vec<String> = task["target_languages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_owned))
        .collect();
    if let Some(utterances) = t.get_mut("utterances").and_then(Value::as_array_mut) {
        for utterance in utterances {
            let text = utterance["text"].as_str().unwrap_or_default().to_owned();
            let texts: Map<String, Value> = languages
                .iter()
                .map(|lang| (lang.clone(), json!(format!("[{lang}] {text}"))))
                .collect();
            utterance["translated_texts"] = Value::Object(texts);
        }
    }
}
