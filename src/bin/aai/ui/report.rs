//! The readable text of a transcript: its text, then a section for each
//! audio-intelligence result that was requested.

use std::fmt::Write;

use std::collections::BTreeMap;

use assemblyai::{
    AutoHighlightsResult, ContentSafetyLabelsResult, Entity, SentimentAnalysisResult,
    TopicDetectionModelResult, Transcript, TranscriptRequest, Utterance,
};

use crate::render::clock;

/// How many entries a section lists before saying how many more there are:
/// a report is for reading, `--json` has everything.
const MAX_LISTED: usize = 20;

/// Which audio-intelligence results to show: those asked for. A result
/// nobody asked for is noise, and `text` must stay the text for scripts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked {
    highlights: bool,
    entities: bool,
    sentiment: bool,
    content_safety: bool,
    topics: bool,
    chapters: bool,
    summary: bool,
}

impl Asked {
    /// What this run's request asked for (`aai transcribe`).
    #[allow(deprecated)] // chapters and summaries are deprecated, still asked for
    pub fn by(request: &TranscriptRequest) -> Asked {
        let r = request;
        Asked::from_flags([
            r.auto_highlights,
            r.entity_detection,
            r.sentiment_analysis,
            r.content_safety,
            r.iab_categories,
            r.auto_chapters,
            r.summarization,
        ])
    }

    /// What the transcript says it was asked for: the API echoes each flag
    /// (`aai wait`, `aai export`, which never saw the request).
    #[allow(deprecated)] // chapters and summaries are deprecated, still asked for
    pub fn echoed_by(transcript: &Transcript) -> Asked {
        let t = transcript;
        Asked::from_flags([
            t.auto_highlights,
            t.entity_detection,
            t.sentiment_analysis,
            t.content_safety,
            t.iab_categories,
            t.auto_chapters,
            t.summarization,
        ])
    }

    /// The flags in the order of the fields.
    fn from_flags(flags: [Option<bool>; 7]) -> Asked {
        let [
            highlights,
            entities,
            sentiment,
            content_safety,
            topics,
            chapters,
            summary,
        ] = flags.map(|flag| flag == Some(true));
        Asked {
            highlights,
            entities,
            sentiment,
            content_safety,
            topics,
            chapters,
            summary,
        }
    }
}

/// A result, when it was asked for.
fn wanted<T>(asked: bool, result: &Option<T>) -> Option<&T> {
    result.as_ref().filter(|_| asked)
}

/// The transcript text followed by the results that were asked for.
pub fn text(transcript: &Transcript, asked: Asked) -> String {
    let t = transcript;
    let mut out = t.text.clone().unwrap_or_default();
    out.push('\n');
    if let Some(result) = wanted(asked.highlights, &t.auto_highlights_result) {
        highlights(&mut out, result);
    }
    if let Some(found) = wanted(asked.entities, &t.entities) {
        entities(&mut out, found);
    }
    if let Some(results) = wanted(asked.sentiment, &t.sentiment_analysis_results) {
        sentiment(&mut out, results);
    }
    if let Some(result) = wanted(asked.content_safety, &t.content_safety_labels) {
        content_safety(&mut out, result);
    }
    if let Some(result) = wanted(asked.topics, &t.iab_categories_result) {
        topics(&mut out, result);
    }
    if let Some(texts) = &t.translated_texts {
        translations(&mut out, texts);
    }
    // Speech Understanding results come back only when asked for: shown
    // whenever present, as --format summary and action-items print them.
    let understood = [
        ("Summary", crate::understanding::summary(t)),
        ("Action items", crate::understanding::action_items(t)),
    ];
    for (title, section) in understood {
        if let Some(section) = section.filter(|s| !s.trim().is_empty()) {
            heading(&mut out, title);
            for line in section.lines().filter(|line| !line.is_empty()) {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    deprecated_results(&mut out, t, asked);
    out
}

/// One line per utterance, `[HH:MM:SS] Speaker: text`, with identified
/// speaker names in place of `A`, `B` when speaker identification ran.
pub fn utterances(transcript: &Transcript, utterances: &[Utterance]) -> String {
    let names = speaker_names(transcript);
    let mut out = String::new();
    for utterance in utterances {
        let speaker = names
            .and_then(|names| names.get(&utterance.speaker))
            .unwrap_or(&utterance.speaker);
        let _ = writeln!(
            out,
            "[{}] {speaker}: {}",
            clock(utterance.start),
            utterance.text
        );
    }
    out
}

fn speaker_names(transcript: &Transcript) -> Option<&BTreeMap<String, String>> {
    transcript
        .speech_understanding
        .as_ref()?
        .response
        .as_ref()?
        .speaker_identification
        .as_ref()?
        .mapping
        .as_ref()
}

fn heading(out: &mut String, title: &str) {
    let _ = write!(out, "\n{title}:\n");
}

/// Closes a section that listed `shown` of `total` entries.
fn more(out: &mut String, shown: usize, total: usize) {
    if total > shown {
        let _ = writeln!(out, "  ... and {} more (see --json)", total - shown);
    }
}

fn highlights(out: &mut String, result: &AutoHighlightsResult) {
    heading(out, "Highlights");
    let mut ranked: Vec<_> = result.results.iter().collect();
    ranked.sort_by(|a, b| b.rank.total_cmp(&a.rank));
    for highlight in ranked.iter().take(MAX_LISTED) {
        let _ = writeln!(
            out,
            "  {} ({}x, rank {:.2})",
            highlight.text, highlight.count, highlight.rank
        );
    }
    more(out, MAX_LISTED, ranked.len());
}

fn entities(out: &mut String, entities: &[Entity]) {
    heading(out, "Entities");
    for entity in entities.iter().take(MAX_LISTED) {
        let _ = writeln!(
            out,
            "  [{}] {}: {}",
            clock(entity.start),
            entity.entity_type,
            entity.text
        );
    }
    more(out, MAX_LISTED, entities.len());
}

fn sentiment(out: &mut String, results: &[SentimentAnalysisResult]) {
    heading(out, "Sentiment");
    for result in results.iter().take(MAX_LISTED) {
        let speaker = result
            .speaker
            .as_deref()
            .map(|s| format!(" {s}:"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  [{}] {:<8}{speaker} {}",
            clock(result.start),
            result.sentiment,
            excerpt(&result.text)
        );
    }
    more(out, MAX_LISTED, results.len());
}

fn content_safety(out: &mut String, result: &ContentSafetyLabelsResult) {
    heading(out, "Content safety");
    if result.summary.is_empty() {
        out.push_str("  nothing flagged\n");
    }
    for (label, score) in by_score(&result.summary) {
        let _ = writeln!(out, "  {label}: {score:.2}");
    }
    for flagged in result.results.iter().take(MAX_LISTED) {
        let labels: Vec<_> = flagged.labels.iter().map(|l| l.label.as_str()).collect();
        let _ = writeln!(
            out,
            "  [{}] ({}) {}",
            clock(flagged.timestamp.start),
            labels.join(", "),
            excerpt(&flagged.text)
        );
    }
    more(out, MAX_LISTED, result.results.len());
}

fn topics(out: &mut String, result: &TopicDetectionModelResult) {
    heading(out, "Topics");
    let ranked = by_score(&result.summary);
    for (label, relevance) in ranked.iter().take(MAX_LISTED) {
        let _ = writeln!(out, "  {label} ({relevance:.2})");
    }
    more(out, MAX_LISTED, ranked.len());
}

fn translations(out: &mut String, texts: &BTreeMap<String, String>) {
    for (language, text) in texts {
        heading(out, &format!("Translation ({language})"));
        let _ = writeln!(out, "  {text}");
    }
}

/// Chapters and summaries are deprecated by the API but still returned to
/// those who ask for them.
#[allow(deprecated)]
fn deprecated_results(out: &mut String, transcript: &Transcript, asked: Asked) {
    if let Some(chapters) = wanted(asked.chapters, &transcript.chapters) {
        heading(out, "Chapters");
        for chapter in chapters {
            let _ = writeln!(
                out,
                "  [{}-{}] {}",
                clock(chapter.start),
                clock(chapter.end),
                chapter.headline
            );
        }
    }
    let summary = transcript.summary.as_deref().filter(|_| asked.summary);
    if let Some(summary) = summary.filter(|s| !s.is_empty()) {
        heading(out, "Summary");
        for line in summary.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
}

/// Labels by decreasing score.
fn by_score(scores: &BTreeMap<String, f64>) -> Vec<(&String, f64)> {
    let mut ranked: Vec<_> = scores
        .iter()
        .map(|(label, score)| (label, *score))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked
}

/// The start of a long passage: a section line should fit a screen.
fn excerpt(text: &str) -> String {
    const LONGEST: usize = 100;
    match text.char_indices().nth(LONGEST) {
        Some((cut, _)) => format!("{}...", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}
