//! Many recordings in one run: concurrent, within the account's rate limit,
//! resumable after a crash, each billed once, shardable across machines.
//!
//! The parts, each on the same [`Client`] as single jobs:
//!
//! - `source`: files, directories walked for recordings, URLs; output names.
//! - `fingerprint`: a recording's identity by its content.
//! - `shard`: a stable share of the sources by a hash of their key, and the
//!   share a scheduler (Slurm, Kubernetes, AWS Batch) gives a task.
//! - `claims`: exactly once per source: each source claimed in the output
//!   directory before anything is paid for, the claim its journal.
//! - `lease`: which runs sharing the directory are alive, by heartbeat.
//! - `journal`: the records a claim holds (and the per-shard journals of
//!   earlier versions, still honoured).
//! - `plan`: each source's plan from its claim; sources other runs hold.
//! - `poll`: one thread watching every job through list pages.
//! - `run`: the threads, deliveries, outcomes.
//! - `submit`: uploads and creates, and creates of unknown outcome resolved
//!   by evidence.
//! - `leftovers`: what killed runs left behind, cleaned.
//! - `outcome`: outcomes, failures, counts and events.
//!
//! The request budget every thread shares is the core's [`RateLimiter`].
//!
//! ```no_run
//! use std::fs::File;
//! use assemblyai::batch::{Batch, Sources};
//! use assemblyai::{Client, RateLimiter, TranscriptRequest};
//!
//! let client = Client::builder_from_env().rate_limiter(RateLimiter::documented()).build()?;
//! let sources = Sources::collect(["recordings/"])?.sources;
//! let mut request = TranscriptRequest::default();
//! request.speaker_labels = Some(true);
//! let report = Batch::new(&client, "transcripts")
//!     .request(request)
//!     .outputs(["json"])
//!     .run(&sources, &|delivery| {
//!         let mut file = File::create(&delivery.outputs[0])?;
//!         delivery.client.download_transcript_json(delivery.transcript_id, &mut file)?;
//!         Ok(())
//!     }, &|_event| {})?;
//! println!("{} failed", report.failed().count());
//! # Ok::<(), assemblyai::Error>(())
//! ```

mod ask; // the question step: one LLM Gateway answer per transcript
mod claims;
mod fingerprint;
mod journal;
mod lease;
mod leftovers;
mod outcome;
mod plan;
mod poll;
mod reduce; // one answer over all answers, chunked to the model's context
mod run;
mod shard;
mod source;
mod status;
mod submit;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The limiter every request of a batch shares; it lives in the core
/// client, and is named here too for code written before it moved.
pub use crate::RateLimiter;
pub use ask::{Answered, Ask};
pub use reduce::reduce;
// Named for what they are about, so that none shares a name with the core's
// `Event` or a status of a transcript: a batch's events, a source's status
// and failure.
pub use outcome::{
    Counts, Event as BatchEvent, Failure as SourceFailure, FailureKind, Outcome,
    Status as SourceStatus,
};
pub use shard::Shard;
pub use source::{RECORDING_EXTENSIONS, Source, Sources};
pub use status::read_status;

use crate::{Client, Transcript, TranscriptRequest};

/// The default bound on transcripts in flight. The API runs as many as the
/// account's concurrency allows (200 on paid plans) and queues the rest,
/// marked `throttled`, which is not an error; a thousand keeps that queue fed
/// while the watcher sees them all in five list pages.
pub const DEFAULT_JOBS: usize = 1000;
/// The default bound on uploads at once: enough to fill the link without
/// holding many files open.
pub const DEFAULT_UPLOADS: usize = 8;
/// Threads writing outputs (each fetches a transcript or an export).
const DELIVERERS: usize = 16;

/// What a batch hands to its delivery function for each completed
/// transcript: write `outputs` (files in the output directory, one per
/// format given to [`Batch::outputs`]), fetching what they need with
/// `client`.
#[non_exhaustive]
pub struct Delivery<'a> {
    /// The batch's client (its rate limit included).
    pub client: &'a Client,
    /// The source transcribed.
    pub source: &'a Source,
    /// Its completed transcript.
    pub transcript_id: &'a str,
    /// The transcript: always there since the report takes the model and
    /// warnings from it (an `Option` so that the type stays as it was).
    pub transcript: Option<&'a Transcript>,
    /// The files to write, their directories already made; each must appear
    /// whole or not at all (written under a temporary name beside it,
    /// `.NAME.<16 hex digits>.tmp`, then renamed: a temporary a killed run
    /// leaves is removed by the run that delivers its source next).
    pub outputs: &'a [PathBuf],
}

/// The delivery function of [`Batch::run`].
pub type Deliver = dyn Fn(&Delivery<'_>) -> Result<(), SourceFailure> + Send + Sync;

/// The outcome of a run.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report {
    /// Every source of the shard, in input order.
    pub outcomes: Vec<Outcome>,
    /// The final counts.
    pub counts: Counts,
}

impl Report {
    /// The sources that failed, now or before.
    pub fn failed(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|outcome| !outcome.succeeded())
    }
}

/// A batch of transcriptions into one output directory.
///
/// Each source is claimed in the output directory before anything is paid
/// for, so any number of runs sharing it (shards, duplicates, reruns with
/// another shard count) make one transcript per source. A run reads each
/// source's claim first: sources done are skipped without a request,
/// transcripts created are waited on by id, a create whose outcome is
/// unknown is resolved by evidence (a job the list proves ours is adopted;
/// one that only may be ours leaves it open and reported), failed sources
/// are kept unless [`retry_failed`](Self::retry_failed), and a file whose
/// content changed is transcribed again.
#[must_use]
pub struct Batch {
    client: Client,
    out_dir: PathBuf,
    request: TranscriptRequest,
    suffixes: Vec<String>,
    jobs: usize,
    uploads: usize,
    shard: Shard,
    retry_failed: bool,
    lease: Duration,
}

impl Batch {
    /// A batch writing into `out_dir` with `client`, whose rate limiter (see
    /// [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter))
    /// every request of the run shares.
    pub fn new(client: &Client, out_dir: impl AsRef<Path>) -> Batch {
        Batch {
            client: client.clone(),
            out_dir: out_dir.as_ref().to_owned(),
            request: TranscriptRequest::default(),
            suffixes: vec!["txt".to_owned()],
            jobs: DEFAULT_JOBS,
            uploads: DEFAULT_UPLOADS,
            shard: Shard::whole(),
            retry_failed: false,
            lease: lease::DEFAULT_LEASE,
        }
    }

    /// The options of every transcript (`audio_url` is each source's).
    /// Defaults to [`TranscriptRequest::default`].
    pub fn request(mut self, request: TranscriptRequest) -> Self {
        self.request = request;
        self
    }

    /// The extensions of each source's outputs, e.g. `["txt", "srt"]`:
    /// `DIR/<stem>.<ext>` each. Defaults to `["txt"]`.
    pub fn outputs<S: Into<String>>(mut self, suffixes: impl IntoIterator<Item = S>) -> Self {
        self.suffixes = suffixes.into_iter().map(Into::into).collect();
        self
    }

    /// The most transcripts in flight (created, not finished). Defaults to
    /// [`DEFAULT_JOBS`].
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs.max(1);
        self
    }

    /// The most uploads at once. Defaults to [`DEFAULT_UPLOADS`].
    pub fn uploads(mut self, uploads: usize) -> Self {
        self.uploads = uploads.max(1);
        self
    }

    /// The share of the sources this run takes. Defaults to [`Shard::whole`].
    pub fn shard(mut self, shard: Shard) -> Self {
        self.shard = shard;
        self
    }

    /// Whether sources that failed in an earlier run are tried again.
    /// Defaults to `false`: they are reported as failed before.
    pub fn retry_failed(mut self, retry: bool) -> Self {
        self.retry_failed = retry;
        self
    }

    /// How long a run sharing the output directory may go without renewing
    /// its lease before the sources it holds are taken over. Each run
    /// renews its own every sixth of it, and sends no create later than
    /// half a lease after its last renewal. Defaults to 30 seconds.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_millis(60));
        self
    }

    /// The outputs of `source`: `out_dir/<stem>.<ext>` for each extension.
    pub fn output_paths(&self, source: &Source) -> Vec<PathBuf> {
        self.suffixes
            .iter()
            .map(|ext| self.out_dir.join(format!("{}.{ext}", source.stem())))
            .collect()
    }
}
