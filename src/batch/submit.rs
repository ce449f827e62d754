//! The uploaders' side of a run: upload and create, each announced in the
//! source's claim first, and the creates whose outcome is unknown (a crash,
//! a lost reply, a run that died) resolved by evidence, so that no source is
//! billed twice: a job the list proves ours (same audio, created since, the
//! same options: `Client::find_created`) is adopted; a create is sent again
//! only when the whole span since the first attempt was read and holds no
//! job of it; anything else stays open and is reported.

use std::sync::mpsc::Sender;
use std::thread;
use std::time::{Duration, UNIX_EPOCH};

use super::claims::Claim;
use super::fingerprint;
use super::journal::{Record, Step};
use super::outcome::{Event, Failure, FailureKind};
use super::poll::Pending;
use super::run::{Queues, Run};
use crate::deadline::Deadline;
use crate::{CreateAttempt, Error, TranscriptRequest};

/// Clock skew allowed between the machine that announced a create (the
/// claim's time) and the one resolving it: the span searched for its job
/// starts this much earlier.
const SKEW: Duration = Duration::from_secs(120);
/// The pause before looking for a job after a create failed ambiguously.
const RECOVERY_PAUSE: Duration = Duration::from_secs(2);
/// How many times a create cut short by this run's own lease deadline (or
/// refused for the moment: 429, 503) is sent again; each time the client
/// proved that no job exists.
const CREATE_ROUNDS: u32 = 10;

/// The work of an uploader.
pub(super) enum Work {
    Fresh,
    Create { url: String },
}

impl Run<'_> {
    /// Resolves creates whose outcome the claims don't know, while the rest
    /// of the run goes on: a job proven ours is adopted and waited on; a
    /// create proven never made is sent again; any other answer leaves the
    /// create open, reported, for a later run to look again.
    pub(super) fn resolve(&self, open: Vec<(usize, String, f64)>, queues: &Queues) {
        for (position, url, at) in open {
            let (_, source) = self.sources[position];
            let mut request = self.batch.request.clone();
            request.audio_url = url.clone();
            let started = UNIX_EPOCH + Duration::from_secs_f64(at.max(0.0));
            let attempt = CreateAttempt {
                audio_url: url.clone(),
                started: started.checked_sub(SKEW).unwrap_or(started),
                own_upload: source.path().is_some(),
                candidates: Vec::new(),
            };
            match self.batch.client.find_created(&request, &attempt) {
                Ok(Some(transcript)) => {
                    let id = transcript.id;
                    if let Err(failure) = self.record_created(position, &id) {
                        self.fail(position, failure, Some(&id), false);
                        continue;
                    }
                    self.slots.take();
                    let _ = queues.poll.send(Pending { position, id });
                }
                Ok(None) => {
                    self.slots.take();
                    let work = Work::Create { url };
                    let _ = queues.work.send((position, work));
                }
                Err(error) => {
                    let mut failure = Failure::from(&error);
                    let candidates = error
                        .may_have_created()
                        .map(|attempt| attempt.candidates.join(", "))
                        .unwrap_or_default();
                    failure.message = format!(
                        "cannot tell whether an earlier run created its transcript ({}){}; \
                         nothing was sent again: run again to look once more",
                        failure.message,
                        if candidates.is_empty() {
                            String::new()
                        } else {
                            format!("; it may be {candidates}")
                        }
                    );
                    self.fail(position, failure, None, true);
                }
            }
        }
    }

    /// Sends the create of `request`, each round only while this run's
    /// lease is fresh, so that a run cut off from the shared storage (and
    /// so taken for dead) stops creating before anyone takes its sources
    /// over. A round cut short, or refused for the moment, provably made no
    /// job, so the next round may send it again.
    fn create(&self, request: &TranscriptRequest, own_upload: bool) -> crate::Result<String> {
        let client = &self.batch.client;
        let mut round = 1;
        loop {
            let deadline = Deadline::until(self.heartbeat.create_deadline());
            match client.create_within(request, deadline, own_upload) {
                Ok(created) => return Ok(created.id),
                Err(error)
                    if error.may_have_created().is_none()
                        && round < CREATE_ROUNDS
                        && matches!(
                            FailureKind::of(&error),
                            FailureKind::Timeout | FailureKind::Network
                        ) =>
                {
                    round += 1;
                    thread::sleep(RECOVERY_PAUSE.min(self.heartbeat.beat_every()));
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Uploads (for fresh work on a file) and creates the transcript, each
    /// step announced in the journal first.
    pub(super) fn submit(&self, position: usize, work: Work, poll_tx: &Sender<Pending>) {
        let (index, source) = self.sources[position];
        let key = source.key();
        if let Some(failure) = self.refused_model() {
            self.slots.give();
            return self.fail(position, failure, None, false);
        }
        let url = match work {
            Work::Create { url } => url,
            Work::Fresh if !self.claim_fresh(position) => return,
            Work::Fresh => match self.upload(position) {
                Ok(url) => url,
                Err(failure) => {
                    self.slots.give();
                    return self.fail(position, failure, None, false);
                }
            },
        };
        let mut creating = Record::new(index, key, Step::Creating);
        creating.url = Some(url.clone());
        if let Err(failure) = self.record(&creating) {
            self.slots.give();
            return self.fail(position, failure, None, false);
        }
        let accepted = || {
            self.model_accepted
                .load(std::sync::atomic::Ordering::Acquire)
        };
        let gate = (!accepted()).then(|| super::run::lock(&self.create_gate));
        if let Some(failure) = self.refused_model() {
            self.slots.give();
            return self.fail(position, failure, None, false);
        }
        let mut request = self.batch.request.clone();
        request.audio_url = url.clone();
        let own_upload = source.path().is_some();
        let created = match self.create(&request, own_upload) {
            Ok(id) => Ok(id),
            // The model choice is refused: every other create of the run
            // would be too, so none is sent (see `refused_model`).
            Err(error) if error.is_speech_model_refusal() => {
                let failure = Failure::from(&error);
                *super::run::lock(&self.model_refused) = Some(failure.clone());
                Err((failure, false))
            }
            Err(error) => match error.may_have_created() {
                // The client looked and could not settle it: look once more,
                // a little later, by the same evidence; otherwise leave the
                // create open for the next run, which looks again before
                // creating (never twice in one run).
                Some(attempt) => {
                    let attempt = attempt.clone();
                    thread::sleep(RECOVERY_PAUSE);
                    match self.batch.client.find_created(&request, &attempt) {
                        Ok(Some(found)) => Ok(found.id),
                        _ => Err((Failure::from(&error), true)),
                    }
                }
                None => Err((Failure::from(&error), false)),
            },
        };
        if created.is_ok() {
            self.model_accepted
                .store(true, std::sync::atomic::Ordering::Release);
        }
        drop(gate);
        match created {
            Ok(id) => {
                if let Err(failure) = self.record_created(position, &id) {
                    // The job exists and is waited on; the failure to note
                    // it is reported with its id at the end.
                    (self.on_event)(&Event::Warning {
                        message: format!("{}: {}", source.shown(), failure.message),
                    });
                }
                let counts = self.counts();
                (self.on_event)(&Event::Submitted {
                    source,
                    transcript_id: &id,
                    counts,
                });
                let _ = poll_tx.send(Pending { position, id });
            }
            Err((mut failure, maybe_created)) => {
                self.slots.give();
                if maybe_created {
                    failure.message.push_str(
                        " (the API may have created the transcript anyway: a rerun looks for \
                         it before creating another)",
                    );
                }
                self.fail(position, failure, None, maybe_created);
            }
        }
    }

    /// Claims a source never claimed before, when the plan left it to the
    /// uploader; `false` when it can't go on here (another run holds it now:
    /// handed to the waiter; or the claim failed: reported).
    fn claim_fresh(&self, position: usize) -> bool {
        use std::sync::atomic::Ordering;
        if self.held[position].load(Ordering::Acquire) != 0 {
            return true;
        }
        let (index, source) = self.sources[position];
        let claimed = self
            .claims
            .claim(source.key(), index, 1, &self.heartbeat.run_id);
        let go_on = match claimed {
            Ok(Claim::Won(generation, _)) => {
                self.held[position].store(generation, Ordering::Release);
                true
            }
            Ok(Claim::Lost) => {
                self.handed_over(position);
                false
            }
            Err(error) => {
                self.slots.give();
                self.fail(position, Failure::from(&error), None, false);
                false
            }
        };
        self.unclaimed.fetch_sub(1, Ordering::AcqRel);
        go_on
    }

    /// A fresh attempt: the source's identity, then its upload.
    pub(super) fn upload(&self, position: usize) -> std::result::Result<String, Failure> {
        let (index, source) = self.sources[position];
        let mut start = Record::new(index, source.key(), Step::Start);
        start.source = Some(source.shown());
        if let Some(identity) = source.identity().map_err(|e| Failure::from(&e))? {
            start.size = Some(identity.size);
            start.mtime = Some(identity.mtime);
        }
        if let Some(path) = source.path() {
            // Read once more before the upload (from the page cache then):
            // what tells a later run that a touched file is the same.
            let content = fingerprint::of_file(path).map_err(|err| {
                Failure::from(Error::io(format!("cannot read {}", path.display()), err))
            })?;
            start.content = Some(content);
        }
        self.record(&start)?;
        let path = match (source.path(), source.remote_url()) {
            (_, Some(url)) => return Ok(url.to_owned()),
            (Some(path), None) => path,
            (None, None) => unreachable!("a source is a file or a URL"),
        };
        let uploaded = self
            .batch
            .client
            .upload_file(path)
            .map_err(|e| Failure::from(&e))?;
        let mut record = Record::new(index, source.key(), Step::Uploaded);
        record.url = Some(uploaded.upload_url.clone());
        self.record(&record)?;
        Ok(uploaded.upload_url)
    }
}

impl Run<'_> {
    /// The API's refusal of the model choice, if a create of this run got
    /// one: the same failure, for a source whose create is not sent.
    fn refused_model(&self) -> Option<Failure> {
        let refused = super::run::lock(&self.model_refused).clone()?;
        Some(Failure::new(
            refused.kind,
            format!("not sent: {}", refused.message),
        ))
    }
}
