#!/usr/bin/env bash
# One-command benchmark (issue "Fast at scale"): generates the scaled
# sample outside the repository, then, in one interleaved session, runs the
# csv-crate floor, `govwx run` on 2 threads and on 1, and the DuckDB job,
# and prints medians, ratios and peak RSS. See BENCHMARKS.md.
#
#   scripts/bench.sh                 # scale 36 (~2,000,000 registry rows in 2014), 3 rounds
#   SCALE=9 ROUNDS=5 scripts/bench.sh
#   RSS_SCALES="9 36" scripts/bench.sh   # also peak RSS at 1/4 and 1x the rows
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BENCH_DIR:=/tmp/govwx-bench}" "${SCALE:=36}" "${ROUNDS:=3}" "${RSS_SCALES:=}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet --bin govwx --example csv_floor
cargo build --release --quiet -p govwx-sample
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
GOVWX="$CARGO_TARGET_DIR/release/govwx"
FLOOR="$CARGO_TARGET_DIR/release/examples/csv_floor"
for scale in $SCALE $RSS_SCALES; do
  if [ ! -d "$BENCH_DIR/scale$scale/input" ]; then
    echo "generating scale $scale into $BENCH_DIR/scale$scale (once)" >&2
    mkdir -p "$BENCH_DIR/scale$scale"
    "$CARGO_TARGET_DIR/release/govwx-sample" -q --scale "$scale" --out "$BENCH_DIR/scale$scale/input" \
      --truth "$BENCH_DIR/scale$scale/truth"
  fi
done
exec python3 scripts/bench.py --govwx "$GOVWX" --floor "$FLOOR" --dir "$BENCH_DIR" \
  --scale "$SCALE" --rounds "$ROUNDS" --rss-scales $RSS_SCALES
