//! Validation of parsed candles: errors (non-finite values, non-positive
//! prices, inconsistent high/low, unsorted or duplicate timestamps) and
//! warnings (gaps, zero volume), each with its first row and a count.

use serde::Serialize;

use super::time::{format_duration_ms, format_ms, DAY_MS};
use super::Candles;
use crate::error::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One rule's result: where it first applies, how often, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// A stable identifier such as `high_below_body`.
    pub rule: &'static str,
    /// The first offending row.
    pub at: Location,
    /// How many rows break the rule.
    pub count: usize,
    /// What is wrong at the first offending row.
    pub message: String,
}

/// First offending row, count, and message of one rule during the pass.
struct Tally {
    rule: &'static str,
    severity: Severity,
    first: Option<(usize, String)>,
    count: usize,
}

impl Tally {
    fn new(rule: &'static str, severity: Severity) -> Self {
        Tally {
            rule,
            severity,
            first: None,
            count: 0,
        }
    }

    fn hit(&mut self, row: usize, message: impl FnOnce() -> String) {
        if self.first.is_none() {
            self.first = Some((row, message()));
        }
        self.count += 1;
    }
}

/// Checks every rule over all rows in one pass. Errors come first, ordered by
/// the row where they first occur; warnings follow.
pub fn validate(c: &Candles) -> Vec<Finding> {
    let n = c.len();
    let mut not_finite = Tally::new("not_finite", Severity::Error);
    let mut non_positive = Tally::new("non_positive_price", Severity::Error);
    let mut neg_volume = Tally::new("negative_volume", Severity::Error);
    let mut high_below = Tally::new("high_below_body", Severity::Error);
    let mut low_above = Tally::new("low_above_body", Severity::Error);
    let mut duplicate = Tally::new("duplicate_timestamp", Severity::Error);
    let mut unsorted = Tally::new("unsorted_timestamp", Severity::Error);
    let mut zero_volume = Tally::new("zero_volume", Severity::Warning);
    let date_only = super::time::all_midnight(&c.ts);
    let fmt = |t: i64| format_ms(t, date_only);
    let names = ["open", "high", "low", "close", "volume"];
    for i in 0..n {
        let (o, h, l, cl, v) = (c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]);
        let vals = [o, h, l, cl, v];
        if let Some(k) = vals.iter().position(|x| !x.is_finite()) {
            not_finite.hit(i, || format!("{} is {}", names[k], vals[k]));
            continue;
        }
        if let Some(k) = vals[..4].iter().position(|&x| x <= 0.0) {
            non_positive.hit(i, || {
                format!("{} is {} (prices must be > 0)", names[k], vals[k])
            });
        }
        if v < 0.0 {
            neg_volume.hit(i, || format!("volume is {v} (must be >= 0)"));
        } else if v == 0.0 && c.has_volume {
            zero_volume.hit(i, || "volume is 0".to_string());
        }
        if h < o.max(cl) {
            high_below.hit(i, || {
                format!("high {h} is below max(open, close) = {}", o.max(cl))
            });
        }
        if l > o.min(cl) {
            low_above.hit(i, || {
                format!("low {l} is above min(open, close) = {}", o.min(cl))
            });
        }
        if i > 0 {
            let (prev, t) = (c.ts[i - 1], c.ts[i]);
            if t == prev {
                duplicate.hit(i, || format!("duplicate timestamp {}", fmt(t)));
            } else if t < prev {
                unsorted.hit(i, || {
                    format!(
                        "timestamp {} is before the previous row's {}: rows must be in increasing time order",
                        fmt(t),
                        fmt(prev)
                    )
                });
            }
        }
    }
    let tallies = [
        not_finite,
        non_positive,
        neg_volume,
        high_below,
        low_above,
        duplicate,
        unsorted,
        zero_volume,
    ];
    let mut out: Vec<Finding> = tallies
        .into_iter()
        .filter_map(|t| {
            let (row, msg) = t.first?;
            let more = match t.count {
                1 => String::new(),
                k => format!(" ({} rows in all)", k),
            };
            Some(Finding {
                severity: t.severity,
                rule: t.rule,
                at: c.locate(row),
                count: t.count,
                message: format!("{msg}{more}"),
            })
        })
        .collect();
    let ordered = out
        .iter()
        .all(|f| f.rule != "duplicate_timestamp" && f.rule != "unsorted_timestamp");
    if ordered {
        out.extend(gaps(c));
    }
    out.sort_by_key(|f| (f.severity == Severity::Warning, row_key(f.at)));
    out
}

fn row_key(at: Location) -> usize {
    match at {
        Location::Line(l) | Location::Row(l) | Location::LineCol(l, _) => l,
        Location::File => 0,
    }
}

/// Bars whose distance to the previous bar exceeds 1.5× the median spacing,
/// reported as one warning with the count and the largest gap.
pub fn gaps(c: &Candles) -> Option<Finding> {
    let limit = c.spacing_ms.checked_mul(3)? / 2;
    if c.spacing_ms <= 0 {
        return None;
    }
    let mut count = 0usize;
    let mut largest = (0usize, 0i64);
    for i in 1..c.len() {
        let d = c.ts[i] - c.ts[i - 1];
        if d > limit {
            count += 1;
            if d > largest.1 {
                largest = (i, d);
            }
        }
    }
    if count == 0 {
        return None;
    }
    let date_only = super::time::all_midnight(&c.ts);
    let weekday_daily = c.spacing_ms == DAY_MS && weekday_only(&c.ts);
    let note = if weekday_daily {
        "; weekday-only daily data, so weekends and holidays are expected"
    } else {
        ""
    };
    Some(Finding {
        severity: Severity::Warning,
        rule: "gaps",
        at: c.locate(largest.0),
        count,
        message: format!(
            "{count} gaps longer than 1.5x the median spacing ({}); the largest is {} before {}{note}",
            format_duration_ms(c.spacing_ms),
            format_duration_ms(largest.1),
            format_ms(c.ts[largest.0], date_only),
        ),
    })
}

/// True when no bar falls on a Saturday or Sunday (UTC).
pub fn weekday_only(ts: &[i64]) -> bool {
    // 1970-01-01 was a Thursday: day 0 -> Thursday, so weekday = (d + 3) % 7 with Monday 0.
    ts.iter()
        .all(|t| (t.div_euclid(DAY_MS) + 3).rem_euclid(7) < 5)
}
