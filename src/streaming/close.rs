//! What a close code means and what to do about it (streaming-notes §8).
//!
//! Classified by code first, then by reason text: the server renumbered its
//! codes in 2026 but kept the texts, and "Too many concurrent sessions"
//! comes under 1008 and under 3009 alike.

/// What a session does after the server closed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A normal end.
    Done,
    /// Worth a new session, after a backoff.
    Retry,
    /// Retrying cannot help: credentials, a bad parameter, a client bug.
    Fatal,
}

/// The code a dropped connection (no close frame) is given, as browsers do.
pub(crate) const DROPPED: u16 = 1006;

pub(crate) fn classify(code: u16, reason: &str) -> Verdict {
    let reason = reason.to_ascii_lowercase();
    if reason.contains("too many concurrent sessions") {
        return Verdict::Retry;
    }
    match code {
        1000 => Verdict::Done,
        // Auth and account problems; 3006 bad parameters or messages; 3007
        // chunk sizes and pacing: the same request would fail again.
        1002 | 1003 | 1007 | 1008 | 1009 | 3006 | 3007 => Verdict::Fatal,
        // v2's codes, which both SDKs still map but v3 does not send; most
        // are account or input problems, so no reconnect storm on them.
        4000..=4999 => Verdict::Fatal,
        // Server errors, expiry (3008: roll over), concurrency, drops.
        _ => Verdict::Retry,
    }
}

/// A short explanation of a code, for error messages.
pub(crate) fn meaning(code: u16) -> &'static str {
    match code {
        1000 => "normal end",
        1006 => "the connection dropped",
        1008 => "authentication or account problem",
        1011 => "server error",
        1013 => "server busy",
        3005 => "server error",
        3006 => "invalid parameter or message",
        3007 => "audio chunk size or sending rate not allowed",
        3008 => "session reached its maximum duration",
        3009 => "too many concurrent sessions",
        _ => "closed by the server",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_classified_as_the_notes_say() {
        assert_eq!(classify(1000, ""), Verdict::Done);
        assert_eq!(
            classify(
                1008,
                "Unauthorized Connection: Missing Authorization header"
            ),
            Verdict::Fatal
        );
        assert_eq!(
            classify(
                1008,
                "Unauthorized connection: Too many concurrent sessions"
            ),
            Verdict::Retry
        );
        assert_eq!(
            classify(3005, "Session Cancelled: An error occurred"),
            Verdict::Retry
        );
        assert_eq!(classify(3006, "Invalid JSON"), Verdict::Fatal);
        assert_eq!(
            classify(3007, "Input duration violation: 20 ms"),
            Verdict::Fatal
        );
        assert_eq!(classify(3008, "Session Expired"), Verdict::Retry);
        assert_eq!(classify(3009, ""), Verdict::Retry);
        assert_eq!(classify(DROPPED, ""), Verdict::Retry);
        assert_eq!(classify(1011, ""), Verdict::Retry);
    }
}
