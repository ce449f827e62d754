//! A command of the command line, declared as a value beside its run
//! function (cargo's `cli()` + `exec()`): its name, summary, operands, the
//! flag groups it takes, and its help prose and examples.

use super::args::Args;
use super::flag::Flag;
use crate::failure::CliResult;

/// A set of flags that go together (connection, output, request options),
/// shown under one title in help.
pub struct Group {
    pub title: &'static str,
    pub flags: Members,
}

/// The flags of a group.
pub enum Members {
    /// Declared here, as values.
    Fixed(&'static [&'static Flag]),
    /// Made from a table once (the request options).
    Built(fn() -> &'static [Flag]),
}

impl Group {
    /// The group's flags, in help order.
    pub fn flags(&self) -> Vec<&'static Flag> {
        match self.flags {
            Members::Fixed(flags) => flags.to_vec(),
            Members::Built(build) => build().iter().collect(),
        }
    }
}

/// What a command's operands are, for completions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operands {
    /// Local files (or URLs, `-`).
    Files,
    /// Other words: ids, search terms.
    Words,
    /// A command's name (`aai help COMMAND`).
    Commands,
    /// A shell's name.
    Shells,
    /// `aai config ACTION KEY VALUE`.
    Config,
    /// None at all.
    Nothing,
}

/// One command: `aai NAME [OPTIONS] OPERANDS`.
pub struct Command {
    pub name: &'static str,
    /// One line, for `aai --help` and completions.
    pub summary: &'static str,
    /// The operands in usage order; a last one ending in `...` takes many;
    /// one in brackets is optional.
    pub operands: &'static [&'static str],
    pub completes: Operands,
    /// The flag groups it takes besides the global options.
    pub groups: &'static [&'static Group],
    /// Prose after the usage line: what it does and what its operands are.
    pub about: &'static str,
    /// `Examples:` lines, each `  aai ...` or `  # comment`.
    pub examples: &'static str,
    pub run: fn(Args) -> CliResult,
}

impl Command {
    /// Every flag it takes, the global options last.
    pub fn flags(&self) -> Vec<&'static Flag> {
        self.groups()
            .into_iter()
            .flat_map(|group| group.flags())
            .collect()
    }

    /// Its groups, the global options last.
    pub fn groups(&self) -> Vec<&'static Group> {
        let mut groups = self.groups.to_vec();
        groups.push(&super::flags::GLOBAL);
        groups
    }

    /// The flag named `name` (any spelling), if it takes it.
    pub fn flag(&self, name: &str) -> Option<&'static Flag> {
        self.flags().into_iter().find(|flag| flag.is_named(name))
    }

    /// The usage line's operands: `FILE|URL|-`.
    pub fn operand_usage(&self) -> String {
        self.operands.join(" ")
    }
}
