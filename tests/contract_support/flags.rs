//! Every request flag of `aai submit` and `aai transcribe` with a valid
//! value, and the flags `aai submit --help` lists, to check nothing is left
//! out.

use std::collections::BTreeSet;
use std::process::Command;

/// Which request a flag goes in. The groups are the spec's: its
/// `speech_understanding.request` is `oneOf` one task, and its `prompt`
/// excluded `keyterms_prompt` (the API now takes both, and several tasks;
/// the requests checked against the March 2026 spec keep to what it allows).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Every request.
    All,
    Keyterms,
    Prompt,
    Translation,
    SpeakerIdentification,
    CustomFormatting,
    /// Added to the API after the March 2026 spec (`../shared/api-2026.md`
    /// §2, §3): in no request checked against it, their own tests check them.
    Since2026,
    /// Refused before anything is sent (the singular `speech_model`).
    RefusedLocally,
}

pub use Group::{
    All, CustomFormatting, Keyterms, Prompt, RefusedLocally, Since2026, SpeakerIdentification,
    Translation,
};

/// Every request flag with a valid value (`None`: a switch, sent as `--x` in
/// one request and `--no-x` in another). `{hook}` and `{secret}` are filled in.
pub const FLAGS: &[(&str, Option<&str>, Group)] = &[
    ("--speech-models", Some("universal-2"), All),
    ("--language-code", Some("en_us"), All),
    ("--language-codes", Some("en,es"), All),
    ("--language-detection", None, All),
    ("--language-confidence-threshold", Some("0.4"), All),
    ("--expected-languages", Some("en,es"), All),
    ("--localization", Some("en_au"), Since2026),
    ("--fallback-language", Some("en"), All),
    ("--code-switching", None, All),
    ("--code-switching-confidence-threshold", Some("0.3"), All),
    ("--punctuate", None, All),
    ("--format-text", None, All),
    ("--disfluencies", None, All),
    ("--filter-profanity", None, All),
    ("--multichannel", None, All),
    ("--speaker-labels", None, All),
    ("--speakers-expected", Some("2"), All),
    ("--min-speakers-expected", Some("1"), All),
    ("--max-speakers-expected", Some("3"), All),
    ("--audio-start-from", Some("1000"), All),
    ("--audio-end-at", Some("60000"), All),
    (
        "--custom-spelling",
        Some(r#"[{"from":["dicarlo"],"to":"DeCarlo"}]"#),
        All,
    ),
    (
        "--keyterms-prompt",
        Some("wildfire,air quality alert"),
        Keyterms,
    ),
    ("--keyterms-match-strength", Some("high"), Since2026),
    (
        "--prompt",
        Some("A radio interview about wildfire smoke."),
        Prompt,
    ),
    ("--temperature", Some("0.2"), All),
    ("--remove-audio-tags", Some("all"), All),
    ("--domain", Some("medical-v1"), Since2026),
    ("--speech-threshold", Some("0.5"), All),
    ("--redact-pii", None, All),
    (
        "--redact-pii-policies",
        Some("person_name,phone_number"),
        All,
    ),
    ("--redact-pii-sub", Some("entity_name"), All),
    ("--redact-pii-return-unredacted", None, Since2026),
    (
        "--redact-static-entities",
        Some(r#"{"INTERNAL_TOOL":["Bearclaw"]}"#),
        Since2026,
    ),
    ("--redact-pii-audio", None, All),
    ("--redact-pii-audio-quality", Some("wav"), All),
    ("--return-redacted-no-speech-audio", None, All),
    ("--override-audio-redaction-method", Some("silence"), All),
    ("--content-safety", None, All),
    ("--content-safety-confidence", Some("60"), All),
    ("--iab-categories", None, All),
    ("--auto-highlights", None, All),
    ("--entity-detection", None, All),
    ("--sentiment-analysis", None, All),
    ("--target-languages", Some("es,de"), Translation),
    ("--formal", None, Translation),
    ("--match-original-utterance", None, Translation),
    ("--force-translation", None, Since2026),
    ("--speaker-type", Some("role"), SpeakerIdentification),
    (
        "--known-values",
        Some("Interviewer,Interviewee"),
        SpeakerIdentification,
    ),
    (
        "--speakers",
        Some(r#"[{"role":"Interviewer","name":"Ana","description":"asks the questions"}]"#),
        SpeakerIdentification,
    ),
    (
        "--custom-formatting-date",
        Some("mm/dd/yyyy"),
        CustomFormatting,
    ),
    (
        "--custom-formatting-phone-number",
        Some("(xxx)xxx-xxxx"),
        CustomFormatting,
    ),
    (
        "--custom-formatting-email",
        Some("username@domain.com"),
        CustomFormatting,
    ),
    ("--format-utterances", None, Since2026),
    ("--summarize", Some("bullets"), Since2026),
    ("--summary-effort", Some("medium"), Since2026),
    ("--action-items", None, Since2026),
    ("--include-decisions", None, Since2026),
    ("--action-items-effort", Some("low"), Since2026),
    ("--webhook-url", Some("{hook}"), All),
    ("--webhook-auth-header-name", Some("X-Webhook-Secret"), All),
    ("--webhook-auth-header-value-file", Some("{secret}"), All),
    ("--speech-model", Some("universal-2"), RefusedLocally),
    ("--auto-chapters", None, All),
    ("--summarization", None, All),
    ("--summary-model", Some("informative"), All),
    ("--summary-type", Some("bullets"), All),
    ("--custom-topics", None, All),
    ("--topics", Some("wildfires,health"), All),
];

/// The `submit` command lines that together use every request flag:
/// the groups each takes, and whether its switches are negated.
/// (`Since2026` and `RefusedLocally` are in none: see `Group`.)
pub const REQUESTS: &[(&[Group], bool)] = &[
    (&[All, Keyterms, Translation], false),
    (&[All, Prompt, SpeakerIdentification], true),
    (&[All, Keyterms, CustomFormatting], false),
    (&[All, Prompt, Translation], true),
];

/// Every flag of the table, and the `--no-` form of each switch.
pub fn every_flag() -> BTreeSet<String> {
    let mut flags = BTreeSet::new();
    for &(name, value, _) in FLAGS {
        flags.insert(name.to_owned());
        if value.is_none() {
            flags.insert(format!("--no-{}", &name[2..]));
        }
    }
    flags
}

/// The request flags of one `submit` command line.
pub fn request_flags(groups: &[Group], negated: bool, hook: &str, secret: &str) -> Vec<String> {
    let mut args = Vec::new();
    for &(name, value, group) in FLAGS {
        if !groups.contains(&group) {
            continue;
        }
        match value {
            Some(value) => {
                args.push(name.to_owned());
                args.push(value.replace("{hook}", hook).replace("{secret}", secret));
            }
            None if negated => args.push(format!("--no-{}", &name[2..])),
            None => args.push(name.to_owned()),
        }
    }
    args
}

/// The flags listed under "Request options" in `aai submit --help`, with
/// the `--no-` form of each switch.
pub fn request_flags_in_help() -> BTreeSet<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_aai"))
        .args(["submit", "--help"])
        .output()
        .expect("run aai submit --help");
    let help = String::from_utf8(output.stdout).unwrap();
    let section = help
        .split("Request options")
        .nth(1)
        .expect("a Request options section in aai submit --help");
    let mut flags = BTreeSet::new();
    for line in section.lines().skip(1) {
        if line.trim().is_empty() {
            break;
        }
        let Some(usage) = line.strip_prefix("  --") else {
            continue;
        };
        for part in format!("--{usage}").split(", ") {
            if let Some(name) = part
                .split_whitespace()
                .next()
                .filter(|n| n.starts_with("--"))
            {
                flags.insert(name.to_owned());
            }
        }
    }
    flags
}
