//! The state of an output directory from its journals alone, every shard's,
//! without a request: what `aai batch --status DIR` prints.

use std::path::Path;

use super::journal;
use super::outcome::{Outcome, Status};
use super::source::Source;
use crate::Result;

/// Every source the journals of `out_dir` know (all shards), in input order:
/// done, failed, or pending (started and not finished, perhaps by a run that
/// is still going).
///
/// # Errors
///
/// [`Error::InvalidSource`](crate::Error::InvalidSource) when `out_dir` holds
/// no journal, [`Error::Io`](crate::Error::Io) when one can't be read.
pub fn read_status(out_dir: impl AsRef<Path>) -> Result<Vec<Outcome>> {
    let out_dir = out_dir.as_ref();
    let mut outcomes = Vec::new();
    for (_, entries) in journal::read_all(out_dir)? {
        for (key, entry) in entries {
            let status = match (&entry.failure, entry.done) {
                (_, true) => Status::Done,
                (Some(_), false) => Status::Failed,
                (None, false) => Status::Pending,
            };
            let shown = if entry.source.is_empty() {
                key
            } else {
                entry.source
            };
            let mut outcome = Outcome::new(entry.n, &Source::url(shown), status);
            outcome.transcript_id = entry.id;
            outcome.failure = entry.failure;
            outcome.speech_model_used = entry.speech_model_used;
            outcome.warnings = entry.warnings;
            outcome.outputs = entry
                .outputs
                .iter()
                .map(|path| out_dir.join(path))
                .collect();
            outcomes.push(outcome);
        }
    }
    outcomes.sort_by(|a, b| (a.index, &a.source).cmp(&(b.index, &b.source)));
    Ok(outcomes)
}
