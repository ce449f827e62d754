//! What the server warns about a finished job reaches the user: one
//! `aai: warning:` line each (a `warning` event with `--json`), never on
//! stdout, and whatever `--quiet` says, since a warning is not progress.

use assemblyai::Transcript;
use serde_json::json;

/// Prints every warning of `transcript` ([`Transcript::warnings`]).
pub fn show(transcript: &Transcript) {
    let id = &transcript.id;
    for warning in transcript.warnings() {
        crate::notice::line(
            &format!("aai: warning: transcript {id}: {warning}"),
            &json!({"event": "warning", "transcript_id": id, "message": warning}),
        );
    }
}
