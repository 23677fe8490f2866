//! Target weights of an allocation at one rebalance bar: which symbols
//! qualify, the selection by score, the weights, normalized to `gross`.

use std::collections::BTreeMap;

use crate::strategy::portfolio::{Allocation, Select, Weights};

/// Per-symbol inputs on the shared timeline (NaN where undefined).
pub struct Columns<'a> {
    pub close: &'a [&'a [f64]],
    pub score: Option<&'a [Vec<f64>]>,
    /// The weight input: σ for inverse volatility, the expression's value.
    pub weight: Option<&'a [Vec<f64>]>,
}

/// The targets at bar `t`, one per symbol (0 for a symbol that trades but
/// is not held; NaN for one with no bar, which keeps its holdings), or
/// None when no symbol qualifies (the bar does not rebalance).
pub fn weights(
    a: &Allocation,
    params: &BTreeMap<String, f64>,
    c: &Columns,
    t: usize,
) -> Option<Vec<f64>> {
    let k = c.close.len();
    let defined = |col: Option<&[Vec<f64>]>, s: usize| col.is_none_or(|v| v[s][t].is_finite());
    let tradable: Vec<bool> = (0..k).map(|s| c.close[s][t].is_finite()).collect();
    let mut qual: Vec<usize> = (0..k)
        .filter(|&s| tradable[s] && defined(c.score, s) && defined(c.weight, s))
        .collect();
    if qual.is_empty() {
        return None;
    }
    let score = |s: usize| c.score.map_or(0.0, |v| v[s][t]);
    match &a.select {
        Select::All => {}
        Select::Top(n) | Select::Bottom(n) => {
            let top = matches!(a.select, Select::Top(_));
            // A stable sort keeps ties in universe order.
            qual.sort_by(|&x, &y| {
                let o = score(x).total_cmp(&score(y));
                if top {
                    o.reverse()
                } else {
                    o
                }
            });
            qual.truncate(n.get(params));
        }
    }
    let raw = |s: usize| -> f64 {
        match &a.weights {
            Weights::Equal => 1.0,
            Weights::InverseVolatility(_) => {
                let sigma = c.weight.map_or(f64::NAN, |v| v[s][t]);
                if sigma > 0.0 {
                    1.0 / sigma
                } else {
                    0.0
                }
            }
            Weights::Score => score(s).max(0.0),
            Weights::Expr(..) => c.weight.map_or(0.0, |v| v[s][t]).max(0.0),
        }
    };
    let mut w: Vec<f64> = (0..k)
        .map(|s| if tradable[s] { 0.0 } else { f64::NAN })
        .collect();
    let total: f64 = qual.iter().map(|&s| raw(s)).sum();
    if total > 0.0 {
        for &s in &qual {
            w[s] = raw(s) / total * a.gross;
        }
    }
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::portfolio::{Count, Schedule};

    fn alloc(select: Select, weights: Weights) -> Allocation {
        Allocation {
            schedule: Schedule::Daily,
            score: None,
            select,
            weights,
            gross: 1.0,
        }
    }

    #[test]
    fn top_two_with_a_tie_keeps_universe_order() {
        // Scores 0.5, 0.9, 0.5, 0.1: the best is B (0.9); A and C tie at 0.5
        // and A comes first in the universe, so top(2) = {B, A}, 1/2 each.
        let close: Vec<&[f64]> = vec![&[1.0], &[1.0], &[1.0], &[1.0]];
        let score = vec![vec![0.5], vec![0.9], vec![0.5], vec![0.1]];
        let c = Columns {
            close: &close,
            score: Some(&score),
            weight: None,
        };
        let a = alloc(Select::Top(Count::Fixed(2)), Weights::Equal);
        assert_eq!(
            weights(&a, &BTreeMap::new(), &c, 0).unwrap(),
            vec![0.5, 0.5, 0.0, 0.0]
        );
    }

    #[test]
    fn zero_volatility_gets_no_weight() {
        // σ = 0.01, 0 and 0.02: weights ∝ 100, 0, 50 → 2/3, 0, 1/3.
        let close: Vec<&[f64]> = vec![&[1.0], &[1.0], &[1.0]];
        let sigma = vec![vec![0.01], vec![0.0], vec![0.02]];
        let c = Columns {
            close: &close,
            score: None,
            weight: Some(&sigma),
        };
        let a = alloc(Select::All, Weights::InverseVolatility(Count::Fixed(20)));
        let w = weights(&a, &BTreeMap::new(), &c, 0).unwrap();
        assert!(
            (w[0] - 2.0 / 3.0).abs() < 1e-15 && w[1] == 0.0 && (w[2] - 1.0 / 3.0).abs() < 1e-15
        );
    }

    #[test]
    fn fewer_qualify_than_selected_and_missing_bars_keep_holdings() {
        // top(5) of 3 symbols: B has no score yet, C no bar: only A qualifies
        // and holds everything; B is sold to 0; C keeps what it holds (NaN).
        let close: Vec<&[f64]> = vec![&[1.0], &[1.0], &[f64::NAN]];
        let score = vec![vec![0.2], vec![f64::NAN], vec![0.3]];
        let c = Columns {
            close: &close,
            score: Some(&score),
            weight: None,
        };
        let a = alloc(Select::Top(Count::Fixed(5)), Weights::Equal);
        let w = weights(&a, &BTreeMap::new(), &c, 0).unwrap();
        assert_eq!((w[0], w[1]), (1.0, 0.0));
        assert!(w[2].is_nan());
        let none: Vec<&[f64]> = vec![&[f64::NAN]];
        let c = Columns {
            close: &none,
            score: None,
            weight: None,
        };
        assert_eq!(weights(&a, &BTreeMap::new(), &c, 0), None);
    }
}
