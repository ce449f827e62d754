//! The state of an output directory from its claims (and the journals of
//! earlier versions) alone, without a request: what `aai batch --status DIR`
//! prints, whatever shards and runs wrote it.

use std::path::Path;

use super::claims::Claims;
use super::journal::{self, Entry, STATE_DIR};
use super::outcome::{Outcome, Status};
use super::source::Source;
use crate::{Error, Result};

/// Every source the claims of `out_dir` know (every run's and shard's), in
/// input order: done, failed, or pending (started and not finished, perhaps
/// by a run that is still going).
///
/// # Errors
///
/// [`Error::InvalidSource`] when `out_dir` holds no batch state,
/// [`Error::Io`] when it can't be read.
pub fn read_status(out_dir: impl AsRef<Path>) -> Result<Vec<Outcome>> {
    let out_dir = out_dir.as_ref();
    let state_dir = out_dir.join(STATE_DIR);
    if !state_dir.is_dir() {
        return Err(Error::invalid_source(format!(
            "{} holds no batch journal: it is not the --out-dir of an aai batch run",
            out_dir.display()
        )));
    }
    let mut entries = journal::read_legacy(out_dir)?;
    for (key, entry) in Claims::open(&state_dir)?.read_all()? {
        entries.insert(key, entry);
    }
    let mut outcomes: Vec<Outcome> = entries
        .into_iter()
        .map(|(key, entry)| outcome_of(out_dir, key, entry))
        .collect();
    outcomes.sort_by(|a, b| (a.index, &a.source).cmp(&(b.index, &b.source)));
    Ok(outcomes)
}

fn outcome_of(out_dir: &Path, key: String, entry: Entry) -> Outcome {
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
    outcome
}
