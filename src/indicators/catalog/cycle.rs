//! TA-Lib's cycle indicators, statistic functions and math transforms:
//! the Hilbert-transform family, linear regression, BETA, CORREL, VAR,
//! AVGDEV, and the elementwise trigonometry, exponentials and rounding.

use super::Group::{Cycle as C, MathTransform as T, PriceTransform as P, Statistic as St};
use super::Output::{Integer as Int, Number as Num};
use super::Param::{Number as F, Series as S, Window as W};
use super::{lines, Family, Spec};
use crate::indicators::elementwise::{map, map_round};
use crate::indicators::hilbert::{self, Cycle};
use crate::indicators::stats::{self, Fit};
use crate::indicators::volatility::variance;

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    spec!("ht_dcperiod", C, [S("x")], [], Num, "32", "Hilbert transform dominant cycle period", |i, o| hilbert::dcperiod(i.x(0), o)),
    spec!("ht_dcphase", C, [S("x")], [], Num, "63", "Hilbert transform dominant cycle phase, degrees", |i, o| hilbert::cycle(i.x(0), Cycle::Phase, o)),
    spec!("ht_phasor_inphase", C, [S("x")], [], Num, "32", "Hilbert transform in-phase component", |i, o| hilbert::phasor(i.x(0), false, o)),
    spec!("ht_phasor_quadrature", C, [S("x")], [], Num, "32", "Hilbert transform quadrature component", |i, o| hilbert::phasor(i.x(0), true, o)),
    spec!("ht_sine_sine", C, [S("x")], [], Num, "63", "Hilbert transform sine wave", |i, o| hilbert::cycle(i.x(0), Cycle::Sine, o)),
    spec!("ht_sine_leadsine", C, [S("x")], [], Num, "63", "Hilbert transform lead sine (45° ahead)", |i, o| hilbert::cycle(i.x(0), Cycle::LeadSine, o)),
    spec!("ht_trendmode", C, [S("x")], [], Int, "63", "Hilbert transform trend (1) vs cycle (0) mode", |i, o| hilbert::cycle(i.x(0), Cycle::TrendMode, o)),
    spec!("linearreg", St, [S("x"), W("n")], [14.0], Num, "n-1", "least-squares fit over n bars, at the last bar", |i, o| stats::linreg(i.x(0), i.n(0), Fit::Value, o)),
    spec!("linearreg_slope", St, [S("x"), W("n")], [14.0], Num, "n-1", "least-squares slope per bar over n bars", |i, o| stats::linreg(i.x(0), i.n(0), Fit::Slope, o)),
    spec!("linearreg_intercept", St, [S("x"), W("n")], [14.0], Num, "n-1", "least-squares fit at the window's first bar", |i, o| stats::linreg(i.x(0), i.n(0), Fit::Intercept, o)),
    spec!("linearreg_angle", St, [S("x"), W("n")], [14.0], Num, "n-1", "least-squares slope in degrees", |i, o| stats::linreg(i.x(0), i.n(0), Fit::Angle, o)),
    spec!("tsf", St, [S("x"), W("n")], [14.0], Num, "n-1", "time series forecast: the fit one bar ahead", |i, o| stats::linreg(i.x(0), i.n(0), Fit::Forecast, o)),
    spec!("beta", St, [S("x"), S("y"), W("n")], [5.0], Num, "n", "beta of y's 1-bar returns on x's over n returns", |i, o| stats::beta(i.x(0), i.x(1), i.n(0), o)),
    spec!("correl", St, [S("x"), S("y"), W("n")], [30.0], Num, "n-1", "Pearson correlation over n bars", |i, o| stats::correl(i.x(0), i.x(1), i.n(0), o)),
    spec!("var", St, [S("x"), W("n"), F("nbdev")], [5.0, 1.0], Num, "n-1", "population variance (nbdev is ignored, as in TA-Lib)", |i, o| variance(i.x(0), i.n(0), o)),
    spec!("avgdev", P, [S("x"), W("n")], [14.0], Num, "n-1", "mean absolute deviation from the mean over n bars", |i, o| stats::avgdev(i.x(0), i.n(0), o)),
    spec!("acos", T, [S("x")], [], Num, "0", "arc cosine", |i, o| map(i.x(0), o, f64::acos)),
    spec!("asin", T, [S("x")], [], Num, "0", "arc sine", |i, o| map(i.x(0), o, f64::asin)),
    spec!("atan", T, [S("x")], [], Num, "0", "arc tangent", |i, o| map(i.x(0), o, f64::atan)),
    spec!("ceil", T, [S("x")], [], Num, "0", "smallest integer ≥ x", |i, o| map_round(i.x(0), o, f64::ceil)),
    spec!("cos", T, [S("x")], [], Num, "0", "cosine", |i, o| map(i.x(0), o, f64::cos)),
    spec!("cosh", T, [S("x")], [], Num, "0", "hyperbolic cosine", |i, o| map(i.x(0), o, f64::cosh)),
    spec!("exp", T, [S("x")], [], Num, "0", "e to the x", |i, o| map(i.x(0), o, f64::exp)),
    spec!("floor", T, [S("x")], [], Num, "0", "largest integer ≤ x", |i, o| map_round(i.x(0), o, f64::floor)),
    spec!("ln", T, [S("x")], [], Num, "0", "natural logarithm (same as log)", |i, o| map(i.x(0), o, f64::ln)),
    spec!("log10", T, [S("x")], [], Num, "0", "base-10 logarithm", |i, o| map(i.x(0), o, f64::log10)),
    spec!("sin", T, [S("x")], [], Num, "0", "sine", |i, o| map(i.x(0), o, f64::sin)),
    spec!("sinh", T, [S("x")], [], Num, "0", "hyperbolic sine", |i, o| map(i.x(0), o, f64::sinh)),
    spec!("tan", T, [S("x")], [], Num, "0", "tangent", |i, o| map(i.x(0), o, f64::tan)),
    spec!("tanh", T, [S("x")], [], Num, "0", "hyperbolic tangent", |i, o| map(i.x(0), o, f64::tanh)),
];

/// HT_PHASOR's and HT_SINE's two lines, each pair from one pass.
pub(super) static FAMILIES: &[Family] = &[
    Family {
        names: &["ht_phasor_inphase", "ht_phasor_quadrature"],
        compute: |i, o| hilbert::phasor_all(i.x(0), lines(o)),
    },
    Family {
        names: &["ht_sine_sine", "ht_sine_leadsine"],
        compute: |i, o| hilbert::sine_all(i.x(0), lines(o)),
    },
];
