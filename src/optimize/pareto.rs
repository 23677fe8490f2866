//! Pareto fronts of a sweep with several objectives: the feasible trials no
//! other feasible trial dominates (at least as good on every objective and
//! strictly better on one), and NSGA-II's non-dominated ranks and crowding
//! distances for the genetic search.

use std::cmp::Ordering;

use super::sweep::{Objective, Trial};
use super::table::Trials;

/// The objective values of a trial, each turned so that higher is better;
/// None when the trial is infeasible or one is undefined.
pub fn oriented(t: &Trial, objectives: &[Objective]) -> Option<Vec<f64>> {
    oriented_at(std::slice::from_ref(t), 0, objectives)
}

/// `oriented` of the trial at position `i`.
fn oriented_at<T: Trials + ?Sized>(
    trials: &T,
    i: usize,
    objectives: &[Objective],
) -> Option<Vec<f64>> {
    if !trials.feasible(i) {
        return None;
    }
    objectives
        .iter()
        .map(|o| {
            let v = trials.metric(i, &o.metric)?;
            v.is_finite().then_some(if o.maximize { v } else { -v })
        })
        .collect()
}

/// Whether `a` dominates `b` (both oriented: higher is better).
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
}

/// Best first, lexicographically: no point can dominate one before it.
fn lexicographic(a: &[f64], b: &[f64]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| y.total_cmp(x))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// The non-dominated points of `points`, as indices in ascending order.
pub fn non_dominated(points: &[(usize, Vec<f64>)]) -> Vec<usize> {
    let mut order: Vec<&(usize, Vec<f64>)> = points.iter().collect();
    order.sort_by(|a, b| lexicographic(&a.1, &b.1).then(a.0.cmp(&b.0)));
    // A dominated point is dominated by a front member, and in this order
    // only by one already seen.
    let mut front: Vec<&(usize, Vec<f64>)> = Vec::new();
    for p in order {
        if !front.iter().any(|f| dominates(&f.1, &p.1)) {
            front.push(p);
        }
    }
    let mut out: Vec<usize> = front.iter().map(|p| p.0).collect();
    out.sort_unstable();
    out
}

/// The Pareto front of `trials`: positions in `trials`, in trial order.
pub fn front<T: Trials + ?Sized>(trials: &T, objectives: &[Objective]) -> Vec<usize> {
    let points: Vec<(usize, Vec<f64>)> = (0..trials.len())
        .filter_map(|i| Some((i, oriented_at(trials, i, objectives)?)))
        .collect();
    non_dominated(&points)
}

/// NSGA-II's ranking of oriented points: (front number from 0, crowding
/// distance) for each, in input order. Fronts are peeled off one by one;
/// within a front, the crowding distance sums each objective's normalized
/// gap between the two neighbours (infinite at the ends).
pub fn nsga_rank(points: &[Vec<f64>]) -> Vec<(usize, f64)> {
    let mut out = vec![(usize::MAX, 0.0); points.len()];
    let mut left: Vec<(usize, Vec<f64>)> = points.iter().cloned().enumerate().collect();
    let mut rank = 0;
    while !left.is_empty() {
        let front = non_dominated(&left);
        let d = points.first().map_or(0, Vec::len);
        // Each objective in turn: the front sorted by it.
        (0..d).for_each(|k| {
            let v = |i: usize| points[i][k];
            let mut by: Vec<usize> = front.clone();
            by.sort_by(|&a, &b| v(a).total_cmp(&v(b)).then(a.cmp(&b)));
            let (first, last) = (by[0], by[by.len() - 1]);
            let (lo, hi) = (v(first), v(last));
            out[first].1 = f64::INFINITY;
            out[last].1 = f64::INFINITY;
            if hi > lo {
                for w in by.windows(3) {
                    out[w[1]].1 += (v(w[2]) - v(w[0])) / (hi - lo);
                }
            }
        });
        for &i in &front {
            out[i].0 = rank;
        }
        left.retain(|(i, _)| !front.contains(i));
        rank += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_front_by_hand() {
        // (return, −drawdown), both higher-better:
        //   0 (1, 5)  1 (2, 4)  2 (2, 2)  3 (3, 1)  4 (0, 6)  5 (2, 4)  6 (1, 1)
        // 2 is dominated by 1 (2 ≥ 2, 4 > 2); 6 by 0, 1, 2 and 3; 1 and 5 tie
        // and neither dominates the other: the front is 0, 1, 3, 4, 5.
        let pts: Vec<(usize, Vec<f64>)> = [
            (1., 5.),
            (2., 4.),
            (2., 2.),
            (3., 1.),
            (0., 6.),
            (2., 4.),
            (1., 1.),
        ]
        .iter()
        .enumerate()
        .map(|(i, (a, b))| (i, vec![*a, *b]))
        .collect();
        assert_eq!(non_dominated(&pts), vec![0, 1, 3, 4, 5]);
        assert!(dominates(&[2.0, 4.0], &[2.0, 2.0]));
        assert!(!dominates(&[2.0, 4.0], &[2.0, 4.0]));
        // NSGA-II: front 0 as above; then 2 (dominating 6); then 6.
        let raw: Vec<Vec<f64>> = pts.iter().map(|p| p.1.clone()).collect();
        let r = nsga_rank(&raw);
        let ranks: Vec<usize> = r.iter().map(|x| x.0).collect();
        assert_eq!(ranks, vec![0, 0, 1, 0, 0, 0, 2]);
        // Crowding in front 0, sorted by return: 4 (0), 0 (1), 1 (2), 5 (2),
        // 3 (3); by −dd: 3 (1), 1 (4), 5 (4), 0 (5), 4 (6). Ranges 3 and 5.
        // 0: (2 − 0)/3 + (6 − 4)/5 = 0.6667 + 0.4; ends 4 and 3 infinite.
        assert!((r[0].1 - (2.0 / 3.0 + 0.4)).abs() < 1e-12);
        assert!(r[4].1.is_infinite() && r[3].1.is_infinite());
    }
}
