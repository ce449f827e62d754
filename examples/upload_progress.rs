//! Upload a large file with a progress line on stderr, in constant memory.
//!
//! ```sh
//! ASSEMBLYAI_API_KEY=... cargo run --example upload_progress -- big-recording.wav
//! ```

use std::io::Write;

use assemblyai::{Client, Event};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: upload_progress FILE")?;
    let client = Client::from_env()?.with_observer(|event: &Event| match event {
        Event::UploadProgress {
            sent,
            total: Some(total),
        } => {
            let percent = *sent as f64 * 100.0 / (*total).max(1) as f64;
            eprint!("\ruploading {percent:5.1}%");
            let _ = std::io::stderr().flush();
        }
        Event::Retrying { error, delay, .. } => eprintln!("\n{error}; retrying in {delay:?}"),
        _ => {}
    });
    let uploaded = client.upload_file(&path)?;
    eprintln!();
    println!("{}", uploaded.upload_url);
    Ok(())
}
