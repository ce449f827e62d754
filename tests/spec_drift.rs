//! The request types against the spec in `spec/`, field by field, both ways:
//! every field of the spec's request schemas is a typed field (or listed
//! below as deliberately untyped, with the reason), and every typed field is
//! in the spec or listed below as added since, with the section of
//! `../shared/api-2026.md` that records it. When the spec is updated, this
//! test names exactly what to type, and which entries below to drop.

use std::collections::BTreeSet;
use std::fmt::Debug;

use assemblyai::{
    CustomFormattingRequest, CustomSpelling, LanguageDetectionOptions, RedactPiiAudioOptions,
    SpeakerIdentificationRequest, SpeakerOptions, SpeechUnderstandingTasks, TranscriptRequest,
    TranslationRequest,
};
use serde_json::Value;

/// One request schema and the type that models it.
struct Shape {
    /// The schema, for messages.
    name: &'static str,
    /// The fields the spec gives it.
    spec: BTreeSet<String>,
    /// The fields the type has (its derived `Debug` lists them all).
    typed: BTreeSet<String>,
    /// Spec fields sent through `extra` instead, each with why.
    untyped: &'static [(&'static str, &'static str)],
    /// Typed fields the spec doesn't have yet, each with where it is recorded.
    since_spec: &'static [(&'static str, &'static str)],
}

/// Field names of a struct from its alternate `Debug` (`{:#?}`): the names
/// at the first level of indentation. `extra`, the map of fields the crate
/// does not know, is not a field of the API.
fn typed_fields(value: &impl Debug) -> BTreeSet<String> {
    format!("{value:#?}")
        .lines()
        .filter_map(|line| line.strip_prefix("    "))
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| line.split_once(':').map(|(name, _)| name.to_owned()))
        .filter(|name| name != "extra")
        .collect()
}

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/openapi.json");
    let text = std::fs::read_to_string(path).expect("spec/openapi.json is in the repository");
    serde_json::from_str(&text).expect("the spec is JSON")
}

fn properties(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties in {schema}"))
        .keys()
        .cloned()
        .collect()
}

fn shapes() -> Vec<Shape> {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let optional = &schemas["TranscriptOptionalParams"];
    let option = |name: &str| properties(&optional["properties"][name]);
    let mut transcript = properties(optional);
    transcript.extend(properties(&schemas["TranscriptParams"]["allOf"][0]));
    let task = |body: &str, key: &str| properties(&schemas[body]["properties"][key]);
    let mut tasks = BTreeSet::new();
    for body in optional["properties"]["speech_understanding"]["properties"]["request"]["oneOf"]
        .as_array()
        .expect("the spec's tasks are a oneOf")
    {
        let name = body["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
        tasks.extend(properties(&schemas[name]));
    }
    vec![
        Shape {
            name: "TranscriptParams",
            spec: transcript,
            typed: typed_fields(&TranscriptRequest::default()),
            untyped: &[],
            since_spec: &[
                ("domain", "api-2026.md §2.1 (Medical Mode)"),
                ("redact_pii_return_unredacted", "api-2026.md §2.1"),
                ("redact_static_entities", "api-2026.md §2.1"),
                ("keyterms_prompt_options", "api-2026.md §2.1"),
            ],
        },
        Shape {
            name: "language_detection_options",
            spec: option("language_detection_options"),
            typed: typed_fields(&LanguageDetectionOptions::default()),
            untyped: &[],
            since_spec: &[("localization", "api-2026.md §2.1 (Python SDK 1.3.0)")],
        },
        Shape {
            name: "speaker_options",
            spec: option("speaker_options"),
            typed: typed_fields(&SpeakerOptions::default()),
            untyped: &[],
            since_spec: &[],
        },
        Shape {
            name: "redact_pii_audio_options",
            spec: option("redact_pii_audio_options"),
            typed: typed_fields(&RedactPiiAudioOptions::default()),
            untyped: &[],
            since_spec: &[],
        },
        Shape {
            name: "TranscriptCustomSpelling",
            spec: properties(&schemas["TranscriptCustomSpelling"]),
            typed: typed_fields(&CustomSpelling::default()),
            untyped: &[],
            since_spec: &[],
        },
        Shape {
            name: "speech_understanding.request",
            spec: tasks,
            typed: typed_fields(&SpeechUnderstandingTasks::default()),
            untyped: &[],
            since_spec: &[
                ("summarization", "api-2026.md §3.1 (2026-08-11)"),
                ("action_items", "api-2026.md §3.1 (2026-08-11)"),
            ],
        },
        Shape {
            name: "TranslationRequestBody.translation",
            spec: task("TranslationRequestBody", "translation"),
            typed: typed_fields(&TranslationRequest::default()),
            untyped: &[],
            since_spec: &[("force_translation", "api-2026.md §3.1 (Aug 2026)")],
        },
        Shape {
            name: "SpeakerIdentificationRequestBody.speaker_identification",
            spec: task("SpeakerIdentificationRequestBody", "speaker_identification"),
            typed: typed_fields(&SpeakerIdentificationRequest::default()),
            untyped: &[],
            since_spec: &[],
        },
        Shape {
            name: "CustomFormattingRequestBody.custom_formatting",
            spec: task("CustomFormattingRequestBody", "custom_formatting"),
            typed: typed_fields(&CustomFormattingRequest::default()),
            untyped: &[],
            since_spec: &[("format_utterances", "api-2026.md §3.1")],
        },
    ]
}

#[test]
fn every_spec_request_field_is_typed_or_untyped_for_a_stated_reason() {
    let mut missing = Vec::new();
    for shape in shapes() {
        let untyped: BTreeSet<&str> = shape.untyped.iter().map(|(name, _)| *name).collect();
        for field in &shape.spec {
            if !shape.typed.contains(field) && !untyped.contains(field.as_str()) {
                missing.push(format!("{}.{field}", shape.name));
            }
        }
        for name in &untyped {
            assert!(
                shape.spec.contains(*name) && !shape.typed.contains(*name),
                "{}.{name} is listed as untyped but is typed or not in the spec: drop the entry",
                shape.name
            );
        }
    }
    assert!(
        missing.is_empty(),
        "spec fields with no typed field: {missing:?}"
    );
}

#[test]
fn every_typed_request_field_is_in_the_spec_or_recorded_as_added_since() {
    let mut unrecorded = Vec::new();
    for shape in shapes() {
        let since: BTreeSet<&str> = shape.since_spec.iter().map(|(name, _)| *name).collect();
        for field in &shape.typed {
            if !shape.spec.contains(field) && !since.contains(field.as_str()) {
                unrecorded.push(format!("{}.{field}", shape.name));
            }
        }
        for (name, reason) in shape.since_spec {
            assert!(!reason.is_empty());
            assert!(
                shape.typed.contains(*name),
                "{}.{name} is listed as added since the spec but is not typed",
                shape.name
            );
            assert!(
                !shape.spec.contains(*name),
                "{}.{name} is in the spec now: drop it from the list of additions",
                shape.name
            );
        }
    }
    assert!(
        unrecorded.is_empty(),
        "typed fields neither in the spec nor recorded as added since: {unrecorded:?}"
    );
}

#[test]
fn field_names_are_read_from_debug_at_the_first_level_only() {
    let fields = typed_fields(&LanguageDetectionOptions::default());
    assert!(fields.contains("expected_languages") && fields.contains("localization"));
    assert!(!fields.contains("extra"));
    let mut request = TranscriptRequest::default();
    request.speaker_options = Some(SpeakerOptions::new(1, 2));
    let nested = typed_fields(&request);
    assert!(nested.contains("speech_understanding"));
    assert!(
        !nested.contains("min_speakers_expected"),
        "a nested struct's fields are its own"
    );
}
