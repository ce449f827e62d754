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
    Polls {
        queued: u32,
        processing: u32,
    },
    Time(Duration),
    /// Time-based, each job's total drawn from this range when it is created.
    Between(Duration, Duration),
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
    /// These words spoken at a natural pace (over the recording's duration when known).
    Text(String),
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

    /// Time-based like [`Script::after`], but each job's total is drawn between `min` and `max`
    /// when it is created, so jobs created together finish at different times and out of order.
    /// The draws follow the order of creation and are the same on every run.
    pub fn after_between(min: Duration, max: Duration) -> Script {
        Script::with_timing(Timing::Between(min.min(max), max.max(min)))
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

    /// Completes with `text` as what was said: words at a natural pace, over the uploaded
    /// WAV's duration when the emulator is realistic (repeated or cut to fit), with speakers
    /// and utterances when the request asked for `speaker_labels`.
    pub fn with_text(mut self, text: &str) -> Script {
        self.content = Content::Text(text.to_string());
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

    /// This script for the `seq`-th job created (0-based): a varying total fixed to its draw.
    pub(super) fn for_job(&self, seq: u64) -> Script {
        let mut script = self.clone();
        if let Timing::Between(min, max) = self.timing {
            let draw = super::hash::fnv1a64(&seq.to_le_bytes()) % 10_001;
            script.timing = Timing::Time(min + (max - min).mul_f64(draw as f64 / 10_000.0));
        }
        script
    }

    /// How long after its start a time-based job is done; `None` for the other timings.
    pub(super) fn total(&self) -> Option<Duration> {
        match self.timing {
            Timing::Time(total) => Some(total),
            _ => None,
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
            // `for_job` fixes the total at creation; a bare range is read as its middle.
            Timing::Between(min, max) => {
                Script::with_timing(Timing::Time((min + max) / 2)).stage(polls, elapsed)
            }
            Timing::Never => Stage::Processing,
        }
    }
}

impl Default for Script {
    fn default() -> Script {
        Script::after_polls(0, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varying_totals_are_drawn_within_the_range_differ_and_repeat_per_job() {
        let (min, max) = (Duration::from_secs(2), Duration::from_secs(9));
        let script = Script::after_between(min, max);
        let totals: Vec<Duration> = (0..20)
            .map(|n| script.for_job(n).total().unwrap())
            .collect();
        assert!(totals.iter().all(|t| (min..=max).contains(t)), "{totals:?}");
        let mut distinct = totals.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 15, "{totals:?}");
        assert_eq!(script.for_job(7).total(), Some(totals[7]));
    }
}
