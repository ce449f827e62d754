//! [`StreamingSession`]: one logical stream of audio, carried by one or more
//! server sessions. One thread, one socket: reads wait at most until the
//! next chunk is due, so audio goes out on time and messages come in as
//! soon as they arrive (tungstenite's socket cannot be split, and a reader
//! thread holding a lock would starve the writer).

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use super::audio::{Audio, Format};
use super::client::{Auth, StreamingClient, StreamingOptions};
use super::close::{self, Verdict};
use super::events::{self, Begin, Incoming, StreamEvent, Termination, TurnTracker};
use super::transport::{Endpoint, Fault, Handshake, Socket};
use super::{StreamingParams, UpdateConfiguration};
use crate::{Error, Result};

/// How often the loop looks at the audio source and the stop flag while
/// nothing else is due.
const POLL: Duration = Duration::from_millis(20);

/// A session that lived this long is healthy: the reconnection count starts again.
const HEALTHY_AFTER: Duration = Duration::from_secs(30);

/// How long after an `Error` frame the close it announces may take.
const ERROR_CLOSE_WAIT: Duration = Duration::from_secs(2);

const KEEP_ALIVE: &str = r#"{"type":"KeepAlive"}"#;

/// What one server session was: the id, what it was sent, and how it ended.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionRecord {
    /// The session id from `Begin`.
    pub id: String,
    /// Audio sent to it (padding of the last chunk included).
    pub audio_sent: Duration,
    /// How long it was open, by this client's clock.
    pub elapsed: Duration,
    /// The server's `Termination`, when the session ended with one.
    pub termination: Option<Termination>,
    /// Why it ended without one (a close code and reason, a network error).
    pub ended_by: Option<String>,
}

/// What a whole stream cost: one record per server session (more than one
/// after reconnections, each billed).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Summary {
    /// The sessions, in order.
    pub sessions: Vec<SessionRecord>,
}

impl Summary {
    /// The billed time: the server's `session_duration_seconds` of each
    /// session, or this client's measure where the server gave none.
    pub fn session_duration(&self) -> Duration {
        self.total(|t| t.session_duration_seconds, |s| s.elapsed)
    }

    /// The audio the server received, by its count where it gave one.
    pub fn audio_duration(&self) -> Duration {
        self.total(|t| t.audio_duration_seconds, |s| s.audio_sent)
    }

    /// The sum over sessions of the server's figure, or ours where it gave none.
    fn total(
        &self,
        server: impl Fn(&Termination) -> Option<f64>,
        ours: impl Fn(&SessionRecord) -> Duration,
    ) -> Duration {
        self.sessions
            .iter()
            .map(|s| {
                s.termination
                    .as_ref()
                    .and_then(&server)
                    .and_then(crate::duration::from_server_seconds)
                    .unwrap_or_else(|| ours(s))
            })
            .sum()
    }

    /// Whether the last session ended with the server's `Termination`, so
    /// no turn can be missing at the end.
    pub fn terminated(&self) -> bool {
        self.sessions
            .last()
            .is_some_and(|s| s.termination.is_some())
    }
}

/// How to open a connection again, kept for reconnections.
struct Connector {
    endpoint: Endpoint,
    query: String,
    authorization: Option<String>,
    secrets: Vec<String>,
    options: StreamingOptions,
}

impl Connector {
    /// One attempt: handshake, then wait for `Begin`.
    fn open_once(&self) -> Result<(Socket, Begin)> {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        let mut socket = Socket::open(
            &self.endpoint,
            &Handshake {
                query: &self.query,
                authorization: self.authorization.as_deref(),
                user_agent: &self.options.user_agent,
                timeout: self.options.connect_timeout,
                secrets: &secrets,
            },
        )?;
        let deadline = Instant::now() + self.options.begin_timeout;
        let mut error_frame = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                socket.abort();
                return Err(Error::WebSocket {
                    context: format!(
                        "no Begin message from {} within {} of connecting",
                        self.endpoint.url,
                        crate::duration::human(self.options.begin_timeout)
                    ),
                    source: io::Error::from(io::ErrorKind::TimedOut).into(),
                    session_id: None,
                });
            }
            match socket.read(left) {
                Ok(Some(text)) => match events::parse(&text) {
                    Incoming::Begin(begin) => return Ok((socket, begin)),
                    Incoming::Error { message, .. } => error_frame = Some(message),
                    _ => {}
                },
                Ok(None) => {}
                Err(Fault::Closed { code, reason }) => {
                    let reason = self.redact(error_frame.unwrap_or(reason));
                    return Err(Error::StreamClosed {
                        retryable: close::classify(code, &reason) == Verdict::Retry,
                        code,
                        reason,
                        session_id: None,
                    });
                }
                Err(Fault::Dropped(source)) => {
                    return Err(Error::WebSocket {
                        context: format!(
                            "the connection to {} dropped before the session began",
                            self.endpoint.url
                        ),
                        source,
                        session_id: None,
                    });
                }
            }
        }
    }

    /// Removes the key and token from text the server sent.
    fn redact(&self, mut text: String) -> String {
        for secret in &self.secrets {
            text = crate::reply::redact(&text, secret);
        }
        text
    }
}

/// Where the stream is in its life.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Audio may still be sent.
    Streaming,
    /// `Terminate` was sent; reading until `Termination` or the deadline.
    Terminating { deadline: Instant },
    /// Over.
    Done,
}

/// A live transcription: audio in, [`StreamEvent`]s out, on the caller's
/// thread, without an async runtime.
///
/// Made by [`StreamingClient::connect`]. Audio goes in through
/// [`send_audio`](Self::send_audio) (paced at real time: the call returns
/// once the audio is sent or buffered) or all at once from a reader with
/// [`stream`](Self::stream). Events come out of [`next_event`](Self::next_event)
/// and [`events`](Self::events), or the callback of `stream`.
///
/// A retryable fault (a server error close, expiry, a dropped connection)
/// opens a new session and sends again the audio not yet finalized, with a
/// [`StreamEvent::Restarted`]; a fatal one (credentials, a bad parameter,
/// pacing) is an error. Dropping a session that was not terminated sends
/// `Terminate`, so it is never left open and billed.
pub struct StreamingSession {
    connector: Connector,
    socket: Option<Socket>,
    begin: Begin,
    opened: Instant,
    audio: Audio,
    tracker: TurnTracker,
    queue: VecDeque<StreamEvent>,
    phase: Phase,
    /// No more audio will be given.
    source_done: bool,
    sessions: Vec<SessionRecord>,
    /// The `Error` frame's text, which explains the close that follows,
    /// its code, and when it came.
    error_frame: Option<(String, Option<u16>, Instant)>,
    /// Failed connections and sessions in a row.
    failures: u32,
    /// `UpdateConfiguration` messages sent, replayed to a new session.
    updates: Vec<String>,
    keepalive: Option<Duration>,
    last_sent: Instant,
}

impl StreamingSession {
    pub(crate) fn open(
        client: &StreamingClient,
        endpoint: Endpoint,
        params: &StreamingParams,
    ) -> Result<StreamingSession> {
        let mut query = params.query();
        let (authorization, secret) = match &client.auth {
            Auth::Key(key) => (Some(key.clone()), key.clone()),
            Auth::Token(token) => {
                query.push_str(&format!("&token={}", crate::request::encode_query(token)));
                (None, token.clone())
            }
        };
        let connector = Connector {
            endpoint,
            query,
            authorization,
            secrets: vec![secret],
            options: client.options.clone(),
        };
        // Raw samples are chunked and paced here; compressed audio goes as
        // it comes (see `Audio::passthrough`).
        let audio = match Format::raw(params.sample_rate, &params.encoding) {
            Some(format) => Audio::new(
                format,
                client.options.chunk,
                client.options.max_unacknowledged,
            ),
            None => Audio::passthrough(),
        };
        let mut failures = 0;
        let (socket, begin) = loop {
            match connector.open_once() {
                Ok(opened) => break opened,
                Err(error) => {
                    failures += 1;
                    let delay = error
                        .is_retryable()
                        .then(|| connector.options.reconnect.delay_after(failures, &error))
                        .flatten();
                    match delay {
                        Some(delay) => thread::sleep(delay),
                        None => return Err(error),
                    }
                }
            }
        };
        let mut session = StreamingSession {
            connector,
            socket: Some(socket),
            begin: begin.clone(),
            opened: Instant::now(),
            audio,
            tracker: TurnTracker::new(params.format_turns == Some(true)),
            queue: VecDeque::from([StreamEvent::Begin(begin)]),
            phase: Phase::Streaming,
            source_done: false,
            sessions: Vec::new(),
            error_frame: None,
            failures: 0,
            updates: Vec::new(),
            // Half the timeout leaves room for a slow network.
            keepalive: params
                .inactivity_timeout
                .map(|secs| Duration::from_secs(u64::from(secs)) / 2),
            last_sent: Instant::now(),
        };
        session.audio.begin_session();
        // Unknown parameters are ignored silently by the server; the model
        // it applied is the one check of the settings it offers. Asked for
        // none, any model is the server's to choose.
        let asked = params.speech_model.as_ref().map(|m| m.as_str());
        if let (Some(asked), Some(applied)) = (asked, session.begin.model()) {
            if applied != asked {
                session.queue.push_back(StreamEvent::Warning {
                    code: None,
                    message: format!(
                        "the server runs this session on {applied}, not the {asked} asked for"
                    ),
                });
            }
        }
        Ok(session)
    }

    /// The current server session's id.
    pub fn session_id(&self) -> &str {
        &self.begin.id
    }

    /// The current server session's `Begin`.
    pub fn begin(&self) -> &Begin {
        &self.begin
    }

    /// Sends audio: raw mono samples in the session's encoding and rate.
    /// Whole chunks go out at real-time pace (the call sleeps as needed,
    /// reading the server's messages meanwhile); a remainder shorter than a
    /// chunk waits for more audio or [`terminate`](Self::terminate).
    ///
    /// # Errors
    ///
    /// A fatal close ([`Error::StreamClosed`]) or a fault the reconnections
    /// could not get past; the session is over then.
    pub fn send_audio(&mut self, audio: &[u8]) -> Result<()> {
        self.check_open()?;
        self.audio.push(audio);
        while self.phase == Phase::Streaming && self.audio.has_full_chunk() {
            self.send_due_chunk(true)?;
        }
        Ok(())
    }

    /// Ends the current turn now (`ForceEndpoint`): its final follows.
    ///
    /// # Errors
    ///
    /// As [`send_audio`](Self::send_audio).
    pub fn force_endpoint(&mut self) -> Result<()> {
        self.send_control(r#"{"type":"ForceEndpoint"}"#.to_owned())
    }

    /// Changes settings mid-session (`UpdateConfiguration`); a session opened
    /// after a fault gets them too.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a value out of range; otherwise as
    /// [`send_audio`](Self::send_audio).
    pub fn update_configuration(&mut self, update: &UpdateConfiguration) -> Result<()> {
        update.validate()?;
        let message = update.to_json();
        self.updates.push(message.clone());
        self.send_control(message)
    }

    /// Resets the server's inactivity timer (`KeepAlive`). The session
    /// sends it by itself during gaps when `inactivity_timeout` is set.
    ///
    /// # Errors
    ///
    /// As [`send_audio`](Self::send_audio).
    pub fn keep_alive(&mut self) -> Result<()> {
        self.send_control(KEEP_ALIVE.to_owned())
    }

    /// The next event, waiting up to `wait` for one (audio due meanwhile is
    /// not sent: this only reads). `None` when none came in time, or the
    /// stream is over and every event was taken.
    ///
    /// # Errors
    ///
    /// As [`send_audio`](Self::send_audio).
    pub fn next_event(&mut self, wait: Duration) -> Result<Option<StreamEvent>> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(event) = self.queue.pop_front() {
                return Ok(Some(event));
            }
            if self.phase == Phase::Done || Instant::now() >= deadline {
                return Ok(None);
            }
            self.step(deadline)?;
        }
    }

    /// The events received so far, without waiting.
    pub fn events(&mut self) -> std::collections::vec_deque::Drain<'_, StreamEvent> {
        self.queue.drain(..)
    }

    /// Ends the stream: sends the audio still buffered (the last chunk padded
    /// to 50 ms), then `Terminate`, then reads until the server's
    /// `Termination` (at most [`StreamingOptions::termination_timeout`]), so
    /// the last turn is not lost. The events stay available from
    /// [`events`](Self::events).
    ///
    /// # Errors
    ///
    /// As [`send_audio`](Self::send_audio).
    pub fn terminate(&mut self) -> Result<Summary> {
        self.source_done = true;
        while self.phase != Phase::Done {
            self.advance()?;
        }
        Ok(self.summary())
    }

    /// Streams all of `audio` (raw samples) at real time, reporting each
    /// event to `on_event` as it arrives, then terminates as
    /// [`terminate`](Self::terminate) does. When `stop` becomes true (a
    /// Ctrl-C handler can set it), the audio not yet sent is dropped and the
    /// session terminates the same way: every final the server sends is
    /// still reported.
    ///
    /// `audio` is read on a thread of its own, so a slow source (a pipe, a
    /// microphone) never delays a message.
    ///
    /// # Errors
    ///
    /// As [`send_audio`](Self::send_audio), and [`Error::Io`] when reading
    /// the audio fails (after the session was terminated cleanly).
    pub fn stream<R: Read + Send + 'static>(
        &mut self,
        mut audio: R,
        stop: &AtomicBool,
        mut on_event: impl FnMut(StreamEvent),
    ) -> Result<Summary> {
        self.check_open()?;
        // Reads of up to a second: a file is handed over in few pieces (each
        // a thread wake-up), and a pipe's read returns what it has at once.
        let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(2);
        let block = self.audio.read_block();
        // Detached: a reader blocked on a pipe must not hold up the end. It
        // stops at the next read once the receiver is gone.
        thread::spawn(move || {
            loop {
                let mut buf = vec![0; block];
                match audio.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        if tx.send(Ok(buf)).is_err() {
                            break;
                        }
                    }
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                    Err(err) => {
                        let _ = tx.send(Err(err));
                        break;
                    }
                }
            }
        });
        let mut read_error = None;
        let mut source_open = true;
        loop {
            while let Some(event) = self.queue.pop_front() {
                on_event(event);
            }
            if self.phase == Phase::Done {
                break;
            }
            if stop.load(Ordering::Relaxed) && !self.source_done {
                self.audio.discard_pending();
                self.source_done = true;
            }
            while source_open && !self.source_done && !self.audio.has_full_chunk() {
                match rx.try_recv() {
                    Ok(Ok(bytes)) => self.audio.push(&bytes),
                    Ok(Err(err)) => {
                        read_error = Some(err);
                        source_open = false;
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => source_open = false,
                }
            }
            if !source_open {
                self.source_done = true;
            }
            if let Err(error) = self.advance() {
                // What came before the failure is reported first.
                while let Some(event) = self.queue.pop_front() {
                    on_event(event);
                }
                return Err(error);
            }
        }
        match read_error {
            Some(err) => Err(Error::io("cannot read the audio", err)),
            None => Ok(self.summary()),
        }
    }

    /// One move towards the end: send a due chunk, `Terminate` once the
    /// audio is out, or read for a while.
    fn advance(&mut self) -> Result<()> {
        match self.phase {
            Phase::Streaming => {
                let ready =
                    self.audio.has_full_chunk() || (self.source_done && self.audio.has_pending());
                if ready {
                    if Instant::now() >= self.audio.due() {
                        return self.send_due_chunk(false);
                    }
                    let until = self.audio.due().min(Instant::now() + POLL);
                    return self.step(until);
                }
                if self.source_done {
                    return self.send_terminate();
                }
                self.step(Instant::now() + POLL)
            }
            Phase::Terminating { deadline } => {
                if Instant::now() >= deadline {
                    self.end_session(
                        None,
                        Some(format!(
                            "no Termination within {} of Terminate",
                            crate::duration::human(self.connector.options.termination_timeout)
                        )),
                    );
                    self.phase = Phase::Done;
                    return Ok(());
                }
                self.step(deadline.min(Instant::now() + POLL))
            }
            Phase::Done => Ok(()),
        }
    }

    /// Sends the next chunk, first waiting (and reading) until it is due
    /// when `wait` is set.
    fn send_due_chunk(&mut self, wait: bool) -> Result<()> {
        while wait && Instant::now() < self.audio.due() && self.phase == Phase::Streaming {
            let due = self.audio.due();
            self.step(due)?;
        }
        if self.phase != Phase::Streaming {
            return Ok(());
        }
        let Some(chunk) = self.audio.next_chunk(self.source_done) else {
            return Ok(());
        };
        self.audio.mark_sent(&chunk);
        self.last_sent = Instant::now();
        let sent = self.socket_mut()?.send_binary(chunk);
        match sent {
            Ok(()) => Ok(()),
            Err(fault) => self.handle_fault(fault),
        }
    }

    fn send_terminate(&mut self) -> Result<()> {
        let deadline = Instant::now() + self.connector.options.termination_timeout;
        self.phase = Phase::Terminating { deadline };
        let sent = self.socket_mut()?.send_text(r#"{"type":"Terminate"}"#);
        match sent {
            Ok(()) => Ok(()),
            Err(fault) => self.handle_fault(fault),
        }
    }

    fn send_control(&mut self, message: String) -> Result<()> {
        self.check_open()?;
        self.send_text(&message)
    }

    fn send_text(&mut self, message: &str) -> Result<()> {
        self.last_sent = Instant::now();
        let sent = self.socket_mut()?.send_text(message);
        match sent {
            Ok(()) => Ok(()),
            Err(fault) => self.handle_fault(fault),
        }
    }

    /// Reads once, waiting until `until` at most, and handles what came.
    fn step(&mut self, until: Instant) -> Result<()> {
        let mut out = Vec::new();
        self.tracker.tick(&mut out);
        self.queue.extend(out);
        if let Some(interval) = self.keepalive {
            if self.last_sent.elapsed() >= interval && self.phase == Phase::Streaming {
                self.send_text(KEEP_ALIVE)?;
            }
        }
        // An `Error` frame announces a close; one that never comes is
        // taken as given (py-sdk closes locally too), so no session hangs.
        if let Some((_, code, at)) = &self.error_frame {
            if at.elapsed() >= ERROR_CLOSE_WAIT {
                let code = code.unwrap_or(3005);
                if let Some(socket) = &mut self.socket {
                    socket.abort();
                }
                return self.handle_fault(Fault::Closed {
                    code,
                    reason: String::new(),
                });
            }
        }
        let mut until = until;
        if let Some(held) = self.tracker.deadline() {
            until = until.min(held);
        }
        if let Some((_, _, at)) = &self.error_frame {
            until = until.min(*at + ERROR_CLOSE_WAIT);
        }
        let wait = until.saturating_duration_since(Instant::now());
        let read = self.socket_mut()?.read(wait);
        match read {
            Ok(Some(text)) => {
                self.handle_message(&text);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(fault) => self.handle_fault(fault),
        }
    }

    fn handle_message(&mut self, text: &str) {
        let mut out = Vec::new();
        match events::parse(text) {
            // A second Begin on one connection is not in the protocol.
            Incoming::Begin(_) => {}
            Incoming::Turn(turn) => {
                if turn.end_of_turn {
                    if let Some(end) = turn.audio_end_ms() {
                        self.audio.acknowledge(end);
                    }
                    if self.opened.elapsed() >= HEALTHY_AFTER || turn.audio_end_ms().is_some() {
                        self.failures = 0;
                    }
                }
                self.tracker.turn(turn, &mut out);
            }
            Incoming::Termination(termination) => {
                self.tracker.flush(&mut out);
                out.push(StreamEvent::Termination(termination.clone()));
                self.end_session(Some(termination), None);
                if let Some(socket) = &mut self.socket {
                    socket.close();
                }
                self.socket = None;
                self.phase = Phase::Done;
            }
            Incoming::Error { code, message } => {
                let message = self.connector.redact(message);
                self.error_frame = Some((message.clone(), code, Instant::now()));
                out.push(StreamEvent::ServerError { code, message });
            }
            // A warning is server text like an error: it may echo the key.
            Incoming::Event(StreamEvent::Warning { code, message }) => {
                out.push(StreamEvent::Warning {
                    code,
                    message: self.connector.redact(message),
                });
            }
            Incoming::Event(event) => out.push(event),
        }
        self.queue.extend(out);
    }

    /// The connection ended: finish normally, open a new session, or fail.
    fn handle_fault(&mut self, fault: Fault) -> Result<()> {
        let (code, reason, verdict, source) = match fault {
            Fault::Closed { code, reason } => {
                let reason = self
                    .connector
                    .redact(self.error_frame.take().map_or(reason, |(text, ..)| text));
                let mut verdict = close::classify(code, &reason);
                // A normal close before `Terminate` still leaves audio to
                // send: a new session takes it.
                if verdict == Verdict::Done && self.phase == Phase::Streaming {
                    verdict = Verdict::Retry;
                }
                (code, reason, verdict, None)
            }
            Fault::Dropped(source) => {
                let reason = format!("the connection dropped: {source}");
                (close::DROPPED, reason, Verdict::Retry, Some(source))
            }
        };
        let why = format!("code {code} ({}): {reason}", close::meaning(code));
        if verdict == Verdict::Done {
            // Closed after `Terminate` without a `Termination`.
            self.end_session(None, Some(why));
            self.phase = Phase::Done;
            return Ok(());
        }
        let session_id = Some(self.begin.id.clone());
        let error = match source {
            Some(source) => Error::WebSocket {
                context: format!(
                    "the streaming connection to {} dropped",
                    self.connector.endpoint.url
                ),
                source,
                session_id,
            },
            None => Error::StreamClosed {
                code,
                reason,
                session_id,
                retryable: verdict == Verdict::Retry,
            },
        };
        self.end_session(None, Some(why.clone()));
        if let Some(mut socket) = self.socket.take() {
            socket.abort();
        }
        let mut out = Vec::new();
        self.tracker.restart(&mut out);
        self.queue.extend(out);
        if verdict == Verdict::Fatal {
            self.phase = Phase::Done;
            return Err(error);
        }
        // A session that lived long was healthy, finals or not (silence):
        // its end starts a new count, so rare faults never add up to an error.
        if self.opened.elapsed() >= HEALTHY_AFTER {
            self.failures = 0;
        }
        self.reconnect(error, why)
    }

    /// Opens a new session after a retryable fault, within the policy.
    fn reconnect(&mut self, mut error: Error, why: String) -> Result<()> {
        let previous = self.begin.id.clone();
        let (socket, begin) = loop {
            self.failures += 1;
            let Some(delay) = self
                .connector
                .options
                .reconnect
                .delay_after(self.failures, &error)
            else {
                self.phase = Phase::Done;
                return Err(error);
            };
            thread::sleep(delay);
            match self.connector.open_once() {
                Ok(opened) => break opened,
                Err(next) if next.is_retryable() => error = next,
                Err(fatal) => {
                    self.phase = Phase::Done;
                    return Err(fatal);
                }
            }
        };
        let (audio_offset, audio_lost) = self.audio.restart();
        self.socket = Some(socket);
        self.begin = begin.clone();
        self.opened = Instant::now();
        self.error_frame = None;
        self.queue.push_back(StreamEvent::Restarted {
            begin,
            previous_session_id: previous,
            reason: why,
            audio_offset,
            audio_lost,
        });
        // Audio still to send (or resend) goes before `Terminate` again.
        self.phase = Phase::Streaming;
        for update in self.updates.clone() {
            let sent = self.socket_mut()?.send_text(&update);
            if let Err(fault) = sent {
                return self.handle_fault(fault);
            }
        }
        Ok(())
    }

    /// Records the current server session as over.
    fn end_session(&mut self, termination: Option<Termination>, ended_by: Option<String>) {
        if self.sessions.last().is_some_and(|s| s.id == self.begin.id) {
            return;
        }
        self.sessions.push(SessionRecord {
            id: self.begin.id.clone(),
            audio_sent: self.audio.session_audio(),
            elapsed: self.opened.elapsed(),
            termination,
            ended_by,
        });
    }

    fn summary(&self) -> Summary {
        Summary {
            sessions: self.sessions.clone(),
        }
    }

    fn check_open(&self) -> Result<()> {
        if self.phase == Phase::Streaming && self.source_done {
            return Err(Error::invalid_input(
                "the stream was terminated: no more audio can be sent",
            ));
        }
        match self.phase {
            Phase::Streaming => Ok(()),
            _ => Err(Error::invalid_input("the streaming session is over")),
        }
    }

    fn socket_mut(&mut self) -> Result<&mut Socket> {
        self.socket
            .as_mut()
            .ok_or_else(|| Error::invalid_input("the streaming session is over"))
    }
}

impl std::fmt::Debug for StreamingSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingSession")
            .field("url", &self.connector.endpoint.url)
            .field("session_id", &self.begin.id)
            .field("phase", &self.phase)
            .field("sessions", &self.sessions.len())
            .finish_non_exhaustive()
    }
}

impl Drop for StreamingSession {
    /// A session left open is billed until the server's 3-hour cap: say
    /// `Terminate` and wait (briefly) for the answer. No reconnection here.
    fn drop(&mut self) {
        if self.phase == Phase::Done {
            return;
        }
        let Some(socket) = &mut self.socket else {
            return;
        };
        if matches!(self.phase, Phase::Streaming) {
            let _ = socket.send_text(r#"{"type":"Terminate"}"#);
        }
        let deadline = Instant::now() + self.connector.options.termination_timeout;
        while Instant::now() < deadline {
            match socket.read(deadline.saturating_duration_since(Instant::now())) {
                Ok(Some(text)) if matches!(events::parse(&text), Incoming::Termination(_)) => break,
                Ok(_) => {}
                Err(_) => return,
            }
        }
        socket.close();
    }
}
