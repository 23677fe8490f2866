//! Data quality: what makes a valid candle file suspicious rather than
//! broken (`validate` finds broken ones). Gaps, stale closes, one-bar
//! outliers that revert, volume spikes, zero-volume runs and bars outside
//! the session, each a check with a threshold, each finding with its bar.

use serde::Serialize;

use super::time::{format_duration_ms, DAY_MS};
use super::Candles;

/// The thresholds of the checks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// A gap: a step longer than this many median spacings.
    pub gap: f64,
    /// Stale: at least this many identical closes in a row.
    pub stale: usize,
    /// An outlier: a bar return beyond this many robust deviations
    /// (1.4826 × the median absolute deviation) from the median...
    pub outlier_k: f64,
    /// ...of the returns of this many bars before it...
    pub window: usize,
    /// ...that the next bar takes back by at least this fraction.
    pub revert: f64,
    /// A volume spike: volume above this many times the window's median.
    pub spike: f64,
    /// A zero-volume run: at least this many bars with volume 0.
    pub zero_run: usize,
    /// Outside the session: a time of day (or a weekend) holding under this
    /// fraction of the busiest time of day's bars.
    pub session: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            gap: 1.5,
            stale: 5,
            outlier_k: 10.0,
            window: 50,
            revert: 0.5,
            spike: 10.0,
            zero_run: 3,
            session: 0.3,
        }
    }
}

/// One suspicious place: its first bar, how many bars it spans, and what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub bar: usize,
    pub bars: usize,
    pub detail: String,
}

/// A check and what it found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub check: &'static str,
    /// The threshold in words.
    pub rule: String,
    /// `false` when the data cannot have the defect (no volume, no session).
    pub applies: bool,
    pub findings: Vec<Finding>,
}

/// Runs every check.
pub fn check(c: &Candles, t: &Thresholds) -> Vec<Check> {
    vec![
        gaps(c, t),
        stale(c, t),
        outliers(c, t),
        spikes(c, t),
        zero_volume(c, t),
        session(c, t),
    ]
}

/// When the market trades, learned from the data: how many bars fall in
/// each slot of the week (the bar spacing wide, from Monday 00:00 UTC), and
/// which slots are busy (at least `session` of the busiest slot's bars).
struct Week {
    spacing: i64,
    busy: Vec<bool>,
    /// Slots traded in most weeks (half the busiest slot's bars or more)
    /// and, intraday, more than an hour inside the session: a gap is a step
    /// that skips one of these.
    expected: Vec<bool>,
    count: Vec<usize>,
}

const WEEK_MS: i64 = 7 * DAY_MS;
/// 1970-01-05, the first Monday.
const MONDAY: i64 = 4 * DAY_MS;

impl Week {
    /// `None` for fewer than two weeks of data or a spacing that does not
    /// divide a week.
    fn of(c: &Candles, t: &Thresholds) -> Option<Week> {
        let s = c.spacing_ms;
        let span = c.ts.last()? - c.ts.first()?;
        if s <= 0 || WEEK_MS % s != 0 || span < 2 * WEEK_MS {
            return None;
        }
        let mut count = vec![0usize; (WEEK_MS / s) as usize];
        let w = Week {
            spacing: s,
            busy: Vec::new(),
            expected: Vec::new(),
            count: Vec::new(),
        };
        for &ts in &c.ts {
            count[w.slot(ts)] += 1;
        }
        let max = count.iter().copied().max().unwrap_or(0) as f64;
        let share = |f: f64| -> Vec<bool> {
            count
                .iter()
                .map(|&k| k > 0 && k as f64 >= f * max)
                .collect()
        };
        let (busy, mut expected) = (share(t.session), share(0.5));
        // Intraday, a slot within an hour of the session's edge is not
        // expected: a daylight-saving change moves the edge by an hour.
        if s < DAY_MS {
            let n = expected.len();
            let k = (3_600_000 / s).max(1) as usize;
            let inner = (0..n)
                .map(|i| expected[i] && expected[(i + n - k) % n] && expected[(i + k) % n])
                .collect();
            expected = inner;
        }
        Some(Week {
            busy,
            expected,
            count,
            ..w
        })
    }

    fn slot(&self, ts: i64) -> usize {
        ((ts - MONDAY).rem_euclid(WEEK_MS) / self.spacing) as usize
    }

    /// Whether some slots of the week are quiet: the data has a session.
    fn has_session(&self) -> bool {
        self.busy.iter().any(|b| !b)
    }
}

fn gaps(c: &Candles, t: &Thresholds) -> Check {
    let s = c.spacing_ms;
    let limit = (s as f64 * t.gap) as i64;
    let week = Week::of(c, t);
    // Daily bars: one missing session day is a holiday.
    let allowed = if s == DAY_MS { 1 } else { 0 };
    let findings = (1..c.len())
        .filter_map(|i| {
            let (a, b) = (c.ts[i - 1], c.ts[i]);
            if s <= 0 || b - a <= limit {
                return None;
            }
            // The bars the session expected in between (outside it, a
            // closed market expects none).
            let missing = match &week {
                Some(w) if (b - a) / s <= 100_000 => (1..(b - a) / s)
                    .filter(|k| w.expected[w.slot(a + k * s)])
                    .count(),
                _ => ((b - a) / s - 1).max(1) as usize,
            };
            (missing > allowed).then(|| Finding {
                bar: i,
                bars: missing,
                detail: format!(
                    "{} without a bar before this one ({missing} {} of the session missing)",
                    format_duration_ms(b - a),
                    if missing == 1 { "bar" } else { "bars" }
                ),
            })
        })
        .collect();
    Check {
        check: "gaps",
        rule: format!(
            "a step over {}× the median spacing that skips bars of the session (the times of the week traded in most weeks{}), more than one day of them for daily bars",
            t.gap,
            if week.is_some() { "" } else { ": all, under two weeks of data" }
        ),
        applies: s > 0,
        findings,
    }
}

/// Maximal runs of bars where `same(i - 1, i)` holds, as (first, length).
fn runs(n: usize, min: usize, same: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=n {
        if i < n && same(i) {
            continue;
        }
        if i - start >= min {
            out.push((start, i - start));
        }
        start = i;
    }
    out
}

fn stale(c: &Candles, t: &Thresholds) -> Check {
    let findings = runs(c.len(), t.stale, |i| c.close[i] == c.close[i - 1])
        .into_iter()
        .map(|(bar, bars)| Finding {
            bar,
            bars,
            detail: format!("{bars} closes of {} in a row", c.close[bar]),
        })
        .collect();
    Check {
        check: "stale",
        rule: format!("at least {} identical closes in a row", t.stale),
        applies: true,
        findings,
    }
}

/// The median of `v` (reordered), by selection rather than a sort.
fn median(v: &mut [f64]) -> f64 {
    let (n, m) = (v.len(), v.len() / 2);
    let (left, upper, _) = v.select_nth_unstable_by(m, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        upper
    } else {
        let lower = left.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

fn outliers(c: &Candles, t: &Thresholds) -> Check {
    let r: Vec<f64> = (1..c.len())
        .map(|i| c.close[i] / c.close[i - 1] - 1.0)
        .collect();
    let mut buf = vec![0.0; t.window];
    let mut findings = Vec::new();
    // r[j] is the return into bar j + 1; its window the `window` returns before it.
    for j in t.window..r.len().saturating_sub(1) {
        buf.copy_from_slice(&r[j - t.window..j]);
        let med = median(&mut buf);
        for (b, x) in buf.iter_mut().zip(&r[j - t.window..j]) {
            *b = (x - med).abs();
        }
        let sigma = 1.4826 * median(&mut buf);
        let dev = (r[j] - med).abs();
        // Back on the next bar: the opposite sign, and at least `revert` of the move.
        let reverts = r[j + 1] * r[j] < 0.0 && r[j + 1].abs() >= t.revert * r[j].abs();
        if sigma > 0.0 && dev > t.outlier_k * sigma && reverts {
            findings.push(Finding {
                bar: j + 1,
                bars: 1,
                detail: format!(
                    "a {:+.2} % move ({:.1} robust deviations), {:+.2} % on the next bar",
                    r[j] * 100.0,
                    dev / sigma,
                    r[j + 1] * 100.0
                ),
            });
        }
    }
    Check {
        check: "outliers",
        rule: format!(
            "a bar return beyond {} robust deviations (1.4826 × MAD of the {} returns before it), {}× taken back on the next bar",
            t.outlier_k, t.window, t.revert
        ),
        applies: c.len() > t.window + 2,
        findings,
    }
}

fn spikes(c: &Candles, t: &Thresholds) -> Check {
    let mut buf = vec![0.0; t.window];
    let mut findings = Vec::new();
    if c.has_volume {
        for i in t.window..c.len() {
            buf.copy_from_slice(&c.volume[i - t.window..i]);
            let med = median(&mut buf);
            if med > 0.0 && c.volume[i] > t.spike * med {
                findings.push(Finding {
                    bar: i,
                    bars: 1,
                    detail: format!(
                        "volume {} is {:.1}× the median of the {} bars before",
                        c.volume[i],
                        c.volume[i] / med,
                        t.window
                    ),
                });
            }
        }
    }
    Check {
        check: "volume_spikes",
        rule: format!(
            "volume over {}× the median of the {} bars before",
            t.spike, t.window
        ),
        applies: c.has_volume,
        findings,
    }
}

fn zero_volume(c: &Candles, t: &Thresholds) -> Check {
    let findings = if c.has_volume {
        runs(c.len(), t.zero_run, |i| {
            c.volume[i] == 0.0 && c.volume[i - 1] == 0.0
        })
        .into_iter()
        .filter(|(bar, _)| c.volume[*bar] == 0.0)
        .map(|(bar, bars)| Finding {
            bar,
            bars,
            detail: format!("{bars} bars in a row with volume 0"),
        })
        .collect()
    } else {
        Vec::new()
    };
    Check {
        check: "zero_volume",
        rule: format!("at least {} bars in a row with volume 0", t.zero_run),
        applies: c.has_volume,
        findings,
    }
}

/// Data whose bars crowd into some times of the week has a session; a bar
/// in a slot of the week holding under `session` of the busiest slot's
/// bars is outside it.
fn session(c: &Candles, t: &Thresholds) -> Check {
    let week = Week::of(c, t).filter(Week::has_session);
    let findings = match &week {
        Some(w) => {
            c.ts.iter()
                .enumerate()
                .filter(|(_, &ts)| !w.busy[w.slot(ts)])
                .map(|(i, &ts)| Finding {
                    bar: i,
                    bars: 1,
                    detail: format!(
                        "{} of the bars fall at this time of the week",
                        w.count[w.slot(ts)]
                    ),
                })
                .collect()
        }
        None => Vec::new(),
    };
    Check {
        check: "outside_session",
        rule: format!(
            "a bar at a time of the week holding under {}× the busiest time's bars (data with a session)",
            t.session
        ),
        applies: week.is_some(),
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_by_hand() {
        // 1 1 1 2 2 3 3 3 3: runs of ≥ 3 equal values start at 0 (3) and 5 (4).
        let v = [1, 1, 1, 2, 2, 3, 3, 3, 3];
        assert_eq!(runs(v.len(), 3, |i| v[i] == v[i - 1]), vec![(0, 3), (5, 4)]);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
