//! Live captions from a microphone (or any raw 16 kHz PCM16 on stdin), one line per turn.
//!
//! ```text
//! arecord -q -f S16_LE -r 16000 -c 1 -t raw | cargo run --example stream_microphone
//! ```
//!
//! Ctrl-C here simply ends the process; `aai stream` shows how to terminate cleanly on it.

use std::sync::atomic::AtomicBool;

use assemblyai::Client;
use assemblyai::streaming::{StreamEvent, StreamingParams};

fn main() -> Result<(), assemblyai::Error> {
    let mut params = StreamingParams::new(16_000);
    params.format_turns = Some(true);
    let mut session = Client::from_env()?.streaming().connect(&params)?;
    // No model is pinned: the server's default runs, and Begin names it.
    let model = session
        .begin()
        .model()
        .unwrap_or("the server's default model");
    eprintln!("session {} ({model})", session.session_id());
    let summary = session.stream(
        std::io::stdin(),
        &AtomicBool::new(false),
        |event| match event {
            StreamEvent::Final(turn) => println!("{}", turn.transcript),
            StreamEvent::Restarted { begin, reason, .. } => {
                eprintln!("reconnected ({reason}): session {}", begin.id)
            }
            StreamEvent::Warning { message, .. } => eprintln!("warning: {message}"),
            _ => {}
        },
    )?;
    eprintln!(
        "{:.1}s of audio, {:.1}s billed",
        summary.audio_duration().as_secs_f64(),
        summary.session_duration().as_secs_f64()
    );
    Ok(())
}
