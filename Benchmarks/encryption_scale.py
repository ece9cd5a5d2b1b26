#!/usr/bin/env python3
# The journal encrypted at rest, against the same journal in plaintext, in one run (issue 19).
# Two release daemons run side by side on byte-for-byte copies of one journal of N entries
# (100,000 by default); one copy is then encrypted with `kindling encrypt --passphrase` (timed:
# the conversion of the whole journal). Every figure alternates between the two, one sample
# each in turn (which one goes first alternates too), so a machine that grows busier or
# quieter during the run moves both columns alike: measuring one after the other showed a
# plaintext daemon 50% apart from itself. Figures: exec to READY=1 (the daemon's own
# notification, over a NOTIFY_SOCKET this script listens on); durable answers (a prompt fired,
# then its answer timed, as `make bench` times them) and durable notes, over one connection
# each (acknowledged after the fsync'd commit); `kindling note` at the CLI (exec to exit: the
# durable answer as a person waits for it); a 30-day journal and 8 weeks of stats at the CLI,
# both asked again (the daemon answers with what it kept) and right after a saved note
# (computed afresh, pages read again and, encrypted, decrypted); and a full JSON export. Each
# after a few unmeasured warm-up runs. The encrypted daemon restarts with the key the kernel
# keyring keeps for the boot: no key derivation at start, none per request. Writes
# Benchmarks/results/encryption.md. Run with `make bench-encryption` (part of `make bench`).
import json, os, shutil, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from journal_scale import write_export  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
STARTS, SAVES, CLI_RUNS, EXPORTS, WARMUP = 30, 500, 200, 30, 5
BIN = os.environ.get("KINDLING_BIN_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release"))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "encryption.md")
# The export's last 30 days: the notes saved here (dated today) stay out of the page, so both
# daemons show the same entries however many each has saved.
JOURNAL = ["journal", "--since", "2026-10-23", "--until", "2026-11-21", "--json"]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


class Daemon:
    def __init__(self, d):
        self.d = d
        self.notify_path = d + "/notify.sock"
        os.makedirs(d + "/run", mode=0o700, exist_ok=True)
        self.env = dict(os.environ, XDG_RUNTIME_DIR=d + "/run", XDG_CONFIG_HOME=d + "/c", XDG_DATA_HOME=d + "/d",
                        HOME=d, TZ="UTC")
        # No session bus: no keyring answers, so a new journal stays plaintext until encrypted.
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self.p = None
        self.sock = None

    def start(self):
        """Starts kindlingd; returns the milliseconds from exec to READY=1."""
        if os.path.exists(self.notify_path): os.unlink(self.notify_path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(self.notify_path)
        listener.settimeout(120)
        env = dict(self.env, NOTIFY_SOCKET=self.notify_path)
        t = time.perf_counter()
        self.p = subprocess.Popen([BIN + "/kindlingd"], env=env, stderr=subprocess.DEVNULL)
        while b"READY=1" not in listener.recv(4096):
            pass
        ready = time.perf_counter() - t
        listener.close()
        return ready * 1000

    def stop(self):
        if self.sock: self.sock.close()
        self.sock = None
        self.p.terminate()
        self.p.wait()

    def cli(self, *args, stdin=None):
        r = subprocess.run([BIN + "/kindling", *args], env=self.env, capture_output=True, text=True, input=stdin)
        assert r.returncode == 0, f"kindling {' '.join(args)}: {r.stderr}"
        return r.stdout

    def timed_cli(self, *args):
        t = time.perf_counter()
        self.cli(*args)
        return (time.perf_counter() - t) * 1000

    def request(self, cmd, **args):
        """One request over the daemon's control socket (kept open); (milliseconds to its reply, result)."""
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(self.d + "/run/kindling/control.sock")
            self.reader = self.sock.makefile("rb")
        self.next_id = getattr(self, "next_id", 0) + 1
        line = json.dumps(dict(v=1, id=self.next_id, cmd=cmd, **args)) + "\n"
        t = time.perf_counter()
        self.sock.sendall(line.encode())
        reply = json.loads(self.reader.readline())
        elapsed = (time.perf_counter() - t) * 1000
        assert reply.get("ok"), reply
        return elapsed, reply["result"]

    def save(self, i):
        """One note, acknowledged once committed; the milliseconds to its reply."""
        return self.request("note", text=f"a durable note {i}")[0]

    def answer(self, i):
        """A prompt fired (not timed), then answered as `make bench` times its durable answer."""
        _, prompt = self.request("fire", slot="intention")
        return self.request("respond", prompt_id=prompt["id"], text=f"a durable answer {i}", mood=3, energy=3)[0]


def alternate(pair, n, sample, warmup=WARMUP):
    """n samples from each daemon of the pair, taken in turn; the first `warmup` rounds are left out."""
    figures = ([], [])
    for i in range(warmup + n):
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for k in order:
            x = sample(pair[k], i)
            if i >= warmup: figures[k].append(x)
    return figures


def restart(daemon, _):
    daemon.stop()
    return daemon.start()


def afresh(args):
    # A note saved first (unmeasured): the daemon keeps no journal or stats result across a
    # write, and its read connection finds the file changed and reads its pages again.
    def sample(daemon, i):
        daemon.save(SAVES + WARMUP + i)
        return daemon.timed_cli(*args)
    return sample


def main():
    base = tempfile.mkdtemp(prefix="encryption.")
    plain, encrypted = Daemon(base + "/plaintext"), Daemon(base + "/encrypted")
    write_export(base + "/in.jsonl", N)
    plain.start()
    plain.cli("import", base + "/in.jsonl")
    plain.stop()
    shutil.copytree(plain.d + "/d", encrypted.d + "/d")
    plain.start()
    encrypted.start()
    t = time.perf_counter()
    encrypted.cli("encrypt", "--passphrase", stdin="a benchmark passphrase\n")
    conversion = time.perf_counter() - t
    pair = (plain, encrypted)
    states = [json.loads(d.cli("status", "--json"))["encryption"]["journal"] for d in pair]
    assert states == ["plaintext", "encrypted"], states

    rows = [
        ("exec → READY=1 (ms)", STARTS, alternate(pair, STARTS, restart, warmup=1)),
        ("durable answer (`respond`), over one connection (ms)", SAVES, alternate(pair, SAVES, lambda d, i: d.answer(i))),
        ("durable save (`note`), over one connection (ms)", SAVES, alternate(pair, SAVES, lambda d, i: d.save(i))),
        ("`kindling note` at the CLI, exec to exit (ms)", CLI_RUNS,
         alternate(pair, CLI_RUNS, lambda d, i: d.timed_cli("note", f"a note from the command line {i}"))),
        ("`journal` (30 days) at the CLI, asked again (ms)", CLI_RUNS,
         alternate(pair, CLI_RUNS, lambda d, _: d.timed_cli(*JOURNAL))),
        ("`journal` (30 days) at the CLI, right after a write (ms)", CLI_RUNS, alternate(pair, CLI_RUNS, afresh(JOURNAL))),
        ("`stats` (8 weeks) at the CLI, asked again (ms)", CLI_RUNS,
         alternate(pair, CLI_RUNS, lambda d, _: d.timed_cli("stats", "--json"))),
        ("`stats` (8 weeks) at the CLI, right after a write (ms)", CLI_RUNS,
         alternate(pair, CLI_RUNS, afresh(["stats", "--json"]))),
        ("`export --format json`, whole journal (ms)", EXPORTS,
         alternate(pair, EXPORTS, lambda d, _: d.timed_cli("export", "--format", "json", "--output", d.d + "/out.jsonl",
                                                            "--force"), warmup=1)),
    ]
    # Leaves no key in the kernel keyring behind.
    encrypted.cli("decrypt", "--yes")
    for d in pair: d.stop()

    lines = [
        f"# Encrypted journal vs plaintext, {N:,} entries (one run, side by side)", "",
        f"Conversion of the whole journal by `kindling encrypt --passphrase`: {conversion:.2f} s "
        "(one Argon2id derivation included).", "",
        "| figure | n each | plaintext p50 | p99 | encrypted p50 | p99 | p50 change | p99 change |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, n, (a, b) in rows:
        p50 = (statistics.median(b) / statistics.median(a) - 1) * 100
        p99 = (pct(b, 99) / pct(a, 99) - 1) * 100
        lines.append(
            f"| {name} | {n} | {statistics.median(a):.2f} | {pct(a, 99):.2f} | {statistics.median(b):.2f} | "
            f"{pct(b, 99):.2f} | {p50:+.0f}% | {p99:+.0f}% |")
    lines += ["", f"Load average at the end: {os.getloadavg()[0]:.2f}."]
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write(text)
    print(text)
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
