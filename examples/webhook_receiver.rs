//! Receive AssemblyAI's webhook instead of polling: start jobs with
//! `webhook_url` pointing here, then fetch each transcript when notified.
//!
//! ```sh
//! ASSEMBLYAI_API_KEY=... cargo run --example webhook_receiver -- 127.0.0.1:8000
//! ```
//!
//! A real deployment sits behind HTTPS and checks the secret header set with
//! `webhook_auth_header_name` / `webhook_auth_header_value`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use assemblyai::{Client, TranscriptReadyNotification};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    let client = Client::from_env()?;
    for stream in TcpListener::bind(&address)?.incoming() {
        let mut reader = BufReader::new(stream?);
        let mut length = 0;
        let mut line = String::new();
        while reader.read_line(&mut line)? > 2 {
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse()?;
            }
            line.clear();
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")?;

        let notice: TranscriptReadyNotification = serde_json::from_slice(&body)?;
        let transcript = client.get_transcript(&notice.transcript_id)?;
        println!(
            "{} {}: {}",
            transcript.id,
            transcript.status,
            transcript.text.unwrap_or_default()
        );
    }
    Ok(())
}
