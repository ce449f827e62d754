//! `aai dictate`: a spoken note through the Dictation API, its cleaned-up
//! text on stdout.

use std::io;

use assemblyai::dictation::{Dictation, DictationRequest};

use crate::args::{Args, Connection};
use crate::commands::sync::{list, pcm_flags};
use crate::failure::{CliResult, Failure};
use crate::output::Output;

/// Everything `aai dictate` takes from its command line, parsed in one place.
struct DictateFlags {
    connection: Connection,
    json: bool,
    raw: bool,
    output: Output,
    request: DictationRequest,
}

impl DictateFlags {
    fn parse(args: &mut Args) -> CliResult<DictateFlags> {
        let connection = Connection::parse(args)?;
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
        request.keyterms_prompt = list(args, "--keyterms-prompt")?;
        request.language_codes = list(args, "--language-codes")?;
        (request.sample_rate, request.channels) = pcm_flags(args)?;
        Ok(DictateFlags {
            connection,
            json,
            raw,
            output,
            request,
        })
    }
}

pub fn dictate(mut args: Args) -> CliResult {
    let flags = DictateFlags::parse(&mut args)?;
    let source = args.finish(&["FILE|-"])?.remove(0);
    flags.output.check_writable()?;
    let client = flags.connection.client(flags.json)?;
    let note = if source == "-" {
        let _ = client.warm_dictation();
        client.dictate(io::stdin().lock(), &flags.request)?
    } else {
        client.dictate_file(&source, &flags.request)?
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
