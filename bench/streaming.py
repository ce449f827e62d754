#!/usr/bin/env python3
"""Streaming benchmark: `aai stream FILE` beside the official Python SDK's streaming client
(bench/stream_sdk.py) on the same fake v3 server (examples/fake_streaming.rs, on 127.0.0.1).

For each client: CPU time (user + sys) and peak RSS per minute of audio streamed, and the delay
between the fake sending a final turn and the client's line for it reaching stdout (the fake logs
each final's send time; this script timestamps each stdout line as it arrives on a pipe). Both
clients stream the same WAV at real time, at the same time, each to its own fake server.

    bench/streaming.py                 # 60 s of audio (about 65 s)
    bench/streaming.py --seconds 20    # shorter

Needs cargo, python3 (3.9+) and /usr/bin/time; the first run makes a venv with the SDK under
target/bench/stream-venv (pip install assemblyai). Results: target/bench/streaming.json.
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench" / "stream"
VENV = ROOT / "target" / "bench" / "stream-venv"
KEY = "aai-stream-test-key-51c0"
RATE = 16000


def speech_wav(path, seconds):
    """Test speech the fake understands: turns of four 200 ms words (a word is a run of the
    sample value 1000 * (i + 1)), 50 ms between words, 600 ms between turns."""
    samples = []
    n = lambda ms: RATE * ms // 1000
    word = 0
    while len(samples) < RATE * seconds - n(1600):
        for _ in range(4):
            samples += [1000 * (word % 12 + 1)] * n(200) + [0] * n(50)
            word += 1
        samples += [0] * n(600)
    samples += [0] * (RATE * seconds - len(samples))
    data = struct.pack("<%dh" % len(samples), *samples)
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
    header += b"data" + struct.pack("<I", len(data))
    path.write_bytes(header + data)


def sdk_python():
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"setting up the Python SDK in {VENV}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "assemblyai"], check=True)
    version = subprocess.run(
        [python, "-c", "import assemblyai; print(assemblyai.__version__)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    return python, version


def start_fake(name):
    log = WORK / f"{name}.finals.tsv"
    log.unlink(missing_ok=True)
    fake = subprocess.Popen(
        [ROOT / "target" / "release" / "examples" / "fake_streaming", "--final-log", log],
        stdout=subprocess.PIPE, text=True,
    )
    url = fake.stdout.readline().split()[-1]
    return fake, url, log


def run_client(name, argv, env, results):
    """Runs one client under /usr/bin/time, timestamping its stdout lines."""
    rss_file = WORK / f"{name}.rss"
    proc = subprocess.Popen(
        ["/usr/bin/time", "-f", "%M", "-o", rss_file, *argv],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    lines = []
    for raw in proc.stdout:
        lines.append((time.time(), raw.decode().rstrip("\n")))
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode()
    results[name] = {
        "lines": lines,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_kib": int(rss_file.read_text().split()[-1]),
        "code": proc.returncode,
        "stderr": stderr[-2000:],
    }


def delays(lines, log):
    sent = [line.split("\t") for line in log.read_text().splitlines()]
    assert len(sent) == len(lines), f"{len(sent)} finals sent, {len(lines)} lines printed"
    out = []
    for (at, text), (sent_at, _session, transcript) in zip(lines, sent):
        assert text.lower().rstrip(".") == transcript.lower().rstrip("."), (text, transcript)
        out.append((at - float(sent_at)) * 1000)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="audio length (default 60)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--features", "emulator", "--bin", "aai", "--example", "fake_streaming"],
        cwd=ROOT, check=True,
    )
    python, sdk_version = sdk_python()
    audio = WORK / f"speech-{args.seconds}s.wav"
    speech_wav(audio, args.seconds)

    fakes = {name: start_fake(name) for name in ("aai", "sdk")}
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSEMBLYAI")}
    aai_env = dict(env, ASSEMBLYAI_API_KEY=KEY, ASSEMBLYAI_STREAMING_URL=fakes["aai"][1], NO_COLOR="1")
    sdk_host = fakes["sdk"][1].rsplit("/v3/ws", 1)[0]
    clients = {
        "aai": ([ROOT / "target" / "release" / "aai", "stream", "-q", audio], aai_env),
        "sdk": ([python, ROOT / "bench" / "stream_sdk.py", sdk_host, KEY, audio], env),
    }
    results = {}
    threads = [
        threading.Thread(target=run_client, args=(name, argv, env, results))
        for name, (argv, env) in clients.items()
    ]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.time() - started
    for fake, _, _ in fakes.values():
        fake.kill()

    minutes = args.seconds / 60
    rows = {}
    for name in ("aai", "sdk"):
        result = results[name]
        if result["code"] != 0:
            sys.exit(f"{name} failed ({result['code']}):\n{result['stderr']}")
        d = sorted(delays(result["lines"], fakes[name][2]))
        rows[name] = {
            "cpu_ms_per_min": result["cpu_s"] * 1000 / minutes,
            "rss_mib": result["rss_kib"] / 1024,
            "finals": len(d),
            "delay_ms_median": statistics.median(d),
            "delay_ms_p95": d[min(len(d) - 1, int(len(d) * 0.95))],
            "delay_ms_max": d[-1],
        }
    a, s = rows["aai"], rows["sdk"]
    print(f"\n{args.seconds} s of audio, {a['finals']} final turns each, both clients at once ({wall:.0f} s); "
          f"SDK assemblyai=={sdk_version}\n")
    print("| figure | aai | Python SDK | ratio |")
    print("|---|---|---|---|")
    for label, key, unit in [
        ("client CPU (user+sys) per minute of audio", "cpu_ms_per_min", "ms"),
        ("peak RSS", "rss_mib", "MiB"),
        ("final sent -> its stdout line: median", "delay_ms_median", "ms"),
        ("final sent -> its stdout line: 95th percentile", "delay_ms_p95", "ms"),
        ("final sent -> its stdout line: worst", "delay_ms_max", "ms"),
    ]:
        ratio = a[key] / s[key] if s[key] else float("nan")
        print(f"| {label} | {a[key]:.2f} {unit} | {s[key]:.2f} {unit} | {ratio:.2f}x |")
    (ROOT / "target" / "bench" / "streaming.json").write_text(json.dumps(
        {"seconds": args.seconds, "sdk_version": sdk_version, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
