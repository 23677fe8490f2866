//! TA-Lib's overlap studies beyond the core averages: BBANDS, MA by type,
//! TRIMA, T3, MAMA, MAVP, MIDPOINT, MIDPRICE, SAR, SAREXT, HT_TRENDLINE.

use super::Group::Overlap as G;
use super::Output::Number as Num;
use super::Param::{MaType as M, Number as F, Series as S, Window as W};
use super::{lines, Family, Inputs, Spec};
use crate::indicators::hilbert::{self, Cycle};
use crate::indicators::matype::{self as mt, by_type, MaType};
use crate::indicators::oscillators::midpoint;
use crate::indicators::sar::{sar, SarSettings};
use crate::indicators::volatility;

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    spec!("bbands_upperband", G, [S("x"), W("n"), F("nbdevup"), F("nbdevdn"), M("matype")], [20.0, 2.0, 2.0, 0.0], Num, "lookback(n, matype)", "Bollinger upper band: MA + nbdevup·stddev", |i, o| bbands(i, 1, o)),
    spec!("bbands_middleband", G, [S("x"), W("n"), F("nbdevup"), F("nbdevdn"), M("matype")], [20.0, 2.0, 2.0, 0.0], Num, "lookback(n, matype)", "Bollinger middle band: the MA", |i, o| bbands(i, 0, o)),
    spec!("bbands_lowerband", G, [S("x"), W("n"), F("nbdevup"), F("nbdevdn"), M("matype")], [20.0, 2.0, 2.0, 0.0], Num, "lookback(n, matype)", "Bollinger lower band: MA − nbdevdn·stddev", |i, o| bbands(i, -1, o)),
    spec!("ma", G, [S("x"), W("n"), M("matype")], [30.0, 0.0], Num, "lookback(n, matype)", "moving average of TA-Lib type matype", |i, o| by_type(i.x(0), i.n(0), i.m(1), o)),
    spec!("trima", G, [S("x"), W("n")], [30.0], Num, "n-1", "triangular moving average", |i, o| mt::trima(i.x(0), i.n(0), o)),
    spec!("t3", G, [S("x"), W("n"), F("vfactor")], [5.0, 0.7], Num, "6(n-1)", "Tillson T3 with volume factor vfactor", |i, o| mt::t3(i.x(0), i.n(0), i.f(1), o)),
    spec!("mama_mama", G, [S("x"), F("fastlimit"), F("slowlimit")], [0.5, 0.05], Num, "32", "MESA adaptive moving average", |i, o| hilbert::mama(i.x(0), i.f(0), i.f(1), true, o)),
    spec!("mama_fama", G, [S("x"), F("fastlimit"), F("slowlimit")], [0.5, 0.05], Num, "32", "following adaptive moving average (FAMA)", |i, o| hilbert::mama(i.x(0), i.f(0), i.f(1), false, o)),
    spec!("mavp", G, [S("x"), S("periods"), W("minperiod"), W("maxperiod"), M("matype")], [2.0, 30.0, 0.0], Num, "lookback(maxperiod, matype)", "moving average whose period is the periods series, clamped to [minperiod, maxperiod]", mavp),
    spec!("midpoint", G, [S("x"), W("n")], [14.0], Num, "n-1", "(highest + lowest)/2 of x over n bars", |i, o| midpoint(i.x(0), i.x(0), i.n(0), o)),
    spec!("midprice", G, [W("n")], [14.0], Num, "n-1", "(highest high + lowest low)/2 over n bars", |i, o| midpoint(i.bars.high, i.bars.low, i.n(0), o)),
    spec!("sar", G, [F("acceleration"), F("maximum")], [0.02, 0.2], Num, "1", "parabolic SAR", |i, o| sar(i.bars.high, i.bars.low, SarSettings::plain(i.f(0), i.f(1)), o)),
    spec!("sarext", G, [F("startvalue"), F("offsetonreverse"), F("accelerationinitlong"), F("accelerationlong"), F("accelerationmaxlong"), F("accelerationinitshort"), F("accelerationshort"), F("accelerationmaxshort")], [0.0, 0.0, 0.02, 0.02, 0.2, 0.02, 0.02, 0.2], Num, "1", "parabolic SAR, extended: short positions negative", sarext),
    spec!("ht_trendline", G, [S("x")], [], Num, "63", "Hilbert transform instantaneous trendline", |i, o| hilbert::cycle(i.x(0), Cycle::Trendline, o)),
];

/// BBANDS: `side` 1 upper, 0 middle, −1 lower.
fn bbands(i: &Inputs, side: i8, o: &mut [f64]) {
    let (x, n, t) = (i.x(0), i.n(0), i.m(3));
    if side == 0 {
        return by_type(x, n, t, o);
    }
    // The variance in a column of its own, its square root (`stddev`'s)
    // taken as the band is written: one pass fewer than the deviation's.
    let mut var = vec![f64::NAN; x.len()];
    ma_and_variance(x, (n, t), o, &mut var);
    let k = if side > 0 { i.f(1) } else { i.f(2) };
    for (m, v) in o.iter_mut().zip(&var) {
        // TA-Lib's bands: middle ± k·sd, with k = 1 added as is.
        let sd = v.sqrt();
        *m = if side > 0 { *m + k * sd } else { *m - k * sd };
    }
}

fn sarext(i: &Inputs, o: &mut [f64]) {
    let s = SarSettings {
        start: i.f(0),
        offset: i.f(1),
        init_long: i.f(2),
        step_long: i.f(3),
        max_long: i.f(4),
        init_short: i.f(5),
        step_short: i.f(6),
        max_short: i.f(7),
        signed: true,
    };
    sar(i.bars.high, i.bars.low, s, o);
}

/// MAVP: each bar takes the MA of its own period (truncated, clamped), all
/// from the output's first bar, as TA-Lib does.
#[allow(clippy::manual_memcpy)] // the source column changes with each bar
fn mavp(i: &Inputs, o: &mut [f64]) {
    let (x, p) = (i.x(0), i.x(1));
    let (lo, hi, t) = (i.n(0), i.n(1), i.m(2));
    let start = mt::lookback(hi, t);
    o.fill(f64::NAN);
    if x.len() <= start {
        return;
    }
    let mut done: Vec<Option<Vec<f64>>> = vec![None; hi + 1];
    for k in start..x.len() {
        let n = (p[k] as usize).clamp(lo, hi);
        let col = done[n].get_or_insert_with(|| {
            let mut c = vec![f64::NAN; x.len()];
            mt::by_type_from(x, n, t, start, &mut c);
            c
        });
        o[k] = col[k];
    }
}

/// The families: every output of a multi-output function in one pass.
pub(super) static FAMILIES: &[Family] = &[
    Family {
        names: &["bbands_upperband", "bbands_middleband", "bbands_lowerband"],
        compute: bbands_family,
    },
    Family {
        names: &["mama_mama", "mama_fama"],
        compute: |i, o| hilbert::mama_both(i.x(0), i.f(0), i.f(1), o),
    },
];

/// The three bands from one MA and one standard deviation: the variance
/// into the upper band's column as scratch, its square root (`stddev`'s)
/// taken as the bands are written, no column of the deviation.
fn bbands_family(i: &Inputs, o: &mut [&mut [f64]]) {
    let (x, n, t) = (i.x(0), i.n(0), i.m(3));
    let [up, mid, low] = lines(o);
    ma_and_variance(x, (n, t), mid, up);
    let (ku, kd) = (i.f(1), i.f(2));
    for ((u, m), l) in up.iter_mut().zip(mid.iter()).zip(low.iter_mut()) {
        let sd = u.sqrt();
        *u = m + ku * sd;
        *l = m - kd * sd;
    }
}

/// BBANDS's MA into `ma` and the variance into `var`, on two threads: the
/// two loops share nothing, and each is bound by its own chain and
/// divisions (SMA 1.9 ms, variance 2.9 on 1M bars), so together they take
/// the longer's time. Each column is what it is alone, so the values do
/// not depend on the thread count.
fn ma_and_variance(x: &[f64], (n, t): (usize, MaType), ma: &mut [f64], var: &mut [f64]) {
    rayon::join(|| by_type(x, n, t, ma), || volatility::variance(x, n, var));
}
