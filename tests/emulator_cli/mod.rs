//! `aai emulator` as a child process, for the tests that use it from outside: started on a free
//! port, its base URL read from its first stdout line, stopped (SIGTERM) when dropped.

#![allow(dead_code)] // each test file uses part of it

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A running `aai emulator`.
pub struct Served {
    pub child: Child,
    pub base_url: String,
}

impl Served {
    /// Starts `aai emulator --port 0 --quiet` with `args` after them.
    pub fn start(args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aai"))
            .args(["emulator", "--port", "0", "--quiet"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("aai emulator starts");
        let mut first = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        let base_url = first.trim().to_string();
        assert!(
            base_url.starts_with("http://127.0.0.1:"),
            "first line: {first:?}"
        );
        Served { child, base_url }
    }

    /// Sends SIGTERM (by this child's pid) and returns its exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The WAV the repository ships for trying `aai` (3 s, 16 kHz mono).
pub fn sample_wav() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/hello.wav")
}

/// A fresh file of bytes that no audio container starts with.
pub fn not_audio(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let bytes: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 13) as u8).collect();
    std::fs::write(&path, bytes).unwrap();
    path
}
