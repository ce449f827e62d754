"""The official Python SDK's streaming client, as a user would write `aai stream FILE`: read a
WAV file, send 100 ms chunks at real-time pace (the SDK's stream() does not pace), print each
final turn's transcript on stdout as it arrives. Run by bench/streaming.py with the venv's Python.

usage: stream_sdk.py WS_HOST KEY FILE.wav     (WS_HOST like ws://127.0.0.1:PORT)
"""
import sys
import time
import wave

from assemblyai.streaming.v3 import (
    RealTimeEvents,
    RealTimeParameters,
    RealTimeTranscriber,
    RealTimeTranscriberOptions,
)


def main():
    host, key, path = sys.argv[1:4]
    audio = wave.open(path, "rb")
    rate = audio.getframerate()
    client = RealTimeTranscriber(RealTimeTranscriberOptions(api_host=host, api_key=key))

    def on_turn(_client, event):
        if event.end_of_turn:
            sys.stdout.write(event.transcript + "\n")
            sys.stdout.flush()

    client.on(RealTimeEvents.Turn, on_turn)
    client.connect(RealTimeParameters(sample_rate=rate, speech_model="universal-streaming-english"))
    frames = rate // 10
    start = time.monotonic()
    sent = 0.0
    while True:
        chunk = audio.readframes(frames)
        if not chunk:
            break
        # Sleep until the chunk is due, as the docs advise for files.
        delay = start + sent - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        client.stream(chunk)
        sent += len(chunk) / 2 / rate
    client.disconnect(terminate=True)


if __name__ == "__main__":
    main()
