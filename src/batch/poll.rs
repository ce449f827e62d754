//! Waiting on thousands of jobs with one thread and a request every round,
//! not one per job: the list endpoint shows 200 jobs' statuses a page, so a
//! round reads the newest pages until it has seen every job in flight, and
//! only jobs it could not see (older than the pages read) get a GET of their
//! own, on the adaptive schedule of a single wait.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use super::outcome::{Failure, FailureKind};
use crate::{Client, Error, ListQuery, PollSchedule, Transcript, TranscriptStatus};

/// Jobs per list page: the API's most.
const PAGE: u32 = 200;
/// The most pages a round reads; jobs beyond them get single GETs.
const MAX_PAGES: usize = 5;
/// The shortest and longest pause between rounds.
const MIN_ROUND: Duration = Duration::from_millis(250);
const MAX_ROUND: Duration = Duration::from_secs(5);
/// Each page read adds this much to the next pause, so that listing stays a
/// small share of the request budget however many jobs are in flight.
const PER_PAGE: Duration = Duration::from_millis(100);

/// A job to watch.
pub(crate) struct Pending {
    /// The source's position in the run.
    pub(crate) position: usize,
    pub(crate) id: String,
}

/// How a watched job ended.
pub(crate) enum Ended {
    /// Completed; the transcript when a GET fetched it already.
    Completed(Option<Box<Transcript>>),
    /// Failed, or can't be read any more.
    Failed(Failure),
}

struct Watched {
    position: usize,
    since: Instant,
    /// When a GET of its own is due, for a job the list pages didn't show.
    next_get: Instant,
}

/// Watches the jobs `incoming` sends until it is closed and every job has
/// ended, telling `ended` of each with its position and id.
pub(crate) fn watch(
    client: &Client,
    incoming: Receiver<Pending>,
    mut ended: impl FnMut(usize, &str, Ended),
    warn: impl Fn(String),
) {
    let schedule = PollSchedule::default();
    let mut watched: HashMap<String, Watched> = HashMap::new();
    let mut open = true;
    let mut pages_read = 0;
    loop {
        let add = |watched: &mut HashMap<String, Watched>, job: Pending| {
            let now = Instant::now();
            watched.insert(
                job.id,
                Watched {
                    position: job.position,
                    since: now,
                    next_get: now + schedule.interval(Duration::ZERO),
                },
            );
        };
        if watched.is_empty() {
            if !open {
                return;
            }
            match incoming.recv() {
                Ok(job) => add(&mut watched, job),
                Err(_) => return,
            }
        }
        // Gather what arrives during the pause, then look at all of it.
        let pause = round_pause(&watched, pages_read);
        let wake = Instant::now() + pause;
        while open {
            let left = wake.saturating_duration_since(Instant::now());
            match incoming.recv_timeout(left) {
                Ok(job) => add(&mut watched, job),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
        }
        if !open {
            std::thread::sleep(wake.saturating_duration_since(Instant::now()));
        }
        loop {
            match incoming.try_recv() {
                Ok(job) => add(&mut watched, job),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    open = false;
                    break;
                }
            }
        }
        pages_read = round(client, &schedule, &mut watched, &mut ended, &warn);
    }
}

/// The pause before the next round: a tenth of the median job's age (jobs
/// that ran long will not end in the next instant), longer after rounds
/// that read many pages.
fn round_pause(watched: &HashMap<String, Watched>, pages_read: usize) -> Duration {
    let mut ages: Vec<Duration> = watched.values().map(|job| job.since.elapsed()).collect();
    ages.sort();
    let median = ages.get(ages.len() / 2).copied().unwrap_or_default();
    (median / 10)
        .max(PER_PAGE * pages_read as u32)
        .clamp(MIN_ROUND, MAX_ROUND)
}

/// One round: list pages, then single GETs for jobs not seen. Returns the
/// number of pages read.
fn round(
    client: &Client,
    schedule: &PollSchedule,
    watched: &mut HashMap<String, Watched>,
    ended: &mut impl FnMut(usize, &str, Ended),
    warn: &impl Fn(String),
) -> usize {
    let mut unseen: HashSet<String> = watched.keys().cloned().collect();
    let mut query = ListQuery {
        limit: Some(PAGE),
        ..ListQuery::default()
    };
    let mut pages = 0;
    while pages < MAX_PAGES && !unseen.is_empty() {
        pages += 1;
        let page = match client.list_transcripts(&query) {
            Ok(page) => page,
            Err(error) => {
                warn(format!(
                    "listing transcripts failed: {error}; will look again"
                ));
                break;
            }
        };
        for item in &page.transcripts {
            if !unseen.remove(&item.id) {
                continue;
            }
            let outcome = match item.status {
                TranscriptStatus::Completed => Ended::Completed(None),
                TranscriptStatus::Error => Ended::Failed(transcript_failed(item.error.as_deref())),
                _ => continue,
            };
            if let Some(job) = watched.remove(&item.id) {
                ended(job.position, &item.id, outcome);
            }
        }
        match page.transcripts.last() {
            Some(oldest) if page.page_details.prev_url.is_some() => {
                query.before_id = Some(oldest.id.clone());
            }
            _ => break,
        }
    }
    // The jobs the pages didn't show: older than them, or hidden by the
    // list (it covers 90 days), each asked alone when its schedule says.
    let now = Instant::now();
    for id in unseen {
        let Some(job) = watched.get_mut(&id) else {
            continue;
        };
        if job.next_get > now {
            continue;
        }
        let outcome = match client.get_transcript(&id) {
            Ok(transcript) => match transcript.status {
                TranscriptStatus::Completed => Ended::Completed(Some(Box::new(transcript))),
                TranscriptStatus::Error => {
                    Ended::Failed(transcript_failed(transcript.error.as_deref()))
                }
                _ => {
                    job.next_get = Instant::now() + schedule.interval(job.since.elapsed());
                    continue;
                }
            },
            Err(error) if gone(&error) => Ended::Failed(Failure::from(&error)),
            Err(error) => {
                warn(format!("{error}; will look again"));
                job.next_get = Instant::now() + schedule.interval(job.since.elapsed());
                continue;
            }
        };
        if let Some(job) = watched.remove(&id) {
            ended(job.position, &id, outcome);
        }
    }
    pages
}

/// A job that will not be found by asking again: unknown id, deleted, or
/// another project's.
fn gone(error: &Error) -> bool {
    matches!(error.status(), Some(400 | 401 | 403 | 404))
}

pub(crate) fn transcript_failed(message: Option<&str>) -> Failure {
    let message = message
        .filter(|text| !text.trim().is_empty())
        .unwrap_or("the API gave no reason");
    Failure::new(
        FailureKind::TranscriptFailed,
        format!("transcript failed: {message}"),
    )
}
