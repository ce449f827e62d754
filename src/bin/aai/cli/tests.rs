//! The declaration walked whole, in-process: every command with every flag
//! it declares, in every position, parsed without spawning a process.

use std::ffi::OsString;

use super::flag::{Flag, Takes};
use super::*;

/// A value the flag accepts at parse time.
fn sample(flag: &Flag) -> String {
    match flag.choices.first() {
        Some(choice) => (*choice).to_owned(),
        None if flag.placeholder == "KEY=VALUE" => "speaker_labels=true".to_owned(),
        None => "1".to_owned(),
    }
}

/// Operands enough for the command.
fn operands(command: &Command) -> Vec<String> {
    command
        .operands
        .iter()
        .filter(|name| !name.starts_with('['))
        .map(|_| "x".to_owned())
        .collect()
}

fn os(words: &[String]) -> Vec<OsString> {
    words.iter().map(OsString::from).collect()
}

/// Every spelling of `flag` as a user types it, with its value.
fn spellings(flag: &Flag) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    for name in flag.names() {
        if flag.takes_value() {
            all.push(vec![name.clone(), sample(flag)]);
            if name.starts_with("--") {
                all.push(vec![format!("{name}={}", sample(flag))]);
            }
        } else {
            all.push(vec![name]);
        }
    }
    all
}

#[test]
fn every_command_parses_every_flag_it_declares_before_and_after_its_operands() {
    for command in commands() {
        for flag in command.flags() {
            for spelled in spellings(flag) {
                let after: Vec<String> = operands(command)
                    .into_iter()
                    .chain(spelled.clone())
                    .collect();
                let before: Vec<String> =
                    spelled.iter().cloned().chain(operands(command)).collect();
                for words in [after, before] {
                    let parsed = Args::parse(command, os(&words), Vec::new());
                    assert!(
                        parsed.is_ok(),
                        "aai {} {}: {:?}",
                        command.name,
                        words.join(" "),
                        parsed.err().map(|failure| failure.message)
                    );
                }
            }
        }
    }
}

#[test]
fn every_valued_flag_given_before_the_command_word_leaves_the_command_first() {
    for command in commands() {
        for flag in command.flags() {
            for spelled in spellings(flag) {
                let mut words = spelled.clone();
                words.push(command.name.to_owned());
                words.extend(operands(command));
                let reordered = command_first(os(&words));
                assert_eq!(
                    reordered[0],
                    OsString::from(command.name),
                    "aai {} read as another command",
                    words.join(" ")
                );
                let rest = reordered[1..].to_vec();
                assert!(
                    Args::parse(command, rest, Vec::new()).is_ok(),
                    "aai {} does not parse",
                    words.join(" ")
                );
            }
        }
    }
}

#[test]
fn a_flag_name_has_one_form_in_every_command() {
    let mut seen: Vec<(&str, &Flag, &str)> = Vec::new();
    for command in commands() {
        for flag in command.flags() {
            if let Some((_, other, where_)) = seen.iter().find(|(name, _, _)| *name == flag.long) {
                assert_eq!(
                    (flag.takes_value(), flag.short),
                    (other.takes_value(), other.short),
                    "{} differs between aai {} and aai {where_}",
                    flag.long,
                    command.name
                );
                // Only --status means two things (a list filter, a batch's
                // directory); every other shared flag is the same value.
                if flag.long != "--status" {
                    assert_eq!(
                        (flag.takes, flag.placeholder),
                        (other.takes, other.placeholder),
                        "{} differs between aai {} and aai {where_}",
                        flag.long,
                        command.name
                    );
                }
            } else {
                seen.push((flag.long, flag, command.name));
            }
        }
    }
}

#[test]
fn no_command_declares_one_name_twice() {
    for command in commands() {
        let mut names: Vec<String> = command
            .flags()
            .iter()
            .flat_map(|flag| flag.names())
            .collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            count,
            "aai {} declares a name twice",
            command.name
        );
    }
    let mut names: Vec<&str> = commands().iter().map(|command| command.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), commands().len());
}

#[test]
fn every_flag_and_command_is_documented_and_every_help_fits_80_columns() {
    for command in commands() {
        assert!(!command.summary.is_empty() && !command.examples.is_empty());
        for flag in command.flags() {
            assert!(!flag.doc.is_empty(), "{} has no doc", flag.long);
            assert!(
                flag.takes_value() != flag.placeholder.is_empty(),
                "{}",
                flag.long
            );
        }
        let text = command_help(command, 80);
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "aai {} --help: a line of {} columns: {line}",
                command.name,
                line.chars().count()
            );
        }
        assert!(
            text.contains("\nExamples:\n  aai"),
            "aai {} help",
            command.name
        );
    }
    for line in main_help(80).lines() {
        assert!(line.chars().count() <= 80, "aai --help: {line}");
    }
}

#[test]
fn the_man_page_and_completions_name_every_command_and_flag() {
    let man = man::page();
    for command in commands() {
        assert!(man.contains(&format!(".SS \"aai {}", command.name)));
        for flag in command.flags() {
            assert!(
                man.contains(&flag.long.replace('-', "\\-")),
                "man lacks {}",
                flag.long
            );
        }
    }
}

#[test]
fn an_unknown_option_names_the_closest_and_a_bad_closed_value_the_closest_value() {
    let transcribe = command("transcribe").unwrap();
    let failure = Args::parse(
        transcribe,
        os(&["--fromat".into(), "srt".into(), "x".into()]),
        Vec::new(),
    )
    .err()
    .unwrap();
    assert!(failure.message.contains("unknown option --fromat"));
    assert!(failure.hint.unwrap().contains("--format"));
    let failure = Args::parse(
        transcribe,
        os(&["--format".into(), "stt".into(), "x".into()]),
        Vec::new(),
    )
    .err()
    .unwrap();
    assert!(
        failure.message.contains("unknown value \"stt\""),
        "{}",
        failure.message
    );
    assert!(failure.hint.unwrap().contains("`srt`"));
}

#[test]
fn an_option_of_another_command_says_which_takes_it() {
    let submit = command("submit").unwrap();
    let failure = Args::parse(
        submit,
        os(&["--format".into(), "srt".into(), "x".into()]),
        Vec::new(),
    )
    .err()
    .unwrap();
    assert!(
        failure
            .message
            .contains("unknown option --format for aai submit")
    );
    assert!(failure.hint.unwrap().contains("aai transcribe"));
}

#[test]
fn counted_switches_cluster_and_negatable_ones_contradict() {
    let list = command("list").unwrap();
    let mut args = Args::parse(list, os(&["-vv".into(), "-q".into()]), Vec::new()).unwrap();
    assert_eq!(args.count(["-v", "--verbose"]), 2);
    assert!(args.flag(["-q", "--quiet"]));
    let transcribe = command("transcribe").unwrap();
    let words = ["--speaker-labels", "--no-speaker-labels", "x"].map(String::from);
    let failure = Args::parse(transcribe, os(&words), Vec::new())
        .err()
        .unwrap();
    assert!(failure.message.contains("contradict"));
    let words = ["--no-speaker-labels", "x"].map(String::from);
    let mut args = Args::parse(transcribe, os(&words), Vec::new()).unwrap();
    assert_eq!(args.switch("--speaker-labels"), Some(false));
}

#[test]
fn a_flag_given_but_not_acted_on_is_an_error_not_ignored() {
    let list = command("list").unwrap();
    let words = ["--all".to_owned()];
    let args = Args::parse(list, os(&words), Vec::new()).unwrap();
    assert!(args.finish().is_err());
}

#[test]
fn help_wraps_between_words() {
    assert_eq!(help::wrap("a bb ccc dd", 6), ["a bb", "ccc dd"]);
    assert_eq!(help::wrap("", 10), [""]);
    let _ = Takes::Switch;
}
