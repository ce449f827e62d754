//! Running `aai` against Prism and judging how it ended.

use std::io::{Read, Write as _};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::{KEY, Prism};

/// What a run of `aai` produced.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn describe(&self) -> String {
        format!(
            "aai {}\nexit {}\nstdout: {}\nstderr: {}",
            self.args.join(" "),
            self.code,
            excerpt(&self.stdout),
            self.stderr
        )
    }
}

pub fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(600).collect();
    if cut.len() < text.len() {
        format!("{cut}...")
    } else {
        cut
    }
}

/// The longest an `aai` run may take before the test gives up on it: only a
/// guard against hanging (a walk through pages that never ends, say).
pub const HANG_GUARD: Duration = Duration::from_secs(120);

/// Runs `aai args` against `prism`, with `stdin` piped in when given.
pub fn aai(prism: &Prism, args: &[String], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aai"))
        .args(args)
        .env("ASSEMBLYAI_BASE_URL", prism.base_url())
        .env("ASSEMBLYAI_API_KEY", KEY)
        .env_remove("ASSEMBLYAI_KEY")
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run aai");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(bytes).unwrap();
    }
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let give_up = Instant::now() + HANG_GUARD;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > give_up {
            let _ = child.kill();
            let _ = child.wait();
            panic!("aai {} did not finish", args.join(" "));
        }
        thread::sleep(Duration::from_millis(10));
    };
    Run {
        args: args.to_vec(),
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.join().unwrap()).into_owned(),
    }
}

/// Reads a pipe to its end on a thread, so a full pipe never blocks `aai`.
pub fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

pub fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| (*arg).to_owned()).collect()
}

/// Runs `aai args`, which must succeed; returns its stdout.
pub fn ok(prism: &Prism, mark: u64, args: &[String], stdin: Option<&[u8]>) -> String {
    let run = aai(prism, args, stdin);
    assert!(
        run.code == 0,
        "{}\nrequest violations: {:#?}",
        run.describe(),
        prism.request_violations_since(mark)
    );
    run.stdout
}

/// Runs `aai args` against dynamic Prism: the exit code must be one of
/// `allowed`. Never a refused request (4), a usage error on our side (2,
/// unless allowed), an unreadable answer (8) or a crash; except that a random
/// `upload_url`, which is not the URL the spec says it is, is refused (8).
pub fn tolerated(prism: &Prism, mark: u64, args: &[String], allowed: &[i32]) -> Run {
    let run = aai(prism, args, None);
    let refused_upload_url = run.code == 8 && run.stderr.contains("upload_url");
    assert!(
        allowed.contains(&run.code) || refused_upload_url,
        "{}\nrequest violations: {:#?}",
        run.describe(),
        prism.request_violations_since(mark)
    );
    run
}

pub fn assert_json(run_stdout: &str, what: &str) -> serde_json::Value {
    serde_json::from_str(run_stdout)
        .unwrap_or_else(|err| panic!("{what}: not JSON ({err}): {run_stdout}"))
}
