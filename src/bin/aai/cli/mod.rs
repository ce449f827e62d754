//! The command line, declared once: every command is a [`Command`] beside
//! its run function (`commands/`), every flag a [`Flag`] in a group
//! (`flags.rs`, the commands' own, the request table). Parsing, the scan for
//! options before the command, help, the man page, completions and "did you
//! mean" are all made from those values.
//!
//! Adding a command: in its file under `commands/`, a `pub static NAME:
//! Command` (name, summary, operands, the groups it takes, `about` prose
//! and examples) beside its `fn run(mut args: Args) -> CliResult`, and one
//! line in `commands::ALL`. The run function asks for each flag by its long
//! name (`args.flag("--x")`, `args.value::<T>("--x")?`, `args.switch(..)`,
//! `args.values(..)`), then `args.finish()?` for the operands. A flag given
//! but never asked for is refused, so a declaration the code ignores can't
//! pass unnoticed.
//!
//! Adding a flag: a `static X: Flag` in a group (`flags.rs` when several
//! commands share it, else beside the command), or a row of
//! `request_flags/table.rs` for a request option. The global options
//! (`flags::GLOBAL`) are every command's; `flags::CONNECTION` is every
//! command's that talks to the API.

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
