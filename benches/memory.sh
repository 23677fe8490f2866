#!/usr/bin/env bash
# Sweep memory: random sweeps of sma_cross on BTCUSD (156 bars) with 10,000
# and 100,000 trials, and on EURUSD (5,000 bars) with 10,000, each under a
# virtual-memory cap (ulimit -v, default 1 GiB). Prints wall time, peak
# resident memory and the growth per trial. The sweep keeps one row per trial
# (parameters, 38 metrics, 16 block returns) and nothing per bar.
source "$(dirname "$0")/common.sh"
cap_kb="${CAP_KB:-1048576}"
sweep() { # data, trials → "seconds peak_kb"
  rm -rf "$work/out"
  ( ulimit -v "$cap_kb"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" -q optimize strategies/sma_cross.toml \
      --data "$1" --method random --trials "$2" --seed 1 --out "$work/out" --json > /dev/null )
  cat "$work/time"
}
echo "cap: ulimit -v $cap_kb KB"
read -r s1 m1 <<< "$(sweep datasets/BTCUSD.csv 10000)"
echo "BTCUSD,  10,000 trials: $s1 s, $m1 KB peak"
read -r s2 m2 <<< "$(sweep datasets/BTCUSD.csv 100000)"
echo "BTCUSD, 100,000 trials: $s2 s, $m2 KB peak"
read -r s3 m3 <<< "$(sweep datasets/EURUSD.csv 10000)"
echo "EURUSD,  10,000 trials: $s3 s, $m3 KB peak"
python3 -c "print(f'growth: {($m2 - $m1) / 90000:.2f} KB per trial (BTCUSD 10k -> 100k); EURUSD - BTCUSD at 10k: {($m3 - $m1) / 1024:.1f} MB')"
