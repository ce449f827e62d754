//! The tests' v3 streaming server: the emulator (`assemblyai::emulator`), which serves streaming
//! on the same port as the REST API. This shim keeps the tests' vocabulary (a "fake" with rules,
//! faults per connection and session logs) over it.
//!
//! ```ignore
//! let fake = FakeStreaming::start();
//! fake.fault(0, Fault::CloseAfter { audio_ms: 800, code: 3005, reason: "Session Cancelled".into() });
//! // ... connect to fake.url() with fake.key() ...
//! let sessions = fake.sessions();
//! ```

// Each test file compiles its own copy and uses only part of it.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use assemblyai::emulator::Emulator;
/// A fault for one connection (numbered from 0 in arrival order).
pub use assemblyai::emulator::StreamFault as Fault;
/// What one connection did.
pub use assemblyai::emulator::StreamSession as SessionLog;
pub use assemblyai::emulator::speech;

/// The key the emulator accepts (made up).
pub const STREAMING_KEY: &str = "aai-stream-test-key-51c0";

/// Settings that hold for every connection.
#[derive(Clone, Debug)]
pub struct Rules {
    /// How far ahead of real time the audio may be, ms.
    pub pacing_slack_ms: f64,
    /// The silence that ends a turn when the client does not set `min_turn_silence`.
    pub min_turn_silence_ms: u64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            pacing_slack_ms: 400.0,
            min_turn_silence_ms: 300,
        }
    }
}

/// A running emulator; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct FakeStreaming {
    emulator: Arc<Emulator>,
}

impl FakeStreaming {
    pub fn start() -> Self {
        Self::with_rules(Rules::default())
    }

    pub fn with_rules(rules: Rules) -> Self {
        let emulator = Emulator::builder()
            .key(STREAMING_KEY)
            // No slack at all already refuses real-time pacing (the first chunk is ahead).
            .streaming_pacing_slack(Duration::from_secs_f64(
                rules.pacing_slack_ms.max(0.0) / 1000.0,
            ))
            .streaming_turn_silence(Duration::from_millis(rules.min_turn_silence_ms))
            .start()
            .expect("start the emulator on 127.0.0.1");
        FakeStreaming {
            emulator: Arc::new(emulator),
        }
    }

    /// The emulator itself, for what the shim doesn't name.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    pub fn url(&self) -> String {
        self.emulator.streaming_url()
    }

    /// The REST base URL of the same emulator: streaming is derived from it.
    pub fn base_url(&self) -> &str {
        self.emulator.base_url()
    }

    pub fn port(&self) -> u16 {
        let base = self.emulator.base_url();
        base.rsplit(':').next().unwrap().parse().unwrap()
    }

    pub fn key(&self) -> &'static str {
        STREAMING_KEY
    }

    /// Injects `fault` into connection number `connection` (from 0).
    pub fn fault(&self, connection: usize, fault: Fault) {
        self.emulator.inject_stream(connection, fault);
    }

    /// A copy of every connection's log, in arrival order.
    pub fn sessions(&self) -> Vec<SessionLog> {
        self.emulator.stream_sessions()
    }

    /// The query strings of the token requests.
    pub fn token_requests(&self) -> Vec<String> {
        self.emulator.stream_token_requests()
    }

    /// Milliseconds of audio received so far, over all sessions (PCM16 at `rate`).
    pub fn audio_ms(&self, rate: u32) -> u64 {
        let bytes: usize = self.sessions().iter().map(|s| s.audio.len()).sum();
        bytes as u64 * 1000 / (rate as u64 * 2)
    }
}
