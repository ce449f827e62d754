#!/usr/bin/env python3
"""Benchmark of `aai batch` (issue 9) beside the official Python SDK's transcribe_group, in one
run, on the same local fake API (examples/fake_api, 127.0.0.1 only): 1,000 short files, the
server completing each job 2 s after its creation.

    python3 bench/batch.py              # after bench/run.sh built the release binaries
    python3 bench/batch.py --files 300  # a shorter run
    bench/run.sh --batch                # builds, then runs this

Two scenarios, each client on a fresh server:
  free     no rate limit: wall time (spawn to exit), peak RSS (/usr/bin/time %M), requests (the
           server's log)
  limited  the account's documented limit, 20,000 requests per 5 minutes, with its window
           scaled 100x shorter to 200 requests per 3 s (the same 66.7 requests a second: a short
           run meets the limit as a long one would, instead of finishing inside one window);
           the server answers 429 with Retry-After. Figures: files completed, wall time against
           the three-requests-a-file bound (3 x files / 66.7 per s), share of 429 answers.

The SDK side runs this file with target/bench/venv's python: `batch.py sdk BASE_URL LIST`.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

LIMIT = 200  # requests per window, in the scaled limit
WINDOW = 3  # seconds
RATE = LIMIT / WINDOW  # 66.7 requests a second, the documented 20,000 / 300 s


def sdk_main(base_url, list_file):
    """Runs in the SDK's venv: transcribe_group over the listed files; prints one JSON line."""
    import assemblyai as aai

    aai.settings.base_url = base_url
    aai.settings.api_key = os.environ["ASSEMBLYAI_API_KEY"]
    files = Path(list_file).read_text().split("\n")
    files = [f for f in files if f]
    config = aai.TranscriptionConfig(speech_models=["universal-2"])
    started = time.perf_counter()
    completed, error = 0, None
    try:
        transcripts = aai.Transcriber(config=config).transcribe_group(files)
        completed = sum(1 for t in transcripts if t.status == aai.TranscriptStatus.completed)
    except Exception as err:  # under the rate limit the SDK raises on the first 429
        error = f"{type(err).__name__}: {str(err)[:160]}"
    print(json.dumps({"call_s": time.perf_counter() - started, "completed": completed, "error": error}))


def make_files(root, n):
    """n short files with distinct contents (the fake doesn't decode audio)."""
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = root / f"call{i:05}.mp3"
        if not path.exists():
            path.write_bytes((f"recording {i} ".encode()) * 200)
        paths.append(path)
    return paths


def run_aai(h, server, files_dir, out, extra=()):
    report = out.parent / (out.name + ".report.jsonl")
    cmd = [h.AAI, "batch", files_dir, "--out-dir", out, "--speech-models", "universal-2",
           "--report", report, "--json", *extra]  # fmt: skip
    sample = h.measure(cmd, env=h.client_env(server.url))
    outcomes = [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    done = sum(1 for o in outcomes if o["status"] == "done")
    events = [json.loads(l) for l in sample.stderr.splitlines() if l.startswith("{")]
    progress = [e for e in events if e.get("event") == "progress"]
    throttled = progress[-1]["throttled"] if progress else 0
    return sample, done, throttled


def run_sdk(h, sdk, server, paths):
    listing = h.WORK / "batch" / "list.txt"
    listing.write_text("\n".join(str(p) for p in paths) + "\n")
    sample = h.measure([sdk, Path(__file__).resolve(), "sdk", server.url, listing],
                       env=h.client_env(server.url), capture=True)  # fmt: skip
    result = json.loads(sample.stdout.strip().splitlines()[-1]) if sample.stdout.strip() else {}
    return sample, result


def in_flight(h, server, listing, out, seconds=6):
    """Peak RSS and threads of `aai batch` over `listing` after `seconds` of waiting on jobs that
    never finish; then interrupted (Ctrl-C, as a user would)."""
    import signal

    with open(os.devnull, "wb") as null:
        timed = ["/usr/bin/time", "-f", "%M", "-o", str(out) + ".rss", str(h.AAI), "batch",
                 "--from-file", str(listing), "--out-dir", str(out), "--jobs", "1000", "-q"]  # fmt: skip
        proc = subprocess.Popen(timed, env=h.client_env(server.url), stdout=null, stderr=null, start_new_session=True)
        time.sleep(seconds)
        threads = 0
        for child in Path(f"/proc/{proc.pid}/task").iterdir():
            for pid in (Path(f"/proc/{proc.pid}/task/{child.name}/children").read_text().split()):
                status = Path(f"/proc/{pid}/status").read_text()
                threads = int(next(l for l in status.splitlines() if l.startswith("Threads:")).split()[1])
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait()
    return int(Path(str(out) + ".rss").read_text().splitlines()[-1]), threads


def memory(h, report, work):
    print("== batch: memory with 1,000 and 100,000 sources in the list (1,000 in flight)", flush=True)
    figures = {}
    for count in (1000, 100_000):
        listing = work / f"urls-{count}.txt"
        listing.write_text("".join(f"https://example.com/calls/{i:06}.mp3\n" for i in range(count)))
        server = h.FakeServer(f"batch-memory-{count}", "--script", "never")
        try:
            figures[count] = in_flight(h, server, listing, fresh(work / f"out-memory-{count}"))
        finally:
            server.stop()
    (small, small_threads), (large, large_threads) = figures[1000], figures[100_000]
    report.add("100,000 sources vs 1,000, 1,000 jobs in flight: peak RSS", h.mib(large), f"1,000 sources: {h.mib(small)}", f"+{(large - small) / 1024 / 99:.2f} MiB per 1,000 sources", "(info)", None)
    bound = 2 + 8 + 16  # main and watcher, uploaders, deliverers: none per source
    report.add("100,000 sources vs 1,000: threads", f"{large_threads}", f"{small_threads}", "-", f"<= {bound}, whatever the count", max(large_threads, small_threads) <= bound)


def fresh(path):
    subprocess.run(["rm", "-rf", str(path)], check=True)
    return path


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "sdk":
        return sdk_main(sys.argv[2], sys.argv[3])
    import run as h  # bench/run.py: measuring, the fake server, the SDK's venv

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--only", default="free,limited,memory", help="comma-separated: free,limited,memory")
    args = parser.parse_args()
    only = set(args.only.split(","))
    n = args.files
    for exe in (h.AAI, h.FAKE):
        if not exe.exists():
            sys.exit(f"{exe} is missing: run bench/run.sh, which builds it")
    work = h.WORK / "batch"
    files_dir = work / f"in-{n}"  # exactly n files: aai batch takes the whole directory
    paths = make_files(files_dir, n)
    sdk = h.ensure_sdk()
    report = h.Report()
    print(f"machine: {h.machine()}; load average {os.getloadavg()[0]:.2f}", flush=True)
    started = time.time()

    if "free" in only:
        free(h, report, n, sdk, files_dir, paths, work)
    if "limited" in only:
        limited(h, report, n, sdk, files_dir, paths, work)
    if "memory" in only:
        memory(h, report, work)
    print(f"\n{report.table()}\n")
    passed = sum(1 for r in report.rows if r[5] == "pass")
    failed = sum(1 for r in report.rows if r[5] == "FAIL")
    print(f"{passed} passed, {failed} failed ({time.time() - started:.0f} s; load average now {os.getloadavg()[0]:.2f})")
    (h.WORK / "batch-results.json").write_text(json.dumps({"machine": h.machine(), "rows": report.rows}, indent=1))
    return 0


def both(h, name, flags, sdk, files_dir, paths, out):
    """aai, then the SDK (when installed), each on a fresh server with `flags`: their results and
    the requests each server logged."""
    server = h.FakeServer(f"{name}-aai", *flags)
    try:
        aai = run_aai(h, server, files_dir, fresh(out))
        aai_log = server.requests()
    finally:
        server.stop()
    if not sdk:
        return aai, aai_log, None, []
    server = h.FakeServer(f"{name}-sdk", *flags)
    try:
        return aai, aai_log, run_sdk(h, sdk, server, paths), server.requests()
    finally:
        server.stop()


def free(h, report, n, sdk, files_dir, paths, work):
    print(f"== batch: {n} files, each job done 2 s after creation, no rate limit", flush=True)
    (a, a_done, _), a_log, sdk_run, s_log = both(h, "batch-free", ["--script", "after:2s"], sdk, files_dir, paths, work / "out-free")
    s, s_result = sdk_run or (None, None)
    a_requests, s_requests = len(a_log), len(s_log)
    if a_done != n:
        print(f"  aai completed {a_done} of {n}:\n{a.stderr[-2000:]}", flush=True)
    ref = lambda text: text if s else "-"  # noqa: E731
    report.add(f"{n} files: completed", f"{a_done}", ref(f"SDK {s_result.get('completed') if s else 0}"), "-", f"all {n}", a_done == n)
    report.add(f"{n} files: wall", h.secs(a.wall), ref(h.secs(s.wall) if s else ""), h.ratio(a.wall, s.wall) if s else "-", "<= 0.5x SDK", a.wall <= 0.5 * s.wall if s else None)
    report.add(f"{n} files: peak RSS", h.mib(a.rss_kib), ref(h.mib(s.rss_kib) if s else ""), h.ratio(a.rss_kib, s.rss_kib) if s else "-", "<= 64 MiB", a.rss_kib <= 64 * 1024)
    report.add(f"{n} files: requests", f"{a_requests} ({a_requests / n:.2f} a file)", ref(f"{s_requests} ({s_requests / n:.2f} a file)" if s else ""), h.ratio(a_requests, s_requests) if s else "-", "<= 0.8x SDK", a_requests <= 0.8 * s_requests if s else None)



def limited(h, report, n, sdk, files_dir, paths, work):
    print(f"== batch: {n} files under the rate limit, scaled: {LIMIT} requests per {WINDOW} s", flush=True)
    limit = ["--script", "after:2s", "--rate-limit", f"{LIMIT}/{WINDOW}s"]
    (b, b_done, b_429), b_log, sdk_run, t_log = both(h, "batch-limited", limit, sdk, files_dir, paths, work / "out-limited")
    t, t_result = sdk_run or (None, None)
    b_requests = len(b_log)
    t_creates = sum(1 for r in t_log if r[1] == "POST" and r[2] == "/v2/transcript")
    bound = 3 * n / RATE
    sdk_text = f"SDK {t_result.get('completed', 0)} ({t_result.get('error') or 'no error'})" if t else "-"
    report.add(f"{n} files under the limit: completed", f"{b_done}", sdk_text, "-", f"all {n}", b_done == n)
    report.add(f"{n} files under the limit: wall vs 3 requests a file at {RATE:.1f}/s ({h.secs(bound)})", h.secs(b.wall), f"SDK {h.secs(t.wall)}" if t else "-", f"{b.wall / bound:.2f}x bound", "<= 1.7x bound", b_done == n and b.wall <= 1.7 * bound)
    share = b_429 / b_requests if b_requests else 0
    report.add(f"{n} files under the limit: 429 answers", f"{b_429} of {b_requests} ({share:.1%})", f"SDK left {t_creates} jobs created" if t else "-", "-", "< 5 % of requests", share < 0.05)
    report.add(f"{n} files under the limit: peak RSS", h.mib(b.rss_kib), h.mib(t.rss_kib) if t else "-", "-", "(info)", None)



if __name__ == "__main__":
    sys.exit(main())
