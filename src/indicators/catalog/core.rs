//! The functions tradelab had before the TA-Lib catalogue: moving averages,
//! momentum, bands, channels, elementwise maths and the model labels.

use super::Group::*;
use super::Output::{Bool, Number as Num};
use super::Param::{Condition as C, Count as K, Number as F, Series as S, Window as W};
use super::{Inputs, Spec};
use crate::indicators::elementwise as ew;
use crate::indicators::ma;
use crate::indicators::momentum::{self, MacdLine, StochLine};
use crate::indicators::oscillators as osc;
use crate::indicators::rolling;
use crate::indicators::trend::{self, Directional};
use crate::indicators::volatility::{self, Band};
use crate::indicators::volume;

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    // Moving averages
    spec!("sma", Overlap, [S("x"), W("n")], [30.0], Num, "n-1", "simple moving average", |i, o| ma::sma(i.series[0], i.n(0), o)),
    spec!("ema", Overlap, [S("x"), W("n")], [30.0], Num, "n-1", "exponential moving average, k = 2/(n+1), SMA seed", |i, o| ma::ema(i.series[0], i.n(0), o)),
    spec!("wma", Overlap, [S("x"), W("n")], [30.0], Num, "n-1", "linearly weighted moving average", |i, o| ma::wma(i.series[0], i.n(0), o)),
    spec!("dema", Overlap, [S("x"), W("n")], [30.0], Num, "2(n-1)", "double EMA: 2·EMA − EMA(EMA)", |i, o| ma::dema(i.series[0], i.n(0), o)),
    spec!("tema", Overlap, [S("x"), W("n")], [30.0], Num, "3(n-1)", "triple EMA: 3·e1 − 3·e2 + e3", |i, o| ma::tema(i.series[0], i.n(0), o)),
    spec!("kama", Overlap, [S("x"), W("n")], [30.0], Num, "n", "Kaufman adaptive moving average (fast 2, slow 30)", |i, o| ma::kama(i.series[0], i.n(0), o)),
    spec!("vwma", Overlap, [S("x"), W("n")], [30.0], Num, "n-1", "volume-weighted moving average Σ(x·volume)/Σvolume", |i, o| ma::vwma(i.x(0), i.aligned(i.bars.volume), i.n(0), o)),
    spec!("sum", MathOperator, [S("x"), W("n")], [30.0], Num, "n-1", "rolling sum over n bars", |i, o| ma::sum(i.series[0], i.n(0), o)),
    // Momentum
    spec!("rsi", Momentum, [S("x"), W("n")], [14.0], Num, "n", "relative strength index (Wilder), 0..100", |i, o| momentum::rsi(i.series[0], i.n(0), o)),
    spec!("macd", Momentum, [S("x"), W("fast"), W("slow"), W("signal")], [12.0, 26.0, 9.0], Num, "slow+signal-2", "MACD line: EMA(fast) − EMA(slow), TA-Lib seeding", |i, o| momentum::macd(i.series[0], i.n(0), i.n(1), i.n(2), MacdLine::Macd, o)),
    spec!("macd_signal", Momentum, [S("x"), W("fast"), W("slow"), W("signal")], [12.0, 26.0, 9.0], Num, "slow+signal-2", "MACD signal line: EMA(signal) of the MACD line", |i, o| momentum::macd(i.series[0], i.n(0), i.n(1), i.n(2), MacdLine::Signal, o)),
    spec!("macd_hist", Momentum, [S("x"), W("fast"), W("slow"), W("signal")], [12.0, 26.0, 9.0], Num, "slow+signal-2", "MACD histogram: line − signal", |i, o| momentum::macd(i.series[0], i.n(0), i.n(1), i.n(2), MacdLine::Hist, o)),
    spec!("roc", Momentum, [S("x"), W("n")], [10.0], Num, "n", "rate of change in percent: 100·(x/x[t−n] − 1)", |i, o| momentum::roc(i.series[0], i.n(0), o)),
    spec!("pct_change", Momentum, [S("x"), W("n")], [], Num, "n", "fractional change: x/x[t−n] − 1", |i, o| momentum::pct_change(i.series[0], i.n(0), o)),
    spec!("stoch_k", Momentum, [W("n"), W("k_smooth"), W("d_smooth")], [], Num, "n+k_smooth+d_smooth-3", "slow stochastic %K (SMA-smoothed), 0..100", |i, o| momentum::stoch(i.bars.high, i.bars.low, i.bars.close, i.n(0), i.n(1), i.n(2), StochLine::K, o)),
    spec!("stoch_d", Momentum, [W("n"), W("k_smooth"), W("d_smooth")], [], Num, "n+k_smooth+d_smooth-3", "slow stochastic %D (SMA of %K), 0..100", |i, o| momentum::stoch(i.bars.high, i.bars.low, i.bars.close, i.n(0), i.n(1), i.n(2), StochLine::D, o)),
    spec!("willr", Momentum, [W("n")], [14.0], Num, "n-1", "Williams %R, −100..0", |i, o| momentum::willr(i.bars.high, i.bars.low, i.bars.close, i.n(0), o)),
    spec!("cci", Momentum, [W("n")], [14.0], Num, "n-1", "commodity channel index on the typical price", |i, o| momentum::cci(i.bars.high, i.bars.low, i.bars.close, i.n(0), o)),
    // Trend
    spec!("adx", Momentum, [W("n")], [14.0], Num, "2n-1", "average directional index (Wilder), 0..100", |i, o| trend::directional(i.bars.high, i.bars.low, i.bars.close, i.n(0), Directional::Adx, o)),
    spec!("plus_di", Momentum, [W("n")], [14.0], Num, "n", "plus directional indicator +DI", |i, o| trend::directional(i.bars.high, i.bars.low, i.bars.close, i.n(0), Directional::PlusDi, o)),
    spec!("minus_di", Momentum, [W("n")], [14.0], Num, "n", "minus directional indicator −DI", |i, o| trend::directional(i.bars.high, i.bars.low, i.bars.close, i.n(0), Directional::MinusDi, o)),
    // Volatility and channels
    spec!("tr", Volatility, [], [], Num, "1", "true range", |i, o| {
        volatility::true_range(i.bars.high, i.bars.low, i.bars.close, o)
    }),
    spec!("atr", Volatility, [W("n")], [14.0], Num, "n", "average true range (Wilder)", |i, o| volatility::atr(i.bars.high, i.bars.low, i.bars.close, i.n(0), o)),
    spec!("stddev", Statistic, [S("x"), W("n"), F("nbdev")], [5.0, 1.0], Num, "n-1", "population standard deviation × nbdev", |i, o| { volatility::stddev(i.x(0), i.n(0), o); o.iter_mut().for_each(|v| *v *= i.f(1)); }),
    spec!("zscore", Statistic, [S("x"), W("n")], [], Num, "n-1", "(x − SMA)/stddev; NaN on a flat window", |i, o| volatility::zscore(i.series[0], i.n(0), o)),
    spec!("bb_upper", Overlap, [S("x"), W("n"), F("k")], [], Num, "n-1", "Bollinger upper band: SMA + k·stddev", |i, o| volatility::bbands(i.series[0], i.n(0), i.args[1], Band::Upper, o)),
    spec!("bb_middle", Overlap, [S("x"), W("n"), F("k")], [], Num, "n-1", "Bollinger middle band: SMA", |i, o| volatility::bbands(i.series[0], i.n(0), i.args[1], Band::Middle, o)),
    spec!("bb_lower", Overlap, [S("x"), W("n"), F("k")], [], Num, "n-1", "Bollinger lower band: SMA − k·stddev", |i, o| volatility::bbands(i.series[0], i.n(0), i.args[1], Band::Lower, o)),
    spec!("keltner_upper", Overlap, [W("n"), F("k")], [], Num, "n", "Keltner upper: EMA(close, n) + k·ATR(n)", |i, o| volatility::keltner(i.bars.high, i.bars.low, i.bars.close, i.n(0), i.args[1], Band::Upper, o)),
    spec!("keltner_middle", Overlap, [W("n")], [], Num, "n", "Keltner middle: EMA(close, n)", |i, o| volatility::keltner(i.bars.high, i.bars.low, i.bars.close, i.n(0), 0.0, Band::Middle, o)),
    spec!("keltner_lower", Overlap, [W("n"), F("k")], [], Num, "n", "Keltner lower: EMA(close, n) − k·ATR(n)", |i, o| volatility::keltner(i.bars.high, i.bars.low, i.bars.close, i.n(0), i.args[1], Band::Lower, o)),
    spec!("highest", MathOperator, [S("x"), W("n")], [], Num, "n-1", "highest value of the last n bars", |i, o| rolling::highest(i.series[0], i.n(0), o)),
    spec!("lowest", MathOperator, [S("x"), W("n")], [], Num, "n-1", "lowest value of the last n bars", |i, o| rolling::lowest(i.series[0], i.n(0), o)),
    spec!("donchian_upper", Overlap, [W("n")], [], Num, "n-1", "Donchian upper: highest high of n bars", |i, o| rolling::highest(i.bars.high, i.n(0), o)),
    spec!("donchian_lower", Overlap, [W("n")], [], Num, "n-1", "Donchian lower: lowest low of n bars", |i, o| rolling::lowest(i.bars.low, i.n(0), o)),
    spec!("donchian_middle", Overlap, [W("n")], [], Num, "n-1", "Donchian middle: (upper + lower)/2", |i, o| osc::midpoint(i.bars.high, i.bars.low, i.n(0), o)),
    // Volume
    spec!("obv", Volume, [], [], Num, "0", "on-balance volume, starting at volume[0]", |i, o| volume::obv(i.bars.close, i.bars.volume, o)),
    spec!("mfi", Momentum, [W("n")], [14.0], Num, "n", "money flow index, 0..100", |i, o| volume::mfi(i.bars.high, i.bars.low, i.bars.close, i.bars.volume, i.n(0), o)),
    // Element-wise and time
    spec!("shift", MathOperator, [S("x"), K("n")], [], Num, "n", "the value n bars ago (n ≥ 0)", |i, o| ew::shift(i.series[0], i.args[0] as i64, o)),
    spec!("crosses_above", MathOperator, [S("a"), S("b")], [], Bool, "1", "a[t−1] < b[t−1] and a[t] > b[t]", |i, o| ew::crosses_above(i.series[0], i.series[1], o)),
    spec!("crosses_below", MathOperator, [S("a"), S("b")], [], Bool, "1", "a[t−1] > b[t−1] and a[t] < b[t]", |i, o| ew::crosses_below(i.series[0], i.series[1], o)),
    spec!("abs", MathTransform, [S("x")], [], Num, "0", "absolute value", |i, o| ew::map(i.series[0], o, f64::abs)),
    spec!("log", MathTransform, [S("x")], [], Num, "0", "natural logarithm (NaN for x ≤ 0)", |i, o| ew::map(i.series[0], o, |v| if v > 0.0 { v.ln() } else { f64::NAN })),
    spec!("sqrt", MathTransform, [S("x")], [], Num, "0", "square root (NaN for x < 0)", |i, o| ew::map(i.series[0], o, f64::sqrt)),
    spec!("min", MathOperator, [S("a"), S("b")], [], Num, "0", "element-wise minimum", |i, o| ew::zip(i.series[0], i.series[1], o, f64::min)),
    spec!("max", MathOperator, [S("a"), S("b")], [], Num, "0", "element-wise maximum", |i, o| ew::zip(i.series[0], i.series[1], o, f64::max)),
    spec!("triple_barrier", Label, [S("up"), S("down"), W("horizon"), F("mode")], [], Bool, "0", "label only: 1 when the return from close[t] reaches up before −down within horizon bars, else 0 (optional \"sign\", \"hl\"); NaN if unresolved", triple_barrier),
    spec!("only", Label, [C("when"), C("label")], [], Bool, "0", "label only: the label where `when` holds, unknown (NaN, not trained on) elsewhere; meta-labeling", only),
    spec!("where", MathOperator, [C("cond"), S("a"), S("b")], [], Num, "0", "a where cond holds, else b", |i, o| ew::select(i.series[0], i.series[1], i.series[2], o)),
];

fn triple_barrier(i: &Inputs, o: &mut [f64]) {
    use crate::indicators::labels::{self, Barrier};
    let offset = i.bars.close.len() - o.len();
    let mode = Barrier::from_mode(i.args[1]);
    let b = i.bars;
    labels::triple_barrier(
        i.series[0],
        i.series[1],
        i.n(0),
        mode,
        b.close,
        b.high,
        b.low,
        offset,
        o,
    );
}

fn only(i: &Inputs, o: &mut [f64]) {
    for ((o, w), x) in o.iter_mut().zip(i.series[0]).zip(i.series[1]) {
        *o = if *w != 0.0 { *x } else { f64::NAN };
    }
}
