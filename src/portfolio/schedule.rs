//! Rebalance dates and the per-symbol inputs of an allocation: which bars
//! rebalance, and the sample standard deviation of recent returns.

use crate::data::time::{civil_from_days, DAY_MS};
use crate::strategy::portfolio::Schedule;

/// Whether each bar of `ts` is a rebalance bar: the first bar of each
/// period (the data's first bar included), every bar, or every N bars.
pub fn rebalance_bars(ts: &[i64], schedule: Schedule) -> Vec<bool> {
    let period = |ms: i64| -> i64 {
        let days = ms.div_euclid(DAY_MS);
        let (y, m, _) = civil_from_days(days);
        match schedule {
            // ISO weeks start on Monday; 1970-01-01 was a Thursday.
            Schedule::Weekly => (days + 3).div_euclid(7),
            Schedule::Monthly => y * 12 + i64::from(m),
            Schedule::Quarterly => y * 4 + (i64::from(m) - 1) / 3,
            Schedule::Yearly => y,
            Schedule::Daily | Schedule::Every(_) => days,
        }
    };
    (0..ts.len())
        .map(|t| match schedule {
            Schedule::Daily => true,
            Schedule::Every(n) => t % n == 0,
            _ => t == 0 || period(ts[t]) != period(ts[t - 1]),
        })
        .collect()
}

/// σ (ddof 1) of the last `n` close-to-close simple returns ending at each
/// bar of `close` (a symbol's own bars); NaN before `n + 1` closes.
pub fn return_std(close: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; close.len()];
    if n < 2 {
        return out;
    }
    let ret = |i: usize| close[i] / close[i - 1] - 1.0;
    for (t, o) in out.iter_mut().enumerate().skip(n) {
        let window = t + 1 - n..=t;
        let mean = window.clone().map(ret).sum::<f64>() / n as f64;
        let var = window.map(|i| (ret(i) - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        *o = var.sqrt();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::time::parse_iso;

    fn ms(d: &str) -> i64 {
        parse_iso(d).unwrap().0
    }

    #[test]
    fn first_bar_of_each_period() {
        let ts: Vec<i64> = [
            "2020-01-30",
            "2020-01-31",
            "2020-02-03",
            "2020-02-04",
            "2020-04-01",
        ]
        .iter()
        .map(|d| ms(d))
        .collect();
        assert_eq!(
            rebalance_bars(&ts, Schedule::Monthly),
            [true, false, true, false, true]
        );
        assert_eq!(
            rebalance_bars(&ts, Schedule::Quarterly),
            [true, false, false, false, true]
        );
        // 2020-01-30 is a Thursday; 2020-02-03 a Monday (a new ISO week).
        assert_eq!(
            rebalance_bars(&ts, Schedule::Weekly),
            [true, false, true, false, true]
        );
        assert_eq!(
            rebalance_bars(&ts, Schedule::Every(2)),
            [true, false, true, false, true]
        );
    }

    #[test]
    fn std_of_returns() {
        // Returns 0.1, -0.1, 0.1: mean 1/30, deviations 1/15, -2/15, 1/15,
        // sum of squares 6/225, over 2: 3/225, σ = sqrt(3)/15.
        let s = return_std(&[100.0, 110.0, 99.0, 108.9], 3);
        assert!(s[2].is_nan());
        assert!((s[3] - 3f64.sqrt() / 15.0).abs() < 1e-15);
        // A flat series has σ = 0.
        assert_eq!(return_std(&[5.0; 4], 2)[3], 0.0);
    }
}
