//! What the Sync STT API is certain to refuse, refused before sending. Where
//! the docs and the SDKs disagree on a cap (api-2026.md §5.2), the larger
//! one is checked and the server's 400 speaks for the rest.

use crate::clip::{AudioFormat, ClipBody, limits};
use crate::{Error, Result};

use super::SyncRequest;

/// Caps of the config (Node SDK 4.41 `service.ts`, Python SDK 1.8
/// `types.py`: 6,000 characters of prompt; 100 key terms, 8,000 characters).
const MAX_PROMPT_CHARS: usize = 6000;
const MAX_KEYTERMS: usize = 100;
const MAX_KEYTERMS_CHARS: usize = 8000;
/// The largest clip: 40 MB (docs, audio requirements).
pub(super) const MAX_BYTES: u64 = 40_000_000;

pub(super) fn check_request(request: &SyncRequest) -> Result<()> {
    limits::check_chars("prompt", request.prompt.as_deref(), MAX_PROMPT_CHARS)?;
    limits::check_terms(
        "keyterms_prompt",
        request.keyterms_prompt.as_deref(),
        MAX_KEYTERMS,
        MAX_KEYTERMS_CHARS,
    )
}

pub(super) fn check_audio(body: &ClipBody<'_>, request: &SyncRequest) -> Result<()> {
    let shown = limits::shown(body);
    if let AudioFormat::Compressed { name, .. } = body.format() {
        return Err(Error::invalid_source(format!(
            "{shown} is {name} audio, and the Sync API takes WAV or raw 16-bit PCM only: convert \
             it (ffmpeg -i IN -ac 1 -ar 16000 OUT.wav), or transcribe it with the async API \
             (aai transcribe), which takes any format"
        )));
    }
    limits::check_decodable(body, limits::pcm(request.sample_rate, request.channels))?;
    if let Some(len) = body.audio_len().filter(|&len| len > MAX_BYTES) {
        return Err(Error::invalid_source(format!(
            "{shown} is {:.1} MB, over the Sync API's 40 MB: transcribe it with the async API \
             (aai transcribe)",
            len as f64 / 1e6
        )));
    }
    let pcm = limits::pcm(request.sample_rate, request.channels);
    if let Some(long) = limits::duration(body, pcm).filter(|&d| d > limits::LIVE_MAX_DURATION) {
        return Err(Error::invalid_source(format!(
            "{shown} plays {}, longer than the Sync API's 2 minutes: transcribe it with the \
             async API (aai transcribe)",
            limits::human(long)
        )));
    }
    Ok(())
}

/// A stream whose upload broke off once it was past what Sync takes: a
/// server may close the connection on its 413 instead of reading on, and
/// the transport error alone would not say why.
pub(super) fn explain_cut_upload(
    error: Error,
    body: &ClipBody<'_>,
    request: &SyncRequest,
) -> Error {
    if !matches!(error, Error::Http { .. }) || body.path().is_some() {
        return error;
    }
    let sent = body.audio_read();
    let pcm = limits::pcm(request.sample_rate, request.channels);
    let played = body.format().duration(sent, pcm);
    let too_long = played.is_some_and(|d| d > limits::LIVE_MAX_DURATION) || sent > MAX_BYTES;
    if !too_long {
        return error;
    }
    error.with_note(&format!(
        "the stream was over the Sync API's limits by then ({} MB{}), so the server likely cut \
         it off: send clips of at most 2 minutes and 40 MB, or use the async API (aai transcribe)",
        sent / 1_000_000,
        played.map_or_else(String::new, |d| format!(", {}", limits::human(d)))
    ))
}
