//! The functions TA-Lib 0.8 added (and the averages only MA types named),
//! under TA-Lib's names: HMA, ZLEMA, RMA, DONCHIAN, KC, ACCBANDS,
//! SUPERTREND, AO, AC, ... through VWAP.

use super::Group::{
    Momentum as Mo, Overlap as Ov, Statistic as St, Volatility as Vl, Volume as Vo,
};
use super::Output::{Integer as Int, Number as Num};
use super::Param::{MaType as M, Number as F, Series as S, Window as W};
use super::{lines, Family, Inputs, Spec};
use crate::indicators::matype as mt;
use crate::indicators::modern as md;
use crate::indicators::modern_bands::{self as mb, Flow};
use crate::indicators::modern_pairs::{self as mp, SmiPeriods};
use crate::indicators::oscillators::{midpoint, price_osc};
use crate::indicators::rolling::{highest, lowest};

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    spec!("hma", Ov, [S("x"), W("n")], [20.0], Num, "n+floor(sqrt(n))-2", "Hull moving average", |i, o| mt::hma(i.x(0), i.n(0), o)),
    spec!("zlema", Ov, [S("x"), W("n")], [30.0], Num, "(n-1)/2+n-1", "zero-lag EMA", |i, o| mt::zlema(i.x(0), i.n(0), o)),
    spec!("rma", Ov, [S("x"), W("n")], [30.0], Num, "n-1", "Wilder's moving average (RMA, SMMA)", |i, o| mt::rma(i.x(0), i.n(0), o)),
    spec!("donchian_upperband", Ov, [W("n")], [20.0], Num, "n-1", "Donchian upper band: highest high", |i, o| highest(i.bars.high, i.n(0), o)),
    spec!("donchian_middleband", Ov, [W("n")], [20.0], Num, "n-1", "Donchian middle band", |i, o| midpoint(i.bars.high, i.bars.low, i.n(0), o)),
    spec!("donchian_lowerband", Ov, [W("n")], [20.0], Num, "n-1", "Donchian lower band: lowest low", |i, o| lowest(i.bars.low, i.n(0), o)),
    spec!("kc_upperband", Ov, [W("n"), W("atrperiod"), F("nbdev")], [20.0, 10.0, 2.0], Num, "max(n-1, atrperiod)", "Keltner upper: EMA(close, n) + nbdev·ATR(atrperiod)", |i, o| mb::kc(hlc(i), i.n(0), i.n(1), i.f(2), 1, o)),
    spec!("kc_middleband", Ov, [W("n"), W("atrperiod"), F("nbdev")], [20.0, 10.0, 2.0], Num, "max(n-1, atrperiod)", "Keltner middle: EMA(close, n)", |i, o| mb::kc(hlc(i), i.n(0), i.n(1), i.f(2), 0, o)),
    spec!("kc_lowerband", Ov, [W("n"), W("atrperiod"), F("nbdev")], [20.0, 10.0, 2.0], Num, "max(n-1, atrperiod)", "Keltner lower: EMA(close, n) − nbdev·ATR(atrperiod)", |i, o| mb::kc(hlc(i), i.n(0), i.n(1), i.f(2), -1, o)),
    spec!("accbands_upperband", Ov, [W("n")], [20.0], Num, "n-1", "acceleration band, upper", |i, o| mb::accbands(hlc(i), i.n(0), 1, o)),
    spec!("accbands_middleband", Ov, [W("n")], [20.0], Num, "n-1", "acceleration band, middle: SMA(close)", |i, o| mb::accbands(hlc(i), i.n(0), 0, o)),
    spec!("accbands_lowerband", Ov, [W("n")], [20.0], Num, "n-1", "acceleration band, lower", |i, o| mb::accbands(hlc(i), i.n(0), -1, o)),
    spec!("supertrend_supertrend", Ov, [W("n"), F("multiplier")], [10.0, 3.0], Num, "n", "SuperTrend line: the trailing ATR band", |i, o| mp::supertrend(hlc(i), i.n(0), i.f(1), false, o)),
    spec!("supertrend_trend", Ov, [W("n"), F("multiplier")], [10.0, 3.0], Int, "n", "SuperTrend direction: 1 up, −1 down", |i, o| mp::supertrend(hlc(i), i.n(0), i.f(1), true, o)),
    spec!("ao", Mo, [W("fast"), W("slow")], [5.0, 34.0], Num, "max(fast, slow)-1", "awesome oscillator on the median price", |i, o| md::ao(i.bars.high, i.bars.low, i.n(0), i.n(1), o)),
    spec!("ac", Mo, [W("fast"), W("slow"), W("signal")], [5.0, 34.0, 5.0], Num, "max(fast, slow)+signal-2", "accelerator oscillator: AO − SMA(AO)", |i, o| md::ac(i.bars.high, i.bars.low, i.n(0), i.n(1), i.n(2), o)),
    spec!("cmou", Mo, [S("x"), W("n")], [14.0], Num, "n", "Chande momentum oscillator on plain sums", |i, o| md::cmou(i.x(0), i.n(0), o)),
    spec!("coppock", Mo, [S("x"), W("wma"), W("roc1"), W("roc2")], [10.0, 11.0, 14.0], Num, "max(roc1, roc2)+wma-1", "Coppock curve: WMA of ROC(roc1) + ROC(roc2)", |i, o| md::coppock(i.x(0), i.n(0), i.n(1), i.n(2), o)),
    spec!("dpo", Mo, [S("x"), W("n")], [20.0], Num, "n-1", "detrended price oscillator: x[t − n/2 − 1] − SMA(x, n)", |i, o| md::dpo(i.x(0), i.n(0), o)),
    spec!("er", Mo, [S("x"), W("n")], [10.0], Num, "n", "Kaufman efficiency ratio", |i, o| md::er(i.x(0), i.n(0), o)),
    spec!("eri_bullpower", Mo, [W("n")], [13.0], Num, "n-1", "Elder ray bull power: high − EMA(close)", |i, o| mp::eri(i.bars.high, i.bars.low, i.bars.close, i.n(0), true, o)),
    spec!("eri_bearpower", Mo, [W("n")], [13.0], Num, "n-1", "Elder ray bear power: low − EMA(close)", |i, o| mp::eri(i.bars.high, i.bars.low, i.bars.close, i.n(0), false, o)),
    spec!("fosc", Mo, [S("x"), W("n")], [5.0], Num, "n", "forecast oscillator: 100·(x − TSF[t−1])/x", |i, o| md::fosc(i.x(0), i.n(0), o)),
    spec!("fractal_swinghigh", Mo, [W("leftbars"), W("rightbars")], [2.0, 2.0], Int, "leftbars+rightbars", "100 when bar t − rightbars was a swing high (known at t)", |i, o| mp::fractal(i.bars.high, i.bars.low, i.n(0), i.n(1), true, o)),
    spec!("fractal_swinglow", Mo, [W("leftbars"), W("rightbars")], [2.0, 2.0], Int, "leftbars+rightbars", "100 when bar t − rightbars was a swing low (known at t)", |i, o| mp::fractal(i.bars.high, i.bars.low, i.n(0), i.n(1), false, o)),
    spec!("imi", Mo, [W("n")], [14.0], Num, "n-1", "intraday momentum index", |i, o| md::imi(i.bars.open, i.bars.close, i.n(0), o)),
    spec!("kdj_k", Mo, [W("fastk"), W("slowk"), M("slowk_matype"), W("slowd"), M("slowd_matype")], [9.0, 3.0, 13.0, 3.0, 13.0], Num, "fastk-1+lookback(slowk)+lookback(slowd)", "KDJ K line", |i, o| kdj(i, 0, o)),
    spec!("kdj_d", Mo, [W("fastk"), W("slowk"), M("slowk_matype"), W("slowd"), M("slowd_matype")], [9.0, 3.0, 13.0, 3.0, 13.0], Num, "fastk-1+lookback(slowk)+lookback(slowd)", "KDJ D line", |i, o| kdj(i, 1, o)),
    spec!("kdj_j", Mo, [W("fastk"), W("slowk"), M("slowk_matype"), W("slowd"), M("slowd_matype")], [9.0, 3.0, 13.0, 3.0, 13.0], Num, "fastk-1+lookback(slowk)+lookback(slowd)", "KDJ J line: 3K − 2D", |i, o| kdj(i, 2, o)),
    spec!("qstick", Mo, [W("n")], [10.0], Num, "n-1", "QStick: SMA(close − open)", |i, o| md::qstick(i.bars.open, i.bars.close, i.n(0), o)),
    spec!("smi_smi", Mo, [W("n"), W("fast"), W("slow"), W("signal")], [13.0, 2.0, 25.0, 9.0], Num, "n+slow+fast+signal-4", "stochastic momentum index", |i, o| mp::smi(hlc(i), smi_periods(i), false, o)),
    spec!("smi_smisignal", Mo, [W("n"), W("fast"), W("slow"), W("signal")], [13.0, 2.0, 25.0, 9.0], Num, "n+slow+fast+signal-4", "SMI signal: EMA(signal) of the SMI", |i, o| mp::smi(hlc(i), smi_periods(i), true, o)),
    spec!("tsi", Mo, [S("x"), W("first"), W("second")], [25.0, 13.0], Num, "first+second-1", "true strength index", |i, o| md::tsi(i.x(0), i.n(0), i.n(1), o)),
    spec!("vhf", Mo, [S("x"), W("n")], [28.0], Num, "n", "vertical horizontal filter", |i, o| md::vhf(i.x(0), i.n(0), o)),
    spec!("vortex_plusvi", Mo, [W("n")], [14.0], Num, "n", "Vortex +VI", |i, o| mp::vortex(i.bars.high, i.bars.low, i.bars.close, i.n(0), true, o)),
    spec!("vortex_minusvi", Mo, [W("n")], [14.0], Num, "n", "Vortex −VI", |i, o| mp::vortex(i.bars.high, i.bars.low, i.bars.close, i.n(0), false, o)),
    spec!("wad", Mo, [], [], Num, "0", "Williams accumulation/distribution", |i, o| md::wad(i.bars.high, i.bars.low, i.bars.close, o)),
    spec!("percentile", St, [S("x"), W("n"), F("percentile")], [30.0, 50.0], Num, "n-1", "the percentile-th percentile of the last n values (lower nearest rank)", |i, o| mb::percentile(i.x(0), i.n(0), i.f(1), o)),
    spec!("percentrank", St, [S("x"), W("n")], [100.0], Num, "n", "percent of the previous n values below x", |i, o| mb::percentrank(i.x(0), i.n(0), o)),
    spec!("adr", Vl, [W("n")], [14.0], Num, "n-1", "average daily range: SMA(high − low)", |i, o| md::adr(i.bars.high, i.bars.low, i.n(0), o)),
    spec!("cvi", Vl, [W("n"), W("roc")], [10.0, 10.0], Num, "n-1+roc", "Chaikin volatility", |i, o| mb::cvi(i.bars.high, i.bars.low, i.n(0), i.n(1), o)),
    spec!("massi", Vl, [W("fast"), W("slow")], [9.0, 25.0], Num, "2(fast-1)+slow-1", "mass index", |i, o| mb::massi(i.bars.high, i.bars.low, i.n(0), i.n(1), o)),
    spec!("rvi", Vl, [S("x"), W("n"), W("stddev")], [14.0, 10.0], Num, "stddev+n-2", "relative volatility index", |i, o| mb::rvi(i.x(0), i.n(0), i.n(1), o)),
    spec!("cmf", Vo, [W("n")], [20.0], Num, "n-1", "Chaikin money flow", |i, o| mb::cmf(hlcv(i), i.n(0), o)),
    spec!("efi", Vo, [W("n")], [13.0], Num, "n", "Elder force index: EMA(Δclose·volume)", |i, o| mb::efi(i.bars.close, i.bars.volume, i.n(0), o)),
    spec!("marketfi", Vo, [], [], Num, "0", "market facilitation index: (high − low)/volume", |i, o| mb::marketfi(i.bars.high, i.bars.low, i.bars.volume, o)),
    spec!("nvi", Vo, [], [], Num, "0", "negative volume index from 1000", |i, o| mb::flow(i.bars.close, i.bars.volume, Flow::Nvi, o)),
    spec!("pvi", Vo, [], [], Num, "0", "positive volume index from 1000", |i, o| mb::flow(i.bars.close, i.bars.volume, Flow::Pvi, o)),
    spec!("pvt", Vo, [], [], Num, "0", "price-volume trend", |i, o| mb::flow(i.bars.close, i.bars.volume, Flow::Pvt, o)),
    spec!("pvo", Vo, [W("fast"), W("slow"), M("matype")], [12.0, 26.0, 1.0], Num, "lookback(slow, matype)", "percentage volume oscillator", |i, o| price_osc(i.bars.volume, i.n(0), i.n(1), i.m(2), true, o)),
    spec!("rvol", Vo, [W("n")], [20.0], Num, "n", "relative volume: volume / mean of the previous n", |i, o| mb::rvol(i.bars.volume, i.n(0), o)),
];

fn hlc<'a>(i: &Inputs<'a>) -> (&'a [f64], &'a [f64], &'a [f64]) {
    (i.bars.high, i.bars.low, i.bars.close)
}

fn hlcv<'a>(i: &Inputs<'a>) -> (&'a [f64], &'a [f64], &'a [f64], &'a [f64]) {
    (i.bars.high, i.bars.low, i.bars.close, i.bars.volume)
}

fn kdj(i: &Inputs, line: u8, o: &mut [f64]) {
    let (k, d) = kd(i);
    mp::kdj(hlc(i), i.n(0), k, d, line, o);
}

fn smi_periods(i: &Inputs) -> SmiPeriods {
    SmiPeriods {
        n: i.n(0),
        fast: i.n(1),
        slow: i.n(2),
        signal: i.n(3),
    }
}

fn kd(i: &Inputs) -> ((usize, mt::MaType), (usize, mt::MaType)) {
    ((i.n(1), i.m(2)), (i.n(3), i.m(4)))
}

/// The outputs computed in one pass when asked together.
pub(super) static FAMILIES: &[Family] = &[
    Family {
        names: &["kc_upperband", "kc_middleband", "kc_lowerband"],
        compute: |i, o| mb::kc_all(hlc(i), i.n(0), i.n(1), i.f(2), lines(o)),
    },
    Family {
        names: &["eri_bullpower", "eri_bearpower"],
        compute: |i, o| mp::eri_all(i.bars.high, i.bars.low, i.bars.close, i.n(0), lines(o)),
    },
    Family {
        names: &["kdj_k", "kdj_d", "kdj_j"],
        compute: |i, o| {
            let (k, d) = kd(i);
            mp::kdj_all(hlc(i), i.n(0), k, d, lines(o));
        },
    },
    Family {
        names: &["smi_smi", "smi_smisignal"],
        compute: |i, o| mp::smi_all(hlc(i), smi_periods(i), lines(o)),
    },
    Family {
        names: &["vortex_plusvi", "vortex_minusvi"],
        compute: |i, o| mp::vortex_all(i.bars.high, i.bars.low, i.bars.close, i.n(0), lines(o)),
    },
    Family {
        names: &["supertrend_supertrend", "supertrend_trend"],
        compute: |i, o| mp::supertrend_all(hlc(i), i.n(0), i.f(1), lines(o)),
    },
];
