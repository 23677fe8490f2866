#!/usr/bin/env bash
# The canonical sweep: 1,000,000 synthetic bars (seed 42), SMA crossover
# long-only, fills at the close, commission 0.001, grid fast 5..=100 step 5 x
# slow 20..=300 step 10 with fast < slow (499 trials). Times the whole
# `tradelab optimize` process and its peak memory; runs the same sweep in
# vectorbt when it is installed (pip install vectorbt) for comparison.
source "$(dirname "$0")/common.sh"
"$bin" -q data synth --bars 1000000 --seed 42 --out "$work/synth.csv"
for jobs in 1 2; do
  /usr/bin/time -f "%e s wall, %M KB peak" -o "$work/time" \
    "$bin" -q optimize benches/sweep_sma.toml --data "$work/synth.csv" --jobs "$jobs" --out "$work/out$jobs" --json > "$work/best$jobs.json"
  trials=$(python3 -c "import json; print(json.load(open('$work/best$jobs.json'))['trials'])")
  secs=$(cut -d' ' -f1 "$work/time")
  echo "tradelab optimize --jobs $jobs: $trials trials, $(cat "$work/time"), $(python3 -c "print(f'{$trials/$secs:.0f} trials/s, {$trials*1e6/$secs:.3g} bar-trials/s')")"
done
cmp "$work/out1/trials.csv" "$work/out2/trials.csv" && echo "trials.csv identical for --jobs 1 and 2"
if python3 -c "import vectorbt" 2>/dev/null; then
  python3 - "$work/synth.csv" <<'PY'
import gc, sys, time, numpy as np, pandas as pd, vectorbt as vbt
df = pd.read_csv(sys.argv[1], parse_dates=["timestamp"], index_col="timestamp")
close = df["close"]
fast, slow = np.arange(5, 101, 5), np.arange(20, 301, 10)
pairs = [(f, s) for f in fast for s in slow if f < s]
t = time.perf_counter()
# Chunks of 10 trials: larger chunks need more than this machine's 24 GB.
for i in range(0, len(pairs), 10):
    chunk = pairs[i:i + 10]
    f = vbt.MA.run(close, [p[0] for p in chunk], short_name="fast")
    s = vbt.MA.run(close, [p[1] for p in chunk], short_name="slow")
    entries = f.ma_crossed_above(s.ma.values)
    exits = f.ma_crossed_below(s.ma.values)
    vbt.Portfolio.from_signals(close, entries, exits, fees=0.001, init_cash=10000, freq="1min").sharpe_ratio()
    del f, s, entries, exits
    gc.collect()
print(f"vectorbt {vbt.__version__}: {len(pairs)} trials in {time.perf_counter() - t:.1f} s")
PY
else
  echo "vectorbt not installed: pip install vectorbt to compare"
fi
