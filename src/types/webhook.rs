//! Payloads AssemblyAI POSTs to a request's `webhook_url`.
//!
//! A webhook receiver can parse the body with
//! `serde_json::from_slice::<WebhookNotification>(body)`. Check the auth
//! header set with `webhook_auth_header_name`/`_value` first.

use serde::{Deserialize, Deserializer, Serialize};

use super::lenient::lenient_struct;
use super::{RedactedAudioResponse, TranscriptStatus};

lenient_struct! {
required(transcript_id, status);
/// Sent when a transcript completes or fails. It does not carry the
/// transcript: get it by `transcript_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranscriptReadyNotification {
    /// The transcript's id.
    pub transcript_id: String,

    /// `completed` or `error`.
    pub status: TranscriptStatus,
}
}

/// Sent when the PII-redacted audio is ready, with `redact_pii_audio`.
/// The same shape as the redacted-audio endpoint's answer.
pub type RedactedAudioNotification = RedactedAudioResponse;

/// Either webhook payload, for a receiver that gets both on one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum WebhookNotification {
    /// A transcript completed or failed.
    TranscriptReady(TranscriptReadyNotification),
    /// The redacted audio is ready.
    RedactedAudio(RedactedAudioNotification),
}

impl<'de> Deserialize<'de> for WebhookNotification {
    /// Told apart by content rather than by trying each shape in turn, so a
    /// redacted-audio notice that also names its transcript is still one.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(d)?;
        let redacted = value.get("redacted_audio_url").is_some()
            || value.get("status").and_then(|s| s.as_str()) == Some("redacted_audio_ready");
        if redacted {
            RedactedAudioNotification::deserialize(value)
                .map(WebhookNotification::RedactedAudio)
                .map_err(D::Error::custom)
        } else {
            TranscriptReadyNotification::deserialize(value)
                .map(WebhookNotification::TranscriptReady)
                .map_err(D::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RedactedAudioStatus;

    #[test]
    fn both_payload_kinds_are_told_apart() {
        let ready: WebhookNotification =
            serde_json::from_str(r#"{"transcript_id": "t1", "status": "error"}"#).unwrap();
        let WebhookNotification::TranscriptReady(ready) = ready else {
            panic!("{ready:?}")
        };
        assert_eq!(ready.transcript_id, "t1");
        assert_eq!(ready.status, TranscriptStatus::Error);

        let json =
            r#"{"status": "redacted_audio_ready", "redacted_audio_url": "https://s3/x.mp3"}"#;
        let audio: WebhookNotification = serde_json::from_str(json).unwrap();
        let WebhookNotification::RedactedAudio(audio) = audio else {
            panic!("{audio:?}")
        };
        assert_eq!(audio.status, RedactedAudioStatus::RedactedAudioReady);
        assert_eq!(audio.redacted_audio_url, "https://s3/x.mp3");
    }

    #[test]
    fn redacted_audio_notice_naming_its_transcript_is_still_redacted_audio() {
        let json = r#"{"transcript_id": "t1", "status": "redacted_audio_ready",
                       "redacted_audio_url": "https://s3/x.mp3"}"#;
        let notice: WebhookNotification = serde_json::from_str(json).unwrap();
        assert!(
            matches!(notice, WebhookNotification::RedactedAudio(_)),
            "{notice:?}"
        );
    }

    #[test]
    fn transcript_notice_without_id_is_an_error() {
        assert!(serde_json::from_str::<WebhookNotification>(r#"{"status": "completed"}"#).is_err());
    }
}
