//! Subtitles for a video: transcribe it, then save SRT and WebVTT files.
//!
//! ```sh
//! ASSEMBLYAI_API_KEY=... cargo run --example subtitles -- talk.mp4
//! ```

use assemblyai::{Client, SubtitleFormat, TranscriptRequest, WaitOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let video = std::env::args().nth(1).ok_or("usage: subtitles VIDEO")?;
    let client = Client::from_env()?;
    let transcript = client.transcribe(
        video.as_str(),
        &TranscriptRequest::default(),
        &WaitOptions::default(),
    )?;

    // 32 characters per caption keeps two lines readable on a phone.
    let srt = client.get_subtitles(&transcript.id, SubtitleFormat::Srt, Some(32))?;
    let vtt = client.get_subtitles(&transcript.id, SubtitleFormat::Vtt, Some(32))?;
    std::fs::write(format!("{video}.srt"), srt)?;
    std::fs::write(format!("{video}.vtt"), vtt)?;
    eprintln!("wrote {video}.srt and {video}.vtt");
    Ok(())
}
