//! Each symbol's own bars and column cache (a "leg"), and the plan columns
//! evaluated on every leg, the cross-sectional calls (`rank`, `cs_mean`,
//! `cs_zscore`) computed across the legs bar by bar first.

use std::collections::HashMap;
use std::sync::Arc;

use crate::data::universe::Universe;
use crate::data::Candles;
use crate::indicators::Bars;
use crate::strategy::{ColumnCache, Evaluator, Plan};

/// One symbol's candles, the timeline position of each, and its cache.
pub struct Leg {
    pub candles: Candles,
    pub at: Vec<usize>,
    pub cache: ColumnCache,
}

/// Every symbol's leg.
pub fn legs(u: &Universe) -> Vec<Leg> {
    (0..u.series.len())
        .map(|s| {
            let (candles, at) = u.candles(s);
            Leg {
                candles,
                at,
                cache: ColumnCache::default(),
            }
        })
        .collect()
}

/// A symbol's column (its own bars) spread onto the timeline of `n` bars.
pub fn scatter(col: &[f64], at: &[usize], n: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; n];
    for (&t, &v) in at.iter().zip(col) {
        out[t] = v;
    }
    out
}

/// Evaluates `roots` of `plan` on every leg, with `base` externals per leg
/// (e.g. nothing, or a model's column), after computing the plan's
/// cross-sectional calls across the legs. Columns are per leg, on its bars.
pub fn evaluate(
    plan: &Plan,
    roots: &[usize],
    legs: &[Leg],
    base: &[HashMap<String, Arc<Vec<f64>>>],
    n: usize,
) -> Vec<Vec<Arc<Vec<f64>>>> {
    let mut externals: Vec<HashMap<String, Arc<Vec<f64>>>> = base.to_vec();
    externals.resize_with(legs.len(), HashMap::new);
    let eval = |leg: &Leg, ext: &HashMap<String, Arc<Vec<f64>>>, ids: &[usize]| {
        let mut ev = Evaluator::new(Bars::of(&leg.candles), &leg.candles.ts, &leg.cache);
        ev.externals = ext.clone();
        ev.eval(plan, ids)
            .into_iter()
            .map(|v| v.to_column(leg.candles.len()))
            .collect::<Vec<_>>()
    };
    let mut row = vec![f64::NAN; legs.len()];
    let mut out_row = vec![f64::NAN; legs.len()];
    for call in &plan.cross {
        let inputs: Vec<Vec<f64>> = legs
            .iter()
            .zip(&externals)
            .map(|(leg, ext)| scatter(&eval(leg, ext, &[call.input])[0], &leg.at, n))
            .collect();
        let mut result = vec![vec![f64::NAN; n]; legs.len()];
        for t in 0..n {
            for (r, x) in row.iter_mut().zip(&inputs) {
                *r = x[t];
            }
            call.func.apply(&row, &mut out_row);
            for (res, v) in result.iter_mut().zip(&out_row) {
                res[t] = *v;
            }
        }
        for ((leg, ext), res) in legs.iter().zip(externals.iter_mut()).zip(result) {
            let own: Vec<f64> = leg.at.iter().map(|&t| res[t]).collect();
            ext.insert(call.key.clone(), Arc::new(own));
        }
    }
    legs.iter()
        .zip(&externals)
        .map(|(leg, ext)| eval(leg, ext, roots))
        .collect()
}
