//! `aai sync`: a short clip through the Sync STT API, text on stdout in one
//! request; also `aai transcribe FILE --sync`.

use std::io;

use assemblyai::sync::{SyncRequest, SyncTranscript};

use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, Takes, flags};
use crate::commands::transcribe::{timeout_flag, within};
use crate::failure::{CliResult, Failure};
use crate::output::Output;

pub static SYNC: Command = Command {
    name: "sync",
    summary: "a clip of up to 2 minutes (WAV, PCM) in one request: its text now",
    operands: &["FILE|-"],
    completes: Operands::Files,
    groups: &[&flags::CONNECTION, &SHOWN, &CLIP, &SYNC_ONLY],
    about: "\
  FILE    a WAV (16-bit) or raw PCM file of 80 ms to 2 minutes, at most 40 MB
  -       the audio from stdin, sent while it is read (a recorder's pipe)

No upload, no job, no polling: the Sync STT API answers with the text in the reply. \
Compressed formats (MP3, M4A, ...) are refused before sending: convert them, or use aai \
transcribe. aai transcribe FILE --sync does the same with transcribe's outputs.",
    examples: "\
  aai sync note.wav
  arecord -q -f S16_LE -r 16000 -c 1 -t wav -d 10 | aai sync -
  aai sync clip.pcm --sample-rate 16000 --channels 1 --timestamps --format words
  aai transcribe note.wav --sync --json",
    run: sync,
};

static SYNC_FORMAT: Flag = Flag::valued(
    "--format",
    Takes::List,
    "FORMAT",
    "text, json or words (one per line: start, end, confidence, word) [default: text]",
)
.only(&["text", "json", "words"]);

/// What is printed, and where.
static SHOWN: Group = Group {
    title: "Output options",
    flags: Members::Fixed(&[&SYNC_FORMAT, &flags::OUTPUT]),
};

/// `--prompt`, shared by the short-clip commands.
pub static PROMPT: Flag = Flag::valued(
    "--prompt",
    Takes::Value,
    "TEXT",
    "describe the audio to guide the model",
);
/// `--keyterms-prompt`, shared by the short-clip commands.
pub static KEYTERMS_PROMPT: Flag = Flag::valued(
    "--keyterms-prompt",
    Takes::List,
    "TERMS",
    "comma-separated words and phrases to recognise (up to 100)",
);
/// `--language-codes`, shared by the short-clip commands.
pub static LANGUAGE_CODES: Flag = Flag::valued(
    "--language-codes",
    Takes::List,
    "CODES",
    "comma-separated languages of the audio, e.g. en,es [default: the server's]",
);
/// `--sample-rate`, shared by the short-clip commands.
pub static SAMPLE_RATE: Flag = Flag::valued(
    "--sample-rate",
    Takes::Value,
    "N",
    "samples per second of raw PCM (a WAV header has it)",
);
/// `--channels`, shared by the short-clip commands.
pub static CHANNELS: Flag = Flag::valued("--channels", Takes::Value, "N", "channels of raw PCM");

/// What both short-clip APIs take.
pub static CLIP: Group = Group {
    title: "Clip options",
    flags: Members::Fixed(&[
        &PROMPT,
        &KEYTERMS_PROMPT,
        &LANGUAGE_CODES,
        &SAMPLE_RATE,
        &CHANNELS,
    ]),
};

static TIMESTAMPS: Flag = Flag::switch(
    "--timestamps",
    "words with start and end times (ms), at some latency",
);
static CONTEXT: Flag = Flag::valued(
    "--context",
    Takes::Repeated,
    "TEXT",
    "an earlier turn of the conversation; repeat, oldest first",
);
static MODEL: Flag = Flag::valued(
    "--model",
    Takes::Value,
    "MODEL",
    "the Sync model, sent as the X-AAI-Model header [default: the one the API's docs call \
     canonical]",
);

/// Sync's own.
static SYNC_ONLY: Group = Group {
    title: "Sync options",
    flags: Members::Fixed(&[&TIMESTAMPS, &CONTEXT, &MODEL]),
};

static SYNC_SWITCH: Flag = Flag::switch(
    "--sync",
    "a clip of up to 2 minutes (WAV, PCM) in one request through the Sync STT API; takes \
     aai sync's options (--format text or json)",
);

/// `aai transcribe --sync` and the options only it adds to transcribe's.
pub static TRANSCRIBE_SYNC: Group = Group {
    title: "One request for a short clip",
    flags: Members::Fixed(&[
        &SYNC_SWITCH,
        &TIMESTAMPS,
        &CONTEXT,
        &MODEL,
        &SAMPLE_RATE,
        &CHANNELS,
    ]),
};

/// How the clip is printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Words,
}

/// Everything `aai sync` takes from its command line, parsed in one place.
struct SyncFlags {
    connection: Connection,
    timeout: Option<std::time::Duration>,
    format: Format,
    output: Output,
    request: SyncRequest,
}

impl SyncFlags {
    fn parse(args: &mut Args) -> CliResult<SyncFlags> {
        let connection = Connection::parse(args)?;
        let timeout = timeout_flag(args)?;
        let json = args.flag("--json");
        let format = args.value_with("--format", |text| match text {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "words" => Ok(Format::Words),
            _ => Err(format!(
                "unknown format \"{text}\" for aai sync; expected one of: text, json, words"
            )),
        })?;
        let format = match (json, format) {
            (true, Some(other)) if other != Format::Json => {
                return Err(Failure::usage("--json and --format are exclusive; use one"));
            }
            (true, _) => Format::Json,
            (false, format) => format.unwrap_or(Format::Text),
        };
        if format == Format::Json {
            crate::notice::set_json(true);
        }
        let output = Output::from_flag(args.path(["-o", "--output"])?);
        let mut request = SyncRequest::default();
        request.timestamps = args.flag("--timestamps").then_some(true);
        request.prompt = args.value("--prompt")?;
        request.keyterms_prompt = args.list("--keyterms-prompt")?;
        request.language_codes = args.list("--language-codes")?;
        let context = args.values("--context")?;
        request.conversation_context = (!context.is_empty()).then_some(context);
        request.model = args.value("--model")?;
        (request.sample_rate, request.channels) = pcm_flags(args)?;
        Ok(SyncFlags {
            connection,
            timeout,
            format,
            output,
            request,
        })
    }
}

/// `--sample-rate N --channels N`, which describe raw PCM together.
pub fn pcm_flags(args: &mut Args) -> CliResult<(Option<u32>, Option<u16>)> {
    let sample_rate = args.whole_number("--sample-rate", 1)?;
    let channels = args
        .whole_number("--channels", 1)?
        .map(|channels| channels.min(u32::from(u16::MAX)) as u16);
    if channels.is_some() != sample_rate.is_some() {
        return Err(Failure::usage(
            "raw PCM is described by --sample-rate and --channels together: give both",
        ));
    }
    Ok((sample_rate, channels))
}

pub fn sync(mut args: Args) -> CliResult {
    let flags = SyncFlags::parse(&mut args)?;
    let source = args.finish()?.remove(0);
    run(flags, &source)
}

/// `aai transcribe FILE --sync`: the same command as `aai sync FILE`, whose
/// text and JSON outputs are what transcribe prints where the reply allows.
pub fn transcribe_sync(mut args: Args) -> CliResult {
    let flags = SyncFlags::parse(&mut args)?;
    let source = args.finish().map_err(|failure| {
        failure.with_hint("with --sync, transcribe takes the options of aai sync: aai sync --help")
    })?;
    run(flags, &source[0])
}

/// The library names raw PCM's missing description by its request fields;
/// on the command line they are flags.
pub fn pcm_hint(error: assemblyai::Error) -> Failure {
    let needs_pcm = matches!(&error, assemblyai::Error::InvalidInput { message }
        if message.contains("sample_rate and channels"));
    let failure = Failure::from(error);
    match needs_pcm {
        true => failure.with_hint(
            "describe the raw audio: --sample-rate N --channels N (e.g. 16000 and 1), or send a WAV",
        ),
        false => failure,
    }
}

fn run(flags: SyncFlags, source: &str) -> CliResult {
    flags.output.check_writable()?;
    let client = within(
        flags.connection.client(flags.format == Format::Json)?,
        flags.timeout,
    );
    let clip = if source == "-" {
        // The connection opens while the recorder starts, so the clip pays
        // no handshake; a failure here is the request's to report.
        let _ = client.warm_sync();
        client
            .transcribe_sync(io::stdin().lock(), &flags.request)
            .map_err(pcm_hint)?
    } else {
        client
            .transcribe_sync_file(source, &flags.request)
            .map_err(pcm_hint)?
    };
    flags.output.write(&render(&clip, flags.format))
}

fn render(clip: &SyncTranscript, format: Format) -> Vec<u8> {
    match format {
        Format::Text => format!("{}\n", clip.text).into_bytes(),
        Format::Json => crate::render::kept_json(clip.raw_json(), clip),
        Format::Words => {
            let mut out = String::new();
            for word in &clip.words {
                let time = |ms: Option<u64>| ms.map_or_else(String::new, |ms| ms.to_string());
                let confidence = word
                    .confidence
                    .map_or_else(String::new, |c| format!("{c:.2}"));
                out.push_str(&format!(
                    "{}\t{}\t{confidence}\t{}\n",
                    time(word.start),
                    time(word.end),
                    crate::visible::one_line(&word.text)
                ));
            }
            out.into_bytes()
        }
    }
}
