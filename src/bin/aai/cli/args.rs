//! The parsed command line of one command: every flag it declares, read
//! with pico-args (values, `--x=v`) and the declaration (switches, `--no-x`,
//! `-vv`), then handed to the command's run function, which asks for each
//! flag by name.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::PathBuf;
use std::str::FromStr;

use super::command::Command;
use super::flag::{Flag, Takes};
use crate::failure::{CliResult, Failure};

/// A flag's spelling as a run function names it: `"--json"`, or
/// `["-o", "--output"]`.
pub trait FlagName: Copy {
    /// The long name, by which flags are looked up.
    fn shown(self) -> &'static str;
}

impl FlagName for &'static str {
    fn shown(self) -> &'static str {
        self
    }
}

impl FlagName for [&'static str; 2] {
    fn shown(self) -> &'static str {
        self[1]
    }
}

/// What the command line gave for one flag.
#[derive(Default, Debug)]
struct Given {
    /// Times a switch was given.
    count: usize,
    /// `--no-x` given.
    negated: bool,
    /// Every value, in order.
    values: Vec<String>,
}

/// The arguments of one command, parsed against its declaration.
pub struct Args {
    /// `aai NAME`, for messages.
    command: &'static str,
    operands: &'static [&'static str],
    flags: Vec<&'static Flag>,
    given: BTreeMap<&'static str, Given>,
    positionals: Vec<String>,
    /// Flags the run function asked for: one given but never asked for is a
    /// declaration the code does not honour, reported rather than ignored.
    read: BTreeSet<&'static str>,
}

impl Args {
    /// Parses `raw` (the words after the command's name) and the words after
    /// `--` (`operands`, taken whatever they look like) against `command`.
    pub fn parse(
        command: &'static Command,
        raw: Vec<OsString>,
        operands: Vec<OsString>,
    ) -> CliResult<Args> {
        let mut args = Args::parse_flags(command.name, command.flags(), raw)?;
        args.operands = command.operands;
        for operand in operands {
            args.positionals.push(os_to_string(operand)?);
        }
        Ok(args)
    }

    /// Parses `raw` against `flags` alone (a config default read as its
    /// flag would be); `context` names the command in messages.
    pub fn parse_flags(
        context: &'static str,
        flags: Vec<&'static Flag>,
        raw: Vec<OsString>,
    ) -> CliResult<Args> {
        let mut pico = pico_args::Arguments::from_vec(expand_clusters(&flags, raw));
        let mut given: BTreeMap<&'static str, Given> = BTreeMap::new();
        // Valued flags first: each takes the word after it, whatever that
        // looks like, before the rest is read as switches and operands.
        for flag in flags.iter().filter(|flag| flag.takes_value()) {
            let keys: pico_args::Keys = match flag.short {
                Some(short) => [short, flag.long].into(),
                None => flag.long.into(),
            };
            loop {
                // `--x=v` too (pico-args reads it in its str functions only).
                let value: Option<String> = pico
                    .opt_value_from_fn(keys, |text| Ok::<_, String>(text.to_owned()))
                    .map_err(|err| match err {
                        pico_args::Error::OptionWithoutAValue(_) => {
                            Failure::usage(format!("{} needs a value", flag.long))
                                .with_hint(format!("{}; see: aai {context} --help", flag.usage()))
                        }
                        other => Failure::usage(format!("{}: {other}", flag.long)),
                    })?;
                let Some(value) = value else { break };
                check_choices(flag, &value)?;
                given.entry(flag.long).or_default().values.push(value);
            }
        }
        let mut positionals = Vec::new();
        for arg in pico.finish() {
            let arg = os_to_string(arg)?;
            if !arg.starts_with('-') || arg == "-" {
                positionals.push(arg);
                continue;
            }
            let name = arg.split_once('=').map_or(arg.as_str(), |(name, _)| name);
            let Some(flag) = flags.iter().find(|flag| flag.is_named(name)) else {
                return Err(super::suggest::unknown_option(context, &flags, &arg));
            };
            if name.len() < arg.len() {
                return Err(Failure::usage(format!(
                    "{name} is a switch and takes no value, got {arg}"
                ))
                .with_hint(format!("see: aai {context} --help")));
            }
            let entry = given.entry(flag.long).or_default();
            if flag.negated().as_deref() == Some(name) {
                entry.negated = true;
            } else {
                entry.count += 1;
            }
            if entry.count > 0 && entry.negated {
                return Err(Failure::usage(format!(
                    "{} and {} contradict each other",
                    flag.long,
                    flag.negated().unwrap_or_default()
                )));
            }
        }
        Ok(Args {
            command: context,
            operands: &[],
            flags,
            given,
            positionals,
            read: BTreeSet::new(),
        })
    }

    fn given(&mut self, name: &'static str) -> Option<&Given> {
        debug_assert!(
            self.flags.iter().any(|flag| flag.long == name),
            "aai {} reads {name}, which it does not declare",
            self.command
        );
        self.read.insert(name);
        self.given.get(name)
    }

    /// Whether a switch was given (`--x`; for a negatable one, not `--no-x`).
    pub fn flag(&mut self, names: impl FlagName) -> bool {
        self.given(names.shown())
            .is_some_and(|given| given.count > 0)
    }

    /// How many times a switch was given (`-vv`: 2).
    pub fn count(&mut self, names: impl FlagName) -> usize {
        self.given(names.shown()).map_or(0, |given| given.count)
    }

    /// A negatable switch: `Some(true)` for `--x`, `Some(false)` for
    /// `--no-x`, `None` when neither was given.
    pub fn switch(&mut self, names: impl FlagName) -> Option<bool> {
        let given = self.given(names.shown())?;
        match (given.count > 0, given.negated) {
            (true, _) => Some(true),
            (false, true) => Some(false),
            (false, false) => None,
        }
    }

    /// An optional value parsed with `FromStr`.
    pub fn value<T>(&mut self, name: impl FlagName) -> CliResult<Option<T>>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.value_with(name, |text| {
            text.parse::<T>().map_err(|err| err.to_string())
        })
    }

    /// An optional value parsed with `parse`, whose error names the flag;
    /// given more than once, the last one counts.
    pub fn value_with<T>(
        &mut self,
        names: impl FlagName,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> CliResult<Option<T>> {
        let name = names.shown();
        let text = self
            .given(name)
            .and_then(|given| given.values.last().cloned());
        text.map(|text| parse(&text).map_err(|err| Failure::usage(format!("{name}: {err}"))))
            .transpose()
    }

    /// A whole number from `min` up, named in the message when it is not one
    /// (rather than Rust's "invalid digit found in string").
    pub fn whole_number(&mut self, name: impl FlagName, min: u32) -> CliResult<Option<u32>> {
        self.value_with(name, |text| match text.trim().parse::<i64>() {
            Ok(n) if n >= i64::from(min) => {
                u32::try_from(n).map_err(|_| format!("{n} is too large"))
            }
            Ok(n) => Err(format!("must be {min} or more, got {n}")),
            Err(_) => Err(format!("expected a whole number, got \"{text}\"")),
        })
    }

    /// A path value.
    pub fn path(&mut self, name: impl FlagName) -> CliResult<Option<PathBuf>> {
        self.value_with(name, |text| Ok(PathBuf::from(text)))
    }

    /// A list option (`Takes::List`): the items of every occurrence, split
    /// at commas, trimmed, empty ones dropped (`--x "a,b" --x c`), or `None`
    /// when it was not given or held no item. Every command reads its lists
    /// through here, so a list means the same everywhere.
    pub fn list(&mut self, name: impl FlagName) -> CliResult<Option<Vec<String>>> {
        let items: Vec<String> = self
            .values(name)?
            .iter()
            .flat_map(|list| split_list(list))
            .map(str::to_owned)
            .collect();
        Ok((!items.is_empty()).then_some(items))
    }

    /// Every occurrence of a repeatable option, in order.
    pub fn values(&mut self, name: impl FlagName) -> CliResult<Vec<String>> {
        Ok(self
            .given(name.shown())
            .map(|given| given.values.clone())
            .unwrap_or_default())
    }

    /// Marks the options `main` acts on for every command (`--json`,
    /// `--color`, `-v`, `-q`) as honoured.
    pub fn read_by_main(&mut self, names: &[&'static str]) {
        self.read.extend(names);
    }

    /// The operands, checked against the declared ones: a wrong count is a
    /// usage error naming what was expected.
    pub fn finish(self) -> CliResult<Vec<String>> {
        let command = self.command;
        if let Some(unread) = self.given.keys().find(|name| !self.read.contains(*name)) {
            return Err(Failure::usage(format!(
                "{unread} does not apply to this use of aai {command}"
            ))
            .with_hint(format!("see: aai {command} --help")));
        }
        let see_help = format!("see: aai {command} --help");
        let expected = self.operands;
        let optional = |name: &&str| name.starts_with('[') || name.ends_with("...]");
        let required = expected
            .iter()
            .filter(|name| !name.ends_with("...") && !optional(name))
            .count();
        let variadic = expected
            .last()
            .is_some_and(|name| name.trim_end_matches(']').ends_with("..."));
        let positionals = self.positionals;
        if positionals.len() < required {
            let missing = expected[positionals.len()];
            return Err(
                Failure::usage(format!("aai {command} needs {missing}")).with_hint(see_help)
            );
        }
        if !variadic && positionals.len() > expected.len() {
            let extra = &positionals[expected.len()];
            return Err(Failure::usage(format!(
                "unexpected argument \"{extra}\" for aai {command}"
            ))
            .with_hint(see_help));
        }
        Ok(positionals)
    }
}

/// `-qv` and `-vv` as `-q -v` and `-v -v`, when every letter is a switch of
/// the command; anything else is left as it is.
fn expand_clusters(flags: &[&'static Flag], raw: Vec<OsString>) -> Vec<OsString> {
    let is_switch = |letter: char| {
        flags.iter().any(|flag| {
            !flag.takes_value()
                && flag
                    .short
                    .is_some_and(|short| short.strip_prefix('-') == Some(&letter.to_string()))
        })
    };
    let mut out = Vec::with_capacity(raw.len());
    for arg in raw {
        match arg.to_str() {
            Some(text)
                if text.len() > 2
                    && text.starts_with('-')
                    && !text.starts_with("--")
                    && text[1..].chars().all(is_switch) =>
            {
                out.extend(
                    text[1..]
                        .chars()
                        .map(|letter| OsString::from(format!("-{letter}"))),
                );
            }
            _ => out.push(arg),
        }
    }
    out
}

/// The items of one list value: split at commas, trimmed, none empty.
fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// Refuses a value outside a closed set (`--format stt`), naming the closest
/// one; a value outside an open set (models, languages) goes to the service,
/// with a warning when it looks like a typo of a known one.
fn check_choices(flag: &Flag, value: &str) -> CliResult {
    if flag.choices.is_empty() {
        return Ok(());
    }
    let items: Vec<&str> = match flag.takes {
        Takes::List => split_list(value).collect(),
        _ => vec![value],
    };
    for item in items {
        if flag.choices.contains(&item) {
            continue;
        }
        let near = super::suggest::closest(item, flag.choices.iter().copied());
        if flag.closed {
            let failure = Failure::usage(format!(
                "{}: unknown value \"{item}\"; expected one of: {}",
                flag.long,
                flag.choices.join(", ")
            ));
            return Err(match near {
                Some(near) => failure.with_hint(format!("did you mean `{near}`?")),
                None => failure,
            });
        }
        // A retired speech model is refused just after with the API's own
        // reason: a guess at a current name first would only contradict it.
        if assemblyai::SpeechModel::new(item).retirement().is_some() {
            continue;
        }
        // A request option's unknown value is named once, by the request's
        // own check (which sees --config and the config file too).
        if crate::request_flags::is_option(&flag.long[2..]) {
            continue;
        }
        if let Some(near) = near {
            crate::notice::warn(&format!(
                "{} \"{item}\" is not a value this version knows; did you mean `{near}`? \
                 sending it as given",
                flag.long
            ));
        }
    }
    Ok(())
}

fn os_to_string(arg: OsString) -> CliResult<String> {
    arg.into_string()
        .map_err(|arg| Failure::usage(format!("argument {arg:?} is not valid UTF-8")))
}
