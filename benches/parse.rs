//! The typed parse of an 18 MB transcript (100,000 words with utterances, as `bench/run.sh`'s
//! fetch figure uses): `serde_json::from_slice::<Transcript>` alone, without the fetch and the
//! drop. BENCHMARKS.md reports it.
//!
//! ```text
//! cargo bench --bench parse            # 9 rounds of 15 parses
//! cargo bench --bench parse -- 21 15   # rounds, parses per round
//! ```
//!
//! The body comes from the tests' fake API on 127.0.0.1, built in this process.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use assemblyai::{Client, Transcript, TranscriptRequest};
use support::{FakeApi, Script};

fn main() {
    let mut numbers = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse::<usize>().ok());
    let rounds = numbers.next().unwrap_or(9).max(1);
    let parses = numbers.next().unwrap_or(15).max(1);

    let api = FakeApi::start();
    api.push_script(Script::after_polls(0, 0).with_words(100_000));
    let client = Client::builder(api.key())
        .base_url(api.base_url())
        .build()
        .expect("a client for the fake API");
    let mut request = TranscriptRequest::new("https://example.com/long.mp3");
    request.speaker_labels = Some(true);
    let id = client.create_transcript(&request).expect("create").id;
    let mut body = Vec::new();
    client
        .download_transcript_json(&id, &mut body)
        .expect("the transcript's JSON");

    let mut medians = Vec::new();
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let mut times = Vec::new();
        for _ in 0..parses {
            let start = Instant::now();
            let transcript: Transcript = serde_json::from_slice(&body).expect("parses");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(&transcript);
        }
        times.sort_by(f64::total_cmp);
        best = best.min(times[0]);
        medians.push(times[parses / 2]);
    }
    medians.sort_by(f64::total_cmp);
    println!(
        "typed parse of {} bytes: median {:.1} ms (median of {rounds} rounds of {parses}), best {best:.1} ms",
        body.len(),
        medians[rounds / 2],
    );
}
