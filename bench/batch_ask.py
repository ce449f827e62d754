#!/usr/bin/env python3
"""Benchmark of `aai batch --ask` (issue 18) against `aai emulator`: N short files, one question
per transcript to one LLM Gateway model, with the gateway's per-model limit (30 requests a
minute) scaled 20x to 600 a minute, the same 60 s window, and the client told the same
(`--ask-per-minute 600`): a short run meets the limit as a long one would.

    python3 bench/batch_ask.py               # 1,000 files; needs target/release/aai with the emulator
    python3 bench/batch_ask.py --files 200   # a shorter run

Figures: requests per file (every request the server saw / files; the floor is upload, create,
list polling shared by all, one GET for the text, and 1 question), questions sent (= files when
no 429 was met: a 429 makes the client send the question again), and the wall time of the
question step (first question to last, from the server's log) against the bound the per-model
limit sets (files / 600 a minute).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AAI = os.environ.get("AAI", str(ROOT / "target/release/aai"))
PER_MINUTE = 600
MODEL = "claude-sonnet-4-6"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aai-bench-ask-"))
    try:
        files = work / "in"
        files.mkdir()
        # A real WAV: the emulator decodes uploads as the API does.
        wav = next((ROOT / "samples").glob("*.wav")).read_bytes()
        for i in range(args.files):
            (files / f"call{i:05}.wav").write_bytes(wav)
        log = work / "requests.jsonl"
        server = subprocess.Popen(
            [AAI, "emulator", "--port", "0", "--quiet", "--complete-after", "1s", "--log", str(log),
             "--gateway-rate-limit", f"{PER_MINUTE}/60s"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            url = server.stdout.readline().strip()
            env = {k: v for k, v in os.environ.items() if not k.startswith("ASSEMBLYAI")}
            env.update(ASSEMBLYAI_BASE_URL=url, ASSEMBLYAI_API_KEY="bench-key")
            started = time.time()
            run = subprocess.run(
                [AAI, "batch", str(files), "--out-dir", str(work / "out"), "-q",
                 "--speech-models", "universal-2", "--model", MODEL,
                 "--ask", "What was promised?", "--ask-per-minute", str(PER_MINUTE)],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            wall = time.time() - started
        finally:
            server.terminate()
            server.wait()
        requests = [json.loads(line) for line in log.read_text().splitlines()]
        questions = [r for r in requests if r["path"] == "/v1/chat/completions"]
        answers = len(list((work / "out").glob("*.answer.txt")))
        ask_wall = questions[-1]["time"] - questions[0]["time"] if questions else 0.0
        bound = (args.files - 1) / (PER_MINUTE / 60)
        result = {
            "files": args.files,
            "exit": run.returncode,
            "answers": answers,
            "requests": len(requests),
            "requests_per_file": round(len(requests) / args.files, 2),
            "questions": len(questions),
            "extra_questions_from_429": len(questions) - args.files,
            "ask_step_s": round(ask_wall, 1),
            "bound_s": round(bound, 1),
            "ratio": round(ask_wall / bound, 3) if bound else None,
            "batch_wall_s": round(wall, 1),
        }
        print(json.dumps(result))
        if run.returncode != 0:
            print(run.stderr[-2000:], file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
