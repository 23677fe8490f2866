//! Parameter stability on a grid sweep: each trial's neighbourhood (the
//! trials one grid step away in every parameter, diagonals included, and
//! itself), the mean and minimum of the objective over it, the robust best
//! (the best neighbourhood mean), and which parameters move the objective
//! most.

use std::collections::HashMap;

use super::space::Space;
use super::sweep::Objective;
use super::table::Trials;

/// A trial's neighbourhood statistics (None where no neighbour, itself
/// included, is feasible with a defined objective).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbourhood {
    pub mean: Option<f64>,
    pub min: Option<f64>,
    /// The worst objective in the neighbourhood, in the objective's
    /// direction (the minimum when maximizing, the maximum when minimizing).
    pub worst: Option<f64>,
    /// Neighbours with a value, itself included.
    pub count: usize,
}

/// Each trial's grid coordinates: the position of each parameter's value
/// on its axis (None when a value is off the grid).
fn coordinates<T: Trials + ?Sized>(space: &Space, trials: &T, i: usize) -> Option<Vec<usize>> {
    space
        .axes
        .iter()
        .map(|(name, values)| {
            let v = trials.param(i, name)?;
            values.iter().position(|a| *a == v)
        })
        .collect()
}

/// The objective of a feasible trial, when defined.
fn value<T: Trials + ?Sized>(trials: &T, i: usize, objective: &Objective) -> Option<f64> {
    trials
        .metric(i, &objective.metric)
        .filter(|v| trials.feasible(i) && v.is_finite())
}

/// Most neighbourhood lookups a sweep may cost (trials × 3^parameters).
const MAX_LOOKUPS: u128 = 2_000_000_000;

/// The neighbourhood of every trial, in trial order; None when the sweep is
/// too wide to look at (more than `MAX_LOOKUPS`).
pub fn neighbourhoods<T: Trials + ?Sized>(
    space: &Space,
    trials: &T,
    objective: &Objective,
) -> Option<Vec<Neighbourhood>> {
    let d = space.axes.len() as u32;
    if (trials.len() as u128).saturating_mul(3u128.saturating_pow(d)) > MAX_LOOKUPS {
        return None;
    }
    let coords: Vec<Option<Vec<usize>>> = (0..trials.len())
        .map(|i| coordinates(space, trials, i))
        .collect();
    let at: HashMap<&[usize], f64> = coords
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((c.as_deref()?, value(trials, i, objective)?)))
        .collect();
    let offsets = 3usize.pow(d);
    let mut probe = vec![0usize; d as usize];
    let out = coords
        .iter()
        .map(|c| {
            let mut found: Vec<f64> = Vec::new();
            if let Some(c) = c {
                'offsets: for o in 0..offsets {
                    // Offset o in base 3: each digit −1, 0 or +1 along one axis.
                    let mut rest = o;
                    for (k, p) in probe.iter_mut().enumerate() {
                        let step = rest % 3;
                        rest /= 3;
                        match (c[k] + step).checked_sub(1) {
                            Some(v) => *p = v,
                            None => continue 'offsets,
                        }
                    }
                    if let Some(v) = at.get(probe.as_slice()) {
                        found.push(*v);
                    }
                }
            }
            let count = found.len();
            let min = found.iter().copied().reduce(f64::min);
            let max = found.iter().copied().reduce(f64::max);
            Neighbourhood {
                mean: (count > 0).then(|| found.iter().sum::<f64>() / count as f64),
                min,
                worst: if objective.maximize { min } else { max },
                count,
            }
        })
        .collect();
    Some(out)
}

/// The feasible trial with the best neighbourhood mean (highest when
/// maximizing, lowest when minimizing), ties to the lower trial number.
pub fn robust_best<T: Trials + ?Sized>(
    trials: &T,
    nb: &[Neighbourhood],
    objective: &Objective,
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, n) in nb.iter().enumerate() {
        let (Some(m), Some(_)) = (n.mean, value(trials, i, objective)) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((b, bm)) => {
                let c = if objective.maximize { m > bm } else { m < bm };
                c || (m == bm && trials.index(i) < trials.index(b))
            }
        };
        if better {
            best = Some((i, m));
        }
    }
    best.map(|b| b.0)
}

/// Parameters by how much they move the objective, most first: the range
/// of the objective's mean over the feasible trials at each of its values
/// (its main effect); ties in the strategy's order.
pub fn influence<T: Trials + ?Sized>(
    space: &Space,
    trials: &T,
    objective: &Objective,
) -> Vec<(String, f64)> {
    // One pass: per axis and value, the sum and count of the objective.
    let mut acc: Vec<Vec<(f64, usize)>> = space
        .axes
        .iter()
        .map(|(_, values)| vec![(0.0, 0); values.len()])
        .collect();
    for i in 0..trials.len() {
        let (Some(c), Some(v)) = (coordinates(space, trials, i), value(trials, i, objective))
        else {
            continue;
        };
        for (a, &k) in acc.iter_mut().zip(&c) {
            a[k].0 += v;
            a[k].1 += 1;
        }
    }
    let mut out: Vec<(String, f64)> = space
        .axes
        .iter()
        .zip(&acc)
        .map(|((name, _), sums)| {
            let means: Vec<f64> = sums
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(s, n)| s / *n as f64)
                .collect();
            let lo = means.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (name.clone(), if means.is_empty() { 0.0 } else { hi - lo })
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

/// The stability of a sweep: each trial's neighbourhood on the grid, or
/// why a sweep has none.
#[derive(Debug, Clone, PartialEq)]
pub enum Stability {
    Grid {
        /// Per trial, in trial order.
        nb: Vec<Neighbourhood>,
        /// Parameters by influence (`influence`).
        influence: Vec<(String, f64)>,
    },
    Off(&'static str),
}

impl Stability {
    /// For a sweep by `method` (a shard's neighbourhoods wait for `merge`).
    pub fn of<T: Trials + ?Sized>(
        method: &str,
        sharded: bool,
        space: &Space,
        trials: &T,
        objective: &Objective,
    ) -> Stability {
        match (method, sharded) {
            ("grid", false) => match neighbourhoods(space, trials, objective) {
                Some(nb) => Stability::Grid {
                    nb,
                    influence: influence(space, trials, objective),
                },
                None => Stability::Off(
                    "the grid has too many parameters and points to look at every neighbourhood",
                ),
            },
            ("grid", true) => Stability::Off(
                "a shard holds part of the grid: merge the shards for neighbourhoods",
            ),
            ("random", _) => {
                Stability::Off("a random sweep samples off the grid: it has no neighbourhoods")
            }
            _ => Stability::Off(
                "this search visits part of the grid: neighbourhoods need a grid sweep",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;
    use crate::optimize::sweep::Trial;

    fn trial(index: usize, a: f64, b: f64, v: Option<f64>) -> Trial {
        let metrics: Metrics = [("sharpe", v)].into_iter().collect();
        Trial {
            index,
            params: [("a".to_string(), a), ("b".to_string(), b)]
                .into_iter()
                .collect(),
            metrics,
            feasible: v.is_some(),
            blocks: Default::default(),
        }
    }

    #[test]
    fn neighbourhoods_by_hand() {
        // A 3 × 3 grid (a, b in 1, 2, 3) of sharpe values, (a, b) = (3, 3)
        // removed by a constraint and (1, 3) infeasible:
        //        b=1  b=2  b=3
        //   a=1   1    2    ·(infeasible)
        //   a=2   3    9    4
        //   a=3   2    5    (removed)
        let space = Space {
            axes: vec![
                ("a".into(), vec![1.0, 2.0, 3.0]),
                ("b".into(), vec![1.0, 2.0, 3.0]),
            ],
        };
        let trials = vec![
            trial(0, 1.0, 1.0, Some(1.0)),
            trial(1, 1.0, 2.0, Some(2.0)),
            trial(2, 1.0, 3.0, None),
            trial(3, 2.0, 1.0, Some(3.0)),
            trial(4, 2.0, 2.0, Some(9.0)),
            trial(5, 2.0, 3.0, Some(4.0)),
            trial(6, 3.0, 1.0, Some(2.0)),
            trial(7, 3.0, 2.0, Some(5.0)),
        ];
        let max = Objective {
            metric: "sharpe".into(),
            maximize: true,
        };
        let trials = trials.as_slice();
        let nb = neighbourhoods(&space, trials, &max).unwrap();
        // (1,1): itself 1, (1,2) 2, (2,1) 3, (2,2) 9 → mean 15/4, min 1.
        assert_eq!(
            (nb[0].mean, nb[0].min, nb[0].count),
            (Some(3.75), Some(1.0), 4)
        );
        // (2,2): all eight others but the infeasible and the removed one:
        // 1 + 2 + 3 + 9 + 4 + 2 + 5 = 26 over 7.
        assert_eq!(
            (nb[4].mean, nb[4].min, nb[4].count),
            (Some(26.0 / 7.0), Some(1.0), 7)
        );
        // (1,3), infeasible itself: (1,2) 2, (2,2) 9, (2,3) 4 → 5.
        assert_eq!(nb[2].mean, Some(5.0));
        // (2,3): (1,2) 2, (2,2) 9, (2,3) 4, (3,2) 5 → 20/4 = 5; min 2.
        assert_eq!((nb[5].mean, nb[5].min), (Some(5.0), Some(2.0)));
        // (3,2): (2,1) 3, (2,2) 9, (2,3) 4, (3,1) 2, (3,2) 5 → 23/5 = 4.6.
        assert_eq!(nb[7].mean, Some(4.6));
        // The robust best: the highest mean among feasible trials is 5 at
        // (2,3) (the infeasible (1,3) also has 5 but cannot be chosen).
        assert_eq!(robust_best(trials, &nb, &max), Some(5));
        // Minimizing: the lowest mean is (2,1)'s: 1 + 2 + 3 + 9 + 2 + 5 = 22
        // over 6 = 3.67 (below (1,1)'s 3.75); its worst is the max, 9.
        let min = Objective {
            maximize: false,
            ..max.clone()
        };
        let nb = neighbourhoods(&space, trials, &min).unwrap();
        assert_eq!(robust_best(trials, &nb, &min), Some(3));
        assert_eq!((nb[3].mean, nb[3].worst), (Some(22.0 / 6.0), Some(9.0)));
        // Influence: a's means 1.5, 5.33, 3.5 (range 3.83); b's 2, 5.33, 4
        // (range 3.33): a first.
        let inf = influence(&space, trials, &max);
        assert_eq!(inf[0].0, "a");
        assert!((inf[0].1 - (16.0 / 3.0 - 1.5)).abs() < 1e-12);
        assert!((inf[1].1 - (16.0 / 3.0 - 2.0)).abs() < 1e-12);
    }
}
