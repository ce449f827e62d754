"""The official Python SDK's side of the benchmark (run by bench/run.py with target/bench/venv).

    python sdk.py get BASE_URL TRANSCRIPT_ID      # Transcript.get_by_id: one GET, parsed
    python sdk.py transcribe BASE_URL AUDIO_FILE  # Transcriber().transcribe: upload, create, poll

Prints one JSON line: seconds spent importing the SDK, seconds in the call, the status, the
number of words. The key comes from ASSEMBLYAI_API_KEY; polling is the SDK's default, 3 s.
"""

import json
import os
import sys
import time


def main():
    mode, base_url, target = sys.argv[1:4]
    started = time.perf_counter()
    import assemblyai as aai

    imported = time.perf_counter()
    aai.settings.base_url = base_url
    aai.settings.api_key = os.environ["ASSEMBLYAI_API_KEY"]
    if mode == "get":
        transcript = aai.Transcript.get_by_id(target)
    elif mode == "transcribe":
        # No model named: the account's default runs, as with `aai transcribe`.
        config = aai.TranscriptionConfig()
        transcript = aai.Transcriber(config=config).transcribe(target)
    else:
        sys.exit(f"unknown mode {mode}")
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "import_s": imported - started,
                "call_s": done - imported,
                "status": str(transcript.status.value),
                "words": len(transcript.words or []),
                "polling_interval_s": aai.settings.polling_interval,
            }
        )
    )


if __name__ == "__main__":
    main()
