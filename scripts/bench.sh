#!/usr/bin/env bash
# One-command benchmark: generates the input outside the repository, then,
# in one interleaved session, runs the csv-crate floor, DuckDB's and
# Polars' simpler job, and `govwx run` on 2 threads and on 1, and prints
# medians, ratios, peak RSS and govwx's stages. See BENCHMARKS.md.
#
#   scripts/bench.sh                      # one 2,000,000-row registry export, 3 rounds
#   ROWS=500000 ROUNDS=5 scripts/bench.sh
#   SCALE_ROWS="8000000" scripts/bench.sh # also govwx alone at 4x the rows (docs/SCALING.md)
#   INPUT=/tmp/govwx-bench/scale36/input scripts/bench.sh   # any input folder
#                                         # (DuckDB and Polars then read its */platform.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BENCH_DIR:=/tmp/govwx-bench}" "${ROWS:=2000000}" "${ROUNDS:=3}" "${SCALE_ROWS:=}" "${INPUT:=}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet --bin govwx --example csv_floor
python3 -c "import duckdb, polars" 2>/dev/null || pip install --quiet duckdb polars
flat() {
  local dir="$BENCH_DIR/flat$1"
  if [ ! -f "$dir/input/2014/platform.csv" ]; then
    echo "generating $1 rows into $dir (once)" >&2
    python3 scripts/flat_input.py "$dir/input" "$1"
  fi
  echo "$dir/input"
}
[ -n "$INPUT" ] || INPUT=$(flat "$ROWS")
scaled=()
for rows in $SCALE_ROWS; do scaled+=("$(flat "$rows")"); done
exec python3 scripts/bench.py --govwx "$CARGO_TARGET_DIR/release/govwx" \
  --floor "$CARGO_TARGET_DIR/release/examples/csv_floor" --dir "$BENCH_DIR" \
  --input "$INPUT" --rounds "$ROUNDS" --scaled "${scaled[@]}"
