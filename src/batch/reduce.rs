//! `aai batch --ask-reduce`: one question over every answer of a batch
//! (map-reduce): the answers go in as few requests as the model's context
//! allows, and when they need more than one, those requests' answers are
//! asked over again, until one answer remains: `OUT/answer.txt`.
//!
//! Journaled like the answers: `OUT/.aai-batch/reduce.jsonl` records the
//! fingerprint of the question and of every answer it reads; a rerun with
//! the same ones and `answer.txt` in place sends nothing.

use std::path::{Path, PathBuf};

use super::ask::write_whole;
use super::journal::STATE_DIR;
use crate::llm::{ChatRequest, Message};
use crate::{Client, Error, Result};

/// Tokens kept free for the question, the framing and the answer when the
/// request sets no `max_tokens`.
const RESERVED_TOKENS: u64 = 2_000;
/// A conservative guess of tokens in a text: a token per three characters
/// (English runs near four), so a chunk fits whatever the tokenizer.
fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(3)
}

/// Asks `question` once over `answers` (each a name and its text), with
/// `template`'s model and options, keeping each request within
/// `context_tokens` (the model's context length, when known); writes the
/// answer to `out_dir/answer.txt` and returns its path and whether a
/// request was sent (false: an earlier run answered the same).
///
/// # Errors
///
/// A failed request ([`Error::Api`] and the like), or the answer file or
/// the journal can't be written.
pub fn reduce(
    client: &Client,
    out_dir: &Path,
    template: &ChatRequest,
    question: &str,
    answers: &[(String, String)],
    context_tokens: Option<u64>,
) -> Result<(PathBuf, bool)> {
    let path = out_dir.join("answer.txt");
    let journal = out_dir.join(STATE_DIR).join("reduce.jsonl");
    let mut fingerprint_input = serde_json::to_string(template).unwrap_or_default();
    fingerprint_input.push_str(question);
    for (name, text) in answers {
        fingerprint_input.push_str(name);
        fingerprint_input.push_str(text);
    }
    let fingerprint = format!("{:016x}", super::ask::fnv1a64(fingerprint_input.as_bytes()));
    let done = std::fs::read_to_string(&journal)
        .map(|text| {
            text.lines()
                .any(|line| line == format!("answered {fingerprint}"))
        })
        .unwrap_or(false);
    if done && path.is_file() {
        return Ok((path, false));
    }
    let reserve = template
        .max_tokens
        .map_or(RESERVED_TOKENS, |m| u64::from(m) + 500);
    let budget = context_tokens
        .map(|context| context.saturating_sub(reserve + tokens(question)).max(1))
        .unwrap_or(u64::MAX);
    let mut level: Vec<(String, String)> = answers.to_vec();
    let answer = loop {
        let chunks = chunk(&level, budget);
        let mut next = Vec::new();
        for (i, chunk) in chunks.iter().enumerate() {
            let mut request = template.clone();
            request.transcript_id = None;
            request.messages.retain(|m| m.role == "system");
            request = request.message(Message::user(prompt(question, chunk)));
            next.push((format!("part {}", i + 1), client.chat(&request)?.text()));
        }
        if next.len() == 1 || next.len() >= level.len() {
            // One answer; or chunks that no longer shrink (a single answer
            // over the budget): their answers joined are the result.
            break next
                .into_iter()
                .map(|(_, text)| text)
                .collect::<Vec<_>>()
                .join("\n\n");
        }
        level = next;
    };
    let mut body = answer.into_bytes();
    if !body.ends_with(b"\n") {
        body.push(b'\n');
    }
    write_whole(&path, &body)
        .map_err(|err| Error::io(format!("cannot write {}", path.display()), err))?;
    let mut record = std::fs::read_to_string(&journal).unwrap_or_default();
    record.push_str(&format!("answered {fingerprint}\n"));
    write_whole(&journal, record.as_bytes())
        .map_err(|err| Error::io(format!("cannot write {}", journal.display()), err))?;
    Ok((path, true))
}

/// The answers in order, grouped so each group's text stays within
/// `budget` tokens; an answer over it alone is cut to fit.
fn chunk(answers: &[(String, String)], budget: u64) -> Vec<Vec<(String, String)>> {
    let mut chunks: Vec<Vec<(String, String)>> = Vec::new();
    let mut used = 0;
    for (name, text) in answers {
        let mut text = text.clone();
        if tokens(&text) > budget {
            text = text.chars().take((budget * 3) as usize).collect();
        }
        let cost = tokens(&text) + tokens(name) + 2;
        if chunks.is_empty() || used + cost > budget {
            chunks.push(Vec::new());
            used = 0;
        }
        used += cost;
        if let Some(last) = chunks.last_mut() {
            last.push((name.clone(), text));
        }
    }
    if chunks.is_empty() {
        chunks.push(Vec::new());
    }
    chunks
}

/// The question, then each answer under its name.
fn prompt(question: &str, answers: &[(String, String)]) -> String {
    let mut prompt = format!(
        "{question}\n\nAnswer from these {} answers, one per section:\n",
        answers.len()
    );
    for (name, text) in answers {
        prompt.push_str(&format!("\n## {name}\n{}\n", text.trim_end()));
    }
    prompt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_grouped_within_the_budget_in_order() {
        let answers: Vec<(String, String)> =
            (0..5).map(|i| (format!("n{i}"), "x".repeat(30))).collect();
        // Each costs 13 (10 for its text, 1 for its name, 2 for the framing): two fit in 26.
        let chunks = chunk(&answers, 26);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
        assert_eq!(chunks[2][0].0, "n4");
        assert_eq!(chunk(&answers, u64::MAX).len(), 1);
    }
}
