//! Where the request's speech model choice came from, so that a refusal of
//! it, ours before any upload or the server's 400, names the flag or config
//! key to change: the exit code is the usage one, since the fix is there.

use std::sync::Mutex;

use crate::failure::Failure;

/// The source of this run's model choice, set once per parse.
static SOURCE: Mutex<Option<String>> = Mutex::new(None);

/// Whether a request field (a path or a config key in snake case) is a
/// speech model choice.
pub fn is_model_key(key: &str) -> bool {
    matches!(key, "speech_models" | "speech_model")
}

pub fn remember_source(source: Option<String>) {
    *SOURCE.lock().unwrap_or_else(|poison| poison.into_inner()) = source;
}

/// The flag, `--config` key or config file line the model choice came from.
pub fn source() -> Option<String> {
    SOURCE
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .clone()
}

/// What to do about a refused model choice.
pub fn hint(from: Option<&str>) -> String {
    let change = match from {
        Some(from) => format!("change or remove it in {from}"),
        None => "name a current one with --speech-models".to_owned(),
    };
    format!(
        "{change}: without a choice the account's default model runs, and the transcript \
         says which; current names: https://www.assemblyai.com/docs/pre-recorded-audio/select-the-speech-model"
    )
}

/// A local refusal of the model choice (the library's check), told with
/// where the choice came from.
pub fn name_source(mut failure: Failure, from: Option<&str>) -> Failure {
    if !failure.message.starts_with("speech_model") {
        return failure;
    }
    if let Some(from) = from {
        failure.message = format!("{from}: {}", failure.message);
    }
    failure.with_hint(hint(from))
}
