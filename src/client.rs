//! The client: configuration, credentials and the HTTP agent every endpoint shares.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::deadline::Deadline;
use crate::event::{Event, Observer};
use crate::{Error, RateLimiter, Result, RetryPolicy};

/// The US endpoint, AssemblyAI's default.
const US_BASE_URL: &str = "https://api.assemblyai.com";
/// The EU endpoint: data stays in the EU.
const EU_BASE_URL: &str = "https://api.eu.assemblyai.com";

/// Environment variables holding the key, in the order they are read.
const KEY_VARIABLES: [&str; 2] = ["ASSEMBLYAI_API_KEY", "ASSEMBLYAI_KEY"];
/// Environment variable overriding the API host.
const BASE_URL_VARIABLE: &str = "ASSEMBLYAI_BASE_URL";

/// Where AssemblyAI keeps and processes the data.
///
/// A transcript created in one region can only be read through that region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Region {
    /// `https://api.assemblyai.com`, the default.
    Us,
    /// `https://api.eu.assemblyai.com`: data residency in the EU.
    Eu,
}

impl Region {
    /// The base URL of the region's API.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => US_BASE_URL,
            Region::Eu => EU_BASE_URL,
        }
    }
}

/// A blocking client for AssemblyAI's speech-to-text API.
///
/// Cheap to clone (the connection pool and settings are shared), `Send` and
/// `Sync`, so one client can serve many threads. Its `Debug` output never
/// shows the API key.
///
/// ```no_run
/// use assemblyai::{Client, TranscriptRequest, WaitOptions};
///
/// let client = Client::from_env()?;
/// let transcript = client.transcribe(
///     "meeting.mp3",
///     &TranscriptRequest::default(),
///     &WaitOptions::default(),
/// )?;
/// println!("{}", transcript.text.unwrap_or_default());
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) shared: Arc<Shared>,
    observer: Option<Observer>,
    /// The end of every call of this clone, set by [`Client::with_timeout`].
    pub(crate) deadline: Deadline,
}

/// What every clone of a client shares.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) agent: ureq::Agent,
    pub(crate) key: String,
    pub(crate) base_url: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) keep_raw_json: bool,
    pub(crate) max_reply_bytes: u64,
    /// The request budget every request waits on, when one was given.
    pub(crate) limiter: Option<RateLimiter>,
    /// The LLM Gateway's per-model budgets, shared by every clone.
    pub(crate) model_limits: Arc<crate::llm::ModelLimits>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("api_key", &"<redacted>")
            .field("retry", &self.shared.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the US endpoint with default settings.
    ///
    /// ```
    /// let client = assemblyai::Client::new("my-key");
    /// assert!(!format!("{client:?}").contains("my-key"));
    /// ```
    ///
    /// An empty or malformed key is reported by the first request, as
    /// [`Error::MissingApiKey`] or [`Error::InvalidApiKey`].
    pub fn new(api_key: impl Into<String>) -> Client {
        // The default base URL is valid, so only the key is left unchecked.
        ClientBuilder::new(api_key.into()).assemble()
    }

    /// A client configured from the environment: the key from
    /// `ASSEMBLYAI_API_KEY` (or `ASSEMBLYAI_KEY`), and the host from
    /// `ASSEMBLYAI_BASE_URL` when set.
    ///
    /// # Errors
    ///
    /// [`Error::MissingApiKey`] when neither variable is set, and
    /// [`Error::InvalidInput`] when `ASSEMBLYAI_BASE_URL` is not acceptable
    /// (see [`ClientBuilder::base_url`]).
    pub fn from_env() -> Result<Client> {
        Client::builder_from_env().build()
    }

    /// A builder preset from the environment like [`Client::from_env`], for
    /// callers that want to change more settings. A missing key is reported
    /// by [`ClientBuilder::build`], so [`ClientBuilder::api_key`] can still
    /// supply one.
    pub fn builder_from_env() -> ClientBuilder {
        let key = KEY_VARIABLES
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .map(|key| key.trim().to_owned())
            .find(|key| !key.is_empty())
            .unwrap_or_default();
        let mut builder = ClientBuilder::new(key);
        if let Some(url) = std::env::var(BASE_URL_VARIABLE)
            .ok()
            .filter(|url| !url.is_empty())
        {
            builder = builder.base_url(url);
        }
        builder
    }

    /// A builder to set the host, timeouts, retries and user agent.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(api_key.into())
    }

    /// The base URL requests go to, e.g. `https://api.assemblyai.com`.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// A clone of this client that reports what it does to `observer`: upload
    /// progress, the id of a created transcript, status changes while waiting,
    /// and retries. The original client is unchanged.
    ///
    /// ```no_run
    /// use assemblyai::{Client, Event, WaitOptions};
    ///
    /// let client = Client::from_env()?.with_observer(|event: &Event| match event {
    ///     Event::Created { transcript } => eprintln!("created {}", transcript.id),
    ///     Event::StatusChanged { transcript } => eprintln!("{}", transcript.status),
    ///     _ => {}
    /// });
    /// let done = client.wait_for_transcript("5551722-f677-48a6-9287-39c0aafd9ac1", &WaitOptions::default())?;
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    pub fn with_observer(&self, observer: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            observer: Some(Arc::new(observer)),
            deadline: self.deadline,
        }
    }

    /// The same client (key, agent, retries, observer) for another host: the
    /// streaming host, whose token endpoint is not on the REST host.
    #[cfg(feature = "streaming")]
    pub(crate) fn rebased(&self, base_url: String) -> Result<Client> {
        check_base_url(&base_url)?;
        let shared = Shared {
            agent: self.shared.agent.clone(),
            key: self.shared.key.clone(),
            base_url,
            retry: self.shared.retry.clone(),
            keep_raw_json: false,
            max_reply_bytes: self.shared.max_reply_bytes,
            limiter: self.shared.limiter.clone(),
            model_limits: Arc::clone(&self.shared.model_limits),
        };
        Ok(Client {
            shared: Arc::new(shared),
            observer: self.observer.clone(),
            deadline: self.deadline,
        })
    }

    /// A clone of this client whose requests all end within `limit` from
    /// now, retries and pauses included: one deadline for a sequence of
    /// calls, as a command line's `--timeout`. A request still running then
    /// fails with [`Error::Timeout`] (a create, with
    /// [`Error::MaybeCreated`] around it). The original client is unchanged.
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let client = assemblyai::Client::from_env()?.with_timeout(Duration::from_secs(30));
    /// let page = client.list_transcripts(&Default::default())?;
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    pub fn with_timeout(&self, limit: Duration) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            observer: self.observer.clone(),
            deadline: self.deadline.earliest(Deadline::after(Some(limit))),
        }
    }

    /// `deadline`, or this client's own if that ends first.
    pub(crate) fn bounded(&self, deadline: Deadline) -> Deadline {
        deadline.earliest(self.deadline)
    }

    /// A clone of this client whose requests all wait on `limiter`, a budget
    /// shared with every other client given it (see [`RateLimiter`]). The
    /// original client is unchanged.
    pub fn with_rate_limiter(&self, limiter: RateLimiter) -> Client {
        let mut shared = Shared::clone(&self.shared);
        shared.limiter = Some(limiter);
        Client {
            shared: Arc::new(shared),
            ..self.clone()
        }
    }

    /// A clone of this client with budgets of `requests` a minute per LLM
    /// Gateway model (see [`ClientBuilder::model_requests_per_minute`]), its
    /// own and shared by its clones: a shard of a batch takes its share.
    /// The original client is unchanged.
    pub fn with_model_requests_per_minute(&self, requests: f64) -> Client {
        let mut shared = Shared::clone(&self.shared);
        shared.model_limits = Arc::new(crate::llm::ModelLimits::new(requests));
        Client {
            shared: Arc::new(shared),
            ..self.clone()
        }
    }

    /// A clone of this client retrying as `policy` says (see
    /// [`ClientBuilder::retry`]). The original client is unchanged.
    pub fn with_retry(&self, policy: RetryPolicy) -> Client {
        let mut shared = Shared::clone(&self.shared);
        shared.retry = policy;
        Client {
            shared: Arc::new(shared),
            ..self.clone()
        }
    }

    /// Tells the observer, if any.
    pub(crate) fn emit(&self, event: Event<'_>) {
        if let Some(observer) = &self.observer {
            observer(&event);
        }
    }
}

/// Settings for a [`Client`]; every setter documents its default.
///
/// ```
/// use std::time::Duration;
/// use assemblyai::{Client, Region};
///
/// let client = Client::builder("my-key")
///     .region(Region::Eu)
///     .connect_timeout(Duration::from_secs(5))
///     .user_agent("my-app/1.0")
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.eu.assemblyai.com");
/// # Ok::<(), assemblyai::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    api_key: String,
    base_url: String,
    connect_timeout: Duration,
    response_timeout: Duration,
    idle_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    keep_raw_json: bool,
    max_reply_bytes: u64,
    body_timeout: Duration,
    limiter: Option<RateLimiter>,
    model_requests_per_minute: f64,
}

/// The default [`ClientBuilder::max_reply_bytes`]: 128 MiB.
///
/// What the longest real transcript needs, with a margin: ten hours of
/// speech at a fast 250 words a minute are 150,000 words; a transcript's
/// JSON takes about 181 bytes a word (a 100,000-word transcript with words
/// and utterances is 18.1 MB), so 27 MB; the options that repeat the text
/// (sentiment per sentence, entities, highlights, translations) at most
/// double it, to 54 MB. 128 MiB leaves more than twice that, while a
/// compression bomb stops at a size a 512 MiB container survives (a typed
/// parse takes about three times the reply).
pub const DEFAULT_MAX_REPLY_BYTES: u64 = 128 << 20;

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(api_key: String) -> Self {
        ClientBuilder {
            api_key,
            base_url: US_BASE_URL.to_owned(),
            connect_timeout: Duration::from_secs(10),
            response_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            user_agent: concat!("assemblyai-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            keep_raw_json: false,
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            body_timeout: Duration::from_secs(600),
            limiter: None,
            model_requests_per_minute: crate::llm::DOCUMENTED_MODEL_REQUESTS_PER_MINUTE,
        }
    }

    /// The API key, sent as is in the `Authorization` header. Defaults to the
    /// key given to [`Client::builder`], or found by [`Client::builder_from_env`].
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// The API's base URL. Defaults to `https://api.assemblyai.com`.
    ///
    /// It must be `https`, or plain `http` to a loopback address (a local test
    /// server): the key would otherwise cross the network in clear text.
    /// A trailing slash is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Shortcut for [`base_url`](Self::base_url) with a region's endpoint.
    /// Defaults to [`Region::Us`].
    pub fn region(self, region: Region) -> Self {
        self.base_url(region.base_url())
    }

    /// The longest wait for a connection (DNS, TCP and TLS). Defaults to 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest wait for the response headers once a request is sent.
    /// Defaults to 60 s.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// The longest pause in the middle of sending or receiving a body: a
    /// stall this long aborts the request. Defaults to 60 s. Besides, a file
    /// upload may take ten minutes plus a second per 16 KiB (a slow link
    /// is never cut; a server reading a byte a second is), and a reply body
    /// [`body_timeout`](Self::body_timeout).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// The longest time to receive a reply's body once its headers came.
    /// Defaults to 10 minutes: the longest transcripts are tens of MB, which
    /// even a slow link brings in a minute or two, while a server trickling a
    /// byte a second (which [`idle_timeout`](Self::idle_timeout) never
    /// notices) is cut off. Uploads are not limited by it.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// The most bytes of one reply the client reads, counted after
    /// decompression, so a gzip body that inflates a thousandfold can't fill
    /// the memory or the disk; a longer reply is an
    /// [`Error::InvalidResponse`]. Defaults to 128 MiB
    /// ([`DEFAULT_MAX_REPLY_BYTES`]), over twice the largest real
    /// transcript (ten hours of fast speech with every option make about
    /// 54 MB of JSON). The
    /// redacted audio download, a file of any size, is not limited by it.
    pub fn max_reply_bytes(mut self, bytes: u64) -> Self {
        self.max_reply_bytes = bytes;
        self
    }

    /// The `User-Agent` header. Defaults to `assemblyai-rust/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How failed requests are retried. Defaults to [`RetryPolicy::default`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Keep the JSON text of every reply parsed, available from its
    /// `raw_json()` ([`Transcript::raw_json`](crate::Transcript::raw_json),
    /// [`TranscriptList::raw_json`](crate::TranscriptList::raw_json) and each
    /// entry's, the exports', the upload's, the redacted audio's), to store or
    /// print it losslessly: fields this crate doesn't know, and values the
    /// types coerced or dropped, as sent. Defaults to `false`: the text can be
    /// as large as the parsed transcript.
    pub fn keep_raw_json(mut self, keep: bool) -> Self {
        self.keep_raw_json = keep;
        self
    }

    /// A request budget shared with every other client given the same
    /// limiter (clones share it): each request waits for its turn, and a 429
    /// seen by one slows them all. Defaults to none: requests go at once.
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The most LLM Gateway requests a minute this client sends to any one
    /// model (and to `/v1/understanding`), shared by every clone: the gateway
    /// refuses more than 30 a minute per model with 429, so the client waits
    /// its turn instead. Defaults to 30, the documented limit; runs sharing
    /// an account at once (the shards of a batch) each take a share, e.g.
    /// `30.0 / 4.0`. A higher limit AssemblyAI granted the account goes here.
    pub fn model_requests_per_minute(mut self, requests: f64) -> Self {
        self.model_requests_per_minute = requests;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::MissingApiKey`] when the key is empty, [`Error::InvalidApiKey`]
    /// when it is not a valid header value, [`Error::InvalidInput`] when the
    /// base URL is not `https` (or `http` to a loopback address).
    pub fn build(self) -> Result<Client> {
        check_api_key(&self.api_key)?;
        check_base_url(&self.base_url)?;
        Ok(self.assemble())
    }

    fn assemble(self) -> Client {
        let idle = Some(self.idle_timeout);
        let config = ureq::Agent::config_builder()
            // Statuses are mapped by the client itself, which keeps the
            // server's `{"error": "..."}` message that ureq would drop.
            .http_status_as_error(false)
            // A redirect would carry the key to wherever it points; the API
            // never redirects, so one is reported as an error instead.
            .max_redirects(0)
            .user_agent(self.user_agent.as_str())
            .timeout_connect(Some(self.connect_timeout))
            .timeout_recv_response(Some(self.response_timeout))
            .timeout_per_read(idle)
            .timeout_per_write(idle)
            .timeout_recv_body(Some(self.body_timeout))
            .build();
        let shared = Shared {
            agent: config.into(),
            key: self.api_key,
            base_url: self.base_url,
            retry: self.retry,
            keep_raw_json: self.keep_raw_json,
            max_reply_bytes: self.max_reply_bytes,
            limiter: self.limiter,
            model_limits: Arc::new(crate::llm::ModelLimits::new(self.model_requests_per_minute)),
        };
        Client {
            shared: Arc::new(shared),
            observer: None,
            deadline: Deadline::none(),
        }
    }
}

/// Checked when building and again before each request, since
/// [`Client::new`] cannot report a bad key.
pub(crate) fn check_api_key(key: &str) -> Result<()> {
    if key.trim().is_empty() {
        return Err(Error::MissingApiKey);
    }
    if key.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(Error::InvalidApiKey {
            message: "the API key contains characters that cannot be sent in an HTTP header \
                      (a newline or non-ASCII character): copy it again from the dashboard"
                .to_owned(),
        });
    }
    Ok(())
}

/// Refuses a base URL that would send the key in clear text over a network.
fn check_base_url(url: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::invalid_input(format!("base URL \"{url}\" {why}")));
    let Some((scheme, rest)) = url.split_once("://") else {
        return bad("is not a URL: write it like https://api.assemblyai.com");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return bad("must name a host, without user or password");
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if is_loopback(authority) => Ok(()),
        "http" => bad(
            "uses plain http to a host that is not this machine, which would expose the API key; \
             use https (plain http is accepted only for this machine: 127.0.0.1, ::1, localhost)",
        ),
        _ => bad("must start with https://"),
    }
}

/// Whether an URL authority (`host[:port]`) names this machine.
pub(crate) fn is_loopback(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    };
    // 0.0.0.0 and [::] are not loopback addresses, but a connection to them
    // reaches this machine, as servers printing "listening on 0.0.0.0" invite.
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_accepted_only_to_loopback() {
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://localhost").is_ok());
        assert!(check_base_url("http://[::1]:9000/").is_ok());
        assert!(check_base_url("http://0.0.0.0:8000").is_ok());
        assert!(check_base_url("https://api.assemblyai.com").is_ok());
        assert!(check_base_url("http://api.assemblyai.com").is_err());
        assert!(check_base_url("http://127.0.0.1.evil.com").is_err());
        assert!(check_base_url("http://user:pw@127.0.0.1").is_err());
        assert!(check_base_url("ftp://127.0.0.1").is_err());
        assert!(check_base_url("api.assemblyai.com").is_err());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let client = Client::new("secret-key-123");
        assert!(!format!("{client:?}").contains("secret-key-123"));
        let builder = Client::builder("secret-key-123");
        assert!(!format!("{builder:?}").contains("secret-key-123"));
    }

    #[test]
    fn keys_that_cannot_be_a_header_are_refused() {
        assert!(matches!(
            Client::builder("").build(),
            Err(Error::MissingApiKey)
        ));
        assert!(Client::builder("abc\ndef").build().is_err());
    }
}
