//! The crate's one error type.

use std::fmt;
use std::time::{Duration, SystemTime};

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking to AssemblyAI.
///
/// Each variant states only its own context in `Display`; the wrapped cause is
/// available through [`std::error::Error::source`], so printing the chain never
/// repeats itself. The accessors [`status`](Error::status),
/// [`transcript_id`](Error::transcript_id) and [`is_retryable`](Error::is_retryable)
/// give a caller what it needs to decide what to do next.
///
/// ```
/// use assemblyai::Error;
///
/// fn explain(err: &Error) -> String {
///     match err.transcript_id() {
///         Some(id) => format!("{err} (resume with `aai wait {id}`)"),
///         None => err.to_string(),
///     }
/// }
/// # let _ = explain;
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an HTTP error status.
    Api {
        /// The HTTP status code, e.g. 400, 401, 404, 429, 500.
        status: u16,
        /// The server's own message (the `error` field of its JSON body), or a
        /// description of the body when it was not the documented JSON.
        message: String,
        /// The transcript the request was about, when there was one.
        transcript_id: Option<String>,
        /// How long the server asked us to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
        /// The id the server gave this request (the LLM Gateway's
        /// `request_id`), for AssemblyAI's support.
        request_id: Option<String>,
    },
    /// The transcript finished with `status: "error"`.
    TranscriptFailed {
        /// The failed transcript's id.
        id: String,
        /// The server's explanation, e.g. `"Audio duration is too short."`.
        message: String,
    },
    /// The caller's overall deadline passed before the work was done.
    Timeout {
        /// The transcript being waited for, when one had been created: it is
        /// still running and can be resumed with `wait_for_transcript`.
        transcript_id: Option<String>,
        /// How long the call ran before giving up.
        elapsed: Duration,
    },
    /// No API key was given and none was found in the environment.
    MissingApiKey,
    /// The API key cannot be used as given: it holds a character an HTTP
    /// header cannot carry (a newline, a non-ASCII character). Nothing was
    /// sent. An authentication problem, like a key the API rejects (401).
    InvalidApiKey {
        /// What is wrong with the key (never the key itself).
        message: String,
    },
    /// A value the caller supplied (a request option, a query, an id) is not
    /// acceptable; nothing was sent.
    InvalidInput {
        /// What was wrong, naming the field and the accepted values.
        message: String,
    },
    /// The audio to upload cannot be used: the file is missing, a directory,
    /// empty or over the upload limit, or the source is neither a file nor an
    /// http(s) URL. Nothing was sent.
    InvalidSource {
        /// What was wrong with the source and what to do instead.
        message: String,
    },
    /// The server's reply could not be understood (not JSON, truncated JSON,
    /// an HTML error page, an unexpected shape).
    InvalidResponse {
        /// The HTTP status of the reply.
        status: u16,
        /// What was expected and a short, sanitized excerpt of what came.
        message: String,
        /// The transcript the request was about, when there was one.
        transcript_id: Option<String>,
    },
    /// Reading or writing a local file or stream failed.
    Io {
        /// What was being done, e.g. "cannot open recording.mp3".
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The HTTP exchange failed: connection refused, DNS, TLS, a dropped
    /// connection, or a per-request timeout.
    Http {
        /// What was being done, e.g. "GET /v2/transcript/{id}".
        context: String,
        /// The underlying transport error.
        source: Box<ureq::Error>,
        /// The transcript the request was about, when there was one.
        transcript_id: Option<String>,
    },
    /// The streaming server closed a session (or refused one before its
    /// `Begin`) with a code that retrying cannot fix, or with a retryable
    /// one after the reconnections ran out.
    StreamClosed {
        /// The WebSocket close code: 1008 credentials or account, 3005
        /// server error, 3006 bad parameter or message, 3007 chunk size or
        /// sending rate, 3008 maximum duration, 3009 concurrency.
        code: u16,
        /// The server's text: its `Error` message's when one came (the close
        /// reason is often a pointer to it), else the close reason.
        reason: String,
        /// The session, when it had begun.
        session_id: Option<String>,
        /// Whether a new session later may succeed.
        retryable: bool,
    },
    /// The streaming connection failed: DNS, TCP, TLS, the WebSocket
    /// handshake or framing, a dropped connection, or no `Begin` in time.
    WebSocket {
        /// What was being done, e.g. "cannot connect to wss://...".
        context: String,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// The session, when it had begun.
        session_id: Option<String>,
    },
    /// The Sync STT or Dictation API answered a clip with an error status.
    /// Both of their error bodies are read: RFC 9457 `{status, title,
    /// detail}` and the legacy `{error_code, message}`.
    Clip {
        /// The API that answered.
        service: crate::Service,
        /// The HTTP status, e.g. 400, 401, 413, 415, 429, 503, 504.
        status: u16,
        /// What kind of failure: the body's `error_code`, or its `title`
        /// snake-cased (`"Audio Too Large"` → `audio_too_large`).
        code: Option<crate::ClipErrorCode>,
        /// The server's own words (`detail`, `message` or `error`), or a
        /// description of the body when it was not JSON.
        message: String,
        /// How long the server asked us to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },
    /// A request creating a transcript failed in a way that leaves open
    /// whether the API started the job: the deadline passed or the
    /// connection broke while it was in flight, the API answered 500, 502 or
    /// 504, or the reply was unreadable, and the client could not find the
    /// job in the list (not yet listed, or the list failed).
    ///
    /// The job may appear seconds later, and it is billed if it does, so
    /// sending the request again could bill the audio twice. Look for it
    /// first: [`Client::find_created`](crate::Client::find_created) with
    /// this `attempt` and the same request adopts it when it shows up.
    /// [`Error::may_have_created`] gives the attempt from any error.
    MaybeCreated {
        /// What was asked and when, to find the job by.
        attempt: CreateAttempt,
        /// The failure itself (a [`Timeout`](Error::Timeout), an
        /// [`Http`](Error::Http) error, a 5xx [`Api`](Error::Api) error, an
        /// [`InvalidResponse`](Error::InvalidResponse)); the accessors
        /// [`status`](Error::status) and [`transcript_id`](Error::transcript_id)
        /// answer for it.
        source: Box<Error>,
    },
}

/// A transcript creation whose outcome is unknown: what
/// [`Error::MaybeCreated`] carries, so the caller can look for the job later.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateAttempt {
    /// The `audio_url` of the request: a job it made lists this URL.
    pub audio_url: String,
    /// When the first create request was sent, by this machine's clock.
    pub started: SystemTime,
    /// Whether `audio_url` came from an upload made by the same call: no one
    /// else knows it, so any job with that URL is this call's.
    pub own_upload: bool,
    /// Listed jobs of the same audio that may be this attempt's but could
    /// not be proven so: a creation time that fits only if the list's clock
    /// is in another time zone, or options the job does not echo. Empty when
    /// none was listed. They are never adopted: look at them before creating
    /// another job.
    pub candidates: Vec<String>,
}

impl Error {
    /// The HTTP status of an API error or an unreadable reply.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::InvalidResponse { status, .. }
            | Error::Clip { status, .. } => Some(*status),
            Error::MaybeCreated { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The transcript this error is about, when one exists: a failed
    /// transcript, a deadline reached while it was running, or a failed
    /// request about it. A transcript that exists is never left out.
    pub fn transcript_id(&self) -> Option<&str> {
        match self {
            Error::Api { transcript_id, .. }
            | Error::Timeout { transcript_id, .. }
            | Error::InvalidResponse { transcript_id, .. }
            | Error::Http { transcript_id, .. } => transcript_id.as_deref(),
            Error::TranscriptFailed { id, .. } => Some(id),
            Error::MaybeCreated { source, .. } => source.transcript_id(),
            _ => None,
        }
    }

    /// The id the server gave the failed request (the LLM Gateway sends one
    /// with every error), to quote to AssemblyAI's support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } => request_id.as_deref(),
            Error::MaybeCreated { source, .. } => source.request_id(),
            _ => None,
        }
    }

    /// When the failed call was creating a transcript and may have started
    /// it anyway ([`Error::MaybeCreated`]): what was asked and when, so the
    /// job can be looked for (and adopted) before creating another one.
    ///
    /// ```
    /// fn safe_to_resend(err: &assemblyai::Error) -> bool {
    ///     err.may_have_created().is_none() && err.transcript_id().is_none()
    /// }
    /// # let _ = safe_to_resend;
    /// ```
    pub fn may_have_created(&self) -> Option<&CreateAttempt> {
        match self {
            Error::MaybeCreated { attempt, .. } => Some(attempt),
            _ => None,
        }
    }

    /// Whether the API refused the request's speech model choice: a 400 whose
    /// message is about `speech_models` (or the singular `speech_model`), such
    /// as a model it has retired. A configuration error, not a passing one:
    /// the same request fails the same way however often it is sent, and
    /// every other request with that choice does too.
    ///
    /// ```
    /// # use assemblyai::Error;
    /// fn stop_the_whole_run(err: &Error) -> bool {
    ///     err.is_speech_model_refusal()
    /// }
    /// # let _ = stop_the_whole_run;
    /// ```
    pub fn is_speech_model_refusal(&self) -> bool {
        match self {
            Error::Api {
                status: 400,
                message,
                ..
            } => message.to_ascii_lowercase().contains("speech_model"),
            Error::MaybeCreated { source, .. } => source.is_speech_model_refusal(),
            _ => false,
        }
    }

    /// Whether the same request may succeed if sent again later: network
    /// failures, 429 (rate limited), 500, 502, 503 and 504.
    ///
    /// The client's own [`RetryPolicy`](crate::RetryPolicy) already retries
    /// these where that is safe; this tells a caller whose retries ran out
    /// whether trying again later is reasonable. A create that may have
    /// started its job ([`Error::MaybeCreated`]) is not: sending it again
    /// could bill twice.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } | Error::Clip { status, .. } => {
                matches!(status, 429 | 500 | 502 | 503 | 504)
            }
            Error::Http { source, .. } => is_transient_transport(source),
            Error::StreamClosed { retryable, .. } => *retryable,
            Error::WebSocket { .. } => true,
            _ => false,
        }
    }

    /// Whether no connection to a server was ever made (refused, host not
    /// found, no connection within the connect timeout): the request cannot
    /// have been acted on, and the host itself is what to check. A
    /// connection that dropped after the request went out is not one.
    pub fn is_unreachable(&self) -> bool {
        use ureq::Error as U;
        use ureq::Timeout as T;
        match self {
            Error::Http { source, .. } => match source.as_ref() {
                U::ConnectionFailed | U::HostNotFound => true,
                U::Timeout(which) => matches!(which, T::Resolve | T::Connect),
                U::Io(io) => io.kind() == std::io::ErrorKind::ConnectionRefused,
                _ => false,
            },
            _ => false,
        }
    }

    /// How long the server asked the client to wait before trying again
    /// (`Retry-After` on a 429 or 503).
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } | Error::Clip { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Attaches the transcript id to an error that happened while working on
    /// that transcript, so it is never lost on the way to the user.
    pub(crate) fn with_transcript_id(mut self, id: &str) -> Self {
        match &mut self {
            Error::Api { transcript_id, .. }
            | Error::Timeout { transcript_id, .. }
            | Error::InvalidResponse { transcript_id, .. }
            | Error::Http { transcript_id, .. }
                if transcript_id.is_none() =>
            {
                *transcript_id = Some(id.to_owned());
            }
            _ => {}
        }
        self
    }

    /// Marks a failed create whose job may exist after all.
    pub(crate) fn maybe_created(self, attempt: CreateAttempt) -> Self {
        match self {
            // A known job or a known doubt needs no second doubt.
            Error::MaybeCreated { .. } => self,
            _ if self.transcript_id().is_some() => self,
            source => Error::MaybeCreated {
                attempt,
                source: Box::new(source),
            },
        }
    }

    /// Adds a parenthesised note to the message of a transport, API or
    /// reply error: what the client did about it, or what the user should.
    pub(crate) fn with_note(mut self, note: &str) -> Self {
        match &mut self {
            Error::Http { context: text, .. }
            | Error::Api { message: text, .. }
            | Error::Clip { message: text, .. }
            | Error::InvalidResponse { message: text, .. } => {
                text.push_str(&format!(" ({note})"));
            }
            _ => {}
        }
        self
    }

    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
        }
    }

    pub(crate) fn invalid_source(message: impl Into<String>) -> Self {
        Error::InvalidSource {
            message: message.into(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// Transport failures that say nothing about the request itself.
fn is_transient_transport(err: &ureq::Error) -> bool {
    use ureq::Error as E;
    matches!(
        err,
        E::Io(_) | E::Timeout(_) | E::ConnectionFailed | E::HostNotFound | E::Protocol(_)
    )
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                message,
                transcript_id,
                request_id,
                ..
            } => {
                write!(f, "the API answered {status}")?;
                if let Some(reason) = status_reason(*status) {
                    write!(f, " {reason}")?;
                }
                write!(f, ": {message}")?;
                if let Some(id) = transcript_id {
                    write!(f, " (transcript {id})")?;
                }
                if let Some(id) = request_id {
                    write!(f, " (request {id})")?;
                }
                Ok(())
            }
            Error::TranscriptFailed { id, message } => {
                write!(f, "transcript {id} failed: {message}")
            }
            Error::Clip {
                service,
                status,
                code,
                message,
                ..
            } => {
                let api = match service {
                    crate::Service::Dictation => "the Dictation API",
                    _ => "the Sync API",
                };
                write!(f, "{api} answered {status}")?;
                if let Some(code) = code {
                    write!(f, " {code}")?;
                } else if let Some(reason) = status_reason(*status) {
                    write!(f, " {reason}")?;
                }
                write!(f, ": {message}")
            }
            Error::Timeout {
                transcript_id: Some(id),
                elapsed,
            } => write!(
                f,
                "gave up after {} while transcript {id} was still running",
                crate::duration::human(*elapsed)
            ),
            Error::Timeout {
                transcript_id: None,
                elapsed,
            } => {
                write!(f, "gave up after {}", crate::duration::human(*elapsed))
            }
            Error::MissingApiKey => f.write_str(
                "no API key: set ASSEMBLYAI_API_KEY (or ASSEMBLYAI_KEY) to the key from \
                 https://www.assemblyai.com/app/api-keys",
            ),
            Error::InvalidInput { message }
            | Error::InvalidSource { message }
            | Error::InvalidApiKey { message } => f.write_str(message),
            Error::InvalidResponse {
                status, message, ..
            } => {
                write!(
                    f,
                    "unreadable reply from the API (HTTP {status}): {message}"
                )
            }
            Error::Io { context, .. } => f.write_str(context),
            Error::Http { context, .. } => f.write_str(context),
            Error::StreamClosed {
                code,
                reason,
                session_id,
                ..
            } => {
                f.write_str("the streaming server closed ")?;
                match session_id {
                    Some(id) => write!(f, "session {id}")?,
                    None => f.write_str("the connection before the session began")?,
                }
                write!(f, " with code {code}")?;
                if !reason.is_empty() {
                    write!(f, ": {reason}")?;
                }
                Ok(())
            }
            Error::WebSocket {
                context,
                session_id,
                ..
            } => {
                f.write_str(context)?;
                if let Some(id) = session_id {
                    write!(f, " (session {id})")?;
                }
                Ok(())
            }
            Error::MaybeCreated { attempt, .. } => write!(
                f,
                "a transcript of {} may have been created anyway: look for it in the list \
                 before creating another",
                attempt.audio_url
            ),
        }
    }
}

fn status_reason(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Http { source, .. } => Some(source.as_ref()),
            Error::WebSocket { source, .. } => Some(source.as_ref()),
            Error::MaybeCreated { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}
