//! The catalogue: every function the expression language knows, with its
//! group, arguments and their defaults, meaning, warm-up and the adapter that
//! computes it. A new indicator is one function in its family file plus one
//! line in its group's catalogue file.

use std::collections::HashMap;
use std::sync::OnceLock;

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
    /// A moving-average type, TA-Lib's integers 0..=13 (`MaType`).
    MaType(&'static str),
    /// A quoted calendar period (`"1d"`, `"4h"`, `"1w"`, or `"all"`),
    /// compiled to `beyond::anchor_code`.
    Anchor(&'static str),
}

impl Param {
    pub fn name(self) -> &'static str {
        match self {
            Param::Series(n) | Param::Condition(n) | Param::Window(n) => n,
            Param::Count(n) | Param::Number(n) | Param::MaType(n) | Param::Anchor(n) => n,
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
    /// TA-Lib's integer outputs (candlestick patterns, HT_TRENDMODE): a
    /// number, 0 rather than missing during the lookback.
    Integer,
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

    /// Every column the one series (tests of expressions over a close).
    #[cfg(test)]
    pub fn flat(x: &'a [f64]) -> Bars<'a> {
        Bars {
            open: x,
            high: x,
            low: x,
            close: x,
            volume: x,
        }
    }
}

/// What an adapter receives: the column arguments (already sliced past
/// their common NaN warm-up), the constant arguments, and the candles.
pub struct Inputs<'a> {
    pub series: &'a [&'a [f64]],
    pub args: &'a [f64],
    pub bars: Bars<'a>,
    /// The bars' times (milliseconds), for calendar anchors.
    pub ts: &'a [i64],
}

impl Inputs<'_> {
    /// Constant argument `i` as a window length.
    fn n(&self, i: usize) -> usize {
        self.args[i] as usize
    }

    /// Constant argument `i` as a number.
    fn f(&self, i: usize) -> f64 {
        self.args[i]
    }

    /// Constant argument `i` as a moving-average type.
    fn m(&self, i: usize) -> crate::indicators::matype::MaType {
        crate::indicators::matype::MaType::of(self.args[i])
    }

    /// Series argument `i`.
    fn x(&self, i: usize) -> &[f64] {
        self.series[i]
    }

    /// A candle column aligned with the series arguments (which start past
    /// their warm-up, while the candles start at bar 0).
    fn aligned<'c>(&self, col: &'c [f64]) -> &'c [f64] {
        let n = self.series.first().map_or(col.len(), |s| s.len());
        &col[col.len() - n..]
    }
}

/// An anchor code as it is written (`"1d"`, `"1w"`, `"all"`).
fn anchor_text(code: f64) -> String {
    let day = 86_400_000.0;
    if code == 0.0 {
        "all".into()
    } else if code < 0.0 {
        format!("{}w", -code)
    } else if code % day == 0.0 {
        format!("{}d", code / day)
    } else {
        format!("{}h", code / 3_600_000.0)
    }
}

/// TA-Lib's function groups, plus tradelab's own operators and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Overlap,
    Momentum,
    Volume,
    Volatility,
    PriceTransform,
    Cycle,
    Pattern,
    Statistic,
    MathTransform,
    MathOperator,
    Label,
}

impl Group {
    /// Its name as `tradelab indicators` prints it.
    pub fn title(self) -> &'static str {
        match self {
            Group::Overlap => "overlap studies",
            Group::Momentum => "momentum indicators",
            Group::Volume => "volume indicators",
            Group::Volatility => "volatility indicators",
            Group::PriceTransform => "price transform",
            Group::Cycle => "cycle indicators",
            Group::Pattern => "pattern recognition",
            Group::Statistic => "statistic functions",
            Group::MathTransform => "math transform",
            Group::MathOperator => "math operators",
            Group::Label => "labels (model targets only)",
        }
    }
}

/// A function of the expression language.
#[derive(Debug)]
pub struct Spec {
    pub name: &'static str,
    pub group: Group,
    pub params: &'static [Param],
    /// Defaults of the trailing constant parameters (TA-Lib's), which a
    /// call may leave out; empty when every argument must be given.
    pub defaults: &'static [f64],
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
        let optional = self.params.len() - self.defaults.len();
        let mut text = String::new();
        for (k, p) in self.params.iter().enumerate() {
            if k > 0 {
                text.push_str(", ");
            }
            if k >= optional {
                let d = self.defaults[k - optional];
                if matches!(p, Param::Anchor(_)) {
                    text.push_str(&format!("{}=\"{}\"", p.name(), anchor_text(d)));
                } else {
                    text.push_str(&format!("{}={}", p.name(), d));
                }
            } else {
                text.push_str(p.name());
            }
        }
        format!("{}({text})", self.name)
    }

    /// The fewest arguments a call may give.
    pub fn min_args(&self) -> usize {
        self.params.len() - self.defaults.len()
    }

    /// The constant arguments of a call with `given` constants, the left-out
    /// trailing ones filled with their defaults.
    pub fn fill_defaults(&self, given: &mut Vec<f64>) {
        let consts = self.params.iter().filter(|p| !p.is_column()).count();
        let first_default = consts - self.defaults.len();
        while given.len() < consts {
            given.push(self.defaults[given.len() - first_default]);
        }
    }
}

macro_rules! spec {
    ($name:literal, $group:expr, [$($p:expr),*], [$($d:expr),*], $out:expr, $warm:literal, $doc:literal, $f:expr) => {
        Spec { name: $name, group: $group, params: &[$($p),*], defaults: &[$($d),*], output: $out, doc: $doc, warmup: $warm, compute: $f }
    };
}

mod beyond;
mod core;
mod cycle;
mod modern;
mod momentum;
mod overlap;
mod pattern;
mod volume;
#[cfg(test)]
mod writes;

/// The catalogue files, in listing order.
const FILES: &[&[Spec]] = &[
    core::SPECS,
    overlap::SPECS,
    momentum::SPECS,
    volume::SPECS,
    cycle::SPECS,
    modern::SPECS,
    pattern::SPECS,
    beyond::SPECS,
];

/// Several outputs of one TA-Lib function (MACD's three lines, the two
/// stochastic lines, ...), computed in one pass when a plan asks for more
/// than one of them; each output's values are those of its own call.
pub struct Family {
    /// The outputs' names, whose specs take the same arguments.
    pub names: &'static [&'static str],
    pub compute: fn(&Inputs, &mut [&mut [f64]]),
}

/// A family's output columns as an array of its `N` lines, in its names'
/// order (the evaluator hands one column per name).
pub(super) fn lines<'a, const N: usize>(o: &'a mut [&mut [f64]]) -> [&'a mut [f64]; N] {
    let Ok(o) = <&mut [&mut [f64]; N]>::try_from(o) else {
        unreachable!("a family of {N} lines")
    };
    o.each_mut().map(|c| &mut **c)
}

/// The family an output belongs to, and its place in it.
pub fn family_of(name: &str) -> Option<(&'static Family, usize)> {
    [
        momentum::FAMILIES,
        overlap::FAMILIES,
        volume::FAMILIES,
        cycle::FAMILIES,
        modern::FAMILIES,
    ]
    .iter()
    .flat_map(|f| f.iter())
    .find_map(|f| f.names.iter().position(|n| *n == name).map(|k| (f, k)))
}

/// Every function, in catalogue order.
pub fn catalog() -> &'static [&'static Spec] {
    static ALL: OnceLock<Vec<&'static Spec>> = OnceLock::new();
    ALL.get_or_init(|| FILES.iter().flat_map(|f| f.iter()).collect())
}

/// The functions with this name (several when their arities differ, such
/// as `obv()` and `obv(x)`).
pub fn overloads(name: &str) -> &'static [&'static Spec] {
    static BY_NAME: OnceLock<HashMap<&'static str, Vec<&'static Spec>>> = OnceLock::new();
    let map = BY_NAME.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<&'static Spec>> = HashMap::new();
        for s in catalog() {
            m.entry(s.name).or_default().push(s);
        }
        m
    });
    map.get(name).map_or(&[], Vec::as_slice)
}

/// The function with this name (its first overload).
pub fn lookup(name: &str) -> Option<&'static Spec> {
    overloads(name).first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a catalogue function by name on small candles.
    fn run(name: &str, series: &[&[f64]], args: &[f64], bars: Bars) -> Vec<f64> {
        let mut out = vec![f64::NAN; bars.close.len()];
        let ts: Vec<i64> = (0..bars.close.len() as i64)
            .map(|d| d * 86_400_000)
            .collect();
        (lookup(name).unwrap().compute)(
            &Inputs {
                series,
                args,
                bars,
                ts: &ts,
            },
            &mut out,
        );
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
                    .map(|p| {
                        if matches!(p, Param::MaType(_)) {
                            0.0
                        } else {
                            50.0
                        }
                    })
                    .collect();
                let mut out = vec![0.0; len];
                (spec.compute)(
                    &Inputs {
                        series: &series,
                        args: &args,
                        bars: b,
                        ts: &vec![0; len],
                    },
                    &mut out,
                );
                if spec.output == Output::Integer {
                    assert!(
                        out.iter().all(|v| *v == 0.0),
                        "{} len {len}: {out:?}",
                        spec.name
                    );
                } else if spec.warmup != "0" && spec.name != "shift" && spec.warmup != "1" {
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
    fn overloads_differ_in_arity_and_defaults_fit() {
        // Two functions of one name must not accept the same argument count,
        // or a call could not tell them apart.
        for s in catalog() {
            assert!(s.defaults.len() <= s.params.iter().filter(|p| !p.is_column()).count());
            assert!(
                s.params[s.min_args()..].iter().all(|p| !p.is_column()),
                "{}",
                s.name
            );
            for t in overloads(s.name) {
                if !std::ptr::eq(*t, *s) {
                    let (a, b) = (
                        (s.min_args(), s.params.len()),
                        (t.min_args(), t.params.len()),
                    );
                    assert!(a.1 < b.0 || b.1 < a.0, "{} {a:?} {b:?}", s.name);
                }
            }
        }
        assert!(catalog().len() >= 25);
        assert_eq!(
            lookup("macd_signal").unwrap().signature(),
            "macd_signal(x, fast=12, slow=26, signal=9)"
        );
        let mut args = vec![10.0];
        lookup("macd").unwrap().fill_defaults(&mut args);
        assert_eq!(args, [10.0, 26.0, 9.0]);
    }
}
