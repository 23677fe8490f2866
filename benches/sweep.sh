#!/usr/bin/env bash
# The canonical sweep: 1,000,000 synthetic bars (seed 42), SMA crossover
# long-only, fills at the close, commission 0.001, grid fast 5..=100 step 5 x
# slow 20..=300 step 10 with fast < slow (499 trials). Times the whole
# `tradelab optimize` process and its peak memory; then the same sweep in
# vectorbt (numba and rust engines) and raptorbt, and the ratios.
source "$(dirname "$0")/common.sh"
"$bin" -q data synth --bars 1000000 --seed 42 --out "$work/synth.csv"
# tradelab's process takes about a second, so one run is at the mercy of the
# host (page zeroing varies run to run); each is timed RUNS times (default 5)
# and the median reported, the runs beside it. The peers run once: each takes
# minutes.
runs="${RUNS:-5}"
for jobs in 1 2; do
  : > "$work/times$jobs"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/one" \
      "$bin" -q optimize benches/sweep_sma.toml --data "$work/synth.csv" --jobs "$jobs" --out "$work/out$jobs" --json > "$work/best$jobs.json"
    cat "$work/one" >> "$work/times$jobs"
  done
  trials=$(python3 -c "import json; print(json.load(open('$work/best$jobs.json'))['trials'])")
  python3 - "$work/times$jobs" "$jobs" "$trials" "$work/time$jobs" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
secs = [float(r[0]) for r in rows]
peak = max(int(r[1]) for r in rows)
med = statistics.median(secs)
trials = int(sys.argv[3])
open(sys.argv[4], "w").write(f"{med}\n")
runs = ", ".join(f"{s:.2f}" for s in secs)
print(f"tradelab optimize --jobs {sys.argv[2]}: {trials} trials, median {med:.2f} s wall of {len(secs)} "
      f"({runs}), {peak} KB peak, {trials/med:.0f} trials/s, {trials*1e6/med:.3g} bar-trials/s")
PY
done
cmp "$work/out1/trials.csv" "$work/out2/trials.csv" && echo "trials.csv identical for --jobs 1 and 2"
# The peers, side by side in the same run, from a venv this script makes
# once (PEER_VENV, default ~/.cache/tradelab-peers): vectorbt with both
# engines and raptorbt. PEERS=0 skips them.
if [ "${PEERS:-1}" = 1 ]; then
  venv="${PEER_VENV:-$HOME/.cache/tradelab-peers}"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q vectorbt vectorbt-rust raptorbt
  fi
  "$venv/bin/python" -W ignore benches/sweep_peers.py "$work/synth.csv" "$work/out2/trials.csv" | tee "$work/peers"
  python3 - "$work/peers" "$work/time2" <<'PY'
import re, sys
ours = float(open(sys.argv[2]).read().split()[0])
for line in open(sys.argv[1]):
    m = re.match(r"(.+?): \d+ trials in ([\d.]+) s", line)
    if m:
        print(f"{m.group(1)} / tradelab --jobs 2: {float(m.group(2)) / ours:.0f}x")
PY
fi
