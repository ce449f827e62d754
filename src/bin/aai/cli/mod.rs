//! The command line, declared once: every command is a [`Command`] beside
//! its run function (`commands/`), every flag a [`Flag`] in a group
//! (`flags.rs`, the commands' own, the request table). Parsing, the scan for
//! options before the command, help, the man page, completions and "did you
//! mean" are all made from those values.

mod args;
mod command;
mod completions;
mod connection;
pub mod duration;
mod flag;
pub mod flags;
pub mod help;
pub mod man;
mod suggest;

pub use args::Args;
pub use command::{Command, Group, Members, Operands};
pub use completions::COMPLETIONS;
pub use connection::{Connection, unreachable_hint};
pub use flag::{Flag, Takes};
pub use help::{HELP, main_help, render as command_help};
pub use man::MAN;
pub use suggest::closest;

/// Every command, in help order.
pub fn commands() -> &'static [&'static Command] {
    crate::commands::ALL
}

/// The command named `name`.
pub fn command(name: &str) -> Option<&'static Command> {
    commands()
        .iter()
        .copied()
        .find(|command| command.name == name)
}

/// Whether option `name` takes the next word as its value, in whichever
/// command declares it (the same name has the same form everywhere, which
/// a test checks): how the options before the command word are read.
pub fn takes_value(name: &str) -> bool {
    commands()
        .iter()
        .flat_map(|command| command.flags())
        .any(|flag| flag.takes_value() && (flag.long == name || flag.short == Some(name)))
}

/// The arguments with the command moved to the front, so that options
/// given before it (`aai --out-dir D batch SRC`, `aai --json get ID`) are
/// read as that command's, as they would be after it.
pub fn command_first(mut raw: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut at = 0;
    while let Some(arg) = raw.get(at).and_then(|arg| arg.to_str()) {
        if !arg.starts_with('-') || arg == "-" {
            let command = raw.remove(at);
            raw.insert(0, command);
            break;
        }
        at += if !arg.contains('=') && takes_value(arg) {
            2
        } else {
            1
        };
    }
    raw
}

/// The error for a command that does not exist, with the closest one.
pub fn unknown_command(name: &str) -> crate::failure::Failure {
    let names = commands().iter().map(|command| command.name);
    let failure = crate::failure::Failure::usage(format!("unknown command \"{name}\""));
    if let Some(near) = closest(name, names.clone()) {
        return failure.with_hint(format!("did you mean `{near}`? see aai --help"));
    }
    failure.with_hint(format!(
        "the commands are: {}; see aai --help",
        names.collect::<Vec<_>>().join(", ")
    ))
}

#[cfg(test)]
mod tests;
