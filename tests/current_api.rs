//! The library against the API as it answers in December 2026 (issue 15):
//! the defaults complete, the model that ran is reported everywhere, the
//! server's warnings and the Speech Understanding results reach the caller,
//! and a refused model choice is a configuration error sent at most once.

mod common;
mod support;

use assemblyai::{
    ActionItemsRequest, Domain, Error, LanguageCode, SpeechModel, SpeechUnderstandingRequest,
    SpeechUnderstandingTasks, SummarizationRequest, SummaryStyle, TranscriptRequest,
};
use common::{client, fast_wait};
use support::FakeApi;

const AUDIO_URL: &str = "https://assembly.ai/wildfires.mp3";

#[test]
fn the_default_request_completes_and_every_reply_names_the_model_that_ran() {
    let api = FakeApi::start();
    let client = client(&api);
    let transcript = client
        .transcribe(AUDIO_URL, &TranscriptRequest::default(), &fast_wait())
        .unwrap();
    let sent = api.requests_to("POST", "/v2/transcript")[0].json();
    assert_eq!(sent, serde_json::json!({"audio_url": AUDIO_URL}));
    assert_eq!(
        transcript.speech_model_used,
        Some(SpeechModel::ASSEMBLYAI_STT_3_7)
    );
    assert!(transcript.warnings().is_empty());
    let sentences = client.get_sentences(&transcript.id).unwrap();
    let paragraphs = client.get_paragraphs(&transcript.id).unwrap();
    assert_eq!(
        sentences.speech_model_used,
        Some(SpeechModel::ASSEMBLYAI_STT_3_7)
    );
    assert_eq!(
        paragraphs.speech_model_used,
        Some(SpeechModel::ASSEMBLYAI_STT_3_7)
    );
}

#[test]
fn a_retired_model_is_refused_before_the_upload() {
    let api = FakeApi::start();
    let mut request = TranscriptRequest::default();
    request.speech_models = Some(vec!["universal-3-pro".into()]);
    let audio = assemblyai::AudioSource::reader(&b"RIFF audio"[..]);
    let refused = client(&api).transcribe(audio, &request, &fast_wait());
    match refused {
        Err(Error::InvalidInput { message }) => {
            assert!(message.contains("have been deprecated"), "{message}")
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(api.requests().is_empty(), "not even the upload");
}

#[test]
fn the_servers_refusal_of_a_model_is_recognised_and_not_retried() {
    let api = FakeApi::start();
    let mut request = TranscriptRequest::new(AUDIO_URL);
    request.speech_models = Some(vec!["universal-3-9-pro".into()]);
    let error = client(&api).create_transcript(&request).unwrap_err();
    assert!(error.is_speech_model_refusal(), "{error}");
    assert!(!error.is_retryable());
    assert_eq!(error.status(), Some(400));
    assert_eq!(api.count("POST", "/v2/transcript"), 1);
    assert!(
        !Error::InvalidInput {
            message: "speech_models".into()
        }
        .is_speech_model_refusal(),
        "only the server's 400 is a refusal"
    );
}

#[test]
fn warnings_unredacted_text_and_understanding_results_reach_the_caller() {
    let api = FakeApi::start();
    let mut request = TranscriptRequest::new(AUDIO_URL);
    request.domain = Some(Domain::MedicalV1);
    request.language_code = Some(LanguageCode::Other("ja".into()));
    request.redact_pii = Some(true);
    request.redact_pii_return_unredacted = Some(true);
    let mut tasks =
        SpeechUnderstandingTasks::from(SummarizationRequest::new(SummaryStyle::Bullets));
    tasks.action_items = Some(ActionItemsRequest::new());
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(tasks));
    let transcript = client(&api)
        .transcribe(AUDIO_URL, &request, &fast_wait())
        .unwrap();

    assert_eq!(
        transcript.warnings(),
        ["Skipped medical-v1 domain correction because the language is not supported"]
    );
    let metadata = transcript.metadata.as_ref().unwrap();
    assert_eq!(metadata.domain_used, None);
    assert_eq!(transcript.unredacted_text, transcript.text);
    assert!(transcript.unredacted_words.is_some());

    let results = transcript
        .speech_understanding
        .as_ref()
        .and_then(|su| su.response.as_ref())
        .expect("results");
    let summary = results.summarization.as_ref().unwrap();
    assert_eq!(summary.status.as_deref(), Some("success"));
    assert_eq!(summary.summary_type, Some(SummaryStyle::Bullets));
    let sections = summary.summary.as_ref().unwrap();
    assert!(!sections.is_empty());
    assert!(
        sections[0]
            .headline
            .as_deref()
            .is_some_and(|h| !h.is_empty())
    );
    let items = results
        .action_items
        .as_ref()
        .unwrap()
        .items
        .as_ref()
        .unwrap();
    assert!(
        items
            .iter()
            .all(|item| item.quote.is_some() && item.timestamp.is_some())
    );
    assert!(results.unsuccessful().is_empty());
}
