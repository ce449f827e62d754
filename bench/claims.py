#!/usr/bin/env python3
"""What exactly-once per source costs: `aai batch` with per-source claims (this tree) against the
journal-only design before it (the binary given with --before), on the same 1,000 files and a
fresh fake server each: requests, fsync/fdatasync calls and file creations counted by strace,
wall time per source. Also the cost of a fingerprint (the content hash read before an upload),
as the wall of one large file's batch with it and without (--before does not hash).

    cargo build --release --bin aai --example fake_api
    python3 bench/claims.py --before /path/to/aai-journal-only [--dir /some/mount] [--files 1000]

--dir puts the files and the out-dir on another file system (an NFS mount, say).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as h  # noqa: E402  (bench/run.py: the fake server, the client's environment)


def make_files(folder, n, size=2600):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:05}.mp3").write_bytes((f"recording {i}. " * (size // 14 + 1)).encode()[:size])


def traced(aai, files, out, server):
    """One run under strace -c -f: wall, the counts of the calls that cost on shared storage."""
    summary = out.parent / (out.name + ".strace")
    cmd = ["strace", "-f", "-c", "-o", str(summary),
           "-e", "trace=fsync,fdatasync,openat,rename,renameat,renameat2,link,linkat,mkdir,mkdirat,write,unlink,unlinkat",
           str(aai), "batch", str(files), "--out-dir", str(out), "--speech-models", "universal-2", "-q"]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=h.client_env(server.url), capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{aai} failed: {proc.stderr[-2000:]}")
    calls = {}
    for line in summary.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 5 and fields[-1].isidentifier() and fields[3].isdigit():
            calls[fields[-1]] = int(fields[3])
    return wall, calls


def untraced(aai, files, out, server):
    started = time.perf_counter()
    proc = subprocess.run([str(aai), "batch", str(files), "--out-dir", str(out), "--speech-models",
                           "universal-2", "-q"], env=h.client_env(server.url), capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        sys.exit(f"{aai} failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, type=Path, help="aai built before claims (journal only)")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=None, help="where files and out-dirs go")
    parser.add_argument("--big", type=int, default=1024, help="MiB of the file the fingerprint is timed on")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="aai-claims-", dir=args.dir))
    try:
        files = base / "in"
        make_files(files, args.files)
        rows = []
        for name, aai in (("journal only (before)", args.before), ("claims (now)", h.AAI)):
            walls, traces = [], None
            for attempt in range(3):
                server = h.FakeServer(f"claims-{attempt}", "--script", "after:0s")
                try:
                    out = base / f"out-{attempt}-{aai.name}-{name[0]}"
                    if attempt == 0:
                        wall, traces = traced(aai, files, out, server)
                        requests = len(server.requests())
                    else:
                        wall = untraced(aai, files, out, server)
                    walls.append(wall)
                finally:
                    server.stop()
            n = args.files
            fsyncs = traces.get("fsync", 0) + traces.get("fdatasync", 0)
            creates = traces.get("openat", 0)
            renames = sum(traces.get(c, 0) for c in ("rename", "renameat", "renameat2"))
            rows.append((name, h.median(walls), requests / n, fsyncs / n, creates / n, renames / n))
        big = base / "big"
        big.mkdir()
        with open(big / "one.wav", "wb") as f:
            block = os.urandom(1 << 20)
            for _ in range(args.big):
                f.write(block)
        hashed = {}
        for name, aai in (("before", args.before), ("now", h.AAI)):
            server = h.FakeServer(f"claims-big-{name}", "--script", "after:0s", "--no-hash")
            try:
                hashed[name] = min(untraced(aai, big, base / f"out-big-{name}-{i}", server) for i in range(3))
            finally:
                server.stop()
        print(f"machine: {h.machine()}; {args.files} files; storage: {args.dir or 'local temp'}")
        print("| design | wall (median of 3) | per source | requests a source | fsync+fdatasync a source | openat a source | renames a source |")
        print("|---|---|---|---|---|---|---|")
        for name, wall, req, fs, op, rn in rows:
            print(f"| {name} | {wall:.2f} s | {wall / args.files * 1000:.2f} ms | {req:.2f} | {fs:.2f} | {op:.2f} | {rn:.2f} |")
        extra = hashed["now"] - hashed["before"]
        print(f"fingerprint: one {args.big} MiB file, batch wall (best of 3) {hashed['before']:.2f} s before, "
              f"{hashed['now']:.2f} s now: {extra:+.2f} s, {args.big / max(extra, 1e-3):.0f} MiB/s for the extra read and hash")  # fmt: skip
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
