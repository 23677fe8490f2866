"""Times every TA-Lib function (default parameters) on the candles in
argv[1] and prints them beside tradelab's times from argv[2] (key<TAB>ms,
one line per output), as a Markdown table with the ratio tradelab/TA-Lib.
A multi-output function is one TA-Lib call against the sum of tradelab's
calls, one per output. Run by benches/talib.sh."""
import os
import sys
import time

import numpy as np
import pandas as pd
import talib.abstract as abstract

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "talib"))
import make_talib  # noqa: E402  (the fixture script names the calls)

df = pd.read_csv(sys.argv[1])
cols = {k: df[k].to_numpy(dtype=float) for k in ("open", "high", "low", "close", "volume")}
cols["periods"] = 1000 * (cols["high"] - cols["low"]) / cols["close"]
ours = dict(line.split("\t") for line in open(sys.argv[2]).read().split("\n") if line)

rows = []
for name in make_talib.functions():
    fn = abstract.Function(name)
    info = fn.info
    times = []
    for _ in range(3):
        t = time.perf_counter()
        fn(cols)
        times.append(time.perf_counter() - t)
    ta = min(times) * 1e3
    keys = [make_talib.key_of(name, out, {}, info) for out in info["output_names"]]
    one = max(float(ours[k]) for k in keys)
    every = sum(float(ours[k]) for k in keys)
    rows.append((name, ta, one, every))

print("| function | TA-Lib ms (all outputs) | tradelab ms, one output | tradelab ms, every output | ratio, one | ratio, every |")
print("|---|---|---|---|---|---|")
for name, ta, one, every in rows:
    print(f"| {name} | {ta:.2f} | {one:.2f} | {every:.2f} | {one / ta:.2f} | {every / ta:.2f} |")
for label, col in (("one output", 2), ("every output", 3)):
    r = np.array([row[col] / row[1] for row in rows])
    print(f"\n{label}: {len(rows)} functions on {len(df)} bars, geometric mean ratio "
          f"{np.exp(np.log(r).mean()):.2f}, {(r <= 1.0).sum()} at or below 1.0, "
          f"{(r <= 1.5).sum()} at or below 1.5; TA-Lib total {sum(x[1] for x in rows):.0f} ms, "
          f"tradelab total {sum(x[col] for x in rows):.0f} ms")
