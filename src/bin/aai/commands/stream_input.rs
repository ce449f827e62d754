//! What `aai stream` reads: a WAV file or stream (PCM 16-bit at any rate,
//! any channel count, downmixed to mono; or mono µ-law), or raw samples with
//! `--sample-rate`. Anything else is refused with the ffmpeg line that
//! converts it, since the streaming API takes raw samples only.

use std::fs::File;
use std::io::{self, IsTerminal, Read};

use assemblyai::streaming::AudioEncoding;

use crate::failure::{CliResult, Failure};

/// Audio ready to stream: raw mono samples, their rate and encoding.
pub struct Input {
    pub reader: Box<dyn Read + Send>,
    pub rate: u32,
    pub encoding: AudioEncoding,
    /// What it is, for the status line: "WAV, stereo downmixed", "raw".
    pub description: String,
}

/// The pipe that turns anything ffmpeg reads into what `aai stream -` takes.
fn ffmpeg_hint(source: &str) -> String {
    let input = if source == "-" { "-" } else { source };
    format!(
        "convert it on the fly: ffmpeg -i {input} -f s16le -ar 16000 -ac 1 - | aai stream - --sample-rate 16000"
    )
}

/// Opens `source` (a path, or `-` for stdin), refusing one without a single
/// sample (a WAV header and nothing after it) before any session is opened:
/// a session is billed by its length, audio or not.
pub fn open(
    source: &str,
    sample_rate: Option<u32>,
    encoding: Option<AudioEncoding>,
) -> CliResult<Input> {
    let mut input = open_source(source, sample_rate, encoding)?;
    let shown = if source == "-" { "stdin" } else { source };
    let sample = input.encoding.bytes_per_sample().unwrap_or(1) as usize;
    let mut first = vec![0u8; sample];
    let got = read_up_to(&mut input.reader, &mut first)
        .map_err(|err| Failure::input(format!("cannot read {shown}: {err}")))?;
    if got < sample {
        return Err(Failure::input(format!(
            "{shown} has no audio samples ({}): there is nothing to stream",
            input.description
        )));
    }
    input.reader = Box::new(io::Cursor::new(first).chain(input.reader));
    Ok(input)
}

/// Opens `source` and reads its header, if any.
fn open_source(
    source: &str,
    sample_rate: Option<u32>,
    encoding: Option<AudioEncoding>,
) -> CliResult<Input> {
    if let Some(compressed) = encoding.clone().filter(|e| e.bytes_per_sample().is_none()) {
        return compressed_stream(source, sample_rate, compressed);
    }
    let mut reader: Box<dyn Read + Send> = if source == "-" {
        if io::stdin().is_terminal() {
            return Err(Failure::usage(
                "aai stream - reads audio from stdin, which is a terminal here: pipe audio in",
            )
            .with_hint(
                "arecord -q -f S16_LE -r 16000 -c 1 -t raw | aai stream - --sample-rate 16000",
            ));
        }
        Box::new(io::stdin())
    } else {
        let file = File::open(source)
            .map_err(|err| Failure::input(format!("cannot open {source}: {err}")))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(Failure::input(format!(
                "{source} is a directory, not an audio file"
            )));
        }
        Box::new(file)
    };
    let shown = if source == "-" { "stdin" } else { source };
    let mut head = [0u8; 12];
    let got = read_up_to(&mut reader, &mut head)
        .map_err(|err| Failure::input(format!("cannot read {shown}: {err}")))?;
    let head = &head[..got];
    if got == 0 {
        return Err(Failure::input(format!(
            "{shown} is empty: there is no audio to stream"
        )));
    }
    if head.len() == 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WAVE" {
        if encoding.is_some() {
            return Err(Failure::usage(
                "--encoding is for raw audio: a WAV file says its own encoding",
            ));
        }
        return wav(reader, shown, source, sample_rate);
    }
    let Some(rate) = sample_rate else {
        let what = sniff(head).map_or_else(
            || "not a WAV file".to_owned(),
            |kind| format!("{kind}, not WAV"),
        );
        return Err(Failure::input(format!(
            "{shown} is {what}: aai stream takes WAV (PCM 16-bit) or raw samples with --sample-rate"
        ))
        .with_hint(ffmpeg_hint(source)));
    };
    if let Some(kind) = sniff(head) {
        return Err(Failure::input(format!(
            "{shown} is {kind}, not raw samples: --sample-rate is for raw PCM"
        ))
        .with_hint(ffmpeg_hint(source)));
    }
    let encoding = encoding.unwrap_or_default();
    let description = format!("raw {encoding}");
    Ok(Input {
        reader: Box::new(io::Cursor::new(head.to_vec()).chain(reader)),
        rate,
        encoding,
        description,
    })
}

/// A compressed stream (`--encoding ogg_opus`, `opus`, `aac`, or a name this
/// version doesn't know) on stdin, sent as it comes: the server decodes it,
/// and its source paces it (a live encoder, or `ffmpeg -re`). A file would be
/// read far faster than real time, which the server refuses (3007).
fn compressed_stream(
    source: &str,
    sample_rate: Option<u32>,
    encoding: AudioEncoding,
) -> CliResult<Input> {
    if source != "-" {
        return Err(Failure::usage(format!(
            "--encoding {encoding} streams compressed audio from stdin, as a live source paces it; \
             a file would be sent faster than real time"
        ))
        .with_hint(format!(
            "pace it with ffmpeg: ffmpeg -re -i {source} -c copy -f ogg - | aai stream - --encoding {encoding}"
        )));
    }
    if io::stdin().is_terminal() {
        return Err(Failure::usage(
            "aai stream - reads audio from stdin, which is a terminal here: pipe audio in",
        ));
    }
    Ok(Input {
        reader: Box::new(io::stdin()),
        // Optional for compressed audio: the stream says its own rate.
        rate: sample_rate.unwrap_or(16_000),
        description: format!("{encoding} as it comes"),
        encoding,
    })
}

/// Names a container or codec from its first bytes.
fn sniff(head: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    Some(
        if starts(b"ID3") || (head.len() > 1 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
            "MP3"
        } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
            "MP4/M4A"
        } else if starts(b"OggS") {
            "Ogg"
        } else if starts(b"fLaC") {
            "FLAC"
        } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
            "Matroska/WebM"
        } else if starts(b"RIFF") {
            "a RIFF file"
        } else {
            return None;
        },
    )
}

fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// Reads the WAV header (after RIFF/WAVE) up to the `data` chunk.
fn wav(
    mut reader: Box<dyn Read + Send>,
    shown: &str,
    source: &str,
    sample_rate: Option<u32>,
) -> CliResult<Input> {
    let bad =
        |why: String| Failure::input(format!("{shown}: {why}")).with_hint(ffmpeg_hint(source));
    let mut format: Option<(u16, u16, u32, u16)> = None;
    let data_len = loop {
        let mut header = [0u8; 8];
        if read_up_to(&mut reader, &mut header).map_err(|e| bad(e.to_string()))? < 8 {
            return Err(bad(
                "the WAV file ends before its audio (no data chunk)".into()
            ));
        }
        let len = u32::from_le_bytes(header[4..8].try_into().unwrap());
        match &header[..4] {
            b"fmt " => {
                let mut fmt = vec![0u8; len as usize + (len as usize & 1)];
                if read_up_to(&mut reader, &mut fmt).map_err(|e| bad(e.to_string()))? < 16 {
                    return Err(bad("the WAV format chunk is cut short".into()));
                }
                let u16_at = |at: usize| u16::from_le_bytes([fmt[at], fmt[at + 1]]);
                let mut tag = u16_at(0);
                // WAVE_FORMAT_EXTENSIBLE keeps the real format in its sub-format GUID.
                if tag == 0xFFFE && fmt.len() >= 26 {
                    tag = u16_at(24);
                }
                let rate = u32::from_le_bytes(fmt[4..8].try_into().unwrap());
                format = Some((tag, u16_at(2), rate, u16_at(14)));
            }
            b"data" => break len,
            _ => {
                // LIST, fact, ...: skipped, padded to an even length.
                let skip = u64::from(len) + u64::from(len & 1);
                io::copy(&mut (&mut reader).take(skip), &mut io::sink())
                    .map_err(|e| bad(e.to_string()))?;
            }
        }
    };
    let Some((tag, channels, rate, bits)) = format else {
        return Err(bad(
            "the WAV file has no format chunk before its audio".into()
        ));
    };
    let encoding = match (tag, bits) {
        (1, 16) => AudioEncoding::PcmS16le,
        (7, 8) if channels == 1 => AudioEncoding::PcmMulaw,
        (7, 8) => return Err(bad("µ-law WAV must be mono".into())),
        (1, bits) => {
            return Err(bad(format!(
                "{bits}-bit PCM: the streaming API takes 16-bit"
            )));
        }
        (3, _) => {
            return Err(bad(
                "floating-point samples: the streaming API takes 16-bit PCM".into(),
            ));
        }
        (tag, _) => return Err(bad(format!("WAV format {tag} is not PCM"))),
    };
    if channels == 0 || rate == 0 {
        return Err(bad("the WAV header says 0 channels or 0 Hz".into()));
    }
    if let Some(asked) = sample_rate.filter(|asked| *asked != rate) {
        return Err(Failure::usage(format!(
            "--sample-rate {asked} contradicts the WAV header ({rate} Hz): leave it out for WAV"
        )));
    }
    // A streamed WAV (arecord, ffmpeg to a pipe) can't know its length and
    // says 0xFFFFFFFF, or 0 on a pipe: read to the end then. Otherwise stop at
    // the data chunk's end, before any trailing chunk: a file whose data chunk
    // says 0 has no samples, whatever follows it.
    let streamed = source == "-";
    let reader: Box<dyn Read + Send> = if data_len == u32::MAX || (data_len == 0 && streamed) {
        reader
    } else {
        Box::new(reader.take(u64::from(data_len)))
    };
    let description = match channels {
        1 => format!("WAV, {rate} Hz mono"),
        2 => format!("WAV, {rate} Hz stereo downmixed to mono"),
        n => format!("WAV, {rate} Hz, {n} channels downmixed to mono"),
    };
    let reader: Box<dyn Read + Send> = if channels == 1 {
        reader
    } else {
        Box::new(Downmix {
            inner: reader,
            channels: usize::from(channels),
            carry: Vec::new(),
        })
    };
    Ok(Input {
        reader,
        rate,
        encoding,
        description,
    })
}

/// PCM16 frames of several channels in, their average out (mono), for any
/// read sizes (a frame may straddle two reads).
struct Downmix {
    inner: Box<dyn Read + Send>,
    channels: usize,
    /// Bytes of an incomplete frame from the last read.
    carry: Vec<u8>,
}

impl Read for Downmix {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let frame = 2 * self.channels;
        let frames_wanted = (out.len() / 2).max(1);
        loop {
            let mut buf = vec![0u8; frames_wanted * frame];
            let n = self.inner.read(&mut buf)?;
            if n == 0 {
                return Ok(0); // an incomplete last frame is dropped
            }
            self.carry.extend_from_slice(&buf[..n]);
            let whole = self.carry.len() / frame;
            if whole == 0 {
                continue;
            }
            let whole = whole.min(out.len() / 2);
            for (i, samples) in self.carry[..whole * frame].chunks_exact(frame).enumerate() {
                let sum: i32 = samples
                    .chunks_exact(2)
                    .map(|pair| i32::from(i16::from_le_bytes([pair[0], pair[1]])))
                    .sum();
                let mono = (sum / self.channels as i32) as i16;
                out[2 * i..2 * i + 2].copy_from_slice(&mono.to_le_bytes());
            }
            self.carry.drain(..whole * frame);
            return Ok(whole * 2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WAV header of format `tag`, with a LIST chunk before the data.
    fn wav_file(tag: u16, channels: u16, rate: u32, bits: u16, data: &[u8]) -> Vec<u8> {
        let mut out = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
        out.extend(16u32.to_le_bytes());
        out.extend(tag.to_le_bytes());
        out.extend(channels.to_le_bytes());
        out.extend(rate.to_le_bytes());
        out.extend((rate * u32::from(channels * bits / 8)).to_le_bytes());
        out.extend((channels * bits / 8).to_le_bytes());
        out.extend(bits.to_le_bytes());
        out.extend(b"LIST\x03\0\0\0abc\0");
        out.extend(b"data");
        out.extend((data.len() as u32).to_le_bytes());
        out.extend(data);
        out.extend(b"junk after the data");
        out
    }

    fn open_bytes(bytes: Vec<u8>) -> CliResult<Input> {
        let path =
            std::env::temp_dir().join(format!("aai-wav-{}-{}", std::process::id(), bytes.len()));
        std::fs::write(&path, bytes).unwrap();
        let input = open(path.to_str().unwrap(), None, None);
        let _ = std::fs::remove_file(&path);
        input
    }

    #[test]
    fn wav_headers_give_rate_and_encoding_and_only_the_data_is_read() {
        let mut input = open_bytes(wav_file(7, 1, 8000, 8, &[1, 2, 3])).unwrap();
        assert_eq!(
            (input.rate, input.encoding),
            (8000, AudioEncoding::PcmMulaw)
        );
        let mut data = Vec::new();
        input.reader.read_to_end(&mut data).unwrap();
        assert_eq!(
            data,
            [1, 2, 3],
            "odd LIST chunk skipped with its pad byte; trailer not read"
        );

        let refused = open_bytes(wav_file(1, 1, 44_100, 24, &[0; 6]))
            .err()
            .unwrap();
        assert!(refused.message.contains("24-bit"), "{}", refused.message);
        assert!(refused.hint.unwrap().contains("-f s16le"));
        assert!(
            open_bytes(wav_file(3, 1, 48_000, 32, &[0; 8])).is_err(),
            "float refused"
        );
    }

    #[test]
    fn a_wav_header_without_samples_is_refused_before_streaming() {
        let refused = open_bytes(wav_file(1, 1, 16_000, 16, &[])).err().unwrap();
        assert!(
            refused.message.contains("no audio samples"),
            "{}",
            refused.message
        );
        let one_byte = open_bytes(wav_file(1, 1, 16_000, 16, &[7])).err().unwrap();
        assert!(one_byte.message.contains("no audio samples"));
        assert!(open_bytes(wav_file(1, 1, 16_000, 16, &[7, 0])).is_ok());
    }

    #[test]
    fn stereo_is_averaged_to_mono_across_odd_reads() {
        let frames: Vec<u8> = [(100i16, 300i16), (-50, -150), (7, 9)]
            .iter()
            .flat_map(|(l, r)| [l.to_le_bytes(), r.to_le_bytes()].concat())
            .collect();
        // One byte at a time: frames straddle reads.
        struct Trickle(Vec<u8>, usize);
        impl Read for Trickle {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.1 >= self.0.len() || out.is_empty() {
                    return Ok(0);
                }
                out[0] = self.0[self.1];
                self.1 += 1;
                Ok(1)
            }
        }
        let mut downmix = Downmix {
            inner: Box::new(Trickle(frames, 0)),
            channels: 2,
            carry: Vec::new(),
        };
        let mut mono = Vec::new();
        downmix.read_to_end(&mut mono).unwrap();
        let samples: Vec<i16> = mono
            .chunks_exact(2)
            .map(|p| i16::from_le_bytes([p[0], p[1]]))
            .collect();
        assert_eq!(samples, [200, -100, 8]);
    }
}
