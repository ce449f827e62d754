//! `aai dictate`: a spoken note through the Dictation API, its cleaned-up
//! text on stdout.

use std::io;

use assemblyai::dictation::{Dictation, DictationRequest};

use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, Takes, flags};
use crate::commands::sync::{CLIP, pcm_flags, pcm_hint};
use crate::commands::transcribe::{timeout_flag, within};
use crate::failure::{CliResult, Failure};
use crate::output::Output;

pub static DICTATE: Command = Command {
    name: "dictate",
    summary: "a spoken note, cleaned up by an LLM (or --raw), in one request",
    operands: &["FILE|-"],
    completes: Operands::Files,
    groups: &[&flags::CONNECTION, &SHOWN, &CLIP, &DICTATION],
    about: "\
  FILE    a WAV or raw PCM note (2 minutes live, 20 minutes whole), or an MP3,
          M4A, Ogg/Opus, FLAC or WebM recording (sent whole)
  -       read the audio from stdin, sending it while it is read

Prints the cleaned-up text: fillers removed, self-corrections resolved, punctuation \
added, or what --instruction asks (--json: the whole reply). A recording from stdin longer \
than the live route's 2 minutes is read to its end and sent again whole, as the API's docs \
advise.",
    examples: "\
  aai dictate memo.wav
  arecord -q -f S16_LE -r 16000 -c 1 -t wav |
      aai dictate - --instruction 'Format as a todo list'
  aai dictate memo.m4a --raw",
    run: dictate,
};

static RAW: Flag = Flag::switch("--raw", "print the verbatim transcript instead");

/// What is printed, and where.
static SHOWN: Group = Group {
    title: "Output options",
    flags: Members::Fixed(&[&RAW, &flags::OUTPUT]),
};

static INSTRUCTION: Flag = Flag::valued(
    "--instruction",
    Takes::Value,
    "TEXT",
    "what the LLM should make of the text (up to 2,048 characters)",
);
static REWRITE_MODE: Flag = Flag::valued(
    "--rewrite-mode",
    Takes::Value,
    "MODE",
    "the LLM tier, e.g. fast or smart [default: the server's]",
)
.knows(assemblyai::dictation::RewriteMode::KNOWN);

/// Dictation's own.
static DICTATION: Group = Group {
    title: "Dictation options",
    flags: Members::Fixed(&[&INSTRUCTION, &REWRITE_MODE]),
};

/// Everything `aai dictate` takes from its command line, parsed in one place.
struct DictateFlags {
    connection: Connection,
    timeout: Option<std::time::Duration>,
    json: bool,
    raw: bool,
    output: Output,
    request: DictationRequest,
}

impl DictateFlags {
    fn parse(args: &mut Args) -> CliResult<DictateFlags> {
        let connection = Connection::parse(args)?;
        let timeout = timeout_flag(args)?;
        let json = args.flag("--json");
        let raw = args.flag("--raw");
        if json && raw {
            return Err(Failure::usage(
                "--json prints both texts, --raw only the verbatim one: use one",
            ));
        }
        crate::notice::set_json(json);
        let output = Output::from_flag(args.path(["-o", "--output"])?);
        let mut request = DictationRequest::default();
        request.llm_instruction = args.value("--instruction")?;
        request.rewrite_mode = args.value("--rewrite-mode")?;
        request.stt_prompt = args.value("--prompt")?;
        request.keyterms_prompt = args.list("--keyterms-prompt")?;
        request.language_codes = args.list("--language-codes")?;
        (request.sample_rate, request.channels) = pcm_flags(args)?;
        Ok(DictateFlags {
            connection,
            timeout,
            json,
            raw,
            output,
            request,
        })
    }
}

pub fn dictate(mut args: Args) -> CliResult {
    let flags = DictateFlags::parse(&mut args)?;
    let source = args.finish()?.remove(0);
    flags.output.check_writable()?;
    let client = within(flags.connection.client(flags.json)?, flags.timeout);
    let note = if source == "-" {
        let _ = client.warm_dictation();
        client
            .dictate(io::stdin().lock(), &flags.request)
            .map_err(pcm_hint)?
    } else {
        client
            .dictate_file(&source, &flags.request)
            .map_err(pcm_hint)?
    };
    report(&note);
    let bytes = if flags.json {
        crate::render::kept_json(note.raw_json(), &note)
    } else if flags.raw {
        format!("{}\n", note.text).into_bytes()
    } else {
        format!("{}\n", note.final_text()).into_bytes()
    };
    flags.output.write(&bytes)
}

/// What the reply says beside the text, on stderr.
fn report(note: &Dictation) {
    if note.resent_whole {
        crate::notice::line(
            "aai: the recording was over the live route's 2 minutes; sent whole to /v1/transcribe",
            &serde_json::json!({"event": "resent_whole", "route": "/v1/transcribe"}),
        );
    }
    if let Some(error) = &note.llm_error {
        crate::notice::warn(&format!(
            "the clean-up failed ({error}): the text is the verbatim transcript"
        ));
    }
}
