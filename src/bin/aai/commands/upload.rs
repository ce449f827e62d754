//! `aai upload`: send a local file (or stdin) and print the URL to transcribe.

use std::io;

use crate::cli::{Args, Command, Connection, Operands, flags};
use crate::commands::transcribe::{timeout_flag, within};
use crate::failure::{CliResult, Failure};
use crate::output::Output;
use crate::status::Watcher;

pub static UPLOAD: Command = Command {
    name: "upload",
    summary: "upload a file and print the URL to transcribe",
    operands: &["FILE|-"],
    completes: Operands::Files,
    groups: &[&flags::CONNECTION],
    about: "The file is streamed in constant memory (up to 2.2 GB). The URL it prints is only \
usable by the API, with a key of the same project: pass it to aai submit. With --json it \
prints {\"upload_url\": ...}.",
    examples: "\
  aai upload interview.wav
  url=$(aai upload interview.wav) && aai submit \"$url\" --speaker-labels",
    run: upload,
};

pub fn upload(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let quiet = args.flag(["-q", "--quiet"]);
    let json = args.flag("--json");
    let source = args.finish()?.remove(0);
    if matches!(
        assemblyai::AudioSource::from(source.as_str()),
        assemblyai::AudioSource::Url(_)
    ) && !std::path::Path::new(&source).exists()
    {
        return Err(Failure::usage(format!(
            "aai upload sends a local file, and {} is a URL: the API fetches a URL itself",
            crate::visible::one_line(&source)
        ))
        .with_hint(format!(
            "transcribe it directly: aai transcribe {source} (or aai submit {source})"
        )));
    }
    let status = Watcher::new(quiet, json, None);
    let client = status.observe(&within(connection.client(json)?, timeout));
    let uploaded = if source == "-" {
        client.upload(io::stdin())?
    } else {
        client.upload_file(&source)?
    };
    let text = if json {
        crate::render::kept_json(uploaded.raw_json(), &uploaded)
    } else {
        format!("{}\n", crate::visible::one_line(&uploaded.upload_url)).into_bytes()
    };
    Output::Stdout.write(&text)
}
