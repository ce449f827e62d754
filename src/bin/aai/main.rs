//! `aai`: transcribe recordings with AssemblyAI from the command line.
//!
//! stdout carries only results (text, JSON, subtitles, ids); progress, status,
//! warnings and errors go to stderr. Exit codes are in `failure.rs` and the
//! README.

mod args;
mod batch_progress;
mod commands;
mod duration;
mod failure;
mod help;
mod interrupt;
mod key;
mod output;
mod render;
mod report;
mod request_flags;
mod status;

use std::process::ExitCode;

use args::Args;
use failure::{CliResult, Failure};

fn main() -> ExitCode {
    interrupt::install();
    let raw: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let json = wants_json(&raw);
    match run(pico_args::Arguments::from_vec(raw)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(json),
    }
}

/// Whether errors are to be printed as JSON: `--json`, `--format json` or
/// `--format=json`. Read from the raw arguments, before parsing, so that even
/// a usage error (a bad flag, found while parsing) is reported as JSON to the
/// script that asked for it. A plain scan is enough: it is fooled only by a
/// command line that parsing then refuses anyway (`--format` as the value of
/// another flag).
fn wants_json(raw: &[std::ffi::OsString]) -> bool {
    raw.iter().enumerate().any(|(i, arg)| {
        arg == "--json"
            || arg == "--format=json"
            || (arg == "--format" && raw.get(i + 1).is_some_and(|next| next == "json"))
    })
}

fn run(mut raw: pico_args::Arguments) -> CliResult {
    let command = raw.subcommand()?;
    let wants_help = raw.contains(["-h", "--help"]);
    let Some(command) = command else {
        if raw.contains(["-V", "--version"]) {
            println!("aai {}", env!("CARGO_PKG_VERSION"));
            return Ok(());
        }
        if wants_help {
            print!("{}", help::MAIN);
            return Ok(());
        }
        return Err(match raw.finish().first() {
            Some(first) => Failure::usage(format!(
                "expected a command before {}",
                first.to_string_lossy()
            )),
            None => Failure::usage("no command given"),
        }
        .with_hint("try: aai transcribe recording.mp3, or aai --help"));
    };
    if command == "help" {
        let topic: Option<String> = raw.opt_free_from_str()?;
        let text = match topic.as_deref() {
            None => help::MAIN,
            Some(name) => help::for_command(name).ok_or_else(|| unknown_command(name))?,
        };
        print!("{text}");
        return Ok(());
    }
    let Some(&(name, handler)) = commands::ALL.iter().find(|(name, _)| *name == command) else {
        return Err(unknown_command(&command));
    };
    if wants_help {
        print!("{}", help::for_command(name).unwrap_or(help::MAIN));
        return Ok(());
    }
    handler(Args::new(raw, name))
}

fn unknown_command(name: &str) -> Failure {
    Failure::usage(format!("unknown command \"{name}\"")).with_hint(format!(
        "the commands are: {}; see aai --help",
        commands::ALL
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    ))
}
