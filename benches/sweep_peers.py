"""The canonical sweep (benches/sweep.sh) in the peers that are installed:
vectorbt with its numba engine and with vectorbt-rust, and raptorbt. Each
runs the same 499 SMA-crossover trials on the same 1,000,000 bars (long
only, fills at the close, commission 0.001, cash 10,000), in chunks of 10
trials (larger chunks need more than 24 GB in vectorbt), sweep only: the
data is loaded before the clock starts. Prints one line per peer: seconds,
its best trial by total return, and whether that is tradelab's best.

python3 benches/sweep_peers.py SYNTH.csv TRIALS.csv
"""

import gc
import sys
import time

import numpy as np
import pandas as pd

df = pd.read_csv(sys.argv[1])
close = df["close"].to_numpy(dtype=np.float64)
fast, slow = np.arange(5, 101, 5), np.arange(20, 301, 10)
pairs = [(int(f), int(s)) for f in fast for s in slow if f < s]
ours = pd.read_csv(sys.argv[2])
top = ours.loc[ours["total_return"].idxmax()]
want = (int(top["fast"]), int(top["slow"]))
CHUNK = 10


def report(name, seconds, results):
    (f, s), ret = max(results.items(), key=lambda kv: kv[1])
    same = "same best as tradelab" if (f, s) == want else f"tradelab's best is {want}"
    print(
        f"{name}: {len(results)} trials in {seconds:.1f} s; best fast {f} / slow {s}, "
        f"total return {ret:.4f} ({same})",
        flush=True,
    )


def vectorbt(engine):
    import vectorbt as vbt

    vbt.settings["engine"] = engine
    series = pd.Series(close, index=pd.date_range("2020-01-01", periods=len(close), freq="1min"))
    results = {}
    t = time.perf_counter()
    for i in range(0, len(pairs), CHUNK):
        chunk = pairs[i : i + CHUNK]
        f = vbt.MA.run(series, [p[0] for p in chunk], short_name="fast")
        s = vbt.MA.run(series, [p[1] for p in chunk], short_name="slow")
        entries = f.ma_crossed_above(s.ma.values)
        exits = f.ma_crossed_below(s.ma.values)
        pf = vbt.Portfolio.from_signals(
            series, entries, exits, fees=0.001, init_cash=10000, freq="1min"
        )
        for p, r in zip(chunk, pf.total_return().to_numpy()):
            results[p] = float(r)
        del f, s, entries, exits, pf
        gc.collect()
    return time.perf_counter() - t, results, vbt.__version__


def raptorbt():
    import raptorbt as rb

    n = len(close)
    ts = np.arange(n, dtype=np.int64) * 60_000_000_000
    o = h = l = c = close
    v = np.ones(n)
    config = rb.BacktestConfig(initial_capital=10000.0, fees=0.001, upon_bar_close=True)
    results = {}
    t = time.perf_counter()
    for i in range(0, len(pairs), CHUNK):
        chunk = pairs[i : i + CHUNK]
        items = []
        for f, s in chunk:
            a, b = rb.sma(close, f), rb.sma(close, s)
            up = np.zeros(n, dtype=bool)
            down = np.zeros(n, dtype=bool)
            up[1:] = (a[:-1] < b[:-1]) & (a[1:] > b[1:])
            down[1:] = (a[:-1] > b[:-1]) & (a[1:] < b[1:])
            items.append(rb.BatchSingleItem(f"{f}/{s}", up, down))
        for key, res in rb.batch_single_backtest(ts, o, h, l, c, v, items, config):
            f, s = map(int, key.split("/"))
            results[(f, s)] = res.metrics.total_return_pct / 100.0
        del items
        gc.collect()
    return time.perf_counter() - t, results, rb.__version__


def installed(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


if installed("vectorbt"):
    for engine in ["numba", "rust"]:
        if engine == "rust" and not installed("vectorbt_rust"):
            print("vectorbt-rust not installed: pip install vectorbt-rust")
            continue
        seconds, results, version = vectorbt(engine)
        report(f"vectorbt {version} ({engine} engine)", seconds, results)
else:
    print("vectorbt not installed: pip install vectorbt vectorbt-rust")
if installed("raptorbt"):
    seconds, results, version = raptorbt()
    report(f"raptorbt {version}", seconds, results)
else:
    print("raptorbt not installed: pip install raptorbt")
