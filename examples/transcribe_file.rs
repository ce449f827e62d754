//! Transcribe a local file or a URL and print the text.
//!
//! ```sh
//! ASSEMBLYAI_API_KEY=... cargo run --example transcribe_file -- meeting.mp3
//! ```

use std::time::Duration;

use assemblyai::{Client, TranscriptRequest, WaitOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = std::env::args()
        .nth(1)
        .ok_or("usage: transcribe_file FILE|URL")?;
    let client = Client::from_env()?;
    let wait = WaitOptions::default().timeout(Duration::from_secs(30 * 60));
    let transcript = client.transcribe(source.as_str(), &TranscriptRequest::default(), &wait)?;
    println!("{}", transcript.text.unwrap_or_default());
    Ok(())
}
