#!/usr/bin/env python3
# `kindling program check` of a long program: writes a 200-step file (three intentions, two
# nudges and two reflections a step, about 116 KiB) and times the CLI checking it, beside
# `kindling --version` (the CLI's own start). Needs no daemon. Run on a release build:
#   swift build -c release --static-swift-stdlib && python3 Benchmarks/program_check.py [N]
import os, resource, statistics, subprocess, sys, tempfile, time

def write_program(path, steps=200):
    with open(path, "w") as f:
        f.write('name = "long-road"\ntitle = "A long road"\n')
        f.write('description = "Two hundred days, each with its own small kindness."\nsteps_by = "day"\n')
        for n in range(1, steps + 1):
            f.write(f'\n[[step]]\ntitle = "Day {n} of the long road"\n')
            f.write("intention = [\n" + "".join(
                f'    "On day {n}, whom could you offer a small kindness to, in a way that suits you today? ({k})",\n'
                for k in range(1, 4)) + "]\n")
            f.write(f'nudge = ["Offer one warm word to someone on day {n}, and notice how it feels.", '
                    f'"Hold a door, or a thought, for someone today ({n})."]\n')
            f.write(f'reflection = ["What kindness did you give or receive on day {n}?", '
                    f'"Where did kindness surprise you today ({n})?"]\n')

def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 31
    here = os.path.dirname(os.path.abspath(__file__))
    binary = os.environ.get("KINDLING_BIN_DIR", os.path.join(here, "..", ".build", "release")) + "/kindling"
    folder = tempfile.mkdtemp(prefix="program-check.")
    path = folder + "/long-road.toml"
    write_program(path)
    env = dict(os.environ, HOME=folder, XDG_RUNTIME_DIR=folder + "/run", XDG_CONFIG_HOME=folder + "/c",
               XDG_DATA_HOME=folder + "/d")
    def measure(args):
        """Wall-clock and CPU (user + system) milliseconds of each run: on a shared, loaded
        machine the CPU time says more about the work than the wall clock does."""
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            out = subprocess.run([binary] + args, env=env, capture_output=True, text=True)
            walls.append((time.perf_counter() - start) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
            assert out.returncode == 0, out.stderr
        return walls, cpus
    measure(["program", "check", path])  # warm the page cache
    base, base_cpu = measure(["--version"])
    check, check_cpu = measure(["program", "check", path])
    size = os.path.getsize(path)
    print(f"program check, 200 steps ({size / 1024:.0f} KiB), n={runs}: wall median {statistics.median(check):.1f} ms, "
          f"p90 {sorted(check)[int(runs * 0.9)]:.1f} ms, max {max(check):.1f} ms; CPU median "
          f"{statistics.median(check_cpu):.1f} ms. kindling --version: wall median {statistics.median(base):.1f} ms, "
          f"CPU median {statistics.median(base_cpu):.1f} ms")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

if __name__ == "__main__":
    main()
