//! What one client can make the emulator do, bounded: requests framed ambiguously are refused
//! as a proxy would refuse them, idle connections are closed, connections beyond the cap get
//! 503 at once, and a WAV header's claims don't make a transcript longer than its bytes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use assemblyai::emulator::Emulator;

/// Sends `request` raw and returns the status code of the answer (0 when none came).
fn status_of(emulator: &Emulator, request: &str) -> u16 {
    let mut stream = TcpStream::connect(emulator.base_url().trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn requests_a_proxy_would_frame_differently_are_refused_with_400() {
    let emulator = Emulator::start().unwrap();
    let ambiguous = [
        "POST /v2/transcript HTTP/1.1\r\nAuthorization: k\r\nContent-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
        "POST /v2/transcript HTTP/1.1\r\nAuthorization: k\r\nContent-Length: +2\r\nConnection: close\r\n\r\n{}",
        "POST /v2/transcript HTTP/1.1\r\nAuthorization: k\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        "POST /v2/transcript HTTP/1.1\r\nAuthorization: k\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n+2\r\n{}\r\n0\r\n\r\n",
        "POST /v2/transcript HTTP/1.1\r\nAuthorization: k\r\nContent-Length : 2\r\nConnection: close\r\n\r\n{}",
        "POST /v2/transcript HTTP/1.1\r\nAuthorization: k\r\n Content-Length: 2\r\nConnection: close\r\n\r\n{}",
        "GET /v2/transcript HTTP/2.0\r\nAuthorization: k\r\n\r\n",
        "POST /v2/transcript HTTP/1.1\r\nAuthorization: k\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    ];
    for request in ambiguous {
        assert_eq!(status_of(&emulator, request), 400, "{request:?}");
    }
    let plain = "GET /v2/transcript HTTP/1.1\r\nAuthorization: k\r\nConnection: close\r\n\r\n";
    assert_eq!(
        status_of(&emulator, plain),
        200,
        "a well-formed request still works"
    );
}

#[test]
fn connections_beyond_the_cap_get_503_and_idle_ones_are_closed() {
    let emulator = Emulator::builder()
        .max_connections(2)
        .idle_timeout(Duration::from_millis(300))
        .start()
        .unwrap();
    let address = emulator.base_url().trim_start_matches("http://").to_owned();
    let idle: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(&address).unwrap())
        .collect();
    // The emulator has taken both (it answers the accept loop in order): one more is refused.
    let plain = "GET /v2/transcript HTTP/1.1\r\nAuthorization: k\r\nConnection: close\r\n\r\n";
    let mut refused = 0;
    while refused == 0 {
        match status_of(&emulator, plain) {
            503 => refused += 1,
            // The accept loop may not have counted both idle ones yet.
            200 => std::thread::sleep(Duration::from_millis(10)),
            other => panic!("unexpected status {other}"),
        }
    }
    // The idle connections are closed by the server: their reads end.
    for mut stream in idle {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut byte = [0u8; 1];
        assert_eq!(
            stream.read(&mut byte).unwrap_or(0),
            0,
            "closed by the server"
        );
    }
    // And the emulator serves again.
    let mut status = 0;
    while status != 200 {
        status = status_of(&emulator, plain);
        assert!(status == 200 || status == 503, "{status}");
    }
}

#[test]
fn a_wav_declaring_one_byte_per_second_is_not_a_55_hour_transcript() {
    let emulator = Emulator::builder()
        .script(assemblyai::emulator::Script::after_polls(0, 0))
        .start()
        .unwrap();
    // 200 KB of "audio" whose header says 1 Hz, 1 byte per second.
    let mut wav = b"RIFF".to_vec();
    wav.extend(((36 + 200_000) as u32).to_le_bytes());
    wav.extend(b"WAVEfmt ");
    wav.extend(16u32.to_le_bytes());
    wav.extend(1u16.to_le_bytes());
    wav.extend(1u16.to_le_bytes());
    wav.extend(1u32.to_le_bytes()); // sample rate
    wav.extend(1u32.to_le_bytes()); // byte rate
    wav.extend(1u16.to_le_bytes());
    wav.extend(8u16.to_le_bytes());
    wav.extend(b"data");
    wav.extend(200_000u32.to_le_bytes());
    wav.resize(44 + 200_000, 0x80);
    let client = assemblyai::Client::builder("k")
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let upload = client.upload(std::io::Cursor::new(wav)).unwrap().upload_url;
    let request = assemblyai::TranscriptRequest::new(upload.as_str());
    let wait = assemblyai::WaitOptions::default()
        .poll(assemblyai::PollSchedule::fixed(Duration::from_millis(10)));
    let done = client.transcribe(upload.as_str(), &request, &wait).unwrap();
    let seconds = done.audio_duration.expect("a duration");
    assert!(
        seconds <= 200_000 / 8_000 + 1,
        "{seconds} s from 200 KB of audio"
    );
}
