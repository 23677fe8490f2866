#!/usr/bin/env bash
# Sweep memory: random sweeps of sma_cross on BTCUSD (156 bars) with 10,000
# and 100,000 trials, and on EURUSD (5,000 bars) with 10,000, each under a
# virtual-memory cap (ulimit -v, default 1 GiB). Prints wall time, peak
# resident memory and the growth per trial; then 100,000 and 1,000,000 trials
# with --no-overfit. A sweep streams each trial's row to disk and keeps a
# lean row of numbers (about 80 bytes here), plus, for the exact PBO, each
# trial's 16 block sums (256 bytes, and as much again while PBO reads them).
source "$(dirname "$0")/common.sh"
cap_kb="${CAP_KB:-1048576}"
sweep() { # data, trials, [flags] → "seconds peak_kb"
  rm -rf "$work/out"
  ( ulimit -v "$cap_kb"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" -q optimize strategies/sma_cross.toml \
      --data "$1" --method random --trials "$2" --seed 1 --out "$work/out" ${3:-} --json > /dev/null )
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
read -r s4 m4 <<< "$(sweep datasets/BTCUSD.csv 100000 --no-overfit)"
echo "BTCUSD, 100,000 trials, --no-overfit: $s4 s, $m4 KB peak"
read -r s5 m5 <<< "$(sweep datasets/BTCUSD.csv 1000000 --no-overfit)"
echo "BTCUSD, 1,000,000 trials, --no-overfit: $s5 s, $m5 KB peak"
python3 -c "print(f'growth without the overfitting statistics: {($m5 - $m4) * 1024 / 900000:.0f} bytes per trial (100k -> 1M)')"
