//! Look-ahead detection for portfolio strategies: the whole universe is cut
//! after several bars, and every order and every portfolio value before the
//! cut must be the same as on the full data. A symbol's own expressions are
//! checked as a single-symbol strategy's are.

use std::collections::{BTreeMap, HashMap};

use crate::data::universe::Universe;
use crate::error::Result;
use crate::lookahead::{self, cut_points, Finding};
use crate::strategy::Strategy;

/// The first look-ahead found over `cuts` cut points, if any.
pub fn check(
    strategy: &Strategy,
    params: &BTreeMap<String, f64>,
    universe: &Universe,
    cuts: usize,
) -> Result<Option<Finding>> {
    let u = super::universe_of(strategy, universe)?;
    if strategy
        .portfolio
        .as_ref()
        .is_some_and(|p| p.allocation.is_none())
    {
        for s in 0..u.series.len() {
            let (c, at) = u.candles(s);
            if let Some(mut f) = lookahead::check(strategy, params, &c, cuts, &|_| HashMap::new())?
            {
                f.what = format!("{}: {}", u.series[s].symbol, f.what);
                f.bar = at[f.bar];
                f.cut = at[f.cut - 1] + 1;
                return Ok(Some(f));
            }
        }
    }
    let full = super::run(strategy, params, &u)?;
    for cut in cut_points(u.len(), cuts) {
        let part = super::run(strategy, params, &u.slice(0, cut))?;
        // A symbol that ends inside the cut data but trades on afterwards is
        // sold at its last bar there (the end-of-data rule): compare the bars
        // before the first such end.
        let safe = u
            .series
            .iter()
            .filter_map(|s| {
                let last = s.close[..cut].iter().rposition(|v| v.is_finite())?;
                (last + 1 < cut && s.close[cut..].iter().any(|v| v.is_finite())).then_some(last)
            })
            .min()
            .unwrap_or(cut);
        let value =
            (0..safe).find(|&t| full.run.equity[t].to_bits() != part.run.equity[t].to_bits());
        let orders = |o: &super::Outcome| {
            o.run
                .fills
                .iter()
                .filter(|f| f.bar < safe)
                .cloned()
                .collect::<Vec<_>>()
        };
        let (a, b) = (orders(&full), orders(&part));
        let order = a.iter().zip(&b).find(|(x, y)| x != y).map(|(x, _)| x.bar);
        let order = order.or_else(|| {
            (a.len() != b.len()).then(|| {
                a.get(b.len())
                    .or(b.get(a.len()))
                    .map_or(safe - 1, |f| f.bar)
            })
        });
        let found = match (order, value) {
            (Some(o), Some(v)) if v < o => Some(("portfolio value", v)),
            (Some(o), _) => Some(("orders", o)),
            (None, Some(v)) => Some(("portfolio value", v)),
            (None, None) => None,
        };
        if let Some((what, bar)) = found {
            return Ok(Some(Finding {
                cut,
                what: what.to_string(),
                bar,
            }));
        }
    }
    Ok(None)
}
