//! Scripts: how a job moves through queued -> processing -> completed | error, and what it holds
//! when it gets there.

use std::time::Duration;

use serde_json::Value;

/// The life of one transcription job, chosen when the job is created.
///
/// The create response always says `queued`; the script decides what each later GET sees.
/// The default is `Script::after_polls(0, 1)` with the spec's example transcript: the first GET
/// sees `processing`, the second `completed`.
#[derive(Clone, Debug)]
pub struct Script {
    timing: Timing,
    /// The `error` message the job ends with, or `None` to complete.
    pub(super) failure: Option<String>,
    pub(super) content: Content,
    pub(super) redacted_audio_polls: u32,
}

#[derive(Clone, Debug)]
enum Timing {
    Polls { queued: u32, processing: u32 },
    Time(Duration),
    Never,
}

/// What a completed transcript holds.
#[derive(Clone, Debug)]
pub(super) enum Content {
    /// `components.schemas.Transcript.example` from the spec.
    Example,
    /// The caller's JSON object.
    Custom(Value),
    /// A generated transcript of this many words.
    Words(usize),
}

/// Where a job is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stage {
    Queued,
    Processing,
    /// Completed, or failed if the script says so.
    Done,
}

impl Script {
    /// The first `queued` GETs see `queued`, the next `processing` GETs see `processing`, and every
    /// GET after that sees the end state. `after_polls(0, 0)` is done at the first GET.
    pub fn after_polls(queued: u32, processing: u32) -> Script {
        Script::with_timing(Timing::Polls { queued, processing })
    }

    /// Time-based, counted from the create request: `queued` for the first tenth of `total`,
    /// then `processing`, done once `total` has passed (benchmarks: "completes after 5 s").
    pub fn after(total: Duration) -> Script {
        Script::with_timing(Timing::Time(total))
    }

    /// `processing` forever, for timeouts and cancellation.
    pub fn never() -> Script {
        Script::with_timing(Timing::Never)
    }

    /// Fails at the first GET: status `error` with `error: message`. Use [`Script::failing`] to
    /// fail after some polls or some time instead.
    pub fn fail(message: &str) -> Script {
        Script::after_polls(0, 0).failing(message)
    }

    /// Ends in status `error` with `error: message` instead of completing, on the same timing.
    pub fn failing(mut self, message: &str) -> Script {
        self.failure = Some(message.to_string());
        self
    }

    /// Completes with this transcript instead of the spec's example. Its fields are laid under the
    /// job's own: `id`, `status` and the parameters the create request sent always come from the job.
    pub fn with_transcript(mut self, transcript: Value) -> Script {
        self.content = Content::Custom(transcript);
        self
    }

    /// Completes with a generated transcript of `words` words: sentences of 8 to 15 words, an
    /// utterance change (speakers A and B alternating) at the first sentence end after 20 words,
    /// and `text` equal to the words' texts joined by single spaces. 100,000 words is about 18 MB
    /// of JSON, built once per job at its first completed GET.
    pub fn with_words(mut self, words: usize) -> Script {
        self.content = Content::Words(words);
        self
    }

    /// GET .../redacted-audio answers 202 (not ready) this many times before the URL; default 0.
    pub fn redacted_audio_after(mut self, polls: u32) -> Script {
        self.redacted_audio_polls = polls;
        self
    }

    fn with_timing(timing: Timing) -> Script {
        Script {
            timing,
            failure: None,
            content: Content::Example,
            redacted_audio_polls: 0,
        }
    }

    /// The stage a job is in after `polls` GETs (0: none yet) and `elapsed` since its creation.
    pub(super) fn stage(&self, polls: u32, elapsed: Duration) -> Stage {
        match self.timing {
            Timing::Polls { queued, .. } if polls <= queued => Stage::Queued,
            Timing::Polls { queued, processing } if polls - queued <= processing => {
                Stage::Processing
            }
            Timing::Polls { .. } => Stage::Done,
            Timing::Time(total) if elapsed >= total => Stage::Done,
            Timing::Time(total) if elapsed >= total / 10 => Stage::Processing,
            Timing::Time(_) => Stage::Queued,
            Timing::Never => Stage::Processing,
        }
    }
}

impl Default for Script {
    fn default() -> Script {
        Script::after_polls(0, 1)
    }
}
