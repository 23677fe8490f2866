//! Higher timeframes inside expressions, `on("1d", EXPR)`: the timeframe's
//! checks, resampling the bars (`data resample`'s rules) and aligning the
//! higher bars' values back without look-ahead: the value of higher bar k
//! becomes visible on the first bar at or after bar k's end (the start of
//! bar k + 1) and is carried forward until the next one — freqtrade's
//! `merge_informative_pair` convention. Compiling `on` is `compile.rs`'s,
//! evaluating it `eval.rs`'s; this module imports neither.

use crate::data::resample::Rule;
use crate::data::time::format_duration_ms;
use crate::indicators::Bars;

/// When a higher-timeframe bar's value becomes visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Alignment {
    /// At its end: the only correct choice, and the default.
    #[default]
    End,
    /// At its start, before the bars it aggregates have happened: a
    /// look-ahead, which exists so that tests can show `lookahead` catches
    /// it. No strategy file can choose it.
    Start,
}

/// The rule of timeframe `text` on data of bar spacing `spacing_ms` (when
/// known), or what is wrong with it.
pub fn rule(text: &str, spacing_ms: Option<i64>) -> Result<Rule, String> {
    let rule = Rule::parse(text).map_err(|_| {
        format!("invalid timeframe '{text}': expected a count and a unit, e.g. 15m, 1h, 4h, 1d, 1w")
    })?;
    let width = rule.width();
    if let Some(s) = spacing_ms.filter(|s| *s > 0) {
        let spacing = format_duration_ms(s);
        if width < s {
            return Err(format!(
                "timeframe '{text}' is shorter than the data's bar spacing ({spacing})"
            ));
        }
        if width % s != 0 {
            return Err(format!(
                "timeframe '{text}' is not a multiple of the data's bar spacing ({spacing})"
            ));
        }
    }
    Ok(rule)
}

/// Bars aggregated into a rule's bins: each bin's start and its columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resampled {
    pub starts: Vec<i64>,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub volume: Vec<f64>,
}

impl Resampled {
    /// First open, max high, min low, last close, summed volume per bin.
    pub fn of(ts: &[i64], b: Bars, rule: Rule) -> Resampled {
        let mut r = Resampled::default();
        let Some(&first) = ts.first() else {
            return r;
        };
        for (i, &t) in ts.iter().enumerate() {
            let bin = rule.bin(t, first);
            if r.starts.last() == Some(&bin) {
                let k = r.starts.len() - 1;
                r.high[k] = f64::max(r.high[k], b.high[i]);
                r.low[k] = f64::min(r.low[k], b.low[i]);
                r.close[k] = b.close[i];
                r.volume[k] += b.volume[i];
            } else {
                r.starts.push(bin);
                r.open.push(b.open[i]);
                r.high.push(b.high[i]);
                r.low.push(b.low[i]);
                r.close.push(b.close[i]);
                r.volume.push(b.volume[i]);
            }
        }
        r
    }

    pub fn bars(&self) -> Bars<'_> {
        Bars {
            open: &self.open,
            high: &self.high,
            low: &self.low,
            close: &self.close,
            volume: &self.volume,
        }
    }
}

/// `values` of bins starting at `starts` (each `width` long) on the bars at
/// `ts`: bar i shows the last bin visible by ts[i] (ended, or started with
/// the wrong `Alignment::Start`), `fill` before the first.
pub fn align(
    starts: &[i64],
    width: i64,
    how: Alignment,
    ts: &[i64],
    values: &[f64],
    fill: f64,
) -> Vec<f64> {
    let shown = |k: usize| match how {
        Alignment::End => starts[k] + width,
        Alignment::Start => starts[k],
    };
    let mut k = 0usize;
    ts.iter()
        .map(|&t| {
            while k < starts.len() && shown(k) <= t {
                k += 1;
            }
            if k > 0 {
                values[k - 1]
            } else {
                fill
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bin_shows_from_its_end() {
        // Bins [0, 10) and [10, 20) with values 1 and 2; bars at 0, 5, 10, 15, 20.
        let ts = [0, 5, 10, 15, 20];
        let v = align(&[0, 10], 10, Alignment::End, &ts, &[1.0, 2.0], -1.0);
        assert_eq!(v, [-1.0, -1.0, 1.0, 1.0, 2.0]);
        let v = align(&[0, 10], 10, Alignment::Start, &ts, &[1.0, 2.0], -1.0);
        assert_eq!(v, [1.0, 1.0, 2.0, 2.0, 2.0]);
        assert!(rule("1d", Some(3_600_000)).is_ok());
        assert_eq!(
            rule("90m", Some(3_600_000)).unwrap_err(),
            "timeframe '90m' is not a multiple of the data's bar spacing (1h)"
        );
    }
}
