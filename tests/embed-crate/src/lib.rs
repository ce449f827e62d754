//! What a user's code might do with the library: transcribe a file and keep the words spoken
//! after a given second.

use std::path::Path;

use assemblyai::{Client, TranscriptRequest, WaitOptions};

/// The words of `recording` that start at or after `from_ms`, joined by spaces.
pub fn words_after(
    client: &Client,
    recording: &Path,
    from_ms: u64,
    wait: &WaitOptions,
) -> assemblyai::Result<String> {
    let transcript = client.transcribe(recording, &TranscriptRequest::default(), wait)?;
    let words = transcript.words.unwrap_or_default();
    let late: Vec<String> = words
        .into_iter()
        .filter(|w| w.start >= from_ms as i64)
        .map(|w| w.text)
        .collect();
    Ok(late.join(" "))
}
