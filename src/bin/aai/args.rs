//! Command-line parsing on top of pico-args, strict about leftovers, and the
//! options every command shares.

use std::ffi::OsString;
use std::path::PathBuf;
use std::str::FromStr;

use assemblyai::{Client, Region};

use crate::failure::{CliResult, Failure};

/// A flag's spelling: `"--json"`, or `["-o", "--output"]`.
pub trait FlagName: Copy + Into<pico_args::Keys> {
    /// The name shown in messages (the long one).
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

/// The arguments after the command name, consumed flag by flag.
pub struct Args {
    inner: pico_args::Arguments,
    command: &'static str,
    /// The words after `--`: operands whatever they look like.
    operands: Vec<OsString>,
}

impl Args {
    pub fn new(inner: pico_args::Arguments, command: &'static str) -> Self {
        Args {
            inner,
            command,
            operands: Vec::new(),
        }
    }

    /// Adds the words that came after `--`, taken as operands even when they
    /// start with `-` (a file named `-x.mp3`).
    pub fn with_operands(mut self, operands: Vec<OsString>) -> Self {
        self.operands = operands;
        self
    }

    /// Whether a switch is present (consumed).
    pub fn flag(&mut self, names: impl FlagName) -> bool {
        self.inner.contains(names)
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

    /// An optional value parsed with `parse`, whose error names the flag.
    pub fn value_with<T>(
        &mut self,
        names: impl FlagName,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> CliResult<Option<T>> {
        let name = names.shown();
        let text: Option<String> = self.inner.opt_value_from_str(names).map_err(|err| {
            Failure::usage(match err {
                pico_args::Error::OptionWithoutAValue(_) => format!("{name} needs a value"),
                other => format!("{name}: {other}"),
            })
        })?;
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

    /// Every occurrence of a repeatable option, in order.
    pub fn values(&mut self, name: impl FlagName) -> CliResult<Vec<String>> {
        let mut all = Vec::new();
        while let Some(value) = self.value::<String>(name)? {
            all.push(value);
        }
        Ok(all)
    }

    /// The positional arguments left once every flag is consumed; an unknown
    /// flag or a wrong count is a usage error naming what was expected.
    pub fn finish(self, expected: &[&str]) -> CliResult<Vec<String>> {
        let command = self.command;
        let see_help = format!("see: aai {command} --help");
        let mut positionals = Vec::new();
        for arg in self.inner.finish() {
            let arg = os_to_string(arg)?;
            if arg.starts_with('-') && arg != "-" {
                return Err(crate::suggest::unknown_option(command, &arg));
            }
            positionals.push(arg);
        }
        for operand in self.operands {
            positionals.push(os_to_string(operand)?);
        }
        let required = expected
            .iter()
            .filter(|name| !name.ends_with("..."))
            .count();
        let variadic = expected.last().is_some_and(|name| name.ends_with("..."));
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

/// Whether an option takes a value (the next word), for reading the options
/// given before the command: every command's valued options, by name.
pub fn takes_value(option: &str) -> bool {
    const VALUED: &[&str] = &[
        "--api-key-file",
        "--base-url",
        "--region",
        "--timeout",
        "--poll-interval",
        "--format",
        "--chars-per-caption",
        "-o",
        "--output",
        "--id-file",
        "--config",
        "--config-file",
        "--limit",
        "--status",
        "--created-on",
        "--before-id",
        "--after-id",
        // aai ask, aai understand, aai batch --ask
        "--model",
        "--system",
        "--max-tokens",
        "--temperature",
        "--schema",
        "--fallback",
        "--summarize",
        "--effort",
        "--translate",
        "--identify-speakers",
        "--task",
        "--ask",
        "--ask-reduce",
        "--ask-per-minute",
        // aai emulator's gateway
        "--models",
        "--gateway-rate-limit",
        "--failing-model",
    ];
    VALUED.contains(&option) || crate::request_flags::takes_value(option)
}

fn os_to_string(arg: OsString) -> CliResult<String> {
    arg.into_string()
        .map_err(|arg| Failure::usage(format!("argument {arg:?} is not valid UTF-8")))
}

/// Options every command that talks to the API accepts.
pub struct Connection {
    pub api_key_file: Option<PathBuf>,
    base_url: Option<String>,
    region: Option<Region>,
}

impl Connection {
    pub fn parse(args: &mut Args) -> CliResult<Connection> {
        let mut region = args.value_with("--region", crate::config::parse_region)?;
        let mut base_url = args.value::<String>("--base-url")?;
        if region.is_some() && base_url.is_some() {
            return Err(Failure::usage("give --region or --base-url, not both"));
        }
        // The config's host comes after the flags and ASSEMBLYAI_BASE_URL.
        // Read by every command that talks to the API, so a broken file is
        // reported whatever the command.
        let config = crate::config::load()?;
        let from_env = std::env::var_os("ASSEMBLYAI_BASE_URL").is_some_and(|url| !url.is_empty());
        if region.is_none() && base_url.is_none() && !from_env {
            region = config.region();
            base_url = config.get("base-url").map(str::to_owned);
        }
        let api_key_file = args.path("--api-key-file")?;
        // Read only later, when the client is made: known now, so that no
        // output is allowed over it.
        if let Some(path) = &api_key_file {
            crate::output::reads(path, "the API key file");
        }
        if let Some(dir) = crate::store::dir() {
            crate::output::reads(
                &dir.join(crate::store::KEY_FILE),
                "the key stored by aai login",
            );
        }
        Ok(Connection {
            api_key_file,
            base_url,
            region,
        })
    }

    /// The client: key from `--api-key-file`, the environment or `aai login`
    /// (see `key::resolve`), host from `--base-url`, `--region` or
    /// `ASSEMBLYAI_BASE_URL`.
    pub fn client(&self, keep_raw_json: bool) -> CliResult<Client> {
        let key = crate::key::resolve(self.api_key_file.as_deref())?;
        self.client_with_key(key.map(|(key, _)| key), keep_raw_json)
    }

    /// The client with `key` (none: the missing-key error) and the host
    /// options; for `aai login`, which checks a key before it is stored.
    pub fn client_with_key(&self, key: Option<String>, keep_raw_json: bool) -> CliResult<Client> {
        let mut builder = Client::builder_from_env().api_key(key.unwrap_or_default());
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url.as_str());
        }
        if let Some(region) = self.region {
            builder = builder.region(region);
        }
        let user_agent = concat!("aai/", env!("CARGO_PKG_VERSION"));
        let client = builder
            .user_agent(user_agent)
            .keep_raw_json(keep_raw_json)
            .build()?;
        crate::visible::hide_key_of(&client);
        Ok(client)
    }
}
