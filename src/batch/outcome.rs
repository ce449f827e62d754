//! What a batch reports: each source's outcome, failures by class, the
//! running counts, and the events a caller watches.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Source;
use crate::Error;

// The classes live in the core, beside the error they classify: a plain
// `get` needs them as much as a batch does.
pub use crate::FailureKind;

/// Why one source failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Failure {
    /// The class of the failure.
    pub kind: FailureKind,
    /// What went wrong, with its causes.
    pub message: String,
}

impl Failure {
    /// A failure of `kind` saying `message`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }
}

impl From<&Error> for Failure {
    fn from(error: &Error) -> Failure {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !message.ends_with(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        Failure::new(FailureKind::of(error), message)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::from(&error)
    }
}

/// What became of one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Transcribed (or fetched) by this run; its outputs are written.
    Done,
    /// Done by an earlier run, with its outputs in place: nothing was sent.
    AlreadyDone,
    /// Failed in this run.
    Failed,
    /// Failed in an earlier run and not retried (see [`Batch::retry_failed`](super::Batch::retry_failed)).
    FailedBefore,
    /// Not reached: the run stopped first.
    NotRun,
    /// Started by a run that has not finished it (a transcript may be
    /// running): what `read_status` says of a source mid-way.
    Pending,
}

/// The outcome of one source, as the final report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Outcome {
    /// The source's place in the input, from 0.
    pub index: usize,
    /// The source's path or URL.
    pub source: String,
    /// What became of it.
    pub status: Status,
    /// Its transcript, when one exists: it is never left out.
    pub transcript_id: Option<String>,
    /// The outputs written, in the order of the formats.
    pub outputs: Vec<PathBuf>,
    /// Why it failed.
    pub failure: Option<Failure>,
    /// The file changed since an earlier run transcribed it, so it was
    /// transcribed again.
    pub changed: bool,
    /// The speech model that ran, as the transcript reported it: with no
    /// model chosen, the account's default decides, and this records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_model_used: Option<String>,
    /// What the server warned about the job ([`Transcript::warnings`](crate::Transcript::warnings)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Outcome {
    pub(crate) fn new(index: usize, source: &Source, status: Status) -> Outcome {
        Outcome {
            index,
            source: source.shown(),
            status,
            transcript_id: None,
            outputs: Vec::new(),
            failure: None,
            changed: false,
            speech_model_used: None,
            warnings: Vec::new(),
        }
    }

    /// Whether the source ended well (done now or before).
    pub fn succeeded(&self) -> bool {
        matches!(self.status, Status::Done | Status::AlreadyDone)
    }
}

/// The counts of a run, as progress shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Sources in this shard.
    pub total: usize,
    /// Done by this run.
    pub done: usize,
    /// Done by an earlier run and skipped.
    pub already_done: usize,
    /// Failed, in this run or (not retried) before.
    pub failed: usize,
    /// Transcripts created and not yet finished, plus uploads under way.
    pub in_flight: usize,
}

impl Counts {
    /// Sources not started yet.
    pub fn queued(&self) -> usize {
        self.total
            .saturating_sub(self.done + self.already_done + self.failed + self.in_flight)
    }
}

/// Something that happened in a batch, for progress displays and logs.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The run began: its lease file (removed when the run ends) is known,
    /// for a signal handler to remove it too, so the next run need not wait
    /// for it to lapse.
    Started {
        /// The lease file.
        lease: &'a std::path::Path,
    },
    /// The plan is made: what the journal says is done is known.
    Planned {
        /// The counts before any request.
        counts: Counts,
    },
    /// A transcript was created (or adopted) for a source.
    Submitted {
        /// The source.
        source: &'a Source,
        /// Its transcript.
        transcript_id: &'a str,
        /// The counts now.
        counts: Counts,
    },
    /// A source reached its outcome.
    Finished {
        /// The outcome.
        outcome: &'a Outcome,
        /// The counts now.
        counts: Counts,
    },
    /// A request will be retried, or the rate limit slowed the run.
    Warning {
        /// What happened.
        message: String,
    },
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Failure {
        Failure::new(
            FailureKind::Input,
            format!("cannot write an output: {error}"),
        )
    }
}
