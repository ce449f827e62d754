//! `aai batch --ask QUESTION [--ask-reduce QUESTION]`: the question step
//! after a batch's transcripts (the library's `batch::Ask` and
//! `batch::reduce`), its flags read in one place.

use std::path::{Path, PathBuf};

use assemblyai::batch::{self, Answered, Ask, Report, Shard, Source};
use assemblyai::llm::{ChatRequest, Fallback, Message, ResponseFormat};
use assemblyai::{Client, DOCUMENTED_MODEL_REQUESTS_PER_MINUTE};

use crate::cli::{Args, Flag, Group, Members, Takes};
use crate::commands::ask::{TRANSCRIPT_PLACEHOLDER, read_schema};
use crate::commands::models::chosen_model;
use crate::failure::{CliResult, Failure, Kind};

static ASK: Flag = Flag::valued(
    "--ask",
    Takes::Value,
    "QUESTION",
    "then ask an LLM this about each transcript: DIR/<name>.answer.txt, journaled (an answer \
     written is never asked again), within the gateway's limit per model (shared by shards)",
);
static ASK_REDUCE: Flag = Flag::valued(
    "--ask-reduce",
    Takes::Value,
    "QUESTION",
    "then ask this once over all the answers: DIR/answer.txt (in as many requests as the \
     model's context needs)",
);
static ASK_PER_MINUTE: Flag = Flag::valued(
    "--ask-per-minute",
    Takes::Value,
    "N",
    "the account's gateway limit per model, shared by all shards [default: 30, the \
     documented limit]",
);

/// The question step's own flags; the model's are `aai ask`'s.
pub static ASKING: Group = Group {
    title: "Question options (an LLM over each transcript)",
    flags: Members::Fixed(&[&ASK, &ASK_REDUCE, &ASK_PER_MINUTE]),
};

/// The flags of the question step.
pub struct AskFlags {
    question: String,
    reduce: Option<String>,
    model: Option<String>,
    system: Option<String>,
    schema: Option<PathBuf>,
    fallbacks: Vec<String>,
    per_minute: Option<f64>,
}

impl AskFlags {
    /// `None` when the batch asks nothing.
    pub fn parse(args: &mut Args) -> CliResult<Option<AskFlags>> {
        let question = args.value::<String>("--ask")?;
        let reduce = args.value::<String>("--ask-reduce")?;
        let model = args.value::<String>("--model")?;
        let system = args.value::<String>("--system")?;
        let schema = args.path("--schema")?;
        let fallbacks = args.values("--fallback")?;
        let per_minute = args.value_with("--ask-per-minute", |text| {
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|n| *n > 0.0 && n.is_finite())
                .ok_or_else(|| format!("expected requests a minute above 0, got \"{text}\""))
        })?;
        let Some(question) = question else {
            if reduce.is_some()
                || model.is_some()
                || system.is_some()
                || schema.is_some()
                || !fallbacks.is_empty()
                || per_minute.is_some()
            {
                return Err(Failure::usage(
                    "--ask-reduce, --model, --system, --schema, --fallback and --ask-per-minute \
                     go with --ask QUESTION",
                ));
            }
            return Ok(None);
        };
        if question.trim().is_empty() {
            return Err(Failure::usage("--ask: the question is empty"));
        }
        if let Some(path) = &schema {
            read_schema(path)?;
        }
        Ok(Some(AskFlags {
            question,
            reduce,
            model,
            system,
            schema,
            fallbacks,
            per_minute,
        }))
    }

    /// Asks about every transcript the batch finished, then reduces; warns
    /// on stderr about each failed question. `Err` when any question failed.
    pub fn run(
        &self,
        client: &Client,
        out_dir: &Path,
        shard: Shard,
        sources: &[Source],
        report: &Report,
        on_event: &(dyn Fn(&batch::BatchEvent<'_>) + Sync),
    ) -> CliResult {
        // Shards run at once on one account: each takes its share of every model's limit.
        let account = self
            .per_minute
            .unwrap_or(DOCUMENTED_MODEL_REQUESTS_PER_MINUTE);
        let client = client.with_model_requests_per_minute(account / f64::from(shard.count()));
        let schema = self.schema.as_deref().map(read_schema).transpose()?;
        let model = chosen_model(&client, self.model.as_deref(), schema.is_some())?;
        let mut request = ChatRequest::new(model.as_str());
        if let Some(system) = &self.system {
            request = request.message(Message::system(system.as_str()));
        }
        request = request.message(Message::user(format!(
            "{TRANSCRIPT_PLACEHOLDER}\n\n{}",
            self.question
        )));
        request.fallbacks = self.fallbacks.iter().map(Fallback::new).collect();
        if let Some(schema) = schema {
            request.response_format = Some(ResponseFormat::json_schema("answer", schema));
        }
        let ask = Ask::new(request.clone());
        let answers = ask.run(&client, out_dir, shard, sources, report, on_event)?;
        let (mut now, mut before, mut failed) = (0, 0, Vec::new());
        for answered in answers.values() {
            match answered {
                Answered::Now(_) => now += 1,
                Answered::Before(_) => before += 1,
                Answered::Failed(failure) => failed.push(failure.clone()),
                _ => {}
            }
        }
        crate::notice::line(
            &format!(
                "aai: {now} answers written, {before} answered before, {} failed",
                failed.len()
            ),
            &serde_json::json!({"event": "answers", "written": now, "before": before, "failed": failed.len()}),
        );
        if let Some(failure) = failed.first() {
            return Err(Failure::new(
                Kind::from(failure.kind),
                format!("{} questions failed; the first: {}", failed.len(), failure.message),
            )
            .with_hint("run the same command again: answers written are kept, and only the others are asked"));
        }
        if let Some(question) = &self.reduce {
            self.reduce(&client, out_dir, &ask, &request, question, sources)?;
        }
        Ok(())
    }

    /// `--ask-reduce`: one question over every answer present.
    fn reduce(
        &self,
        client: &Client,
        out_dir: &Path,
        ask: &Ask,
        template: &ChatRequest,
        question: &str,
        sources: &[Source],
    ) -> CliResult {
        let mut answers = Vec::new();
        let mut missing = 0;
        for source in sources {
            match std::fs::read_to_string(ask.answer_path(out_dir, source)) {
                Ok(text) => answers.push((source.shown(), text)),
                Err(_) => missing += 1,
            }
        }
        if missing > 0 {
            return Err(Failure::new(
                Kind::Input,
                format!("--ask-reduce waits for every answer, and {missing} are missing"),
            )
            .with_hint(
                "run the batch again (every shard, when sharded) until every source is answered",
            ));
        }
        let context = client
            .models()
            .ok()
            .and_then(|list| list.data.into_iter().find(|m| m.id == template.model))
            .and_then(|m| m.context_length);
        let mut template = template.clone();
        template.response_format = None;
        let (path, asked) = batch::reduce(client, out_dir, &template, question, &answers, context)?;
        let said = if asked {
            "written"
        } else {
            "already there, for the same answers"
        };
        crate::notice::line(
            &format!(
                "aai: the answer over all answers is {said}: {}",
                path.display()
            ),
            &serde_json::json!({"event": "reduced", "path": path, "asked": asked}),
        );
        Ok(())
    }
}
