//! `aai`: transcribe recordings with AssemblyAI from the command line.
//!
//! stdout carries only results (text, JSON, subtitles, ids); progress, status,
//! warnings and errors go to stderr. Exit codes are in `failure.rs` and the
//! README.

mod args;
mod batch_progress;
mod commands;
mod completions;
mod config;
mod duration;
mod failure;
mod help;
mod interrupt;
mod key;
mod live;
mod notice;
mod output;
mod prompt;
mod render;
mod report;
mod request_flags;
mod server_warnings;
mod spec;
mod status;
mod store;
mod suggest;
mod understanding;
mod visible;

use std::process::ExitCode;

use args::Args;
use failure::{CliResult, Failure};

fn main() -> ExitCode {
    interrupt::install();
    let mut raw: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // Everything after `--` is an operand (a file named `-x.mp3`), never an
    // option: pico-args would look for flags there too, so it never sees it.
    let operands = match raw.iter().position(|arg| arg == "--") {
        Some(at) => raw.split_off(at).split_off(1),
        None => Vec::new(),
    };
    let json = wants_json(&raw);
    notice::set_json(json);
    notice::on_interrupt("interrupted", None);
    let outcome = run(pico_args::Arguments::from_vec(command_first(raw)), operands);
    // A live line still drawn is erased: the error, or the shell's prompt,
    // must not land on it.
    live::close();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // JSON may also have been chosen by a default (`format = json`).
        Err(failure) => failure.report(notice::is_json()),
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

/// The arguments with the command moved to the front, so that options
/// given before it (`aai --api-key-file k list`, `aai --json get ID`) are
/// read as that command's, as they would be after it. The options skipped on
/// the way are known by name: those that take a value take the next word.
fn command_first(mut raw: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut at = 0;
    while let Some(arg) = raw.get(at).and_then(|arg| arg.to_str()) {
        if !arg.starts_with('-') || arg == "-" {
            let command = raw.remove(at);
            raw.insert(0, command);
            break;
        }
        at += if !arg.contains('=') && args::takes_value(arg) {
            2
        } else {
            1
        };
    }
    raw
}

fn run(mut raw: pico_args::Arguments, operands: Vec<std::ffi::OsString>) -> CliResult {
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
        if let Some(extra) = raw.finish().first().or(operands.first()) {
            return Err(Failure::usage(format!(
                "unexpected argument \"{}\" for aai help",
                extra.to_string_lossy()
            ))
            .with_hint("aai help COMMAND explains one command"));
        }
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
    handler(Args::new(raw, name).with_operands(operands))
}

fn unknown_command(name: &str) -> Failure {
    let names = commands::ALL.iter().map(|(name, _)| *name);
    let failure = Failure::usage(format!("unknown command \"{name}\""));
    if let Some(near) = suggest::closest(name, names.clone().chain(["help"])) {
        return failure.with_hint(format!("did you mean `{near}`? see aai --help"));
    }
    failure.with_hint(format!(
        "the commands are: {}; see aai --help",
        names.collect::<Vec<_>>().join(", ")
    ))
}
