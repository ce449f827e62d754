//! A meeting's summary and action items (Speech Understanding, two tasks in
//! one request), with the model that ran and whatever the server warns about.
//!
//! ```sh
//! ASSEMBLYAI_API_KEY=... cargo run --example summarize -- meeting.mp3
//! ```

use assemblyai::{
    ActionItemsRequest, Client, SpeechUnderstandingRequest, SpeechUnderstandingTasks,
    SummarizationRequest, SummaryStyle, TranscriptRequest, WaitOptions,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = std::env::args().nth(1).ok_or("usage: summarize FILE|URL")?;
    let mut tasks =
        SpeechUnderstandingTasks::from(SummarizationRequest::new(SummaryStyle::Bullets));
    tasks.action_items = Some(ActionItemsRequest::new());
    let mut request = TranscriptRequest::default(); // no model named: the account's default runs
    request.speech_understanding = Some(SpeechUnderstandingRequest::new(tasks));

    let transcript =
        Client::from_env()?.transcribe(source.as_str(), &request, &WaitOptions::default())?;
    eprintln!(
        "model: {:?}",
        transcript.speech_model_used.as_ref().map(|m| m.as_str())
    );
    for warning in transcript.warnings() {
        eprintln!("warning: {warning}");
    }
    let results = transcript
        .speech_understanding
        .and_then(|su| su.response)
        .unwrap_or_default();
    for section in results
        .summarization
        .and_then(|s| s.summary)
        .unwrap_or_default()
    {
        let seconds = section.start.unwrap_or(0) / 1000;
        println!(
            "[{:02}:{:02}] {}",
            seconds / 60,
            seconds % 60,
            section.headline.unwrap_or_default()
        );
        println!("{}\n", section.text.unwrap_or_default());
    }
    for item in results
        .action_items
        .and_then(|a| a.items)
        .unwrap_or_default()
    {
        println!(
            "- {} (\"{}\")",
            item.action_item.unwrap_or_default(),
            item.quote.unwrap_or_default()
        );
    }
    Ok(())
}
