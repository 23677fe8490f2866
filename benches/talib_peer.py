"""`groups`: prints each TA-Lib function's tradelab calls at its defaults,
one line per function (name, then one expression per output).

`compare BARS ONE TOGETHER`: times every TA-Lib function (default
parameters) on the candles in BARS and prints them beside tradelab's
times, as a Markdown table with the ratios: ONE holds one line per output
(key<TAB>ms), TOGETHER one line per function, every output asked in one
request. Run by benches/talib.sh."""
import os
import sys
import time

import numpy as np
import pandas as pd
import talib.abstract as abstract

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "talib"))
import make_talib  # noqa: E402  (the fixture script names the calls)

if sys.argv[1] == "groups":
    exprs = dict(l.split("\t") for l in open(os.path.join(os.path.dirname(__file__), "..", "tests",
                 "fixtures", "talib", "calls.tsv")).read().splitlines())
    for name in make_talib.functions():
        info = abstract.Function(name).info
        keys = [make_talib.key_of(name, out, {}, info) for out in info["output_names"]]
        print("\t".join([name] + [exprs[k] for k in keys]))
    sys.exit(0)

df = pd.read_csv(sys.argv[2])
cols = {k: df[k].to_numpy(dtype=float) for k in ("open", "high", "low", "close", "volume")}
cols["periods"] = 1000 * (cols["high"] - cols["low"]) / cols["close"]
ours = dict(line.split("\t") for line in open(sys.argv[3]).read().split("\n") if line)
together = dict(line.split("\t") for line in open(sys.argv[4]).read().split("\n") if line)

rows = []
for name in make_talib.functions():
    fn = abstract.Function(name)
    info = fn.info
    times = []
    for _ in range(3):
        t = time.perf_counter()
        if name == "MAVP":
            # tradelab's call computes its periods expression, so TA-Lib's
            # time includes numpy computing the same periods.
            fn(dict(cols, periods=1000 * (cols["high"] - cols["low"]) / cols["close"]))
        else:
            fn(cols)
        times.append(time.perf_counter() - t)
    ta = min(times) * 1e3
    keys = [make_talib.key_of(name, out, {}, info) for out in info["output_names"]]
    one = max(float(ours[k]) for k in keys)
    every = float(together[name])
    rows.append((name, ta, one, every))

print("| function | TA-Lib ms (all outputs) | tradelab ms, one output | tradelab ms, every output in one request | ratio, one | ratio, every |")
print("|---|---|---|---|---|---|")
for name, ta, one, every in rows:
    print(f"| {name} | {ta:.2f} | {one:.2f} | {every:.2f} | {one / ta:.2f} | {every / ta:.2f} |")
for label, col in (("one output", 2), ("every output", 3)):
    r = np.array([row[col] / row[1] for row in rows])
    print(f"\n{label}: {len(rows)} functions on {len(df)} bars, geometric mean ratio "
          f"{np.exp(np.log(r).mean()):.2f}, {(r <= 1.0).sum()} at or below 1.0, "
          f"{(r <= 1.5).sum()} at or below 1.5; TA-Lib total {sum(x[1] for x in rows):.0f} ms, "
          f"tradelab total {sum(x[col] for x in rows):.0f} ms")
