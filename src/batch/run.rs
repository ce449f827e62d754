//! A run: the plan from the journal, then the threads: uploaders (upload,
//! create), one watcher, and deliverers (fetch, write), with the journal
//! written and synced before every step that costs money.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;

use super::journal::{Entry, Journal, Record, STATE_DIR, SharedJournal, Step};
use super::lock::Lock;
use super::outcome::{Counts, Event, Failure, FailureKind, Outcome, Status};
use super::poll::{self, Ended, Pending};
use super::submit::Work;
use super::{Batch, DELIVERERS, Deliver, Delivery, Report, Source};
use crate::{Error, Result, Transcript};

/// What a source needs, decided from the journal before any request.
enum Plan {
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
}

/// A completed transcript to deliver.
struct Ready {
    position: usize,
    id: String,
    transcript: Option<Box<Transcript>>,
}

/// A counting semaphore: the bound on transcripts in flight.
pub(super) struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    pub(super) fn take(&self) {
        let mut free = lock(&self.free);
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
    }

    pub(super) fn give(&self) {
        *lock(&self.free) += 1;
        self.freed.notify_one();
    }
}

pub(super) struct Progress {
    /// Boxed: most are empty until the end, and a batch may be long.
    outcomes: Vec<Option<Box<Outcome>>>,
    changed: Vec<bool>,
    counts: Counts,
}

pub(super) struct Run<'a> {
    pub(super) batch: &'a Batch,
    /// The shard's sources with their input indexes; a position is an
    /// index into this.
    pub(super) sources: Vec<(usize, &'a Source)>,
    pub(super) journal: SharedJournal,
    pub(super) progress: Mutex<Progress>,
    pub(super) slots: Slots,
    pub(super) deliver: &'a Deliver,
    pub(super) on_event: &'a (dyn Fn(&Event<'_>) + Sync),
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl Batch {
    /// Runs the batch over this shard's share of `sources`, calling `deliver`
    /// for each completed transcript and `on_event` as things happen, and
    /// returns every source's outcome in input order.
    ///
    /// # Errors
    ///
    /// Only what stops the whole run before it starts: the output directory
    /// or its journal can't be made or read, or another run holds its lock.
    /// Each source's own failure is in its [`Outcome`].
    pub fn run(
        &self,
        sources: &[Source],
        deliver: &Deliver,
        on_event: &(dyn Fn(&Event<'_>) + Sync),
    ) -> Result<Report> {
        let state_dir = self.out_dir.join(STATE_DIR);
        std::fs::create_dir_all(&state_dir)
            .map_err(|err| Error::io(format!("cannot create {}", state_dir.display()), err))?;
        let _lock = Lock::take(&self.out_dir, self.shard)?;
        let (journal, entries) = Journal::open(&Journal::path(&self.out_dir, self.shard))?;
        let mine: Vec<(usize, &Source)> = sources
            .iter()
            .enumerate()
            .filter(|(_, source)| self.shard.owns(source.key()))
            .collect();
        let total = mine.len();
        let run = Run {
            batch: self,
            sources: mine,
            journal: SharedJournal::new(journal),
            progress: Mutex::new(Progress {
                outcomes: vec![None; total],
                changed: vec![false; total],
                counts: Counts {
                    total,
                    ..Counts::default()
                },
            }),
            slots: Slots {
                free: Mutex::new(self.jobs),
                freed: Condvar::new(),
            },
            deliver,
            on_event,
        };
        let plans: Vec<Plan> = (0..total)
            .map(|position| run.plan(position, entries.get(run.sources[position].1.key())))
            .collect();
        drop(entries);
        run.execute(plans);
        let progress = run.progress.into_inner().unwrap_or_else(|p| p.into_inner());
        let outcomes = progress
            .outcomes
            .into_iter()
            .enumerate()
            .map(|(position, outcome)| match outcome {
                Some(outcome) => *outcome,
                None => {
                    let (index, source) = run.sources[position];
                    Outcome::new(index, source, Status::NotRun)
                }
            })
            .collect();
        Ok(Report {
            outcomes,
            counts: progress.counts,
        })
    }
}

impl Run<'_> {
    fn plan(&self, position: usize, entry: Option<&Entry>) -> Plan {
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
            if then != now && entry.creating.is_none() {
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

    fn execute(&self, plans: Vec<Plan>) {
        let client = &self.batch.client;
        let (poll_tx, poll_rx) = mpsc::channel::<Pending>();
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Ready>(DELIVERERS * 4);
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Work)>(self.batch.uploads);
        let ready_rx = Mutex::new(ready_rx);
        let work_rx = Mutex::new(work_rx);
        thread::scope(|scope| {
            let watcher_ready = ready_tx.clone();
            scope.spawn(move || {
                poll::watch(
                    client,
                    poll_rx,
                    |position, id, ended| {
                        self.slots.give();
                        match ended {
                            Ended::Completed(transcript) => {
                                let ready = Ready {
                                    position,
                                    id: id.to_owned(),
                                    transcript,
                                };
                                // Deliverers outlive the watcher.
                                let _ = watcher_ready.send(ready);
                            }
                            Ended::Failed(failure) => self.fail(position, failure, Some(id), false),
                        }
                    },
                    |message| (self.on_event)(&Event::Warning { message }),
                );
            });
            for _ in 0..DELIVERERS {
                let ready_rx = &ready_rx;
                scope.spawn(move || {
                    loop {
                        let next = lock(ready_rx).recv();
                        match next {
                            Ok(ready) => self.deliver(ready),
                            Err(_) => return,
                        }
                    }
                });
            }
            for _ in 0..self.batch.uploads {
                let (work_rx, poll_tx) = (&work_rx, poll_tx.clone());
                scope.spawn(move || {
                    loop {
                        let next = lock(work_rx).recv();
                        match next {
                            Ok((position, work)) => self.submit(position, work, &poll_tx),
                            Err(_) => return,
                        }
                    }
                });
            }

            let mut queue = Vec::new();
            let mut open = Vec::new();
            for (position, plan) in plans.into_iter().enumerate() {
                match plan {
                    Plan::Finished(outcome) => self.finish(*outcome, false),
                    Plan::Resolve { url, at } => {
                        self.started();
                        open.push((position, url, at));
                    }
                    other => queue.push((position, other)),
                }
            }
            let (resolver_poll, resolver_work) = (poll_tx.clone(), work_tx.clone());
            scope.spawn(move || self.resolve(open, &resolver_poll, &resolver_work));
            (self.on_event)(&Event::Planned {
                counts: self.counts(),
            });
            for (position, plan) in queue {
                self.started();
                match plan {
                    Plan::Deliver { id } => {
                        let _ = ready_tx.send(Ready {
                            position,
                            id,
                            transcript: None,
                        });
                    }
                    Plan::Wait { id } => {
                        self.slots.take();
                        let _ = poll_tx.send(Pending { position, id });
                    }
                    Plan::Fresh => {
                        self.slots.take();
                        let _ = work_tx.send((position, Work::Fresh));
                    }
                    Plan::Finished(_) | Plan::Resolve { .. } => {
                        unreachable!("finished and open plans were taken out")
                    }
                }
            }
            drop((work_tx, poll_tx, ready_tx));
        });
    }

    /// Appends `record` to the journal; those about a transcript (about to
    /// be created, created, failed) are synced before this returns.
    pub(super) fn record(&self, record: &Record) -> std::result::Result<(), Failure> {
        let sync = matches!(record.step, Step::Creating | Step::Created | Step::Failed);
        self.journal
            .append(record, sync)
            .map_err(|error| Failure::from(&error))
    }

    pub(super) fn record_created(
        &self,
        position: usize,
        id: &str,
    ) -> std::result::Result<(), Failure> {
        let (index, source) = self.sources[position];
        let mut created = Record::new(index, source.key(), Step::Created);
        created.id = Some(id.to_owned());
        self.record(&created)
    }

    fn deliver(&self, ready: Ready) {
        let (index, source) = self.sources[ready.position];
        let outputs: Vec<PathBuf> = self.batch.output_paths(source);
        for path in &outputs {
            if let Some(dir) = path.parent() {
                if let Err(err) = std::fs::create_dir_all(dir) {
                    let failure = Failure::new(
                        FailureKind::Input,
                        format!("cannot create {}: {err}", dir.display()),
                    );
                    return self.fail(ready.position, failure, Some(&ready.id), false);
                }
            }
        }
        // The transcript is what says which model ran and what the server
        // warned about, for the report: fetched when the watcher has not.
        let transcript = match ready.transcript {
            Some(transcript) => transcript,
            None => match self.batch.client.get_transcript(&ready.id) {
                Ok(transcript) => Box::new(transcript),
                Err(error) => {
                    return self.fail(
                        ready.position,
                        Failure::from(&error),
                        Some(&ready.id),
                        false,
                    );
                }
            },
        };
        let delivery = Delivery {
            client: &self.batch.client,
            source,
            transcript_id: &ready.id,
            transcript: Some(&transcript),
            outputs: &outputs,
        };
        if let Err(failure) = (self.deliver)(&delivery) {
            return self.fail(ready.position, failure, Some(&ready.id), false);
        }
        let model = transcript
            .speech_model_used
            .as_ref()
            .map(|m| m.as_str().to_owned());
        let warnings = transcript.warnings();
        let mut done = Record::new(index, source.key(), Step::Done);
        done.id = Some(ready.id.clone());
        done.speech_model_used = model.clone();
        done.warnings = warnings.clone();
        done.outputs = outputs
            .iter()
            .map(|path| {
                path.strip_prefix(&self.batch.out_dir)
                    .unwrap_or(path)
                    .to_owned()
            })
            .collect();
        if let Err(failure) = self.record(&done) {
            return self.fail(ready.position, failure, Some(&ready.id), false);
        }
        let mut outcome = Outcome::new(index, source, Status::Done);
        outcome.transcript_id = Some(ready.id);
        outcome.outputs = outputs;
        outcome.speech_model_used = model;
        outcome.warnings = warnings;
        self.finish(outcome, true);
    }

    /// Records and reports a failure; `maybe_created` keeps the create open
    /// for the next run to resolve.
    pub(super) fn fail(
        &self,
        position: usize,
        failure: Failure,
        id: Option<&str>,
        maybe_created: bool,
    ) {
        let (index, source) = self.sources[position];
        let mut record = Record::new(index, source.key(), Step::Failed);
        record.id = id.map(str::to_owned);
        record.failure = Some(failure.clone());
        record.maybe_created = maybe_created;
        // Nothing more can be done if the journal can't take it: the
        // outcome below still reports the failure (and the id).
        let _ = self.record(&record);
        let mut outcome = Outcome::new(index, source, Status::Failed);
        outcome.transcript_id = id.map(str::to_owned);
        outcome.failure = Some(failure);
        self.finish(outcome, true);
    }

    /// The counts now.
    pub(super) fn counts(&self) -> Counts {
        lock(&self.progress).counts
    }

    pub(super) fn started(&self) {
        lock(&self.progress).counts.in_flight += 1;
    }

    pub(super) fn finish(&self, mut outcome: Outcome, was_in_flight: bool) {
        let position = self
            .sources
            .binary_search_by_key(&outcome.index, |(index, _)| *index)
            .unwrap_or_default();
        let counts = {
            let mut progress = lock(&self.progress);
            outcome.changed = progress.changed[position];
            let counts = &mut progress.counts;
            if was_in_flight {
                counts.in_flight = counts.in_flight.saturating_sub(1);
            }
            match outcome.status {
                Status::Done => counts.done += 1,
                Status::AlreadyDone => counts.already_done += 1,
                _ => counts.failed += 1,
            }
            let counts = *counts;
            progress.outcomes[position] = Some(Box::new(outcome.clone()));
            counts
        };
        (self.on_event)(&Event::Finished {
            outcome: &outcome,
            counts,
        });
    }
}
