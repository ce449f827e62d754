//! The table of request flags: every parameter of the spec's
//! `TranscriptParams`, its flag, where it goes in the request, and its help.

/// How a flag's value is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `--x` is true, `--no-x` is false.
    Bool,
    /// A switch asking for a task that takes an object of options: `--x`
    /// asks for it (`{}`, the API's defaults, unless options set it already),
    /// `--no-x` drops it.
    Task,
    Integer,
    Number,
    Text,
    /// Comma-separated, and the flag may be repeated.
    List,
    /// A JSON value, for objects with no flags of their own.
    Json,
    /// A path to a file holding a secret: the value itself never appears on
    /// the command line, where other users can read it in the process list,
    /// and `--config` may not set the field either.
    SecretFile,
}

/// One request flag: `--name VALUE` sets the field at `path` (dots for nested
/// objects).
pub struct Flag {
    pub name: &'static str,
    pub path: &'static str,
    pub kind: Kind,
    pub value: &'static str,
    pub help: &'static str,
}

const fn flag(
    name: &'static str,
    path: &'static str,
    kind: Kind,
    value: &'static str,
    help: &'static str,
) -> Flag {
    Flag {
        name,
        path,
        kind,
        value,
        help,
    }
}

use Kind::{Bool, Integer, Json, List, Number, SecretFile, Task, Text};

/// Every parameter of the spec's `TranscriptParams` and those added since
/// (`../shared/api-2026.md` §2, §3), grouped as in the help. No help text
/// states a default: each is the server's to decide and change (the model,
/// the language, even `formal`, on which the spec and the SDKs disagree).
pub const FLAGS: &[Flag] = &[
    flag(
        "--speech-models",
        "speech_models",
        List,
        "MODELS",
        "speech models in priority order (unset: the account's default model)",
    ),
    flag(
        "--language-code",
        "language_code",
        Text,
        "CODE",
        "language of the audio, e.g. en_us, es, de",
    ),
    flag(
        "--language-codes",
        "language_codes",
        List,
        "CODES",
        "languages for code switching; one must be en",
    ),
    flag(
        "--language-detection",
        "language_detection",
        Bool,
        "",
        "detect the dominant language",
    ),
    flag(
        "--language-confidence-threshold",
        "language_confidence_threshold",
        Number,
        "0..1",
        "fail when the detected language's confidence is lower",
    ),
    flag(
        "--expected-languages",
        "language_detection_options.expected_languages",
        List,
        "CODES",
        "languages language detection chooses from (unset: all)",
    ),
    flag(
        "--localization",
        "language_detection_options.localization",
        Text,
        "REGION",
        "regional English spelling when English is detected, e.g. en_au, en_uk",
    ),
    flag(
        "--fallback-language",
        "language_detection_options.fallback_language",
        Text,
        "CODE",
        "language when none expected is detected, or auto",
    ),
    flag(
        "--code-switching",
        "language_detection_options.code_switching",
        Bool,
        "",
        "detect several languages in one file",
    ),
    flag(
        "--code-switching-confidence-threshold",
        "language_detection_options.code_switching_confidence_threshold",
        Number,
        "0..1",
        "confidence needed to switch language",
    ),
    flag(
        "--punctuate",
        "punctuate",
        Bool,
        "",
        "add punctuation (--no-punctuate: none)",
    ),
    flag(
        "--format-text",
        "format_text",
        Bool,
        "",
        "casing and number formatting (--no-format-text: none)",
    ),
    flag(
        "--disfluencies",
        "disfluencies",
        Bool,
        "",
        "keep filler words like umm",
    ),
    flag(
        "--filter-profanity",
        "filter_profanity",
        Bool,
        "",
        "mask profanity",
    ),
    flag(
        "--multichannel",
        "multichannel",
        Bool,
        "",
        "transcribe each channel separately",
    ),
    flag(
        "--speaker-labels",
        "speaker_labels",
        Bool,
        "",
        "label speakers (fills utterances)",
    ),
    flag(
        "--speakers-expected",
        "speakers_expected",
        Integer,
        "N",
        "exact number of speakers",
    ),
    flag(
        "--min-speakers-expected",
        "speaker_options.min_speakers_expected",
        Integer,
        "N",
        "fewest possible speakers",
    ),
    flag(
        "--max-speakers-expected",
        "speaker_options.max_speakers_expected",
        Integer,
        "N",
        "most possible speakers",
    ),
    flag(
        "--audio-start-from",
        "audio_start_from",
        Integer,
        "MS",
        "start at this offset, in milliseconds",
    ),
    flag(
        "--audio-end-at",
        "audio_end_at",
        Integer,
        "MS",
        "stop at this offset, in milliseconds",
    ),
    flag(
        "--custom-spelling",
        "custom_spelling",
        Json,
        "JSON",
        "replacements, e.g. '[{\"from\":[\"gettleman\"],\"to\":\"Gettleman\"}]'",
    ),
    flag(
        "--keyterms-prompt",
        "keyterms_prompt",
        List,
        "TERMS",
        "domain terms to recognise better",
    ),
    flag(
        "--keyterms-match-strength",
        "keyterms_prompt_options.keyterms_match_strength",
        Text,
        "high|standard",
        "how strongly key terms are matched",
    ),
    flag(
        "--prompt",
        "prompt",
        Text,
        "TEXT",
        "context for the model: a description of the audio",
    ),
    flag(
        "--temperature",
        "temperature",
        Number,
        "0..1",
        "decoding randomness",
    ),
    flag(
        "--remove-audio-tags",
        "remove_audio_tags",
        Text,
        "all|speaker",
        "strip speaker cues (speaker), or those and tags like [music] (all)",
    ),
    flag(
        "--domain",
        "domain",
        Text,
        "medical-v1",
        "domain-specific correction, e.g. medical-v1 (Medical Mode, billed)",
    ),
    flag(
        "--speech-threshold",
        "speech_threshold",
        Number,
        "0..1",
        "reject audio with less speech than this fraction",
    ),
    flag(
        "--redact-pii",
        "redact_pii",
        Bool,
        "",
        "redact personal information in the text",
    ),
    flag(
        "--redact-pii-policies",
        "redact_pii_policies",
        List,
        "POLICIES",
        "what to redact, e.g. person_name,phone_number",
    ),
    flag(
        "--redact-pii-sub",
        "redact_pii_sub",
        Text,
        "entity_name|hash",
        "how redactions read",
    ),
    flag(
        "--redact-pii-return-unredacted",
        "redact_pii_return_unredacted",
        Bool,
        "",
        "also return the unredacted text (with --redact-pii)",
    ),
    flag(
        "--redact-static-entities",
        "redact_static_entities",
        Json,
        "JSON",
        "exact terms to redact by label, e.g. '{\"TOOL\":[\"Bearclaw\"]}'",
    ),
    flag(
        "--redact-pii-audio",
        "redact_pii_audio",
        Bool,
        "",
        "also make audio with PII bleeped (see aai redacted-audio)",
    ),
    flag(
        "--redact-pii-audio-quality",
        "redact_pii_audio_quality",
        Text,
        "mp3|wav",
        "redacted audio file type",
    ),
    flag(
        "--return-redacted-no-speech-audio",
        "redact_pii_audio_options.return_redacted_no_speech_audio",
        Bool,
        "",
        "redacted audio even without speech",
    ),
    flag(
        "--override-audio-redaction-method",
        "redact_pii_audio_options.override_audio_redaction_method",
        Text,
        "silence",
        "silence PII instead of a beep",
    ),
    flag(
        "--content-safety",
        "content_safety",
        Bool,
        "",
        "content moderation",
    ),
    flag(
        "--content-safety-confidence",
        "content_safety_confidence",
        Integer,
        "25..100",
        "moderation confidence threshold",
    ),
    flag(
        "--iab-categories",
        "iab_categories",
        Bool,
        "",
        "topic detection (IAB categories)",
    ),
    flag(
        "--auto-highlights",
        "auto_highlights",
        Bool,
        "",
        "key phrases",
    ),
    flag(
        "--entity-detection",
        "entity_detection",
        Bool,
        "",
        "named entities",
    ),
    flag(
        "--sentiment-analysis",
        "sentiment_analysis",
        Bool,
        "",
        "sentiment per sentence",
    ),
    flag(
        "--target-languages",
        "speech_understanding.request.translation.target_languages",
        List,
        "CODES",
        "translate into these languages, e.g. es,de",
    ),
    flag(
        "--formal",
        "speech_understanding.request.translation.formal",
        Bool,
        "",
        "formal style for translations, or informal with --no-formal",
    ),
    flag(
        "--match-original-utterance",
        "speech_understanding.request.translation.match_original_utterance",
        Bool,
        "",
        "translations per utterance (with --speaker-labels)",
    ),
    flag(
        "--force-translation",
        "speech_understanding.request.translation.force_translation",
        Bool,
        "",
        "translate even into the language the audio is in",
    ),
    flag(
        "--speaker-type",
        "speech_understanding.request.speaker_identification.speaker_type",
        Text,
        "role|name",
        "identify speakers by role or by name",
    ),
    flag(
        "--known-values",
        "speech_understanding.request.speaker_identification.known_values",
        List,
        "NAMES",
        "the roles or names to choose from (35 chars each)",
    ),
    flag(
        "--speakers",
        "speech_understanding.request.speaker_identification.speakers",
        Json,
        "JSON",
        "speakers with descriptions, e.g. '[{\"name\":\"Ana\",\"description\":\"host\"}]'",
    ),
    flag(
        "--custom-formatting-date",
        "speech_understanding.request.custom_formatting.date",
        Text,
        "PATTERN",
        "date format, e.g. mm/dd/yyyy",
    ),
    flag(
        "--custom-formatting-phone-number",
        "speech_understanding.request.custom_formatting.phone_number",
        Text,
        "PATTERN",
        "phone format, e.g. (xxx)xxx-xxxx",
    ),
    flag(
        "--custom-formatting-email",
        "speech_understanding.request.custom_formatting.email",
        Text,
        "PATTERN",
        "email format, e.g. username@domain.com",
    ),
    flag(
        "--format-utterances",
        "speech_understanding.request.custom_formatting.format_utterances",
        Bool,
        "",
        "apply the custom formats to each utterance too",
    ),
    flag(
        "--summarize",
        "speech_understanding.request.summarization.summary_type",
        Text,
        "paragraph|bullets",
        "summarize by topic, as paragraphs or bullet points",
    ),
    flag(
        "--summary-effort",
        "speech_understanding.request.summarization.effort",
        Text,
        "low|medium",
        "effort of the summary (medium for long or multilingual audio)",
    ),
    flag(
        "--action-items",
        "speech_understanding.request.action_items",
        Task,
        "",
        "list the action items",
    ),
    flag(
        "--include-decisions",
        "speech_understanding.request.action_items.include_decisions",
        Bool,
        "",
        "list the decisions taken too (asks for action items)",
    ),
    flag(
        "--action-items-effort",
        "speech_understanding.request.action_items.effort",
        Text,
        "low|medium",
        "effort of the action items",
    ),
    flag(
        "--webhook-url",
        "webhook_url",
        Text,
        "URL",
        "URL notified when the transcript is done",
    ),
    flag(
        "--webhook-auth-header-name",
        "webhook_auth_header_name",
        Text,
        "NAME",
        "header sent with the webhook",
    ),
    flag(
        "--webhook-auth-header-value-file",
        "webhook_auth_header_value",
        SecretFile,
        "PATH",
        "file holding that header's secret value",
    ),
    flag(
        "--speech-model",
        "speech_model",
        Text,
        "MODEL",
        "refused by the API: use --speech-models",
    ),
    flag(
        "--auto-chapters",
        "auto_chapters",
        Bool,
        "",
        "deprecated: chapters; use --summarize",
    ),
    flag(
        "--summarization",
        "summarization",
        Bool,
        "",
        "deprecated: summary; use --summarize",
    ),
    flag(
        "--summary-model",
        "summary_model",
        Text,
        "MODEL",
        "deprecated: informative|conversational|catchy; see --summary-effort",
    ),
    flag(
        "--summary-type",
        "summary_type",
        Text,
        "TYPE",
        "deprecated: bullets|bullets_verbose|gist|headline|paragraph; see --summarize",
    ),
    flag(
        "--custom-topics",
        "custom_topics",
        Bool,
        "",
        "deprecated, no effect",
    ),
    flag(
        "--topics",
        "topics",
        List,
        "TOPICS",
        "deprecated, no effect",
    ),
];

/// The help section listing every request flag, generated from the table so
/// it can't drift from what is parsed.
pub fn help() -> String {
    let mut text = String::from("Request options (the API's parameters, in kebab-case):\n");
    for flag in FLAGS {
        let usage = match flag.kind {
            Bool | Task => format!("{}, --no-{}", flag.name, &flag.name[2..]),
            _ => format!("{} {}", flag.name, flag.value),
        };
        text.push_str(&format!("  {usage:<48} {}\n", flag.help));
    }
    text.push_str(
        "  --config KEY=VALUE                               set any field (VALUE is JSON or text), e.g.\n\
         \x20                                                  --config speaker_options.max_speakers_expected=4\n\
         \x20 --config-file FILE.json                          read fields from a JSON object\n",
    );
    text
}
