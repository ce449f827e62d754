//! What an upload holds, read from its first bytes as the API's transcoder would: a recording
//! (with its duration when it is a WAV) or not audio at all.

/// Bytes of each upload kept for sniffing, whatever its size.
pub(super) const PREFIX_LEN: usize = 4096;

/// An upload as the emulator understood it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Media {
    /// A known audio or video container; the duration when the header tells it (WAV).
    Audio { duration_ms: Option<u64> },
    /// No container signature the emulator knows: the job fails as undecodable.
    NotAudio { file_type: &'static str },
}

/// Reads `prefix` (the first bytes of an upload of `len` bytes).
pub(super) fn sniff(prefix: &[u8], len: u64) -> Media {
    if let Some(duration_ms) = wav_duration_ms(prefix, len) {
        return Media::Audio {
            duration_ms: Some(duration_ms),
        };
    }
    if is_container(prefix) {
        return Media::Audio { duration_ms: None };
    }
    Media::NotAudio {
        file_type: file_type(prefix),
    }
}

fn at(bytes: &[u8], offset: usize, magic: &[u8]) -> bool {
    bytes.get(offset..offset + magic.len()) == Some(magic)
}

/// Signatures of the containers the API's docs list (audio and video), by their magic bytes.
fn is_container(b: &[u8]) -> bool {
    let mpeg_frame = b.len() >= 2 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0; // MP3, MP2, ADTS AAC
    let transport_stream = b.len() > 188 && b[0] == 0x47 && b[188] == 0x47;
    mpeg_frame
        || transport_stream
        || [
            &b"ID3"[..],                      // MP3 with an ID3v2 tag
            b"fLaC",                          // FLAC
            b"OggS",                          // Ogg: Vorbis, Opus, Ogg FLAC
            b"RIFF",                          // WAV, AVI
            b"RF64",                          // WAV over 4 GB
            b"FORM",                          // AIFF, 8SVX
            b".snd",                          // AU
            b"#!AMR",                         // AMR
            b"MAC ",                          // Monkey's Audio
            b"wvpk",                          // WavPack
            b"TTA1",                          // TTA
            b"caff",                          // Core Audio
            b"Creative Voice File",           // VOC
            &[0x1A, 0x45, 0xDF, 0xA3],        // Matroska, WebM
            &[0x30, 0x26, 0xB2, 0x75],        // ASF: WMA, WMV
            &[0x00, 0x00, 0x01, 0xBA],        // MPEG program stream
            b"FLV",                           // Flash video
        ]
        .iter()
        .any(|magic| at(b, 0, magic))
        || at(b, 4, b"ftyp") // MP4, M4A, MOV, 3GA
        || at(b, 0, b"\x0b\x77") // AC-3
}

/// The slowest audio the emulator believes a WAV holds: 8 kHz mono 8-bit (telephone µ-law).
/// A header may declare anything; trusting 1 byte/s made a 200 KB upload a 55-hour transcript.
const SLOWEST_BYTE_RATE: u64 = 8_000;
/// The fastest: 384 kHz, 8 channels of 32-bit samples.
const FASTEST_BYTE_RATE: u64 = 384_000 * 8 * 4;
/// The longest recording the API transcribes (10 hours): nothing here lasts longer.
pub(super) const LONGEST_MS: u64 = 10 * 3600 * 1000;

/// The duration of a PCM WAV: the `data` chunk's length, bounded by the bytes that actually
/// arrived (a header written before the length was known, or one that lies), over the byte
/// rate. The rate is computed from the format (rate × channels × bits), not taken from the
/// header's own byte-rate field, and bounded to what real audio has; at most 10 hours.
fn wav_duration_ms(b: &[u8], len: u64) -> Option<u64> {
    if !(at(b, 0, b"RIFF") && at(b, 8, b"WAVE")) {
        return None;
    }
    let u32_at = |i: usize| Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?));
    let u16_at = |i: usize| Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?));
    let (mut offset, mut byte_rate) = (12, None);
    while offset + 8 <= b.len() {
        let size = u32_at(offset + 4)?;
        let body = offset + 8;
        if at(b, offset, b"fmt ") {
            let declared = u64::from(u32_at(body + 8)?);
            let computed = u64::from(u16_at(body + 2)?)
                * u64::from(u32_at(body + 4)?)
                * u64::from(u16_at(body + 14)?).div_ceil(8);
            // Compressed formats (bits 0) have only the declared rate to go by.
            let rate = if computed > 0 { computed } else { declared };
            byte_rate = Some(rate.clamp(SLOWEST_BYTE_RATE, FASTEST_BYTE_RATE));
        } else if at(b, offset, b"data") {
            let arrived = len.saturating_sub(body as u64);
            let data = u64::from(size).min(arrived);
            return Some((data * 1000 / byte_rate?).min(LONGEST_MS));
        }
        // Chunks are padded to an even length.
        offset = body + size as usize + (size as usize & 1);
    }
    None
}

/// How `file` would describe bytes that are no recording, as the API's message quotes it.
fn file_type(b: &[u8]) -> &'static str {
    let text = std::str::from_utf8(b).is_ok_and(|s| !s.contains('\0'));
    let lower = String::from_utf8_lossy(&b[..b.len().min(512)]).to_ascii_lowercase();
    match () {
        _ if lower.trim_start().starts_with("<!doctype html") || lower.contains("<html") => {
            "text/html (HTML document, ASCII text)"
        }
        _ if at(b, 0, b"%PDF") => "application/pdf (PDF document)",
        _ if at(b, 0, b"\x89PNG") => "image/png (PNG image data)",
        _ if at(b, 0, b"\xFF\xD8\xFF") => "image/jpeg (JPEG image data)",
        _ if at(b, 0, b"PK\x03\x04") => "application/zip (Zip archive data)",
        _ if lower.trim_start().starts_with('{') || lower.trim_start().starts_with('[') => {
            "application/json (JSON data)"
        }
        _ if text => "text/plain (ASCII text)",
        _ => "application/octet-stream (data)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(seconds: u32, rate: u32) -> Vec<u8> {
        let data = seconds * rate * 2;
        let mut w = b"RIFF".to_vec();
        w.extend((36 + data).to_le_bytes());
        w.extend(b"WAVEfmt ");
        w.extend(16u32.to_le_bytes());
        w.extend(1u16.to_le_bytes()); // PCM
        w.extend(1u16.to_le_bytes()); // mono
        w.extend(rate.to_le_bytes());
        w.extend((rate * 2).to_le_bytes());
        w.extend(2u16.to_le_bytes());
        w.extend(16u16.to_le_bytes());
        w.extend(b"data");
        w.extend(data.to_le_bytes());
        w.resize(44 + data as usize, 0);
        w
    }

    #[test]
    fn a_wav_is_audio_of_its_data_length_over_its_byte_rate() {
        let w = wav(3, 16_000);
        let media = sniff(&w[..PREFIX_LEN], w.len() as u64);
        assert_eq!(
            media,
            Media::Audio {
                duration_ms: Some(3000)
            }
        );
    }

    #[test]
    fn a_wav_cut_short_lasts_as_long_as_what_arrived() {
        let w = wav(4, 8_000);
        assert_eq!(
            sniff(&w[..PREFIX_LEN], 44 + 8_000),
            Media::Audio {
                duration_ms: Some(500)
            }
        );
    }

    #[test]
    fn a_wav_header_declaring_an_absurd_byte_rate_is_not_believed() {
        let mut w = wav(1, 16_000); // 32,000 bytes of audio
        w[28..32].copy_from_slice(&1u32.to_le_bytes()); // "1 byte per second"
        assert_eq!(
            sniff(&w[..PREFIX_LEN], w.len() as u64),
            Media::Audio {
                duration_ms: Some(1000)
            },
            "the rate comes from 16 kHz x 1 channel x 16 bits"
        );
        w[24..28].copy_from_slice(&1u32.to_le_bytes()); // "1 Hz" too
        let Media::Audio {
            duration_ms: Some(ms),
        } = sniff(&w[..PREFIX_LEN], w.len() as u64)
        else {
            panic!("still a WAV")
        };
        assert!(ms <= 32_000 * 1000 / SLOWEST_BYTE_RATE, "{ms} ms");
    }

    #[test]
    fn known_containers_are_audio_and_anything_else_is_not() {
        assert_eq!(
            sniff(b"ID3\x04\0\0\0\0", 8),
            Media::Audio { duration_ms: None }
        );
        assert_eq!(
            sniff(b"\0\0\0\x20ftypM4A ", 12),
            Media::Audio { duration_ms: None }
        );
        let text = sniff(b"hello, this is not a recording", 30);
        assert_eq!(
            text,
            Media::NotAudio {
                file_type: "text/plain (ASCII text)"
            }
        );
        let html = sniff(b"<!DOCTYPE html><html>", 21);
        assert!(
            matches!(html, Media::NotAudio { file_type } if file_type.starts_with("text/html"))
        );
        let noise: Vec<u8> = (0..100u32).map(|i| (i * 37 % 251) as u8 | 1).collect();
        let noise = sniff(&[&[0x02u8, 0x00][..], &noise].concat(), 102);
        assert_eq!(
            noise,
            Media::NotAudio {
                file_type: "application/octet-stream (data)"
            }
        );
    }
}
