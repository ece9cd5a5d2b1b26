#!/usr/bin/env python3
# Firing lateness of one kindlingd, alone and quickly (the firing part of `make bench` without
# the peers): N custom slots a second apart, a watch client on the socket that timestamps each
# `fired` line on arrival, and the hook (Benchmarks/tools/hookrec.c, when cc is there) that
# timestamps its own start. Prints p50 / p99 / max in ms from the scheduled instant, and the
# daemon's CPU per fired prompt (/proc schedstat of every thread, before and after).
#
#   python3 Benchmarks/fire_lateness.py [BIN_DIR] [N]     (defaults: .build/release, 50)
import json, math, os, shutil, socket, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", ".build", "release"))
N = int(sys.argv[2]) if len(sys.argv) > 2 else 50
LEAD = 4  # seconds between the start and the first slot


def pct(xs, p):
    """Nearest-rank percentile; with fewer than 100 samples p99 is the maximum."""
    s = sorted(xs)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)] if s else float("nan")


def cpu_seconds(pid):
    """CPU time of every thread (schedstat: nanoseconds, finer than utime + stime's ticks)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except FileNotFoundError:
            pass  # a thread that just ended
    return total / 1e9


def main():
    work = tempfile.mkdtemp(prefix="kindling-lateness.")
    os.chmod(work, 0o700)
    for d in ("run", "data"):
        os.makedirs(os.path.join(work, d), mode=0o700)
    hooks_log = os.path.join(work, "hooks.log")
    hookrec = os.path.join(work, "hookrec")
    hook = ""
    if shutil.which("cc") and subprocess.run(["cc", "-O2", "-o", hookrec, os.path.join(HERE, "tools", "hookrec.c")]).returncode == 0:
        hook = f'command = "{hookrec} {hooks_log} kindling"\n'
    first = math.ceil(time.time()) + LEAD
    times = [first + i for i in range(N)]
    config = ['timezone = "UTC"', "[intention]\nenabled = false\n[nudge]\nenabled = false",
              "[reflection]\nenabled = false\n[review]\nenabled = false",
              "[delivery]\ndesktop = false\n" + hook]
    for i, t in enumerate(times):
        at = time.strftime("%H:%M:%S", time.gmtime(t))
        config.append(f'[[custom]]\nname = "late{i:03d}"\nat = "{at}"\nvalid_for = "1h"\ntext = "Sample {i}."')
    with open(os.path.join(work, "config.toml"), "w") as f:
        f.write("\n".join(config) + "\n")
    sock = os.path.join(work, "run", "control.sock")
    env = {"PATH": "/usr/bin:/bin", "TZ": "UTC", "HOME": work, "XDG_RUNTIME_DIR": work + "/run",
           "KINDLING_DATA_DIR": work + "/data", "KINDLING_SOCKET": sock, "SWIFT_BACKTRACE": "enable=no"}
    log = open(os.path.join(work, "daemon.log"), "w")
    daemon = subprocess.Popen([BIN + "/kindlingd", "--config", work + "/config.toml", "--socket", sock],
                              env=env, stdout=log, stderr=log)
    try:
        while not os.path.exists(sock):
            if daemon.poll() is not None:
                sys.exit(f"kindlingd exited; see {work}/daemon.log")
            time.sleep(0.02)
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(100):
            try:
                client.connect(sock)
                break
            except OSError:
                time.sleep(0.02)
        client.sendall(b'{"v":1,"id":1,"cmd":"watch"}\n')
        lines = client.makefile("rb")
        received = {}

        def read():
            for line in lines:
                now = time.time()
                event = json.loads(line)
                if event.get("event") == "fired":
                    received[event["slot"]] = now
        threading.Thread(target=read, daemon=True).start()
        time.sleep(max(0, first - 1 - time.time()))
        cpu_before = cpu_seconds(daemon.pid)
        time.sleep(max(0, times[-1] + 1 - time.time()))
        cpu = cpu_seconds(daemon.pid) - cpu_before
    finally:
        daemon.terminate()
        daemon.wait()
    watch = [(received[f"late{i:03d}"] - t) * 1000 for i, t in enumerate(times) if f"late{i:03d}" in received]
    hooks = []
    if os.path.exists(hooks_log):
        by_slot = {}
        for line in open(hooks_log):
            words = line.split()
            by_slot[words[2]] = float(words[1])
        hooks = [(by_slot[f"late{i:03d}"] - t) * 1000 for i, t in enumerate(times) if f"late{i:03d}" in by_slot]
    for name, xs in (("watch `fired` line", watch), ("hook start", hooks)):
        if xs:
            print(f"{name}: p50 {pct(xs, 50):.2f} / p99 {pct(xs, 99):.2f} / max {max(xs):.2f} ms (n={len(xs)})")
            if os.environ.get("LATENESS_VERBOSE"):
                print("  samples: " + " ".join(f"{x:.2f}" for x in xs))
    print(f"CPU per fired prompt: {cpu * 1000 / N:.2f} ms (schedstat of every thread over {N} prompts)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
