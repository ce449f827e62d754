//! What can make `aai` fail, the exit code for each, and how it is printed.

use std::error::Error as _;
use std::io::{self, Write};
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
}

impl Kind {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Kind::Internal => 1,
            Kind::Usage => 2,
            Kind::Input => 3,
            Kind::Api => 4,
            Kind::Auth => 5,
            Kind::TranscriptFailed => 6,
            Kind::Timeout => 7,
            Kind::Network => 8,
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
        }
    }
}

/// A failure ready to print: everything a person or a script needs.
#[derive(Debug)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
    pub status: Option<u16>,
    pub transcript_id: Option<String>,
    /// What to do about it, when there is something to say.
    pub hint: Option<String>,
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
        let mut stderr = io::stderr().lock();
        // Nothing useful can be done if stderr itself is gone.
        let _ = if json {
            let object = serde_json::json!({ "error": {
                "kind": self.kind.name(),
                "message": self.message,
                "status": self.status,
                "transcript_id": self.transcript_id,
            }});
            writeln!(stderr, "{object}")
        } else {
            let mut text = format!("aai: error: {}\n", self.message);
            if let Some(hint) = self.resume_hint().or(self.hint.clone()) {
                text.push_str(&format!("aai: hint: {hint}\n"));
            }
            stderr.write_all(text.as_bytes())
        };
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
        let kind = match &error {
            Error::MissingApiKey => Kind::Auth,
            Error::Api { status: 401, .. } => Kind::Auth,
            Error::Api {
                status: 429 | 500..=599,
                ..
            } => Kind::Network,
            Error::Api { .. } => Kind::Api,
            Error::TranscriptFailed { .. } => Kind::TranscriptFailed,
            Error::Timeout { .. } => Kind::Timeout,
            Error::InvalidInput { .. } => Kind::Usage,
            Error::InvalidSource { .. } | Error::Io { .. } => Kind::Input,
            Error::InvalidResponse { .. } | Error::Http { .. } => Kind::Network,
            _ => Kind::Internal,
        };
        let hint = match &error {
            Error::MissingApiKey => Some(
                "or keep it in a file readable only by you and pass --api-key-file PATH".to_owned(),
            ),
            Error::Api { status: 401, .. } => Some(
                "check the key in ASSEMBLYAI_API_KEY (or the --api-key-file file): \
                 https://www.assemblyai.com/app/api-keys"
                    .to_owned(),
            ),
            Error::Api { status: 403, .. } => Some(
                "an uploaded file can only be transcribed with a key of the project that uploaded it"
                    .to_owned(),
            ),
            _ => None,
        };
        Failure {
            kind,
            message: chain(&error),
            status: error.status(),
            transcript_id: error.transcript_id().map(str::to_owned),
            hint,
        }
    }
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
