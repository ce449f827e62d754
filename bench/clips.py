#!/usr/bin/env python3
"""Sync STT benchmark (issue 19): `aai sync` beside the official Python SDK's Sync client, on
the same `aai emulator` on 127.0.0.1, in the same run.

1. Latency: a 5 s WAV clip; from the last audio byte handed to the client (aai: written to
   its stdin, which is then closed; the SDK: its chunk generator exhausted) to the text on
   stdout. The emulator answers at once, so this is the clients' own overhead.
2. Connections: warm-up then two clips on one client (examples/sync_clips.rs, the SDK's
   SyncTranscriber), counted from the emulator's log.
3. Peak memory of `aai sync -` for a 40 MB clip from stdin (/usr/bin/time's max RSS).

    bench/clips.py [--runs 15]

Needs cargo, python3 and /usr/bin/time; the Python SDK from target/sdk/py (.ci/run installs
it) or AAI_SDK_PYTHON. Results: target/bench/clips.json.
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench" / "clips"
KEY = "clip-bench-key-51c0"
AAI = ROOT / "target" / "release" / "aai"
EXAMPLE = ROOT / "target" / "release" / "examples" / "sync_clips"


def wav(path, seconds, rate=16000, channels=1):
    samples = int(rate * seconds) * channels
    data = struct.pack("<%dh" % samples, *[((i % 200) - 100) * 50 for i in range(samples)])
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    header += b"data" + struct.pack("<I", len(data))
    path.write_bytes(header + data)


def start_emulator(log):
    log.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [AAI, "emulator", "--port", "0", "--quiet", "--key", KEY, "--log", log],
        stdout=subprocess.PIPE, text=True,
    )
    return proc, proc.stdout.readline().strip()


def aai_latency(base, clip):
    """`aai sync -`: started, given a moment to warm up, then the clip at once."""
    env = dict(os.environ, ASSEMBLYAI_BASE_URL=base, ASSEMBLYAI_API_KEY=KEY)
    proc = subprocess.Popen([AAI, "sync", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env=env)
    time.sleep(0.2)
    proc.stdin.write(clip)
    proc.stdin.close()
    last = time.perf_counter()
    line = proc.stdout.readline()
    done = time.perf_counter()
    proc.wait()
    assert proc.returncode == 0 and line, "aai sync failed"
    return (done - last) * 1000


def sdk_latency(python, base, path):
    out = subprocess.run([python, ROOT / "bench" / "clip_sdk.py", "latency", base, KEY, path],
                         capture_output=True, text=True, check=True)
    return float(out.stderr.strip().splitlines()[-1])


def connections(log, since):
    """Connections that carried the requests logged after line `since`, and the requests."""
    lines = log.read_text().splitlines()[since:]
    entries = [json.loads(line) for line in lines]
    return len({e["connection"] for e in entries}), len(entries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    python = Path(os.environ.get("AAI_SDK_PYTHON", ROOT / "target" / "sdk" / "py" / "bin" / "python"))
    subprocess.run(["cargo", "build", "--release", "--quiet", "--features", "emulator",
                    "--bin", "aai", "--example", "sync_clips"], cwd=ROOT, check=True)
    sdk_version = subprocess.run([python, "-c", "import assemblyai; print(assemblyai.__version__)"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    five = WORK / "five.wav"
    wav(five, 5.0)
    clip = five.read_bytes()
    log = WORK / "emulator.log"
    emulator, base = start_emulator(log)
    try:
        ours, theirs = [], []
        for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
            ours.append(aai_latency(base, clip))
            theirs.append(sdk_latency(python, base, five))
        env = dict(os.environ, ASSEMBLYAI_BASE_URL=base, ASSEMBLYAI_API_KEY=KEY)
        mark = len(log.read_text().splitlines())
        subprocess.run([EXAMPLE, five, five], env=env, check=True, capture_output=True)
        our_conns = connections(log, mark)
        mark = len(log.read_text().splitlines())
        subprocess.run([python, ROOT / "bench" / "clip_sdk.py", "warm", base, KEY, five],
                       check=True, capture_output=True)
        sdk_conns = connections(log, mark)
        # 40 MB of 96 kHz stereo (104 s: under Sync's 2 minutes) from stdin.
        big = WORK / "forty.pcm"
        if not big.exists() or big.stat().st_size != 40_000_000:
            big.write_bytes((b"\x10\x00\xf0\xff" * 10_000_000))
        rss_file = WORK / "rss"
        with open(big, "rb") as stdin:
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, AAI, "sync", "-",
                            "--sample-rate", "96000", "--channels", "2"],
                           stdin=stdin, stdout=subprocess.DEVNULL, env=env, check=True)
        peak_kib = int(rss_file.read_text().split()[-1])
    finally:
        emulator.terminate()
        emulator.wait()
    result = {
        "sdk_version": sdk_version,
        "runs": args.runs,
        "latency_ms": {"aai": statistics.median(ours), "sdk": statistics.median(theirs),
                       "aai_all": ours, "sdk_all": theirs},
        "connections_warm_plus_two_clips": {"aai": our_conns, "sdk": sdk_conns},
        "peak_rss_mib_40mb_stdin": peak_kib / 1024,
    }
    (WORK.parent / "clips.json").write_text(json.dumps(result, indent=2))
    ratio = result["latency_ms"]["aai"] / result["latency_ms"]["sdk"]
    print(f"last byte -> text, median of {args.runs}: aai {result['latency_ms']['aai']:.2f} ms, "
          f"Python SDK {sdk_version} {result['latency_ms']['sdk']:.2f} ms, ratio {ratio:.2f} "
          f"(target <= 0.5): {'pass' if ratio <= 0.5 else 'FAIL'}")
    print(f"warm-up + 2 clips: aai {our_conns[0]} connection(s) for {our_conns[1]} requests, "
          f"SDK {sdk_conns[0]} for {sdk_conns[1]}: {'pass' if our_conns[0] == 1 else 'FAIL'}")
    print(f"peak RSS, 40 MB from stdin: {peak_kib / 1024:.1f} MiB (target <= 16): "
          f"{'pass' if peak_kib <= 16 * 1024 else 'FAIL'}")


main()
