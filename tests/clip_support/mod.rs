//! What the Sync STT and Dictation tests share: an emulator with a key, a
//! client for it, and audio made on the spot (WAV and raw PCM of a given
//! length, a compressed file's first bytes).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assemblyai::emulator::Emulator;
use assemblyai::{Client, RetryPolicy};

pub const KEY: &str = "clip-test-key-51c0";

pub fn emulator() -> Emulator {
    Emulator::builder().key(KEY).start().expect("an emulator")
}

/// A client with quick retries (a `Retry-After` up to 2 s is honoured).
pub fn client(emulator: &Emulator) -> Client {
    Client::builder(KEY)
        .base_url(emulator.base_url())
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(10))
                .max_backoff(Duration::from_secs(2)),
        )
        .build()
        .expect("a client")
}

/// `seconds` of 16 kHz mono 16-bit PCM (a quiet saw wave).
pub fn pcm(seconds: f64) -> Vec<u8> {
    let samples = (16_000.0 * seconds) as usize;
    (0..samples)
        .flat_map(|i| (((i % 200) as i16 - 100) * 50).to_le_bytes())
        .collect()
}

/// `seconds` of 16 kHz mono 16-bit audio in a WAV file's bytes.
pub fn wav(seconds: f64) -> Vec<u8> {
    wav_with(&pcm(seconds), 16)
}

/// `data` behind a 16 kHz mono WAV header of `bits` per sample.
pub fn wav_with(data: &[u8], bits: u16) -> Vec<u8> {
    let block = bits / 8;
    let mut h = Vec::new();
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&16_000u32.to_le_bytes());
    h.extend_from_slice(&(16_000 * u32::from(block)).to_le_bytes());
    h.extend_from_slice(&block.to_le_bytes());
    h.extend_from_slice(&bits.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&(data.len() as u32).to_le_bytes());
    h.extend_from_slice(data);
    h
}

/// An MP3's first bytes (an ID3 tag), then filler.
pub fn mp3(len: usize) -> Vec<u8> {
    let mut bytes = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    bytes.resize(len, 0x55);
    bytes
}

/// A file in the temporary directory, removed when dropped.
pub struct TempFile(PathBuf);

impl TempFile {
    pub fn new(name: &str, bytes: &[u8]) -> TempFile {
        let dir = std::env::temp_dir().join(format!("aai-clip-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("a temp file");
        TempFile(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A reader that gives its bytes `step` at a time, like a recorder's pipe.
pub struct Trickle {
    pub bytes: Vec<u8>,
    pub at: usize,
    pub step: usize,
}

impl std::io::Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.step).min(self.bytes.len() - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

pub fn trickle(bytes: Vec<u8>, step: usize) -> Trickle {
    Trickle { bytes, at: 0, step }
}
