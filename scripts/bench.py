"""Driver of scripts/bench.sh: runs each tool under /usr/bin/time -v, rounds
interleaved so machine noise hits all tools alike, and prints medians."""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

DUCKDB_JOB = """
import duckdb, sys
con = duckdb.connect()
for path in sys.argv[1:]:
    rows = con.execute(f'''
        WITH raw AS (SELECT *, row_number() OVER () AS line
                     FROM read_csv('{path}', header=true, all_varchar=true)),
             firsts AS (SELECT * FROM raw
                        QUALIFY row_number() OVER (PARTITION BY original_id ORDER BY line) = 1)
        SELECT province, count(*), avg(TRY_CAST(followers AS BIGINT))
        FROM firsts GROUP BY province ORDER BY province''').fetchall()
    print(path, len(rows), 'provinces')
"""


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v: (wall s, cpu s, peak RSS MB, stderr)."""
    done = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 3):
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    err = done.stderr
    def field(name):
        return re.search(re.escape(name) + r": (.*)", err).group(1).strip()
    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return wall, cpu, rss, err


def stages(stderr):
    """Per-stage seconds from govwx's log; a stage seen twice (subject and
    baseline period) is summed."""
    found = {}
    for name, secs in re.findall(r"stage ([\w+ ]+): ([\d.]+)s", stderr):
        found[name] = found.get(name, 0.0) + float(secs)
    return found


def govwx(args, input_dir, threads):
    out = tempfile.mkdtemp(prefix="govwx-out-", dir=args.dir)
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads), RUST_LOG="info")
    result = timed([args.govwx, "run", "--input", input_dir, "--output", out + "/o", "--force"], env)
    subprocess.run(["rm", "-rf", out])
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--govwx"); p.add_argument("--floor"); p.add_argument("--dir")
    p.add_argument("--scale", type=int); p.add_argument("--rounds", type=int)
    p.add_argument("--rss-scales", type=int, nargs="*", default=[])
    args = p.parse_args()
    input_dir = f"{args.dir}/scale{args.scale}/input"
    platforms = sorted(f"{input_dir}/{d}/platform.csv" for d in os.listdir(input_dir)
                       if os.path.exists(f"{input_dir}/{d}/platform.csv"))
    job = f"{args.dir}/duckdb_job.py"
    open(job, "w").write(DUCKDB_JOB)
    # The same input for all three tools: each period's platform export alone
    # (the files DuckDB can read as they are), linked into a folder of its own.
    same = f"{args.dir}/scale{args.scale}/platform-only"
    for path in platforms:
        period = os.path.basename(os.path.dirname(path))
        os.makedirs(f"{same}/{period}", exist_ok=True)
        link = f"{same}/{period}/platform.csv"
        if not os.path.exists(link):
            os.link(path, link)  # a hard link: the floor does not follow symlinks
    tools = {
        "floor": lambda: timed([args.floor, input_dir]),
        "govwx-2t": lambda: govwx(args, input_dir, 2),
        "govwx-1t": lambda: govwx(args, input_dir, 1),
        "floor-p": lambda: timed([args.floor, same]),
        "govwx-p": lambda: govwx(args, same, 2),
        "duckdb-p": lambda: timed([sys.executable, job] + platforms),
    }
    runs = {name: [] for name in tools}
    for round_ in range(args.rounds):
        for name, run in tools.items():
            runs[name].append(run())
            wall, cpu, rss, _ = runs[name][-1]
            print(f"round {round_ + 1} {name:9} wall {wall:7.2f}s cpu {cpu:7.2f}s rss {rss:7.0f} MB",
                  file=sys.stderr)
    med = {n: tuple(statistics.median(r[i] for r in rs) for i in range(3)) for n, rs in runs.items()}
    print(f"\nmedians over {args.rounds} interleaved rounds, scale {args.scale} ({input_dir})")
    print(f"{'tool':10} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12}")
    for name, (wall, cpu, rss) in med.items():
        print(f"{name:10} {wall:8.2f} {cpu:8.2f} {rss:12.0f}")
    g, g1, f = med["govwx-2t"], med["govwx-1t"], med["floor"]
    gp, fp, dp = med["govwx-p"], med["floor-p"], med["duckdb-p"]
    print("\nevery input file (registry and activity, both periods):")
    print(f"  govwx/floor  (wall) {g[0] / f[0]:.2f}   target <= 3")
    print(f"  1 thread / 2 threads: wall {g1[0] / g[0]:.2f}, cpu {g1[1] / g[1]:.2f}   target >= 1.5")
    print("the platform exports alone (the same files for all three tools):")
    print(f"  govwx/floor  (wall) {gp[0] / fp[0]:.2f}   target <= 3")
    print(f"  govwx/DuckDB (wall) {gp[0] / dp[0]:.2f}   target < 1.0, aim 0.5")
    per_stage = {}
    for *_, err in runs["govwx-2t"]:
        for name, secs in stages(err).items():
            per_stage.setdefault(name, []).append(secs)
    print("\ngovwx 2 threads, median per stage (subject + baseline period):")
    for name, secs in per_stage.items():
        print(f"  {name:24} {statistics.median(secs):7.3f}s")
    for scale in args.rss_scales:
        wall, cpu, rss, _ = govwx(args, f"{args.dir}/scale{scale}/input", 2)
        print(f"\nscale {scale}: govwx peak RSS {rss:.0f} MB, wall {wall:.2f}s")


if __name__ == "__main__":
    main()
