use serde_json::json;

use super::*;
use crate::SpeakerType;

#[test]
fn one_request_carries_several_tasks_each_under_its_key() {
    let mut tasks = SpeechUnderstandingTasks::new();
    let mut translation = TranslationRequest::new(["es", "de"]);
    translation.formal = Some(true);
    translation.force_translation = Some(true);
    tasks.translation = Some(translation);
    let mut summary = SummarizationRequest::new(SummaryStyle::Bullets);
    summary.effort = Some(TaskEffort::Medium);
    tasks.summarization = Some(summary);
    let mut items = ActionItemsRequest::new();
    items.include_decisions = Some(true);
    tasks.action_items = Some(items);
    let request = SpeechUnderstandingRequest::new(tasks);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"request": {
            "translation": {"target_languages": ["es", "de"], "formal": true, "force_translation": true},
            "summarization": {"summary_type": "bullets", "effort": "medium"},
            "action_items": {"include_decisions": true}
        }})
    );
    assert_eq!(
        request.request.names(),
        ["translation", "summarization", "action_items"]
    );
}

#[test]
fn a_single_task_converts_into_a_set_of_one() {
    let request = SpeechUnderstandingRequest::new(ActionItemsRequest::new());
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"request": {"action_items": {}}})
    );
}

#[test]
fn every_known_task_round_trips_through_the_strict_parse() {
    let json = json!({
        "speaker_identification": {"speaker_type": "role", "known_values": ["Host"],
            "speakers": [{"role": "Host", "company": "ACME"}]},
        "custom_formatting": {"date": "mm/dd/yyyy", "format_utterances": true},
        "translation": {"target_languages": ["fr"], "match_original_utterance": true},
        "summarization": {"summary_type": "paragraph", "effort": "low"},
        "action_items": {"include_decisions": false, "effort": "medium"}
    });
    let tasks: SpeechUnderstandingTasks = serde_json::from_value(json.clone()).unwrap();
    assert!(tasks.extra.is_empty(), "{:?}", tasks.extra);
    assert_eq!(
        tasks.speaker_identification.as_ref().unwrap().speaker_type,
        SpeakerType::Role
    );
    assert_eq!(serde_json::to_value(&tasks).unwrap(), json);
}

#[test]
fn unknown_tasks_and_values_are_kept_and_sent_as_is() {
    let json = json!({
        "chaptering": {"style": "short"},
        "summarization": {"summary_type": "outline", "effort": "high"}
    });
    let tasks: SpeechUnderstandingTasks = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(tasks.extra["chaptering"], json!({"style": "short"}));
    let summary = tasks.summarization.as_ref().unwrap();
    assert_eq!(summary.summary_type, SummaryStyle::Other("outline".into()));
    assert_eq!(summary.effort, Some(TaskEffort::Other("high".into())));
    assert_eq!(serde_json::to_value(&tasks).unwrap(), json);
    assert_eq!(tasks.names(), ["summarization", "chaptering"]);
}

#[test]
fn a_reply_reports_each_tasks_result_typed() {
    let json = json!({
        "request": {"summarization": {"summary_type": "bullets"}, "action_items": {}},
        "response": {
            "summarization": {"status": "success", "summary_type": "bullets", "effort": "low",
                "summary": [{"start": 0, "end": 61000, "text": "- Fires spread.", "headline": "Wildfires"}]},
            "action_items": {"status": "success", "effort": "low",
                "items": [{"action_item": "Check the air quality", "quote": "check it", "timestamp": 4200}]},
            "speaker_identification": {"mapping": {"A": "Ann"}, "status": "success"}
        }
    });
    let su: SpeechUnderstanding = serde_json::from_value(json).unwrap();
    let request = su.request.unwrap();
    assert_eq!(request.names(), ["summarization", "action_items"]);
    let response = su.response.unwrap();
    let section = &response
        .summarization
        .as_ref()
        .unwrap()
        .summary
        .as_ref()
        .unwrap()[0];
    assert_eq!(
        (section.start, section.end, section.headline.as_deref()),
        (Some(0), Some(61000), Some("Wildfires"))
    );
    let item = &response
        .action_items
        .as_ref()
        .unwrap()
        .items
        .as_ref()
        .unwrap()[0];
    assert_eq!(item.timestamp, Some(4200));
    assert_eq!(item.quote.as_deref(), Some("check it"));
    let mapping = response
        .speaker_identification
        .as_ref()
        .unwrap()
        .mapping
        .as_ref()
        .unwrap();
    assert_eq!(mapping["A"], "Ann");
    assert!(response.unsuccessful().is_empty());
}

#[test]
fn a_task_with_another_status_is_reported_unsuccessful() {
    let json = json!({
        "translation": {"status": "completed"},
        "summarization": {"status": "error", "summary": null},
        "sentiment_arcs": {"status": "unavailable"},
        "action_items": {"items": []}
    });
    let results: SpeechUnderstandingResults = serde_json::from_value(json).unwrap();
    assert_eq!(
        results.unsuccessful(),
        [
            ("summarization", "error"),
            ("sentiment_arcs", "unavailable")
        ]
    );
}

#[test]
fn a_result_that_does_not_fit_is_kept_raw_and_the_rest_parses() {
    let json = json!({
        "request": {"translation": "es"},
        "response": {"summarization": [1, 2], "action_items": {"status": "success", "items": "none"}}
    });
    let su: SpeechUnderstanding = serde_json::from_value(json).unwrap();
    let request = su.request.unwrap();
    assert_eq!(request.translation, None);
    assert_eq!(request.extra["translation"], json!("es"));
    let response = su.response.unwrap();
    assert_eq!(response.extra["summarization"], json!([1, 2]));
    let items = response.action_items.unwrap();
    assert_eq!(
        (items.status.as_deref(), items.items),
        (Some("success"), None)
    );
}
