//! What can make `aai` fail, the exit code for each, and how it is printed.

use std::error::Error as _;
use std::process::ExitCode;

use assemblyai::Error;

/// Categories of failure, each with its own exit code (the README has the
/// table), so scripts can tell a bad flag from a failed job from a network
/// outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Something unexpected; exit 1.
    Internal,
    /// The command line is wrong: unknown flag, bad value, missing argument.
    Usage,
    /// A local file or stream can't be used: missing, unreadable, empty, too
    /// large, or an output file can't be written.
    Input,
    /// The API refused the request (400, 403, 404, ...).
    Api,
    /// No API key, or the API rejected it (401).
    Auth,
    /// The transcript ended with `status: "error"`.
    TranscriptFailed,
    /// The `--timeout` deadline passed.
    Timeout,
    /// The network or the API's servers failed, and retries ran out.
    Network,
    /// Ctrl-C, SIGTERM or SIGHUP, after the command finished what it had to
    /// (`aai stream`).
    Interrupted,
    /// A search found nothing: exit 1 without a message, as grep does.
    NothingFound,
}

impl Kind {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Kind::Internal | Kind::NothingFound => 1,
            Kind::Usage => 2,
            Kind::Input => 3,
            Kind::Api => 4,
            Kind::Auth => 5,
            Kind::TranscriptFailed => 6,
            Kind::Timeout => 7,
            Kind::Network => 8,
            // 128 + the signal that stopped it: 130 for Ctrl-C, 143 for SIGTERM.
            Kind::Interrupted => crate::interrupt::stopped_exit_code(),
        }
    }

    /// The name used in `--json` error objects.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Internal => "internal",
            Kind::Usage => "usage",
            Kind::Input => "input",
            Kind::Api => "api",
            Kind::Auth => "auth",
            Kind::TranscriptFailed => "transcript_failed",
            Kind::Timeout => "timeout",
            Kind::Network => "network",
            Kind::Interrupted => "interrupted",
            Kind::NothingFound => "nothing_found",
        }
    }
}

impl From<assemblyai::FailureKind> for Kind {
    fn from(kind: assemblyai::FailureKind) -> Kind {
        use assemblyai::FailureKind as Class;
        match kind {
            Class::Input => Kind::Input,
            Class::Api => Kind::Api,
            Class::Auth => Kind::Auth,
            Class::TranscriptFailed => Kind::TranscriptFailed,
            Class::Timeout => Kind::Timeout,
            Class::Network => Kind::Network,
            Class::Usage => Kind::Usage,
            _ => Kind::Internal,
        }
    }
}

/// A failure ready to print: everything a person or a script needs.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
    pub status: Option<u16>,
    pub transcript_id: Option<String>,
    /// What to do about it, when there is something to say.
    pub hint: Option<String>,
    /// A create whose job may exist: its `audio_url`, when it was sent and
    /// the listed jobs that may be it, for `--json` readers to look for it.
    pub may_have_created: Option<serde_json::Value>,
}

pub type CliResult<T = ()> = Result<T, Failure>;

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure::new(Kind::Usage, message)
    }

    pub fn input(message: impl Into<String>) -> Self {
        Failure::new(Kind::Input, message)
    }

    /// A failure of any kind, for those with no shorthand above.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            status: None,
            transcript_id: None,
            hint: None,
            may_have_created: None,
        }
    }

    /// Names the transcript the failure is about, unless it names one already.
    pub fn about(mut self, id: Option<&str>) -> Self {
        if self.transcript_id.is_none() {
            self.transcript_id = id.map(str::to_owned);
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Prints the failure on stderr (as one JSON object with `--json`) and
    /// returns the exit code.
    pub fn report(&self, json: bool) -> ExitCode {
        if self.kind == Kind::NothingFound {
            // The empty result said it all, on stdout.
        } else if json {
            let mut object = serde_json::json!({ "error": {
                "kind": self.kind.name(),
                "message": self.message,
                "status": self.status,
                "transcript_id": self.transcript_id,
            }});
            if let Some(attempt) = &self.may_have_created {
                object["error"]["may_have_created"] = attempt.clone();
            }
            crate::notice::json(&object);
        } else {
            let error = format!("aai: error: {}", self.message);
            // A hint the command gave knows better than the generic one.
            match self.hint.clone().or(self.resume_hint()) {
                Some(hint) => crate::notice::text_lines(&[&error, &format!("aai: hint: {hint}")]),
                None => crate::notice::text_lines(&[&error]),
            }
        }
        ExitCode::from(self.kind.code())
    }

    /// A job that still exists can be picked up again.
    fn resume_hint(&self) -> Option<String> {
        let id = self.transcript_id.as_deref()?;
        matches!(self.kind, Kind::Timeout | Kind::Network).then(|| {
            format!("transcript {id} lives on at AssemblyAI; pick it up with: aai wait {id}")
        })
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        if let Error::MaybeCreated { attempt, source } = error {
            return maybe_created(&attempt, *source);
        }
        // One classification for the library's errors, the core's, which a
        // batch's report and exit code use too.
        let kind = Kind::from(error.kind());
        let hint = match &error {
            Error::MissingApiKey => Some(
                "or keep it in a file readable only by you and pass --api-key-file PATH".to_owned(),
            ),
            Error::InvalidApiKey { .. } => Some(
                "check ASSEMBLYAI_API_KEY (or the --api-key-file file): \
                 https://www.assemblyai.com/app/api-keys"
                    .to_owned(),
            ),
            Error::StreamClosed {
                code: 1008,
                retryable: false,
                ..
            } => Some(
                "the server refused the key or the account: check ASSEMBLYAI_API_KEY and the \
                 account's balance at https://www.assemblyai.com/app"
                    .to_owned(),
            ),
            Error::Api { status: 401, .. } | Error::Clip { status: 401, .. } => Some(
                "check the key in ASSEMBLYAI_API_KEY (or the --api-key-file file, or the one \
                 aai login stored): https://www.assemblyai.com/app/api-keys"
                    .to_owned(),
            ),
            _ if error.is_speech_model_refusal() => Some(crate::request_flags::models::hint(
                crate::request_flags::models::source().as_deref(),
            )),
            // No reply at all: the host is what to check first.
            // No connection at all: the host is what to check. (One that
            // dropped after sending may have been acted on: no such hint.)
            Error::Http { .. } if error.is_unreachable() => crate::cli::unreachable_hint(),
            Error::Api { status: 403, .. } => Some(
                "an uploaded file can only be transcribed with a key of the project that uploaded it"
                    .to_owned(),
            ),
            _ => None,
        };
        // The library can't know of `aai login`; the CLI's message names it,
        // in the message itself so that --json's error object has it too.
        let message = match &error {
            Error::MissingApiKey => "no API key: store one with aai login, or set \
                ASSEMBLYAI_API_KEY (or ASSEMBLYAI_KEY) to the key from \
                https://www.assemblyai.com/app/api-keys"
                .to_owned(),
            _ if error.is_speech_model_refusal() => match crate::request_flags::models::source() {
                Some(from) => format!("the speech model choice of {from}: {}", chain(&error)),
                None => chain(&error),
            },
            _ => chain(&error),
        };
        Failure {
            kind,
            message,
            status: error.status(),
            transcript_id: error.transcript_id().map(str::to_owned),
            hint,
            may_have_created: None,
        }
    }
}

/// A create that failed but may have made its job: the failure as itself
/// (its exit code included), saying in the message, which `--json` carries
/// too, that a job may exist and how to look, since running the same
/// command again could bill the audio twice.
fn maybe_created(attempt: &assemblyai::CreateAttempt, source: Error) -> Failure {
    let mut failure = Failure::from(source);
    let since = attempt
        .started
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let url = &attempt.audio_url;
    let mut message = format!(
        "{}; a transcript of {url} may have been created anyway: look with `aai list` before \
         running this again, which could bill the audio twice",
        failure.message
    );
    if !attempt.candidates.is_empty() {
        message.push_str(&format!(
            " (listed, perhaps it: {})",
            attempt.candidates.join(", ")
        ));
    }
    failure.message = message;
    failure.hint = Some(match attempt.candidates.first() {
        Some(id) => format!("see whether it is the one you asked for: aai get {id} --json"),
        None => "aai list shows the newest transcripts first, with their audio URLs".to_owned(),
    });
    failure.may_have_created = Some(serde_json::json!({
        "audio_url": url,
        "started_unix": since,
        "candidates": attempt.candidates,
    }));
    failure
}

impl From<pico_args::Error> for Failure {
    fn from(error: pico_args::Error) -> Self {
        Failure::usage(error.to_string())
    }
}

/// The error and its causes, `outer: inner: innermost`.
fn chain(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
