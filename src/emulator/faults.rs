//! Fault injection: rules that answer the next matching requests in place of the API.

use std::time::Duration;

use super::http::Response;

/// What the server does instead of (or around) the API for a request a rule matched.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status and body, plus `Retry-After: <secs>` when given. The content type
    /// follows the body: JSON when it starts with `{`, HTML with `<`, plain text otherwise.
    Status {
        /// The HTTP status code.
        code: u16,
        /// The response body.
        body: String,
        /// The `Retry-After` header's seconds, if any.
        retry_after: Option<u64>,
    },
    /// Read the whole request, then close the connection without answering.
    DropBeforeResponse,
    /// Let the API handle the request (a POST /v2/transcript creates its job, a GET counts as a
    /// poll), then close without answering: the job exists but the client never hears of it.
    DropAfterCreate,
    /// Close the connection after reading `after_bytes` of the request body (mid-upload); a
    /// shorter body is read whole, then the connection closes without a reply.
    DropDuringBody {
        /// Body bytes read before the connection closes.
        after_bytes: u64,
    },
    /// Let the API answer, but send only the headers and the first half of the body, then close.
    DropMidResponse,
    /// Wait this long (e.g. past the client's timeout), then let the API answer as usual.
    Delay(Duration),
    /// Send these raw bytes as the whole response, then close.
    Garbage(Vec<u8>),
    /// Answer with this status, content type and body (an HTML page with 200, an empty body,
    /// truncated JSON...). The connection stays open.
    Body {
        /// The HTTP status code.
        status: u16,
        /// The `Content-Type` header.
        content_type: String,
        /// The response body, sent as is.
        body: Vec<u8>,
    },
}

impl Fault {
    /// `code` with the body the API documents for it: `{"error":"Internal Server Error"}` for 500,
    /// `{"error":"Too Many Requests"}` for 429 and so on; 502, 503 and 504 have no JSON body in
    /// the spec, so they get the HTML page a load balancer would send.
    pub fn status(code: u16) -> Fault {
        Fault::Status {
            code,
            body: documented_body(code),
            retry_after: None,
        }
    }

    /// 429 `{"error":"Too Many Requests"}` with `Retry-After: <retry_after_secs>`.
    pub fn too_many_requests(retry_after_secs: u64) -> Fault {
        Fault::Status {
            code: 429,
            body: documented_body(429),
            retry_after: Some(retry_after_secs),
        }
    }

    /// This fault with `Retry-After: <secs>` when it is a [`Fault::Status`]; other faults send
    /// no reply to put it on, and are returned as they are.
    pub fn retry_after(self, secs: u64) -> Fault {
        match self {
            Fault::Status { code, body, .. } => Fault::Status {
                code,
                body,
                retry_after: Some(secs),
            },
            other => other,
        }
    }

    /// A rule applying this fault to the next request whose method is `method` (any case; `*`
    /// for any) and whose path (without the query) starts with `path_prefix`. It applies once
    /// unless [`FaultRule::times`] says otherwise.
    pub fn on(self, method: &str, path_prefix: &str) -> FaultRule {
        FaultRule {
            method: method.to_ascii_uppercase(),
            path_prefix: path_prefix.to_string(),
            remaining: 1,
            fault: self,
        }
    }
}

impl Fault {
    /// `code` with the problem-details body the Sync STT and Dictation APIs
    /// send for it (`{"status","title","detail"}`, whose title snake-cases to
    /// the error table's code): 429 `Too Many Requests`, 500 `Inference
    /// Error`, 503 `Capacity Exceeded`, 504 `Inference Timeout`, ...
    /// Add `Retry-After` with [`Fault::retry_after`].
    pub fn clip_status(code: u16) -> Fault {
        let (title, detail) = match code {
            400 => ("Bad Request", "the request is not valid"),
            401 => ("Unauthorized", "Invalid API key"),
            413 => ("Audio Too Large", "audio exceeds the limit"),
            415 => ("Unsupported Media Type", "send WAV or 16-bit PCM"),
            429 => ("Too Many Requests", "rate limit exceeded"),
            500 => ("Inference Error", "the model failed"),
            502 => ("Bad Gateway", "upstream unavailable"),
            503 => ("Capacity Exceeded", "at the concurrency cap"),
            504 => ("Inference Timeout", "over the 30 s deadline"),
            _ => ("Error", "unexpected error"),
        };
        Fault::Status {
            code,
            body: serde_json::json!({"status": code, "title": title, "detail": detail}).to_string(),
            retry_after: None,
        }
    }
}

fn documented_body(code: u16) -> String {
    let json = |message: &str| serde_json::json!({ "error": message }).to_string();
    match code {
        400 => json("Bad Request"),
        401 => json("Authentication error, API token missing/invalid"),
        403 => json("Cannot access uploaded file"),
        404 => json("Not found"),
        429 => json("Too Many Requests"),
        500 => json("Internal Server Error"),
        502..=504 => format!(
            "<html><head><title>{code}</title></head><body><center><h1>{code}</h1></center></body></html>"
        ),
        _ => json("Unexpected error"),
    }
}

/// The response of a [`Fault::Status`].
pub(super) fn status_response(code: u16, body: &str, retry_after: Option<u64>) -> Response {
    let content_type = match body.trim_start().chars().next() {
        Some('{' | '[') => "application/json",
        Some('<') => "text/html; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };
    let mut response = Response::new(code, content_type, body.as_bytes());
    response.retry_after = retry_after;
    response
}

/// The API's 429 with `Retry-After: <secs>`, for the rate limit.
pub(super) fn too_many_requests(retry_after: Option<u64>) -> Response {
    status_response(429, &documented_body(429), retry_after)
}

/// A [`Fault`] bound to the requests it applies to; build one with [`Fault::on`].
#[derive(Clone, Debug)]
pub struct FaultRule {
    method: String,
    path_prefix: String,
    remaining: u32,
    fault: Fault,
}

impl FaultRule {
    /// Applies to the next `n` matching requests instead of one.
    pub fn times(mut self, n: u32) -> FaultRule {
        self.remaining = n;
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        (self.method == "*" || self.method == method) && path.starts_with(&self.path_prefix)
    }
}

/// Injected rules, first match wins; a rule is consumed once it has applied its `times`.
#[derive(Default)]
pub(super) struct FaultQueue(Vec<FaultRule>);

impl FaultQueue {
    pub fn push(&mut self, rule: FaultRule) {
        if rule.remaining > 0 {
            self.0.push(rule);
        }
    }

    /// The fault for this request, if a rule matches; counts it against that rule.
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let i = self.0.iter().position(|r| r.matches(method, path))?;
        let rule = &mut self.0[i];
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        if rule.remaining == 0 {
            self.0.remove(i);
        }
        Some(fault)
    }
}
