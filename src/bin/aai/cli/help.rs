//! Help made from the declaration, wrapped to the terminal (80 columns when
//! stdout is not one): `aai --help`, `aai COMMAND --help`, `aai help`.

use super::command::{Command, Operands};
use super::flag::Flag;
use super::{Args, commands, flags};
use crate::failure::CliResult;
use crate::output::Output;

pub static HELP: Command = Command {
    name: "help",
    summary: "explain a command and its options",
    operands: &["[COMMAND]"],
    completes: Operands::Commands,
    groups: &[],
    about: "aai help COMMAND prints the help of COMMAND, as aai COMMAND --help does; without \
COMMAND, aai help prints aai --help.",
    examples: "\
  aai help transcribe",
    run: help,
};

fn help(args: Args) -> CliResult {
    let topic = args.finish()?.into_iter().next();
    let text = match topic.as_deref() {
        None => main_help(width()),
        Some(name) => render(
            super::command(name).ok_or_else(|| super::unknown_command(name))?,
            width(),
        ),
    };
    Output::Stdout.write(text.as_bytes())
}

/// The width to wrap help at: the terminal's, 80 when stdout is not one.
pub fn width() -> usize {
    crate::live::stdout_width().unwrap_or(80).clamp(40, 120)
}

const KEY_PROSE: &str = "The API key comes from --api-key-file, else ASSEMBLYAI_API_KEY (or \
ASSEMBLYAI_KEY), else the key aai login stored. There is no flag taking the key itself: \
command lines are visible to other users.

stdout carries only results; progress and errors go to stderr. Options may come before or \
after the command word; -- ends them (aai transcribe -- -x.mp3).";

const EXIT_PROSE: &str = "Exit codes: 0 ok, 1 internal (or nothing found by aai search), 2 \
usage, 3 local file, 4 API rejected the request, 5 authentication, 6 transcript failed, 7 \
timed out, 8 network or server, 128+N stopped by signal N (130 for Ctrl-C).";

const MAIN_EXAMPLES: &str = "\
  # once: check the key and store it (or set ASSEMBLYAI_API_KEY)
  printf %s \"$KEY\" | aai login
  aai transcribe meeting.mp3 > meeting.txt
  # subtitles for a video
  aai transcribe video.mp4 --format srt -o video.srt
  # who said what in a meeting
  aai transcribe meeting.m4a --speaker-labels --format utterances
  # a transcript with names and phone numbers redacted
  aai transcribe call.wav --redact-pii \\
      --redact-pii-policies person_name,phone_number
  # every recording in a folder: concurrent, within the rate limit, resumable
  aai batch recordings/ --out-dir transcripts
  # the whole transcript object, for jq
  aai transcribe interview.wav --timeout 10m --json | jq .words
  # speakers labelled on every run, unless --no-speaker-labels
  aai config set speaker-labels true";

static VERSION: Flag =
    Flag::switch("--version", "print the version and the features built in").short("-V");

/// `aai --help`.
pub fn main_help(width: usize) -> String {
    let mut out = String::from(
        "aai: transcribe speech recordings with AssemblyAI\n\n\
         Usage: aai [OPTIONS] COMMAND [OPTIONS] [ARGS]\n\nCommands:\n",
    );
    let rows: Vec<(String, &str)> = commands()
        .iter()
        .map(|command| {
            let usage = format!("{} {}", command.name, command.operand_usage());
            (usage.trim_end().to_owned(), command.summary)
        })
        .collect();
    table(&mut out, &rows, width);
    let mut globals: Vec<&Flag> = flags::GLOBAL.flags();
    globals.push(&VERSION);
    out.push_str("\nGlobal options (every command):\n");
    flag_table(&mut out, &globals, width);
    out.push_str("\nConnection options (every command that talks to the API):\n");
    flag_table(&mut out, &flags::CONNECTION.flags(), width);
    out.push('\n');
    prose(&mut out, KEY_PROSE, width);
    out.push('\n');
    prose(&mut out, EXIT_PROSE, width);
    out.push_str("\nExamples:\n");
    out.push_str(&indented(MAIN_EXAMPLES));
    out
}

/// `aai COMMAND --help`.
pub fn render(command: &Command, width: usize) -> String {
    let mut out = format!("aai {}: {}\n\n", command.name, command.summary);
    let usage = format!(
        "Usage: aai {} [OPTIONS] {}",
        command.name,
        command.operand_usage()
    );
    out.push_str(usage.trim_end());
    out.push_str("\n\n");
    prose(&mut out, command.about, width);
    for group in command.groups() {
        let flags = group.flags();
        if flags.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}:\n", group.title));
        flag_table(&mut out, &flags, width);
    }
    out.push_str("\nExamples:\n");
    out.push_str(&indented(command.examples));
    out
}

/// Lines indented by two spaces at least: the first line of a declared
/// block loses its indentation to the string's `\` continuation.
pub fn indented(block: &str) -> String {
    block
        .lines()
        .map(|line| match line.starts_with("  ") {
            true => format!("{line}\n"),
            false => format!("  {line}\n"),
        })
        .collect()
}

/// Flags as `  NAMES   doc`, the docs in one column.
fn flag_table(out: &mut String, flags: &[&Flag], width: usize) {
    let rows: Vec<(String, &str)> = flags.iter().map(|flag| (flag.usage(), flag.doc)).collect();
    table(out, &rows, width);
}

/// Two columns: `  left   right`, the right one wrapped with a hanging
/// indent; a left cell too wide for the column puts its text on the next line.
fn table(out: &mut String, rows: &[(String, &str)], width: usize) {
    let widest = rows
        .iter()
        .map(|(left, _)| left.chars().count())
        .max()
        .unwrap_or(0);
    let column = (widest + 4).min(width / 2).min(34);
    for (left, right) in rows {
        let mut line = format!("  {left}");
        let lines = wrap(right, width.saturating_sub(column).max(20));
        if line.chars().count() + 2 > column {
            out.push_str(&line);
            out.push('\n');
            line = String::new();
        }
        for text in lines {
            let pad = column.saturating_sub(line.chars().count());
            out.push_str(&line);
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
            out.push('\n');
            line = String::new();
        }
    }
}

/// Paragraphs of prose wrapped to `width`. A paragraph of several lines is
/// preformatted (a table of operands, usage lines) and kept as it is,
/// indented by two; prose is written as one long line per paragraph.
fn prose(out: &mut String, text: &str, width: usize) {
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if paragraph.contains('\n') {
            out.push_str(&indented(paragraph));
            continue;
        }
        for line in wrap(paragraph, width) {
            out.push_str(&line);
            out.push('\n');
        }
    }
}

/// `text` in lines of at most `width` characters, broken between words.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
