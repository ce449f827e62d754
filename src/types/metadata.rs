//! What the server says about a job beside its result: `metadata` and the
//! warnings gathered from it and from the Speech Understanding tasks.

use serde::de::MapAccess;
use serde::{Deserialize, Deserializer, Serialize};

use super::Transcript;
use super::lenient::{Coerce, Lenient, fit, lenient_struct};

lenient_struct! {
/// A transcript's `metadata`: present only when the server has something
/// to report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranscriptMetadata {
    /// The domain correction that ran, e.g. `medical-v1`; `None` when none
    /// did (also when one was asked for and skipped, with a warning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_used: Option<String>,

    /// The warnings, in the server's order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<ServerWarning>>,

    /// A single warning, the older form of `warnings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}
}

/// One warning from the server: the job went through, but not exactly as
/// asked (a model fallback, a skipped Medical Mode...). Read from the
/// documented `{"message": ...}` or from a bare string, a shape a server may
/// well send for a warning: either way it reaches the user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ServerWarning {
    /// The warning's text, as the server wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

lenient_struct! {
/// The documented object form of a [`ServerWarning`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WarningObject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
}

impl Coerce for ServerWarning {
    fn from_str(text: &str) -> Option<Self> {
        Some(ServerWarning {
            message: Some(text.to_owned()),
        })
    }

    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Ok(WarningObject::from_map(map)?.map(|object| ServerWarning {
            message: object.message,
        }))
    }
}

impl Lenient for ServerWarning {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        fit(d)
    }
}

impl<'de> Deserialize<'de> for ServerWarning {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::lenient(d)?.unwrap_or_default())
    }
}

impl Transcript {
    /// Every warning the server gave about this job, in order: those of
    /// `metadata` (`warnings` and the older `warning`), then one for each
    /// Speech Understanding task whose status is not a success, naming the
    /// task. The transcript itself is complete either way; these say what in
    /// it is not as asked.
    ///
    /// ```
    /// use assemblyai::Transcript;
    ///
    /// let transcript: Transcript = serde_json::from_str(r#"{
    ///     "id": "x", "status": "completed",
    ///     "metadata": {"domain_used": null, "warnings": [{"message": "Skipped medical-v1 domain correction"}]},
    ///     "speech_understanding": {"response": {"summarization": {"status": "error"}}}
    /// }"#).unwrap();
    /// assert_eq!(transcript.warnings(), [
    ///     "Skipped medical-v1 domain correction",
    ///     "speech understanding task summarization did not succeed (status: error)",
    /// ]);
    /// ```
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some(metadata) = &self.metadata {
            for warning in metadata.warnings.iter().flatten() {
                if let Some(message) = warning.message.as_deref() {
                    push_text(&mut warnings, message);
                }
            }
            if let Some(message) = metadata.warning.as_deref() {
                push_text(&mut warnings, message);
            }
        }
        let results = self
            .speech_understanding
            .as_ref()
            .and_then(|su| su.response.as_ref());
        for (task, status) in results.map(|r| r.unsuccessful()).unwrap_or_default() {
            warnings.push(format!(
                "speech understanding task {task} did not succeed (status: {status})"
            ));
        }
        warnings
    }
}

/// Adds a warning unless it is empty or already there (the same text in
/// `warnings` and the legacy `warning`).
fn push_text(warnings: &mut Vec<String>, message: &str) {
    let message = message.trim();
    if !message.is_empty() && !warnings.iter().any(|known| known == message) {
        warnings.push(message.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use crate::Transcript;

    #[test]
    fn warnings_sent_as_bare_strings_still_reach_the_user() {
        let transcript: Transcript = serde_json::from_str(
            r#"{"id": "x", "status": "completed",
                "metadata": {"warnings": ["audio quality low", {"message": "model fallback"}, 7]}}"#,
        )
        .unwrap();
        assert_eq!(
            transcript.warnings(),
            ["audio quality low", "model fallback"]
        );
    }
}
