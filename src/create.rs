//! Starting a transcription job exactly once, even when the network fails.
//!
//! A create request that fails *after* reaching the API (a dropped connection,
//! a 500, a garbled reply) may or may not have started a job, and each job is
//! billed. Sending it again blindly could bill twice; giving up could lose a job
//! already paid for. So the client first asks the list endpoint for a job with
//! the same `audio_url` created since the first attempt, adopts it if there is
//! one, and creates a new job only when there is none. A create that timed out
//! waiting for its reply is the exception: the server may still be making its
//! job, so when none is listed yet the failure is reported rather than resent.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use ureq::http::header;

use crate::deadline::Deadline;
use crate::event::Event;
use crate::request::{Call, Payload, Safety, never_reached_the_api};
use crate::timestamp::{parse_http_date, parse_naive_utc};
use crate::{Client, Error, ListQuery, Result, Transcript, TranscriptList, TranscriptRequest};

/// Slack for clocks and rounding when deciding whether a listed job was
/// created by this call: `Date` headers have one-second resolution.
const CLOCK_SLACK_SECONDS: f64 = 2.0;

/// How long the client may look for a job when it can no longer retry (the
/// policy gave up, or the caller's deadline passed).
const LOOKUP_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Transcripts per page when looking for a job to adopt.
const JOBS_PER_LOOKUP_PAGE: u32 = 100;

/// The most pages a lookup reads: more than a thousand jobs created in the
/// seconds since the first attempt is beyond any account's rate limit.
const MAX_LOOKUP_PAGES: usize = 10;

impl Client {
    /// Starts transcribing the audio at `request.audio_url` and returns the new
    /// transcript, normally `queued`.
    ///
    /// The request is checked first ([`TranscriptRequest::validate`]); nothing
    /// is sent when a value is out of range. A create that fails ambiguously is
    /// resolved without creating a second job (see [`RetryPolicy`](crate::RetryPolicy)).
    ///
    /// ```no_run
    /// use assemblyai::{Client, TranscriptRequest};
    ///
    /// let client = Client::from_env()?;
    /// let mut request = TranscriptRequest::new("https://assembly.ai/wildfires.mp3");
    /// request.speaker_labels = Some(true);
    /// let transcript = client.create_transcript(&request)?;
    /// println!("started {}", transcript.id);
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a request that fails validation, API
    /// errors (400 with the server's reason, 401, 403 for an upload from another
    /// project), and transport errors once retries are exhausted.
    pub fn create_transcript(&self, request: &TranscriptRequest) -> Result<Transcript> {
        self.create_within(request, Deadline::none())
    }

    pub(crate) fn create_within(
        &self,
        request: &TranscriptRequest,
        deadline: Deadline,
    ) -> Result<Transcript> {
        request.validate()?;
        let body = serde_json::to_vec(request).map_err(|err| {
            Error::invalid_input(format!("the transcript request cannot be encoded: {err}"))
        })?;
        let first_sent = Instant::now();
        let mut attempt = 1;
        loop {
            let payload = Payload::Json(body.clone());
            let call = Call::post("/v2/transcript", payload, Safety::Creates).within(deadline);
            let error = match self.fetch_transcript(call) {
                Ok(created) => return Ok(self.created(created)),
                Err(error) => error,
            };
            if never_reached_the_api(&error) {
                // Provably no job: sending again is safe.
                if self.back_off(attempt, &error, deadline) {
                    attempt += 1;
                    continue;
                }
                return Err(error);
            }
            let deadline_passed = matches!(error, Error::Timeout { .. });
            if !deadline_passed && !outcome_unknown(&error) {
                return Err(error);
            }
            // A job may exist. Pausing first also gives the API time to list
            // a job it just made; with no pause left (no retries, or the
            // deadline), one short look still names a job that exists.
            let will_retry = !deadline_passed && self.back_off(attempt, &error, deadline);
            let lookup = match will_retry {
                true => deadline,
                false => Deadline::after(Some(LOOKUP_GRACE)),
            };
            match self.find_job_created_since(&request.audio_url, first_sent, lookup) {
                Ok(Some(id)) if deadline_passed => return Err(error.with_transcript_id(&id)),
                Ok(Some(id)) => {
                    return match self.get_transcript_within(&id, lookup) {
                        Ok(adopted) => Ok(self.created(adopted)),
                        Err(failed) => Err(failed.with_transcript_id(&id)),
                    };
                }
                // A create that may still be at work must not be doubled.
                Ok(None) if will_retry && !may_still_be_running(&error) => attempt += 1,
                Ok(None) if deadline_passed => return Err(error),
                // Without knowing whether a job exists, another create could
                // bill twice: report the failure, saying a job may appear.
                _ => return Err(maybe_created(error)),
            }
        }
    }

    /// Reports a created (or adopted) transcript, the moment its id exists.
    fn created(&self, transcript: Transcript) -> Transcript {
        self.emit(Event::Created {
            transcript: &transcript,
        });
        transcript
    }

    /// Looks for a transcript of `audio_url` created after `since`, judged by
    /// the server's own clock (its `Date` header) so client clock skew does
    /// not matter. Pages back through the list until it reaches jobs older
    /// than that, so a busy account can't push ours out of sight.
    fn find_job_created_since(
        &self,
        audio_url: &str,
        since: Instant,
        deadline: Deadline,
    ) -> Result<Option<String>> {
        let mut query = ListQuery {
            limit: Some(JOBS_PER_LOOKUP_PAGE),
            ..ListQuery::default()
        };
        let mut window_start = None;
        let mut ours = None;
        for _ in 0..MAX_LOOKUP_PAGES {
            let reply = self.fetch(Call::get(query.to_path()).within(deadline))?;
            let window_start = *window_start.get_or_insert_with(|| {
                let server_now = reply
                    .headers
                    .get(header::DATE)
                    .and_then(|value| value.to_str().ok())
                    .and_then(parse_http_date)
                    .unwrap_or_else(local_now);
                server_now - since.elapsed().as_secs_f64() - CLOCK_SLACK_SECONDS
            });
            let page: TranscriptList = self.decode(&reply)?;
            let mut reached_older_jobs = page.transcripts.is_empty();
            // Newest first: the last match is the earliest, the first attempt's.
            for item in &page.transcripts {
                match parse_naive_utc(&item.created) {
                    Some(at) if at < window_start => reached_older_jobs = true,
                    Some(_) if item.audio_url == audio_url => ours = Some(item.id.clone()),
                    _ => {}
                }
            }
            let older = page.transcripts.last().map(|item| item.id.clone());
            match older {
                Some(oldest) if !reached_older_jobs && page.page_details.prev_url.is_some() => {
                    query.before_id = Some(oldest);
                }
                _ => break,
            }
        }
        Ok(ours)
    }
}

/// Whether a failed create may nonetheless have started a job.
fn outcome_unknown(error: &Error) -> bool {
    match error {
        Error::Http { .. } | Error::InvalidResponse { .. } => !never_reached_the_api(error),
        Error::Api { status, .. } => matches!(status, 500 | 502 | 504),
        _ => false,
    }
}

/// Whether a failed create may still be at work on the server: the client
/// stopped waiting for the reply, not the server for the request, so the job
/// can appear after any lookup and a second create could bill twice.
fn may_still_be_running(error: &Error) -> bool {
    match error {
        Error::Http { source, .. } => matches!(**source, ureq::Error::Timeout(_)),
        _ => false,
    }
}

/// Says, on an error that leaves it open, that a job may exist after all,
/// so the user looks before creating another.
fn maybe_created(error: Error) -> Error {
    error.with_note(
        "the API may still create the transcript: look with `aai list` before trying again",
    )
}

fn local_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}
