//! What a caller can watch while the client works: upload progress, the new
//! transcript's id, status changes and retries.

use std::sync::Arc;
use std::time::Duration;

use crate::{Error, Transcript};

/// Something that happened during a call, reported to the observer set with
/// [`Client::with_observer`](crate::Client::with_observer).
///
/// Events arrive on the calling thread, in order, while the call runs, so an
/// observer should be quick (draw a progress bar, log a line, store an id).
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// Bytes of an upload have been handed to the network.
    UploadProgress {
        /// Bytes sent so far.
        sent: u64,
        /// The whole size, when known (a file, not a stream).
        total: Option<u64>,
    },
    /// An upload finished; this URL is what a transcript request refers to.
    Uploaded {
        /// The `upload_url` the API returned.
        upload_url: &'a str,
    },
    /// A request creating a transcript is about to be sent: from now until
    /// [`Event::Created`] (or the call's error), a job may exist whose id is
    /// not known yet, so an interrupted caller should say so.
    Creating {
        /// The `audio_url` of the request, which the job will list.
        audio_url: &'a str,
    },
    /// A transcript was created (or found after an ambiguous failure): from now
    /// on its id is the one thing that must not be lost.
    Created {
        /// The transcript as the API returned it, normally `queued`.
        transcript: &'a Transcript,
    },
    /// A poll found the transcript in a different status than before, or
    /// throttled (`throttled: true`) when it was not, or the other way round.
    /// A wait that follows a create first reports the status the create
    /// answered with (`queued`, perhaps throttled), before any poll.
    StatusChanged {
        /// The transcript as just fetched.
        transcript: &'a Transcript,
    },
    /// One HTTP exchange ended: the reply's status arrived, or the request
    /// failed without one (`status: None`: no connection, a timeout). One
    /// per attempt, retries included; for logging what the client sends
    /// (`aai -v`). Never carries the key.
    Exchanged {
        /// `GET`, `POST`, `DELETE`.
        method: &'a str,
        /// The path and query, e.g. `/v2/transcript/ID`.
        path: &'a str,
        /// The reply's HTTP status, if one came.
        status: Option<u16>,
        /// From sending the request to the reply's headers (or the failure).
        elapsed: Duration,
    },
    /// A request failed in a way that is worth retrying, and will be retried.
    Retrying {
        /// What went wrong.
        error: &'a Error,
        /// The attempt that failed, counting from 1.
        attempt: u32,
        /// How long the client waits before the next attempt.
        delay: Duration,
    },
}

/// A callback receiving [`Event`]s; see [`Client::with_observer`](crate::Client::with_observer).
pub type Observer = Arc<dyn Fn(&Event<'_>) + Send + Sync>;
