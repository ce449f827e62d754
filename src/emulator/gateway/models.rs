//! `GET /v1/models`: a small catalogue in the shape both SDKs read.

use serde_json::{Value, json};

use super::super::http::Response;
use super::Gateway;

/// The emulator's default catalogue: three models in the shape of the live
/// one (ids from AssemblyAI's docs of late 2026). Replace it with
/// `EmulatorBuilder::gateway_models` (`aai emulator --models FILE`).
pub(in super::super) fn default_catalogue() -> Vec<Value> {
    let model = |id: &str, creator: &str, context: u64, regions: &[&str], prompt: f64| {
        json!({
            "id": id,
            "name": id,
            "description": format!("{creator} model served by the emulator"),
            "creator": creator,
            "context_length": context,
            "top_provider": {"is_moderated": false, "context_length": context, "max_completion_tokens": 8192},
            "available_regions": regions,
            "supported_parameters": ["max_tokens", "temperature", "tools", "tool_choice", "response_format", "stream"],
            "default_parameters": {"temperature": null, "top_p": null, "frequency_penalty": null},
            "pricing": {"global": {"prompt": prompt, "completions": prompt * 5.0}},
            "retirement_date": 0,
            "providers": [creator],
            "default_provider": creator,
        })
    };
    vec![
        model(
            "claude-sonnet-4-6",
            "anthropic",
            200_000,
            &["us", "eu", "global"],
            0.000003,
        ),
        model(
            "gpt-5-mini",
            "openai",
            400_000,
            &["us", "global"],
            0.00000025,
        ),
        model(
            "gemini-2.5-flash-lite",
            "google",
            1_000_000,
            &["us", "eu", "global"],
            0.0000001,
        ),
    ]
}

pub(super) fn list(gateway: &Gateway) -> Response {
    Response::json(200, &json!({ "data": gateway.catalogue }))
}
