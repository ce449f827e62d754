//! What the contract tests share: Prism serving AssemblyAI's published spec
//! with request validation on, a loopback receiver for the webhooks Prism
//! sends, requests that set every parameter, and the CLI's flag table.
//!
//! Skipped, saying why, when Prism or the spec is missing; `.ci/run`
//! installs Prism. Traffic stays on 127.0.0.1: the tests never follow a URL
//! from Prism's answers (they name public hosts).

// Each contract test file compiles its own copy and uses part of it.
#![allow(dead_code, unused_imports)]

pub mod cli;
pub mod flags;
pub mod prism;
pub mod requests;
pub mod webhook;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub use prism::{Mode, Prism, prism, private_prism, raw};
pub use webhook::WebhookSink;

/// An API key for Prism, which checks only that one is sent (made up).
pub const KEY: &str = "contract-test-key-3b9f61d2";

/// Transcript ids for paths and queries: the spec says `format: uuid`.
pub const ID: &str = "9ea68fd3-f953-42c1-9742-976c447fb463";
pub const OLDER_ID: &str = "28a73d01-98db-41dd-9e98-2533ba0af117";
pub const NEWER_ID: &str = "b33f4691-85b7-4f31-be12-a87cef1c1229";

/// A named temporary file under the target directory, removed on drop.
pub struct TempFile(PathBuf);

impl TempFile {
    pub fn with_bytes(extension: &str, bytes: &[u8]) -> TempFile {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "contract-{}-{}.{extension}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::write(&path, bytes).expect("write a temp file");
        TempFile(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The path as a command-line argument.
    pub fn arg(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}
