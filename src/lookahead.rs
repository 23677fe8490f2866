//! Look-ahead detection: evaluate a strategy on the full data and on the
//! data cut after several bars; every expression column and every trade
//! decision up to a cut must be the same. Any difference means some value
//! at bar t used bars after t.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::data::Candles;
use crate::engine::{self, Prices, Signals};
use crate::error::{Error, Result};
use crate::pipeline;
use crate::strategy::{ColumnCache, Strategy};

/// Where a look-ahead shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Bars kept in the cut data.
    pub cut: usize,
    /// The expression (canonical form) or `trades`.
    pub what: String,
    /// The first bar whose value differs.
    pub bar: usize,
}

/// Extra columns computed from the (possibly cut) candles, e.g. a model.
pub type Externals<'a> = &'a dyn Fn(&Candles) -> HashMap<String, Arc<Vec<f64>>>;

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Cut points spread over the series, after the first tenth.
pub fn cut_points(n: usize, cuts: usize) -> Vec<usize> {
    let lo = (n / 10).max(2);
    if n <= lo + 1 {
        return Vec::new();
    }
    let mut v: Vec<usize> = (1..=cuts)
        .map(|k| lo + (n - 1 - lo) * k / cuts.max(1))
        .collect();
    v.dedup();
    v.retain(|&c| c < n);
    v
}

/// A trade as decided: entry bar, exit bar, side, still open.
type Decision = (usize, usize, i8, bool);

/// An expression's canonical text and its column.
type Named = (String, Vec<f64>);

/// Every plan column and the engine's trade decisions on `candles`.
fn evaluate(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    candles: &Candles,
    externals: Externals,
) -> Result<(Vec<Named>, Vec<Decision>)> {
    // A [model]'s predictions are computed on the same (cut) data with a
    // fresh cache, so its training is checked like any indicator.
    let cache = ColumnCache::default();
    let prepared = pipeline::prepare(strategy, params, candles, &cache, externals(candles))?;
    let plan = &prepared.compiled.plan;
    let ids: Vec<usize> = (0..plan.nodes.len()).collect();
    let cols: Vec<Named> = plan
        .keys
        .iter()
        .zip(prepared.columns(candles, &cache, &ids))
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect();
    let find = |name: &str| {
        prepared
            .compiled
            .signals
            .iter()
            .find(|s| s.0 == name)
            .map(|s| cols[s.1].1.as_slice())
    };
    let mut signals = Signals::by_name(find);
    // Entry orders decide at the close too: their fills are checked.
    signals.orders =
        prepared
            .compiled
            .orders
            .map(|(kind, expire_bars)| crate::engine::EntryOrders {
                kind,
                limit: find("limit_price"),
                stop: find("stop_price"),
                expire_bars,
            });
    let prices = Prices::of(candles, 0);
    let mut cfg = strategy.execution.clone();
    cfg.close_at_end = false;
    let bt = engine::run(prices, &signals, &cfg);
    let trades = bt
        .trades
        .iter()
        .map(|t| (t.entry_bar, t.exit_bar, t.side, t.is_open()))
        .collect();
    Ok((cols, trades))
}

/// Checks `cuts` cut points; returns the first look-ahead found.
pub fn check(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    candles: &Candles,
    cuts: usize,
    externals: Externals,
) -> Result<Option<Finding>> {
    if cuts == 0 {
        return Err(Error::Usage(
            "a look-ahead check needs at least 1 cut point".into(),
        ));
    }
    let (full, full_trades) = evaluate(strategy, params, candles, externals)?;
    for cut in cut_points(candles.len(), cuts) {
        let part = candles.slice(0, cut);
        let (cols, trades) = evaluate(strategy, params, &part, externals)?;
        for ((key, a), (_, b)) in full.iter().zip(&cols) {
            if let Some(bar) = (0..cut).find(|&i| !same(a[i], b[i])) {
                return Ok(Some(Finding {
                    cut,
                    what: key.clone(),
                    bar,
                }));
            }
        }
        // Decisions fully made inside the cut: entries before its last bar and
        // exits before that too.
        let decided = |t: &&Decision| t.0 + 1 < cut;
        let norm = |t: &Decision| {
            let closed = !t.3 && t.1 + 1 < cut;
            (t.0, t.2, if closed { Some(t.1) } else { None })
        };
        let a: Vec<_> = full_trades.iter().filter(decided).map(norm).collect();
        let b: Vec<_> = trades.iter().filter(decided).map(norm).collect();
        if a != b {
            let bar = a
                .iter()
                .zip(&b)
                .find(|(x, y)| x != y)
                .map_or(cut - 1, |(x, _)| x.0);
            return Ok(Some(Finding {
                cut,
                what: "trades".into(),
                bar,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn goog() -> Candles {
        crate::data::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/GOOG.csv"))
            .unwrap()
            .0
    }

    fn none(_: &Candles) -> HashMap<String, Arc<Vec<f64>>> {
        HashMap::new()
    }

    #[test]
    fn shipped_strategies_have_no_lookahead() {
        let c = goog();
        for name in [
            "sma_cross",
            "macd_trend",
            "donchian_breakout",
            "adx_trend",
            "long_short_sma",
        ] {
            let s = pipeline::load(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("strategies/{name}.toml")),
            )
            .unwrap();
            assert_eq!(
                check(&s, &s.defaults(), &c, 8, &none).unwrap(),
                None,
                "{name}"
            );
        }
    }

    #[test]
    fn a_column_that_peeks_ahead_is_caught() {
        // `future` is tomorrow's close: on cut data its last value is NaN
        // instead of the real next close.
        let text = "name = \"peek\"\n[signals]\nlong_entry = \"future > close\"\nlong_exit = \"future < close\"\n";
        let s = pipeline::parse(text, Path::new("peek.toml")).unwrap_err();
        assert!(s.to_string().contains("unknown name 'future'"));
        let text = "name = \"peek\"\n[signals]\nlong_entry = \"close > open\"\n";
        let s = pipeline::parse(text, Path::new("peek.toml")).unwrap();
        // The externals hook stands in for a misbehaving model column.
        let peek = |c: &Candles| {
            let n = c.len();
            let v: Vec<f64> = (0..n)
                .map(|i| if i + 1 < n { c.close[i + 1] } else { f64::NAN })
                .collect();
            HashMap::from([("future".to_string(), Arc::new(v))])
        };
        let mut s2 = s.clone();
        let e = crate::strategy::parse("future > close").unwrap();
        s2.signals[0].1 = e;
        let c = goog();
        let found = check(&s2, &s2.defaults(), &c, 5, &peek)
            .unwrap()
            .expect("caught");
        assert_eq!(found.what, "future");
        // The first cut keeps bars 0..cut; the last bar kept is the first to differ.
        assert_eq!(found.bar, found.cut - 1);
    }

    #[test]
    fn cut_points_spread() {
        assert_eq!(cut_points(100, 3), vec![39, 69, 99]);
        assert!(cut_points(2, 3).is_empty());
    }
}
