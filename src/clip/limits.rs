//! Checks both short-clip APIs share, made before anything is sent: what
//! the server is certain to refuse, said with what to do instead.

use std::time::Duration;

use super::audio::AudioFormat;
use super::body::ClipBody;
use crate::{Error, Result};

/// The longest clip the live routes take (both APIs' docs).
pub(crate) const LIVE_MAX_DURATION: Duration = Duration::from_secs(120);

/// What the audio is called in messages: the file, or "the audio stream".
pub(crate) fn shown(body: &ClipBody<'_>) -> String {
    body.path().map_or_else(
        || "the audio stream".to_owned(),
        |p| p.display().to_string(),
    )
}

/// Refuses audio the live routes can't decode: raw bytes without a sample
/// rate to read them by, and a WAV that is not 16-bit.
pub(crate) fn check_decodable(body: &ClipBody<'_>, pcm: Option<(u32, u16)>) -> Result<()> {
    match body.format() {
        AudioFormat::Raw if pcm.is_none() => Err(Error::invalid_input(format!(
            "{} is neither a WAV file nor a known compressed format, so it is taken as raw \
             16-bit PCM, which needs its sample rate and channels (a WAV header carries them): \
             set sample_rate and channels, e.g. 16000 and 1",
            shown(body)
        ))),
        AudioFormat::Wav {
            bits: Some(bits), ..
        } if *bits != 16 => Err(Error::invalid_source(format!(
            "{} is {bits}-bit audio; the API takes 16-bit only: convert it, e.g. \
             ffmpeg -i IN -ac 1 -ar 16000 -sample_fmt s16 OUT.wav",
            shown(body)
        ))),
        _ => Ok(()),
    }
}

/// How long the audio plays, when its length and format tell.
pub(crate) fn duration(body: &ClipBody<'_>, pcm: Option<(u32, u16)>) -> Option<Duration> {
    body.format().duration(body.audio_len()?, pcm)
}

/// The sample rate and channels of raw PCM as the config gives them: the
/// API needs both (api-2026.md §5.2, §6).
pub(crate) fn pcm(sample_rate: Option<u32>, channels: Option<u16>) -> Option<(u32, u16)> {
    sample_rate.zip(channels)
}

/// Refuses a text field longer than `cap` characters.
pub(crate) fn check_chars(field: &str, text: Option<&str>, cap: usize) -> Result<()> {
    let count = text.map_or(0, |text| text.chars().count());
    if count > cap {
        return Err(Error::invalid_input(format!(
            "{field} is {count} characters, over the API's {cap}: shorten it"
        )));
    }
    Ok(())
}

/// Refuses more than `max_terms` key terms or `max_chars` characters in all.
pub(crate) fn check_terms(
    field: &str,
    terms: Option<&[String]>,
    max_terms: usize,
    max_chars: usize,
) -> Result<()> {
    let terms = terms.unwrap_or_default();
    let chars: usize = terms.iter().map(|term| term.chars().count()).sum();
    if terms.len() > max_terms || chars > max_chars {
        return Err(Error::invalid_input(format!(
            "{field} has {} terms and {chars} characters, over the API's {max_terms} terms or \
             {max_chars} characters: keep the ones that matter most",
            terms.len()
        )));
    }
    Ok(())
}

/// A duration for messages, `2m 10s`.
pub(crate) fn human(duration: Duration) -> String {
    crate::duration::human(duration)
}
