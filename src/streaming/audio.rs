//! The audio path: a fixed-size chunker (the server accepts 50–1000 ms per
//! message), real-time pacing (sending faster closes the session), and the
//! audio a session has not yet finalized, kept to send again to a new
//! session after a fault.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::params::AudioEncoding;

/// The shortest and longest audio the server accepts in one message.
pub(crate) const MIN_CHUNK: Duration = Duration::from_millis(50);
pub(crate) const MAX_CHUNK: Duration = Duration::from_millis(1000);

/// Sample rate and sample size: what turns bytes into time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Format {
    pub(crate) rate: u32,
    /// Bytes per sample (2 for PCM16, 1 for µ-law).
    sample_bytes: u32,
    /// The byte value of silence, to pad the last chunk.
    silence: u8,
}

impl Format {
    /// The format of raw samples in `encoding`; `None` for an encoding
    /// without a fixed sample size (compressed, or unknown).
    pub(crate) fn raw(rate: u32, encoding: &AudioEncoding) -> Option<Format> {
        Some(Format {
            rate,
            sample_bytes: encoding.bytes_per_sample()?,
            silence: encoding.silence(),
        })
    }

    fn sample_bytes(self) -> u64 {
        u64::from(self.sample_bytes)
    }

    /// The bytes of `duration` of audio, a whole number of samples;
    /// saturating, since a server's word time may be any number.
    pub(crate) fn bytes_for(self, duration: Duration) -> u64 {
        let micros = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
        let samples = (u128::from(micros) * u128::from(self.rate) / 1_000_000)
            .min(u128::from(u64::MAX / 4)) as u64;
        samples * self.sample_bytes()
    }

    /// How long `bytes` of audio last.
    pub(crate) fn duration_of(self, bytes: u64) -> Duration {
        let samples = bytes / self.sample_bytes();
        Duration::from_micros(samples.saturating_mul(1_000_000) / u64::from(self.rate.max(1)))
    }
}

/// Audio waiting to be sent, and audio sent but not yet finalized.
pub(crate) struct Audio {
    format: Format,
    chunk_bytes: usize,
    min_bytes: usize,
    max_unacked: usize,
    /// Not sent yet.
    pending: VecDeque<u8>,
    /// How many bytes at the front of `pending` were sent to a session that
    /// failed before finalizing them: heard once, so never discarded.
    resend: usize,
    /// Sent to this session after the last finalized point, oldest first.
    sent_log: VecDeque<u8>,
    /// Bytes sent to this session.
    session_sent: u64,
    /// Bytes of this session's audio the server finalized (the end of its
    /// last final turn).
    session_acked: u64,
    /// Where this session's audio starts in the whole stream, in bytes.
    stream_offset: u64,
    /// When this session's audio clock started, for pacing.
    started: Instant,
    /// Compressed audio (`opus`, `ogg_opus`, `aac`, an encoding this crate
    /// doesn't know): the messages as given, sent as they come. Without a
    /// fixed sample size there is nothing to chunk, pace or resend by: the
    /// source paces itself (a live encoder does), and its packets stay whole.
    messages: Option<VecDeque<Vec<u8>>>,
}

impl Audio {
    /// `chunk` is clamped to 50–1000 ms by the caller's options check.
    pub(crate) fn new(format: Format, chunk: Duration, max_unacked: Duration) -> Self {
        let chunk_bytes = format.bytes_for(chunk).max(format.sample_bytes()) as usize;
        Audio {
            format,
            chunk_bytes,
            min_bytes: format.bytes_for(MIN_CHUNK) as usize,
            max_unacked: format.bytes_for(max_unacked) as usize,
            pending: VecDeque::new(),
            resend: 0,
            sent_log: VecDeque::new(),
            session_sent: 0,
            session_acked: 0,
            stream_offset: 0,
            started: Instant::now(),
            messages: None,
        }
    }

    /// Compressed audio: each piece given is one message, sent as it comes.
    pub(crate) fn passthrough() -> Self {
        let format = Format {
            rate: 1,
            sample_bytes: 1,
            silence: 0,
        };
        Audio {
            messages: Some(VecDeque::new()),
            ..Audio::new(format, MIN_CHUNK, Duration::ZERO)
        }
    }

    /// How many bytes to read from a source at a time: a second of raw audio,
    /// or a piece of compressed audio as a pipe gives it.
    pub(crate) fn read_block(&self) -> usize {
        match self.messages {
            Some(_) => 64 * 1024,
            None => self.format.bytes_for(Duration::from_secs(1)).max(2) as usize,
        }
    }

    pub(crate) fn push(&mut self, bytes: &[u8]) {
        match &mut self.messages {
            Some(messages) if !bytes.is_empty() => messages.push_back(bytes.to_vec()),
            Some(_) => {}
            None => self.pending.extend(bytes),
        }
    }

    /// Whether a whole chunk is waiting.
    pub(crate) fn has_full_chunk(&self) -> bool {
        match &self.messages {
            Some(messages) => !messages.is_empty(),
            None => self.pending.len() >= self.chunk_bytes,
        }
    }

    pub(crate) fn has_pending(&self) -> bool {
        self.has_full_chunk() || !self.pending.is_empty()
    }

    /// Forgets audio never sent (the caller stopped); audio to send again
    /// to a new session stays.
    pub(crate) fn discard_pending(&mut self) {
        if let Some(messages) = &mut self.messages {
            messages.clear();
        }
        self.pending.truncate(self.resend);
    }

    /// The next chunk: a whole one, or with `last` the remainder padded with
    /// silence to 50 ms (whether the server takes a shorter last message is
    /// undocumented; silence changes no transcript).
    pub(crate) fn next_chunk(&mut self, last: bool) -> Option<Vec<u8>> {
        if let Some(messages) = &mut self.messages {
            return messages.pop_front();
        }
        if self.pending.len() >= self.chunk_bytes {
            self.resend = self.resend.saturating_sub(self.chunk_bytes);
            return Some(self.pending.drain(..self.chunk_bytes).collect());
        }
        if !last || self.pending.is_empty() {
            return None;
        }
        self.resend = 0;
        let mut chunk: Vec<u8> = self.pending.drain(..).collect();
        // A half sample (an odd byte of PCM16) would shift every later one.
        let whole = chunk.len() - chunk.len() % self.format.sample_bytes() as usize;
        chunk.truncate(whole);
        if chunk.len() < self.min_bytes {
            chunk.resize(self.min_bytes, self.format.silence);
        }
        Some(chunk)
    }

    /// When the next chunk may go: the session's start plus the audio sent
    /// so far, so the server never receives audio ahead of real time by more
    /// than one chunk.
    pub(crate) fn due(&self) -> Instant {
        match self.messages {
            // Paced by its source.
            Some(_) => self.started,
            None => self.started + self.format.duration_of(self.session_sent),
        }
    }

    /// Records a chunk as sent, before the attempt, so a send that fails is
    /// sent again to the next session.
    pub(crate) fn mark_sent(&mut self, chunk: &[u8]) {
        if self.messages.is_some() {
            // Nothing can be resent: a compressed stream can't be cut at a turn's end.
            return;
        }
        self.session_sent += chunk.len() as u64;
        self.sent_log.extend(chunk);
        if self.sent_log.len() > self.max_unacked {
            let excess = self.sent_log.len() - self.max_unacked;
            self.sent_log.drain(..excess);
        }
    }

    /// The server finalized this session's audio up to `end_ms`.
    pub(crate) fn acknowledge(&mut self, end_ms: i64) {
        if self.messages.is_some() {
            return;
        }
        let end = self
            .format
            .bytes_for(Duration::from_millis(end_ms.max(0) as u64))
            .min(self.session_sent);
        if end <= self.session_acked {
            return;
        }
        self.session_acked = end;
        let log_start = self.session_sent - self.sent_log.len() as u64;
        let drop = end.saturating_sub(log_start) as usize;
        self.sent_log.drain(..drop.min(self.sent_log.len()));
    }

    /// Audio sent to this session so far.
    pub(crate) fn session_audio(&self) -> Duration {
        self.format.duration_of(self.session_sent)
    }

    /// Starts the clock of a session that just began.
    pub(crate) fn begin_session(&mut self) {
        self.started = Instant::now();
    }

    /// A new session follows one that failed: the audio it had not finalized
    /// goes first. Returns where the new session's audio starts in the whole
    /// stream, and how much unfinalized audio was over the buffer's limit.
    pub(crate) fn restart(&mut self) -> (Duration, Duration) {
        let log_start = self.session_sent - self.sent_log.len() as u64;
        let lost = log_start.saturating_sub(self.session_acked);
        self.stream_offset += log_start;
        let mut pending: VecDeque<u8> = std::mem::take(&mut self.sent_log);
        self.resend = pending.len();
        pending.extend(self.pending.drain(..));
        self.pending = pending;
        self.session_sent = 0;
        self.session_acked = 0;
        self.started = Instant::now();
        (
            self.format.duration_of(self.stream_offset),
            self.format.duration_of(lost),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pcm16k() -> Format {
        Format::raw(16_000, &AudioEncoding::PcmS16le).unwrap()
    }

    #[test]
    fn chunks_are_fixed_and_the_last_is_padded_to_50_ms() {
        let mut audio = Audio::new(
            pcm16k(),
            Duration::from_millis(100),
            Duration::from_secs(60),
        );
        audio.push(&vec![1; 3200 * 2 + 101]);
        assert_eq!(audio.next_chunk(false).unwrap().len(), 3200);
        assert_eq!(audio.next_chunk(false).unwrap().len(), 3200);
        assert!(audio.next_chunk(false).is_none(), "the remainder waits");
        let last = audio.next_chunk(true).unwrap();
        assert_eq!(last.len(), 1600, "padded to 50 ms");
        assert_eq!(&last[..100], &[1; 100][..], "the odd byte is dropped");
        assert!(last[100..].iter().all(|b| *b == 0));
    }

    #[test]
    fn mulaw_pads_with_its_own_silence() {
        let format = Format::raw(8000, &AudioEncoding::PcmMulaw).unwrap();
        let mut audio = Audio::new(format, Duration::from_millis(100), Duration::from_secs(60));
        audio.push(&[7; 10]);
        let last = audio.next_chunk(true).unwrap();
        assert_eq!(last.len(), 400);
        assert_eq!(last[399], 0xFF);
    }

    #[test]
    fn a_restart_sends_again_exactly_what_was_not_finalized() {
        let mut audio = Audio::new(
            pcm16k(),
            Duration::from_millis(100),
            Duration::from_secs(60),
        );
        let stream: Vec<u8> = (0..32_000u32).map(|i| (i % 251) as u8).collect();
        audio.push(&stream);
        for _ in 0..5 {
            let chunk = audio.next_chunk(false).unwrap();
            audio.mark_sent(&chunk);
        }
        audio.acknowledge(200); // the first 6400 bytes are final
        let (offset, lost) = audio.restart();
        assert_eq!(offset, Duration::from_millis(200));
        assert_eq!(lost, Duration::ZERO);
        let mut rest = Vec::new();
        while let Some(chunk) = audio.next_chunk(true) {
            rest.extend(chunk);
        }
        assert_eq!(rest, stream[6400..], "no gap, no repeat");
    }

    #[test]
    fn stopping_after_a_restart_keeps_the_audio_to_send_again() {
        let mut audio = Audio::new(
            pcm16k(),
            Duration::from_millis(100),
            Duration::from_secs(60),
        );
        audio.push(&[1; 6400]);
        let chunk = audio.next_chunk(false).unwrap();
        audio.mark_sent(&chunk);
        audio.restart();
        audio.push(&[2; 3200]);
        audio.discard_pending();
        assert_eq!(
            audio.next_chunk(true).unwrap(),
            vec![1; 3200],
            "sent once, not finalized"
        );
        assert!(audio.next_chunk(true).is_none(), "never sent: dropped");
    }

    #[test]
    fn a_word_time_of_any_size_from_the_server_is_taken_without_overflow() {
        let mut audio = Audio::new(
            pcm16k(),
            Duration::from_millis(100),
            Duration::from_secs(60),
        );
        audio.push(&[1; 3200]);
        let chunk = audio.next_chunk(false).unwrap();
        audio.mark_sent(&chunk);
        audio.acknowledge(i64::MAX);
        audio.acknowledge(i64::MIN);
        let (_, lost) = audio.restart();
        assert_eq!(lost, Duration::ZERO, "all of it was finalized");
    }
}
