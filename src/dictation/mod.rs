//! The Dictation API: a spoken note in; its verbatim text and an LLM
//! clean-up of it (fillers removed, self-corrections resolved, punctuation
//! added, or what `llm_instruction` asks) out, in one request
//! (`dictation.assemblyai.com`).
//!
//! Two routes: `/v1/transcribe/live` (up to 120 s, WAV or raw 16-bit PCM,
//! uploadable while it is spoken) and `/v1/transcribe` (a finished
//! recording of 80 ms to 20 min, compressed formats too). A clip goes to
//! the live route when it can; a compressed or longer file goes to the
//! other; and a stream the live route refuses as too long (413) is read to
//! its end and sent again, whole, to `/v1/transcribe`: the pattern the
//! docs give for recordings over two minutes. The audio is kept as it is
//! read (in a temporary file past 1 MiB) for that, and for retries.
//!
//! ```no_run
//! use assemblyai::Client;
//! use assemblyai::dictation::DictationRequest;
//!
//! let client = Client::from_env()?;
//! let mut request = DictationRequest::default();
//! request.llm_instruction = Some("Format this as a bulleted list.".into());
//! let note = client.dictate_file("note.wav", &request)?;
//! println!("{}", note.final_text());
//! # Ok::<(), assemblyai::Error>(())
//! ```

mod types;

use std::io::Read;
use std::path::Path;
use std::time::Duration;

pub use types::{Dictation, DictationRequest, DictationWord, LlmError, RewriteMode};

use crate::clip::{AudioFormat, ClipBody, ClipSource, limits};
use crate::{Client, Error, Result, Service};

/// The live route: while recording, up to 120 s, WAV or PCM.
const LIVE_PATH: &str = "/v1/transcribe/live";
/// The finished-recording route: up to 20 minutes, compressed formats too.
const WHOLE_PATH: &str = "/v1/transcribe";
/// The longest recording `/v1/transcribe` takes.
const WHOLE_MAX_DURATION: Duration = Duration::from_secs(20 * 60);

/// Caps of the config (docs and Node SDK 4.41: 6,000 characters of
/// prompt; 100 key terms and 8,000 characters; 2,048 of instruction).
const MAX_PROMPT_CHARS: usize = 6000;
const MAX_KEYTERMS: usize = 100;
const MAX_KEYTERMS_CHARS: usize = 8000;
const MAX_INSTRUCTION_CHARS: usize = 2048;

impl Client {
    /// Dictates a local file: WAV or raw PCM of up to 120 s goes to the
    /// live route; a compressed file (MP3, M4A, Ogg/Opus, FLAC, WebM) or a
    /// longer one to `/v1/transcribe`.
    ///
    /// # Errors
    ///
    /// Before anything is sent: [`Error::InvalidSource`] for a missing or
    /// empty file or one over 20 minutes, [`Error::InvalidInput`] for raw
    /// PCM without a sample rate or a field over its cap. Then
    /// [`Error::Clip`] with the server's code and transport errors.
    pub fn dictate_file(
        &self,
        path: impl AsRef<Path>,
        request: &DictationRequest,
    ) -> Result<Dictation> {
        self.dictate_clip(ClipSource::File(path.as_ref()), request)
    }

    /// Dictates everything `reader` yields, sending it to the live route
    /// while it is read. Past what the live route takes (a 413), the rest
    /// is read and the whole recording sent to `/v1/transcribe`
    /// ([`Dictation::resent_whole`] tells). A compressed stream is read
    /// whole first, since only `/v1/transcribe` takes it.
    ///
    /// # Errors
    ///
    /// As [`Client::dictate_file`], for an empty stream too.
    pub fn dictate(&self, mut reader: impl Read, request: &DictationRequest) -> Result<Dictation> {
        self.dictate_clip(ClipSource::Stream(&mut reader), request)
    }

    /// Opens the connection to the Dictation host ahead of a note (the
    /// unauthenticated `GET /v1/warm`), so the note pays no DNS, TCP or TLS
    /// handshake.
    ///
    /// # Errors
    ///
    /// Transport errors only: any answer means the connection is open.
    pub fn warm_dictation(&self) -> Result<()> {
        self.warm_service(Service::Dictation, &[])
    }

    fn dictate_clip(
        &self,
        source: ClipSource<'_>,
        request: &DictationRequest,
    ) -> Result<Dictation> {
        check_request(request)?;
        let mut body = ClipBody::open(source)?;
        let compressed = matches!(body.format(), AudioFormat::Compressed { .. });
        if !compressed {
            limits::check_decodable(&body, limits::pcm(request.sample_rate, request.channels))?;
        }
        let config = serde_json::to_vec(request)
            .map_err(|err| Error::invalid_input(format!("cannot encode the config: {err}")))?;
        body.set_config(&config);
        let pcm = limits::pcm(request.sample_rate, request.channels);
        if compressed {
            // Only the finished-recording route decodes it: read it to its end.
            body.read_to_end()?;
        }
        let live = !compressed
            && limits::duration(&body, pcm).is_none_or(|d| d <= limits::LIVE_MAX_DURATION);
        if !live {
            return self.dictate_whole(&mut body, pcm);
        }
        match self.send_clip(Service::Dictation, LIVE_PATH, &mut body, &[]) {
            Ok(dictation) => Ok(dictation),
            Err(error) if body.path().is_none() && too_long_for_live(&error, &mut body, pcm)? => {
                let mut dictation = self.dictate_whole(&mut body, pcm)?;
                dictation.resent_whole = true;
                Ok(dictation)
            }
            Err(error) => Err(error),
        }
    }

    /// Sends the whole recording to `/v1/transcribe`, once it is known to
    /// fit.
    fn dictate_whole(&self, body: &mut ClipBody<'_>, pcm: Option<(u32, u16)>) -> Result<Dictation> {
        if let Some(long) = limits::duration(body, pcm).filter(|&d| d > WHOLE_MAX_DURATION) {
            return Err(Error::invalid_source(format!(
                "{} plays {}, longer than the Dictation API's 20 minutes: transcribe it with \
                 the async API (aai transcribe)",
                limits::shown(body),
                limits::human(long)
            )));
        }
        self.send_clip(Service::Dictation, WHOLE_PATH, body, &[])
    }
}

/// Whether the live route failed because the recording is longer than it
/// takes: its 413 (in either error shape), or a connection it cut while the
/// audio went on past 120 s (a server that closes on the 413 instead of
/// reading on). The stream is read to its end first: the recording goes on
/// until the speaker stops, and is then sent whole.
fn too_long_for_live(
    error: &Error,
    body: &mut ClipBody<'_>,
    pcm: Option<(u32, u16)>,
) -> Result<bool> {
    let refused = matches!(error, Error::Clip { status: 413, .. });
    let cut = matches!(error, Error::Http { .. });
    if !(refused || cut) {
        return Ok(false);
    }
    body.read_to_end()?;
    Ok(refused || limits::duration(body, pcm).is_some_and(|d| d > limits::LIVE_MAX_DURATION))
}

fn check_request(request: &DictationRequest) -> Result<()> {
    limits::check_chars(
        "stt_prompt",
        request.stt_prompt.as_deref(),
        MAX_PROMPT_CHARS,
    )?;
    limits::check_terms(
        "keyterms_prompt",
        request.keyterms_prompt.as_deref(),
        MAX_KEYTERMS,
        MAX_KEYTERMS_CHARS,
    )?;
    limits::check_chars(
        "llm_instruction",
        request.llm_instruction.as_deref(),
        MAX_INSTRUCTION_CHARS,
    )
}
