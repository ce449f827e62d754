//! What each source needs, decided from its claim before any request, and
//! the claim taken when it needs anything: a source never claimed is
//! claimed; one whose owner is dead is taken over; one a live run holds is
//! left to it and waited for.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::claims::Claim;
use super::fingerprint;
use super::journal::{Entry, Record, Step};
use super::lease::Liveness;
use super::outcome::{Event, Failure, FailureKind, Outcome, Status};
use super::run::{Queues, Run, lock};

/// What a source needs.
pub(super) enum Plan {
    /// Upload (for a file) and create, from the start.
    Fresh,
    /// A create whose outcome is unknown: look for its job first.
    Resolve { url: String, at: f64 },
    /// A transcript exists: wait for it.
    Wait { id: String },
    /// A transcript is complete but outputs are missing: fetch them.
    Deliver { id: String },
    /// Nothing to do.
    Finished(Box<Outcome>),
    /// Another live run holds the source: wait for it to finish, or die.
    Elsewhere,
}

impl Run<'_> {
    /// The plan of the source at `position`, claiming it when it needs
    /// work; `legacy` is what an old per-shard journal says of it.
    pub(super) fn plan(&self, position: usize, legacy: Option<&Entry>) -> Plan {
        let (index, source) = self.sources[position];
        let key = source.key();
        let claimed = match self.claims.read(key) {
            Ok(claimed) => claimed,
            Err(error) => return self.failed_plan(position, &error.into()),
        };
        let (entry, generation) = match &claimed {
            None => (legacy.cloned(), 1),
            Some(claimed) => (Some(claimed.entry.clone()), claimed.generation + 1),
        };
        let plan = self.decide(position, entry.as_ref());
        if matches!(plan, Plan::Finished(_)) {
            return plan;
        }
        // Never claimed, nothing known: the uploader claims it when its turn
        // comes, so that claims are made by the threads that use them, not
        // one by one before the first request.
        if claimed.is_none() && legacy.is_none() && matches!(plan, Plan::Fresh) {
            return plan;
        }
        if let Some(claimed) = &claimed {
            if self.observer.liveness(&claimed.owner) == Liveness::Alive {
                return Plan::Elsewhere;
            }
        }
        match self
            .claims
            .claim(key, index, generation, &self.heartbeat.run_id)
        {
            Ok(Claim::Won(generation, won)) => {
                self.held[position].store(generation, Ordering::Release);
                let won = match (generation, legacy) {
                    (1, Some(legacy)) => {
                        if let Err(failure) = self.carry(position, legacy) {
                            return self.failed_plan(position, &failure);
                        }
                        legacy.clone()
                    }
                    _ => *won,
                };
                // The state may have moved since it was read: decide anew.
                self.decide(position, Some(&won))
            }
            Ok(Claim::Lost) => Plan::Elsewhere,
            Err(error) => self.failed_plan(position, &error.into()),
        }
    }

    fn failed_plan(&self, position: usize, failure: &Failure) -> Plan {
        let (index, source) = self.sources[position];
        let mut outcome = Outcome::new(index, source, Status::Failed);
        outcome.failure = Some(failure.clone());
        Plan::Finished(Box::new(outcome))
    }

    /// Writes what an old journal knew of a source into its new claim, so
    /// that every later reader (another run, `--status`) sees it.
    fn carry(&self, position: usize, legacy: &Entry) -> Result<(), Failure> {
        let (index, source) = self.sources[position];
        let key = source.key();
        let mut start = Record::new(index, key, Step::Start);
        start.source = Some(legacy.source.clone()).filter(|s| !s.is_empty());
        if let Some(identity) = legacy.identity {
            start.size = Some(identity.size);
            start.mtime = Some(identity.mtime);
        }
        start.content = legacy.content.clone();
        self.record(&start)?;
        if let Some(url) = &legacy.upload_url {
            let mut uploaded = Record::new(index, key, Step::Uploaded);
            uploaded.url = Some(url.clone());
            self.record(&uploaded)?;
        }
        if let Some(id) = &legacy.id {
            let mut created = Record::new(index, key, Step::Created);
            created.id = Some(id.clone());
            self.record(&created)?;
        }
        if let Some((url, at)) = &legacy.creating {
            let mut creating = Record::new(index, key, Step::Creating);
            creating.url = Some(url.clone());
            creating.at = *at;
            self.record(&creating)?;
        }
        if legacy.done {
            let mut done = Record::new(index, key, Step::Done);
            done.id = legacy.id.clone();
            done.outputs = legacy.outputs.clone();
            self.record(&done)?;
        }
        if let Some(failure) = &legacy.failure {
            let mut failed = Record::new(index, key, Step::Failed);
            failed.failure = Some(failure.clone());
            failed.maybe_created = legacy.creating.is_some();
            self.record(&failed)?;
        }
        Ok(())
    }

    /// The plan for what a source's records say.
    fn decide(&self, position: usize, entry: Option<&Entry>) -> Plan {
        let (index, source) = self.sources[position];
        let Some(entry) = entry else {
            return Plan::Fresh;
        };
        let outputs = self.batch.output_paths(source);
        let outputs_exist = outputs.iter().all(|path| path.is_file());
        let finished = |status, failure: Option<Failure>| {
            let mut outcome = Outcome::new(index, source, status);
            outcome.transcript_id = entry.id.clone();
            outcome.failure = failure;
            if status == Status::AlreadyDone {
                outcome.outputs = outputs.clone();
            }
            Plan::Finished(Box::new(outcome))
        };
        let now = match source.identity() {
            Ok(now) => now,
            Err(_) if entry.done && outputs_exist => return finished(Status::AlreadyDone, None),
            Err(error) => return finished(Status::Failed, Some(Failure::from(&error))),
        };
        if let (Some(then), Some(now)) = (entry.identity, now) {
            if then != now && entry.creating.is_none() && !self.same_content(position, entry) {
                lock(&self.progress).changed[position] = true;
                return Plan::Fresh;
            }
        }
        if let (Some((url, at)), None) = (&entry.creating, &entry.id) {
            return Plan::Resolve {
                url: url.clone(),
                at: *at,
            };
        }
        match (&entry.id, &entry.failure) {
            _ if entry.done && outputs_exist => finished(Status::AlreadyDone, None),
            (Some(id), None) if entry.done => Plan::Deliver { id: id.clone() },
            (_, Some(failure)) if !self.batch.retry_failed => {
                finished(Status::FailedBefore, Some(failure.clone()))
            }
            (Some(id), Some(failure)) if failure.kind != FailureKind::TranscriptFailed => {
                Plan::Wait { id: id.clone() }
            }
            (Some(id), None) => Plan::Wait { id: id.clone() },
            _ => Plan::Fresh,
        }
    }

    /// Whether a file whose size or time changed still holds the content
    /// its transcript was made from (copied, touched, synced without times):
    /// read only then, and only when the claim knows the content.
    fn same_content(&self, position: usize, entry: &Entry) -> bool {
        let (_, source) = self.sources[position];
        match (&entry.content, entry.identity, source.path()) {
            (Some(then), Some(identity), Some(path)) => {
                let size_same = std::fs::metadata(path).is_ok_and(|m| m.len() == identity.size);
                size_same && fingerprint::of_file(path).is_ok_and(|now| now == *then)
            }
            _ => false,
        }
    }

    /// Watches the sources other live runs hold until each is finished by
    /// its owner (reported as done before) or its owner dies (taken over
    /// and sent on here); more arrive from uploaders that lost a race for a
    /// claim. Ends when none is left and none can come.
    pub(super) fn wait_for_others(&self, mut waiting: Vec<usize>, queues: &Queues) {
        let pause = self.heartbeat.beat_every().max(Duration::from_millis(50));
        let mut warned = false;
        loop {
            waiting.extend(lock(&self.elsewhere.1).try_iter());
            if waiting.is_empty() {
                if self.elsewhere_done() {
                    waiting.extend(lock(&self.elsewhere.1).try_iter());
                    if waiting.is_empty() {
                        return;
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            if !warned {
                warned = true;
                (self.on_event)(&Event::Warning {
                    message: format!(
                        "{} source(s) are being worked on by another run sharing this \
                         --out-dir; waiting for it to finish them (or for its lease to lapse, \
                         {} s without a heartbeat, to take them over)",
                        waiting.len(),
                        self.batch.lease.as_secs()
                    ),
                });
            }
            std::thread::sleep(pause);
            waiting.retain(|&position| match self.plan(position, None) {
                Plan::Elsewhere => true,
                plan => {
                    self.dispatch(position, plan, queues);
                    false
                }
            });
        }
    }
}
