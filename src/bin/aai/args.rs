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
}

impl Args {
    pub fn new(inner: pico_args::Arguments, command: &'static str) -> Self {
        Args { inner, command }
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
                return Err(Failure::usage(format!(
                    "unknown option {arg} for aai {command} (or it was given twice)"
                ))
                .with_hint(see_help));
            }
            positionals.push(arg);
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

fn os_to_string(arg: OsString) -> CliResult<String> {
    arg.into_string()
        .map_err(|arg| Failure::usage(format!("argument {arg:?} is not valid UTF-8")))
}

/// Options every command that talks to the API accepts.
pub struct Connection {
    api_key_file: Option<PathBuf>,
    base_url: Option<String>,
    region: Option<Region>,
}

impl Connection {
    pub fn parse(args: &mut Args) -> CliResult<Connection> {
        let region = args.value_with("--region", |text| {
            match text.to_ascii_lowercase().as_str() {
                "us" => Ok(Region::Us),
                "eu" => Ok(Region::Eu),
                _ => Err(format!("unknown region \"{text}\"; expected us or eu")),
            }
        })?;
        let base_url = args.value::<String>("--base-url")?;
        if region.is_some() && base_url.is_some() {
            return Err(Failure::usage("give --region or --base-url, not both"));
        }
        Ok(Connection {
            api_key_file: args.path("--api-key-file")?,
            base_url,
            region,
        })
    }

    /// The client: key from `--api-key-file` or the environment, host from
    /// `--base-url`, `--region` or `ASSEMBLYAI_BASE_URL`.
    pub fn client(&self, keep_raw_json: bool) -> CliResult<Client> {
        let mut builder = Client::builder_from_env();
        if let Some(path) = &self.api_key_file {
            builder = builder.api_key(crate::key::read_key_file(path)?);
        }
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url.as_str());
        }
        if let Some(region) = self.region {
            builder = builder.region(region);
        }
        let user_agent = concat!("aai/", env!("CARGO_PKG_VERSION"));
        Ok(builder
            .user_agent(user_agent)
            .keep_raw_json(keep_raw_json)
            .build()?)
    }
}
