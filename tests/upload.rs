//! Uploads: files go with their length, streams go chunked, and the server receives exactly the
//! bytes, however large.

mod common;
mod support;

use std::io::{self, Read};

use assemblyai::{Error, TranscriptRequest};
use support::{FakeApi, fnv1a64};

use common::{Seen, TempFile, client, observed};

/// Over 64 MiB, so that no 64 KiB peek, buffer or size cap can hide in the path.
const LARGE: u64 = 65 * 1024 * 1024 + 12_345;

#[test]
fn upload_file_sends_the_length_and_exactly_the_bytes() {
    let api = FakeApi::start();
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let file = TempFile::with_bytes("small.wav", &data);
    let uploaded = client(&api).upload_file(file.path()).unwrap();

    let request = &api.requests_to("POST", "/v2/upload")[0];
    assert_eq!(request.header("content-length"), Some("200000"));
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert!(!request.chunked);
    assert_eq!(request.body, data);
    let upload = &api.uploads()[0];
    assert_eq!(upload.url, uploaded.upload_url);
    assert_eq!((upload.len, upload.fnv), (200_000, fnv1a64(&data)));
}

#[test]
fn upload_reader_streams_chunked() {
    let api = FakeApi::start();
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let uploaded = client(&api).upload(io::Cursor::new(data.clone())).unwrap();

    let request = &api.requests_to("POST", "/v2/upload")[0];
    assert!(request.chunked, "a stream of unknown length goes chunked");
    assert_eq!(request.header("content-length"), None);
    assert_eq!(request.body, data);
    assert_eq!(api.uploads()[0].url, uploaded.upload_url);
}

#[test]
fn file_over_64_mib_arrives_whole_through_both_upload_paths() {
    let api = FakeApi::start();
    let (file, fnv) = TempFile::with_pattern("large.bin", LARGE);
    let client = client(&api);

    let by_path = client.upload_file(file.path()).unwrap();
    let by_reader = client.upload(file.open().unwrap()).unwrap();

    let uploads = api.uploads();
    assert_eq!(uploads.len(), 2);
    assert_eq!(uploads[0].url, by_path.upload_url);
    assert_eq!(uploads[1].url, by_reader.upload_url);
    assert_eq!((uploads[0].len, uploads[0].fnv), (LARGE, fnv));
    assert_eq!((uploads[1].len, uploads[1].fnv), (LARGE, fnv));
    assert!(!uploads[0].chunked, "a file is sent with its length");
    assert!(uploads[1].chunked, "a reader is streamed chunked");
    let requests = api.requests_to("POST", "/v2/upload");
    assert_eq!(
        requests[0].header("content-length"),
        Some(LARGE.to_string().as_str())
    );
    assert_eq!(requests.len(), 2, "nothing was retried");
}

#[test]
fn upload_progress_rises_to_the_file_size() {
    let api = FakeApi::start();
    let len = 3 * 1024 * 1024 + 7;
    let (file, _) = TempFile::with_pattern("progress.bin", len);
    let (client, events) = observed(&client(&api));
    let uploaded = client.upload_file(file.path()).unwrap();

    let progress = events.progress();
    assert!(progress.len() > 1, "progress comes in steps: {progress:?}");
    assert!(progress.iter().all(|(_, total)| *total == Some(len)));
    assert!(
        progress.windows(2).all(|w| w[0].0 <= w[1].0),
        "sent never decreases"
    );
    assert_eq!(progress.last().unwrap().0, len);
    assert_eq!(
        events.milestones(),
        [Seen::Uploaded(uploaded.upload_url)],
        "one Uploaded event, after the progress"
    );
    assert!(matches!(events.all().last(), Some(Seen::Uploaded(_))));
}

#[test]
fn stream_progress_has_no_total() {
    let api = FakeApi::start();
    let data = vec![42u8; 500_000];
    let (client, events) = observed(&client(&api));
    client.upload(&data[..]).unwrap();

    let progress = events.progress();
    assert!(progress.iter().all(|(_, total)| total.is_none()));
    assert_eq!(progress.last().unwrap().0, 500_000);
}

#[test]
fn empty_or_missing_sources_are_refused_without_a_request() {
    let api = FakeApi::start();
    let client = client(&api);
    let empty = TempFile::with_bytes("empty.wav", b"");
    let missing = empty.path().with_extension("missing");
    let directory = std::env::temp_dir();

    for result in [
        client.upload_file(empty.path()),
        client.upload_file(&missing),
        client.upload_file(&directory),
        client.upload(io::empty()),
    ] {
        assert!(
            matches!(result, Err(Error::InvalidSource { .. })),
            "{result:?}"
        );
    }
    let transcribed = client.transcribe(
        missing.as_path(),
        &TranscriptRequest::default(),
        &common::fast_wait(),
    );
    assert!(matches!(transcribed, Err(Error::InvalidSource { .. })));
    assert_eq!(api.requests().len(), 0);
}

/// A reader that fails after yielding some bytes.
struct FailingReader {
    left: usize,
}

impl Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.left);
        buf[..n].fill(1);
        self.left -= n;
        Ok(n)
    }
}

#[test]
fn a_reader_that_fails_mid_stream_never_completes_an_upload() {
    let api = FakeApi::start();
    let result = client(&api).upload(FailingReader { left: 200_000 });

    assert!(result.is_err(), "{result:?}");
    assert!(
        api.uploads().is_empty(),
        "a truncated body must not pass for the whole file"
    );
    assert!(
        api.count("POST", "/v2/upload") <= 1,
        "a stream is never sent twice"
    );
}

/// `aai transcribe <(ffmpeg ...)` hands over a named pipe: it has no length
/// and can be read once, so it must go as a stream, not as an empty file.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_streamed_whole() {
    let api = FakeApi::start();
    let dir = std::env::temp_dir().join(format!("aai-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("audio.pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let data: Vec<u8> = (0..500_000u32).map(|i| (i % 253) as u8).collect();
    let writer = {
        let (fifo, data) = (fifo.clone(), data.clone());
        std::thread::spawn(move || std::fs::write(fifo, data).unwrap())
    };

    let uploaded = client(&api).upload_file(&fifo);

    writer.join().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    uploaded.unwrap();
    let upload = &api.uploads()[0];
    assert!(upload.chunked, "a pipe has no length to announce");
    assert_eq!(
        (upload.len, upload.fnv),
        (data.len() as u64, fnv1a64(&data))
    );
}
