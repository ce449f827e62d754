//! What a finished transcript can be turned into: subtitles, sentences,
//! paragraphs, word search results, and the PII-redacted audio.

use std::io::Write;
use std::thread;
use std::time::Instant;

use crate::deadline::Deadline;
use crate::wait::PollFailures;

use crate::reply::{copy_body, over_limit};
use crate::request::{Call, check_transcript_id, encode_query};
use crate::{
    Client, Error, ParagraphsResponse, RedactedAudioResponse, RedactedAudioStatus, Result,
    SentencesResponse, SubtitleFormat, WaitOptions, WordSearchResponse,
};

/// The longest the redacted audio's body may take to arrive: an hour, for a
/// file of up to a GB or so on a slow link.
const REDACTED_AUDIO_BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3600);

/// The most words or phrases one word search may ask for; longer lists make
/// URLs that proxies refuse.
const MAX_SEARCH_TERMS: usize = 100;

impl Client {
    /// The transcript as SRT or WebVTT subtitles, `chars_per_caption` long at
    /// most when given.
    ///
    /// ```no_run
    /// use assemblyai::{Client, SubtitleFormat};
    ///
    /// let client = Client::from_env()?;
    /// let srt = client.get_subtitles("5551722-f677-48a6-9287-39c0aafd9ac1", SubtitleFormat::Srt, Some(32))?;
    /// std::fs::write("talk.srt", srt)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed id, a zero `chars_per_caption`
    /// or a format the API doesn't know; API errors (e.g. 400 when the
    /// transcript is not completed).
    pub fn get_subtitles(
        &self,
        id: &str,
        format: SubtitleFormat,
        chars_per_caption: Option<u32>,
    ) -> Result<String> {
        check_transcript_id(id)?;
        if !format.is_known() {
            return Err(Error::invalid_input(format!(
                "unknown subtitle format \"{format}\"; expected srt or vtt"
            )));
        }
        let mut path = format!("/v2/transcript/{id}/{format}");
        if let Some(chars) = chars_per_caption {
            if chars == 0 {
                return Err(Error::invalid_input("chars_per_caption must be at least 1"));
            }
            path.push_str(&format!("?chars_per_caption={chars}"));
        }
        // Subtitles are text (the spec lists text/plain and text/html);
        // asking for JSON only would be refused by a server that negotiates.
        // Errors still come as JSON.
        let call = Call::get(path)
            .about(id)
            .accepting("text/plain, application/json");
        let reply = self.fetch(call)?;
        match std::str::from_utf8(&reply.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(err) => {
                let message = format!("the subtitles are not UTF-8 text: {err}");
                Err(self.invalid_reply(&reply, message))
            }
        }
    }

    /// The transcript split into sentences, with timings and words.
    ///
    /// # Errors
    ///
    /// As [`get_subtitles`](Self::get_subtitles).
    pub fn get_sentences(&self, id: &str) -> Result<SentencesResponse> {
        self.get_export(id, "sentences")
    }

    /// The transcript split into paragraphs, with timings and words.
    ///
    /// # Errors
    ///
    /// As [`get_subtitles`](Self::get_subtitles).
    pub fn get_paragraphs(&self, id: &str) -> Result<ParagraphsResponse> {
        self.get_export(id, "paragraphs")
    }

    /// Where words or phrases (up to 5 words each) occur in the transcript.
    ///
    /// ```no_run
    /// let client = assemblyai::Client::from_env()?;
    /// let found = client.word_search("5551722-f677-48a6-9287-39c0aafd9ac1", &["smoke", "air quality"])?;
    /// for hit in found.matches {
    ///     println!("{}: {} times", hit.text, hit.count);
    /// }
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `words` is empty, a term is blank or has
    /// more than 5 words or a comma (the API separates terms by commas);
    /// API errors as [`get_subtitles`](Self::get_subtitles).
    pub fn word_search<S: AsRef<str>>(&self, id: &str, words: &[S]) -> Result<WordSearchResponse> {
        check_transcript_id(id)?;
        if words.is_empty() || words.len() > MAX_SEARCH_TERMS {
            return Err(Error::invalid_input(format!(
                "word search needs between 1 and {MAX_SEARCH_TERMS} words or phrases"
            )));
        }
        let mut terms = Vec::with_capacity(words.len());
        for word in words {
            let word = word.as_ref().trim();
            if word.is_empty() || word.contains(',') || word.split_whitespace().count() > 5 {
                return Err(Error::invalid_input(format!(
                    "cannot search for \"{word}\": each term is a word, a number or a phrase of \
                     up to 5 words, without commas"
                )));
            }
            terms.push(encode_query(word));
        }
        // Comma-separated, unencoded commas: the spec's `style: form, explode: false`.
        let path = format!("/v2/transcript/{id}/word-search?words={}", terms.join(","));
        self.fetch_json(Call::get(path).about(id))
    }

    /// The status and URL of the PII-redacted audio of a transcript created
    /// with `redact_pii_audio`. `Ok(None)` means it is still being prepared
    /// (the API answers 202): ask again in a few seconds.
    ///
    /// ```no_run
    /// let client = assemblyai::Client::from_env()?;
    /// if let Some(ready) = client.get_redacted_audio("5551722-f677-48a6-9287-39c0aafd9ac1")? {
    ///     let mut file = std::fs::File::create("redacted.mp3")?;
    ///     client.download_redacted_audio(&ready, &mut file)?;
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// API errors: 400 when the transcript was not created with
    /// `redact_pii_audio`, or its redacted audio has expired (the files live
    /// for 24 hours).
    pub fn get_redacted_audio(&self, id: &str) -> Result<Option<RedactedAudioResponse>> {
        self.get_redacted_audio_within(id, Deadline::none())
    }

    /// Polls [`get_redacted_audio`](Self::get_redacted_audio) until the
    /// redacted audio is ready, on `options`' schedule and within its
    /// timeout. Asked for before the transcript completes, the API answers
    /// 400 ("Transcript is not completed") rather than "not yet": the wait
    /// then waits for the transcript first, within the same timeout.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use assemblyai::{Client, WaitOptions};
    ///
    /// let client = Client::from_env()?;
    /// let options = WaitOptions::default().timeout(Duration::from_secs(120));
    /// let ready = client.wait_for_redacted_audio("5551722-f677-48a6-9287-39c0aafd9ac1", &options)?;
    /// println!("{}", ready.redacted_audio_url);
    /// # Ok::<(), assemblyai::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Timeout`] when the timeout passes first, and those of
    /// [`get_redacted_audio`](Self::get_redacted_audio).
    pub fn wait_for_redacted_audio(
        &self,
        id: &str,
        options: &WaitOptions,
    ) -> Result<RedactedAudioResponse> {
        let deadline = self.bounded(Deadline::after(options.timeout));
        let started = Instant::now();
        let mut failures = PollFailures::default();
        let mut waited_for_transcript = false;
        loop {
            let interval = options.poll.interval(started.elapsed());
            let pause = match self.get_redacted_audio_within(id, deadline) {
                Ok(Some(ready)) => return Ok(ready),
                // Not completed yet (or never to have redacted audio, which
                // the next answer, once it is done, says again): wait for the
                // transcript once, within the same deadline, then ask again.
                Err(Error::Api { status: 400, .. }) if !waited_for_transcript => {
                    waited_for_transcript = true;
                    let mut transcript_wait = options.clone();
                    transcript_wait.timeout = deadline.remaining();
                    self.wait_for_transcript(id, &transcript_wait)?;
                    continue;
                }
                Ok(None) => {
                    failures = PollFailures::default();
                    interval
                }
                // Transient failures don't end the wait, as for transcripts.
                Err(error) => self.after_failed_poll(&mut failures, error, interval, id)?,
            };
            thread::sleep(deadline.clamp(pause));
            if deadline.expired() {
                return Err(deadline.timeout_error(Some(id)));
            }
        }
    }

    fn get_redacted_audio_within(
        &self,
        id: &str,
        deadline: Deadline,
    ) -> Result<Option<RedactedAudioResponse>> {
        check_transcript_id(id)?;
        let path = format!("/v2/transcript/{id}/redacted-audio");
        let reply = self.fetch(Call::get(path).about(id).within(deadline))?;
        // 202: still being prepared (the SDKs' behaviour; the spec is silent).
        if reply.status == 202 {
            return Ok(None);
        }
        let answer: RedactedAudioResponse = self.decode_kept(reply)?;
        // A 200 that does not say ready (`processing`, no URL yet) is not
        // ready either: downloading its URL would fetch nothing.
        let ready = answer.status == RedactedAudioStatus::RedactedAudioReady
            && !answer.redacted_audio_url.trim().is_empty();
        Ok(ready.then_some(answer))
    }

    /// Streams the redacted audio file to `writer` and returns its size.
    ///
    /// The file is fetched from the URL the API gave, which is a pre-signed
    /// storage link: the API key is not sent with it.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] when the link answers with an error (it expires after
    /// 24 hours), [`Error::Io`] when writing fails, transport errors.
    pub fn download_redacted_audio(
        &self,
        redacted: &RedactedAudioResponse,
        writer: &mut dyn Write,
    ) -> Result<u64> {
        let url = redacted.redacted_audio_url.as_str();
        let host = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or(url);
        let transport = |err: ureq::Error| Error::Http {
            context: format!("downloading the redacted audio from {host} failed"),
            source: Box::new(err),
            transcript_id: None,
        };
        // Storage may redirect (unlike the API), and no key goes there, so
        // following is safe.
        // A file of any size: an hour for its body rather than the API's
        // ten minutes, and the caller's deadline, if any, over everything.
        let request = self
            .shared
            .agent
            .get(url)
            .config()
            .max_redirects(5)
            .timeout_recv_body(Some(REDACTED_AUDIO_BODY_TIMEOUT))
            .timeout_global(self.deadline.remaining())
            .build();
        let mut response = request.call().map_err(transport)?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            let why = match status {
                403 => {
                    "the storage host refused the link: it has expired or its signature no longer \
                     holds (redacted audio links live 24 hours); ask for a new one"
                }
                400 | 404 | 410 => {
                    "the link has probably expired (redacted audio lives 24 hours): ask for a new one"
                }
                _ => "the download was refused",
            };
            return Err(Error::Api {
                status,
                message: format!("the storage host {host} answered {status}: {why}"),
                transcript_id: None,
                retry_after: None,
                request_id: None,
            });
        }
        // Audio hardly compresses, so a compressed reply that inflates past
        // the reply limit is a bomb (it would fill the disk, not the
        // memory). ureq hides whether it inflates (it drops the header), so
        // the limit holds whenever the length was not declared up front; a
        // file of a declared length costs the server what it costs us.
        let undeclared = response.body().content_length().is_none();
        let limit = self.shared.max_reply_bytes;
        let mut seen = 0u64;
        copy_body(
            &mut response.body_mut().as_reader(),
            writer,
            "the redacted audio",
            self.deadline,
            |chunk| {
                seen += chunk.len() as u64;
                match undeclared && seen > limit {
                    true => Err(over_limit(status, limit, None)),
                    false => Ok(()),
                }
            },
        )
    }

    fn get_export<T: serde::de::DeserializeOwned + crate::types::raw::KeepsRawJson>(
        &self,
        id: &str,
        what: &str,
    ) -> Result<T> {
        check_transcript_id(id)?;
        self.fetch_json(Call::get(format!("/v2/transcript/{id}/{what}")).about(id))
    }
}
