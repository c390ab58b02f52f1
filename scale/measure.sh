#!/usr/bin/env bash
# Compile-time budget of large schemas: for 10, 50 and 100 models (each schema twice: a chain
# and a random graph, see build.rs), the debug build time of the generated crate alone (its
# dependencies already built), the time to rebuild it after one model changes, and the size
# of the expanded code. Prints a Markdown table for docs/performance.md.
#
# usage: scale/measure.sh [N ...]      (from the workspace root; default: 10 50 100)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10 50 100}")
[ $# -gt 0 ] || sizes=(10 50 100)

seconds() { # command...: wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

# Dependencies first, so that the timings are of the generated code only.
TRELLIS_SCALE_MODELS=1 cargo build --quiet -p trellis-scale

echo "| models per schema | clean build of the schemas (s) | after one model changes (s) | expanded code (lines) | expanded lines per model |"
echo "|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  export TRELLIS_SCALE_MODELS=$n TRELLIS_SCALE_TOUCH=0
  cargo clean --quiet -p trellis-scale
  clean=$(seconds cargo build -p trellis-scale)
  incremental=$(TRELLIS_SCALE_TOUCH=1 seconds cargo build -p trellis-scale)
  # The expanded code, through the compiler's own printer (a stable toolchain allows it with
  # RUSTC_BOOTSTRAP for this measurement only).
  lines=$(RUSTC_BOOTSTRAP=1 cargo rustc --quiet -p trellis-scale --bin trellis-scale -- -Zunpretty=expanded 2>/dev/null | wc -l)
  # Both schemas: the chain has n models, the graph n plus a join model per five.
  models=$((n + n + n / 5))
  printf "| %s | %.1f | %.1f | %s | %s |\n" "$n" "$clean" "$incremental" "$lines" "$((lines / models))"
done
