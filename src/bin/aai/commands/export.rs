//! What a finished transcript turns into: `aai export`, `aai search`,
//! `aai redacted-audio`.

use std::fmt::Write as _;

use assemblyai::TranscriptStatus;

use crate::cli::{Args, Command, Connection, Group, Members, Operands, flags};
use crate::commands::transcribe::{timeout_flag, wait_options, within};
use crate::failure::{CliResult, Failure, Kind};
use crate::output::Output;
use crate::render::{Presentation, clock};
use crate::status::Watcher;
use crate::visible;

/// Prints a finished transcript in any `--format`, without waiting.
pub static EXPORT: Command = Command {
    name: "export",
    summary: "print a finished transcript in any --format (srt, vtt, ...)",
    operands: &["TRANSCRIPT_ID"],
    completes: Operands::Words,
    groups: &[&flags::CONNECTION, &flags::PRESENTATION],
    about: "Prints a finished transcript, without waiting. text prints the transcript and a \
section for each audio-intelligence result it has (highlights, entities, sentiment, content \
safety, topics, translations); utterances prints [HH:MM:SS] SPEAKER: text lines (speaker \
names when identified), for a transcript made with --speaker-labels or --multichannel.",
    examples: "\
  aai export 5551722-f677-48a6-9287-39c0aafd9ac1 --format srt -o talk.srt
  aai export 5551722-f677-48a6-9287-39c0aafd9ac1 --format utterances",
    run: export,
};

pub static SEARCH: Command = Command {
    name: "search",
    summary: "where words or phrases occur in a transcript",
    operands: &["TRANSCRIPT_ID", "WORD..."],
    completes: Operands::Words,
    groups: &[&flags::CONNECTION],
    about: "Each WORD is a word, a number, or a quoted phrase of up to 5 words. Prints one line \
per match: text, count, and the times it is said (tab-separated). Exits 1 when nothing \
matches, as grep does.",
    examples: "\
  aai search 5551722-f677-48a6-9287-39c0aafd9ac1 smoke \"air quality\"",
    run: search,
};

pub static REDACTED_AUDIO: Command = Command {
    name: "redacted-audio",
    summary: "wait for the PII-redacted audio; download it with -o FILE",
    operands: &["TRANSCRIPT_ID"],
    completes: Operands::Words,
    groups: &[&flags::CONNECTION, &DOWNLOAD, &flags::WAITING],
    about: "For a transcript created with --redact-pii --redact-pii-audio. Waits until the \
transcript is done and its redacted file is ready, then downloads it with -o (- for stdout), \
or prints its URL (valid 24 hours). --timeout covers the wait and the download.",
    examples: "\
  aai redacted-audio 5551722-f677-48a6-9287-39c0aafd9ac1 -o redacted.mp3
  aai redacted-audio 5551722-f677-48a6-9287-39c0aafd9ac1 -o - | ffplay -",
    run: redacted_audio,
};

/// Where the redacted audio goes.
static DOWNLOAD: Group = Group {
    title: "Output options",
    flags: Members::Fixed(&[&flags::OUTPUT]),
};

pub fn export(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let presentation = Presentation::parse(&mut args)?;
    let id = args.finish()?.remove(0);
    presentation.check()?;
    let client = within(connection.client(presentation.is_json())?, timeout);
    if !presentation.needs_transcript() {
        return presentation.print(&client, &id, None);
    }
    let transcript = client.get_transcript(&id)?;
    match &transcript.status {
        TranscriptStatus::Completed => presentation.finished(&client, &transcript),
        // Worded as the library's wait loop words it (its `failed` in
        // wait.rs, which is private), so `aai export` and `aai wait` report
        // the same failure the same way; keep the two in step.
        // The message is the server's text, so it loses the key as the
        // library's does.
        TranscriptStatus::Error => Err(assemblyai::Error::TranscriptFailed {
            message: client.redact_key(
                transcript
                    .error
                    .as_deref()
                    .filter(|message| !message.trim().is_empty())
                    .unwrap_or("the API gave no reason"),
            ),
            id,
        }
        .into()),
        // Not a usage error: a request was made, and its answer is what
        // stops the export, as the API's own export endpoints refuse a
        // transcript that is not done.
        status => Err(Failure::new(
            Kind::Api,
            format!("transcript {id} is {status}, not completed yet"),
        )
        .about(Some(&id))
        .with_hint(format!("wait for it and print it with: aai wait {id}"))),
    }
}

/// Prints where words or phrases occur.
pub fn search(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let json = args.flag("--json");
    let mut words = args.finish()?;
    let id = words.remove(0);
    if words.is_empty() {
        return Err(Failure::usage(
            "aai search needs at least one WORD after the id",
        ));
    }
    let client = within(connection.client(json)?, timeout);
    let found = client.word_search(&id, &words)?;
    let text = if json {
        crate::render::kept_json(found.raw_json(), &found)
    } else {
        let mut out = String::new();
        for hit in &found.matches {
            let at: Vec<String> = hit
                .timestamps
                .iter()
                .map(|[start, _]| clock(*start))
                .collect();
            let text = visible::server(&hit.text);
            let _ = writeln!(out, "{text}\t{}\t{}", hit.count, at.join(" "));
        }
        out.into_bytes()
    };
    Output::Stdout.write(&text)?;
    // Found: a match the API counts, or one it gives a time for (a count
    // it garbles is no reason to tell a script nothing matched).
    let matched = |hit: &assemblyai::WordSearchMatch| hit.count > 0 || !hit.timestamps.is_empty();
    match found.matches.iter().any(matched) {
        true => Ok(()),
        false => Err(Failure::new(Kind::NothingFound, "no match")),
    }
}

/// Waits for the PII-redacted audio, then downloads it with `-o` or prints
/// its URL.
pub fn redacted_audio(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let quiet = args.flag(["-q", "--quiet"]);
    let json = args.flag("--json");
    let wait = wait_options(&mut args)?;
    let output_flag = args.path(["-o", "--output"])?;
    // `-o -` downloads to stdout, as `-` means stdout everywhere else.
    let args_said_stdout = output_flag.as_deref() == Some(std::path::Path::new("-"));
    let output = Output::from_flag(output_flag);
    let id = args.finish()?.remove(0);
    output.check_writable()?;
    // Without -o the product is the URL; with it, audio, which a terminal
    // would take for commands.
    let downloads = !matches!(&output, Output::Stdout) || args_said_stdout;
    if downloads && output.is_terminal() {
        return Err(
            Failure::usage("the redacted audio is binary and the output is a terminal").with_hint(
                format!("redirect it (aai redacted-audio {id} -o - > audio.mp3) or give -o FILE"),
            ),
        );
    }
    let status = Watcher::new(quiet, json, None);
    let client = status.observe(&within(connection.client(json)?, wait.timeout));
    let ready = client.wait_for_redacted_audio(&id, &wait)?;
    if !downloads {
        let text = if json {
            crate::render::kept_json(ready.raw_json(), &ready)
        } else {
            format!("{}\n", visible::one_line(&ready.redacted_audio_url)).into_bytes()
        };
        return Output::Stdout.write(&text);
    }
    // The storage host's refusals are about the link, not the project of a
    // key, whatever hint the same status means from the API.
    output
        .download(|out| client.download_redacted_audio(&ready, out))
        .map_err(|failure| match failure.status {
            Some(_) => failure.with_hint(format!("ask for a fresh link: aai redacted-audio {id}")),
            None => failure,
        })
}
