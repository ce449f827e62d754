//! Serves the emulator (`assemblyai::emulator`), whose v3 streaming runs on the same port as
//! its REST API, with the streaming benchmark's options; it listens on 127.0.0.1 only.
//! `aai emulator` serves the same thing without the benchmark's final-turn log.
//!
//! ```text
//! cargo run --features emulator --example fake_streaming -- --port 8765 --final-log /tmp/finals.tsv
//! ASSEMBLYAI_BASE_URL=http://127.0.0.1:8765 ASSEMBLYAI_API_KEY=any-made-up-key aai stream talk.wav
//! ```
//!
//! Test audio (a word is a run of one sample value `1000 * (i + 1)`, see
//! `assemblyai::emulator::speech`) is heard exactly; any other sound, real speech included, is
//! heard as the words of the example transcript.

use std::process::ExitCode;
use std::time::Duration;

use assemblyai::emulator::Emulator;

const USAGE: &str = "\
usage: fake_streaming [--port N] [--final-log FILE] [--slack-ms MS]

  --port N          port on 127.0.0.1 (default 0: any free port)
  --final-log FILE  append `unix_time<TAB>session<TAB>transcript` as each final turn is sent
  --slack-ms MS     how far ahead of real time audio may arrive (default 400)

Any key is accepted. Prints `listening on ws://127.0.0.1:PORT/v3/ws`.";

fn main() -> ExitCode {
    let mut builder = Emulator::builder().keep_requests(false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--port" => builder = builder.port(value().parse().unwrap_or(0)),
            "--final-log" => builder = builder.streaming_final_log(value()),
            "--slack-ms" => {
                let ms = value().parse::<f64>().unwrap_or(400.0).max(0.0);
                builder = builder.streaming_pacing_slack(Duration::from_secs_f64(ms / 1000.0));
            }
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
    let emulator = match builder.start() {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("fake_streaming: {error}");
            return ExitCode::from(1);
        }
    };
    println!("listening on {}", emulator.streaming_url());
    loop {
        std::thread::park();
    }
}
