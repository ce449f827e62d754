//! `aai config set|get|unset|list|path`: the defaults in the config file.

use crate::cli::{Args, Command, Operands};
use crate::config;
use crate::failure::{CliResult, Failure};
use crate::output::Output;

pub static CONFIG: Command = Command {
    name: "config",
    summary: "defaults for any option: set, get, unset, list, path",
    operands: &["ACTION", "[KEY]", "[VALUE]"],
    completes: Operands::Config,
    groups: &[],
    about: "\
  aai config set KEY VALUE
  aai config get KEY
  aai config unset KEY
  aai config list
  aai config path

KEY is any request option of aai transcribe without the dashes (speaker-labels, \
speech-models, language-code, redact-pii-policies, ...), or region, base-url, format. VALUE \
is what the flag takes, checked the same way; a switch takes true or false. A flag on the \
command line wins over the config; ASSEMBLYAI_BASE_URL wins over its region and base-url. \
The file is $XDG_CONFIG_HOME/aai/config, else ~/.config/aai/config, one key = value per line \
(a symlink there is written through, keeping its target's mode); it never holds the API key \
(aai login does).",
    examples: "\
  aai config set speaker-labels true
  aai config set speech-models assemblyai-stt-3-7,universal-2
  aai config set redact-pii-policies person_name,phone_number
  aai config set region eu
  aai config set format srt
  aai config list
  aai config unset format",
    run: config,
};

pub fn config(args: Args) -> CliResult {
    let mut words = args.finish()?;
    let action = words.remove(0);
    let arity = |count: usize, usage: &str| {
        if words.len() == count {
            Ok(())
        } else {
            Err(Failure::usage(format!("usage: aai config {usage}"))
                .with_hint("see: aai config --help"))
        }
    };
    match action.as_str() {
        "set" => {
            arity(2, "set KEY VALUE")?;
            let mut file = config::read()?;
            file.set(&words[0], &words[1])?;
            file.save()
        }
        "get" => {
            arity(1, "get KEY")?;
            let file = config::read()?;
            let key = &words[0];
            known(key)?;
            match file.get(key) {
                Some(value) => Output::Stdout.write(format!("{value}\n").as_bytes()),
                None => {
                    crate::notice::info(&format!("{key} is not set; the built-in default applies"));
                    Ok(())
                }
            }
        }
        "unset" => {
            arity(1, "unset KEY")?;
            let mut file = config::read()?;
            let key = &words[0];
            known(key)?;
            if file.unset(key) {
                file.save()
            } else {
                crate::notice::info(&format!("{key} was not set"));
                Ok(())
            }
        }
        "list" => {
            arity(0, "list")?;
            let file = config::read()?;
            let text: String = file
                .entries()
                .iter()
                .map(|entry| format!("{} = {}\n", entry.key, entry.value))
                .collect();
            Output::Stdout.write(text.as_bytes())
        }
        "path" => {
            arity(0, "path")?;
            let path = crate::store::path(crate::store::CONFIG_FILE)?;
            Output::Stdout.write(format!("{}\n", path.display()).as_bytes())
        }
        other => {
            let failure = Failure::usage(format!("unknown aai config action \"{other}\""));
            Err(
                match crate::cli::closest(other, ["set", "get", "unset", "list", "path"]) {
                    Some(near) => failure.with_hint(format!("did you mean `{near}`?")),
                    None => failure.with_hint("the actions are set, get, unset, list and path"),
                },
            )
        }
    }
}

/// Refuses an unknown key for get and unset too: a typo must not look like
/// a setting that is merely unset.
fn known(key: &str) -> CliResult {
    if config::keys().contains(&key) {
        Ok(())
    } else {
        Err(config::unknown_key(key))
    }
}
