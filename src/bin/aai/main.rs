//! `aai`: transcribe recordings with AssemblyAI from the command line.
//!
//! stdout carries only results (text, JSON, subtitles, ids); progress, status,
//! warnings and errors go to stderr. Exit codes are in `failure.rs` and the
//! README.
//!
//! The parts, by role:
//! - `cli/`: the command line, declared once (flags, commands, parsing,
//!   help, man page, completions, suggestions); `commands/`: each command's
//!   declaration beside its run function; `request_flags/`: the request
//!   options' table;
//! - `ui/`: terminal output (every stderr line, the one live line, rendering,
//!   progress, output files);
//! - `user/`: the key, the config file, aai's directory;
//! - `process/`: signals; `failure.rs`: what can fail and the exit codes.

mod cli;
mod commands;
mod failure;
mod process;
mod request_flags;
mod ui;
mod user;

// The modules by their short names, wherever they live.
use cli::duration;
use process::interrupt;
use ui::{
    ago, batch_progress, live, notice, output, render, report, server_warnings, status,
    understanding, visible,
};
use user::{config, key, prompt, store};

use std::ffi::OsString;
use std::process::ExitCode;

use failure::{CliResult, Failure};

fn main() -> ExitCode {
    interrupt::install();
    let mut raw: Vec<OsString> = std::env::args_os().skip(1).collect();
    // Everything after `--` is an operand (a file named `-x.mp3`), never an
    // option.
    let operands = match raw.iter().position(|arg| arg == "--") {
        Some(at) => raw.split_off(at).split_off(1),
        None => Vec::new(),
    };
    let json = wants_json(&raw);
    notice::set_json(json);
    // Read before parsing too, so that a usage error is coloured as asked.
    if let Some(when) = color_asked(&raw) {
        live::set_color(&when);
    }
    notice::on_interrupt("interrupted", None);
    let outcome = run(cli::command_first(raw), operands);
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
/// script that asked for it.
fn wants_json(raw: &[OsString]) -> bool {
    raw.iter().enumerate().any(|(i, arg)| {
        arg == "--json"
            || arg == "--format=json"
            || (arg == "--format" && raw.get(i + 1).is_some_and(|next| next == "json"))
    })
}

/// The `--color` value among the raw arguments, if any (the last one).
fn color_asked(raw: &[OsString]) -> Option<String> {
    let mut asked = None;
    for (i, arg) in raw.iter().enumerate() {
        let arg = arg.to_string_lossy();
        if let Some(value) = arg.strip_prefix("--color=") {
            asked = Some(value.to_owned());
        } else if arg == "--color" {
            asked = raw
                .get(i + 1)
                .map(|next| next.to_string_lossy().into_owned());
        }
    }
    asked
}

/// Whether `-h` or `--help` is among the options: help comes first, before
/// any other check of the command line.
fn wants_help(raw: &[OsString]) -> bool {
    raw.iter().any(|arg| arg == "-h" || arg == "--help")
}

fn run(mut raw: Vec<OsString>, operands: Vec<OsString>) -> CliResult {
    let first = raw.first().and_then(|arg| arg.to_str()).map(str::to_owned);
    let command = match first {
        Some(word) if !word.starts_with('-') => {
            raw.remove(0);
            cli::command(&word).ok_or_else(|| cli::unknown_command(&word))?
        }
        _ => return no_command(&raw),
    };
    if wants_help(&raw) {
        let text = cli::command_help(command, cli::help::width());
        return output::Output::Stdout.write(text.as_bytes());
    }
    let mut args = cli::Args::parse(command, raw, operands)?;
    apply_globals(&mut args)?;
    (command.run)(args)
}

/// The options every command takes, acted on here once for all: colour,
/// verbosity, JSON on stderr.
fn apply_globals(args: &mut cli::Args) -> CliResult {
    if let Some(when) = args.value::<String>("--color")? {
        live::set_color(&when);
    }
    notice::set_verbosity(args.count(["-v", "--verbose"]));
    if args.flag("--json") {
        notice::set_json(true);
    }
    args.read_by_main(&["--help", "--json", "--quiet", "--verbose", "--color"]);
    Ok(())
}

/// `aai`, `aai --help`, `aai --version`, or options with no command.
fn no_command(raw: &[OsString]) -> CliResult {
    if raw.iter().any(|arg| arg == "-V" || arg == "--version") {
        let text = format!("aai {} ({})\n", env!("CARGO_PKG_VERSION"), features());
        return output::Output::Stdout.write(text.as_bytes());
    }
    if wants_help(raw) {
        let text = cli::main_help(cli::help::width());
        return output::Output::Stdout.write(text.as_bytes());
    }
    // Options were given, but no command word among them.
    Err(Failure::usage("no command given")
        .with_hint("try: aai transcribe recording.mp3, or aai --help"))
}

/// The features this binary was built with, for `aai --version`.
fn features() -> String {
    let mut built = Vec::new();
    if cfg!(feature = "streaming") {
        built.push("streaming");
    }
    if cfg!(feature = "emulator") {
        built.push("emulator");
    }
    match built.is_empty() {
        true => "no optional features".to_owned(),
        false => format!("features: {}", built.join(", ")),
    }
}
