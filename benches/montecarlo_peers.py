"""Monte Carlo of sma_cross on GOOG: tradelab against quantstats in one sitting.

    python3 -m venv /tmp/qs && /tmp/qs/bin/pip install quantstats==0.0.86
    cargo build --release
    /tmp/qs/bin/python benches/montecarlo_peers.py [PATHS]

quantstats.stats.montecarlo shuffles the daily returns (every path the same
multiset, so its terminal value is constant) and reports terminal and max
drawdown statistics; tradelab's shuffle reorders the closed trades and
computes the full 54-metric table on every path, then the summary. Not the
same work: the row measures how long each takes to answer "how deep could the
drawdown have been" over the same number of paths. Best of 3, each timed as
a whole: tradelab as a process (load, backtest, paths, summary, JSON),
quantstats inside Python (the returns already loaded).
"""
import json
import subprocess
import sys
import time

import pandas as pd
import quantstats as qs

paths = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
binary = "target/release/tradelab"
subprocess.run([binary, "-q", "run", "strategies/sma_cross.toml", "--report", "json", "--out", "/tmp/mc_peers"], check=True, capture_output=True)
eq = pd.read_csv("/tmp/mc_peers/equity.csv")
eq.index = pd.to_datetime(eq["timestamp"])
r = eq["equity"].pct_change().dropna()


def best(f, n=3):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


tl, out = best(lambda: subprocess.run(
    [binary, "-q", "montecarlo", "strategies/sma_cross.toml", "--paths", str(paths), "--seed", "1", "--json"],
    check=True, capture_output=True, text=True).stdout)
j = json.loads(out)
dd = j["summary"]["max_drawdown"]
qt, mc = best(lambda: qs.stats.montecarlo(r, sims=paths, seed=1))
qdd, _ = best(lambda: mc.maxdd, 1)
print(f"{paths} paths of sma_cross on GOOG, best of 3")
print("| tool | seconds | max drawdown p5 / p50 / p95 |")
print("|---|---|---|")
print(f"| tradelab {j['tool']['version']} montecarlo (trade shuffle, 54 metrics per path, whole process) | {tl:.3f} | {dd['p5']:.4f} / {dd['p50']:.4f} / {dd['p95']:.4f} |")
m = mc.maxdd
print(f"| quantstats {qs.__version__} montecarlo (daily-return shuffle) + .maxdd | {qt + qdd:.3f} | {m['percentile_5']:.4f} / {m['median']:.4f} / {m['percentile_95']:.4f} |")
print(f"ratio: quantstats / tradelab = {(qt + qdd) / tl:.1f}x")
