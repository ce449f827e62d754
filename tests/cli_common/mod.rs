//! Running the `aai` binary against the fake API, for the `tests/cli_*.rs` files.
//!
//! Every command built here has its environment scrubbed of keys, hosts and proxies, and points
//! at a local address, so no test can reach a real host whatever the machine's environment.

// Each tests/cli_*.rs file compiles its own copy and uses only part of it.
#![allow(dead_code)]

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::FakeApi;

/// The binary under test.
pub const AAI: &str = env!("CARGO_BIN_EXE_aai");

/// A run that takes longer than this is hung: it is killed and the test fails.
const HANG: Duration = Duration::from_secs(60);

/// Variables that could send a request elsewhere or supply a key behind a test's back.
const SCRUBBED: [&str; 11] = [
    "ASSEMBLYAI_API_KEY",
    "ASSEMBLYAI_KEY",
    "ASSEMBLYAI_BASE_URL",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// `aai` with no key, and a base URL where nothing listens (the discard port on loopback), so a
/// test that forgets to point it at the fake fails to connect instead of reaching the real API.
pub fn bare_aai() -> Command {
    let mut command = Command::new(AAI);
    for name in SCRUBBED {
        command.env_remove(name);
    }
    command
        .env("ASSEMBLYAI_BASE_URL", "http://127.0.0.1:9")
        .env("NO_COLOR", "1")
        // No key or defaults stored by `aai login` / `aai config` on this machine reach a
        // test: the directory is one that does not exist.
        .env("XDG_CONFIG_HOME", "/nonexistent/aai-tests-config")
        .stdin(Stdio::null());
    command
}

/// `aai` talking to `fake` with its main key.
pub fn aai(fake: &FakeApi) -> Command {
    aai_with_key(fake, fake.key())
}

/// `aai` talking to `fake` with `key`.
pub fn aai_with_key(fake: &FakeApi, key: &str) -> Command {
    let mut command = bare_aai();
    command
        .env("ASSEMBLYAI_BASE_URL", fake.base_url())
        .env("ASSEMBLYAI_API_KEY", key);
    command
}

/// What a finished run left behind.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` if a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

impl Run {
    /// Panics unless the exit code is `code`, showing both streams.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit {code}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked"),
            "the CLI panicked:\n{}",
            self.stderr
        );
        self
    }

    /// Panics unless the run succeeded.
    #[track_caller]
    pub fn expect_ok(&self) -> &Run {
        self.expect_code(0)
    }

    /// Panics unless stderr contains every one of `words` (case-insensitive).
    #[track_caller]
    pub fn stderr_mentions(&self, words: &[&str]) -> &Run {
        let lower = self.stderr.to_lowercase();
        for word in words {
            assert!(
                lower.contains(&word.to_lowercase()),
                "stderr does not mention {word:?}:\n{}",
                self.stderr
            );
        }
        self
    }

    /// The stderr lines parsed as JSON objects; panics on a line that is not one.
    #[track_caller]
    pub fn stderr_json_lines(&self) -> Vec<Value> {
        self.stderr
            .lines()
            .map(|line| match serde_json::from_str::<Value>(line) {
                Ok(value) if value.is_object() => value,
                _ => panic!(
                    "stderr line is not a JSON object: {line:?}\n{}",
                    self.stderr
                ),
            })
            .collect()
    }

    /// The one `{"error": {...}}` object a failing `--json` run prints on stderr (its last line;
    /// every line must be JSON), checking it has exactly the documented keys.
    #[track_caller]
    pub fn json_error(&self) -> Value {
        let lines = self.stderr_json_lines();
        let errors: Vec<&Value> = lines.iter().filter(|l| l.get("error").is_some()).collect();
        assert_eq!(
            errors.len(),
            1,
            "expected one error object:\n{}",
            self.stderr
        );
        assert!(
            lines.last().unwrap().get("error").is_some(),
            "the error object is not the last line:\n{}",
            self.stderr
        );
        let error = errors[0]["error"].clone();
        let mut keys: Vec<&str> = error
            .as_object()
            .expect("error is an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["kind", "message", "status", "transcript_id"]);
        error
    }
}

/// Runs `command` to the end with no stdin.
#[track_caller]
pub fn run(command: &mut Command) -> Run {
    run_with_stdin(command, None)
}

/// Runs `command` to the end, feeding it `stdin` when given (else no stdin).
#[track_caller]
pub fn run_with_stdin(command: &mut Command, stdin: Option<Vec<u8>>) -> Run {
    let started = Instant::now();
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        command.stdin(Stdio::piped());
    }
    let mut child = command.spawn().expect("spawn aai");
    let feeder = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        // The CLI may stop reading early (a usage error), closing the pipe: not our concern.
        thread::spawn(move || drop(pipe.write_all(&bytes)))
    });
    let stdout = drain(child.stdout.take().expect("stdout pipe"));
    let stderr = drain(child.stderr.take().expect("stderr pipe"));
    let code = wait_or_kill(&mut child);
    if let Some(feeder) = feeder {
        feeder.join().expect("stdin feeder");
    }
    Run {
        code,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
        took: started.elapsed(),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8(bytes).expect("aai writes UTF-8")
    })
}

/// Waits for `child`, killing it (and failing the test) if it hangs.
#[track_caller]
pub fn wait_or_kill(child: &mut Child) -> Option<i32> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for aai") {
            return status.code();
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("aai ran for more than {HANG:?}; killed");
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// A directory under the system temp dir, unique to this test, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let unique = format!(
            "aai-cli-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(unique);
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `bytes` to `name` inside the directory and returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.join(name);
        fs::write(&path, bytes).expect("write temp file");
        path
    }

    /// The names of the entries in the directory, sorted.
    pub fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .expect("list temp dir")
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // A file made unreadable by a test must not stop the cleanup.
        #[cfg(unix)]
        if let Ok(entries) = fs::read_dir(&self.0) {
            use std::os::unix::fs::PermissionsExt;
            for entry in entries.flatten() {
                let _ = fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o700));
            }
        }
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Bytes that look like nothing in particular, so an upload of the wrong file is noticed.
pub fn audio_bytes(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(31) ^ (i >> 7)) as u8)
        .collect()
}

/// Whether `text` is shaped like a transcript id: 8-4-4-4-12 lowercase hex digits.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// `command` run by util-linux `script` in a pseudo-terminal, so that stderr is a terminal; its
/// output is what the terminal showed (stdout and stderr together). `None` without `script`.
pub fn in_a_terminal(command: &Command) -> Option<Command> {
    let version = Command::new("script").arg("--version").output().ok()?;
    if !String::from_utf8_lossy(&version.stdout).contains("util-linux") {
        return None;
    }
    let quote =
        |word: &std::ffi::OsStr| format!("'{}'", word.to_str().unwrap().replace('\'', r"'\''"));
    let line: Vec<String> = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(quote)
        .collect();
    let mut script = Command::new("script");
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => script.env(name, value),
            None => script.env_remove(name),
        };
    }
    script.env("SHELL", "/bin/sh").env("TERM", "xterm").args([
        "--quiet",
        "--return",
        "--command",
        &line.join(" "),
        "/dev/null",
    ]);
    Some(script)
}

/// Runs `command` until its stderr reports the job `created`, sends it SIGINT (Ctrl-C), and
/// returns its exit code and all it wrote to stderr.
#[cfg(unix)]
#[track_caller]
pub fn interrupt_once_created(command: &mut Command) -> (Option<i32>, String) {
    use std::io::{BufRead, BufReader};
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("created") {
        assert_ne!(
            stderr.read_line(&mut seen).unwrap(),
            0,
            "ended early:\n{seen}"
        );
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(kill.success());
    stderr.read_to_string(&mut seen).unwrap();
    (wait_or_kill(&mut child), seen)
}
