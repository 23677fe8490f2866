//! Drawdown episodes and calendar-year returns of the period returns: each
//! maximal run of periods under water (start, valley, end, recovery, depth)
//! deepest first, and the compounded return of each calendar year.

use crate::data::time::civil_from_days;
use crate::data::time::DAY_MS;

/// One drawdown episode; every field a period index into the returns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Episode {
    /// The first period under water.
    pub start: usize,
    /// The first period at the episode's minimum.
    pub valley: usize,
    /// The last period under water (the last period for an open episode).
    pub end: usize,
    /// The first period back at the peak; None while still under water.
    pub recovered: Option<usize>,
    pub periods: usize,
    /// The minimum drawdown (negative).
    pub depth: f64,
}

/// The episodes of the compounded returns (from 1 before the first),
/// deepest first, ties by start.
pub fn drawdown_episodes(r: &[f64]) -> Vec<Episode> {
    let dd = super::period::drawdowns(r);
    let mut out: Vec<Episode> = Vec::new();
    let mut open: Option<Episode> = None;
    for (k, &d) in dd.iter().enumerate() {
        match (&mut open, d < 0.0) {
            (Some(e), true) => {
                e.end = k;
                e.periods += 1;
                if d < e.depth {
                    e.depth = d;
                    e.valley = k;
                }
            }
            (None, true) => {
                open = Some(Episode {
                    start: k,
                    valley: k,
                    end: k,
                    recovered: None,
                    periods: 1,
                    depth: d,
                })
            }
            (Some(_), false) => {
                let mut e = open.take().expect("open episode");
                e.recovered = Some(k);
                out.push(e);
            }
            (None, false) => {}
        }
    }
    out.extend(open);
    out.sort_by(|a, b| a.depth.total_cmp(&b.depth).then(a.start.cmp(&b.start)));
    out
}

/// The calendar year (UTC) of a timestamp.
pub fn year_of(t: i64) -> i64 {
    civil_from_days(t.div_euclid(DAY_MS)).0
}

/// (year, compounded return) of `r`, each return dated by `at` (the same length).
pub fn yearly(r: &[f64], at: &[i64]) -> Vec<(i64, f64)> {
    let mut out: Vec<(i64, f64)> = Vec::new();
    for (x, &t) in r.iter().zip(at) {
        let y = year_of(t);
        match out.last_mut() {
            Some((year, growth)) if *year == y => *growth *= 1.0 + x,
            _ => out.push((y, 1.0 + x)),
        }
    }
    out.into_iter().map(|(y, g)| (y, g - 1.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn episodes_by_hand() {
        // Values 1.1, 0.99, 1.089, 1.3068 (a new high), 1.43748, 1.293732,
        // 1.1643588: dd 0, −0.1, −0.01, 0, 0, −0.1, −0.19.
        let r = [0.1, -0.1, 0.1, 0.2, 0.1, -0.1, -0.1];
        let e = drawdown_episodes(&r);
        assert_eq!(e.len(), 2);
        // Deepest first: the open one from period 5, valley 6, −0.19.
        assert_eq!(
            (e[0].start, e[0].valley, e[0].end, e[0].recovered),
            (5, 6, 6, None)
        );
        assert!((e[0].depth + 0.19).abs() < 1e-12);
        assert_eq!(e[0].periods, 2);
        // Then periods 1–2, valley 1, back at the peak in period 3.
        assert_eq!(
            (e[1].start, e[1].valley, e[1].end, e[1].recovered),
            (1, 1, 2, Some(3))
        );
        assert!((e[1].depth + 0.1).abs() < 1e-12);
    }

    #[test]
    fn years_compound() {
        // 2019-12-31, 2020-01-02, 2020-06-01, 2021-01-04 (UTC ms).
        let at = [
            1_577_750_400_000,
            1_577_923_200_000,
            1_590_969_600_000,
            1_609_718_400_000,
        ];
        let y = yearly(&[0.1, 0.1, -0.5, 0.2], &at);
        assert_eq!(y.len(), 3);
        assert_eq!(y[0].0, 2019);
        assert!((y[0].1 - 0.1).abs() < 1e-15);
        // 2020: 1.1 · 0.5 − 1 = −0.45.
        assert_eq!(y[1].0, 2020);
        assert!((y[1].1 + 0.45).abs() < 1e-15);
        assert_eq!(y[2], (2021, 0.19999999999999996));
    }
}
