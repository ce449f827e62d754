//! Connections: the accept loop, a thread per connection serving requests in turn (keep-alive),
//! and the faults that act on the connection itself. What one client can hold is bounded: at
//! most `max_connections` at once (one more gets 503 and is closed), and a connection that sends
//! nothing for `idle_timeout` is closed, so idle sockets can't make the emulator unresponsive.

use std::io::{self, BufReader, Write};
use std::net::{Shutdown as Close, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::faults::{Fault, status_response, too_many_requests};
use super::http::{self, Response};
use super::{Shared, api, clips, lock, streaming};

/// Set once when the `Emulator` stops; wakes anything waiting on it.
#[derive(Default)]
pub(super) struct Shutdown {
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl Shutdown {
    pub fn trigger(&self) {
        *lock(&self.stopped) = true;
        self.wake.notify_all();
    }

    pub fn is_triggered(&self) -> bool {
        *lock(&self.stopped)
    }

    /// Sleeps for `d`, or less if the server shuts down meanwhile; returns whether it still runs.
    pub fn sleep(&self, d: Duration) -> bool {
        let stopped = lock(&self.stopped);
        let (stopped, _) = self
            .wake
            .wait_timeout_while(stopped, d, |stopped| !*stopped)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        !*stopped
    }
}

/// Accepts connections until shutdown, serving each on its own thread.
pub(super) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut next_id: u64 = 0;
    for stream in listener.incoming() {
        if shared.shutdown.is_triggered() {
            return;
        }
        let Ok(stream) = stream else {
            // e.g. out of file descriptors: back off rather than spin.
            thread::sleep(Duration::from_millis(10));
            continue;
        };
        // A reply goes out as two writes (head, body); with Nagle's algorithm the body then
        // waits for the client's delayed ACK, 40 ms a request, which no real server adds.
        let _ = stream.set_nodelay(true);
        if lock(&shared.connections).len() >= shared.max_connections {
            refuse_busy(&stream);
            continue;
        }
        let _ = stream.set_read_timeout(Some(shared.idle_timeout));
        let _ = stream.set_write_timeout(Some(shared.idle_timeout));
        next_id += 1;
        let id = next_id;
        shared
            .accepted
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // The server keeps a handle on each connection so dropping it can close them all.
        if let Ok(handle) = stream.try_clone() {
            lock(&shared.connections).insert(id, handle);
        }
        let shared = Arc::clone(&shared);
        let spawned = thread::Builder::new()
            .name(format!("emulator-conn-{id}"))
            .spawn(move || {
                // An I/O error only ends this connection, as it would on a real server.
                let _ = serve(&stream, &shared, id);
                lock(&shared.connections).remove(&id);
                let _ = stream.shutdown(Close::Both);
            });
        if spawned.is_err() {
            thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Answers a connection over the limit with 503 and closes it, without reading its request:
/// the accept loop must never wait on one client.
fn refuse_busy(stream: &TcpStream) {
    let _ = stream.set_nonblocking(true);
    let response = Response::error(
        503,
        "the emulator is serving as many connections as it allows; retry shortly",
    );
    let mut writer = stream;
    let _ = response.write_to(&mut writer, true);
    let _ = stream.shutdown(Close::Both);
}

/// Serves requests on one connection until either side closes it or a fault drops it.
fn serve(stream: &TcpStream, shared: &Shared, connection: u64) -> io::Result<()> {
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut writer = stream;
    loop {
        let mut head = match http::read_head(&mut reader) {
            Ok(Some(head)) => head,
            Ok(None) => return Ok(()),
            Err(e) => return reject(&mut writer, e),
        };
        head.connection = connection;
        let at = Instant::now();
        let framing = match head.framing() {
            Ok(framing) => framing,
            Err(e) => return reject(&mut writer, e),
        };
        let close = head.wants_close();
        let fault = lock(&shared.faults).take(&head.method, &head.path);
        if head.expects_continue() {
            writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        if fault.is_none() {
            if let Some((service, route)) = clips::route(&head.path) {
                let route = route.to_owned();
                clips::serve(
                    shared,
                    service,
                    &route,
                    head,
                    framing,
                    at,
                    &mut reader,
                    &mut writer,
                )?;
                if close {
                    return Ok(());
                }
                continue;
            }
        }
        let stop_after = match fault {
            Some(Fault::DropDuringBody { after_bytes }) => Some(after_bytes),
            _ => None,
        };
        let body = match http::read_body(&mut reader, framing, stop_after, shared.hash_bodies) {
            Ok(body) => body,
            Err(e) => return reject(&mut writer, e),
        };
        let mut request = head.record(body, framing, at);
        request.fault = fault.clone();
        // The rate limit sits behind the injected faults, in front of the API.
        let retry_after = match (&fault, &shared.rate) {
            (None, Some(rate)) => lock(rate).admit(Instant::now()).err(),
            _ => None,
        };
        request.rate_limited = retry_after.is_some();
        remember(shared, &request);

        if fault.is_none() && retry_after.is_none() && streaming::is_upgrade(&request) {
            // The connection is the session's from now on.
            return streaming::serve(shared, &request, stream, reader.buffer().to_vec());
        }
        let response = match &fault {
            None if retry_after.is_some() => too_many_requests(retry_after),
            None => api::handle(shared, &request),
            Some(Fault::Status {
                code,
                body,
                retry_after,
            }) => status_response(*code, body, *retry_after),
            Some(Fault::Body {
                status,
                content_type,
                body,
            }) => Response::new(*status, content_type, body.as_slice()),
            Some(Fault::Delay(d)) => {
                if !shared.shutdown.sleep(*d) {
                    return Ok(());
                }
                api::handle(shared, &request)
            }
            Some(Fault::DropBeforeResponse | Fault::DropDuringBody { .. }) => return Ok(()),
            Some(Fault::DropAfterCreate) => {
                api::handle(shared, &request);
                return Ok(());
            }
            Some(Fault::DropMidResponse) => {
                let response = api::handle(shared, &request);
                writer.write_all(&response.head(false))?;
                return writer.write_all(&response.body[..response.body.len() / 2]);
            }
            Some(Fault::Garbage(bytes)) => return writer.write_all(bytes),
        };
        response.write_to(&mut writer, close)?;
        if close {
            return Ok(());
        }
    }
}

/// Records a request as it is answered: kept for `Emulator::requests`, told to the hook.
pub(super) fn remember(shared: &Shared, request: &http::RecordedRequest) {
    if shared.keep_requests {
        lock(&shared.requests).push(request.clone());
    }
    if let Some(hook) = &shared.on_request {
        hook(request);
    }
}

/// Answers a malformed request with 400 and closes; other I/O errors just close.
fn reject(writer: &mut &TcpStream, e: io::Error) -> io::Result<()> {
    match e.kind() {
        io::ErrorKind::InvalidData => Response::error(400, &e.to_string()).write_to(writer, true),
        _ => Err(e),
    }
}
