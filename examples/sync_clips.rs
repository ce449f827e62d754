//! Short clips in one request each, on one warm connection: warm up while
//! the user is still speaking, then send each clip to the Sync STT API (or
//! the Dictation API with `--dictate`) and print its text, with how long
//! the request took on stderr.
//!
//! ```text
//! ASSEMBLYAI_API_KEY=... cargo run --example sync_clips -- note.wav another.wav
//! ASSEMBLYAI_BASE_URL=http://127.0.0.1:8731 ASSEMBLYAI_API_KEY=test \
//!     cargo run --example sync_clips -- --dictate samples/hello.wav samples/hello.wav
//! ```

use std::process::ExitCode;
use std::time::Instant;

use assemblyai::Client;
use assemblyai::dictation::DictationRequest;
use assemblyai::sync::SyncRequest;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dictate = args.first().is_some_and(|arg| arg == "--dictate");
    if dictate {
        args.remove(0);
    }
    if args.is_empty() {
        eprintln!("usage: sync_clips [--dictate] FILE.wav...");
        return ExitCode::from(2);
    }
    match run(dictate, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sync_clips: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(dictate: bool, files: &[String]) -> assemblyai::Result<()> {
    let client = Client::from_env()?;
    // DNS, TCP and TLS now: every clip after it reuses the connection.
    if dictate {
        client.warm_dictation()?;
    } else {
        client.warm_sync()?;
    }
    for file in files {
        let started = Instant::now();
        let text = if dictate {
            client
                .dictate_file(file, &DictationRequest::default())?
                .final_text()
                .to_owned()
        } else {
            client
                .transcribe_sync_file(file, &SyncRequest::default())?
                .text
        };
        println!("{text}");
        eprintln!("{file}: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(())
}
