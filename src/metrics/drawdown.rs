//! Drawdowns of the bar-level equity curve: one pass that tracks the peak,
//! the deepest fall, the longest time under water and each episode's depth.

/// Drawdown figures of an equity curve.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Drawdowns {
    /// Deepest fall from a peak, as a fraction (≤ 0).
    pub max: f64,
    /// Longest run of bars below the previous peak.
    pub max_duration_bars: usize,
    /// Mean depth of the drawdown episodes (None without any).
    pub average: Option<f64>,
}

/// Single-pass drawdown tracker.
#[derive(Debug, Default)]
struct Tracker {
    peak: f64,
    under: usize,
    episode_depth: f64,
    episodes: usize,
    depth_sum: f64,
    out: Drawdowns,
}

impl Tracker {
    fn push(&mut self, v: f64) {
        if v >= self.peak {
            self.end_episode();
            self.peak = v;
            self.under = 0;
            return;
        }
        let dd = v / self.peak - 1.0;
        self.under += 1;
        self.episode_depth = self.episode_depth.min(dd);
        self.out.max = self.out.max.min(dd);
        self.out.max_duration_bars = self.out.max_duration_bars.max(self.under);
    }

    fn end_episode(&mut self) {
        if self.episode_depth < 0.0 {
            self.episodes += 1;
            self.depth_sum += self.episode_depth;
            self.episode_depth = 0.0;
        }
    }
}

pub fn drawdowns(equity: &[f64]) -> Drawdowns {
    let mut t = Tracker::default();
    if let Some(&first) = equity.first() {
        t.peak = first;
    }
    for &v in equity {
        t.push(v);
    }
    t.end_episode();
    let mut out = t.out;
    out.average = (t.episodes > 0).then(|| t.depth_sum / t.episodes as f64);
    out
}

/// The drawdown tracker fed in pieces by the event-driven engine
/// (`engine::sparse`), with the peak, the last value and the values at the
/// period ends. Within an episode the peak is fixed and `v / peak − 1` is
/// monotone in `v`, so the episode's lowest value gives its depth: the same
/// numbers as `drawdowns` on the whole curve, bit for bit (`drawdowns`
/// stays the dense reference it is tested against).
#[derive(Debug, Clone)]
pub struct Marks {
    ep: Episode,
    episodes: usize,
    depth_sum: f64,
    out: Drawdowns,
    bars: usize,
    last: Option<f64>,
    /// A peak at or below zero: `drawdowns` divides by it bar by bar, so
    /// the shortcut does not hold.
    unsure: bool,
    pub at_ends: Vec<f64>,
}

/// The peak and the episode under way below it: its bars and lowest value.
#[derive(Debug, Clone, Copy)]
struct Episode {
    peak: f64,
    under: usize,
    /// +∞ outside an episode.
    low: f64,
}

impl Default for Marks {
    fn default() -> Self {
        Marks {
            ep: Episode {
                peak: f64::NEG_INFINITY,
                under: 0,
                low: f64::INFINITY,
            },
            episodes: 0,
            depth_sum: 0.0,
            out: Drawdowns::default(),
            bars: 0,
            last: None,
            unsure: false,
            at_ends: Vec::new(),
        }
    }
}

/// What `Marks` found: the drawdowns, bars, peak, last value and the
/// values at the period ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    pub dd: Drawdowns,
    pub bars: usize,
    pub peak: Option<f64>,
    pub last: Option<f64>,
    pub at_ends: Vec<f64>,
}

impl Marks {
    /// One bar's value against the episode `ep` (the caller's copy, so a
    /// loop keeps it in registers).
    #[inline]
    fn step(&mut self, ep: &mut Episode, v: f64) {
        if v >= ep.peak {
            self.end_episode(ep);
            ep.peak = v;
        } else {
            ep.under += 1;
            ep.low = ep.low.min(v);
        }
    }

    fn end_episode(&mut self, ep: &mut Episode) {
        if ep.under == 0 {
            return;
        }
        if ep.peak <= 0.0 {
            self.unsure = true;
        }
        let depth = ep.low / ep.peak - 1.0;
        self.out.max_duration_bars = self.out.max_duration_bars.max(ep.under);
        self.out.max = self.out.max.min(depth);
        if depth < 0.0 {
            self.episodes += 1;
            self.depth_sum += depth;
        }
        ep.under = 0;
        ep.low = f64::INFINITY;
    }

    /// The figures, or None where the shortcut may differ from `drawdowns`.
    pub fn finish(mut self) -> Option<Marked> {
        let mut ep = self.ep;
        self.end_episode(&mut ep);
        if self.unsure {
            return None;
        }
        let mut dd = self.out;
        dd.average = (self.episodes > 0).then(|| self.depth_sum / self.episodes as f64);
        Some(Marked {
            dd,
            bars: self.bars,
            peak: (self.bars > 0).then_some(ep.peak),
            last: self.last,
            at_ends: self.at_ends,
        })
    }
}

impl crate::engine::sparse::Curve for Marks {
    fn peak(&self) -> f64 {
        self.ep.peak
    }

    fn low(&self) -> f64 {
        self.ep.low
    }

    fn bar(&mut self, v: f64) {
        self.bars += 1;
        self.last = Some(v);
        let mut ep = self.ep;
        self.step(&mut ep, v);
        self.ep = ep;
    }

    fn under(&mut self, low: f64, len: usize) {
        // `last` stays the last `bar`'s: the engine ends on a bar of its own.
        self.bars += len;
        self.ep.under += len;
        self.ep.low = self.ep.low.min(low);
    }

    fn level(&mut self, v: f64, len: usize) {
        if v >= self.ep.peak {
            // The first makes the peak; the others equal it.
            self.bar(v);
            self.bars += len - 1;
        } else {
            self.under(v, len);
        }
    }

    fn held(&mut self, close: &[f64], cash: f64, units: f64) -> bool {
        let mut ep = self.ep;
        for &x in close {
            let v = cash + units * x;
            if v <= 0.0 {
                return false;
            }
            self.step(&mut ep, v);
        }
        self.ep = ep;
        self.bars += close.len();
        if let Some(&x) = close.last() {
            self.last = Some(cash + units * x);
        }
        true
    }

    fn period_end(&mut self, v: f64) {
        self.at_ends.push(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn episodes_by_hand() {
        // Peak 100, down to 90 (−10 %) for 2 bars, new peak 120, down to 96 (−20 %) to the end.
        let d = drawdowns(&[100.0, 95.0, 90.0, 120.0, 110.0, 96.0, 100.0]);
        assert!((d.max + 0.2).abs() < 1e-15);
        assert_eq!(d.max_duration_bars, 3);
        assert!((d.average.unwrap() + 0.15).abs() < 1e-15);
        assert_eq!(drawdowns(&[1.0, 2.0, 3.0]).average, None);
    }

    #[test]
    fn marks_in_pieces_equal_the_whole_curve() {
        use crate::engine::sparse::Curve;
        let curve = [100.0, 95.0, 90.0, 120.0, 110.0, 96.0, 100.0, 100.0, 130.0];
        let whole = drawdowns(&curve);
        // Bar by bar.
        let mut m = Marks::default();
        curve.iter().for_each(|&v| m.bar(v));
        let by_bar = m.finish().unwrap();
        // In pieces: 100; 95 and 90 as a run under the peak (lowest 90);
        // 120; 110, 96 as a held run (cash 0, one unit); 100 twice as a
        // level; 130.
        let mut m = Marks::default();
        m.bar(100.0);
        m.under(90.0, 2);
        m.bar(120.0);
        assert!(m.held(&[110.0, 96.0], 0.0, 1.0));
        m.level(100.0, 2);
        m.bar(130.0);
        let pieces = m.finish().unwrap();
        for got in [&by_bar, &pieces] {
            assert_eq!(got.dd, whole);
            // Peak 130, last 130, nine bars.
            assert_eq!(
                (got.peak, got.last, got.bars),
                (Some(130.0), Some(130.0), 9)
            );
        }
        // Depths −10 % and −20 % (96/120 − 1): average −15 %.
        assert!((whole.average.unwrap() + 0.15).abs() < 1e-15);
        // A value at or below zero stops a held run.
        assert!(!Marks::default().held(&[1.0, 2.0], -1.5, 1.0));
    }
}
