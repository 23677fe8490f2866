//! The distribution of a Monte Carlo run: percentiles of each summary
//! figure across paths (linear interpolation between order statistics, as
//! numpy's default), where the historical value ranks, the probability of
//! a loss and of drawdowns beyond given depths.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::metrics::Metrics;

/// The percentiles reported, in order.
pub const PERCENTILES: [(&str, f64); 7] = [
    ("p1", 1.0),
    ("p5", 5.0),
    ("p25", 25.0),
    ("p50", 50.0),
    ("p75", 75.0),
    ("p95", 95.0),
    ("p99", 99.0),
];

/// The figures summarized: (JSON key, metric behind it; None: the streak).
pub const FIGURES: [(&str, Option<&str>); 7] = [
    ("final_equity", Some("final_equity")),
    ("total_return", Some("total_return")),
    ("cagr", Some("annual_return")),
    ("max_drawdown", Some("max_drawdown")),
    ("longest_drawdown_bars", Some("max_drawdown_duration_bars")),
    ("sharpe", Some("sharpe")),
    ("worst_streak", None),
];

/// The columns of a summary table: the figure, the percentiles, history
/// and its rank.
pub const HEADER: [&str; 10] = [
    "",
    "p1",
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
    "p99",
    "historical",
    "rank",
];

/// The metric whose format a figure's values print in (a streak is a count).
pub fn formatted_as(key: &str) -> &'static str {
    FIGURES
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, m)| *m)
        .unwrap_or("trades")
}

/// The `p`-th percentile (0–100) of ascending `sorted` values, as the
/// metric table's VaR takes it (numpy's linear); NaN when empty.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    crate::metrics::risk::percentile(sorted, p).unwrap_or(f64::NAN)
}

/// One figure across paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// p1 … p99 (paths where the figure is undefined are left out).
    pub percentiles: BTreeMap<&'static str, Option<f64>>,
    pub historical: Option<f64>,
    /// The share of paths whose value is below the historical one, ties
    /// counting half.
    pub historical_rank: Option<f64>,
    /// Paths where the figure is defined.
    pub defined: usize,
}

impl Figure {
    fn new(values: &[f64], historical: Option<f64>) -> Figure {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let percentiles = PERCENTILES
            .iter()
            .map(|(k, p)| {
                (
                    *k,
                    (!sorted.is_empty()).then(|| percentile_sorted(&sorted, *p)),
                )
            })
            .collect();
        // Paths within 1e-12 (relative) of history tie with it and count
        // half: a shuffle's final equity, the same product in another
        // order, differs from history only in its last bits.
        let historical_rank = historical.filter(|_| !sorted.is_empty()).map(|h| {
            let tol = 1e-12 * h.abs().max(1e-300);
            let below = sorted.partition_point(|v| *v < h - tol);
            let tied = sorted.partition_point(|v| *v <= h + tol) - below;
            (below as f64 + 0.5 * tied as f64) / sorted.len() as f64
        });
        Figure {
            percentiles,
            historical,
            historical_rank,
            defined: sorted.len(),
        }
    }
}

/// The summary of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// One per `FIGURES` entry, in its order.
    pub figures: Vec<(&'static str, Figure)>,
    /// The share of paths ending below the starting cash.
    pub prob_loss: f64,
    /// Per limit L: the share of paths whose max drawdown is deeper than −L.
    pub prob_drawdown_beyond: Vec<(f64, f64)>,
}

impl Summary {
    pub fn new(
        paths: &[Metrics],
        streaks: &[f64],
        historical: &Metrics,
        historical_streak: f64,
        cash: f64,
        dd_limits: &[f64],
    ) -> Summary {
        let get = |m: &Metrics, k: &str| m.get(k).copied().flatten().unwrap_or(f64::NAN);
        let figures = FIGURES
            .iter()
            .map(|(key, metric)| {
                let (values, hist): (Vec<f64>, f64) = match metric {
                    Some(name) => (
                        paths.iter().map(|m| get(m, name)).collect(),
                        get(historical, name),
                    ),
                    None => (streaks.to_vec(), historical_streak),
                };
                (*key, Figure::new(&values, hist.is_finite().then_some(hist)))
            })
            .collect();
        let n = paths.len().max(1) as f64;
        let share = |f: &dyn Fn(&Metrics) -> bool| paths.iter().filter(|m| f(m)).count() as f64 / n;
        Summary {
            figures,
            prob_loss: share(&|m| get(m, "final_equity") < cash),
            prob_drawdown_beyond: dd_limits
                .iter()
                .map(|&l| (l, share(&|m| get(m, "max_drawdown") < -l)))
                .collect(),
        }
    }

    /// The figure named `key`.
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures.iter().find(|(k, _)| *k == key).map(|(_, f)| f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_as_numpy() {
        // numpy.percentile([1, 2, 3, 4], 25) = 1 + 0.75·(2 − 1) = 1.75;
        // the 50th of 4 values is (2 + 3) / 2 = 2.5; p99 = 3 + 0.97 = 3.97.
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile_sorted(&v, 25.0), 1.75);
        assert_eq!(percentile_sorted(&v, 50.0), 2.5);
        assert!((percentile_sorted(&v, 99.0) - 3.97).abs() < 1e-12);
        assert_eq!(percentile_sorted(&v, 0.0), 1.0);
        assert_eq!(percentile_sorted(&v, 100.0), 4.0);
        assert!(percentile_sorted(&[], 50.0).is_nan());
    }

    #[test]
    fn ranks_and_probabilities() {
        // Final equities 900, 1000, 1100, 1200 from 1000 cash: one of four
        // ends below it (prob_loss 0.25); the historical 1100 has two
        // paths below it and one tied (rank (2 + 0.5) / 4). Drawdowns −0.1, −0.25, −0.35, −0.05:
        // two are deeper than −0.2, one deeper than −0.3.
        let m = |f: f64, dd: f64| -> Metrics {
            [("final_equity", Some(f)), ("max_drawdown", Some(dd))]
                .into_iter()
                .collect()
        };
        let paths = vec![
            m(900.0, -0.1),
            m(1000.0, -0.25),
            m(1100.0, -0.35),
            m(1200.0, -0.05),
        ];
        let s = Summary::new(
            &paths,
            &[1.0, 2.0, 3.0, 4.0],
            &m(1100.0, -0.2),
            2.0,
            1000.0,
            &[0.2, 0.3],
        );
        assert_eq!(s.prob_loss, 0.25);
        assert_eq!(s.prob_drawdown_beyond, vec![(0.2, 0.5), (0.3, 0.25)]);
        let f = s.figure("final_equity").unwrap();
        assert_eq!(f.historical_rank, Some(0.625));
        assert_eq!(f.percentiles["p50"], Some(1050.0));
        // Streaks 1..4, history 2: one below, one tied.
        assert_eq!(
            s.figure("worst_streak").unwrap().historical_rank,
            Some(0.375)
        );
        // Sharpe is undefined on every path here: no percentiles, no rank.
        let sharpe = s.figure("sharpe").unwrap();
        assert_eq!((sharpe.defined, sharpe.historical_rank), (0, None));
    }
}
