#!/usr/bin/env bash
# Compile-time budget of a large schema, as a developer meets it: for schemas of N models (the
# `service` schema of build.rs by default: a random graph, one file per model, one filtered
# query with one level of nested relations per model), the debug build of the generated crate
# alone (its dependencies already built):
#
# - clean build, and `cargo check` from clean;
# - build, and `cargo check`, after one model gains a column (incremental, as after an edit);
# - the expanded code, in lines and lines per model.
#
# Rounds alternate over the sizes (N = 10, 50, 100, then again), so that a change in the
# machine's load reaches every size alike; each cell lists the rounds' times. Prints a Markdown
# table for docs/performance.md, with the load average before and after.
#
# usage: scale/measure.sh [N ...]   (from anywhere; default: 10 50 100)
# env:   ROUNDS (default 2), TRELLIS_SCALE_SCHEMAS (default service; chain,graph,service: all)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ $# -gt 0 ] || sizes=(10 50 100)
rounds=${ROUNDS:-2}
export TRELLIS_SCALE_SCHEMAS=${TRELLIS_SCALE_SCHEMAS:-service}

seconds() { # command...: wall time in seconds, one decimal
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  printf "%.1f" "$(echo "$end - $start" | bc)"
}

# Dependencies first, so that the timings are of the generated code only.
TRELLIS_SCALE_MODELS=1 cargo build --quiet -p trellis-scale
TRELLIS_SCALE_MODELS=1 cargo check --quiet -p trellis-scale

declare -A clean rebuild check_clean check_after lines models
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$rounds"); do
  for n in "${sizes[@]}"; do
    export TRELLIS_SCALE_MODELS=$n TRELLIS_SCALE_TOUCH=0
    cargo clean --quiet -p trellis-scale
    t=$(seconds cargo build -p trellis-scale)
    clean[$n]+="${clean[$n]:+ / }$t"
    t=$(TRELLIS_SCALE_TOUCH=1 seconds cargo build -p trellis-scale)
    rebuild[$n]+="${rebuild[$n]:+ / }$t"
    t=$(seconds cargo check -p trellis-scale)
    check_clean[$n]+="${check_clean[$n]:+ / }$t"
    t=$(TRELLIS_SCALE_TOUCH=1 seconds cargo check -p trellis-scale)
    check_after[$n]+="${check_after[$n]:+ / }$t"
    if [ "$round" = 1 ]; then
      # The expanded code, through the compiler's own printer (a stable toolchain allows it
      # with RUSTC_BOOTSTRAP for this measurement only).
      lines[$n]=$(RUSTC_BOOTSTRAP=1 cargo rustc --quiet -p trellis-scale --bin trellis-scale -- -Zunpretty=expanded 2>/dev/null | wc -l)
      # The models and join models the run reports.
      models[$n]=$(TRELLIS_SCALE_TOUCH=0 cargo run --quiet -p trellis-scale | grep -o '[0-9]* models' | awk '{s += $1} END {print s}')
    fi
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "Schemas: $TRELLIS_SCALE_SCHEMAS; $rounds rounds; load average before: $load_before, after: $load_after"
echo
echo "| models (N) | models and join models | clean build (s) | build after one model changes (s) | \`cargo check\` clean (s) | \`cargo check\` after the change (s) | expanded lines | per model |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  echo "| $n | ${models[$n]} | ${clean[$n]} | ${rebuild[$n]} | ${check_clean[$n]} | ${check_after[$n]} | ${lines[$n]} | $((lines[$n] / models[$n])) |"
done
