#!/usr/bin/env python3
# The calendar's figures (issue 17) against a release kindlingd: a generated calendar of 5,000
# events, weekly recurrences among them, over two years: load time, change -> new plan, idle
# wakeups and RSS growth; then the lateness of the break after each session on a watch client,
# over a test calendar of short sessions a few seconds apart. Run with `make bench-calendar`
# (also part of `make bench`). Writes Benchmarks/results/calendar.md and calendar.json.
import datetime, json, os, random, re, socket, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("KINDLING_BIN_DIR", os.path.join(HERE, "..", ".build", "release"))
UTC = datetime.timezone.utc
SLOTS_OFF = "".join(f"[{s}]\nenabled = false\n" for s in ["intention", "nudge", "reflection", "review"])


def ical(t):
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(uid, start, end, extra=""):
    return (f"BEGIN:VEVENT\r\nUID:{uid}@bench.kindling\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{ical(start)}\r\n"
            f"DTEND:{ical(end)}\r\n{extra}SUMMARY:Session\r\nEND:VEVENT\r\n")


def calendar(events):
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kindling benchmark//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def generated(now, total=5000, weekly=200, seed=17):
    """`total` events over the year before and the year after `now`: `weekly` of them repeat
    every week for two years (RRULE), a tenth of those with an exception date; the rest are
    single 50-minute sessions on the hour or half hour. None starts or ends within two hours of
    now (in any week, for the weekly ones), so the idle window sees no break come."""
    rng = random.Random(seed)
    first = (now - datetime.timedelta(days=365)).replace(minute=0, second=0, microsecond=0)
    week = 7 * 86400

    def clear(start, repeating):
        for edge in (start, start + datetime.timedelta(minutes=50)):
            gap = abs((edge - now).total_seconds())
            if repeating:
                gap = gap % week
                gap = min(gap, week - gap)
            if gap < 7200:
                return False
        return True

    out = []
    while len(out) < weekly:
        start = first + datetime.timedelta(days=rng.randrange(7), hours=rng.randrange(8, 18), minutes=rng.choice([0, 30]))
        if not clear(start, True):
            continue
        extra = "RRULE:FREQ=WEEKLY;COUNT=104\r\n"
        if len(out) % 10 == 0:
            extra += f"EXDATE:{ical(start + datetime.timedelta(weeks=rng.randrange(1, 104)))}\r\n"
        out.append(event(f"weekly-{len(out)}", start, start + datetime.timedelta(minutes=50), extra))
    while len(out) < total:
        start = first + datetime.timedelta(days=rng.randrange(730), hours=rng.randrange(8, 18), minutes=rng.choice([0, 30]))
        if not clear(start, False):
            continue
        out.append(event(f"single-{len(out)}", start, start + datetime.timedelta(minutes=50)))
    return out


class Daemon:
    """A release kindlingd in a sandbox of its own, with a control-socket client."""

    def __init__(self, config):
        self.dir = tempfile.mkdtemp(prefix="calendar-bench.")
        os.makedirs(self.dir + "/run", mode=0o700)
        os.makedirs(self.dir + "/c/kindling")
        with open(self.dir + "/c/kindling/config.toml", "w") as f:
            f.write(config.replace("@DIR@", self.dir))
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.dir + "/run", XDG_CONFIG_HOME=self.dir + "/c",
                        XDG_DATA_HOME=self.dir + "/d", HOME=self.dir, TZ="UTC", NO_COLOR="1")
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self.log = open(self.dir + "/daemon.log", "wb")

    def start(self):
        self.process = subprocess.Popen([BIN + "/kindlingd"], env=self.env, stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        path = self.dir + "/run/kindling/control.sock"
        deadline = time.time() + 30
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("kindlingd did not open its socket: see " + self.dir + "/daemon.log")
                time.sleep(0.005)
        self.reader = self.sock.makefile("rb")
        self.request_id = 0
        return self

    def call(self, cmd, **arguments):
        self.request_id += 1
        self.sock.sendall((json.dumps(dict(v=1, id=self.request_id, cmd=cmd, **arguments)) + "\n").encode())
        reply = json.loads(self.reader.readline())
        assert reply.get("ok"), reply
        return reply["result"]

    def read_times_ms(self):
        """The daemon's own `read in X ms (Y ms CPU)` figures for each calendar read, in order."""
        with open(self.dir + "/daemon.log", errors="replace") as f:
            found = re.findall(r"calendar: .* read in ([0-9.]+) ms \(([0-9.]+) ms CPU\)", f.read())
        return [float(wall) for wall, _ in found], [float(cpu) for _, cpu in found]

    def proc(self):
        ctx = 0
        for tid in os.listdir(f"/proc/{self.process.pid}/task"):
            try:
                with open(f"/proc/{self.process.pid}/task/{tid}/status") as f:
                    ctx += sum(int(l.split()[1]) for l in f if l.startswith(("voluntary_ctxt", "nonvoluntary_ctxt")))
            except FileNotFoundError:
                pass
        status = {l.split(":")[0]: l.split(":")[1].strip() for l in open(f"/proc/{self.process.pid}/status")}
        return ctx, int(status["VmRSS"].split()[0]) / 1024, int(status["Threads"])

    def stop(self):
        self.process.terminate()
        self.process.wait()


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


def write_atomically(path, text):
    with open(path + ".new", "w") as f:
        f.write(text)
    os.rename(path + ".new", path)


def scale(results, changes=30, idle_seconds=60):
    now = datetime.datetime.now(UTC)
    events = generated(now)
    base_config = f'timezone = "UTC"\n{SLOTS_OFF}[break]\nafter_events = true\n'

    # RSS of the same daemon without a calendar, the baseline of the growth figure.
    bare = Daemon(base_config).start()
    time.sleep(1)
    rss_bare = bare.proc()[1]
    bare.stop()

    daemon = Daemon(base_config + '[calendar]\npath = "@DIR@/sessions.ics"\n')
    text = calendar(events)
    with open(daemon.dir + "/sessions.ics", "w") as f:
        f.write(text)
    size_mb = len(text.encode()) / 1e6
    daemon.start()
    time.sleep(1)
    status = daemon.call("status")
    problems = (status.get("calendar") or {}).get("problems")
    assert problems == [], f"the generated calendar was not read cleanly: {problems}"
    rss_loaded = daemon.proc()[1]

    # Change -> new plan: the file replaced (rename, as editors and sync tools do) with one more
    # session ending 30 min (or 40 min) from now; the time until `next` shows its break.
    change_ms = []
    for i in range(changes):
        end = (now + datetime.timedelta(minutes=30 + 10 * (i % 2))).replace(microsecond=0)
        marker = end.strftime("T%H:%M")
        changed = calendar(events + [event(f"moved-{i}", end - datetime.timedelta(minutes=20), end)])
        before = daemon.call("next", count=3)
        assert all(marker not in o["at"] for o in before["occurrences"]), before
        started = time.perf_counter()
        write_atomically(daemon.dir + "/sessions.ics", changed)
        while True:
            result = daemon.call("next", count=3)
            if any(o["slot"] == "break" and marker in o["at"] for o in result["occurrences"]):
                break
            if time.perf_counter() - started > 10:
                raise SystemExit(f"the plan did not change within 10 s of change {i}")
        change_ms.append((time.perf_counter() - started) * 1000)
        time.sleep(0.2)
    read_ms, read_cpu_ms = daemon.read_times_ms()
    rss_after_changes = daemon.proc()[1]

    # The benchmark's own connection would be closed as idle inside the window (a wakeup it
    # caused, not the calendar): close it first.
    daemon.reader.close()
    daemon.sock.close()
    time.sleep(2)
    ctx0, _, threads0 = daemon.proc()
    time.sleep(idle_seconds)
    ctx1, rss_idle, threads1 = daemon.proc()
    daemon.stop()

    results["scale"] = {
        "events": len(events), "weekly": 200, "file_mb": round(size_mb, 2),
        "load_ms": {"median": statistics.median(read_ms), "max": max(read_ms), "n": len(read_ms),
                    "first": read_ms[0], "cpu_median": statistics.median(read_cpu_ms), "cpu_max": max(read_cpu_ms)},
        "change_to_plan_ms": {"p50": statistics.median(change_ms), "p99": pct(change_ms, 99), "max": max(change_ms),
                              "n": len(change_ms)},
        "idle": {"window_s": idle_seconds, "wakeups": ctx1 - ctx0, "threads": [threads0, threads1]},
        "rss_mb": {"without_calendar": round(rss_bare, 1), "loaded": round(rss_loaded, 1),
                   "after_changes": round(rss_after_changes, 1), "after_idle": round(rss_idle, 1),
                   "growth": round(max(rss_loaded, rss_after_changes, rss_idle) - rss_bare, 1)},
    }


def lateness(results, sessions=24, length=2, gap=3):
    """`sessions` sessions of `length` s, `gap` s apart, starting a few seconds from now; a
    watch client notes when each break's `fired` event arrives."""
    start0 = time.time() + 6
    start0 = float(int(start0) + 1)
    spans = [(start0 + i * (length + gap), start0 + i * (length + gap) + length) for i in range(sessions)]
    daemon = Daemon(f'timezone = "UTC"\n{SLOTS_OFF}[break]\nafter_events = true\nmin_gap = "1s"\n'
                    '[calendar]\npath = "@DIR@/sessions.ics"\n')
    with open(daemon.dir + "/sessions.ics", "w") as f:
        f.write(calendar([event(f"s{i}", datetime.datetime.fromtimestamp(a, UTC), datetime.datetime.fromtimestamp(b, UTC))
                          for i, (a, b) in enumerate(spans)]))
    daemon.start()
    watch = subprocess.Popen([BIN + "/kindling", "watch", "--json"], env=daemon.env, stdout=subprocess.PIPE)
    arrivals = []

    def read():
        for line in watch.stdout:
            received = time.time()
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if item.get("event") == "fired" and item.get("slot") == "break":
                fired = datetime.datetime.fromisoformat(item["fired_at"]).timestamp()
                arrivals.append((received, fired))

    # Beside the CLI, a watcher on the socket itself: what the daemon's own delivery costs.
    direct = []

    def read_socket():
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(daemon.dir + "/run/kindling/control.sock")
        sock.sendall(b'{"v":1,"id":1,"cmd":"watch"}\n')
        for line in sock.makefile("rb"):
            received = time.time()
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if item.get("event") == "fired" and item.get("slot") == "break":
                direct.append(received)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    threading.Thread(target=read_socket, daemon=True).start()
    deadline = spans[-1][1] + 5
    while time.time() < deadline and (len(arrivals) < sessions or len(direct) < sessions):
        time.sleep(0.2)
    watch.terminate()
    watch.wait()
    daemon.stop()
    ends = [b for _, b in spans]
    # Each arrival belongs to the latest session end at or before it.
    late, fired_late = [], []
    for received, fired in arrivals:
        end = max((e for e in ends if e <= received + 0.001), default=None)
        if end is not None:
            late.append((received - end) * 1000)
            fired_late.append((fired - end) * 1000)
    socket_late = []
    for received in direct:
        end = max((e for e in ends if e <= received + 0.001), default=None)
        if end is not None:
            socket_late.append((received - end) * 1000)
    results["lateness"] = {
        "sessions": sessions, "breaks_received": len(arrivals),
        "socket_ms": {"p50": statistics.median(socket_late), "p99": pct(socket_late, 99), "max": max(socket_late),
                      "n": len(socket_late)},
        "received_ms": {"p50": statistics.median(late), "p99": pct(late, 99), "max": max(late), "n": len(late)},
        "fired_at_ms": {"p50": statistics.median(fired_late), "p99": pct(fired_late, 99), "max": max(fired_late),
                        "n": len(fired_late)},
    }


def report(r):
    s, l = r["scale"], r["lateness"]
    ok = lambda c: "✓" if c else "✗"
    rows = [
        ("Load (the daemon's own read time, wall), median / max", "≤ 100 ms",
         f"{s['load_ms']['median']:.1f} / {s['load_ms']['max']:.1f} ms (n={s['load_ms']['n']}) {ok(s['load_ms']['median'] <= 100)}"),
        ("Load, CPU time of the reading thread, median / max", "",
         f"{s['load_ms']['cpu_median']:.1f} / {s['load_ms']['cpu_max']:.1f} ms (n={s['load_ms']['n']})"),
        ("Change → new plan (file replaced → `next` shows it), p50 / p99 / max", "≤ 150 ms",
         f"{s['change_to_plan_ms']['p50']:.1f} / {s['change_to_plan_ms']['p99']:.1f} / {s['change_to_plan_ms']['max']:.1f} ms "
         f"(n={s['change_to_plan_ms']['n']}) {ok(s['change_to_plan_ms']['p99'] <= 150)}"),
        (f"Idle wakeups in {s['idle']['window_s']} s (context switches, all threads)", "0",
         f"{s['idle']['wakeups']} {ok(s['idle']['wakeups'] == 0)}"),
        ("RSS without calendar → loaded → after changes → after idle (MB)", "growth ≤ 5 MB",
         f"{s['rss_mb']['without_calendar']} → {s['rss_mb']['loaded']} → {s['rss_mb']['after_changes']} → "
         f"{s['rss_mb']['after_idle']} (growth {s['rss_mb']['growth']}) {ok(s['rss_mb']['growth'] <= 5)}"),
        ("Break after a session: `fired` received on `watch --json` − session end, p50 / p99 / max", "p99 ≤ 1 s",
         f"{l['received_ms']['p50']:.1f} / {l['received_ms']['p99']:.1f} / {l['received_ms']['max']:.1f} ms "
         f"(n={l['received_ms']['n']} of {l['sessions']} sessions) {ok(l['received_ms']['p99'] <= 1000 and l['breaks_received'] == l['sessions'])}"),
        ("Same, the event's `fired_at` − session end", "",
         f"{l['fired_at_ms']['p50']:.1f} / {l['fired_at_ms']['p99']:.1f} / {l['fired_at_ms']['max']:.1f} ms (n={l['fired_at_ms']['n']})"),
        ("Same, received by a watcher on the control socket (no CLI between)", "",
         f"{l['socket_ms']['p50']:.1f} / {l['socket_ms']['p99']:.1f} / {l['socket_ms']['max']:.1f} ms (n={l['socket_ms']['n']})"),
    ]
    text = "## The calendar at scale (issue 17)\n\n"
    text += (f"A generated calendar of {s['events']:,} events ({s['weekly']} of them weekly, 104 weeks each) over two years, "
             f"{s['file_mb']} MB, in one file; a release build; {r['machine']}, load average {r['load_average'][0]} at the start "
             f"and {r['load_average'][1]} at the end; {r['when']}.\n\n")
    text += "| Figure | Target | Kindling |\n|---|---|---|\n" + "".join(f"| {a} | {b} | {c} |\n" for a, b, c in rows)
    text += ("\nLoad is the daemon's own measure of a whole read (libical parsing, recurrence expansion over the "
             "two-week horizon, sorting), logged as `read in X ms`: once at start, then once for each change. Change → new "
             "plan is measured from the rename that replaces the file to the first `next` reply, on the control socket, "
             "that lists the new session's break. Lateness: "
             f"{l['sessions']} sessions of 2 s, 3 s apart, `min_gap = \"1s\"`; the figure is when the `fired` line reached "
             "a `kindling watch --json` client.\n")
    return text


def main():
    results = {"when": datetime.datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": f"{os.cpu_count()} cores, {os.uname().release}"}
    load_before = os.getloadavg()[0]
    scale(results)
    lateness(results)
    results["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    out = os.path.join(HERE, "results")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "calendar.json"), "w") as f:
        json.dump(results, f, indent=2)
    text = report(results)
    with open(os.path.join(out, "calendar.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
