//! What a finished transcript turns into: `aai export`, `aai search`,
//! `aai redacted-audio`.

use std::fmt::Write as _;

use assemblyai::TranscriptStatus;

use crate::args::{Args, Connection};
use crate::commands::transcribe::wait_options;
use crate::failure::{CliResult, Failure, Kind};
use crate::output::{AtomicFile, Output};
use crate::render::{Presentation, clock};
use crate::status::Status;

/// Prints a finished transcript in any `--format`, without waiting.
pub fn export(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let presentation = Presentation::parse(&mut args)?;
    let id = args.finish(&["TRANSCRIPT_ID"])?.remove(0);
    presentation.check()?;
    let client = connection.client(presentation.is_json())?;
    if !presentation.needs_transcript() {
        return presentation.print(&client, &id, None);
    }
    let transcript = client.get_transcript(&id)?;
    match &transcript.status {
        TranscriptStatus::Completed => presentation.finished(&client, &transcript),
        // Worded as the library's wait loop words it (its `failed` in
        // wait.rs, which is private), so `aai export` and `aai wait` report
        // the same failure the same way; keep the two in step.
        TranscriptStatus::Error => Err(assemblyai::Error::TranscriptFailed {
            message: transcript
                .error
                .clone()
                .filter(|message| !message.trim().is_empty())
                .unwrap_or_else(|| "the API gave no reason".to_owned()),
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
    let json = args.flag("--json");
    let mut words = args.finish(&["TRANSCRIPT_ID", "WORD..."])?;
    let id = words.remove(0);
    if words.is_empty() {
        return Err(Failure::usage(
            "aai search needs at least one WORD after the id",
        ));
    }
    let client = connection.client(json)?;
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
            let _ = writeln!(out, "{}\t{}\t{}", hit.text, hit.count, at.join(" "));
        }
        out.into_bytes()
    };
    Output::Stdout.write(&text)
}

/// Waits for the PII-redacted audio, then downloads it with `-o` or prints
/// its URL.
pub fn redacted_audio(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let quiet = args.flag(["-q", "--quiet"]);
    let json = args.flag("--json");
    let wait = wait_options(&mut args)?;
    let output = args.path(["-o", "--output"])?;
    let id = args.finish(&["TRANSCRIPT_ID"])?.remove(0);
    if let Some(path) = &output {
        Output::File(path.clone()).check_writable()?;
    }
    let status = Status::new(quiet, json, None);
    let client = status.observe(&connection.client(json)?);
    let ready = client.wait_for_redacted_audio(&id, &wait)?;
    let Some(path) = output else {
        let text = if json {
            crate::render::kept_json(ready.raw_json(), &ready)
        } else {
            format!("{}\n", ready.redacted_audio_url).into_bytes()
        };
        return Output::Stdout.write(&text);
    };
    let cannot_write =
        |error: std::io::Error| Failure::input(format!("cannot write {}: {error}", path.display()));
    let mut file = AtomicFile::create(&path).map_err(cannot_write)?;
    client.download_redacted_audio(&ready, &mut file)?;
    file.commit().map_err(cannot_write)
}
