//! Helpers shared by the library's integration tests: a client pointed at the fake API with
//! fast retries and polls, an observer that records events, and self-deleting temp files.

// Every tests/*.rs file compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assemblyai::{
    Client, ClientBuilder, Event, PollSchedule, RetryPolicy, TranscriptStatus, WaitOptions,
};

use crate::support::{FakeApi, Fnv64, RecordedRequest};

/// The ids of every job the fake holds, in creation order.
pub fn transcript_ids(api: &FakeApi) -> Vec<String> {
    let transcripts = api.transcripts();
    let ids = transcripts
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string());
    ids.collect()
}

/// A well-formed transcript id that the fake has never issued.
pub const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

/// Retries as the default policy does, but with pauses of milliseconds. The cap stays above
/// 1 s so that a `Retry-After: 1` is honoured rather than refused.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_secs(2))
}

/// A builder for the fake API with its key and [`fast_retry`].
pub fn builder(api: &FakeApi) -> ClientBuilder {
    Client::builder(api.key())
        .base_url(api.base_url())
        .retry(fast_retry())
}

/// A client for the fake API with its key and [`fast_retry`].
pub fn client(api: &FakeApi) -> Client {
    builder(api).build().expect("a client for the fake API")
}

/// Polls every 20 ms; the generous timeout only keeps a broken test from hanging.
pub fn fast_wait() -> WaitOptions {
    WaitOptions::default()
        .poll(PollSchedule::fixed(Duration::from_millis(20)))
        .timeout(Duration::from_secs(60))
}

/// An [`Event`] as recorded, owning its data.
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    Progress { sent: u64, total: Option<u64> },
    Uploaded(String),
    Created(String),
    StatusChanged(TranscriptStatus),
    Retrying { attempt: u32, delay: Duration },
}

/// The events a client reported, in order.
#[derive(Clone, Default)]
pub struct Events(Arc<Mutex<Vec<Seen>>>);

impl Events {
    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    pub fn push(&self, seen: Seen) {
        self.0.lock().unwrap().push(seen);
    }

    /// The `UploadProgress` events as `(sent, total)`.
    pub fn progress(&self) -> Vec<(u64, Option<u64>)> {
        let all = self.all();
        let progress = all.into_iter().filter_map(|seen| match seen {
            Seen::Progress { sent, total } => Some((sent, total)),
            _ => None,
        });
        progress.collect()
    }

    /// Every event but upload progress, which comes by the thousand.
    pub fn milestones(&self) -> Vec<Seen> {
        let all = self.all();
        let milestones = all
            .into_iter()
            .filter(|seen| !matches!(seen, Seen::Progress { .. }));
        milestones.collect()
    }
}

/// Records an event as [`Seen`].
pub fn seen(event: &Event<'_>) -> Option<Seen> {
    Some(match event {
        Event::UploadProgress { sent, total } => Seen::Progress {
            sent: *sent,
            total: *total,
        },
        Event::Uploaded { upload_url } => Seen::Uploaded(upload_url.to_string()),
        Event::Created { transcript } => Seen::Created(transcript.id.clone()),
        Event::StatusChanged { transcript } => Seen::StatusChanged(transcript.status.clone()),
        Event::Retrying { attempt, delay, .. } => Seen::Retrying {
            attempt: *attempt,
            delay: *delay,
        },
        _ => return None,
    })
}

/// A clone of `client` whose events are recorded.
pub fn observed(client: &Client) -> (Client, Events) {
    let events = Events::default();
    let sink = events.clone();
    let client = client.with_observer(move |event| {
        if let Some(seen) = seen(event) {
            sink.push(seen);
        }
    });
    (client, events)
}

/// The requests whose path is exactly `path` (no prefix match), e.g. the list endpoint
/// `/v2/transcript` without the transcripts under it.
pub fn requests_exactly(api: &FakeApi, method: &str, path: &str) -> Vec<RecordedRequest> {
    let all = api.requests();
    let matching = all
        .into_iter()
        .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path);
    matching.collect()
}

/// A file in the system's temp directory, removed when dropped.
pub struct TempFile {
    pub path: PathBuf,
}

impl TempFile {
    /// A new file holding `bytes`.
    pub fn with_bytes(name: &str, bytes: &[u8]) -> TempFile {
        let file = TempFile::named(name);
        std::fs::write(&file.path, bytes).expect("write a temp file");
        file
    }

    /// A new file of `len` bytes of a cheap deterministic pattern; returns it with the
    /// FNV-1a 64 of its bytes.
    pub fn with_pattern(name: &str, len: u64) -> (TempFile, u64) {
        let file = TempFile::named(name);
        let mut out = BufWriter::new(File::create(&file.path).expect("create a temp file"));
        let mut hash = Fnv64::new();
        let mut block = vec![0u8; 1 << 20];
        let mut written = 0u64;
        let mut block_index = 0u64;
        while written < len {
            // Each block differs, so a block sent twice or skipped changes the hash.
            for (i, byte) in block.iter_mut().enumerate() {
                *byte = (i as u64 ^ block_index.wrapping_mul(0x9e37)) as u8;
            }
            let n = (len - written).min(block.len() as u64) as usize;
            out.write_all(&block[..n]).expect("write a temp file");
            hash.update(&block[..n]);
            written += n as u64;
            block_index += 1;
        }
        out.flush().expect("write a temp file");
        (file, hash.finish())
    }

    fn named(name: &str) -> TempFile {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("assemblyai-test-{}-{n}-{name}", std::process::id()));
        TempFile { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn open(&self) -> io::Result<File> {
        File::open(&self.path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A whole HTTP response with `body` gzipped and its `content_type`, for `Fault::Garbage`: a
/// compression bomb when the body is large and dull.
pub fn gzipped_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(body).unwrap();
    let compressed = encoder.finish().unwrap();
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Encoding: gzip\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        compressed.len()
    )
    .into_bytes();
    response.extend_from_slice(&compressed);
    response
}
