//! `aai man`: the manual page in roff, made from the declaration like the
//! help (`aai man > aai.1; man ./aai.1`).

use super::command::{Command, Operands};
use super::flag::Flag;
use super::{Args, commands, flags};
use crate::failure::CliResult;
use crate::output::Output;

pub static MAN: Command = Command {
    name: "man",
    summary: "print the manual page (roff) of every command",
    operands: &[],
    completes: Operands::Nothing,
    groups: &[],
    about: "Prints aai(1) in roff, every command and option in it, for man to show or to \
install in a man directory.",
    examples: "\
  aai man | man -l -
  aai man > ~/.local/share/man/man1/aai.1",
    run: man,
};

fn man(args: Args) -> CliResult {
    args.finish()?;
    Output::Stdout.write(page().as_bytes())
}

/// The whole page.
pub fn page() -> String {
    let mut out = format!(
        ".TH AAI 1 \"\" \"aai {}\" \"User Commands\"\n\
         .SH NAME\naai \\- transcribe speech recordings with AssemblyAI\n\
         .SH SYNOPSIS\n.B aai\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n\
         .SH DESCRIPTION\n{}\n",
        env!("CARGO_PKG_VERSION"),
        escape(
            "stdout carries only results (text, JSON, subtitles, ids); progress, status, \
             warnings and errors go to stderr. Options may come before or after the command."
        )
    );
    out.push_str(".SH GLOBAL OPTIONS\n");
    options(&mut out, &flags::GLOBAL.flags());
    out.push_str(".SH CONNECTION OPTIONS\n");
    options(&mut out, &flags::CONNECTION.flags());
    out.push_str(".SH COMMANDS\n");
    for command in commands() {
        section(&mut out, command);
    }
    out.push_str(
        ".SH EXIT STATUS\n0 ok; 1 internal, or nothing found by aai search; 2 usage; \
         3 local file; 4 API rejected the request; 5 authentication; 6 transcript failed; \
         7 timed out; 8 network or server; 128+N stopped by signal N.\n\
         .SH ENVIRONMENT\n.TP\n.B ASSEMBLYAI_API_KEY\nthe API key (else ASSEMBLYAI_KEY, else the key aai login stored)\n\
         .TP\n.B ASSEMBLYAI_BASE_URL\nthe API host\n.TP\n.B NO_COLOR\nno colour on stderr\n",
    );
    out
}

fn section(out: &mut String, command: &Command) {
    out.push_str(&format!(
        ".SS \"aai {} {}\"\n{}\n.PP\n",
        command.name,
        escape(&command.operand_usage()),
        escape(command.summary)
    ));
    for paragraph in command.about.split("\n\n") {
        if paragraph.contains('\n') {
            let block = super::help::indented(paragraph);
            out.push_str(&format!(".nf\n{}.fi\n.PP\n", escape(&block)));
        } else {
            out.push_str(&format!("{}\n.PP\n", escape(paragraph)));
        }
    }
    for group in command.groups.iter() {
        options(out, &group.flags());
    }
    let examples = super::help::indented(command.examples);
    out.push_str(&format!("Examples:\n.nf\n{}.fi\n", escape(&examples)));
}

fn options(out: &mut String, flags: &[&Flag]) {
    for flag in flags {
        out.push_str(&format!(
            ".TP\n.B {}\n{}\n",
            escape(&flag.usage()),
            escape(flag.doc)
        ));
    }
}

/// Text safe in roff: backslashes and dashes escaped, and no line starting
/// with a control character.
fn escape(text: &str) -> String {
    text.replace('\\', "\\e")
        .replace('-', "\\-")
        .lines()
        .map(|line| {
            if line.starts_with('.') || line.starts_with('\'') {
                format!("\\&{line}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
