//! Real-time transcription over AssemblyAI's Universal Streaming (v3)
//! WebSocket API, blocking, without an async runtime (feature `streaming`).
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use assemblyai::Client;
//! use assemblyai::streaming::{StreamEvent, StreamingParams};
//!
//! let streaming = Client::from_env()?.streaming();
//! let mut session = streaming.connect(&StreamingParams::new(16_000))?;
//! // Raw 16 kHz mono PCM16, e.g. from `arecord -f S16_LE -r 16000 -c 1 -t raw`.
//! let audio = std::io::stdin();
//! let summary = session.stream(audio, &AtomicBool::new(false), |event| {
//!     if let StreamEvent::Final(turn) = event {
//!         println!("{}", turn.transcript);
//!     }
//! })?;
//! eprintln!("billed for {:?}", summary.session_duration());
//! # Ok::<(), assemblyai::Error>(())
//! ```
//!
//! The pieces: [`StreamingClient`] (where, which credentials, and
//! [`StreamingOptions`]), [`StreamingParams`] (every connection parameter of
//! the spec), [`StreamingSession`] (audio in, [`StreamEvent`]s out), and
//! temporary tokens ([`StreamingClient::create_token`]). It shares the
//! crate's [`Error`](crate::Error), [`Region`](crate::Region) and key.
//!
//! What the server requires is enforced here first: 50–1000 ms of audio per
//! message (a fixed 100 ms chunker; the last chunk padded with silence to
//! 50 ms), no faster than real time, raw mono PCM16 or µ-law (compressed
//! audio, which has no sample size to chunk by, goes as given). Ending sends
//! `Terminate` and reads until `Termination`, so the last turn is never lost.

mod audio; // chunker, pacing, audio kept for a new session after a fault
mod client; // StreamingClient, StreamingOptions, tokens, Region's streaming host
mod close; // close codes: what each means and whether to retry
mod events; // server messages, StreamEvent, one final per turn
mod names; // open name sets: models, modes, voice focus
mod params; // StreamingParams: the connection parameters
mod session; // StreamingSession: the one-thread send/read loop, reconnection
mod transport;
mod update; // UpdateConfiguration: settings changed mid-session // TCP, TLS, WebSocket handshake and framing

pub use client::{StreamingClient, StreamingOptions, StreamingToken};
pub use events::{Begin, Heartbeat, SpeakerRevision, StreamEvent, StreamWord, Termination, Turn};
pub use names::{StreamingMode, StreamingModel, VoiceFocus};
pub use params::{AudioEncoding, StreamingParams};
pub use session::{SessionRecord, StreamingSession, Summary};
pub use update::UpdateConfiguration;
