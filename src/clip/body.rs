//! The multipart body of a clip, streamed: the `config` part first (the
//! live routes refuse audio that comes before it), then the audio part,
//! read from the file or the stream as the request goes, never whole in
//! memory. Either can start over: the file is reopened, the stream replayed
//! from its spool and then read on.

use std::collections::hash_map::RandomState;
use std::fs::File;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read};
use std::path::Path;

use super::audio::{AudioFormat, ClipSource};
use super::spool::Spool;
use crate::request::ReplayableBody;
use crate::{Error, Result};

/// Bytes read from the audio to tell its format.
const SNIFF_BYTES: usize = 4096;

/// A clip's request body.
pub(crate) struct ClipBody<'a> {
    audio: Audio<'a>,
    format: AudioFormat,
    boundary: String,
    /// The `config` part and the audio part's headers.
    head: Vec<u8>,
    /// The closing boundary.
    tail: Vec<u8>,
    /// Where the next read is, counted from the start of the body.
    at: u64,
}

/// Where the audio comes from.
enum Audio<'a> {
    File {
        path: &'a Path,
        len: u64,
        /// Open during an attempt.
        open: Option<File>,
    },
    Stream {
        source: &'a mut dyn Read,
        spool: Spool,
        /// Whether the source has ended.
        ended: bool,
    },
}

impl<'a> ClipBody<'a> {
    /// Opens the audio and reads its first bytes to tell the format.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSource`] for a missing, empty or unreadable file or
    /// an empty stream, [`Error::Io`] when reading fails.
    pub(crate) fn open(source: ClipSource<'a>) -> Result<ClipBody<'a>> {
        let mut head = vec![0; SNIFF_BYTES];
        let (audio, sniffed) = match source {
            ClipSource::File(path) => {
                let len = check_file(path)?;
                let mut file = File::open(path)
                    .map_err(|err| Error::io(format!("cannot open {}", path.display()), err))?;
                let n = read_up_to(&mut file, &mut head)
                    .map_err(|err| Error::io(format!("cannot read {}", path.display()), err))?;
                let audio = Audio::File {
                    path,
                    len,
                    open: None,
                };
                (audio, n)
            }
            ClipSource::Stream(source) => {
                let n = read_up_to(source, &mut head)
                    .map_err(|err| Error::io("cannot read the audio stream", err))?;
                if n == 0 {
                    return Err(Error::invalid_source(
                        "the audio stream is empty: nothing to transcribe",
                    ));
                }
                let mut spool = Spool::new();
                spool
                    .append(&head[..n])
                    .map_err(|err| Error::io("cannot keep the audio stream", err))?;
                let audio = Audio::Stream {
                    source,
                    spool,
                    ended: n < SNIFF_BYTES,
                };
                (audio, n)
            }
        };
        Ok(ClipBody {
            audio,
            format: AudioFormat::sniff(&head[..sniffed]),
            boundary: boundary(),
            head: Vec::new(),
            tail: Vec::new(),
            at: 0,
        })
    }

    /// What the audio is.
    pub(crate) fn format(&self) -> &AudioFormat {
        &self.format
    }

    /// The audio's length in bytes: a file's, or a stream's once it ended.
    pub(crate) fn audio_len(&self) -> Option<u64> {
        match &self.audio {
            Audio::File { len, .. } => Some(*len),
            Audio::Stream {
                spool, ended: true, ..
            } => Some(spool.len()),
            Audio::Stream { .. } => None,
        }
    }

    /// The audio bytes read so far (all of a file).
    pub(crate) fn audio_read(&self) -> u64 {
        match &self.audio {
            Audio::File { len, .. } => *len,
            Audio::Stream { spool, .. } => spool.len(),
        }
    }

    /// The file the audio comes from, if it does.
    pub(crate) fn path(&self) -> Option<&Path> {
        match &self.audio {
            Audio::File { path, .. } => Some(path),
            Audio::Stream { .. } => None,
        }
    }

    /// Sets the `config` part (JSON) that goes before the audio.
    pub(crate) fn set_config(&mut self, config: &[u8]) {
        let (content_type, filename) = self.format.part();
        let b = &self.boundary;
        let mut head = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"config\"\r\n\
             Content-Type: application/json\r\n\r\n"
        )
        .into_bytes();
        head.extend_from_slice(config);
        head.extend_from_slice(
            format!(
                "\r\n--{b}\r\nContent-Disposition: form-data; name=\"audio\"; \
                 filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        self.head = head;
        self.tail = format!("\r\n--{b}--\r\n").into_bytes();
    }

    /// The body's `Content-Type`.
    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// Reads the rest of a stream into its spool (a recording goes on to
    /// its end), so the audio can be sent whole, with its length.
    pub(crate) fn read_to_end(&mut self) -> Result<u64> {
        if let Audio::Stream {
            source,
            spool,
            ended,
        } = &mut self.audio
        {
            let mut buf = vec![0; 64 * 1024];
            while !*ended {
                let n = read_retrying(*source, &mut buf)
                    .map_err(|err| Error::io("cannot read the audio stream", err))?;
                if n == 0 {
                    *ended = true;
                } else {
                    spool
                        .append(&buf[..n])
                        .map_err(|err| Error::io("cannot keep the audio stream", err))?;
                }
            }
        }
        Ok(self.audio_read())
    }

    /// Reads audio bytes from `offset` (within the audio) into `buf`.
    fn read_audio(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.audio {
            Audio::File { open, len, .. } => {
                let Some(file) = open else {
                    return Ok(0);
                };
                let left = len.saturating_sub(offset);
                let want = buf.len().min(left.min(usize::MAX as u64) as usize);
                let n = file.read(&mut buf[..want])?;
                if n == 0 && want > 0 {
                    return Err(io::Error::other(
                        "the file got shorter while it was being sent",
                    ));
                }
                Ok(n)
            }
            Audio::Stream {
                source,
                spool,
                ended,
            } => {
                if offset < spool.len() {
                    return spool.read_at(offset, buf);
                }
                if *ended {
                    return Ok(0);
                }
                let n = read_retrying(*source, buf)?;
                if n == 0 {
                    *ended = true;
                }
                spool.append(&buf[..n])?;
                Ok(n)
            }
        }
    }
}

impl Read for ClipBody<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let head_len = self.head.len() as u64;
        if self.at < head_len {
            let from = self.at as usize;
            let n = buf.len().min(self.head.len() - from);
            buf[..n].copy_from_slice(&self.head[from..from + n]);
            self.at += n as u64;
            return Ok(n);
        }
        let audio_at = self.at - head_len;
        let tail_start = self.audio_len().filter(|&len| audio_at >= len);
        if tail_start.is_none() {
            let n = self.read_audio(audio_at, buf)?;
            if n > 0 {
                self.at += n as u64;
                return Ok(n);
            }
        }
        let audio_len = self.audio_len().unwrap_or(audio_at);
        let from = (self.at - head_len - audio_len) as usize;
        let n = buf.len().min(self.tail.len().saturating_sub(from));
        buf[..n].copy_from_slice(&self.tail[from..from + n]);
        self.at += n as u64;
        Ok(n)
    }
}

impl ReplayableBody for ClipBody<'_> {
    fn restart(&mut self) -> Result<()> {
        self.at = 0;
        if let Audio::File { path, len, open } = &mut self.audio {
            let file = File::open(*path)
                .map_err(|err| Error::io(format!("cannot open {}", path.display()), err))?;
            let now = file.metadata().map(|m| m.len()).unwrap_or(*len);
            if now != *len {
                return Err(Error::invalid_source(format!(
                    "{} changed size while it was being sent (it was {len} bytes): send it once \
                     whatever is writing it has finished",
                    path.display()
                )));
            }
            *open = Some(file);
        }
        Ok(())
    }

    fn len(&self) -> Option<u64> {
        let audio = self.audio_len()?;
        Some(self.head.len() as u64 + audio + self.tail.len() as u64)
    }

    fn as_read(&mut self) -> &mut dyn Read {
        self
    }
}

/// The size of a file that can be sent, checked before anything is.
fn check_file(path: &Path) -> Result<u64> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound if path.to_string_lossy().contains("://") => {
            Error::invalid_source(format!(
                "{shown} is a URL, and the short-clip APIs take the audio itself, not a URL: \
                 transcribe a URL with the async API (aai transcribe URL)"
            ))
        }
        io::ErrorKind::NotFound => Error::invalid_source(format!("no such file: {shown}")),
        _ => Error::io(format!("cannot read {shown}"), err),
    })?;
    if metadata.is_dir() {
        return Err(Error::invalid_source(format!(
            "{shown} is a directory: give the path of a WAV or PCM recording"
        )));
    }
    if !metadata.is_file() {
        return Err(Error::invalid_source(format!(
            "{shown} is not a regular file: send a pipe or device as a stream (`-` reads stdin)"
        )));
    }
    if metadata.len() == 0 {
        return Err(Error::invalid_source(format!(
            "{shown} is empty (0 bytes): nothing to transcribe"
        )));
    }
    Ok(metadata.len())
}

/// Reads until `buf` is full or the reader ends; returns the count.
fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match read_retrying(reader, &mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// One read, again when a signal interrupted it.
fn read_retrying(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A boundary that no audio will contain by chance: 64 random bits.
fn boundary() -> String {
    let bits = RandomState::new().build_hasher().finish();
    format!("aai-clip-{bits:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(body: &mut ClipBody<'_>) -> Vec<u8> {
        body.restart().unwrap();
        let mut out = Vec::new();
        let mut buf = [0; 7];
        loop {
            let n = body.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn a_stream_is_sent_config_first_and_the_same_again_on_a_retry() {
        let audio: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut reader = audio.as_slice();
        let mut body = ClipBody::open(ClipSource::Stream(&mut reader)).unwrap();
        body.set_config(br#"{"sample_rate":16000}"#);
        let first = read_all(&mut body);
        let second = read_all(&mut body);
        assert_eq!(first, second);
        let text = String::from_utf8_lossy(&first);
        let config = text.find("name=\"config\"").unwrap();
        let part = text.find("name=\"audio\"").unwrap();
        assert!(config < part);
        assert!(text.contains("Content-Type: audio/pcm"));
        assert!(first.windows(audio.len()).any(|w| w == audio.as_slice()));
        assert_eq!(ReplayableBody::len(&body), Some(first.len() as u64));
        assert!(text.ends_with(&format!("--{}--\r\n", body.boundary)));
    }
}
