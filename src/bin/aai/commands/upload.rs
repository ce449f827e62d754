//! `aai upload`: send a local file (or stdin) and print the URL to transcribe.

use std::io;

use crate::args::{Args, Connection};
use crate::failure::CliResult;
use crate::output::Output;
use crate::status::Status;

pub fn upload(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let quiet = args.flag(["-q", "--quiet"]);
    let json = args.flag("--json");
    let source = args.finish(&["FILE|-"])?.remove(0);
    let status = Status::new(quiet, json, None);
    let client = status.observe(&connection.client(json)?);
    let uploaded = if source == "-" {
        client.upload(io::stdin())?
    } else {
        client.upload_file(&source)?
    };
    let text = if json {
        crate::render::kept_json(uploaded.raw_json(), &uploaded)
    } else {
        format!("{}\n", uploaded.upload_url).into_bytes()
    };
    Output::Stdout.write(&text)
}
