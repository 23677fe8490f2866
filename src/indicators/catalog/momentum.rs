//! TA-Lib's momentum indicators beyond the core ones, under TA-Lib's names:
//! ADXR, APO, AROON, BOP, CMO, DX, the MACD family, ±DM, MOM, PPO, the ROC
//! family, STOCH, STOCHF, STOCHRSI, TRIX, ULTOSC.

use super::Group::Momentum as G;
use super::Output::Number as Num;
use super::Param::{MaType as M, Series as S, Window as W};
use super::{Family, Inputs, Spec};
use crate::indicators::momentum::{self, MacdLine};
use crate::indicators::oscillators::{self as osc, Change, StochOut};
use crate::indicators::trend::{directional, Directional};

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    spec!("adxr", G, [W("n")], [14.0], Num, "3n-2", "average directional movement rating: (ADX + ADX n−1 bars ago)/2", adxr),
    spec!("apo", G, [S("x"), W("fast"), W("slow"), M("matype")], [12.0, 26.0, 1.0], Num, "lookback(slow, matype)", "absolute price oscillator: MA(fast) − MA(slow)", |i, o| osc::price_osc(i.x(0), i.n(0), i.n(1), i.m(2), false, o)),
    spec!("ppo", G, [S("x"), W("fast"), W("slow"), M("matype")], [12.0, 26.0, 1.0], Num, "lookback(slow, matype)", "percentage price oscillator: 100·(MA(fast) − MA(slow))/MA(slow)", |i, o| osc::price_osc(i.x(0), i.n(0), i.n(1), i.m(2), true, o)),
    spec!("aroon_aroondown", G, [W("n")], [14.0], Num, "n", "Aroon down: 100·(n − bars since the lowest low)/n", |i, o| osc::aroon(i.bars.high, i.bars.low, i.n(0), false, o)),
    spec!("aroon_aroonup", G, [W("n")], [14.0], Num, "n", "Aroon up: 100·(n − bars since the highest high)/n", |i, o| osc::aroon(i.bars.high, i.bars.low, i.n(0), true, o)),
    spec!("aroonosc", G, [W("n")], [14.0], Num, "n", "Aroon oscillator: up − down", |i, o| osc::aroonosc(i.bars.high, i.bars.low, i.n(0), o)),
    spec!("bop", G, [], [], Num, "0", "balance of power: (close − open)/(high − low)", |i, o| osc::bop(i.bars.open, i.bars.high, i.bars.low, i.bars.close, o)),
    spec!("cmo", G, [S("x"), W("n")], [14.0], Num, "n", "Chande momentum oscillator, −100..100", |i, o| momentum::cmo(i.x(0), i.n(0), o)),
    spec!("dx", G, [W("n")], [14.0], Num, "n", "directional movement index", |i, o| dm(i, Directional::Dx, o)),
    spec!("plus_dm", G, [W("n")], [14.0], Num, "n-1", "plus directional movement, Wilder-summed", |i, o| osc::dm(i.bars.high, i.bars.low, i.n(0), true, o)),
    spec!("minus_dm", G, [W("n")], [14.0], Num, "n-1", "minus directional movement, Wilder-summed", |i, o| osc::dm(i.bars.high, i.bars.low, i.n(0), false, o)),
    spec!("macd_macd", G, [S("x"), W("fast"), W("slow"), W("signal")], [12.0, 26.0, 9.0], Num, "slow+signal-2", "MACD line (same as macd)", |i, o| momentum::macd(i.x(0), i.n(0), i.n(1), i.n(2), MacdLine::Macd, o)),
    spec!("macd_macdsignal", G, [S("x"), W("fast"), W("slow"), W("signal")], [12.0, 26.0, 9.0], Num, "slow+signal-2", "MACD signal line (same as macd_signal)", |i, o| momentum::macd(i.x(0), i.n(0), i.n(1), i.n(2), MacdLine::Signal, o)),
    spec!("macd_macdhist", G, [S("x"), W("fast"), W("slow"), W("signal")], [12.0, 26.0, 9.0], Num, "slow+signal-2", "MACD histogram (same as macd_hist)", |i, o| momentum::macd(i.x(0), i.n(0), i.n(1), i.n(2), MacdLine::Hist, o)),
    spec!("macdext_macd", G, [S("x"), W("fast"), M("fastmatype"), W("slow"), M("slowmatype"), W("signal"), M("signalmatype")], [12.0, 0.0, 26.0, 0.0, 9.0, 0.0], Num, "lookback(slow)+lookback(signal)", "MACD line with a moving-average type per line", |i, o| macdext(i, MacdLine::Macd, o)),
    spec!("macdext_macdsignal", G, [S("x"), W("fast"), M("fastmatype"), W("slow"), M("slowmatype"), W("signal"), M("signalmatype")], [12.0, 0.0, 26.0, 0.0, 9.0, 0.0], Num, "lookback(slow)+lookback(signal)", "MACDEXT signal line", |i, o| macdext(i, MacdLine::Signal, o)),
    spec!("macdext_macdhist", G, [S("x"), W("fast"), M("fastmatype"), W("slow"), M("slowmatype"), W("signal"), M("signalmatype")], [12.0, 0.0, 26.0, 0.0, 9.0, 0.0], Num, "lookback(slow)+lookback(signal)", "MACDEXT histogram", |i, o| macdext(i, MacdLine::Hist, o)),
    spec!("macdfix_macd", G, [S("x"), W("signal")], [9.0], Num, "signal+24", "MACD(12, 26) with fixed factors 0.15 and 0.075", |i, o| momentum::macdfix(i.x(0), i.n(0), MacdLine::Macd, o)),
    spec!("macdfix_macdsignal", G, [S("x"), W("signal")], [9.0], Num, "signal+24", "MACDFIX signal line", |i, o| momentum::macdfix(i.x(0), i.n(0), MacdLine::Signal, o)),
    spec!("macdfix_macdhist", G, [S("x"), W("signal")], [9.0], Num, "signal+24", "MACDFIX histogram", |i, o| momentum::macdfix(i.x(0), i.n(0), MacdLine::Hist, o)),
    spec!("mom", G, [S("x"), W("n")], [10.0], Num, "n", "momentum: x − x[t−n]", |i, o| osc::change(i.x(0), i.n(0), Change::Mom, o)),
    spec!("rocp", G, [S("x"), W("n")], [10.0], Num, "n", "rate of change as a fraction: (x − x[t−n])/x[t−n]", |i, o| osc::change(i.x(0), i.n(0), Change::Rocp, o)),
    spec!("rocr", G, [S("x"), W("n")], [10.0], Num, "n", "rate of change ratio: x/x[t−n]", |i, o| osc::change(i.x(0), i.n(0), Change::Rocr, o)),
    spec!("rocr100", G, [S("x"), W("n")], [10.0], Num, "n", "rate of change ratio × 100", |i, o| osc::change(i.x(0), i.n(0), Change::Rocr100, o)),
    spec!("stoch_slowk", G, [W("fastk"), W("slowk"), M("slowk_matype"), W("slowd"), M("slowd_matype")], [5.0, 3.0, 0.0, 3.0, 0.0], Num, "fastk-1+lookback(slowk)+lookback(slowd)", "slow stochastic %K (TA-Lib STOCH)", |i, o| stoch(i, StochOut::First, o)),
    spec!("stoch_slowd", G, [W("fastk"), W("slowk"), M("slowk_matype"), W("slowd"), M("slowd_matype")], [5.0, 3.0, 0.0, 3.0, 0.0], Num, "fastk-1+lookback(slowk)+lookback(slowd)", "slow stochastic %D (TA-Lib STOCH)", |i, o| stoch(i, StochOut::Second, o)),
    spec!("stochf_fastk", G, [W("fastk"), W("fastd"), M("fastd_matype")], [5.0, 3.0, 0.0], Num, "fastk-1+lookback(fastd)", "fast stochastic %K", |i, o| osc::stochf(i.bars.high, i.bars.low, i.bars.close, i.n(0), (i.n(1), i.m(2)), &mut [(StochOut::First, o)])),
    spec!("stochf_fastd", G, [W("fastk"), W("fastd"), M("fastd_matype")], [5.0, 3.0, 0.0], Num, "fastk-1+lookback(fastd)", "fast stochastic %D", |i, o| osc::stochf(i.bars.high, i.bars.low, i.bars.close, i.n(0), (i.n(1), i.m(2)), &mut [(StochOut::Second, o)])),
    spec!("stochrsi_fastk", G, [S("x"), W("n"), W("fastk"), W("fastd"), M("fastd_matype")], [14.0, 5.0, 3.0, 0.0], Num, "n+fastk-1+lookback(fastd)", "stochastic RSI %K", |i, o| osc::stochrsi(i.x(0), i.n(0), i.n(1), (i.n(2), i.m(3)), &mut [(StochOut::First, o)])),
    spec!("stochrsi_fastd", G, [S("x"), W("n"), W("fastk"), W("fastd"), M("fastd_matype")], [14.0, 5.0, 3.0, 0.0], Num, "n+fastk-1+lookback(fastd)", "stochastic RSI %D", |i, o| osc::stochrsi(i.x(0), i.n(0), i.n(1), (i.n(2), i.m(3)), &mut [(StochOut::Second, o)])),
    spec!("trix", G, [S("x"), W("n")], [30.0], Num, "3(n-1)+1", "1-bar rate of change of a triple EMA, percent", |i, o| osc::trix(i.x(0), i.n(0), o)),
    spec!("ultosc", G, [W("n1"), W("n2"), W("n3")], [7.0, 14.0, 28.0], Num, "max(n1, n2, n3)", "ultimate oscillator", |i, o| osc::ultosc(i.bars.high, i.bars.low, i.bars.close, [i.n(0), i.n(1), i.n(2)], o)),
];

fn dm(i: &Inputs, line: Directional, o: &mut [f64]) {
    directional(i.bars.high, i.bars.low, i.bars.close, i.n(0), line, o);
}

fn adxr(i: &Inputs, o: &mut [f64]) {
    let n = i.n(0);
    let mut adx = vec![f64::NAN; o.len()];
    dm(i, Directional::Adx, &mut adx);
    o.fill(f64::NAN);
    if n == 0 {
        return;
    }
    for t in (2 * n).saturating_sub(1) + n.saturating_sub(1)..o.len() {
        o[t] = (adx[t] + adx[t + 1 - n]) / 2.0;
    }
}

fn macdext(i: &Inputs, line: MacdLine, o: &mut [f64]) {
    macdext_lines(i, &mut [(line, o)]);
}

fn stoch(i: &Inputs, line: StochOut, o: &mut [f64]) {
    stoch_lines(i, &mut [(line, o)]);
}

/// MACDEXT's lines of a call's arguments, one buffer per line asked.
fn macdext_lines(i: &Inputs, outs: &mut [(MacdLine, &mut [f64])]) {
    let (f, s, g) = ((i.n(0), i.m(1)), (i.n(2), i.m(3)), (i.n(4), i.m(5)));
    osc::macdext(i.x(0), f, s, g, outs);
}

/// STOCH's lines of a call's arguments, one buffer per line asked.
fn stoch_lines(i: &Inputs, outs: &mut [(StochOut, &mut [f64])]) {
    let b = &i.bars;
    let (k, d) = ((i.n(1), i.m(2)), (i.n(3), i.m(4)));
    osc::stoch(b.high, b.low, b.close, i.n(0), k, d, outs);
}

/// The families: every output of a multi-output function in one pass.
pub(super) static FAMILIES: &[Family] = &[
    Family {
        names: &["macd_macd", "macd_macdsignal", "macd_macdhist"],
        compute: |i, o| momentum::macd_all(i.x(0), i.n(0), i.n(1), i.n(2), false, o),
    },
    Family {
        names: &["macdfix_macd", "macdfix_macdsignal", "macdfix_macdhist"],
        compute: |i, o| momentum::macd_all(i.x(0), 12, 26, i.n(0), true, o),
    },
    Family {
        names: &["macdext_macd", "macdext_macdsignal", "macdext_macdhist"],
        compute: macdext_family,
    },
    Family {
        names: &["stoch_slowk", "stoch_slowd"],
        compute: stoch_family,
    },
    Family {
        names: &["stochf_fastk", "stochf_fastd"],
        compute: |i, o| {
            osc::stochf(
                i.bars.high,
                i.bars.low,
                i.bars.close,
                i.n(0),
                (i.n(1), i.m(2)),
                &mut pairs(o),
            )
        },
    },
    Family {
        names: &["stochrsi_fastk", "stochrsi_fastd"],
        compute: |i, o| osc::stochrsi(i.x(0), i.n(0), i.n(1), (i.n(2), i.m(3)), &mut pairs(o)),
    },
];

/// The two stochastic lines paired with their buffers.
fn pairs<'a>(o: &'a mut [&mut [f64]]) -> Vec<(StochOut, &'a mut [f64])> {
    [StochOut::First, StochOut::Second]
        .into_iter()
        .zip(o.iter_mut().map(|b| &mut **b))
        .collect()
}

fn macdext_family(i: &Inputs, o: &mut [&mut [f64]]) {
    let lines = [MacdLine::Macd, MacdLine::Signal, MacdLine::Hist];
    let mut outs: Vec<(MacdLine, &mut [f64])> = lines
        .into_iter()
        .zip(o.iter_mut().map(|b| &mut **b))
        .collect();
    macdext_lines(i, &mut outs);
}

fn stoch_family(i: &Inputs, o: &mut [&mut [f64]]) {
    stoch_lines(i, &mut pairs(o));
}
