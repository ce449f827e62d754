//! Who said what: speaker labels, printed as `[mm:ss] A: text`.
//!
//! ```sh
//! ASSEMBLYAI_API_KEY=... cargo run --example speakers -- interview.wav 2
//! ```

use assemblyai::{Client, TranscriptRequest, WaitOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let source = args.next().ok_or("usage: speakers FILE|URL [SPEAKERS]")?;
    let mut request = TranscriptRequest::default();
    request.speaker_labels = Some(true);
    request.speakers_expected = args.next().map(|n| n.parse()).transpose()?;

    let client = Client::from_env()?;
    let transcript = client.transcribe(source.as_str(), &request, &WaitOptions::default())?;
    for utterance in transcript.utterances.unwrap_or_default() {
        let seconds = utterance.start / 1000;
        println!(
            "[{:02}:{:02}] {}: {}",
            seconds / 60,
            seconds % 60,
            utterance.speaker,
            utterance.text
        );
    }
    Ok(())
}
