//! Starting a transcription job exactly once, even when the network fails.
//!
//! A create request that fails *after* reaching the API (a dropped connection,
//! a 500, a garbled reply) may or may not have started a job, and each job is
//! billed. Sending it again blindly could bill twice; giving up could lose a job
//! already paid for. So the client first asks the list endpoint for a job with
//! the same `audio_url` created since the first attempt and echoing the same
//! options (`adopt.rs` says what proves a job ours), adopts it if there is
//! one, and creates a new job only when there is provably none. A create that
//! timed out waiting for its reply is the exception: the server may still be
//! making its job, so when none is listed yet the failure is reported rather
//! than resent, as [`Error::MaybeCreated`], which a caller can resolve later
//! with [`Client::find_created`].

use std::time::{Instant, SystemTime};

use ureq::http::header;

use crate::adopt::{self, Echo, When, Window};
use crate::deadline::Deadline;
use crate::event::Event;
use crate::request::{Call, Payload, Safety, check_transcript_id, never_reached_the_api};
use crate::timestamp::{local_now, parse_http_date, parse_naive_utc};
use crate::{
    Client, CreateAttempt, Error, ListQuery, Result, Transcript, TranscriptList, TranscriptRequest,
};

/// Slack for clocks and rounding when deciding whether a listed job was
/// created by this call: `Date` headers have one-second resolution.
const CLOCK_SLACK_SECONDS: f64 = 2.0;

/// The most the client may look for a job when it can no longer retry (the
/// policy gave up, or the caller's deadline passed): past a deadline, only a
/// tenth of it ([`Deadline::grace`]).
const LOOKUP_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Transcripts per page when looking for a job to adopt.
const JOBS_PER_LOOKUP_PAGE: u32 = 100;

/// The most listed jobs of the same audio fetched whole to compare their
/// options; any beyond are reported as jobs that may be ours.
const MAX_CANDIDATES_CHECKED: usize = 10;

/// The most pages a lookup reads: more than a thousand jobs created in the
/// seconds since the first attempt is beyond any account's rate limit. (It
/// reaches back further only to see jobs whose time fits another time zone,
/// which a busy account may push beyond it: those can only stop a resend.)
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
    /// [`Error::MaybeCreated`] when the job may exist anyway: look for it with
    /// [`find_created`](Self::find_created) before creating another.
    pub fn create_transcript(&self, request: &TranscriptRequest) -> Result<Transcript> {
        self.create_within(request, Deadline::none(), false)
    }

    pub(crate) fn create_within(
        &self,
        request: &TranscriptRequest,
        deadline: Deadline,
        own_upload: bool,
    ) -> Result<Transcript> {
        request.validate()?;
        let deadline = self.bounded(deadline);
        let sent = serde_json::to_value(request).map_err(|err| {
            Error::invalid_input(format!("the transcript request cannot be encoded: {err}"))
        })?;
        let body = serde_json::to_vec(&sent).map_err(|err| {
            Error::invalid_input(format!("the transcript request cannot be encoded: {err}"))
        })?;
        let first_sent = Instant::now();
        let mut pending = CreateAttempt {
            audio_url: request.audio_url.clone(),
            started: SystemTime::now(),
            own_upload,
            candidates: Vec::new(),
        };
        // Set once an attempt may have made a job: from then on, any failure
        // says a job may exist.
        let mut in_doubt = false;
        let mut attempt = 1;
        loop {
            if deadline.expired() {
                let error = deadline.timeout_error(None);
                return Err(doubted(error, in_doubt, pending));
            }
            self.emit(Event::Creating {
                audio_url: &request.audio_url,
            });
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
                return Err(doubted(error, in_doubt, pending));
            }
            let deadline_passed = matches!(error, Error::Timeout { .. });
            if !deadline_passed && !outcome_unknown(&error) {
                return Err(doubted(error, in_doubt, pending));
            }
            in_doubt = true;
            // A job may exist. Pausing first also gives the API time to list
            // a job it just made; with no pause left (no retries, or the
            // deadline), one short look still names a job that exists.
            let will_retry = !deadline_passed && self.back_off(attempt, &error, deadline);
            let lookup = match will_retry {
                true => deadline,
                false => deadline.grace(LOOKUP_GRACE),
            };
            // The look runs past this clone's own deadline (`with_timeout`),
            // which has passed, by the grace alone.
            let mut looker = self.clone();
            looker.deadline = lookup;
            match looker.find_ours(&sent, &pending, first_sent, lookup, Some(MAX_LOOKUP_PAGES)) {
                Ok(Found::Ours(id, _)) if deadline_passed => {
                    return Err(error.with_transcript_id(&id));
                }
                Ok(Found::Ours(_, Some(adopted))) => return Ok(self.created(*adopted)),
                Ok(Found::Ours(id, None)) => {
                    return match looker.get_transcript_within(&id, lookup) {
                        Ok(adopted) => Ok(self.created(adopted)),
                        Err(failed) => Err(failed.with_transcript_id(&id)),
                    };
                }
                // A create that may still be at work must not be doubled.
                Ok(Found::Nothing) if will_retry && !may_still_be_running(&error) => attempt += 1,
                // A job that may be ours but can't be proven so: neither
                // adopted (it may be a stranger's) nor doubled (it may be ours).
                Ok(Found::Maybe(ids)) => {
                    pending.candidates = ids;
                    return Err(error.maybe_created(pending));
                }
                // Without knowing whether a job exists, another create could
                // bill twice: report the failure, saying a job may appear.
                _ => return Err(error.maybe_created(pending)),
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

    /// Looks for the job of a create whose outcome is unknown, made with the
    /// request `sent` (as JSON).
    ///
    /// The first attempt's time is judged by the server's own clock (its
    /// `Date` header), so client clock skew does not matter; the list's
    /// `created` times carry no time zone, and are read as UTC. A job of the
    /// same audio created since then is ours only if the options it echoes
    /// agree with `sent` ([`adopt::compare`]). One that fits only if the
    /// list's clock were in another time zone, or that does not echo every
    /// option, *may* be ours: it is named, never adopted, and the create not
    /// sent again. A URL from this call's own upload is known to no one else,
    /// so any job with it is ours, whatever its time.
    ///
    /// Pages back through the list until it reaches jobs older than any job
    /// of this call can be, so a busy account can't push ours out of sight.
    fn find_ours(
        &self,
        sent: &serde_json::Value,
        pending: &CreateAttempt,
        since: Instant,
        deadline: Deadline,
        max_pages: Option<usize>,
    ) -> Result<Found> {
        let ours = adopt::echo_of(sent);
        let mut query = ListQuery {
            limit: Some(JOBS_PER_LOOKUP_PAGE),
            ..ListQuery::default()
        };
        let mut window = None;
        // Same audio, newest first: (id, when).
        let mut same_audio = Vec::new();
        // Whether every job since the attempt was seen: only then does
        // finding none prove there is none.
        let mut complete = false;
        for _ in 0..max_pages.unwrap_or(usize::MAX) {
            let reply = self.fetch(Call::get(query.to_path()).within(deadline))?;
            let window = *window.get_or_insert_with(|| {
                let server_now = reply
                    .headers
                    .get(header::DATE)
                    .and_then(|value| value.to_str().ok())
                    .and_then(parse_http_date)
                    .unwrap_or_else(local_now);
                Window {
                    start: server_now - since.elapsed().as_secs_f64() - CLOCK_SLACK_SECONDS,
                    end: server_now + CLOCK_SLACK_SECONDS,
                }
            });
            let page: TranscriptList = self.decode(&reply)?;
            let mut reached_older_jobs = page.transcripts.is_empty();
            for item in &page.transcripts {
                let at = parse_naive_utc(&item.created);
                if at.is_some_and(|at| window.is_before(at)) {
                    reached_older_jobs = true;
                }
                if item.audio_url == pending.audio_url {
                    let when = match at {
                        _ if pending.own_upload => When::During,
                        Some(at) => window.place(at),
                        // A time that can't be read can't rule a job out.
                        None => When::Shifted,
                    };
                    if when != When::Outside {
                        same_audio.push((item.id.clone(), when));
                    }
                }
            }
            // An upload's job is found once any is listed: nothing older
            // than the upload can have its URL.
            let done = pending.own_upload && !same_audio.is_empty();
            match page.transcripts.last() {
                Some(oldest)
                    if !done && !reached_older_jobs && page.page_details.prev_url.is_some() =>
                {
                    query.before_id = Some(oldest.id.clone());
                }
                _ => {
                    complete = true;
                    break;
                }
            }
        }
        let nothing = if complete {
            Found::Nothing
        } else {
            Found::Unsettled
        };
        // Oldest first: the earliest match is the first attempt's job.
        same_audio.reverse();
        if pending.own_upload {
            return Ok(match same_audio.into_iter().next() {
                Some((id, _)) => Found::Ours(id, None),
                None => nothing,
            });
        }
        let mut maybe = Vec::new();
        for (checked, (id, when)) in same_audio.into_iter().enumerate() {
            if checked >= MAX_CANDIDATES_CHECKED {
                maybe.push(id);
                continue;
            }
            // One that can't be read can't be ruled out either.
            let Ok((transcript, echoed)) = self.fetch_candidate(&id, deadline) else {
                maybe.push(id);
                continue;
            };
            match (adopt::compare(&ours, &echoed), when) {
                (Echo::Different, _) => {}
                (Echo::Same, When::During) => {
                    return Ok(Found::Ours(id, Some(Box::new(transcript))));
                }
                _ => maybe.push(id),
            }
        }
        Ok(if maybe.is_empty() {
            nothing
        } else {
            Found::Maybe(maybe)
        })
    }

    /// A listed job in full: as a transcript, and as the JSON object whose
    /// echoed options tell whose it is.
    fn fetch_candidate(
        &self,
        id: &str,
        deadline: Deadline,
    ) -> Result<(Transcript, serde_json::Map<String, serde_json::Value>)> {
        check_transcript_id(id)?;
        let call = Call::get(format!("/v2/transcript/{id}"))
            .about(id)
            .within(deadline);
        let reply = self.fetch(call)?;
        let echoed: serde_json::Map<String, serde_json::Value> = self.decode(&reply)?;
        let transcript = self.transcript_of(reply)?;
        Ok((transcript, echoed))
    }

    /// Looks for the job of a create that failed with
    /// [`Error::MaybeCreated`], made with the same `request`: the
    /// transcript, when the list shows a job that is provably this attempt's
    /// (as the client's own recovery judges it: same audio, created since
    /// `attempt.started`, echoing the same options), `None` when there is
    /// none (yet). A caller that gave up (a deadline, an interruption) can
    /// call it later, before deciding to create again.
    ///
    /// ```no_run
    /// use assemblyai::{Client, TranscriptRequest};
    ///
    /// let client = Client::from_env()?;
    /// let request = TranscriptRequest::new("https://assembly.ai/wildfires.mp3");
    /// let transcript = match client.create_transcript(&request) {
    ///     Err(err) if err.may_have_created().is_some() => {
    ///         let attempt = err.may_have_created().unwrap().clone();
    ///         std::thread::sleep(std::time::Duration::from_secs(30));
    ///         match client.find_created(&request, &attempt)? {
    ///             Some(found) => found,
    ///             None => client.create_transcript(&request)?,
    ///         }
    ///     }
    ///     other => other?,
    /// };
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::MaybeCreated`] again, with an
    /// [`InvalidResponse`](Error::InvalidResponse) inside, when a job may be
    /// it but can't be proven so (its options are not all echoed, or its time
    /// fits only another time zone): its `candidates` name them. API and
    /// transport errors of the list and the transcript.
    pub fn find_created(
        &self,
        request: &TranscriptRequest,
        attempt: &CreateAttempt,
    ) -> Result<Option<Transcript>> {
        let sent = serde_json::to_value(request).map_err(|err| {
            Error::invalid_input(format!("the transcript request cannot be encoded: {err}"))
        })?;
        let age = attempt.started.elapsed().unwrap_or_default();
        let since = Instant::now().checked_sub(age).unwrap_or_else(Instant::now);
        // Every page back to the attempt: a busy account can't hide the job.
        match self.find_ours(&sent, attempt, since, Deadline::none(), None)? {
            Found::Ours(_, Some(transcript)) => Ok(Some(*transcript)),
            Found::Ours(id, None) => self.get_transcript(&id).map(Some),
            Found::Nothing => Ok(None),
            Found::Unsettled => Err(Error::MaybeCreated {
                source: Box::new(Error::InvalidResponse {
                    status: 200,
                    message: "the list ended before the attempt's time".to_owned(),
                    transcript_id: None,
                }),
                attempt: attempt.clone(),
            }),
            Found::Maybe(ids) => {
                let mut pending = attempt.clone();
                pending.candidates = ids;
                // What the list says leaves it open: an answer, not a fault.
                let message = format!(
                    "{} listed job(s) of {} may be this attempt's, but can't be proven so",
                    pending.candidates.len(),
                    attempt.audio_url
                );
                Err(Error::MaybeCreated {
                    source: Box::new(Error::InvalidResponse {
                        status: 200,
                        message,
                        transcript_id: None,
                    }),
                    attempt: pending,
                })
            }
        }
    }
}

/// What a lookup found.
enum Found {
    /// The job is ours: its id, and the transcript when it was fetched to check.
    Ours(String, Option<Box<Transcript>>),
    /// Jobs that may be ours and may be another's.
    Maybe(Vec<String>),
    /// No job of ours is listed, and every job since the attempt was read.
    Nothing,
    /// None seen, but the pages read did not reach back to the attempt: a
    /// job may be further back.
    Unsettled,
}

/// A create's failure, marked as leaving a job possible when an earlier
/// attempt may have made one.
fn doubted(error: Error, in_doubt: bool, pending: CreateAttempt) -> Error {
    if in_doubt {
        error.maybe_created(pending)
    } else {
        error
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
