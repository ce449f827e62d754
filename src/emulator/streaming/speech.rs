//! The streaming emulator's "speech recognizer", and test audio it understands exactly.
//!
//! A test word is a run of samples of one constant value `1000 * (i + 1)` (word `WORDS[i]`);
//! zeros are silence. Values are read to the nearest thousand, so µ-law's rounding and a stereo
//! downmix of equal channels change nothing. Any other sound (a real recording) is heard as the
//! words of the example transcript. A turn ends after `min_turn_silence` ms of silence.

/// The vocabulary: the value `1000 * (i + 1)` says `WORDS[i]`.
pub const WORDS: [&str; 12] = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima",
];

/// PCM16 samples saying `words` (indices into [`WORDS`]), each `word_ms` long followed by
/// `gap_ms` of silence; `turns` splits them into turns with `turn_gap_ms` of silence between.
pub fn speech(
    rate: u32,
    turns: &[&[usize]],
    word_ms: u32,
    gap_ms: u32,
    turn_gap_ms: u32,
) -> Vec<i16> {
    let samples = |ms: u32| (rate as u64 * ms as u64 / 1000) as usize;
    let mut out = Vec::new();
    for turn in turns {
        for &word in *turn {
            out.extend(std::iter::repeat_n(value_of(word), samples(word_ms)));
            out.extend(std::iter::repeat_n(0, samples(gap_ms)));
        }
        out.extend(std::iter::repeat_n(0, samples(turn_gap_ms)));
    }
    out
}

/// The sample value that says `WORDS[word]`.
pub fn value_of(word: usize) -> i16 {
    1000 * (word as i16 + 1)
}

/// The transcript the fake makes of `turns`: one line per turn.
pub fn transcript(turns: &[&[usize]]) -> Vec<String> {
    turns
        .iter()
        .map(|turn| turn.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" "))
        .collect()
}

/// Samples as little-endian bytes, as `pcm_s16le` sends them.
pub fn pcm16_bytes(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// A WAV file (PCM16) of `channels` channels, each holding `samples`.
pub fn wav(rate: u32, channels: u16, samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2 * channels as usize) as u32;
    let mut out = Vec::new();
    out.extend(b"RIFF");
    out.extend((36 + data_len).to_le_bytes());
    out.extend(b"WAVEfmt ");
    out.extend(16u32.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(channels.to_le_bytes());
    out.extend(rate.to_le_bytes());
    out.extend((rate * 2 * channels as u32).to_le_bytes());
    out.extend((2 * channels).to_le_bytes());
    out.extend(16u16.to_le_bytes());
    out.extend(b"data");
    out.extend(data_len.to_le_bytes());
    for sample in samples {
        for _ in 0..channels {
            out.extend(sample.to_le_bytes());
        }
    }
    out
}

/// G.711 µ-law encoding of one sample.
pub fn mulaw_encode(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    let mut pcm = sample as i32;
    let sign = if pcm < 0 { 0x80 } else { 0 };
    if pcm < 0 {
        pcm = -pcm;
    }
    pcm = (pcm + BIAS).min(32635 + BIAS);
    let mut exponent = 7;
    let mut mask = 0x4000;
    while exponent > 0 && pcm & mask == 0 {
        exponent -= 1;
        mask >>= 1;
    }
    let mantissa = (pcm >> (exponent + 3)) & 0x0F;
    !(sign | (exponent << 4) | mantissa) as u8
}

/// G.711 µ-law decoding of one byte.
pub fn mulaw_decode(byte: u8) -> i16 {
    let byte = !byte;
    let sign = byte & 0x80;
    let exponent = (byte >> 4) & 0x07;
    let mantissa = byte & 0x0F;
    let magnitude = (((mantissa as i32) << 3) + 0x84) << exponent;
    let value = magnitude - 0x84;
    if sign != 0 {
        -value as i16
    } else {
        value as i16
    }
}

/// A word heard: its text and where it lies in the session's audio (ms).
#[derive(Clone, Debug)]
pub(crate) struct Heard {
    pub text: String,
    pub start_ms: u64,
    pub end_ms: u64,
}

/// What the recognizer says after a stretch of audio.
pub(crate) enum Said {
    /// A word ended; the turn goes on.
    Partial(Vec<Heard>),
    /// The turn ended.
    Final(Vec<Heard>),
}

/// What one 10 ms frame holds.
#[derive(Clone, Copy, PartialEq)]
enum Sound {
    /// Mostly one constant sample value: the test word it encodes.
    Tone(usize),
    /// Anything else loud enough: real speech, heard as the example's words.
    Speech,
    Silence,
}

/// A frame of real speech at least this loud (RMS) is speech.
const SPEECH_RMS: f64 = 300.0;
/// Real speech is cut into words this long at most.
const SPEECH_WORD_FRAMES: u64 = 35;
/// A burst of real sound shorter than this is a click, not a word.
const SPEECH_MIN_FRAMES: u64 = 5;

/// Turns samples into words and turns, keeping its state across chunks.
///
/// It reads 10 ms frames: a frame mostly of one constant value
/// `1000 * (i + 1)` is the test word `WORDS[i]` (exact, for tests); any
/// other loud frame is speech, said as the next words of `speech_text` (so
/// a real recording gets a plausible transcript); a quiet frame is silence,
/// and `min_turn_silence` of it ends a turn.
pub(crate) struct Recognizer {
    rate: u64,
    frame_len: usize,
    frame: Vec<i16>,
    /// Samples consumed in whole frames.
    position: u64,
    min_silence_frames: u64,
    silence_frames: u64,
    /// The sound being heard, since which sample, for how many frames.
    current: Option<(Sound, u64, u64)>,
    words: Vec<Heard>,
    speech_text: Vec<String>,
    next_speech_word: usize,
}

impl Recognizer {
    pub(crate) fn new(rate: u32, min_turn_silence_ms: u64, speech_text: &str) -> Self {
        let frame_len = (rate as usize / 100).max(1);
        let mut speech_text: Vec<String> =
            speech_text.split_whitespace().map(str::to_owned).collect();
        if speech_text.is_empty() {
            speech_text.push("hello".to_owned());
        }
        Recognizer {
            rate: u64::from(rate.max(1)),
            frame_len,
            frame: Vec::with_capacity(frame_len),
            position: 0,
            min_silence_frames: (min_turn_silence_ms / 10).max(1),
            silence_frames: 0,
            current: None,
            words: Vec::new(),
            speech_text,
            next_speech_word: 0,
        }
    }

    fn ms(&self, sample: u64) -> u64 {
        sample * 1000 / self.rate
    }

    pub(crate) fn feed(&mut self, samples: impl Iterator<Item = i16>, out: &mut Vec<Said>) {
        for sample in samples {
            self.frame.push(sample);
            if self.frame.len() == self.frame_len {
                let sound = classify(&self.frame);
                self.frame.clear();
                self.hear(sound, out);
                self.position += self.frame_len as u64;
            }
        }
    }

    fn hear(&mut self, sound: Sound, out: &mut Vec<Said>) {
        let continues = match self.current {
            Some((Sound::Tone(w), _, _)) => sound == Sound::Tone(w),
            Some((Sound::Speech, _, frames)) => {
                sound == Sound::Speech && frames < SPEECH_WORD_FRAMES
            }
            _ => false,
        };
        if continues {
            if let Some((_, _, frames)) = &mut self.current {
                *frames += 1;
            }
        } else {
            self.end_word(out);
            if sound != Sound::Silence {
                self.current = Some((sound, self.position, 1));
            }
        }
        if sound == Sound::Silence {
            self.silence_frames += 1;
            if self.silence_frames == self.min_silence_frames && !self.words.is_empty() {
                out.push(Said::Final(std::mem::take(&mut self.words)));
            }
        } else {
            self.silence_frames = 0;
        }
    }

    fn end_word(&mut self, out: &mut Vec<Said>) {
        let Some((sound, start, frames)) = self.current.take() else {
            return;
        };
        let text = match sound {
            Sound::Tone(word) => WORDS[word].to_owned(),
            Sound::Speech if frames >= SPEECH_MIN_FRAMES => {
                let word = self.speech_text[self.next_speech_word % self.speech_text.len()].clone();
                self.next_speech_word += 1;
                word
            }
            _ => return,
        };
        let end = start + frames * self.frame_len as u64;
        self.words.push(Heard {
            text,
            start_ms: self.ms(start),
            end_ms: self.ms(end),
        });
        out.push(Said::Partial(self.words.clone()));
    }

    /// Ends the turn now (ForceEndpoint, Terminate).
    pub(crate) fn flush(&mut self, out: &mut Vec<Said>) {
        self.end_word(out);
        if !self.words.is_empty() {
            out.push(Said::Final(std::mem::take(&mut self.words)));
        }
    }
}

/// What a frame holds. Computed in `i64` over absolute values: a real
/// recording's samples are any `i16`, `-32768` included.
fn classify(frame: &[i16]) -> Sound {
    let middle = frame[frame.len() / 2];
    let same = frame.iter().filter(|s| **s == middle).count();
    let level = i64::from(middle).abs();
    if same * 2 > frame.len() && level >= 500 {
        let word = ((level + 500) / 1000 - 1).clamp(0, WORDS.len() as i64 - 1);
        return Sound::Tone(word as usize);
    }
    let energy: f64 = frame.iter().map(|s| f64::from(*s) * f64::from(*s)).sum();
    if (energy / frame.len() as f64).sqrt() >= SPEECH_RMS {
        Sound::Speech
    } else {
        Sound::Silence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heard(rate: u32, samples: &[i16]) -> Vec<String> {
        let mut recognizer = Recognizer::new(rate, 300, "smoke from hundreds of wildfires");
        let mut said = Vec::new();
        recognizer.feed(samples.iter().copied(), &mut said);
        recognizer.flush(&mut said);
        said.into_iter()
            .filter_map(|s| match s {
                Said::Final(words) => Some(
                    words
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                Said::Partial(_) => None,
            })
            .collect()
    }

    #[test]
    fn test_tones_are_their_words_and_turns_end_at_the_silence() {
        let samples = speech(16_000, &[&[0, 1], &[2]], 200, 50, 400);
        assert_eq!(heard(16_000, &samples), transcript(&[&[0, 1], &[2]]));
    }

    #[test]
    fn real_speech_of_any_sample_values_is_heard_as_words_without_a_panic() {
        // A loud waveform swinging over the whole i16 range, -32768 included.
        let wave: Vec<i16> = (0..16_000)
            .map(|i| {
                if i % 7 == 0 {
                    i16::MIN
                } else {
                    ((i * 7919) % 65_536 - 32_768) as i16
                }
            })
            .collect();
        let finals = heard(16_000, &wave);
        assert_eq!(finals.len(), 1, "{finals:?}");
        assert!(finals[0].starts_with("smoke from"), "{finals:?}");
    }
}
