//! A run: the plan from each source's claim, then the threads: uploaders
//! (upload, create), one watcher, deliverers (fetch, write) and a waiter for
//! sources other live runs hold, with each claim written (and synced before
//! every step that costs money) as the source goes.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender, SyncSender};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;

use super::claims::Claims;
use super::journal::{self, Record, STATE_DIR, Step};
use super::lease::{Heartbeat, Observer};
use super::leftovers::Leftovers;
use super::outcome::{Counts, Event, Failure, FailureKind, Outcome, Status};
use super::plan::Plan;
use super::poll::{self, Ended, Pending};
use super::submit::Work;
use super::{Batch, DELIVERERS, Deliver, Delivery, Report, Source};
use crate::{Error, Result, Transcript};

/// A completed transcript to deliver.
pub(super) struct Ready {
    pub(super) position: usize,
    pub(super) id: String,
    pub(super) transcript: Option<Box<Transcript>>,
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
    pub(super) changed: Vec<bool>,
    counts: Counts,
}

pub(super) struct Run<'a> {
    pub(super) batch: &'a Batch,
    /// The shard's sources with their input indexes; a position is an
    /// index into this.
    pub(super) sources: Vec<(usize, &'a Source)>,
    pub(super) claims: Claims,
    pub(super) heartbeat: Heartbeat,
    pub(super) observer: Observer,
    /// Temporary outputs killed runs left, removed as their sources are
    /// delivered.
    pub(super) leftovers: Leftovers,
    /// Sources found held by another run once their uploader came to claim
    /// them, for the waiter.
    pub(super) elsewhere: (Sender<usize>, Mutex<mpsc::Receiver<usize>>),
    /// Fresh sources dispatched and not yet claimed, and whether every plan
    /// is dispatched: together, whether more can reach `elsewhere`.
    pub(super) unclaimed: AtomicUsize,
    pub(super) dispatched: AtomicBool,
    /// The generation of each source's claim this run holds; 0 for none.
    pub(super) held: Vec<AtomicU32>,
    pub(super) progress: Mutex<Progress>,
    pub(super) slots: Slots,
    pub(super) deliver: &'a Deliver,
    pub(super) on_event: &'a (dyn Fn(&Event<'_>) + Sync),
    /// The API's refusal of the request's speech model choice, once one
    /// create got it: every other create of the run would get it too, so
    /// none is sent (nor its upload made).
    pub(super) model_refused: Mutex<Option<Failure>>,
    /// Until a create has succeeded, creates go one at a time, so that a
    /// model choice the API refuses is sent once, not once per uploader.
    pub(super) create_gate: Mutex<()>,
    pub(super) model_accepted: std::sync::atomic::AtomicBool,
}

/// Where plans go: the threads' queues.
#[derive(Clone)]
pub(super) struct Queues {
    pub(super) poll: Sender<Pending>,
    pub(super) ready: SyncSender<Ready>,
    pub(super) work: SyncSender<(usize, Work)>,
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl Batch {
    /// Runs the batch over this shard's share of `sources`, calling `deliver`
    /// for each completed transcript and `on_event` as things happen, and
    /// returns every source's outcome in input order.
    ///
    /// Each source is claimed in the output directory before anything is
    /// sent for it, so runs sharing the directory (other shards, the same
    /// shard twice, another shard count, another day) never pay twice for
    /// one source: a source another live run holds is left to it and
    /// waited for; one a dead run held is taken over, its create resolved
    /// first.
    ///
    /// # Errors
    ///
    /// Only what stops the whole run before it starts: the output directory
    /// or its state can't be made or read. Each source's own failure is in
    /// its [`Outcome`].
    pub fn run(
        &self,
        sources: &[Source],
        deliver: &Deliver,
        on_event: &(dyn Fn(&Event<'_>) + Sync),
    ) -> Result<Report> {
        let state_dir = self.out_dir.join(STATE_DIR);
        std::fs::create_dir_all(&state_dir)
            .map_err(|err| Error::io(format!("cannot create {}", state_dir.display()), err))?;
        let claims = Claims::open(&state_dir)?;
        // Journals of earlier versions (one per shard) are honoured: a
        // source they know and no claim does starts from what they say.
        let legacy = journal::read_legacy(&self.out_dir)?;
        let heartbeat = Heartbeat::start(&state_dir, self.lease)?;
        let mine: Vec<(usize, &Source)> = sources
            .iter()
            .enumerate()
            .filter(|(_, source)| self.shard.owns(source.key()))
            .collect();
        let total = mine.len();
        let (elsewhere_tx, elsewhere_rx) = mpsc::channel();
        let run = Run {
            elsewhere: (elsewhere_tx, Mutex::new(elsewhere_rx)),
            unclaimed: AtomicUsize::new(0),
            dispatched: AtomicBool::new(false),
            batch: self,
            held: (0..total).map(|_| AtomicU32::new(0)).collect(),
            sources: mine,
            claims,
            heartbeat,
            leftovers: Leftovers::find(&self.out_dir),
            observer: Observer::new(&state_dir, self.lease),
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
            model_refused: Mutex::new(None),
            create_gate: Mutex::new(()),
            model_accepted: std::sync::atomic::AtomicBool::new(false),
        };
        (run.on_event)(&Event::Started {
            lease: run.heartbeat.path(),
        });
        thread::scope(|scope| {
            scope.spawn(|| run.heartbeat.keep_beating());
            let plans: Vec<Plan> = (0..total)
                .map(|position| {
                    let source = run.sources[position].1;
                    let known = legacy
                        .get(source.key())
                        .or_else(|| source.legacy_key().and_then(|key| legacy.get(key)));
                    run.plan(position, known)
                })
                .collect();
            drop(legacy);
            run.execute(plans);
            run.heartbeat.stop();
        });
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
    fn execute(&self, plans: Vec<Plan>) {
        let client = &self.batch.client;
        let (poll_tx, poll_rx) = mpsc::channel::<Pending>();
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Ready>(DELIVERERS * 4);
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Work)>(self.batch.uploads);
        let ready_rx = Mutex::new(ready_rx);
        let work_rx = Mutex::new(work_rx);
        let queues = Queues {
            poll: poll_tx,
            ready: ready_tx,
            work: work_tx,
        };
        thread::scope(|scope| {
            let watcher_ready = queues.ready.clone();
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
                let (work_rx, poll_tx) = (&work_rx, queues.poll.clone());
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
            let mut elsewhere = Vec::new();
            for (position, plan) in plans.into_iter().enumerate() {
                match plan {
                    Plan::Finished(outcome) => self.finish(*outcome, false),
                    Plan::Resolve { url, at } => {
                        self.started();
                        open.push((position, url, at));
                    }
                    Plan::Elsewhere => elsewhere.push(position),
                    other => queue.push((position, other)),
                }
            }
            let resolver = queues.clone();
            scope.spawn(move || self.resolve(open, &resolver));
            let waiter = queues.clone();
            scope.spawn(move || self.wait_for_others(elsewhere, &waiter));
            (self.on_event)(&Event::Planned {
                counts: self.counts(),
            });
            for (position, plan) in queue {
                self.dispatch(position, plan, &queues);
            }
            self.dispatched.store(true, Ordering::Release);
            drop(queues);
        });
    }

    /// Sends a source on its way by its plan.
    pub(super) fn dispatch(&self, position: usize, plan: Plan, queues: &Queues) {
        match plan {
            Plan::Finished(outcome) => self.finish(*outcome, false),
            Plan::Resolve { url, at } => {
                self.started();
                self.resolve(vec![(position, url, at)], queues);
            }
            Plan::Deliver { id } => {
                self.started();
                let _ = queues.ready.send(Ready {
                    position,
                    id,
                    transcript: None,
                });
            }
            Plan::Wait { id } => {
                self.started();
                self.slots.take();
                let _ = queues.poll.send(Pending { position, id });
            }
            Plan::Fresh => {
                self.started();
                self.slots.take();
                if self.held[position].load(Ordering::Acquire) == 0 {
                    self.unclaimed.fetch_add(1, Ordering::AcqRel);
                }
                let _ = queues.work.send((position, Work::Fresh));
            }
            Plan::Elsewhere => unreachable!("sources held elsewhere are waited for apart"),
        }
    }

    /// The position of the source at input index `index`.
    fn position_of(&self, index: usize) -> usize {
        self.sources
            .binary_search_by_key(&index, |(index, _)| *index)
            .unwrap_or_default()
    }

    /// Appends `record` to its source's claim; those about a transcript
    /// (about to be created, created, failed) are synced before this
    /// returns. A create is announced only while this run still holds the
    /// claim: if a run took the source over (this one looked dead to it),
    /// nothing more is sent for it.
    pub(super) fn record(&self, record: &Record) -> std::result::Result<(), Failure> {
        let position = self.position_of(record.n);
        let generation = self.held[position].load(Ordering::Acquire);
        let lost = || {
            Failure::new(
                FailureKind::Internal,
                "another run took this source over (this run could not renew its lease in \
                 time); it resolves what this run started",
            )
        };
        if generation == 0 {
            return Err(lost());
        }
        if record.step == Step::Creating && self.claims.taken_over(&record.key, generation) {
            return Err(lost());
        }
        let sync = matches!(record.step, Step::Creating | Step::Created | Step::Failed);
        self.claims
            .append(generation, record, sync)
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
            self.leftovers.clear(path);
            // An output of a claimed source is this run's to write: whatever
            // else sits at its name in a shared directory (a link, a FIFO, a
            // socket) is removed, never written through or waited on.
            if let Ok(metadata) = std::fs::symlink_metadata(path) {
                let kind = metadata.file_type();
                if !kind.is_file() && !kind.is_dir() {
                    let _ = std::fs::remove_file(path);
                }
            }
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

    /// A source started here goes to the waiter instead: another run holds it.
    pub(super) fn handed_over(&self, position: usize) {
        {
            let mut progress = lock(&self.progress);
            progress.counts.in_flight = progress.counts.in_flight.saturating_sub(1);
        }
        self.slots.give();
        let _ = self.elsewhere.0.send(position);
    }

    /// Whether no more sources can be handed to the waiter.
    pub(super) fn elsewhere_done(&self) -> bool {
        self.dispatched.load(Ordering::Acquire) && self.unclaimed.load(Ordering::Acquire) == 0
    }

    pub(super) fn finish(&self, mut outcome: Outcome, was_in_flight: bool) {
        let position = self.position_of(outcome.index);
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
