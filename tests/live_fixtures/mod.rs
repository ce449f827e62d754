//! The replies of tests/fixtures/live/, for tests/live_replies.rs and tests/cli_live_replies.rs.

// Each test file compiles its own copy and uses only part of it.
#![allow(dead_code)]

use serde_json::Value;

use crate::support::{FakeApi, Fault};

/// The fixture's text, exactly.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/live/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The fixture as JSON.
pub fn value(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// Makes `api`'s next `method` request to `path` answer with the fixture's bytes exactly.
pub fn answer_with(api: &FakeApi, name: &str, method: &str, path: &str) {
    api.inject(
        Fault::Body {
            status: 200,
            content_type: "application/json".into(),
            body: fixture(name).into_bytes(),
        }
        .on(method, path),
    );
}

/// A fake whose next `method` request to `path` answers with the fixture's bytes exactly.
pub fn serving(name: &str, method: &str, path: &str) -> FakeApi {
    let api = FakeApi::start();
    answer_with(&api, name, method, path);
    api
}
