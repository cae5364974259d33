#!/usr/bin/env python3
"""Summarises a dotnet-trace thread-time profile (Speedscope JSON, --profile dotnet-sampled-thread-time).

Prints, for frames of GopherCron, linq2db and Microsoft.Data.Sqlite, the share of all sampled thread time whose
stack holds that frame. Thread time counts waiting as well as running: one thread that is always busy (or always
blocked) shows as 100 % / number of threads. usage: thread_time.py trace.speedscope.json [min-percent]
"""
import collections
import json
import sys

data = json.load(open(sys.argv[1]))
minimum = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
frames = [f["name"] for f in data["shared"]["frames"]]
inclusive = collections.Counter()
total = 0.0
threads = 0
for profile in data["profiles"]:
    if profile["type"] != "evented":
        continue
    threads += 1
    stack, last = [], None
    for event in profile["events"]:
        if last is not None and stack:
            weight = event["at"] - last
            for name in {frames[i] for i in stack}:
                inclusive[name] += weight
            total += weight
        last = event["at"]
        if event["type"] == "O":
            stack.append(event["frame"])
        else:
            stack.pop()

print(f"{threads} threads; one thread's whole time = {100 / max(threads, 1):.1f} %")
for name, weight in inclusive.most_common():
    share = weight / total * 100
    if share < minimum:
        break
    if any(k in name for k in ("GopherCron", "linq2db", "Sqlite")) and "AsyncStateMachineBox" not in name:
        print(f"{share:6.1f} %  {name[:160]}")
