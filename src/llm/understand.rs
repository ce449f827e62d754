//! Post-hoc Speech Understanding (`POST /v1/understanding`): the inline
//! tasks of `/v2/transcript`, run on a finished transcript without
//! transcribing again, with the same request and result types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::loose::loose;
use crate::{SpeechUnderstanding, SpeechUnderstandingRequest, Utterance, Word};

/// The body of `/v1/understanding` and `/v1/understanding/validate`.
#[derive(Serialize)]
pub(crate) struct UnderstandingBody<'a> {
    pub(crate) transcript_id: &'a str,
    pub(crate) speech_understanding: &'a SpeechUnderstandingRequest,
}

/// What `/v1/understanding` answers: the tasks' results, and the parts of
/// the transcript they changed (translations, identified speakers).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Understanding {
    /// The gateway's id for this request.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// The tasks asked for and what each produced, as on a transcript.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub speech_understanding: Option<SpeechUnderstanding>,
    /// Translations by language code, from a translation task.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub translated_texts: Option<BTreeMap<String, String>>,
    /// The utterances, with speakers identified or translations matched.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub utterances: Option<Vec<Utterance>>,
    /// The words, with speakers identified.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub words: Option<Vec<Word>>,
    /// Everything else, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
