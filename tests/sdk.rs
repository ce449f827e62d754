//! The official AssemblyAI SDKs, unchanged, as clients of `aai emulator`: the measure of how
//! faithful it is. Each runs its everyday flows (tests/sdk/*): transcribe a local file, get,
//! SRT/VTT, sentences, paragraphs, word search, list, a failing job, delete, an unknown id.
//!
//! The SDKs are installed by .ci/run (pinned) under target/sdk/; without them a test says it
//! is skipped and passes. AAI_SDK_PYTHON / AAI_SDK_NODE_DIR point at other installs.

mod emulator_cli;

use std::path::{Path, PathBuf};
use std::process::Command;

use emulator_cli::{Served, not_audio, sample_wav};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `program args` with the emulator's settings in its environment; panics with its
/// output unless it succeeds.
fn run_flows(command: Command, served: &Served, not_audio: &Path) {
    run_counted_flows(command, served, not_audio, 9);
}

/// [`run_flows`] for a script of `flows` flows.
fn run_counted_flows(mut command: Command, served: &Served, not_audio: &Path, flows: usize) {
    let output = command
        .env("EMULATOR_URL", &served.base_url)
        .env("EMULATOR_KEY", "sdk-test-key")
        .env("SAMPLE_WAV", sample_wav())
        .env("NOT_AUDIO", not_audio)
        .output()
        .expect("the SDK's runtime starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "SDK flows failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok: ")).count(),
        flows,
        "{stdout}"
    );
}

/// The Python SDK's interpreter, or `None` (saying the test is skipped).
fn python_sdk() -> Option<PathBuf> {
    let python = std::env::var_os("AAI_SDK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/sdk/py/bin/python"));
    let importable = Command::new(&python)
        .args(["-c", "import assemblyai"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !importable {
        eprintln!(
            "skipped: the Python SDK is not installed at {} (.ci/run installs it; or set AAI_SDK_PYTHON)",
            python.display()
        );
        return None;
    }
    Some(python)
}

/// The Node SDK's folder, or `None` (saying the test is skipped).
fn node_sdk() -> Option<PathBuf> {
    let dir = std::env::var_os("AAI_SDK_NODE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/sdk/js"));
    let installed = dir.join("node_modules/assemblyai/package.json").is_file();
    let node = Command::new("node").arg("--version").output();
    if !installed || !node.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "skipped: node or the Node SDK under {} is missing (.ci/run installs it; or set AAI_SDK_NODE_DIR)",
            dir.display()
        );
        return None;
    }
    Some(dir)
}

#[test]
fn node_sdk_gateway_client_runs_its_calls_against_aai_emulator() {
    let Some(dir) = node_sdk() else { return };
    let served = Served::start(&["--key", "sdk-test-key", "--complete-after", "100ms"]);
    let mut command = Command::new("node");
    command
        .arg(repo().join("tests/sdk/node_gateway_flows.mjs"))
        .env("SDK_DIR", dir);
    run_counted_flows(command, &served, &not_audio("sdk-node-gw-not-audio.bin"), 5);
}

#[test]
fn python_sdk_sync_and_dictation_flows_pass_against_aai_emulator() {
    let Some(python) = python_sdk() else { return };
    let served = Served::start(&["--key", "sdk-test-key"]);
    let mut command = Command::new(python);
    command.arg(repo().join("tests/sdk/python_clip_flows.py"));
    run_counted_flows(command, &served, &not_audio("sdk-python-clip.bin"), 5);
}

#[test]
fn node_sdk_sync_and_dictation_flows_pass_against_aai_emulator() {
    let Some(dir) = node_sdk() else { return };
    let served = Served::start(&["--key", "sdk-test-key"]);
    let mut command = Command::new("node");
    command
        .arg(repo().join("tests/sdk/node_clip_flows.mjs"))
        .env("SDK_DIR", dir);
    run_counted_flows(command, &served, &not_audio("sdk-node-clip.bin"), 5);
}

#[test]
fn python_sdk_everyday_flows_pass_against_aai_emulator() {
    let Some(python) = python_sdk() else { return };
    let served = Served::start(&["--key", "sdk-test-key", "--complete-after", "100ms"]);
    let mut command = Command::new(python);
    command.arg(repo().join("tests/sdk/python_flows.py"));
    run_flows(command, &served, &not_audio("sdk-python-not-audio.bin"));
}

#[test]
fn node_sdk_everyday_flows_pass_against_aai_emulator() {
    let Some(dir) = node_sdk() else { return };
    let served = Served::start(&["--key", "sdk-test-key", "--complete-after", "100ms"]);
    let mut command = Command::new("node");
    command
        .arg(repo().join("tests/sdk/node_flows.mjs"))
        .env("SDK_DIR", dir);
    run_flows(command, &served, &not_audio("sdk-node-not-audio.bin"));
}
