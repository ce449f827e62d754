#!/usr/bin/env python3
"""The arithmetic of poll schedules, beside what bench/run.py measures (BENCHMARKS.md cites it).

For a job that completes T seconds after it was created, and a client that starts waiting at
creation, each schedule gives: the GETs it sends up to and including the one that sees the job
done, and the worst delay in noticing a completion near T (the gap between the two polls around
T: a job done just after a poll is seen one gap later). Requests are taken as instantaneous.

  python3 bench/poll_model.py
"""

import math


def fixed(interval, first=0.0):
    """AssemblyAI's SDKs: a GET right away, then one every `interval` seconds."""
    t = first
    while True:
        yield t
        t += interval


def fraction(fraction, floor, ceiling, first=None):
    """aai's PollSchedule: the pause is `fraction` of the time waited, within [floor, ceiling]."""
    t = floor if first is None else first
    while True:
        yield t
        t += min(max(fraction * t, floor), ceiling)


def hinted(earliest, fraction_, floor, ceiling):
    """As `fraction`, after sleeping until a time the job provably can't complete before."""
    yield from fraction(fraction_, floor, ceiling, first=max(earliest, floor))


def at(schedule, total):
    """(GETs until one at or after `total`, the gap around `total`)."""
    previous, count = 0.0, 0
    for t in schedule:
        count += 1
        if t >= total:
            return count, t - previous
        previous = t


def lower_bound(total, fraction_=0.1, floor=1.0):
    """The fewest GETs of any schedule that notices every completion within
    max(floor, fraction x its time): the gap at time t may not exceed max(floor, fraction x t)."""
    knee = floor / fraction_  # below this the floor rules
    if total <= knee:
        return math.ceil(total / floor)
    return math.ceil(knee / floor) + math.ceil(math.log(total / knee) / math.log(1 + fraction_))


SCHEDULES = {
    "SDK: fixed 3 s": lambda T: fixed(3.0),
    "aai now: 10 %, 1..15 s": lambda T: fraction(0.1, 1.0, 15.0),
    "25 %, 2..30 s": lambda T: fraction(0.25, 2.0, 30.0),
    "aai + hint 'not before T/2'": lambda T: hinted(T / 2, 0.1, 1.0, 15.0),
}
TIMES = [5, 10, 20, 30, 45, 60, 90, 120, 300, 600, 1800, 3600]


def main():
    head = "| job done at T | " + " | ".join(SCHEDULES) + " | fewest GETs for max(1 s, 10 %) |"
    print(head)
    print("|" + "---|" * (len(SCHEDULES) + 2))
    for total in TIMES:
        cells = []
        for make in SCHEDULES.values():
            count, gap = at(make(total), total)
            cells.append(f"{count} GETs, <= {gap:.1f} s")
        print(f"| {total} s | " + " | ".join(cells) + f" | {lower_bound(total)} |")
    print()
    for name, make in list(SCHEDULES.items())[1:]:
        over_30s = [t / 2 for t in range(61, 7201)]  # 30.5 s to 1 h, every half second
        sdk = {t: at(fixed(3.0), t)[0] for t in over_30s}
        worse = [t for t in over_30s if at(make(t), t)[0] >= sdk[t]]
        span = f"from {min(worse):g} s to {max(worse):g} s" if worse else "none"
        print(f"- {name}: jobs over 30 s with no fewer GETs than the SDK's: {span}")
    print()
    print("Each cell: GETs until the job is seen done, and the worst notice delay near T.")
    print(f"Target notice delay: max(1 s, 10 % of T). 'aai + hint' sleeps until a lower bound on")
    print("the completion time that the server would have to supply (it does not today).")


if __name__ == "__main__":
    main()
