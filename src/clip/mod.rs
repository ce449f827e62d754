//! What the two short-clip APIs share: the Sync STT API ([`crate::sync`]) and
//! the Dictation API ([`crate::dictation`]) both take one `multipart/form-data`
//! request, a JSON `config` part first and the audio after it, and answer it
//! with the text; both report errors in RFC 9457 or the legacy `error_code`
//! shape, and both answer an unauthenticated `GET /v1/warm`.
//!
//! Uses the client's one request path (`request.rs`) with a replayable body:
//! a file is reopened for each attempt, a stream is kept as it is read
//! (`spool.rs`), so a 429 or 503 can be retried and Dictation's 413 can be
//! sent again whole, without holding the audio in memory.

mod audio; // what the audio is: WAV (and its length), raw PCM, a compressed format
mod body; // the multipart body, streamed, replayable
pub(crate) mod limits; // what both APIs certainly refuse, checked before sending
mod problem; // both error shapes, as Error::Clip with a ClipErrorCode
mod send; // one clip request and warm(), on the one request path
mod spool; // a stream kept as it is read: memory first, then a temporary file

pub use problem::ClipErrorCode;

pub(crate) use audio::{AudioFormat, ClipSource};
pub(crate) use body::ClipBody;
