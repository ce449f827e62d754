//! How `POST /v2/transcript` treats the speech model choice in December 2026
//! (`../shared/api-2026.md` §1.3 and §8.1): no model named runs on the
//! account's default; a retired or unknown name, or the singular
//! `speech_model`, is a 400 with the API's wording.

use serde_json::{Map, Value};

use super::api::bad_request;
use super::http::Response;

/// The account default of a new account since 2026-11-17 (§1.2).
pub const DEFAULT_ACCOUNT_MODEL: &str = "assemblyai-stt-3-7";

/// The names the API accepts in `speech_models` (§8.1; the current list is
/// quoted nowhere, so this is today's lineup of §1.1).
pub const ACCEPTED: &[&str] = &["assemblyai-stt-3-7", "universal-3-5-pro", "universal-2"];

/// Deprecated and refused when named, with their own message (TW1042).
const DEPRECATED: &[&str] = &["universal-3-pro"];

/// The model a job runs on, or the API's 400 for the choice.
pub(super) fn choose(echo: &Map<String, Value>, account_default: &str) -> Result<String, Response> {
    if echo
        .get("speech_model")
        .is_some_and(|value| !value.is_null())
    {
        return Err(bad_request(
            "speech_model is deprecated. Use \"speech_models\" instead. See documentation: \
             https://www.assemblyai.com/docs/pre-recorded-audio/select-the-speech-model",
        ));
    }
    let models = match echo.get("speech_models") {
        None | Some(Value::Null) => return Ok(account_default.to_owned()),
        Some(Value::Array(models)) => models,
        Some(_) => return Err(not_accepted()),
    };
    let names: Option<Vec<&str>> = models.iter().map(Value::as_str).collect();
    let Some(names) = names.filter(|names| !names.is_empty()) else {
        return Err(not_accepted());
    };
    let deprecated: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| DEPRECATED.contains(name))
        .collect();
    if !deprecated.is_empty() {
        let quoted: Vec<String> = deprecated
            .iter()
            .map(|name| format!("\"{name}\""))
            .collect();
        return Err(bad_request(&format!(
            "The {} speech model(s) have been deprecated. Use speech_models: [{}] instead.",
            quoted.join(", "),
            quoted_list(&["assemblyai-stt-3-7", "universal-2"]),
        )));
    }
    if names.iter().any(|name| !ACCEPTED.contains(name)) {
        return Err(not_accepted());
    }
    Ok(names[0].to_owned())
}

/// The May 2026 wording with today's list (SUPO #43, VAI385).
fn not_accepted() -> Response {
    bad_request(&format!(
        "\"speech_models\" must be a non-empty list containing one or more of: {}",
        quoted_list(ACCEPTED)
    ))
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn choice(body: Value) -> Result<String, String> {
        let Value::Object(echo) = body else { panic!() };
        choose(&echo, DEFAULT_ACCOUNT_MODEL).map_err(|response| {
            assert_eq!(response.status, 400);
            String::from_utf8(response.body.to_vec()).unwrap()
        })
    }

    #[test]
    fn no_model_named_runs_on_the_account_default() {
        assert_eq!(choice(json!({})).unwrap(), "assemblyai-stt-3-7");
        assert_eq!(
            choice(json!({"speech_models": ["universal-2", "universal-3-5-pro"]})).unwrap(),
            "universal-2"
        );
    }

    #[test]
    fn retired_unknown_and_singular_choices_are_400_in_the_apis_words() {
        let deprecated = choice(json!({"speech_models": ["universal-3-pro", "universal-2"]}));
        assert!(
            deprecated
                .unwrap_err()
                .contains(r#"The \"universal-3-pro\" speech model(s) have been deprecated"#)
        );
        for models in [
            json!(["best"]),
            json!(["slam-1"]),
            json!([]),
            json!("universal-2"),
        ] {
            let refused = choice(json!({"speech_models": models})).unwrap_err();
            assert!(
                refused.contains("must be a non-empty list containing one or more of"),
                "{refused}"
            );
            assert!(refused.contains("assemblyai-stt-3-7"), "{refused}");
        }
        let singular = choice(json!({"speech_model": "best"})).unwrap_err();
        assert!(
            singular.contains("speech_model is deprecated"),
            "{singular}"
        );
    }
}
