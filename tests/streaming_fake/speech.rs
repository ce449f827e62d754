//! The fake's "speech recognizer", and the test audio it understands.
//!
//! A word is a run of samples of one constant value `1000 * (i + 1)` (word `WORDS[i]`); zeros are
//! silence. Values are read to the nearest thousand, so µ-law's rounding and a stereo downmix of
//! equal channels change nothing. A turn ends after `min_turn_silence` ms of silence.

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

/// A word heard: its index and where it lies in the session's audio (ms).
#[derive(Clone, Debug)]
pub struct Heard {
    pub word: usize,
    pub start_ms: u64,
    pub end_ms: u64,
}

/// What the recognizer says after a stretch of audio.
pub enum Said {
    /// A word ended; the turn goes on.
    Partial(Vec<Heard>),
    /// The turn ended.
    Final(Vec<Heard>),
}

/// Turns samples into words and turns, keeping its state across chunks.
pub struct Recognizer {
    rate: u64,
    min_silence_samples: u64,
    position: u64,
    current: Option<(usize, u64)>,
    silence: u64,
    words: Vec<Heard>,
}

impl Recognizer {
    pub fn new(rate: u32, min_turn_silence_ms: u64) -> Self {
        Recognizer {
            rate: rate as u64,
            min_silence_samples: rate as u64 * min_turn_silence_ms / 1000,
            position: 0,
            current: None,
            silence: 0,
            words: Vec::new(),
        }
    }

    fn ms(&self, sample: u64) -> u64 {
        sample * 1000 / self.rate
    }

    pub fn feed(&mut self, samples: impl Iterator<Item = i16>, out: &mut Vec<Said>) {
        for sample in samples {
            let word = ((sample as i32 + 500) / 1000 - 1).clamp(-1, WORDS.len() as i32 - 1);
            let word = (sample.unsigned_abs() >= 500).then_some(word as usize);
            if self.current.map(|(w, _)| Some(w)) != Some(word) {
                self.end_word(out);
                if let Some(word) = word {
                    self.current = Some((word, self.position));
                }
            }
            if word.is_none() {
                self.silence += 1;
                if self.silence == self.min_silence_samples && !self.words.is_empty() {
                    out.push(Said::Final(std::mem::take(&mut self.words)));
                }
            } else {
                self.silence = 0;
            }
            self.position += 1;
        }
    }

    fn end_word(&mut self, out: &mut Vec<Said>) {
        if let Some((word, start)) = self.current.take() {
            self.words.push(Heard {
                word,
                start_ms: self.ms(start),
                end_ms: self.ms(self.position),
            });
            out.push(Said::Partial(self.words.clone()));
        }
    }

    /// Ends the turn now (ForceEndpoint, Terminate).
    pub fn flush(&mut self, out: &mut Vec<Said>) {
        self.end_word(out);
        if !self.words.is_empty() {
            out.push(Said::Final(std::mem::take(&mut self.words)));
        }
    }
}
