#!/usr/bin/env python3
# Journal at scale: imports N generated entries (ten years of heavy use by default: 100,000)
# into a fresh release kindlingd, then times a 30-day journal query, stats, status and a full
# JSON export through the CLI, and the daemon's peak RSS. Journal and stats are timed twice:
# asked again and again (the daemon answers with what it kept), and each right after a write
# (computed afresh). Run with `make bench-journal`.
import datetime, json, os, random, resource, statistics, subprocess, sys, tempfile, threading, time
def write_export(path, n, now=datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.timezone.utc)):
    """Writes an export file (JSON Lines) of n entries spread evenly over the ten years before now.
    Also used by bench.py (make bench) to build its journals."""
    rng = random.Random(7)
    slots = ["intention", "nudge", "reflection", "review"]
    with open(path, "w") as f:
        f.write(json.dumps({"kindling_export": 1, "version": "0.1.0", "exported_at": now.isoformat(timespec="milliseconds")}) + "\n")
        for i in range(n):
            at = now - datetime.timedelta(seconds=int(i * 10 * 365 * 86400 / n))
            answer = i % 3 != 0
            f.write(json.dumps({"type": "answer" if answer else "note", "id": i + 1, "at": at.isoformat(timespec="milliseconds"),
                "local_date": at.date().isoformat(), "text": f"a small kindness, number {i}, " + "warm " * rng.randint(1, 12),
                "slot": rng.choice(slots) if answer else None, "prompt": "What kindness?" if answer else None,
                "kind": None if answer else rng.choice(["given", "received", None]), "mood": rng.randint(1, 5) if answer else None,
                "energy": rng.randint(1, 5) if answer else None, "channel": "cli" if answer else None, "edited_at": None}) + "\n")

def main():
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    BIN = os.environ.get("KINDLING_BIN_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release"))
    d = tempfile.mkdtemp(prefix="scale.")
    os.makedirs(d + "/run", mode=0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=d + "/run", XDG_CONFIG_HOME=d + "/c", XDG_DATA_HOME=d + "/d", HOME=d, TZ="UTC")
    write_export(d + "/in.jsonl", N)
    p = subprocess.Popen([BIN + "/kindlingd"], env=env, stderr=subprocess.DEVNULL)
    while not os.path.exists(d + "/run/kindling/control.sock"): time.sleep(0.01)
    time.sleep(0.3)
    t = time.perf_counter(); r = subprocess.run([BIN + "/kindling", "import", d + "/in.jsonl"], env=env, capture_output=True, text=True)
    print(f"import {N}: {time.perf_counter() - t:.1f} s: {r.stdout.strip()} {r.stderr.strip()[:200]}")
    def wall(args, n=15, after_write=False):
        xs = []
        for _ in range(n):
            # An edit of an entry that does not exist is a write that changes nothing: the
            # daemon keeps no journal or stats result across it, so the next one is computed.
            if after_write: subprocess.run([BIN + "/kindling", "edit", "999999999", "x"], env=env, capture_output=True)
            t = time.perf_counter(); out = subprocess.run([BIN + "/kindling"] + args, env=env, capture_output=True); xs.append((time.perf_counter() - t) * 1000)
        assert out.returncode == 0, out.stderr
        return xs
    base = wall(["--version"])
    for name, args in [("journal, last 30 days", ["journal", "--since", "2026-10-23", "--json"]), ("stats, 8 weeks", ["stats", "--json"]), ("status", ["status", "--json"])]:
        xs = wall(args)
        print(f"{name}: CLI wall median {statistics.median(xs):.1f} ms (max {max(xs):.1f}), minus CLI start ({statistics.median(base):.1f} ms): ~{statistics.median(xs) - statistics.median(base):.1f} ms, n={len(xs)}")
    for name, args in [("journal, last 30 days", ["journal", "--since", "2026-10-23", "--json"]), ("stats, 8 weeks", ["stats", "--json"])]:
        xs = wall(args, after_write=True)
        print(f"{name}, each after a write: CLI wall median {statistics.median(xs):.1f} ms (max {max(xs):.1f}), n={len(xs)}")
    def hwm(): return int([l for l in open(f"/proc/{p.pid}/status") if l.startswith("VmHWM")][0].split()[1])
    before = hwm()
    xs = []
    for _ in range(3):
        # --force: the second and third runs replace the first one's file (without it they were
        # refused at once, and their 0.00 s was the median).
        t = time.perf_counter(); r = subprocess.run([BIN + "/kindling", "export", "--format", "json", "--output", d + "/out.jsonl", "--force"], env=env, capture_output=True); xs.append(time.perf_counter() - t)
        assert r.returncode == 0, r.stderr
    lines = sum(1 for _ in open(d + "/out.jsonl"))
    print(f"export json of {lines - 1} entries: median {statistics.median(xs):.2f} s over n=3; daemon peak RSS {before/1024:.1f} MB before, {hwm()/1024:.1f} MB after")
    p.terminate(); p.wait()

if __name__ == "__main__":
    main()
