//! Small response bodies: uploads and redacted audio.

use serde::Serialize;

use super::RedactedAudioStatus;
use super::lenient::lenient_struct;
use super::raw::{RawJson, keeps_raw_json};

lenient_struct! {
required(upload_url);
/// The answer to `POST /v2/upload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UploadedFile {
    /// Where the file now is; pass it as `audio_url`. Only AssemblyAI's
    /// servers can fetch it, and only with a key from the same project.
    pub upload_url: String,

    #[serde(skip)]
    raw_json: RawJson,
}
}

lenient_struct! {
/// The PII-redacted audio of a transcript (`GET /v2/transcript/{id}/redacted-audio`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RedactedAudioResponse {
    /// `redacted_audio_ready` once the file can be downloaded.
    pub status: RedactedAudioStatus,

    /// A pre-signed URL of the file, valid for 24 hours.
    pub redacted_audio_url: String,

    #[serde(skip)]
    raw_json: RawJson,
}
}

keeps_raw_json!(UploadedFile, RedactedAudioResponse);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_url_is_required() {
        assert!(serde_json::from_str::<UploadedFile>("{}").is_err());
    }
}
