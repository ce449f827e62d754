//! The `UpdateConfiguration` message: settings changed mid-session.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::names::StreamingMode;
#[cfg(doc)]
use super::params::StreamingParams;
use super::params::{check_keyterms, check_unit};
use crate::Result;

/// An `UpdateConfiguration` message: the settings to change mid-session.
/// Only the fields set are sent; a new `keyterms_prompt` replaces the old
/// list and an empty one clears it.
///
/// ```
/// use assemblyai::streaming::UpdateConfiguration;
///
/// let mut update = UpdateConfiguration::default();
/// update.max_turn_silence = Some(5000);
/// assert_eq!(
///     update.to_json(),
///     r#"{"type":"UpdateConfiguration","max_turn_silence":5000}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UpdateConfiguration {
    /// See [`StreamingParams::end_of_turn_confidence_threshold`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_of_turn_confidence_threshold: Option<f64>,
    /// See [`StreamingParams::min_turn_silence`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_turn_silence: Option<u32>,
    /// See [`StreamingParams::max_turn_silence`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_turn_silence: Option<u32>,
    /// See [`StreamingParams::vad_threshold`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vad_threshold: Option<f64>,
    /// See [`StreamingParams::keyterms_prompt`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyterms_prompt: Option<Vec<String>>,
    /// See [`StreamingParams::prompt`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// See [`StreamingParams::format_turns`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format_turns: Option<bool>,
    /// See [`StreamingParams::mode`].
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_text")]
    pub mode: Option<StreamingMode>,
    /// See [`StreamingParams::continuous_partials`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuous_partials: Option<bool>,
    /// See [`StreamingParams::interruption_delay`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interruption_delay: Option<u32>,
    /// See [`StreamingParams::agent_context`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_context: Option<String>,
    /// See [`StreamingParams::language_codes`]; an empty list clears them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_codes: Option<Vec<String>>,
    /// See [`StreamingParams::session_heartbeat`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_heartbeat: Option<bool>,
    /// Settings this crate doesn't know, sent as they are.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// Serializes an open name as its wire text.
fn as_text<S: serde::Serializer>(
    value: &Option<StreamingMode>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    match value {
        Some(mode) => serializer.serialize_str(mode.as_str()),
        None => serializer.serialize_none(),
    }
}

impl UpdateConfiguration {
    /// The message as sent.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Tagged<'a> {
            r#type: &'static str,
            #[serde(flatten)]
            update: &'a UpdateConfiguration,
        }
        serde_json::to_string(&Tagged {
            r#type: "UpdateConfiguration",
            update: self,
        })
        .unwrap_or_default()
    }

    /// Checks the ranges, as [`StreamingParams::validate`] does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) naming the field.
    pub fn validate(&self) -> Result<()> {
        check_unit(
            "end_of_turn_confidence_threshold",
            self.end_of_turn_confidence_threshold,
        )?;
        check_unit("vad_threshold", self.vad_threshold)?;
        match &self.keyterms_prompt {
            Some(terms) => check_keyterms(terms),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_configuration_sends_only_what_changes() {
        let update = UpdateConfiguration {
            keyterms_prompt: Some(vec![]),
            min_turn_silence: Some(200),
            ..UpdateConfiguration::default()
        };
        assert_eq!(
            update.to_json(),
            r#"{"type":"UpdateConfiguration","min_turn_silence":200,"keyterms_prompt":[]}"#
        );
    }
}
