//! What a clip's audio is, read from its first bytes: the short-clip routes
//! decode a WAV container or raw 16-bit PCM; Dictation's finished-recording
//! route also takes compressed formats, which the audio part must name.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// The audio of a clip, as the caller gave it.
pub(crate) enum ClipSource<'a> {
    /// A local file: sent with its length, reopened for each attempt.
    File(&'a Path),
    /// A stream (stdin, a pipe, a recorder), sent while it is read.
    Stream(&'a mut dyn Read),
}

/// What the first bytes of the audio say it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AudioFormat {
    /// A WAV container, with the 16-bit PCM byte rate its header gives.
    Wav {
        /// Bytes of audio per second (`fmt ` chunk), when the header has it.
        byte_rate: Option<u32>,
        /// Where the samples start.
        data_offset: u64,
        /// Bits per sample.
        bits: Option<u16>,
    },
    /// A compressed format: only Dictation's `/v1/transcribe` takes it.
    Compressed {
        /// The audio part's `Content-Type`.
        mime: &'static str,
        /// The format's usual name, for messages and the part's file name.
        name: &'static str,
    },
    /// No container signature: raw PCM (S16LE) when a sample rate is given.
    Raw,
}

/// Compressed containers by their magic bytes, with the type the
/// Dictation API knows them by (its docs list MP3, M4A, Ogg/Opus, FLAC,
/// WebM) and the name for messages.
fn compressed(head: &[u8]) -> Option<(&'static str, &'static str)> {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    let mpeg_frame = head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0;
    Some(if at(0, b"ID3") || mpeg_frame {
        ("audio/mpeg", "mp3")
    } else if at(4, b"ftyp") {
        ("audio/mp4", "m4a")
    } else if at(0, b"OggS") {
        ("audio/ogg", "ogg")
    } else if at(0, b"fLaC") {
        ("audio/flac", "flac")
    } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        ("audio/webm", "webm")
    } else {
        return None;
    })
}

impl AudioFormat {
    /// Reads the first bytes of the audio.
    pub(crate) fn sniff(head: &[u8]) -> AudioFormat {
        if let Some(wav) = wav_header(head) {
            return wav;
        }
        match compressed(head) {
            Some((mime, name)) => AudioFormat::Compressed { mime, name },
            None => AudioFormat::Raw,
        }
    }

    /// How long `len` bytes of this audio play, when that can be known:
    /// from a WAV header, or from the sample rate and channels of raw PCM.
    pub(crate) fn duration(&self, len: u64, pcm: Option<(u32, u16)>) -> Option<Duration> {
        let (bytes, rate) = match self {
            AudioFormat::Wav {
                byte_rate: Some(rate),
                data_offset,
                ..
            } => (len.saturating_sub(*data_offset), u64::from(*rate)),
            AudioFormat::Raw => {
                let (rate, channels) = pcm?;
                (len, u64::from(rate) * u64::from(channels.max(1)) * 2)
            }
            _ => return None,
        };
        (rate > 0).then(|| Duration::from_millis(bytes.saturating_mul(1000) / rate))
    }

    /// The audio part's `Content-Type` and file name.
    pub(crate) fn part(&self) -> (&'static str, String) {
        match self {
            AudioFormat::Wav { .. } => ("audio/wav", "audio.wav".to_owned()),
            AudioFormat::Raw => ("audio/pcm", "audio.pcm".to_owned()),
            AudioFormat::Compressed { mime, name } => (mime, format!("audio.{name}")),
        }
    }
}

/// A RIFF/WAVE header: the `fmt ` chunk's byte rate and bit depth, and
/// where the `data` chunk starts.
fn wav_header(b: &[u8]) -> Option<AudioFormat> {
    let at = |offset: usize, magic: &[u8]| b.get(offset..offset + magic.len()) == Some(magic);
    if !(at(0, b"RIFF") && at(8, b"WAVE")) {
        return None;
    }
    let u32_at = |i: usize| Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?));
    let u16_at = |i: usize| Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?));
    let (mut offset, mut byte_rate, mut bits) = (12, None, None);
    while offset + 8 <= b.len() {
        let size = u32_at(offset + 4)? as usize;
        let body = offset + 8;
        if at(offset, b"fmt ") {
            byte_rate = u32_at(body + 8).filter(|&rate| rate > 0);
            bits = u16_at(body + 14);
        } else if at(offset, b"data") {
            return Some(AudioFormat::Wav {
                byte_rate,
                data_offset: body as u64,
                bits,
            });
        }
        // Chunks are padded to an even length.
        offset = body + size + (size & 1);
    }
    Some(AudioFormat::Wav {
        byte_rate,
        data_offset: 44,
        bits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 16 kHz mono 16-bit WAV header for `data_len` bytes of samples.
    pub(crate) fn wav_head(data_len: u32) -> Vec<u8> {
        let mut h = Vec::new();
        h.extend_from_slice(b"RIFF");
        h.extend_from_slice(&(36 + data_len).to_le_bytes());
        h.extend_from_slice(b"WAVEfmt ");
        h.extend_from_slice(&16u32.to_le_bytes());
        h.extend_from_slice(&1u16.to_le_bytes());
        h.extend_from_slice(&1u16.to_le_bytes());
        h.extend_from_slice(&16_000u32.to_le_bytes());
        h.extend_from_slice(&32_000u32.to_le_bytes());
        h.extend_from_slice(&2u16.to_le_bytes());
        h.extend_from_slice(&16u16.to_le_bytes());
        h.extend_from_slice(b"data");
        h.extend_from_slice(&data_len.to_le_bytes());
        h
    }

    #[test]
    fn a_wav_header_gives_the_duration_of_the_file() {
        let format = AudioFormat::sniff(&wav_head(160_000));
        assert_eq!(
            format.duration(44 + 160_000, None),
            Some(Duration::from_secs(5))
        );
        assert_eq!(format.part().0, "audio/wav");
    }

    #[test]
    fn compressed_formats_are_named_and_raw_pcm_needs_its_rate() {
        let mp3 = AudioFormat::sniff(b"ID3\x04\0\0\0\0\0\0");
        assert_eq!(mp3.part(), ("audio/mpeg", "audio.mp3".to_owned()));
        let raw = AudioFormat::sniff(&[1, 2, 3, 4]);
        assert_eq!(raw, AudioFormat::Raw);
        assert_eq!(raw.duration(64_000, None), None);
        assert_eq!(
            raw.duration(64_000, Some((16_000, 2))),
            Some(Duration::from_secs(1))
        );
    }
}
