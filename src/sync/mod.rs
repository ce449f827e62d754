//! The Sync STT API: a short clip (80 ms to 120 s, WAV or raw 16-bit PCM,
//! at most 40 MB) in, its text and word timings out, in one request
//! (`sync.assemblyai.com`, `POST /v1/transcribe/live`).
//!
//! Uses the short-clip request it shares with [`crate::dictation`] on the one client: a file
//! is sent with its length, a stream (a recorder still recording) chunked
//! while it is read, both with the client's retries (`Retry-After` on 429
//! and 503 honoured, 500/502/504 once) and deadline.
//!
//! ```no_run
//! use assemblyai::Client;
//! use assemblyai::sync::SyncRequest;
//!
//! let client = Client::from_env()?;
//! client.warm_sync()?; // while the user is still speaking
//! let mut request = SyncRequest::default();
//! request.timestamps = Some(true);
//! let clip = client.transcribe_sync_file("note.wav", &request)?;
//! println!("{}", clip.text);
//! # Ok::<(), assemblyai::Error>(())
//! ```

mod checks;
mod types;

use std::io::Read;
use std::path::Path;

pub use types::{SyncRequest, SyncTranscript, SyncWord};

use crate::clip::{ClipBody, ClipSource};
use crate::{Client, Result, Service};

/// The route both official SDKs post every clip to since September 2026
/// (a file is a stream whose bytes are all there): the audio may arrive
/// chunked while it is recorded.
const LIVE_PATH: &str = "/v1/transcribe/live";

/// The header that chooses the Sync model.
const MODEL_HEADER: &str = "X-AAI-Model";

/// The model sent when the caller names none. The API *requires* the
/// `X-AAI-Model` header and has no default of its own, so a client must
/// send a name; this is the one the Sync docs call canonical (its aliases
/// `u3-sync-pro`, `u3-pro` are older) and the Python SDK's default
/// (`SyncTranscriptionConfig.model`). Sync has no later model (no U3.6 Pro
/// or stt-3-7, api-2026.md §5.2): set [`SyncRequest::model`] to choose one
/// when it has.
pub const DEFAULT_SYNC_MODEL: &str = "universal-3-5-pro";

impl Client {
    /// Transcribes a local WAV or raw PCM file with the Sync STT API.
    ///
    /// The file is streamed with its length, never read whole into memory,
    /// and sent again from the start when a retry is due.
    ///
    /// # Errors
    ///
    /// Before anything is sent: [`crate::Error::InvalidSource`] for a
    /// missing or empty file, a compressed format (Sync takes WAV or PCM
    /// only), a WAV that is not 16-bit, over 40 MB or longer than 120 s;
    /// [`crate::Error::InvalidInput`] for raw PCM without a sample rate or a
    /// field over its cap. Then [`crate::Error::Clip`] with the server's
    /// code ([`crate::ClipErrorCode`]) and transport errors.
    pub fn transcribe_sync_file(
        &self,
        path: impl AsRef<Path>,
        request: &SyncRequest,
    ) -> Result<SyncTranscript> {
        self.sync_clip(ClipSource::File(path.as_ref()), request)
    }

    /// Transcribes everything `reader` yields (stdin, a recorder's pipe)
    /// with the Sync STT API, sending it while it is read: the request
    /// starts before the recording ends, and what is read is kept (in a
    /// temporary file past 1 MiB) so a retry can send it again.
    ///
    /// ```no_run
    /// use assemblyai::sync::SyncRequest;
    ///
    /// let client = assemblyai::Client::from_env()?;
    /// let mut request = SyncRequest::default();
    /// request.sample_rate = Some(16_000);
    /// request.channels = Some(1);
    /// let clip = client.transcribe_sync(std::io::stdin(), &request)?;
    /// println!("{}", clip.text);
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Client::transcribe_sync_file`], for an empty stream too.
    pub fn transcribe_sync(
        &self,
        mut reader: impl Read,
        request: &SyncRequest,
    ) -> Result<SyncTranscript> {
        self.sync_clip(ClipSource::Stream(&mut reader), request)
    }

    /// Opens the connection to the Sync host ahead of a clip (the
    /// unauthenticated `GET /v1/warm`), so the clip that follows on this
    /// client (or a clone) pays no DNS, TCP or TLS handshake.
    ///
    /// # Errors
    ///
    /// Transport errors only: any answer means the connection is open.
    pub fn warm_sync(&self) -> Result<()> {
        self.warm_service(Service::Sync, &[])
    }

    fn sync_clip(&self, source: ClipSource<'_>, request: &SyncRequest) -> Result<SyncTranscript> {
        checks::check_request(request)?;
        let mut body = ClipBody::open(source)?;
        checks::check_audio(&body, request)?;
        let config = serde_json::to_vec(request).map_err(|err| {
            crate::Error::invalid_input(format!("cannot encode the Sync config: {err}"))
        })?;
        body.set_config(&config);
        let model = request
            .model
            .clone()
            .unwrap_or_else(|| DEFAULT_SYNC_MODEL.to_owned());
        self.send_clip(
            Service::Sync,
            LIVE_PATH,
            &mut body,
            &[(MODEL_HEADER, model)],
        )
        .map_err(|error| checks::explain_cut_upload(error, &body, request))
    }
}
