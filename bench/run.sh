#!/usr/bin/env bash
# Benchmarks aai against curl and the official Python SDK on local fake API servers, and prints
# one table: figure, aai, reference, ratio, target, pass/fail. See BENCHMARKS.md.
#
#   bench/run.sh            # 7 runs per figure (3 of the 60 s job), uploads of 100 MiB to 4 GiB
#   bench/run.sh --quick    # 3 runs, 100 MiB and 1 GiB, one 60 s job
#   bench/run.sh --runs 9 --only upload,fetch,poll,startup
#   bench/run.sh --batch    # aai batch vs the SDK's transcribe_group, 1,000 files (bench/batch.py)
#
# Needs cargo, curl, python3 (3.9+) and /usr/bin/time (Debian: apt-get install time curl).
# The first run makes 7.2 GiB of test files and a venv with the SDK under target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in curl python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is missing" >&2; exit 2; }
done
cargo build --release --quiet --bin aai --example fake_api
[[ "${1:-}" == "--batch" ]] && { shift; exec python3 bench/batch.py "$@"; }  # aai batch vs transcribe_group
python3 bench/streaming.py --seconds "$([[ " $* " == *" --quick "* ]] && echo 20 || echo 60)"  # aai stream vs the SDK
exec python3 bench/run.py "$@"
