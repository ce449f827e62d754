//! Commands about an existing transcript: `aai get` and `aai wait`.

use assemblyai::{ListQuery, TranscriptListItem, TranscriptStatus};

use crate::args::{Args, Connection};
use crate::commands::transcribe::{timeout_flag, wait_options, within};
use crate::failure::{CliResult, Failure, Kind};
use crate::output::{Output, Written};
use crate::render::{Format, Presentation};
use crate::status::Status;
use crate::visible::one_line;

/// Prints a transcript's status, or the whole object with `--json`.
pub fn get(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let mut json = args.flag("--json");
    let format = args.value::<Format>("--format")?;
    let output = Output::from_flag(args.path(["-o", "--output"])?);
    let id = args.finish(&["TRANSCRIPT_ID"])?.remove(0);
    output.check_writable()?;
    match format {
        Some(Format::Json) => json = true,
        Some(_) if json => {
            return Err(Failure::usage("--json and --format are exclusive; use one"));
        }
        _ => {}
    }
    // Observed, so retries against a failing server are reported, not silent.
    let status = Status::new(false, json, None);
    let client = status.observe(&within(connection.client(false)?, timeout));
    if json {
        // The server's bytes, streamed unparsed: lossless, in constant
        // memory, and as fast as a download.
        return output.stream(|out| client.download_transcript_json(&id, out));
    }
    let transcript = client.get_transcript(&id)?;
    crate::server_warnings::show(&transcript);
    if let Some(format) = format {
        if transcript.status != TranscriptStatus::Completed {
            let status = one_line(transcript.status.as_str()).into_owned();
            return Err(Failure::new(
                Kind::Api,
                format!("transcript {id} is {status}, not completed: it has nothing to print yet"),
            )
            .about(Some(&id))
            .with_hint(format!("wait for it: aai wait {id} --format FORMAT")));
        }
        return Presentation::of_format(format, output).print(&client, &id, Some(&transcript));
    }
    let status = transcript.status.to_string();
    let text = match &transcript.error {
        Some(message) => format!("{}: {}\n", one_line(&status), one_line(message)),
        None => format!("{}\n", one_line(&status)),
    };
    output.write(text.as_bytes())
}

/// Waits for a transcript to finish and prints it like `aai transcribe`.
pub fn wait(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let quiet = args.flag(["-q", "--quiet"]);
    let wait = wait_options(&mut args)?;
    let presentation = Presentation::parse(&mut args)?;
    let id = args.finish(&["TRANSCRIPT_ID"])?.remove(0);
    presentation.check()?;
    let status = Status::new(quiet, presentation.is_json(), None);
    let client = status.observe(&connection.client(presentation.is_json())?);
    let transcript = client.wait_for_transcript(&id, &wait)?;
    presentation.finished(&client, &transcript)
}

/// Deletes a transcript's data and prints its id (or the scrubbed object).
pub fn delete(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let json = args.flag("--json");
    let id = args.finish(&["TRANSCRIPT_ID"])?.remove(0);
    let client = within(connection.client(json)?, timeout);
    // The transcript's id on a failure is not one to pick up and wait for:
    // what is unknown is whether the delete was done.
    let deleted = client.delete_transcript(&id).map_err(|error| {
        let failure = Failure::from(error);
        match failure.kind {
            Kind::Timeout | Kind::Network => failure.with_hint(format!(
                "the delete may or may not have been done: see with aai get {id}, \
                 or run aai delete {id} again"
            )),
            _ => failure,
        }
    })?;
    let text = if json {
        crate::render::transcript_json(&deleted)
    } else {
        format!("{}\n", one_line(&deleted.id)).into_bytes()
    };
    Output::Stdout.write(&text)
}

/// Lists transcripts, newest first: one page, or every page with `--all`.
pub fn list(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let json = args.flag("--json");
    let all = args.flag("--all");
    let mut query = ListQuery::default();
    query.limit = args.whole_number("--limit", 1)?;
    query.status = args.value::<TranscriptStatus>("--status")?;
    query.created_on = args.value("--created-on")?;
    query.before_id = args.value("--before-id")?;
    query.after_id = args.value("--after-id")?;
    args.finish(&[])?;
    let client = within(connection.client(json)?, timeout);
    if !all {
        let page = client.list_transcripts(&query)?;
        let text = if json {
            crate::render::kept_json(page.raw_json(), &page)
        } else {
            page.transcripts
                .iter()
                .map(list_line)
                .collect::<String>()
                .into_bytes()
        };
        return Output::Stdout.write(&text);
    }
    // Printed as pages come, so a long history streams; a reader that has
    // closed the pipe (`| head`) ends the walk before the next page is fetched.
    for item in client.list_all_transcripts(&query) {
        let item = item?;
        let text = if json {
            crate::render::kept_json(item.raw_json(), &item)
        } else {
            list_line(&item).into_bytes()
        };
        if Output::Stdout.write_piece(&text)? == Written::Closed {
            break;
        }
    }
    Ok(())
}

/// `id  status  created  audio_url`, tab-separated for `cut` and `awk`;
/// each field on one line and free of tabs, whatever the server sent, so
/// the columns hold and a terminal is not commanded.
fn list_line(item: &TranscriptListItem) -> String {
    format!(
        "{}\t{}\t{}\t{}\n",
        one_line(&item.id),
        one_line(&item.status.to_string()),
        one_line(&item.created.to_string()),
        one_line(&item.audio_url)
    )
}
