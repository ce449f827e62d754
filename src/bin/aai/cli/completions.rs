//! `aai completions bash|zsh|fish`: a completion script made from the
//! declaration, with the values of every option that knows its values
//! (formats, regions, models, PII policies, languages, ...).

use std::fmt::Write as _;

use super::command::{Command, Operands};
use super::flag::Flag;
use super::{Args, commands, flags};
use crate::config;
use crate::failure::{CliResult, Failure};
use crate::output::Output;

const SHELLS: [&str; 3] = ["bash", "zsh", "fish"];

pub static COMPLETIONS: Command = Command {
    name: "completions",
    summary: "print a bash, zsh or fish completion script",
    operands: &["SHELL"],
    completes: Operands::Shells,
    groups: &[],
    about: "Completes commands, every option of each, and the values of options that take a \
known set (--format, --region, --speech-models, --redact-pii-policies, --language-code, ...).",
    examples: "\
  aai completions bash > ~/.local/share/bash-completion/completions/aai
  aai completions zsh > \"${fpath[1]}/_aai\"
  aai completions fish > ~/.config/fish/completions/aai.fish",
    run: completions,
};

fn completions(args: Args) -> CliResult {
    let shell = args.finish()?.remove(0);
    let script = match shell.as_str() {
        "bash" => bash(),
        "zsh" => zsh(),
        "fish" => fish(),
        other => {
            let failure = Failure::usage(format!(
                "no completions for \"{other}\"; give bash, zsh or fish"
            ));
            return Err(match super::closest(other, SHELLS) {
                Some(near) => failure.with_hint(format!("did you mean `{near}`?")),
                None => failure,
            });
        }
    };
    Output::Stdout.write(script.as_bytes())
}

/// One option as completions see it.
struct Opt {
    names: Vec<String>,
    value: Option<&'static str>,
    help: &'static str,
    flag: &'static Flag,
}

impl Opt {
    fn of(flag: &'static Flag) -> Opt {
        Opt {
            names: flag.names(),
            value: flag.takes_value().then_some(flag.placeholder),
            help: flag.doc,
            flag,
        }
    }

    fn choices(&self) -> Vec<&'static str> {
        self.flag.choices.to_vec()
    }

    fn takes_path(&self) -> bool {
        self.flag.takes_path()
    }

    fn takes_list(&self) -> bool {
        self.flag.takes_list()
    }
}

/// The commands with their summaries, in help order.
fn command_list() -> Vec<(&'static str, &'static str)> {
    commands()
        .iter()
        .map(|command| (command.name, command.summary))
        .collect()
}

/// The options of `command`, or before any command (`None`).
fn options(command: Option<&str>) -> Vec<Opt> {
    let flags: Vec<&'static Flag> = match command.and_then(super::command) {
        Some(command) => command.flags(),
        None => flags::GLOBAL
            .flags()
            .into_iter()
            .chain(flags::CONNECTION.flags())
            .collect(),
    };
    flags.into_iter().map(Opt::of).collect()
}

fn option_names(command: &str) -> Vec<String> {
    options(Some(command))
        .into_iter()
        .flat_map(|opt| opt.names)
        .collect()
}

fn positional(command: &str) -> Operands {
    super::command(command).map_or(Operands::Nothing, |command| command.completes)
}

/// The values `aai config set KEY` takes: a switch's true or false, or its
/// flag's choices; `None` for a free value.
fn config_values(key: &str) -> Option<Vec<&'static str>> {
    let long = format!("--{key}");
    let option = options(Some("transcribe"))
        .into_iter()
        .find(|opt| opt.flag.long == long)?;
    if option.value.is_none() {
        return Some(vec!["true", "false"]);
    }
    let choices = option.choices();
    (!choices.is_empty()).then_some(choices)
}

const CONFIG_ACTIONS: &str = "set get unset list path";

fn command_names() -> String {
    command_list()
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(" ")
}

fn bash() -> String {
    let out = String::from(
        "# bash completion for aai, made by `aai completions bash`.\n\
         # Install: aai completions bash > ~/.local/share/bash-completion/completions/aai\n\n\
         _aai_words() {\n    \
             local prefix=\"\" word=\"$cur\"\n    \
             if [[ $2 == list && $cur == *,* ]]; then prefix=\"${cur%,*},\"; word=\"${cur##*,}\"; fi\n    \
             COMPREPLY=($(compgen -P \"$prefix\" -W \"$1\" -- \"$word\"))\n    \
             [[ -n $prefix ]] && compopt -o nospace 2>/dev/null\n\
         }\n\n\
         _aai() {\n    \
             local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n    \
             # --flag=value: bash splits the word at '=' (COMP_WORDBREAKS).\n    \
             if [[ $cur == = ]]; then cur=\"\"; elif [[ $prev == = ]]; then prev=\"${COMP_WORDS[COMP_CWORD-2]}\"; fi\n    \
             local cmd=\"\" i\n    \
             local -a rest=()\n    \
             for ((i = 1; i < COMP_CWORD; i++)); do\n        \
                 local word=\"${COMP_WORDS[i]}\"\n        \
                 case \"$word\" in\n            \
                     {valued}) [[ -z $cmd ]] && ((i++)) ;;\n            \
                     -*|=) ;;\n            \
                     *) if [[ -z $cmd ]]; then cmd=\"$word\"; else rest+=(\"$word\"); fi ;;\n        \
                 esac\n    \
             done\n",
    );
    // Before the command, any command's valued option takes the next word.
    let mut valued: Vec<String> = commands()
        .iter()
        .flat_map(|command| command.flags())
        .filter(|flag| flag.takes_value())
        .flat_map(|flag| flag.names())
        .collect();
    valued.sort();
    valued.dedup();
    let mut out = out.replace("{valued}", &valued.join("|"));
    // Before the command: the commands and the global options.
    let globals: Vec<String> = options(None)
        .into_iter()
        .flat_map(|opt| opt.names)
        .collect();
    let _ = write!(
        out,
        "    if [[ -z $cmd ]]; then\n        \
             case \"$prev\" in\n            \
                 --region) _aai_words \"us eu\"; return ;;\n            \
                 --api-key-file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n            \
                 --base-url) return ;;\n        \
             esac\n        \
             _aai_words \"{} {}\"\n        \
             return\n    \
         fi\n",
        command_names(),
        globals.join(" ")
    );
    // The value of the option before the cursor.
    out.push_str("    case \"$cmd:$prev\" in\n");
    for (command, _) in command_list() {
        for opt in options(Some(command)) {
            let Some(_) = opt.value else { continue };
            let pattern: Vec<String> = opt
                .names
                .iter()
                .map(|name| format!("{command}:{name}"))
                .collect();
            let action = if opt.takes_path() {
                "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))".to_owned()
            } else {
                let choices = opt.choices();
                if choices.is_empty() {
                    "COMPREPLY=()".to_owned()
                } else {
                    let list = if opt.takes_list() { " list" } else { "" };
                    format!("_aai_words \"{}\"{list}", choices.join(" "))
                }
            };
            let _ = writeln!(out, "        {}) {action}; return ;;", pattern.join("|"));
        }
    }
    out.push_str("    esac\n");
    // Options, when a dash is typed.
    out.push_str("    if [[ $cur == -* ]]; then\n        case \"$cmd\" in\n");
    for (command, _) in command_list() {
        let names = option_names(command);
        let _ = writeln!(
            out,
            "            {command}) _aai_words \"{}\" ;;",
            names.join(" ")
        );
    }
    out.push_str("        esac\n        return\n    fi\n");
    // Positional arguments.
    out.push_str("    case \"$cmd\" in\n");
    for (command, _) in command_list() {
        let action = match positional(command) {
            Operands::Files => {
                "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))".to_owned()
            }
            Operands::Commands => format!("_aai_words \"{}\"", command_names()),
            Operands::Shells => format!("_aai_words \"{}\"", SHELLS.join(" ")),
            Operands::Config => config_bash(),
            Operands::Nothing | Operands::Words => continue,
        };
        let _ = writeln!(out, "        {command}) {action} ;;");
    }
    out.push_str("    esac\n}\n\ncomplete -F _aai aai\n");
    out
}

/// `aai config ACTION KEY VALUE`: the action, then a key, then its values.
fn config_bash() -> String {
    let mut out = format!(
        "\n            case ${{#rest[@]}} in\n                \
             0) _aai_words \"{CONFIG_ACTIONS}\" ;;\n                \
             1) [[ ${{rest[0]}} == @(set|get|unset) ]] && _aai_words \"{}\" ;;\n                \
             2) [[ ${{rest[0]}} == set ]] && case \"${{rest[1]}}\" in\n",
        config::keys().join(" ")
    );
    for key in config::keys() {
        if let Some(values) = config_values(key) {
            let list = if options(Some("transcribe"))
                .iter()
                .any(|opt| opt.flag.long == format!("--{key}") && opt.takes_list())
            {
                " list"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "                    {key}) _aai_words \"{}\"{list} ;;",
                values.join(" ")
            );
        }
    }
    out.push_str("                esac ;;\n            esac");
    out
}

fn zsh() -> String {
    let mut out = String::from(
        "#compdef aai\n\
         # zsh completion for aai, made by `aai completions zsh`.\n\
         # Install: aai completions zsh > \"${fpath[1]}/_aai\" (or any directory in $fpath), then compinit\n\n\
         _aai() {\n  \
             local -a commands\n  \
             commands=(\n",
    );
    for (name, summary) in command_list() {
        let _ = writeln!(out, "    {}", zsh_quote(&format!("{name}:{summary}")));
    }
    out.push_str("  )\n  if (( CURRENT == 2 )); then\n    _describe -t commands 'aai command' commands\n    return\n  fi\n");
    out.push_str("  local cmd=$words[2]\n  shift words\n  (( CURRENT-- ))\n  case $cmd in\n");
    for (command, _) in command_list() {
        let _ = writeln!(out, "    {command})\n      _arguments -s \\");
        for opt in options(Some(command)) {
            let _ = writeln!(out, "        {} \\", zsh_spec(&opt));
        }
        let positional = match positional(command) {
            Operands::Files => "'*:file:_files'".to_owned(),
            Operands::Commands => format!("'1:command:({})'", command_names()),
            Operands::Shells => format!("'1:shell:({})'", SHELLS.join(" ")),
            Operands::Config => format!(
                "'1:action:({CONFIG_ACTIONS})' '2:key:({})' '3:value:'",
                config::keys().join(" ")
            ),
            Operands::Nothing | Operands::Words => "'*::argument:'".to_owned(),
        };
        let _ = writeln!(out, "        {positional}\n      ;;");
    }
    // Autoloaded from $fpath, the file is _aai's body: run it; sourced, register it.
    out.push_str(
        "  esac\n}\n\n\
         if [ \"$funcstack[1]\" = \"_aai\" ]; then\n  _aai \"$@\"\nelse\n  compdef _aai aai\nfi\n",
    );
    out
}

/// One `_arguments` spec: `'(-o --output)'{-o,--output}'[help]:FILE:_files'`.
fn zsh_spec(opt: &Opt) -> String {
    let help = opt
        .help
        .replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace(':', "\\:");
    let value = match opt.value {
        None => String::new(),
        Some(placeholder) => {
            let message = placeholder.replace(':', "\\:");
            let action = if opt.takes_path() {
                "_files".to_owned()
            } else {
                let choices = opt.choices();
                match (choices.is_empty(), opt.takes_list()) {
                    (true, _) => " ".to_owned(),
                    (false, true) => format!("_sequence compadd - {}", choices.join(" ")),
                    (false, false) => format!("({})", choices.join(" ")),
                }
            };
            format!(":{message}:{action}")
        }
    };
    let repeat = if opt.takes_list() { "*" } else { "" };
    if opt.names.len() == 1 {
        zsh_quote(&format!("{repeat}{}[{help}]{value}", opt.names[0]))
    } else {
        let group = opt.names.join(" ");
        format!(
            "'({group})'{{{}}}{}",
            opt.names.join(","),
            zsh_quote(&format!("[{help}]{value}"))
        )
    }
}

fn zsh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn fish() -> String {
    let mut out = String::from(
        "# fish completion for aai, made by `aai completions fish`.\n\
         # Install: aai completions fish > ~/.config/fish/completions/aai.fish\n\n\
         complete -c aai -f\n",
    );
    let commands = command_names();
    for (name, summary) in command_list() {
        let _ = writeln!(
            out,
            "complete -c aai -n 'not __fish_seen_subcommand_from {commands}' -a {name} -d {}",
            fish_quote(summary)
        );
    }
    for opt in options(None) {
        let _ = writeln!(
            out,
            "complete -c aai -n 'not __fish_seen_subcommand_from {commands}' {}",
            fish_option(&opt)
        );
    }
    for (command, _) in command_list() {
        let when = format!("-n '__fish_seen_subcommand_from {command}'");
        for opt in options(Some(command)) {
            let _ = writeln!(out, "complete -c aai {when} {}", fish_option(&opt));
        }
        let positional = match positional(command) {
            Operands::Files => "-F".to_owned(),
            Operands::Commands => format!("-a {}", fish_quote(&commands)),
            Operands::Shells => format!("-a {}", fish_quote(&SHELLS.join(" "))),
            Operands::Config => {
                let _ = writeln!(
                    out,
                    "complete -c aai -n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from {CONFIG_ACTIONS}' -a {}",
                    fish_quote(CONFIG_ACTIONS)
                );
                format!(
                    "-n '__fish_seen_subcommand_from set get unset' -a {}",
                    fish_quote(&config::keys().join(" "))
                )
            }
            Operands::Nothing | Operands::Words => continue,
        };
        let _ = writeln!(out, "complete -c aai {when} {positional}");
    }
    out
}

fn fish_option(opt: &Opt) -> String {
    let mut out = String::new();
    for name in &opt.names {
        match name.strip_prefix("--") {
            Some(long) => {
                let _ = write!(out, "-l {long} ");
            }
            None => {
                let _ = write!(out, "-s {} ", name.trim_start_matches('-'));
            }
        }
    }
    if opt.value.is_some() {
        if opt.takes_path() {
            out.push_str("-r -F ");
        } else {
            out.push_str("-x ");
            let choices = opt.choices();
            if !choices.is_empty() {
                let _ = write!(out, "-a {} ", fish_quote(&choices.join(" ")));
            }
        }
    }
    let _ = write!(out, "-d {}", fish_quote(opt.help));
    out
}

fn fish_quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}
