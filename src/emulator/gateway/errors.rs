//! The gateway's error bodies (api-2026.md §4.6, §8.2).

use serde_json::json;

use super::super::http::Response;

/// The flattened envelope of June 2026:
/// `{"code", "message", "request_id", "metadata": {"errors": [...]}}`.
pub(super) fn flat(status: u16, message: &str, reasons: &[&str], request_id: &str) -> Response {
    let mut body = json!({ "code": status, "message": message, "request_id": request_id });
    if !reasons.is_empty() {
        body["metadata"] = json!({ "errors": reasons });
    }
    Response::json(status, &body)
}

/// The auth layer's shape: `{"error", "status": "error", "request_id"}`.
pub(super) fn auth(request_id: &str) -> Response {
    Response::json(
        401,
        &json!({
            "error": "Authentication error, API token missing/invalid",
            "status": "error",
            "request_id": request_id,
        }),
    )
}
