"""The official Python SDK's Sync client, as a user would write it, for bench/clips.py.

    clip_sdk.py latency BASE KEY FILE.wav   # last audio byte handed over -> text printed, in ms
    clip_sdk.py warm BASE KEY FILE.wav      # warm(), then two clips on one client

BASE is the emulator's base URL; the SDK reaches Sync under BASE/sync (its sync_base_url).
"""
import sys
import time

import assemblyai as aai


def main():
    mode, base, key, path = sys.argv[1:5]
    aai.settings.api_key = key
    aai.settings.sync_base_url = base + "/sync"
    audio = open(path, "rb").read()
    with aai.SyncTranscriber() as sync:
        if mode == "latency":
            sync.warm()
            last = {}

            def chunks():
                for at in range(0, len(audio), 64 * 1024):
                    yield audio[at:at + 64 * 1024]
                last["at"] = time.perf_counter()

            result = sync.transcribe_live(chunks())
            sys.stdout.write(result.text + "\n")
            sys.stdout.flush()
            print(f"{(time.perf_counter() - last['at']) * 1000:.3f}", file=sys.stderr)
        else:
            sync.warm()
            for _ in range(2):
                sys.stdout.write(sync.transcribe(path).text + "\n")


main()
