//! Beyond TA-Lib: the names pandas-ta, TradingView and freqtrade users
//! reach for (SuperTrend, Heikin-Ashi, Ichimoku, anchored VWAP, Hurst,
//! rolling rank). SuperTrend and Heikin-Ashi are TA-Lib's own values.

use super::Group::{Overlap as Ov, PriceTransform as P, Statistic as St, Volume as Vo};
use super::Output::{Integer as Int, Number as Num};
use super::Param::{Anchor as A, Count as K, Number as F, Series as S, Window as W};
use super::Spec;
use crate::indicators::beyond as bd;
use crate::indicators::modern_pairs::supertrend;
use crate::indicators::transform::{heikin_ashi, Heikin};

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    spec!("supertrend", Ov, [W("n"), F("multiplier")], [10.0, 3.0], Num, "n", "SuperTrend line (TA-Lib SUPERTREND)", |i, o| supertrend((i.bars.high, i.bars.low, i.bars.close), i.n(0), i.f(1), false, o)),
    spec!("supertrend_direction", Ov, [W("n"), F("multiplier")], [10.0, 3.0], Int, "n", "SuperTrend direction: 1 up, −1 down", |i, o| supertrend((i.bars.high, i.bars.low, i.bars.close), i.n(0), i.f(1), true, o)),
    spec!("heikin_ashi_open", P, [], [], Num, "0", "Heikin-Ashi open (TA-Lib HA)", |i, o| heikin_ashi(&i.bars, Heikin::Open, o)),
    spec!("heikin_ashi_high", P, [], [], Num, "0", "Heikin-Ashi high", |i, o| heikin_ashi(&i.bars, Heikin::High, o)),
    spec!("heikin_ashi_low", P, [], [], Num, "0", "Heikin-Ashi low", |i, o| heikin_ashi(&i.bars, Heikin::Low, o)),
    spec!("heikin_ashi_close", P, [], [], Num, "0", "Heikin-Ashi close", |i, o| heikin_ashi(&i.bars, Heikin::Close, o)),
    spec!("ichimoku_tenkan", Ov, [W("n")], [9.0], Num, "n-1", "Ichimoku conversion line: (highest high + lowest low)/2 over n", |i, o| bd::ichimoku_mid(i.bars.high, i.bars.low, i.n(0), 0, o)),
    spec!("ichimoku_kijun", Ov, [W("n")], [26.0], Num, "n-1", "Ichimoku base line over n", |i, o| bd::ichimoku_mid(i.bars.high, i.bars.low, i.n(0), 0, o)),
    spec!("ichimoku_senkou_a", Ov, [W("tenkan"), W("kijun"), K("shift")], [9.0, 26.0, 26.0], Num, "kijun-1+shift", "leading span A as shown at its bar: (tenkan + kijun)/2 of shift bars before", |i, o| bd::senkou_a(i.bars.high, i.bars.low, i.n(0), i.n(1), i.n(2), o)),
    spec!("ichimoku_senkou_b", Ov, [W("n"), K("shift")], [52.0, 26.0], Num, "n-1+shift", "leading span B as shown at its bar: the n-bar midpoint of shift bars before", |i, o| bd::ichimoku_mid(i.bars.high, i.bars.low, i.n(0), i.n(1), o)),
    spec!("vwap", Vo, [A("anchor")], [86_400_000.0], Num, "0", "VWAP of the typical price, restarted each anchor period (UTC); \"all\" never restarts (TA-Lib VWAP)", |i, o| bd::vwap(i.bars.high, i.bars.low, i.bars.close, i.bars.volume, i.ts, i.f(0), o)),
    spec!("hurst", St, [S("x"), W("n")], [100.0], Num, "n-1", "Hurst exponent of x's changes over n bars (rescaled range)", |i, o| bd::hurst(i.x(0), i.n(0), o)),
    spec!("rolling_rank", St, [S("x"), W("n")], [20.0], Num, "n-1", "percentile rank of x among the last n values, ties averaged, in (0, 1]", |i, o| bd::rolling_rank(i.x(0), i.n(0), o)),
];
