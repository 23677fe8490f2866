#!/usr/bin/env bash
# Report writing: `tradelab run --report json,html,pdf,xlsx` (the whole
# process: load, backtest, charts, PDF, workbook) on GOOG (2,148 bars) and on
# 1,000,000 synthetic minute bars (seed 1), best of 3, plus each format alone
# on 1M.
source "$(dirname "$0")/common.sh"
"$bin" -q data synth --bars 1000000 --seed 1 --out "$work/m1.csv"
best() { # label, then the command; prints the best wall time of 3 runs
  local label="$1"; shift
  local b=""
  for _ in 1 2 3; do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" --out "$work/out" > /dev/null
    read -r s kb < "$work/time"
    if [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if $s < $b else 1)"; then b="$s"; peak="$kb"; fi
  done
  echo "$label: ${b} s wall, ${peak} KB peak"
}
best "GOOG, json,html,pdf,xlsx" "$bin" -q run strategies/sma_cross.toml --report json,html,pdf,xlsx
best "GOOG against the S&P 500, json,html,pdf,xlsx" "$bin" -q run strategies/sma_cross.toml --benchmark datasets/sp500_index.csv --report json,html,pdf,xlsx
best "1M bars, json,html,pdf,xlsx" "$bin" -q run strategies/sma_cross.toml --data "$work/m1.csv" --report json,html,pdf,xlsx
for f in json html pdf xlsx; do
  best "1M bars, $f only" "$bin" -q run strategies/sma_cross.toml --data "$work/m1.csv" --report "$f"
done
