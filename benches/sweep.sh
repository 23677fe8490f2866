#!/usr/bin/env bash
# The canonical sweep: 1,000,000 synthetic bars (seed 42), SMA crossover
# long-only, fills at the close, commission 0.001, grid fast 5..=100 step 5 x
# slow 20..=300 step 10 with fast < slow (499 trials). Times the whole
# `tradelab optimize` process and its peak memory; then the same sweep in
# vectorbt (numba and rust engines) and raptorbt, and the ratios.
source "$(dirname "$0")/common.sh"
"$bin" -q data synth --bars 1000000 --seed 42 --out "$work/synth.csv"
for jobs in 1 2; do
  /usr/bin/time -f "%e s wall, %M KB peak" -o "$work/time$jobs" \
    "$bin" -q optimize benches/sweep_sma.toml --data "$work/synth.csv" --jobs "$jobs" --out "$work/out$jobs" --json > "$work/best$jobs.json"
  trials=$(python3 -c "import json; print(json.load(open('$work/best$jobs.json'))['trials'])")
  secs=$(cut -d' ' -f1 "$work/time$jobs")
  echo "tradelab optimize --jobs $jobs: $trials trials, $(cat "$work/time$jobs"), $(python3 -c "print(f'{$trials/$secs:.0f} trials/s, {$trials*1e6/$secs:.3g} bar-trials/s')")"
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
