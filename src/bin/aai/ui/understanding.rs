//! The results of Speech Understanding as text: `--format summary` and
//! `--format action-items`.

use std::fmt::Write as _;

use assemblyai::{SpeechUnderstandingResults, Transcript};

use crate::visible::one_line;

fn results(transcript: &Transcript) -> Option<&SpeechUnderstandingResults> {
    transcript.speech_understanding.as_ref()?.response.as_ref()
}

/// Each section of the summary as `[mm:ss] headline`, then its text, then
/// a blank line; `None` when the transcript has no summary.
pub fn summary(transcript: &Transcript) -> Option<String> {
    summary_of(results(transcript)?)
}

/// [`summary`] of results however they came (a transcript, or `aai understand`).
pub fn summary_of(results: &SpeechUnderstandingResults) -> Option<String> {
    let sections = results.summarization.as_ref()?.summary.as_ref()?;
    let mut out = String::new();
    for section in sections {
        let headline = section.headline.as_deref().unwrap_or_default();
        let _ = writeln!(
            out,
            "[{}] {}",
            minutes(section.start.unwrap_or(0)),
            one_line(headline)
        );
        for line in section.text.as_deref().unwrap_or_default().lines() {
            // Bullets come as lines of one text: each stays a line, made
            // visible like every other piece of server text.
            let _ = writeln!(out, "{}", one_line(line));
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    Some(out)
}

/// One action item a line: `[mm:ss] item  "quote"`; `None` when the
/// transcript has no action items.
pub fn action_items(transcript: &Transcript) -> Option<String> {
    action_items_of(results(transcript)?)
}

/// [`action_items`] of results however they came.
pub fn action_items_of(results: &SpeechUnderstandingResults) -> Option<String> {
    let items = results.action_items.as_ref()?.items.as_ref()?;
    let mut out = String::new();
    for item in items {
        let _ = write!(
            out,
            "[{}] {}",
            minutes(item.timestamp.unwrap_or(0)),
            one_line(item.action_item.as_deref().unwrap_or_default())
        );
        if let Some(quote) = item.quote.as_deref().filter(|q| !q.trim().is_empty()) {
            let _ = write!(out, "  \"{}\"", one_line(quote));
        }
        out.push('\n');
    }
    Some(out)
}

/// Milliseconds as `mm:ss`, minutes going past 59 for long audio.
fn minutes(milliseconds: i64) -> String {
    let seconds = milliseconds.max(0) / 1000;
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript(response: serde_json::Value) -> Transcript {
        serde_json::from_value(serde_json::json!({
            "id": "t1", "status": "completed",
            "speech_understanding": {"response": response}
        }))
        .unwrap()
    }

    #[test]
    fn summary_shows_each_section_with_its_start_and_headline() {
        let t = transcript(
            serde_json::json!({"summarization": {"status": "success", "summary": [
                {"start": 0, "end": 5000, "text": "- Smoke spreads.\n- Air is bad.", "headline": "Wildfires"},
                {"start": 4_503_000, "end": 4_600_000, "text": "Rain helps.", "headline": "Outlook"}
            ]}}),
        );
        assert_eq!(
            summary(&t).unwrap(),
            "[00:00] Wildfires\n- Smoke spreads.\n- Air is bad.\n\n[75:03] Outlook\nRain helps.\n"
        );
    }

    #[test]
    fn action_items_are_one_a_line_with_time_and_quote() {
        let t = transcript(serde_json::json!({"action_items": {"items": [
            {"action_item": "Send the report", "quote": "I'll send it", "timestamp": 61_000},
            {"action_item": "Call back\u{1b}[2J", "timestamp": null}
        ]}}));
        assert_eq!(
            action_items(&t).unwrap(),
            "[01:01] Send the report  \"I'll send it\"\n[00:00] Call back\\u001b[2J\n"
        );
    }

    #[test]
    fn no_result_is_none() {
        let t = transcript(serde_json::json!({"translation": {"status": "success"}}));
        assert_eq!(summary(&t), None);
        assert_eq!(action_items(&t), None);
    }
}
