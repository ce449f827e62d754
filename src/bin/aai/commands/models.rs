//! `aai models`: the LLM Gateway's catalogue; and the one rule choosing a
//! model when the user named none, so no model name is built into aai.

use assemblyai::llm::{Model, ModelList};
use assemblyai::{Client, Region};

use crate::cli::{Args, Command, Connection, Operands, flags};
use crate::commands::transcribe::{timeout_flag, within};
use crate::failure::{CliResult, Failure};
use crate::output::Output;
use crate::visible::one_line;

/// The `aai config` key holding the default model of `aai ask`.
pub const MODEL_KEY: &str = "llm-model";

pub static MODELS: Command = Command {
    name: "models",
    summary: "the LLM Gateway's models: context length, regions, price",
    operands: &[],
    completes: Operands::Nothing,
    groups: &[&flags::CONNECTION],
    about: "One line per model: its id (for aai ask --model), context length in tokens, the \
regions it runs in, and its global price per million tokens in and out (--json: the catalogue \
object). Needs no key.",
    examples: "\
  aai models
  aai models --json | jq -r '.data[].id'",
    run: models,
};

pub fn models(mut args: Args) -> CliResult {
    let connection = Connection::parse(&mut args)?;
    let timeout = timeout_flag(&mut args)?;
    let json = args.flag("--json");
    args.finish()?;
    // The catalogue is public: no key needed, so none is asked for.
    let client = match connection.client(false) {
        Ok(client) => client,
        Err(_) => connection.client_with_key(Some("none".to_owned()), false)?,
    };
    let list = within(client, timeout).models()?;
    let bytes = if json {
        let mut bytes = serde_json::to_vec(&list).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    } else {
        table(&list).into_bytes()
    };
    Output::Stdout.write(&bytes)
}

/// One line per model: id, context length, regions, global price per
/// million tokens in and out, and a retirement date when one is announced.
fn table(list: &ModelList) -> String {
    let width = list
        .data
        .iter()
        .map(|m| m.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let mut text = format!(
        "{:width$}  {:>9}  {:<14}  {:>9}  {:>9}\n",
        "ID", "CONTEXT", "REGIONS", "$/M IN", "$/M OUT"
    );
    for model in &list.data {
        let price = model.pricing.as_ref().and_then(|p| p.global.as_ref());
        let per_million = |value: Option<f64>| {
            value.map_or_else(|| "-".to_owned(), |v| format!("{:.3}", v * 1e6))
        };
        let mut line = format!(
            "{:width$}  {:>9}  {:<14}  {:>9}  {:>9}",
            one_line(&model.id),
            model
                .context_length
                .map_or_else(|| "-".to_owned(), |c| c.to_string()),
            one_line(&model.available_regions.join(",")),
            per_million(price.and_then(|p| p.prompt)),
            per_million(price.and_then(|p| p.completions)),
        );
        if let Some(date) = model.retirement_date.filter(|d| *d > 0) {
            line.push_str(&format!("  retiring {}", utc_date(date)));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// `YYYY-MM-DD` of a Unix time, in UTC (Howard Hinnant's days-to-civil).
fn utc_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The model to ask: `--model`, else `aai config set llm-model`, else the
/// one this rule picks from the gateway's current catalogue (`/v1/models`):
///
/// 1. only models with no retirement date announced;
/// 2. only models that run in the client's region (`available_regions`
///    lists `eu` for the EU host, `us` or `global` for the US host; a model
///    listing no regions counts as available everywhere);
/// 3. with `--schema`, only models that list `response_format` among their
///    `supported_parameters` (or list none);
/// 4. of those, the longest `context_length` (a transcript must fit), then
///    the lowest global prompt price, then the gateway's order.
///
/// The choice is said on stderr with how to make another.
pub fn chosen_model(client: &Client, flag: Option<&str>, needs_schema: bool) -> CliResult<String> {
    if let Some(model) = flag {
        return Ok(model.to_owned());
    }
    if let Some(model) = crate::config::load()?.get(MODEL_KEY) {
        return Ok(model.to_owned());
    }
    let list = client.models()?;
    let region = if client.base_url() == Region::Eu.base_url() {
        Some("eu")
    } else if client.base_url() == Region::Us.base_url() {
        Some("us")
    } else {
        None
    };
    let model = choose(&list.data, region, needs_schema).ok_or_else(|| {
        Failure::usage("the LLM Gateway lists no model this request can use")
            .with_hint("see them with aai models, and pick one with --model ID")
    })?;
    crate::notice::line(
        &format!(
            "aai: asking {} (the longest context of the gateway's current models; \
             choose another with --model or aai config set {MODEL_KEY} ID)",
            one_line(&model.id)
        ),
        &serde_json::json!({"event": "model_chosen", "model": model.id}),
    );
    Ok(model.id.clone())
}

/// The rule of [`chosen_model`] over `models`.
fn choose<'a>(models: &'a [Model], region: Option<&str>, needs_schema: bool) -> Option<&'a Model> {
    let runs_here = |model: &Model| match region {
        _ if model.available_regions.is_empty() => true,
        None => true,
        Some("eu") => model.available_regions.iter().any(|r| r == "eu"),
        Some(_) => model
            .available_regions
            .iter()
            .any(|r| r == "us" || r == "global"),
    };
    let price = |model: &Model| {
        model
            .pricing
            .as_ref()
            .and_then(|p| p.global.as_ref())
            .and_then(|p| p.prompt)
            .unwrap_or(f64::INFINITY)
    };
    models
        .iter()
        .filter(|m| !m.is_retiring())
        .filter(|m| runs_here(m))
        .filter(|m| !needs_schema || m.supports("response_format") != Some(false))
        .fold(None, |best: Option<&Model>, model| match best {
            None => Some(model),
            Some(best) => {
                let (ours, theirs) = (
                    model.context_length.unwrap_or(0),
                    best.context_length.unwrap_or(0),
                );
                let better = ours > theirs || (ours == theirs && price(model) < price(best));
                Some(if better { model } else { best })
            }
        })
}

/// A 400 naming `model` as not supported gets the gateway's current models
/// in its hint: a retired or mistyped name is then one step from fixed.
pub fn explain_unknown_model(client: &Client, failure: Failure, model: &str) -> Failure {
    let unknown = failure.status == Some(400)
        && failure.message.contains("not supported")
        && failure.message.contains(model);
    if !unknown {
        return failure;
    }
    match client.models() {
        Ok(list) if !list.data.is_empty() => {
            let ids: Vec<String> = list
                .data
                .iter()
                .map(|m| one_line(&m.id).into_owned())
                .collect();
            failure.with_hint(format!(
                "the gateway's current models: {} (aai models shows more); pick one with --model \
                 or aai config set {MODEL_KEY} ID",
                ids.join(", ")
            ))
        }
        _ => failure.with_hint("aai models lists the gateway's current models"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: serde_json::Value) -> Model {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_rule_takes_the_longest_context_that_runs_in_the_region_and_is_not_retiring() {
        let models = vec![
            model(
                serde_json::json!({"id": "small", "context_length": 1000, "available_regions": ["us", "eu"]}),
            ),
            model(
                serde_json::json!({"id": "big-us", "context_length": 9000, "available_regions": ["us"]}),
            ),
            model(
                serde_json::json!({"id": "retiring", "context_length": 99999, "retirement_date": 1790000000}),
            ),
            model(
                serde_json::json!({"id": "no-schema", "context_length": 5000, "available_regions": ["eu"], "supported_parameters": ["max_tokens"]}),
            ),
        ];
        assert_eq!(choose(&models, Some("us"), false).unwrap().id, "big-us");
        assert_eq!(choose(&models, Some("eu"), false).unwrap().id, "no-schema");
        assert_eq!(choose(&models, Some("eu"), true).unwrap().id, "small");
        assert!(choose(&[], None, false).is_none());
    }

    #[test]
    fn retirement_dates_show_as_utc_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_795_612_279), "2026-11-25");
    }
}
