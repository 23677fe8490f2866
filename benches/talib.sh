#!/usr/bin/env bash
# Every TA-Lib 0.8.2 function on 1,000,000 synthetic one-minute bars (seed
# 1): tradelab (cargo bench --bench indicators -- --calls ...) against
# TA-Lib's C library through its Python wrapper, in the same run, on the
# same file. Makes its own venv ($TALIB_VENV, default /tmp/talibvenv) with
# ta-lib 0.8.2. BARS=N overrides the bar count.
source "$(dirname "$0")/common.sh"
venv="${TALIB_VENV:-/tmp/talibvenv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import talib, pandas" 2>/dev/null || "$venv/bin/pip" install -q ta-lib==0.8.2 pandas
"$bin" -q data synth --bars "${BARS:-1000000}" --seed 1 --out "$work/bars.csv"
"$venv/bin/python" benches/talib_peer.py groups > "$work/groups.tsv"
cargo bench --quiet --bench indicators -- --calls tests/fixtures/talib/calls.tsv --data "$work/bars.csv" > "$work/tradelab.tsv"
cargo bench --quiet --bench indicators -- --groups "$work/groups.tsv" --data "$work/bars.csv" > "$work/together.tsv"
"$venv/bin/python" benches/talib_peer.py compare "$work/bars.csv" "$work/tradelab.tsv" "$work/together.tsv"
