//! Every transcript request parameter as a flag of `aai transcribe` and
//! `aai submit`, plus `--config KEY=VALUE` and `--config-file FILE.json` for
//! any field, known to this version or not.
//!
//! Flags are collected into a JSON object that is then decoded into
//! [`TranscriptRequest`], so the flags, the config file and the library share
//! one set of types and one validation.

use std::path::Path;

use assemblyai::TranscriptRequest;
use serde_json::{Map, Value};

use crate::cli::{Args, Flag as Declared, Takes};
use crate::failure::{CliResult, Failure};

mod choices;
mod deprecated;
pub mod models;
mod table;

use table::Kind::{Bool, Integer, Json, List, Number, SecretFile, Task};
use table::{FLAGS, Flag};

/// `--config KEY=VALUE`: any field, known to this version or not.
static CONFIG: Declared = Declared::valued(
    "--config",
    Takes::Repeated,
    "KEY=VALUE",
    "set any field (VALUE is JSON or text), repeatable, e.g. \
     --config speaker_options.max_speakers_expected=4",
);
/// `--config-file FILE.json`: fields from a JSON object.
static CONFIG_FILE: Declared = Declared::valued(
    "--config-file",
    Takes::Path,
    "FILE.json",
    "read request fields from a JSON object",
);

/// The request options as declared flags: one per row of the table, then
/// `--config` and `--config-file`. Made once, on first use.
pub fn declared() -> &'static [Declared] {
    static DECLARED: std::sync::OnceLock<Vec<Declared>> = std::sync::OnceLock::new();
    DECLARED.get_or_init(|| {
        let mut flags: Vec<Declared> = FLAGS
            .iter()
            .map(|row| {
                let takes = match row.kind {
                    Bool | Task => Takes::Negatable,
                    List => Takes::List,
                    SecretFile => Takes::Path,
                    _ => Takes::Value,
                };
                Declared {
                    long: row.name,
                    short: None,
                    takes,
                    placeholder: row.value,
                    choices: choices::known(row.name),
                    closed: false,
                    doc: row.help,
                }
            })
            .collect();
        for flag in [&CONFIG, &CONFIG_FILE] {
            flags.push(*flag);
        }
        flags
    })
}

/// Reads every request flag into a [`TranscriptRequest`] (without
/// `audio_url`), checked against the API's ranges.
pub fn parse(args: &mut Args) -> CliResult<TranscriptRequest> {
    // The config file's defaults come first: everything given on the
    // command line is set over them.
    let mut fields = Map::new();
    let mut models_from = None;
    let config = crate::config::load()?;
    for entry in config.entries() {
        if is_option(&entry.key) {
            read_default(&entry.key, &entry.value, &mut fields).map_err(|failure| {
                Failure::usage(format!("{}: {}", config.place(&entry.key), failure.message))
            })?;
            if models::is_model_key(&entry.key.replace('-', "_")) {
                models_from = Some(format!("{} ({})", config.place(&entry.key), entry.key));
            }
        }
    }
    if let Some(path) = args.path("--config-file")? {
        let keys = merge_config_file(&mut fields, &path)?;
        if let Some(key) = keys.iter().find(|key| models::is_model_key(key)) {
            models_from = Some(format!("the config file {} (key {key})", path.display()));
        }
    }
    for setting in args.values("--config")? {
        let (key, text) = setting.split_once('=').ok_or_else(|| {
            Failure::usage(format!("--config takes KEY=VALUE, got \"{setting}\""))
        })?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(Failure::usage(format!(
                "--config: \"{key}\" is not a field name"
            )));
        }
        refuse_secret(key)?;
        let value = config_value(key, text)?;
        set(&mut fields, key, value);
        if models::is_model_key(key) {
            models_from = Some(format!("--config {key}"));
        }
    }
    for flag in FLAGS {
        let before = get(&fields, flag.path).cloned();
        read_flag(args, flag, &mut fields)?;
        if models::is_model_key(flag.path) && get(&fields, flag.path) != before.as_ref() {
            models_from = Some(flag.name.to_owned());
        }
    }
    fields.remove("audio_url");
    warn_unknown_fields(&fields);
    let request = decode(fields, "the request options")?;
    models::remember_source(models_from.clone());
    request
        .validate_options()
        .map_err(|error| models::name_source(Failure::from(error), models_from.as_deref()))?;
    for value in request.unknown_values() {
        crate::notice::warn(&format!(
            "{value} is not a value this version knows; sending it as is"
        ));
    }
    crate::request_flags::deprecated::warn(&request);
    Ok(request)
}

fn read_flag(args: &mut Args, flag: &Flag, fields: &mut Map<String, Value>) -> CliResult {
    let name = flag.name;
    match flag.kind {
        Bool => {
            if let Some(on) = args.switch(name) {
                set(fields, flag.path, Value::Bool(on));
            }
        }
        // A task switch asks for a Speech Understanding task with its
        // defaults (`{}`), keeping what its own option flags set; `--no-x`
        // drops the task.
        Task => match args.switch(name) {
            Some(true) if get(fields, flag.path).is_none() => {
                set(fields, flag.path, Value::Object(Map::new()));
            }
            Some(false) => remove(fields, flag.path),
            _ => {}
        },
        List => {
            if let Some(items) = args.list(name)? {
                let items = items.into_iter().map(Value::String).collect();
                set(fields, flag.path, Value::Array(items));
            }
        }
        _ => {
            let Some(text) = args.value::<String>(name)? else {
                return Ok(());
            };
            let value = match flag.kind {
                Integer => text.trim().parse::<i64>().map(Value::from).map_err(|_| {
                    Failure::usage(format!("{name}: expected a whole number, got \"{text}\""))
                })?,
                Number => text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|number| number.is_finite())
                    .map(Value::from)
                    .ok_or_else(|| {
                        Failure::usage(format!("{name}: expected a number, got \"{text}\""))
                    })?,
                Json => serde_json::from_str(&text)
                    .map_err(|err| Failure::usage(format!("{name}: not valid JSON ({err})")))?,
                SecretFile => Value::String(read_secret(name, &text)?),
                _ => Value::String(text),
            };
            set(fields, flag.path, value);
        }
    }
    check_field(flag.path, fields, name)
}

/// Whether `key` (a flag's name without the dashes) is a request option.
pub fn is_option(key: &str) -> bool {
    flag_for(key).is_some()
}

/// Every request option's name without the dashes, as `aai config` takes it.
pub fn option_names() -> Vec<&'static str> {
    FLAGS.iter().map(|flag| &flag.name[2..]).collect()
}

fn flag_for(key: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|flag| &flag.name[2..] == key)
}

/// Checks a default for request option `key` exactly as its flag would be
/// checked on the command line, with the flag's message.
pub fn check_default(key: &str, text: &str) -> CliResult {
    let mut fields = Map::new();
    read_default(key, text, &mut fields)?;
    decode(fields, key)?.validate_options()?;
    Ok(())
}

/// Reads a default by handing it to the flag's own parser, as the command
/// line `--key text` (`--key` or `--no-key` for a switch) would be.
fn read_default(key: &str, text: &str, fields: &mut Map<String, Value>) -> CliResult {
    let Some(flag) = flag_for(key) else {
        return Err(crate::config::unknown_key(key));
    };
    let argv: Vec<std::ffi::OsString> = match (flag.kind, text) {
        (Bool | Task, "true") => vec![flag.name.into()],
        (Bool | Task, "false") => vec![format!("--no-{key}").into()],
        (Bool | Task, _) => {
            return Err(Failure::usage(format!(
                "{}: expected true or false, got \"{text}\"",
                flag.name
            )));
        }
        _ => vec![flag.name.into(), text.into()],
    };
    let mut args = Args::parse_flags("config", declared().iter().collect(), argv)?;
    read_flag(&mut args, flag, fields)
}

/// A `--config` value: JSON when it parses as JSON that fits the field,
/// otherwise the text itself (so `language_code=es` needs no quotes).
fn config_value(key: &str, text: &str) -> CliResult<Value> {
    if let Ok(json) = serde_json::from_str::<Value>(text) {
        let mut probe = Map::new();
        set(&mut probe, key, json.clone());
        if json.is_string() || decode(probe, key).is_ok() {
            return Ok(json);
        }
    }
    let value = Value::String(text.to_owned());
    let mut probe = Map::new();
    set(&mut probe, key, value.clone());
    decode(probe, &format!("--config {key}"))?;
    Ok(value)
}

/// Checks one field alone, so a type error names the flag that caused it.
fn check_field(path: &str, fields: &Map<String, Value>, shown: &str) -> CliResult {
    let Some(value) = get(fields, path) else {
        return Ok(());
    };
    let mut probe = Map::new();
    set(&mut probe, path, value.clone());
    decode(probe, shown).map(|_| ())
}

fn decode(mut fields: Map<String, Value>, what: &str) -> CliResult<TranscriptRequest> {
    // audio_url is required by the type; the real one is set later.
    fields.insert("audio_url".to_owned(), Value::String(String::new()));
    serde_json::from_value(Value::Object(fields))
        .map_err(|err| Failure::usage(format!("{what}: {err}")))
}

/// Merges the file's fields over `fields`, returning the keys it set.
fn merge_config_file(fields: &mut Map<String, Value>, path: &Path) -> CliResult<Vec<String>> {
    let shown = path.display();
    let text = crate::key::read_small_file(path, "the config file")?;
    let value: Value = serde_json::from_str(&text).map_err(|err| {
        Failure::usage(format!("the config file {shown} is not valid JSON: {err}"))
    })?;
    let Value::Object(object) = value else {
        return Err(Failure::usage(format!(
            "the config file {shown} must hold a JSON object of request fields, like {{\"speaker_labels\": true}}"
        )));
    };
    decode(object.clone(), &format!("the config file {shown}"))?;
    let keys = object.keys().cloned().collect();
    fields.extend(object);
    Ok(keys)
}

/// `--config` would put a secret on the command line, which its flag exists
/// to avoid; a `--config-file` may hold it, being a file. The message names
/// the field, never the value.
pub fn refuse_secret(key: &str) -> CliResult {
    match FLAGS
        .iter()
        .find(|flag| flag.kind == SecretFile && flag.path == key)
    {
        Some(flag) => Err(Failure::usage(format!(
            "--config {key} would show the secret to anyone who can list processes; \
             give it in a file with {} PATH",
            flag.name
        ))),
        None => Ok(()),
    }
}

/// Secrets come from files, never from the command line, where other users
/// can read them in the process list.
pub fn read_secret(flag: &str, path: &str) -> CliResult<String> {
    let text = crate::key::read_small_file(Path::new(path), &format!("the {flag} file"))?;
    let secret = text.trim();
    if secret.is_empty() {
        return Err(Failure::input(format!("{flag}: {path} is empty")));
    }
    Ok(secret.to_owned())
}

/// Names a `--config` key that this version would send without knowing it,
/// since a typo there reaches the API as an unknown field.
fn warn_unknown_fields(fields: &Map<String, Value>) {
    let Ok(request) = decode(fields.clone(), "") else {
        return;
    };
    for key in request.extra.keys() {
        crate::notice::warn(&format!(
            "\"{key}\" is not a request field this version knows; sending it as is"
        ));
    }
}

/// Sets `path` (`a.b.c`) in a JSON object, creating the objects on the way.
fn set(fields: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            fields.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = fields
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(child) = child {
                set(child, rest, value);
            }
        }
    }
}

/// Removes `path` (`a.b.c`) from a JSON object, and the objects it leaves empty.
fn remove(fields: &mut Map<String, Value>, path: &str) {
    match path.split_once('.') {
        None => {
            fields.remove(path);
        }
        Some((head, rest)) => {
            if let Some(Value::Object(child)) = fields.get_mut(head) {
                remove(child, rest);
                if child.is_empty() {
                    fields.remove(head);
                }
            }
        }
    }
}

fn get<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    match path.split_once('.') {
        None => fields.get(path),
        Some((head, rest)) => get(fields.get(head)?.as_object()?, rest),
    }
}
