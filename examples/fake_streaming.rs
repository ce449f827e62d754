//! Serves the tests' fake streaming server (`tests/streaming_fake`) on its own, for the
//! benchmark and manual tries; it listens on 127.0.0.1 only.
//!
//! ```text
//! cargo run --example fake_streaming -- --port 8765 --final-log /tmp/finals.tsv
//! ASSEMBLYAI_STREAMING_URL=ws://127.0.0.1:8765/v3/ws ASSEMBLYAI_API_KEY=aai-stream-test-key-51c0 \
//!     aai stream talk.wav
//! ```
//!
//! It understands only its own test audio: a word is a run of one sample value
//! `1000 * (i + 1)` (see `tests/streaming_fake/speech.rs`); real speech comes out as silence.

#[path = "../tests/streaming_fake/mod.rs"]
mod streaming_fake;

use std::process::ExitCode;

use streaming_fake::{FakeStreaming, Rules};

const USAGE: &str = "\
usage: fake_streaming [--port N] [--final-log FILE] [--slack-ms MS]

  --port N          port on 127.0.0.1 (default 0: any free port)
  --final-log FILE  append `unix_time<TAB>session<TAB>transcript` as each final turn is sent
  --slack-ms MS     how far ahead of real time audio may arrive (default 400)

The key is aai-stream-test-key-51c0. Prints `listening on ws://127.0.0.1:PORT/v3/ws`.";

fn main() -> ExitCode {
    let mut rules = Rules::default();
    let mut port = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--port" => port = value().parse().unwrap_or(0),
            "--final-log" => rules.final_log = Some(value().into()),
            "--slack-ms" => rules.pacing_slack_ms = value().parse().unwrap_or(400.0),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("fake_streaming: unknown argument {other}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let fake = FakeStreaming::on_port(port, rules);
    println!("listening on {}", fake.url());
    loop {
        std::thread::park();
    }
}
