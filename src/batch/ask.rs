//! The question step of a batch: after its transcripts, one question per
//! transcript to an LLM Gateway model (`aai batch --ask`), each answer in
//! `OUT/NAME.answer.txt` (`.json` with a schema), journaled so an answer
//! already written is never paid for again.
//!
//! It runs after [`Batch::run`](super::Batch::run) over the sources that
//! succeeded (now or in an earlier run), on the same client: the model's
//! budget ([`ClientBuilder::model_requests_per_minute`](crate::ClientBuilder::model_requests_per_minute))
//! paces every thread, so the gateway's per-model limit is never met.
//!
//! The journal, `OUT/.aai-batch/answers.K-of-N.jsonl`, records `asking`
//! (synced) before each request and `answered` once its file is written
//! whole. A question is the request without its transcript: a changed
//! question, model or schema is a new one, asked again. A rerun (under any
//! shard count: every shard's journal is read) skips every source answered
//! to the same question whose file is there; one found
//! `asking` (the run stopped while its request was out) is asked again, the
//! one request a crash can cost, and said so in a warning.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::journal::STATE_DIR;
use super::outcome::{Event, Failure, FailureKind};
use super::{Report, Shard, Source};
use crate::llm::{ChatReply, ChatRequest};
use crate::{Client, Error, Result};

/// Threads asking at once: the model's budget sets the pace, these only
/// keep a request waiting on it while others are in flight.
const ASKERS: usize = 8;

/// The question of a batch, for each transcript.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Ask {
    /// The request sent for each transcript, with its `transcript_id` set per
    /// source; its messages hold `{{ transcript }}` where the text goes.
    pub request: ChatRequest,
    /// Whether answers are JSON (a `response_format` schema): written as
    /// `NAME.answer.json` and checked to be JSON.
    pub json: bool,
}

/// What became of one source's question.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answered {
    /// Asked by this run; the answer is in the file.
    Now(PathBuf),
    /// Answered by an earlier run to the same question: nothing was sent.
    Before(PathBuf),
    /// The question failed; no file was written.
    Failed(Failure),
}

/// One record of the answers journal.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    key: String,
    question: String,
    step: String,
}

impl Ask {
    /// Asks `request` about each transcript.
    pub fn new(request: ChatRequest) -> Ask {
        let json = request.response_format.is_some();
        Ask { request, json }
    }

    /// Where `source`'s answer goes in `out_dir`.
    pub fn answer_path(&self, out_dir: &Path, source: &Source) -> PathBuf {
        let ext = if self.json { "json" } else { "txt" };
        out_dir.join(format!("{}.answer.{ext}", source.stem()))
    }

    /// The question's fingerprint: the request without its transcript.
    fn fingerprint(&self) -> String {
        let mut request = self.request.clone();
        request.transcript_id = None;
        let text = serde_json::to_string(&request).unwrap_or_default();
        format!("{:016x}", fnv1a64(text.as_bytes()))
    }

    /// Asks about every transcript of `report` (a run over `sources` into
    /// `out_dir` by `shard`) not answered yet; returns each source's answer
    /// by its input index. `on_event` hears of failures and retries.
    ///
    /// # Errors
    ///
    /// Only what stops the whole step: the journal can't be opened or written.
    pub fn run(
        &self,
        client: &Client,
        out_dir: &Path,
        shard: Shard,
        sources: &[Source],
        report: &Report,
        on_event: &(dyn Fn(&Event<'_>) + Sync),
    ) -> Result<HashMap<usize, Answered>> {
        let journal_path = out_dir.join(STATE_DIR).join(format!(
            "answers.{}-of-{}.jsonl",
            shard.index(),
            shard.count()
        ));
        let question = self.fingerprint();
        // Every shard's journal is read, whatever count wrote it: a source
        // answered under another --shard is not asked again.
        let known = read_journals(&out_dir.join(STATE_DIR), &question)?;
        let journal = Mutex::new(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(&journal_path)
                .map_err(|err| Error::io(format!("cannot open {}", journal_path.display()), err))?,
        );
        let todo: Vec<(usize, &Source, &str)> = report
            .outcomes
            .iter()
            .filter(|outcome| outcome.succeeded())
            .filter_map(|outcome| {
                let source = sources.get(outcome.index)?;
                Some((outcome.index, source, outcome.transcript_id.as_deref()?))
            })
            .collect();
        let results = Mutex::new(HashMap::new());
        let next = AtomicUsize::new(0);
        let stop: Mutex<Option<Error>> = Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..ASKERS.min(todo.len()) {
                scope.spawn(|| {
                    while let Some(&(index, source, id)) =
                        todo.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        if lock(&stop).is_some() {
                            return;
                        }
                        let answered = self.answer(
                            client, out_dir, source, id, &question, &known, &journal, on_event,
                        );
                        match answered {
                            Ok(answered) => {
                                lock(&results).insert(index, answered);
                            }
                            Err(error) => {
                                lock(&stop).get_or_insert(error);
                            }
                        }
                    }
                });
            }
        });
        if let Some(error) = lock(&stop).take() {
            return Err(error);
        }
        Ok(results.into_inner().unwrap_or_else(|p| p.into_inner()))
    }

    /// One source: skipped when answered before, else asked and written.
    /// `Err` only for the journal, which stops the step.
    #[allow(clippy::too_many_arguments)] // the step's shared state, passed down once
    fn answer(
        &self,
        client: &Client,
        out_dir: &Path,
        source: &Source,
        id: &str,
        question: &str,
        known: &HashMap<String, String>,
        journal: &Mutex<File>,
        on_event: &(dyn Fn(&Event<'_>) + Sync),
    ) -> Result<Answered> {
        let path = self.answer_path(out_dir, source);
        match known.get(source.key()).map(String::as_str) {
            Some("answered") if path.is_file() => return Ok(Answered::Before(path)),
            Some("asking") => on_event(&Event::Warning {
                message: format!(
                    "the question about {} was out when an earlier run stopped (it may have been \
                     billed); asking it again",
                    source.shown()
                ),
            }),
            _ => {}
        }
        append(
            journal,
            &Record {
                key: source.key().to_owned(),
                question: question.to_owned(),
                step: "asking".into(),
            },
        )?;
        let mut request = self.request.clone();
        request.transcript_id = Some(id.to_owned());
        let written = client
            .chat(&request)
            .map_err(|error| Failure::from(&error))
            .and_then(|reply| self.write(&path, &reply));
        match written {
            Ok(()) => {
                append(
                    journal,
                    &Record {
                        key: source.key().to_owned(),
                        question: question.to_owned(),
                        step: "answered".into(),
                    },
                )?;
                Ok(Answered::Now(path))
            }
            Err(failure) => {
                on_event(&Event::Warning {
                    message: format!(
                        "the question about {} failed: {}",
                        source.shown(),
                        failure.message
                    ),
                });
                Ok(Answered::Failed(failure))
            }
        }
    }

    /// Writes an answer whole or not at all (a temporary file renamed).
    fn write(&self, path: &Path, reply: &ChatReply) -> std::result::Result<(), Failure> {
        let text = reply.text();
        let body = if self.json {
            let value: serde_json::Value = serde_json::from_str(text.trim()).map_err(|err| {
                Failure::new(
                    FailureKind::Api,
                    format!("the model's answer is not JSON ({err})"),
                )
            })?;
            let mut body = serde_json::to_vec_pretty(&value).unwrap_or_default();
            body.push(b'\n');
            body
        } else if text.ends_with('\n') {
            text.into_bytes()
        } else {
            format!("{text}\n").into_bytes()
        };
        write_whole(path, &body).map_err(Failure::from)
    }
}

/// The last step of each source answered to `question`, by source key.
/// What every answers journal in `state_dir` knows of `question`: each
/// file's last step per source, an `answered` in any of them winning.
fn read_journals(state_dir: &Path, question: &str) -> Result<HashMap<String, String>> {
    let mut known: HashMap<String, String> = HashMap::new();
    let entries = match std::fs::read_dir(state_dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(known),
        Err(err) => {
            return Err(Error::io(
                format!("cannot read {}", state_dir.display()),
                err,
            ));
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with("answers.") && name.ends_with(".jsonl")) {
            continue;
        }
        for (key, step) in read_journal(&entry.path(), question)? {
            if known.get(&key).map(String::as_str) != Some("answered") {
                known.insert(key, step);
            }
        }
    }
    Ok(known)
}

fn read_journal(path: &Path, question: &str) -> Result<HashMap<String, String>> {
    let mut known = HashMap::new();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(known),
        Err(err) => return Err(Error::io(format!("cannot read {}", path.display()), err)),
    };
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|err| Error::io(format!("cannot read {}", path.display()), err))?;
        // A line cut by a crash is the one request that stopped: skipped.
        if let Ok(record) = serde_json::from_str::<Record>(&line) {
            if record.question == question {
                known.insert(record.key, record.step);
            }
        }
    }
    Ok(known)
}

/// Appends a record and syncs it before the step it announces.
fn append(journal: &Mutex<File>, record: &Record) -> Result<()> {
    let mut line = serde_json::to_vec(record).unwrap_or_default();
    line.push(b'\n');
    let mut file = lock(journal);
    file.write_all(&line)
        .and_then(|()| file.sync_data())
        .map_err(|err| Error::io("cannot write the answers journal", err))
}

/// `bytes` into `path`, appearing whole or not at all.
pub(super) fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = path.with_extension(format!("part-{}", std::process::id()));
    let written = File::create(&temp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_data()
    });
    match written.and_then(|()| std::fs::rename(&temp, path)) {
        Ok(()) => Ok(()),
        Err(err) => {
            let _ = std::fs::remove_file(&temp);
            Err(err)
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// FNV-1a, 64 bits: a fingerprint stable across runs and versions.
pub(super) fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
