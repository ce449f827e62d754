//! `aai understand ID --summarize bullets --action-items --translate es,de ...`:
//! Speech Understanding tasks run on a finished transcript through the LLM
//! Gateway (`/v1/understanding`), without transcribing again.

use assemblyai::llm::Understanding;
use assemblyai::{SpeechUnderstandingRequest, SpeechUnderstandingTasks};
use serde_json::{Map, Value, json};

use crate::cli::{Args, Command, Connection, Flag, Group, Members, Operands, Takes, flags};
use crate::commands::ask::not_completed_hint;
use crate::commands::transcribe::{timeout_flag, within};
use crate::failure::{CliResult, Failure};
use crate::output::Output;
use crate::status::Watcher;
use crate::visible::one_line;

/// The parts of the result `--format` can pick.
const FORMATS: [&str; 5] = [
    "summary",
    "action-items",
    "translation",
    "speakers",
    "formatted",
];

pub static UNDERSTAND: Command = Command {
    name: "understand",
    summary: "summary, action items, translation... of a finished transcript",
    operands: &["TRANSCRIPT_ID"],
    completes: Operands::Words,
    groups: &[&flags::CONNECTION, &TASKS, &SHOWN],
    about: "Runs Speech Understanding tasks on the LLM Gateway (/v1/understanding) without \
transcribing again; any number of tasks at once, in one request. Prints each result \
(--format picks one part; --json the whole reply object). The task flags are those of aai \
transcribe, with --translate for --target-languages and --identify-speakers for \
--speaker-type.",
    examples: "\
  aai understand 5551722-f677-48a6-9287-39c0aafd9ac1 --summarize bullets \\
      --action-items
  aai understand ID --translate es,de --format translation
  aai understand ID --identify-speakers name --known-values Ana,Ben --json |
      jq .utterances",
    run: understand,
};

static SUMMARIZE: Flag = Flag::valued(
    "--summarize",
    Takes::Value,
    "paragraph|bullets",
    "a summary by topic",
)
.knows(assemblyai::SummaryStyle::KNOWN);
static ACTION_ITEMS: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch("--action-items", "the action items")
};
static INCLUDE_DECISIONS: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch(
        "--include-decisions",
        "the decisions too (implies --action-items)",
    )
};
static EFFORT: Flag = Flag::valued(
    "--effort",
    Takes::Value,
    "low|medium",
    "effort of summary and action items [default: the API's]",
)
.knows(assemblyai::TaskEffort::KNOWN);
static TRANSLATE: Flag = Flag::valued(
    "--translate",
    Takes::List,
    "CODES",
    "translate into these languages, e.g. es,de",
);
static FORMAL: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch("--formal", "formal translations (--no-formal: informal)")
};
static MATCH_ORIGINAL_UTTERANCE: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch("--match-original-utterance", "translations per utterance")
};
static IDENTIFY_SPEAKERS: Flag = Flag::valued(
    "--identify-speakers",
    Takes::Value,
    "name|role",
    "name or label the speakers",
)
.knows(assemblyai::SpeakerType::KNOWN);
static KNOWN_VALUES: Flag = Flag::valued(
    "--known-values",
    Takes::List,
    "NAMES",
    "the names or roles to choose from",
);
static SPEAKERS: Flag = Flag::valued(
    "--speakers",
    Takes::Value,
    "JSON",
    "speakers with descriptions, e.g. '[{\"name\":\"Ana\"}]'",
);
static DATE: Flag = Flag::valued(
    "--custom-formatting-date",
    Takes::Value,
    "PATTERN",
    "e.g. mm/dd/yyyy",
);
static PHONE: Flag = Flag::valued(
    "--custom-formatting-phone-number",
    Takes::Value,
    "PATTERN",
    "e.g. (xxx)xxx-xxxx",
);
static EMAIL: Flag = Flag::valued(
    "--custom-formatting-email",
    Takes::Value,
    "PATTERN",
    "e.g. username@domain.com",
);
static FORMAT_UTTERANCES: Flag = Flag {
    takes: Takes::Negatable,
    ..Flag::switch("--format-utterances", "format the utterances too")
};
static TASK: Flag = Flag::valued(
    "--task",
    Takes::Repeated,
    "NAME=JSON",
    "any task, as the API takes it (repeatable)",
);
static VALIDATE: Flag = Flag::switch(
    "--validate",
    "only check the tasks; prints the id when valid",
);

/// The tasks to run.
static TASKS: Group = Group {
    title: "Task options",
    flags: Members::Fixed(&[
        &SUMMARIZE,
        &ACTION_ITEMS,
        &INCLUDE_DECISIONS,
        &EFFORT,
        &TRANSLATE,
        &FORMAL,
        &MATCH_ORIGINAL_UTTERANCE,
        &IDENTIFY_SPEAKERS,
        &KNOWN_VALUES,
        &SPEAKERS,
        &DATE,
        &PHONE,
        &EMAIL,
        &FORMAT_UTTERANCES,
        &TASK,
        &VALIDATE,
    ]),
};

static PART: Flag = Flag::valued(
    "--format",
    Takes::List,
    "FORMAT",
    "print only this part: summary, action-items, translation, speakers or formatted",
)
.only(&FORMATS);

/// What is printed, and where.
static SHOWN: Group = Group {
    title: "Output options",
    flags: Members::Fixed(&[&PART, &flags::OUTPUT]),
};

/// Every task flag of `aai understand`, read in one place into the request's
/// JSON (decoded into the library's types, which the gateway validates: a
/// value this version does not know is sent, not refused).
fn tasks(args: &mut Args) -> CliResult<SpeechUnderstandingTasks> {
    let mut tasks = Map::new();
    let effort = args.value::<String>("--effort")?;
    let with_effort = |mut task: Value| {
        if let Some(effort) = &effort {
            task["effort"] = json!(effort);
        }
        task
    };
    if let Some(style) = args.value::<String>("--summarize")? {
        tasks.insert(
            "summarization".into(),
            with_effort(json!({"summary_type": style})),
        );
    }
    let decisions = args.flag("--include-decisions");
    if args.flag("--action-items") || decisions {
        let mut task = with_effort(json!({}));
        if decisions {
            task["include_decisions"] = json!(true);
        }
        tasks.insert("action_items".into(), task);
    }
    if let Some(languages) = args.list("--translate")? {
        let mut task = json!({"target_languages": languages});
        // formal is sent only when chosen: the spec and the SDKs disagree on its default.
        if let Some(formal) = args.switch("--formal") {
            task["formal"] = json!(formal);
        }
        if args.flag("--match-original-utterance") {
            task["match_original_utterance"] = json!(true);
        }
        tasks.insert("translation".into(), task);
    }
    if let Some(kind) = args.value::<String>("--identify-speakers")? {
        let mut task = json!({"speaker_type": kind});
        if let Some(known) = args.list("--known-values")? {
            task["known_values"] = json!(known);
        }
        if let Some(speakers) = args.value::<String>("--speakers")? {
            task["speakers"] = serde_json::from_str(&speakers)
                .map_err(|err| Failure::usage(format!("--speakers: not valid JSON ({err})")))?;
        }
        tasks.insert("speaker_identification".into(), task);
    }
    let mut formatting = Map::new();
    for (flag, field) in [
        ("--custom-formatting-date", "date"),
        ("--custom-formatting-phone-number", "phone_number"),
        ("--custom-formatting-email", "email"),
    ] {
        if let Some(pattern) = args.value::<String>(flag)? {
            formatting.insert(field.into(), json!(pattern));
        }
    }
    if args.flag("--format-utterances") {
        formatting.insert("format_utterances".into(), json!(true));
    }
    if !formatting.is_empty() {
        tasks.insert("custom_formatting".into(), Value::Object(formatting));
    }
    // Any task, known to this version or not: NAME=JSON.
    for task in args.values("--task")? {
        let (name, body) = task
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("--task takes NAME=JSON, got \"{task}\"")))?;
        let body: Value = serde_json::from_str(body)
            .map_err(|err| Failure::usage(format!("--task {name}: not valid JSON ({err})")))?;
        tasks.insert(name.trim().to_owned(), body);
    }
    if tasks.is_empty() {
        return Err(Failure::usage("no task: give at least one of --summarize, --action-items, --translate, --identify-speakers, --custom-formatting-*, --task")
            .with_hint("aai understand --help lists them"));
    }
    serde_json::from_value(Value::Object(tasks))
        .map_err(|err| Failure::usage(format!("the tasks are not what the API takes: {err}")))
}

pub fn understand(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let json = args.flag("--json");
    let validate = args.flag("--validate");
    let quiet = args.flag(["-q", "--quiet"]);
    let format = args.value::<String>("--format")?;
    if let Some(format) = &format {
        if !FORMATS.contains(&format.as_str()) {
            return Err(Failure::usage(format!(
                "--format: unknown value \"{format}\"; expected one of: {}",
                FORMATS.join(", ")
            )));
        }
    }
    let output = Output::from_flag(args.path(["-o", "--output"])?);
    let tasks = tasks(&mut args)?;
    let id = args.finish()?.remove(0);
    output.check_writable()?;
    let status = Watcher::new(quiet, json, None);
    let client = status.observe(&within(connection.client(false)?, timeout));
    let request = SpeechUnderstandingRequest::new(tasks);
    if validate {
        client
            .validate_understanding(&id, &request)
            .map_err(|error| not_completed_hint(error.into(), &id, "understand"))?;
        return output.write(format!("{}\n", one_line(&id)).as_bytes());
    }
    let result = client
        .understand(&id, &request)
        .map_err(|error| not_completed_hint(error.into(), &id, "understand"))?;
    if let Some(results) = result
        .speech_understanding
        .as_ref()
        .and_then(|s| s.response.as_ref())
    {
        for (task, task_status) in results.unsuccessful() {
            crate::notice::warn(&format!(
                "the {task} task did not succeed: {}",
                one_line(task_status)
            ));
        }
    }
    let bytes = if json {
        let mut bytes = serde_json::to_vec(&result).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    } else {
        render(&result, format.as_deref()).into_bytes()
    };
    output.write(&bytes)
}

/// The results as text: every part present, or the one `--format` names.
/// Summary and action items read as `aai transcribe --format summary` and
/// `action-items` show them.
fn render(result: &Understanding, only: Option<&str>) -> String {
    let results = result
        .speech_understanding
        .as_ref()
        .and_then(|s| s.response.as_ref());
    let mut parts: Vec<(&str, String)> = Vec::new();
    if let Some(text) = results.and_then(crate::understanding::summary_of) {
        parts.push(("summary", text));
    }
    if let Some(text) = results.and_then(crate::understanding::action_items_of) {
        parts.push(("action-items", text));
    }
    if let Some(texts) = &result.translated_texts {
        let text: String = texts
            .iter()
            .map(|(lang, text)| format!("[{}] {}\n", one_line(lang), one_line(text)))
            .collect();
        parts.push(("translation", text));
    }
    if let Some(mapping) = results
        .and_then(|r| r.speaker_identification.as_ref())
        .and_then(|s| s.mapping.as_ref())
    {
        let text: String = mapping
            .iter()
            .map(|(label, name)| format!("{} = {}\n", one_line(label), one_line(name)))
            .collect();
        parts.push(("speakers", text));
    }
    if let Some(text) = results
        .and_then(|r| r.custom_formatting.as_ref())
        .and_then(|c| c.formatted_text.as_ref())
    {
        parts.push(("formatted", format!("{}\n", one_line(text))));
    }
    match only {
        Some(name) => parts
            .into_iter()
            .filter(|(part, _)| *part == name)
            .map(|(_, text)| text)
            .collect(),
        None if parts.len() == 1 => parts.remove(0).1,
        None => parts
            .iter()
            .map(|(name, text)| format!("# {name}\n{text}"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
