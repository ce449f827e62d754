//! The journal's records: JSON lines saying, before each step that costs
//! money, what is about to happen and after it what happened. Each source's
//! records live in its claim (see `claims`); earlier versions kept them in
//! one file per shard, `journal.K-of-N.jsonl`, which runs still read.
//! Each line is written whole with one `write` and synced before the step
//! it protects, so a crash, `kill -9` or power cut leaves at worst a
//! partial last line, which reading skips.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::outcome::Failure;
use super::source::Identity;
use crate::{Error, Result};

/// The directory inside the output directory that holds claims, leases and
/// the journals of earlier versions.
pub(crate) const STATE_DIR: &str = ".aai-batch";

/// One step of one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Step {
    /// A run claims the source (the first line of a claim file); `run`
    /// names it.
    Claim,
    /// A fresh attempt begins, with the source's identity: what earlier
    /// records said no longer applies.
    Start,
    /// The file is uploaded; `upload_url` is where.
    Uploaded,
    /// A transcript of `audio_url` is about to be created (the paid step).
    Creating,
    /// The transcript `id` exists.
    Created,
    /// The outputs are written.
    Done,
    /// The source failed; `maybe_created` when a job may exist nonetheless.
    Failed,
}

/// One line of the journal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    /// The source's place in the input.
    pub(crate) n: usize,
    /// The source's identity key (see `Source::key`).
    pub(crate) key: String,
    pub(crate) step: Step,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) mtime: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) outputs: Vec<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) failure: Option<Failure>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) maybe_created: bool,
    /// On `done`: the model that ran and the server's warnings, for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) speech_model_used: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) warnings: Vec<String>,
    /// The run that claims the source, on a `claim` line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) run: Option<String>,
    /// A hash of the file's content (32 hex digits), on a `start` line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) content: Option<String>,
    /// Seconds since the Unix epoch when the record was written.
    #[serde(default)]
    pub(crate) at: f64,
}

impl Record {
    pub(crate) fn new(n: usize, key: &str, step: Step) -> Record {
        Record {
            n,
            key: key.to_owned(),
            step,
            source: None,
            size: None,
            mtime: None,
            url: None,
            id: None,
            outputs: Vec::new(),
            failure: None,
            maybe_created: false,
            speech_model_used: None,
            warnings: Vec::new(),
            run: None,
            content: None,
            at: now(),
        }
    }
}

/// What the journal knows of one source: its records folded in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Entry {
    pub(crate) n: usize,
    pub(crate) source: String,
    pub(crate) identity: Option<Identity>,
    /// The fingerprint of the content the attempt was made from.
    pub(crate) content: Option<String>,
    pub(crate) upload_url: Option<String>,
    /// The `audio_url` and time of a create whose outcome is not recorded.
    pub(crate) creating: Option<(String, f64)>,
    pub(crate) id: Option<String>,
    pub(crate) done: bool,
    pub(crate) outputs: Vec<PathBuf>,
    pub(crate) failure: Option<Failure>,
    pub(crate) speech_model_used: Option<String>,
    pub(crate) warnings: Vec<String>,
}

impl Entry {
    pub(crate) fn apply(&mut self, record: Record) {
        self.n = record.n;
        if let Some(source) = record.source {
            self.source = source;
        }
        match record.step {
            Step::Claim => {}
            Step::Start => {
                *self = Entry {
                    n: record.n,
                    source: std::mem::take(&mut self.source),
                    identity: record.size.map(|size| Identity {
                        size,
                        mtime: record.mtime.unwrap_or(0),
                    }),
                    content: record.content,
                    ..Entry::default()
                };
            }
            Step::Uploaded => self.upload_url = record.url,
            Step::Creating => self.creating = record.url.map(|url| (url, record.at)),
            Step::Created => {
                self.id = record.id;
                self.creating = None;
                self.failure = None;
            }
            Step::Done => {
                self.done = true;
                self.outputs = record.outputs;
                self.failure = None;
                self.speech_model_used = record.speech_model_used;
                self.warnings = record.warnings;
                if record.id.is_some() {
                    self.id = record.id;
                }
            }
            Step::Failed => {
                self.done = false;
                self.failure = record.failure;
                if record.id.is_some() {
                    self.id = record.id;
                }
                if !record.maybe_created {
                    self.creating = None;
                }
            }
        }
    }
}

/// Reads a journal's (or a claim's) records, in order.
pub(crate) fn records(reader: impl BufRead) -> io::Result<Vec<Record>> {
    let mut records = Vec::new();
    for line in reader.split(b'\n') {
        let line = line?;
        // A partial line (a crash mid-write) or a foreign one is skipped.
        if let Ok(record) = serde_json::from_slice::<Record>(&line) {
            records.push(record);
        }
    }
    Ok(records)
}

/// Reads a journal's records and folds them by source.
#[cfg(test)]
fn fold(reader: impl BufRead) -> io::Result<HashMap<String, Entry>> {
    let mut entries: HashMap<String, Entry> = HashMap::new();
    for record in records(reader)? {
        entries.entry(record.key.clone()).or_default().apply(record);
    }
    Ok(entries)
}

/// What the journals of earlier versions (one per shard, any shard count)
/// in `out_dir` say, merged by source in the order the records were
/// written; empty when there are none.
pub(crate) fn read_legacy(out_dir: &Path) -> Result<HashMap<String, Entry>> {
    let dir = out_dir.join(STATE_DIR);
    let cannot = |err| Error::io(format!("cannot read {}", dir.display()), err);
    let mut all = Vec::new();
    for path in journal_paths(&dir).map_err(cannot)? {
        let file = File::open(&path).map_err(cannot)?;
        all.extend(records(BufReader::new(file)).map_err(cannot)?);
    }
    all.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut entries: HashMap<String, Entry> = HashMap::new();
    for record in all {
        entries.entry(record.key.clone()).or_default().apply(record);
    }
    Ok(entries)
}

/// The journal files in a state directory, sorted; none when it is absent.
fn journal_paths(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mut paths: Vec<PathBuf> = listing
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("journal.") && name.ends_with(".jsonl")
        })
        .collect();
    paths.sort();
    Ok(paths)
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(record: &Record) -> String {
        serde_json::to_string(record).unwrap()
    }

    #[test]
    fn records_fold_into_the_last_state_and_a_torn_line_is_skipped() {
        let mut start = Record::new(0, "a.mp3", Step::Start);
        start.size = Some(10);
        let mut creating = Record::new(0, "a.mp3", Step::Creating);
        creating.url = Some("https://up/1".into());
        let mut created = Record::new(0, "a.mp3", Step::Created);
        created.id = Some("id-1".into());
        let text = format!(
            "{}\n{}\n{}\n{{\"n\":0,\"key\":\"a.mp3\",\"st",
            line(&start),
            line(&creating),
            line(&created)
        );
        let entries = fold(text.as_bytes()).unwrap();
        let entry = &entries["a.mp3"];
        assert_eq!(entry.id.as_deref(), Some("id-1"));
        assert!(entry.creating.is_none());
        assert_eq!(entry.identity.unwrap().size, 10);
    }

    #[test]
    fn a_create_without_an_outcome_stays_open_and_a_new_start_forgets_all() {
        let mut creating = Record::new(3, "b", Step::Creating);
        creating.url = Some("https://up/2".into());
        let entries = fold(format!("{}\n", line(&creating)).as_bytes()).unwrap();
        assert_eq!(entries["b"].creating.as_ref().unwrap().0, "https://up/2");
        let restart = Record::new(3, "b", Step::Start);
        let text = format!("{}\n{}\n", line(&creating), line(&restart));
        let entries = fold(text.as_bytes()).unwrap();
        assert!(entries["b"].creating.is_none());
    }
}
