//! Reading and deleting transcripts, and `transcribe`: upload, create, wait.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ureq::http::Method;

use crate::deadline::Deadline;
use crate::reply::{Reply, copy_body, over_limit};
use crate::request::{Call, check_transcript_id};
use crate::types::is_http_url;
use crate::{Client, Error, Result, Transcript, TranscriptRequest, UploadedFile, WaitOptions};

/// Where the audio for [`Client::transcribe`] comes from.
///
/// Strings starting with `http://` or `https://` are URLs the API fetches
/// itself; any other string is a local path, uploaded first.
///
/// ```
/// use assemblyai::AudioSource;
///
/// assert!(matches!(AudioSource::from("https://example.com/a.mp3"), AudioSource::Url(_)));
/// assert!(matches!(AudioSource::from("recordings/a.mp3"), AudioSource::File(_)));
/// let stdin = AudioSource::reader(std::io::stdin());
/// ```
#[non_exhaustive]
pub enum AudioSource<'a> {
    /// A URL the API can download (public, or pre-signed).
    Url(String),
    /// A local file, uploaded with its length and retried on failure.
    File(PathBuf),
    /// A stream, uploaded as it is read (chunked); it cannot be retried.
    Reader(Box<dyn Read + 'a>),
}

impl<'a> AudioSource<'a> {
    /// A stream source, e.g. stdin or a decoder's output.
    pub fn reader(reader: impl Read + 'a) -> Self {
        AudioSource::Reader(Box::new(reader))
    }
}

impl fmt::Debug for AudioSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AudioSource::Url(url) => f.debug_tuple("Url").field(url).finish(),
            AudioSource::File(path) => f.debug_tuple("File").field(path).finish(),
            AudioSource::Reader(_) => f.write_str("Reader(..)"),
        }
    }
}

impl From<&str> for AudioSource<'_> {
    fn from(text: &str) -> Self {
        let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            AudioSource::Url(text.to_owned())
        } else {
            AudioSource::File(PathBuf::from(text))
        }
    }
}

impl From<String> for AudioSource<'_> {
    fn from(text: String) -> Self {
        AudioSource::from(text.as_str())
    }
}

impl From<&Path> for AudioSource<'_> {
    fn from(path: &Path) -> Self {
        AudioSource::File(path.to_owned())
    }
}

impl From<PathBuf> for AudioSource<'_> {
    fn from(path: PathBuf) -> Self {
        AudioSource::File(path)
    }
}

impl Client {
    /// Fetches a transcript in its current state (`queued`, `processing`,
    /// `completed` or `error`).
    ///
    /// ```no_run
    /// let client = assemblyai::Client::from_env()?;
    /// let transcript = client.get_transcript("5551722-f677-48a6-9287-39c0aafd9ac1")?;
    /// println!("{}", transcript.status);
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a malformed id
    /// (nothing is sent), and API errors: 404, or 400 "Transcript lookup
    /// error" for an unknown id.
    pub fn get_transcript(&self, id: &str) -> Result<Transcript> {
        self.get_transcript_within(id, Deadline::none())
    }

    /// Writes a transcript to `writer` as the exact JSON text the API sent,
    /// streamed without parsing: to store or print it losslessly (fields this
    /// crate doesn't know included), in constant memory and at the speed of
    /// the network. A long transcript is tens of MB of JSON, and parsing it
    /// costs several times what fetching it does. Returns the bytes written.
    ///
    /// The reply is checked to be one JSON object (it starts with `{` and
    /// ends with `}`); a reply that breaks off midway is an error, not retried
    /// since part of it was written.
    ///
    /// ```no_run
    /// let client = assemblyai::Client::from_env()?;
    /// let mut file = std::fs::File::create("transcript.json")?;
    /// client.download_transcript_json("5551722-f677-48a6-9287-39c0aafd9ac1", &mut file)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get_transcript`](Self::get_transcript);
    /// [`Error::InvalidResponse`](crate::Error::InvalidResponse) when the
    /// reply is not a JSON object, [`Error::Io`](crate::Error::Io) when
    /// writing fails.
    pub fn download_transcript_json(&self, id: &str, writer: &mut dyn Write) -> Result<u64> {
        check_transcript_id(id)?;
        let mut call = Call::get(format!("/v2/transcript/{id}")).about(id);
        let mut response = self.open(&mut call)?;
        let status = response.status().as_u16();
        let not_an_object = |what: String| Error::InvalidResponse {
            status,
            message: self.redact(format!("expected a JSON object, got {what}")),
            transcript_id: Some(id.to_owned()),
        };
        // The first and last bytes other than white space, seen in passing.
        let (mut first, mut last) = (None, None);
        let limit = self.shared.max_reply_bytes;
        let mut seen = 0u64;
        let reader = &mut response.body_mut().as_reader();
        let written = copy_body(reader, writer, "the transcript", call.deadline, |chunk| {
            seen += chunk.len() as u64;
            if seen > limit {
                return Err(over_limit(status, limit, Some(id)));
            }
            let mut solid = chunk.iter().filter(|b| !b.is_ascii_whitespace());
            if first.is_none() {
                first = solid.next().copied();
                if first.is_some_and(|b| b != b'{') {
                    return Err(not_an_object(self.describe(chunk)));
                }
            }
            if let Some(&byte) = chunk.iter().rev().find(|b| !b.is_ascii_whitespace()) {
                last = Some(byte);
            }
            Ok(())
        })
        .map_err(|error| error.with_transcript_id(id))?;
        match (first, last) {
            (None, _) => Err(not_an_object(self.describe(b""))),
            (_, Some(b'}')) => Ok(written),
            _ => Err(not_an_object("one that is cut short".to_owned())),
        }
    }

    /// Deletes a transcript's data (and the uploaded audio it used) and
    /// returns what is left: the API keeps a scrubbed record for billing.
    ///
    /// ```no_run
    /// let client = assemblyai::Client::from_env()?;
    /// let deleted = client.delete_transcript("5551722-f677-48a6-9287-39c0aafd9ac1")?;
    /// assert_eq!(deleted.text.as_deref(), Some("Deleted by user."));
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get_transcript`](Self::get_transcript).
    pub fn delete_transcript(&self, id: &str) -> Result<Transcript> {
        check_transcript_id(id)?;
        let mut call = Call::get(format!("/v2/transcript/{id}")).about(id);
        call.method = Method::DELETE;
        self.fetch_transcript(call)
    }

    /// Transcribes `source` from start to finish: uploads it when it is local,
    /// creates the transcript with `request`'s options (its `audio_url` is
    /// replaced by the source's), and waits until it is done.
    ///
    /// The new transcript's id is reported through [`Event::Created`](crate::Event::Created)
    /// as soon as it exists, and carried by any later error, so a caller that
    /// gives up can resume with [`wait_for_transcript`](Self::wait_for_transcript).
    /// `wait.timeout` limits the whole call, upload included.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use assemblyai::{Client, TranscriptRequest, WaitOptions};
    ///
    /// let client = Client::from_env()?;
    /// let mut request = TranscriptRequest::default();
    /// request.speaker_labels = Some(true);
    /// let wait = WaitOptions::default().timeout(Duration::from_secs(900));
    /// let transcript = client.transcribe("call.wav", &request, &wait)?;
    /// for utterance in transcript.utterances.unwrap_or_default() {
    ///     println!("{}: {}", utterance.speaker, utterance.text);
    /// }
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`upload_file`](Self::upload_file),
    /// [`create_transcript`](Self::create_transcript) and
    /// [`wait_for_transcript`](Self::wait_for_transcript).
    pub fn transcribe<'a>(
        &self,
        source: impl Into<AudioSource<'a>>,
        request: &TranscriptRequest,
        wait: &WaitOptions,
    ) -> Result<Transcript> {
        let deadline = Deadline::after(wait.timeout);
        let created = self.start_within(source.into(), request, deadline)?;
        let id = created.id.clone();
        // An id that can't be put in a URL can't be waited for: the reply
        // was unreadable (the server's fault, not the caller's usage), and
        // the message shows the id, so the job is not lost from sight.
        if let Err(Error::InvalidInput { message }) = check_transcript_id(&id) {
            return Err(Error::InvalidResponse {
                status: 200,
                message: self.redact(format!(
                    "a transcript was created, but the id the API gave it, {message}"
                )),
                transcript_id: None,
            });
        }
        self.wait_within(&id, wait, deadline, Some(created))
    }

    /// The first half of [`transcribe`](Self::transcribe): uploads `source`
    /// when it is local and creates the transcript with `request`'s options
    /// (its `audio_url` is replaced by the source's), without waiting.
    ///
    /// ```no_run
    /// use assemblyai::{Client, TranscriptRequest};
    ///
    /// let client = Client::from_env()?;
    /// let started = client.start_transcript("call.wav", &TranscriptRequest::default())?;
    /// println!("started {}; pick it up later with wait_for_transcript", started.id);
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`upload_file`](Self::upload_file) and
    /// [`create_transcript`](Self::create_transcript), and
    /// [`Error::InvalidResponse`](crate::Error::InvalidResponse) when the
    /// upload's answer is not an http(s) URL (it would make an invalid request).
    pub fn start_transcript<'a>(
        &self,
        source: impl Into<AudioSource<'a>>,
        request: &TranscriptRequest,
    ) -> Result<Transcript> {
        self.start_within(source.into(), request, Deadline::none())
    }

    fn start_within(
        &self,
        source: AudioSource<'_>,
        request: &TranscriptRequest,
        deadline: Deadline,
    ) -> Result<Transcript> {
        // Options are checked before a possibly long upload, not after it.
        request.validate_options()?;
        let (audio_url, own_upload) = match source {
            AudioSource::Url(url) => (url, false),
            AudioSource::File(path) => (
                self.usable_upload_url(self.upload_file_within(&path, deadline)?)?,
                true,
            ),
            AudioSource::Reader(mut reader) => (
                self.usable_upload_url(self.upload_stream_within(&mut reader, deadline)?)?,
                true,
            ),
        };
        let mut request = request.clone();
        request.audio_url = audio_url;
        self.create_within(&request, deadline, own_upload)
    }

    /// The URL an upload gave, checked to be one: it is sent back as
    /// `audio_url`, and a server that answered anything else would only be
    /// sent an invalid request.
    fn usable_upload_url(&self, uploaded: UploadedFile) -> Result<String> {
        if is_http_url(&uploaded.upload_url) {
            return Ok(uploaded.upload_url);
        }
        Err(Error::InvalidResponse {
            status: 200,
            message: self.redact(format!(
                "expected an http(s) URL as upload_url, got {}",
                self.describe(uploaded.upload_url.as_bytes())
            )),
            transcript_id: None,
        })
    }

    pub(crate) fn get_transcript_within(&self, id: &str, deadline: Deadline) -> Result<Transcript> {
        check_transcript_id(id)?;
        self.fetch_transcript(
            Call::get(format!("/v2/transcript/{id}"))
                .about(id)
                .within(deadline),
        )
    }

    /// Sends a call answered by a transcript, keeping its JSON text when the
    /// client is configured to.
    pub(crate) fn fetch_transcript(&self, call: Call<'_>) -> Result<Transcript> {
        let reply = self.fetch(call)?;
        self.transcript_of(reply)
    }

    /// Decodes a reply holding a transcript, keeping its JSON text when the
    /// client is configured to.
    pub(crate) fn transcript_of(&self, reply: Reply) -> Result<Transcript> {
        self.decode_kept(reply)
    }
}
