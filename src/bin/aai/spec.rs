//! What each command accepts, read from its help text: the help is the one
//! place a command's options are written down (the request options in it are
//! generated from their table), so completions and "did you mean" are made
//! from it and can't drift from what `--help` says. A test checks that every
//! option found here is one the command's parser accepts.

use assemblyai::{
    AudioRedactionMethod, LanguageCode, PiiPolicy, RedactPiiAudioQuality, RemoveAudioTags,
    SpeakerType, SpeechModel, SubstitutionPolicy, SummaryModel, SummaryType, TranscriptStatus,
};

use crate::{commands, help};

/// One option of a command: `-o, --output FILE   write the result to FILE`.
pub struct Opt {
    /// Every spelling, short first: `["-o", "--output"]`.
    pub names: Vec<&'static str>,
    /// The value's placeholder (`FILE`, `us|eu`), for an option taking one.
    pub value: Option<&'static str>,
    pub help: &'static str,
}

impl Opt {
    /// The long name, or the only one.
    pub fn long(&self) -> &'static str {
        self.names.last().copied().unwrap_or("")
    }

    /// The values the option takes, when they are a known set.
    pub fn choices(&self) -> Vec<&'static str> {
        choices(self.long(), self.value.unwrap_or(""))
    }

    /// Whether the value names a local file.
    pub fn takes_path(&self) -> bool {
        self.value
            .is_some_and(|value| value.starts_with("FILE") || value == "PATH" || value == "DIR")
    }

    /// Whether the value is a comma-separated list.
    pub fn takes_list(&self) -> bool {
        crate::request_flags::takes_list(self.long())
    }
}

/// The commands, in `aai --help` order, with their one-line summaries.
pub fn commands() -> Vec<(&'static str, String)> {
    let mut names: Vec<&'static str> = commands::ALL.iter().map(|(name, _)| *name).collect();
    names.push("help");
    names
        .into_iter()
        .map(|name| {
            let summary = help::MAIN
                .lines()
                .find_map(|line| {
                    let rest = line.strip_prefix("  ")?;
                    (rest.split_whitespace().next() == Some(name))
                        .then(|| rest.split_once("  ").map(|(_, s)| s.trim().to_owned()))?
                })
                .unwrap_or_default();
            (name, summary)
        })
        .collect()
}

/// Every option of `command` (`None`: the options before any command), as
/// its help lists them, `-h, --help` included.
pub fn options(command: Option<&str>) -> Vec<Opt> {
    let text = match command {
        None => help::MAIN,
        Some(name) => help::for_command(name).unwrap_or(""),
    };
    let mut options: Vec<Opt> = Vec::new();
    for line in text.lines() {
        let Some(spec) = line.strip_prefix("  ").filter(|rest| rest.starts_with('-')) else {
            continue;
        };
        // `SPEC   help`, or `SPEC: see ...` for the line naming shared options.
        let (spec, help) = match (spec.find("  "), spec.find(": ")) {
            (Some(gap), Some(colon)) if colon < gap => (&spec[..colon], &spec[colon + 2..]),
            (Some(gap), _) => (&spec[..gap], &spec[gap..]),
            (None, Some(colon)) => (&spec[..colon], &spec[colon + 2..]),
            // `--poll-interval DURATION poll at...`: the placeholder filled
            // the column; it is the word in capitals.
            (None, None) => split_tight(spec),
        };
        let help = help.trim();
        let parts: Vec<&'static str> = spec.split(", ").collect();
        let mut at = 0;
        while at < parts.len() {
            let mut words = parts[at].split_whitespace();
            at += 1;
            let Some(name) = words.next().filter(|name| name.len() > 1) else {
                continue;
            };
            let mut names = vec![name];
            let mut value = words.next();
            let alias = parts.get(at).filter(|next| next.starts_with("--"));
            if let (false, None, Some(next)) = (name.starts_with("--"), value, alias) {
                // `-o, --output FILE`: the short name is the long one's.
                let mut words = next.split_whitespace();
                names.extend(words.next());
                value = words.next();
                at += 1;
            }
            let long = *names.last().unwrap();
            if !options.iter().any(|known| known.long() == long) {
                // The shared options are explained once, in aai --help.
                let help = match (help, command) {
                    ("see aai --help", Some(_)) => options_help(long),
                    _ => help,
                };
                options.push(Opt { names, value, help });
            }
        }
    }
    if command.is_some() && !options.iter().any(|known| known.long() == "--help") {
        options.push(Opt {
            names: vec!["-h", "--help"],
            value: None,
            help: "this command's help",
        });
    }
    options
}

/// `NAME[, NAME] [VALUE] help...` with single spaces between them.
fn split_tight(spec: &'static str) -> (&'static str, &'static str) {
    let mut end = 0;
    let mut after_name = false;
    for word in spec.split(' ') {
        let name = word.starts_with('-');
        let placeholder = after_name && !word.is_empty() && !word.chars().any(char::is_lowercase);
        if !name && !placeholder {
            break;
        }
        end += word.len() + 1;
        if placeholder {
            break;
        }
        // `--x, --no-x`: after a comma comes another name, not a value.
        after_name = !word.ends_with(',');
    }
    let end = end.min(spec.len());
    (spec[..end].trim_end(), &spec[end..])
}

/// What `aai --help` says of a shared option.
fn options_help(name: &str) -> &'static str {
    options(None)
        .into_iter()
        .find(|opt| opt.long() == name)
        .map_or("see aai --help", |opt| opt.help)
}

/// Every spelling of every option of `command`, for "did you mean".
pub fn option_names(command: &str) -> Vec<&'static str> {
    options(Some(command))
        .into_iter()
        .flat_map(|opt| opt.names)
        .collect()
}

/// The values an option takes, from the library's own lists where it has
/// one, else from a placeholder like `mp3|wav`.
fn choices(long: &str, placeholder: &'static str) -> Vec<&'static str> {
    let known: &[&'static str] = match long {
        "--format" => crate::render::FORMAT_NAMES,
        "--region" => &["us", "eu"],
        "--speech-models" | "--speech-model" => SpeechModel::KNOWN,
        "--redact-pii-policies" => PiiPolicy::KNOWN,
        "--rewrite-mode" => assemblyai::dictation::RewriteMode::KNOWN,
        "--clip-errors" => &["problem", "legacy"],
        "--llm-error" => assemblyai::dictation::LlmError::KNOWN,
        "--language-code"
        | "--language-codes"
        | "--expected-languages"
        | "--fallback-language"
        | "--target-languages" => LanguageCode::KNOWN,
        "--status" => TranscriptStatus::KNOWN,
        "--speaker-type" => SpeakerType::KNOWN,
        "--redact-pii-sub" => SubstitutionPolicy::KNOWN,
        "--redact-pii-audio-quality" => RedactPiiAudioQuality::KNOWN,
        "--remove-audio-tags" => RemoveAudioTags::KNOWN,
        "--override-audio-redaction-method" => AudioRedactionMethod::KNOWN,
        "--summary-model" => SummaryModel::KNOWN,
        "--summary-type" => SummaryType::KNOWN,
        _ => &[],
    };
    if !known.is_empty() {
        return known.to_vec();
    }
    if placeholder.contains('|') {
        return placeholder.split('|').collect();
    }
    Vec::new()
}
