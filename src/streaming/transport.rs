//! The WebSocket connection: DNS and TCP with a timeout, TLS with rustls and
//! the bundled Mozilla roots (the ones ureq uses, so no system certificate
//! files), tungstenite's handshake and framing, and reads that wait at most
//! a given time, so one thread can both send audio on schedule and read.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use tungstenite::client::IntoClientRequest;
use tungstenite::handshake::HandshakeError;
use tungstenite::http::{HeaderValue, header};
use tungstenite::protocol::{WebSocket, WebSocketConfig};
use tungstenite::{Message, Utf8Bytes};

use crate::{Error, Result};

/// The largest message accepted from the server.
const MAX_MESSAGE: usize = 4 << 20;

/// A checked streaming URL: `wss://`, or `ws://` to this machine only.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    /// The URL without a query, e.g. `wss://streaming.assemblyai.com/v3/ws`.
    pub(crate) url: String,
    secure: bool,
    host: String,
    port: u16,
}

impl Endpoint {
    /// Checks `url`: the key goes in its handshake, so plain `ws://` is
    /// accepted only to a loopback address, as plain `http://` is for REST.
    pub(crate) fn parse(url: &str) -> Result<Endpoint> {
        let bad = |why: &str| {
            Err(Error::invalid_input(format!(
                "streaming URL \"{url}\" {why}"
            )))
        };
        let Some((scheme, rest)) = url.split_once("://") else {
            return bad("is not a URL: write it like wss://streaming.assemblyai.com/v3/ws");
        };
        let secure = match scheme.to_ascii_lowercase().as_str() {
            "wss" => true,
            "ws" => false,
            _ => return bad("must start with wss:// (or ws:// to this machine)"),
        };
        if rest.contains(['?', '#']) {
            return bad("must not have a query: parameters are set by the session");
        }
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/v3/ws"),
        };
        if authority.is_empty() || authority.contains('@') {
            return bad("must name a host, without user or password");
        }
        let (host, port) =
            split_host_port(authority, if secure { 443 } else { 80 }).ok_or_else(|| {
                Error::invalid_input(format!("streaming URL \"{url}\" has a bad port"))
            })?;
        if !secure && !crate::client::is_loopback(authority) {
            return bad(
                "uses plain ws:// to a host that is not this machine, which would expose the API \
                 key; use wss:// (plain ws:// is accepted only for 127.0.0.1, ::1, localhost)",
            );
        }
        Ok(Endpoint {
            url: format!("{}://{authority}{path}", if secure { "wss" } else { "ws" }),
            secure,
            host,
            port,
        })
    }

    /// The HTTP(S) origin of the same host, for `GET /v3/token`.
    pub(crate) fn http_origin(&self) -> String {
        let scheme = if self.secure { "https" } else { "http" };
        let authority = self.url.split("://").nth(1).unwrap_or_default();
        let authority = authority.split('/').next().unwrap_or_default();
        format!("{scheme}://{authority}")
    }
}

fn split_host_port(authority: &str, default: u16) -> Option<(String, u16)> {
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, rest) = bracketed.split_once(']')?;
        let port = match rest.strip_prefix(':') {
            Some(port) => port.parse().ok()?,
            None => default,
        };
        return Some((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_owned(), port.parse().ok()?)),
        None => Some((authority.to_owned(), default)),
    }
}

/// TCP, or TLS over TCP, whose reads end by a deadline.
struct Stream {
    inner: Inner,
    /// When reads must give up, whatever arrives meanwhile. A socket's read
    /// timeout bounds one `read(2)` only: a server trickling bytes, or
    /// sending ping after ping or endless continuation frames, would keep
    /// tungstenite reading (its frame loop returns only on a whole message)
    /// past every deadline of the session. Each read here waits at most
    /// until this instant, and after it fails as a timed-out read does; tungstenite
    /// keeps the partial frame for the next read.
    deadline: Option<Instant>,
}

enum Inner {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match &self.inner {
            Inner::Plain(tcp) => tcp,
            Inner::Tls(tls) => &tls.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            self.tcp().set_read_timeout(Some(left))?;
        }
        match &mut self.inner {
            Inner::Plain(tcp) => tcp.read(buf),
            Inner::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Inner::Plain(tcp) => tcp.write(buf),
            Inner::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Inner::Plain(tcp) => tcp.flush(),
            Inner::Tls(tls) => tls.flush(),
        }
    }
}

/// rustls with ring (as ureq builds it) and Mozilla's roots, made once.
fn tls_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("ring supports the default TLS versions")
                .with_root_certificates(roots)
                .with_no_client_auth();
            Arc::new(config)
        })
        .clone()
}

/// How a connection ended, as seen from a read or a write.
#[derive(Debug)]
pub(crate) enum Fault {
    /// The server sent a close frame.
    Closed { code: u16, reason: String },
    /// The connection broke without one.
    Dropped(Box<dyn std::error::Error + Send + Sync>),
}

/// What a handshake needs besides the URL.
pub(crate) struct Handshake<'a> {
    pub(crate) query: &'a str,
    /// The `Authorization` header (the API key), if any.
    pub(crate) authorization: Option<&'a str>,
    pub(crate) user_agent: &'a str,
    pub(crate) timeout: Duration,
    /// Secrets (key, token) to strip from any text the server sends back.
    pub(crate) secrets: &'a [&'a str],
}

/// An open WebSocket.
pub(crate) struct Socket {
    ws: WebSocket<Stream>,
}

impl Socket {
    /// Connects and upgrades. An HTTP status is [`Error::Api`] with the
    /// server's message; anything else is [`Error::WebSocket`]. No message
    /// contains the query (a token may be in it) or the key.
    pub(crate) fn open(endpoint: &Endpoint, handshake: &Handshake<'_>) -> Result<Socket> {
        let shown = &endpoint.url;
        let failed =
            |what: String, source: Box<dyn std::error::Error + Send + Sync>| Error::WebSocket {
                context: what,
                source,
                session_id: None,
            };
        let addresses = (endpoint.host.as_str(), endpoint.port)
            .to_socket_addrs()
            .map_err(|err| {
                failed(
                    format!("cannot resolve the streaming host of {shown}"),
                    err.into(),
                )
            })?;
        let mut last = None;
        let mut tcp = None;
        for address in addresses {
            match TcpStream::connect_timeout(&address, handshake.timeout) {
                Ok(stream) => {
                    tcp = Some(stream);
                    break;
                }
                Err(err) => last = Some(err),
            }
        }
        let tcp = tcp.ok_or_else(|| {
            let err = last.unwrap_or_else(|| io::Error::other("no address"));
            failed(format!("cannot connect to {shown}"), err.into())
        })?;
        // Small control messages must not wait for Nagle's algorithm.
        let _ = tcp.set_nodelay(true);
        let io_failed = |err: io::Error| failed(format!("cannot connect to {shown}"), err.into());
        tcp.set_read_timeout(Some(handshake.timeout))
            .map_err(io_failed)?;
        tcp.set_write_timeout(Some(handshake.timeout))
            .map_err(io_failed)?;
        let stream = if endpoint.secure {
            let name = rustls::pki_types::ServerName::try_from(endpoint.host.clone())
                .map_err(|err| failed(format!("bad host name in {shown}"), err.into()))?;
            let connection = rustls::ClientConnection::new(tls_config(), name)
                .map_err(|err| failed(format!("TLS setup for {shown} failed"), err.into()))?;
            Inner::Tls(Box::new(rustls::StreamOwned::new(connection, tcp)))
        } else {
            Inner::Plain(tcp)
        };
        // The handshake as a whole, not each read of it, is bounded.
        let stream = Stream {
            inner: stream,
            deadline: Some(Instant::now() + handshake.timeout),
        };

        let target = if handshake.query.is_empty() {
            endpoint.url.clone()
        } else {
            format!("{}?{}", endpoint.url, handshake.query)
        };
        let mut request = target
            .into_client_request()
            .map_err(|err| failed(format!("bad streaming URL {shown}"), err.into()))?;
        let headers = request.headers_mut();
        if let Some(key) = handshake.authorization {
            let mut value = HeaderValue::from_str(key).map_err(|_| {
                Error::invalid_input("the API key cannot be sent in an HTTP header")
            })?;
            value.set_sensitive(true);
            headers.insert(header::AUTHORIZATION, value);
        }
        if let Ok(agent) = HeaderValue::from_str(handshake.user_agent) {
            headers.insert(header::USER_AGENT, agent);
        }
        // The server's messages are small JSON objects: a few MiB is room
        // enough, and far less memory than tungstenite's 64 MiB default lets
        // a broken or hostile server make this client hold.
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        let (ws, _response) =
            match tungstenite::client::client_with_config(request, stream, Some(config)) {
                Ok(done) => done,
                Err(HandshakeError::Interrupted(_)) => {
                    return Err(failed(
                        format!(
                            "no answer to the WebSocket handshake from {shown} within {}",
                            crate::duration::human(handshake.timeout)
                        ),
                        io::Error::from(io::ErrorKind::TimedOut).into(),
                    ));
                }
                Err(HandshakeError::Failure(tungstenite::Error::Http(response))) => {
                    let status = response.status().as_u16();
                    let body = response.body().as_deref().unwrap_or_default();
                    let key = handshake.authorization.unwrap_or_default();
                    let mut message = crate::reply::error_message(body, key);
                    for secret in handshake.secrets.iter() {
                        message = crate::reply::redact(&message, secret);
                    }
                    return Err(Error::Api {
                        status,
                        message: format!("{message} (WebSocket handshake with {shown})"),
                        transcript_id: None,
                        // A 429 or 503 says when to come back: the reconnection
                        // waits that long, as every REST request does.
                        retry_after: crate::reply::retry_after(response.headers()),
                        request_id: None,
                    });
                }
                Err(HandshakeError::Failure(err)) => {
                    return Err(failed(
                        format!("WebSocket handshake with {shown} failed"),
                        err.into(),
                    ));
                }
            };
        Ok(Socket { ws })
    }

    /// Sends one message; a failure means the connection is gone.
    fn send(&mut self, message: Message) -> std::result::Result<(), Fault> {
        let mut result = self.ws.send(message);
        // A signal (Ctrl-C) interrupts a write that has a timeout, whatever
        // SA_RESTART says; the frame waits in tungstenite's buffer.
        while matches!(&result, Err(tungstenite::Error::Io(err)) if err.kind() == io::ErrorKind::Interrupted)
        {
            result = self.ws.flush();
        }
        result.map_err(fault)
    }

    pub(crate) fn send_binary(&mut self, bytes: Vec<u8>) -> std::result::Result<(), Fault> {
        self.send(Message::Binary(bytes.into()))
    }

    pub(crate) fn send_text(&mut self, text: &str) -> std::result::Result<(), Fault> {
        self.send(Message::Text(Utf8Bytes::from(text)))
    }

    /// Waits up to `wait` for a text frame; `Ok(None)` when none came.
    /// Pings are answered by tungstenite; binary frames are ignored.
    pub(crate) fn read(&mut self, wait: Duration) -> std::result::Result<Option<String>, Fault> {
        let wait = wait.max(Duration::from_millis(1));
        self.ws.get_mut().deadline = Some(Instant::now() + wait);
        match self.ws.read() {
            Ok(Message::Text(text)) => Ok(Some(text.as_str().to_owned())),
            Ok(Message::Close(frame)) => Err(match frame {
                Some(frame) => Fault::Closed {
                    code: frame.code.into(),
                    reason: frame.reason.as_str().to_owned(),
                },
                // A close frame without a code: RFC 6455 calls it 1005.
                None => Fault::Closed {
                    code: 1005,
                    reason: String::new(),
                },
            }),
            Ok(_) => Ok(None),
            // A signal (Ctrl-C) interrupts a read that has a timeout,
            // whatever SA_RESTART says: nothing is lost, read again later.
            Err(tungstenite::Error::Io(err))
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) =>
            {
                Ok(None)
            }
            Err(err) => Err(fault(err)),
        }
    }

    /// Closes politely, without waiting long for the server's answer.
    pub(crate) fn close(&mut self) {
        let _ = self.ws.close(None);
        let _ = self.ws.flush();
        self.ws.get_mut().deadline = Some(Instant::now() + Duration::from_millis(200));
        // Until the server closes the TCP connection or the short wait ends.
        for _ in 0..5 {
            match self.ws.read() {
                Ok(_) => continue,
                Err(_) => break,
            }
        }
    }

    /// Drops the TCP connection at once.
    pub(crate) fn abort(&mut self) {
        let _ = self.ws.get_ref().tcp().shutdown(std::net::Shutdown::Both);
    }
}

fn fault(err: tungstenite::Error) -> Fault {
    match err {
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => {
            Fault::Dropped(io::Error::from(io::ErrorKind::UnexpectedEof).into())
        }
        other => Fault::Dropped(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ws_is_accepted_only_to_loopback() {
        assert!(Endpoint::parse("ws://127.0.0.1:8080/v3/ws").is_ok());
        assert!(Endpoint::parse("ws://localhost:1").is_ok());
        assert!(Endpoint::parse("wss://streaming.eu.assemblyai.com/v3/ws").is_ok());
        assert!(Endpoint::parse("ws://streaming.assemblyai.com/v3/ws").is_err());
        assert!(Endpoint::parse("https://streaming.assemblyai.com/v3/ws").is_err());
        assert!(Endpoint::parse("wss://u:p@host/v3/ws").is_err());
        assert!(Endpoint::parse("wss://host/v3/ws?token=x").is_err());
    }

    #[test]
    fn the_token_endpoint_is_on_the_same_host() {
        let endpoint = Endpoint::parse("wss://streaming.eu.assemblyai.com/v3/ws").unwrap();
        assert_eq!(
            endpoint.http_origin(),
            "https://streaming.eu.assemblyai.com"
        );
        let local = Endpoint::parse("ws://127.0.0.1:9000/v3/ws").unwrap();
        assert_eq!(local.http_origin(), "http://127.0.0.1:9000");
        assert_eq!(local.url, "ws://127.0.0.1:9000/v3/ws");
    }
}
