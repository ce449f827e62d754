//! Defaults from `~/.config/aai/config` (beside the stored key): any request
//! option of `aai transcribe`, named as its flag without the dashes, and the
//! CLI's own `region`, `base-url` and `format`. Flags win over it.
//!
//! The file is plain `key = value` lines, `#` for comments, so it reads and
//! edits like any dotfile. Every value is checked as its flag checks it, when
//! set and when read: a file broken by hand is an error naming its line,
//! never a default silently dropped. It never holds the key (`aai login`).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

use assemblyai::Region;

use crate::failure::{CliResult, Failure};
use crate::render::Format;
use crate::{request_flags, store};

/// The flags whose defaults the config holds besides the request options:
/// its keys are their names without the dashes.
static OWN_FLAGS: [&crate::cli::Flag; 3] = [
    &crate::cli::flags::REGION,
    &crate::cli::flags::BASE_URL,
    &crate::cli::flags::FORMAT,
];

/// Keys that default an option named otherwise on the command line:
/// `llm-model` is what `aai ask --model` (and `batch --ask`) use when not
/// given, a name that says which model it is.
const OTHER_KEYS: [&str; 1] = ["llm-model"];

const HEADER: &str = "\
# aai defaults: aai config set|unset|get|list; a flag on the command line wins.
";

/// The config file as read: its lines (comments kept, for rewriting it) and
/// the settings in them.
pub struct Config {
    pub path: PathBuf,
    lines: Vec<String>,
    entries: Vec<Entry>,
}

/// One `key = value` line.
pub struct Entry {
    pub key: String,
    pub value: String,
    /// Index in `lines`.
    line: usize,
}

impl Config {
    /// The value set for `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entry(key).map(|entry| entry.value.as_str())
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Where `key` is set, as `FILE line N`, for errors about its value.
    pub fn place(&self, key: &str) -> String {
        match self.entry(key) {
            Some(entry) => format!("{} line {}", self.path.display(), entry.line + 1),
            None => self.path.display().to_string(),
        }
    }

    /// The `format` default.
    pub fn format(&self) -> Option<Format> {
        self.get("format").and_then(|text| text.parse().ok())
    }

    /// The `region` default.
    pub fn region(&self) -> Option<Region> {
        self.get("region").and_then(|text| parse_region(text).ok())
    }

    /// Sets `key` (checked) in place, or at the end.
    pub fn set(&mut self, key: &str, value: &str) -> CliResult {
        check(key, value)?;
        let line = format!("{key} = {value}");
        match self.entries.iter_mut().find(|entry| entry.key == key) {
            Some(entry) => {
                self.lines[entry.line] = line;
                entry.value = value.to_owned();
            }
            None => {
                self.entries.push(Entry {
                    key: key.to_owned(),
                    value: value.to_owned(),
                    line: self.lines.len(),
                });
                self.lines.push(line);
            }
        }
        check_together(self)
    }

    /// Removes `key`, telling whether it was set.
    pub fn unset(&mut self, key: &str) -> bool {
        let Some(at) = self.entries.iter().position(|entry| entry.key == key) else {
            return false;
        };
        let removed = self.entries.remove(at);
        self.lines.remove(removed.line);
        for entry in &mut self.entries {
            if entry.line > removed.line {
                entry.line -= 1;
            }
        }
        true
    }

    /// Writes the file back, atomically and readable by the owner alone
    /// (it sits beside the key, and may name a secret's file).
    pub fn save(&self) -> CliResult {
        let mut text = String::new();
        if self.lines.first().is_none_or(|line| !line.starts_with('#')) {
            text.push_str(HEADER);
        }
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        store::write_private(&self.path, text.as_bytes()).map_err(|error| {
            Failure::input(format!("cannot write {}: {error}", self.path.display()))
        })
    }
}

/// The config file, read and checked once per run; empty when there is none.
pub fn load() -> CliResult<&'static Config> {
    static CONFIG: OnceLock<Result<Config, Failure>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            // With neither XDG_CONFIG_HOME nor HOME there is no file to read,
            // which is no reason to stop a command that doesn't need one.
            if store::dir().is_none() {
                return Ok(Config {
                    path: PathBuf::from(store::CONFIG_FILE),
                    lines: Vec::new(),
                    entries: Vec::new(),
                });
            }
            read()
        })
        .as_ref()
        .map_err(Failure::clone)
}

/// Reads the file afresh, for `aai config` to change it.
pub fn read() -> CliResult<Config> {
    let path = store::path(store::CONFIG_FILE)?;
    // No file is no defaults; anything else at the name is read as the
    // key file is: a small regular file, or an input error.
    let text = match std::fs::symlink_metadata(&path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        _ => crate::key::read_small_file(&path, "the config file")?,
    };
    parse(&path, &text)
}

fn parse(path: &Path, text: &str) -> CliResult<Config> {
    let mut config = Config {
        path: path.to_owned(),
        lines: Vec::new(),
        entries: Vec::new(),
    };
    for (index, raw) in text.lines().enumerate() {
        config.lines.push(raw.to_owned());
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at_line = |message: String| {
            Failure::usage(format!(
                "the config file {} line {}: {message}",
                path.display(),
                index + 1
            ))
            .with_hint(format!(
                "fix or remove that line ({}), or use aai config set|unset",
                path.display()
            ))
        };
        let Some((key, value)) = line.split_once('=') else {
            return Err(at_line(format!("expected KEY = VALUE, got \"{line}\"")));
        };
        let (key, value) = (key.trim(), unquote(value.trim()));
        check(key, value).map_err(|failure| at_line(failure.message))?;
        if config.get(key).is_some() {
            return Err(at_line(format!("{key} is set twice")));
        }
        config.entries.push(Entry {
            key: key.to_owned(),
            value: value.to_owned(),
            line: index,
        });
    }
    check_together(&config)?;
    Ok(config)
}

/// A value written as many dotfiles write one, in quotes (`"best"`,
/// `'en'`): the quotes are no part of it, as they are none of a flag's
/// value on a shell's command line. Without this, a quoted retired model
/// would pass the check before upload and be refused by the server after.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// Checks a setting as its flag would check it: the flag's own message, as a
/// usage error. An unknown key suggests the closest known one.
pub fn check(key: &str, value: &str) -> CliResult {
    if matches!(key, "api-key" | "api-key-file" | "key") {
        return Err(Failure::usage(format!(
            "{key} can't be set: the config file never holds the key"
        ))
        .with_hint("store the key with: aai login"));
    }
    if value.contains(['\n', '\r']) {
        return Err(Failure::usage(format!("{key}: a value is one line")));
    }
    match key {
        "region" => parse_region(value)
            .map(|_| ())
            .map_err(|err| Failure::usage(format!("--region: {err}"))),
        "base-url" => assemblyai::Client::builder("config-check")
            .base_url(value)
            .build()
            .map(|_| ())
            .map_err(|err| Failure::usage(format!("--base-url: {err}"))),
        "format" => Format::from_str(value)
            .map(|_| ())
            .map_err(|err| Failure::usage(format!("--format: {err}"))),
        // Any model id: the gateway's catalogue changes monthly, and it says
        // itself when a model is no longer served.
        "llm-model" if value.is_empty() => Err(Failure::usage(
            "llm-model: give a model id (aai models lists them)",
        )),
        "llm-model" => Ok(()),
        _ if request_flags::is_option(key) => request_flags::check_default(key, value),
        _ => Err(unknown_key(key)),
    }
}

/// Every key `aai config` knows: the request options, then the CLI's own.
pub fn keys() -> Vec<&'static str> {
    let mut keys = request_flags::option_names();
    keys.extend(OWN_FLAGS.iter().map(|flag| &flag.long[2..]));
    keys.extend(OTHER_KEYS);
    keys
}

pub fn unknown_key(key: &str) -> Failure {
    let failure = Failure::usage(format!("unknown config key \"{key}\""));
    match crate::cli::closest(key, keys()) {
        Some(near) => failure.with_hint(format!(
            "did you mean `{near}`? aai config --help lists the keys"
        )),
        None => failure.with_hint("the keys are transcribe's options without the dashes (aai transcribe --help), region, base-url, format and llm-model"),
    }
}

/// Settings that are fine alone but not together, as their flags are not.
fn check_together(config: &Config) -> CliResult {
    if config.get("region").is_some() && config.get("base-url").is_some() {
        return Err(Failure::usage(format!(
            "{}: region and base-url are both set; keep one",
            config.path.display()
        ))
        .with_hint("aai config unset region, or aai config unset base-url"));
    }
    Ok(())
}

/// `us` or `eu`, as `--region` takes it.
pub fn parse_region(text: &str) -> Result<Region, String> {
    match text.to_ascii_lowercase().as_str() {
        "us" => Ok(Region::Us),
        "eu" => Ok(Region::Eu),
        _ => Err(format!("unknown region \"{text}\"; expected us or eu")),
    }
}
