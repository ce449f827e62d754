//! Never lose a job: report the id as soon as it exists, give up waiting
//! after a deadline, and resume later with the id.
//!
//! ```sh
//! ASSEMBLYAI_API_KEY=... cargo run --example resume_after_timeout -- long-recording.mp3
//! ```

use std::time::Duration;

use assemblyai::{Client, Error, Event, TranscriptRequest, WaitOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = std::env::args()
        .nth(1)
        .ok_or("usage: resume_after_timeout FILE|URL")?;
    let client = Client::from_env()?.with_observer(|event: &Event| {
        if let Event::Created { transcript } = event {
            // Store it somewhere durable: from now on the job is billed.
            eprintln!("created {}", transcript.id);
        }
    });

    let impatient = WaitOptions::default().timeout(Duration::from_secs(20));
    let transcript =
        match client.transcribe(source.as_str(), &TranscriptRequest::default(), &impatient) {
            Err(Error::Timeout {
                transcript_id: Some(id),
                ..
            }) => {
                eprintln!("{id} still running; waiting again without a deadline");
                client.wait_for_transcript(&id, &WaitOptions::default())?
            }
            other => other?,
        };
    println!("{}", transcript.text.unwrap_or_default());
    Ok(())
}
