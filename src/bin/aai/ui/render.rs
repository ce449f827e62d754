//! How a finished transcript is printed: `--format` and `--json`.

use std::str::FromStr;

use assemblyai::{Client, SubtitleFormat, Transcript, TranscriptRequest};
use serde::Serialize;

use crate::cli::Args;
use crate::failure::{CliResult, Failure, Kind};
use crate::output::Output;
use crate::report;

/// The `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Srt,
    Vtt,
    Sentences,
    Paragraphs,
    Utterances,
    /// The summary of Speech Understanding, by topic.
    Summary,
    /// The action items of Speech Understanding.
    ActionItems,
    Id,
}

/// The `--format` values, in the order messages and completions list them.
pub const FORMAT_NAMES: &[&str] = &[
    "text",
    "json",
    "srt",
    "vtt",
    "sentences",
    "paragraphs",
    "utterances",
    "summary",
    "action-items",
    "id",
];

impl Format {
    /// The name `--format` takes for it (from [`FORMAT_NAMES`]).
    pub fn name(self) -> &'static str {
        FORMAT_NAMES
            .iter()
            .copied()
            .find(|name| name.parse::<Format>() == Ok(self))
            .unwrap_or("text")
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Ok(match text {
            "text" => Format::Text,
            "json" => Format::Json,
            "srt" => Format::Srt,
            "vtt" => Format::Vtt,
            "sentences" => Format::Sentences,
            "paragraphs" => Format::Paragraphs,
            "utterances" => Format::Utterances,
            "summary" => Format::Summary,
            "action-items" => Format::ActionItems,
            "id" => Format::Id,
            _ => {
                return Err(format!(
                    "unknown value \"{text}\"; expected one of: {}",
                    FORMAT_NAMES.join(", ")
                ));
            }
        })
    }
}

/// What to print and where.
pub struct Presentation {
    format: Format,
    chars_per_caption: Option<u32>,
    output: Output,
    /// The results the text report shows, when the run knows its request;
    /// otherwise the transcript's echo of its flags decides.
    asked: Option<report::Asked>,
}

impl Presentation {
    /// `--format`, `--json` (same as `--format json`), `--chars-per-caption`, `-o`.
    pub fn parse(args: &mut Args) -> CliResult<Presentation> {
        let json = args.flag("--json");
        let format = args.value::<Format>("--format")?;
        let format = match (json, format) {
            (true, Some(other)) if other != Format::Json => {
                return Err(Failure::usage("--json and --format are exclusive; use one"));
            }
            (true, _) => Format::Json,
            (false, Some(format)) => format,
            (false, None) => crate::config::load()?.format().unwrap_or(Format::Text),
        };
        if format == Format::Json {
            // Errors and events are JSON too, as with --json.
            crate::notice::set_json(true);
        }
        let chars_per_caption =
            args.value_with("--chars-per-caption", |text| match text.parse::<u32>() {
                Ok(chars) if chars > 0 => Ok(chars),
                _ => Err(format!(
                    "expected a number of characters above 0, got \"{text}\""
                )),
            })?;
        if chars_per_caption.is_some() && !matches!(format, Format::Srt | Format::Vtt) {
            return Err(Failure::usage(
                "--chars-per-caption goes with --format srt or vtt",
            ));
        }
        let output = Output::from_flag(args.path(["-o", "--output"])?);
        Ok(Presentation {
            format,
            chars_per_caption,
            output,
            asked: None,
        })
    }

    /// `--json` and `-o` alone: how `aai submit` prints the job it created
    /// (its id, or with `--json` the object).
    pub fn for_created(args: &mut Args) -> CliResult<Presentation> {
        let format = match args.flag("--json") {
            true => Format::Json,
            false => Format::Id,
        };
        let output = Output::from_flag(args.path(["-o", "--output"])?);
        Ok(Presentation {
            format,
            chars_per_caption: None,
            output,
            asked: None,
        })
    }

    /// Where the product goes.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Checks the output file before any request, so a job is not lost to it.
    pub fn check(&self) -> CliResult {
        self.output.check_writable()
    }

    /// Refuses, before anything is sent, a job that could not be printed in
    /// the chosen format: utterances exist only when speakers or channels
    /// are told apart, and finding that out after a paid-for job is too late.
    pub fn check_request(&self, request: &TranscriptRequest) -> CliResult {
        let separates_speakers =
            request.speaker_labels == Some(true) || request.multichannel == Some(true);
        if self.format == Format::Utterances && !separates_speakers {
            return Err(Failure::usage(
                "--format utterances needs --speaker-labels (or --multichannel): \
                 without them the transcript has no utterances",
            )
            .with_hint("add --speaker-labels"));
        }
        let tasks = request.speech_understanding.as_ref().map(|su| &su.request);
        if self.format == Format::Summary && tasks.and_then(|t| t.summarization.as_ref()).is_none()
        {
            return Err(Failure::usage(
                "--format summary needs --summarize paragraph|bullets: \
                 without it the transcript has no summary",
            )
            .with_hint("add --summarize bullets"));
        }
        if self.format == Format::ActionItems
            && tasks.and_then(|t| t.action_items.as_ref()).is_none()
        {
            return Err(Failure::usage(
                "--format action-items needs --action-items: \
                 without it the transcript has no action items",
            )
            .with_hint("add --action-items"));
        }
        Ok(())
    }

    /// Whether the product is JSON: the server's text is kept to print it
    /// losslessly, and stderr speaks JSON too.
    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// Prints a job just started: its id, or the object with `--json`.
    pub fn created(&self, transcript: &Transcript) -> CliResult {
        let bytes = match self.format {
            Format::Json => transcript_json(transcript),
            _ => format!("{}\n", crate::visible::one_line(&transcript.id)).into_bytes(),
        };
        self.output.write(&bytes)
    }

    /// Shows in the text report the results `request` asked for, rather than
    /// those the transcript says were asked for.
    pub fn for_request(&mut self, request: &TranscriptRequest) {
        self.asked = Some(report::Asked::by(request));
    }

    /// Whether the format is made from the transcript object itself, rather
    /// than from an export endpoint (subtitles, sentences, paragraphs).
    pub fn needs_transcript(&self) -> bool {
        matches!(
            self.format,
            Format::Text
                | Format::Json
                | Format::Utterances
                | Format::Summary
                | Format::ActionItems
                | Format::Id
        )
    }

    /// Prints a transcript in `format` to `output`, with what its own echo
    /// says was asked: `aai get ID --format FORMAT`.
    pub fn of_format(format: Format, output: Output) -> Presentation {
        Presentation {
            format,
            chars_per_caption: None,
            output,
            asked: None,
        }
    }

    /// Prints in `format` to the file `path` (atomically), showing in the text
    /// report what `request` asked for: one output of `aai batch`.
    pub fn to_file(
        format: Format,
        chars_per_caption: Option<u32>,
        path: std::path::PathBuf,
        request: &TranscriptRequest,
    ) -> Presentation {
        Presentation {
            format,
            chars_per_caption,
            output: Output::File(path),
            asked: Some(report::Asked::by(request)),
        }
    }

    /// Prints a completed transcript in the chosen format.
    pub fn finished(&self, client: &Client, transcript: &Transcript) -> CliResult {
        self.print(client, &transcript.id, Some(transcript))
    }

    /// Prints transcript `id` in the chosen format; `transcript` is needed
    /// only when [`needs_transcript`](Self::needs_transcript) says so.
    pub fn print(&self, client: &Client, id: &str, transcript: Option<&Transcript>) -> CliResult {
        let keep_id = |mut failure: Failure| {
            failure.transcript_id = Some(id.to_owned());
            failure
        };
        let bytes = self.render(client, id, transcript).map_err(keep_id)?;
        self.output.write(&bytes).map_err(|failure| {
            keep_id(failure).with_hint(format!(
                "the transcript is complete; fetch it again with: aai wait {id} -o FILE"
            ))
        })
    }

    fn render(
        &self,
        client: &Client,
        id: &str,
        transcript: Option<&Transcript>,
    ) -> CliResult<Vec<u8>> {
        let transcript = || {
            // A caller's mistake (see `needs_transcript`), never the user's.
            transcript.ok_or_else(|| {
                Failure::new(Kind::Internal, "internal: this format needs the transcript")
            })
        };
        Ok(match self.format {
            Format::Text => {
                let transcript = transcript()?;
                let asked = self
                    .asked
                    .unwrap_or_else(|| report::Asked::echoed_by(transcript));
                report::text(transcript, asked).into_bytes()
            }
            Format::Json => transcript_json(transcript()?),
            Format::Id => format!("{}\n", crate::visible::one_line(id)).into_bytes(),
            Format::Srt | Format::Vtt => {
                let format = if self.format == Format::Srt {
                    SubtitleFormat::Srt
                } else {
                    SubtitleFormat::Vtt
                };
                client
                    .get_subtitles(id, format, self.chars_per_caption)?
                    .into_bytes()
            }
            Format::Sentences => {
                let sentences = client.get_sentences(id)?.sentences;
                lines(
                    sentences
                        .iter()
                        .map(|s| (s.start, s.speaker.as_deref(), s.text.as_str())),
                )
            }
            Format::Paragraphs => {
                let paragraphs = client.get_paragraphs(id)?.paragraphs;
                let mut out = String::new();
                for paragraph in &paragraphs {
                    out.push_str(&paragraph.text);
                    out.push_str("\n\n");
                }
                out.truncate(out.trim_end().len());
                out.push('\n');
                out.into_bytes()
            }
            Format::Utterances => {
                let transcript = transcript()?;
                let utterances = transcript.utterances.as_deref().unwrap_or_default();
                if utterances.is_empty() {
                    // Not a usage error: a request was made, maybe a paid-for
                    // job ran. Like an export the API refuses, the transcript
                    // can't give what was asked; its text can still be had.
                    return Err(Failure::new(
                        Kind::Api,
                        format!(
                            "transcript {id} has no utterances: they come only with \
                             --speaker-labels (or --multichannel) and speech in the audio"
                        ),
                    )
                    .about(Some(id))
                    .with_hint(format!(
                        "its text is kept: aai export {id} prints it; \
                         for utterances, transcribe again with --speaker-labels"
                    )));
                }
                report::utterances(transcript, utterances).into_bytes()
            }
            Format::Summary => {
                let transcript = transcript()?;
                crate::understanding::summary(transcript)
                    .ok_or_else(|| missing_result(id, "summary", "--summarize bullets"))?
                    .into_bytes()
            }
            Format::ActionItems => {
                let transcript = transcript()?;
                crate::understanding::action_items(transcript)
                    .ok_or_else(|| missing_result(id, "action items", "--action-items"))?
                    .into_bytes()
            }
        })
    }
}

/// A finished transcript without the Speech Understanding result a format
/// shows. Not a usage error: a paid-for job ran, and its text can still be
/// had; the task's own status was shown as a warning when it failed.
fn missing_result(id: &str, what: &str, flag: &str) -> Failure {
    Failure::new(
        Kind::Api,
        format!(
            "transcript {id} has no {what}: it comes only with {flag} and a task that succeeded"
        ),
    )
    .about(Some(id))
    .with_hint(format!(
        "its text is kept: aai export {id} prints it; for {what}, transcribe again with {flag}"
    ))
}

/// One line per item: `[00:01:02] A: text`.
fn lines<'a>(items: impl Iterator<Item = (i64, Option<&'a str>, &'a str)>) -> Vec<u8> {
    let mut out = String::new();
    for (start, speaker, text) in items {
        out.push_str(&format!("[{}]", clock(start)));
        if let Some(speaker) = speaker.filter(|s| !s.is_empty()) {
            out.push_str(&format!(" {speaker}:"));
        }
        out.push(' ');
        out.push_str(text);
        out.push('\n');
    }
    out.into_bytes()
}

/// Milliseconds as `HH:MM:SS`.
pub fn clock(milliseconds: i64) -> String {
    let seconds = milliseconds.max(0) / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The transcript as the server sent it when kept, else re-serialized.
pub fn transcript_json(transcript: &Transcript) -> Vec<u8> {
    kept_json(transcript.raw_json(), transcript)
}

/// A reply as the server sent it when its text was kept (`--json` builds the
/// client to keep it), else re-serialized: the typed value has coerced and
/// dropped what didn't fit, the text has everything.
pub fn kept_json(raw: Option<&str>, value: &impl Serialize) -> Vec<u8> {
    match raw {
        Some(raw) => {
            let mut bytes = raw.trim_end().as_bytes().to_vec();
            bytes.push(b'\n');
            bytes
        }
        None => json(value),
    }
}

/// Any value as one line of JSON, with a final newline.
pub fn json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec());
    bytes.push(b'\n');
    bytes
}
