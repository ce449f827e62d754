//! The multipart body of a short-clip request, parsed as it streams in: the
//! `config` part (kept), then the audio part's headers, then the audio,
//! which is only counted (and its first bytes kept, to read a WAV header),
//! so a 40 MB clip costs no memory and its length is known at every byte,
//! for a 413 sent mid-upload.

/// The most of a body kept before the audio starts (config and headers).
const HEAD_LIMIT: usize = 256 * 1024;
/// Audio bytes kept for sniffing.
const AUDIO_PREFIX: usize = 4096;

/// Where the parse is.
pub(super) struct FormStream {
    boundary: Vec<u8>,
    head: Vec<u8>,
    /// Set once the audio part's headers are read.
    audio: Option<AudioPart>,
    /// Why the body is not the multipart form the API wants.
    pub failed: Option<&'static str>,
}

/// What came before the audio.
#[derive(Debug, Default)]
pub(super) struct Parts {
    /// The `config` part's bytes, when it came first.
    pub config: Option<Vec<u8>>,
    /// The audio part's `Content-Type`.
    pub content_type: String,
}

/// The audio part as it streams.
struct AudioPart {
    parts: Parts,
    /// Bytes after the audio part's headers, closing delimiter included.
    seen: u64,
    prefix: Vec<u8>,
    /// The last bytes seen, to find the closing delimiter at the end.
    window: Vec<u8>,
}

impl FormStream {
    pub(super) fn new(boundary: &str) -> FormStream {
        FormStream {
            boundary: format!("--{boundary}").into_bytes(),
            head: Vec::new(),
            audio: None,
            failed: None,
        }
    }

    /// Takes the next bytes of the body.
    pub(super) fn feed(&mut self, bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        let Some(audio) = &mut self.audio else {
            self.head.extend_from_slice(bytes);
            self.parse_head();
            return;
        };
        audio.seen += bytes.len() as u64;
        let room = AUDIO_PREFIX.saturating_sub(audio.prefix.len());
        audio
            .prefix
            .extend_from_slice(&bytes[..room.min(bytes.len())]);
        audio.window.extend_from_slice(bytes);
        let keep = self.boundary.len() + 8;
        if audio.window.len() > keep {
            audio.window.drain(..audio.window.len() - keep);
        }
    }

    /// Audio bytes certainly received so far: what came after the audio
    /// part's headers, less the room of a closing delimiter that may be
    /// among them, so a clip exactly at a limit is never taken for one over.
    pub(super) fn audio_seen(&self) -> u64 {
        let closing = self.boundary.len() as u64 + 6;
        self.audio
            .as_ref()
            .map_or(0, |audio| audio.seen.saturating_sub(closing))
    }

    /// The first audio bytes.
    pub(super) fn audio_prefix(&self) -> &[u8] {
        self.audio.as_ref().map_or(&[], |audio| &audio.prefix)
    }

    /// The parts before the audio, once they are read.
    pub(super) fn parts(&self) -> Option<&Parts> {
        self.audio.as_ref().map(|audio| &audio.parts)
    }

    /// The audio's length once the whole body is in, without the closing
    /// delimiter; `None` when the body did not end with one.
    pub(super) fn audio_len(&self) -> Option<u64> {
        let audio = self.audio.as_ref()?;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&self.boundary);
        closing.extend_from_slice(b"--");
        let window = &audio.window;
        let at = window
            .windows(closing.len())
            .rposition(|w| w == closing.as_slice())?;
        let after = (window.len() - at) as u64;
        Some(audio.seen - after)
    }

    fn parse_head(&mut self) {
        if self.head.len() > HEAD_LIMIT {
            self.failed = Some("the parts before the audio are over 256 KiB");
            return;
        }
        let mut parts = Parts::default();
        let mut at = 0;
        loop {
            // The delimiter and the part's headers.
            let Some(start) = find(&self.head[at..], &self.boundary) else {
                return;
            };
            let headers_start = at + start + self.boundary.len() + 2;
            let Some(end) = find(
                &self.head[headers_start.min(self.head.len())..],
                b"\r\n\r\n",
            ) else {
                return;
            };
            let headers = String::from_utf8_lossy(&self.head[headers_start..headers_start + end])
                .to_ascii_lowercase();
            let content_start = headers_start + end + 4;
            let name = part_name(&headers);
            match name.as_deref() {
                Some("config") if parts.config.is_none() => {
                    let mut next = b"\r\n".to_vec();
                    next.extend_from_slice(&self.boundary);
                    let Some(len) = find(&self.head[content_start..], &next) else {
                        return;
                    };
                    parts.config = Some(self.head[content_start..content_start + len].to_vec());
                    at = content_start + len + 2;
                }
                Some("audio") => {
                    parts.content_type = header_value(&headers, "content-type").unwrap_or_default();
                    let rest = self.head.split_off(content_start);
                    self.head.clear();
                    self.audio = Some(AudioPart {
                        parts,
                        seen: 0,
                        prefix: Vec::new(),
                        window: Vec::new(),
                    });
                    self.feed(&rest);
                    return;
                }
                _ => {
                    self.failed = Some("a part other than `config` and `audio`");
                    return;
                }
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `name` of a part from its (lowercased) headers.
fn part_name(headers: &str) -> Option<String> {
    let disposition = header_value(headers, "content-disposition")?;
    let (_, rest) = disposition.split_once("name=")?;
    let rest = rest.trim_start_matches('"');
    let end = rest.find(['"', ';']).unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

fn header_value(headers: &str, name: &str) -> Option<String> {
    headers.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim().to_owned())
    })
}

/// The boundary of a `multipart/form-data` content type.
pub(super) fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_fed_in_small_pieces_gives_config_type_and_audio_length() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"config\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n--B\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"a.pcm\"\r\nContent-Type: audio/pcm\r\n\r\n0123456789\r\n--B--\r\n";
        let mut form = FormStream::new("B");
        for piece in body.chunks(3) {
            form.feed(piece);
        }
        let parts = form.parts().unwrap();
        assert_eq!(parts.config.as_deref(), Some(&b"{\"a\":1}"[..]));
        assert_eq!(parts.content_type, "audio/pcm");
        assert_eq!(form.audio_len(), Some(10));
        assert_eq!(form.audio_prefix(), b"0123456789\r\n--B--\r\n");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"xyz\""),
            Some("xyz".to_owned())
        );
    }
}
