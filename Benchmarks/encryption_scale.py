#!/usr/bin/env python3
# The journal encrypted at rest, against the same journal in plaintext, in one run (issue 19):
# imports N entries (100,000 by default) into a fresh release kindlingd, measures it plaintext,
# encrypts it with `kindling encrypt --passphrase` (timed: the conversion of the whole journal),
# and measures it again. Figures: exec to READY=1 (the daemon's own notification, over a
# NOTIFY_SOCKET this script listens on), durable saves over one connection (each acknowledged
# after its fsync'd commit), a 30-day journal and 8 weeks of stats at the CLI, and a full JSON
# export, each after a few unmeasured warm-up runs. An encrypted journal restarts with the key the kernel keyring keeps for the boot:
# no key derivation at start, none per request. Writes Benchmarks/results/encryption.md.
# Run with `make bench-encryption` (part of `make bench`).
import json, os, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from journal_scale import write_export  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
STARTS, SAVES, CLI_RUNS, EXPORTS, WARMUP = 10, 500, 40, 5, 5
BIN = os.environ.get("KINDLING_BIN_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release"))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "encryption.md")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


class Daemon:
    def __init__(self, d, env):
        self.d, self.env = d, env
        self.notify_path = d + "/notify.sock"

    def start(self):
        """Starts kindlingd; returns the seconds from exec to READY=1."""
        if os.path.exists(self.notify_path): os.unlink(self.notify_path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(self.notify_path)
        listener.settimeout(120)
        env = dict(self.env, NOTIFY_SOCKET=self.notify_path)
        t = time.perf_counter()
        self.p = subprocess.Popen([BIN + "/kindlingd"], env=env, stderr=subprocess.DEVNULL)
        while True:
            data = listener.recv(4096)
            if b"READY=1" in data:
                ready = time.perf_counter() - t
                break
        listener.close()
        return ready

    def stop(self):
        self.p.terminate()
        self.p.wait()

    def cli(self, *args, stdin=None):
        r = subprocess.run([BIN + "/kindling", *args], env=self.env, capture_output=True, text=True, input=stdin)
        assert r.returncode == 0, f"kindling {' '.join(args)}: {r.stderr}"
        return r.stdout


def measure(daemon, label):
    figures = {}
    daemon.stop()
    starts = []
    for _ in range(STARTS + 1):
        starts.append(daemon.start() * 1000)
        daemon.stop()
    starts = starts[1:]  # the first start warms the page cache
    figures["READY"] = starts
    daemon.start()
    status = json.loads(daemon.cli("status", "--json"))
    assert status["journal"] == "ok", status["journal"]
    figures["state"] = status["encryption"]["journal"]

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(daemon.d + "/run/kindling/control.sock")
    reader = sock.makefile("rb")
    saves = []
    for i in range(SAVES + WARMUP):
        line = json.dumps({"v": 1, "id": i + 1, "cmd": "note", "text": f"a durable note {i}"}) + "\n"
        t = time.perf_counter()
        sock.sendall(line.encode())
        reply = json.loads(reader.readline())
        saves.append((time.perf_counter() - t) * 1000)
        assert reply.get("ok"), reply
    sock.close()
    figures["save"] = saves[WARMUP:]

    def wall(args):
        xs = []
        # The first runs after the saves read pages afresh (and, encrypted, decrypt them): they
        # are left out, as hyperfine's warm-up would.
        for _ in range(WARMUP):
            daemon.cli(*args)
        for _ in range(CLI_RUNS):
            t = time.perf_counter()
            daemon.cli(*args)
            xs.append((time.perf_counter() - t) * 1000)
        return xs

    # The export's last 30 days: the saves above (dated today) stay out of the page, so both
    # measurements show the same entries.
    figures["journal"] = wall(["journal", "--since", "2026-10-23", "--until", "2026-11-21", "--json"])
    figures["stats"] = wall(["stats", "--json"])
    xs = []
    for _ in range(EXPORTS):
        t = time.perf_counter()
        daemon.cli("export", "--format", "json", "--output", daemon.d + "/out.jsonl", "--force")
        xs.append(time.perf_counter() - t)
    figures["export"] = [x * 1000 for x in xs]
    print(f"{label}: measured", flush=True)
    return figures


def main():
    d = tempfile.mkdtemp(prefix="encryption.")
    os.makedirs(d + "/run", mode=0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=d + "/run", XDG_CONFIG_HOME=d + "/c", XDG_DATA_HOME=d + "/d", HOME=d, TZ="UTC")
    # No session bus: no keyring answers, so the new journal stays plaintext until encrypted below.
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    write_export(d + "/in.jsonl", N)
    daemon = Daemon(d, env)
    daemon.start()
    daemon.cli("import", d + "/in.jsonl")
    plain = measure(daemon, "plaintext")

    t = time.perf_counter()
    daemon.cli("encrypt", "--passphrase", stdin="a benchmark passphrase\n")
    conversion = time.perf_counter() - t
    encrypted = measure(daemon, "encrypted")
    # Leaves no key in the kernel keyring behind.
    daemon.cli("decrypt", "--yes")
    daemon.stop()

    assert plain["state"] == "plaintext" and encrypted["state"] == "encrypted"
    rows = [
        ("exec → READY=1 (ms)", "READY", STARTS),
        ("durable save, over one connection (ms)", "save", SAVES),
        ("`journal` (30 days: 2026-10-23 to 11-21) at the CLI (ms)", "journal", CLI_RUNS),
        ("`stats` (8 weeks) at the CLI (ms)", "stats", CLI_RUNS),
        ("`export --format json`, whole journal (ms)", "export", EXPORTS),
    ]
    lines = [
        f"# Encrypted journal vs plaintext, {N:,} entries (one run)", "",
        f"Conversion of the whole journal by `kindling encrypt --passphrase`: {conversion:.2f} s "
        "(one Argon2id derivation included).", "",
        "| figure | n | plaintext p50 | p99 | encrypted p50 | p99 | p50 change |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, key, n in rows:
        a, b = plain[key], encrypted[key]
        change = (statistics.median(b) / statistics.median(a) - 1) * 100
        lines.append(
            f"| {name} | {n} | {statistics.median(a):.2f} | {pct(a, 99):.2f} | {statistics.median(b):.2f} | "
            f"{pct(b, 99):.2f} | {change:+.0f}% |")
    lines += ["", f"Load average at the end: {os.getloadavg()[0]:.2f}."]
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
