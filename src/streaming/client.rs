//! [`StreamingClient`]: where to connect, with which credentials, and the
//! client-side knobs of a session ([`StreamingOptions`]).

use std::fmt;
use std::time::Duration;

use super::session::StreamingSession;
use super::transport::Endpoint;
use super::{StreamingParams, audio};
use crate::{Client, Error, Region, Result, RetryPolicy, Service};

/// The WebSocket path on the streaming host, the same in every region.
const WEBSOCKET_PATH: &str = "/v3/ws";

impl Region {
    /// The region's streaming (v3 WebSocket) endpoint; the host comes from
    /// [`Service::Streaming`], the one table of hosts.
    ///
    /// ```
    /// use assemblyai::Region;
    ///
    /// assert_eq!(Region::Eu.streaming_url(), "wss://streaming.eu.assemblyai.com/v3/ws");
    /// ```
    pub fn streaming_url(self) -> String {
        format!("{}{WEBSOCKET_PATH}", Service::Streaming.url_in(self))
    }
}

/// How a session proves who it is.
#[derive(Clone)]
pub(crate) enum Auth {
    /// The API key, in the `Authorization` header.
    Key(String),
    /// A temporary token from [`StreamingClient::create_token`], in the
    /// `token` query parameter (the documented way; browsers can't set headers).
    Token(String),
}

/// Client-side settings of a streaming session; each says its default.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamingOptions {
    /// The longest wait for TCP, TLS and the WebSocket handshake. Defaults to 10 s.
    pub connect_timeout: Duration,
    /// The longest wait for `Begin` once connected. Defaults to 10 s.
    pub begin_timeout: Duration,
    /// The longest wait for `Termination` after `Terminate`. Defaults to 5 s.
    pub termination_timeout: Duration,
    /// The audio in each message, 50 to 1000 ms. Defaults to 100 ms.
    pub chunk: Duration,
    /// How many times a session is opened in a row before giving up, with
    /// backoff between them: on a retryable handshake failure or close, and
    /// on a dropped connection. The count starts again once a session has
    /// finalized a turn. Defaults to 4 attempts, backing off from 250 ms:
    /// a live stream should not wait long.
    pub reconnect: RetryPolicy,
    /// The most audio kept to send again to a new session after a fault:
    /// audio sent since the end of the last final turn. Defaults to 60 s.
    pub max_unacknowledged: Duration,
    /// The `User-Agent` header. Defaults to `assemblyai-rust/<version>`.
    pub user_agent: String,
}

impl Default for StreamingOptions {
    fn default() -> Self {
        StreamingOptions {
            connect_timeout: Duration::from_secs(10),
            begin_timeout: Duration::from_secs(10),
            termination_timeout: Duration::from_secs(5),
            chunk: Duration::from_millis(100),
            reconnect: RetryPolicy::default()
                .max_attempts(4)
                .initial_backoff(Duration::from_millis(250)),
            max_unacknowledged: Duration::from_secs(60),
            user_agent: concat!("assemblyai-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl StreamingOptions {
    /// Sets [`connect_timeout`](Self::connect_timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`begin_timeout`](Self::begin_timeout).
    pub fn begin_timeout(mut self, timeout: Duration) -> Self {
        self.begin_timeout = timeout;
        self
    }

    /// Sets [`termination_timeout`](Self::termination_timeout).
    pub fn termination_timeout(mut self, timeout: Duration) -> Self {
        self.termination_timeout = timeout;
        self
    }

    /// Sets [`chunk`](Self::chunk).
    pub fn chunk(mut self, chunk: Duration) -> Self {
        self.chunk = chunk;
        self
    }

    /// Sets [`reconnect`](Self::reconnect).
    pub fn reconnect(mut self, policy: RetryPolicy) -> Self {
        self.reconnect = policy;
        self
    }

    /// Sets [`max_unacknowledged`](Self::max_unacknowledged).
    pub fn max_unacknowledged(mut self, limit: Duration) -> Self {
        self.max_unacknowledged = limit;
        self
    }

    /// Sets [`user_agent`](Self::user_agent).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    fn check(&self) -> Result<()> {
        if !(audio::MIN_CHUNK..=audio::MAX_CHUNK).contains(&self.chunk) {
            return Err(Error::invalid_input(format!(
                "chunk {} is out of range: the server accepts 50 to 1000 ms of audio per message",
                crate::duration::human(self.chunk)
            )));
        }
        Ok(())
    }
}

/// A temporary token for one streaming session, from `GET /v3/token`.
#[derive(Debug, Clone, serde::Deserialize)]
#[non_exhaustive]
pub struct StreamingToken {
    /// The token: pass it to [`StreamingClient::with_token`], or to a browser.
    pub token: crate::Secret,
    /// How long it can be used to start a session, as the server granted.
    #[serde(default)]
    pub expires_in_seconds: Option<u64>,
}

/// Opens streaming sessions and mints temporary tokens.
///
/// ```no_run
/// use assemblyai::Client;
/// use assemblyai::streaming::StreamingParams;
///
/// let streaming = Client::from_env()?.streaming();
/// let mut session = streaming.connect(&StreamingParams::new(16_000))?;
/// session.send_audio(&[0u8; 3200])?; // 100 ms of silence
/// let summary = session.terminate()?;
/// for event in session.events() {
///     println!("{event:?}");
/// }
/// println!("billed: {:?}", summary.session_duration());
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[derive(Clone)]
pub struct StreamingClient {
    pub(crate) auth: Auth,
    pub(crate) url: String,
    /// The REST client whose key mints tokens; `None` with a token.
    rest: Option<Client>,
    pub(crate) options: StreamingOptions,
}

impl fmt::Debug for StreamingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingClient")
            .field("url", &self.url)
            .field("credentials", &"<redacted>")
            .field("options", &self.options)
            .finish()
    }
}

impl Client {
    /// A streaming client with this client's key, for the streaming host
    /// [`Client::service_url`] gives: the region's, or, when the base URL is
    /// not AssemblyAI's (the emulator, a proxy), that host itself (`ws://`
    /// for `http://`), so one `ASSEMBLYAI_BASE_URL` reaches every API.
    pub fn streaming(&self) -> StreamingClient {
        StreamingClient {
            auth: Auth::Key(self.shared.key.clone()),
            url: format!("{}{WEBSOCKET_PATH}", self.service_url(Service::Streaming)),
            rest: Some(self.clone()),
            options: StreamingOptions::default(),
        }
    }
}

impl StreamingClient {
    /// A streaming client with an API key, for the default (US) host.
    pub fn new(api_key: impl Into<String>) -> Self {
        Client::new(api_key).streaming()
    }

    /// A streaming client with a temporary token instead of the key: what an
    /// app hands to a device it doesn't trust with the key. A token opens
    /// one session and cannot mint tokens.
    pub fn with_token(token: impl Into<String>) -> Self {
        StreamingClient {
            auth: Auth::Token(token.into()),
            url: Region::Us.streaming_url(),
            rest: None,
            options: StreamingOptions::default(),
        }
    }

    /// The WebSocket URL. Defaults to the region's; `wss://`, or `ws://` to
    /// a loopback address (a local test server). Checked by [`connect`](Self::connect).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Shortcut for [`url`](Self::url) with a region's endpoint.
    pub fn region(self, region: Region) -> Self {
        self.url(region.streaming_url())
    }

    /// The client-side settings. Defaults to [`StreamingOptions::default`].
    pub fn options(mut self, options: StreamingOptions) -> Self {
        self.options = options;
        self
    }

    /// The WebSocket URL sessions connect to.
    pub fn streaming_url(&self) -> &str {
        &self.url
    }

    /// Opens a session: connects, and waits for the server's `Begin`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad parameter or URL (nothing sent);
    /// [`Error::Api`] when the handshake is refused (401: the key or token);
    /// [`Error::StreamClosed`] when the server closes before `Begin`;
    /// [`Error::WebSocket`] when the network fails, each after the retries
    /// that [`StreamingOptions::reconnect`] allows for retryable failures.
    pub fn connect(&self, params: &StreamingParams) -> Result<StreamingSession> {
        params.validate()?;
        self.options.check()?;
        if let Auth::Key(key) = &self.auth {
            crate::client::check_api_key(key)?;
        }
        let endpoint = Endpoint::parse(&self.url)?;
        StreamingSession::open(self, endpoint, params)
    }

    /// Mints a temporary token (`GET /v3/token` on the streaming host): it
    /// can start one session within `expires_in` (1 s to 10 min), and caps
    /// that session at `max_session` (1 min to 3 h; the server's default is 3 h).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for durations out of range or a client made
    /// [`with_token`](Self::with_token); otherwise as any request
    /// ([`Error::Api`], [`Error::Http`], ...).
    pub fn create_token(
        &self,
        expires_in: Duration,
        max_session: Option<Duration>,
    ) -> Result<StreamingToken> {
        let Some(rest) = &self.rest else {
            return Err(Error::invalid_input(
                "a temporary token cannot mint tokens: use a client with the API key",
            ));
        };
        let expires = expires_in.as_secs();
        if !(1..=600).contains(&expires) || expires_in.subsec_nanos() != 0 {
            return Err(Error::invalid_input(format!(
                "expires_in_seconds {} is out of range: 1 to 600 whole seconds",
                crate::duration::human(expires_in)
            )));
        }
        let mut path = format!("/v3/token?expires_in_seconds={expires}");
        if let Some(max) = max_session {
            let seconds = max.as_secs();
            if !(60..=10_800).contains(&seconds) || max.subsec_nanos() != 0 {
                return Err(Error::invalid_input(format!(
                    "max_session_duration_seconds {} is out of range: 60 to 10800 whole seconds",
                    crate::duration::human(max)
                )));
            }
            path.push_str(&format!("&max_session_duration_seconds={seconds}"));
        }
        let origin = Endpoint::parse(&self.url)?.http_origin();
        let rest = rest.rebased(origin)?;
        // A token has no raw JSON to keep: decoded as is.
        let reply = rest.fetch(crate::request::Call::get(path))?;
        rest.decode(&reply)
    }
}
