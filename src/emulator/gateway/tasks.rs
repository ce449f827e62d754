//! Speech Understanding tasks, deterministic, on a finished transcript: what
//! `/v1/understanding` answers, in one place the inline `/v2` tasks can use
//! too. Each task returns its `speech_understanding.response` entry and
//! changes the transcript parts it touches (translations, speakers).
//!
//! The content, for tests to rely on: a translation into `xx` is
//! `[xx] TEXT`; speaker identification names the speakers in order of first
//! appearance from `known_values` (or `speakers[].name|role`); a summary has
//! one section per 40 words whose `headline` is its first five words and
//! whose `text` is its first twelve (`- ` before each for bullets); action
//! items are the sentences saying should/will/need/must (else the first),
//! each `Follow up: SENTENCE`.

use serde_json::{Map, Value, json};

/// A transcript's parts the tasks read and may change.
pub(in super::super) struct Parts {
    pub text: String,
    pub words: Vec<Value>,
    pub utterances: Option<Vec<Value>>,
    pub translated_texts: Option<Map<String, Value>>,
}

impl Parts {
    pub fn of(transcript: &Value) -> Parts {
        Parts {
            text: transcript["text"].as_str().unwrap_or_default().to_owned(),
            words: transcript["words"].as_array().cloned().unwrap_or_default(),
            utterances: transcript["utterances"].as_array().cloned(),
            translated_texts: None,
        }
    }
}

/// Runs `task` with `params` on `parts`: its response entry, or the
/// reasons the gateway refuses it.
pub(in super::super) fn run(
    task: &str,
    params: &Value,
    parts: &mut Parts,
) -> Result<Value, Vec<String>> {
    match task {
        "translation" => translation(params, parts),
        "speaker_identification" => speaker_identification(params, parts),
        "custom_formatting" => Ok(json!({
            "status": "success", "mapping": {}, "formatted_text": parts.text,
        })),
        "summarization" => summarization(params, parts),
        "action_items" => Ok(action_items(params, parts)),
        other => Err(vec![format!(
            "unsupported speech understanding task: {other}"
        )]),
    }
}

fn translation(params: &Value, parts: &mut Parts) -> Result<Value, Vec<String>> {
    let targets: Vec<&str> = params["target_languages"]
        .as_array()
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if targets.is_empty() {
        return Err(vec![
            "translation.target_languages must list at least one language".into(),
        ]);
    }
    let translate = |lang: &str, text: &str| json!(format!("[{lang}] {text}"));
    let texts = parts.translated_texts.get_or_insert_with(Map::new);
    for lang in &targets {
        texts.insert((*lang).to_owned(), translate(lang, &parts.text));
    }
    if params["match_original_utterance"] == true {
        for utterance in parts.utterances.iter_mut().flatten() {
            let text = utterance["text"].as_str().unwrap_or_default().to_owned();
            let own: Map<String, Value> = targets
                .iter()
                .map(|l| ((*l).to_owned(), translate(l, &text)))
                .collect();
            utterance["translated_texts"] = Value::Object(own);
        }
    }
    Ok(json!({"status": "success"}))
}

fn speaker_identification(params: &Value, parts: &mut Parts) -> Result<Value, Vec<String>> {
    let kind = params["speaker_type"].as_str().unwrap_or_default();
    if kind != "name" && kind != "role" {
        return Err(vec![
            "speaker_identification.speaker_type must be name or role".into(),
        ]);
    }
    let known = params["known_values"].as_array();
    let speakers = params["speakers"].as_array();
    if known.is_some() && speakers.is_some() {
        return Err(vec![
            "speaker_identification takes known_values or speakers, not both".into(),
        ]);
    }
    let names: Vec<String> = match (known, speakers) {
        (Some(values), _) => values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        (_, Some(speakers)) => speakers
            .iter()
            .filter_map(|s| s[kind].as_str().or(s["name"].as_str()).map(str::to_owned))
            .collect(),
        _ if kind == "role" => {
            return Err(vec![
                "speaker_identification with speaker_type role needs known_values or speakers"
                    .into(),
            ]);
        }
        _ => Vec::new(),
    };
    let mut labels: Vec<String> = Vec::new();
    for word in &parts.words {
        if let Some(label) = word["speaker"].as_str() {
            if !labels.iter().any(|l| l == label) {
                labels.push(label.to_owned());
            }
        }
    }
    let mapping: Map<String, Value> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let name = names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("Speaker {label}"));
            (label.clone(), json!(name))
        })
        .collect();
    let rename = |item: &mut Value| {
        if let Some(name) = item["speaker"].as_str().and_then(|l| mapping.get(l)) {
            item["speaker"] = name.clone();
        }
    };
    parts.words.iter_mut().for_each(rename);
    for utterance in parts.utterances.iter_mut().flatten() {
        rename(utterance);
        if let Some(words) = utterance["words"].as_array_mut() {
            words.iter_mut().for_each(rename);
        }
    }
    Ok(json!({"status": "success", "mapping": mapping}))
}

fn summarization(params: &Value, parts: &Parts) -> Result<Value, Vec<String>> {
    let kind = params["summary_type"].as_str().unwrap_or_default();
    if kind != "paragraph" && kind != "bullets" {
        return Err(vec![
            "summarization.summary_type must be paragraph or bullets".into(),
        ]);
    }
    let effort = params["effort"].as_str().unwrap_or("low");
    let sections: Vec<Value> = parts
        .words
        .chunks(40)
        .map(|words| {
            let texts: Vec<&str> = words.iter().filter_map(|w| w["text"].as_str()).collect();
            let headline = texts.iter().take(5).copied().collect::<Vec<_>>().join(" ");
            let gist = texts.iter().take(12).copied().collect::<Vec<_>>().join(" ");
            let text = if kind == "bullets" {
                format!("- {gist}")
            } else {
                gist
            };
            json!({
                "start": words[0]["start"], "end": words[words.len() - 1]["end"],
                "text": text, "headline": headline,
            })
        })
        .collect();
    Ok(json!({"status": "success", "summary_type": kind, "effort": effort, "summary": sections}))
}

fn action_items(params: &Value, parts: &Parts) -> Value {
    let effort = params["effort"].as_str().unwrap_or("low");
    // Sentences from the words, with the start of each.
    let mut sentences: Vec<(String, Value)> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = Value::Null;
    for word in &parts.words {
        let text = word["text"].as_str().unwrap_or_default();
        if current.is_empty() {
            start = word["start"].clone();
        }
        current.push(text);
        if text.ends_with(['.', '?', '!']) {
            sentences.push((current.join(" "), start.clone()));
            current.clear();
        }
    }
    if !current.is_empty() {
        sentences.push((current.join(" "), start));
    }
    let promising = |s: &str| {
        let lower = s.to_lowercase();
        ["should", "will", "need", "must"].iter().any(|w| {
            lower
                .split_whitespace()
                .any(|x| x.trim_matches(|c: char| !c.is_alphanumeric()) == *w)
        })
    };
    let mut chosen: Vec<&(String, Value)> =
        sentences.iter().filter(|(s, _)| promising(s)).collect();
    if chosen.is_empty() {
        chosen.extend(sentences.first());
    }
    let items: Vec<Value> = chosen
        .into_iter()
        .map(|(sentence, start)| json!({"action_item": format!("Follow up: {sentence}"), "quote": sentence, "timestamp": start}))
        .collect();
    json!({"status": "success", "effort": effort, "items": items})
}
