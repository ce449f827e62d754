//! Streaming uploads to `POST /v2/upload`, in constant memory whatever the size.

use std::io::{self, Cursor, Read};
use std::path::Path;

use crate::deadline::Deadline;
use crate::event::Event;
use crate::request::{Call, Payload, Safety};
use crate::{Client, Error, Result, UploadedFile};

/// The largest upload `/v2/upload` accepts: 2.2 GB. Longer recordings can be
/// hosted elsewhere and passed by URL (up to 5 GB and 10 hours).
pub const MAX_UPLOAD_BYTES: u64 = 2_200_000_000;

/// How much of a stream is read before the request starts, to refuse an empty
/// one without sending anything.
const PEEK_BYTES: usize = 64 * 1024;

impl Client {
    /// Uploads a local file and returns the URL to transcribe it from.
    ///
    /// The file is streamed with its length, so memory use does not grow with
    /// its size; a failed attempt is retried by reading the file again. Watch
    /// the bytes go with [`Event::UploadProgress`] through
    /// [`Client::with_observer`].
    ///
    /// ```no_run
    /// use assemblyai::{Client, TranscriptRequest};
    ///
    /// let client = Client::from_env()?;
    /// let uploaded = client.upload_file("interview.wav")?;
    /// let transcript = client.create_transcript(&TranscriptRequest::new(uploaded.upload_url))?;
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSource`] before anything is sent when the path is
    /// missing, a directory, empty or over [`MAX_UPLOAD_BYTES`];
    /// [`Error::Io`] when it cannot be read; API and transport errors otherwise.
    pub fn upload_file(&self, path: impl AsRef<Path>) -> Result<UploadedFile> {
        self.upload_file_within(path.as_ref(), Deadline::none())
    }

    /// Uploads everything `reader` yields (a pipe, stdin, a decoder) and
    /// returns the URL to transcribe it from.
    ///
    /// The stream is sent with chunked transfer encoding as it is read, in
    /// constant memory. It can be read only once, so a failed upload is not
    /// retried; upload a file to get retries.
    ///
    /// ```no_run
    /// let client = assemblyai::Client::from_env()?;
    /// let uploaded = client.upload(std::io::stdin())?;
    /// println!("{}", uploaded.upload_url);
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSource`] when the stream is empty or longer than
    /// [`MAX_UPLOAD_BYTES`]; [`Error::Io`] when reading it fails; API and
    /// transport errors otherwise.
    pub fn upload(&self, mut reader: impl Read) -> Result<UploadedFile> {
        self.upload_stream_within(&mut reader, Deadline::none())
    }

    pub(crate) fn upload_file_within(
        &self,
        path: &Path,
        deadline: Deadline,
    ) -> Result<UploadedFile> {
        match check_upload_file(path)? {
            LocalAudio::File { len } => self.send_upload(Payload::File { path, len }, deadline),
            // A pipe or device (`<(ffmpeg ...)`, /dev/stdin) has no length and
            // can be read only once: it goes as a stream, through the handle
            // already open, since closing it would lose what was written.
            LocalAudio::Pipe(mut pipe) => self.upload_stream_within(&mut pipe, deadline),
        }
    }

    pub(crate) fn upload_stream_within(
        &self,
        reader: &mut dyn Read,
        deadline: Deadline,
    ) -> Result<UploadedFile> {
        let mut head = Vec::with_capacity(PEEK_BYTES);
        reader
            .take(PEEK_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(|err| Error::io("cannot read the audio stream", err))?;
        if head.is_empty() {
            return Err(Error::invalid_source(
                "the audio stream is empty: nothing to transcribe",
            ));
        }
        let mut stream = CappedReader {
            inner: Cursor::new(head).chain(reader),
            read: 0,
        };
        let result = self.send_upload(Payload::Stream(&mut stream), deadline);
        if stream.read > MAX_UPLOAD_BYTES {
            return Err(too_large("the audio stream", stream.read));
        }
        result.map_err(explain_stream_not_retried)
    }

    fn send_upload(&self, payload: Payload<'_>, deadline: Deadline) -> Result<UploadedFile> {
        let call = Call::post("/v2/upload", payload, Safety::Idempotent).within(deadline);
        let reply = self.fetch(call)?;
        let uploaded: UploadedFile = self.decode_kept(reply)?;
        self.emit(Event::Uploaded {
            upload_url: &uploaded.upload_url,
        });
        Ok(uploaded)
    }
}

/// A local path that passed the checks.
enum LocalAudio {
    /// A regular file, reopened for each attempt.
    File { len: u64 },
    /// Anything else that can be read (a named pipe, a device), open.
    Pipe(std::fs::File),
}

/// Checks everything that can be known about a file before uploading it, so a
/// bad path costs no request.
fn check_upload_file(path: &Path) -> Result<LocalAudio> {
    let shown = path.display();
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            let text = path.to_string_lossy();
            return Err(Error::invalid_source(match text.split_once("://") {
                // An http(s) URL is not uploaded: the API fetches it itself.
                Some((scheme, _))
                    if scheme.eq_ignore_ascii_case("http")
                        || scheme.eq_ignore_ascii_case("https") =>
                {
                    format!(
                        "\"{text}\" is a URL, not a local file: only a local file is uploaded; \
                         give the URL to the API as the audio_url, and it fetches it itself"
                    )
                }
                Some((scheme, _)) => format!(
                    "\"{text}\" is neither a local file nor an http(s) URL ({scheme}:// is not \
                     supported): give a file path, or an http:// or https:// URL the API can fetch"
                ),
                None => format!("no such file: {shown}"),
            }));
        }
        Err(err) => return Err(Error::io(format!("cannot read {shown}"), err)),
    };
    if metadata.is_dir() {
        return Err(Error::invalid_source(format!(
            "{shown} is a directory: give the path of an audio or video file"
        )));
    }
    // Opening now reports a permission problem before any request is made.
    let file =
        std::fs::File::open(path).map_err(|err| Error::io(format!("cannot open {shown}"), err))?;
    if !metadata.is_file() {
        return Ok(LocalAudio::Pipe(file));
    }
    let len = metadata.len();
    if len == 0 {
        return Err(Error::invalid_source(format!(
            "{shown} is empty (0 bytes): nothing to transcribe"
        )));
    }
    if len > MAX_UPLOAD_BYTES {
        return Err(too_large(&shown.to_string(), len));
    }
    Ok(LocalAudio::File { len })
}

fn too_large(what: &str, len: u64) -> Error {
    Error::invalid_source(format!(
        "{what} is {:.2} GB, over the API's 2.2 GB upload limit: host it where the API can \
         fetch it and pass its URL instead (up to 5 GB), or split it",
        len as f64 / 1e9
    ))
}

/// Adds to a retryable failure why it was not retried.
fn explain_stream_not_retried(error: Error) -> Error {
    if !error.is_retryable() {
        return error;
    }
    error.with_note(
        "not retried, since a stream cannot be sent twice: save it to a file and upload that \
         to get retries",
    )
}

/// Stops a stream at the upload limit: failing the read aborts the request
/// mid-body, so the API never receives a truncated file as if it were whole.
struct CappedReader<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > MAX_UPLOAD_BYTES {
            return Err(io::Error::other(
                "the stream is over the 2.2 GB upload limit",
            ));
        }
        Ok(n)
    }
}
