//! The class of a failure, by what would fix it: the CLI's exit codes, a
//! batch's report, and any caller deciding what to do about an [`Error`].

use serde::{Deserialize, Serialize};

use crate::Error;

/// Why a call failed, by what would fix it; the classes of the CLI's exit
/// codes and of a batch's failed sources. [`Error::kind`] gives an error's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FailureKind {
    /// The local file can't be used (missing, empty, unreadable), or an
    /// output can't be written.
    Input,
    /// The API refused the request (400, 403, 404...).
    Api,
    /// No key, or the API rejected it (401).
    Auth,
    /// The transcript ended with `status: "error"`.
    TranscriptFailed,
    /// A deadline passed.
    Timeout,
    /// The network or the API's servers failed, and retries ran out.
    Network,
    /// A request option is not acceptable.
    Usage,
    /// Anything else.
    Internal,
}

impl FailureKind {
    /// The class of a library error.
    pub fn of(error: &Error) -> FailureKind {
        match error {
            Error::MissingApiKey | Error::InvalidApiKey { .. } | Error::Api { status: 401, .. } => {
                FailureKind::Auth
            }
            // Its cause says what went wrong; the batch keeps the create open
            // (the journal's "creating" record) whatever the class.
            Error::MaybeCreated { source, .. } => FailureKind::of(source),
            Error::Api {
                status: 429 | 500..=599,
                ..
            } => FailureKind::Network,
            // The choice of model is the caller's configuration, and every
            // other request with it would be refused the same way.
            Error::Api { .. } if error.is_speech_model_refusal() => FailureKind::Usage,
            Error::Api { .. } => FailureKind::Api,
            Error::Clip { status: 401, .. } => FailureKind::Auth,
            Error::Clip {
                status: 429 | 500..=599,
                ..
            } => FailureKind::Network,
            Error::Clip { .. } => FailureKind::Api,
            Error::TranscriptFailed { .. } => FailureKind::TranscriptFailed,
            Error::Timeout { .. } => FailureKind::Timeout,
            Error::InvalidInput { .. } => FailureKind::Usage,
            Error::InvalidSource { .. } | Error::Io { .. } => FailureKind::Input,
            Error::InvalidResponse { .. } | Error::Http { .. } => FailureKind::Network,
            Error::StreamClosed {
                retryable: true, ..
            }
            | Error::WebSocket { .. } => FailureKind::Network,
            Error::StreamClosed { code: 1008, .. } => FailureKind::Auth,
            Error::StreamClosed { .. } => FailureKind::Api,
            // A variant added later is internal until it is named here; a batch
            // treats it as a create of unknown outcome, never as a refusal.
            #[allow(unreachable_patterns)]
            _ => FailureKind::Internal,
        }
    }

    /// How serious the class is when choosing one for a whole run: the
    /// higher, the more of the run it likely affects.
    pub fn severity(self) -> u8 {
        match self {
            FailureKind::TranscriptFailed => 1,
            FailureKind::Input => 2,
            FailureKind::Api => 3,
            FailureKind::Timeout => 4,
            FailureKind::Network => 5,
            FailureKind::Usage => 6,
            FailureKind::Auth => 7,
            FailureKind::Internal => 8,
        }
    }
}

impl Error {
    /// The class of this error, by what would fix it.
    ///
    /// ```
    /// use assemblyai::{Error, FailureKind};
    ///
    /// assert_eq!(Error::MissingApiKey.kind(), FailureKind::Auth);
    /// ```
    pub fn kind(&self) -> FailureKind {
        FailureKind::of(self)
    }
}
