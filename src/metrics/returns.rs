//! Period returns and annualization as the oracle README states (equal to
//! empyrical on backtesting.py's equity): the bar spacing picks the period,
//! the last equity of each period is kept, then simple returns.

use std::borrow::Cow;

use crate::data::time::DAY_MS;

/// The return period and how many make a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Periods {
    /// `D` calendar days, `W` weeks, `M` month ends, `Y` years.
    pub rule: char,
    pub per_year: u32,
}

/// Chooses the period from the median bar spacing in whole days: 7 → weekly
/// (52), 28–31 → monthly (12), 365 → yearly (1); otherwise calendar days, 365
/// a year when more than 2/7·0.6 of the bars fall on a weekend, else 252.
pub fn periods(ts: &[i64], spacing_ms: i64) -> Periods {
    let days = (spacing_ms as f64 / DAY_MS as f64).round() as i64;
    match days {
        7 => Periods {
            rule: 'W',
            per_year: 52,
        },
        28..=31 => Periods {
            rule: 'M',
            per_year: 12,
        },
        365 => Periods {
            rule: 'Y',
            per_year: 1,
        },
        _ => {
            let weekend = ts
                .iter()
                .filter(|&&t| (t.div_euclid(DAY_MS) + 3).rem_euclid(7) >= 5)
                .count();
            let share = weekend as f64 / ts.len().max(1) as f64;
            let per_year = if share > 2.0 / 7.0 * 0.6 { 365 } else { 252 };
            Periods {
                rule: 'D',
                per_year,
            }
        }
    }
}

/// The period a timestamp belongs to, as a sortable key.
fn period_key(t: i64, rule: char) -> i64 {
    let day = t.div_euclid(DAY_MS);
    match rule {
        // Weeks ending Sunday, as pandas' "W".
        'W' => (day + 3).div_euclid(7),
        'M' | 'Y' => {
            let (y, m, _) = crate::data::time::civil_from_days(day);
            if rule == 'M' {
                y * 12 + i64::from(m)
            } else {
                y
            }
        }
        _ => day,
    }
}

/// The index of the last bar of each period, in order.
pub fn period_ends(ts: &[i64], rule: char) -> Vec<usize> {
    let mut ends = Vec::new();
    for i in 0..ts.len() {
        if i + 1 == ts.len() || period_key(ts[i + 1], rule) != period_key(ts[i], rule) {
            ends.push(i);
        }
    }
    ends
}

/// Simple returns of the values at the period ends.
pub fn returns_at(values: &[f64], ends: &[usize]) -> Vec<f64> {
    ends.windows(2)
        .map(|w| values[w[1]] / values[w[0]] - 1.0)
        .collect()
}

/// Simple returns of consecutive values (`returns_at` with every index).
pub fn simple(values: &[f64]) -> Vec<f64> {
    values.windows(2).map(|w| w[1] / w[0] - 1.0).collect()
}

/// Simple returns of the last equity value in each period.
pub fn period_returns(ts: &[i64], equity: &[f64], rule: char) -> Vec<f64> {
    returns_at(equity, &period_ends(ts, rule))
}

/// What every backtest on one dataset shares: the period, the period ends
/// and the benchmark's period returns. Built once per dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub periods: Periods,
    pub ends: Vec<usize>,
    /// The benchmark's period returns: buy-and-hold's, one per strategy
    /// return, or another series' joined on dates (see `join`).
    pub bench: Vec<f64>,
    /// With another benchmark: for each of `bench`, the index of the
    /// strategy return of the same period. `None`: `bench[k]` pairs with
    /// return `k`.
    pub join: Option<Vec<usize>>,
}

impl Calendar {
    pub fn new(ts: &[i64], close: &[f64], spacing_ms: i64) -> Calendar {
        let periods = periods(ts, spacing_ms);
        let ends = period_ends(ts, periods.rule);
        let bench = returns_at(close, &ends);
        Calendar {
            periods,
            ends,
            bench,
            join: None,
        }
    }

    /// The same calendar measured against `b`: the benchmark's period
    /// returns from its own full series (its last close in each period),
    /// inner-joined to this calendar's periods on their dates. `ts` is the
    /// timeline this calendar was built on.
    pub fn with_benchmark(mut self, ts: &[i64], b: &crate::data::benchmark::Benchmark) -> Calendar {
        let rule = self.periods.rule;
        let b_ends = period_ends(&b.ts, rule);
        let b_returns = returns_at(&b.close, &b_ends);
        // Return k ends at bar ends[k + 1]; the benchmark's j at b_ends[j + 1].
        let keys: Vec<i64> = self.ends[1..]
            .iter()
            .map(|&e| period_key(ts[e], rule))
            .collect();
        let (mut join, mut bench) = (Vec::new(), Vec::new());
        let mut k = 0;
        for (j, &e) in b_ends[1..].iter().enumerate() {
            let key = period_key(b.ts[e], rule);
            while k < keys.len() && keys[k] < key {
                k += 1;
            }
            if k < keys.len() && keys[k] == key {
                join.push(k);
                bench.push(b_returns[j]);
            }
        }
        self.join = Some(join);
        self.bench = bench;
        self
    }

    /// The strategy's returns `r` and the benchmark's, paired period by
    /// period (equal lengths).
    pub fn paired<'a>(&'a self, r: &'a [f64]) -> (Cow<'a, [f64]>, &'a [f64]) {
        match &self.join {
            None => {
                let n = r.len().min(self.bench.len());
                (Cow::Borrowed(&r[..n]), &self.bench[..n])
            }
            Some(join) => {
                let n = join.partition_point(|&k| k < r.len());
                (
                    Cow::Owned(join[..n].iter().map(|&k| r[k]).collect()),
                    &self.bench[..n],
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_periods_keep_the_last_value_of_each_day() {
        let h = 3_600_000;
        let ts = [0, h, DAY_MS, DAY_MS + h, 3 * DAY_MS];
        let eq = [100.0, 110.0, 99.0, 121.0, 121.0];
        // Days: 110, 121, 121 -> returns 0.1, 0.
        let r = period_returns(&ts, &eq, 'D');
        assert_eq!(r.len(), 2);
        assert!((r[0] - 0.1).abs() < 1e-15 && r[1] == 0.0);
    }

    #[test]
    fn another_benchmark_joins_on_period_dates() {
        use crate::data::benchmark::Benchmark;
        // Strategy days 0..=4; the benchmark lacks day 2 and has day 5.
        let ts: Vec<i64> = (0..5).map(|d| d * DAY_MS).collect();
        let close = [1.0; 5];
        let cal = Calendar::new(&ts, &close, DAY_MS);
        let b = Benchmark {
            name: "b".into(),
            source: "b.csv".into(),
            sha256: String::new(),
            ts: [0, 1, 3, 4, 5].iter().map(|d| d * DAY_MS).collect(),
            close: vec![100.0, 110.0, 121.0, 133.1, 100.0],
        };
        let cal = cal.with_benchmark(&ts, &b);
        // Benchmark returns end on days 1, 3, 4, 5: 0.1, 0.1 (day 1 → 3,
        // from its own series), 0.1, −0.2487…; day 5 has no strategy return.
        // Strategy returns k end on days k + 1: days 1, 3, 4 are k = 0, 2, 3.
        assert_eq!(cal.join, Some(vec![0, 2, 3]));
        assert_eq!(cal.bench.len(), 3);
        let r = [0.01, 0.02, 0.03, 0.04];
        let (rr, bb) = cal.paired(&r);
        assert_eq!(&*rr, &[0.01, 0.03, 0.04]);
        assert!((bb[1] - (121.0 / 110.0 - 1.0)).abs() < 1e-15);
    }

    #[test]
    fn annualization_follows_spacing_and_weekends() {
        // Weekdays only (1970-01-05 is a Monday): 252.
        let weekdays: Vec<i64> = (4..9).map(|d| d * DAY_MS).collect();
        assert_eq!(
            periods(&weekdays, DAY_MS),
            Periods {
                rule: 'D',
                per_year: 252
            }
        );
        let every_day: Vec<i64> = (0..14).map(|d| d * DAY_MS).collect();
        assert_eq!(periods(&every_day, DAY_MS).per_year, 365);
        assert_eq!(
            periods(&every_day, 31 * DAY_MS),
            Periods {
                rule: 'M',
                per_year: 12
            }
        );
        assert_eq!(periods(&every_day, 7 * DAY_MS).per_year, 52);
    }
}
