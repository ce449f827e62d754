//! Streamed chat completions (`stream: true`): server-sent events, one
//! `data: {chunk}` line per delta, ended by `data: [DONE]`. A stream that
//! ends without `[DONE]` lost its tail (the gateway sends no error body once
//! the first byte went out), which is an error, never a silently short answer.

use std::io::{BufRead, BufReader, Read};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::loose::{loose, loose_list};
use super::reply::{Usage, content_text};
use crate::{Error, Result};

/// One streamed piece of a chat completion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatChunk {
    /// The completion's id, the same in every chunk.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// The model answering.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub model: Option<String>,
    /// What each choice gained.
    #[serde(default, deserialize_with = "loose_list")]
    pub choices: Vec<ChunkChoice>,
    /// Tokens spent, usually in the last chunk only (OpenAI's names).
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub usage: Option<Usage>,
    /// Anything else, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatChunk {
    /// The text this chunk adds, all choices together.
    pub fn text(&self) -> String {
        self.choices
            .iter()
            .filter_map(|choice| choice.delta.as_ref())
            .map(|delta| content_text(delta.get("content")))
            .collect()
    }
}

/// What one choice gained in a chunk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkChoice {
    /// Which choice.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub index: Option<u32>,
    /// The delta: `role`, `content`, `tool_calls` fragments.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub delta: Option<Map<String, Value>>,
    /// Set in the choice's last chunk.
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub finish_reason: Option<String>,
}

/// A streamed chat completion: an iterator of [`ChatChunk`]s that blocks
/// for each. It ends after the server's `[DONE]`; a stream cut before it
/// yields one last error.
pub struct ChatStream {
    lines: BufReader<Box<dyn Read + Send>>,
    /// Bytes read so far, against the client's reply cap.
    read: u64,
    limit: u64,
    done: bool,
    redact: Box<dyn Fn(String) -> String + Send>,
}

impl std::fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatStream")
            .field("read", &self.read)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl ChatStream {
    pub(crate) fn new(
        body: Box<dyn Read + Send>,
        limit: u64,
        redact: Box<dyn Fn(String) -> String + Send>,
    ) -> ChatStream {
        ChatStream {
            lines: BufReader::new(body),
            read: 0,
            limit,
            done: false,
            redact,
        }
    }

    /// Reads the whole stream and returns its text.
    ///
    /// # Errors
    ///
    /// As the iterator's items: a stream cut short, or a chunk that is not JSON.
    pub fn collect_text(self) -> Result<String> {
        let mut text = String::new();
        for chunk in self {
            text.push_str(&chunk?.text());
        }
        Ok(text)
    }

    fn cut_short(&mut self, why: String) -> Option<Result<ChatChunk>> {
        self.done = true;
        Some(Err(Error::InvalidResponse {
            status: 200,
            message: format!(
                "the streamed answer was cut short ({why}): it ended without data: [DONE], so \
                 its end is missing; ask again"
            ),
            transcript_id: None,
        }))
    }
}

impl Iterator for ChatStream {
    type Item = Result<ChatChunk>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let mut line = Vec::new();
            let room = self.limit.saturating_sub(self.read).saturating_add(1);
            let n = match (&mut self.lines).take(room).read_until(b'\n', &mut line) {
                Ok(n) => n,
                Err(err) => return self.cut_short(format!("the connection failed: {err}")),
            };
            self.read += n as u64;
            if self.read > self.limit {
                return self.cut_short(format!("it passed the reply cap of {} bytes", self.limit));
            }
            if n == 0 {
                return self.cut_short("the connection closed".to_owned());
            }
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\r', '\n']);
            // Comments (`: keep-alive`), `event:`/`id:` fields and blank
            // separators carry nothing to show.
            let Some(data) = line.strip_prefix("data:") else {
                continue;
            };
            let data = data.trim_start();
            if data == "[DONE]" {
                self.done = true;
                return None;
            }
            let value: Value = match serde_json::from_str(data) {
                Ok(value) => value,
                Err(err) => {
                    self.done = true;
                    let excerpt: String = data.chars().take(200).collect();
                    return Some(Err(Error::InvalidResponse {
                        status: 200,
                        message: (self.redact)(format!(
                            "a streamed chunk is not JSON ({err}): \"{excerpt}\""
                        )),
                        transcript_id: None,
                    }));
                }
            };
            // An error after the stream began comes as a chunk of its own.
            if let Some(error) = value.get("error") {
                self.done = true;
                let (message, request_id) =
                    crate::reply::error_reply(value.to_string().as_bytes(), "");
                let status = error
                    .get("code")
                    .and_then(Value::as_u64)
                    .and_then(|code| u16::try_from(code).ok())
                    .unwrap_or(500);
                return Some(Err(Error::Api {
                    status,
                    message: (self.redact)(message),
                    transcript_id: None,
                    retry_after: None,
                    request_id,
                }));
            }
            return Some(
                serde_json::from_value(value).map_err(|err| Error::InvalidResponse {
                    status: 200,
                    message: format!("a streamed chunk is not what the gateway documents: {err}"),
                    transcript_id: None,
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(body: &str) -> ChatStream {
        ChatStream::new(
            Box::new(std::io::Cursor::new(body.to_owned().into_bytes())),
            1 << 20,
            Box::new(|s| s),
        )
    }

    #[test]
    fn deltas_are_joined_until_done() {
        let body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n\
                    : keep-alive\n\n\
                    data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n\
                    data: [DONE]\n\n";
        assert_eq!(stream(body).collect_text().unwrap(), "Hello");
    }

    #[test]
    fn a_stream_without_done_ends_in_an_error_not_a_short_answer() {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";
        let mut chunks = stream(body);
        assert_eq!(chunks.next().unwrap().unwrap().text(), "Hel");
        let err = chunks.next().unwrap().unwrap_err();
        assert!(err.to_string().contains("cut short"), "{err}");
        assert!(chunks.next().is_none());
    }

    #[test]
    fn an_error_chunk_becomes_an_api_error_with_its_request_id() {
        let body = "data: {\"error\":{\"code\":502,\"message\":\"upstream failed\"},\"request_id\":\"r9\"}\n\n";
        let err = stream(body).next().unwrap().unwrap_err();
        assert_eq!((err.status(), err.request_id()), (Some(502), Some("r9")));
    }
}
