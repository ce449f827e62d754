//! The uploaders' side of a run: upload and create, each announced in the
//! journal first, and the creates whose outcome is unknown (a crash, a lost
//! reply), resolved through the list so that no source is billed twice.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Sender, SyncSender};
use std::thread;
use std::time::Duration;

use super::journal::{Record, Step};
use super::outcome::{Event, Failure, FailureKind};
use super::poll::Pending;
use super::run::Run;
use crate::timestamp::parse_naive_utc;
use crate::{Error, ListQuery, Result};

/// How long a create interrupted by a crash may take to show in the list: a
/// rerun this soon after the record waits out the rest first.
const LANDING: f64 = 3.0;
/// Clock skew allowed between this machine (the journal's times) and the
/// API's (the list's), when deciding that listed jobs are too old to be ours.
const SKEW: f64 = 600.0;
/// The most list pages read to resolve creates of unknown outcome.
const MAX_RESOLVE_PAGES: usize = 50;
/// The pause before looking for a job after a create failed ambiguously.
const RECOVERY_PAUSE: Duration = Duration::from_secs(2);

/// The work of an uploader.
pub(super) enum Work {
    Fresh,
    Create { url: String },
}

impl Run<'_> {
    /// Looks in the list, in one pass for all of them, for the jobs of
    /// creates whose outcome the journal doesn't know, while the rest of the
    /// run goes on: a job for the upload URL is adopted and waited on;
    /// without one the create is sent again.
    pub(super) fn resolve(
        &self,
        open: Vec<(usize, String, f64)>,
        poll_tx: &Sender<Pending>,
        work_tx: &SyncSender<(usize, Work)>,
    ) {
        if open.is_empty() {
            return;
        }
        let youngest = open.iter().map(|(_, _, at)| *at).fold(f64::MIN, f64::max);
        let oldest = open.iter().map(|(_, _, at)| *at).fold(f64::MAX, f64::min);
        // A create cut off by a crash a moment ago may still be landing.
        let landing = LANDING - (now() - youngest);
        if landing > 0.0 {
            thread::sleep(Duration::from_secs_f64(landing.min(LANDING)));
        }
        let urls: HashSet<&str> = open.iter().map(|(_, url, _)| url.as_str()).collect();
        let found = self.find_jobs(&urls, oldest);
        for (position, url, _) in &open {
            let position = *position;
            match &found {
                Ok(found) => match found.get(url) {
                    Some(id) => {
                        if let Err(failure) = self.record_created(position, id) {
                            self.fail(position, failure, Some(id), false);
                            continue;
                        }
                        self.slots.take();
                        let _ = poll_tx.send(Pending {
                            position,
                            id: id.clone(),
                        });
                    }
                    None => {
                        self.slots.take();
                        let work = Work::Create { url: url.clone() };
                        let _ = work_tx.send((position, work));
                    }
                },
                Err(error) => {
                    let mut failure = Failure::from(error);
                    failure.message = format!(
                        "cannot tell whether an earlier run created its transcript ({}); \
                         run again to look once more",
                        failure.message
                    );
                    self.fail(position, failure, None, true);
                }
            }
        }
    }

    /// The ids of jobs for `urls` created since `since` (seconds since the
    /// epoch, by this machine's clock), paging back through the list.
    pub(super) fn find_jobs(
        &self,
        urls: &HashSet<&str>,
        since: f64,
    ) -> Result<HashMap<String, String>> {
        let client = &self.batch.client;
        let mut found = HashMap::new();
        let mut query = ListQuery {
            limit: Some(200),
            ..ListQuery::default()
        };
        for _ in 0..MAX_RESOLVE_PAGES {
            let page = client.list_transcripts(&query)?;
            let mut reached_older = page.transcripts.is_empty();
            // Newest first: a later match is an earlier job, the one kept.
            for item in &page.transcripts {
                if parse_naive_utc(&item.created).is_some_and(|at| at < since - SKEW) {
                    reached_older = true;
                } else if urls.contains(item.audio_url.as_str()) {
                    found.insert(item.audio_url.clone(), item.id.clone());
                }
            }
            match page.transcripts.last() {
                Some(last) if !reached_older && page.page_details.prev_url.is_some() => {
                    query.before_id = Some(last.id.clone());
                }
                _ => break,
            }
        }
        Ok(found)
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
        let client = &self.batch.client;
        let created = match client.create_transcript(&request) {
            Err(error) if error.is_speech_model_refusal() => {
                let failure = Failure::from(&error);
                *super::run::lock(&self.model_refused) = Some(failure.clone());
                Err((failure, false))
            }
            Ok(created) => Ok(created.id),
            Err(error) if refused(&error) => Err((Failure::from(&error), false)),
            Err(error) => {
                // The client sent the create again wherever that was safe,
                // so a job may exist: look once more, a little later, and
                // otherwise leave the create open for the next run, which
                // looks again before creating (never twice in one run).
                thread::sleep(RECOVERY_PAUSE);
                let urls = HashSet::from([url.as_str()]);
                match self.find_jobs(&urls, creating.at) {
                    Ok(found) if found.contains_key(&url) => Ok(found[&url].clone()),
                    _ => Err((Failure::from(&error), true)),
                }
            }
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

    /// A fresh attempt: the source's identity, then its upload.
    pub(super) fn upload(&self, position: usize) -> std::result::Result<String, Failure> {
        let (index, source) = self.sources[position];
        let mut start = Record::new(index, source.key(), Step::Start);
        start.source = Some(source.shown());
        if let Some(identity) = source.identity().map_err(|e| Failure::from(&e))? {
            start.size = Some(identity.size);
            start.mtime = Some(identity.mtime);
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

/// Whether a create was refused outright, so that no job exists.
fn refused(error: &Error) -> bool {
    matches!(
        FailureKind::of(error),
        FailureKind::Api | FailureKind::Auth | FailureKind::Usage | FailureKind::Input
    )
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}
