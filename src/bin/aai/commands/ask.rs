//! `aai ask ID|FILE|URL "question"`: one question to an LLM Gateway model
//! about a transcript (transcribing the audio first when given audio), the
//! answer on stdout.

use std::path::{Path, PathBuf};

use assemblyai::llm::{ChatReply, ChatRequest, Fallback, Message, ResponseFormat};
use assemblyai::{AudioSource, Client, Error, TranscriptRequest};
use serde_json::Value;

use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, Takes, flags};
use crate::commands::models::{chosen_model, explain_unknown_model};
use crate::commands::transcribe::wait_options;
use crate::failure::{CliResult, Failure, Kind};
use crate::output::{Output, Written};
use crate::status::Watcher;

/// Where the question goes relative to the transcript: the gateway fills the
/// first `{{ transcript }}` with the transcript's text.
pub const TRANSCRIPT_PLACEHOLDER: &str = "{{ transcript }}";

pub static ASK: Command = Command {
    name: "ask",
    summary: "ask an LLM about a transcript (transcribing audio first)",
    operands: &["ID|FILE|URL", "QUESTION"],
    completes: Operands::Files,
    groups: &[&flags::CONNECTION, &flags::WAITING, &LLM, &ANSWER],
    about: "Given a transcript id, asks about it; given audio (a file or URL), transcribes it \
first. The gateway puts the transcript's text where the prompt says {{ transcript }}, so the \
text is never sent from here. Prints the answer on stdout (--json: the whole reply object).

Without --model, the model is `aai config set llm-model ID`, else one chosen from the \
gateway's current catalogue (aai models): not retiring, served in your region, taking \
--schema when given, and of those the longest context, then the cheapest. stderr says \
which. A model the gateway no longer serves is an error listing the current ones.",
    examples: "\
  aai ask 5551722-f677-48a6-9287-39c0aafd9ac1 \"What did the customer promise?\"
  aai ask meeting.mp3 \"List the action items\" --model claude-sonnet-4-6
  aai ask call.wav \"Classify this call\" --schema call.schema.json | jq .category
  aai ask ID \"Summarize\" --stream --fallback gpt-5-mini",
    run: ask,
};

/// `--model ID`, for `aai ask` and `aai batch --ask`.
pub static MODEL: Flag = Flag::valued(
    "--model",
    Takes::Value,
    "MODEL",
    "the LLM Gateway model (aai models lists them) [default: llm-model of aai config, \
     else chosen from the catalogue]",
);
/// `--system TEXT`.
pub static SYSTEM: Flag = Flag::valued(
    "--system",
    Takes::Value,
    "TEXT",
    "instructions for the model",
);
/// `--schema FILE`.
pub static SCHEMA: Flag = Flag::valued(
    "--schema",
    Takes::Path,
    "FILE",
    "answer with JSON matching this JSON Schema (printed as the JSON object)",
);
/// `--fallback ID`, repeatable.
pub static FALLBACK: Flag = Flag::valued(
    "--fallback",
    Takes::Repeated,
    "ID",
    "a model to ask if the first fails (repeatable, in order)",
);

/// Which model answers, and how: shared with `aai batch --ask`.
pub static LLM: Group = Group {
    title: "Model options",
    flags: Members::Fixed(&[&MODEL, &SYSTEM, &SCHEMA, &FALLBACK]),
};

static MAX_TOKENS: Flag = Flag::valued(
    "--max-tokens",
    Takes::Value,
    "N",
    "the longest answer, in tokens [default: the gateway's]",
);
static TEMPERATURE: Flag = Flag::valued(
    "--temperature",
    Takes::Value,
    "X",
    "sampling temperature, 0 to 2 [default: the model's]",
);
static STREAM: Flag = Flag::switch("--stream", "print the answer as it comes");

/// The answer's shape.
static ANSWER: Group = Group {
    title: "Answer options",
    flags: Members::Fixed(&[&MAX_TOKENS, &TEMPERATURE, &STREAM]),
};

/// Every flag of `aai ask`, read in one place.
struct AskFlags {
    model: Option<String>,
    system: Option<String>,
    max_tokens: Option<u32>,
    temperature: Option<f64>,
    schema: Option<PathBuf>,
    json: bool,
    stream: bool,
    quiet: bool,
    fallbacks: Vec<String>,
}

impl AskFlags {
    fn parse(args: &mut Args) -> CliResult<AskFlags> {
        let flags = AskFlags {
            model: args.value::<String>("--model")?,
            system: args.value::<String>("--system")?,
            max_tokens: args.whole_number("--max-tokens", 1)?,
            temperature: args.value_with("--temperature", |text| {
                text.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|t| t.is_finite() && *t >= 0.0)
                    .ok_or_else(|| format!("expected a number of 0 or more, got \"{text}\""))
            })?,
            schema: args.path("--schema")?,
            json: args.flag("--json"),
            stream: args.flag("--stream"),
            quiet: args.flag(["-q", "--quiet"]),
            fallbacks: args.values("--fallback")?,
        };
        if flags.stream && (flags.json || flags.schema.is_some()) {
            return Err(Failure::usage(
                "--stream prints the answer's text as it comes; --json and --schema print a whole reply: give one",
            ));
        }
        Ok(flags)
    }
}

pub fn ask(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let wait = wait_options(&mut args)?;
    let flags = AskFlags::parse(&mut args)?;
    let mut operands = args.finish()?;
    let question = operands.remove(1);
    let source = operands.remove(0);
    if question.trim().is_empty() {
        return Err(Failure::usage("the question is empty"));
    }
    let schema = flags.schema.as_deref().map(read_schema).transpose()?;

    let status = Watcher::new(flags.quiet, flags.json, None);
    let client = status.observe(&crate::commands::transcribe::within(
        connection.client(false)?,
        wait.timeout,
    ));
    let transcript_id = transcript_of(&client, &source, &wait)
        .map_err(|failure| failure.about(status.created_id().as_deref()))?;
    let model = chosen_model(&client, flags.model.as_deref(), schema.is_some())?;

    let mut request = ChatRequest::new(model.as_str()).transcript(transcript_id.as_str());
    if let Some(system) = &flags.system {
        request = request.message(Message::system(system.as_str()));
    }
    request = request.message(Message::user(format!(
        "{TRANSCRIPT_PLACEHOLDER}\n\n{question}"
    )));
    request.max_tokens = flags.max_tokens;
    request.temperature = flags.temperature;
    request.fallbacks = flags.fallbacks.iter().map(Fallback::new).collect();
    if let Some(schema) = schema {
        request.response_format = Some(ResponseFormat::json_schema("answer", schema));
    }
    let about = |error: Error| {
        let failure = explain_unknown_model(&client, Failure::from(error), &model);
        // The transcript is done and kept: what may be missing is the answer.
        let failure = match failure.kind {
            Kind::Timeout | Kind::Network if failure.hint.is_none() => failure.with_hint(format!(
                "transcript {transcript_id} is kept; ask again with: aai ask {transcript_id} ..."
            )),
            _ => failure,
        };
        not_completed_hint(failure, &transcript_id, "ask").about(Some(&transcript_id))
    };

    if flags.stream {
        for chunk in client.chat_stream(&request).map_err(about)? {
            let text = client.redact_key(&chunk.map_err(about)?.text());
            if let Written::Closed = Output::Stdout.write_piece(text.as_bytes())? {
                return Ok(());
            }
        }
        return Output::Stdout.write(b"\n");
    }
    let reply = client.chat(&request).map_err(about)?;
    report_model(&reply, &model, flags.quiet);
    Output::Stdout.write(&answer_bytes(&reply, flags.json, flags.schema.is_some())?)
}

/// The gateway reads only a completed transcript; refused one that is
/// still queued or processing, the user is told how to go on.
pub fn not_completed_hint(failure: Failure, id: &str, command: &str) -> Failure {
    if failure.kind == Kind::Api && failure.message.contains("not completed") {
        return failure.with_hint(format!(
            "wait for it to complete (aai wait {id} > /dev/null), then run aai {command} again"
        ));
    }
    failure
}

/// The transcript to ask about: `source` itself when it is an id, else a new
/// transcript of the audio (a file is uploaded, a URL fetched by the API).
fn transcript_of(
    client: &Client,
    source: &str,
    wait: &assemblyai::WaitOptions,
) -> CliResult<String> {
    if is_transcript_id(source) {
        return Ok(source.to_owned());
    }
    let transcript = client.transcribe(
        AudioSource::from(source),
        &TranscriptRequest::default(),
        wait,
    )?;
    Ok(transcript.id)
}

/// Whether `source` names a transcript rather than audio: an id's shape, and
/// no file of that name.
pub fn is_transcript_id(source: &str) -> bool {
    let shaped = !source.is_empty()
        && source.len() <= 100
        && source
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && source.contains('-');
    shaped && !Path::new(source).exists()
}

/// A `--schema` file: a JSON Schema object.
pub fn read_schema(path: &Path) -> CliResult<Value> {
    crate::output::reads(path, "the --schema file");
    let text = std::fs::read_to_string(path).map_err(|err| {
        Failure::input(format!(
            "cannot read the --schema file {}: {err}",
            path.display()
        ))
    })?;
    match serde_json::from_str::<Value>(&text) {
        Ok(schema @ Value::Object(_)) => Ok(schema),
        Ok(_) => Err(Failure::input(format!(
            "{} is not a JSON Schema: its top level must be an object such as \
             {{\"type\": \"object\", \"properties\": {{...}}}}",
            path.display()
        ))),
        Err(err) => Err(Failure::input(format!(
            "{} is not valid JSON: {err}",
            path.display()
        ))),
    }
}

/// What stdout gets: the whole reply (`--json`), the answer as a JSON value
/// checked to be one (`--schema`), or its text.
pub fn answer_bytes(reply: &ChatReply, json: bool, schema: bool) -> CliResult<Vec<u8>> {
    if json {
        let mut bytes = serde_json::to_vec(reply).unwrap_or_default();
        bytes.push(b'\n');
        return Ok(bytes);
    }
    let text = reply.text();
    if schema {
        let value: Value = serde_json::from_str(text.trim()).map_err(|err| {
            Failure::new(
                Kind::Api,
                format!(
                    "the model's answer is not the JSON the schema asks for ({err}): {}",
                    crate::visible::one_line(&text.chars().take(200).collect::<String>())
                ),
            )
            .with_hint(
                "aai ask --json shows the whole reply; another --model may follow schemas better",
            )
        })?;
        let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
        bytes.push(b'\n');
        return Ok(bytes);
    }
    let mut text = text;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text.into_bytes())
}

/// Tells stderr which model answered when a fallback did.
pub fn report_model(reply: &ChatReply, asked: &str, quiet: bool) {
    if let Some(used) = reply.model_used().filter(|used| *used != asked) {
        if !quiet {
            crate::notice::warn(&format!("{asked} did not answer; its fallback {used} did"));
        }
    }
}
