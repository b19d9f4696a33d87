"""Driver of scripts/bench.sh: runs each tool under /usr/bin/time -v, rounds
interleaved so machine noise hits all tools alike, and prints medians."""

import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile

# Both do the simpler job the issue sets them: read every column as text,
# keep the first row per original id, count and average followers by
# province.
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

POLARS_JOB = """
import polars as pl, sys
for path in sys.argv[1:]:
    rows = (pl.scan_csv(path, infer_schema=False)
            .unique(subset=["original_id"], keep="first", maintain_order=True)
            .group_by("province")
            .agg(pl.len(), pl.col("followers").cast(pl.Int64, strict=False).mean())
            .sort("province")
            .collect())
    print(path, rows.height, 'provinces')
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
    """Per-stage (wall s, cpu s) from govwx's log; a stage seen twice
    (subject and baseline period) is summed."""
    found = {}
    for name, wall, cpu in re.findall(r"stage ([\w+ ]+): ([\d.]+)s \(cpu ([\d.]+)s", stderr):
        w, c = found.get(name, (0.0, 0.0))
        found[name] = (w + float(wall), c + float(cpu))
    return found


def govwx(args, input_dir, threads):
    out = tempfile.mkdtemp(prefix="govwx-out-", dir=args.dir)
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    result = timed([args.govwx, "-v", "run", "--input", input_dir, "--output", out + "/o",
                    "--force"], env)
    subprocess.run(["rm", "-rf", out])
    return result


def print_stages(runs):
    per_stage = {}
    for *_, err in runs:
        for name, (wall, cpu) in stages(err).items():
            per_stage.setdefault(name, []).append((wall, cpu))
    for name, values in per_stage.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        print(f"  {name:24} {wall:7.3f}s wall {cpu:7.3f}s cpu")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--govwx"); p.add_argument("--floor"); p.add_argument("--dir")
    p.add_argument("--input"); p.add_argument("--rounds", type=int)
    p.add_argument("--scaled", nargs="*", default=[])
    args = p.parse_args()
    # The files DuckDB and Polars read as they are: the platform exports.
    tables = sorted(glob.glob(f"{args.input}/*/platform.csv"))
    jobs = {}
    for name, text in (("duckdb", DUCKDB_JOB), ("polars", POLARS_JOB)):
        jobs[name] = f"{args.dir}/{name}_job.py"
        open(jobs[name], "w").write(text)
    tools = {
        "floor": lambda: timed([args.floor, args.input]),
        "duckdb": lambda: timed([sys.executable, jobs["duckdb"]] + tables),
        "polars": lambda: timed([sys.executable, jobs["polars"]] + tables),
        "govwx-2t": lambda: govwx(args, args.input, 2),
        "govwx-1t": lambda: govwx(args, args.input, 1),
    }
    runs = {name: [] for name in tools}
    for round_ in range(args.rounds):
        for name, run in tools.items():
            runs[name].append(run())
            wall, cpu, rss, _ = runs[name][-1]
            print(f"round {round_ + 1} {name:9} wall {wall:7.2f}s cpu {cpu:7.2f}s rss {rss:7.0f} MB",
                  file=sys.stderr)
    med = {n: tuple(statistics.median(r[i] for r in rs) for i in range(3)) for n, rs in runs.items()}
    print(f"\nmedians over {args.rounds} interleaved rounds ({args.input})")
    print(f"{'tool':10} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12}")
    for name, (wall, cpu, rss) in med.items():
        print(f"{name:10} {wall:8.2f} {cpu:8.2f} {rss:12.0f}")
    g, g1, f, d = med["govwx-2t"], med["govwx-1t"], med["floor"], med["duckdb"]
    print(f"\ngovwx (2 threads) / DuckDB (wall)  {g[0] / d[0]:.2f}   target < 1.0, aim 0.5")
    print(f"govwx (2 threads) / floor (wall)   {g[0] / f[0]:.2f}   target <= 3")
    print(f"1 thread / 2 threads (wall)        {g1[0] / g[0]:.2f}   target >= 1.7")
    print("\ngovwx 2 threads, median per stage:")
    print_stages(runs["govwx-2t"])
    for input_dir in args.scaled:
        wall, cpu, rss, err = govwx(args, input_dir, 2)
        print(f"\n{input_dir}: govwx 2 threads wall {wall:.2f}s cpu {cpu:.2f}s peak RSS {rss:.0f} MB")
        print_stages([(wall, cpu, rss, err)])


if __name__ == "__main__":
    main()
