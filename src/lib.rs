//! Turn speech recordings into text with [AssemblyAI](https://www.assemblyai.com)'s
//! speech-to-text API, from plain blocking Rust: no async runtime.
//!
//! # Quick start
//!
//! ```no_run
//! use assemblyai::{Client, TranscriptRequest, WaitOptions};
//!
//! // ASSEMBLYAI_API_KEY holds the key.
//! let client = Client::from_env()?;
//! let transcript = client.transcribe(
//!     "meeting.mp3", // a local file is uploaded; an http(s) URL is fetched by the API
//!     &TranscriptRequest::default(),
//!     &WaitOptions::default(),
//! )?;
//! println!("{}", transcript.text.unwrap_or_default());
//! # Ok::<(), assemblyai::Error>(())
//! ```
//!
//! # The workflow, step by step
//!
//! [`Client::transcribe`] does three things that are also available alone:
//!
//! 1. [`Client::upload_file`] / [`Client::upload`] stream local audio to
//!    `POST /v2/upload` in constant memory and return its `upload_url`.
//! 2. [`Client::create_transcript`] starts a job from a [`TranscriptRequest`]
//!    (every option of the API, typed, plus an `extra` map for new ones).
//! 3. [`Client::wait_for_transcript`] polls until the job is `completed` and
//!    returns the [`Transcript`], or fails with [`Error::TranscriptFailed`].
//!
//! [`Client::start_transcript`] does the first two; [`Client::download_transcript_json`]
//! streams a transcript's JSON exactly as the API sent it, unparsed.
//!
//! # Never losing a job
//!
//! A transcript is billed once it exists, so its id must survive any failure.
//! [`Client::with_observer`] reports [`Event::Created`] the moment there is an
//! id, and every later error carries it ([`Error::transcript_id`]); a caller
//! whose deadline ([`WaitOptions::timeout`]) passed resumes with
//! [`Client::wait_for_transcript`].
//!
//! Requests are retried by a [`RetryPolicy`]: reads and uploads on network
//! errors, 429 and 5xx (honouring `Retry-After`); a transcript creation only
//! when no job can have been started, so an input is never billed twice.
//! A create that may have started its job without the client learning its
//! id fails with [`Error::MaybeCreated`], whose [`CreateAttempt`] lets
//! [`Client::find_created`] adopt the job later.
//!
//! # Short clips in one request
//!
//! For a clip of up to two minutes, [`Client::transcribe_sync_file`] and
//! [`Client::transcribe_sync`] ([`sync`], the Sync STT API) answer with the
//! text in one request, no job to poll; [`Client::dictate_file`] and
//! [`Client::dictate`] ([`dictation`]) add an LLM clean-up of the text. The
//! audio streams from a file or a reader (still being recorded), retries
//! resend it, and [`Client::warm_sync`] opens the connection beforehand.
//!
//! # Many recordings
//!
//! [`batch::Batch`] transcribes thousands of sources into a directory:
//! concurrently, within the account's rate limit (one [`RateLimiter`] for
//! every request, slowed for all by any 429), watching every job through
//! list pages, and resumable after a crash from a journal synced before each
//! paid step, so no source is billed twice. `aai batch` is a thin layer on it.
//!
//! # Asking about recordings
//!
//! [`llm`] is the LLM Gateway on the same client: [`Client::chat`] asks a
//! model about a transcript (`transcript_id`, the text filled in by the
//! gateway), [`Client::chat_stream`] streams the answer, [`Client::models`]
//! lists the models, and [`Client::understand`] runs Speech Understanding
//! tasks on a finished transcript. Each model's rate limit is kept on the
//! client's side, shared by every clone.
//!
//! # Errors
//!
//! One [`Error`] enum: API errors keep the HTTP status and the server's
//! message, and [`Error::is_retryable`] tells whether trying later may help.
//!
//! # Features
//!
//! - `cli` (default): builds the `aai` command-line tool. Library users can
//!   turn it off with `default-features = false`.
//! - `streaming` (on with `cli`): real-time transcription, [`streaming`]; it
//!   adds one WebSocket dependency (tungstenite).
//! - `emulator`: [`emulator::Emulator`], a faithful local AssemblyAI API on a
//!   loopback port, for your own tests (as a dev-dependency feature) and for
//!   trying the client without an account.
//!
//! # Minimum Rust version
//!
//! 1.85, the same as `ureq` 3.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The client and the one path every request takes.
mod client; // Client, ClientBuilder, Region: settings, the key, the HTTP agent
mod deadline; // one overall time limit shared by the steps of a call
mod rate_limit; // RateLimiter: one request budget per window, learnt from 429s
mod reply; // reading replies: bodies, JSON, error bodies, redaction of the key
mod request; // sending: auth, bodies, retries by endpoint safety, status mapping
mod retry; // RetryPolicy: backoff with jitter, Retry-After
mod service; // which host serves which API (REST, streaming, LLM Gateway, Sync, Dictation)

// One file per group of endpoints.
mod adopt; // which listed job a failed create made: echoed options, time window
mod create; // POST /v2/transcript, exactly once despite ambiguous failures
mod export; // subtitles, sentences, paragraphs, word search, redacted audio
mod list; // GET /v2/transcript, one page or all of them
mod transcript; // get, delete, stream the raw JSON, transcribe (upload + create + wait)
mod upload; // POST /v2/upload, streamed in constant memory
mod wait; // polling until done: WaitOptions, PollSchedule

// Asking about transcripts: the LLM Gateway and post-hoc Speech Understanding.
pub mod llm; // chat completions, models, /v1/understanding, per-model rate limits
// Short clips in one request: Sync STT and Dictation, on the same client.
mod clip; // what both share: the multipart body, streamed and replayable; their errors
pub mod dictation; // the Dictation API: verbatim text and an LLM clean-up
pub mod sync; // the Sync STT API: text and word timings of a clip

// Many jobs at once, on the same client.
pub mod batch; // sources, claims and leases, list polling, shards

// What goes over the wire, and around it.
mod duration; // durations in messages
mod error; // the one Error enum
mod event; // Event and Observer: progress, ids, status changes, retries
mod failure_kind; // FailureKind: the class of an error, by what would fix it
mod timestamp; // the API's two timestamp formats, for create recovery
mod types; // request and response data, modelled on the published spec

// Real-time transcription: v3 WebSocket sessions, beside the REST client.
#[cfg(feature = "streaming")]
pub mod streaming;
// Beside the client, not on it: the API itself, served locally.
#[cfg(feature = "emulator")]
pub mod emulator; // a faithful local AssemblyAI API, for tests and trying aai offline

pub use client::{Client, ClientBuilder, DEFAULT_MAX_REPLY_BYTES, Region};
pub use clip::ClipErrorCode;
pub use error::{CreateAttempt, Error, Result};
pub use event::{Event, Observer};
pub use failure_kind::FailureKind;
pub use list::AllTranscripts;
pub use llm::DOCUMENTED_MODEL_REQUESTS_PER_MINUTE;
pub use rate_limit::RateLimiter;
pub use retry::RetryPolicy;
pub use service::Service;
pub use transcript::AudioSource;
pub use types::*;
pub use upload::MAX_UPLOAD_BYTES;
pub use wait::{PollSchedule, WaitOptions};
