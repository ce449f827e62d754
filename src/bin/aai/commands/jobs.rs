//! Commands about an existing transcript: `aai get` and `aai wait`.

use assemblyai::{ListQuery, TranscriptListItem, TranscriptStatus};

use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, Takes, flags};
use crate::commands::transcribe::{timeout_flag, wait_options, within};
use crate::failure::{CliResult, Failure, Kind};
use crate::output::{Output, Written};
use crate::render::{Format, Presentation};
use crate::status::Watcher;
// Server text (a message, a URL) loses the key; ids and statuses are shown as they are.
use crate::visible::{one_line, server};

pub static GET: Command = Command {
    name: "get",
    summary: "print a transcript's status (or --json, the object)",
    operands: &["TRANSCRIPT_ID"],
    completes: Operands::Words,
    groups: &[&flags::CONNECTION, &TO_FILE],
    about: "Prints queued, processing, completed, or error: MESSAGE; with --json, the \
transcript object as the API returned it; with --format, the completed transcript in that \
format, as aai transcribe prints it.",
    examples: "\
  aai get 5551722-f677-48a6-9287-39c0aafd9ac1
  aai get 5551722-f677-48a6-9287-39c0aafd9ac1 --json | jq .status
  aai get 5551722-f677-48a6-9287-39c0aafd9ac1 --format action-items",
    run: get,
};

/// `--format` and `-o`.
static TO_FILE: Group = Group {
    title: "Output options",
    flags: Members::Fixed(&[&flags::FORMAT, &flags::OUTPUT]),
};

pub static WAIT: Command = Command {
    name: "wait",
    summary: "wait for a transcript and print it like transcribe",
    operands: &["TRANSCRIPT_ID"],
    completes: Operands::Words,
    groups: &[&flags::CONNECTION, &flags::PRESENTATION, &flags::WAITING],
    about: "Picks up a job started by aai submit, aai transcribe --no-wait, or a run that \
timed out or was interrupted.",
    examples: "\
  aai wait 5551722-f677-48a6-9287-39c0aafd9ac1
  aai wait 5551722-f677-48a6-9287-39c0aafd9ac1 --format vtt -o talk.vtt",
    run: wait,
};

pub static DELETE: Command = Command {
    name: "delete",
    summary: "delete a transcript's data",
    operands: &["TRANSCRIPT_ID"],
    completes: Operands::Words,
    groups: &[&flags::CONNECTION],
    about: "Deletes a transcript's data, and the uploaded audio it used, and prints the id \
(with --json, the deleted transcript object). The API keeps a scrubbed record for billing.",
    examples: "\
  aai delete 5551722-f677-48a6-9287-39c0aafd9ac1",
    run: delete,
};

pub static LIST: Command = Command {
    name: "list",
    summary: "list transcripts, newest first (--all for every page)",
    operands: &[],
    completes: Operands::Nothing,
    groups: &[&flags::CONNECTION, &FILTERS],
    about: "Prints one line per transcript: id, status, created, audio URL (tab-separated \
when piped; an aligned table with relative times on a terminal). The API lists the last 90 \
days. With --json, the page as JSON (with --all, one transcript per line).",
    examples: "\
  aai list --status error
  aai list --all --created-on 2026-11-24 | cut -f1",
    run: list,
};

static LIMIT: Flag = Flag::valued(
    "--limit",
    Takes::Value,
    "N",
    "transcripts per page, 1 to 200 [default: 10]",
);
static STATUS: Flag = Flag::valued(
    "--status",
    Takes::Value,
    "STATUS",
    "only queued, processing, completed or error",
)
.knows(TranscriptStatus::KNOWN);
static CREATED_ON: Flag = Flag::valued(
    "--created-on",
    Takes::Value,
    "DATE",
    "only those created on DATE (YYYY-MM-DD)",
);
static BEFORE_ID: Flag = Flag::valued(
    "--before-id",
    Takes::Value,
    "ID",
    "only those older than ID",
);
static AFTER_ID: Flag = Flag::valued("--after-id", Takes::Value, "ID", "only those newer than ID");
static ALL: Flag = Flag::switch("--all", "walk every page, not only the first");

/// Which transcripts `aai list` shows.
static FILTERS: Group = Group {
    title: "List options",
    flags: Members::Fixed(&[&LIMIT, &STATUS, &CREATED_ON, &BEFORE_ID, &AFTER_ID, &ALL]),
};

/// Prints a transcript's status, or the whole object with `--json`.
pub fn get(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let mut json = args.flag("--json");
    let format = args.value::<Format>("--format")?;
    let output = Output::from_flag(args.path(["-o", "--output"])?);
    let id = args.finish()?.remove(0);
    output.check_writable()?;
    match format {
        Some(Format::Json) => json = true,
        Some(_) if json => {
            return Err(Failure::usage("--json and --format are exclusive; use one"));
        }
        _ => {}
    }
    // Observed, so retries against a failing server are reported, not silent.
    let status = Watcher::new(false, json, None);
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
            .with_hint(format!(
                "wait for it: aai wait {id} --format {}",
                format.name()
            )));
        }
        return Presentation::of_format(format, output).print(&client, &id, Some(&transcript));
    }
    let status = transcript.status.to_string();
    let text = match &transcript.error {
        Some(message) => format!("{}: {}\n", one_line(&status), server(message)),
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
    let id = args.finish()?.remove(0);
    presentation.check()?;
    let status = Watcher::new(quiet, presentation.is_json(), None);
    let client = status.observe(&connection.client(presentation.is_json())?);
    let transcript = client.wait_for_transcript(&id, &wait)?;
    presentation.finished(&client, &transcript)
}

/// Deletes a transcript's data and prints its id (or the scrubbed object).
pub fn delete(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let json = args.flag("--json");
    let id = args.finish()?.remove(0);
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
    args.finish()?;
    let client = within(connection.client(json)?, timeout);
    // A person at a terminal gets a table; a pipe keeps the TSV for `cut`.
    let table = !json && Output::Stdout.is_terminal();
    let line = |item: &TranscriptListItem| match table {
        true => table_line(item),
        false => list_line(item),
    };
    if table {
        Output::Stdout.write(table_header().as_bytes())?;
    }
    if !all {
        let page = client.list_transcripts(&query)?;
        let text = if json {
            crate::render::kept_json(page.raw_json(), &page)
        } else {
            page.transcripts
                .iter()
                .map(line)
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
            line(&item).into_bytes()
        };
        if Output::Stdout.write_piece(&text)? == Written::Closed {
            break;
        }
    }
    Ok(())
}

/// The widths of the table's columns: an id is a UUID, the longest status
/// `processing`, the longest age `10 minutes ago`. Fixed, so the table can be
/// printed page by page as `--all` fetches them.
const ID_WIDTH: usize = 36;
const STATUS_WIDTH: usize = 10;
const CREATED_WIDTH: usize = 14;

fn table_header() -> String {
    format!(
        "{:ID_WIDTH$}  {:STATUS_WIDTH$}  {:CREATED_WIDTH$}  AUDIO URL\n",
        "ID", "STATUS", "CREATED"
    )
}

/// One row of the table: aligned, with the age of the transcript.
fn table_line(item: &TranscriptListItem) -> String {
    let created = crate::ago::ago(&item.created, std::time::SystemTime::now())
        .unwrap_or_else(|| item.created.clone());
    format!(
        "{:ID_WIDTH$}  {:STATUS_WIDTH$}  {:CREATED_WIDTH$}  {}\n",
        one_line(&item.id),
        one_line(&item.status.to_string()),
        one_line(&created),
        server(&item.audio_url)
    )
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
        server(&item.audio_url)
    )
}
