//! Speech Understanding: the tasks run on a transcript (translation, speaker
//! identification, custom formatting, summarization, action items), as
//! requested (`speech_understanding.request`) and as reported
//! (`speech_understanding.response`).
//!
//! One request carries **several** tasks, each under its own key:
//! `{"request": {"summarization": {...}, "action_items": {...}}}`. The same
//! types serve the tasks run with a transcript (`POST /v2/transcript`) and
//! those run afterwards on a finished one (the LLM Gateway's
//! `POST /v1/understanding`): nothing here is specific to either endpoint.
//!
//! The API adds tasks without a new version, so a task this crate does not
//! know is kept as raw JSON in `extra` (sent as is, read back as is), and a
//! known task whose result does not fit is kept there too rather than lost.

mod results;
mod set;
mod tasks;

pub use results::{
    ActionItem, ActionItemsResponse, CustomFormattingResponse, SpeakerIdentificationResponse,
    SpeechUnderstandingResults, SummarizationResponse, SummarySection, TranslationResponse,
};
pub use tasks::{
    ActionItemsRequest, CustomFormattingRequest, KnownSpeaker, SpeakerIdentificationRequest,
    SpeechUnderstandingTasks, SummarizationRequest, SummaryStyle, TaskEffort, TranslationRequest,
};

use serde::{Deserialize, Serialize};

use super::lenient::lenient_struct;

/// The `speech_understanding` parameter of a request: the tasks to run.
///
/// ```
/// use assemblyai::{
///     ActionItemsRequest, SpeechUnderstandingRequest, SpeechUnderstandingTasks,
///     SummarizationRequest, SummaryStyle,
/// };
///
/// let mut tasks = SpeechUnderstandingTasks::new();
/// tasks.summarization = Some(SummarizationRequest::new(SummaryStyle::Bullets));
/// tasks.action_items = Some(ActionItemsRequest::new());
/// let request = SpeechUnderstandingRequest::new(tasks);
/// assert_eq!(
///     serde_json::to_value(&request).unwrap(),
///     serde_json::json!({"request": {"summarization": {"summary_type": "bullets"}, "action_items": {}}})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpeechUnderstandingRequest {
    /// The tasks to run; the API wants at least one.
    pub request: SpeechUnderstandingTasks,
}

impl SpeechUnderstandingRequest {
    /// A request to run `tasks`: a [`SpeechUnderstandingTasks`] or one task
    /// alone, e.g. a [`TranslationRequest`].
    pub fn new(tasks: impl Into<SpeechUnderstandingTasks>) -> Self {
        SpeechUnderstandingRequest {
            request: tasks.into(),
        }
    }
}

lenient_struct! {
/// `speech_understanding` as a transcript (or `/v1/understanding`) reports
/// it: the tasks asked for and what each produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SpeechUnderstanding {
    /// The tasks that were requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<SpeechUnderstandingTasks>,

    /// What each task produced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<SpeechUnderstandingResults>,
}
}

#[cfg(test)]
mod tests;
