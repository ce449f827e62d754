//! The account's concurrency limit: jobs beyond it wait, first in first out, `queued` with
//! `throttled: true`, and start when a processing slot frees.

use std::time::Instant;

use super::jobs::{Kind, State};

impl State {
    /// Hands free slots to waiting jobs, as a queue in front of `limit` workers would have by
    /// `now`: a job starts when it was created, or when the slot it waited for freed. A job
    /// whose end isn't known yet (one counted in polls, or `never`) holds its slot.
    pub fn schedule(&mut self, now: Instant) {
        let Some(limit) = self.concurrency_limit else {
            return;
        };
        while let Some(next) = self.jobs.iter().position(|j| j.throttled()) {
            let held: Vec<(Instant, Option<Instant>)> = self
                .jobs
                .iter()
                .filter(|j| matches!(j.spec.kind, Kind::Scripted { .. }))
                .filter_map(|j| j.started.map(|(start, _)| (start, j.end())))
                .collect();
            let busy_at = |t: Instant| {
                let busy =
                    |(s, e): &&(Instant, Option<Instant>)| *s <= t && e.is_none_or(|e| t < e);
                held.iter().filter(busy).count()
            };
            let created = self.jobs[next].created_at;
            // FIFO: never before the job started last.
            let earliest = held.iter().map(|(s, _)| *s).fold(created, Instant::max);
            let mut candidates: Vec<Instant> = held
                .iter()
                .filter_map(|(_, end)| *end)
                .filter(|&end| end > earliest && end <= now)
                .collect();
            candidates.push(earliest);
            candidates.sort();
            let Some(start) = candidates
                .into_iter()
                .find(|&t| t <= now && busy_at(t) < limit)
            else {
                return;
            };
            let job = &mut self.jobs[next];
            job.started = Some((start, job.polls));
        }
    }
}
