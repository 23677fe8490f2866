#!/usr/bin/env python3
"""Data-layer benchmark: tradelab (release binary) against pandas and polars.

Usage, from the repository root:
    pip install pandas polars pyarrow
    cargo build --release
    python3 benches/data_load.py [--bars 1000000] [--repeat 5]

Makes a synthetic file with `tradelab data synth`, then times, best of
--repeat runs each:
  - tradelab data validate FILE.csv   (read + parse + validate; whole process)
  - tradelab data info FILE.parquet   (read + validate; whole process)
  - tradelab data resample / convert  (whole process)
  - tradelab run strategies/sma_cross.toml on the CSV (whole process)
  - pandas.read_csv(parse_dates=["timestamp"])  (in process, parse only)
  - polars.read_csv(try_parse_dates=True)       (in process, parse only)
and prints a Markdown table for benches/RESULTS.md.
"""
import argparse
import os
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "tradelab")


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def tl(*args):
    subprocess.run([BIN, "-q", *args], check=True, stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bars", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="tradelab-bench-")
    csv = os.path.join(d, "synth.csv")
    pq = os.path.join(d, "synth.parquet")
    rows = []
    rows.append(("tradelab data synth -> CSV", best(lambda: tl("data", "synth", "--bars", str(a.bars), "--seed", "1", "--out", csv), 1)))
    rows.append(("tradelab data synth -> Parquet", best(lambda: tl("data", "synth", "--bars", str(a.bars), "--seed", "1", "--out", pq), 1)))
    size = os.path.getsize(csv) / 1e6
    rows.append(("tradelab data validate CSV (load + validate)", best(lambda: tl("data", "validate", csv), a.repeat)))
    rows.append(("tradelab data info CSV", best(lambda: tl("data", "info", csv, "--json"), a.repeat)))
    rows.append(("tradelab data info Parquet", best(lambda: tl("data", "info", pq, "--json"), a.repeat)))
    rows.append(("tradelab data resample CSV 1m -> 1h CSV", best(lambda: tl("data", "resample", csv, "--to", "1h", "--out", os.path.join(d, "h.csv")), a.repeat)))
    rows.append(("tradelab data convert CSV -> Parquet", best(lambda: tl("data", "convert", csv, "--out", os.path.join(d, "c.parquet")), a.repeat)))
    strategy = os.path.join(ROOT, "strategies", "sma_cross.toml")
    rows.append(("tradelab run sma_cross on the CSV (load, signals, backtest, metrics, JSON)", best(lambda: tl("run", strategy, "--data", csv, "--json"), a.repeat)))
    try:
        import pandas as pd
        rows.append((f"pandas {pd.__version__} read_csv(parse_dates)", best(lambda: pd.read_csv(csv, parse_dates=["timestamp"]), a.repeat)))
    except ImportError:
        pass
    try:
        import polars as pl
        rows.append((f"polars {pl.__version__} read_csv(try_parse_dates)", best(lambda: pl.read_csv(csv, try_parse_dates=True), a.repeat)))
        rows.append((f"polars {pl.__version__} read_parquet", best(lambda: pl.read_parquet(pq), a.repeat)))
    except ImportError:
        pass
    print(f"{a.bars:,} bars, CSV {size:.1f} MB, best of {a.repeat}, {os.cpu_count()} cores\n")
    print("| what | seconds |\n|---|---|")
    for name, s in rows:
        print(f"| {name} | {s:.3f} |")


if __name__ == "__main__":
    main()
