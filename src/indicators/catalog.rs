//! The catalogue: every function the expression language knows, with its
//! arguments, meaning, warm-up and the adapter that computes it. A new
//! indicator is one function in its family file plus one line here.

use super::elementwise as ew;
use super::ma;
use super::momentum::{self, MacdLine, StochLine};
use super::rolling;
use super::trend::{self, Directional};
use super::volatility::{self, Band};
use super::volume;

/// One argument of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// A numeric column (any numeric expression).
    Series(&'static str),
    /// A boolean column.
    Condition(&'static str),
    /// A positive integer constant (a window length); parameters allowed.
    Window(&'static str),
    /// A non-negative integer constant (a shift); parameters allowed.
    Count(&'static str),
    /// A numeric constant (e.g. a band width); parameters allowed.
    Number(&'static str),
}

impl Param {
    pub fn name(self) -> &'static str {
        match self {
            Param::Series(n) | Param::Condition(n) | Param::Window(n) => n,
            Param::Count(n) | Param::Number(n) => n,
        }
    }

    /// True for arguments that are columns rather than constants.
    pub fn is_column(self) -> bool {
        matches!(self, Param::Series(_) | Param::Condition(_))
    }
}

/// What a function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Output {
    Number,
    Bool,
}

/// The candle columns, for functions that read them implicitly.
#[derive(Debug, Clone, Copy)]
pub struct Bars<'a> {
    pub open: &'a [f64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    pub close: &'a [f64],
    pub volume: &'a [f64],
}

impl<'a> Bars<'a> {
    pub fn of(c: &'a crate::data::Candles) -> Bars<'a> {
        Bars {
            open: &c.open,
            high: &c.high,
            low: &c.low,
            close: &c.close,
            volume: &c.volume,
        }
    }
}

/// What an adapter receives: the column arguments (already sliced past
/// their common NaN warm-up), the constant arguments, and the candles.
pub struct Inputs<'a> {
    pub series: &'a [&'a [f64]],
    pub args: &'a [f64],
    pub bars: Bars<'a>,
}

impl Inputs<'_> {
    fn n(&self, i: usize) -> usize {
        self.args[i] as usize
    }
}

/// A function of the expression language.
#[derive(Debug)]
pub struct Spec {
    pub name: &'static str,
    pub params: &'static [Param],
    pub output: Output,
    pub doc: &'static str,
    /// The first bar with a value, as a formula of the arguments.
    pub warmup: &'static str,
    pub compute: fn(&Inputs, &mut [f64]),
}

impl Spec {
    /// `sma(x, n)`.
    pub fn signature(&self) -> String {
        if self.name == "triple_barrier" {
            // Its mode is written as texts (the compiler turns them into it).
            return "triple_barrier(up, down, horizon[, \"zero\"|\"sign\"[, \"close\"|\"hl\"]])"
                .into();
        }
        let args: Vec<&str> = self.params.iter().map(|p| p.name()).collect();
        format!("{}({})", self.name, args.join(", "))
    }
}

use Output::{Bool, Number as Num};
use Param::{Condition as C, Count as K, Number as F, Series as S, Window as W};

macro_rules! spec {
    ($name:literal, [$($p:expr),*], $out:expr, $warm:literal, $doc:literal, $f:expr) => {
        Spec { name: $name, params: &[$($p),*], output: $out, doc: $doc, warmup: $warm, compute: $f }
    };
}

static CATALOG: &[Spec] = &[
    // Moving averages
    spec!(
        "sma",
        [S("x"), W("n")],
        Num,
        "n-1",
        "simple moving average",
        |i, o| ma::sma(i.series[0], i.n(0), o)
    ),
    spec!(
        "ema",
        [S("x"), W("n")],
        Num,
        "n-1",
        "exponential moving average, k = 2/(n+1), SMA seed",
        |i, o| ma::ema(i.series[0], i.n(0), o)
    ),
    spec!(
        "wma",
        [S("x"), W("n")],
        Num,
        "n-1",
        "linearly weighted moving average",
        |i, o| ma::wma(i.series[0], i.n(0), o)
    ),
    spec!(
        "dema",
        [S("x"), W("n")],
        Num,
        "2(n-1)",
        "double EMA: 2·EMA − EMA(EMA)",
        |i, o| ma::dema(i.series[0], i.n(0), o)
    ),
    spec!(
        "tema",
        [S("x"), W("n")],
        Num,
        "3(n-1)",
        "triple EMA: 3·e1 − 3·e2 + e3",
        |i, o| ma::tema(i.series[0], i.n(0), o)
    ),
    spec!(
        "kama",
        [S("x"), W("n")],
        Num,
        "n",
        "Kaufman adaptive moving average (fast 2, slow 30)",
        |i, o| ma::kama(i.series[0], i.n(0), o)
    ),
    spec!(
        "vwma",
        [S("x"), W("n")],
        Num,
        "n-1",
        "volume-weighted moving average Σ(x·volume)/Σvolume",
        |i, o| ma::vwma(i.series[0], i.bars.volume, i.n(0), o)
    ),
    spec!(
        "sum",
        [S("x"), W("n")],
        Num,
        "n-1",
        "rolling sum over n bars",
        |i, o| ma::sum(i.series[0], i.n(0), o)
    ),
    // Momentum
    spec!(
        "rsi",
        [S("x"), W("n")],
        Num,
        "n",
        "relative strength index (Wilder), 0..100",
        |i, o| momentum::rsi(i.series[0], i.n(0), o)
    ),
    spec!(
        "macd",
        [S("x"), W("fast"), W("slow"), W("signal")],
        Num,
        "slow+signal-2",
        "MACD line: EMA(fast) − EMA(slow), TA-Lib seeding",
        |i, o| momentum::macd(i.series[0], i.n(0), i.n(1), i.n(2), MacdLine::Macd, o)
    ),
    spec!(
        "macd_signal",
        [S("x"), W("fast"), W("slow"), W("signal")],
        Num,
        "slow+signal-2",
        "MACD signal line: EMA(signal) of the MACD line",
        |i, o| momentum::macd(i.series[0], i.n(0), i.n(1), i.n(2), MacdLine::Signal, o)
    ),
    spec!(
        "macd_hist",
        [S("x"), W("fast"), W("slow"), W("signal")],
        Num,
        "slow+signal-2",
        "MACD histogram: line − signal",
        |i, o| momentum::macd(i.series[0], i.n(0), i.n(1), i.n(2), MacdLine::Hist, o)
    ),
    spec!(
        "roc",
        [S("x"), W("n")],
        Num,
        "n",
        "rate of change in percent: 100·(x/x[t−n] − 1)",
        |i, o| momentum::roc(i.series[0], i.n(0), o)
    ),
    spec!(
        "pct_change",
        [S("x"), W("n")],
        Num,
        "n",
        "fractional change: x/x[t−n] − 1",
        |i, o| momentum::pct_change(i.series[0], i.n(0), o)
    ),
    spec!(
        "stoch_k",
        [W("n"), W("k_smooth"), W("d_smooth")],
        Num,
        "n+k_smooth+d_smooth-3",
        "slow stochastic %K (SMA-smoothed), 0..100",
        |i, o| momentum::stoch(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.n(0),
            i.n(1),
            i.n(2),
            StochLine::K,
            o
        )
    ),
    spec!(
        "stoch_d",
        [W("n"), W("k_smooth"), W("d_smooth")],
        Num,
        "n+k_smooth+d_smooth-3",
        "slow stochastic %D (SMA of %K), 0..100",
        |i, o| momentum::stoch(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.n(0),
            i.n(1),
            i.n(2),
            StochLine::D,
            o
        )
    ),
    spec!(
        "willr",
        [W("n")],
        Num,
        "n-1",
        "Williams %R, −100..0",
        |i, o| momentum::willr(i.bars.high, i.bars.low, i.bars.close, i.n(0), o)
    ),
    spec!(
        "cci",
        [W("n")],
        Num,
        "n-1",
        "commodity channel index on the typical price",
        |i, o| momentum::cci(i.bars.high, i.bars.low, i.bars.close, i.n(0), o)
    ),
    // Trend
    spec!(
        "adx",
        [W("n")],
        Num,
        "2n-1",
        "average directional index (Wilder), 0..100",
        |i, o| trend::directional(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.n(0),
            Directional::Adx,
            o
        )
    ),
    spec!(
        "plus_di",
        [W("n")],
        Num,
        "n",
        "plus directional indicator +DI",
        |i, o| trend::directional(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.n(0),
            Directional::PlusDi,
            o
        )
    ),
    spec!(
        "minus_di",
        [W("n")],
        Num,
        "n",
        "minus directional indicator −DI",
        |i, o| trend::directional(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.n(0),
            Directional::MinusDi,
            o
        )
    ),
    // Volatility and channels
    spec!("tr", [], Num, "1", "true range", |i, o| {
        volatility::true_range(i.bars.high, i.bars.low, i.bars.close, o)
    }),
    spec!(
        "atr",
        [W("n")],
        Num,
        "n",
        "average true range (Wilder)",
        |i, o| volatility::atr(i.bars.high, i.bars.low, i.bars.close, i.n(0), o)
    ),
    spec!(
        "stddev",
        [S("x"), W("n")],
        Num,
        "n-1",
        "population standard deviation",
        |i, o| volatility::stddev(i.series[0], i.n(0), o)
    ),
    spec!(
        "zscore",
        [S("x"), W("n")],
        Num,
        "n-1",
        "(x − SMA)/stddev; NaN on a flat window",
        |i, o| volatility::zscore(i.series[0], i.n(0), o)
    ),
    spec!(
        "bb_upper",
        [S("x"), W("n"), F("k")],
        Num,
        "n-1",
        "Bollinger upper band: SMA + k·stddev",
        |i, o| volatility::bbands(i.series[0], i.n(0), i.args[1], Band::Upper, o)
    ),
    spec!(
        "bb_middle",
        [S("x"), W("n"), F("k")],
        Num,
        "n-1",
        "Bollinger middle band: SMA",
        |i, o| volatility::bbands(i.series[0], i.n(0), i.args[1], Band::Middle, o)
    ),
    spec!(
        "bb_lower",
        [S("x"), W("n"), F("k")],
        Num,
        "n-1",
        "Bollinger lower band: SMA − k·stddev",
        |i, o| volatility::bbands(i.series[0], i.n(0), i.args[1], Band::Lower, o)
    ),
    spec!(
        "keltner_upper",
        [W("n"), F("k")],
        Num,
        "n",
        "Keltner upper: EMA(close, n) + k·ATR(n)",
        |i, o| volatility::keltner(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.n(0),
            i.args[1],
            Band::Upper,
            o
        )
    ),
    spec!(
        "keltner_middle",
        [W("n")],
        Num,
        "n",
        "Keltner middle: EMA(close, n)",
        |i, o| volatility::keltner(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.n(0),
            0.0,
            Band::Middle,
            o
        )
    ),
    spec!(
        "keltner_lower",
        [W("n"), F("k")],
        Num,
        "n",
        "Keltner lower: EMA(close, n) − k·ATR(n)",
        |i, o| volatility::keltner(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.n(0),
            i.args[1],
            Band::Lower,
            o
        )
    ),
    spec!(
        "highest",
        [S("x"), W("n")],
        Num,
        "n-1",
        "highest value of the last n bars",
        |i, o| rolling::highest(i.series[0], i.n(0), o)
    ),
    spec!(
        "lowest",
        [S("x"), W("n")],
        Num,
        "n-1",
        "lowest value of the last n bars",
        |i, o| rolling::lowest(i.series[0], i.n(0), o)
    ),
    spec!(
        "donchian_upper",
        [W("n")],
        Num,
        "n-1",
        "Donchian upper: highest high of n bars",
        |i, o| rolling::highest(i.bars.high, i.n(0), o)
    ),
    spec!(
        "donchian_lower",
        [W("n")],
        Num,
        "n-1",
        "Donchian lower: lowest low of n bars",
        |i, o| rolling::lowest(i.bars.low, i.n(0), o)
    ),
    spec!(
        "donchian_middle",
        [W("n")],
        Num,
        "n-1",
        "Donchian middle: (upper + lower)/2",
        donchian_middle
    ),
    // Volume
    spec!(
        "obv",
        [],
        Num,
        "0",
        "on-balance volume, starting at volume[0]",
        |i, o| volume::obv(i.bars.close, i.bars.volume, o)
    ),
    spec!(
        "mfi",
        [W("n")],
        Num,
        "n",
        "money flow index, 0..100",
        |i, o| volume::mfi(
            i.bars.high,
            i.bars.low,
            i.bars.close,
            i.bars.volume,
            i.n(0),
            o
        )
    ),
    // Element-wise and time
    spec!(
        "shift",
        [S("x"), K("n")],
        Num,
        "n",
        "the value n bars ago (n ≥ 0)",
        |i, o| ew::shift(i.series[0], i.args[0] as i64, o)
    ),
    spec!(
        "crosses_above",
        [S("a"), S("b")],
        Bool,
        "1",
        "a[t−1] < b[t−1] and a[t] > b[t]",
        |i, o| ew::crosses_above(i.series[0], i.series[1], o)
    ),
    spec!(
        "crosses_below",
        [S("a"), S("b")],
        Bool,
        "1",
        "a[t−1] > b[t−1] and a[t] < b[t]",
        |i, o| ew::crosses_below(i.series[0], i.series[1], o)
    ),
    spec!("abs", [S("x")], Num, "0", "absolute value", |i, o| ew::map(
        i.series[0],
        o,
        f64::abs
    )),
    spec!(
        "log",
        [S("x")],
        Num,
        "0",
        "natural logarithm (NaN for x ≤ 0)",
        |i, o| ew::map(i.series[0], o, |v| if v > 0.0 { v.ln() } else { f64::NAN })
    ),
    spec!(
        "sqrt",
        [S("x")],
        Num,
        "0",
        "square root (NaN for x < 0)",
        |i, o| ew::map(i.series[0], o, f64::sqrt)
    ),
    spec!(
        "min",
        [S("a"), S("b")],
        Num,
        "0",
        "element-wise minimum",
        |i, o| ew::zip(i.series[0], i.series[1], o, f64::min)
    ),
    spec!(
        "max",
        [S("a"), S("b")],
        Num,
        "0",
        "element-wise maximum",
        |i, o| ew::zip(i.series[0], i.series[1], o, f64::max)
    ),
    spec!(
        "triple_barrier",
        [S("up"), S("down"), W("horizon"), F("mode")],
        Bool,
        "0",
        "label only: 1 when the return from close[t] reaches up before −down within horizon bars, else 0 (optional \"sign\", \"hl\"); NaN if unresolved",
        |i, o| {
            let offset = i.bars.close.len() - o.len();
            super::labels::triple_barrier(
                i.series[0],
                i.series[1],
                i.n(0),
                super::labels::Barrier::from_mode(i.args[1]),
                i.bars.close,
                i.bars.high,
                i.bars.low,
                offset,
                o,
            )
        }
    ),
    spec!(
        "only",
        [C("when"), C("label")],
        Bool,
        "0",
        "label only: the label where `when` holds, unknown (NaN, not trained on) elsewhere; meta-labeling",
        |i, o| {
            for ((o, w), x) in o.iter_mut().zip(i.series[0]).zip(i.series[1]) {
                *o = if *w != 0.0 { *x } else { f64::NAN };
            }
        }
    ),
    spec!(
        "where",
        [C("cond"), S("a"), S("b")],
        Num,
        "0",
        "a where cond holds, else b",
        |i, o| ew::select(i.series[0], i.series[1], i.series[2], o)
    ),
];

fn donchian_middle(i: &Inputs, o: &mut [f64]) {
    let mut lo = vec![f64::NAN; o.len()];
    rolling::highest(i.bars.high, i.n(0), o);
    rolling::lowest(i.bars.low, i.n(0), &mut lo);
    for (h, l) in o.iter_mut().zip(&lo) {
        *h = (*h + l) / 2.0;
    }
}

/// Every function, in catalogue order.
pub fn catalog() -> &'static [Spec] {
    CATALOG
}

/// The function with this name.
pub fn lookup(name: &str) -> Option<&'static Spec> {
    CATALOG.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a catalogue function by name on small candles.
    fn run(name: &str, series: &[&[f64]], args: &[f64], bars: Bars) -> Vec<f64> {
        let mut out = vec![f64::NAN; bars.close.len()];
        (lookup(name).unwrap().compute)(&Inputs { series, args, bars }, &mut out);
        out
    }

    const O: [f64; 4] = [1.0, 2.0, 3.0, 4.0];
    const H: [f64; 4] = [2.0, 3.0, 5.0, 4.5];
    const L: [f64; 4] = [0.5, 1.5, 2.5, 3.5];
    const C: [f64; 4] = [1.5, 2.5, 4.0, 4.0];
    const V: [f64; 4] = [10.0, 20.0, 30.0, 40.0];

    fn bars() -> Bars<'static> {
        Bars {
            open: &O,
            high: &H,
            low: &L,
            close: &C,
            volume: &V,
        }
    }

    #[test]
    fn channel_and_math_functions_by_hand() {
        let n = f64::NAN;
        let b = bars();
        assert_eq!(run("donchian_upper", &[], &[2.0], b)[1..], [3.0, 5.0, 5.0]);
        assert_eq!(run("donchian_lower", &[], &[2.0], b)[1..], [0.5, 1.5, 2.5]);
        assert_eq!(
            run("donchian_middle", &[], &[2.0], b)[1..],
            [1.75, 3.25, 3.75]
        );
        assert!(run("donchian_middle", &[], &[2.0], b)[0].is_nan());
        // Keltner(2, k = 2) at bar 2: EMA(close, 2) = 1.5... seed mean(1.5, 2.5) = 2 at 1,
        // then 2 + (4 − 2)·2/3 = 10/3; ATR(2) at 2 = mean(TR1, TR2) = mean(1.5, 2.5) = 2.
        let lower = run("keltner_lower", &[], &[2.0, 2.0], b);
        assert!(lower[1].is_nan());
        assert!((lower[2] - (10.0 / 3.0 - 4.0)).abs() < 1e-12);
        assert_eq!(
            run("log", &[&[1.0, std::f64::consts::E, 0.0, -1.0]], &[], b)[..2],
            [0.0, 1.0]
        );
        assert!(run("log", &[&[1.0, 1.0, 0.0, -1.0]], &[], b)[2..]
            .iter()
            .all(|v| v.is_nan()));
        assert_eq!(
            run("sqrt", &[&[4.0, 9.0, 0.0, 2.25]], &[], b),
            [2.0, 3.0, 0.0, 1.5]
        );
        assert_eq!(run("min", &[&O, &C], &[], b), [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(run("max", &[&O, &C], &[], b), [1.5, 2.5, 4.0, 4.0]);
        assert_eq!(
            run("abs", &[&[-1.0, 2.0, -0.0, n]], &[], b)[..3],
            [1.0, 2.0, 0.0]
        );
        assert_eq!(run("sum", &[&V], &[3.0], b)[2..], [60.0, 90.0]);
    }

    #[test]
    fn every_function_survives_short_data_and_long_windows() {
        // Windows longer than the data give all-NaN output, never a panic.
        for len in [0usize, 1, 2, 4] {
            let b = Bars {
                open: &O[..len],
                high: &H[..len],
                low: &L[..len],
                close: &C[..len],
                volume: &V[..len],
            };
            for spec in catalog() {
                let series: Vec<&[f64]> = spec
                    .params
                    .iter()
                    .filter(|p| p.is_column())
                    .map(|_| &C[..len])
                    .collect();
                let args: Vec<f64> = spec
                    .params
                    .iter()
                    .filter(|p| !p.is_column())
                    .map(|_| 50.0)
                    .collect();
                let mut out = vec![0.0; len];
                (spec.compute)(
                    &Inputs {
                        series: &series,
                        args: &args,
                        bars: b,
                    },
                    &mut out,
                );
                if spec.warmup != "0" && spec.name != "shift" && spec.warmup != "1" {
                    assert!(
                        out.iter().all(|v| v.is_nan()),
                        "{} len {len}: {out:?}",
                        spec.name
                    );
                }
            }
        }
    }

    #[test]
    fn names_are_unique_and_many() {
        let mut names: Vec<&str> = catalog().iter().map(|s| s.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
        assert!(n >= 25, "{n}");
        assert_eq!(
            lookup("macd_signal").unwrap().signature(),
            "macd_signal(x, fast, slow, signal)"
        );
    }
}
