//! Commands about an existing transcript: `aai get` and `aai wait`.

use crate::args::{Args, Connection};
use crate::commands::transcribe::wait_options;
use crate::failure::{CliResult, Failure, Kind};
use crate::output::Output;
use crate::render::Presentation;
use crate::status::Status;

/// Prints a transcript's status, or the whole object with `--json`.
pub fn get(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let json = args.flag("--json");
    let output = Output::from_flag(args.path(["-o", "--output"])?);
    let id = args.finish(&["TRANSCRIPT_ID"])?.remove(0);
    output.check_writable()?;
    // Observed, so retries against a failing server are reported, not silent.
    let status = Status::new(false, json, None);
    let client = status.observe(&connection.client(json)?);
    let transcript = client.get_transcript(&id).map_err(naming(&id))?;
    let text = if json {
        crate::render::transcript_json(&transcript)
    } else {
        match &transcript.error {
            Some(message) => format!("{}: {message}\n", transcript.status),
            None => format!("{}\n", transcript.status),
        }
        .into_bytes()
    };
    output.write(&text)
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
    let transcript = client
        .wait_for_transcript(&id, &wait)
        .map_err(naming(&id))?;
    presentation.finished(&client, &transcript)
}

/// The library names the transcript in API errors and timeouts, but not when
/// its replies were unreadable or the network failed, which is just when the
/// user needs the id to resume.
fn naming(id: &str) -> impl Fn(assemblyai::Error) -> Failure + '_ {
    move |error| {
        let failure = Failure::from(error);
        match failure.kind {
            Kind::Network => failure.about(Some(id)),
            _ => failure,
        }
    }
}
