//! What ranking and the sweep statistics read of every trial, and the lean
//! table that holds just that for a sweep of millions: per trial its number,
//! feasibility, parameters and the few metrics the statistics need, about
//! 80 bytes for four parameters, where a whole `Trial` holds about 4 KB.

use std::cmp::Ordering;

use super::space::Point;
use super::sweep::{Objective, Trial};

/// A sweep's trials as ranking, stability, the Pareto front and the deflated
/// Sharpe ratio read them: by position, in sweep order.
pub trait Trials {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The trial's number in the whole sweep.
    fn index(&self, i: usize) -> usize;
    fn feasible(&self, i: usize) -> bool;
    fn param(&self, i: usize, name: &str) -> Option<f64>;
    /// A metric's value (None when undefined or not kept).
    fn metric(&self, i: usize, name: &str) -> Option<f64>;
}

impl Trials for [Trial] {
    fn len(&self) -> usize {
        <[Trial]>::len(self)
    }
    fn index(&self, i: usize) -> usize {
        self[i].index
    }
    fn feasible(&self, i: usize) -> bool {
        self[i].feasible
    }
    fn param(&self, i: usize, name: &str) -> Option<f64> {
        self[i].params.get(name).copied()
    }
    fn metric(&self, i: usize, name: &str) -> Option<f64> {
        self[i].metrics.get(name).copied().flatten()
    }
}

/// Positions ranked best first: feasible trials by the objective (ties by
/// sweep order), then the infeasible ones in sweep order.
pub fn rank<T: Trials + ?Sized>(trials: &T, objective: &Objective) -> Vec<usize> {
    let key = |i: usize| trials.metric(i, &objective.metric).unwrap_or(f64::NAN);
    let mut order: Vec<usize> = (0..trials.len()).collect();
    order.sort_by(|&a, &b| match (trials.feasible(a), trials.feasible(b)) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => trials.index(a).cmp(&trials.index(b)),
        (true, true) => by_objective(
            (key(a), trials.index(a)),
            (key(b), trials.index(b)),
            objective,
        ),
    });
    order
}

/// The order of two feasible trials, each as (objective value, trial
/// number): the better value first, ties by sweep order. `rank` and the
/// store's running best trials both order by it.
pub fn by_objective(a: (f64, usize), b: (f64, usize), objective: &Objective) -> Ordering {
    let c = a.0.total_cmp(&b.0);
    let c = if objective.maximize { c.reverse() } else { c };
    c.then(a.1.cmp(&b.1))
}

/// The metrics every sweep keeps per trial besides its objectives: what
/// the deflated Sharpe ratio and PBO's block layout read.
pub const KEPT: [&str; 5] = [
    "sharpe",
    "periods_per_year",
    "return_periods",
    "skew",
    "kurtosis",
];

/// The lean table: columns of numbers, one row per trial, in sweep order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    params: Vec<String>,
    metrics: Vec<&'static str>,
    index: Vec<u64>,
    feasible: Vec<bool>,
    /// `params.len()` values per trial.
    values: Vec<f64>,
    /// `metrics.len()` values per trial (0 where undefined)...
    kept: Vec<f64>,
    /// ...and a bit per value: defined.
    defined: Vec<u64>,
}

impl Table {
    /// A table of these parameters keeping these metrics (repeats dropped).
    pub fn new(params: &[String], metrics: &[&'static str]) -> Table {
        let mut m: Vec<&'static str> = Vec::new();
        for name in metrics {
            if !m.contains(name) {
                m.push(name);
            }
        }
        Table {
            params: params.to_vec(),
            metrics: m,
            ..Table::default()
        }
    }

    /// The metrics a sweep with these objectives keeps.
    pub fn kept_metrics(objectives: &[&Objective]) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = objectives
            .iter()
            .filter_map(|o| crate::metrics::known_name(&o.metric))
            .collect();
        out.extend(KEPT);
        out
    }

    pub fn push(&mut self, t: &Trial) {
        self.index.push(t.index as u64);
        self.feasible.push(t.feasible);
        self.values.extend(
            self.params
                .iter()
                .map(|p| t.params.get(p).copied().unwrap_or(f64::NAN)),
        );
        for k in 0..self.metrics.len() {
            let v = t.metrics.get(self.metrics[k]).copied().flatten();
            self.set_defined(self.kept.len(), v.is_some());
            self.kept.push(v.unwrap_or(0.0));
        }
    }

    fn set_defined(&mut self, at: usize, yes: bool) {
        if at / 64 >= self.defined.len() {
            self.defined.push(0);
        }
        if yes {
            self.defined[at / 64] |= 1 << (at % 64);
        }
    }

    fn kept_at(&self, at: usize) -> Option<f64> {
        (self.defined[at / 64] >> (at % 64) & 1 == 1).then(|| self.kept[at])
    }

    /// Room for `n` more rows, so that a sweep of known size never holds
    /// twice the memory a growing vector may.
    pub fn reserve(&mut self, n: usize) {
        let m = self.metrics.len();
        self.index.reserve_exact(n);
        self.feasible.reserve_exact(n);
        self.values.reserve_exact(n * self.params.len());
        self.kept.reserve_exact(n * m);
        self.defined.reserve_exact((n * m).div_ceil(64));
    }

    /// The parameters of row `i`.
    pub fn point(&self, i: usize) -> Point {
        let p = self.params.len();
        self.params
            .iter()
            .cloned()
            .zip(self.values[i * p..(i + 1) * p].iter().copied())
            .collect()
    }

    /// Drops every row from `len` on.
    pub fn truncate(&mut self, len: usize) {
        self.index.truncate(len);
        self.feasible.truncate(len);
        self.values.truncate(len * self.params.len());
        let k = len * self.metrics.len();
        self.kept.truncate(k);
        self.defined.truncate(k.div_ceil(64));
        if let Some(last) = self.defined.last_mut().filter(|_| k % 64 != 0) {
            *last &= (1 << (k % 64)) - 1;
        }
    }

    /// Row `i` as bytes (exact: every float by its bits).
    pub fn encode(&self, i: usize, out: &mut Vec<u8>) {
        use super::bits::{put_f64, put_opt, put_u64};
        put_u64(out, self.index[i]);
        out.push(u8::from(self.feasible[i]));
        let p = self.params.len();
        for v in &self.values[i * p..(i + 1) * p] {
            put_f64(out, *v);
        }
        let m = self.metrics.len();
        for at in i * m..(i + 1) * m {
            put_opt(out, self.kept_at(at));
        }
    }

    /// The bytes of one encoded row.
    pub fn row_bytes(&self) -> usize {
        9 + 8 * self.params.len() + 9 * self.metrics.len()
    }

    /// Appends the rows `encode` wrote; None when `bytes` is not whole rows.
    pub fn decode(&mut self, bytes: &[u8]) -> Option<()> {
        let n = self.row_bytes();
        if bytes.len() % n != 0 {
            return None;
        }
        for row in bytes.chunks_exact(n) {
            let mut r = super::bits::Reader { bytes: row, at: 0 };
            self.index.push(r.u64()?);
            self.feasible.push(r.u8()? == 1);
            for _ in 0..self.params.len() {
                self.values.push(r.f64()?);
            }
            for _ in 0..self.metrics.len() {
                let v = r.opt()?;
                self.set_defined(self.kept.len(), v.is_some());
                self.kept.push(v.unwrap_or(0.0));
            }
        }
        Some(())
    }
}

impl Trials for Table {
    fn len(&self) -> usize {
        self.index.len()
    }
    fn index(&self, i: usize) -> usize {
        self.index[i] as usize
    }
    fn feasible(&self, i: usize) -> bool {
        self.feasible[i]
    }
    fn param(&self, i: usize, name: &str) -> Option<f64> {
        let k = self.params.iter().position(|p| p == name)?;
        Some(self.values[i * self.params.len() + k])
    }
    fn metric(&self, i: usize, name: &str) -> Option<f64> {
        let k = self.metrics.iter().position(|m| *m == name)?;
        self.kept_at(i * self.metrics.len() + k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;

    fn trial(index: usize, fast: f64, sharpe: Option<f64>, feasible: bool) -> Trial {
        let metrics: Metrics = [("sharpe", sharpe), ("trades", Some(3.0))]
            .into_iter()
            .collect();
        Trial {
            index,
            params: [("fast".to_string(), fast)].into_iter().collect(),
            metrics,
            feasible,
            blocks: Default::default(),
        }
    }

    #[test]
    fn the_table_ranks_as_the_trials_do_and_round_trips_by_bits() {
        let trials = vec![
            trial(0, 5.0, Some(0.5), true),
            trial(3, 6.0, Some(1.5), true),
            trial(7, 7.0, None, false),
            trial(9, 8.0, Some(1.5), true),
            trial(11, 9.0, Some(f64::INFINITY), true),
        ];
        let obj = Objective {
            metric: "sharpe".into(),
            maximize: true,
        };
        let mut t = Table::new(&["fast".to_string()], &Table::kept_metrics(&[&obj]));
        for x in &trials {
            t.push(x);
        }
        // Infinity first, then the tie 1.5 (trial 3 before 9), then 0.5,
        // then the infeasible trial 7.
        assert_eq!(rank(&t, &obj), vec![4, 1, 3, 0, 2]);
        assert_eq!(rank(trials.as_slice(), &obj), rank(&t, &obj));
        // Only the kept metrics are held.
        assert_eq!(
            (t.metric(1, "sharpe"), t.metric(1, "trades")),
            (Some(1.5), None)
        );
        let mut bytes = Vec::new();
        for i in 0..t.len() {
            t.encode(i, &mut bytes);
        }
        assert_eq!(bytes.len(), t.len() * t.row_bytes());
        let mut back = Table::new(&["fast".to_string()], &Table::kept_metrics(&[&obj]));
        back.decode(&bytes).unwrap();
        assert_eq!(back, t);
        assert!(back.decode(&bytes[1..]).is_none());
        assert_eq!(t.point(3)["fast"], 8.0);
        back.truncate(2);
        assert_eq!(back.len(), 2);
    }
}
