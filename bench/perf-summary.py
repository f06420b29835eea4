#!/usr/bin/env python3
"""Where the gateway's CPU went, from `perf script` output of a `perf record -g` run (bench/profile.sh).

Prints the share of samples by thread, by a few kernel paths that matter for this write path (context switches,
thread-pool spinning, WAL writes, fsync, socket sends, file-watcher wake-ups), by the library of each sample's
innermost frame (the kernel, SQLite, libc, or a managed assembly), and the managed methods with the largest inclusive
share."""
import collections
import re
import sys

stacks = [s for s in open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n\n") if s.strip()]
total = len(stacks)
if total == 0:
    sys.exit("no samples")

paths = {
    "context switches (finish_task_switch)": "finish_task_switch",
    "thread-pool spinning (sched_yield)": "sched_yield",
    "WAL writes (pwrite64)": "__x64_sys_pwrite64",
    "fsync": "__x64_sys_fsync",
    "socket sends (sendto)": "__x64_sys_sendto",
    "inotify / file-watcher wake-ups": "inotify",
    "SQLite (libe_sqlite3)": "libe_sqlite3",
    "OpenSSL (libcrypto)": "libcrypto",
}
threads = collections.Counter()
kernel = collections.Counter()
methods = collections.Counter()
libraries = collections.Counter()


def library(frame):
    """The managed assembly of a named frame ('[Assembly] Type::Method'), else the file of a native one."""
    m = re.search(r"\[([A-Za-z][\w.]*)\] .*::", frame)
    if m:
        return m.group(1)
    m = re.search(r"\(([^)]*)\)\s*$", frame)
    if not m:
        return "?"
    return "kernel" if "kernel" in m.group(1) else ("JIT code, unnamed" if m.group(1).startswith("/tmp/perf-") else m.group(1).rsplit("/", 1)[-1])


for s in stacks:
    lines = s.split("\n")
    frames = [line for line in lines[1:] if line.strip()]
    if frames:
        libraries[library(frames[0])] += 1
    threads[re.sub(r"\s+\d+\s+[\d.]+:.*", "", lines[0].strip())] += 1
    for label, needle in paths.items():
        if needle in s:
            kernel[label] += 1
    seen = set()
    for line in lines[1:]:
        m = re.search(r"\[(PaymentGateway[^\]]*|Microsoft[^\]]*|System[^\]]*)\] ([^(]*)", line)
        if m and m.group(2) not in seen:
            seen.add(m.group(2))
            methods[m.group(1) + " " + m.group(2)[-110:]] += 1

print(f"{total} samples")
print("\n## by thread")
for k, v in threads.most_common(8):
    print(f"{v / total * 100:5.1f}%  {k}")
print("\n## paths (a sample can be in several)")
for k, v in kernel.most_common():
    print(f"{v / total * 100:5.1f}%  {k}")
print("\n## innermost frame's library (self time)")
for k, v in libraries.most_common(15):
    print(f"{v / total * 100:5.1f}%  {k}")
print("\n## managed methods, inclusive")
for k, v in methods.most_common(25):
    print(f"{v / total * 100:5.1f}%  {k}")
