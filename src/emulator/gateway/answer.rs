//! The emulator's answers: deterministic, derived from the question and the
//! transcript, so a test can tell what it should read.
//!
//! The rule, for tests to rely on: the question is the last user message as
//! sent (before `{{ transcript }}` is filled in), with the placeholder taken
//! out, runs of white space made one space, and cut to its first 30 words
//! (then `...`). The answer is
//! `"QUESTION" answered by MODEL` and, when a transcript was filled in,
//! ` from N words: "FIRST TEN WORDS"`. Tokens are words (runs of non-space).

use serde_json::Value;

/// The placeholder the gateway fills with the transcript's text: only its
/// first literal occurrence, in the first message holding it.
pub(super) const PLACEHOLDER: &str = "{{ transcript }}";

/// The text of a message's `content`: a string or text parts.
pub(super) fn content_text(content: &Value) -> String {
    match content {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|part| part["text"].as_str())
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    }
}

/// Fills the first `{{ transcript }}` of the first message holding one with
/// `text`; returns whether one was found.
pub(super) fn substitute(messages: &mut [Value], text: &str) -> bool {
    for message in messages.iter_mut() {
        match &mut message["content"] {
            Value::String(content) if content.contains(PLACEHOLDER) => {
                *content = content.replacen(PLACEHOLDER, text, 1);
                return true;
            }
            Value::Array(parts) => {
                for part in parts.iter_mut() {
                    if let Some(part_text) =
                        part["text"].as_str().filter(|t| t.contains(PLACEHOLDER))
                    {
                        part["text"] = Value::String(part_text.replacen(PLACEHOLDER, text, 1));
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// The most words of the question an answer quotes.
const QUOTED_WORDS: usize = 30;

/// The question asked: the last user message, placeholder out, spaces
/// collapsed, its first 30 words.
pub(super) fn question(messages: &[Value]) -> String {
    let last_user = messages
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .map(|m| content_text(&m["content"]))
        .unwrap_or_default();
    let text = last_user.replace(PLACEHOLDER, " ");
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > QUOTED_WORDS {
        format!("{}...", words[..QUOTED_WORDS].join(" "))
    } else {
        words.join(" ")
    }
}

/// The answer by the rule above.
pub(super) fn answer(question: &str, model: &str, transcript: Option<&str>) -> String {
    let mut answer = format!("\"{question}\" answered by {model}");
    if let Some(text) = transcript {
        let words: Vec<&str> = text.split_whitespace().collect();
        let first: Vec<&str> = words.iter().take(10).copied().collect();
        answer.push_str(&format!(
            " from {} words: \"{}\"",
            words.len(),
            first.join(" ")
        ));
    }
    answer
}

/// Tokens, counted as words.
pub(super) fn tokens(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_first_placeholder_of_the_first_message_holding_one_is_filled() {
        let mut messages = vec![
            json!({"role": "system", "content": "Be brief."}),
            json!({"role": "user", "content": "A {{ transcript }} B {{ transcript }}"}),
            json!({"role": "user", "content": "C {{ transcript }}"}),
        ];
        assert!(substitute(&mut messages, "TEXT"));
        assert_eq!(messages[1]["content"], "A TEXT B {{ transcript }}");
        assert_eq!(messages[2]["content"], "C {{ transcript }}");
    }

    #[test]
    fn the_answer_quotes_the_question_and_the_transcripts_first_words() {
        let messages =
            vec![json!({"role": "user", "content": "What  happened?\n{{ transcript }}"})];
        let answer = answer(&question(&messages), "m", Some("one two three"));
        assert_eq!(
            answer,
            "\"What happened?\" answered by m from 3 words: \"one two three\""
        );
    }
}
