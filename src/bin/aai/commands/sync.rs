//! `aai sync`: a short clip through the Sync STT API, text on stdout in one
//! request; also `aai transcribe FILE --sync`.

use std::io;

use assemblyai::sync::{SyncRequest, SyncTranscript};

use crate::args::{Args, Connection};
use crate::failure::{CliResult, Failure};
use crate::output::Output;

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
    format: Format,
    output: Output,
    request: SyncRequest,
}

impl SyncFlags {
    fn parse(args: &mut Args) -> CliResult<SyncFlags> {
        let connection = Connection::parse(args)?;
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
        request.keyterms_prompt = list(args, "--keyterms-prompt")?;
        request.language_codes = list(args, "--language-codes")?;
        let context = args.values("--context")?;
        request.conversation_context = (!context.is_empty()).then_some(context);
        request.model = args.value("--model")?;
        (request.sample_rate, request.channels) = pcm_flags(args)?;
        Ok(SyncFlags {
            connection,
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

/// A comma-separated list option, repeatable, as `aai transcribe` takes them.
pub fn list(args: &mut Args, name: &'static str) -> CliResult<Option<Vec<String>>> {
    let items: Vec<String> = args
        .values(name)?
        .iter()
        .flat_map(|list| list.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((!items.is_empty()).then_some(items))
}

pub fn sync(mut args: Args) -> CliResult {
    let flags = SyncFlags::parse(&mut args)?;
    let source = args.finish(&["FILE|-"])?.remove(0);
    run(flags, &source)
}

/// `aai transcribe FILE --sync`: the same command as `aai sync FILE`, whose
/// text and JSON outputs are what transcribe prints where the reply allows.
pub fn transcribe_sync(mut args: Args) -> CliResult {
    let flags = SyncFlags::parse(&mut args)?;
    let source = args.finish(&["FILE|-"]).map_err(|failure| {
        failure.with_hint("with --sync, transcribe takes the options of aai sync: aai sync --help")
    })?;
    run(flags, &source[0])
}

fn run(flags: SyncFlags, source: &str) -> CliResult {
    flags.output.check_writable()?;
    let client = flags.connection.client(flags.format == Format::Json)?;
    let clip = if source == "-" {
        // The connection opens while the recorder starts, so the clip pays
        // no handshake; a failure here is the request's to report.
        let _ = client.warm_sync();
        client.transcribe_sync(io::stdin().lock(), &flags.request)?
    } else {
        client.transcribe_sync_file(source, &flags.request)?
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
