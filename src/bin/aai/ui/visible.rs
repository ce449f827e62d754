//! Text from elsewhere (the server, a transcript) made safe to show: a
//! terminal acts on control characters instead of showing them, so an escape
//! sequence in a transcript id or an error message could retitle, clear or
//! rewrite the user's screen. Every print site passes what it did not write
//! itself through one of these.
//!
//! A control character (C0, DEL, C1: `char::is_control`) is shown as
//! `\u001b`, the JSON spelling, so one rule serves text and JSON alike: in
//! JSON a raw DEL or C1 can only sit inside a string, where the escape means
//! the same character, and raw C0 is not allowed at all.
//!
//! Text a server sent loses the API key too, once a client exists
//! ([`server`]): the library redacts its own errors, but a server's text
//! reaches the CLI by other ways as well (a failed transcript's `error`, a
//! listed job's URL, a streaming warning). `aai`'s own text, ids and paths
//! are never touched: a short made-up key (`a`) must not cut them up.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::OnceLock;

/// The client whose key is removed from every one-line text.
static KEY_HOLDER: OnceLock<assemblyai::Client> = OnceLock::new();

/// Removes `client`'s key from every one-line text shown from now on.
pub fn hide_key_of(client: &assemblyai::Client) {
    let _ = KEY_HOLDER.set(client.clone());
}

/// A value that must stay on one line (an id, a status, a message, a list
/// field): every control character is made visible, newlines and tabs too,
/// so it can neither act on the terminal nor forge a line of its own.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, |_, _| false)
}

/// Text a server sent, shown on one line: as [`one_line`], and the API key,
/// should the text echo it, is `<redacted>`.
pub fn server(text: &str) -> Cow<'_, str> {
    let redacted = KEY_HOLDER.get().map(|client| client.redact_key(text));
    match redacted {
        Some(redacted) if redacted != text => {
            Cow::Owned(escape(&redacted, |_, _| false).into_owned())
        }
        _ => escape(text, |_, _| false),
    }
}

/// A product of many lines shown on a terminal (a transcript's text, JSON):
/// its newlines and tabs stay (also `\r` before `\n`), every other control
/// character is made visible.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape(text, |c, next| {
        c == '\n' || c == '\t' || (c == '\r' && next == Some('\n'))
    })
}

/// `text` with each control character that `keep` does not keep spelled
/// `\u00XX`; borrowed when there is none (the usual case).
fn escape(text: &str, keep: impl Fn(char, Option<char>) -> bool) -> Cow<'_, str> {
    let mut chars = text.chars().peekable();
    let mut out = String::new();
    let mut from = 0;
    let mut at = 0;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if c.is_control() && !keep(c, next) {
            out.push_str(&text[from..at]);
            out.push_str(&format!("\\u{:04x}", c as u32));
            from = at + c.len_utf8();
        }
        at += c.len_utf8();
    }
    if from == 0 && out.is_empty() {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// A writer that shows a stream on a terminal the way [`lines`] shows text:
/// for bytes that come in pieces (`aai get --json` streams the server's
/// reply). A character split between two writes is held until it is whole;
/// bytes that are not UTF-8 are shown as `\xNN`.
pub struct Lines<W: Write> {
    inner: W,
    /// The start of a character whose end has not come yet (at most 3 bytes).
    pending: Vec<u8>,
}

impl<W: Write> Lines<W> {
    pub fn new(inner: W) -> Self {
        Lines {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Lines<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut all = std::mem::take(&mut self.pending);
        all.extend_from_slice(bytes);
        let mut shown = String::new();
        let mut chunks = all.utf8_chunks().peekable();
        while let Some(chunk) = chunks.next() {
            shown.push_str(chunk.valid());
            let invalid = chunk.invalid();
            // An invalid tail at the very end may be a character cut in two.
            let at_end = chunks.peek().is_none();
            let incomplete = at_end
                && !invalid.is_empty()
                && invalid.len() < 4
                && std::str::from_utf8(invalid).is_err_and(|e| e.error_len().is_none());
            if incomplete {
                self.pending = invalid.to_vec();
            } else {
                for byte in invalid {
                    shown.push_str(&format!("\\x{byte:02x}"));
                }
            }
        }
        // `lines` sees a `\r` at the end of a piece without its `\n`: the
        // `\r` waits for the next piece, which decides.
        if shown.ends_with('\r') && self.pending.is_empty() {
            shown.pop();
            self.pending = b"\r".to_vec();
        }
        self.inner.write_all(lines(&shown).as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            let text = String::from_utf8_lossy(&rest);
            self.inner.write_all(one_line(&text).as_bytes())?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_shows_every_control_character_and_borrows_clean_text() {
        assert!(matches!(one_line("plain text é"), Cow::Borrowed(_)));
        assert_eq!(
            one_line("a\x1b]0;owned\x07b\nc\td\u{9b}2J\x7f"),
            "a\\u001b]0;owned\\u0007b\\u000ac\\u0009d\\u009b2J\\u007f"
        );
    }

    #[test]
    fn lines_keeps_newlines_tabs_and_crlf_but_not_a_lone_carriage_return() {
        assert_eq!(lines("a\r\nb\tc\n"), "a\r\nb\tc\n");
        assert_eq!(lines("over\rwrite\x1b[2J"), "over\\u000dwrite\\u001b[2J");
    }

    #[test]
    fn the_writer_shows_a_stream_cut_anywhere_as_lines_shows_it_whole() {
        let text = "{\"t\":\"a\u{9b}b\x1bc é\r\nd\"}\r\n";
        let whole = lines(text).into_owned();
        for cut in 1..text.len() {
            let mut out = Vec::new();
            let mut writer = Lines::new(&mut out);
            writer.write_all(&text.as_bytes()[..cut]).unwrap();
            writer.write_all(&text.as_bytes()[cut..]).unwrap();
            writer.flush().unwrap();
            drop(writer);
            assert_eq!(String::from_utf8(out).unwrap(), whole, "cut at {cut}");
        }
        let mut out = Vec::new();
        Lines::new(&mut out).write_all(b"a\xffb").unwrap();
        assert_eq!(out, b"a\\xffb");
    }
}
